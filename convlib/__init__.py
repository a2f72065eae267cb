"""convlib: transposed convolution four ways, exact to PyTorch.

matrix (chapter 02), scatter-add (chapter 03), padded direct convolution (chapter 04) and by
phases (chapter 13), with
the shape arithmetic and argument validation of chapter 01 (shapes: validate, Setup) and the
agreement with PyTorch that every chapter ends with (agreement: compare).
"""
from .agreement import Comparison, compare
from .direct import conv, conv_transpose_direct, direct_input, direct_weight, zero_insert
from .explain import Explanation, Term, explain
from .matrix import conv_matrix, conv_transpose_matrix
from .phases import conv_transpose_phases
from .scatter import Stamp, Stamps, conv_transpose_scatter, stamps
from .shapes import (ConvSetup, Setup, conv_input_sizes, conv_output_size,
                     conv_transpose_output_size, divisors, largest_padding, output_padding_limit,
                     validate, validate_conv, validate_sizes)

__all__ = [
    "conv_transpose_matrix", "conv_transpose_scatter", "conv_transpose_direct",
    "conv_transpose_phases", "conv_matrix",
    "explain", "compare", "conv", "zero_insert", "direct_input", "direct_weight", "stamps",
    "conv_output_size", "conv_transpose_output_size", "conv_input_sizes", "validate",
    "validate_sizes", "validate_conv", "output_padding_limit", "largest_padding", "divisors",
    "Setup", "ConvSetup", "Comparison", "Explanation", "Term", "Stamp", "Stamps",
]

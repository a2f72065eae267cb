"""convlib: transposed convolution three ways, exact to PyTorch.

matrix (chapter 02), scatter-add (chapter 03) and padded direct convolution (chapter 04), with
the shape arithmetic of chapter 01 and the checks every chapter ends with.
"""
from .check import Comparison, compare
from .direct import conv, conv_transpose_direct, direct_input, direct_weight, zero_insert
from .explain import Explanation, Term, explain
from .matrix import conv_matrix, conv_transpose_matrix
from .scatter import Stamp, Stamps, conv_transpose_scatter, stamps
from .shapes import (ConvSetup, ConvTransposeSetup, DirectConvParams, SpatialSizes, canvas_crop,
                     canvas_size, check_conv, check_conv_transpose, check_sizes,
                     conv_input_sizes, conv_output_size, conv_transpose_output_size,
                     direct_conv_params)

__all__ = [
    "conv_transpose_matrix", "conv_transpose_scatter", "conv_transpose_direct", "conv_matrix",
    "explain", "compare", "conv", "zero_insert", "direct_input", "direct_weight", "stamps",
    "conv_output_size", "conv_transpose_output_size", "conv_input_sizes", "direct_conv_params",
    "check_sizes", "check_conv_transpose", "check_conv", "canvas_size", "canvas_crop",
    "Comparison", "Explanation", "Term", "Stamp", "Stamps", "ConvSetup", "ConvTransposeSetup",
    "DirectConvParams", "SpatialSizes",
]

"""Shape arithmetic and parameter validation: the one place for both.

Explained in chapter 01 (notebooks/01_shapes.ipynb). For each spatial dimension, with input size
i, kernel_size k, stride s, padding p, dilation d and output_padding op:

    convolution            o = floor((i + 2p - d(k-1) - 1) / s) + 1
    transposed convolution o = (i - 1) s - 2p + d(k-1) + op + 1

Each formula is written once, in shapes.formulas. A call is validated once, here, into a frozen
Setup (transposed convolution) or ConvSetup (ordinary convolution) before anything is computed;
a bad call raises ValueError or TypeError naming the parameter, the value and the valid range.
Everything downstream takes the setup and trusts it: every derived size is a property of it.
"""
from . import formulas
from .arguments import as_int, as_tuple, compact, is_int, like_input, normalise
from .setup import ConvSetup, Setup, divisors, largest_padding, output_padding_limit
from .sizes import (conv_input_sizes, conv_output_size, conv_transpose_output_size,
                    conv_transpose_output_sizes, kernel_span, output_padding_for,
                    pool_output_size, smallest_output_size)
from .validation import (validate, validate_arrays, validate_bias, validate_channels, validate_conv,
                         validate_conv_sizes, validate_sizes)

__all__ = ["Setup", "ConvSetup", "validate", "validate_sizes", "validate_conv",
           "validate_conv_sizes", "validate_arrays", "validate_channels", "validate_bias",
           "output_padding_limit", "largest_padding", "divisors", "conv_output_size",
           "conv_transpose_output_size", "conv_input_sizes", "conv_transpose_output_sizes",
           "output_padding_for", "pool_output_size", "smallest_output_size", "kernel_span",
           "formulas", "is_int",
           "as_int", "as_tuple", "normalise", "like_input"]

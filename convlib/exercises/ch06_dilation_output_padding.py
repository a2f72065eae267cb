"""Answers to the exercises of chapter 06 (notebooks/06_dilation_output_padding.ipynb)."""
import numpy as np

import convlib
from convlib.exercises import answer


@answer("06.1", hint="(i-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1")
def dilated_size():
    return convlib.conv_transpose_output_size(5, 3, stride=2, padding=1, output_padding=1,
                                              dilation=2)


def accepted(output_padding, stride=3, dilation=2):
    try:
        convlib.conv_transpose_output_size(4, 3, stride=stride, output_padding=output_padding,
                                           dilation=dilation)
        return True
    except ValueError:
        return False


@answer("06.2", hint="apply PyTorch's rule from the section 'And dilation?', or try accepted(n) "
                     "for a few n")
def largest_output_padding():
    return max(filter(accepted, range(10)))


@answer("06.3", hint="stamp i lands at i and i+3: [1, 10] becomes [1, 0, 0, 10]; "
                     "add the three shifted stamps")
def dilated_by_hand():
    return convlib.conv_transpose_scatter(np.array([[1.0, 2, 3]]), np.array([[[1.0, 10]]]),
                                          dilation=3).ravel()


@answer("06.4", hint="the one input stamps 3 times the kernel; which 2x2 block of that stamp "
                     "is left after padding=1 crops and output_padding=1 adds back?")
def smallest_case_with_3():
    return convlib.conv_transpose_scatter(np.array([[[[3.0]]]]),
                                          np.arange(1.0, 10.0).reshape(1, 1, 3, 3), stride=2,
                                          padding=1, output_padding=1)[0, 0]

"""Answers to the exercises of chapter 04 (notebooks/04_direct.ipynb)."""
import numpy as np

import convlib
from convlib.exercises import answer, implement

SIGNAL = np.array([[[2, 1, 1, 3]]])   # the third learner's signal and kernel
KERNEL = np.array([[[1, 1, 5]]])


@answer("04.1", hint="pad to [0, 2, 1, 1, 3, 0], then dot every window of 3 with [5, 1, 1]")
def padding_1():
    return convlib.conv_transpose_direct(SIGNAL, KERNEL, padding=1).ravel().tolist()


@answer("04.2", hint="conv1d does not flip: write [12, 9] as the dot products of the windows "
                     "[2, 1, 1] and [1, 1, 3] with an unknown kernel, or use the direct view's "
                     "rule")
def kernel_for_conv1d():
    return convlib.direct_weight(KERNEL).ravel().tolist()


@answer("04.3", hint="dilation * (kernel_size - 1) - padding")
def zeros_before():
    return convlib.validate_sizes(4, 5, stride=2, padding=1).pad_before[0]


@answer("04.4", hint="2 inputs with 1 zero between, then 2 zeros before and 2 + output_padding "
                     "after")
def rows_of_direct_input():
    return convlib.direct_input(np.zeros((1, 3, 2, 2)), np.zeros((3, 1, 3, 3)), stride=2,
                                output_padding=1).shape[-1]


def direct_cases(rng):
    """1-D inputs and kernels of small integers, up to a padding larger than kernel_size - 1."""
    return [(rng.integers(-3, 4, n), rng.integers(-3, 4, k), stride, padding)
            for n, k, stride, padding in
            [(4, 3, 1, 0), (3, 2, 2, 0), (4, 3, 2, 1), (3, 4, 3, 2), (5, 3, 1, 2), (4, 3, 2, 3)]]


@implement("04.5", cases=direct_cases,
           hint="three steps, each a line or two of NumPy: spread x out (a slice with a step), "
                "pad it with len(w)-1-padding zeros on both sides (a negative amount means: cut "
                "that many entries off instead), then take the dot product of every window of "
                "len(w) entries with the flipped w")
def direct_1d(x, w, stride, padding):
    return convlib.conv_transpose_direct(x[None, None], w[None, None], stride=stride,
                                         padding=padding)[0, 0]

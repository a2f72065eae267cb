"""Answers to the exercises of chapter 11 (notebooks/11_checkerboards_in_training.ipynb)."""
import numpy as np

import convlib
from convlib.checkerboard import phase_means
from convlib.exercises import answer, implement


def stamp_counts(kernel_size, stride, length=12):
    """How many stamps reach each output of a transposed convolution of ones with ones."""
    return convlib.conv_transpose_scatter(np.ones((1, length)), np.ones((1, 1, kernel_size)),
                                          stride=stride)[0]


@answer("11.1", hint="output o = 3i + k: phase r receives the taps k with k % 3 == r")
def stamps_per_phase():
    counts = stamp_counts(5, 3)
    return [int(counts[6 + r]) for r in range(3)]  # phases 0, 1, 2, away from the border


@answer("11.2", hint="count the 3x3 windows, 2 apart, that cover a pixel along each axis, and "
                     "multiply the two counts")
def gradient_ratio():
    ones = np.ones((1, 1, 8, 8))
    grad = convlib.conv_transpose_scatter(ones, np.full((1, 1, 3, 3), 1 / 9), stride=2,
                                          padding=1, output_padding=1)[0, 0, 2:-2, 2:-2]
    return grad.max() / grad.min()


@answer("11.3", hint="the gradient is a transposed convolution of ones: even overlap needs "
                     "kernel_size divisible by the stride")
def even_kernel_size():
    return next(k for k in range(5, 9) if len(set(stamp_counts(k, 3)[k:-k])) == 1)


def phase_cases(rng):
    return [(rng.integers(-9, 10, n).astype(float), s)
            for n, s in [(6, 2), (7, 2), (9, 3), (10, 4), (5, 1)]]


@implement("11.4", cases=phase_cases,
           hint="y[r::s] is phase r; take the mean of each for r = 0 .. s-1")
def phase_means_1d(y, s):
    return phase_means(y, s, border=0)

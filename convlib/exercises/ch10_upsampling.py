"""Answers to the exercises of chapter 10 (notebooks/10_upsampling.ipynb)."""
import numpy as np

from convlib.exercises import answer, implement
from convlib.upsample import exact_upsampling, pixel_shuffle, subpixel


def kernel_size_and_padding(factor):
    params = exact_upsampling(factor)
    return params["kernel_size"], params["padding"]


@answer("10.1", hint="the size needs kernel_size - 2*padding = 6, and the tent of an even "
                     "factor needs 2*factor taps")
def times_6():
    return kernel_size_and_padding(6)


@answer("10.2", hint="kernel_size - 2*padding = 5 makes kernel_size odd: the tent's centre falls "
                     "on a tap, and it has 2*factor - 1 non-zero taps")
def times_5():
    return kernel_size_and_padding(5)


@answer("10.3", hint="a ConvTranspose2d weight is (in_channels, out_channels / groups, "
                     "kernel_size, kernel_size)")
def grouped_weight_shape():
    import torch.nn as nn

    params = exact_upsampling(4)
    return tuple(nn.ConvTranspose2d(16, 16, **params, groups=16).weight.shape)


@answer("10.4", hint="for phase r the taps are s*t + r + p for whole numbers t; count those "
                     "between 0 and kernel_size - 1")
def taps_per_phase():
    plan = subpixel(np.arange(1.0, 7.0)[None, None], input_size=(4,), stride=2, padding=2)
    counts = {int(np.count_nonzero(kernel)) for kernel in plan.weight}
    return counts.pop()  # the same for both phases


def shuffle_cases(rng):
    cases = []
    for channels, s, q in [(1, 2, 3), (2, 2, 2), (1, 3, 4), (3, 2, 1), (2, 4, 3)]:
        cases.append((rng.integers(-9, 10, (channels * s, q)), s))
    return cases


@implement("10.5", cases=shuffle_cases,
           hint="reshape z to (C, s, q), then put the q axis before the s axis and flatten the "
                "last two: each column j of the s rows becomes s neighbours")
def pixel_shuffle_1d(z, s):
    return pixel_shuffle(z[None], s)[0]

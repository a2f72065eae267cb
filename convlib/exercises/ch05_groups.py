"""Answers to the exercises of chapter 05 (notebooks/05_groups.ipynb)."""
import numpy as np

import convlib
from convlib.exercises import answer

WEIGHT = np.array([1.0, 1.0, 2.0] * 8).reshape(4, 2, 3)   # the question's layer and input
INPUT = np.array([[1.0, 1, 1], [1, 1, 1], [1, 1, 2], [1, 1, 2]])


@answer("05.1", hint="padding=1 leaves 3-1-1 = 1 zero on each side, so the flipped kernel "
                     "[2, 1, 1] fits 3 times")
def padding_1():
    return convlib.conv_transpose_scatter(INPUT, WEIGHT, padding=1, groups=2)


@answer("05.2", hint="the shape is (in_channels, out_channels / groups, 3, 3)")
def weight_numbers():
    in_channels, out_channels, groups, kernel_size = 8, 16, 4, (3, 3)
    return in_channels * out_channels // groups * int(np.prod(kernel_size))


@answer("05.3", hint="only the group of input channel 3 changes: "
                     "out[c] = dot(x[2], [2,1,1]) + dot(x[3], [2,1,1])")
def last_channel_changed():
    x = INPUT.copy()
    x[3] = [1, 1, 3]
    return convlib.conv_transpose_scatter(x, WEIGHT, padding=2, groups=2).ravel()


@answer("05.4", hint="group 0 holds inputs 0, 1 and outputs 0, 1, 2; within a group the "
                     "Conv weight is indexed [output, input]")
def where_the_kernel_goes():
    w46 = np.arange(1.0, 37.0).reshape(4, 3, 3)
    direct = convlib.direct_weight(w46, groups=2)
    return next((row, column) for row, column in np.ndindex(direct.shape[:2])
                if np.array_equal(direct[row, column], w46[1, 2, ::-1]))

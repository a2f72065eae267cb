"""Answers to the exercises of chapter 05 (notebooks/05_groups.ipynb)."""
import numpy as np
import torch
import torch.nn.functional as F

import convlib
from convlib.exercises import Worked, answer, implement

WEIGHT = np.array([1.0, 1.0, 2.0] * 8).reshape(4, 2, 3)   # the question's layer and input
INPUT = np.array([[1.0, 1, 1], [1, 1, 1], [1, 1, 2], [1, 1, 2]])


@answer("05.1", hint="padding=1 leaves 3-1-1 = 1 zero on each side, so the flipped kernel "
                     "[2, 1, 1] fits 3 times")
def padding_1():
    out = convlib.conv_transpose_scatter(INPUT, WEIGHT, padding=1, groups=2)
    one = [convlib.conv_transpose_scatter(INPUT[c:c + 1], WEIGHT[c:c + 1, :1], padding=1)[0]
           for c in (0, 2)]
    return Worked(out,
                  f"padding=1 leaves 1*(3-1) - 1 = 1 zero on each side of each input channel, "
                  f"and the flipped kernel [2, 1, 1] slides over [0, x0, x1, x2, 0] in 3 "
                  f"places: [1, 1, 1] gives {one[0].astype(int).tolist()} and [1, 1, 2] gives "
                  f"{one[1].astype(int).tolist()}. Each output channel adds the results of the "
                  f"two equal input channels of its group: {out.astype(int).tolist()}.")


@answer("05.2", hint="the shape is (in_channels, out_channels / groups, 3, 3)")
def weight_numbers():
    in_channels, out_channels, groups, kernel_size = 8, 16, 4, (3, 3)
    shape = (in_channels, out_channels // groups, *kernel_size)
    count = int(np.prod(shape))
    return Worked(count,
                  f"A transposed convolution's weight is (in_channels, out_channels / groups, "
                  f"*kernel_size) = (8, 16/4, 3, 3) = {shape}: 8*4*3*3 = {count} numbers.")


@answer("05.3", hint="with groups=2 each output channel reads the input channels of its own "
                     "group only: find the outputs whose group holds input channel 3, recompute "
                     "them as in the question; the others keep their values")
def last_channel_changed():
    x = INPUT.copy()
    x[3] = [1, 1, 3]
    out = convlib.conv_transpose_scatter(x, WEIGHT, padding=2, groups=2).ravel()
    kernel = WEIGHT[0, 0, ::-1]
    parts = [int(x[c] @ kernel) for c in (2, 3)]
    return Worked(out,
                  f"Input channel 3 is in group 1 (inputs 2, 3 -> outputs 2, 3), so only output "
                  f"channels 2 and 3 change. Each is dot([1, 1, 2], [2, 1, 1]) + dot([1, 1, 3], "
                  f"[2, 1, 1]) = {parts[0]} + {parts[1]} = {sum(parts)}; channels 0 and 1 keep "
                  f"{int(out[0])}: {out.astype(int).tolist()}.")


@answer("05.4", hint="groups=2 splits the 6 inputs and the 4 outputs in halves; within a group "
                     "the Conv weight is indexed [output, input]")
def where_the_kernel_goes():
    w64 = np.arange(1.0, 37.0).reshape(6, 2, 3)      # ConvTranspose1d(6, 4, 3, groups=2)
    direct = convlib.direct_weight(w64, groups=2)     # Conv1d(6, 4, 3, groups=2): (4, 3, 3)
    place = next((row, column) for row, column in np.ndindex(direct.shape[:2])
                 if np.array_equal(direct[row, column], w64[5, 0, ::-1]))
    return Worked(place,
                  f"groups=2 puts inputs 0-2 and outputs 0-1 in group 0, inputs 3-5 and outputs "
                  f"2-3 in group 1. Input 5 is input 5 - 3 = 2 of group 1, output 2 is output "
                  f"2 - 2 = 0 of group 1. The equivalent Conv1d's weight (4, 3, 3) is indexed "
                  f"[output, input within the group], so the flipped kernel sits at row 2, "
                  f"column 2: {place}.")


def grouped_cases(rng):
    """(in_channels, out_channels, groups, input size, kernel size, stride), small first."""
    shapes = [(2, 2, 2, (1, 2), (1, 2), 1), (2, 2, 1, (1, 2), (1, 2), 1),
              (4, 2, 2, (2, 2), (2, 2), 1), (4, 6, 2, (2, 2), (3, 3), 2),
              (6, 6, 3, (2, 3), (2, 3), 1), (3, 3, 3, (2, 2), (3, 2), 2),
              (4, 8, 4, (2, 2), (2, 2), 2)]
    return [(torch.tensor(rng.integers(-3, 4, (c_in, *size)), dtype=torch.float64),
             torch.tensor(rng.integers(-3, 4, (c_in, c_out // groups, *k)), dtype=torch.float64),
             groups, stride) for c_in, c_out, groups, size, k, stride in shapes]


def grouped_conv_transpose2d(x, w, groups, stride):
    """Group g takes its n = C_in / groups input channels and their rows of the weight,
    w[g*n:(g+1)*n], to its own C_out / groups output channels; the groups' outputs are stacked
    along the channels in group order."""
    n = x.shape[0] // groups
    return torch.cat([F.conv_transpose2d(x[g * n:(g + 1) * n], w[g * n:(g + 1) * n],
                                         stride=stride) for g in range(groups)])


def grouped_conv_transpose2d_plain(x, w, groups, stride):
    """Input channel c belongs to group g = c // n, n = C_in / groups, and reaches only that
    group's m = C_out / groups output channels, g*m .. g*m + m - 1, through w[c][j]: x[c][a][b]
    adds x[c][a][b] * w[c][j][r][q] at (stride*a + r, stride*b + q) of output channel g*m + j."""
    from itertools import product

    n, m = len(x) // groups, len(w[0])
    height, width, kh, kw = len(x[0]), len(x[0][0]), len(w[0][0]), len(w[0][0][0])
    rows, columns = (height - 1) * stride + kh, (width - 1) * stride + kw
    out = [[[0] * columns for _ in range(rows)] for _ in range(groups * m)]
    for c, j, a, b, r, q in product(range(len(x)), range(m), range(height), range(width),
                                    range(kh), range(kw)):
        out[c // n * m + j][stride * a + r][stride * b + q] += x[c][a][b] * w[c][j][r][q]
    return out


@implement("05.5", cases=grouped_cases, solution=grouped_conv_transpose2d,
           plain=grouped_conv_transpose2d_plain,
           plain_hint="input channel c belongs to group c // n (n = C_in / groups) and reaches "
                      "only that group's C_out / groups output channels, through w[c][j]: it "
                      "stamps x[c][a][b] * w[c][j] at (stride*a, stride*b) of its group's "
                      "output channel j",
           hint="slice the input channels and the weight's first axis into `groups` equal "
                "parts, run F.conv_transpose2d (without groups=) on each pair, and torch.cat "
                "the results along the channels")
def grouped_reference(x, w, groups, stride):
    return convlib.conv_transpose_scatter(x, w, stride=stride, groups=groups)

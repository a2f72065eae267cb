"""Answers to the exercises of chapter 07 (notebooks/07_gradient.ipynb)."""
import numpy as np
import torch
import torch.nn.functional as F

import convlib
from convlib.exercises import Worked, answer, implement, per_axis


@answer("07.1", accepts=per_axis(2),
        hint="compute the convolution's output size o, then the transposed output size of o "
             "without output_padding")
def output_padding_for_7():
    o = convlib.conv_output_size(7, 3, stride=2, padding=1)
    back = convlib.conv_transpose_output_size(o, 3, stride=2, padding=1)
    return Worked(7 - back,
                  f"The convolution maps 7 to floor((7 + 2*1 - 3) / 2) + 1 = {o}. The transposed "
                  f"convolution of {o} gives ({o}-1)*2 - 2*1 + 3 = {back} already, so "
                  f"output_padding = 7 - {back} = {7 - back}. (An 8x8 input would need 1: 7 and "
                  f"8 both give {o}.)")


@answer("07.2", hint="output (a, b) reads input row 2a + r - 1 with kernel row r, and the same "
                     "for columns: find the taps that read row 1 and those that read column 2")
def gradient_at_1_2():
    w = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    gradient = convlib.conv_transpose_scatter(np.ones((1, 1, 2, 2)), w, stride=2, padding=1,
                                              output_padding=1)[0, 0]
    rows = [(a, r) for a in range(2) for r in range(3) if 2 * a + r - 1 == 1]
    columns = [(b, c) for b in range(2) for c in range(3) if 2 * b + c - 1 == 2]
    taps = [(r, c) for _, r in rows for _, c in columns]
    terms = " + ".join(f"w[{r}, {c}]" for r, c in taps)
    values = " + ".join(f"{int(w[0, 0, r, c])}" for r, c in taps)
    return Worked(gradient[1, 2],
                  f"Every output's gradient is 1, so the entry's gradient is the sum of the kernel "
                  f"entries that read it. Input row 1 is read by the outputs and kernel rows "
                  f"(a, r) = {rows}; column 2 by (b, c) = {columns}. So {terms} = {values} = "
                  f"{int(gradient[1, 2])}.")


@answer("07.3", hint="rows: one per output value (channels x positions); columns: one per "
                     "input value")
def shape_of_c():
    side = convlib.conv_output_size(5, 3, stride=2, padding=1)
    shape = tuple(convlib.conv_matrix(np.ones((3, 2, 3, 3)), (2, 5, 5), stride=2,
                                      padding=1).shape)
    return Worked(shape,
                  f"One row per output value, one column per input value. Each side of the "
                  f"output: floor((5 + 2*1 - 3) / 2) + 1 = {side}, so 3*{side}*{side} = "
                  f"{shape[0]} rows; the input has 2*5*5 = {shape[1]} columns: {shape}.")


def gradient_cases(rng):
    """(C_in, C_out, groups, input size, kernel_size, stride, padding, dilation), small first;
    g has the convolution's output shape."""
    layers = [(1, 1, 1, (3, 3), 2, 1, 0, 1), (1, 1, 1, (4, 4), 2, 2, 0, 1),
              (1, 1, 1, (4, 4), 3, 2, 1, 1), (1, 1, 1, (5, 4), 2, 1, 0, 2),
              (2, 3, 1, (5, 5), 3, 2, 1, 1), (4, 2, 2, (6, 5), 3, 2, 1, 2),
              (3, 6, 3, (7, 6), 2, 3, 0, 1)]
    cases = []
    for c_in, c_out, groups, size, k, s, p, d in layers:
        out = convlib.conv_output_size(size, (k, k), stride=s, padding=p, dilation=d)
        g = torch.tensor(rng.integers(-3, 4, (1, c_out, *out)), dtype=torch.float64)
        w = torch.tensor(rng.integers(-3, 4, (c_out, c_in // groups, k, k)), dtype=torch.float64)
        cases.append((g, w, size, s, p, d, groups))
    return cases


def input_gradient(g, w, input_size, stride, padding, dilation, groups):
    """z.grad = C.T @ g: the transposed convolution of g with the same w, stride, padding,
    dilation and groups, passed by keyword (the third positional parameter of conv_transpose2d
    is bias), plus the output_padding that gives back input_size: the input size minus the size
    the transposed convolution gives without it."""
    smallest = [(o - 1) * stride - 2 * padding + dilation * (k - 1) + 1
                for o, k in zip(g.shape[2:], w.shape[2:])]
    output_padding = tuple(i - n for i, n in zip(input_size, smallest))
    return F.conv_transpose2d(g, w, stride=stride, padding=padding, output_padding=output_padding,
                              dilation=dilation, groups=groups)


def input_gradient_plain(g, w, input_size, stride, padding, dilation, groups):
    """Output (o, y, x) of the convolution read input channel k*n + j (k = o // (C_out /
    groups) its group, n = C_in / groups) at row y*stride - padding + dilation*r and column
    x*stride - padding + dilation*q through the tap w[o][j][r][q]. z.grad gets back, at each
    place an output read, g[0][o][y][x] times that tap; a place in the padding is no input."""
    from itertools import product

    out_per_group, n = len(w) // groups, len(w[0])
    grad = [[[0] * input_size[1] for _ in range(input_size[0])] for _ in range(n * groups)]
    for o, y, x, j, r, q in product(range(len(w)), range(len(g[0][0])), range(len(g[0][0][0])),
                                    range(n), range(len(w[0][0])), range(len(w[0][0][0]))):
        row = y * stride - padding + dilation * r
        column = x * stride - padding + dilation * q
        if 0 <= row < input_size[0] and 0 <= column < input_size[1]:
            grad[o // out_per_group * n + j][row][column] += g[0][o][y][x] * w[o][j][r][q]
    return [grad]


@implement("07.4", cases=gradient_cases, solution=input_gradient, plain=input_gradient_plain,
           plain_hint="send g back the way the convolution read: output (o, y, x) read row "
                      "y*stride - padding + dilation*r and column x*stride - padding + "
                      "dilation*q of an input channel of o's group through the tap "
                      "w[o][j][r][q]; add g there times that tap, and skip places in the padding",
           hint="z.grad is conv_transpose2d(g, w, ...) with the convolution's stride, padding, "
                "dilation and groups, by keyword, and output_padding = input size minus the size "
                "it gives without output_padding")
def gradient_reference(g, w, input_size, stride, padding, dilation, groups):
    z = torch.zeros(1, w.shape[1] * groups, *input_size, dtype=g.dtype, requires_grad=True)
    y = F.conv2d(z, w, stride=stride, padding=padding, dilation=dilation, groups=groups)
    (y * g).sum().backward()
    return z.grad

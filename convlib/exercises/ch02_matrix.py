"""Answers to the exercises of chapter 02 (notebooks/02_matrix.ipynb)."""
import numpy as np
import torch

import convlib
from convlib.exercises import Worked, answer, flat, implement

ONES = np.ones((1, 1, 3, 3))   # a 3x3 kernel of ones: C's non-zeros are exactly its connections


@answer("02.1", hint="one row per output entry, one column per input entry")
def shape_of_c_stride_2():
    side = convlib.conv_output_size(5, 3, stride=2)
    shape = tuple(convlib.conv_matrix(ONES, (1, 5, 5), stride=2).shape)
    return Worked(shape,
                  f"C has one row per output value and one column per input value. Each side of "
                  f"the output has floor((5 - 3) / 2) + 1 = {side} entries, so {side}*{side} = "
                  f"{shape[0]} rows; the input has 5*5 = {shape[1]} columns: {shape}.")


@answer("02.2", hint="output (a, b) reads rows a..a+2 and columns b..b+2; count the outputs "
                     "whose window holds row 2 and column 3 (or the non-zeros in column 11 of C)")
def outputs_fed_by_entry_11():
    column = convlib.conv_matrix(ONES, (1, 4, 4))[:, 2 * 4 + 3]
    fed = [row for row in range(4) if column[row] != 0]
    return Worked(len(fed),
                  f"Output (a, b), a and b in 0..1, reads input rows a..a+2 and columns b..b+2. "
                  f"Row 2 lies in both row ranges (a = 0 and a = 1); column 3 only in columns "
                  f"1..3 (b = 1). So the outputs {[divmod(r, 2) for r in fed]} read it: "
                  f"{len(fed)}, the non-zeros of column 11 of C.")


@answer("02.3", accepts=flat,   # C.T @ ones as it comes (25 values) or reshaped to 5x5
        hint="dL/d(output) is 1 for each of the 4 outputs: multiply ones by C.T and reshape to "
             "5x5")
def gradient_of_the_sum_stride_2():
    C = convlib.conv_matrix(ONES, (1, 5, 5), stride=2)
    gradient = (C.T @ np.ones(C.shape[0])).reshape(5, 5)
    return Worked(gradient,
                  f"dL/d(output) is 1 for each output, so the gradient is C.T @ ones: every input "
                  f"entry receives the number of windows it lies in. The windows start at rows 0 "
                  f"and 2 and columns 0 and 2, 3 wide: row 2 and column 2 lie in both, the others "
                  f"in one. So the centre gets 2*2 = {int(gradient[2, 2])}, the rest of row 2 "
                  f"and column 2 get {int(gradient[2, 0])}, every other entry "
                  f"{int(gradient[0, 0])}.")


@answer("02.4", accepts=flat,   # the call's (1, 1, 4, 4) result, or C.T @ v's 16 values
        hint="look up which operation the section 'C.T maps 4 values to 16' says C.T computes; "
             "it takes the same kernel k")
def transposed_of_v():
    k = torch.arange(1.0, 10.0).view(1, 1, 3, 3)
    v = torch.tensor([[[[1.0, 0.0], [0.0, 2.0]]]])
    C = convlib.conv_matrix(k, (1, 4, 4))
    result = (C.T @ v.ravel()).view(1, 1, 4, 4)
    return Worked(result,
                  f"C.T @ v is the transposed convolution of v with the same kernel: "
                  f"F.conv_transpose2d(v, k). v[0, 0] = 1 stamps k at the top left (rows and "
                  f"columns 0..2), v[1, 1] = 2 stamps 2*k at the bottom right (1..3); where they "
                  f"overlap they add, e.g. entry (1, 1) = 1*5 + 2*1 = {int(result[0, 0, 1, 1])}.")


def matrix_cases(rng):
    """Kernels of small integers; input sizes, stride and padding from easy to harder."""
    return [(rng.integers(-3, 4, k), n, stride, padding) for k, n, stride, padding in
            [(2, 3, 1, 0), (3, 5, 1, 0), (3, 7, 2, 0), (3, 4, 1, 1), (4, 9, 3, 1), (3, 6, 2, 2)]]


def conv_matrix_1d(w, input_size, stride, padding):
    """Row o of C is output o's window: w[k] goes to column stride*o + k - padding, unless that
    column is a padding zero (outside 0 .. input_size-1)."""
    outputs = (input_size + 2 * padding - len(w)) // stride + 1
    C = [[0] * input_size for _ in range(outputs)]
    for o in range(outputs):
        for k in range(len(w)):
            column = stride * o + k - padding
            if 0 <= column < input_size:
                C[o][column] = w[k]
    return C


@implement("02.5", cases=matrix_cases, solution=conv_matrix_1d, plain=conv_matrix_1d,
           hint="C has one row per output (chapter 01's conv_output_size) and input_size "
                "columns; row o holds w[k] in column stride*o + k - padding, and a tap whose "
                "column falls outside 0 .. input_size-1 lands on a padding zero: leave it out")
def conv_matrix_reference(w, input_size, stride, padding):
    return convlib.conv_matrix(w[None, None], (1, input_size), stride=stride, padding=padding)

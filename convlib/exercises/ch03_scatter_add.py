"""Answers to the exercises of chapter 03 (notebooks/03_scatter_add.ipynb)."""
import numpy as np

import convlib
from convlib.exercises import Worked, answer, implement, per_axis

NEW_INPUT = np.array([[[[1.0, 3.0], [2.0, 1.0]]]])     # a new input for the chapter's kernel K
SMALL_KERNEL = np.array([[[[3.0, 1.0], [1.0, 5.0]]]])
ONES = np.ones((1, 1, 4, 4))                            # the learner's 4x4 image of ones


def stamps_covering(position, stride, kernel_size, inputs=4):
    """The inputs i whose stamp, at stride*i .. stride*i + kernel_size - 1, covers `position`."""
    return [i for i in range(inputs) if stride * i <= position < stride * i + kernel_size]


@answer("03.1", hint="all four stamps cover the centre; each brings one kernel tap times its "
                     "input value")
def centre_of_new_input():
    centre = convlib.explain(NEW_INPUT, SMALL_KERNEL, (0, 0, 1, 1))
    taps = ", ".join(f"x{list(t.input_index[2:])} with tap {list(t.weight_index[2:])}"
                     for t in centre.terms)
    return Worked(centre.value,
                  f"Input (a, b) stamps the kernel at (a, b), so entry (1, 1) gets tap (1 - a, "
                  f"1 - b) of every stamp: {taps}. {centre.equation}.")


@answer("03.2", hint="output (3, 4) is canvas (4, 5); count along each axis the stamps, 2 apart "
                     "and 5 wide, that cover it, and multiply")
def stamps_at_3_4_kernel_5():
    weight = np.arange(1.0, 26.0).reshape(1, 1, 5, 5)
    count = len(convlib.explain(ONES, weight, (0, 0, 3, 4), stride=2, padding=1).terms)
    rows, columns = stamps_covering(4, 2, 5), stamps_covering(5, 2, 5)
    return Worked(count,
                  f"padding=1 shifts by one: output (3, 4) is canvas (4, 5). The stamps start at "
                  f"0, 2, 4, 6 along each axis and are 5 wide. Canvas row 4 lies in the stamps of "
                  f"input rows {rows}, canvas column 5 in those of input columns {columns}: "
                  f"{len(rows)}*{len(columns)} = {count} stamps. Uneven overlap: kernel_size=5 "
                  f"is not a multiple of stride=2.")


@answer("03.3", hint="padding shifts outputs on the canvas: find the canvas position of output "
                     "(7, 7) and where the one stamp that reaches it starts (an input's stamp "
                     "starts at stride times its position); the tap is the difference")
def corner_tap():
    weight = np.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    term, = convlib.explain(ONES, weight, (0, 0, 7, 7), stride=2, padding=1).terms
    tap = term.weight_index[2:]
    return Worked(tap,
                  f"padding=1 shifts by one: output (7, 7) is canvas (8, 8). The last stamp, of "
                  f"input {term.input_index[2:]}, starts at (6, 6) and covers 6..9, so canvas 8 "
                  f"is its tap 8 - 6 = {tap[0]} along each axis: {tap}. The stamp before it "
                  f"starts at 4 and ends at 7.")


@answer("03.4", hint="the canvas is (i-1)*stride + kernel_size wide; padding crops it at both "
                     "ends", accepts=per_axis(2))
def size_with_stride_3():
    size = convlib.conv_transpose_scatter(ONES, np.ones((1, 1, 4, 4)), stride=3,
                                          padding=1).shape[-1]
    canvas = (4 - 1) * 3 + 4
    return Worked(size,
                  f"The stamps are 3 apart: the last starts at (4-1)*3 = 9 and is 4 wide, so the "
                  f"canvas is (4-1)*3 + 4 = {canvas} wide; padding=1 crops one at each end: "
                  f"{canvas} - 2 = {size}, so {size}x{size}.")


def scatter_cases(rng):
    """1-D inputs and kernels of small integers; stride and padding from easy to harder."""
    cases = []
    for n, k, stride, padding in [(2, 2, 1, 0), (3, 2, 1, 0), (2, 3, 2, 0), (4, 3, 2, 1),
                                  (3, 4, 3, 1), (5, 5, 2, 2), (4, 2, 3, 0)]:
        cases.append((rng.integers(-3, 4, n), rng.integers(-3, 4, k), stride, padding))
    return cases


def scatter_add_1d(x, w, stride, padding):
    """x[i] adds x[i] * w to a canvas of zeros from position stride*i on; `padding` entries are
    cropped from each end of the canvas at the end."""
    canvas = np.zeros((len(x) - 1) * stride + len(w))
    for i in range(len(x)):
        canvas[stride * i:stride * i + len(w)] += x[i] * w
    return canvas[padding:len(canvas) - padding]


def scatter_add_1d_plain(x, w, stride, padding):
    """x[i] adds x[i] * w[k] to entry stride*i + k of a canvas of (len(x)-1)*stride + len(w)
    zeros; `padding` entries are cropped from each end of the canvas at the end."""
    canvas = [0] * ((len(x) - 1) * stride + len(w))
    for i in range(len(x)):
        for k in range(len(w)):
            canvas[stride * i + k] += x[i] * w[k]
    return canvas[padding:len(canvas) - padding]


@implement("03.5", cases=scatter_cases, solution=scatter_add_1d, plain=scatter_add_1d_plain,
           hint="start from a canvas of zeros of length (len(x)-1)*stride + len(w); x[i] adds "
                "x[i] * w to it from position stride*i on; at the end drop `padding` entries "
                "from each end")
def scatter_reference(x, w, stride, padding):
    return convlib.conv_transpose_scatter(x[None, None], w[None, None], stride=stride,
                                          padding=padding)[0, 0]

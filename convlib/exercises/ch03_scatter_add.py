"""Answers to the exercises of chapter 03 (notebooks/03_scatter_add.ipynb)."""
import numpy as np

import convlib
from convlib.exercises import answer, implement

SMALL_INPUT = np.array([[[[2.0, 4.0], [0.0, 1.0]]]])   # the chapter's X and K
SMALL_KERNEL = np.array([[[[3.0, 1.0], [1.0, 5.0]]]])
ONES = np.ones((1, 1, 4, 4))                            # the learner's layer: weights 1..16
WEIGHT = np.arange(1.0, 17.0).reshape(1, 1, 4, 4)


@answer("03.1", hint="all four stamps cover the centre; each brings one kernel tap times its "
                     "input value")
def centre_of_small_example():
    return convlib.explain(SMALL_INPUT, SMALL_KERNEL, (0, 0, 1, 1)).value


@answer("03.2", hint="away from the border, stamps 2 apart and 4 wide overlap twice along each "
                     "axis")
def stamps_at_3_4():
    return len(convlib.explain(ONES, WEIGHT, (0, 0, 3, 4), stride=2, padding=1).terms)


@answer("03.3", hint="output (7, 7) is canvas (8, 8); the last stamp starts at (6, 6)")
def corner_tap():
    corner = convlib.explain(ONES, WEIGHT, (0, 0, 7, 7), stride=2, padding=1)
    return corner.terms[0].weight_index[2:]


@answer("03.4", hint="nothing is cropped: the output is the whole canvas")
def size_without_padding():
    return convlib.conv_transpose_scatter(ONES, WEIGHT, stride=2, padding=0).shape[-1]


def scatter_cases(rng):
    """1-D inputs and kernels of small integers; stride and padding from easy to harder."""
    cases = []
    for n, k, stride, padding in [(3, 2, 1, 0), (2, 3, 2, 0), (4, 3, 2, 1), (3, 4, 3, 1),
                                  (5, 5, 2, 2), (4, 2, 3, 0)]:
        cases.append((rng.integers(-3, 4, n), rng.integers(-3, 4, k), stride, padding))
    return cases


@implement("03.5", cases=scatter_cases,
           hint="start from a canvas of zeros of length (len(x)-1)*stride + len(w); x[i] adds "
                "x[i] * w to it from position stride*i on; at the end drop `padding` entries "
                "from each end")
def scatter_add_1d(x, w, stride, padding):
    return convlib.conv_transpose_scatter(x[None, None], w[None, None], stride=stride,
                                          padding=padding)[0, 0]

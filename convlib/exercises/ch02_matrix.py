"""Answers to the exercises of chapter 02 (notebooks/02_matrix.ipynb)."""
import numpy as np
import torch

import convlib
from convlib.exercises import answer, implement


def learners_kernel():
    """The chapter's w: torch.manual_seed(0); torch.rand(3, 3), without touching the global seed."""
    return torch.rand(3, 3, generator=torch.Generator().manual_seed(0)).view(1, 1, 3, 3)


@answer("02.1", hint="one row per output entry, one column per input entry")
def shape_of_c_stride_2():
    return tuple(convlib.conv_matrix(np.ones((1, 1, 3, 3)), (1, 5, 5), stride=2).shape)


@answer("02.2", hint="count the non-zero entries in column 5 of C")
def outputs_fed_by_x11():
    return int((convlib.conv_matrix(learners_kernel(), (1, 4, 4))[:, 5] != 0).sum())


@answer("02.3", hint="dL/dy is 3 everywhere; multiply it by C.T and reshape")
def gradient_of_three_sums():
    C = convlib.conv_matrix(learners_kernel(), (1, 4, 4))
    return (C.T @ torch.full((4,), 3.0)).view(4, 4)


@answer("02.4", hint="look up which operation the section 'C.T maps 4 values to 16' says C.T "
                     "computes; it takes the same weight w1")
def transposed_of_v():
    C = convlib.conv_matrix(learners_kernel(), (1, 4, 4))
    return (C.T @ torch.tensor([1.0, 0.0, 0.0, 2.0])).view(1, 1, 4, 4)


def matrix_cases(rng):
    """Kernels of small integers; input sizes, stride and padding from easy to harder."""
    return [(rng.integers(-3, 4, k), n, stride, padding) for k, n, stride, padding in
            [(3, 5, 1, 0), (2, 4, 1, 0), (3, 7, 2, 0), (3, 4, 1, 1), (4, 9, 3, 1), (3, 6, 2, 2)]]


@implement("02.5", cases=matrix_cases,
           hint="C has one row per output (chapter 01's conv_output_size) and input_size "
                "columns; row o holds w[k] in column stride*o + k - padding, and a tap whose "
                "column falls outside 0 .. input_size-1 lands on a padding zero: leave it out")
def conv_matrix_1d(w, input_size, stride, padding):
    return convlib.conv_matrix(w[None, None], (1, input_size), stride=stride, padding=padding)

"""Answers to the exercises of chapter 08 (notebooks/08_in_practice.ipynb)."""
import numpy as np
import torch

import convlib
from convlib.exercises import answer
from convlib.upsample import bilinear_kernel


@answer("08.1", hint="the stamps are kernel_size wide and stride apart: they tile evenly when "
                     "stride divides kernel_size")
def even_overlap_for_stride_3():
    def inner_counts(k):
        counts = convlib.conv_transpose_scatter(np.ones((1, 12)), np.ones((1, 1, k)), stride=3)
        return set(counts[0, k:-k])
    return next(k for k in range(4, 8) if len(inner_counts(k)) == 1)


@answer("08.2", hint="only one input pixel reaches it, through one tap in each direction: "
                     "0.75 along rows, 0.75 along columns")
def tent_corner():
    tent = bilinear_kernel(4, 2)[None, None]
    return convlib.conv_transpose_scatter(np.ones((1, 1, 3, 3)), tent, stride=2, padding=1)[
        0, 0, 0, 0]


@answer("08.3", hint="output o = 2*i + k - 1: find the taps k that reach an odd o along each "
                     "axis, then add the kernel entries at those (row, column) pairs")
def odd_phase_of_new_kernel():
    # the chapter's kernel: torch.manual_seed(1); torch.randint(1, 10, (1, 1, 3, 3)), seeded locally
    kernel = torch.randint(1, 10, (1, 1, 3, 3), generator=torch.Generator().manual_seed(1))
    flat = convlib.conv_transpose_scatter(torch.ones(1, 1, 8, 8), kernel.float(), stride=2,
                                          padding=1, output_padding=1)
    return flat[0, 0, 5, 5]

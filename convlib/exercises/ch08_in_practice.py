"""Answers to the exercises of chapter 08 (notebooks/08_in_practice.ipynb)."""
import numpy as np
import torch

import convlib
from convlib.exercises import Worked, answer, implement
from convlib.upsample import bilinear_kernel


def inner_counts(kernel_size, stride=3):
    """The numbers of stamps that reach the outputs away from the border."""
    counts = convlib.conv_transpose_scatter(np.ones((1, 12)), np.ones((1, 1, kernel_size)),
                                            stride=stride)
    return sorted(set(counts[0, kernel_size:-kernel_size].astype(int).tolist()))


@answer("08.1", hint="the stamps are kernel_size wide and stride apart: they tile evenly when "
                     "stride divides kernel_size")
def even_overlap_for_stride_3():
    counts = {k: inner_counts(k) for k in range(4, 8)}
    even = next(k for k, c in counts.items() if len(c) == 1)
    listed = ", ".join(f"kernel_size={k}: {c}" for k, c in counts.items())
    return Worked(even,
                  f"Stamps 3 apart and k wide cover a pixel k // 3 or k // 3 + 1 times, the same "
                  f"number everywhere only when 3 divides k. The counts away from the border: "
                  f"{listed}. So kernel_size={even}.")


@answer("08.2", hint="output o = 2*i + k - 1: find the two inputs and taps that reach row 1 "
                     "(and column 1), then add the four products")
def tent_at_1_1():
    picture = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    tent = bilinear_kernel(4, 2, dims=1)
    value = convlib.conv_transpose_scatter(picture, bilinear_kernel(4, 2)[None, None], stride=2,
                                           padding=1)[0, 0, 1, 1]
    near, far = tent[2], tent[0]       # row 1 = 2*0 + 2 - 1 = 2*1 + 0 - 1
    terms = [(near * near, 1), (near * far, 2), (far * near, 4), (far * far, 5)]
    return Worked(value,
                  f"Output row 1 = 2*i + k - 1 gets input row 0 through tap 2 ({near}) and input "
                  f"row 1 through tap 0 ({far}); the same for column 1. So pixel (1, 1) = "
                  f"{near}*{near}*1 + {near}*{far}*2 + {far}*{near}*4 + {far}*{far}*5 = "
                  f"{sum(a * b for a, b in terms):g}: bilinear interpolation a quarter of the way "
                  f"from input (0, 0) towards input (1, 1).")


@answer("08.3", hint="output o = 2*i + k - 1: find the taps k that reach an odd o along each "
                     "axis, then add the kernel entries at those (row, column) pairs")
def odd_phase_of_new_kernel():
    # the exercise's kernel: torch.manual_seed(1); torch.randint(1, 10, (1, 1, 3, 3)), seeded here
    kernel = torch.randint(1, 10, (1, 1, 3, 3), generator=torch.Generator().manual_seed(1))
    flat = convlib.conv_transpose_scatter(torch.ones(1, 1, 8, 8), kernel.float(), stride=2,
                                          padding=1, output_padding=1)
    corners = [int(kernel[0, 0, r, c]) for r in (0, 2) for c in (0, 2)]
    return Worked(flat[0, 0, 5, 5],
                  f"Output o = 2*i + k - 1 is odd when k is even: taps 0 and 2 along each axis. "
                  f"So an odd-odd pixel gets the four corners of the kernel: "
                  f"{' + '.join(map(str, corners))} = {sum(corners)}.")


def tent_cases(rng):
    """(kernel_size, stride): the smallest first, even and odd sizes, x1 to x4, and (6, 2),
    wider than 2 * stride, whose end taps are clipped to 0."""
    return [(2, 1), (4, 2), (3, 2), (6, 2), (5, 3), (6, 3), (8, 4), (7, 4)]


def tent(kernel_size, stride):
    """The 1-D tent is 1 at its centre, (kernel_size - 1) / 2 (between the two middle taps when
    kernel_size is even), and falls by 1/stride per tap down to 0: t[k] = max(0, 1 - |k -
    centre| / stride). The 2-D kernel is the tent along the rows times the tent along the
    columns."""
    t = np.maximum(0, 1 - np.abs(np.arange(kernel_size) - (kernel_size - 1) / 2) / stride)
    return np.outer(t, t)


def tent_plain(kernel_size, stride):
    """The 1-D tent is 1 at its centre, (kernel_size - 1) / 2 (between the two middle taps when
    kernel_size is even), and falls by 1/stride per tap down to 0: t[k] = max(0, 1 - |k -
    centre| / stride). The 2-D kernel is the tent along the rows times the tent along the
    columns: w[a][b] = t[a] * t[b]."""
    centre = (kernel_size - 1) / 2
    t = [max(0, 1 - abs(k - centre) / stride) for k in range(kernel_size)]
    return [[a * b for b in t] for a in t]


@implement("08.4", cases=tent_cases, solution=tent, plain=tent_plain,
           hint="build the 1-D tent first: how far is each tap from the centre, how much has "
                "the tent fallen that far out, and where does a tent stop falling? Then "
                "combine the row tent and the column tent as the task says")
def tent_reference(kernel_size, stride):
    return bilinear_kernel(kernel_size, stride)

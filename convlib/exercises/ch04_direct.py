"""Answers to the exercises of chapter 04 (notebooks/04_direct.ipynb)."""
import numpy as np
import torch
import torch.nn.functional as F

import convlib
from convlib.exercises import Worked, answer, implement, per_axis
from convlib.grading.properties import gives_target

SIGNAL = np.array([[[2, 1, 1, 3]]])   # the third learner's signal and kernel
KERNEL = np.array([[[1, 1, 5]]])
NEW_KERNEL = np.array([[[1, 2, 3]]])  # exercise 2's kernel


def dots(padded, kernel):
    """'0*5 + 2*1 + 1*1 = 3' for every window of `padded` under `kernel`."""
    k = len(kernel)
    return [" + ".join(f"{a}*{b}" for a, b in zip(padded[o:o + k], kernel))
            + f" = {int(padded[o:o + k] @ kernel)}" for o in range(len(padded) - k + 1)]


@answer("04.1", hint="the usual slips: did you flip the kernel? is the pad on each side "
                     "`padding` itself?")
def padding_1():
    result = convlib.conv_transpose_direct(SIGNAL, KERNEL, padding=1).ravel().tolist()
    padded = convlib.direct_input(SIGNAL, KERNEL, padding=1).ravel()
    flipped = convlib.direct_weight(KERNEL).ravel()
    return Worked(result,
                  f"With stride 1 nothing is inserted; the padded signal is {padded.tolist()} and "
                  f"the flipped kernel {flipped.tolist()}. Its windows: "
                  f"{'; '.join(dots(padded, flipped))}. So {result}.")


def target():
    """What conv_transpose1d(signal, [1, 2, 3], padding=2) returns: exercise 2's target."""
    return F.conv_transpose1d(torch.tensor(SIGNAL), torch.tensor(NEW_KERNEL),
                              padding=2).ravel().tolist()


@answer("04.2", accepts=gives_target(SIGNAL.ravel().tolist(), target()),
        hint="conv1d does not flip: write the two outputs as the dot products of the windows "
             "[2, 1, 1] and [1, 1, 3] with an unknown kernel, or use the direct view's rule")
def kernel_for_conv1d():
    flipped = convlib.direct_weight(NEW_KERNEL).ravel()
    windows = [SIGNAL.ravel()[o:o + 3] for o in range(2)]
    free = np.cross(*windows)          # a kernel that gives [0, 0]: add any multiple of it
    other = flipped + free
    return Worked(flipped.tolist(),
                  f"With padding=2 = 1*(3-1) the direct view adds no zeros: the transposed "
                  f"convolution is conv1d with the flipped kernel {flipped.tolist()}, which gives "
                  f"{target()}. It is not the only answer: two outputs are two equations for "
                  f"three unknowns. The kernel {free.tolist()} gives [0, 0] on both windows, so "
                  f"adding any multiple of it keeps the outputs: {other.tolist()} works too.")


@answer("04.3", hint="which section of the chapter gives the pad before the input, and does "
                     "the stride enter it?")
def zeros_before():
    zeros = convlib.validate_sizes(4, 5, stride=2, padding=1).pad_before[0]
    return Worked(zeros,
                  f"dilation*(kernel_size-1) - padding = 1*(5-1) - 1 = {zeros}. The stride does "
                  f"not enter: it only inserts stride - 1 = 1 zero between neighbouring inputs.")


@answer("04.4", accepts=per_axis(2),
        hint="the inputs with stride - 1 zeros between them, then dilation*(kernel_size-1) - "
             "padding zeros before and that plus output_padding after")
def rows_of_direct_input():
    x, w = np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 4, 4))
    params = dict(stride=3, padding=1, output_padding=2)
    rows = convlib.direct_input(x, w, **params).shape[-1]
    setup = convlib.validate_sizes(3, 4, **params)
    spread = 3 + 2 * 2
    output = convlib.conv_transpose_output_size(3, 4, **params)
    return Worked(rows,
                  f"3 inputs with stride - 1 = 2 zeros between neighbours: 3 + 2*2 = {spread} "
                  f"rows. Then 1*(4-1) - 1 = {setup.pad_before[0]} zeros before and "
                  f"{setup.pad_before[0]} + 2 = {setup.pad_after[0]} after: {spread} + "
                  f"{setup.pad_before[0]} + {setup.pad_after[0]} = {rows}. The 4-row kernel fits "
                  f"{rows} - 4 + 1 = {output} times: the output size.")


def direct_cases(rng):
    """1-D inputs and kernels of small integers, up to a padding larger than kernel_size - 1."""
    return [(rng.integers(-3, 4, n), rng.integers(-3, 4, k), stride, padding)
            for n, k, stride, padding in
            [(2, 2, 1, 0), (4, 3, 1, 0), (3, 2, 2, 0), (4, 3, 2, 1), (3, 4, 3, 2), (5, 3, 1, 2),
             (4, 3, 2, 3)]]


def direct_1d(x, w, stride, padding):
    """Spread x out with stride - 1 zeros between neighbours, pad len(w) - 1 - padding zeros on
    both sides (a negative amount crops instead), then take the dot product of every window of
    len(w) entries with the flipped w."""
    spread = np.zeros((len(x) - 1) * stride + 1)
    spread[::stride] = x
    pad = len(w) - 1 - padding
    padded = np.pad(spread, pad) if pad >= 0 else spread[-pad:len(spread) + pad]
    flipped = w[::-1]
    return np.array([padded[o:o + len(w)] @ flipped for o in range(len(padded) - len(w) + 1)])


def direct_1d_plain(x, w, stride, padding):
    """Spread x out with stride - 1 zeros between neighbours, pad len(w) - 1 - padding zeros on
    both sides (a negative amount crops instead), then take the dot product of every window of
    len(w) entries with the flipped w."""
    spread = [0] * ((len(x) - 1) * stride + 1)
    spread[::stride] = x
    pad = len(w) - 1 - padding
    padded = [0] * pad + spread + [0] * pad if pad >= 0 else spread[-pad:len(spread) + pad]
    flipped = w[::-1]
    return [sum(a * b for a, b in zip(padded[o:o + len(w)], flipped))
            for o in range(len(padded) - len(w) + 1)]


@implement("04.5", cases=direct_cases, solution=direct_1d, plain=direct_1d_plain,
           plain_hint="three steps over lists: spread x out (stride - 1 zeros between "
                      "neighbours), pad it with len(w)-1-padding zeros on both sides (a negative "
                      "amount means: cut that many entries off instead), then take the dot "
                      "product of every window of len(w) entries with the reversed w, w[::-1]",
           hint="three steps, each a line or two of NumPy: spread x out (a slice with a step), "
                "pad it with len(w)-1-padding zeros on both sides (a negative amount means: cut "
                "that many entries off instead), then take the dot product of every window of "
                "len(w) entries with the flipped w")
def direct_reference(x, w, stride, padding):
    return convlib.conv_transpose_direct(x[None, None], w[None, None], stride=stride,
                                         padding=padding)[0, 0]

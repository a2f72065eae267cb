"""Answers to the exercises of chapter 10 (notebooks/10_upsampling.ipynb)."""
import numpy as np

from convlib.exercises import Worked, answer, implement
from convlib.grading.properties import upsamples_exactly
from convlib.phases import phase_taps
from convlib.upsample import bilinear_kernel, exact_upsampling, pixel_shuffle, subpixel

ROW = [0.2, 0.9, 0.4, 0.1, 0.7, 0.5]   # a row of a picture, to upsample


def upsamples_row(factor, border=False):
    """The rule of 10.1, 10.2 and 13.1: (kernel_size, padding) with which a stride-`factor`
    transposed convolution by the tent bilinear_kernel(kernel_size, factor) upsamples ROW as
    F.interpolate(mode="linear", align_corners=False) does, inside a factor-entry border (2-D
    bilinear interpolation is this along each axis); border=True (chapter 13): the row's edge
    copied once on each side first, and equal everywhere (convlib.grading.properties)."""
    return upsamples_exactly(factor, border, ROW)


def kernel_size_and_padding(factor):
    params = exact_upsampling(factor)
    return params["kernel_size"], params["padding"]


def also_right(factor):
    """The sentence that a tent one tap wider on each side is right too: its new taps are 0, so
    with one more padding it computes the same (both asserted)."""
    k, p = kernel_size_and_padding(factor)
    wider = bilinear_kernel(k + 2, factor, dims=1)
    assert upsamples_row(factor)((k + 2, p + 1), None) and wider[0] == wider[-1] == 0
    return (f"(kernel_size = {k + 2}, padding = {p + 1} computes the same: its tent has a zero at "
            f"each end, so it is right too.)")


@answer("10.1", accepts=upsamples_row(12),
        hint="two conditions from 'The rule for any factor': what must kernel_size - "
             "2*padding equal for an exact factor, and how many taps does the tent of an even "
             "factor span?")
def times_12():
    k, p = kernel_size_and_padding(12)
    return Worked((k, p),
                  f"The size (i-1)*12 - 2*padding + kernel_size is 12*i exactly when kernel_size - "
                  f"2*padding = 12. The tent of an even factor has its centre between two taps and "
                  f"2*12 = {k} taps, so kernel_size = {k} and padding = ({k} - 12) / 2 = {p}. "
                  f"{also_right(12)}")


@answer("10.2", accepts=upsamples_row(9),
        hint="the same two conditions as for x12; for an odd factor, is kernel_size odd or "
             "even, and where does the tent's centre then fall: on a tap or between two?")
def times_9():
    k, p = kernel_size_and_padding(9)
    return Worked((k, p),
                  f"kernel_size - 2*padding = 9 makes kernel_size odd, so the tent's centre falls "
                  f"on a tap and it has 2*9 - 1 = {k} non-zero taps: kernel_size = {k}, padding = "
                  f"({k} - 9) / 2 = {p}. {also_right(9)}")


@answer("10.3", hint="a ConvTranspose2d weight is (in_channels, out_channels / groups, "
                     "kernel_size, kernel_size)")
def grouped_weight_shape():
    k = exact_upsampling(3)["kernel_size"]
    shape = (16, 16 // 16, k, k)
    return Worked(shape,
                  f"x3 uses kernel_size = 2*3 - 1 = {k}, and the weight is (in_channels, "
                  f"out_channels / groups, k, k) = (16, 16/16, {k}, {k}) = {shape}: one tent per "
                  f"channel, to itself.")


@answer("10.4", hint="phase r is the outputs o with (o + padding) mod stride = r, and it "
                     "receives every stride-th tap starting from tap r: which of the taps "
                     "0 .. kernel_size - 1 are those?")
def taps_per_phase():
    taps = [list(phase_taps(r, 5, 2, 1)) for r in (0, 1)]
    plan = subpixel(np.arange(1.0, 6.0)[None, None], input_size=(4,), stride=2, padding=1)
    counts = [len(t) for t in taps]
    # PixelShuffle orders its channels by o mod 2; with padding=1 that is phase 1 first
    assert counts == [int(np.count_nonzero(kernel)) for kernel in plan.weight][::-1]
    return Worked(counts,
                  f"Phase r is the outputs o with (o + 1) mod 2 = r (phase 0 the odd outputs, "
                  f"phase 1 the even ones), and it reads the taps 2*t + r that lie in 0..4: "
                  f"phase 0 the taps {taps[0]}, phase 1 the taps {taps[1]}. So {counts}: uneven, "
                  f"because kernel_size=5 is not a multiple of stride=2 (a 2-D phase uses the "
                  f"product of its row and column counts).")


def shuffle_cases(rng):
    cases = []
    for channels, s, q in [(1, 2, 2), (1, 2, 3), (2, 2, 2), (1, 3, 4), (3, 2, 1), (2, 4, 3)]:
        cases.append((rng.integers(-9, 10, (channels * s, q)), s))
    return cases


def pixel_shuffle_1d(z, s):
    """Row c*s + r of z holds the phase r of channel c: reshape to (C, s, q), put the q axis
    before the s axis, and flatten the last two, so out[c, s*j + r] = z[c*s + r, j]."""
    channels, q = z.shape[0] // s, z.shape[1]
    return z.reshape(channels, s, q).transpose(0, 2, 1).reshape(channels, q * s)


def pixel_shuffle_1d_plain(z, s):
    """Row c*s + r of z holds the phase r of channel c: out[c][s*j + r] = z[c*s + r][j], so
    channel c takes, for each column j in turn, the entries of its s rows there."""
    return [[z[c * s + r][j] for j in range(len(z[0])) for r in range(s)]
            for c in range(len(z) // s)]


@implement("10.5", cases=shuffle_cases, solution=pixel_shuffle_1d, plain=pixel_shuffle_1d_plain,
           plain_hint="how many output rows are there, how long is each, and which entry of z "
                      "does out[c][s*j + r] read? Build each row column j by column j",
           hint="the s rows of one channel are consecutive in z; along the output, the s "
                "entries of one column j become neighbours. Which axes of a reshaped z must "
                "swap before you flatten?")
def pixel_shuffle_reference(z, s):
    return pixel_shuffle(z[None], s)[0]

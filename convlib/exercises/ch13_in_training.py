"""Answers to the exercises of chapter 13 (notebooks/13_in_training.ipynb)."""
import numpy as np

import convlib
from convlib import cost
from convlib.exercises import Worked, answer, implement
from convlib.exercises.ch10_upsampling import upsamples_row
from convlib.initialisation import pytorch_fan_in, transposed_fan_in
from convlib.upsample import exact_upsampling, interpolation


@answer("13.1", accepts=upsamples_row(7, border=True),
        hint="start from chapter 10's tent for an odd factor (its kernel_size and padding), "
             "then ask how many outputs the copied edge adds on each side, for the padding to "
             "crop")
def interpolate_times_7():
    rule, plain = interpolation(7), exact_upsampling(7)
    k, p = rule["kernel_size"], rule["padding"]
    return Worked((k, p),
                  f"The tent of an odd factor has 2*7 - 1 = {k} taps; without the pad it needs "
                  f"padding (7 - 1) / 2 = {plain['padding']} (chapter 10). The copied edge adds "
                  f"one input, 7 outputs, on each side, which the layer crops: padding = "
                  f"{plain['padding']} + 7 = {p}. The size (i + 1)*7 - 2*{p} + {k} = 7*i. "
                  f"(kernel_size = {k + 2}, padding = {p + 1} computes the same: that tent has a "
                  f"zero at each end.)")


@answer("13.2", hint="PyTorch reads weight.size(1) * k * k: which axis of a ConvTranspose2d "
                     "weight is size(1)? For the products: how many taps reach one output "
                     "along each axis, and from how many input channels?")
def fan_ins():
    shape = (128, 64, 6, 6)   # nn.ConvTranspose2d(128, 64, 6, stride=3).weight.shape
    pytorch, products = pytorch_fan_in(shape), int(transposed_fan_in(shape, stride=3))
    return Worked((pytorch, products),
                  f"The weight is (128, 64, 6, 6) and PyTorch's fan_in is weight.size(1) times "
                  f"the kernel's taps: 64 * 36 = {pytorch}. Each output phase receives 6/3 = 2 "
                  f"taps along each axis, 2 * 2 = 4 in all, from each of the 128 input channels: "
                  f"{products} products. The default init divides by {pytorch / products:g} "
                  f"times too many.")


@answer("13.3", hint="the direct view uses every tap at every output position, for every "
                     "pair of an input and an output channel; start from the output length "
                     "(chapter 01)")
def direct_multiply_adds():
    setup = convlib.validate((1, 8, 10), (8, 8, 4), stride=2, padding=1)
    macs, (o,) = cost.multiply_adds(setup, "direct"), setup.output_size
    useful = cost.multiply_adds(setup, "useful")
    return Worked(macs,
                  f"The output has (10 - 1)*2 - 2*1 + 4 = {o} entries; each takes the whole "
                  f"kernel, 4 taps, from each of the 8 input channels, for each of the 8 output "
                  f"channels: 8 * {o} * 8 * 4 = {macs}. Only {useful} of them read a real "
                  f"input; the rest multiply inserted or padding zeros.")


def phase_cases(rng):
    return [(rng.integers(-5, 6, n).astype(float), rng.integers(-5, 6, k).astype(float), s)
            for n, k, s in [(2, 2, 2), (3, 3, 2), (4, 4, 2), (3, 6, 3), (6, 2, 3), (5, 5, 1),
                            (4, 3, 4), (12, 7, 3)]]


def phases_1d(x, w, s):
    """Output o = s*m + r is phase r; it receives tap k = s*t + r of input m - t. So phase r,
    out[r::s], is an ordinary convolution of x with the taps w[r::s]: entry m sums x[m - t] *
    w[s*t + r] over the t with both indices inside their arrays. Nothing is added twice."""
    out = [0] * ((len(x) - 1) * s + len(w))
    for r in range(s):
        taps = w[r::s]
        for m in range(len(out[r::s])):
            out[s * m + r] = sum(x[m - t] * taps[t] for t in range(len(taps))
                                 if 0 <= m - t < len(x))
    return out


@implement("13.4", cases=phase_cases, solution=phases_1d, plain=phases_1d,
           hint="phase r is out[r::s] and uses only the taps w[r::s]: each phase is an "
                "ordinary convolution of x with its taps (flipped, as in chapter 04)")
def phases_reference(x, w, s):
    return convlib.conv_transpose_phases(x[None], w[None, None], stride=s)[0]

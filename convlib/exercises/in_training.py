"""Answers to the exercises of chapter 13 (notebooks/13_in_training.ipynb)."""
import numpy as np

import convlib
from convlib import cost
from convlib.exercises import answer, implement
from convlib.initialisation import pytorch_fan_in, transposed_fan_in
from convlib.upsample import interpolation


@answer("13.1", hint="the size needs kernel_size - 2*padding = 5 (exact_upsampling); the edge "
                     "copied once adds one input, s outputs, on each side: crop them by padding")
def interpolate_times_5():
    rule = interpolation(5)
    return rule["kernel_size"], rule["padding"]


@answer("13.2", hint="PyTorch reads weight.size(1) * k * k; an output of one phase sums "
                     "in_channels * (k / stride)^2 products")
def fan_ins():
    shape = (128, 64, 6, 6)   # nn.ConvTranspose2d(128, 64, 6, stride=3).weight.shape
    return pytorch_fan_in(shape), int(transposed_fan_in(shape, stride=3))


@answer("13.3", hint="the direct view slides the whole kernel over every output position: "
                     "C_out * output length * C_in * kernel_size")
def direct_multiply_adds():
    setup = convlib.validate((1, 8, 10), (8, 8, 4), stride=2, padding=1)
    return cost.multiply_adds(setup, "direct")


def phase_cases(rng):
    return [(rng.integers(-5, 6, n).astype(float), rng.integers(-5, 6, k).astype(float), s)
            for n, k, s in [(4, 4, 2), (5, 3, 2), (3, 6, 3), (6, 2, 3), (4, 5, 1), (3, 3, 4)]]


@implement("13.4", cases=phase_cases,
           hint="out has (len(x) - 1)*s + len(w) entries; phase r is out[r::s], and its entry m "
                "is the sum over t of x[m - t] * w[s*t + r] for every t with both indices inside")
def phases_1d(x, w, s):
    return convlib.conv_transpose_phases(x[None], w[None, None], stride=s)[0]

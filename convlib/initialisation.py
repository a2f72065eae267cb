"""The first step: what a transposed convolution's output looks like at initialisation, and
starts that have no checkerboard (chapter 13, notebooks/13_in_training.ipynb).

PyTorch initialises every _ConvNd, ConvTranspose included, with kaiming_uniform_(a=sqrt(5)):
weights uniform in +-1/sqrt(fan_in), variance 1/(3 fan_in), and the bias uniform in the same
bounds. fan_in comes from torch.nn.init._calculate_fan_in_and_fan_out, which reads
weight.size(1) * prod(k). For a Conv that is C_in/G * prod(k), the products each output sums.
For a ConvTranspose the weight is (C_in, C_out/G, *k), so it reads C_out/G * prod(k), while an
output of phase r sums C_in/G * taps(r) products, taps(r) the taps that land on that phase
(chapter 11): on unit-variance, independent inputs

    Var(out in phase r) = C_in/G * taps(r) * Var(w) + Var(b)

Where the taps(r) differ (kernel_size not divisible by stride) the phases start with different
variances: the checkerboard is there before the first step.
"""
from functools import reduce
from math import prod, sqrt

import numpy as np

from . import shapes


def pytorch_fan_in(weight_shape):
    """torch.nn.init's fan_in of a weight: weight.size(1) * prod(k) (for any layer)."""
    return weight_shape[1] * prod(weight_shape[2:])


def pytorch_default_variances(weight_shape):
    """(Var(w), Var(b)) of PyTorch's default init: uniform in +-1/sqrt(fan_in), 1/(3 fan_in)."""
    return (1 / (3 * pytorch_fan_in(weight_shape)),) * 2


def taps_per_phase(setup):
    """How many taps reach an output o with o mod s = r (away from the border), as an array of
    shape stride indexed by that r, the output's position (convlib.phases numbers the same
    phases by (o + p) mod s): prod over the axes of #{k : (o + p - d*k) mod s == 0}."""
    counts = [[sum((r + p - d * k) % s == 0 for k in range(kernel)) for r in range(s)]
              for kernel, s, p, d in zip(setup.kernel_size, setup.stride, setup.padding,
                                          setup.dilation)]
    return reduce(np.multiply, np.ix_(*counts))


def phase_variances(setup, weight_variance, bias_variance=0.0, input_variance=1.0):
    """Var(out) of the outputs o with o mod s = r (indexed as taps_per_phase), away from the
    border, for independent zero-mean inputs and weights:
    input_variance * C_in/G * taps(r) * weight_variance + bias_variance."""
    terms = setup.in_channels // setup.groups * taps_per_phase(setup)
    return input_variance * terms * weight_variance + bias_variance


def transposed_fan_in(weight_shape, stride=1, groups=1):
    """The products an output of a transposed convolution sums, on average over its phases:
    C_in/G * prod(k) / prod(s) (C_in = weight.size(0)): its true fan-in."""
    k = weight_shape[2:]
    s = shapes.as_tuple(stride, len(k), "stride")
    return weight_shape[0] // shapes.as_int(groups, "groups", 1) * prod(k) / prod(s)


def kaiming_transposed_(weight, stride=1, groups=1, gain=1.0, generator=None):
    """Fill a ConvTranspose weight tensor in place from N(0, gain^2 / transposed_fan_in): the
    output variance is gain^2 times the input's (in every phase when k is divisible by s).
    gain = sqrt(2) before a ReLU (He et al.); nn.init.kaiming_normal_ would divide by
    weight.size(1) * prod(k) (mode='fan_in') or weight.size(0) * prod(k) ('fan_out') instead."""
    import torch

    std = gain / sqrt(transposed_fan_in(tuple(weight.shape), stride, groups))
    with torch.no_grad():
        return weight.normal_(0, std, generator=generator)


def icnr(weight, stride):
    """ICNR (Aitken et al. 2017) for sub-pixel convolution: from a Conv weight v (C, C_in, *j),
    the weight (C * prod(s), C_in, *j) of the Conv before PixelShuffle(s) whose s^d sub-pixel
    channels of each output channel are copies of v. The shuffled output then starts as v's
    output enlarged by nearest-neighbour: every phase the same, no checkerboard."""
    v = np.asarray(weight)
    s = shapes.as_tuple(stride, v.ndim - 2, "stride")
    return np.repeat(v, prod(s), axis=0)  # channel c * prod(s) + r is PixelShuffle's (c, r)


def icnr_transposed(weight, stride):
    """ICNR for a transposed convolution: from a ConvTranspose weight v (C_in, C_out/G, *j), the
    weight (C_in, C_out/G, *(s*j)) with every tap repeated s times along each axis. Tap k = s*t + r
    is v[t] whatever r, so every phase r sums the same x[m - t] * v[t]: the output starts as the
    full convolution of x with v, each value repeated over s x s pixels (with padding (s*j - s)/2
    the size is s * i). Every output sums C_in/G * prod(j) products: scale v for that fan-in."""
    v = np.asarray(weight)
    for axis, s in enumerate(shapes.as_tuple(stride, v.ndim - 2, "stride"), start=2):
        v = np.repeat(v, s, axis=axis)
    return v

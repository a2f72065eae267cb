"""Transposed convolution as scatter-add: every input element stamps its kernel onto a canvas.

Explained in chapter 03 (notebooks/03_scatter_add.ipynb). Input element x[i] adds x[i] * w[k]
to canvas position s*i + d*k for every kernel tap k; the output is the canvas with `padding`
cropped from each side (output_padding extends the end):

    out[o] = sum over (i, k) with o = s*i + d*k - p of x[i] * w[k]
"""
from dataclasses import dataclass
from math import prod

import numpy as np

from . import arrays
from .shapes import canvas_crop, canvas_size  # noqa: F401  (part of the scatter-add story)


def params_of(setup):
    """The spatial arguments of shapes.canvas_size and friends, in order."""
    return (setup.input_size, setup.kernel_size, setup.stride, setup.padding,
            setup.output_padding, setup.dilation)


def tap_slices(tap, setup):
    """Where the taps `tap` of all inputs land on the canvas: d*k + s*i for i = 0 .. I-1."""
    return tuple(slice(d * k, d * k + s * (i - 1) + 1, s)
                 for k, s, d, i in zip(tap, setup.stride, setup.dilation, setup.input_size))


def conv_transpose_scatter(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                           groups=1, dilation=1):
    """Transposed convolution by scatter-add, with torch.nn.functional.conv_transpose{1,2,3}d's
    signature: input (N, C_in, *i) or (C_in, *i), weight (C_in, C_out/groups, *k).

    One matrix product gives x[i] * w[k] for every input i and tap k at once; then, one tap at a
    time, the products for all inputs are added to the canvas at s*i + d*k, and the canvas is
    cropped to [p, p + o) with o = (i-1)s - 2p + d(k-1) + op + 1.
    """
    x, w, setup, finish = arrays.prepare_conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation)
    n, g, k = setup.batch, setup.groups, setup.kernel_size
    c_in, c_out = setup.in_channels // g, setup.out_channels // g
    # (G, taps * C_out/G, C_in/G) @ (G, C_in/G, inputs): products for each tap are contiguous
    w = w.reshape(g, c_in, c_out, prod(k)).transpose(0, 3, 2, 1).reshape(g, -1, c_in)
    canvas = np.zeros((n, g, c_out) + canvas_size(*params_of(setup)), dtype=w.dtype)
    inputs = x.reshape(n, g, c_in, prod(setup.input_size))
    for image, x_n in zip(canvas, inputs):  # one image at a time: its canvas stays in cache
        products = np.matmul(w, x_n).reshape((g, prod(k), c_out) + setup.input_size)
        for t, tap in enumerate(np.ndindex(*k)):
            image[(..., *tap_slices(tap, setup))] += products[:, t]
    return finish(canvas[(..., *canvas_crop(*params_of(setup)))])


@dataclass(frozen=True)
class Stamp:
    """One input element's stamp: canvas[canvas_slices] += contribution."""
    input_index: tuple     # (c_in, *i) into the unbatched input
    value: float           # x[input_index]
    canvas_slices: tuple   # (slice(None), *spatial slices) into the (C_out, *canvas) canvas
    contribution: np.ndarray  # (C_out, *dilated kernel): value * w, taps d apart, 0 off-group


@dataclass(frozen=True)
class Stamps:
    """All stamps of an unbatched input in raster order, the canvas they land on, and the crop.

    canvas = np.zeros(s.canvas_shape); for st in s: canvas[st.canvas_slices] += st.contribution;
    canvas[s.crop] is the transposed convolution without bias.
    """
    stamps: tuple
    canvas_shape: tuple    # (C_out, *canvas_size)
    crop: tuple            # (slice(None), *slice(p, p + o))

    def __iter__(self):
        return iter(self.stamps)

    def __len__(self):
        return len(self.stamps)

    def __getitem__(self, item):
        return self.stamps[item]


def stamps(input, weight, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """The scatter-add step by step for an unbatched input (C_in, *i): one Stamp per element.

    Element x[c, i] lands at canvas[:, s*i : s*i + d(k-1) + 1]; its contribution is
    x[c, i] * w[c] with the taps spread d apart, in the output channels of c's group.
    """
    x, w, setup, _ = arrays.prepare_conv_transpose(
        input, weight, None, stride, padding, output_padding, groups, dilation)
    if setup.batched:
        raise ValueError(f"stamps takes an unbatched input (C_in, *spatial), got input.shape="
                         f"{np.shape(input)}")
    c_out = setup.out_channels // setup.groups
    dilated = tuple(slice(None, None, d) for d in setup.dilation)
    spread = np.zeros((setup.in_channels, setup.out_channels)
                      + tuple(d * (k - 1) + 1 for k, d in zip(setup.kernel_size, setup.dilation)),
                      dtype=w.dtype)
    for c in range(setup.in_channels):  # each input channel reaches the outputs of its group only
        first = c // (setup.in_channels // setup.groups) * c_out
        spread[(c, slice(first, first + c_out), *dilated)] = w[c]
    result = []
    for index in np.ndindex(x.shape[1:]):
        corner = tuple(s * i for s, i in zip(setup.stride, index[1:]))
        result.append(Stamp(index, x[(0, *index)].item(),
                            (slice(None),) + tuple(slice(c, c + n) for c, n in
                                                   zip(corner, spread.shape[2:])),
                            x[(0, *index)] * spread[index[0]]))
    return Stamps(tuple(result), (setup.out_channels,) + canvas_size(*params_of(setup)),
                  (slice(None),) + canvas_crop(*params_of(setup)))

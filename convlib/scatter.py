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


def tap_slices(tap, setup):
    """Where the taps `tap` of all inputs land on the canvas: d*k + s*i for i = 0 .. I-1."""
    return tuple(slice(d * k, d * k + s * (i - 1) + 1, s)
                 for k, s, d, i in zip(tap, setup.stride, setup.dilation, setup.input_size))


def conv_transpose_scatter(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                           groups=1, dilation=1):
    """Transposed convolution by scatter-add, with torch.nn.functional.conv_transpose{1,2,3}d's
    signature: input (N, C_in, *i) or (C_in, *i), weight (C_in, C_out/groups, *k).

    out[o] = sum over (i, k) with o = s*i + d*k - p of x[i] * w[k]  (see scatter_add)
    """
    x, w, setup, finish = arrays.prepare(input, weight, bias, stride, padding, output_padding,
                                         groups, dilation)
    return finish(scatter_add(x, w, setup))


def scatter_add(x, w, setup):
    """The scatter-add for a validated Setup: x (N, C_in, *i), w (C_in, C_out/G, *k).

    One batched matrix product (inputs, C_in) @ (C_in, C_out), for every tap at once, gives
    x[i] * w[k] for every input i and tap k; then, one tap at a time, the products of all inputs
    are added to the canvas at s*i + d*k, and the canvas is cropped to [p, p + o).
    Returns (N, G, C_out/G, *o).
    """
    n, g, k, dims = setup.batch, setup.groups, setup.kernel_size, setup.dims
    c_in, c_out, taps = setup.in_channels // g, setup.out_channels // g, prod(k)
    # channels last, tap first: each tap's products of one image are one contiguous block, and
    # each canvas position one contiguous row of C_out values, so every add runs over long rows
    rows = x.reshape(n, g, c_in, prod(setup.input_size)).transpose(1, 0, 3, 2)
    w = w.reshape(g, c_in, c_out, taps).transpose(0, 3, 1, 2)             # (G, taps, C_in, C_out)
    products = np.matmul(np.ascontiguousarray(rows).reshape(g, 1, -1, c_in), w)  # all at once
    products = products.reshape((g, taps, n) + setup.input_size + (c_out,))
    canvas = np.empty((g,) + setup.canvas_size + (c_out,), dtype=w.dtype)
    out = np.empty((n, g, c_out) + setup.output_size, dtype=w.dtype)
    to_channels_first = (0, 1 + dims) + tuple(range(1, 1 + dims))
    for image in range(n):  # one canvas, reused: it stays in cache for all taps of an image
        canvas.fill(0)
        for t, tap in enumerate(np.ndindex(*k)):
            canvas[(slice(None), *tap_slices(tap, setup))] += products[:, t, image]
        out[image] = canvas[(slice(None), *setup.canvas_crop)].transpose(to_channels_first)
    return out


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
    x, w, setup, _ = arrays.prepare(input, weight, None, stride, padding, output_padding, groups,
                                    dilation)
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
    return Stamps(tuple(result), (setup.out_channels,) + setup.canvas_size,
                  (slice(None),) + setup.canvas_crop)

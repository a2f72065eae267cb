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


def tap_cells(tap, setup):
    """Where tap k of all inputs lands on the canvas stored by phase (see scatter_add).

    Canvas position s*i + d*k = s*(i + q) + r with phase r = d*k mod s and q = d*k // s:
    phase r, cells q .. q + I - 1, one contiguous block. Returns (*r, *cell slices).
    """
    lands = [divmod(d * k, s) for k, s, d in zip(tap, setup.stride, setup.dilation)]
    return tuple(r for _, r in lands) + tuple(slice(q, q + i) for (q, _), i in
                                              zip(lands, setup.input_size))


def output_phases(setup):
    """For each phase r, (outputs, cells): the outputs o with o + p = s*m + r, as slices of o,
    and their cells m on the canvas stored by phase, as (*r, *slices).

    Output o is canvas position o + p (the crop): the first output in phase r is (r - p) mod s,
    and output o sits in cell (o + p) // s.
    """
    phases = []
    for r in np.ndindex(*setup.stride):
        outputs = [range((rj - p) % s, o, s) for rj, p, s, o in
                   zip(r, setup.padding, setup.stride, setup.output_size)]
        cells = [slice((o.start + p) // s, (o.start + p) // s + len(o)) for o, p, s in
                 zip(outputs, setup.padding, setup.stride)]
        phases.append((tuple(slice(o.start, o.stop, o.step) for o in outputs), r + tuple(cells)))
    return phases


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

    Per image, one matrix product (taps * C_out, C_in) @ (C_in, inputs) gives x[i] * w[k] for
    every input i and tap k; then, one tap at a time, the products of all inputs are added to
    the canvas at s*i + d*k, and the canvas cropped to [p, p + o) is the output.
    Returns (N, G, C_out/G, *o).

    The canvas is stored by phase: position s*m + r at [r][m]. The positions s*i + d*k of one
    tap, every s-th entry of a plain canvas, are one contiguous block there, so each add runs
    over long rows (twice as fast as strided adds). The crop then reads the canvas phase by phase.
    """
    n, g, k = setup.batch, setup.groups, setup.kernel_size
    c_in, c_out, taps = setup.in_channels // g, setup.out_channels // g, prod(k)
    x = x.reshape(n, g, c_in, prod(setup.input_size))
    # row t * C_out + c of a group's matrix: tap t of the kernel into output channel c
    w = np.ascontiguousarray(w.reshape(g, c_in, c_out, taps).transpose(0, 3, 2, 1))
    w = w.reshape(g, taps * c_out, c_in)
    products = np.empty((g, taps * c_out, prod(setup.input_size)), dtype=w.dtype)
    stamps = products.reshape((g, taps, c_out) + setup.input_size)
    cells = tuple(-(-c // s) for c, s in zip(setup.canvas_size, setup.stride))
    canvas = np.empty((g, c_out) + setup.stride + cells, dtype=w.dtype)   # by phase
    lands = [tap_cells(tap, setup) for tap in np.ndindex(*k)]
    phases = output_phases(setup)
    out = np.empty((n, g, c_out) + setup.output_size, dtype=w.dtype)
    for image in range(n):  # one products buffer and one canvas, reused: they stay in cache
        np.matmul(w, x[image], out=products)
        canvas.fill(0)
        for t, where in enumerate(lands):
            canvas[(..., *where)] += stamps[:, t]
        for outputs, where in phases:  # the crop, phase by phase: every s-th output
            out[image][(..., *outputs)] = canvas[(..., *where)]
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
    return stamp_each(x, w, setup)


def stamp_each(x, w, setup):
    """stamps() for a validated, unbatched Setup: x (1, C_in, *i), w (C_in, C_out/G, *k)."""
    c_out = setup.out_channels // setup.groups
    dilated = tuple(slice(None, None, d) for d in setup.dilation)
    spread = np.zeros((setup.in_channels, setup.out_channels) + setup.kernel_span, dtype=w.dtype)
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

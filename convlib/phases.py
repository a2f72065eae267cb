"""Transposed convolution by phases: s^d ordinary convolutions, no inserted zeros, no overlaps.

Explained in chapter 13 (notebooks/13_in_training.ipynb). Output o is canvas position o + p
(chapter 03); write it as o + p = s*m + r, its phase r (0 .. s-1) and its cell m. Input i
reaches it through tap k when s*i + d*k = s*m + r, so only the taps with d*k = r (mod s) land on
phase r, and tap k reads input i = m - d*k // s:

    out[s*m + r - p] = sum over taps k with d*k mod s == r of x[m - d*k // s] * w[k]

For every phase that is an ordinary stride-1 convolution of x with the taps that land on it: no
inserted zeros (the direct method multiplies them), no overlapping adds (scatter-add's), every
multiply-add needed done once, and each output written once. Along one axis the taps of a phase
are s/g apart and their reads d/g apart (g = gcd(s, d)): the phase's kernel is every (s/g)-th
tap, read backwards, with dilation d/g. A phase that no tap reaches (g > 1) is zero. Sub-pixel
convolution (chapter 10) is the same idea with the phases stacked as channels.
"""
from dataclasses import dataclass
from math import gcd, prod

import numpy as np

from . import arrays
from .direct import flip_weight, place


def phase_taps(r, k, s, d):
    """The taps of phase r along one axis: k = 0 .. K-1 with d*k mod s == r, ascending."""
    return range(next((t for t in range(min(k, s)) if d * t % s == r), k), k, s // gcd(s, d))


def phase_outputs(r, o, s, p):
    """The outputs of phase r along one axis, as a range: those o with (o + p) mod s == r."""
    return range((r - p) % s, o, s)


@dataclass(frozen=True)
class Phase:
    """One phase along every axis: its taps and outputs (ranges), and where its windows start.

    The window of its first cell m0 = (first output + p) // s begins at input m0 - d*k_last // s
    (`start`, per axis): its taps, read backwards, then read `step` = d/g inputs apart.
    """
    taps: tuple
    outputs: tuple
    start: tuple
    step: tuple

    @property
    def where(self):
        """Its outputs as slices of the output: every s-th, from the first."""
        return tuple(slice(o.start, None, o.step) for o in self.outputs)

    @property
    def cells(self):
        return tuple(len(o) for o in self.outputs)

    @property
    def reach(self):
        """One past the last input its windows read, per axis."""
        return tuple(a + n + (len(t) - 1) * b for a, n, t, b in
                     zip(self.start, self.cells, self.taps, self.step))


def phases(setup):
    """The Phase of every r in np.ndindex(*stride) that has outputs and taps, and the phases
    r that have outputs but no tap (those outputs are zero), as their slices of the output."""
    with_taps, without = [], []
    for r in np.ndindex(*setup.stride):
        axes = list(zip(r, setup.kernel_size, setup.stride, setup.padding, setup.dilation,
                        setup.output_size))
        taps = tuple(phase_taps(rj, k, s, d) for rj, k, s, p, d, o in axes)
        outputs = tuple(phase_outputs(rj, o, s, p) for rj, k, s, p, d, o in axes)
        if not all(outputs):
            continue  # an output axis shorter than the stride has no entry in this phase
        if not all(taps):
            without.append(tuple(slice(o.start, None, o.step) for o in outputs))
            continue
        start = tuple((o.start + p) // s - d * t[-1] // s for o, t, (rj, k, s, p, d, _) in
                      zip(outputs, taps, axes))
        step = tuple(d // gcd(s, d) for s, d in zip(setup.stride, setup.dilation))
        with_taps.append(Phase(taps, outputs, start, step))
    return with_taps, without


def conv_transpose_phases(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                          groups=1, dilation=1):
    """Transposed convolution by phases, with conv_transpose{1,2,3}d's signature.

    out[s*m + r - p] = sum over taps k with d*k mod s == r of x[m - d*k // s] * w[k]
    (see by_phases)
    """
    x, w, setup, finish = arrays.prepare(input, weight, bias, stride, padding, output_padding,
                                         groups, dilation)
    return finish(by_phases(x, w, setup))


def by_phases(x, w, setup):
    """The phases for a validated Setup: x (N, C_in, *i), w (C_in, C_out/G, *k) -> (N, C_out, *o).

    x is placed once into zeros, (N, C_in, *P), large enough for every phase's windows. Each
    phase is then an ordinary convolution, computed as im2col and one matrix product per image
    (per group): (C_out/G, taps * C_in/G) @ (taps * C_in/G, cells), whose result is written
    into the phase's outputs, every s-th one.

    The im2col is cheap here because of one trick: number a phase's cells m by where their
    window starts in the flattened padded input, F(start + m) with F(z) = z_1 P_2...P_d + ... +
    z_d. Then the column of window tap j for every cell is one contiguous run of the flattened
    input, beginning at F(start + j * step): a tap's rows of the im2col matrix are a block copy.
    Runs of whole rows of the padded input are taken, so a few columns per row (P_d - cells_d
    along the last axis, and so on) belong to no cell: they are computed and dropped.
    """
    n, g = setup.batch, setup.groups
    c_in, c_out = setup.in_channels // g, setup.out_channels // g
    out = np.empty((n, setup.out_channels) + setup.output_size, dtype=w.dtype)
    with_taps, without = phases(setup)
    for where in without:
        out[(..., *where)] = 0
    if not with_taps:
        return out
    before = tuple(-min(column) for column in zip(*(phase.start for phase in with_taps)))
    size = [b + max(column) for b, column in zip(before, zip(*(ph.reach for ph in with_taps)))]
    size[0] += 1  # one more row of zeros: the last run of whole rows may end past the last row
    padded = place(x, before, (1,) * setup.dims, size, channels_last=False)
    padded = padded.reshape(n, g, c_in, prod(size))
    strides = [prod(size[j + 1:]) for j in range(setup.dims)]   # F(z) = sum of z_j * strides_j
    for phase in with_taps:
        rows = phase.cells[0] * strides[0]   # the run: whole rows of the padded input
        runs = [sum((b + a + j * step) * stride for b, a, j, step, stride in
                    zip(before, phase.start, tap, phase.step, strides))
                for tap in np.ndindex(*map(len, phase.taps))]
        weight = phase_weight(w, phase, g)                    # (G, C_out/G, taps * C_in/G)
        columns = np.empty((g, len(runs), c_in, rows), dtype=w.dtype)
        result = np.empty((g, c_out, rows), dtype=w.dtype)
        cells = result.reshape((setup.out_channels, phase.cells[0]) + tuple(size[1:]))
        cells = cells[(slice(None), slice(None), *(slice(c) for c in phase.cells[1:]))]
        for image in range(n):
            for j, run in enumerate(runs):
                columns[:, j] = padded[image, :, :, run:run + rows]
            np.matmul(weight, columns.reshape(g, len(runs) * c_in, rows), out=result)
            out[(image, slice(None), *phase.where)] = cells
    return out


def phase_weight(w, phase, groups):
    """The phase's taps of w (C_in, C_out/G, *k) as a convolution's weight, read backwards
    (flip_weight), one row per output channel of a group: (G, C_out/G, taps * C_in/G), the
    columns ordered tap by tap, the input channels within each."""
    taps = w[(slice(None), slice(None), *(slice(t.start, None, t.step) for t in phase.taps))]
    v = flip_weight(taps, groups)                             # (C_out, C_in/G, *taps)
    c_out, c_in = v.shape[0] // groups, v.shape[1]
    v = v.reshape((groups, c_out, c_in, -1)).transpose(0, 1, 3, 2)
    return np.ascontiguousarray(v).reshape(groups, c_out, -1)

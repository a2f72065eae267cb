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
from scipy.linalg import blas

from . import arrays


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

    Each phase is a sum over its window taps j of one matrix product, (cells, C_in/G) @
    (C_in/G, C_out/G), which BLAS adds into the phase's result in place (gemm with beta = 1):
    no im2col matrix is built. What makes each product read its inputs without a copy: x is
    placed once, channels-last and flattened, (rows, C_in/G), each image a box of q per axis (its
    inputs, then zeros), the images one after another. Number a phase's cells by where their
    window starts, F(start + m) with F(z) = z_1 q_2...q_d + ... + z_d; then tap j's inputs, for
    every cell of every image, are one block of consecutive rows beginning at F(start + j*step):
    a matrix BLAS reads where it lies. An axis needs max(before, after) zeros, not their sum: the
    zeros after one row are the zeros before the next (and after one image, before the next).
    The rows of those zeros belong to no cell: they are computed and dropped (6% on the 2-D
    target of benchmarks/bench_conv.py).

    Count every phase's rows from the earliest start instead (its cells shifted by F(start -
    earliest)) and all phases read tap j's inputs from the same block: one product per tap j
    for all the phases that have it, their weights side by side, fewer and wider products that
    BLAS runs faster. Each phase's result (C_out, rows) is then written into its outputs, every
    s-th one, image by image.
    """
    n, g = setup.batch, setup.groups
    c_in, c_out = setup.in_channels // g, setup.out_channels // g
    out = np.empty((n, setup.out_channels) + setup.output_size, dtype=w.dtype)
    with_taps, without = phases(setup)
    for where in without:
        out[(..., *where)] = 0
    if not with_taps or n == 0:   # nothing to compute
        return out
    work = np.promote_types(w.dtype, np.float32)   # BLAS has no float16: it computes in float32
    q, lead = layout(setup, with_taps)
    rows = n * prod(q)
    base = [min(column) for column in zip(*(phase.start for phase in with_taps))]
    shift = [flat_index(np.subtract(phase.start, base), q) for phase in with_taps]
    span = rows + max(shift)   # row t of the products is cell t - shift of each phase
    reads = list(products(with_taps))
    last = max(flat_index(np.multiply(tap, with_taps[0].step), q) for tap, _, _ in reads)
    first = lead + flat_index(base, q)
    flat = np.zeros((g, first + last + span, c_in), dtype=work)
    boxes = flat[:, lead:lead + rows].reshape(g, n, *q, c_in)
    inputs = np.moveaxis(x.reshape(n, g, c_in, *setup.input_size), (0, 2), (1, -1))
    inside = tuple(slice(i) for i in setup.input_size)

    boxes[(slice(None), slice(None), *inside)] = inputs
    # (G, *k, C_out/G, C_in/G): every tap's weight one contiguous matrix
    w = np.ascontiguousarray(np.moveaxis(w.reshape(g, c_in, c_out, *setup.kernel_size),
                                         (1, 2), (-1, -2)), dtype=work)
    gemm = blas.get_blas_funcs("gemm", dtype=work)
    result = np.empty((g, len(with_taps), c_out, span), dtype=work)
    for tap, readers, taps in reads:   # the first, tap 0, has every phase: it sets, the rest add
        row = first + flat_index(np.multiply(tap, with_taps[0].step), q)
        weights = w[(slice(None), *map(list, zip(*taps)))].reshape(g, -1, c_in)
        for group in range(g):   # every operand Fortran-ordered (a .T), so BLAS copies none
            gemm(1.0, flat[group, row:row + span].T, weights[group].T, beta=float(any(tap)),
                 c=result[group, readers].reshape(-1, span).T, trans_a=1, overwrite_c=1)
    grouped = out.reshape(n, g, c_out, *setup.output_size)

    for image in range(n):   # image by image, so that its outputs stay in cache
        for number, (phase, t) in enumerate(zip(with_taps, shift)):
            box = result[:, number, :, t:t + rows].reshape(g, c_out, n, *q)
            cells = box[(slice(None), slice(None), image, *(slice(c) for c in phase.cells))]
            grouped[(image, slice(None), slice(None), *phase.where)] = cells
    return out


def layout(setup, with_taps):
    """The box q of one image in the flattened input, per axis, and how many rows of zeros come
    before the first image: each axis holds its inputs, then max(before, after) zeros (as many
    as the windows read before the first input or after the last), and room for every cell."""
    i = setup.input_size
    before = [max(0, -min(column)) for column in zip(*(phase.start for phase in with_taps))]
    after = [max(0, max(column) - n) for n, column in
             zip(i, zip(*(phase.reach for phase in with_taps)))]
    cells = [max(column) for column in zip(*(phase.cells for phase in with_taps))]
    q = tuple(n + max(b, a, c - n) for n, b, a, c in zip(i, before, after, cells))
    return q, flat_index([qj - n for qj, n in zip(q, i)], q)


def flat_index(z, q):
    """F(z) = z_1 q_2...q_d + ... + z_d: the row of position z of a box of q, flattened."""
    return sum(zj * prod(q[j + 1:]) for j, zj in enumerate(z))


def products(with_taps):
    """One product per window tap j and run of neighbouring phases that have it: (j, the phases
    as a slice, their kernel taps). Counted from a common start, every phase reads tap j's
    inputs from the same block, so they share the product, their weights side by side."""
    for tap in np.ndindex(*(max(len(t) for t in column)
                            for column in zip(*(phase.taps for phase in with_taps)))):
        found = [(number, tuple(t[-1 - j] for t, j in zip(phase.taps, tap)))
                 for number, phase in enumerate(with_taps)
                 if all(j < len(t) for t, j in zip(phase.taps, tap))]
        first = 0
        for j in range(1, len(found) + 1):
            if j == len(found) or found[j][0] != found[j - 1][0] + 1:
                numbers, taps = zip(*found[first:j])
                yield tap, slice(numbers[0], numbers[-1] + 1), taps
                first = j

"""Transposed convolution as a matrix: the transpose of the convolution's matrix.

Explained in chapter 02 (notebooks/02_matrix.ipynb). An ordinary convolution is linear, so
conv(z).ravel() == C @ z.ravel() for a matrix C with one row per output and one column per input:

    C[(c, o), (c', i)] = w[c, c', k]   where i = s*o + d*k - p   (c' in c's group)

The transposed convolution with the same weight goes back: x -> y = C.T @ x (the book's names:
a convolution takes z to x, a transposed convolution x to y).

C is a teaching device, not a fast method: it has one entry per (output, tap) pair. Before
building it, convlib counts its entries and refuses more than MAX_MATRIX_ENTRIES (a stored entry
costs about 40 bytes while C is built, so the limit is about 0.8 GB).
"""
from functools import reduce
from math import prod

import numpy as np
import scipy.sparse

from . import arrays, shapes

MAX_MATRIX_ENTRIES = 20_000_000


def matrix_entries(setup):
    """The number of non-zeros of C for a ConvSetup: C_out * C_in/G * the product over the
    dimensions of #{(k, o) : 0 <= s*o + d*k - p < i}."""
    count = setup.out_channels * (setup.in_channels // setup.groups)
    for i, k, s, p, d, o in zip(setup.input_size, setup.kernel_size, setup.stride, setup.padding,
                                setup.dilation, setup.output_size):
        positions = s * np.arange(o)[:, None] + d * np.arange(k) - p
        count *= int(np.count_nonzero((positions >= 0) & (positions < i)))
    return count


def refuse_large(entries, what, stored="entries"):
    """ValueError if C would store more than MAX_MATRIX_ENTRIES entries (for a sparse C, its
    non-zeros: what it stores)."""
    if entries > MAX_MATRIX_ENTRIES:
        raise ValueError(f"{what} would store {entries:,} {stored} "
                         f"(about {entries * 40 / 2**30:.1f} "
                         f"GB to build), more than convlib.matrix.MAX_MATRIX_ENTRIES = "
                         f"{MAX_MATRIX_ENTRIES:,}; use conv_transpose_scatter or "
                         f"conv_transpose_direct, which give the same result without C")


def conv_matrix(weight, input_shape, stride=1, padding=0, dilation=1, groups=1, sparse=False):
    """The matrix C with C @ x.ravel() == conv(x, weight, ...).ravel() for x of shape input_shape.

    weight in PyTorch's Conv layout (C_out, C_in/groups, *k); input_shape = (C_in, *i).
    C has shape (C_out * prod(o), C_in * prod(i)) and at most one entry per tap per output.
    sparse=True gives a scipy.sparse CSR matrix (memory grows with the non-zeros), otherwise a
    dense array (a tensor if weight is one).
    """
    w, restore = arrays.as_numpy(weight)
    setup = shapes.validate_conv(input_shape, w.shape, None, stride, padding, dilation, groups)
    if setup.batched:
        raise ValueError(f"input_shape must be unbatched (C_in, *spatial), got input_shape="
                         f"{tuple(input_shape)}")
    refuse_large(matrix_entries(setup) if sparse else prod(setup.matrix_shape),
                 f"the {'sparse' if sparse else 'dense'} matrix C of shape {setup.matrix_shape}",
                 "non-zeros" if sparse else "entries")
    matrix = build(w, setup)
    return matrix if sparse else restore(matrix.toarray().astype(w.dtype, copy=False))


def build(w, setup):
    """C for a validated ConvSetup, as a scipy.sparse CSR matrix (float32 for float16 weights:
    scipy.sparse has no float16)."""
    w = w.astype(np.float32) if w.dtype == np.float16 else w
    c_out, c_in = setup.out_channels, setup.in_channels // setup.groups
    # every (output channel, input channel of its group, tap, output position) at once;
    # sparse index grids broadcast, so only the final entries take full-size memory
    full = (c_out, c_in) + setup.kernel_size + setup.output_size
    co, ci, *grids = np.indices(full, sparse=True)
    taps, outs = grids[:setup.dims], grids[setup.dims:]
    ins = [s * o + d * k - p for o, k, s, d, p in
           zip(outs, taps, setup.stride, setup.dilation, setup.padding)]
    inside = np.broadcast_to(reduce(np.logical_and, [(i >= 0) & (i < n) for i, n in
                                                      zip(ins, setup.input_size)]), full)
    channel = co // (c_out // setup.groups) * c_in + ci

    def entries(a):
        return np.broadcast_to(a, full)[inside]

    values = entries(w[(co, ci, *taps)])
    rows = entries(np.ravel_multi_index((co, *outs), (c_out,) + setup.output_size))
    cols = entries(np.ravel_multi_index((channel, *ins), (setup.in_channels,) + setup.input_size,
                                        mode="clip"))  # entries outside are dropped anyway
    return scipy.sparse.csr_matrix((values, (rows, cols)), shape=setup.matrix_shape)


def conv_transpose_matrix(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                          groups=1, dilation=1):
    """Transposed convolution as C.T @ x, with conv_transpose{1,2,3}d's signature.

    C = conv_matrix(weight, (C_out, *o), stride, padding, dilation, groups): the weight
    (C_in, C_out/groups, *k) read in Conv layout is the convolution from the output's shape back
    to the input's. When output_padding >= stride (possible if dilation > stride) that
    convolution has more outputs, i + op // s, than x has entries; the extra entries are zeros.
    """
    x, w, setup, finish = arrays.prepare(input, weight, bias, stride, padding, output_padding,
                                         groups, dilation)
    return finish(multiply(x, w, setup))


def matrix_of(w, setup):
    """C for a validated Setup, sparse: the convolution from the output's shape back to the
    input's (setup.matrix_conv), shape setup.matrix_shape; refused when too large."""
    refuse_large(matrix_entries(setup.matrix_conv),
                 f"the sparse matrix C of shape {setup.matrix_shape}", "non-zeros")
    return build(w, setup.matrix_conv)


def multiply(x, w, setup):
    """C.T @ x for a validated Setup: x (N, C_in, *i) -> (N, C_out, *o)."""
    c = matrix_of(w, setup)
    x = np.pad(x, [(0, 0)] * 2 + [(0, n - i) for n, i in zip(setup.conv_size, setup.input_size)])
    columns = x.reshape(setup.batch, c.shape[0]).T.astype(c.dtype, copy=False)
    out = np.asarray((c.T @ columns).T, dtype=x.dtype)   # one column per batch element
    return out.reshape((setup.batch, setup.out_channels) + setup.output_size)

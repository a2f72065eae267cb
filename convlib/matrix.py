"""Transposed convolution as a matrix: the transpose of the convolution's matrix.

Explained in chapter 02 (notebooks/02_matrix.ipynb). An ordinary convolution is linear, so
conv(x).ravel() == C @ x.ravel() for a matrix C with one row per output and one column per input:

    C[(c, o), (c', i)] = w[c, c', k]   where i = s*o + d*k - p   (c' in c's group)

The transposed convolution with the same weight is y -> C.T @ y.
"""
from functools import reduce
from math import prod

import numpy as np
import scipy.sparse

from . import arrays, shapes


def conv_matrix(weight, input_shape, stride=1, padding=0, dilation=1, groups=1, sparse=False):
    """The matrix C with C @ x.ravel() == conv(x, weight, ...).ravel() for x of shape input_shape.

    weight in PyTorch's Conv layout (C_out, C_in/groups, *k); input_shape = (C_in, *i).
    C has shape (C_out * prod(o), C_in * prod(i)) and at most one entry per tap per output.
    sparse=True gives a scipy.sparse CSR matrix (memory grows with the non-zeros), otherwise a
    dense array (a tensor if weight is one).
    """
    w, restore = arrays.as_numpy(weight)
    setup = shapes.check_conv(input_shape, w.shape, None, stride, padding, dilation, groups)
    if setup.batched:
        raise ValueError(f"input_shape must be unbatched (C_in, *spatial), got input_shape="
                         f"{tuple(input_shape)}")
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
    shape = (c_out * prod(setup.output_size), setup.in_channels * prod(setup.input_size))
    matrix = scipy.sparse.csr_matrix((values, (rows, cols)), shape=shape)
    return matrix if sparse else restore(matrix.toarray())


def conv_transpose_matrix(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                          groups=1, dilation=1):
    """Transposed convolution as C.T @ y, with conv_transpose{1,2,3}d's signature.

    C = conv_matrix(weight, (C_out, *o), stride, padding, dilation, groups): the weight
    (C_in, C_out/groups, *k) read in Conv layout is the convolution from the output's shape back
    to the input's. When output_padding >= stride (possible if dilation > stride) that
    convolution has more outputs than y has entries; the extra entries of y are zeros.
    """
    y, w, setup, finish = arrays.prepare_conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation)
    c = conv_matrix(w, (setup.out_channels,) + setup.output_size, setup.stride, setup.padding,
                    setup.dilation, setup.groups, sparse=True)
    conv_size = shapes.conv_output_size(setup.output_size, setup.kernel_size, setup.stride,
                                        setup.padding, setup.dilation)
    y = np.pad(y, [(0, 0)] * 2 + [(0, n - i) for n, i in zip(conv_size, setup.input_size)])
    out = (c.T @ y.reshape(setup.batch, c.shape[0]).T).T   # one column per batch element
    return finish(np.asarray(out))

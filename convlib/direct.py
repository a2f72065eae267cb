"""Transposed convolution as an ordinary convolution of a zero-inserted, padded input.

Explained in chapter 04 (notebooks/04_direct.ipynb). Insert s-1 zeros between neighbouring
inputs, pad d(k-1)-p before and d(k-1)-p+op after (a negative pad crops), flip the kernel in
every spatial axis, swap its in/out channel axes per group, and convolve with stride 1.
"""
from math import prod

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import arrays, shapes


def conv(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Ordinary convolution (cross-correlation), exactly like torch.nn.functional.conv{1,2,3}d.

        out[n, c, o] = bias[c] + sum over c' in c's group and taps k
                                 of x[n, c', s*o + d*k - p] * w[c, c', k]

    with input (N, C_in, *i) or (C_in, *i), weight (C_out, C_in/groups, *k).
    """
    x, w, setup, finish = arrays.prepare_conv(input, weight, bias, stride, padding, dilation,
                                              groups)
    padded = place(x, setup.padding, (1,) * setup.dims,
                   tuple(i + 2 * p for i, p in zip(setup.input_size, setup.padding)))
    return finish(convolve(padded, w, setup))


def convolve(padded, w, setup):
    """The convolution for a validated ConvSetup, on an already padded channels-last input.

    padded (N, *(i + 2p), C_in); w (C_out, C_in/G, *k). im2col: the window under every output
    position becomes one row (its taps times its channels), then one matrix product per image
    and group, (rows, taps * C_in/G) @ (taps * C_in/G, C_out/G). Returns (N, G, C_out/G, *o).
    """
    n, g, k, dims = setup.batch, setup.groups, setup.kernel_size, setup.dims
    c_in, c_out, taps = setup.in_channels // g, setup.out_channels // g, prod(k)
    windows = sliding_window_view(padded, setup.kernel_span, axis=tuple(range(1, 1 + dims)))
    windows = windows[(slice(None), *(slice(None, None, s) for s in setup.stride), slice(None),
                       *(slice(None, None, d) for d in setup.dilation))]   # (N, *o, C_in, *k)
    windows = windows.reshape((n,) + setup.output_size + (g, c_in) + k)  # a view: splits C_in
    # (G, *o, *k, C_in/G): channels stay the contiguous innermost axis of every row
    order = (dims, *range(dims), *range(2 + dims, 2 + 2 * dims), 1 + dims)
    rows = np.empty((g,) + setup.output_size + k + (c_in,), dtype=padded.dtype)
    # contiguous whatever view came in (a flipped weight): the same product, bit for bit
    w = np.ascontiguousarray(w.reshape(g, c_out, c_in, taps).transpose(0, 3, 2, 1)
                             ).reshape(g, taps * c_in, c_out)
    out = np.empty((n, g) + setup.output_size + (c_out,), dtype=padded.dtype)
    for image in range(n):  # one image's rows at a time: they stay in cache for the product
        rows[...] = windows[image].transpose(order)                   # im2col
        np.matmul(rows.reshape(g, -1, taps * c_in), w, out=out[image].reshape(g, -1, c_out))
    return out.transpose((0, 1, 2 + dims) + tuple(range(2, 2 + dims)))


def place(x, before, stride, size, channels_last=True):
    """x (N, C, *i) placed channels-last into zeros (N, *size, C) at before + s*i, one allocation
    (channels_last=False: into (N, C, *size)).

    Zero insertion (stride > 1) and padding (before > 0) at once; positions outside `size`
    (a negative `before`, or a short `size`) are cropped away.
    """
    out = np.zeros((x.shape[0], *size, x.shape[1]) if channels_last else x.shape[:2] + tuple(size),
                   dtype=x.dtype)
    target, source = [], []
    for b, s, i, n in zip(before, stride, x.shape[2:], size):
        first = max(-b + s - 1, 0) // s           # first input landing at a position >= 0
        stop = min(i, (n - 1 - b) // s + 1)       # inputs landing before position n
        if stop <= first:
            return out
        target.append(slice(b + s * first, b + s * (stop - 1) + 1, s))
        source.append(slice(first, stop))
    if channels_last:
        out[(slice(None), *target, slice(None))] = np.moveaxis(x[(..., *source)], 1, -1)
    else:
        out[(..., *target)] = x[(..., *source)]
    return out


def zero_insert(x, stride):
    """Insert stride-1 zeros between neighbours along every spatial axis (all but the first two).

    Spatial size i becomes s(i-1) + 1; x[..., i] moves to position s*i.
    """
    x, restore = arrays.as_numpy(x)
    dims = x.ndim - 2
    stride = shapes.as_tuple(stride, dims, "stride")
    out = np.zeros(x.shape[:2] + tuple(s * (i - 1) + 1 for s, i in zip(stride, x.shape[2:])),
                   dtype=x.dtype)
    out[(..., *(slice(None, None, s) for s in stride))] = x
    return restore(out)


def direct_input(input, weight, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """The input of the equivalent ordinary convolution, batched like `input`.

    zero_insert(x, s), then pad d(k-1)-p before and d(k-1)-p+op after each spatial axis
    (a negative amount crops): spatial size o + d(k-1).
    """
    x, _, setup, _ = arrays.prepare(input, weight, None, stride, padding, output_padding, groups,
                                    dilation)
    big = np.moveaxis(insert_and_pad(x, setup), -1, 1)
    return arrays.as_numpy(input)[1](big if setup.batched else big[0])


def insert_and_pad(x, setup):
    """direct_input for a validated Setup, channels last: x (N, C_in, *i) -> (N, *size, C_in)
    with size = setup.direct_size, input i at pad_before + s*i."""
    return place(x, setup.pad_before, setup.stride, setup.direct_size)


def direct_input_roles(setup):
    """What each entry of the direct method's input is, for one channel (shape direct_size):
    'input', 'inserted zeros' or 'padding' (chapters 01 and 04).

    insert_and_pad of the inputs' positions 1..n shows where each input lands; what lies
    between pad_before and the end less pad_after but is no input is an inserted zero.
    """
    marks = np.arange(1.0, prod(setup.input_size) + 1).reshape((1, 1) + setup.input_size)
    landed = insert_and_pad(marks, setup)[0, ..., 0]
    inside = np.ones(setup.direct_size, dtype=bool)
    for axis, (before, after) in enumerate(zip(setup.pad_before, setup.pad_after)):
        position = np.indices(setup.direct_size)[axis]
        inside &= (position >= before) & (position < setup.direct_size[axis] - max(after, 0))
    roles = np.where(inside, "inserted zeros", "padding").astype(object)
    roles[landed > 0] = "input"
    return roles


def flip_weight(w, groups):
    """(C_in, C_out/G, *k) -> (C_out, C_in/G, *k): flipped in every spatial axis, and within
    each group the input and output channel axes swapped."""
    c_in, c_out, k = w.shape[0] // groups, w.shape[1], w.shape[2:]
    w = w.reshape((groups, c_in, c_out) + k).swapaxes(1, 2).reshape((groups * c_out, c_in) + k)
    return np.flip(w, axis=tuple(range(2, w.ndim)))


def direct_weight(weight, groups=1):
    """The weight of the equivalent convolution: (C_in, C_out/G, *k) becomes (C_out, C_in/G, *k).

    Flipped in every spatial axis; within each group, input and output channel axes swapped.
    """
    w, restore = arrays.as_numpy(weight)
    setup = shapes.validate(w.shape[:1] + (1,) * (w.ndim - 2), w.shape, groups=groups)  # any input
    return restore(flip_weight(w, setup.groups).copy())


def conv_transpose_direct(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                          groups=1, dilation=1):
    """Transposed convolution as an ordinary convolution, with conv_transpose{1,2,3}d's signature.

    = conv(direct_input(x), direct_weight(w), bias, stride=1, dilation=d, groups=groups)
    """
    x, w, setup, finish = arrays.prepare(input, weight, bias, stride, padding, output_padding,
                                         groups, dilation)
    return finish(transpose_by_convolution(x, w, setup))


def transpose_by_convolution(x, w, setup):
    """The direct method for a validated Setup: x (N, C_in, *i), w (C_in, C_out/G, *k) ->
    (N, G, C_out/G, *o), the stride-1 convolution of insert_and_pad(x) with the flipped,
    channel-swapped weight."""
    return convolve(insert_and_pad(x, setup), flip_weight(w, setup.groups), direct_conv(setup))


def direct_conv(setup):
    """The ConvSetup of the equivalent ordinary convolution: stride 1, no padding, dilation d,
    on the zero-inserted, padded input of size o + K - 1."""
    return shapes.ConvSetup(setup.direct_size, setup.kernel_size, (1,) * setup.dims,
                            (0,) * setup.dims, setup.dilation, setup.groups, setup.in_channels,
                            setup.out_channels, setup.batch, setup.batched)

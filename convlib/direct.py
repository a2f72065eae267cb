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

    with input (N, C_in, *i) or (C_in, *i), weight (C_out, C_in/groups, *k). im2col: gather the
    window under every output position into a column, then one matrix product per group.
    """
    x, w, setup, finish = arrays.prepare(shapes.check_conv, input, weight, bias, stride=stride,
                                         padding=padding, dilation=dilation, groups=groups)
    n, g, k, d = setup.batch, setup.groups, setup.kernel_size, setup.dilation
    x = pad_or_crop(x, setup.padding, setup.padding)
    windows = sliding_window_view(x, tuple(dj * (kj - 1) + 1 for kj, dj in zip(k, d)),
                                  axis=tuple(range(2, 2 + setup.dims)))
    windows = windows[(..., *(slice(None, None, s) for s in setup.stride),
                       *(slice(None, None, dj) for dj in d))]         # (N, C_in, *o, *k)
    spatial, taps = range(2, 2 + setup.dims), range(2 + setup.dims, 2 + 2 * setup.dims)
    w = w.reshape(g, setup.out_channels // g, -1)                   # (G, C_out/G, C_in/G * k)
    out = np.empty((n, g, setup.out_channels // g, prod(setup.output_size)), dtype=w.dtype)
    for image, window in zip(out, windows):  # one image at a time: its columns fit in cache
        columns = window.reshape((g, -1) + setup.output_size + k)
        columns = columns.transpose((0, 1, *taps, *spatial))            # (G, C_in/G, *k, *o)
        np.matmul(w, columns.reshape(g, w.shape[2], -1), out=image)  # (C_in/G * k, o) per group
    return finish(out)


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


def pad_or_crop(x, before, after):
    """Pad the spatial axes with zeros (or crop them where the amount is negative)."""
    widths = [(0, 0)] * 2 + [(max(b, 0), max(a, 0)) for b, a in zip(before, after)]
    x = np.pad(x, widths) if any(map(any, widths)) else x
    return x[(..., *(slice(max(-b, 0), x.shape[2 + j] - max(-a, 0))
                      for j, (b, a) in enumerate(zip(before, after))))]


def direct_input(input, weight, stride=1, padding=0, output_padding=0, dilation=1, groups=1):
    """The input of the equivalent ordinary convolution, batched like `input`.

    zero_insert(x, s), then pad d(k-1)-p before and d(k-1)-p+op after each spatial axis.
    """
    x, w, setup, _ = arrays.prepare_conv_transpose(
        input, weight, None, stride, padding, output_padding, groups, dilation)
    restore = arrays.as_numpy(input)[1]
    params = shapes.direct_conv_params(setup.kernel_size, setup.stride, setup.padding,
                                       setup.output_padding, setup.dilation)
    x = pad_or_crop(zero_insert(x, setup.stride), params.pad_before, params.pad_after)
    return restore(x if setup.batched else x[0])


def direct_weight(weight, groups=1):
    """The weight of the equivalent convolution: (C_in, C_out/G, *k) becomes (C_out, C_in/G, *k).

    Flipped in every spatial axis; within each group, input and output channel axes swapped.
    """
    w, restore = arrays.as_numpy(weight)
    shapes.check_arrays((1,) * (w.ndim - 1), w.shape)  # a 1x..x1 input stands in
    groups = shapes.as_int(groups, "groups", 1)
    shapes.check_channels(w.shape[0], w.shape[0], w.shape[1] * groups, groups, "weight.shape[0]")
    c_in, c_out, k = w.shape[0] // groups, w.shape[1], w.shape[2:]
    w = w.reshape((groups, c_in, c_out) + k).swapaxes(1, 2).reshape((groups * c_out, c_in) + k)
    return restore(np.flip(w, axis=tuple(range(2, w.ndim))).copy())


def conv_transpose_direct(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                          groups=1, dilation=1):
    """Transposed convolution as an ordinary convolution, with conv_transpose{1,2,3}d's signature.

    = conv(direct_input(x), direct_weight(w), bias, stride=1, dilation=d, groups=groups)
    """
    x, w, setup, finish = arrays.prepare_conv_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation)
    out = conv(direct_input(x, w, stride, padding, output_padding, dilation, groups),
               direct_weight(w, groups), None, 1, 0, dilation, groups)
    return finish(out)

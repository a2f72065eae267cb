"""Which entries of a weight belong to one output channel, and what deployment does with them:
fold BatchNorm in, norm them (weight norm), quantise them per channel.

Explained in chapter 15 (notebooks/15_deploy.ipynb). A transposed convolution's weight is
(C_in, C_out/G, *k), an ordinary convolution's (C_out, C_in/G, *k), with G = groups. Output
channel o = g C_out/G + j (group g, column j within it) of a transposed convolution reads

    weight[g C_in/G : (g+1) C_in/G, j]        a block of axis 0's rows, one column of axis 1

and of an ordinary convolution weight[o]. `by_output_channel` lays the entries of each output
channel out as one row of a (C_out, C_in/G * prod(k)) array; everything per channel is then a
row operation, written once:

    BatchNorm folded in    scale = gamma / sqrt(var + eps)
                           weight' = scale[o] * row o,   bias' = (bias - mean) scale + beta
    weight norm            g[o] = ||row o||   (PyTorch's dim=1 only when G = 1)
    int8 per channel       scale[o] = max |row o| / 127.5   (PyTorch's symmetric int8)
"""
import numpy as np

from .arrays import as_numpy
from .shapes import as_int


def channel_layout(weight_shape, groups=1, transposed=True):
    """(C_out, G, C_in/G, C_out/G): the channel counts of a weight, checked."""
    shape = tuple(weight_shape)
    if len(shape) < 2:
        raise ValueError(f"the weight must have its 2 channel axes (then *kernel_size), got "
                         f"weight shape {shape}")
    groups = as_int(groups, "groups", 1)
    rows = shape[0]   # C_in of a transposed convolution, C_out of an ordinary one
    if rows % groups:
        name = "in_channels" if transposed else "out_channels"
        raise ValueError(f"groups={groups} must divide the weight's axis 0 ({name} = {rows})")
    if transposed:
        return shape[1] * groups, groups, rows // groups, shape[1]
    return rows, groups, shape[1], rows // groups


def output_channel_entries(weight_shape, channel, groups=1, transposed=True):
    """(rows, column) of weight[rows, column]: every entry output channel `channel` reads.
    Transposed: rows = g C_in/G .. (g+1) C_in/G - 1 of group g = channel // (C_out/G), column
    j = channel % (C_out/G); ordinary: row `channel`, every column."""
    c_out, _, per_in, per_out = channel_layout(weight_shape, groups, transposed)
    channel = as_int(channel, "channel", 0)
    if channel >= c_out:
        raise ValueError(f"channel must be < out_channels = {c_out}, got channel={channel}")
    if not transposed:
        return slice(channel, channel + 1), slice(0, per_in)
    g, j = divmod(channel, per_out)
    return slice(g * per_in, (g + 1) * per_in), slice(j, j + 1)


def by_output_channel(weight, groups=1, transposed=True):
    """The weight as (C_out, C_in/G * prod(k)): row o holds every entry output channel o reads
    (a tensor in, a tensor out)."""
    w, restore = as_numpy(weight)
    c_out, g, per_in, per_out = channel_layout(w.shape, groups, transposed)
    if not transposed:
        return restore(w.reshape(c_out, -1))
    blocks = w.reshape((g, per_in, per_out) + w.shape[2:])   # (G, C_in/G, C_out/G, *k)
    return restore(np.moveaxis(blocks, 2, 1).reshape(c_out, -1))


def from_output_channels(rows, weight_shape, groups=1, transposed=True):
    """by_output_channel undone: the (C_out, ...) rows back in the weight's layout."""
    r, restore = as_numpy(rows)
    c_out, g, per_in, per_out = channel_layout(weight_shape, groups, transposed)
    if not transposed:
        return restore(r.reshape(weight_shape))
    blocks = r.reshape((g, per_out, per_in) + tuple(weight_shape[2:]))
    return restore(np.moveaxis(blocks, 1, 2).reshape(weight_shape))


def scale_output_channels(weight, scale, groups=1, transposed=True):
    """Every entry of output channel o times scale[o]: scale (C_out,)."""
    w, restore = as_numpy(weight)
    s = np.asarray(as_numpy(scale)[0], dtype=w.dtype)
    c_out = channel_layout(w.shape, groups, transposed)[0]
    if s.shape != (c_out,):
        raise ValueError(f"scale must have shape ({c_out},), one value per output channel, got "
                         f"scale.shape={s.shape}")
    rows = by_output_channel(w, groups, transposed) * s[:, None]
    return restore(from_output_channels(rows, w.shape, groups, transposed))


def fold_batchnorm(weight, bias, mean, var, gamma, beta, eps=1e-5, groups=1, transposed=True):
    """(weight', bias') of one layer computing BatchNorm(layer(x)) in eval mode:
    scale = gamma / sqrt(var + eps), weight' = scale[o] * output channel o's entries,
    bias' = (bias - mean) * scale + beta (bias None: 0)."""
    w, restore = as_numpy(weight)
    mean, var, gamma, beta = (np.asarray(as_numpy(a)[0], dtype=w.dtype)
                              for a in (mean, var, gamma, beta))
    scale = gamma / np.sqrt(var + w.dtype.type(eps))
    b = np.zeros_like(mean) if bias is None else np.asarray(as_numpy(bias)[0], dtype=w.dtype)
    return (restore(scale_output_channels(w, scale, groups, transposed)),
            restore((b - mean) * scale + beta))


def output_channel_norms(weight, groups=1, transposed=True):
    """||row o|| for each output channel o: weight norm's g, one per output channel."""
    rows = as_numpy(by_output_channel(weight, groups, transposed))[0]
    return np.sqrt((rows.astype(float) ** 2).sum(axis=1))


def int8_scales(weight, groups=1, transposed=True):
    """max |row o| / 127.5 for each output channel o: symmetric int8 (-128 .. 127, 255 steps,
    half of them each side of 0), one scale per channel, as PyTorch's per_channel_symmetric
    observers compute it."""
    rows = as_numpy(by_output_channel(weight, groups, transposed))[0]
    return np.abs(rows.astype(float)).max(axis=1) / 127.5

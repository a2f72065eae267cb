"""What several pictures share: one-channel arrays, convlib's arguments from a Setup, the roles
of the direct convolution's input cells."""
import numpy as np

from .. import arrays, direct
from ..scene import Grid, as_rows, shading


def one_channel(input, weight):
    """(x, w) shaped for convlib: one input channel (1, *spatial), one kernel (1, 1, *k).

    The pictures take a 1-D or 2-D input and a weight with as many axes.
    """
    x, w = (np.asarray(arrays.as_numpy(a)[0], dtype=float) for a in (input, weight))
    if x.ndim not in (1, 2) or w.ndim != x.ndim:
        raise ValueError(f"the pictures take a 1-D or 2-D input and a weight with as many axes, "
                         f"got input.shape={x.shape}, weight.shape={w.shape}")
    return x[None], w[None, None]


def spatial(setup):
    """stride, padding, output_padding, dilation of a Setup, as convlib's keyword arguments."""
    return dict(stride=setup.stride, padding=setup.padding,
                output_padding=setup.output_padding, dilation=setup.dilation)


def one(sizes):
    """A tuple of sizes as the sliders set it: 2 when every dimension has 2, else (2, 3)."""
    return sizes[0] if len(set(sizes)) == 1 else sizes


def roles_of(x, w, setup):
    """For each cell of direct_input: 'input', 'inserted zeros' or 'padding'.

    direct_input of the inputs' positions 1..n shows where each input lands; what lies between
    pad_before and the end minus pad_after but is no input is an inserted zero.
    """
    marks = np.arange(1, x.size + 1, dtype=float).reshape(x.shape)
    landed = as_rows(direct.direct_input(marks, w, **spatial(setup))[0])
    pads = [(0, 0)] * (2 - setup.dims) + list(zip(setup.pad_before, setup.pad_after))
    inside = np.ones(landed.shape, dtype=bool)
    for axis, (before, after) in enumerate(pads):
        position = np.indices(landed.shape)[axis]
        inside &= (position >= before) & (position < landed.shape[axis] - max(after, 0))
    roles = np.where(inside, "inserted zeros", "padding").astype(object)
    roles[landed > 0] = "input"
    return roles


def direct_input_grid(name, values, roles, title, least, **looks):
    """direct_input's cells as a Grid: input cells shaded by value, inserted zeros and padding
    in their own light tints (strength 0.32)."""
    inputs = roles == "input"
    strength = np.where(inputs, shading(np.where(inputs, values, np.nan)), 0.32)
    return Grid(name, values, roles, strength, title, least, **looks)

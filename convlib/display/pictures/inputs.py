"""What several pictures share: one-channel arrays, and the direct method's input as a grid."""
import numpy as np

from ... import arrays
from ..scene import Grid, shading


def one_channel(input, weight):
    """(x, w) shaped for convlib: one input channel (1, *spatial), one kernel (1, 1, *k).

    The pictures take a 1-D or 2-D input and a weight with as many axes.
    """
    x, w = (np.asarray(arrays.as_numpy(a)[0], dtype=float) for a in (input, weight))
    if x.ndim not in (1, 2) or w.ndim != x.ndim:
        raise ValueError(f"the pictures take a 1-D or 2-D input and a weight with as many axes, "
                         f"got input.shape={x.shape}, weight.shape={w.shape}")
    return x[None], w[None, None]


def direct_input_grid(name, values, roles, title, least, **looks):
    """The direct method's input as a Grid, roles from direct.direct_input_roles: input cells
    shaded by value, inserted zeros and padding in their own light tints (strength 0.32)."""
    roles = np.reshape(roles, np.shape(values))   # a 1-D input is drawn as one row
    inputs = roles == "input"
    strength = np.where(inputs, shading(np.where(inputs, values, np.nan)), 0.32)
    return Grid(name, values, roles, strength, title, least, **looks)

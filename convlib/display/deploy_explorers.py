"""Chapter 15's explorer (notebooks/15_deploy.ipynb), registered in the catalogue's EXPLORERS
like every chapter explorer (chapters import it from convlib.explorers).

    weight_axes_explorer(in_channels=4, out_channels=6, groups=2, channel=4)
"""
from math import gcd

import numpy as np

from .. import shapes
from . import pictures
from .registry import registered
from .spec import Choice, Slider, Spec
from .widget import Explorer


@registered
def weight_axes_explorer(**params):
    """in_channels, out_channels, groups and an output channel: the entries of a transposed
    convolution's weight (C_in, C_out/groups, *k) that channel reads, beside those of the
    ordinary convolution's weight (C_out, C_in/groups, *k), and its BatchNorm scale."""
    def prepare(v):
        c_in, c_out, g = v["in_channels"], v["out_channels"], v["groups"]
        shapes.validate_channels(c_in, c_in, c_out, g, "in_channels")
        x = np.arange(c_in * 4.0).reshape(c_in, 2, 2)   # stand-ins: only the channels matter
        w = np.arange(c_in * c_out // g * 4.0).reshape(c_in, c_out // g, 2, 2)
        return x, w, shapes.validate(x.shape, w.shape, groups=g)

    controls = {"in_channels": Slider(1, 4, 4), "out_channels": Slider(1, 6, 6),
                "groups": Choice((), 2, kind="dropdown"), "channel": Slider(0, None, 4)}
    bounds = (("groups", lambda v: shapes.divisors(gcd(v["in_channels"], v["out_channels"]))),)
    spec = Spec("weight_axes", controls, prepare, pictures.weight_axes_scene, picks=("channel",),
                bounds=bounds, title="WeightAxesExplorer",
                data_bounds=(("channel", lambda v, x, w, setup: setup.out_channels - 1),))
    return Explorer(spec, **params)

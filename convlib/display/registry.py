"""The registry of the chapters' explorers (EXPLORERS, filled by the `registered` decorator)
and the parts explorer functions share: the spatial sliders and their bounds from convlib's
formulas, the preparation of given arrays. The explorers themselves are in
convlib.display.catalogue and the modules it imports (design_explorers: chapter 14).
"""
import functools
import inspect
from math import prod

import numpy as np

from .. import arrays, shapes
from . import pictures
from .spec import Slider

SPATIAL = ("stride", "padding", "output_padding", "dilation")
EXPLORERS = {}   # name -> explorer function, in the order they are defined


def plain_data(value):
    """Arguments as JSON-ready data: arrays and tensors as nested lists of numbers."""
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if hasattr(value, "shape"):   # a NumPy array or a tensor (one that requires grad, too)
        return arrays.as_numpy(value)[0].tolist()
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    return value.item() if hasattr(value, "item") else value


def registered(make):
    """An explorer function, listed in EXPLORERS under its name less '_explorer'; each explorer
    it makes remembers how (its origin: the name and the arguments as plain data), so the book
    site can make it again and list all its views."""
    name = make.__name__.removesuffix("_explorer")

    @functools.wraps(make)
    def made(*args, **kwargs):
        explorer = make(*args, **kwargs)
        bound = inspect.signature(make).bind(*args, **kwargs).arguments
        arguments = {**{k: v for k, v in bound.items() if k != "params"},
                     **bound.get("params", {})}
        explorer.origin = (name, plain_data(arguments))
        return explorer

    EXPLORERS[name] = made
    return made


def spatial_controls(stride=2, dilation=True):
    """stride, padding, output_padding (and dilation) sliders with their default ranges."""
    controls = {"stride": Slider(1, 3, stride), "padding": Slider(0, 2, 0),
                "output_padding": Slider(0, 2, 0)}
    return {**controls, "dilation": Slider(1, 2, 1)} if dilation else controls


def spatial_bounds(sizes):
    """output_padding < max(stride, dilation), then the largest padding that keeps the output
    non-empty; sizes(values) -> (input sizes, kernel sizes) of the spatial dimensions."""
    def most_output_padding(v):
        return shapes.output_padding_limit(v["stride"], v.get("dilation", 1)) - 1

    def most_padding(v):
        s, op, d = v["stride"], v["output_padding"], v.get("dilation", 1)
        return min(shapes.largest_padding(i, k, s, op, d) for i, k in zip(*sizes(v)))

    return (("output_padding", most_output_padding), ("padding", most_padding))


def given_arrays(input, weight, names=SPATIAL):
    """prepare(values) for an explorer of one 1-D or 2-D input and weight passed in."""
    def prepare(values):
        x, w = pictures.one_channel(input, weight)
        return x, w, shapes.validate(
            x.shape, w.shape, **{n: values[n] for n in names if n in values})
    return prepare


def sizes_of(input, weight):
    """The spatial sizes of a given input and weight, for spatial_bounds."""
    x, w = (np.shape(arrays.as_numpy(a)[0]) for a in (input, weight))
    return lambda values: (x[-len(w):] if len(w) <= 2 else x, w)


def last_output(values, x, w, setup):
    """The number of output elements less one: the last step or element."""
    return prod(setup.output_size) - 1

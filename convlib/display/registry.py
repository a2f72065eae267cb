"""Where the chapters' explorers are listed: EXPLORERS, filled by the `registered` decorator of
each explorer function (convlib.display.catalogue and the later chapters' *_explorers modules).
"""
import functools
import inspect

from .. import arrays

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

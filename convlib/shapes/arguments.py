"""PyTorch-style spatial arguments (an int, or one int per dimension) as tuples of checked ints.

Every error names the parameter, the value and the valid range.
"""
import numpy as np

MINIMUMS = dict(input_size=1, kernel_size=1, output_size=1, stride=1, padding=0,
                output_padding=0, dilation=1, output_shape=1, pads=0)   # ONNX calls them so


def is_int(value):
    """True for Python and NumPy integers; bools are not sizes."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def as_int(value, name, minimum):
    """`value` as a Python int >= minimum, or TypeError/ValueError naming `name`."""
    if not is_int(value):
        raise TypeError(f"{name} must be an integer, got {name}={value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {name}={value!r}")
    return int(value)


def as_tuple(value, dims, name, minimum=None):
    """An int (the same in every dimension) or a tuple of `dims` ints, as a tuple of ints, each
    at least `minimum` (MINIMUMS[name] unless told; -math.inf: any int)."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * dims
    if len(values) != dims:
        raise ValueError(f"{name}={value!r} has {len(values)} entries, but there are {dims} "
                         f"spatial dimensions: give one int or a tuple of {dims} ints")
    minimum = MINIMUMS[name] if minimum is None else minimum
    if not all(is_int(v) for v in values):
        raise TypeError(f"{name} must be an int or a tuple of ints, got {name}={value!r}")
    if any(v < minimum for v in values):
        raise ValueError(f"{name} must be >= {minimum} in every dimension, got {name}={value!r}")
    return tuple(int(v) for v in values)


def normalise(**params):
    """(dims, {name: tuple}) for spatial parameters; dims: length of the first tuple, else 1."""
    lengths = [len(v) for v in params.values() if isinstance(v, (tuple, list))]
    dims = lengths[0] if lengths else 1
    return dims, {name: as_tuple(value, dims, name) for name, value in params.items()}


def like_input(sizes, *values):
    """Ints in, int out: unwrap a one-dimensional answer when every argument was an int."""
    return sizes[0] if all(is_int(v) for v in values) else sizes


def compact(sizes):
    """A tuple of sizes as a reader writes it (as_tuple read back): 2 when every dimension has 2,
    else (2, 3)."""
    return sizes[0] if len(set(sizes)) == 1 else sizes

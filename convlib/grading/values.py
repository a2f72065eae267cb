"""What a value is as plain data, and how a reader would type it."""


def as_lists(value):
    """`value` as plain Python data: a tensor or an array becomes (nested) lists of numbers, a
    NumPy or PyTorch scalar a Python number, a set or a range a list; lists and tuples are
    converted item by item (a tuple stays a tuple); text, bool and None stay as they are."""
    if hasattr(value, "detach"):                       # a PyTorch tensor
        value = value.detach().cpu()
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        return value.tolist()                          # an array, a tensor or a scalar of them
    if isinstance(value, tuple):
        return tuple(as_lists(item) for item in value)
    if isinstance(value, (list, range)):
        return [as_lists(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(as_lists(item) for item in value)
    return value


def is_number(value):
    """True for an int or a float; a bool is a yes or a no, not a number."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def grid(value):
    """(shape, entries) of a value that is a number or a rectangular nest of lists and tuples of
    numbers, the entries flat in row-major order as floats; None for anything else."""
    value = as_lists(value)
    if is_number(value):
        try:
            return (), [float(value)]
        except OverflowError:  # a whole number beyond any float: no answer is that large
            return (), [float("inf") if value > 0 else float("-inf")]
    if not isinstance(value, (list, tuple)):
        return None
    parts = [grid(item) for item in value]
    if any(part is None for part in parts) or len({part[0] for part in parts}) > 1:
        return None
    inner = parts[0][0] if parts else ()
    return (len(parts),) + inner, [entry for part in parts for entry in part[1]]


def nested(shape, entries):
    """The entries back as lists of the given shape (a number for shape ())."""
    if not shape:
        return entries[0]
    size = len(entries) // shape[0] if shape[0] else 0
    return [nested(shape[1:], entries[i * size:(i + 1) * size]) for i in range(shape[0])]


def shown(value):
    """A value as a reader would type it: numbers in (nested) lists or a tuple, whole numbers
    without '.0', other numbers to 6 decimals; anything else as repr shows it."""
    plain = as_lists(value)
    found = grid(plain)
    if found is None or not all(abs(x) < float("inf") for x in found[1]):
        return repr(plain)
    shape, entries = found
    whole = all(x == round(x) for x in entries)
    entries = [int(x) if whole else round(x, 6) for x in entries]
    written = nested(shape, entries)
    return repr(tuple(written) if isinstance(plain, tuple) and len(shape) == 1 else written)

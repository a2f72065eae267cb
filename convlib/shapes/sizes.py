"""Sizes from sizes, ints in and int out (or tuples, one entry per dimension): the output size,
and the other way round, which sizes give, or can be asked for, a given size (chapter 01,
notebooks/01_shapes.ipynb; chapter 09, notebooks/09_output_size.ipynb). The formulas are
convlib.shapes.formulas'.
"""
from . import formulas as f
from .arguments import like_input, normalise
from .validation import validate_conv_sizes, validate_sizes


def kernel_span(kernel_size, dilation=1):
    """K = d(k-1) + 1: the entries a dilated kernel covers."""
    _, n = normalise(kernel_size=kernel_size, dilation=dilation)
    return like_input(tuple(map(f.kernel_span, *n.values())), kernel_size, dilation)


def smallest_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """o_min = (i-1)s - 2p + d(k-1) + 1: the output size with output_padding 0. Not checked
    against the other arguments: with too much padding it is below 1."""
    _, n = normalise(input_size=input_size, kernel_size=kernel_size, stride=stride,
                     padding=padding, dilation=dilation)
    return like_input(tuple(map(f.smallest_output_size, *n.values())), input_size, kernel_size,
                      stride, padding, dilation)


def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """Output size of a convolution: o = floor((i + 2p - d(k-1) - 1) / s) + 1 per dimension."""
    setup = validate_conv_sizes(input_size, kernel_size, stride, padding, dilation)
    return like_input(setup.output_size, input_size, kernel_size, stride, padding, dilation)


def pool_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1, ceil_mode=False):
    """Output size of a pooling: the convolution's floor, or with ceil_mode=True
    ceil((i + 2p - d(k-1) - 1) / s) + 1 less 1 if the last window starts past i + p."""
    setup = validate_conv_sizes(input_size, kernel_size, stride, padding, dilation)
    if not ceil_mode:
        return like_input(setup.output_size, input_size, kernel_size, stride, padding, dilation)
    sizes = tuple(map(f.pool_output_size_ceil, setup.input_size, setup.kernel_size,
                      setup.stride, setup.padding, setup.dilation))
    return like_input(sizes, input_size, kernel_size, stride, padding, dilation)


def conv_transpose_output_size(input_size, kernel_size, stride=1, padding=0, output_padding=0,
                               dilation=1):
    """Output size of a transposed convolution: o = (i - 1) s - 2p + d(k-1) + op + 1."""
    setup = validate_sizes(input_size, kernel_size, stride, padding, output_padding, dilation)
    return like_input(setup.output_size, input_size, kernel_size, stride, padding,
                      output_padding, dilation)


def conv_input_sizes(output_size, kernel_size, stride=1, padding=0, dilation=1):
    """The input sizes i with conv_output_size(i) == output_size.

    The floor in o = floor((i + 2p - d(k-1) - 1) / s) + 1 makes s consecutive sizes
    i = (o-1)s - 2p + d(k-1) + 1 + r, r = 0 .. s-1, give the same o: the sizes a transposed
    convolution of o gives with output_padding r (its o_min + r), and the sizes its
    forward(input, output_size=...) accepts. A range for ints, a tuple of ranges.
    """
    _, n = normalise(output_size=output_size, kernel_size=kernel_size, stride=stride,
                     padding=padding, dilation=dilation)
    ranges = tuple(range(max(smallest, 1), smallest + s) for smallest, s in
                   zip(map(f.smallest_output_size, *n.values()), n["stride"]))
    return like_input(ranges, output_size, kernel_size, stride, padding, dilation)


def conv_transpose_output_sizes(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """The output sizes a transposed convolution can give: o_min + op, op = 0 .. max(s, d) - 1.

    o_min = (i-1)s - 2p + d(k-1) + 1 is the size with output_padding = 0 (sizes below 1 are
    left out). PyTorch's forward(input, output_size=...) accepts only the first `stride` of
    them: the sizes that a convolution with the same parameters maps back to i (chapter 09,
    notebooks/09_output_size.ipynb). A range for ints, a tuple of ranges.
    """
    _, n = normalise(input_size=input_size, kernel_size=kernel_size, stride=stride,
                     padding=padding, dilation=dilation)
    ranges = tuple(range(max(smallest, 1), smallest + f.output_padding_limit(s, d))
                   for smallest, s, d in zip(map(f.smallest_output_size, *n.values()),
                                             n["stride"], n["dilation"]))
    if not all(ranges):
        raise ValueError(f"padding={padding!r} is too large: with input_size={input_size!r}, "
                         f"kernel_size={kernel_size!r}, stride={stride!r} and "
                         f"dilation={dilation!r} every output size would be below 1")
    return like_input(ranges, input_size, kernel_size, stride, padding, dilation)


def output_padding_for(input_size, output_size, kernel_size, stride=1, padding=0, dilation=1):
    """The output_padding that gives output_size: op = o - ((i-1)s - 2p + d(k-1) + 1).

    Valid when 0 <= op < max(stride, dilation); otherwise ValueError naming output_size, its
    value and the sizes that can be reached (chapter 09, notebooks/09_output_size.ipynb).
    """
    _, n = normalise(input_size=input_size, output_size=output_size, kernel_size=kernel_size,
                     stride=stride, padding=padding, dilation=dilation)
    shared = {name: n[name] for name in ("input_size", "kernel_size", "stride", "padding",
                                         "dilation")}
    ranges = conv_transpose_output_sizes(*shared.values())
    if any(o not in r for o, r in zip(n["output_size"], ranges)):
        low, high = tuple(r.start for r in ranges), tuple(r.stop - 1 for r in ranges)
        top = tuple(f.output_padding_limit(s, d) - 1 for s, d in zip(n["stride"], n["dilation"]))
        shown = [like_input(v, output_size) for v in (low, high, top)]
        raise ValueError(f"output_size={output_size!r} cannot be reached: with input_size="
                         f"{input_size!r}, kernel_size={kernel_size!r}, stride={stride!r}, "
                         f"padding={padding!r} and dilation={dilation!r} the output size is "
                         f"{shown[0]} to {shown[1]} (output_padding 0 to "
                         f"max(stride, dilation) - 1 = {shown[2]})")
    ops = tuple(o - smallest for o, smallest in
                zip(n["output_size"], map(f.smallest_output_size, *shared.values())))
    return like_input(ops, input_size, output_size, kernel_size, stride, padding, dilation)

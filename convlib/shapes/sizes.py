"""Output sizes, and the other way round: which sizes give, or can be asked for, a given size
(chapter 01, notebooks/01_shapes.ipynb; chapter 09, notebooks/09_output_size.ipynb).
"""
from .arguments import like_input, normalise
from .validation import validate_conv_sizes, validate_sizes


def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """Output size of a convolution: o = floor((i + 2p - d(k-1) - 1) / s) + 1 per dimension."""
    setup = validate_conv_sizes(input_size, kernel_size, stride, padding, dilation)
    return like_input(setup.output_size, input_size, kernel_size, stride, padding, dilation)


def conv_transpose_output_size(input_size, kernel_size, stride=1, padding=0, output_padding=0,
                               dilation=1):
    """Output size of a transposed convolution: o = (i - 1) s - 2p + d(k-1) + op + 1."""
    setup = validate_sizes(input_size, kernel_size, stride, padding, output_padding, dilation)
    return like_input(setup.output_size, input_size, kernel_size, stride, padding,
                      output_padding, dilation)


def conv_input_sizes(output_size, kernel_size, stride=1, padding=0, dilation=1):
    """The input sizes i with conv_output_size(i) == output_size.

    The floor in o = floor((i + 2p - d(k-1) - 1) / s) + 1 makes s consecutive sizes
    i = (o-1)s - 2p + d(k-1) + 1 + r, r = 0 .. s-1, give the same o. A transposed convolution
    cannot tell them apart; output_padding = r chooses one. A range for ints, a tuple of ranges.
    """
    _, n = normalise(output_size=output_size, kernel_size=kernel_size, stride=stride,
                     padding=padding, dilation=dilation)
    ranges = []
    for o, k, s, p, d in zip(*n.values()):
        smallest = (o - 1) * s - 2 * p + d * (k - 1) + 1
        ranges.append(range(max(smallest, 1), smallest + s))
    return like_input(tuple(ranges), output_size, kernel_size, stride, padding, dilation)


def conv_transpose_output_sizes(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """The output sizes a transposed convolution can give: o_min + op, op = 0 .. max(s, d) - 1.

    o_min = (i-1)s - 2p + d(k-1) + 1 is the size with output_padding = 0 (sizes below 1 are
    left out). PyTorch's forward(input, output_size=...) accepts only the first `stride` of
    them: the sizes that a convolution with the same parameters maps back to i (chapter 09,
    notebooks/09_output_size.ipynb). A range for ints, a tuple of ranges.
    """
    dims, n = normalise(input_size=input_size, kernel_size=kernel_size, stride=stride,
                        padding=padding, dilation=dilation)
    ranges = tuple(range(max(smallest, 1), smallest + max(s, d)) for smallest, s, d in
                   zip(((i - 1) * s - 2 * p + d * (k - 1) + 1 for i, k, s, p, d in
                        zip(*n.values())), n["stride"], n["dilation"]))
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
    dims, n = normalise(input_size=input_size, output_size=output_size, kernel_size=kernel_size,
                        stride=stride, padding=padding, dilation=dilation)
    ranges = conv_transpose_output_sizes(n["input_size"], n["kernel_size"], n["stride"],
                                         n["padding"], n["dilation"])
    if any(o not in r for o, r in zip(n["output_size"], ranges)):
        low, high = tuple(r.start for r in ranges), tuple(r.stop - 1 for r in ranges)
        top = tuple(max(s, d) - 1 for s, d in zip(n["stride"], n["dilation"]))
        shown = [like_input(v, output_size) for v in (low, high, top)]
        raise ValueError(f"output_size={output_size!r} cannot be reached: with input_size="
                         f"{input_size!r}, kernel_size={kernel_size!r}, stride={stride!r}, "
                         f"padding={padding!r} and dilation={dilation!r} the output size is "
                         f"{shown[0]} to {shown[1]} (output_padding 0 to "
                         f"max(stride, dilation) - 1 = {shown[2]})")
    # r.stop - max(s, d) is o_min, also when o_min < 1 and the range starts at 1
    ops = tuple(o - (r.stop - max(s, d)) for o, r, s, d in
                zip(n["output_size"], ranges, n["stride"], n["dilation"]))
    return like_input(ops, input_size, output_size, kernel_size, stride, padding, dilation)

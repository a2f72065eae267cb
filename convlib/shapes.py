"""Shape arithmetic and parameter validation: the one place for both.

Explained in chapter 01 (notebooks/01_shapes.ipynb). For each spatial dimension, with input size
i, kernel_size k, stride s, padding p, dilation d and output_padding op:

    convolution            o = floor((i + 2p - d(k-1) - 1) / s) + 1
    transposed convolution o = (i - 1) s - 2p + d(k-1) + op + 1

Every function of convlib validates its arguments here, once, before computing anything, so a
bad call raises ValueError or TypeError naming the parameter, the value and the valid range.
"""
from dataclasses import dataclass

import numpy as np

MINIMUMS = dict(input_size=1, kernel_size=1, output_size=1, stride=1, padding=0,
                output_padding=0, dilation=1)


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


def as_tuple(value, dims, name):
    """An int (the same in every dimension) or a tuple of `dims` ints, as a tuple of ints."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * dims
    if len(values) != dims:
        raise ValueError(f"{name}={value!r} has {len(values)} entries, but there are {dims} "
                         f"spatial dimensions: give one int or a tuple of {dims} ints")
    minimum = MINIMUMS[name]
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


def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """Output size of a convolution: o = floor((i + 2p - d(k-1) - 1) / s) + 1 per dimension."""
    dims, n = normalise(input_size=input_size, kernel_size=kernel_size, stride=stride,
                        padding=padding, dilation=dilation)
    sizes = tuple((i + 2 * p - d * (k - 1) - 1) // s + 1 for i, k, s, p, d in
                  zip(n["input_size"], n["kernel_size"], n["stride"], n["padding"], n["dilation"]))
    if min(sizes) < 1:
        raise ValueError(f"input_size={input_size!r} is too small: with kernel_size="
                         f"{kernel_size!r}, padding={padding!r} and dilation={dilation!r} the "
                         f"output size would be "
                         f"{sizes}; the padded input must be at least d(k-1)+1 in every dimension")
    return like_input(sizes, input_size, kernel_size, stride, padding, dilation)


def conv_transpose_output_size(input_size, kernel_size, stride=1, padding=0, output_padding=0,
                               dilation=1):
    """Output size of a transposed convolution: o = (i - 1) s - 2p + d(k-1) + op + 1."""
    sizes = check_sizes(input_size, kernel_size, stride, padding, output_padding, dilation)
    return like_input(sizes.output_size, input_size, kernel_size, stride, padding,
                      output_padding, dilation)


def conv_input_sizes(output_size, kernel_size, stride=1, padding=0, dilation=1):
    """The input sizes i with conv_output_size(i) == output_size.

    The floor in o = floor((i + 2p - d(k-1) - 1) / s) + 1 makes s consecutive sizes
    i = (o-1)s - 2p + d(k-1) + 1 + r, r = 0 .. s-1, give the same o. A transposed convolution
    cannot tell them apart; output_padding = r chooses one. A range for ints, a tuple of ranges.
    """
    dims, n = normalise(output_size=output_size, kernel_size=kernel_size, stride=stride,
                        padding=padding, dilation=dilation)
    ranges = []
    for o, k, s, p, d in zip(n["output_size"], n["kernel_size"], n["stride"], n["padding"],
                             n["dilation"]):
        smallest = (o - 1) * s - 2 * p + d * (k - 1) + 1
        ranges.append(range(max(smallest, 1), smallest + s))
    return like_input(tuple(ranges), output_size, kernel_size, stride, padding, dilation)


@dataclass(frozen=True)
class DirectConvParams:
    """How a transposed convolution becomes an ordinary one (per spatial dimension)."""
    inserted_zeros: tuple   # s - 1 zeros between neighbouring inputs
    pad_before: tuple       # d(k-1) - p   (negative: crop)
    pad_after: tuple        # d(k-1) - p + output_padding


def direct_conv_params(kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """Insert s-1 zeros, pad d(k-1)-p before and d(k-1)-p+op after, flip the kernel, convolve.

    The ordinary convolution then runs with stride 1 and the same dilation (chapter 04).
    """
    dims, n = normalise(kernel_size=kernel_size, stride=stride, padding=padding,
                        output_padding=output_padding, dilation=dilation)
    reach = [d * (k - 1) - p for k, p, d in zip(n["kernel_size"], n["padding"], n["dilation"])]
    return DirectConvParams(inserted_zeros=tuple(s - 1 for s in n["stride"]),
                            pad_before=tuple(reach),
                            pad_after=tuple(r + op for r, op in zip(reach, n["output_padding"])))


def canvas_size(input_size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """Size of the uncropped scatter-add canvas: s(i-1) + d(k-1) + 1, plus any op beyond p.

    Input i lands at s*i + d*k on the canvas; output o is canvas entry o + p (chapter 03).
    """
    sizes = check_sizes(input_size, kernel_size, stride, padding, output_padding, dilation)
    return tuple(max(s * (i - 1) + d * (k - 1) + 1, p + o) for i, k, s, p, d, o in
                 zip(sizes.input_size, sizes.kernel_size, sizes.stride, sizes.padding,
                     sizes.dilation, sizes.output_size))


def canvas_crop(input_size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """The output's window on the canvas: slice(p, p + o) per spatial dimension."""
    sizes = check_sizes(input_size, kernel_size, stride, padding, output_padding, dilation)
    return tuple(slice(p, p + o) for p, o in zip(sizes.padding, sizes.output_size))


@dataclass(frozen=True)
class SpatialSizes:
    """Validated spatial parameters of a transposed convolution, one tuple entry per dimension."""
    dims: int
    input_size: tuple
    kernel_size: tuple
    stride: tuple
    padding: tuple
    output_padding: tuple
    dilation: tuple
    output_size: tuple


def check_sizes(input_size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """Validate the spatial parameters of a transposed convolution; returns SpatialSizes.

    Rules: sizes, stride, dilation >= 1; padding, output_padding >= 0; all tuples of one length;
    output_padding < max(stride, dilation); o = (i-1)s - 2p + d(k-1) + op + 1 >= 1.
    """
    dims, n = normalise(input_size=input_size, kernel_size=kernel_size, stride=stride,
                        padding=padding, output_padding=output_padding, dilation=dilation)
    i, k, s, p, op, d = n.values()
    limits = tuple(max(sj, dj) for sj, dj in zip(s, d))
    if any(a >= b for a, b in zip(op, limits)):
        raise ValueError(f"output_padding must be smaller than max(stride, dilation) = {limits} "
                         f"in every dimension, got output_padding={output_padding!r} "
                         f"(stride={stride!r}, dilation={dilation!r})")
    out = tuple((ij - 1) * sj - 2 * pj + dj * (kj - 1) + oj + 1
                for ij, kj, sj, pj, dj, oj in zip(i, k, s, p, d, op))
    if min(out) < 1:
        raise ValueError(f"padding={padding!r} is too large: the output size "
                         f"(i-1)*stride - 2*padding + dilation*(k-1) + output_padding + 1 "
                         f"would be {out} for input size {i} and kernel_size {k}; "
                         f"it must be >= 1 in every dimension")
    return SpatialSizes(dims, i, k, s, p, op, d, out)


@dataclass(frozen=True)
class ConvSetup:
    """A validated convolution call: channels, spatial tuples and the full output shape."""
    dims: int
    batched: bool
    batch: int             # 1 for an unbatched input
    in_channels: int
    out_channels: int
    groups: int
    kernel_size: tuple
    stride: tuple
    padding: tuple
    dilation: tuple
    input_size: tuple
    output_size: tuple
    output_shape: tuple    # (N, C_out, *output_size), or (C_out, *output_size) if unbatched


@dataclass(frozen=True)
class ConvTransposeSetup(ConvSetup):
    """A validated transposed convolution call (ConvSetup plus output_padding)."""
    output_padding: tuple


def check_arrays(input_shape, weight_shape):
    """(dims, batched, batch, channels, input_size) after checking the numbers of axes."""
    input_shape, weight_shape = tuple(input_shape), tuple(weight_shape)
    if not 3 <= len(weight_shape) <= 5:
        raise ValueError(f"weight must have 3 to 5 axes (channels, channels, *kernel_size) for "
                         f"1 to 3 spatial dimensions, got weight.shape={weight_shape}")
    dims = len(weight_shape) - 2
    if len(input_shape) not in (dims + 1, dims + 2):
        raise ValueError(f"input must have {dims + 1} axes (C_in, *spatial) or {dims + 2} axes "
                         f"(N, C_in, *spatial) for a weight with {dims} spatial dimensions, got "
                         f"input.shape={input_shape}")
    batched = len(input_shape) == dims + 2
    if min(weight_shape) < 1 or min(input_shape[batched:]) < 1:
        raise ValueError(f"input and weight must not have empty axes (except the batch axis), "
                         f"got input.shape={input_shape}, weight.shape={weight_shape}")
    batch = input_shape[0] if batched else 1
    return dims, batched, batch, input_shape[batched], input_shape[batched + 1:]


def check_channels(channels, in_channels, out_channels, groups, weight_axis):
    """The input's channels must match the weight, and groups must divide both channel counts."""
    if channels != in_channels:
        raise ValueError(f"input has {channels} channels, but the weight expects in_channels = "
                         f"{in_channels} ({weight_axis}); they must be equal")
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups={groups} must divide both in_channels={in_channels} and "
                         f"out_channels={out_channels}")


def check_bias(bias_shape, out_channels):
    if bias_shape is not None and tuple(bias_shape) != (out_channels,):
        raise ValueError(f"bias must have shape ({out_channels},), one value per output channel, "
                         f"got bias.shape={tuple(bias_shape)}")


def check_conv_transpose(input_shape, weight_shape, bias_shape=None, stride=1, padding=0,
                         output_padding=0, groups=1, dilation=1):
    """Validate a transposed convolution call (PyTorch's rules); returns ConvTransposeSetup.

    input (N, C_in, *i) or (C_in, *i); weight (C_in, C_out/groups, *k); bias (C_out,);
    output (N, C_out, *o) with o = (i-1)s - 2p + d(k-1) + op + 1.
    """
    dims, batched, batch, channels, input_size = check_arrays(input_shape, weight_shape)
    groups = as_int(groups, "groups", 1)
    in_channels, out_channels = weight_shape[0], weight_shape[1] * groups
    check_channels(channels, in_channels, out_channels, groups, "weight.shape[0]")
    sizes = check_sizes(input_size, tuple(weight_shape[2:]), stride, padding, output_padding,
                        dilation)
    check_bias(bias_shape, out_channels)
    return ConvTransposeSetup(
        dims, batched, batch, in_channels, out_channels, groups, sizes.kernel_size, sizes.stride,
        sizes.padding, sizes.dilation, sizes.input_size, sizes.output_size,
        ((batch,) if batched else ()) + (out_channels,) + sizes.output_size, sizes.output_padding)


def check_conv(input_shape, weight_shape, bias_shape=None, stride=1, padding=0, dilation=1,
               groups=1):
    """Validate an ordinary convolution call (PyTorch's rules); returns ConvSetup.

    input (N, C_in, *i) or (C_in, *i); weight (C_out, C_in/groups, *k); bias (C_out,);
    output (N, C_out, *o) with o = floor((i + 2p - d(k-1) - 1) / s) + 1.
    """
    dims, batched, batch, channels, input_size = check_arrays(input_shape, weight_shape)
    groups = as_int(groups, "groups", 1)
    in_channels, out_channels = weight_shape[1] * groups, weight_shape[0]
    check_channels(channels, in_channels, out_channels, groups, "weight.shape[1] * groups")
    kernel_size = tuple(weight_shape[2:])
    output_size = conv_output_size(input_size, kernel_size, stride, padding, dilation)
    check_bias(bias_shape, out_channels)
    _, n = normalise(kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation)
    return ConvSetup(
        dims, batched, batch, in_channels, out_channels, groups, kernel_size, n["stride"],
        n["padding"], n["dilation"], input_size, output_size,
        ((batch,) if batched else ()) + (out_channels,) + output_size)


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

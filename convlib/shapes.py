"""Shape arithmetic and parameter validation: the one place for both.

Explained in chapter 01 (notebooks/01_shapes.ipynb). For each spatial dimension, with input size
i, kernel_size k, stride s, padding p, dilation d and output_padding op:

    convolution            o = floor((i + 2p - d(k-1) - 1) / s) + 1
    transposed convolution o = (i - 1) s - 2p + d(k-1) + op + 1

A call is validated once, here, into a frozen Setup (transposed convolution) or ConvSetup
(ordinary convolution) before anything is computed; a bad call raises ValueError or TypeError
naming the parameter, the value and the valid range. Everything downstream takes the setup and
trusts it. Every derived size is a property of the setup, so each formula is written once.
"""
from dataclasses import dataclass, replace
from math import gcd, prod

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


@dataclass(frozen=True)
class Setup:
    """A validated transposed-convolution call; made only by validate() or validate_sizes().

    Spatial fields hold one int per dimension. Shapes: input (N, C_in, *i) or (C_in, *i),
    weight (C_in, C_out/groups, *k), output (N, C_out, *o).
    """
    input_size: tuple
    kernel_size: tuple
    stride: tuple
    padding: tuple
    output_padding: tuple
    dilation: tuple
    groups: int = 1
    in_channels: int = 1
    out_channels: int = 1
    batch: int = 1         # 1 for an unbatched input
    batched: bool = True

    def per_dim(self, formula):
        """formula(i, k, s, p, op, d) in every spatial dimension, as a tuple."""
        return tuple(map(formula, self.input_size, self.kernel_size, self.stride, self.padding,
                         self.output_padding, self.dilation))

    @property
    def dims(self):
        return len(self.input_size)

    @property
    def output_size(self):
        """o = (i-1)s - 2p + d(k-1) + op + 1 (chapter 01)."""
        return self.per_dim(lambda i, k, s, p, op, d: (i - 1) * s - 2 * p + d * (k - 1) + op + 1)

    @property
    def output_shape(self):
        """(N, C_out, *o), or (C_out, *o) for an unbatched input."""
        return (self.batch,) * self.batched + (self.out_channels,) + self.output_size

    @property
    def canvas_size(self):
        """The uncropped scatter-add canvas: s(i-1) + d(k-1) + 1, or p + o if op reaches beyond.

        Input i lands at s*i + d*k on the canvas; output o is canvas entry o + p (chapter 03).
        """
        return tuple(max(s * (i - 1) + d * (k - 1) + 1, p + o) for (i, k, s, p, d), o in
                     zip(zip(self.input_size, self.kernel_size, self.stride, self.padding,
                             self.dilation), self.output_size))

    @property
    def canvas_crop(self):
        """The output's window on the canvas: slice(p, p + o) per spatial dimension."""
        return tuple(slice(p, p + o) for p, o in zip(self.padding, self.output_size))

    @property
    def inserted_zeros(self):
        """s - 1 zeros between neighbouring inputs for the direct method (chapter 04)."""
        return tuple(s - 1 for s in self.stride)

    @property
    def pad_before(self):
        """d(k-1) - p zeros before the zero-inserted input (negative: crop)."""
        return self.per_dim(lambda i, k, s, p, op, d: d * (k - 1) - p)

    @property
    def pad_after(self):
        """d(k-1) - p + op zeros after the zero-inserted input (negative: crop)."""
        return self.per_dim(lambda i, k, s, p, op, d: d * (k - 1) - p + op)

    @property
    def direct_size(self):
        """Size of the direct method's input: s(i-1) + 1 + pad_before + pad_after = o + d(k-1)."""
        return tuple(o + d * (k - 1) for o, k, d in
                     zip(self.output_size, self.kernel_size, self.dilation))

    @property
    def conv_size(self):
        """What the convolution of the output gives back: i + floor(op / s) (>= i)."""
        return self.per_dim(lambda i, k, s, p, op, d: i + op // s)

    @property
    def matrix_shape(self):
        """Shape of the convolution's matrix C with out = C.T @ y (chapter 02):
        (C_in * prod(conv_size), C_out * prod(o))."""
        return (self.in_channels * prod(self.conv_size),
                self.out_channels * prod(self.output_size))


@dataclass(frozen=True)
class ConvSetup:
    """A validated ordinary-convolution call; made only by validate_conv().

    Shapes: input (N, C_in, *i) or (C_in, *i), weight (C_out, C_in/groups, *k), output
    (N, C_out, *o).
    """
    input_size: tuple
    kernel_size: tuple
    stride: tuple
    padding: tuple
    dilation: tuple
    groups: int = 1
    in_channels: int = 1
    out_channels: int = 1
    batch: int = 1
    batched: bool = True

    @property
    def dims(self):
        return len(self.input_size)

    @property
    def output_size(self):
        """o = floor((i + 2p - d(k-1) - 1) / s) + 1."""
        return tuple((i + 2 * p - d * (k - 1) - 1) // s + 1 for i, k, s, p, d in
                     zip(self.input_size, self.kernel_size, self.stride, self.padding,
                         self.dilation))

    @property
    def output_shape(self):
        return (self.batch,) * self.batched + (self.out_channels,) + self.output_size

    @property
    def matrix_shape(self):
        """Shape of C with conv(x).ravel() == C @ x.ravel(): (C_out * prod(o), C_in * prod(i))."""
        return (self.out_channels * prod(self.output_size),
                self.in_channels * prod(self.input_size))


def output_padding_limit(stride, dilation):
    """max(stride, dilation) per dimension: output_padding must be smaller (ints in, int out)."""
    _, n = normalise(stride=stride, dilation=dilation)
    return like_input(tuple(map(max, n["stride"], n["dilation"])), stride, dilation)


def largest_padding(input_size, kernel_size, stride=1, output_padding=0, dilation=1):
    """The largest padding with output size >= 1: floor(((i-1)s + d(k-1) + op) / 2)."""
    _, n = normalise(input_size=input_size, kernel_size=kernel_size, stride=stride,
                     output_padding=output_padding, dilation=dilation)
    sizes = tuple(((i - 1) * s + d * (k - 1) + op) // 2 for i, k, s, op, d in zip(*n.values()))
    return like_input(sizes, input_size, kernel_size, stride, output_padding, dilation)


def divisors(n):
    """The valid groups for n channels: every divisor of n, ascending (use gcd(C_in, C_out))."""
    n = as_int(n, "channels", 1)
    return [g for g in range(1, n + 1) if n % g == 0]


def validate_sizes(input_size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """Validate the spatial parameters of a transposed convolution; returns a Setup.

    Rules: sizes, stride, dilation >= 1; padding, output_padding >= 0; all tuples of one length;
    output_padding < max(stride, dilation); o = (i-1)s - 2p + d(k-1) + op + 1 >= 1.
    """
    _, n = normalise(input_size=input_size, kernel_size=kernel_size, stride=stride,
                     padding=padding, output_padding=output_padding, dilation=dilation)
    limits = output_padding_limit(n["stride"], n["dilation"])
    if any(op >= limit for op, limit in zip(n["output_padding"], limits)):
        raise ValueError(f"output_padding must be smaller than max(stride, dilation) = {limits} "
                         f"in every dimension, got output_padding={output_padding!r} "
                         f"(stride={stride!r}, dilation={dilation!r})")
    setup = Setup(**n)
    if min(setup.output_size) < 1:
        largest = largest_padding(setup.input_size, setup.kernel_size, setup.stride,
                                  setup.output_padding, setup.dilation)
        raise ValueError(f"padding={padding!r} is too large: the output size "
                         f"(i-1)*stride - 2*padding + dilation*(k-1) + output_padding + 1 "
                         f"would be {setup.output_size} for input size {setup.input_size} and "
                         f"kernel_size {setup.kernel_size}; it must be >= 1 in every dimension, "
                         f"so padding <= {largest}")
    return setup


def validate_arrays(input_shape, weight_shape):
    """(batched, batch, channels, input_size) after checking the numbers of axes."""
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
    return batched, batch, input_shape[batched], input_shape[batched + 1:]


def validate_channels(channels, in_channels, out_channels, groups, weight_axis):
    """The input's channels must match the weight, and groups must divide both channel counts."""
    if channels != in_channels:
        raise ValueError(f"input has {channels} channels, but the weight expects in_channels = "
                         f"{in_channels} ({weight_axis}); they must be equal")
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups={groups} must divide both in_channels={in_channels} and "
                         f"out_channels={out_channels} (valid: "
                         f"{divisors(gcd(in_channels, out_channels))})")


def validate_bias(bias_shape, out_channels):
    if bias_shape is not None and tuple(bias_shape) != (out_channels,):
        raise ValueError(f"bias must have shape ({out_channels},), one value per output channel, "
                         f"got bias.shape={tuple(bias_shape)}")


def validate(input_shape, weight_shape, bias_shape=None, stride=1, padding=0, output_padding=0,
             groups=1, dilation=1):
    """Validate a transposed convolution call (PyTorch's rules and argument order); a Setup.

    input (N, C_in, *i) or (C_in, *i); weight (C_in, C_out/groups, *k); bias (C_out,);
    output (N, C_out, *o) with o = (i-1)s - 2p + d(k-1) + op + 1.
    """
    batched, batch, channels, input_size = validate_arrays(input_shape, weight_shape)
    groups = as_int(groups, "groups", 1)
    in_channels, out_channels = weight_shape[0], weight_shape[1] * groups
    validate_channels(channels, in_channels, out_channels, groups, "weight.shape[0]")
    sizes = validate_sizes(input_size, tuple(weight_shape[2:]), stride, padding, output_padding,
                           dilation)
    validate_bias(bias_shape, out_channels)
    return replace(sizes, groups=groups, in_channels=int(in_channels),
                   out_channels=int(out_channels), batch=int(batch), batched=batched)


def validate_conv(input_shape, weight_shape, bias_shape=None, stride=1, padding=0, dilation=1,
                  groups=1):
    """Validate an ordinary convolution call (PyTorch's rules and argument order); a ConvSetup.

    input (N, C_in, *i) or (C_in, *i); weight (C_out, C_in/groups, *k); bias (C_out,);
    output (N, C_out, *o) with o = floor((i + 2p - d(k-1) - 1) / s) + 1 >= 1.
    """
    batched, batch, channels, input_size = validate_arrays(input_shape, weight_shape)
    groups = as_int(groups, "groups", 1)
    in_channels, out_channels = weight_shape[1] * groups, weight_shape[0]
    validate_channels(channels, in_channels, out_channels, groups, "weight.shape[1] * groups")
    setup = validate_conv_sizes(input_size, tuple(weight_shape[2:]), stride, padding, dilation)
    validate_bias(bias_shape, out_channels)
    return replace(setup, groups=groups, in_channels=int(in_channels),
                   out_channels=int(out_channels), batch=int(batch), batched=batched)


def validate_conv_sizes(input_size, kernel_size, stride=1, padding=0, dilation=1):
    """Validate the spatial parameters of an ordinary convolution; returns a ConvSetup.

    Rules: sizes, stride, dilation >= 1; padding >= 0; the padded input holds the dilated
    kernel, i + 2p >= d(k-1) + 1, so that o >= 1.
    """
    _, n = normalise(input_size=input_size, kernel_size=kernel_size, stride=stride,
                     padding=padding, dilation=dilation)
    setup = ConvSetup(**n)
    if min(setup.output_size) < 1:
        raise ValueError(f"input_size={input_size!r} is too small: with kernel_size="
                         f"{kernel_size!r}, padding={padding!r} and dilation={dilation!r} the "
                         f"output size would be {setup.output_size}; the padded input must be "
                         f"at least d(k-1)+1 in every dimension")
    return setup


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

"""validate(...) and its kin: a call's arguments checked once, by PyTorch's rules, into a Setup.

A bad call raises ValueError or TypeError naming the parameter, the value and the valid range,
before anything is computed.
"""
from dataclasses import replace
from math import gcd

from .arguments import as_int, compact, normalise
from .setup import ConvSetup, Setup, divisors, largest_padding, output_padding_limit


def validate_sizes(input_size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """Validate the spatial parameters of a transposed convolution; returns a Setup.

    Rules: sizes, stride, dilation >= 1; padding, output_padding >= 0; all tuples of one length;
    output_padding < max(stride, dilation); o = (i-1)s - 2p + d(k-1) + op + 1 >= 1.
    """
    _, n = normalise(input_size=input_size, kernel_size=kernel_size, stride=stride,
                     padding=padding, output_padding=output_padding, dilation=dilation)
    limits = output_padding_limit(n["stride"], n["dilation"])
    if any(op >= limit for op, limit in zip(n["output_padding"], limits)):
        raise ValueError(f"output_padding must be smaller than max(stride, dilation) = "
                         f"{compact(limits)} in every dimension, got output_padding={output_padding!r} "
                         f"(stride={stride!r}, dilation={dilation!r})")
    setup = Setup(**n)
    if min(setup.output_size) < 1:
        largest = largest_padding(input_size, kernel_size, stride, output_padding, dilation)
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

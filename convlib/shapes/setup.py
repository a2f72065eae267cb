"""The validated call: one frozen Setup (transposed convolution) or ConvSetup (ordinary
convolution), whose derived sizes are properties computed by the formulas of
convlib.shapes.formulas; and the bounds the explorers' sliders follow (output_padding <
max(stride, dilation), the largest padding that keeps an output, the divisors that groups can be).
"""
from dataclasses import dataclass, replace
from math import prod

from . import formulas as f
from .arguments import as_int, like_input, normalise


@dataclass(frozen=True)
class Setup:
    """A validated transposed-convolution call; made only by validate() or validate_sizes(), or
    derived from one that is (uncropped(), along()).

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

    def per_dim(self, formula, *names):
        """formula(*fields) in every spatial dimension, as a tuple: per_dim(f, "stride", ...)."""
        return tuple(map(formula, *(getattr(self, name) for name in names)))

    @property
    def dims(self):
        return len(self.input_size)

    @property
    def kernel_span(self):
        """K = d(k-1) + 1: the entries the dilated kernel covers."""
        return self.per_dim(f.kernel_span, "kernel_size", "dilation")

    @property
    def full_size(self):
        """c = (i-1)s + K: the full result, every stamp and nothing cropped (chapters 03, 12)."""
        return self.per_dim(f.full_size, "input_size", "kernel_size", "stride", "dilation")

    @property
    def smallest_output_size(self):
        """o_min = (i-1)s - 2p + d(k-1) + 1: the output size without output_padding."""
        return self.per_dim(f.smallest_output_size, "input_size", "kernel_size", "stride",
                            "padding", "dilation")

    @property
    def output_size(self):
        """o = (i-1)s - 2p + d(k-1) + op + 1 (chapter 01)."""
        return tuple(map(sum, zip(self.smallest_output_size, self.output_padding)))

    @property
    def output_shape(self):
        """(N, C_out, *o), or (C_out, *o) for an unbatched input."""
        return (self.batch,) * self.batched + (self.out_channels,) + self.output_size

    @property
    def canvas_size(self):
        """The uncropped scatter-add canvas: c = (i-1)s + K, or p + o if op reaches beyond.

        Input i lands at s*i + d*k on the canvas; output o is canvas entry o + p (chapter 03).
        """
        return tuple(max(c, p + o) for c, p, o in
                     zip(self.full_size, self.padding, self.output_size))

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
        """K - 1 - p = d(k-1) - p zeros before the zero-inserted input (negative: crop)."""
        return tuple(span - 1 - p for span, p in zip(self.kernel_span, self.padding))

    @property
    def pad_after(self):
        """d(k-1) - p + op zeros after the zero-inserted input (negative: crop)."""
        return tuple(b + op for b, op in zip(self.pad_before, self.output_padding))

    @property
    def direct_size(self):
        """Size of the direct method's input: s(i-1) + 1 + pad_before + pad_after = o + K - 1."""
        return tuple(o + span - 1 for o, span in zip(self.output_size, self.kernel_span))

    @property
    def conv_size(self):
        """What the convolution of the output gives back: floor((o + 2p - K) / s) + 1, which is
        i + floor(op / s) (>= i)."""
        return tuple(map(f.conv_output_size, self.output_size, self.kernel_size, self.stride,
                         self.padding, self.dilation))

    @property
    def matrix_shape(self):
        """Shape of the convolution's matrix C with out = C.T @ y (chapter 02):
        (C_in * prod(conv_size), C_out * prod(o))."""
        return (self.in_channels * prod(self.conv_size),
                self.out_channels * prod(self.output_size))

    @property
    def matrix_conv(self):
        """The ConvSetup of C: the convolution from the output's shape back to the input's (the
        weight read in Conv layout, so the channel counts swap)."""
        return ConvSetup(self.output_size, self.kernel_size, self.stride, self.padding,
                         self.dilation, self.groups, self.out_channels, self.in_channels)

    def uncropped(self):
        """The same call with padding 0 and output_padding 0, valid whenever this one is: its
        output is the full result, c = (i-1)s + K."""
        return replace(self, padding=(0,) * self.dims, output_padding=(0,) * self.dims)

    def along(self, axis):
        """The same call along one spatial axis: a 1-D Setup, valid whenever this one is."""
        return replace(self, **{name: (getattr(self, name)[axis],) for name in
                                ("input_size", "kernel_size", "stride", "padding",
                                 "output_padding", "dilation")})


@dataclass(frozen=True)
class ConvSetup:
    """A validated ordinary-convolution call; made by validate_conv(), or derived from a valid
    Setup by the method that uses it (Setup.matrix_conv, direct.direct_conv,
    upsample.phase_conv).

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
    def kernel_span(self):
        """K = d(k-1) + 1: the window under each output."""
        return tuple(map(f.kernel_span, self.kernel_size, self.dilation))

    @property
    def output_size(self):
        """o = floor((i + 2p - d(k-1) - 1) / s) + 1."""
        return tuple(map(f.conv_output_size, self.input_size, self.kernel_size, self.stride,
                         self.padding, self.dilation))

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
    return like_input(tuple(map(f.output_padding_limit, n["stride"], n["dilation"])), stride,
                      dilation)


def largest_padding(input_size, kernel_size, stride=1, output_padding=0, dilation=1):
    """The largest padding with output size >= 1: floor(((i-1)s + d(k-1) + op) / 2)."""
    _, n = normalise(input_size=input_size, kernel_size=kernel_size, stride=stride,
                     output_padding=output_padding, dilation=dilation)
    return like_input(tuple(map(f.largest_padding, *n.values())), input_size, kernel_size,
                      stride, output_padding, dilation)


def divisors(n):
    """The valid groups for n channels: every divisor of n, ascending (use gcd(C_in, C_out))."""
    n = as_int(n, "channels", 1)
    return [g for g in range(1, n + 1) if n % g == 0]

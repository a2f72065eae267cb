"""The validated call: one frozen Setup (transposed convolution) or ConvSetup (ordinary
convolution), whose derived sizes are properties, each formula written once; and the bounds the
explorers' sliders follow (output_padding < max(stride, dilation), the largest padding that keeps
an output, the divisors that groups can be).
"""
from dataclasses import dataclass
from math import prod

from .arguments import as_int, like_input, normalise


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

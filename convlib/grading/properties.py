"""Rules that grade by a property, where more than one answer is right: plain Python over lists.

Each is a factory registered with rules.rule; its arguments are the data the property needs,
computed by convlib or PyTorch in the exercise's chapter module and passed in as lists.
"""
from itertools import product

from .rules import any_order, close, rule
from .values import grid


def numbers_of(value):
    """The numbers of a number or a rectangular nest of lists, flat in row-major order, or None
    (text, a bool, a ragged nest are not numbers)."""
    found = grid(value)
    return None if found is None else found[1]


def whole_pair(value):
    """(a, b) as ints if `value` is two whole numbers in a list or a tuple, else None."""
    found = grid(value)
    if found is None or found[0] != (2,):
        return None
    if not all(abs(x) < float("inf") and x == int(x) for x in found[1]):
        return None
    return tuple(int(x) for x in found[1])


def correlate(signal, kernel):
    """conv1d without padding (no flip): out[o] = sum over t of signal[o + t] * kernel[t], for
    the len(signal) - len(kernel) + 1 places the kernel fits (none if it is longer)."""
    return [sum(signal[o + t] * kernel[t] for t in range(len(kernel)))
            for o in range(len(signal) - len(kernel) + 1)]


@rule
def gives_target(signal, target):
    """Any kernel k with conv1d(signal, k) == target, to float tolerance: with more taps than
    outputs there are more unknowns than equations, so many kernels are right. A nested kernel
    counts by its numbers in order ([[3, 2, 1]] is [3, 2, 1]), as PyTorch's reshape reads it."""
    def accepts(value, answer):
        kernel = numbers_of(value)
        return bool(kernel) and close(correlate(signal, kernel), target)
    return accepts


def tent(kernel_size, stride):
    """The 1-D bilinear kernel of `stride`: w[t] = max(0, 1 - |t - (kernel_size-1)/2| / stride),
    t = 0 .. kernel_size-1 (convlib.upsample.bilinear_kernel with dims=1)."""
    centre = (kernel_size - 1) / 2
    return [max(0.0, 1 - abs(t - centre) / stride) for t in range(kernel_size)]


def conv_transpose_size(length, kernel_size, stride, padding):
    """(length-1)*stride - 2*padding + kernel_size: the output size (chapter 01)."""
    return (length - 1) * stride - 2 * padding + kernel_size


def conv_transpose_1d(x, w, stride, padding):
    """F.conv_transpose1d of one channel: out[o] = sum over i of x[i] * w[o + padding -
    stride*i], the taps outside w left out, for o = 0 .. conv_transpose_size - 1."""
    size = conv_transpose_size(len(x), len(w), stride, padding)
    return [sum(x[i] * w[o + padding - stride * i] for i in range(len(x))
                if 0 <= o + padding - stride * i < len(w)) for o in range(size)]


def interpolate_linear(row, factor):
    """F.interpolate(mode="linear", scale_factor=factor, align_corners=False) of a row: output j
    reads the row at u = (j + 1/2) / factor - 1/2, raised to 0 if below, between entry floor(u)
    and the next (the last entry past the end), each weighed by 1 - its distance from u."""
    out = []
    for j in range(len(row) * factor):
        u = max((j + 0.5) / factor - 0.5, 0.0)
        left = int(u)
        right = min(left + 1, len(row) - 1)
        out.append((1 - (u - left)) * row[left] + (u - left) * row[right])
    return out


@rule
def upsamples_exactly(factor, border, row):
    """(kernel_size, padding) with which conv_transpose1d(row, tent(kernel_size, factor),
    stride=factor, padding=padding) gives len(row)*factor values, equal to interpolate_linear's
    inside a factor-entry border (2-D bilinear interpolation is this along each axis). With
    border=True the row's edge is copied once on each side first, and they are equal everywhere.
    A tent wider than 2*factor has zeros at its ends and computes the same with a larger padding,
    so more than one pair is right."""
    def accepts(value, answer):
        pair = whole_pair(value)
        if pair is None or pair[0] < 1 or pair[1] < 0:
            return False
        kernel_size, padding = pair
        x = [row[0], *row, row[-1]] if border else row
        if conv_transpose_size(len(x), kernel_size, factor, padding) != len(row) * factor:
            return False
        # Drop the tent's zero taps at each end and crop as many fewer: the same output, and a
        # kernel_size of 10**9 costs no more to check than the smallest.
        zeros = max(0, (kernel_size - 1 - 2 * factor) // 2 + 1)
        up = conv_transpose_1d(x, tent(kernel_size - 2 * zeros, factor), factor, padding - zeros)
        linear = interpolate_linear(row, factor)
        inside = slice(None) if border else slice(factor, -factor)
        return close(up[inside], linear[inside])
    return accepts


@rule
def centres_on_input(kernel_size, padding):
    """(k', p') of a transposed convolution with a convolution's stride (dilation 1) that puts
    each output where it came from after that convolution (kernel_size, padding): the maps
    s*u + (k-1)/2 - p and (v + p' - (k'-1)/2)/s compose to v when k' - 2p' = k - 2p, with
    k' >= 1 and p' >= 0 whole numbers (chapter 14)."""
    def accepts(value, answer):
        pair = whole_pair(value)
        return (pair is not None and pair[0] >= 1 and pair[1] >= 0
                and pair[0] - 2 * pair[1] == kernel_size - 2 * padding)
    return accepts


@rule
def sizes_per_side(sides):
    """The sizes a `sides`-d output may have along each side, every side alike, written any of
    three ways: the sizes once ([38, 39], any order), once per side ([[38, 39], [38, 39]]), or
    every output shape they make (the pairs (38, 38), (38, 39), (39, 38), (39, 39), any order)."""
    def accepts(value, answer):
        if any_order(value, answer):
            return True
        found, sizes = grid(value), grid(answer)
        if found is None or sizes is None or len(found[0]) != 2:
            return False
        (count, width), entries = found
        rows = [entries[i * width:(i + 1) * width] for i in range(count)]
        if count in (1, sides) and all(any_order(row, answer) for row in rows):
            return True
        shapes = sorted(product(sorted(sizes[1]), repeat=sides))
        return (width == sides and count == len(shapes)
                and close([x for row in sorted(rows) for x in row],
                          [x for shape in shapes for x in shape]))
    return accepts

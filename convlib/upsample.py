"""Upsampling with a transposed convolution: bilinear kernels, exact factors, sub-pixel
convolution (both ways) and resize-convolution (chapter 08, notebooks/08_in_practice.ipynb, and chapter 10,
notebooks/10_upsampling.ipynb).

The bilinear (tent) kernel of kernel_size K for a stride s has, along each spatial axis,

    w[k] = max(0, 1 - |k - (K-1)/2| / s)        k = 0 .. K-1

and is the outer product of that 1-D kernel over the axes. Its taps farther than s from the
centre are 0: only K > 2s has any, at its ends. With K = 2s every output position
receives two taps, s apart, whose weights add up to 1, so a constant picture stays constant
(away from the border). K=4, s=2, padding=1 doubles the size and equals
F.interpolate(scale_factor=2, mode="bilinear", align_corners=False) away from the border; with
the input's edge copied once on each side first and padding 3, everywhere (interpolation).
"""
from dataclasses import dataclass
from functools import reduce
from math import prod

import numpy as np

from . import arrays, shapes
from .direct import convolve, direct_weight, place


def bilinear_kernel(kernel_size, stride, dims=2):
    """The tent kernel w[k] = max(0, 1 - |k - (K-1)/2| / stride), as an array of shape (K,) * dims
    (a tent, not a triangle that goes negative: a wider kernel has zeros at its ends)."""
    k = np.arange(kernel_size)
    tent = np.maximum(0, 1 - np.abs(k - (kernel_size - 1) / 2) / stride)
    return reduce(np.multiply.outer, [tent] * dims)


def sample_picture(factor=8, color=False):
    """Matplotlib's bundled photograph of Grace Hopper (600x512) in [0, 1], float32, shrunk by
    averaging factor x factor blocks (no download: the file ships with matplotlib).

    Grayscale (H, W), or with color=True the three channels (3, H, W).
    """
    import matplotlib.cbook
    import matplotlib.pyplot as plt

    factor = shapes.as_int(factor, "factor", 1)
    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as file:
        rgb = plt.imread(file, format="jpg").astype(np.float64).transpose(2, 0, 1) / 255
    h, w = rgb.shape[1] // factor, rgb.shape[2] // factor
    blocks = rgb[:, :h * factor, :w * factor].reshape(3, h, factor, w, factor).mean(axis=(2, 4))
    return (blocks if color else blocks.mean(axis=0)).astype(np.float32)


def exact_upsampling(factor):
    """kernel_size, stride and padding of a transposed convolution that maps i to exactly s*i
    and, with bilinear_kernel(kernel_size, s), is bilinear interpolation (chapter 10):

        even s: kernel_size = 2s,     padding = s/2       ((i-1)s - s + 2s = s*i)
        odd s:  kernel_size = 2s - 1, padding = (s-1)/2   ((i-1)s - (s-1) + 2s - 1 = s*i)

    The tent must be centred where interpolation reads: half an input pixel minus half an output
    pixel from an input, which is a whole number of output pixels only with these sizes.
    """
    s = shapes.as_int(factor, "factor", 1)
    return dict(kernel_size=2 * s - s % 2, stride=s, padding=s // 2)


def interpolation(factor, align_corners=False):
    """The transposed convolution that is F.interpolate(scale_factor=factor, mode="linear",
    "bilinear" or "trilinear") everywhere, border included (chapter 13): a dict of kernel_size,
    stride, padding and `replicate`, how many copies of the edge to pad the input with first.

    align_corners=False: output j reads the input at u = (j + 1/2)/s - 1/2, clamped to the input
    (PyTorch clamps u below 0 to 0 and reads the last input past the end): that is the
    interpolation of the input with its edge copied once on each side, read at u + 1. The tent
    of exact_upsampling is centred right when p' - (K-1)/2 = (s+1)/2, so padding = p + s, one
    input's worth of outputs (s) more on each side than exact_upsampling's p, and the size stays
    (i + 1)s - 2(p + s) + K = s*i:
        replicate 1, kernel_size 2s (even s) or 2s - 1 (odd s), padding p + s = 3s/2 or (3s-1)/2.
    align_corners=True: output j reads u = j (i-1)/(o-1), a whole number of inputs every s
    outputs only when o = s(i-1) + 1, the size this rule gives: replicate 0, kernel_size 2s - 1,
    padding s - 1. (At o = s*i no transposed convolution computes it: see chapter 13.)
    """
    s = shapes.as_int(factor, "factor", 1)
    if align_corners:
        return dict(kernel_size=2 * s - 1, stride=s, padding=s - 1, replicate=0)
    params = exact_upsampling(s)
    return dict(params, padding=params["padding"] + s, replicate=1)


def interpolate(input, factor, align_corners=False):
    """F.interpolate(input, scale_factor=factor, mode="(bi|tri)linear", align_corners=False) for
    an input (N, C, *spatial), computed as a transposed convolution (see interpolation): each
    channel on its own (groups=C) with bilinear_kernel, after padding every spatial axis with
    `replicate` copies of its edge. align_corners=True gives F.interpolate(input,
    size=factor * (i - 1) + 1, align_corners=True) instead.
    """
    from .phases import conv_transpose_phases

    x, restore = arrays.as_numpy(input)
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"input must be (N, C, *spatial) with 1 to 3 spatial axes, got "
                         f"input.shape={x.shape}")
    rule = interpolation(factor, align_corners)
    dims, channels = x.ndim - 2, x.shape[1]
    x = np.pad(x, [(0, 0)] * 2 + [(rule["replicate"],) * 2] * dims, mode="edge")
    tent = bilinear_kernel(rule["kernel_size"], rule["stride"], dims).astype(x.dtype)
    return restore(conv_transpose_phases(x, np.broadcast_to(tent, (channels, 1) + tent.shape),
                                         stride=rule["stride"], padding=rule["padding"],
                                         groups=channels))


@dataclass(frozen=True)
class SubPixel:
    """A stride-1 convolution and PixelShuffle that compute a transposed convolution."""
    weight: object       # (C_out * prod(s), C_in, *j) in PixelShuffle's channel order (a
                         # tensor for a tensor weight)
    pad_before: tuple    # zeros before the input (negative: crop), per spatial dimension
    pad_after: tuple
    output_size: tuple   # the transposed convolution's size: crop the shuffled result to it


def subpixel(weight, input_size, stride=1, padding=0, output_padding=0):
    """Rearrange a transposed convolution's weight (C_in, C_out, *k) for sub-pixel convolution.

    Output o = s*q + r (its phase r) is the sum of x[q - t] * w[s*t + r + p] over t. For each
    phase that is an ordinary convolution in q with the taps w[r + p], w[s + r + p], ... read
    backwards; PixelShuffle(s) interleaves the phases. So the convolution's weight is
    v[(c_out, r), c_in, j] = w[c_in, c_out, s*(t_max - j) + r + p], zero where that tap is
    outside the kernel, for t = t_max .. t_min, t_max = floor((k-1-p)/s), t_min = floor(-p/s).
    """
    w, restore = arrays.as_numpy(weight)
    setup = shapes.validate_sizes(input_size, tuple(w.shape[2:]), stride, padding,
                                  output_padding)
    plan = rearrange(w, setup)
    return SubPixel(restore(plan.weight), plan.pad_before, plan.pad_after, plan.output_size)


def rearrange(w, setup):
    """subpixel() for a validated Setup (dilation 1) and a NumPy weight (C_in, C_out, *k)."""
    d, index, before, after = setup.dims, [], [], []
    for i, k, s, p, o in zip(setup.input_size, setup.kernel_size, setup.stride, setup.padding,
                             setup.output_size):
        t_max, t_min = (k - 1 - p) // s, -p // s
        taps = s * (t_max - np.arange(t_max - t_min + 1)) + np.arange(s)[:, None] + p  # (r, j)
        index.append(np.where((taps >= 0) & (taps < k), taps, k))  # k: a zero appended below
        before.append(t_max)
        after.append(-(-o // s) - i + -t_min)  # ceil(o/s) rows q cover o; crop the rest
    w = np.pad(w, [(0, 0)] * 2 + [(0, 1)] * d)
    grids = [ix.reshape((1,) * 2 * j + ix.shape + (1,) * 2 * (d - 1 - j)) for j, ix in
             enumerate(index)]
    v = w[(slice(None), slice(None), *grids)]              # (C_in, C_out, r1, j1, r2, j2, ...)
    v = v.transpose((1, *range(2, 2 + 2 * d, 2), 0, *range(3, 3 + 2 * d, 2)))
    return SubPixel(v.reshape((-1, w.shape[0]) + v.shape[-d:]), tuple(before), tuple(after),
                    setup.output_size)


def transposed_from_subpixel(weight, stride, padding=0):
    """The transposed convolution that a sub-pixel convolution computes: subpixel's converse.

    A stride-1 convolution with weight v (C_out * prod(s), C_in, *j) in PixelShuffle's channel
    order and padding P, then pixel_shuffle by s, equals the transposed convolution with stride
    s, padding s*(j-1-P) and the weight (C_in, C_out, *(s*j)), per spatial axis

        w[c_in, c, s*(j-1-t) + r] = v[(c, r), c_in, t]     t = 0 .. j-1, r = 0 .. s-1

    (output s*q + r reads x[q + t - P] through v's tap t, which is the transposed convolution's
    tap s*(j-1-t) + r). Every tap of w comes from one tap of v, so a free 3x3 sub-pixel x2
    convolution with padding 1 is exactly ConvTranspose(kernel_size=6, stride=2, padding=2)
    (Shi et al. 2016; chapter 10). Returns (weight, padding); needs 0 <= P <= j-1.
    """
    v, restore = arrays.as_numpy(weight)
    dims = v.ndim - 2
    if dims < 1:
        raise ValueError(f"weight must have shape (C_out * prod(stride), C_in, *kernel_size), "
                         f"got weight.shape={v.shape}")
    s = shapes.as_tuple(stride, dims, "stride")
    pad = shapes.as_tuple(padding, dims, "padding")
    j = v.shape[2:]
    if v.shape[0] % prod(s):
        raise ValueError(f"the weight's {v.shape[0]} output channels must be divisible by "
                         f"prod(stride) = {prod(s)} (stride={stride!r})")
    if any(p > jj - 1 for p, jj in zip(pad, j)):
        raise ValueError(f"padding must be <= kernel_size - 1 = {tuple(jj - 1 for jj in j)} in "
                         f"every dimension for a transposed convolution to match, got "
                         f"padding={padding!r}")
    v = v.reshape((v.shape[0] // prod(s),) + s + v.shape[1:])      # (C_out, *s, C_in, *j)
    v = np.flip(v, axis=tuple(range(2 + dims, 2 + 2 * dims)))       # tap t -> j-1-t
    order = (1 + dims, 0) + sum(((2 + dims + a, 1 + a) for a in range(dims)), ())
    w = v.transpose(order).reshape(v.shape[1 + dims], v.shape[0],
                                   *(jj * sj for jj, sj in zip(j, s)))
    return restore(np.ascontiguousarray(w)), tuple(sj * (jj - 1 - p) for sj, jj, p in
                                                   zip(s, j, pad))


def pixel_shuffle(x, stride):
    """(N, C * prod(s), *q) -> (N, C, *(q*s)): channel (c, r1, r2, ...) goes to phase r of
    channel c, out[n, c, s*q + r] = x[n, (c, r), q], like torch.nn.PixelShuffle(s) in 2-D."""
    x, restore = arrays.as_numpy(x)
    s = shapes.as_tuple(stride, x.ndim - 2, "stride")
    if x.shape[1] % prod(s):
        raise ValueError(f"the input's {x.shape[1]} channels must be divisible by "
                         f"prod(stride) = {prod(s)} (stride={stride!r})")
    return restore(shuffle(x, s))


def shuffle(x, s):
    """pixel_shuffle() of a NumPy array whose channels prod(s) divides, s one int per axis."""
    d = x.ndim - 2
    x = x.reshape(x.shape[:1] + (-1,) + s + x.shape[2:])
    x = x.transpose((0, 1) + sum(((2 + d + j, 2 + j) for j in range(d)), ()))
    return x.reshape(x.shape[:2] + tuple(q * r for q, r in zip(x.shape[2::2], s)))


def conv_transpose_subpixel(input, weight, bias=None, stride=1, padding=0, output_padding=0):
    """Transposed convolution as sub-pixel convolution (groups=1, dilation=1), validated once:

    pad the input by subpixel(...).pad_before/after, convolve with stride 1 and the rearranged
    weight, pixel_shuffle by s, crop to the output size.
    """
    x, w, setup, finish = arrays.prepare(input, weight, bias, stride, padding, output_padding)
    plan = rearrange(w, setup)
    size = tuple(map(sum, zip(setup.input_size, plan.pad_before, plan.pad_after)))
    padded = place(x, plan.pad_before, (1,) * setup.dims, size)   # channels last
    z = convolve(padded, plan.weight, phase_conv(setup, plan, size))
    out = shuffle(z.reshape(z.shape[:1] + (-1,) + z.shape[3:]), setup.stride)
    return finish(out[(..., *(slice(o) for o in plan.output_size))])


def phase_conv(setup, plan, size):
    """The ConvSetup of the sub-pixel method's stride-1 convolution of the padded input (size
    i + pad_before + pad_after) with plan.weight: ceil(o/s) outputs per axis, always >= 1."""
    ones = (1,) * setup.dims
    return shapes.ConvSetup(size, plan.weight.shape[2:], ones, (0,) * setup.dims, ones, 1,
                            setup.in_channels, plan.weight.shape[0], setup.batch)


def resize_conv_weight(weight, stride):
    """The transposed convolution that resize-convolution computes.

    Nearest-neighbour resizing by s, then a stride-1 convolution with weight v (C_out, C_in, *j)
    and padding P, equals a transposed convolution with stride s, padding j-1-P and the weight
    (C_in, C_out, *(j+s-1)): v flipped, channels swapped (direct_weight), then summed over s
    shifts along every axis, w[k] = sum of v'[k - b] for b = 0 .. s-1. Each output phase of w
    sums to sum(v), so a constant input gives a constant output away from the border.
    """
    w, restore = arrays.as_numpy(weight)
    w = direct_weight(w)
    dims = w.ndim - 2
    for axis, s in enumerate(shapes.as_tuple(stride, dims, "stride"), start=2):
        w = sum(np.pad(w, [(0, 0)] * axis + [(b, s - 1 - b)] + [(0, 0)] * (dims + 1 - axis))
                for b in range(s))
    return restore(w)

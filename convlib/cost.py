"""What each view of the same layer costs, in multiply-adds (chapter 13,
notebooks/13_in_training.ipynb).

For a transposed convolution with a validated Setup (N images, C_in -> C_out channels, G groups):

    transposed (scatter-add, and what PyTorch's FLOP counter counts): every input times every tap,
        N * C_in * prod(i) * C_out/G * prod(k)
    direct (chapter 04): every output's window on the zero-inserted, padded input,
        N * C_out * prod(o) * C_in/G * prod(k)
    phases: every output times the taps of its phase, prod over the axes of #{(o, k) : o + p = d*k
        (mod s)}, times N * C_out * C_in/G
    useful: the products that read a real input and land on a kept output, prod over the axes
        of #{(o, k, i) : o = s*i + d*k - p inside the output, i inside the input},
        times N * C_out * C_in/G

Per axis the direct window of output o reads zero-inserted position o + p - d*k' for each tap
(flipped); it is a real input only when that is s*i for an i inside the input, so all but the
useful products multiply an inserted zero or a padding zero.
"""
from math import prod

from . import shapes


def per_axis(setup, count):
    """prod over the spatial axes of count(i, k, s, p, d, o)."""
    return prod(count(i, k, s, p, d, o) for (i, k, s, p, op, d), o in
                zip(zip(setup.input_size, setup.kernel_size, setup.stride, setup.padding,
                        setup.output_padding, setup.dilation), setup.output_size))


def channel_pairs(setup):
    """N * C_out * C_in/G: the (image, output channel, input channel) triples that meet."""
    return setup.batch * setup.out_channels * (setup.in_channels // setup.groups)


def multiply_adds(setup, view):
    """Multiply-adds of one view ("transposed", "direct", "phases" or "useful") of a Setup."""
    counts = {
        "transposed": lambda i, k, s, p, d, o: i * k,
        "direct": lambda i, k, s, p, d, o: o * k,
        "phases": lambda i, k, s, p, d, o: sum((o_ + p - d * k_) % s == 0 for o_ in range(o)
                                               for k_ in range(k)),
        "useful": lambda i, k, s, p, d, o: sum(0 <= s * i_ + d * k_ - p < o for i_ in range(i)
                                               for k_ in range(k)),
    }
    if view not in counts:
        raise ValueError(f"view must be one of {sorted(counts)}, got view={view!r}")
    return channel_pairs(setup) * per_axis(setup, counts[view])


def direct_on_zeros(setup):
    """(on inserted zeros, on padding zeros) as fractions of the direct view's multiply-adds.

    A direct product on a padding zero reads outside [0, s(i-1)]; one on an inserted zero reads
    inside it, at a position that is not a multiple of s. Counted per axis, then combined: a
    product reads a real input only when it does so along every axis.
    """
    real, inside = 1, 1
    for (i, k, s, p, d), o in zip(zip(setup.input_size, setup.kernel_size, setup.stride,
                                      setup.padding, setup.dilation), setup.output_size):
        reads = [o_ + p - d * k_ for o_ in range(o) for k_ in range(k)]
        real *= sum(0 <= r <= s * (i - 1) and r % s == 0 for r in reads) / len(reads)
        inside *= sum(0 <= r <= s * (i - 1) for r in reads) / len(reads)
    return inside - real, 1 - inside


def upsampling_views(channels=64, size=128, factor=2):
    """Multiply-adds of four ways to enlarge a (channels, size, size) map `factor` times with
    `channels` output channels (one image), each a learned layer of the same job:

        transposed convolution, kernel_size=2s, stride=s, padding=s/2 (or 2s-1, (s-1)/2 for odd s):
            C * C * n^2 * k^2
        its zero-insertion direct view: C * C * (s n)^2 * k^2
        nearest resize, then Conv2d(C, C, 3, padding=1): C * C * (s n)^2 * 9
        Conv2d(C, C s^2, 3, padding=1), then PixelShuffle(s): C * C s^2 * n^2 * 9
    """
    s = shapes.as_int(factor, "factor", 1)
    k, p = 2 * s - s % 2, s // 2
    setup = shapes.validate((1, channels, size, size), (channels, channels, k, k), stride=s,
                            padding=p)
    return {f"ConvTranspose2d(k={k}, s={s}, p={p})": multiply_adds(setup, "transposed"),
            "zero insertion + direct convolution": multiply_adds(setup, "direct"),
            "by phases (conv_transpose_phases)": multiply_adds(setup, "phases"),
            "nearest resize + Conv2d(3x3)": channels * channels * (s * size) ** 2 * 9,
            f"Conv2d(3x3, {channels * s * s} out) + PixelShuffle({s})":
                channels * s * s * channels * size ** 2 * 9}

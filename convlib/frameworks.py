"""The same transposed convolution in PyTorch, Keras 3, JAX and ONNX: which window each keeps.

Explained in chapter 12 (notebooks/12_frameworks.ipynb). Along one spatial dimension, with input
size i, kernel_size k, stride s and dilation d, every framework computes the same full result
(the uncropped scatter-add canvas of chapter 03)

    c = (i - 1) s + K,   K = d(k - 1) + 1   (the dilated kernel's span)

and keeps a window of it: it crops `before` entries at the start and `after` at the end, so
o = c - before - after. A negative crop appends entries that hold only the bias. The frameworks
differ only in (before, after); with T = before + after the total crop:

    PyTorch padding=p, output_padding=op     before = p, after = p - op
    Keras   padding='valid'                  T = -op, op defaulting to max(K, s) - K
            padding='same'                   T = K - s (op None) or K - K%2 - op
                                             before = max(T // 2, 0), after = T - before
    JAX     lax.conv_transpose 'VALID'       before = 0, after = min(K - s, 0)
            'SAME'                           T = K - s, before = max(T // 2, 0), after = T - before
            explicit padding (lo, hi)        before = K - 1 - lo, after = K - 1 - hi
    ONNX    pads=(b, e), output_padding=op   before = b, after = e - op
            auto_pad='SAME_UPPER'/'_LOWER'   T = max(c + op - i s, 0), b = T // 2 (SAME_UPPER) or
                                             T - T // 2 (SAME_LOWER), after = T - b - op
            output_shape=o                   T = max(c + op - o, 0); b = T // 2 (SAME_UPPER) or
                                             T - T // 2 (otherwise); after = c - b - o
    TF      output_shape=o, 'SAME'           as ONNX's output_shape=o with SAME_UPPER, for the o
                                             with ceil(o / s) = i only: (i-1)s < o <= i s
            output_shape=o, 'VALID'          before = 0, after = c - o, for c <= o < c + s

Keras, JAX and ONNX's SAME_UPPER put an odd crop's extra entry at the end; PyTorch and ONNX's
SAME_LOWER at the start. The rules are those of Keras 3.15, JAX 0.10 and ONNX Runtime 1.31
(tests/test_frameworks.py runs the real libraries), including what each refuses; TensorFlow's
(tf.nn.conv*d_transpose, chapter 15) is not installed here: its rule is the forward convolution's
(an output_shape is accepted when the convolution maps it back to the input's size). Each
framework's public *_crop function validates its arguments once; its *_window function takes a
validated Setup and trusts it (the frameworks explorer).
"""
import math
from dataclasses import dataclass

import numpy as np

from .scatter import conv_transpose_scatter
from .shapes import as_tuple, compact, validate_sizes
from .shapes.formulas import output_padding_limit
from .weight_layouts import jax_kernel, keras_kernel, weight_from_keras  # noqa: F401


@dataclass(frozen=True)
class Crop:
    """The window a framework keeps of the full result, one entry per spatial dimension."""
    full_size: tuple   # c = (i-1)s + d(k-1) + 1
    before: tuple      # entries cropped at the start (negative: bias-only entries prepended)
    after: tuple       # entries cropped at the end (negative: bias-only entries appended)

    @property
    def output_size(self):
        """o = c - before - after."""
        return tuple(c - b - a for c, b, a in zip(self.full_size, self.before, self.after))


def shared(input_size, kernel_size, stride=1, dilation=1):
    """What every framework shares, validated by PyTorch's rules: a Setup with padding 0."""
    return validate_sizes(input_size, kernel_size, stride, 0, 0, dilation)


def full_size(input_size, kernel_size, stride=1, dilation=1):
    """c = (i - 1) s + d(k - 1) + 1 per dimension: PyTorch with padding 0, as a tuple."""
    return shared(input_size, kernel_size, stride, dilation).full_size


def checked(crop, framework):
    """The crop, or a ValueError when the framework's output would be empty."""
    if min(crop.output_size) < 1:
        raise ValueError(f"{framework}: the output size would be {crop.output_size} (full "
                         f"result {crop.full_size}, cropped {crop.before} at the start and "
                         f"{crop.after} at the end); it must be >= 1 in every dimension")
    return crop


def pytorch_crop(input_size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    """PyTorch's ConvTranspose: before = padding, after = padding - output_padding."""
    return pytorch_window(validate_sizes(input_size, kernel_size, stride, padding,
                                         output_padding, dilation))


def pytorch_window(setup):
    """pytorch_crop for a validated Setup: its own padding and output_padding."""
    return Crop(setup.full_size, setup.padding,
                tuple(p - op for p, op in zip(setup.padding, setup.output_padding)))


def keras_crop(input_size, kernel_size, stride=1, padding="valid", output_padding=None,
               dilation=1):
    """Keras 3 Conv{1,2,3}DTranspose (Keras calls stride `strides`, dilation `dilation_rate`),
    by the table above. Keras refuses output_padding >= stride, and stride > 1 together with
    dilation > 1 (in any dimensions)."""
    return keras_window(shared(input_size, kernel_size, stride, dilation), padding,
                        output_padding)


def keras_window(setup, padding="valid", output_padding=None):
    """keras_crop for a validated Setup (of which only i, k, s and d count here)."""
    dims, K, s = setup.dims, setup.kernel_span, setup.stride
    mode = padding.lower() if isinstance(padding, str) else padding
    if mode not in ("valid", "same"):
        raise ValueError(f"Keras: padding must be 'valid' or 'same', got padding={padding!r}")
    if max(s) > 1 and max(setup.dilation) > 1:
        raise ValueError(f"Keras: stride > 1 and dilation > 1 cannot be combined, got "
                         f"stride={compact(s)}, dilation={compact(setup.dilation)}")
    op = (None,) * dims if output_padding is None else as_tuple(output_padding, dims,
                                                                 "output_padding")
    if output_padding is not None and any(o >= sj for o, sj in zip(op, s)):
        raise ValueError(f"Keras: output_padding must be smaller than stride = {s} in every "
                         f"dimension, got output_padding={output_padding!r}")
    if mode == "valid":   # T = -op, op defaulting to max(K, s) - K
        totals = [-(max(k, sj) - k if o is None else o) for k, sj, o in zip(K, s, op)]
    else:                 # T = K - s (op None) or K - K%2 - op
        totals = [k - sj if o is None else k - k % 2 - o for k, sj, o in zip(K, s, op)]
    before = tuple(max(t // 2, 0) for t in totals)
    return checked(Crop(setup.full_size, before, tuple(t - b for t, b in zip(totals, before))),
                   "Keras")


def jax_crop(input_size, kernel_size, stride=1, padding="VALID", dilation=1):
    """JAX lax.conv_transpose (JAX calls stride `strides`, dilation `rhs_dilation`), by the
    table above; padding is 'VALID', 'SAME' or one (lo, hi) pair of any ints per dimension."""
    return jax_window(shared(input_size, kernel_size, stride, dilation), padding)


def jax_window(setup, padding="VALID"):
    """jax_crop for a validated Setup (of which only i, k, s and d count here)."""
    dims, K, s = setup.dims, setup.kernel_span, setup.stride
    if padding == "VALID":
        before, after = (0,) * dims, tuple(min(Kj - sj, 0) for Kj, sj in zip(K, s))
    elif padding == "SAME":
        before = tuple(max((Kj - sj) // 2, 0) for Kj, sj in zip(K, s))
        after = tuple(Kj - sj - b for Kj, sj, b in zip(K, s, before))
    elif isinstance(padding, (tuple, list)) and len(padding) == dims and all(
            isinstance(pair, (tuple, list)) and len(pair) == 2 for pair in padding):
        lo, hi = (as_tuple([pair[j] for pair in padding], dims, "padding", -math.inf)
                  for j in (0, 1))
        before = tuple(Kj - 1 - l for Kj, l in zip(K, lo))
        after = tuple(Kj - 1 - h for Kj, h in zip(K, hi))
    else:
        raise ValueError(f"JAX: padding must be 'SAME', 'VALID' or {dims} (low, high) pairs of "
                         f"ints, one per spatial dimension, got padding={padding!r}")
    return checked(Crop(setup.full_size, before, after), "JAX")


def onnx_crop(input_size, kernel_size, stride=1, pads=None, auto_pad="NOTSET",
              output_padding=0, output_shape=None, dilation=1):
    """ONNX ConvTranspose as ONNX Runtime runs it (ONNX calls stride `strides`, dilation
    `dilations`), by the table above; pads is ONNX's flat [b_1, ..., b_n, e_1, ..., e_n].
    ONNX Runtime refuses negative pads, output_padding >= stride (even below dilation) and
    output_shape >= c + s."""
    return onnx_window(shared(input_size, kernel_size, stride, dilation), pads, auto_pad,
                       output_padding, output_shape)


def onnx_window(setup, pads=None, auto_pad="NOTSET", output_padding=0, output_shape=None):
    """onnx_crop for a validated Setup (of which only i, k, s and d count here)."""
    dims, c, i, s = setup.dims, setup.full_size, setup.input_size, setup.stride
    if auto_pad not in ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"):
        raise ValueError(f"ONNX: auto_pad must be 'NOTSET', 'SAME_UPPER', 'SAME_LOWER' or "
                         f"'VALID', got auto_pad={auto_pad!r}")
    op = as_tuple(output_padding, dims, "output_padding")
    if any(o >= sj for o, sj in zip(op, s)):
        raise ValueError(f"ONNX Runtime: output_padding must be smaller than stride = {s} in "
                         f"every dimension, got output_padding={output_padding!r}")
    if output_shape is not None:
        wanted = as_tuple(output_shape, dims, "output_shape")
        if any(w >= cj + sj for w, cj, sj in zip(wanted, c, s)):
            raise ValueError(f"ONNX Runtime: output_shape must be smaller than the full result "
                             f"plus stride = {tuple(cj + sj for cj, sj in zip(c, s))} in every "
                             f"dimension, got output_shape={output_shape!r}")
        totals = [max(cj + o - w, 0) for cj, o, w in zip(c, op, wanted)]
        b = tuple(t // 2 if auto_pad == "SAME_UPPER" else t - t // 2 for t in totals)
        return checked(Crop(c, b, tuple(cj - bj - w for cj, bj, w in zip(c, b, wanted))), "ONNX")
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        totals = [max(cj + o - ij * sj, 0) for cj, o, ij, sj in zip(c, op, i, s)]
        b = tuple(t // 2 if auto_pad == "SAME_UPPER" else t - t // 2 for t in totals)
        e = tuple(t - bj for t, bj in zip(totals, b))
    elif auto_pad == "VALID" or pads is None:
        b = e = (0,) * dims
    else:
        flat = as_tuple(pads, 2 * dims, "pads")
        b, e = flat[:dims], flat[dims:]
    return checked(Crop(c, b, tuple(ej - o for ej, o in zip(e, op))), "ONNX")


def tensorflow_output_shapes(input_size, kernel_size, stride=1, padding="SAME", dilation=1):
    """The output_shape sizes tf.nn.conv{1,2,3}d_transpose accepts, per dimension: those its
    forward convolution maps back to i. 'SAME': ceil(o / s) = i, o = (i-1)s + 1 .. i s;
    'VALID': floor((o - K) / s) + 1 = i, o = c .. c + s - 1. A tuple of ranges."""
    setup = shared(input_size, kernel_size, stride, dilation)
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"TensorFlow: padding must be 'SAME' or 'VALID', got padding={padding!r}")
    if padding == "VALID":
        return tuple(range(c, c + s) for c, s in zip(setup.full_size, setup.stride))
    return tuple(range((i - 1) * s + 1, i * s + 1) for i, s in zip(setup.input_size, setup.stride))


def sizes_text(accepted):
    """The accepted sizes in words: '7', '13 or 14 (from 13 to 14)', 'from 31 to 35' (more than
    four) for one dimension; for more, one such phrase per dimension joined by 'and'."""
    def one(r):
        first, last = r.start, r.stop - 1
        if first == last:
            return f"{first}"
        if len(r) > 4:
            return f"from {first} to {last}"
        return ", ".join(map(str, r[:-1])) + f" or {last} (from {first} to {last})"
    if len(accepted) == 1:
        return one(accepted[0])
    return " and ".join(f"{one(r)} in dimension {j}" for j, r in enumerate(accepted))


def tensorflow_crop(input_size, kernel_size, stride=1, output_shape=None, padding="SAME",
                    dilation=1):
    """tf.nn.conv{1,2,3}d_transpose's window for an output_shape it accepts (see
    tensorflow_output_shapes; others are refused). 'SAME' crops the forward convolution's SAME
    padding, T = max(c - o, 0), the smaller half T // 2 at the start: ONNX's output_shape with
    SAME_UPPER. 'VALID' crops nothing at the start and c - o at the end."""
    setup = shared(input_size, kernel_size, stride, dilation)
    wanted = as_tuple(output_shape, setup.dims, "output_shape")
    accepted = tensorflow_output_shapes(input_size, kernel_size, stride, padding, dilation)
    if any(o not in sizes for o, sizes in zip(wanted, accepted)):
        raise ValueError(f"TensorFlow: with padding={padding!r} output_shape must be "
                         f"{sizes_text(accepted)}, got output_shape={output_shape!r}")
    if padding == "SAME":
        return onnx_window(setup, auto_pad="SAME_UPPER", output_shape=wanted)
    return Crop(setup.full_size, (0,) * setup.dims,
                tuple(c - o for c, o in zip(setup.full_size, wanted)))


@dataclass(frozen=True)
class PyTorchCall:
    """F.conv_transpose with padding and output_padding, then crop `extra_before`/`extra_after`
    more (negative: append bias-only entries); the bias is added last."""
    padding: tuple
    output_padding: tuple
    extra_before: tuple
    extra_after: tuple

    @property
    def exact(self):
        """True when padding and output_padding alone give the framework's window."""
        return not any(self.extra_before + self.extra_after)


def pytorch_call(crop, stride=1, dilation=1):
    """The PyTorch arguments that keep `crop`'s window. PyTorch keeps [p, c - p + op) with
    0 <= op < max(stride, dilation): padding p = max(min(before, after + max(s, d) - 1), 0),
    output_padding op = p - after (clipped to its range), and an extra crop for the rest (the
    larger crop at the end of Keras and JAX's 'same' needs one)."""
    dims = len(crop.full_size)
    limit = tuple(map(output_padding_limit, as_tuple(stride, dims, "stride"),
                      as_tuple(dilation, dims, "dilation")))
    p = tuple(max(min(b, a + lj - 1), 0) for b, a, lj in zip(crop.before, crop.after, limit))
    op = tuple(min(max(pj - a, 0), lj - 1) for pj, a, lj in zip(p, crop.after, limit))
    return PyTorchCall(p, op, tuple(b - pj for b, pj in zip(crop.before, p)),
                       tuple(a - pj + o for a, pj, o in zip(crop.after, p, op)))


def crop_spatial(y, before, after):
    """Crop `before`/`after` entries off every spatial axis (the axes after N, C); a negative
    amount pads with zeros instead."""
    y = np.asarray(y)
    widths = [(0, 0)] * (y.ndim - len(before)) + [(max(-b, 0), max(-a, 0))
                                                  for b, a in zip(before, after)]
    y = np.pad(y, widths)
    return y[(..., *(slice(max(b, 0), y.shape[-len(before) + j] - max(a, 0))
                     for j, (b, a) in enumerate(zip(before, after))))]


def framework_result(input, weight, crop, bias=None, stride=1, dilation=1, groups=1):
    """What a framework with window `crop` returns: the full result (scatter-add, padding 0)
    cropped to the window, plus the bias. PyTorch layout: input (N, C_in, *i),
    weight (C_in, C_out/groups, *k)."""
    full = np.asarray(conv_transpose_scatter(np.asarray(input), np.asarray(weight), None, stride,
                                             0, 0, groups, dilation))
    out = crop_spatial(full, crop.before, crop.after)
    if bias is not None:
        out = out + np.asarray(bias).reshape((-1,) + (1,) * len(crop.before))
    return out

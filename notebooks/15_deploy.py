# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: slideshow,tags,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] slideshow={"slide_type": "slide"}
# # Deploying the layer: its weight's axes, folding, quantisation, export
#
# **Question:** Folding `BatchNorm2d(16)` into `nn.ConvTranspose2d(8, 16, 4, stride=2, padding=1)` along axis 0 of the weight is a shape error, and for 16 -> 16 channels it runs and is wrong: which axis is the output channel, for folding, per-channel quantisation and weight norm, and what changes with `groups`? Why can a converter not turn `output_padding` or `padding` into padding the input (81 outputs become 88, 7 become 13)? And which `output_shape` does a framework accept with 'SAME' for an input of 7, `kernel_size=3`, `stride=2` (13 and 14), and which window of the full result (15) does each keep?
#
# What you will learn:
# - that axis 1 of a transposed convolution's weight `(C_in, C_out/groups, *k)` is the output
#   channel, and with `groups` only within a group: output channel `o` reads a block of rows,
#   one column (`convlib.folding`, checked against `fuse_conv_bn_eval`);
# - how that decides BatchNorm folding, per-channel quantisation and weight norm, with an
#   explorer of the entries one output channel reads;
# - why `output_padding` and `padding` cannot become padding of the transposed layer's input, and
#   what a converter must do instead, run in ONNX Runtime;
# - which output sizes TensorFlow ('SAME' with `output_shape`), ONNX Runtime and Keras accept,
#   which window of the full result each keeps, and how an exported model keeps its size.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 14_design](14_design.ipynb) | [contents](00_index.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# A trained decoder is about to ship. Three steps touch its transposed convolutions. **Folding**:
# a `BatchNorm2d` after the layer is merged into its weight and bias, one scale per output channel.
# Learners copy the recipe for `Conv2d`, which scales axis 0, and get a shape error, or for equal
# channel counts a model that runs and is wrong. Per-channel **quantisation** and **weight norm**
# ask the same question: which axis is the output channel? **Conversion**: a converter that lowers
# `output_padding` or `padding` to a padding of the input changes the output's size. **Export**:
# TensorFlow's `conv2d_transpose(..., output_shape, padding='SAME')` takes an explicit size, and
# the frameworks disagree on which sizes they accept and where they crop.

# %% slideshow={"slide_type": "-"}
import copy
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.fusion import fuse_conv_bn_eval

import convlib
from convlib import folding
from convlib import frameworks as fw
from convlib import porting

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch
#
# The layer and its BatchNorm, with BatchNorm's statistics and affine parameters set to what
# training would leave (random here), in eval mode. The fold: `scale = gamma / sqrt(var + eps)`
# multiplies every weight entry of its output channel, and the bias becomes
# `(bias - mean) * scale + beta`.

# %% slideshow={"slide_type": "-"}
def trained(c_in, c_out, groups=1, dtype=torch.float32):
    """ConvTranspose2d(c_in, c_out, 4, 2, 1) and a BatchNorm2d with trained-like statistics."""
    layer = nn.ConvTranspose2d(c_in, c_out, 4, stride=2, padding=1, groups=groups).to(dtype)
    norm = nn.BatchNorm2d(c_out).to(dtype)
    with torch.no_grad():
        norm.running_mean.uniform_(-1, 1), norm.running_var.uniform_(0.5, 2)
        norm.weight.uniform_(0.5, 1.5), norm.bias.uniform_(-1, 1)
    return layer.eval(), norm.eval()


torch.manual_seed(0)
layer, norm = trained(8, 16)
x = torch.randn(2, 8, 5, 5)
with torch.no_grad():
    expected = norm(layer(x))
    scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)
    bias = (layer.bias - norm.running_mean) * scale + norm.bias
    along_1 = layer.weight * scale.reshape(1, -1, 1, 1)       # axis 1: the output channels
    error = (F.conv_transpose2d(x, along_1, bias, 2, 1) - expected).abs().max().item()
print("weight", tuple(layer.weight.shape), "folded along axis 1: max |difference| below 1e-6:",
      error < 1e-6)
assert tuple(layer.weight.shape) == (8, 16, 4, 4) and error < 1e-6
try:
    layer.weight * scale.reshape(-1, 1, 1, 1)                  # axis 0, the Conv2d recipe
    raise AssertionError("the axis-0 fold ran")
except RuntimeError as refused:
    print("along axis 0:", refused)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The thread reports 3.6e-7 for the fold along axis 1 (and 2.4e-7 for the fuse below);
# another random draw and another CPU give other last bits, so the book asserts the bound:
# below 1e-6, float32 rounding.
# PyTorch's own `fuse_conv_bn_eval(..., transpose=True)` folds along axis 1 too:

# %% slideshow={"slide_type": "-"}
fused = fuse_conv_bn_eval(layer, norm, transpose=True)
with torch.no_grad():
    fuse_error = (fused(x) - expected).abs().max().item()
print("fuse_conv_bn_eval: max |difference| below 1e-6:", fuse_error < 1e-6)
assert fuse_error < 1e-6

# %% [markdown] slideshow={"slide_type": "subslide"}
# With 16 channels in and 16 out both axes have 16 entries, and the axis-0 fold runs without a
# word. It scales each *input* channel's rows by an output channel's scale. In float64, so that
# the error printed is the fold's and not rounding's:

# %% slideshow={"slide_type": "-"}
torch.manual_seed(1)
layer16, norm16 = trained(16, 16, dtype=torch.float64)
x16 = torch.randn(2, 16, 5, 5, dtype=torch.float64)
with torch.no_grad():
    scale16 = norm16.weight / torch.sqrt(norm16.running_var + norm16.eps)
    bias16 = (layer16.bias - norm16.running_mean) * scale16 + norm16.bias
    wrong = F.conv_transpose2d(x16, layer16.weight * scale16.reshape(-1, 1, 1, 1), bias16, 2, 1)
    wrong_error = (wrong - norm16(layer16(x16))).abs().max().item()
print(f"16 -> 16 folded along axis 0: no error raised, max |difference| {wrong_error:.2f}")
assert wrong_error > 0.1

# %% [markdown] slideshow={"slide_type": "-"}
# (The thread's 0.875 came from another random layer; the size of the error depends on the
# draw, its presence does not.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### Why axis 1
#
# A transposed convolution is the gradient of the convolution that goes the other way (chapter
# [07](07_gradient.ipynb)), and it keeps that convolution's weight as it is. `Conv2d(16, 8, ...)`
# stores `(out=8, in=16, k, k)`; the `ConvTranspose2d(8, 16, ...)` that is its gradient uses the
# same tensor, so its axis 0 is its *input* channels and axis 1 its outputs. The shapes, and the
# gradient of `conv2d` (16 -> 8, 6x6 -> 3x3) with one weight `w` against `conv_transpose2d` with
# that `w`:

# %% slideshow={"slide_type": "-"}
print("Conv2d(16, 8, 4) weight:", tuple(nn.Conv2d(16, 8, 4).weight.shape),
      " ConvTranspose2d(8, 16, 4) weight:", tuple(nn.ConvTranspose2d(8, 16, 4).weight.shape))
w_shared, upstream = torch.randn(8, 16, 4, 4), torch.randn(1, 8, 3, 3)
z = torch.zeros(1, 16, 6, 6, requires_grad=True)
(F.conv2d(z, w_shared, stride=2, padding=1) * upstream).sum().backward()
transposed = F.conv_transpose2d(upstream, w_shared, stride=2, padding=1)
print("the gradient is conv_transpose2d with the same weight, to 1e-5:",
      torch.allclose(z.grad, transposed, atol=1e-5))
assert torch.allclose(z.grad, transposed, atol=1e-5)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Groups
#
# With `groups=G` the weight is `(C_in, C_out/G, *k)`: axis 1 has only C_out/G entries. Output
# channel `o = g C_out/G + j` (g the index of its group, 0 to G - 1; j its column) reads the
# rows of its group's inputs,
# `weight[g C_in/G : (g+1) C_in/G, j]`: a block of axis 0, one column of axis 1. An ordinary
# convolution's output channel `o` reads `weight[o]`. `convlib.folding.output_channel_entries`
# gives the block, and `by_output_channel` lays each channel's entries out as one row:

# %% slideshow={"slide_type": "-"}
shape = (4, 3, 4, 4)            # ConvTranspose2d(4, 6, 4, groups=2)
rows, column = folding.output_channel_entries(shape, 4, groups=2)
print("output channel 4 reads weight[", rows.start, ":", rows.stop, ",", column.start, "]")
assert (rows, column) == (slice(2, 4), slice(1, 2))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The explorer: the transposed convolution's weight (one cell per kernel, each named after the
# output channel it feeds) beside the ordinary convolution's with the same channels, and
# BatchNorm's scale. The chosen channel's kernels are boxed, its group's are tinted. Move
# `groups` to 1: the chosen channel becomes a whole column, and axis 1 holds every output.

# %% slideshow={"slide_type": "-"}
from convlib.explorers import weight_axes_explorer

weight_axes_explorer(in_channels=4, out_channels=6, groups=2, channel=4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Which weight entries reach one output channel can be asked of PyTorch itself: the gradient of
# that channel's sum is nonzero exactly on them.

# %% slideshow={"slide_type": "-"}
weight = torch.randn(shape, requires_grad=True)
F.conv_transpose2d(torch.randn(1, 4, 3, 3), weight, groups=2)[:, 4].sum().backward()
reached = (weight.grad != 0).any(dim=(2, 3))    # (C_in, C_out/groups): kernels that count
print(reached.int().numpy())
block = torch.zeros(4, 3, dtype=torch.bool)
block[2:4, 1] = True
assert torch.equal(reached, block)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Folding with groups
#
# `fuse_conv_bn_eval(..., transpose=True)` reshapes the scale to `(1, -1, 1, 1)`: C_out entries
# against axis 1's C_out/G. With `groups=2` that is a shape error. With one output per group
# (`C_out/G = 1`, e.g. a depthwise layer) it broadcasts without a word: the weight grows from
# `(4, 1, 4, 4)` to `(4, 4, 4, 4)` and the fused layer fails only when it runs.

# %% slideshow={"slide_type": "-"}
torch.manual_seed(2)
fused_shapes = {}
for c_in, c_out, groups in [(4, 6, 2), (4, 4, 4)]:
    grouped, grouped_norm = trained(c_in, c_out, groups)
    print(f"groups={groups}:", end=" ")
    try:
        fused_grouped = fuse_conv_bn_eval(grouped, grouped_norm, transpose=True)
        fused_shapes[groups] = tuple(grouped.weight.shape), tuple(fused_grouped.weight.shape)
        print("weight {} fused to {}".format(*fused_shapes[groups]), end="; running it: ")
        fused_grouped(torch.randn(1, c_in, 3, 3))
        raise AssertionError("the fused grouped layer ran")
    except RuntimeError as refused:
        print(refused)
assert fused_shapes == {4: ((4, 1, 4, 4), (4, 4, 4, 4))}   # groups=2 refused at the fuse

# %% [markdown] slideshow={"slide_type": "subslide"}
# The recipe for any `groups`, in plain PyTorch: split axis 0 into its G groups (the number
# `groups`; g stays the index of one group), so that each group's C_out/G scales meet its own
# rows.

# %% slideshow={"slide_type": "-"}
def fold_batchnorm(layer, norm):
    """(weight, bias) of one ConvTranspose computing norm(layer(x)) in eval mode."""
    groups, w = layer.groups, layer.weight                         # groups: G in the text
    scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)
    blocks = w.reshape(groups, w.shape[0] // groups, *w.shape[1:])  # (G, C_in/G, C_out/G, *k)
    shape = (groups, 1, w.shape[1]) + (1,) * (w.dim() - 2)
    weight = (blocks * scale.reshape(shape)).reshape(w.shape)
    return weight, (layer.bias - norm.running_mean) * scale + norm.bias


torch.manual_seed(3)
grouped, grouped_norm = trained(4, 6, groups=2)
x6 = torch.randn(2, 4, 5, 5)
with torch.no_grad():
    weight6, bias6 = fold_batchnorm(grouped, grouped_norm)
    error6 = (F.conv_transpose2d(x6, weight6, bias6, 2, 1, groups=2)
              - grouped_norm(grouped(x6))).abs().max().item()
print("groups=2, folded by group: max |difference| below 1e-6:", error6 < 1e-6)
assert error6 < 1e-6

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Weight norm and per-channel quantisation
#
# `weight_norm` keeps one norm per entry of axis `dim` (the magnitude PyTorch calls `g`, not the
# group index g above; the code names it `magnitude`), and `dim=0` by default: on a transposed
# convolution that is one per *input* channel. `dim=1` gives one per output channel when
# `groups=1`; with groups, axis 1 has C_out/G entries and each norm mixes one column of every
# group.

# %% slideshow={"slide_type": "-"}
from torch.nn.utils.parametrizations import weight_norm

magnitude = weight_norm(nn.ConvTranspose2d(3, 64, 3)).parametrizations.weight.original0
print(f"3 -> 64, default dim: g of shape {tuple(magnitude.shape)}")
assert tuple(magnitude.shape) == (3, 1, 1, 1)
for c_in, c_out, groups, expected_shape in [(3, 64, 1, (1, 64, 1, 1)), (4, 6, 2, (1, 3, 1, 1))]:
    normed = weight_norm(nn.ConvTranspose2d(c_in, c_out, 3, groups=groups), dim=1)
    magnitude = normed.parametrizations.weight.original0
    print(f"{c_in} -> {c_out}, groups={groups}, dim=1: g of shape {tuple(magnitude.shape)}")
    assert tuple(magnitude.shape) == expected_shape

# %% [markdown] slideshow={"slide_type": "-"}
# `weight_norm` starts `g` at the weight's norms. convlib's norms, one per output channel
# (whatever `groups`), are `dim=1`'s when `groups=1`:

# %% slideshow={"slide_type": "-"}
plain = nn.ConvTranspose2d(3, 64, 3)
norms = folding.output_channel_norms(plain.weight)
magnitude = weight_norm(copy.deepcopy(plain), dim=1).parametrizations.weight.original0
magnitude = magnitude.detach().ravel().numpy()
print("norms per output channel:", len(norms), " dim=1's g to 1e-6:",
      np.allclose(norms, magnitude, atol=1e-6))
assert len(norms) == 64 and np.allclose(norms, magnitude, atol=1e-6)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Per-channel quantisation keeps one int8 scale per output channel. PyTorch's
# `PerChannelMinMaxObserver` takes the axis as `ch_axis`, 0 by default (right for `Conv2d`);
# on a transposed weight the output channel is `ch_axis=1`, and its scales are convlib's
# (`folding.int8_scales`: max |entry| / 127.5 per channel).
#
# PyTorch itself quantises a `ConvTranspose` weight **per tensor**: its default mapping,
# `get_default_qconfig_mapping("fbgemm")`, gives the layer a per-tensor `MinMaxObserver`, and
# FX's `convert_fx` makes a `per_tensor_affine` weight. A per-channel weight observer, whatever
# its `ch_axis`, is refused in eager mode (`prepare`) and in FX mode (`prepare_fx`) alike, with
# the message "not supported yet". Where per-channel scales are computed (by hand, or by a
# toolchain that supports them), the axis is 1.

# %% slideshow={"slide_type": "-"}
from torch.ao.quantization import (MinMaxObserver, PerChannelMinMaxObserver, QConfig,
                                   QConfigMapping, get_default_qconfig_mapping, prepare)
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

per_channel = PerChannelMinMaxObserver.with_args(ch_axis=1, dtype=torch.qint8,
                                                 qscheme=torch.per_channel_symmetric)
observer = per_channel()
observer(plain.weight.detach())
scales, _ = observer.calculate_qparams()
print("ch_axis=1:", tuple(scales.shape), "scales, convlib's to 1e-7:",
      np.allclose(scales.numpy(), folding.int8_scales(plain.weight), atol=1e-7))
assert scales.shape == (64,)
assert np.allclose(scales.numpy(), folding.int8_scales(plain.weight), atol=1e-7)

# %% slideshow={"slide_type": "-"}
x3 = torch.randn(1, 3, 5, 5)
mapping = get_default_qconfig_mapping("fbgemm")
default_observer = mapping.object_type_qconfigs[nn.ConvTranspose2d].weight()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    prepared = prepare_fx(nn.Sequential(nn.ConvTranspose2d(3, 64, 3)).eval(), mapping, (x3,))
    prepared(x3)                                         # calibrate
    qscheme = getattr(convert_fx(prepared), "0").weight().qscheme()
print("default mapping:", type(default_observer).__name__, " convert_fx's weight:", qscheme)
assert type(default_observer) is MinMaxObserver and qscheme == torch.per_tensor_affine

asked = QConfig(activation=mapping.global_qconfig.activation, weight=per_channel)
eager = nn.Sequential(nn.ConvTranspose2d(3, 64, 3)).eval()
eager.qconfig = asked
refusals = {
    "eager prepare": lambda: prepare(eager),
    "FX prepare_fx": lambda: prepare_fx(nn.Sequential(nn.ConvTranspose2d(3, 64, 3)).eval(),
                                        QConfigMapping().set_global(asked), (x3,))}
for mode, attempt in refusals.items():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            attempt()
            raise RuntimeError(f"{mode} accepted a per-channel ConvTranspose weight")
        except AssertionError as refused:
            print(f"{mode}, ch_axis=1:", refused)
            assert "not supported yet" in str(refused)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Converters: `output_padding` and `padding` are not padding of the input
#
# A transposed convolution crops: it computes the full result, c = (i-1)s + d(k-1) + 1 long,
# and keeps `[padding, c - padding + output_padding)` (chapter [12](12_frameworks.ipynb)).
# A converter for a runtime without those attributes may try to pad the *input* instead. One
# more input entry is s more output entries, not one:

# %% slideshow={"slide_type": "-"}
torch.manual_seed(4)
x10, w16 = torch.randn(1, 1, 10), torch.randn(1, 1, 16)
kept = F.conv_transpose1d(x10, w16, stride=8, padding=4, output_padding=1)
lowered = F.conv_transpose1d(F.pad(x10, (0, 1)), w16, stride=8, padding=4)   # op as input padding
print("PyTorch:", kept.shape[-1], " input padded instead:", lowered.shape[-1],
      " = 81 + output_padding * (stride - 1) =", kept.shape[-1] + 1 * (8 - 1))
print("the first 81 agree to 1e-6:", torch.allclose(lowered[..., :81], kept, atol=1e-6))
assert (kept.shape[-1], lowered.shape[-1]) == (81, 88)
assert torch.allclose(lowered[..., :81], kept, atol=1e-6)

# %% [markdown] slideshow={"slide_type": "subslide"}
# `padding` is worse: padding the input by p adds p s entries at each end where the layer should
# have removed p. Stride 2, `padding=1`, [1, 2, 3, 4] with [1, 2, 3], in ONNX Runtime: a `pads`
# attribute against a padded input.

# %% slideshow={"slide_type": "-"}
x4, w3 = np.array([[[1.0, 2.0, 3.0, 4.0]]], np.float32), np.array([[[1.0, 2.0, 3.0]]], np.float32)
with_pads = porting.run_onnx(porting.onnx_model(w3, strides=[2], pads=[1, 1]), x4)
padded_input = porting.run_onnx(porting.onnx_model(w3, strides=[2]),
                                np.pad(x4, [(0, 0)] * 2 + [(1, 1)]))
print("pads=[1, 1]:", with_pads.ravel(), with_pads.shape[-1], "values")
print("input padded by 1:", padded_input.ravel(), padded_input.shape[-1], "values")
assert (with_pads.shape[-1], padded_input.shape[-1]) == (7, 13)

# %% [markdown] slideshow={"slide_type": "subslide"}
# What a converter may do instead, either of two things, each checked here:
# 1. compute the full result (`padding=0`) and **crop the output**: `padding` at the start,
#    `padding - output_padding` at the end; when `output_padding > padding` that is negative,
#    and the converter appends the entries instead: zeros before the bias is added, so that
#    they hold the bias after it;
# 2. lower to the **direct view** of chapter [04](04_direct.ipynb) and pad *its* input: insert
#    stride-1 zeros, pad d(k-1) - p at the start and d(k-1) - p + op at the end, convolve with
#    the flipped kernel (`convlib.direct_input`).

# %% slideshow={"slide_type": "-"}
full80 = F.conv_transpose1d(x10, w16, stride=8)
cropped = full80[..., 4:full80.shape[-1] - 4 + 1]
zeros_inserted = torch.zeros(1, 1, 9 * 8 + 1)
zeros_inserted[..., ::8] = x10
direct_in = F.pad(zeros_inserted, (15 - 4, 15 - 4 + 1))
direct = F.conv1d(direct_in, w16.flip(-1))
assert np.allclose(direct_in.numpy(), convlib.direct_input(x10, w16, 8, 4, 1).numpy())
for name, result in [("crop the output", cropped), ("pad the direct view's input", direct)]:
    print(f"{name}: {result.shape[-1]} values, PyTorch's to 1e-5:",
          torch.allclose(result, kept, atol=1e-5))
    assert result.shape[-1] == 81 and torch.allclose(result, kept, atol=1e-5)
# output_padding=2 > padding=0: the end "crops" -2, so two zeros are appended, then the bias
bias1 = torch.tensor([0.5])
pytorch_op2 = F.conv_transpose1d(x10, w16, bias1, stride=8, output_padding=2)
appended = F.pad(F.conv_transpose1d(x10, w16, stride=8), (0, 2)) + bias1
print("output_padding=2, padding=0: the full result, 2 zeros appended, then the bias:",
      appended.shape[-1], "values, PyTorch's to 1e-5:",
      torch.allclose(appended, pytorch_op2, atol=1e-5))
assert appended.shape[-1] == 90 and torch.allclose(appended, pytorch_op2, atol=1e-5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Export: which `output_shape` does 'SAME' accept, and which window does it keep?
#
# TensorFlow's `tf.nn.conv2d_transpose(x, w, output_shape, strides, padding='SAME')` is the
# gradient of `conv2d(..., padding='SAME')`, so it accepts an `output_shape` o only when that
# convolution maps o back to the input's size: ceil(o / s) = i. For i = 7, `kernel_size=3`,
# `stride=2` the full result has 15 entries and two sizes are accepted. TensorFlow is not
# installed here: `fw.tensorflow_crop` computes its window from that rule and refuses the other
# sizes as TensorFlow does. The refusal printed is convlib's message, modelled on TensorFlow's
# ("Size of out_backprop doesn't match computed").

# %% slideshow={"slide_type": "-"}
accepted = list(fw.tensorflow_output_shapes(7, 3, 2)[0])
print("full result:", fw.full_size(7, 3, 2), " accepted output_shape:", accepted)
assert fw.full_size(7, 3, 2) == (15,) and accepted == [13, 14]
for o, expected_crop in [(13, (1, 1)), (14, (0, 1))]:
    crop = fw.tensorflow_crop(7, 3, 2, output_shape=o)
    print(f"output_shape={o}: crop (before, after) = ({crop.before[0]}, {crop.after[0]})")
    assert (crop.before[0], crop.after[0]) == expected_crop
try:
    fw.tensorflow_crop(7, 3, 2, output_shape=15)
    raise AssertionError("output_shape=15 was accepted")
except ValueError as refused:
    print(refused)

# %% [markdown] slideshow={"slide_type": "subslide"}
# So 13 is PyTorch's `padding=1` (crop 1 and 1), and 14 crops (0, 1) as Keras' 'same' does, the
# smaller half at the start. ONNX Runtime, run here, accepts any `output_shape` below c + s = 17
# and keeps TensorFlow's windows with `auto_pad=SAME_UPPER`; with the default `NOTSET` it puts
# the odd crop at the start instead. Keras 3 reaches 13 and 14 with `padding='same'` and
# `output_padding` 0 or 1, in the same windows: computed here by `fw.keras_crop`, which
# `tests/test_frameworks.py` checks against the real Keras (chapter 12 runs it; here its import
# alone would take longer than the rest of the chapter).

# %% slideshow={"slide_type": "-"}
x7 = np.arange(1.0, 8.0, dtype=np.float32).reshape(1, 1, 7)
w_ = np.array([[[1.0, 10.0, 100.0]]], np.float32)         # every entry of the full result differs
full15 = convlib.conv_transpose_scatter(x7, w_, stride=2)
print("full result:", full15.ravel().astype(int))


def window(result):
    """(before, after): where `result` sits in the full result."""
    n = result.shape[-1]
    for b in range(0, 15 - n + 1):
        if np.array_equal(fw.crop_spatial(full15, (b,), (15 - b - n,)), result):
            return b, 15 - b - n


windows = {}
for o in (13, 14):
    for auto_pad in ("SAME_UPPER", "NOTSET"):
        y = porting.run_onnx(porting.onnx_model(w_, strides=[2], output_shape=[o],
                                                auto_pad=auto_pad), x7)
        windows[o, auto_pad] = window(y)
        print(f"ONNX Runtime output_shape={o} {auto_pad:10}: window {window(y)}")
    keras = fw.keras_crop(7, 3, 2, padding="same", output_padding=o - 13)
    windows[o, "Keras"] = window(fw.framework_result(x7, w_, keras, stride=2))
    print(f"Keras 'same', output_padding={o - 13} (convlib):   window", windows[o, "Keras"])
assert windows == {(13, "SAME_UPPER"): (1, 1), (13, "NOTSET"): (1, 1), (13, "Keras"): (1, 1),
                   (14, "SAME_UPPER"): (0, 1), (14, "NOTSET"): (1, 0), (14, "Keras"): (0, 1)}
ran = {}
for o in (16, 17):   # c + s - 1 is ONNX Runtime's largest output_shape
    try:
        y = porting.run_onnx(porting.onnx_model(w_, strides=[2], output_shape=[o]), x7)
        ran[o] = y.shape[-1]
        print(f"ONNX Runtime output_shape={o}: {y.shape[-1]} entries, the last {y.ravel()[-1]:g}")
    except Exception as refused:   # onnxruntime's own exception class
        print(f"ONNX Runtime output_shape={o}:", str(refused).split("Status Message: ")[-1])
assert ran == {16: 16}

# %% [markdown] slideshow={"slide_type": "subslide"}
# PyTorch's `output_size=14` with `padding=1` keeps (1, 0): run here on the layer
# `nn.ConvTranspose1d(1, 1, 3, 2, 1)`, it is `output_padding=1` (`fw.pytorch_crop`), given back
# at the end. For TensorFlow's 14, `fw.pytorch_call` keeps the full result and crops one more
# entry at the end.
# And a 4x4 input with `kernel_size=2`, `stride=1`, 'SAME' (full result 5x5) crops (0, 1): the
# crop of 1 cannot be split, and no PyTorch `padding` gives it (per dimension: before 0, after 1).

# %% slideshow={"slide_type": "-"}
sized = nn.ConvTranspose1d(1, 1, 3, stride=2, padding=1, bias=False)
with torch.no_grad():
    sized.weight.copy_(torch.from_numpy(w_))
    y14 = sized(torch.from_numpy(x7), output_size=[14]).numpy()
print("nn.ConvTranspose1d(1, 1, 3, 2, 1)(x, output_size=[14]): window", window(y14))
by_output_padding = fw.pytorch_crop(7, 3, 2, padding=1, output_padding=1)
print("padding=1, output_padding=1:", by_output_padding)
assert window(y14) == (1, 0) == (by_output_padding.before[0], by_output_padding.after[0])
tf14 = fw.pytorch_call(fw.tensorflow_crop(7, 3, 2, output_shape=14), 2)
print("for TensorFlow's 14:", tf14)
assert (tf14.padding, tf14.output_padding, tf14.extra_after) == ((0,), (0,), (1,))
assert fw.pytorch_crop(7, 3, 2, padding=1) == fw.tensorflow_crop(7, 3, 2, output_shape=13)
square = fw.tensorflow_crop((4, 4), 2, 1, output_shape=(4, 4))
print("4x4, k2 s1 'SAME': full", square.full_size, "before", square.before, "after", square.after)
assert (square.full_size, square.before, square.after) == ((5, 5), (0, 0), (1, 1))

# %% [markdown] slideshow={"slide_type": "subslide"}
# **How an exported model keeps the size.** The input's size alone does not say which of 13 and
# 14 was meant, so the model must carry it: ONNX's `output_shape` (with `auto_pad=SAME_UPPER`
# for TensorFlow's window) or explicit `pads` and `output_padding`. From the input of 7 both
# nodes below give TensorFlow's 14 entries: the size is written in the node, not inferred. With
# another input size, the `pads` node scales with it and the `output_shape` node stays at 14.
# PyTorch's exporter (`torch.onnx.export`) writes `pads` too, but always symmetric, its
# `padding` at both ends: for `ConvTranspose1d(1, 1, 3, 2, padding=1, output_padding=1)` it
# writes `pads=[1, 1]`, `output_padding=[1]` (`tests/test_deploy.py` exports it), PyTorch's
# window (1, 0). TensorFlow's (0, 1) in `pads=[0, 1]` is what a converter from TensorFlow
# writes, not what PyTorch exports.

# %% slideshow={"slide_type": "-"}
explicit = porting.onnx_model(w_, strides=[2], pads=[0, 1], output_padding=[0])
by_shape = porting.onnx_model(w_, strides=[2], output_shape=[14], auto_pad="SAME_UPPER")
from_pytorch = porting.onnx_model(w_, strides=[2], pads=[1, 1], output_padding=[1])
nodes = [("pads=[0, 1]", explicit), ("output_shape=[14], SAME_UPPER", by_shape),
         ("pads=[1, 1], output_padding=[1]", from_pytorch)]
for name, model in nodes:
    print(f"{name:32} window {window(porting.run_onnx(model, x7))}")
assert [window(porting.run_onnx(model, x7)) for _, model in nodes] == [(0, 1), (0, 1), (1, 0)]
sizes = {n: [porting.run_onnx(model, np.ones((1, 1, n), np.float32)).shape[-1]
             for _, model in nodes[:2]] for n in (6, 7, 8)}
print("input size: [pads=[0, 1], output_shape=[14]] ->", sizes)
assert sizes == {6: [12, 14], 7: [14, 14], 8: [16, 14]}

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# convlib's fold, for every `groups` of a 4 -> 8 layer, against BatchNorm after the layer (in
# float64, to 1e-12), and against PyTorch's `fuse_conv_bn_eval` where that works (`groups=1`);
# `by_output_channel` against the gradient of each channel; the four methods on the folded layer.

# %% slideshow={"slide_type": "-"}
torch.manual_seed(5)
for groups in (1, 2, 4):
    layer_g, norm_g = trained(4, 8, groups, dtype=torch.float64)
    xg = torch.randn(2, 4, 3, 3, dtype=torch.float64)
    with torch.no_grad():
        wg, bg = folding.fold_batchnorm(layer_g.weight, layer_g.bias, norm_g.running_mean,
                                        norm_g.running_var, norm_g.weight, norm_g.bias,
                                        norm_g.eps, groups=groups)
        out = F.conv_transpose2d(xg, wg, bg, 2, 1, groups=groups)
        assert (out - norm_g(layer_g(xg))).abs().max() < 1e-12
        if groups == 1:
            reference = fuse_conv_bn_eval(layer_g, norm_g, transpose=True)
            assert torch.allclose(reference.weight, wg, atol=1e-12)
    assert convlib.compare(xg, wg, bg, stride=2, padding=1, groups=groups).agree
print("folded by convlib: BatchNorm's numbers for groups 1, 2, 4; fuse_conv_bn_eval's for 1")

# %% slideshow={"slide_type": "-"}
for groups in (1, 2, 3, 6):
    wgrad = torch.randn(6, 6 // groups, 2, 2, requires_grad=True)
    for o in range(6):
        wgrad.grad = None
        F.conv_transpose2d(torch.randn(1, 6, 2, 2), wgrad, groups=groups)[:, o].sum().backward()
        rows_o, column_o = folding.output_channel_entries(wgrad.shape, o, groups)
        mask = torch.zeros(wgrad.shape[:2], dtype=torch.bool)
        mask[rows_o, column_o] = True
        assert torch.equal((wgrad.grad != 0).any(dim=(2, 3)), mask)
        assert torch.equal(folding.by_output_channel(wgrad.detach(), groups)[o],
                           wgrad.detach()[rows_o, column_o].flatten())
print("each output channel reads exactly the entries output_channel_entries names")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - A transposed convolution's weight is `(C_in, C_out/groups, *k)`, its convolution's weight
#   kept as it is: axis 1 is the output channel, axis 0 the input. Fold BatchNorm and
#   weight-norm (`dim=1`) along axis 1; along axis 0 it is a shape error, or for equal channel
#   counts silently wrong. PyTorch quantises a `ConvTranspose` weight per tensor (its default
#   mapping) and refuses per-channel observers in eager and FX mode; where per-channel scales
#   are computed (by hand, other toolchains), they are along axis 1 (`ch_axis=1`).
# - With `groups`, output channel `o = g C_out/G + j` reads `weight[g C_in/G:(g+1) C_in/G, j]`:
#   split axis 0 into groups before scaling. `fuse_conv_bn_eval(transpose=True)` and
#   `weight_norm(dim=1)` assume `groups=1`; `convlib.folding` does not.
# - `output_padding` and `padding` crop the full result; padding the input adds s entries per
#   input entry. Crop the output, or pad the direct view's zero-inserted input.
# - TensorFlow's 'SAME' accepts o with ceil(o / s) = i and keeps the smaller half of the crop at
#   the start; ONNX Runtime keeps that window with `output_shape` and `SAME_UPPER`, Keras with
#   'same' and `output_padding`; PyTorch's `padding` cannot. Export the size explicitly.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("15.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** `nn.ConvTranspose2d(6, 9, 3, groups=3)`: which entries of its weight does output
# channel 7 read? Give `[first_row, last_row, column]`: the rows of axis 0, `last_row`
# **inclusive** (the last row read, not the slice's stop as in `2:4` above), and the column of
# axis 1, so that they are `weight[first_row:last_row + 1, column]`.

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("15.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** `weight_norm(nn.ConvTranspose2d(6, 12, 3, groups=3), dim=1)`: how many norms `g` does it
# keep?

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("15.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** A converter lowers the `output_padding=2` of `nn.ConvTranspose1d(1, 1, kernel_size=4,
# stride=3, padding=1, output_padding=2)` to two zeros appended to the input, and keeps
# `padding=1`. On an input of length 6, how many outputs does its version give?

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("15.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4.** `tf.nn.conv1d_transpose` with `padding='SAME'`, `stride=3` and a kernel of 4 on an input
# of length 5: which values of `output_shape` does it accept? Give them as a list.

# %% slideshow={"slide_type": "-"}
answer_4 = None  # replace None with your answer
grade("15.4", answer_4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **5. Implement it.** Write TensorFlow's 'SAME' window for an `output_shape` it accepts (one
# dimension, no dilation): return `[start, end]`, the entries cropped at each end of the full
# result (negative when entries are added). `grade_function` tries it on every accepted size of
# several layers, smallest first, and shows the first case it gets wrong with the window it
# should give.

# %% slideshow={"slide_type": "-"}
def tensorflow_same_window(input_size, kernel_size, stride, output_shape):
    return None  # replace with your code


grade_function("15.5", tensorflow_same_window)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 14_design](14_design.ipynb) | [contents](00_index.ipynb)

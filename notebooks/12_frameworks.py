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
# # The same layer in Keras, JAX and ONNX
#
# **Question:** A Keras `Conv1DTranspose(kernel_size=3, strides=2, padding='same')` and a PyTorch `ConvTranspose1d(kernel_size=3, stride=2, padding=1, output_padding=1)` with the same weights both turn [1, 2, 3, 4] into 8 numbers, so why are PyTorch's shifted by one, and how do I port a layer between PyTorch, Keras, JAX and ONNX without such a shift?
#
# What you will learn:
# - that every framework computes the same full result, (i-1)s + d(k-1) + 1 long (9 here), and
#   differs only in the window of it that it keeps;
# - each framework's rule for that window, as formulas (`convlib.frameworks`), checked against the
#   real Keras 3 and ONNX Runtime (and JAX, when it is installed);
# - where the frameworks disagree with each other, and which settings each one refuses;
# - how each stores the weight, and a porting recipe PyTorch -> Keras -> ONNX and back, run here.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 11_checkerboards_in_training](11_checkerboards_in_training.ipynb) | [contents](00_index.ipynb) | [13_in_training >](13_in_training.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# A learner ports an upsampling layer from Keras to PyTorch. In Keras it is
# `Conv1DTranspose(1, kernel_size=3, strides=2, padding='same')`: it doubles the length, 4 -> 8.
# The usual PyTorch translation with the same output size is
# `ConvTranspose1d(1, 1, kernel_size=3, stride=2, padding=1, output_padding=1)`. They copy the
# kernel [1, 2, 3] across, feed both [1, 2, 3, 4], and get 8 numbers from each, but not the same 8:
# the PyTorch ones are the Keras ones moved by one place. Others hit the same wall with ONNX's
# `auto_pad` SAME_UPPER versus SAME_LOWER, and with JAX's `lax.conv_transpose`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch (and Keras, and ONNX Runtime)
#
# Keras 3 runs here on its PyTorch backend (`KERAS_BACKEND=torch`, set before `import keras`), so
# no TensorFlow is needed. `KERAS_TORCH_DEVICE=cpu` keeps it on the CPU, beside PyTorch's tensors:
# on a machine with a GPU (CUDA, or Apple's MPS) Keras would compute there, and `.numpy()` on its
# results would fail. The Keras layer gets PyTorch's weight with its axes moved: Keras
# stores a transposed convolution's kernel as (kernel_size, out, in), PyTorch as (in, out,
# kernel_size). (`convlib.porting.keras_layer` builds the same layer in 1, 2 or 3 dimensions.)

# %% slideshow={"slide_type": "-"}
import os

os.environ["KERAS_BACKEND"] = "torch"
os.environ["KERAS_TORCH_DEVICE"] = "cpu"
import itertools

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import convlib
from convlib import frameworks as fw
from convlib import porting

x = torch.tensor([[[1.0, 2.0, 3.0, 4.0]]])
w = torch.tensor([[[1.0, 2.0, 3.0]]])   # (in, out, kernel_size): PyTorch's ConvTranspose layout
layer = nn.ConvTranspose1d(1, 1, 3, stride=2, padding=1, output_padding=1, bias=False)
layer.weight.data = w
print("PyTorch:", layer(x).detach().numpy().ravel())

# %% slideshow={"slide_type": "-"}
import keras

keras_layer = keras.layers.Conv1DTranspose(1, 3, strides=2, padding="same", use_bias=False,
                                           data_format="channels_first")
keras_layer.build((None, 1, None))                       # (batch, channels, length)
keras_layer.kernel.assign(w.permute(2, 1, 0).numpy())    # (in, out, k) -> (k, out, in)
print("Keras:  ", keras_layer(x).detach().numpy().ravel())
same_layer = porting.keras_layer(w, None, stride=2, padding="same", data_format="channels_first")
assert np.array_equal(keras_layer(x).detach().numpy(), same_layer(x).detach().numpy())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ONNX's `ConvTranspose` with `auto_pad` SAME_UPPER and SAME_LOWER, run by ONNX Runtime
# (`convlib.porting.onnx_model` builds the one-node model):

# %% slideshow={"slide_type": "-"}
for auto_pad in ["SAME_UPPER", "SAME_LOWER"]:
    model = porting.onnx_model(w, strides=[2], auto_pad=auto_pad)
    print(f"ONNX {auto_pad}:", porting.run_onnx(model, x).ravel())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### One full result, different windows
#
# With `padding=0` nothing is cropped: PyTorch returns the whole scatter-add canvas of chapter 03,
# (i-1)s + d(k-1) + 1 = 3*2 + 2 + 1 = 9 numbers. Every framework computes these same 9 numbers.

# %% slideshow={"slide_type": "-"}
full = nn.functional.conv_transpose1d(x, w, stride=2)
print(full.numpy().ravel(), "length", fw.full_size(4, 3, stride=2))

# %% [markdown] slideshow={"slide_type": "-"}
# An output of 8 means one entry is cropped. PyTorch's `padding=1` crops one at each end and
# `output_padding=1` gives the last one back: it keeps entries 1..8. Keras, JAX 'SAME' and ONNX
# SAME_UPPER keep entries 0..7. ONNX SAME_LOWER agrees with PyTorch.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Each framework's window, as convlib computes it, `before` entries cropped at the start and
# `after` at the end (`convlib.frameworks`, one function per framework):

# %% slideshow={"slide_type": "-"}
windows = {
    "PyTorch padding=1, output_padding=1": fw.pytorch_crop(4, 3, 2, padding=1, output_padding=1),
    "Keras padding='same'": fw.keras_crop(4, 3, 2, padding="same"),
    "JAX padding='SAME'": fw.jax_crop(4, 3, 2, padding="SAME"),
    "ONNX auto_pad=SAME_UPPER": fw.onnx_crop(4, 3, 2, auto_pad="SAME_UPPER"),
    "ONNX auto_pad=SAME_LOWER": fw.onnx_crop(4, 3, 2, auto_pad="SAME_LOWER"),
}
for name, crop in windows.items():
    print(f"{name:36} before={crop.before[0]} after={crop.after[0]} output {crop.output_size[0]}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The picture: the full result on top, each framework's window under it at its place (the numbers
# under the grid are positions on the full result). It is an explorer: the sliders come back below.

# %% slideshow={"slide_type": "-"}
from convlib.explorers import frameworks_explorer

frameworks_explorer(input_size=4, kernel_size=3, stride=2, dilation=1, padding=1, output_padding=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why the shift: an odd crop has to go somewhere
#
# Keras' `'same'` asks for an output of i*s = 8, so T = 9 - 8 = 1 entry must go. One entry cannot
# be split between the two ends. Keras and JAX put the smaller half at the start,
# max(T // 2, 0) = 0, and the rest at the end. PyTorch's `padding` always crops the start at least
# as much as the end (`output_padding` only gives back at the end), so `padding=1,
# output_padding=1` crops the start. No `padding` and `output_padding` give Keras' window; an extra
# crop after the layer does (see the porting recipe below).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The conventions side by side
#
# With K = d(k-1) + 1 the dilated kernel's span and c = (i-1)s + K the full result, every
# setting is a window: `before` entries cropped at the start and `after` at the end, so the
# output has c - before - after entries (a negative crop adds entries that hold only the bias).
# Some settings give the two crops directly:
#
# | framework | setting | before | after |
# | --- | --- | --- | --- |
# | PyTorch | `padding=p, output_padding=op` | p | p - op |
# | ONNX | `pads=[b, e], output_padding=op` | b | e - op |
# | JAX | explicit `[(lo, hi)]` | K - 1 - lo | K - 1 - hi |
# | Keras 3 | `padding='valid', output_padding=op` (op defaults to max(K, s) - K) | 0 | -op |
# | JAX | `'VALID'` | 0 | min(K - s, 0) |
#
# The "same" settings choose a total crop T and split it: `before` = max(T // 2, 0), the smaller
# half (ONNX SAME_LOWER: T - T // 2, the larger half), and `after` = T - `before`, less ONNX's
# `output_padding`:
#
# | framework | setting | T |
# | --- | --- | --- |
# | Keras 3, JAX | `padding='same'` / `'SAME'` (Keras without `output_padding`) | K - s |
# | Keras 3 | `padding='same', output_padding=op` | K - K%2 - op |
# | ONNX | `auto_pad=SAME_UPPER` or `SAME_LOWER`, `output_padding=op` | max(c + op - i s, 0) |
#
# (ONNX's `output_shape=o` splits T = max(c + op - o, 0), as SAME_UPPER when `auto_pad` says so
# and as SAME_LOWER otherwise, and keeps o entries.) The
# same rules in code, checked against convlib's functions for every small size, kernel and
# stride; `tests/test_frameworks.py` checks those against the real libraries, in 1-D and 2-D,
# with dilation and `output_padding` too:

# %% slideshow={"slide_type": "-"}
def same_window(T, lower=False):
    """Split the total crop T: (before, after)."""
    before = T - T // 2 if lower else max(T // 2, 0)
    return before, T - before


checked = 0
for i, k, s in itertools.product(range(1, 7), range(1, 7), range(1, 4)):
    c = (i - 1) * s + k
    cases = [(fw.keras_crop(i, k, s, "same"), same_window(k - s)),
             (fw.jax_crop(i, k, s, "SAME"), same_window(k - s)),
             (fw.onnx_crop(i, k, s, auto_pad="SAME_UPPER"), same_window(max(c - i * s, 0))),
             (fw.onnx_crop(i, k, s, auto_pad="SAME_LOWER"), same_window(max(c - i * s, 0), True)),
             (fw.pytorch_crop(i, k, s, padding=0, output_padding=0), (0, 0)),
             (fw.jax_crop(i, k, s, "VALID"), (0, min(k - s, 0)))]
    for crop, (before, after) in cases:
        assert (crop.before[0], crop.after[0]) == (before, after), (i, k, s, crop)
        checked += 1
print(checked, "windows agree with the tables")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The explorer
#
# The full result of x = [1, ..., `input_size`] and w = [1, ..., `kernel_size`], and the window that
# each framework keeps. `padding` and `output_padding` set PyTorch's row (boxed); the other
# frameworks use their 'same' and 'valid' modes. Here `kernel_size=2, stride=3`: Keras and JAX
# 'same' add a bias-only entry (tinted) to reach i*s = 12, ONNX Runtime does not. Move `dilation`
# to 2: Keras refuses (its row turns to dashes, the text under the picture says why).

# %% slideshow={"slide_type": "-"}
frameworks_explorer(input_size=4, kernel_size=2, stride=3, dilation=1, padding=0, output_padding=0)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Where the frameworks disagree
#
# Beyond which end gets the odd crop, convlib's formulas (and the real libraries) differ in four
# places:

# %% slideshow={"slide_type": "-"}
print("k2 s3 'same' output: Keras", fw.keras_crop(4, 2, 3, "same").output_size,
      "JAX", fw.jax_crop(4, 2, 3, "SAME").output_size,
      "ONNX Runtime", fw.onnx_crop(4, 2, 3, auto_pad="SAME_UPPER").output_size)
print("PyTorch accepts output_padding=1 with stride=1, dilation=2:",
      fw.pytorch_crop(4, 3, 1, 0, 1, dilation=2).output_size)
for refused in [lambda: fw.onnx_crop(4, 3, 1, output_padding=1, dilation=2),
                lambda: fw.keras_crop(4, 3, 1, "valid", output_padding=1, dilation=2),
                lambda: fw.keras_crop(4, 3, 2, "same", dilation=2)]:
    try:
        refused()
    except ValueError as error:
        print(error)

# %% [markdown] slideshow={"slide_type": "-"}
# - When `stride` is larger than the kernel's span, Keras and JAX 'same' pad the output with
#   bias-only entries up to i*s (12 here); ONNX Runtime's SAME never crops less than nothing and
#   returns the full result (11).
# - `output_padding` may go up to max(`stride`, `dilation`) - 1 in PyTorch (chapter 06); ONNX
#   Runtime and Keras want it below `stride`, and Keras does not allow `stride` > 1 together with
#   `dilation` > 1 at all. JAX has no `output_padding`: its explicit padding says everything.
# - ONNX's `output_shape` larger than the full result appends at the end, whatever `auto_pad` says,
#   and only up to `stride` - 1 entries; JAX's explicit padding may add any number at either end.
# - JAX's `lax.conv_transpose` does not flip the kernel unless `transpose_kernel=True`: it
#   correlates the zero-inserted input with the kernel as given (chapter 04's direct view), so a
#   PyTorch weight must be flipped first, or passed with `transpose_kernel=True`.

# %% [markdown] slideshow={"slide_type": "-"}
# ONNX Runtime with `output_shape` on the example's x (4 entries) and w (3 taps), whose full
# result has c = 9 entries: 6 splits T = 3 as SAME_LOWER (2 cropped at the start) or, with
# `auto_pad=SAME_UPPER`, as SAME_UPPER (1 at the start); 10 appends one zero at the end either
# way; 11 would append 2 = `stride` entries and is refused:

# %% slideshow={"slide_type": "-"}
from onnxruntime.capi.onnxruntime_pybind11_state import InvalidArgument


def onnx_with_output_shape(o, auto_pad="NOTSET"):
    model = porting.onnx_model(w, strides=[2], output_shape=[o], auto_pad=auto_pad)
    return porting.run_onnx(model, x).ravel().tolist()


canvas = porting.run_onnx(porting.onnx_model(w, strides=[2]), x).ravel().tolist()
print("full result:", canvas)
for auto_pad in ["NOTSET", "SAME_UPPER"]:
    print(f"{auto_pad}: output_shape=6 keeps {onnx_with_output_shape(6, auto_pad)}, "
          f"output_shape=10 gives {onnx_with_output_shape(10, auto_pad)}")
    assert onnx_with_output_shape(10, auto_pad) == canvas + [0.0]
assert onnx_with_output_shape(6) == canvas[2:8]                 # T = 3: 2 at the start
assert onnx_with_output_shape(6, "SAME_UPPER") == canvas[1:7]   # 1 at the start
try:
    onnx_with_output_shape(11)
except InvalidArgument:
    print("output_shape=11: refused by ONNX Runtime")
else:
    raise AssertionError("ONNX Runtime accepted output_shape=11")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The weights
#
# | framework | transposed convolution weight | from PyTorch's `w` (C_in, C_out/groups, *k) |
# | --- | --- | --- |
# | PyTorch | (C_in, C_out/groups, *k) | `w` |
# | Keras 3 `Conv*DTranspose` | (*k, C_out, C_in), no `groups` | `fw.keras_kernel(w)` (axes moved, no flip) |
# | JAX, channels-first `dimension_numbers` (`('NCH', 'OIH', 'NCH')` in 1-D, `('NCHW', 'OIHW', 'NCHW')` in 2-D), `transpose_kernel=True` | PyTorch's | `fw.jax_kernel(w, transpose_kernel=True)` = `w` |
# | JAX, the same, `transpose_kernel=False` | (C_out, C_in, *k), flipped | `fw.jax_kernel(w)` = `convlib.direct_weight(w)` |
# | ONNX `ConvTranspose` | (C_in, C_out/group, *k) | `w` |

# %% slideshow={"slide_type": "-"}
w2 = torch.arange(2 * 3 * 3 * 3.0).reshape(2, 3, 3, 3)   # 2 in, 3 out, 3x3
keras_kernel = w2.permute(2, 3, 1, 0)                     # (*k, C_out, C_in): axes moved only
jax_kernel = w2.flip(-1, -2).transpose(0, 1)              # chapter 04's flip and swap
print("Keras kernel:", tuple(keras_kernel.shape), " JAX (no transpose_kernel):",
      tuple(jax_kernel.shape))
assert np.array_equal(keras_kernel.numpy(), fw.keras_kernel(w2))
assert np.array_equal(jax_kernel.numpy(), fw.jax_kernel(w2))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A porting recipe, end to end
#
# A small 2-D layer, 2 channels in and 3 out: `nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1,
# output_padding=1)` with random weights and bias. We carry it to Keras, from Keras to ONNX, and
# from ONNX back to PyTorch, and compare the numbers at every step.

# %% slideshow={"slide_type": "-"}
torch.manual_seed(0)
pytorch_layer = nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1)
image = torch.randn(1, 2, 4, 5)
expected = pytorch_layer(image).detach().numpy()
crop = fw.pytorch_crop((4, 5), (3, 3), stride=2, padding=1, output_padding=1)
print("output", expected.shape, "window: before", crop.before, "after", crop.after)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **PyTorch -> Keras.** Keras has no window that crops more at the start, so: `padding='valid'`
# (the full result), then a `Cropping2D` layer that crops `before` at the start and `after` at the
# end. The kernel goes in with its axes moved, `(C_in, C_out, kh, kw)` -> `(kh, kw, C_out, C_in)`,
# and Keras wants channels last.

# %% slideshow={"slide_type": "-"}
weight_2d, bias_2d = pytorch_layer.weight.detach(), pytorch_layer.bias.detach()
keras_conv = keras.layers.Conv2DTranspose(3, 3, strides=2, padding="valid")
keras_model = keras.Sequential([
    keras.Input((None, None, 2)),
    keras_conv,
    keras.layers.Cropping2D(tuple(zip(crop.before, crop.after))),
])
keras_conv.kernel.assign(weight_2d.permute(2, 3, 1, 0).numpy())
keras_conv.bias.assign(bias_2d.numpy())
from_keras = keras_model(image.permute(0, 2, 3, 1)).detach().permute(0, 3, 1, 2).numpy()
print("Keras agrees with PyTorch:", np.allclose(from_keras, expected, atol=1e-5))

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Keras -> ONNX.** ONNX's `pads` crop each end separately, so one node says it all: `pads` =
# [before..., after + output_padding...] with `output_padding` = PyTorch's. The weight comes back
# from Keras' kernel with the axes moved back (ONNX's layout is PyTorch's; `fw.weight_from_keras`
# does the same in any dimension).

# %% slideshow={"slide_type": "-"}
weight = keras_conv.kernel.value.detach().permute(3, 2, 0, 1).numpy()   # (kh, kw, out, in) -> PyTorch's
assert np.array_equal(weight, fw.weight_from_keras(keras_conv.kernel.value.detach()))
onnx_model = porting.onnx_model(weight, keras_conv.bias.value.detach(), strides=[2, 2],
                                pads=[1, 1, 1, 1], output_padding=[1, 1])
from_onnx = porting.run_onnx(onnx_model, image)
print("ONNX Runtime agrees with PyTorch:", np.allclose(from_onnx, expected, atol=1e-5))

# %% [markdown] slideshow={"slide_type": "subslide"}
# **ONNX -> PyTorch.** Read the weight, bias and attributes back out of the model and let
# `fw.onnx_crop` find the window. PyTorch crops `padding` at the start and
# `padding - output_padding` at the end, so `padding = before` and
# `output_padding = before - after`, which works whenever 0 <= before - after < stride:

# %% slideshow={"slide_type": "-"}
weight, bias, attributes = porting.onnx_weights(onnx_model)
print(attributes)
window = fw.onnx_crop((4, 5), weight.shape[2:], attributes["strides"], attributes["pads"],
                      output_padding=attributes["output_padding"])
padding = window.before
output_padding = tuple(b - a for b, a in zip(window.before, window.after))
assert all(0 <= op < 2 for op in output_padding)          # stride 2
print("padding", padding, "output_padding", output_padding)
back = nn.ConvTranspose2d(2, 3, 3, stride=2, padding=padding, output_padding=output_padding)
back.weight.data, back.bias.data = torch.tensor(weight), torch.tensor(bias)
print("back in PyTorch, agrees:", np.allclose(back(image).detach().numpy(), expected, atol=1e-5))

# %% [markdown] slideshow={"slide_type": "subslide"}
# And the learner's Keras `'same'` layer in PyTorch: its window (before 0, after 1) crops more at
# the end, which no `padding` and `output_padding` can, so the layer keeps the full result
# (`padding=0`) and one entry is cropped after it. `fw.pytorch_call` finds such a call for any
# window (the nearest `padding` and `output_padding`, plus the extra crop), and
# `porting.pytorch_conv_transpose` runs it. JAX is computed here from convlib's formulas; with the
# optional `jax` extra installed, `tests/test_frameworks.py` also runs the real `lax.conv_transpose`.

# %% slideshow={"slide_type": "-"}
keras_window = F.conv_transpose1d(x, w, stride=2)[..., :-1]    # padding=0, then crop 1 at the end
print("PyTorch, Keras' window:", keras_window.numpy().ravel())
call = fw.pytorch_call(fw.keras_crop(4, 3, 2, "same"), stride=2)
print(call)
assert torch.equal(porting.pytorch_conv_transpose(x, w, call, stride=2), keras_window)
jax_window = fw.jax_crop(4, 3, 2, "SAME")
print("JAX 'SAME' (convlib):  ", fw.framework_result(x, w, jax_window, stride=2).ravel())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# The learner's numbers: every framework's output is its window of the one full result, and the
# PyTorch call convlib recommends gives each framework's numbers.

# %% slideshow={"slide_type": "-"}
x1, w1 = x.numpy(), w.numpy()
full = convlib.conv_transpose_scatter(x1, w1, stride=2)
assert full.ravel().tolist() == [1, 2, 5, 4, 9, 6, 13, 8, 12]
assert layer(x).detach().numpy().ravel().tolist() == full.ravel()[1:].tolist()
assert keras_layer(x).detach().numpy().ravel().tolist() == full.ravel()[:8].tolist()
for auto_pad, kept in [("SAME_UPPER", slice(0, 8)), ("SAME_LOWER", slice(1, 9))]:
    model = porting.onnx_model(w1, strides=[2], auto_pad=auto_pad)
    assert np.array_equal(porting.run_onnx(model, x1), full[..., kept])
    crop = fw.onnx_crop(4, 3, 2, auto_pad=auto_pad)
    assert np.array_equal(fw.framework_result(x1, w1, crop, stride=2), full[..., kept])
    call = fw.pytorch_call(crop, stride=2)
    assert np.array_equal(porting.pytorch_conv_transpose(x1, w1, call, stride=2), full[..., kept])
print("PyTorch, Keras and ONNX Runtime keep windows of one full result, as convlib says")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The porting recipe: PyTorch, Keras and ONNX Runtime agree to float32 rounding, and convlib's
# four methods give the PyTorch layer's result (exactly, on integers of the same shapes).

# %% slideshow={"slide_type": "-"}
for result in (from_keras, from_onnx, back(image).detach().numpy()):
    assert np.allclose(result, expected, atol=1e-5)
assert fw.pytorch_call(window, stride=2) == fw.PyTorchCall(padding, output_padding, (0, 0), (0, 0))
params = dict(stride=2, padding=1, output_padding=1)
assert convlib.compare(image, weight_2d, bias_2d, **params).agree
integers = convlib.compare(torch.arange(40.0).reshape(1, 2, 4, 5), torch.ones(2, 3, 3, 3), **params)
print(integers.summary)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - Every framework computes the same full result, (i-1)s + d(k-1) + 1 long, and keeps a window:
#   `before` entries cropped at the start, `after` at the end (`convlib.frameworks`).
# - PyTorch: `padding` at both ends, `output_padding` back at the end, so never a larger crop at
#   the end. Keras and JAX 'same' put the odd entry's crop at the end: a one-place shift
#   against PyTorch's `padding=1, output_padding=1`. ONNX SAME_LOWER agrees with PyTorch there,
#   SAME_UPPER with Keras.
# - They also disagree on `stride` larger than the kernel ('same'), on `output_padding` with
#   `dilation`, and JAX flips the kernel only with `transpose_kernel=True`.
# - Weights: Keras (*k, C_out, C_in); ONNX as PyTorch; JAX as PyTorch with channels-first
#   `dimension_numbers` (`('NCH', 'OIH', 'NCH')` in 1-D, `('NCHW', 'OIHW', 'NCHW')` in 2-D) and
#   `transpose_kernel=True`. (JAX's default layout is `('NHWC', 'HWIO', 'NHWC')` in 2-D: there the
#   input's and the weight's axes move too.)
# - Porting: compute the window, then `padding = before`, `output_padding = before - after` when
#   that is in 0 .. stride-1 (else `fw.pytorch_call` adds a crop), ONNX `pads`, or Keras
#   `'valid'` plus `Cropping`; compare the numbers on one input before trusting the port.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("12.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** Keras `Conv1DTranspose(1, kernel_size=5, strides=2, padding='same')` on an input of
# length 6: how many entries of the full result does it crop at the start and at the end? Give
# `[start, end]`.

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("12.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** An ONNX `ConvTranspose` with `kernel_shape=[5]`, `strides=[2]`, `pads=[2, 1]` runs on an
# input of length 5. Which PyTorch `padding` and `output_padding` give the same numbers? Give
# `[padding, output_padding]`.

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("12.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** A length-5 input through ONNX `ConvTranspose` with `kernel_shape=[3]`, `strides=[4]` and
# `auto_pad='SAME_UPPER'`, run by ONNX Runtime: how long is the output? (Keras' 'same' would give
# 20.)

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("12.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4. Implement it.** Write the window of Keras' `padding='same'` (no `output_padding`, no
# `dilation`): return `[start, end]`, the entries cropped at each end of the full result (negative
# when entries are added). `grade_function` tries it on several sizes, kernels and strides,
# smallest first, and shows the first case it gets wrong with the window it should give.

# %% slideshow={"slide_type": "-"}
def keras_same_window(input_size, kernel_size, stride):
    return None  # replace with your code


grade_function("12.4", keras_same_window)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 11_checkerboards_in_training](11_checkerboards_in_training.ipynb) | [contents](00_index.ipynb) | [13_in_training >](13_in_training.ipynb)

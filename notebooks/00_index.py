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
# # Transposed convolution, made obvious
#
# **Question:** What is transposed convolution, and how do I use this textbook?
#
# This textbook answers the questions real learners asked about transposed convolution, with
# numbers you can run, pictures you can change and four implementations that agree with PyTorch.
# This page says what transposed convolution is and is not, shows its three views on one tiny
# example, explains the sliders, and lists the chapters.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [contents](00_index.ipynb) | [01_shapes >](01_shapes.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What transposed convolution is
#
# A transposed convolution (`nn.ConvTranspose2d`, `F.conv_transpose2d`) is a linear map in which
# every input value places a scaled copy of the kernel on the output, `stride` positions from its
# neighbour's copy, and overlapping copies add up. With `stride` > 1 the output is usually larger
# than the input, and networks use it to **upsample** (decoders, segmentation, super-resolution);
# but it need not be larger: `padding` crops the output, and [05_groups](05_groups.ipynb) maps 3
# values to 1. Autograd uses it as the **gradient of a convolution** ([07_gradient](07_gradient.ipynb)).
#
# **Names.** In the whole book a transposed convolution takes **`x`** to **`y`**:
# `y = F.conv_transpose2d(x, w)`, and the explorers label their input and output the same way.
# Where an ordinary convolution appears beside it, that convolution takes **`z`** to `x`
# (`x = F.conv2d(z, w)`); the transposed convolution with the same `w` then goes from x's shape
# back to z's. As matrices ([02_matrix](02_matrix.ipynb)): `x = C z` and `y = C.T x`.
#
# The tiny example of this page: two input values `x = [1, 2]`, the kernel `w = [1, 10, 100]`, `stride=2`.

# %% slideshow={"slide_type": "-"}
import torch
import torch.nn.functional as F

import convlib

x = torch.tensor([[[1.0, 2.0]]])       # (N, C_in, length)
w = torch.tensor([[[1.0, 10.0, 100.0]]])  # (C_in, C_out, kernel_size)
y = F.conv_transpose1d(x, w, stride=2)
print("2 values in, 5 out:", y.ravel().int().tolist())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What it is not
#
# **Not an inverse.** A convolution followed by the transposed convolution with the same kernel
# and settings gives back the input's *shape*, not its values: chapter
# [02_matrix](02_matrix.ipynb) shows why (its section *C.T is not an inverse*).
#
# **Not a deconvolution.** Deconvolution means *undoing* a convolution `x = C z`: solving it for
# `z`. A transposed convolution multiplies by `C.T` instead. Even when `C` is invertible (here a
# 3x3 kernel with `padding=1`, 16 values to 16 values), solving gives `z` back and `C.T @ x` does
# not. The 4x4 image `z` = 1..16:

# %% slideshow={"slide_type": "-"}
z = torch.arange(1.0, 17.0).reshape(1, 1, 4, 4)
kernel = torch.tensor([[0.0, 1, 0], [2, 6, 1], [0, 1, 0]]).reshape(1, 1, 3, 3)
blurred = F.conv2d(z, kernel, padding=1)                         # x = C z
C = convlib.conv_matrix(kernel.double(), (1, 4, 4), padding=1)  # (16, 16), invertible
x16 = blurred.double().ravel()
solved = torch.linalg.solve(C, x16).round().reshape(4, 4)
print("deconvolution, solve(C, x):", solved.int().tolist())
print("transposed, C.T @ x:       ", (C.T @ x16).reshape(4, 4).int().tolist())
assert torch.equal(solved.reshape(1, 1, 4, 4).float(), z)
assert torch.equal((C.T @ x16).reshape(1, 1, 4, 4).float(), F.conv_transpose2d(blurred, kernel, padding=1))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Three views of one operation
#
# convlib computes the transposed convolution three ways, each equal to PyTorch's (and a fourth,
# by output phases, which [13_in_training](13_in_training.ipynb) builds from them). "Equal" means
# exactly, digit for digit, on whole numbers such as these; on other numbers the methods add in
# different orders, so they agree to float tolerance, and every agreement line says which: `0`,
# or the bound the differences stay below. One
# paragraph and a few lines of code each, on `x = [1, 2]`, `w = [1, 10, 100]`, `stride=2`.
#
# **1. The matrix.** The ordinary convolution from 5 values to 2 with this kernel and stride is a
# 2x5 matrix `C`; each row holds the kernel, shifted by the stride. The transposed convolution is
# `C.T @ x`: 2 values to 5. This is `convlib.conv_transpose_matrix` ([02_matrix](02_matrix.ipynb)).

# %% slideshow={"slide_type": "-"}
C = convlib.conv_matrix(w, (1, 5), stride=2)
print("C =", C.int().tolist())
print("C.T @ x =", (C.T @ x.ravel()).int().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2. Scatter-add.** Each input value stamps `value * w` onto the output, starting at
# `stride * i`; the stamps add up. `x[0] = 1` stamps `[1, 10, 100]` at 0, `x[1] = 2` stamps
# `[2, 20, 200]` at 2, and position 2 gets `100 + 2 = 102`. This is `convlib.conv_transpose_scatter`
# ([03_scatter_add](03_scatter_add.ipynb)).

# %% slideshow={"slide_type": "-"}
canvas = torch.zeros(5)
for i, value in enumerate(x.ravel()):
    canvas[2 * i:2 * i + 3] += value * w.ravel()       # the stamp of x[i], at stride * i
    print(f"x[{i}] = {value:g} stamps {(value * w).ravel().int().tolist()} at position {2 * i}")
print("the stamps added up:", canvas.int().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3. A padded direct convolution.** Insert `stride-1` zeros between the inputs, pad
# `dilation*(kernel_size-1) - padding` zeros on both sides, and slide the **flipped** kernel
# `[100, 10, 1]` over it with stride 1, as an ordinary convolution ([04_direct](04_direct.ipynb)
# explains why the kernel is flipped). This is `convlib.conv_transpose_direct`.

# %% slideshow={"slide_type": "-"}
padded = F.pad(torch.tensor([[[1.0, 0.0, 2.0]]]), (2, 2))   # one zero inserted, then 2 on each side
print("padded input", padded.ravel().int().tolist(), "| flipped kernel", w.flip(-1).ravel().int().tolist())
print("conv1d:", F.conv1d(padded, w.flip(-1)).ravel().int().tolist())

# %% slideshow={"slide_type": "fragment"}
result = convlib.compare(x, w, stride=2)
assert result.agree and y.ravel().tolist() == [1, 10, 102, 20, 200]
print("x, w:        ", result.summary)
tenths = convlib.compare(x.double() / 10, w.double() / 3, stride=2)
assert tenths.agree and max(tenths.differences.values()) < 1e-13
print("x/10, w/3:   ", tenths.summary)

# %% [markdown] slideshow={"slide_type": "-"}
# On `x/10` and `w/3` the line states the bound, `below 1e-13`, not a measured difference: on a
# given machine the differences may well be 0, and they stay below the bound on every machine.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## How to use this textbook
#
# - **Run it.** *Run > Run All Cells* runs a chapter top to bottom, most of them in a few seconds
#   (chapter 11 trains three small models, chapter 12 starts Keras and ONNX Runtime: those take
#   longer). Change a number in a cell and run it again; the chapter's `assert` cells tell you if
#   PyTorch and convlib still agree.
# - **Sliders.** The explorers are one-line calls such as the one below. Each slider is named like
#   the PyTorch parameter it sets (`stride`, `padding`, `output_padding`, `dilation`, `groups`,
#   `kernel_size`); moving it redraws the picture, and the line under the picture says whether
#   PyTorch and convlib's four methods agree. A setting PyTorch would refuse shows convlib's message
#   instead. In JupyterLab the sliders need a running kernel (without one you see the picture as
#   saved); on the book site they work with no kernel at all.
# - **Binder.** The *launch binder* badge in the README (or the Binder column of its chapter table)
#   opens any chapter in JupyterLab in your browser, nothing to install. Binder sessions are
#   temporary: download what you change.

# %% [markdown] slideshow={"slide_type": "subslide"}
# - **Slides.** Every cell carries slide metadata: *View > Render as Reveal Slideshow* (`Alt+R`)
#   presents a chapter cell by cell in class.
# - **Exercises.** Each chapter ends with exercises: replace `None` with your answer and run the
#   cell; it says right, or gives a hint (the answers are not in the cell). Stuck after a try?
#   `reveal("03.1")` shows the answer and how to get it. Most chapters also ask you to implement
#   a piece yourself (the matrix, scatter-add, the direct method and more), and checks your
#   function against convlib on several cases, smallest first.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Try one: the tiny example as scatter-add. Press play, or drag `step`; then change `stride`:

# %% slideshow={"slide_type": "-"}
from convlib.explorers import scatter_explorer

scatter_explorer(input=[1, 2], weight=[1, 10, 100], stride=2)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Chapters

# %% [markdown] slideshow={"slide_type": "-"} tags=["chapter-list"]
# | chapter | the question it answers |
# | --- | --- |
# | [Shape arithmetic: how big is the output?](01_shapes.ipynb) | A k3s2p1 convolution turns 4x4 into 2x2, so why does the transposed convolution with the same parameters turn 2x2 into 3x3 rather than 4x4, and how do I get 4x4 back? |
# | [The matrix view: C, its transpose and the gradient](02_matrix.ipynb) | How does a 3x3 convolution on a 4x4 image become the 4x16 matrix C, what does C.T do with the 4 outputs, and does C.T @ (C @ z) give z back? |
# | [Scatter-add: every input stamps a scaled kernel](03_scatter_add.ipynb) | With stride 2 and padding 1, where do the 6 at (0, 0) and the 12s at (0, 1) and (1, 0) of a transposed convolution's 8x8 output come from? |
# | [Transposed convolution as a direct convolution: flip, insert zeros, pad](04_direct.ipynb) | Why does F.conv_transpose2d(x, w) give different numbers from F.conv2d(x, w, padding=2), and how exactly does a transposed convolution become an ordinary one? |
# | [Groups: transposed convolutions side by side](05_groups.ipynb) | Why does a `ConvTranspose1d` with `groups=2`, `padding=2` and the kernel `[1, 1, 2]` turn four 3-long channels into 8, 8, 10, 10? |
# | [Dilation and output_padding in depth](06_dilation_output_padding.ipynb) | Where does `output_padding=1` put the extra row and column that turn a 2x2 input into 6x6, what does `dilation` do to the kernel, and why is `output_padding=2` refused? |
# | [Transposed convolution is the gradient of convolution](07_gradient.ipynb) | PyTorch's documentation says `nn.ConvTranspose2d` "can be seen as the gradient of `Conv2d` with respect to its input": in exactly what sense, with which arguments (the same weight tensor? the same `stride`, `padding`, `dilation` and `groups`? which `output_padding`?), and is the gradient of a transposed convolution a convolution? |
# | [In practice: upsampling a picture, and checkerboard artifacts](08_in_practice.ipynb) | How do I double the size of a picture with a transposed convolution, and why do some settings cover it in a checkerboard pattern? |
# | [Choosing the output size: `output_size=` and `output_padding`](09_output_size.ipynb) | A U-Net decoder upsamples a 37x32 feature map with `nn.ConvTranspose2d(8, 8, kernel_size=2, stride=2)` and gets 74x64, but the skip connection it must be joined with is 75x64: can `up(x, output_size=(75, 64))` fix it, which sizes does `output_size` accept, how do they map to `output_padding`, and why is 76x64 refused? |
# | [Upsampling exactly: any factor, many channels, sub-pixel convolution](10_upsampling.ipynb) | Which `kernel_size` and `padding` make `nn.ConvTranspose2d(3, 3, ..., stride=32)` enlarge a picture exactly 32 times by bilinear interpolation (as fully convolutional segmentation networks do), what changes for an odd factor such as 3, how do its 3 channels stay apart, and do sub-pixel convolution (`nn.PixelShuffle`) and resize-then-convolve compute anything different? |
# | [Checkerboards in training: a learned upsampler, and the gradient of a strided convolution](11_checkerboards_in_training.ipynb) | When a x2 upsampler `nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1, output_padding=1)` is trained on a photograph, does a checkerboard appear in what it learns, how large is it, do `kernel_size=4` and resize-then-convolve avoid it, and why does the gradient of a strided convolution show the same pattern? |
# | [The same layer in Keras, JAX and ONNX](12_frameworks.ipynb) | A Keras `Conv1DTranspose(kernel_size=3, strides=2, padding='same')` and a PyTorch `ConvTranspose1d(kernel_size=3, stride=2, padding=1, output_padding=1)` with the same weights both turn [1, 2, 3, 4] into 8 numbers, so why are PyTorch's shifted by one, and how do I port a layer between PyTorch, Keras, JAX and ONNX without such a shift? |
# | [In training: the border, the first step, the cost](13_in_training.ipynb) | My bilinear x2 layer `nn.ConvTranspose2d(C, C, 4, stride=2, padding=1, groups=C)` darkens the border (edges x0.75, corners x0.5625) and `padding_mode="replicate"` is refused, so how do I match `F.interpolate` exactly; why does `nn.ConvTranspose2d(512, 256, 4, stride=2, padding=1)` start with an output std of 0.40 where `nn.Conv2d(512, 256, 3, padding=1)` gives 0.57, and a `kernel_size=3, stride=2, padding=1, output_padding=1` layer 0.27, 0.38 and 0.54 by phase; and why does the layer cost 1.07 G multiply-adds when its zero-insertion view costs 4.29 G, and what does PyTorch run instead? |
# | [Designing with transposed convolutions: what one output sees, and where it sits](14_design.ipynb) | How far does a transposed convolution widen what one output sees (`kernel_size=2, stride=2`: 1 input; `kernel_size=4, stride=2, padding=1`: 2; `kernel_size=3, stride=2, padding=1, output_padding=1`: 1 or 2), why does one more 3x3x3 convolution after three downsamplings by 2 add 16, why does FCN-32s crop the 544x544 output of its `kernel_size=64, stride=32` layer at offset 19 (and FCN-8s at 5, 9 and 31), and how do I compute the offset of any chain so that a decoder lines up with its skip connections? |
# | [Deploying the layer: its weight's axes, folding, quantisation, export](15_deploy.ipynb) | Folding `BatchNorm2d(16)` into `nn.ConvTranspose2d(8, 16, 4, stride=2, padding=1)` along axis 0 of the weight is a shape error, and for 16 -> 16 channels it runs and is wrong: which axis is the output channel, for folding, per-channel quantisation and weight norm, and what changes with `groups`? Why can a converter not turn `output_padding` or `padding` into padding the input (81 outputs become 88, 7 become 13)? And which `output_shape` does a framework accept with 'SAME' for an input of 7, `kernel_size=3`, `stride=2` (13 and 14), and which window of the full result (15) does each keep? |

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [contents](00_index.ipynb) | [01_shapes >](01_shapes.ipynb)

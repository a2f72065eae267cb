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
# # Transposed convolution as a direct convolution: flip, insert zeros, pad
#
# **Question:** Why does F.conv_transpose2d(x, w) give different numbers from F.conv2d(x, w, padding=2), and how exactly does a transposed convolution become an ordinary one?
#
# What you will learn:
# - that PyTorch's `conv2d` is a cross-correlation (no kernel flip), so the equivalent ordinary
#   convolution of a transposed convolution uses the **flipped** kernel;
# - how `stride` becomes `stride - 1` zeros inserted between the inputs;
# - what PyTorch's note "adds `dilation * (kernel_size - 1) - padding` zero padding" means, worked
#   out on an 8x8 example;
# - why `conv1d` gives [8, 17] but `conv_transpose1d(padding=2)` gives [12, 9] on the same numbers.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 03_scatter_add](03_scatter_add.ipynb) | [contents](00_index.ipynb) | [05_groups >](05_groups.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# Three learners ran into the same wall from three sides:
#
# - Section 4.3 of Dumoulin and Visin's guide says a transposed convolution of a 2x2 input with a
#   3x3 kernel equals a direct convolution of that input padded with a 2-wide border of zeros,
#   stride 1. With z = 1..16 (4x4), a random 3x3 w and the 2x2 x = conv2d(z, w), the learner
#   compares `F.conv_transpose2d(x, w)` with `F.conv2d(x, w, padding=2)`: same 4x4 shape,
#   different numbers.
# - PyTorch's documentation says `padding` "effectively adds dilation * (kernel_size - 1) -
#   padding" zeros to the input. For `kernel_size=4, stride=2, padding=1` on a 4x4 image of ones
#   (weights 1..16) that is 2, but how does it give the 8x8 output, stride included?
# - The signal [2, 1, 1, 3] with the kernel [1, 1, 5] gives [8, 17] with `conv1d`, but [12, 9]
#   with `conv_transpose1d(padding=2)`, although that padding adds no zeros at all.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch
#
# The first learner's tensors (seeded) and the two calls they compared:

# %% slideshow={"slide_type": "-"}
import numpy as np
import torch
import torch.nn.functional as F

import convlib

torch.set_printoptions(precision=2, linewidth=100)
torch.manual_seed(0)
z = torch.arange(1, 17, dtype=torch.float).reshape(1, 1, 4, 4)
w1 = torch.rand(3, 3).view(1, 1, 3, 3)
x1 = F.conv2d(z, w1)
print(F.conv_transpose2d(x1, w1))
print(F.conv2d(x1, w1, padding=2))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The second learner's layer, as a function call: `kernel_size=4, stride=2, padding=1`.

# %% slideshow={"slide_type": "-"}
ones = torch.ones(1, 1, 4, 4)
w16 = torch.arange(1.0, 17.0).view(1, 1, 4, 4)
out = F.conv_transpose2d(ones, w16, stride=2, padding=1)
out

# %% [markdown] slideshow={"slide_type": "subslide"}
# The third learner's one-dimensional surprise (integer tensors, as in the original):

# %% slideshow={"slide_type": "-"}
signal = torch.tensor([2, 1, 1, 3]).reshape(1, 1, -1)
kernel = torch.tensor([1, 1, 5]).reshape(1, 1, -1)
print(F.conv1d(signal, kernel, padding=0).ravel().tolist())
print(F.conv_transpose1d(signal, kernel, padding=2).ravel().tolist())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### The kernel flip
#
# PyTorch's `conv1d` slides the kernel over the signal **as it is**, with no flip. That is a
# cross-correlation: out[o] = Σ_k x[o + k] w[k]. So [8, 17] is two dot products with [1, 1, 5]:

# %% slideshow={"slide_type": "-"}
s, k = signal.ravel(), kernel.ravel()
print([int(s[o:o + 3] @ k) for o in range(2)])

# %% [markdown] slideshow={"slide_type": "subslide"}
# A transposed convolution scatters (chapter 03): x[i] adds x[i] * w[k] at position i + k - p. Read
# backwards, output o collects x[i] * w[k] for every i + k = o + p, so as i moves right along the
# input, k moves left along the kernel: the sliding window meets the kernel **reversed**. With
# `kernel_size=3, padding=2` the window is exactly [2, 1, 1] and then [1, 1, 3], each against [5, 1, 1]:

# %% slideshow={"slide_type": "-"}
print([int(s[o:o + 3] @ k.flip(0)) for o in range(2)])

# %% [markdown] slideshow={"slide_type": "-"}
# So it is the other way round from what one might expect from a maths textbook: PyTorch's
# "convolution" does not flip, and its transposed convolution, the adjoint of a cross-correlation,
# does. (The convolution matrix of chapter 02 shows it: C.T's rows hold the kernel in reverse.)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same holds in 2-D, which is the first learner's problem. The guide's statement is right
# once the kernel is flipped in both spatial axes:

# %% slideshow={"slide_type": "-"}
print(F.conv2d(x1, w1.flip(-1, -2), padding=2))

# %% [markdown] slideshow={"slide_type": "-"}
# That is `F.conv_transpose2d(x1, w1)` from above. With several channels the kernel must also
# change layout: a transposed convolution's weight is stored as (in, out, ...), an ordinary one's
# as (out, in, ...). So the recipe is two steps, flip and swap (`convlib.direct_weight(w)` holds
# it; chapter 05 adds `groups`). With 2 channels in and 3 out:

# %% slideshow={"slide_type": "-"}
w23 = torch.arange(54.0).reshape(2, 3, 3, 3)           # ConvTranspose2d(2, 3, 3): (in, out, 3, 3)
w_direct = w23.flip(-1, -2).transpose(0, 1)             # Conv2d(2, 3, 3): (out, in, 3, 3)
x23 = torch.arange(8.0).reshape(1, 2, 2, 2)
print(tuple(w23.shape), "->", tuple(w_direct.shape), "| equal:",
      torch.equal(F.conv2d(x23, w_direct, padding=2), F.conv_transpose2d(x23, w23)))
assert torch.equal(w_direct, convlib.direct_weight(w23))  # the recipe is convlib's

# %% [markdown] slideshow={"slide_type": "subslide"}
# The explorer slides the flipped kernel over the learner's padded x, one output per `step`. As in
# chapter 02 it is given x computed exactly, in float64: it keeps every digit of its numbers, and
# float32's last bits depend on the order in which the CPU adds.

# %% slideshow={"slide_type": "-"}
from convlib.explorers import direct_explorer

x_exact = F.conv2d(z.double(), w1.double())
assert torch.allclose(x_exact.float(), x1)
direct_explorer(x_exact[0, 0], w1[0, 0], stride=1, padding=0, output_padding=0, dilation=1, step=0)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Stride: insert zeros
#
# With `stride` s, neighbouring inputs stamp s apart. In the direct view the input is spread out
# instead: `stride - 1` zeros go between neighbours (`convlib.zero_insert`), and the kernel then
# slides with stride 1. This is the "fractional stride" of chapter 01.

# %% slideshow={"slide_type": "-"}
print(convlib.zero_insert(np.arange(1, 5).reshape(1, 1, 2, 2), stride=2)[0, 0])
print(convlib.zero_insert(np.arange(1, 5).reshape(1, 1, 2, 2), stride=3)[0, 0])

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Padding: `dilation * (kernel_size - 1) - padding`
#
# A kernel that spans d(k-1) + 1 entries must be able to overlap the first input with its last
# tap, so the direct view pads d(k-1) zeros on each side: the full canvas of chapter 03. The
# transposed convolution's `padding` p crops that canvas, so it *removes* p of those zeros. What is
# left is PyTorch's note. `output_padding` pads that many *more* zeros, after the input only; the
# extra outputs it makes are not zeros in general (chapter 06 shows one holding computed values).

# %% slideshow={"slide_type": "-"}
for learner, (k, s, p) in {"first": (3, 1, 0), "second": (4, 2, 1), "third": (3, 1, 2)}.items():
    setup = convlib.validate_sizes(4, kernel_size=k, stride=s, padding=p)  # input size 4
    print(f"{learner:<6} learner, k={k} s={s} p={p}: inserted_zeros {setup.inserted_zeros}, "
          f"pad_before {setup.pad_before}, pad_after {setup.pad_after}")

# %% [markdown] slideshow={"slide_type": "-"}
# The first learner's 2 is the guide's 2-wide border; the third learner's 0 is why their window was
# just the signal. A `padding` larger than d(k-1) would make it negative: the input is cropped.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### When `padding` > `dilation * (kernel_size - 1)`: the direct convolution crops
#
# Take `x = [1, 2, 3, 4]`, the kernel `w = [1, 10, 100]`, `stride=2` and `padding=3`, larger than
# d(k-1) = 2. The scatter-add canvas (chapter 03) has (4-1)*2 + 3 = 9 entries; `padding=3` cuts 3
# from each end and leaves 3:

# %% slideshow={"slide_type": "-"}
x_crop = torch.tensor([[[1.0, 2.0, 3.0, 4.0]]])
w_crop = torch.tensor([[[1.0, 10.0, 100.0]]])
print("canvas (padding=0):", F.conv_transpose1d(x_crop, w_crop, stride=2).int().ravel().tolist())
print("padding=3:         ", F.conv_transpose1d(x_crop, w_crop, stride=2, padding=3).int().ravel().tolist())
setup = convlib.validate_sizes(4, kernel_size=3, stride=2, padding=3)
print("pad_before", setup.pad_before, "pad_after", setup.pad_after)

# %% [markdown] slideshow={"slide_type": "fragment"}
# In the direct view the pad is 2 - 3 = **-1**: the zero-inserted input `[1, 0, 2, 0, 3, 0, 4]`
# loses one entry at each end, and the flipped kernel `[100, 10, 1]` slides over `[0, 2, 0, 3, 0]`:
# 2*10 = 20, then 2*100 + 3*1 = 203, then 3*10 = 30. The first and last inputs (1 and 4) do not
# reach the output at all.

# %% slideshow={"slide_type": "-"}
cropped = convlib.direct_input(x_crop, w_crop, stride=2, padding=3)
print("zero-inserted:", convlib.zero_insert(x_crop, 2).int().ravel().tolist())
print("cropped by 1: ", cropped.int().ravel().tolist())
print("conv1d with the flipped kernel:",
      F.conv1d(cropped, convlib.direct_weight(w_crop)).int().ravel().tolist())

# %% [markdown] slideshow={"slide_type": "-"}
# The same in `direct_explorer`: it draws the whole zero-inserted row `[1, 0, 2, 0, 3, 0, 4]` and
# greys the entry the crop takes off each end (the inputs 1 and 4); the flipped kernel slides over
# what is left. Step through the 3 outputs; lower `padding` to 2 and the crop becomes a pad of 0,
# to 1 a pad of 1:

# %% slideshow={"slide_type": "-"}
crop_view = direct_explorer([1, 2, 3, 4], [1, 10, 100], stride=2, padding=3, output_padding=0,
                            dilation=1, step=1)
row = crop_view.scene["input"]
assert row.values.ravel().tolist() == [1, 0, 2, 0, 3, 0, 4]
assert [i for i, role in enumerate(row.roles.ravel()) if role == "cropped"] == [0, 6]
crop_view

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The 8x8 example as a direct convolution
#
# The 4x4 ones: insert 1 zero between neighbours (7x7), pad 2 on each side (11x11). This is
# `convlib.direct_input`:

# %% slideshow={"slide_type": "-"}
padded = convlib.direct_input(ones, w16, stride=2, padding=1)
print(padded[0, 0].long())

# %% [markdown] slideshow={"slide_type": "subslide"}
# The flipped kernel slides over it with stride 1: (11 - 4) + 1 = 8 positions along each axis.

# %% slideshow={"slide_type": "-"}
flipped = convlib.direct_weight(w16)
print(flipped[0, 0].long())
print(F.conv2d(padded, flipped)[0, 0].long())

# %% [markdown] slideshow={"slide_type": "subslide"}
# At (0, 0) the 4x4 window covers a single 1, at window position (2, 2), where the flipped kernel
# holds 6: the 6 of chapter 03. At (0, 1) the window covers two 1s, meeting 7 and 5: 12.

# %% slideshow={"slide_type": "-"}
for o in [(0, 0), (0, 1), (1, 0)]:
    window = padded[0, 0, o[0]:o[0] + 4, o[1]:o[1] + 4]
    print(o, "=", " + ".join(str(int(v)) for v in flipped[0, 0][window == 1]))

# %% [markdown] slideshow={"slide_type": "-"}
# All of this is `convlib.direct.conv_transpose_direct`: `conv(direct_input(x), direct_weight(w))`.
# In the explorer, step through the 64 outputs; change `stride`, `padding` and `output_padding` to
# see the inserted zeros (pink) and the padding (grey) change.

# %% slideshow={"slide_type": "-"}
direct_explorer(ones[0, 0], w16[0, 0], stride=2, padding=1, output_padding=0, dilation=1, step=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# And the 1-D surprise: with `padding=2` the padding is 0, and the flipped kernel [5, 1, 1] meets
# [2, 1, 1], then [1, 1, 3].

# %% slideshow={"slide_type": "-"}
direct_explorer(signal.ravel(), kernel.ravel(), stride=1, padding=2, output_padding=0, dilation=1,
                step=0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# Flipping is exactly what was missing, for every learner's numbers.

# %% slideshow={"slide_type": "-"}
assert torch.allclose(F.conv2d(x1, w1.flip(-1, -2), padding=2), F.conv_transpose2d(x1, w1))
assert not torch.allclose(F.conv2d(x1, w1, padding=2), F.conv_transpose2d(x1, w1))
assert torch.equal(convlib.direct_weight(w1), w1.flip(-1, -2))
assert torch.equal(F.conv2d(x23, w_direct, padding=2), F.conv_transpose2d(x23, w23))
assert torch.allclose(convlib.conv_transpose_direct(x1, w1), F.conv_transpose2d(x1, w1))
assert F.conv1d(signal, kernel).ravel().tolist() == [8, 17]
assert F.conv_transpose1d(signal, kernel, padding=2).ravel().tolist() == [12, 9]
assert F.conv1d(signal, kernel.flip(-1)).ravel().tolist() == [12, 9]
assert convlib.validate_sizes(4, 4, stride=2, padding=1).pad_before == (4 - 1 - 1,) == (2,)
assert torch.equal(F.conv2d(padded, flipped), out)
crop_result = F.conv_transpose1d(x_crop, w_crop, stride=2, padding=3)
assert crop_result.ravel().tolist() == [20, 203, 30]                 # padding > d(k-1): crop
assert torch.equal(cropped, torch.tensor([[[0.0, 2, 0, 3, 0]]]))
assert torch.equal(F.conv1d(cropped, w_crop.flip(-1)), crop_result)
print("conv_transpose(x, w) = conv(zero_insert(x) padded by d(k-1)-p, flipped w)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# convlib's four methods and PyTorch: exactly equal on the integer examples, and within rounding
# on the learner's random kernel.

# %% slideshow={"slide_type": "-"}
assert convlib.compare(x1, w1).agree
examples = [(signal, kernel, dict(padding=2)), (ones, w16, dict(stride=2, padding=1)),
            (x_crop, w_crop, dict(stride=2, padding=3))]
for inputs, weight, params in examples:
    comparison = convlib.compare(inputs, weight, **params)
    assert comparison.agree
    print(comparison.summary)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - PyTorch's `conv1d/2d/3d` are cross-correlations: no flip. Their transposes flip the kernel:
#   `conv_transpose2d(x, w) == conv2d(x, w.flip(-1, -2), padding=2)` for a 3x3 kernel and one
#   channel; with several channels also swap in and out, `w.flip(-1, -2).transpose(0, 1)`
#   (per group: `convlib.direct_weight`, chapter 05).
# - Stride becomes `stride - 1` zeros between the inputs (`convlib.zero_insert`), then stride 1.
# - The input is padded by `dilation * (kernel_size - 1) - padding` on each side, plus
#   `output_padding` at the end (`pad_before`, `pad_after` of `convlib.validate_sizes`;
#   `convlib.direct_input`). When
#   `padding` > `dilation * (kernel_size - 1)` that is negative and the input is cropped:
#   [1, 2, 3, 4], [1, 10, 100], `stride=2, padding=3` gives [20, 203, 30].
# - [2, 1, 1, 3] with [1, 1, 5]: `conv1d` gives [8, 17]; `conv_transpose1d(padding=2)` uses
#   [5, 1, 1] and gives [12, 9].

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("04.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** `conv_transpose1d(signal, kernel, padding=1)`: the direct view pads [2, 1, 1, 3] with
# dilation*(kernel_size-1) - padding = 1*(3-1) - 1 = 1 zero on each side (not `padding=1`
# itself: that it is also 1 is a coincidence). What does it return? Work it out by hand with the
# flipped kernel, as a list.

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("04.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** `F.conv_transpose1d(signal, torch.tensor([[[1, 2, 3]]]), padding=2)` returns two
# numbers. Find a kernel of three numbers that makes
# `F.conv1d(signal, torch.tensor(answer_2).reshape(1, 1, -1))` return the same two. Any kernel
# that does is right; give it as a list.

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("04.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** For `kernel_size=5, stride=2, padding=1, dilation=1`, how many zeros does the direct
# view pad before the (zero-inserted) input?

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("04.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4.** A transposed convolution with `kernel_size=4, stride=3, padding=1, output_padding=2`
# gets a 3x3 input. How many rows does its direct input have after zero insertion and padding?

# %% slideshow={"slide_type": "-"}
answer_4 = None  # replace None with your answer
grade("04.4", answer_4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **5. Implement it.** Write the direct method yourself, in 1-D and with NumPy only:
# `direct_1d(x, w, stride, padding)` gets 1-D arrays `x` and `w` and must return what
# `F.conv_transpose1d` gives for one channel, computed as an ordinary convolution (no stamps).
# One of the random cases has `padding` > `kernel_size - 1`. `grade_function` compares it with
# `convlib.conv_transpose_direct`, smallest case first, and shows the first case it gets wrong
# with the output it should give.

# %% slideshow={"slide_type": "-"}
def direct_1d(x, w, stride, padding):
    """Insert zeros, pad (or crop) by kernel_size - 1 - padding, slide the flipped kernel."""
    return None  # replace with your code


grade_function("04.5", direct_1d)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 03_scatter_add](03_scatter_add.ipynb) | [contents](00_index.ipynb) | [05_groups >](05_groups.ipynb)

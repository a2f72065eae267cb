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
# # In practice: upsampling a picture, and checkerboard artifacts
#
# **Question:** How do I double the size of a picture with a transposed convolution, and why do some settings cover it in a checkerboard pattern?
#
# What you will learn:
# - A transposed convolution with a fixed bilinear kernel (`kernel_size=4, stride=2, padding=1`) is bilinear upsampling.
# - Checkerboard artifacts come from **uneven overlap**: when `kernel_size` is not divisible by `stride`, neighbouring output pixels receive different numbers of stamps.
# - Even overlap is not enough for an arbitrary kernel: each output phase sums its own subset of taps.
# - Settings that avoid the artifacts on flat regions: `kernel_size` divisible by `stride` with a *balanced* kernel (each stride phase's taps sum to the same value), or resize first and then convolve; and what resize-then-convolve does not guarantee.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 07_gradient](07_gradient.ipynb) | [contents](00_index.ipynb) | [09_output_size >](09_output_size.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# Decoders, segmentation networks and super-resolution models enlarge feature maps with
# `nn.ConvTranspose2d(..., kernel_size=4, stride=2, padding=1)`: it maps `n x n` to exactly `2n x 2n`.
# Learners then meet pictures from such networks covered in a fine checkerboard and read that
# transposed convolutions "cause" it. Is that so? We upsample a real picture, produce the
# artifact on purpose, and find which settings avoid it. (This is the analysis of Odena, Dumoulin
# and Olah, Distill 2016, rebuilt with convlib.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch
#
# The picture is matplotlib's bundled photograph of Grace Hopper (no download), made grayscale and
# shrunk 8 times by averaging 8x8 blocks: `convlib.upsample.sample_picture`.

# %% slideshow={"slide_type": "-"}
import itertools
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

import convlib
from convlib.upsample import bilinear_kernel, sample_picture

torch.set_printoptions(precision=4)
picture = torch.from_numpy(sample_picture(8))[None, None]  # (N, C, H, W) = (1, 1, 75, 64)
print("picture", tuple(picture.shape),
      "values in", [round(float(v), 2) for v in picture.aminmax()])

# %% [markdown] slideshow={"slide_type": "subslide"}
# A bilinear kernel for stride 2 is the tent `[0.25, 0.75, 0.75, 0.25]` along each axis
# (`bilinear_kernel` states the formula). Used as the weight of a transposed convolution with
# `kernel_size=4, stride=2, padding=1`, it doubles the picture:

# %% slideshow={"slide_type": "-"}
tent = torch.from_numpy(bilinear_kernel(4, 2)).float()[None, None]  # (C_in, C_out, 4, 4)
print(tent[0, 0])
bigger = F.conv_transpose2d(picture, tent, stride=2, padding=1)
print("upsampled", tuple(bigger.shape))

# %% slideshow={"slide_type": "-"}
def show(images, titles, size=3.2, **scale):
    """Pictures side by side, gray, one pixel per array entry (scale: imshow's vmin, vmax)."""
    figure, axes = plt.subplots(1, len(images), figsize=(size * len(images), size))
    for axis, image, title in zip(np.atleast_1d(axes), images, titles):
        axis.imshow(np.asarray(image).squeeze(), cmap="gray", interpolation="nearest", **scale)
        axis.set_title(title)
        axis.axis("off")
    plt.show()


show([picture, bigger], ["75 x 64", "transposed convolution: 150 x 128"], size=4)

# %% [markdown] slideshow={"slide_type": "fragment"}
# It works: the same face, twice as many pixels, no pattern. And it is exactly PyTorch's bilinear
# interpolation, except in the outermost ring of pixels:

# %% slideshow={"slide_type": "-"}
bilinear = F.interpolate(picture, scale_factor=2, mode="bilinear", align_corners=False)
inside = (slice(None), slice(None), slice(1, -1), slice(1, -1))
difference = float((bigger - bilinear)[inside].abs().max())
assert difference < 1e-6
print("inside the border, the two agree to float32 rounding (max |difference| < 1e-6)")
constant = F.conv_transpose2d(torch.ones(1, 1, 3, 3), tent, stride=2, padding=1)
print("border of a constant picture:", constant[0, 0, 0])

# %% [markdown] slideshow={"slide_type": "fragment"}
# At the border one of the two taps falls outside the picture: the edge pixels get `0.75` (corners
# `0.75 * 0.75`) of their value. `F.interpolate` repeats the edge instead. Chapter
# [13_in_training](13_in_training.ipynb) makes the layer match it there too (copy the edge once,
# then a wider `padding`); until then the book compares inside the border.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### Overlap: how many stamps reach each pixel
#
# In the scatter-add view ([03_scatter_add](03_scatter_add.ipynb)) each input pixel stamps the
# kernel onto the output, `stride` pixels from its neighbour. How many stamps reach each output
# position is the transposed convolution of ones with a kernel of ones:

# %% slideshow={"slide_type": "-"}
def overlap(kernel_size, shape=(8,)):
    ones = np.ones((1,) + shape)
    output_padding = 1 if kernel_size % 2 else 0  # keep the output exactly twice the input
    kernel = np.ones((1, 1) + (kernel_size,) * len(shape))
    counts = convlib.conv_transpose_scatter(ones, kernel, stride=2, padding=1,
                                            output_padding=output_padding)
    return counts.astype(int)


print("kernel_size=3, stride=2:", overlap(3).ravel())
print("kernel_size=4, stride=2:", overlap(4).ravel())

# %% [markdown] slideshow={"slide_type": "fragment"}
# With `kernel_size=3` the stamps are 3 wide but only 2 apart: every other pixel is covered twice,
# the others once: **uneven overlap**. With `kernel_size=4` every inner pixel is covered exactly twice.
# In 2-D the counts multiply, giving 1, 2 and 4: a checkerboard.

# %% slideshow={"slide_type": "-"}
print("kernel_size=3:\n", overlap(3, (4, 4))[0])
print("kernel_size=4:\n", overlap(4, (4, 4))[0])

# %% [markdown] slideshow={"slide_type": "subslide"}
# `overlap_explorer` draws the stamps and the counts, in 1-D and 2-D. Move `kernel_size` to 4 and
# the checkerboard of counts disappears; then try `stride=3` with `kernel_size` 3, 4 and 5:

# %% slideshow={"slide_type": "-"}
from convlib.explorers import overlap_explorer

overlap_explorer(input_size=4, kernel_size=3, stride=2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A flat box kernel with uneven overlap
#
# Take the simplest kernel there is, a box of equal weights (scaled so the picture keeps its
# brightness on average), once with `kernel_size=3` and once with `kernel_size=4`. A box is not
# smooth (the tent above is smoother), but it has no pattern of its own: every tap is the same.

# %% slideshow={"slide_type": "-"}
box3 = torch.full((1, 1, 3, 3), 4 / 9)    # 9 taps, 4 output pixels per input pixel
box4 = torch.full((1, 1, 4, 4), 4 / 16)
up3 = F.conv_transpose2d(picture, box3, stride=2, padding=1, output_padding=1)
up4 = F.conv_transpose2d(picture, box4, stride=2, padding=1)
show([up3, up4], ["box, kernel_size=3", "box, kernel_size=4"], size=4)

# %% [markdown] slideshow={"slide_type": "fragment"}
# The same picture, the same kind of kernel: `kernel_size=3` prints the overlap counts onto the
# face; `kernel_size=4` does not. The artifact is not in the picture and not in the kernel's values:
# it is in how the stamps overlap.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### An arbitrary kernel on a flat picture
#
# A trained network's kernel is not a box. Take a random (seeded, integer) kernel and the flattest
# input there is, all ones. Every inner pixel should look the same. Look at a 4x4 patch:

# %% slideshow={"slide_type": "-"}
torch.manual_seed(0)
flat = torch.ones(1, 1, 8, 8)
random3 = torch.randint(1, 10, (1, 1, 3, 3)).float()
random4 = torch.randint(1, 10, (1, 1, 4, 4)).float()
flat3 = F.conv_transpose2d(flat, random3, stride=2, padding=1, output_padding=1)
flat4 = F.conv_transpose2d(flat, random4, stride=2, padding=1)
print("kernel_size=3:\n", flat3[0, 0, 4:8, 4:8].int())
print("kernel_size=4:\n", flat4[0, 0, 4:8, 4:8].int())

# %% [markdown] slideshow={"slide_type": "fragment"}
# Both repeat with period 2. An output pixel's *phase* (its position modulo the stride) decides
# which taps reach it: with `kernel_size=4`, even rows get taps 1 and 3, odd rows taps 0 and 2.
# Even overlap makes every phase receive the **same number** of taps. A kernel is *balanced* when
# each phase's taps sum to the same value: the tent's are 0.25 + 0.75 = 1 for both phases (the 4x4
# box is balanced too; the 3x3 box's four phases sum to 4/9, 8/9, 8/9 and 16/9). A balanced kernel
# gives a flat result, but an arbitrary kernel's phases still sum to different values.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Resize, then convolve
#
# The safe alternative: enlarge first (nearest-neighbour or bilinear, no parameters), then apply an
# ordinary convolution with stride 1. Every output pixel then uses **all** taps, so any kernel
# maps a flat picture to a flat picture (the pictures below are divided by their mean and share
# one gray scale; the frame of the last one is the zero padding at the border):

# %% slideshow={"slide_type": "-"}
resized = F.conv2d(F.interpolate(flat, scale_factor=2, mode="nearest"), random3, padding=1)
print("resize + conv2d, kernel_size=3:\n", resized[0, 0, 4:8, 4:8].int())
relative = [image / image[..., 4:-4, 4:-4].mean() for image in (flat3, flat4, resized)]
show(relative, ["transposed, kernel_size=3", "transposed, kernel_size=4", "resize, then conv2d"],
     vmin=0, vmax=2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# What resize-then-convolve guarantees is exactly this: **a flat picture stays flat, for every
# kernel** (away from the border), because every output pixel uses every tap. It does not
# guarantee that no pattern of period 2 appears at all: a kernel that takes differences turns the
# pairs of equal pixels that nearest-neighbour resizing makes into a pattern of period 2 as soon as
# the picture is not flat. In 1-D, `[1, 2, 4, 7]` resized and convolved with `[1, -1]`:

# %% slideshow={"slide_type": "-"}
ramp = torch.tensor([[[1.0, 2.0, 4.0, 7.0]]])
ramp_resized = F.interpolate(ramp, scale_factor=2, mode="nearest")
differences = F.conv1d(ramp_resized, torch.tensor([[[1.0, -1.0]]]))
print("resized:", ramp_resized.int().ravel().tolist())
print("conv1d with [1, -1]:", differences.int().ravel().tolist())

# %% [markdown] slideshow={"slide_type": "fragment"}
# Every other output is 0, whatever the picture: inside a pair the difference vanishes. A trained
# kernel is rarely this extreme, but the guarantee is about flat regions only, not about every
# picture and every kernel.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# PyTorch and convlib's four methods agree on the upsampling and on the artifacts.

# %% slideshow={"slide_type": "-"}
assert convlib.compare(picture, tent, stride=2, padding=1).agree
assert convlib.compare(picture, box3, stride=2, padding=1, output_padding=1).agree
for kernel, op in [(random3, 1), (random4, 0)]:
    result = convlib.compare(flat, kernel, stride=2, padding=1, output_padding=op)
    assert result.agree
print(result.summary)

# %% slideshow={"slide_type": "-"}
assert tuple(bigger.shape) == (1, 1, 150, 128)
assert torch.allclose(bigger[inside], bilinear[inside], atol=1e-6)
assert set(overlap(3)[0, 1:-1].tolist()) == {1, 2} and set(overlap(4)[0, 1:-1].tolist()) == {2}
assert len(set(flat3[0, 0, 2:-2, 2:-2].ravel().tolist())) == 4   # a 2x2 pattern of values
assert len(set(resized[0, 0, 2:-2, 2:-2].ravel().tolist())) == 1  # flat
assert differences.ravel()[::2].eq(0).all() and differences.ravel()[1::2].ne(0).all()  # period 2
phase3 = [Fraction(4, 9) * int(n) for n in overlap(3, (8, 8))[0, 4:6, 4:6].ravel()]
phase4 = {Fraction(4, 16) * int(n) for n in overlap(4, (8, 8))[0, 2:-2, 2:-2].ravel()}
assert sorted(phase3) == [Fraction(4, 9), Fraction(8, 9), Fraction(8, 9), Fraction(16, 9)]
assert phase4 == {1}                               # the 4x4 box is balanced, the 3x3 box is not
for s, k in itertools.product((2, 3), range(1, 8)):   # uneven exactly when stride does not divide k
    stamps = convlib.conv_transpose_scatter(np.ones((1, 12)), np.ones((1, 1, k)), stride=s)
    assert (len(set(stamps[0, k:-k].tolist())) > 1) == (k % s != 0), (s, k)
print("all checks passed")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - `ConvTranspose2d(kernel_size=4, stride=2, padding=1)` maps `n` to `2n`; with the tent kernel
#   `bilinear_kernel(4, 2)` it is bilinear upsampling (except at the border, which chapter 13
#   fixes).
# - The number of stamps reaching an output pixel is the transposed convolution of ones with
#   ones; when `kernel_size` is not divisible by `stride` it is uneven (for stride 2 it alternates
#   1, 2, 1, 2 ...): uneven overlap, a checkerboard.
# - With even overlap a balanced kernel (each phase's taps sum to the same value, like the tent's 0.25 + 0.75) is artifact-free, but an arbitrary (trained) kernel can still give each phase a different sum.
# - Resize, then convolve with stride 1: every output pixel uses every tap, so a flat picture stays flat for every kernel. That is the whole guarantee: on a picture that is not flat a kernel can still make a pattern of period 2 (`[1, 2, 4, 7]` resized, then `[1, -1]`: `0, -1, 0, -2, 0, -3, 0`).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("08.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** With `stride=3`, which `kernel_size` between 4 and 7 gives even overlap (every inner pixel
# reached by the same number of stamps)?

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("08.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** Upsample the 3x3 picture `[[1, 2, 3], [4, 5, 6], [7, 8, 9]]` with the tent kernel
# (`kernel_size=4, stride=2, padding=1`). What is the value of output pixel (1, 1)?

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("08.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** Upsample the flat 8x8 picture of ones with a new random kernel (`kernel_size=3,
# stride=2, padding=1, output_padding=1`). What value do the pixels in odd rows and odd columns
# (away from the border) have? Work it out from the kernel's entries printed below.

# %% slideshow={"slide_type": "-"}
torch.manual_seed(1)
new_kernel = torch.randint(1, 10, (1, 1, 3, 3)).float()
print("kernel:", new_kernel[0, 0].int().tolist())
answer_3 = None  # replace None with your answer
grade("08.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4. Implement it.** Write the bilinear kernel with NumPy: `tent(kernel_size, stride)` returns
# the 2-D tent of shape `(kernel_size, kernel_size)`. Along each axis it is 1 at its centre
# (between the two middle taps when `kernel_size` is even) and falls by `1/stride` per tap, down
# to 0 (a kernel wider than `2*stride` has zeros at its ends); the
# 2-D kernel is the row tent times the column tent (for `tent(4, 2)`: this chapter's
# `[0.25, 0.75, 0.75, 0.25]` along each axis). `grade_function` compares it with
# `convlib.upsample.bilinear_kernel` from x1 to x4, even and odd sizes, and shows the first case
# it gets wrong with the kernel it should give.

# %% slideshow={"slide_type": "-"}
def tent(kernel_size, stride):
    return None  # replace with your code


grade_function("08.4", tent)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 07_gradient](07_gradient.ipynb) | [contents](00_index.ipynb) | [09_output_size >](09_output_size.ipynb)

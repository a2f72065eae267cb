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
# # Scatter-add: every input stamps a scaled kernel
#
# **Question:** With stride 2 and padding 1, where do the 6 at (0, 0) and the 12s at (0, 1) and (1, 0) of a transposed convolution's 8x8 output come from?
#
# What you will learn:
# - a transposed convolution as a sum of stamps: every input value scales a copy of the kernel,
#   and the copies are added on a canvas;
# - how `stride` spaces the stamps apart and how `padding` crops the canvas;
# - how to trace any output entry back to the inputs and kernel taps it comes from
#   (`convlib.explain`).

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 02_matrix](02_matrix.ipynb) | [contents](00_index.ipynb) | [04_direct >](04_direct.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# A learner understands the small picture of a transposed convolution without stride or padding:
# the 2x2 input [[2, 4], [0, 1]] and the 2x2 kernel [[3, 1], [1, 5]] give the 3x3 output
# [[6, 14, 4], [2, 17, 21], [0, 1, 5]], the sum of four copies of the kernel, each scaled by one
# input value (14 = 4*3 + 2*1, for instance).
#
# Then they try `nn.ConvTranspose2d(1, 1, 4, 2, 1, bias=False)`: `kernel_size=4`, `stride=2`,
# `padding=1`, weights 1 to 16, on a 4x4 image of ones. The 8x8 output starts with 6, 12, 14, 12,
# ... and they cannot see how stride and padding enter the stamp picture. Where do the 6 at (0, 0)
# and the 12s at (0, 1) and (1, 0) come from?

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch
#
# The small example first:

# %% slideshow={"slide_type": "-"}
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import convlib

x = torch.tensor([[2.0, 4.0], [0.0, 1.0]]).view(1, 1, 2, 2)
w = torch.tensor([[3.0, 1.0], [1.0, 5.0]]).view(1, 1, 2, 2)
F.conv_transpose2d(x, w)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Then the learner's layer with stride and padding (on the CPU here):

# %% slideshow={"slide_type": "-"}
sample_im = torch.ones(1, 1, 4, 4)
layer = nn.ConvTranspose2d(1, 1, 4, 2, 1, bias=False)   # kernel_size=4, stride=2, padding=1
with torch.no_grad():
    layer.weight.copy_(torch.arange(1.0, 17.0).view(1, 1, 4, 4))
out = layer(sample_im).detach()
weight = layer.weight.detach()
out

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### Four stamps make the 3x3
#
# Each input value x[a, b] multiplies the whole kernel, and that scaled copy, a *stamp*, is added
# onto the output at rows a.., columns b... `convlib.stamps` lists them in order:

# %% slideshow={"slide_type": "-"}
small = convlib.stamps(x[0], w)
for stamp in small:
    _, rows, cols = stamp.canvas_slices
    print(f"x{list(stamp.input_index[1:])} = {stamp.value:g}, stamped at ({rows.start}, {cols.start}):")
    print(stamp.contribution[0])

# %% [markdown] slideshow={"slide_type": "subslide"}
# Adding the stamps where they land gives the output. This loop is all of scatter-add:

# %% slideshow={"slide_type": "-"}
def add_stamps(stamps):
    canvas = np.zeros(stamps.canvas_shape)
    for stamp in stamps:
        canvas[stamp.canvas_slices] += stamp.contribution
    return canvas


add_stamps(small)[0]

# %% [markdown] slideshow={"slide_type": "-"}
# Entry (0, 1) is covered by two stamps: tap (0, 1) of x[0, 0]'s stamp (x[0, 0] = 2) and tap
# (0, 0) of x[0, 1]'s stamp (x[0, 1] = 4). `convlib.explain` lists the terms of any entry:

# %% slideshow={"slide_type": "-"}
print(convlib.explain(x, w, (0, 0, 0, 1)))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Step through the stamps with the explorer (press play, or move `step`). At step 2 the first two
# stamps have made the 14; at step 4 the canvas is the learner's 3x3.

# %% slideshow={"slide_type": "-"}
from convlib.explorers import explain_explorer, scatter_explorer

scatter_explorer(x[0, 0].numpy(), w[0, 0].numpy(), stride=1, padding=0, output_padding=0,
                 dilation=1, step=2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Stride spaces the stamps apart
#
# With `stride=2`, input x[a, b] stamps at (2a, 2b) instead of (a, b). In the learner's layer the
# 4x4 stamps are 2 apart, so neighbouring stamps overlap by 2 rows or columns. All 16 inputs are 1,
# so every stamp is the kernel itself:

# %% slideshow={"slide_type": "-"}
big = convlib.stamps(sample_im[0], weight, stride=2, padding=1)
for stamp in big[:2]:
    _, rows, cols = stamp.canvas_slices
    print(f"x{list(stamp.input_index[1:])} stamps rows {rows.start}-{rows.stop - 1}, "
          f"columns {cols.start}-{cols.stop - 1}")
print(len(big), "stamps, each of them:")
print(big[0].contribution[0])

# %% [markdown] slideshow={"slide_type": "subslide"}
# The last stamp starts at 2*3 = 6 and is 4 wide, so the canvas is 10x10: (i-1)*stride + kernel_size.
# Here is the whole canvas before any padding is applied:

# %% slideshow={"slide_type": "-"}
canvas = add_stamps(big)[0]
print(canvas.astype(int))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Padding crops the canvas
#
# In a transposed convolution, `padding` does not add zeros: it removes `padding` rows and columns
# from each side of the canvas (it undoes the padding of the convolution it transposes). `padding=1`
# turns the 10x10 canvas into the 8x8 output:

# %% slideshow={"slide_type": "-"}
rows = big.crop[1]
print(f"kept: rows and columns {rows.start} to {rows.stop - 1} of the canvas")
print(canvas[big.crop[1:]].astype(int))

# %% [markdown] slideshow={"slide_type": "-"}
# The cropped border is the outer ring of the canvas, which only the kernels' outer rows and columns
# reach (row 0 reads 1, 2, 4, 6, ...: the 4 = 1 + 3 and 6 = 2 + 4 still come from two stamps).
# What is left starts one row and one column in.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The 6 and the two 12s, entry by entry
#
# Output o is canvas entry o + `padding`. The input x[i] puts its kernel tap w[k] at canvas position
# stride*i + k, so
#
# $$\mathrm{out}[o] = \sum_{(i,\,k)\,:\;o = \mathrm{stride}\cdot i + k - \mathrm{padding}} x[i]\, w[k].$$
#
# Output (0, 0) is canvas (1, 1). Only the first stamp reaches it, with its tap (1, 1), which holds 6:

# %% slideshow={"slide_type": "-"}
print(convlib.explain(sample_im, weight, (0, 0, 0, 0), stride=2, padding=1))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Output (0, 1) is canvas (1, 2): the first stamp's tap (1, 2) = 7 and the second stamp's tap
# (1, 0) = 5, since the second stamp starts 2 columns further right.

# %% slideshow={"slide_type": "-"}
print(convlib.explain(sample_im, weight, (0, 0, 0, 1), stride=2, padding=1))

# %% [markdown] slideshow={"slide_type": "-"}
# Output (1, 0) is canvas (2, 1): the same thing down a column, taps (2, 1) = 10 and (0, 1) = 2.

# %% slideshow={"slide_type": "-"}
print(convlib.explain(sample_im, weight, (0, 0, 1, 0), stride=2, padding=1))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Inside the output every entry gets two stamps along each axis, four terms in all, and the pattern
# repeats with period `stride`: 24, 28 / 40, 44. Only the first and last rows and columns, next to
# the crop, get fewer. Summing this formula tap by tap, for all inputs at once, is
# `convlib.scatter.conv_transpose_scatter`.

# %% slideshow={"slide_type": "-"}
print(convlib.explain(sample_im, weight, (0, 0, 2, 2), stride=2, padding=1).equation)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The learner's layer, stamp by stamp. The grey border is what `padding=1` crops; the green frame is
# the 8x8 output. After step 2 the frame's top left reads 6, 12; step on to 5 for the 12 below the 6.

# %% slideshow={"slide_type": "-"}
scatter_explorer(sample_im[0, 0].numpy(), weight[0, 0].numpy(), stride=2,
                 padding=1, output_padding=0, dilation=1, step=2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Pick any output `element` (counted row by row: 1 is (0, 1), 8 is (1, 0)) and see which inputs
# and taps make it.

# %% slideshow={"slide_type": "-"}
explain_explorer(sample_im[0, 0], weight[0, 0], stride=2, padding=1,
                 output_padding=0, dilation=1, element=1)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# The four methods of convlib agree with PyTorch on both examples, exactly (integer values).

# %% slideshow={"slide_type": "-"}
examples = [(x, w, {}), (sample_im, weight, dict(stride=2, padding=1))]
for inputs, kernel, params in examples:
    comparison = convlib.compare(inputs, kernel, **params)
    assert comparison.agree
    print(comparison.summary)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The learner's numbers: the 3x3 output, and 6, 12, 12 with the terms the answer gives.

# %% slideshow={"slide_type": "-"}
assert add_stamps(small)[0].tolist() == [[6, 14, 4], [2, 17, 21], [0, 1, 5]]
assert convlib.explain(x, w, (0, 0, 0, 1)).value == 4 * 3 + 2 * 1 == 14
assert (out[0, 0, 0, 0], out[0, 0, 0, 1], out[0, 0, 1, 0]) == (6, 12, 12)
explained = [convlib.explain(sample_im, weight, (0, 0, *o), stride=2,
                             padding=1).equation for o in [(0, 0), (0, 1), (1, 0)]]
assert explained == ["6 = 1*6", "12 = 1*5 + 1*7", "12 = 1*2 + 1*10"], explained
assert np.array_equal(canvas[1:9, 1:9], out[0, 0].numpy())
print(explained)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - A transposed convolution adds up stamps: input x[i] scales the kernel and adds it at
#   stride*i on a canvas (`convlib.stamps`, `convlib.scatter.conv_transpose_scatter`).
# - `stride` is the distance between stamps; where they overlap, their taps add.
# - `padding` crops `padding` rows and columns from each side of the canvas
#   ((i-1)*stride + kernel_size = 10, minus 2 = 8).
# - out[o] = sum of x[i] * w[k] over o = stride*i + k - padding (`convlib.explain`):
#   6 = 1*6, 12 = 1*5 + 1*7, 12 = 1*2 + 1*10.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("03.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** The small example's kernel K = [[3, 1], [1, 5]] with a new input [[1, 3], [2, 1]] (no
# stride, no padding): work out entry (1, 1) of the 3x3 output by hand from the four stamps.

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("03.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** The learner's 4x4 image of ones with `stride=2, padding=1`, but a 5x5 kernel
# (`kernel_size=5`): the output is 9x9. How many stamps add up at its entry (3, 4)?

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("03.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** Back to the learner's layer: only one stamp reaches entry (7, 7), the bottom right corner
# of the 8x8 output. Which kernel tap (row, column) does it bring there?

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("03.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4.** Run the learner's layer (`kernel_size=4, padding=1`, the 4x4 input) with `stride=3`
# instead of 2. What is the output's size now?

# %% slideshow={"slide_type": "-"}
answer_4 = None  # replace None with your answer
grade("03.4", answer_4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **5. Implement it.** Write scatter-add yourself, in 1-D and with NumPy only: `x` and `w` are 1-D
# arrays of integers, and `scatter_add_1d(x, w, stride, padding)` must return the transposed
# convolution of `x` with the kernel `w` (what `F.conv_transpose1d` gives for one channel).
# `grade_function` runs it on several random cases, smallest first, and compares it with
# `convlib.conv_transpose_scatter`; when a case fails it shows that case's arguments and the
# output it should give, so you can work it out by hand.

# %% slideshow={"slide_type": "-"}
def scatter_add_1d(x, w, stride, padding):
    """out[o] = sum of x[i] * w[k] over stride*i + k - padding = o."""
    return None  # replace with your code


grade_function("03.5", scatter_add_1d)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 02_matrix](02_matrix.ipynb) | [contents](00_index.ipynb) | [04_direct >](04_direct.ipynb)

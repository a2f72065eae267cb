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
# # Shape arithmetic: how big is the output?
#
# **Question:** A k3s2p1 convolution turns 4x4 into 2x2, so why does the transposed convolution with the same parameters turn 2x2 into 3x3 rather than 4x4, and how do I get 4x4 back?
#
# What you will learn:
# - the output size of a convolution and of a transposed convolution, with `stride`, `padding`
#   and `dilation`, and where each term of the two formulas comes from;
# - why a transposed convolution is called a convolution with a *fractional stride* (1/2 here);
# - why several input sizes give one convolution output size, so a transposed convolution has to
#   pick one of them (k3s2p1: 3 and 4 both give 2);
# - how `output_padding` picks another one (2x2 -> 4x4 with `output_padding=1`).

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 00_index](00_index.ipynb) | [contents](00_index.ipynb) | [02_matrix >](02_matrix.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# A learner's notes on transposed convolution start from a convolution written k3s2p1:
# `kernel_size=3`, `stride=2`, `padding=1`. On a 4x4 input its output is
# floor((4 + 2*1 - 3) / 2) + 1 = 2, so 2x2. The notes then call "its" transposed convolution
# k3s2p1 too, and say it is really a *fractionally strided* convolution with stride 1/2.
#
# Run the transposed convolution with the same k3s2p1 on the 2x2 result: the output is 3x3, not
# the 4x4 we started from. Why, and how does one get the 4x4 back? (The notes' second example, a
# layer that turns a 2x2 input into 6x6 with `output_padding=1`, is the question of
# [06_dilation_output_padding](06_dilation_output_padding.ipynb).)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch
#
# First the convolution k3s2p1 on a 4x4 input `z`, then the transposed convolution with the same
# parameters on its 2x2 output `x` (the book's names: a convolution takes `z` to `x`, a transposed
# convolution takes `x` to `y`).

# %% slideshow={"slide_type": "-"}
import torch
import torch.nn as nn
import torch.nn.functional as F

import convlib

torch.manual_seed(0)
z = torch.randn(1, 1, 4, 4)
conv = nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)
x = conv(z)
print("convolution:           ", tuple(z.shape), "->", tuple(x.shape))

# %% slideshow={"slide_type": "-"}
conv_t = nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1)
y = conv_t(x)
print("transposed convolution:", tuple(x.shape), "->", tuple(y.shape))

# %% [markdown] slideshow={"slide_type": "-"}
# 4x4 went to 2x2, and 2x2 came back as 3x3.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### The convolution's output size
#
# A convolution slides its kernel over the input padded with `padding` zeros on each side, so the
# padded input has i + 2p entries along a dimension. A kernel of `kernel_size` k with `dilation` d
# spans d(k-1) + 1 of them. It starts at position 0 and moves `stride` s at a time, as long as it
# still fits:
#
# $$o = \left\lfloor \frac{i + 2p - d(k-1) - 1}{s} \right\rfloor + 1$$
#
# With d = 1 this is the learner's floor((i + 2p - k) / s) + 1. In convlib it is
# `convlib.conv_output_size` (in the package `convlib/shapes/`, the one place for shape arithmetic).

# %% slideshow={"slide_type": "-"}
convlib.conv_output_size(4, kernel_size=3, stride=2, padding=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The transposed convolution's output size
#
# A transposed convolution runs the other way (chapter 03 draws it): each of the i inputs stamps
# a copy of the kernel onto a canvas, `stride` s apart. The last input lands at (i-1)s and its
# stamp spans d(k-1) + 1 entries, so the canvas has (i-1)s + d(k-1) + 1 entries. Then `padding`
# crops p from each side, and `output_padding` adds op back at the end:
#
# $$o = (i - 1)s - 2p + d(k-1) + \mathit{output\_padding} + 1$$
#
# This is `convlib.conv_transpose_output_size`. For the k3s2p1 example: (2-1)*2 - 2 + 2 + 0 + 1 = 3.

# %% slideshow={"slide_type": "-"}
convlib.conv_transpose_output_size(2, kernel_size=3, stride=2, padding=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why 3 and not 4: the floor
#
# The convolution's formula has a floor in it. With `stride=2` the kernel cannot use a leftover
# last row, so a 3x3 and a 4x4 input both give a 2x2 output. `convlib.conv_input_sizes` lists
# every input size that a convolution maps to a given output size. (This chapter is the book's
# place for this argument; later chapters link back here.)

# %% slideshow={"slide_type": "-"}
for i in range(1, 9):
    print(f"input {i} -> output {convlib.conv_output_size(i, 3, stride=2, padding=1)}")
print("inputs that give 2:", list(convlib.conv_input_sizes(2, 3, stride=2, padding=1)))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Going back, a transposed convolution only sees the 2x2 and cannot know whether the input was
# 3x3 or 4x4. Its formula gives the smallest candidate, 3. In general the floor hides s
# consecutive sizes, i = (o-1)s - 2p + d(k-1) + 1 + r for r = 0 .. s-1, and
# **`output_padding` = r picks one of them**, so this argument always needs `output_padding` <
# `stride`. PyTorch's actual rule is looser: `output_padding` < max(`stride`, `dilation`) (see
# chapter 06).

# %% slideshow={"slide_type": "-"}
for op in (0, 1):
    size = convlib.conv_transpose_output_size(2, 3, stride=2, padding=1, output_padding=op)
    print(f"output_padding={op}: 2 -> {size}")
back = nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1, output_padding=1)
print("PyTorch, output_padding=1:", tuple(x.shape), "->", tuple(back(x).shape))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same picture as a plot: the convolution's output size is a staircase in the input size. Each
# step is `stride` inputs wide, and a transposed convolution must land on one point of a step.

# %% slideshow={"slide_type": "-"}
import matplotlib.pyplot as plt

sizes = range(1, 13)
outputs = [convlib.conv_output_size(i, 3, stride=2, padding=1) for i in sizes]
fig, ax = plt.subplots(figsize=(6, 2.8))
ax.plot(sizes, outputs, "o", color="tab:gray")
ax.plot([3, 4], [2, 2], "o", color="tab:red", label="3 and 4 both give 2")
ax.set(xlabel="input size i", ylabel="output size o", title="convolution k3s2p1")
ax.legend(loc="upper left")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Only the **shapes** go back, not the values of z: the transposed convolution is not an inverse
# ([02_matrix](02_matrix.ipynb) shows why, and what it gives instead).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Fractional stride 1/2
#
# In the convolution, one step in the output moves the kernel 2 steps in the input:
# stride = (moves in the input) / (moves in the output) = 2. The transposed convolution swaps the
# roles: one step in its *output* is half a step in its *input*, a stride of 1/2.
#
# A kernel cannot move half an entry, so the direct way to compute it (chapter 04) inserts
# `stride - 1` zeros between neighbouring inputs and then slides with stride 1. That is
# `convlib.zero_insert`; the 2x2 becomes 3x3. Padding that with d(k-1) - p = 1 zero on each side
# gives 5x5, and a 3x3 kernel with stride 1 fits 5 - 3 + 1 = 3 times along each side: the 3x3
# output again.

# %% slideshow={"slide_type": "-"}
spread = convlib.zero_insert(torch.arange(1, 5).reshape(1, 1, 2, 2), stride=2)
print(spread[0, 0])
padded = F.pad(spread, (1, 1, 1, 1))   # d(k-1) - p = 1*(3-1) - 1 = 1 zero on each side
print("padded:", tuple(padded.shape[2:]), "| a 3x3 kernel fits", padded.shape[-1] - 3 + 1, "times")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The explorer draws the three grids and writes out both formulas for the k3s2p1 example. Move
# `output_padding` to 1 and the output becomes 4x4; try other `stride`, `padding` and `dilation`
# (with `padding=0` and `output_padding=1` you meet chapter 06's 2x2 -> 6x6 layer).

# %% slideshow={"slide_type": "-"}
from convlib.explorers import shapes_explorer

shapes_explorer(input_size=2, kernel_size=3, stride=2, padding=1, output_padding=0, dilation=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# `output_padding` can only choose among those s sizes. `output_padding=2` would give 5, but the
# k3s2p1 convolution maps 5 to 3, not to 2: no input of this convolution has that size. Ask for
# it and convlib says why, before computing anything (PyTorch refuses too):

# %% slideshow={"slide_type": "-"}
print("the convolution maps 5 to", convlib.conv_output_size(5, 3, stride=2, padding=1))
try:
    convlib.conv_transpose_output_size(2, 3, stride=2, padding=1, output_padding=2)
except ValueError as error:
    print(error)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# The formulas agree with PyTorch's layers for every combination of parameters below, in both
# directions.

# %% slideshow={"slide_type": "-"}
for i, k, s, p, d in [(4, 3, 2, 1, 1), (7, 3, 2, 0, 1), (5, 4, 3, 1, 2), (9, 2, 1, 0, 3)]:
    got = nn.Conv2d(1, 1, k, s, p, d)(torch.zeros(1, 1, i, i)).shape[-1]
    assert got == convlib.conv_output_size(i, k, s, p, d)
    for op in range(max(s, d)):
        layer = nn.ConvTranspose2d(1, 1, k, s, p, output_padding=op, dilation=d)
        got = layer(torch.zeros(1, 1, i, i)).shape[-1]
        assert got == convlib.conv_transpose_output_size(i, k, s, p, op, d)
print("all sizes agree with PyTorch")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The learner's numbers: 4 -> 2 -> 3, and `output_padding=1` gives back 4.

# %% slideshow={"slide_type": "-"}
assert convlib.conv_output_size(4, 3, stride=2, padding=1) == 2 and x.shape[2:] == (2, 2)
assert convlib.conv_transpose_output_size(2, 3, stride=2, padding=1) == 3 and y.shape[2:] == (3, 3)
assert list(convlib.conv_input_sizes(2, 3, stride=2, padding=1)) == [3, 4]
assert convlib.conv_transpose_output_size(2, 3, stride=2, padding=1, output_padding=1) == 4
assert back(x).shape[2:] == (4, 4) and convlib.conv_output_size(5, 3, stride=2, padding=1) == 3
assert padded.shape[2:] == (5, 5)

# %% [markdown] slideshow={"slide_type": "subslide"}
# convlib's four methods give PyTorch's result for the learner's layer (random weights, so we
# only assert agreement) and, exactly, for integer inputs and weights of the same shapes, with
# `output_padding=1`.

# %% slideshow={"slide_type": "-"}
params = dict(stride=2, padding=1)
comparison = convlib.compare(x.detach(), conv_t.weight.detach(), conv_t.bias.detach(), **params)
assert comparison.agree, comparison.summary
integers = convlib.compare(torch.arange(4.).reshape(1, 1, 2, 2), torch.arange(9.).reshape(1, 1, 3, 3),
                           output_padding=1, **params)
assert integers.agree
print(integers.summary)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - Convolution: o = floor((i + 2p - d(k-1) - 1) / s) + 1 (`convlib.conv_output_size`).
# - Transposed convolution: o = (i-1)s - 2p + d(k-1) + output_padding + 1
#   (`convlib.conv_transpose_output_size`).
# - The floor makes `stride` consecutive input sizes share one output size
#   (`convlib.conv_input_sizes`); the transposed convolution returns the smallest, and
#   `output_padding` picks a larger one by adding at the end.
# - k3s2p1: 4x4 -> 2x2 -> 3x3, or 4x4 with `output_padding=1`.
# - Stride 2 forward is stride 1/2 backward: zeros between the inputs, then stride 1.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("01.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** `nn.ConvTranspose2d(1, 1, kernel_size=(5, 3), stride=(3, 2), padding=(2, 1))` gets a
# 5x4 input (5 rows, 4 columns). What is the size of its output? Give a tuple (rows, columns).

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("01.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** Which input sizes does a convolution with `kernel_size=3, stride=3` (no padding) map to
# an output of size 2? Give them as a list.

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("01.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** You want `nn.ConvTranspose2d(..., kernel_size=3, stride=3)` to give back the largest of
# those sizes from a 2x2 input. Which `output_padding` do you need?

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("01.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4.** A transposed convolution with `kernel_size=3` and `dilation=2` (stride 1, no padding)
# gets an input of length 5. How long is its output?

# %% slideshow={"slide_type": "-"}
answer_4 = None  # replace None with your answer
grade("01.4", answer_4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **5. Implement it.** Write the output size for every parameter, in plain Python:
# `transposed_output_size(input_size, kernel_size, stride, padding, output_padding, dilation)`
# gets tuples with one entry per spatial dimension (`(4,)` in 1-D, `(5, 4)` in 2-D, as
# `nn.ConvTranspose2d` takes them) and returns the output size as a tuple. `grade_function` tries
# it on 1-D cases that add one parameter at a time, then on 2-D and 3-D ones, and shows the first
# case it gets wrong with the size it should give.

# %% slideshow={"slide_type": "-"}
def transposed_output_size(input_size, kernel_size, stride, padding, output_padding, dilation):
    return None  # replace with your code


grade_function("01.5", transposed_output_size)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 00_index](00_index.ipynb) | [contents](00_index.ipynb) | [02_matrix >](02_matrix.ipynb)

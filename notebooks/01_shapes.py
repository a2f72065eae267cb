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
# **Question:** A k3s2p1 convolution turns 4x4 into 2x2, so why does the transposed convolution with the same parameters turn 2x2 into 3x3 rather than 4x4, and how does `output_padding` give a 6x6 output?
#
# What you will learn:
# - the output size of a convolution and of a transposed convolution, with `stride`, `padding`
#   and `dilation`, and where each term of the two formulas comes from;
# - why a transposed convolution is called a convolution with a *fractional stride* (1/2 here);
# - why several input sizes give one convolution output size, so a transposed convolution has to
#   pick one of them;
# - how `output_padding` picks another one (2x2 -> 6x6 with `kernel_size=3, stride=2, output_padding=1`).

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
# Two things are left open:
# - Run the transposed convolution with the same k3s2p1 on the 2x2 result: the output is 3x3, not
#   the 4x4 we started from. Why?
# - The notes then build `nn.ConvTranspose2d(3, 1, kernel_size=3, stride=2, output_padding=1)` and
#   feed it a random 1x3x2x2 input. Out comes a 1x1x6x6 tensor. Where does 6 come from, and what
#   does `output_padding` do?

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch
#
# First the convolution k3s2p1 on a 4x4 input, then the transposed convolution with the same
# parameters on its 2x2 output.

# %% slideshow={"slide_type": "-"}
import torch
import torch.nn as nn

import convlib

torch.manual_seed(0)
x = torch.randn(1, 1, 4, 4)
conv = nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)
y = conv(x)
print("convolution:           ", tuple(x.shape), "->", tuple(y.shape))

# %% slideshow={"slide_type": "-"}
conv_t = nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1)
print("transposed convolution:", tuple(y.shape), "->", tuple(conv_t(y).shape))

# %% [markdown] slideshow={"slide_type": "subslide"}
# 4x4 went to 2x2, and 2x2 came back as 3x3. Now the learner's second example: three input
# channels, one output channel, `stride=2`, no padding, `output_padding=1`.

# %% slideshow={"slide_type": "-"}
torch.manual_seed(0)
inp = torch.randn(1, 3, 2, 2)
k, s, op = (3, 3), (2, 2), (1, 1)   # kernel_size, stride, output_padding
convT = nn.ConvTranspose2d(3, 1, kernel_size=k, stride=s, output_padding=op)
out = convT(inp)
out.shape

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
# `convlib.conv_output_size` (in `convlib/shapes.py`, the one place for shape arithmetic).

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
# every input size that a convolution maps to a given output size:

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
# Only the **shapes** go back. The transposed convolution with the same parameters is not the
# inverse of the convolution: it does not give back the values of x (chapter 02 shows what it
# gives instead), and it is not a "deconvolution".

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Fractional stride 1/2
#
# In the convolution, one step in the output moves the kernel 2 steps in the input:
# stride = (moves in the input) / (moves in the output) = 2. The transposed convolution swaps the
# roles: one step in its *output* is half a step in its *input*, a stride of 1/2.
#
# A kernel cannot move half an entry, so the direct way to compute it (chapter 04) inserts
# `stride - 1` zeros between neighbouring inputs and then slides with stride 1. That is
# `convlib.zero_insert`; the 2x2 becomes 3x3:

# %% slideshow={"slide_type": "-"}
print(convlib.zero_insert(torch.arange(1, 5).reshape(1, 1, 2, 2), stride=2)[0, 0])
setup = convlib.validate_sizes(input_size=(2, 2), kernel_size=3, stride=2, padding=1)
print("inserted_zeros", setup.inserted_zeros, "pad_before", setup.pad_before,
      "pad_after", setup.pad_after)

# %% [markdown] slideshow={"slide_type": "-"}
# Padding that 3x3 with d(k-1) - p = 1 zero on each side gives 5x5, and a 3x3 kernel with stride 1
# fits 3 times along each side: the 3x3 output again.

# %% [markdown] slideshow={"slide_type": "subslide"}
# The explorer draws the three grids and writes out both formulas for the k3s2p1 example. Move
# `output_padding` to 1 and the output becomes 4x4; try other `stride`, `padding` and `dilation`.

# %% slideshow={"slide_type": "-"}
from convlib.widgets import shapes_explorer

shapes_explorer(input_size=2, kernel_size=3, stride=2, padding=1, output_padding=0, dilation=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The 6x6 example
#
# The learner's layer has `kernel_size=3`, `stride=2`, `padding=0`, `output_padding=1`, and a 2x2
# input: (2-1)*2 - 0 + (3-1) + 1 + 1 = 6. The channels (3 in, 1 out) do not enter the spatial size.

# %% slideshow={"slide_type": "-"}
for op in (0, 1):
    size = convlib.conv_transpose_output_size((2, 2), (3, 3), stride=(2, 2), output_padding=op)
    print(f"output_padding={op}: 2x2 -> {size}")
print("a k3s2 convolution maps these sizes to 2:", list(convlib.conv_input_sizes(2, 3, stride=2)))

# %% [markdown] slideshow={"slide_type": "-"}
# A convolution with `kernel_size=3, stride=2` maps both 5x5 and 6x6 to 2x2. Without
# `output_padding` the transposed convolution returns 5x5; `output_padding=1` returns 6x6. The
# extra row and column go at the end (bottom and right) only, which is why the notes call it
# "the additional size added to one side of each dimension in the output".

# %% slideshow={"slide_type": "-"}
shapes_explorer(input_size=2, kernel_size=3, stride=2, padding=0, output_padding=1, dilation=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# `output_padding` can only choose among those s sizes. Ask for more and convlib says why, before
# computing anything (PyTorch refuses too):

# %% slideshow={"slide_type": "-"}
try:
    convlib.conv_transpose_output_size(2, 3, stride=2, output_padding=2)
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
# The learner's numbers: 4 -> 2 -> 3, output_padding=1 gives back 4, and the 6x6 layer.

# %% slideshow={"slide_type": "-"}
assert convlib.conv_output_size(4, 3, stride=2, padding=1) == 2
assert convlib.conv_transpose_output_size(2, 3, stride=2, padding=1) == 3
assert list(convlib.conv_input_sizes(2, 3, stride=2, padding=1)) == [3, 4]
assert convlib.conv_transpose_output_size(2, 3, stride=2, padding=1, output_padding=1) == 4
assert out.shape == (1, 1, 6, 6)
assert convlib.conv_transpose_output_size((2, 2), (3, 3), (2, 2), 0, (1, 1)) == out.shape[2:]

# %% [markdown] slideshow={"slide_type": "subslide"}
# convlib's three methods give PyTorch's 6x6 result for the learner's layer (random weights, so
# we only assert agreement) and, exactly, for integer inputs and weights of the same shapes.

# %% slideshow={"slide_type": "-"}
params = dict(stride=2, output_padding=1)
comparison = convlib.compare(inp, convT.weight.detach(), convT.bias.detach(), **params)
assert comparison.agree, comparison.summary
integers = convlib.compare(torch.arange(12.).reshape(1, 3, 2, 2), torch.ones(3, 1, 3, 3), **params)
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
# - k3s2p1: 4x4 -> 2x2 -> 3x3, or 4x4 with `output_padding=1`. k3s2 with `output_padding=1`: 2x2 -> 6x6.
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

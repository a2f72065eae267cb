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
# # Groups: transposed convolutions side by side
#
# **Question:** Why does a `ConvTranspose1d` with `groups=2`, `padding=2` and the kernel `[1, 1, 2]` turn four 3-long channels into 8, 8, 10, 10?
#
# What you will learn:
# - `groups=2` runs two independent transposed convolutions, each on half of the channels, and stacks their outputs.
# - How to work out the question's output channel by channel, with the flipped kernel `[2, 1, 1]`.
# - Why a transposed convolution's weight has shape `(in_channels, out_channels / groups, *kernel_size)`, the reverse of a convolution's, and how to load one layer's weight into the other.
# - The per-group flip-and-swap that turns a grouped transposed convolution into an ordinary one, made visible with a different kernel for every channel pair and 4 channels in, 6 out.
# - Depthwise transposed convolution (`groups` = number of channels) as the extreme case.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 04_direct](04_direct.ipynb) | [contents](00_index.ipynb) | [06_dilation_output_padding >](06_dilation_output_padding.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# A learner builds `nn.ConvTranspose1d(4, 4, kernel_size=3, stride=1, padding=2, groups=2, bias=False)`
# and overwrites its weight with `[1, 1, 2]` repeated 8 times, reshaped to `(4, 2, 3)`: every one of
# the 8 kernels is `[1, 1, 2]`. The input has 4 channels of length 3:
#
# | channel | 0 | 1 | 2 | 3 |
# | --- | --- | --- | --- | --- |
# | values | `[1, 1, 1]` | `[1, 1, 1]` | `[1, 1, 2]` | `[1, 1, 2]` |
#
# PyTorch answers with one number per channel: **8, 8, 10, 10**. Three things are puzzling:
# why a single position, where the 8 and the 10 come from, and what `groups=2` changes.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch

# %% slideshow={"slide_type": "-"}
import numpy as np
import torch
import torch.nn as nn

import convlib

torch.manual_seed(0)  # the layer's random initial weights are overwritten below anyway
weight = torch.tensor([1.0, 1.0, 2.0] * 8).reshape(4, 2, 3)
x = torch.tensor([[1.0, 1, 1], [1, 1, 1], [1, 1, 2], [1, 1, 2]]).reshape(1, 4, 3)
print("weight.shape", tuple(weight.shape), "| x.shape", tuple(x.shape))

# %% slideshow={"slide_type": "-"}
layer = nn.ConvTranspose1d(4, 4, 3, stride=1, padding=2, groups=2, bias=False)
with torch.no_grad():
    layer.weight.copy_(weight)
y = layer(x).detach()
print(y)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### Why one output position
#
# The output length is `(i-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1`
# = 2 - 4 + 2 + 0 + 1 = **1**.
# In the padded direct convolution view ([04_direct](04_direct.ipynb)) the input is padded with
# `dilation*(kernel_size-1) - padding` = 2 - 2 = **0** zeros on each side, so the 3-long kernel fits
# the 3-long input in exactly one place.

# %% slideshow={"slide_type": "-"}
print("output length:", convlib.conv_transpose_output_size(3, 3, stride=1, padding=2))
setup = convlib.validate_sizes(3, kernel_size=3, stride=1, padding=2)
print("pad_before", setup.pad_before, "pad_after", setup.pad_after)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Which channels meet which
#
# With `groups=2` the 4 input channels split into two groups of 2, and so do the 4 output channels:
#
# - group 0: input channels 0, 1 &rarr; output channels 0, 1, using `weight[0:2]`
# - group 1: input channels 2, 3 &rarr; output channels 2, 3, using `weight[2:4]`
#
# No kernel connects group 0's inputs to group 1's outputs. So `groups=2` is two separate transposed
# convolutions, each with 2 input and 2 output channels, whose outputs are stacked.

# %% slideshow={"slide_type": "-"}
import torch.nn.functional as F

halves = [F.conv_transpose1d(x[:, 2 * g:2 * g + 2], weight[2 * g:2 * g + 2], padding=2)
          for g in range(2)]
stacked = torch.cat(halves, dim=1)
print(stacked.ravel().tolist(), "equals the layer's output:", torch.equal(stacked, y))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Channel by channel
#
# Output channel `c` sums, over the 2 input channels `c'` of its group, one product of input
# `x[c']` with the kernel `weight[c', c % 2]` **flipped**: the transposed convolution reads input
# position `i` with tap `k` at output `o = s*i + d*k - p`, so output 0 pairs `i = 2 - k`: the last
# input with the first tap. The kernel `[1, 1, 2]` is read as `[2, 1, 1]`.

# %% slideshow={"slide_type": "-"}
flipped = weight[0, 0].flip(0)
for c in range(4):
    group = range(c // 2 * 2, c // 2 * 2 + 2)
    dots = [int(torch.dot(x[0, cp], weight[cp, c % 2].flip(0))) for cp in group]
    terms = " + ".join(f"dot({x[0, cp].int().tolist()}, {flipped.int().tolist()})"
                       for cp in group)
    print(f"out[{c}] = {terms} = {' + '.join(map(str, dots))} = {sum(dots)}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# So the learner's 8 is $2 \times (1\cdot2 + 1\cdot1 + 1\cdot1) = 2 \times 4$ and the 10 is
# $2 \times (1\cdot2 + 1\cdot1 + 2\cdot1) = 2 \times 5$. The factor 2 is the two input channels of
# each group, which happen to be equal. `convlib.explain` lists the same six products for output channel 2:

# %% slideshow={"slide_type": "-"}
print(convlib.explain(x, weight, (0, 2, 0), padding=2, groups=2))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The same thing as a matrix
#
# In the matrix view ([02_matrix](02_matrix.ipynb)) the transposed convolution is `C.T @ x`, where `C` is
# the matrix of the ordinary convolution from the output's shape `(4, 1)` back to the input's.
# Each row of `C.T` is one output channel, each column one (input channel, position). With groups
# the matrix is **block diagonal**: zeros wherever a kernel would cross from one group to the
# other. Every row holds the flipped kernel `[2, 1, 1]` once per input channel of its group.

# %% slideshow={"slide_type": "-"}
C = convlib.conv_matrix(weight.int(), (4, 1), padding=2, groups=2)
print("C.T, shape", tuple(C.T.shape))
print(C.T)
print("C.T @ x =", (C.T @ x.int().ravel()).tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The weight layout: in before out
#
# A convolution's weight is `(out_channels, in_channels / groups, *kernel_size)`; a transposed
# convolution's is `(in_channels, out_channels / groups, *kernel_size)`. With 4 channels in and out
# the two shapes look the same, so use 4 in and 6 out to tell them apart:

# %% slideshow={"slide_type": "-"}
conv, conv_t = nn.Conv1d(4, 6, 3, groups=2), nn.ConvTranspose1d(4, 6, 3, groups=2)
print("Conv1d(4, 6, 3, groups=2).weight         ", tuple(conv.weight.shape))
print("ConvTranspose1d(4, 6, 3, groups=2).weight", tuple(conv_t.weight.shape))

# %% [markdown] slideshow={"slide_type": "fragment"}
# The reason is the matrix view: a transposed convolution uses the weight of the convolution that
# goes the other way, from its output channels back to its input channels, unchanged. That
# convolution's `out_channels` are the transposed one's `in_channels`, so they come first.
# To run it as an ordinary convolution instead (the direct view), swap the two channel axes within each
# group and flip the kernel: that is `convlib.direct_weight`.

# %% slideshow={"slide_type": "-"}
w_direct = convlib.direct_weight(weight, groups=2)
print("direct weight shape", tuple(w_direct.shape), "| kernel", w_direct[0, 0].tolist())
print(F.conv1d(x, w_direct, groups=2).ravel().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The flip-and-swap, with a different kernel everywhere
#
# In the question every kernel is `[1, 1, 2]` and 4 channels go to 4, so the swap cannot be seen.
# Take `nn.ConvTranspose1d(4, 6, 3, groups=2)` instead, with the kernels 1..36: weight `(4, 3, 3)`,
# `weight[c_in, j]` is the kernel from input channel `c_in` to output `j` of its group. The
# equivalent convolution needs `(6, 2, 3)`: split the input channels into the 2 groups, swap in
# and out inside each group, flip (`convlib.direct_weight` does the same). Within group 1 (inputs
# 2, 3; outputs 3, 4, 5), the kernel from input `2 + i` to output `3 + j` moves to
# `direct[3 + j, i]` and is flipped:

# %% slideshow={"slide_type": "-"}
w46 = torch.arange(1.0, 37.0).reshape(4, 3, 3)  # (in_channels, out_channels / groups, k)
d46 = (w46.reshape(2, 2, 3, 3)     # (groups, in_channels / groups, out_channels / groups, k)
       .transpose(1, 2)            # swap in and out inside each group
       .reshape(6, 2, 3)           # (out_channels, in_channels / groups, k)
       .flip(-1))                  # flip the kernel
assert torch.equal(d46, convlib.direct_weight(w46, groups=2))  # convlib holds the same recipe
print("ConvTranspose weight", tuple(w46.shape), "-> Conv weight", tuple(d46.shape))
for i in range(2):
    for j in range(3):
        print(f"weight[{2 + i}, {j}] = {w46[2 + i, j].int().tolist()} -> "
              f"direct[{3 + j}, {i}] = {d46[3 + j, i].int().tolist()}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Swapping the two channel axes of the whole weight instead would give `(3, 4, 3)`: the wrong
# shape for 6 output channels, because the swap must stay inside each group. With the per-group
# swap, PyTorch agrees: the ordinary convolution (stride 1, `padding` = `kernel_size - 1` = 2)
# of an input `x46` gives the transposed convolution's numbers.

# %% slideshow={"slide_type": "-"}
x46 = torch.tensor([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.0]]])  # 4 channels, length 2
transposed46 = F.conv_transpose1d(x46, w46, groups=2)
print(transposed46[0].int().tolist())
print(F.conv1d(x46, d46, padding=2, groups=2)[0].int().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Loading one weight into the other
#
# Why `(in, out / groups, k)`? `nn.ConvTranspose1d(4, 6, 3, groups=2)` is defined as the
# *transpose* (the gradient, chapter 07) of the convolution that goes the other way,
# `nn.Conv1d(6, 4, 3, groups=2)`, and it stores that convolution's weight as it is. That weight is
# `(out_channels, in_channels / groups, k)` = `(4, 3, 3)` of the Conv1d: the same shape. So there
# are two ways to load a weight, for two different purposes:
#
# - **Conv -> ConvTranspose, as is**: the transposed layer is the adjoint of the Conv1d(6, 4):
#   `<conv(z), x> = <z, conv_transpose(x)>` for every `z` and `x`.
# - **ConvTranspose -> Conv that computes the same thing**: `Conv1d(4, 6, 3, groups=2,
#   padding=kernel_size - 1 - padding)` with `convlib.direct_weight(w, groups)`, flipped and
#   swapped per group (stride 1; a larger stride also needs the inserted zeros of chapter 04).

# %% slideshow={"slide_type": "-"}
back = nn.Conv1d(6, 4, 3, groups=2, bias=False)              # goes 6 -> 4
up = nn.ConvTranspose1d(4, 6, 3, groups=2, bias=False)       # goes 4 -> 6
same = nn.Conv1d(4, 6, 3, groups=2, padding=2, bias=False)   # 4 -> 6, computes what `up` does
with torch.no_grad():
    back.weight.copy_(w46)
    up.weight.copy_(back.weight)                              # as is: (4, 3, 3) both
    same.weight.copy_(convlib.direct_weight(up.weight, groups=2))  # flipped, swapped per group
z46 = torch.arange(1.0, 25.0).reshape(1, 6, 4)
print("<back(z), x>  =", int((back(z46) * x46).sum()), "| <z, up(x)> =", int((z46 * up(x46)).sum()))
print("same(x) == up(x):", torch.equal(same(x46), up(x46)))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Depthwise: one group per channel
#
# The extreme is `groups` = number of channels: every channel has its own kernel and talks to no
# other channel (a *depthwise* transposed convolution). The weight is `(4, 1, 3)`, and without the
# second channel of each group, the factor 2 disappears: 4, 4, 5, 5.

# %% slideshow={"slide_type": "-"}
depthwise = nn.ConvTranspose1d(4, 4, 3, padding=2, groups=4, bias=False)
with torch.no_grad():
    depthwise.weight.copy_(torch.tensor([1.0, 1.0, 2.0]).repeat(4, 1, 1))
print("weight.shape", tuple(depthwise.weight.shape))
print(depthwise(x).detach().ravel().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Explore
#
# `groups_explorer` draws the question itself: the input, which input channels feed which output
# channels, the output 8, 8, 10, 10, and the blocks of the weight a grouped layer has (the text
# under the picture says the same in words). Lower `padding` to see each output channel grow.
# `groups` offers 1, 2 and 4, the values that divide the 4 input channels; the same weight
# `(4, 2, 3)` then means `out_channels = 2 * groups` = 2, 4 or 8 output channels.

# %% slideshow={"slide_type": "-"}
from convlib.explorers import groups_explorer

groups_explorer(x[0], weight, stride=1, padding=2, output_padding=0, dilation=1, groups=2)

# %% [markdown] slideshow={"slide_type": "-"}
# Without an input and a weight, the explorer has sliders for the channel counts instead: choose
# `groups=4` (depthwise) and `groups=1`, or change the counts; `groups` offers only the values that
# divide both.

# %% slideshow={"slide_type": "-"}
groups_explorer(in_channels=4, out_channels=4, groups=2)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# PyTorch and convlib's four methods (matrix, scatter-add, padded direct convolution, by phases)
# agree on the question, and the numbers are the learner's.

# %% slideshow={"slide_type": "-"}
result = convlib.compare(x, weight, padding=2, groups=2)
assert result.agree
print(result.summary)

# %% slideshow={"slide_type": "-"}
assert y.ravel().tolist() == [8.0, 8.0, 10.0, 10.0]
for channel, value in [(0, 2 * (1 * 2 + 1 * 1 + 1 * 1)), (2, 2 * (1 * 2 + 1 * 1 + 2 * 1))]:
    assert convlib.explain(x, weight, (0, channel, 0), padding=2, groups=2).value == value
assert torch.equal(stacked, y)  # groups=2 is two transposed convolutions side by side
for g in range(2):  # the per-group swap: kernel (input g*2+i -> output g*3+j), flipped
    for i in range(2):
        for j in range(3):
            assert torch.equal(d46[g * 3 + j, i], w46[g * 2 + i, j].flip(0))
assert torch.equal(F.conv1d(x46, d46, padding=2, groups=2), transposed46)
assert torch.equal(up(x46), transposed46) and torch.equal(same(x46), transposed46)
assert (back(z46) * x46).sum() == (z46 * up(x46)).sum()      # loaded as is: the adjoint
assert convlib.compare(x46, w46, groups=2).agree
for groups in (1, 2, 4):  # every grouping, with the weight shape each one needs
    w = torch.arange(1.0, 4 * (4 // groups) * 3 + 1).reshape(4, 4 // groups, 3)
    assert convlib.compare(x, w, padding=1, groups=groups).agree
print("all checks passed")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - `groups=g` splits the input and output channels into `g` groups; group `j`'s inputs reach only group `j`'s outputs. It is `g` transposed convolutions side by side.
# - Each output channel sums over the input channels of its group; in the question each group has two equal channels, hence the factor 2 in $8 = 2 \times 4$ and $10 = 2 \times 5$.
# - The transposed convolution reads the kernel flipped: `[1, 1, 2]` acts as `[2, 1, 1]`.
# - `padding=2` with `kernel_size=3` leaves `dilation*(kernel_size-1) - padding = 0` zeros of padding, so the output has one position.
# - Weight layout: `(in_channels, out_channels/groups, *kernel_size)` for the transposed convolution, `(out_channels, in_channels/groups, *kernel_size)` for the convolution; the matrix is block diagonal.
# - A `ConvTranspose1d(4, 6, groups=2)` stores the weight of the `Conv1d(6, 4, groups=2)` it transposes: load that one as is (the adjoint). To compute the same thing with a `Conv1d(4, 6, groups=2)`, flip every kernel and swap in/out within each group (`convlib.direct_weight`): `weight[2 + i, j]` becomes `direct[3 + j, i]`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("05.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** Keep the question's input and weight, but use `padding=1`. The output now has shape
# `(1, 4, 3)`: give its one example, 4 channels of 3 values, as a 4x3 nested list or array.

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("05.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** How many numbers does the weight of `nn.ConvTranspose2d(8, 16, 3, groups=4)` hold?

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("05.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** In the question's setup, change only the last input channel to `[1, 1, 3]`. Which output
# channels change, and what is output channel 3 now? Give the 4 output values as a list.

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("05.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4.** `nn.ConvTranspose1d(6, 4, 3, groups=2)` has a weight of shape `(6, 2, 3)`; the kernel
# from input channel 5 to output channel 2 is `weight[5, 0]`. The equivalent convolution's weight,
# `convlib.direct_weight(weight, groups=2)`, has shape `(4, 3, 3)`: which entry `(row, column)`
# holds that kernel, flipped?

# %% slideshow={"slide_type": "-"}
answer_4 = None  # replace None with your answer
grade("05.4", answer_4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **5. Implement it.** Build a grouped transposed convolution out of ungrouped ones:
# `grouped_conv_transpose2d(x, w, groups, stride)` gets an input `x` of shape `(C_in, H, W)` and a
# weight `w` of shape `(C_in, C_out / groups, kH, kW)` (float64 tensors) and must return what
# `F.conv_transpose2d(x, w, stride=stride, groups=groups)` returns, computed with calls of
# `F.conv_transpose2d` **without** `groups=`. `grade_function` compares it with convlib on cases
# from 2 channels and a 1x2 input up to 4 groups, and shows the first case it gets wrong with the
# output it should give.

# %% slideshow={"slide_type": "-"}
def grouped_conv_transpose2d(x, w, groups, stride):
    return None  # replace with your code


grade_function("05.5", grouped_conv_transpose2d)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 04_direct](04_direct.ipynb) | [contents](00_index.ipynb) | [06_dilation_output_padding >](06_dilation_output_padding.ipynb)

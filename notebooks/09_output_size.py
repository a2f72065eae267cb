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
# # Choosing the output size: `output_size=` and `output_padding`
#
# **Question:** A U-Net decoder upsamples a 37x32 feature map with `nn.ConvTranspose2d(8, 8, kernel_size=2, stride=2)` and gets 74x64, but the skip connection it must be joined with is 75x64: can `up(x, output_size=(75, 64))` fix it, which sizes does `output_size` accept, how do they map to `output_padding`, and why is 76x64 refused?
#
# What you will learn:
# - which sizes `nn.ConvTranspose2d.forward(input, output_size=...)` accepts: `stride` of them,
#   from the smallest one up, and how each maps to `output_padding`;
# - why exactly those: they are the sizes a convolution with the same parameters maps back to
#   the input, and `output_size` says which one the encoder had;
# - what `dilation` changes: `output_padding` itself reaches `max(stride, dilation)` sizes, but
#   `output_size=` still only `stride` of them, so several input sizes can give one output size;
# - how to match every skip connection of a decoder whatever the input size, and
#   `convlib.shapes.output_padding_for`, which gives the `output_padding` for a wanted size.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 08_in_practice](08_in_practice.ipynb) | [contents](00_index.ipynb) | [10_upsampling >](10_upsampling.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# A U-Net halves its feature maps on the way down and doubles them on the way up, joining each
# upsampled map to the encoder's map of the same level (a *skip connection*, `torch.cat` along the
# channels). A learner's encoder has a 75x64 feature map at one level. `max_pool2d(2)` halves it
# to 37x32 (the 75th row has no partner and is dropped). The decoder's
# `nn.ConvTranspose2d(8, 8, kernel_size=2, stride=2)` doubles 37x32 to 74x64, one row short, and
# `torch.cat` fails. The documentation mentions `forward(input, output_size=...)`: can
# `output_size=(75, 64)` fix it? Which sizes can be asked for, how do they relate to
# `output_padding`, and why does PyTorch refuse 76x64?

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch

# %% slideshow={"slide_type": "-"}
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

import convlib
from convlib.shapes import conv_transpose_output_sizes, output_padding_for, smallest_output_size

torch.manual_seed(0)
skip = torch.randn(1, 8, 75, 64)   # the encoder's feature map at this level
down = F.max_pool2d(skip, 2)       # 37x32
up = nn.ConvTranspose2d(8, 8, kernel_size=2, stride=2)
print("down", tuple(down.shape), "-> up", tuple(up(down).shape))

# %% slideshow={"slide_type": "-"}
try:
    torch.cat([up(down), skip], dim=1)
except RuntimeError as error:
    print("RuntimeError:", error)

# %% [markdown] slideshow={"slide_type": "subslide"}
# `output_size=` fixes it: the layer gives exactly the skip connection's size. (It also accepts
# the full shape `skip.shape`; only the last two entries are used.)

# %% slideshow={"slide_type": "-"}
upsampled = up(down, output_size=skip.shape[-2:])
joined = torch.cat([upsampled, skip], dim=1)
print("up", tuple(upsampled.shape), "joined", tuple(joined.shape))

# %% [markdown] slideshow={"slide_type": "-"}
# But not every size can be asked for. 76x64 is refused, and PyTorch's message names the range:

# %% slideshow={"slide_type": "-"}
try:
    up(down, output_size=(76, 64))
except ValueError as error:
    print("ValueError:", error)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### The range: `stride` sizes from the smallest
#
# With `output_padding=0` a transposed convolution gives the smallest size
# (chapter [01](01_shapes.ipynb)):
#
# $$o_{min} = (i - 1)s - 2p + d(k-1) + 1$$
#
# For 37 rows, `kernel_size=2`, `stride=2`: 36*2 + 1 + 1 = 74, and for 32 columns 64. PyTorch
# accepts any size from $o_{min}$ to $o_{min} + s - 1$ in each dimension: 74 to 75 rows and 64 to
# 65 columns, the "[74, 64] to [75, 65]" of its message. 76 is one too many.

# %% slideshow={"slide_type": "-"}
for i in (37, 32):
    smallest = convlib.conv_transpose_output_size(i, kernel_size=2, stride=2)
    print(f"input {i}: o_min = {smallest}, output_size accepts {smallest} to {smallest + 2 - 1}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### `output_size` is `output_padding`, chosen per call
#
# The layer turns the size you ask for into `output_padding` = $o - o_{min}$ and runs the same
# transposed convolution as `F.conv_transpose2d(..., output_padding=...)`; its own
# `output_padding` is ignored for that call. Asking for 75x64 means `output_padding=(1, 0)`:

# %% slideshow={"slide_type": "-"}
op = output_padding_for(input_size=(37, 32), output_size=(75, 64), kernel_size=2, stride=2)
print("output_padding_for(...) =", op)
same = F.conv_transpose2d(down, up.weight, up.bias, stride=2, output_padding=op)
print("the same numbers as output_padding=(1, 0):", torch.equal(upsampled, same))

# %% [markdown] slideshow={"slide_type": "-"}
# So one layer, built once, can give 74 or 75 rows depending on its input, where a fixed
# `output_padding` in the constructor would fit only one of them. `output_padding_for` (in the
# package `convlib/shapes/`, beside the size formulas) states the rule and refuses unreachable
# sizes with the range, before computing anything:

# %% slideshow={"slide_type": "-"}
try:
    output_padding_for(input_size=(37, 32), output_size=(76, 64), kernel_size=2, stride=2)
except ValueError as error:
    print("ValueError:", error)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why exactly `stride` sizes: the convolution's floor
#
# It is the floor of [01_shapes](01_shapes.ipynb) (where k3s2p1 maps both 3 and 4 to 2), on the
# way down: `max_pool2d(2)` (and `nn.Conv2d(kernel_size=2, stride=2)`, which has the same size
# arithmetic) maps **both** 74 and 75 rows to 37. The sizes PyTorch accepts are exactly the sizes
# the convolution with the same parameters maps to the input's size (`convlib.conv_input_sizes`);
# `output_size` tells the transposed convolution which of them the encoder had.

# %% slideshow={"slide_type": "-"}
print("sizes a k2 s2 convolution maps to 37:", list(convlib.conv_input_sizes(37, 2, stride=2)))
print("sizes it maps to 32:", list(convlib.conv_input_sizes(32, 2, stride=2)))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### With `dilation`: several input sizes, one output size
#
# `dilation` widens the kernel to d(k-1)+1 entries and moves $o_{min}$, nothing else. A
# convolution with `kernel_size=3, stride=2, dilation=2` maps 11 and 12 to 4, and the transposed
# convolution from 4 accepts exactly `output_size` 11 and 12:

# %% slideshow={"slide_type": "-"}
print("conv k3 s2 d2 maps to 4:", list(convlib.conv_input_sizes(4, 3, stride=2, dilation=2)))
layer = nn.ConvTranspose1d(1, 1, kernel_size=3, stride=2, dilation=2)
for o in (11, 12):
    print(f"output_size={o}:", tuple(layer(torch.ones(1, 1, 4), output_size=[o]).shape))

# %% [markdown] slideshow={"slide_type": "subslide"}
# When `dilation` is larger than `stride`, `output_padding` may go up to `dilation - 1`
# (chapter [06](06_dilation_output_padding.ipynb)), so it reaches more sizes than `output_size=`
# accepts. With `kernel_size=3, stride=1, dilation=3` on 3 entries, `output_padding` 0, 1 and 2
# give 9, 10 and 11, but `output_size=` accepts only 9:

# %% slideshow={"slide_type": "-"}
print("output_padding reaches:", list(conv_transpose_output_sizes(3, 3, stride=1, dilation=3)))
dilated = nn.ConvTranspose1d(1, 1, kernel_size=3, stride=1, dilation=3, output_padding=2)
print("output_padding=2 gives", dilated(torch.ones(1, 1, 3)).shape[-1])
try:
    dilated(torch.ones(1, 1, 3), output_size=[11])
except ValueError as error:
    print("ValueError:", error)

# %% [markdown] slideshow={"slide_type": "-"}
# The refusal is consistent: a stride-1 convolution with that dilated kernel maps 11 entries to 5,
# not to 3, so no encoder with these parameters had 11. And one output size now comes from
# several input sizes: 3, 4 and 5 entries all reach 11, each with its own `output_padding`.

# %% slideshow={"slide_type": "-"}
for i in (3, 4, 5):
    op = output_padding_for(i, 11, kernel_size=3, stride=1, dilation=3)
    size = convlib.conv_transpose_output_size(i, 3, stride=1, output_padding=op, dilation=3)
    print(f"input {i}: output_padding={op} -> {size}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Every level of a decoder, whatever the input size
#
# A three-level encoder with `Conv2d(kernel_size=3, stride=2, padding=1)` takes an odd 75x63
# picture down to 10x8; the decoder's `ConvTranspose2d(kernel_size=3, stride=2, padding=1)`
# comes back up level by level with `output_size=skip.shape[-2:]`. Each level needs a different
# `output_padding`, so no single value in the constructor would do:

# %% slideshow={"slide_type": "-"}
torch.manual_seed(0)
encoder = [nn.Conv2d(4, 4, 3, stride=2, padding=1) for _ in range(3)]
decoder = [nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1) for _ in range(3)]
h, skips = torch.randn(1, 4, 75, 63), []   # h: the feature map
for conv in encoder:
    skips.append(h)
    h = conv(h)
for deconv, skip in zip(decoder, reversed(skips)):
    size, wanted = tuple(h.shape[-2:]), tuple(skip.shape[-2:])
    op = output_padding_for(size, wanted, kernel_size=3, stride=2, padding=1)
    h = deconv(h, output_size=wanted) + skip   # the skip connection (added, to keep it short)
    print(f"{size} -> {tuple(h.shape[-2:])}: output_padding={op}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The explorer draws the sizes a layer can give for an input size: the smallest, the ones
# `output_size=` accepts, the ones only `output_padding` reaches, and the one you ask for with its
# `output_padding`, or PyTorch's refusal. Start from the learner's layer and move `output_size`
# to 76; then set `dilation` above `stride`. Its `input_size` slider keeps the explorer's usual
# range of four sizes, moved to the learner's 37 (so 34 to 37), and `output_size` runs over the
# sizes the picture shows, from two below $o_{min}$ to one past the largest that
# `output_padding` reaches.

# %% slideshow={"slide_type": "-"}
from convlib.explorers import output_size_explorer

sizes = output_size_explorer(input_size=37, output_size=75, kernel_size=2, stride=2, padding=0,
                             dilation=1)
sizes

# %% slideshow={"slide_type": "-"}
sliders = {name: (c.min, c.max) for name, c in sizes.controls.items()}
print(sliders["input_size"], sliders["output_size"])   # o_min = 36*2 + 1*(2-1) + 1 = 74
assert sliders["input_size"] == (34, 37) and sliders["output_size"] == (74 - 2, 74 + 2)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# For every small configuration and every size from 1 to $o_{min} + 4$, PyTorch's `output_size=`
# accepts a size exactly when `output_padding_for` gives it an `output_padding` below `stride`,
# the two give the same numbers, and the larger `output_padding` values (below
# `max(stride, dilation)`) give their sizes too.

# %% slideshow={"slide_type": "-"}
ramp = torch.arange(1.0, 5.0).view(1, 1, 4)
checked = 0
for i, k, s, p, d in itertools.product(range(1, 5), range(1, 4), range(1, 4), range(3), range(1, 4)):
    layer = nn.ConvTranspose1d(1, 1, k, stride=s, padding=p, dilation=d)
    smallest = smallest_output_size(i, k, s, p, d)
    for o in range(1, smallest + 5):
        try:
            got = layer(ramp[..., :i], output_size=[o])
        except ValueError:
            got = None
        reachable = smallest <= o < smallest + max(s, d)
        op = output_padding_for(i, o, k, s, p, d) if reachable else None
        assert (got is not None) == (reachable and op < s), (i, k, s, p, d, o)
        if op is not None:
            by_padding = F.conv_transpose1d(ramp[..., :i], layer.weight, layer.bias, stride=s,
                                            padding=p, output_padding=op, dilation=d)
            assert by_padding.shape[-1] == o
            assert got is None or torch.equal(got, by_padding)
        checked += 1
print(checked, "sizes checked against PyTorch")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The learner's numbers, and convlib's four methods with the `output_padding` that
# `output_size=(75, 64)` chose (on a small integer example, so they agree exactly):

# %% slideshow={"slide_type": "-"}
assert tuple(up(down).shape[-2:]) == (74, 64) and tuple(upsampled.shape[-2:]) == (75, 64)
assert conv_transpose_output_sizes((37, 32), 2, stride=2) == (range(74, 76), range(64, 66))
assert output_padding_for((37, 32), (75, 64), 2, stride=2) == (1, 0)
assert torch.equal(upsampled, same)
assert list(convlib.conv_input_sizes(37, 2, stride=2)) == [74, 75]
assert [output_padding_for(i, 11, 3, dilation=3) for i in (3, 4, 5)] == [2, 1, 0]
assert convlib.conv_output_size(11, 3, dilation=3) == 5   # so no encoder of 3 entries had 11
assert tuple(h.shape[-2:]) == (75, 63)
comparison = convlib.compare(torch.arange(1.0, 13.0).view(1, 1, 3, 4),
                             torch.arange(1.0, 5.0).view(1, 1, 2, 2), stride=2,
                             output_padding=(1, 0))
assert comparison.agree
print(comparison.summary)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - `forward(input, output_size=o)` is `output_padding = o - o_min` for that call, with
#   $o_{min} = (i-1)s - 2p + d(k-1) + 1$ (`convlib.shapes.output_padding_for`).
# - It accepts $o_{min}$ to $o_{min} + s - 1$ in each dimension: the sizes a convolution with the
#   same parameters maps back to i. Anything else is a `ValueError` naming the range
#   (37 -> 74 or 75 with `kernel_size=2, stride=2`; 76 is refused).
# - `output_padding` itself reaches `max(stride, dilation)` sizes
#   (`convlib.shapes.conv_transpose_output_sizes`); with `dilation > stride` several input sizes
#   can reach one output size (3, 4 and 5 all reach 11), but `output_size=` accepts only the
#   first `stride`.
# - In a decoder, pass `output_size=skip.shape[-2:]`: each level gets its own `output_padding`
#   (0 or 1 per dimension for 75x63), which no single constructor value could give.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("09.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** `nn.ConvTranspose2d(16, 8, kernel_size=4, stride=2, padding=1)` gets a 19x19 input.
# Which sizes does `output_size=` accept for each side? Give them as a list (both sides accept
# the same sizes).

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("09.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** The same layer gets a 21x20 input and is called with `output_size=(42, 41)`. Which
# `output_padding` does that call use? Give a tuple (rows, columns).

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("09.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** `nn.ConvTranspose1d(1, 1, kernel_size=3, stride=1, dilation=4)` gets 5 entries. How many
# output sizes can `output_padding` reach, and how many of them does `output_size=` accept? Give
# a tuple (reached by output_padding, accepted by output_size).

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("09.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4. Implement it.** Write `my_output_padding(input_size, output_size, kernel_size, stride,
# padding, dilation)` for one dimension (all arguments are ints): it must return the
# `output_padding` that makes a transposed convolution's output `output_size` long.
# `grade_function` tries it on several reachable cases, a plain one first, compares it with
# `convlib.shapes.output_padding_for` and shows the first case it gets wrong with the value it
# should return.

# %% slideshow={"slide_type": "-"}
def my_output_padding(input_size, output_size, kernel_size, stride, padding, dilation):
    return None  # replace with your code


grade_function("09.4", my_output_padding)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 08_in_practice](08_in_practice.ipynb) | [contents](00_index.ipynb) | [10_upsampling >](10_upsampling.ipynb)

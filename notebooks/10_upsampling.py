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
# # Upsampling exactly: any factor, many channels, sub-pixel convolution
#
# **Question:** Which `kernel_size` and `padding` make `nn.ConvTranspose2d(3, 3, ..., stride=32)` enlarge a picture exactly 32 times by bilinear interpolation (as fully convolutional segmentation networks do), what changes for an odd factor such as 3, how do its 3 channels stay apart, and do sub-pixel convolution (`nn.PixelShuffle`) and resize-then-convolve compute anything different?
#
# What you will learn:
# - the rule for an exact factor s: `kernel_size=2s, padding=s/2` for even s,
#   `kernel_size=2s-1, padding=(s-1)/2` for odd s, and why the tent must be centred;
# - x2 to x32 on a real picture, each equal to `F.interpolate(mode="bilinear")` inside the border;
# - how to initialise a multi-channel `nn.ConvTranspose2d` as bilinear upsampling (`groups=C` or a
#   diagonal weight), and what happens if the channels are not kept apart;
# - that sub-pixel convolution (a stride-1 convolution, then `nn.PixelShuffle(s)`) and a transposed
#   convolution compute the same things, in both directions, with the weight rearranged
#   (`convlib.upsample.subpixel` and `transposed_from_subpixel`): a free 3x3 sub-pixel x2 layer
#   *is* a `kernel_size=6, stride=2, padding=2` transposed convolution;
# - that resize-then-convolve is a transposed convolution too, with a kernel that is balanced by
#   construction (`convlib.upsample.resize_conv_weight`).

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 09_output_size](09_output_size.ipynb) | [contents](00_index.ipynb) | [11_checkerboards_in_training >](11_checkerboards_in_training.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# Chapter [08](08_in_practice.ipynb) doubles a picture with `kernel_size=4, stride=2, padding=1`
# and the tent kernel `[0.25, 0.75, 0.75, 0.25]`, one channel. The fully convolutional
# segmentation network of the d2l.ai textbook ends with
# `nn.ConvTranspose2d(C, C, kernel_size=64, stride=32, padding=16)` initialised as bilinear
# upsampling, for C channels at once. (It follows FCN-32s of Long, Shelhamer and Darrell, 2015,
# whose layer, in Caffe and in its PyTorch ports, has no padding: that network pads its input by
# 100 in its first convolution and crops the upsampled result at offset 19 instead.) A learner
# asks: what is the rule behind 4, 2, 1 and 64, 32, 16; what is it for x3, where `padding=s/2` is
# not a whole number; how is the C x C weight filled so the channels stay apart; and are the
# alternatives they read about, sub-pixel convolution (`nn.PixelShuffle`) and
# resize-then-convolve, different operations?

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch
#
# matplotlib's bundled photograph (no download), shrunk 32 times by averaging 32x32 blocks, is
# 18x16. d2l's layer with a tent kernel enlarges it to 576x512, exactly 32 times (without
# `padding=16` it would give 32 more rows and columns). FCN-32s's own crop is another number: its
# first convolution pads by 100, so a 500x500 image reaches the upsampling layer as 16x16, which
# gives 544, cropped at offset 19 back to 500 (the sizes computed below, Caffe's pooling rounding
# up):

# %% slideshow={"slide_type": "-"}
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import convlib
from convlib.upsample import (bilinear_kernel, exact_upsampling, resize_conv_weight,
                              sample_picture, subpixel, transposed_from_subpixel)
from convlib.explorers import phases_explorer, scatter_explorer
from convlib.phases import phase_outputs, phase_taps

tiny = torch.from_numpy(sample_picture(32))[None, None]        # (1, 1, 18, 16)
tent64 = torch.from_numpy(bilinear_kernel(64, 32)).float()[None, None]
big = F.conv_transpose2d(tiny, tent64, stride=32, padding=16)
print(tuple(tiny.shape), "->", tuple(big.shape), "| without padding:",
      tuple(F.conv_transpose2d(tiny, tent64, stride=32).shape))

fcn = 500 + 2 * 100 - 2                  # conv1_1: 3x3, padding 100; the other 3x3s keep the size
for _ in range(5):
    fcn = -(-fcn // 2)                   # 2x2 max pooling, stride 2, rounding up (Caffe)
fcn = convlib.conv_output_size(fcn, 7)   # fc6 as a 7x7 convolution, no padding
upscored = convlib.conv_transpose_output_size(fcn, 64, stride=32)
print(f"FCN-32s, 500 in: {fcn} at the upsampling layer, {upscored} out; its crop keeps 500 from "
      f"offset 19: 19 dropped at the start, {upscored - 500 - 19} at the end")

# %% [markdown] slideshow={"slide_type": "-"}
# PyTorch's bilinear interpolation gives the same numbers, except near the border, where
# `F.interpolate` repeats the edge and the transposed convolution sees zeros, as in chapter 08
# (compared here inside a 32-pixel border; [13_in_training](13_in_training.ipynb) fixes the
# border for every factor):

# %% slideshow={"slide_type": "-"}
def inside(x, border):
    return x[..., border:-border, border:-border]


bilinear = F.interpolate(tiny, scale_factor=32, mode="bilinear", align_corners=False)
print("max |difference| inside below 1e-5:", bool(inside(big - bilinear, 32).abs().max() < 1e-5))

# %% slideshow={"slide_type": "-"}
def show(images, titles, size=3.0):
    """Pictures side by side, one pixel per array entry (gray, or RGB for 3 channels)."""
    figure, axes = plt.subplots(1, len(images), figsize=(size * len(images), size))
    for axis, image, title in zip(np.atleast_1d(axes), images, titles):
        image = np.asarray(image).squeeze()
        image = image.transpose(1, 2, 0).clip(0, 1) if image.ndim == 3 else image
        axis.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        axis.set_title(title)
        axis.axis("off")
    plt.show()


show([tiny, big, sample_picture(1)], ["18 x 16", "x32: 576 x 512", "the photograph, 600 x 512"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### The rule for any factor
#
# Two conditions, and they turn out to be the same one.
#
# **The size.** The output is $(i-1)s - 2p + k$ (no dilation, no `output_padding`). It is exactly
# $s \cdot i$ when $k - 2p = s$.
#
# **The values.** Bilinear interpolation (`align_corners=False`) reads output pixel o at input
# position $(o + \frac12)/s - \frac12$ and weighs each input by $1 - |\text{distance}|$. In the
# transposed convolution, input i reaches output o through tap $o + p - s\,i$; the tent
# $w[t] = 1 - |t - \frac{k-1}{2}|/s$ gives the same weights when its centre sits where
# interpolation reads: $\frac{k-1}{2} - p = \frac{s-1}{2}$, which is again $k - 2p = s$.
#
# **The whole tent.** Interpolation gives a weight to the inputs less than s output pixels away:
# $2s$ taps when the tent's centre falls between two taps (k even), $2s-1$ when it falls on a tap
# (k odd). With $k - 2p = s$, k has the parity of s. So:

# %% slideshow={"slide_type": "-"}
for s in range(2, 9):
    params = exact_upsampling(s)
    print(f"x{s}:", params, " output size for i=10:",
          convlib.conv_transpose_output_size(10, params["kernel_size"], s, params["padding"]))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Watch the x2 rule stamp its tent: each input lays down the 1-D tent `[0.25, 0.75, 0.75, 0.25]`
# two places apart, so every output entry inside the border receives exactly two taps whose
# weights add up to 1, the two neighbours bilinear interpolation reads. Step through the stamps,
# then move `stride` or `padding` away from the rule and see the weights stop adding up to 1:

# %% slideshow={"slide_type": "-"}
scatter_explorer(input=[1, 2, 4, 7], weight=bilinear_kernel(4, 2, dims=1), stride=2, padding=1,
                 output_padding=0, dilation=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# For even s: `kernel_size=2s, padding=s/2` (4, 2, 1 and 64, 32, 16). For odd s:
# `kernel_size=2s-1, padding=(s-1)/2`. The tempting `kernel_size=2s` for x3 cannot have
# $k - 2p = 3$; `padding=2, output_padding=1` fixes the size but not the centre, and the values are
# not bilinear interpolation's:

# %% slideshow={"slide_type": "-"}
small = torch.from_numpy(sample_picture(8))[None, None]          # 75 x 64
reference = F.interpolate(small, scale_factor=3, mode="bilinear", align_corners=False)
tent5 = torch.from_numpy(bilinear_kernel(5, 3)).float()[None, None]
tent6 = torch.from_numpy(bilinear_kernel(6, 3)).float()[None, None]
rule = F.conv_transpose2d(small, tent5, stride=3, padding=1)
tempting = F.conv_transpose2d(small, tent6, stride=3, padding=2, output_padding=1)
for name, result in [("kernel_size=5, padding=1", rule),
                     ("kernel_size=6, padding=2, op=1", tempting)]:
    print(f"{name}: {tuple(result.shape[-2:])}, max |difference| inside: "
          f"{float(inside(result - reference, 3).abs().max()):.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### x2 to x32 on a real picture
#
# Shrink the photograph s times and enlarge it again with the rule. Every factor lands on
# s times the shrunken size, and agrees with `F.interpolate` inside an s-pixel border:

# %% slideshow={"slide_type": "-"}
factors, enlarged = [2, 4, 8, 16, 32], []
for s in factors:
    shrunk = torch.from_numpy(sample_picture(s))[None, None]
    params = exact_upsampling(s)
    tent = torch.from_numpy(bilinear_kernel(params["kernel_size"], s)).float()[None, None]
    enlarged.append(F.conv_transpose2d(shrunk, tent, stride=s, padding=params["padding"]))
    interpolated = F.interpolate(shrunk, scale_factor=s, mode="bilinear", align_corners=False)
    difference = float(inside(enlarged[-1] - interpolated, s).abs().max())
    print(f"x{s}: {tuple(shrunk.shape[-2:])} -> {tuple(enlarged[-1].shape[-2:])}, "
          f"{params}, agrees inside: {difference < 1e-5}")

# %% slideshow={"slide_type": "-"}
show(enlarged, [f"x{s}" for s in factors], size=2.4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Many channels: keep them apart
#
# A `ConvTranspose2d` weight is (C_in, C_out / groups, k, k): `weight[a, b]` carries input channel
# a to output channel b. Filling **every** entry with the tent adds all input channels into every
# output channel. Bilinear upsampling needs the tent only from each channel to itself: a diagonal
# weight, or `groups=C`, which keeps only those entries in the first place.

# %% slideshow={"slide_type": "-"}
color = torch.from_numpy(sample_picture(8, color=True))[None]     # (1, 3, 75, 64)
params = exact_upsampling(4)                                      # kernel_size=8, padding=2
tent8 = torch.from_numpy(bilinear_kernel(8, 4)).float()
layers = {
    "groups=3": nn.ConvTranspose2d(3, 3, **params, groups=3, bias=False),
    "diagonal": nn.ConvTranspose2d(3, 3, **params, bias=False),
    "every entry": nn.ConvTranspose2d(3, 3, **params, bias=False),
}
with torch.no_grad():
    layers["groups=3"].weight.copy_(tent8.expand(3, 1, 8, 8))
    layers["diagonal"].weight.copy_(torch.eye(3)[:, :, None, None] * tent8)
    layers["every entry"].weight.copy_(tent8.expand(3, 3, 8, 8))
    results = {name: layer(color) for name, layer in layers.items()}
for name, layer in layers.items():
    print(f"{name:12s} weight {tuple(layer.weight.shape)}")

# %% slideshow={"slide_type": "-"}
interpolated = F.interpolate(color, scale_factor=4, mode="bilinear", align_corners=False)
for name, result in results.items():
    agree = torch.allclose(inside(result, 4), inside(interpolated, 4), atol=1e-5)
    print(f"{name:12s} equals F.interpolate inside the border: {agree}")
show([color, *results.values()], ["75 x 64", *results], size=2.8)

# %% [markdown] slideshow={"slide_type": "-"}
# With every entry filled, each output channel is the sum of red, green and blue: a gray picture
# three times too bright (clipped to white here).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Sub-pixel convolution is a transposed convolution, rearranged
#
# Super-resolution networks (ESPCN, Shi et al. 2016) upsample by s with a stride-1 convolution to
# `C_out * s * s` channels followed by `nn.PixelShuffle(s)`, which puts channel
# `(c, r_row, r_col)` at the output pixels `(s*q + r_row, s*q' + r_col)` of channel c.
#
# In a transposed convolution, output o sits at canvas position $o + p$ (chapter 03). Write
# $o + p = s\,q + r$ with r in 0 .. s-1: r is the output's *phase* (the numbering chapter 13 and
# the phases explorer use), and the output receives $x[q - t]\,w[s\,t + r]$ for every t. So
# each phase is an ordinary stride-1 convolution with every s-th tap, starting from tap r:
# $w[r], w[s+r], \dots$ (`w[r::s]`), read backwards. The padding moves which outputs a phase
# holds, not its taps: with `stride=2, padding=1`, phase 0 is the odd outputs (taps 0 and 2 of
# 4) and phase 1 the even outputs (taps 1 and 3):

# %% slideshow={"slide_type": "-"}
for r in (0, 1):
    outputs, taps = phase_outputs(r, 8, 2, 1), phase_taps(r, 4, 2, 1)
    print(f"phase {r}: outputs {list(outputs)} of 0..7, taps {list(taps)} of 0..3")
assert list(phase_outputs(0, 8, 2, 1)) == [1, 3, 5, 7] and list(phase_taps(0, 4, 2, 1)) == [0, 2]
assert list(phase_outputs(1, 8, 2, 1)) == [0, 2, 4, 6] and list(phase_taps(1, 4, 2, 1)) == [1, 3]

# %% [markdown] slideshow={"slide_type": "-"}
# The phases explorer (chapter 13 builds a fourth method on it) draws the split for the kernel
# 1..16: the outputs of one phase, every second row and column, and the 2x2 of the 16 taps that
# reach them. Its `phase` counts the phases (r_row, r_col) in order, (0, 0), (0, 1), (1, 0),
# (1, 1); it opens on `phase=3`, r = (1, 1): the even rows and columns, whose taps (rows and
# columns 1 and 3) make the first kernel printed below. Step through `phase`:

# %% slideshow={"slide_type": "-"}
phases_explorer(input=np.ones((3, 3)), weight=np.arange(1, 17).reshape(4, 4), stride=2,
                padding=1, phase=3)

# %% [markdown] slideshow={"slide_type": "-"}
# Collect each phase's taps into one stride-1 convolution weight, one output channel per phase:
# the channels are the phases, and `nn.PixelShuffle` puts them back in their places. For
# `kernel_size=4, stride=2, padding=1` that is a few lines of PyTorch (`convlib.upsample.subpixel`
# does it for every `kernel_size`, `stride` and `padding`, and finds the padding of the
# convolution). With the taps 1 to 16:

# %% slideshow={"slide_type": "-"}
def subpixel_weight(w):
    """ConvTranspose2d(kernel_size=4, stride=2, padding=1) weight (C_in, C_out, 4, 4) -> the
    weight (4 * C_out, C_in, 3, 3) of the Conv2d(padding=1) that PixelShuffle(2) follows."""
    flipped = F.pad(w, (1, 1, 1, 1)).flip(-1, -2)   # taps read backwards, a zero at each end
    phases = [flipped[:, :, 1 - a::2, 1 - b::2] for a in (0, 1) for b in (0, 1)]  # 3x3 each
    return torch.stack(phases, 2).permute(1, 2, 0, 3, 4).reshape(-1, w.shape[0], 3, 3)


w = torch.arange(1.0, 17.0).view(1, 1, 4, 4)
for phase, kernel in zip(["(even, even)", "(even, odd)", "(odd, even)", "(odd, odd)"],
                         subpixel_weight(w)):
    print(phase, kernel[0].int().tolist())
plan = subpixel(w, input_size=(5, 5), stride=2, padding=1)
assert torch.equal(subpixel_weight(w), plan.weight) and plan.pad_before == plan.pad_after == (1, 1)

# %% [markdown] slideshow={"slide_type": "-"}
# Each phase uses 4 of the 16 taps (every tap exactly once); its 3x3 kernel has 5 zeros. So the
# transposed convolution is a `Conv2d(C_in, 4*C_out, 3, padding=1)` and `PixelShuffle(2)` whose
# kernels are constrained: 16 free weights per channel pair, where a free 3x3 sub-pixel
# convolution has 36. Numerically, for random weights, 2 channels in and 3 out:

# %% slideshow={"slide_type": "-"}
torch.manual_seed(0)
x = torch.randn(1, 2, 5, 5, dtype=torch.float64)
transposed = nn.ConvTranspose2d(2, 3, kernel_size=4, stride=2, padding=1, bias=False).double()
conv = nn.Conv2d(2, 3 * 4, kernel_size=3, padding=1, bias=False).double()
with torch.no_grad():
    conv.weight.copy_(subpixel_weight(transposed.weight))
    sub_pixel = nn.PixelShuffle(2)(conv(x))
    print(tuple(sub_pixel.shape), "equal:", torch.allclose(sub_pixel, transposed(x)))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### And a free sub-pixel convolution is a transposed convolution
#
# Does the free 3x3 sub-pixel convolution then compute something no transposed convolution can?
# No: it is exactly a `ConvTranspose2d(kernel_size=6, stride=2, padding=2)`, also 36 weights per
# channel pair (Shi et al. 2016, "Is the deconvolution layer the same as a convolutional layer?").
# Read the phase formula the other way: output $2q + r$ reads $x[q + t - 1]$ through tap t of
# phase r's 3x3 kernel, and that is tap $2(2 - t) + r$ of a 6-tap transposed kernel with
# `padding=2`. In PyTorch, for a random sub-pixel layer (`transposed_from_subpixel` in
# `convlib.upsample` does the same for every `stride`, kernel size and `padding`). The reshape to
# 6 axes only names what the explorer above drew: the channel axis holds (C_out, phase row, phase
# column); the permute puts each phase axis after its tap axis, so that flattening the pair
# interleaves the phases' taps into one 6x6 kernel:

# %% slideshow={"slide_type": "-"}
free = nn.Conv2d(2, 3 * 4, kernel_size=3, padding=1, bias=False).double()   # C_in 2, C_out 3
v6 = free.weight.detach()                     # (C_out * 4, C_in, 3, 3), PixelShuffle's order
w6 = (v6.reshape(3, 2, 2, 2, 3, 3)            # (C_out, r_row, r_col, C_in, t_row, t_col)
      .flip(-1, -2)                          # tap t -> 2 - t
      .permute(3, 0, 4, 1, 5, 2)             # (C_in, C_out, t_row, r_row, t_col, r_col)
      .reshape(2, 3, 6, 6))                  # tap 2 * (2 - t) + r
with torch.no_grad():
    sub_pixel6 = nn.PixelShuffle(2)(free(x))
print("sub-pixel == conv_transpose2d(kernel_size=6, stride=2, padding=2):",
      torch.allclose(sub_pixel6, F.conv_transpose2d(x, w6, stride=2, padding=2)))
assert (torch.equal(w6, transposed_from_subpixel(v6, stride=2, padding=1)[0])
        and transposed_from_subpixel(v6, stride=2, padding=1)[1] == (2, 2))

# %% [markdown] slideshow={"slide_type": "fragment"}
# The two directions are inverse rearrangements: `subpixel` takes `w6` back to `v6`, now with no
# zeros, since every one of the 36 taps is used. So a free 3x3 sub-pixel x2 layer and a
# `kernel_size=6, stride=2, padding=2` transposed convolution are the same layer, weight for
# weight; `kernel_size=4, padding=1` is the restricted case, the `kernel_size=6` layer whose outer
# ring of taps is zero (20 of the 36).

# %% slideshow={"slide_type": "-"}
back = subpixel(w6, input_size=(5, 5), stride=2, padding=2)
print("subpixel(w6) == v6:", torch.equal(back.weight, v6), "| padding", back.pad_before)
w_k4 = transposed.weight.detach()
print("kernel_size=4, padding=1 == its weight padded to 6x6, padding=2:",
      torch.allclose(F.conv_transpose2d(x, w_k4, stride=2, padding=1),
                     F.conv_transpose2d(x, F.pad(w_k4, (1, 1, 1, 1)), stride=2, padding=2)))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Resize, then convolve: a transposed convolution with a balanced kernel
#
# Resize-convolution enlarges with `F.interpolate(mode="nearest")` and then applies an ordinary
# 3x3 convolution. Nearest-neighbour resizing is itself a transposed convolution (a kernel of ones,
# `stride=s`), so the two steps are one transposed convolution. Its kernel is the 3x3 one flipped
# and swapped as in chapter 04, then summed over s shifts in each direction, two lines of PyTorch
# for s = 2 (`convlib.upsample.resize_conv_weight` does it for any s):

# %% slideshow={"slide_type": "-"}
v = torch.arange(1.0, 10.0).view(1, 1, 3, 3)              # the Conv2d(padding=1) weight
flipped = v.flip(-1, -2).transpose(0, 1)                 # flip and swap (chapter 04)
w4 = sum(F.pad(flipped, (b, 1 - b, a, 1 - a)) for a in (0, 1) for b in (0, 1))  # 2x2 shifts
assert torch.equal(w4, resize_conv_weight(v, stride=2))
resize_conv = F.conv2d(F.interpolate(small, scale_factor=2, mode="nearest"), v, padding=1)
as_transposed = F.conv_transpose2d(small, w4, stride=2, padding=1)
print(w4[0, 0].int())
print("equal everywhere, border included:", torch.allclose(resize_conv, as_transposed))

# %% [markdown] slideshow={"slide_type": "-"}
# Chapter 08 calls a kernel *balanced* when each output phase's taps add up to the same total.
# This one is balanced by construction: every phase receives each of the 9 weights once.

# %% slideshow={"slide_type": "-"}
phase_sums = [int(w4[0, 0, a::2, b::2].sum()) for a in (0, 1) for b in (0, 1)]
print("phase sums:", phase_sums, " sum of the 3x3 kernel:", int(v.sum()))

# %% [markdown] slideshow={"slide_type": "-"}
# So resize-convolution is exactly a `kernel_size=4, stride=2, padding=1` transposed convolution
# with a balanced kernel, but not every balanced kernel: its 9 weights reach a 9-dimensional set
# of 4x4 kernels, while the balanced 4x4 kernels (16 taps, 3 equations: the four phase sums equal)
# form a 13-dimensional one. In 1-D the two coincide (3 weights, 4 taps less 1 equation):

# %% slideshow={"slide_type": "-"}
def dimension(kernels):
    """The dimension of the set of kernels spanned by the rows of `kernels` (flattened)."""
    return int(np.linalg.matrix_rank(np.stack([k.ravel() for k in kernels])))


def balanced_dimension(k, dims):
    """Taps less the independent equations 'every phase sums to the same as phase 0', stride 2."""
    phase = sum(index % 2 * 2 ** axis for axis, index in enumerate(np.indices((k,) * dims)))
    rows = [(phase == r).ravel() * 1.0 - (phase == 0).ravel() for r in range(1, 2 ** dims)]
    return k ** dims - int(np.linalg.matrix_rank(np.stack(rows)))


for dims in (1, 2):
    basis = torch.eye(3 ** dims, dtype=torch.float64).reshape(-1, 1, 1, *(3,) * dims)
    reached = [resize_conv_weight(v, stride=2).numpy() for v in basis]
    print(f"{dims}-D: resize-then-convolve reaches {dimension(reached)} dimensions, "
          f"the balanced kernels form {balanced_dimension(4, dims)}")
    assert dimension(reached) == 3 ** dims
    assert balanced_dimension(4, dims) == 4 ** dims - (2 ** dims - 1)

# %% [markdown] slideshow={"slide_type": "-"}
# What the restriction guarantees is precise: a constant input gives a constant output away from
# the border, whatever the 3x3 weights. It does not make every pattern impossible: the phases
# still use different weights.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check

# %% slideshow={"slide_type": "-"}
for s in range(1, 33):
    params = exact_upsampling(s)
    assert params["kernel_size"] - 2 * params["padding"] == s
    size = convlib.conv_transpose_output_size(7, params["kernel_size"], s, params["padding"])
    assert size == 7 * s
assert tuple(big.shape[-2:]) == (576, 512) and inside(big - bilinear, 32).abs().max() < 1e-5
assert inside(rule - reference, 3).abs().max() < 1e-5 < inside(tempting - reference, 3).abs().max()
assert all(tuple(e.shape[-2:]) == (600 // s * s, 512 // s * s) for e, s in zip(enlarged, factors))
assert torch.allclose(inside(results["groups=3"], 4), inside(interpolated, 4), atol=1e-5)
assert torch.allclose(results["groups=3"], results["diagonal"], atol=1e-6)
assert not torch.allclose(inside(results["every entry"], 4), inside(interpolated, 4), atol=0.1)
assert torch.allclose(sub_pixel, transposed(x).detach())
assert torch.allclose(sub_pixel6, F.conv_transpose2d(x, w6, stride=2, padding=2))   # both ways
assert torch.equal(back.weight, v6) and back.pad_before == (1, 1)
assert torch.allclose(resize_conv, as_transposed) and len(set(phase_sums)) == 1
print("all checks passed")

# %% [markdown] slideshow={"slide_type": "subslide"}
# convlib's four methods, and its sub-pixel method `conv_transpose_subpixel`, give PyTorch's
# result for the x3 rule (integer input, so exactly) and for the random 2-to-3-channel layer:

# %% slideshow={"slide_type": "-"}
from convlib.upsample import conv_transpose_subpixel

ramp = torch.arange(1.0, 13.0).view(1, 1, 3, 4)
comparison = convlib.compare(ramp, torch.ones(1, 1, 5, 5), stride=3, padding=1)
assert comparison.agree
print(comparison.summary)
assert torch.equal(conv_transpose_subpixel(ramp, torch.ones(1, 1, 5, 5), stride=3, padding=1),
                   F.conv_transpose2d(ramp, torch.ones(1, 1, 5, 5), stride=3, padding=1))
assert torch.allclose(conv_transpose_subpixel(x, transposed.weight, stride=2, padding=1),
                      transposed(x).detach())
assert convlib.compare(x, transposed.weight.detach(), stride=2, padding=1).agree

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - Exact factor s: `kernel_size - 2*padding = s` gives the size s*i and centres the tent where
#   interpolation reads. Even s: `kernel_size=2s, padding=s/2`; odd s: `kernel_size=2s-1,
#   padding=(s-1)/2` (`convlib.upsample.exact_upsampling`). With `bilinear_kernel(kernel_size, s)`
#   it is `F.interpolate(mode="bilinear")` inside an s-pixel border, for x2 to x32.
# - Many channels: the tent from each channel to itself only, with `groups=C` (weight
#   (C, 1, k, k)) or a diagonal (C, C, k, k) weight; filling every entry mixes the channels.
# - Sub-pixel convolution (stride-1 convolution, then `nn.PixelShuffle(s)`) and transposed
#   convolution are the same operation with the weight rearranged phase by phase, in both
#   directions (`convlib.upsample.subpixel`, `transposed_from_subpixel`): `kernel_size=4, stride=2,
#   padding=1` is a 3x3 sub-pixel layer with 16 of its 36 weights free, and a free 3x3 sub-pixel
#   layer is `kernel_size=6, stride=2, padding=2`.
# - Resize-then-convolve is a transposed convolution too, with a balanced kernel
#   (`convlib.upsample.resize_conv_weight`): constant in, constant out.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("10.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** Which `kernel_size` and `padding` make a stride-12 transposed convolution with a tent
# kernel exact x12 bilinear upsampling? Give a tuple (kernel_size, padding).

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("10.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** The same question for x9.

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("10.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** A 16-channel bilinear x3 layer is built with `groups=16`. What is the shape of its weight?

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("10.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4.** In the sub-pixel form each phase uses only some of the taps. For `kernel_size=5,
# stride=2, padding=1`, how many taps along one axis does phase 0 use, and how many phase 1?
# Phase r as above and in the phases explorer: the outputs o with (o + padding) mod stride = r.
# Give a list [phase 0, phase 1]. (Work it out from $w[s\,t + r]$, or count in the explorer.)

# %% slideshow={"slide_type": "-"}
answer_4 = None  # replace None with your answer
grade("10.4", answer_4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **5. Implement it.** Write `pixel_shuffle_1d(z, s)` with NumPy: `z` has shape `(C * s, q)` and
# the result has shape `(C, q * s)`, with `out[c, s*j + r] = z[c*s + r, j]`, the one-dimensional
# `nn.PixelShuffle`. `grade_function` compares it with `convlib.upsample.pixel_shuffle` on
# several random cases, smallest first, and shows the first case it gets wrong with the output it
# should give.

# %% slideshow={"slide_type": "-"}
def pixel_shuffle_1d(z, s):
    return None  # replace with your code


grade_function("10.5", pixel_shuffle_1d)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 09_output_size](09_output_size.ipynb) | [contents](00_index.ipynb) | [11_checkerboards_in_training >](11_checkerboards_in_training.ipynb)

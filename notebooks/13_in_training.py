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
# # In training: the border, the first step, the cost
#
# **Question:** My bilinear x2 layer `nn.ConvTranspose2d(C, C, 4, stride=2, padding=1, groups=C)` darkens the border (edges x0.75, corners x0.5625) and `padding_mode="replicate"` is refused, so how do I match `F.interpolate` exactly; why does `nn.ConvTranspose2d(512, 256, 4, stride=2, padding=1)` start with an output std of 0.40 where `nn.Conv2d(512, 256, 3, padding=1)` gives 0.57, and a `kernel_size=3, stride=2, padding=1, output_padding=1` layer 0.27, 0.38 and 0.54 by phase; and why does the layer cost 1.07 G multiply-adds when its zero-insertion view costs 4.29 G, and what does PyTorch run instead?
#
# What you will learn:
# - the exact `F.interpolate(mode="bilinear", align_corners=False)`, border included: copy the
#   edge once (`F.pad(mode="replicate")`), then the tent with `padding = s/2 + s` (even s) or
#   `(s-1)/2 + s` (odd s); and why `align_corners=True` is a transposed convolution only at the
#   size `s(i-1) + 1` (`convlib.upsample.interpolate`);
# - why PyTorch's default initialisation gives a transposed convolution a smaller output, and a
#   `kernel_size=3, stride=2` layer a checkerboard in its variance before any training
#   (`convlib.initialisation`), with chapter 08's tap counts as its variance map; and the starts
#   without one: a variance-correct init, ICNR, bilinear and nearest;
# - what each view of the same layer costs (`convlib.cost`), what PyTorch runs on the CPU, and a
#   fourth method that computes only what is needed: one ordinary convolution per output phase
#   (`convlib.conv_transpose_phases`, and its explorer), with its measured speed.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 12_frameworks](12_frameworks.ipynb) | [contents](00_index.ipynb) | [14_design >](14_design.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# Chapters [08](08_in_practice.ipynb) and [10](10_upsampling.ipynb) build exact upsamplers and
# explain checkerboards. A learner who puts them into a model on the first day of training
# meets three more things: the upsampled picture has a dark frame, the decoder's activations
# shrink at every transposed layer right from initialisation (and one layer's output is already
# a checkerboard), and the transposed layer is much faster in PyTorch than the recipe "insert
# zeros, then convolve" suggests. We reproduce each with the learner's numbers, explain it, fix
# it, and end with a fourth way to compute a transposed convolution, the one fast libraries use.
#
# The three parts stand alone. Parts 1 (the border) and 2 (the first step) build on chapters 08,
# 10 and 11; part 3 (the cost, what PyTorch runs, the fourth method) also on chapters 03 and 04,
# and is the steepest: it can wait for a second reading.

# %% slideshow={"slide_type": "-"}
import inspect
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import convlib
from convlib import cost, initialisation, timings
from convlib.checkerboard import checkerboard, phase_means
from convlib.phases import phases
from convlib.upsample import bilinear_kernel, interpolate, interpolation, sample_picture
from convlib.explorers import phases_explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. The border
#
# ### Reproduce it in PyTorch
#
# Three channels of a constant picture, doubled by the bilinear layer of chapter 08 (the tent
# `[0.25, 0.75, 0.75, 0.25]` along each axis, one channel per group):

# %% slideshow={"slide_type": "-"}
tent = torch.from_numpy(bilinear_kernel(4, 2)).float()
up = nn.ConvTranspose2d(3, 3, 4, stride=2, padding=1, groups=3, bias=False)
up.weight.data = tent.expand(3, 1, 4, 4).clone()
with torch.no_grad():
    doubled = up(torch.ones(1, 3, 5, 5))
print("a corner of channel 0:\n", doubled[0, 0, :3, :3].numpy())

# %% [markdown] slideshow={"slide_type": "-"}
# Edges 0.75, corners 0.75 x 0.75 = 0.5625. The fixes a learner tries first are refused:

# %% slideshow={"slide_type": "-"}
try:
    nn.ConvTranspose2d(3, 3, 4, stride=2, padding=1, groups=3, padding_mode="replicate")
except ValueError as error:
    print("padding_mode='replicate':", error)
same = nn.ConvTranspose2d(3, 3, 4, stride=2, padding="same", groups=3)
try:
    same(torch.ones(1, 3, 5, 5))
except TypeError as error:
    print("padding='same' constructs, then at forward:", str(error)[:60], "...")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Explain: where interpolation reads, and what the layer sees there
#
# `F.interpolate(x, scale_factor=s, mode="bilinear", align_corners=False)` gives output pixel j
# the input read at position u = (j + 1/2)/s - 1/2 (pixel centres line up), interpolating
# between the two inputs around u. Near the edge u falls outside the input: u < 0 for the first
# floor(s/2) outputs (u < 0 means j < (s - 1)/2). PyTorch clamps it, so those outputs repeat the
# edge pixel. The transposed convolution reads the same tent there, but one of its two taps lands
# on a zero, hence 0.75.

# %% slideshow={"slide_type": "-"}
for s in [2, 3, 4, 5, 8]:
    outside = [j for j in range(s * 5) if (j + 0.5) / s - 0.5 < 0]
    print(f"x{s}: u < 0 for outputs {outside}, floor(s/2) = {s // 2} of them")
    assert len(outside) == s // 2

# %% [markdown] slideshow={"slide_type": "-"}
# Copying the edge once on each side (`F.pad(mode="replicate")`) gives the layer what
# interpolation reads: an input i + 2 long whose entries 0 and i + 1 repeat the edges. Reading
# it at u + 1 is interpolation with clamping. The padded input starts one input earlier, s
# outputs earlier, so the layer crops s more on each side: `padding = p + s` with p from chapter
# 10. The size stays s*i, because (i + 1)s - 2(p + s) + k = (i - 1)s - 2p + k.

# %% slideshow={"slide_type": "-"}
for s in [2, 3, 4, 5, 8, 32]:
    print(f"x{s:<2}: copy the edge once, then kernel_size={interpolation(s)['kernel_size']}, "
          f"stride={s}, padding={interpolation(s)['padding']}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The recipe in plain PyTorch, on matplotlib's bundled photograph shrunk to 75x64, x2 and x3
# (an odd factor: tent of 5 taps) and x32, against `F.interpolate`:

# %% slideshow={"slide_type": "-"}
photo = torch.from_numpy(sample_picture(8)).double()[None, None]   # (1, 1, 75, 64)


def interpolate_by_transposed(x, s):
    """F.interpolate(x, scale_factor=s, mode='bilinear'), border included, for C channels."""
    rule = interpolation(s)
    k, c = rule["kernel_size"], x.shape[1]
    w = torch.from_numpy(bilinear_kernel(k, s)).to(x.dtype).expand(c, 1, k, k)
    return F.conv_transpose2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), w, stride=s,
                              padding=rule["padding"], groups=c)


for s in [2, 3, 32]:
    reference = F.interpolate(photo, scale_factor=s, mode="bilinear", align_corners=False)
    k, p = interpolation(s)["kernel_size"], s // 2
    plain = F.conv_transpose2d(photo, torch.from_numpy(bilinear_kernel(k, s))[None, None],
                               stride=s, padding=p)
    fixed = interpolate_by_transposed(photo, s)
    print(f"x{s:<2} max |difference| from F.interpolate: without the pad "
          f"{float((plain - reference).abs().max()):.2f}, with it below 1e-13: "
          f"{float((fixed - reference).abs().max()) < 1e-13}")

# %% [markdown] slideshow={"slide_type": "-"}
# Without the pad the border differs by up to 0.4 (the picture's brightness is in [0, 1]); with
# it the results agree to float64 rounding, below 1e-13. (The rounding error itself depends on
# the order in which your CPU adds, so the book prints only the bound.)
# `convlib.upsample.interpolate(x, s)` computes the same with convlib's own transposed
# convolution, for 1, 2 or 3 spatial axes (`linear`, `bilinear`, `trilinear`), and the tests
# check it against `F.interpolate` for every factor from 2 to 8 and 32, with many channels.

# %% slideshow={"slide_type": "subslide"}
row = 40
edge = {"F.interpolate": F.interpolate(photo, scale_factor=4, mode="bilinear")[0, 0, row, :12],
        "transposed, zero padding": F.conv_transpose2d(
            photo, torch.from_numpy(bilinear_kernel(8, 4))[None, None], stride=4,
            padding=2)[0, 0, row, :12],
        "edge copied, then transposed": interpolate(photo, 4)[0, 0, row, :12]}
figure, axis = plt.subplots(figsize=(7, 3))
for (name, values), style in zip(edge.items(), ["-", "--", ":"]):
    axis.plot(values.numpy(), style, marker="o", label=name, lw=2)
axis.set_xlabel("output column (x4), left edge")
axis.set_ylabel("brightness")
axis.legend()
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### `align_corners=True`
#
# With `align_corners=True` output j reads the input at u = j (i - 1)/(o - 1): the first and
# last pixels line up exactly. A transposed convolution with stride s is shift-equivariant: move
# the input by one and the output moves by s. That holds for this sampling only when s outputs
# advance u by exactly one input, o - 1 = s(i - 1). At that size the layer needs no pad at all
# (u never leaves the input): the tent of `kernel_size=2s-1`, `padding=s-1`. At the usual size s*i
# the step is (i - 1)/(s*i - 1), not 1/s, and no kernel can give it. Moving one impulse along 8
# inputs shows it:

# %% slideshow={"slide_type": "-"}
impulses = torch.eye(8, dtype=torch.float64)[:, None]    # input j: a 1 at position j


def moves_by_s(out, s):
    """Does moving the input's 1 by one place move the output by s places?"""
    return all(torch.allclose(out[j, 0, s:-s], out[j + 1, 0, 2 * s:]) for j in range(6))


for s in [2, 3]:
    usual = F.interpolate(impulses, size=8 * s, mode="linear", align_corners=True)
    aligned = F.interpolate(impulses, size=7 * s + 1, mode="linear", align_corners=True)
    ours = interpolate(impulses, s, align_corners=True)
    print(f"x{s}: size {8 * s} moves by s: {moves_by_s(usual, s)}; size {7 * s + 1} moves by s:"
          f" {moves_by_s(aligned, s)}, equals the transposed convolution:"
          f" {torch.allclose(ours, aligned)}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The first step: initialisation
#
# ### Reproduce it in PyTorch
#
# A unit-variance input through the learner's layers at PyTorch's default initialisation, two
# seeds, the standard deviation of the whole output:

# %% slideshow={"slide_type": "-"}
torch.set_num_threads(1)     # the same sums in the same order on every run


def output_stds(layer, x, border=2):
    """The std of layer(x) over the whole output, and inside a border of that many pixels."""
    with torch.no_grad():
        y = layer(x)
    return y.std().item(), y[..., border:-border, border:-border].std().item()


layers = {"ConvTranspose2d(512, 256, 4, stride=2, padding=1)":
          lambda: nn.ConvTranspose2d(512, 256, 4, stride=2, padding=1),
          "Conv2d(512, 256, 3, padding=1)": lambda: nn.Conv2d(512, 256, 3, padding=1)}
stds = {}
for seed in (0, 1):
    torch.manual_seed(seed)
    x = torch.randn(1, 512, 32, 32)
    for name, make in layers.items():
        whole, interior = output_stds(make(), x)
        stds.setdefault(name, []).append(whole)
        stds.setdefault(name + ", inside", []).append(interior)
for name, values in stds.items():
    print(f"{name:58s} std {values[0]:.3f}, {values[1]:.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Explain: which fan-in PyTorch divides by
#
# Every `nn.ConvNd` and `nn.ConvTransposeNd` runs the same `reset_parameters`:

# %% slideshow={"slide_type": "-"}
source = inspect.getsource(nn.modules.conv._ConvNd.reset_parameters)
print("\n".join(line for line in source.splitlines() if "kaiming_uniform_(self.weight" in line
                or "fan_in, _ =" in line or "bound = 1" in line))
transposed = nn.ConvTranspose2d(512, 256, 4, stride=2, padding=1)
print("ConvTranspose2d weight", tuple(transposed.weight.shape), "-> (fan_in, fan_out) =",
      nn.init._calculate_fan_in_and_fan_out(transposed.weight))

# %% [markdown] slideshow={"slide_type": "-"}
# `kaiming_uniform_(a=sqrt(5))` draws the weights uniformly in +-1/sqrt(fan_in), variance
# 1/(3 fan_in), and `_calculate_fan_in_and_fan_out` reads fan_in as `weight.size(1) * k * k`.
# For a Conv2d that is C_in x 9 = 4608, exactly the products each output sums, so the output
# variance is 4608 / (3 x 4608) = 1/3 (std 0.577). A ConvTranspose2d weight is
# (C_in, C_out, k, k): `size(1)` is C_out, so fan_in = 256 x 16 = 4096, while an output sums
# C_in x (k/s)^2 = 512 x 4 = 2048 products (chapter 11: each phase gets 2 x 2 taps). Variance
# 2048 / (3 x 4096) = 1/6, std 0.408. These are the values away from the border: the measured
# stds inside a 2-pixel border, 0.41 and 0.58, are the formulas'; the whole outputs' 0.40 and
# 0.57, the learner's, are a little lower because the outer rows and columns sum fewer products.
# The formula `convlib.initialisation.phase_variances` gives it per phase:

# %% slideshow={"slide_type": "-"}
def formula_stds(c_in, c_out, k, **params):
    setup = convlib.validate((1, c_in, 32, 32), (c_in, c_out, k, k), **params)
    variances = initialisation.pytorch_default_variances((c_in, c_out, k, k))
    return np.sqrt(initialisation.phase_variances(setup, *variances))


print("kernel_size=4, stride=2, padding=1:", formula_stds(512, 256, 4, stride=2, padding=1)
      .round(3).tolist())
print("Conv2d(512, 256, 3):", round(float(np.sqrt(512 * 9 / (3 * 4608) + 1 / (3 * 4608))), 3))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A checkerboard before the first step
#
# With `kernel_size=3, stride=2, padding=1, output_padding=1` the outputs at (even, even),
# (even, odd), (odd, even) and (odd, odd) positions receive 1, 2, 2 and 4 taps (chapter 11), so
# the variances of these four phases start in the ratio 1 : 2 : 2 : 4. Measured inside an
# 8-pixel border (the outer rows get fewer taps), against the formula (each 2x2 list is indexed
# by output position, [row mod 2][column mod 2], even first):

# %% slideshow={"slide_type": "-"}
torch.manual_seed(0)
x = torch.randn(1, 512, 32, 32)
k3 = nn.ConvTranspose2d(512, 256, 3, stride=2, padding=1, output_padding=1)
with torch.no_grad():
    y3 = k3(x)
inner = y3[..., 8:-8, 8:-8]
measured = [[inner[..., a::2, b::2].std().item() for b in (0, 1)] for a in (0, 1)]
print("taps per phase:", initialisation.taps_per_phase(
    convlib.validate(x.shape, k3.weight.shape, stride=2, padding=1, output_padding=1)).tolist())
print("std by phase, measured:", np.round(measured, 3).tolist())
print("std by phase, formula: ", formula_stds(512, 256, 3, stride=2, padding=1,
                                              output_padding=1).round(3).tolist())
print("whole output, border included:",
      [round(y3[..., a::2, b::2].std().item(), 3) for a in (0, 1) for b in (0, 1)])

# %% [markdown] slideshow={"slide_type": "-"}
# Over the whole output (border included) the learner's 0.27, 0.38, 0.38, 0.54 come out, the
# last a little lower because the last row and column of that phase get only 2 taps.
#
# The variance of an output is its tap count times C_in/G Var(w): the tap counts that
# [chapter 08's `overlap_explorer`](08_in_practice.ipynb) draws for this layer are the variance
# map. Moving its `kernel_size` to 4 (every pixel away from the border gets 4) or its `stride` to
# 1 makes the map, so the variance, even.
#
# The pattern is visible in the output's energy, the mean of y squared over the 256 channels:

# %% slideshow={"slide_type": "-"}
energy = (y3[0] ** 2).mean(0)
figure, axes = plt.subplots(1, 2, figsize=(8, 3.6))
axes[0].imshow(energy[20:36, 20:36], cmap="gray")
axes[0].set_title("kernel_size=3: energy per pixel")
axes[1].imshow(np.array(measured) ** 2, cmap="gray", vmin=0)
axes[1].set_title("variance of the 2x2 phases")
for axis in axes:
    axis.axis("off")
plt.show()
print(f"checkerboard of the energy: {100 * checkerboard(y3 ** 2):.0f}%")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Starts without a checkerboard
#
# The fixes used in practice, each measured with the book's checkerboard measure (chapter 11)
# applied to the output's energy (y squared, averaged over the channels), for a flat input (where
# any pattern is wrong) and for a random one:
#
# - **variance-correct**: divide by the products an output really sums, C_in/G x k^2/s^2
#   (`convlib.initialisation.kaiming_transposed_`); this fixes the scale, and with `kernel_size`
#   divisible by the stride every phase then has the same variance;
# - **ICNR** (Aitken et al. 2017, for sub-pixel convolution): draw the Conv weight for C output
#   channels only and repeat each s^2 times (`initialisation.icnr`), so `nn.PixelShuffle` starts
#   by copying each value to s x s pixels;
# - **ICNR for a transposed convolution**: repeat every tap s times along each axis
#   (`initialisation.icnr_transposed`): every phase then uses the same taps;
# - **bilinear** or **nearest** start: the tent (or a 2x2 box) on the channel diagonal, an
#   upsampler to begin with.

# %% slideshow={"slide_type": "-"}
def flat_and_random(layer, channels=64):
    """The checkerboard of the output's energy (y squared, over all channels) for a flat input
    and for a random one."""
    torch.manual_seed(1)
    with torch.no_grad():
        flat = layer(torch.ones(1, channels, 24, 24))
        noise = layer(torch.randn(4, channels, 24, 24))
    return checkerboard(flat ** 2, border=6), checkerboard(noise ** 2, border=6)


def transposed_layer(k, padding, weight=None, output_padding=0):
    layer = nn.ConvTranspose2d(64, 64, k, stride=2, padding=padding,
                               output_padding=output_padding, bias=False)
    if weight is not None:
        layer.weight.data = torch.as_tensor(weight, dtype=torch.float32)
    return layer


torch.manual_seed(0)
small = torch.empty(64, 64, 2, 2)
initialisation.kaiming_transposed_(small, stride=1)   # each output of ICNR's sums 64 x 2 x 2
eye = torch.eye(64)[:, :, None, None]
conv = nn.Conv2d(64, 256, 3, padding=1, bias=False)
conv.weight.data = torch.from_numpy(initialisation.icnr(conv.weight.data[:64].numpy(), 2))
starts = {
    "PyTorch default, kernel_size=3": transposed_layer(3, 1, output_padding=1),
    "PyTorch default, kernel_size=4": transposed_layer(4, 1),
    "variance-correct, kernel_size=4": transposed_layer(
        4, 1, initialisation.kaiming_transposed_(torch.empty(64, 64, 4, 4), stride=2)),
    "ICNR, Conv2d + PixelShuffle": nn.Sequential(conv, nn.PixelShuffle(2)),
    "ICNR, transposed": transposed_layer(4, 1, initialisation.icnr_transposed(small.numpy(), 2)),
    "bilinear": transposed_layer(4, 1, eye * tent),
    "nearest": transposed_layer(2, 0, eye * torch.ones(2, 2)),
}
for name, layer in starts.items():
    flat, noise = flat_and_random(layer)
    with torch.no_grad():
        std = layer(torch.randn(1, 64, 24, 24)).std().item()
    print(f"{name:33s} flat input {100 * flat:5.1f}%, random input {100 * noise:5.1f}%, "
          f"std {std:.2f}")

# %% [markdown] slideshow={"slide_type": "-"}
# The default `kernel_size=3` layer starts with a checkerboard in both measures. The default
# `kernel_size=4` layer has none in the energy of a random input (what is left is sampling
# noise), but its four phases sum different random taps, so a flat input already comes out as a
# checkerboard. ICNR (both forms), bilinear and nearest start with none, by construction: every
# phase uses the same numbers. The variance-correct init gives about the input's std instead of
# 0.28 but, being random, keeps the flat-input pattern: combine it with ICNR (as above, where the
# small kernel is drawn with the right fan-in) to have both. (The default's std depends on the
# channels: for a kernel divisible by the stride its variance is C_in / (3 C_out s^2), 1/12
# (std 0.289) away from the border for these bias-free 64 -> 64 layers, 1/6 for the learner's
# 512 -> 256. The table's 0.28 is the whole output, whose border rows get fewer taps.)

# %% slideshow={"slide_type": "-"}
inside_64 = np.sqrt(initialisation.phase_variances(
    convlib.validate((1, 64, 24, 24), (64, 64, 4, 4), stride=2, padding=1),
    initialisation.pytorch_default_variances((64, 64, 4, 4))[0]))   # no bias
print("default kernel_size=4, 64 -> 64, std by phase away from the border:",
      inside_64.round(3).tolist())
assert np.allclose(inside_64, np.sqrt(1 / 12)) and np.isclose(64 / (3 * 64 * 2 ** 2), 1 / 12)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. The cost, and what PyTorch runs
#
# ### Multiply-adds of each view of the same layer
#
# 64 channels, 128x128 -> 256x256, x2. `convlib.cost` counts from the formulas (and the tests
# check each count against PyTorch's own FLOP counter and against enumerating every product):

# %% slideshow={"slide_type": "-"}
views = cost.upsampling_views(channels=64, size=128, factor=2)
for name, macs in views.items():
    print(f"{name:42s} {macs / 1e9:5.2f} G multiply-adds")
setup = convlib.validate((1, 64, 128, 128), (64, 64, 4, 4), stride=2, padding=1)
on_inserted, on_padding = cost.direct_on_zeros(setup)
print(f"the direct view's products on inserted zeros {100 * on_inserted:.1f}%, on padding "
      f"{100 * on_padding:.1f}%, on real inputs {100 * (1 - on_inserted - on_padding):.1f}%")

# %% [markdown] slideshow={"slide_type": "-"}
# The transposed convolution needs one product per input and tap: 64 x 64 x 128^2 x 16 = 1.07 G.
# Chapter 04's direct view convolves the zero-inserted input with the whole kernel at every
# output: 4 times more, three quarters of it on zeros (74.0% on inserted zeros, 1.2% on the
# padding). Resize-then-convolve and sub-pixel convolution, with a 3x3 kernel, cost 2.42 G each:
# 9 taps per output pixel, or 9 taps per input pixel for 4 times the channels.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### What PyTorch runs on the CPU
#
# `F.conv_transpose2d` asks ATen which implementation to call, and PyTorch exposes that choice
# (`torch._C._select_conv_backend`; the names of its answers are in a header installed with
# PyTorch). The choice depends on the dtype, on the sizes and on whether this build of PyTorch has
# oneDNN and it is enabled (`torch.backends.mkldnn`) (for 1x1 kernels also on the number of
# threads), not on the processor. This machine's choice for the chapter's layers:

# %% slideshow={"slide_type": "-"}
header = Path(torch.__file__).parent / "include/ATen/native/ConvUtils.h"
enum = header.read_text().split("enum class ConvBackend {")[1].split("};")[0]
backends = [name.strip() for name in enum.split(",") if name.strip()]


def backend(x_shape, w_shape, dtype, stride=2, padding=1, output_padding=0, groups=1):
    """The name of the ConvBackend PyTorch selects for F.conv_transpose2d with these arguments."""
    x, w = torch.zeros(x_shape, dtype=dtype), torch.zeros(w_shape, dtype=dtype)
    chosen = torch._C._select_conv_backend(x, w, None, [stride] * 2, [padding] * 2, [1, 1], True,
                                           [output_padding] * 2, groups, None)
    return backends[chosen.value]


layers_run = {"the 2-D target, 8x64x32x32, kernel 4x4": ((8, 64, 32, 32), (64, 64, 4, 4), {}),
              "chapter 03's 1x1x4x4, kernel 4x4": ((1, 1, 4, 4), (1, 1, 4, 4), {}),
              "chapter 01's 1x1x2x2, kernel 3x3": ((1, 1, 2, 2), (1, 1, 3, 3), {}),
              "the teaching size, 1x3x16x16, kernel 3x3": ((1, 3, 16, 16), (3, 8, 3, 3),
                                                           dict(output_padding=1))}
onednn = torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled
print("oneDNN in this build and enabled:", onednn)
for name, (x_shape, w_shape, params) in layers_run.items():
    print(f"{name:40s} float32 -> {backend(x_shape, w_shape, torch.float32, **params):16s}"
          f" float64 -> {backend(x_shape, w_shape, torch.float64, **params)}")
few = ((1, 1, 4, 4), (1, 1, 3, 3), {})                        # none of the four: slow
larger = {"more than one image": ((2, 1, 4, 4), (1, 1, 3, 3), {}),
          "groups > 1": ((1, 2, 4, 4), (2, 1, 3, 3), dict(groups=2)),
          "kernel 4x4": ((1, 1, 4, 4), (1, 1, 4, 4), {}),
          "21504 input numbers": ((1, 21, 32, 32), (21, 3, 3, 3), {})}
not_larger = {"kernel 4x3": ((1, 1, 4, 4), (1, 1, 4, 3), {}),
              "20480 input numbers": ((1, 20, 32, 32), (20, 3, 3, 3), {})}
for x_shape, w_shape, params in [few, *not_larger.values()]:
    assert backend(x_shape, w_shape, torch.float32, **params) == "SlowTranspose2d"
for x_shape, w_shape, params in larger.values():
    assert backend(x_shape, w_shape, torch.float32, **params) == (
        "MkldnnTranspose" if onednn else "SlowTranspose2d")

# %% [markdown] slideshow={"slide_type": "-"}
# - **`MkldnnTranspose`**, oneDNN's deconvolution, for float32 when oneDNN is there and the call
#   is large enough to pay for oneDNN's set-up (PyTorch's rule: more than one image, or
#   `groups` > 1, or a kernel larger than 3 along both axes, or more than 20480 input numbers,
#   asserted above): the target
#   layer, and even chapter 03's one small image, for its 4x4 kernel. oneDNN computes a strided
#   transposed convolution as the backward-data pass of a convolution, phase by phase: the
#   output split into its stride phases, each a small matrix product per block of channels, with
#   no inserted zeros. That is the fourth method below.
# - **`SlowTranspose2d`** for float64, and for the small float32 calls (chapter 01's layer, the
#   benchmark's teaching size): per image one matrix product, the input (C_in, H*W) against the
#   weight into columns (C_out*k*k, H*W), then `col2im` adds the columns into the output. That
#   is chapter 03's scatter-add: products first, overlapping adds after.
#
# Inside oneDNN the code that runs *does* depend on the processor: oneDNN picks one
# implementation per instruction set (AVX2, AVX-512, ...). It names it when `ONEDNN_VERBOSE=1`
# (in a fresh process, since the setting is read once). Printed here are only the kinds of
# primitive it runs and the deconvolution's algorithm, which name no processor:

# %% slideshow={"slide_type": "-"}
script = ("import torch, torch.nn.functional as F\n"
          "F.conv_transpose2d(torch.randn(8, 64, 32, 32), torch.randn(64, 64, 4, 4), stride=2,"
          " padding=1)")
verbose = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env={"ONEDNN_VERBOSE": "1", "PATH": ""}).stdout
executed = [line.split(",") for line in verbose.splitlines() if ",exec," in line]
deconvolutions = [fields for fields in executed if fields[5] == "deconvolution"]
print("primitives run:", sorted({fields[5] for fields in executed}))
print("the deconvolution's algorithm:", [f for f in deconvolutions[0] if f.startswith("alg:")])
assert len(deconvolutions) == 1

# %% [markdown] slideshow={"slide_type": "-"}
# PyTorch reorders the input (to channels-last) and the weight into oneDNN's layouts, runs one
# deconvolution primitive, and reorders the result back. The implementation's name is the
# verbose line's seventh field (`deconvolutions[0][6]`): on an Intel machine with AVX-512, for
# example, `brg_deconv:avx512_core+brgconv_strided:avx512_core`; on an AMD one with AVX2,
# `brg_deconv:avx2+brgconv_strided:avx2`.

# %% [markdown] slideshow={"slide_type": "skip"}
# *Aside, for the curious: where this is in the source.* `select_conv_backend` is in ATen's
# `aten/src/ATen/native/Convolution.cpp`. `MkldnnTranspose` runs `_mkldnn_convolution_transpose`
# (`aten/src/ATen/native/mkldnn/Conv.cpp`), which calls ideep's `convolution_transpose_forward`,
# a `dnnl::deconvolution_forward` primitive. oneDNN's `src/cpu/x64/jit_brgemm_deconv.cpp` says
# "the strided deconvolution is implemented via a backward-by-data convolution with
# spatially-inverted weights", and `jit_brgemm_conv_bwd_strided.cpp` loops over the stride
# phases (`for (int sw = 0; sw < SW; sw++)`). `SlowTranspose2d` is `slow_conv_transpose2d`
# (`aten/src/ATen/native/NaiveConvolutionTranspose2d.cpp`).

# %% [markdown] slideshow={"slide_type": "slide"}
# ### The fourth method: one ordinary convolution per phase
#
# Write output o as canvas position o + p = s*m + r: its phase r and cell m (chapter 03's canvas).
# Tap k of input i lands there when s*i + d*k = s*m + r, so only the taps with d*k mod s = r
# reach phase r, and tap k reads input m - (d*k) // s:
#
# $$\text{out}[s m + r - p] = \sum_{k:\ d k \equiv r \ (\mathrm{mod}\ s)} x\big[m - \lfloor d k / s\rfloor\big]\, w[k]$$
#
# For every phase that is an ordinary stride-1 convolution of x with the taps that land on it.
# Chapter 03's example, ones into the kernel 1..16 with `stride=2, padding=1`:

# %% slideshow={"slide_type": "-"}
x8, w8 = torch.ones(1, 1, 4, 4), torch.arange(1.0, 17.0).reshape(1, 1, 4, 4)
out8 = F.conv_transpose2d(x8, w8, stride=2, padding=1)
plan, no_taps = phases(convlib.validate(x8.shape, w8.shape, stride=2, padding=1))
for phase in sorted(plan, key=lambda phase: [o.start for o in phase.outputs]):
    rows, cols = phase.taps
    print(f"outputs {phase.where[0].start}::2, {phase.where[1].start}::2 get rows "
          f"{list(rows)}, columns {list(cols)} of the kernel:",
          w8[0, 0][list(rows)][:, list(cols)].int().tolist())
print("out[0, 0] =", out8[0, 0, 0, 0].item(), "= 1 * w[1, 1]; out[0, 1] =",
      out8[0, 0, 0, 1].item(), "= 1 * w[1, 0] + 1 * w[1, 2]")

# %% [markdown] slideshow={"slide_type": "-"}
# Each phase here uses 2 x 2 of the 16 taps: 4 products per output, no zero multiplied, no
# output written twice. With dilation the taps of a phase are s/g apart and read d/g inputs apart
# (g = gcd(s, d)); a phase that no tap reaches (when d and s share a factor) is zero.
# Sub-pixel convolution (chapter 10) is the same split with the phases stacked as channels.
# A picture of the split for `kernel_size=4, stride=2`: each output pixel's colour is its phase,
# and the kernel's taps have the colour of the phase they serve:

# %% slideshow={"slide_type": "subslide"}
output_phase = (np.arange(8) + 1) % 2    # (o + p) mod s, p = 1
tap_phase = np.arange(4) % 2             # d*k mod s, d = 1
colour = 2 * output_phase[:, None] + output_phase[None, :]
taps = 2 * tap_phase[:, None] + tap_phase[None, :]
figure, axes = plt.subplots(1, 2, figsize=(8, 3.6), gridspec_kw={"width_ratios": [2, 1]})
axes[0].imshow(colour, cmap="tab10", vmin=0, vmax=9)
axes[0].set_title("output, by phase (o + p) mod 2")
axes[1].imshow(taps, cmap="tab10", vmin=0, vmax=9)
axes[1].set_title("kernel taps, by the phase they reach")
for (i, j), v in np.ndenumerate(w8[0, 0].int().numpy()):
    axes[1].text(j, i, v, ha="center", va="center", color="white", fontsize=12)
for axis in axes:
    axis.set_xticks([])
    axis.set_yticks([])
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Step through the phases of the same example with `phase`; change `stride`, `padding` or
# `dilation` and watch which taps each phase gets (with `dilation=2, stride=2` three of the four
# phases get none, whatever the padding; in 1-D, half):

# %% slideshow={"slide_type": "-"}
for dims in (1, 2):
    for p in (0, 1, 2):
        with_taps, without = phases(convlib.validate((1, 1) + (4,) * dims, (1, 1) + (4,) * dims,
                                                     stride=2, padding=p, dilation=2))
        assert (len(with_taps), len(without)) == ((1, 1) if dims == 1 else (1, 3)), (dims, p)
phases_explorer(input=np.ones((4, 4)), weight=np.arange(1, 17).reshape(4, 4), stride=2,
                padding=1, phase=3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# `convlib.conv_transpose_phases` does this for every parameter (groups, dilation, output_padding,
# padding larger than the kernel, 1-D to 3-D), with the same signature and the same single
# validation as the other three methods, and joins them in every agreement line. (On these random
# float64 numbers the arithmetic is not exact: the line gives the bound the differences stay
# below, not the rounding error itself, which depends on the order in which your CPU adds.)

# %% slideshow={"slide_type": "-"}
generator = torch.Generator().manual_seed(0)
checks = [dict(stride=2, padding=1, output_padding=1, groups=2, dilation=2),
          dict(stride=3, padding=4, output_padding=1, dilation=2),
          dict(stride=2, padding=5, dilation=4, output_padding=3)]
for params in checks:
    x = torch.randn(2, 4, 5, 6, generator=generator, dtype=torch.float64)
    w = torch.randn(4, 6 // params.get("groups", 1), 3, 2, generator=generator,
                    dtype=torch.float64)
    print(params, "->", convlib.compare(x, w, **params).summary)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### How fast: the four methods against PyTorch
#
# `benchmarks/bench_conv.py` (in the repository) times each method against a warmed-up PyTorch,
# in blocks that interleave them, with glibc's heap kept warm for PyTorch, and saves the run. The
# numbers below are printed from the saved run, which ships with convlib
# (`convlib/data/bench_conv.json`, read by `timings.saved_run()`), so they do not change when the
# chapter is run again; in the repository, `python benchmarks/bench_conv.py` measures your own
# machine (its `--save` would replace the shipped run). This run started
# on a quiet shared 2-core machine (the load before and after it is printed). The best call of
# each method, and so the ratio, is what to read.

# %% slideshow={"slide_type": "-"}
run = timings.saved_run()
print(f"saved run of {run['date']}: torch {run['torch']}, numpy {run['numpy']}, "
      f"{run['threads']} threads, load {run['load_before'][0]:.1f} before, "
      f"{run['load_after'][0]:.1f} after")
print("a plain float32 matrix product: " + ", ".join(
    f"{name} {gflops:.0f} GFLOP/s" for name, gflops in run["matmul_gflops"].items()))
target = run["cases"]["2-D target"]
print(f"\n2-D target, input 8x64x32x32, weight 64x64x4x4, stride 2, padding 1:")
for method, r in target.items():
    print(f"  {method:12s} {r['ms']:6.2f} ms  {r['ratio']:4.2f}x PyTorch  "
          f"{r['gflops']:5.0f} GFLOP/s  (each round's best: {r['ms']:.2f} to {r['slowest_ms']:.2f} ms)")
product_ms = 2 * target["phases"]["multiply_adds"] / run["matmul_gflops"]["NumPy"] / 1e6
print(f"  (NumPy's product alone, at the rate above: {product_ms:.2f} ms)")
try:
    convlib.conv_transpose_matrix(np.zeros((1, 64, 32, 32), np.float32),
                                  np.zeros((64, 64, 4, 4), np.float32), stride=2, padding=1)
except ValueError as error:
    print("  matrix: refused,", str(error).split(" (about")[0])
rows, columns = convlib.validate((8, 64, 32, 32), (64, 64, 4, 4), stride=2,
                                 padding=1).matrix_shape
print(f"  (C has {rows} x {columns} = {rows * columns:.2e} entries, almost all of them zero)")
teaching = run["cases"]["2-D teaching size"]
print("on the teaching size 1x3x16x16, kernel_size=3, stride=2, padding=1, output_padding=1:",
      ", ".join(f"{method} {r['ratio']:.1f}x" for method, r in teaching.items()
                if method != "PyTorch"))

# %% [markdown] slideshow={"slide_type": "-"}
# Scatter-add does the same products as the phases method, then adds them into overlapping
# places (memory-bound, one core); the direct method multiplies four times as many numbers. The
# phases method spends most of its time in NumPy's matrix product (compare the product alone,
# printed above) and the rest writing each phase's result into every s-th output, a step oneDNN
# does inside its kernel. It builds no im2col matrix: the input is laid out once, channels last,
# so that every tap's inputs, for every cell of every phase, are one block of consecutive rows,
# and each tap is one product for all the phases, added in place (`convlib/phases.py` explains
# the layout). On a tiny layer every method is slower than PyTorch by its Python overhead: the
# phases method, which plans its layout on every call, about 10 times, and the matrix method,
# which builds the whole matrix C, most.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# The chapter's claims, asserted:

# %% slideshow={"slide_type": "-"}
assert torch.allclose(doubled[0, 0, 0, 0], torch.tensor(0.5625))
for s in [2, 3, 4, 5, 6, 7, 8, 32]:
    small_photo = photo[..., :6, :5]
    reference = F.interpolate(small_photo, scale_factor=s, mode="bilinear", align_corners=False)
    assert (interpolate_by_transposed(small_photo, s) - reference).abs().max() < 1e-12
    assert (interpolate(small_photo, s) - reference).abs().max() < 1e-12
assert all(0.39 < v < 0.42 for v in stds["ConvTranspose2d(512, 256, 4, stride=2, padding=1)"])
assert all(0.55 < v < 0.58 for v in stds["Conv2d(512, 256, 3, padding=1)"])
assert all(abs(v - 1 / 6 ** 0.5) < 0.01
           for v in stds["ConvTranspose2d(512, 256, 4, stride=2, padding=1), inside"])
assert all(abs(v - 1 / 3 ** 0.5) < 0.01 for v in stds["Conv2d(512, 256, 3, padding=1), inside"])
np.testing.assert_allclose(measured, formula_stds(512, 256, 3, stride=2, padding=1,
                                                  output_padding=1), rtol=0.02)
assert checkerboard(y3 ** 2) > 1
for name in ["ICNR, Conv2d + PixelShuffle", "ICNR, transposed", "bilinear", "nearest"]:
    assert max(flat_and_random(starts[name])) < 0.05, name
assert round(views["ConvTranspose2d(k=4, s=2, p=1)"] / 1e9, 2) == 1.07
assert round(views["zero insertion + direct convolution"] / 1e9, 2) == 4.29
assert round(views["nearest resize + Conv2d(3x3)"] / 1e9, 2) == 2.42
assert run["cases"]["2-D target"]["phases"]["ratio"] <= 1.3
assert max(teaching, key=lambda method: teaching[method]["ratio"]) == "matrix"
for x_shape, w_shape, params in layers_run.values():
    assert backend(x_shape, w_shape, torch.float64, **params) == "SlowTranspose2d"
assert backend((8, 64, 32, 32), (64, 64, 4, 4), torch.float32) == (
    "MkldnnTranspose" if onednn else "SlowTranspose2d")
assert backend((1, 3, 16, 16), (3, 8, 3, 3), torch.float32, output_padding=1) == "SlowTranspose2d"
assert backend((1, 1, 2, 2), (1, 1, 3, 3), torch.float32) == "SlowTranspose2d"
assert backend((1, 1, 4, 4), (1, 1, 4, 4), torch.float32) == (
    "MkldnnTranspose" if onednn else "SlowTranspose2d")
assert 5 < teaching["phases"]["ratio"] < 20
assert all(convlib.compare(torch.randn(2, 4, 5, 6, dtype=torch.float64),
                           torch.randn(4, 3, 3, 2, dtype=torch.float64), **params).agree
           for params in [dict(stride=2, padding=1, output_padding=1, groups=2, dilation=2)])
print("interpolation equal to F.interpolate up to rounding for x2..x8 and x32; init stds and "
      "phase variances as the formulas say; the checkerboard-free starts are flat; the costs; "
      "the backends PyTorch selects; PyTorch = phases")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - **The border.** `F.interpolate(mode="bilinear", align_corners=False)` clamps its reads to the
#   picture; a transposed convolution sees zeros there. Copy the edge once
#   (`F.pad(x, (1, 1, 1, 1), mode="replicate")`), then use the tent with `padding = p + s`
#   (`kernel_size=2s, padding=3s/2` for even s; `2s-1, (3s-1)/2` for odd s): equal everywhere.
#   `align_corners=True` is a transposed convolution only at the size s(i-1)+1
#   (`kernel_size=2s-1, padding=s-1`, no pad); at s*i its step is not 1/s, and no kernel gives it.
# - **The first step.** PyTorch takes fan_in from `weight.size(1) * k * k`, which for a
#   transposed weight is C_out k^2, while an output sums C_in (k/s)^2 products: 1/6 instead of 1/3
#   for the 512 -> 256 layer (std 0.41 vs 0.58 away from the border, 0.40 vs 0.57 over the whole
#   32x32 output). Each phase's variance is C_in/G x taps(phase) x Var(w) + Var(b), so
#   `kernel_size=3, stride=2` starts as a checkerboard (1 : 2 : 2 : 4). ICNR, its transposed
#   form, bilinear and nearest starts have none.
# - **The cost.** 1.07 G multiply-adds for the layer, 4.29 G for its zero-insertion view (three
#   quarters on zeros), 2.42 G for resize-convolution or sub-pixel convolution with 3x3 kernels.
#   On the CPU PyTorch runs oneDNN's deconvolution (a strided backward-data convolution, phase
#   by phase) for float32 calls with more than one image, `groups` > 1, a kernel larger than 3
#   along both axes or more than 20480 input numbers, when its build has oneDNN; for float64
#   and the other float32 calls, one matrix product and col2im (chapter 03's scatter-add). The
#   choice depends on the dtype and the sizes; which oneDNN code runs, on the processor.
#   `convlib.conv_transpose_phases` computes one ordinary convolution per output phase: only the
#   needed products, each output written once, within 1.3x of PyTorch's time on the 2-D target
#   in the saved run.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("13.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** You copy the edge once, then enlarge 7 times with a tent. Which `kernel_size` and
# `padding` make the result equal to `F.interpolate(scale_factor=7, mode="bilinear")` everywhere?
# Give a tuple `(kernel_size, padding)`.

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("13.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** For `nn.ConvTranspose2d(128, 64, 6, stride=3)`, which fan_in does PyTorch's default
# initialisation divide by, and how many products does one output really sum (away from the
# border)? Give a tuple `(pytorch_fan_in, products)`.

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("13.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** How many multiply-adds does the zero-insertion direct view of
# `nn.ConvTranspose1d(8, 8, 4, stride=2, padding=1)` take on one input of length 10?

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("13.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4. Implement it.** Write `phases_1d(x, w, s)`: the transposed convolution of a 1-D NumPy
# array `x` with a kernel `w` and stride `s` (one channel, no padding), phase by phase: the
# output has `(len(x) - 1) * s + len(w)` entries, and `out[s*m + r]` is the sum of
# `x[m - t] * w[s*t + r]` over every t that keeps both indices inside their arrays.
# `grade_function` compares it with `convlib.conv_transpose_phases` on several random cases,
# smallest first, and shows the first case it gets wrong with the output it should give.

# %% slideshow={"slide_type": "-"}
def phases_1d(x, w, s):
    return None  # replace with your code


grade_function("13.4", phases_1d)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 12_frameworks](12_frameworks.ipynb) | [contents](00_index.ipynb) | [14_design >](14_design.ipynb)

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
# # Checkerboards in training: a learned upsampler, and the gradient of a strided convolution
#
# **Question:** When a x2 upsampler `nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=1, output_padding=1)` is trained on a photograph, does a checkerboard appear in what it learns, how large is it, do `kernel_size=4` and resize-then-convolve avoid it, and why does the gradient of a strided convolution show the same pattern?
#
# What you will learn:
# - a simple measure of the artifact: split the output into its stride phases and compare their
#   mean brightness (`convlib.checkerboard.checkerboard`);
# - that training a `kernel_size=3, stride=2` layer leaves a checkerboard that ten times more
#   training does not remove, while `kernel_size=4` learns a much weaker one and
#   resize-then-convolve none on a flat input;
# - why: the phases of a `kernel_size=3` layer see different numbers of inputs, and one bias
#   cannot even out their gains;
# - that the gradient of a strided convolution is a transposed convolution, with the same
#   pattern, and what it paints onto a picture optimised by gradient steps.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 10_upsampling](10_upsampling.ipynb) | [contents](00_index.ipynb) | [12_frameworks >](12_frameworks.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# Chapter [08](08_in_practice.ipynb) produces checkerboards with kernels chosen by hand. A
# learner's trained super-resolution model shows a faint grid on flat areas such as a wall or the
# sky, and their GAN's discriminator gradients show one too. Nobody chose those kernels: does
# training itself make the pattern? We train the smallest model that can show it, a single x2
# upsampling layer, three ways, on matplotlib's bundled photograph (no download), and measure.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch
#
# The task: the photograph (300x256 here) is shrunk by averaging 2x2 blocks, and the layer must
# give the original back. Three candidates, the same training for each (seeded SGD on random
# 32x32 crops, 3000 steps, float64, deterministic algorithms, one thread, one to two seconds each):

# %% slideshow={"slide_type": "-"}
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import convlib
from convlib.checkerboard import (checkerboard, least_squares_upsampler, phase_means,
                                  train_upsampler)
from convlib.upsample import resize_conv_weight, sample_picture

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)   # the same order of floating-point sums on every run
picture = torch.from_numpy(sample_picture(2)).double()[None, None]   # (1, 1, 300, 256)
torch.manual_seed(0)
models = {
    "kernel_size=3": nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1),
    "kernel_size=4": nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1),
    "resize-conv": nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"),
                                 nn.Conv2d(1, 1, 3, padding=1)),
}

# %% slideshow={"slide_type": "-"}
histories, late = {}, range(1000, 3001, 100)
for name, model in models.items():
    histories[name] = train_upsampler(model.double(), picture, steps=3000, lr=0.1, seed=0)
    values = [100 * histories[name][step] for step in late]
    print(f"{name:14s} checkerboard after 300 steps: {100 * histories[name][300]:.1f}%, "
          f"from step 1000 to 3000: {min(values):.1f}% to {max(values):.1f}%")

# %% [markdown] slideshow={"slide_type": "-"}
# The measure is taken every 100 steps on the model's answer to a flat gray input: a correct
# upsampler returns a flat picture, so any difference between the four 2x2 phases is the
# artifact. The `kernel_size=3` layer keeps a checkerboard of 1.1% to 2.1%; `kernel_size=4`'s is
# several times smaller; resize-convolution is flat from the first measurement on. (The measure
# wanders from one measurement to the next; "Why" below shows why and where it wanders around.)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The three upsampled photographs look alike at this scale. On flat gray, with the gray scale
# stretched to +-3% around the mean, the pattern is plain:

# %% slideshow={"slide_type": "-"}
gray = torch.full((1, 1, 16, 16), 0.5, dtype=torch.float64)
small = F.avg_pool2d(picture, 2)
with torch.no_grad():
    flats = {name: model(gray)[0, 0] for name, model in models.items()}
    photos = {name: model(small)[0, 0] for name, model in models.items()}

figure, axes = plt.subplots(2, 3, figsize=(9, 6))
for column, name in enumerate(models):
    flat = flats[name][4:-4, 4:-4]
    axes[0, column].imshow(flat / flat.mean(), cmap="gray", vmin=0.97, vmax=1.03)
    axes[1, column].imshow(photos[name][60:124, 100:164], cmap="gray", vmin=0, vmax=1)
    axes[0, column].set_title(name)
for axis in axes.ravel():
    axis.axis("off")
axes[0, 0].text(-2, 12, "flat gray in", rotation=90, ha="right")
axes[1, 0].text(-2, 40, "photograph in (a 64x64 detail)", rotation=90, ha="right")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### The measure: phase means
#
# A stride-2 layer's output has four phases, the pixels at (even, even), (even, odd), (odd, even)
# and (odd, odd) positions. On a photograph all four sample the same scene, so they have the same
# mean brightness; a pattern that repeats every 2 pixels makes them differ.
# `convlib.checkerboard.checkerboard` is (largest phase mean - smallest) / mean, inside a 4-pixel
# border. Here are the phase means of the flat answers, and the measure on the photographs (the
# original photograph's own 0.3% is the level of a picture with no artifact):

# %% slideshow={"slide_type": "-"}
for name in models:
    means = phase_means(flats[name]) / phase_means(flats[name]).mean()
    print(f"{name:14s} phase means / mean: {np.round(means.ravel(), 3).tolist()}, "
          f"on the photograph: {100 * checkerboard(photos[name]):.1f}%")
print(f"{'the original':14s} on the photograph: {100 * checkerboard(picture):.1f}%")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why `kernel_size=3` keeps its checkerboard
#
# With `stride=2, padding=1`, output o receives tap k of input i when o = 2i + k - 1. With
# `kernel_size=3` an even output gets one tap per axis (k=1) and an odd one two (k=0 and k=2):
# the (even, even) phase sees 1 input pixel, the (odd, odd) phase a 2x2 block of 4. Here is what
# training made of the kernel, and the sum of the taps each phase receives (its gain on a flat
# input):

# %% slideshow={"slide_type": "-"}
def phase_sums(weight, padding):
    """Sum of the taps that reach each output phase: taps k with k - padding even, or odd."""
    w = weight.detach()[0, 0]
    return [[round(float(w[(a + padding) % 2::2, (b + padding) % 2::2].sum()), 3) for b in (0, 1)]
            for a in (0, 1)]


k3, k4 = models["kernel_size=3"], models["kernel_size=4"]
print("kernel_size=3 weight:\n", np.round(k3.weight.detach()[0, 0].numpy(), 2))
print("phase gains:", phase_sums(k3.weight, 1), " bias:", round(k3.bias.item(), 3))
print("kernel_size=4 phase gains:", phase_sums(k4.weight, 1))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same count is the picture [chapter 08's `overlap_explorer`](08_in_practice.ipynb) draws:
# with `kernel_size=3` and `stride=2` the phases get 1, 2 and 4 taps; with `kernel_size` 4 every
# pixel away from the border gets 4, so no phase starts from a different gain.
#
# The phases explorer draws the split for the trained `kernel_size=3` weight (rounded to two
# decimals, so the picture is the same on every machine) on a flat 3x3 input. Step `phase`: phase
# 0 (odd rows and columns) gets the four corner taps, phases 1 and 2 two taps, phase 3 the centre
# tap alone, and each inner output of a phase is the sum of its taps: the gain printed above, to
# the rounding:

# %% slideshow={"slide_type": "-"}
from convlib.explorers import phases_explorer

trained = np.round(k3.weight.detach()[0, 0].numpy(), 2)
gains = phases_explorer(input=np.ones((3, 3)), weight=trained, stride=2, padding=1,
                        output_padding=1, phase=0)
gains

# %% slideshow={"slide_type": "-"}
for phase in range(4):
    facts = gains.view_of({**gains.values, "phase": phase}).scene.facts
    taps, inner = facts["taps"], facts["values"][1, 1]
    print(f"phase {phase}: taps in rows {taps[0]} and columns {taps[1]}, gain {inner:.2f}")
    assert len(taps[0]) * len(taps[1]) == [4, 2, 2, 1][phase]
    assert np.isclose(inner, trained[np.ix_(*taps)].sum())
    assert abs(inner - k3.weight.detach()[0, 0][np.ix_(*taps)].sum()) < 0.03   # rounding only
hundredths = k3.weight.detach()[0, 0].numpy() * 100
assert np.abs(hundredths % 1 - 0.5).min() > 1e-6   # no weight near a rounding boundary (1e-4 here)

# %% [markdown] slideshow={"slide_type": "-"}
# Each phase's best gain depends on how well its own inputs predict its pixels: one input pixel,
# or a 2x2 block of them. Those best gains differ, and the single bias is added to all four phases
# alike. With `kernel_size=4` every phase gets 2x2 taps placed symmetrically, so their best gains
# nearly agree, and training drives them together.
#
# Is the `kernel_size=3` layer just not trained enough? The output is linear in the 9 taps and the
# bias, so the layer with the lowest loss on the whole photograph can be solved for exactly by
# least squares (`convlib.checkerboard.least_squares_upsampler`). Here it is beside the 3000 steps
# of training, measured every 100 steps:

# %% slideshow={"slide_type": "-"}
best = {}
for k, output_padding in [(3, 1), (4, 0)]:
    weight, bias = least_squares_upsampler(picture, k, stride=2, padding=1,
                                           output_padding=output_padding)
    best[k] = checkerboard(F.conv_transpose2d(gray, weight, bias, stride=2, padding=1,
                                              output_padding=output_padding))
    print(f"the best kernel_size={k} layer: checkerboard {100 * best[k]:.1f}%")
print(f"ratio {best[3] / best[4]:.0f}")
k3_run, k4_run = histories["kernel_size=3"], histories["kernel_size=4"]
lowest = min(late, key=k3_run.get)
print(f"kernel_size=3 from step 1000 on: lowest {100 * k3_run[lowest]:.2f}% at step {lowest}")
ratios = [k3_run[step] / k4_run[step] for step in k3_run]
print(f"kernel_size=3 / kernel_size=4 at each of the {len(ratios)} measurements: "
      f"{min(ratios):.1f} to {max(ratios):.0f} times")

# %% slideshow={"slide_type": "-"}
figure, axis = plt.subplots(figsize=(7, 2.8))
for (name, history), k in zip(histories.items(), (3, 4)):
    line, = axis.plot(list(history), [100 * v for v in history.values()], label=name)
    axis.axhline(100 * best[k], color=line.get_color(), linestyle="--",
                 label=f"least squares, kernel_size={k}")
axis.set(xlabel="training step", ylabel="checkerboard (%)", ylim=(0, None))
axis.legend(loc="upper right", fontsize=8)
plt.show()

# %% [markdown] slideshow={"slide_type": "-"}
# Training with a fixed step on random crops does not settle: every step sees other crops, so the
# layer keeps moving around the best one, and its measure wanders: mostly above the best layer's
# 1.2%, once just below it (1.15% at step 2700). So 1.2% is not a floor but where training
# heads, and it is far from zero: more training does not remove the `kernel_size=3`
# checkerboard. The best `kernel_size=4` layer has twelve times less, and at every measurement
# of the run `kernel_size=4`'s checkerboard is at least twice smaller (2.1 to 22 times: a range,
# not one factor).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Resize-convolution cannot make one on a flat input
#
# Chapter [10](10_upsampling.ipynb) shows that nearest resizing followed by a 3x3 convolution is a
# `kernel_size=4` transposed convolution whose kernel is balanced by construction: each phase
# receives every one of the 9 weights once. Whatever training does to those weights, the four
# phase gains stay equal:

# %% slideshow={"slide_type": "-"}
learned = models["resize-conv"][1].weight.detach()
print("its kernel as a transposed convolution, phase gains:",
      phase_sums(resize_conv_weight(learned, stride=2), 1))

# %% [markdown] slideshow={"slide_type": "-"}
# That is the whole guarantee: a constant input gives a constant output. On a photograph
# the phases still use different weights, which is why its measure there is small but not zero.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The gradient of a strided convolution
#
# Chapter [07](07_gradient.ipynb) shows that the gradient of a convolution with respect to its
# input is a transposed convolution of the output's gradient. For a strided convolution it is a
# strided transposed convolution, with the same overlap. Take `loss = conv(z).sum()` with a
# 3x3 box kernel (all weights 1/9) and `stride=2`: every output's gradient is 1, and z.grad
# counts how many kernel windows cover each pixel, weighted by 1/9:

# %% slideshow={"slide_type": "-"}
def input_gradient(kernel_size, image):
    z = image.clone().requires_grad_(True)
    weight = torch.full((1, 1, kernel_size, kernel_size), 1.0 / kernel_size**2,
                        dtype=image.dtype)
    F.conv2d(z, weight, stride=2, padding=1).sum().backward()
    return z.grad


for k in (3, 4):
    grad = input_gradient(k, picture)
    print(f"kernel_size={k}: z.grad * {k * k} on a 4x4 patch:",
          (grad[0, 0, 4:8, 4:8] * k * k).round().int().tolist(),
          f" checkerboard: {100 * checkerboard(grad):.0f}%")
print("phase means of z.grad * 9:", (9 * phase_means(input_gradient(3, picture))).round(6).tolist())

# %% [markdown] slideshow={"slide_type": "-"}
# Read 133% as the measure's formula: the phase means are 1, 2, 2 and 4 windows (times 1/9), so
# (largest - smallest) / mean = (4 - 1) / 2.25 = 1.33. Above 100% means that the phases differ by
# more than their average value.

# %% [markdown] slideshow={"slide_type": "subslide"}
# A picture optimised by gradient steps through such a layer (feature visualisation, adversarial
# examples, the generator's input gradients in a GAN) receives that pattern. Ten steps of
# gradient ascent on `conv(z).sum()`, starting from the photograph (the change is 10 * 0.05 times
# the same gradient, so it has the same 133%):

# %% slideshow={"slide_type": "-"}
def ascend(kernel_size, image, steps=10, lr=0.05):
    z = image.clone()
    for _ in range(steps):
        z = z + lr * input_gradient(kernel_size, z)
    return z


ascended = {k: ascend(k, picture) for k in (3, 4)}
for k, z in ascended.items():
    print(f"kernel_size={k}: checkerboard of the change {100 * checkerboard(z - picture):.0f}%")
figure, axes = plt.subplots(1, 3, figsize=(9, 3.4))
for axis, image, title in zip(axes, [picture, ascended[3], ascended[4]],
                              ["the photograph", "after ascent, kernel_size=3",
                               "after ascent, kernel_size=4"]):
    axis.imshow(image[0, 0, 60:124, 100:164], cmap="gray", vmin=0, vmax=1.4)
    axis.set_title(title)
    axis.axis("off")
plt.show()

# %% [markdown] slideshow={"slide_type": "-"}
# With `kernel_size=3` the steps paint the gradient's 1-2-4 grid onto the face; with
# `kernel_size=4` every pixel is covered by the same number of windows and the picture only gets
# brighter. With trained (unbalanced) kernels even `kernel_size=4` gradients can carry a weaker
# pattern, as in chapter 08.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# The comparison, asserted with wide margins (the printed numbers are rounded; the asserts do not
# depend on the last digits):

# %% slideshow={"slide_type": "-"}
assert all(value > 0.01 for value in k3_run.values())         # a visible 1% checkerboard ...
assert all(k3_run[step] > 2 * k4_run[step] for step in k3_run)  # ... at least twice kernel_size=4's
assert max(histories["resize-conv"].values()) < 1e-9            # flat in, flat out
assert k3_run[100] > max(k3_run[step] for step in late)          # training lowers it at first ...
assert min(k3_run[step] for step in late) < best[3] < max(k3_run[step] for step in late)  # ... then wanders
assert best[3] > 0.01 and best[3] > 10 * best[4]                # the best layers: 1.2% and 0.1%
assert abs(checkerboard(input_gradient(3, picture)) - 3 / 2.25) < 1e-9   # 133% = (4 - 1) / 2.25
assert checkerboard(photos["kernel_size=3"]) > 2 * checkerboard(photos["kernel_size=4"])
assert checkerboard(photos["kernel_size=3"]) > 3 * checkerboard(picture)
assert checkerboard(input_gradient(3, picture)) > 1 > 1e-9 > checkerboard(input_gradient(4, picture))
assert checkerboard(ascended[3] - picture) > 1 > 1e-9 > checkerboard(ascended[4] - picture)
print("kernel_size=3 > 2 x kernel_size=4 at every measurement, resize-conv flat; the gradients agree")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The trained layers are ordinary transposed convolutions: convlib's four methods give PyTorch's
# output for the learned `kernel_size=3` weights (to float64 rounding: the agreement line gives
# the bound it stays below), and z.grad is the transposed convolution of the output's gradient
# (chapter 07):

# %% slideshow={"slide_type": "-"}
patch = small[..., :6, :6]
comparison = convlib.compare(patch, k3.weight.detach(), k3.bias.detach(), stride=2, padding=1,
                             output_padding=1)
assert comparison.agree
ones = torch.ones(1, 1, 150, 128, dtype=torch.float64)
as_transposed = F.conv_transpose2d(ones, torch.full((1, 1, 3, 3), 1 / 9, dtype=torch.float64),
                                   stride=2, padding=1, output_padding=1)
assert torch.allclose(as_transposed, input_gradient(3, picture))
print(comparison.summary)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - Measure a checkerboard by the phase means of the output: (largest - smallest) / mean
#   (`convlib.checkerboard.checkerboard`), best on a flat input, where the right answer is flat.
# - Trained as a x2 upsampler, `kernel_size=3, stride=2` keeps a checkerboard that more training
#   does not remove (1.1% to 2.1% from step 1000 to 3000, around the 1.2% of the least-squares
#   layer, the lowest loss): its phases see 1, 2 or 4 inputs, their best gains differ, and one
#   bias cannot even them out. `kernel_size=4` learns a much weaker one (2 to 22 times smaller
#   over the run, 12 times for the best layers); resize-convolution cannot make one on a flat
#   input (its kernel is balanced by construction).
# - The gradient of a strided convolution is a strided transposed convolution: with
#   `kernel_size=3, stride=2` it carries the 1-2-4 grid (a 133% checkerboard: (4 - 1) / 2.25), and
#   gradient steps paint it onto the input; `kernel_size=4` covers every pixel equally.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("11.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** `nn.ConvTranspose1d(1, 1, kernel_size=5, stride=3, bias=False)` with all weights 1, on
# a long input of ones. Away from the border, how many stamps reach the outputs of phase 0, 1
# and 2 (positions 3q, 3q+1, 3q+2)? Give a list.

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("11.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** The gradient of a strided convolution with respect to its input `z`, as above, now with
# `kernel_size=5` (all weights 1/25), `stride=2, padding=2`, for `loss = conv(z).sum()`: which
# values does `z.grad * 25` take away from the border? Give them as a list.

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("11.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** A `kernel_size=4, stride=3, padding=1` layer with the weights 1..16
# (`torch.arange(1., 17.).view(1, 1, 4, 4)`): what are its nine phase gains, the sums of the taps
# each output phase receives? An output's phase is (row mod 3, column mod 3). Give them as a 3x3
# nested list, row a and column b holding the gain of phase (a, b).

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("11.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4. Implement it.** Write `phase_means_1d(y, s)`: for a 1-D NumPy array `y` and a stride `s`,
# the list of the means of its s phases, `y[0::s]`, `y[1::s]`, ... (no border). `grade_function`
# compares it with `convlib.checkerboard.phase_means` on several random cases, smallest first,
# and shows the first case it gets wrong with the means it should give.

# %% slideshow={"slide_type": "-"}
def phase_means_1d(y, s):
    return None  # replace with your code


grade_function("11.4", phase_means_1d)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 10_upsampling](10_upsampling.ipynb) | [contents](00_index.ipynb) | [12_frameworks >](12_frameworks.ipynb)

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
# # Designing with transposed convolutions: what one output sees, and where it sits
#
# **Question:** How far does a transposed convolution widen what one output sees (`kernel_size=2, stride=2`: 1 input; `kernel_size=4, stride=2, padding=1`: 2; `kernel_size=3, stride=2, padding=1, output_padding=1`: 1 or 2), why does one more 3x3x3 convolution after three downsamplings by 2 add 16, why does FCN-32s crop the 544x544 output of its `kernel_size=64, stride=32` layer at offset 19 (and FCN-8s at 5, 9 and 31), and how do I compute the offset of any chain so that a decoder lines up with its skip connections?
#
# What you will learn:
# - every layer as a coordinate map: output u sits at input a*u + b and sees a window `span`
#   wide around it; for a transposed convolution a = 1/stride, and the number of inputs it sees
#   depends on the output's phase;
# - the receptive field of a chain, by the recurrence "add span times the jump", and exactly,
#   borders and phases counted, with `convlib.receptive_field`, checked against autograd;
# - where FCN's crop offsets come from, the rule for any chain of convolutions and transposed
#   convolutions, and why a decoder whose transposed layers mirror its encoder needs no crop:
#   `output_size=` fixes the size, the mirrored map fixes the place.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 13_in_training](13_in_training.ipynb) | [contents](00_index.ipynb) | [15_deploy >](15_deploy.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# Two questions come up as soon as transposed convolutions go into a network's design. From
# medical segmentation (V-Net and its kin) and the trackers of receptive-field tools: how much
# does a transposed layer add to what one output sees, and how does the receptive field grow
# through a network that goes down and up? From fully convolutional segmentation (FCN): its
# `kernel_size=64, stride=32` layer turns a 16x16 score map of a 500x500 picture into 544x544,
# and the network keeps `[19:519]`. Why 19, and why does FCN-8s crop its skip connections at 5
# and 9 and its output at 31? Both answers come from one idea: every layer is a map from where
# an output is to where it looks in its input.

# %% slideshow={"slide_type": "-"}
from fractions import Fraction

import torch
import torch.nn as nn
import torch.nn.functional as F

from convlib.receptive_field import chain, conv, conv_transpose, crop_offset, pool, written
from convlib.upsample import bilinear_kernel
from convlib.explorers import receptive_field_explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. What one output sees
#
# ### Reproduce it in PyTorch
#
# The inputs that reach one output are the inputs whose gradient is not zero. With every weight
# 1 and every input 1 nothing cancels, so counting them with autograd is exact. The recipe:

# %% slideshow={"slide_type": "-"}
def inputs_reaching(layer, n, index):
    """The input indices of a 1-D layer that reach output `index` (weights and inputs all 1)."""
    nn.init.ones_(layer.weight)
    x = torch.ones(1, 1, n, requires_grad=True)
    layer(x)[0, 0, index].backward()
    return torch.nonzero(x.grad[0, 0]).flatten().tolist()


layers = {"k2 s2": nn.ConvTranspose1d(1, 1, 2, stride=2, bias=False),
          "k4 s2 p1": nn.ConvTranspose1d(1, 1, 4, stride=2, padding=1, bias=False),
          "k3 s2 p1 op1": nn.ConvTranspose1d(1, 1, 3, stride=2, padding=1, output_padding=1,
                                             bias=False)}
seen = {}
for name, layer in layers.items():
    seen[name] = [inputs_reaching(layer, 8, v) for v in range(6, 10)]
    print(f"{name:>12}: outputs 6 to 9 see inputs {seen[name]}")

# %% [markdown] slideshow={"slide_type": "-"}
# `kernel_size=2, stride=2`: one input each. `kernel_size=4, stride=2, padding=1`: two each.
# `kernel_size=3, stride=2, padding=1, output_padding=1`: even outputs see 1 input and odd
# outputs 2, a difference by phase (the checkerboard of chapter
# [08](08_in_practice.ipynb), seen from the output's side).

# %% slideshow={"slide_type": "-"}
counts = {name: [len(s) for s in found] for name, found in seen.items()}
print(counts)
assert counts == {"k2 s2": [1, 1, 1, 1], "k4 s2 p1": [2, 2, 2, 2],
                  "k3 s2 p1 op1": [1, 2, 1, 2]}

# %% [markdown] slideshow={"slide_type": "subslide"}
# Through a network the receptive field grows. Three downsamplings by 2 (V-Net's
# `Conv3d(kernel_size=2, stride=2)`), then one 3x3x3 convolution, on a 48x48x48 volume; we count
# the inputs that reach the centre output along one axis:

# %% slideshow={"slide_type": "-"}
def extent_along_first_axis(net, n=48):
    """How many input rows (first spatial axis) reach the centre output of a 3-D network."""
    for module in net.modules():
        if isinstance(module, nn.Conv3d):
            nn.init.ones_(module.weight)
    x = torch.ones(1, 1, n, n, n, requires_grad=True)
    out = net(x)
    out[(0, 0, *[size // 2 for size in out.shape[2:]])].backward()
    rows = torch.nonzero(x.grad[0, 0].abs().sum(dim=(1, 2))).flatten()
    return int(rows[-1] - rows[0] + 1)


down = [nn.Conv3d(1, 1, 2, stride=2, bias=False) for _ in range(3)]
before = extent_along_first_axis(nn.Sequential(*down))
after = extent_along_first_axis(nn.Sequential(*down, nn.Conv3d(1, 1, 3, padding=1, bias=False)))
print(f"receptive field after three downsamplings: {before}, after one more 3x3x3: {after}, "
      f"so it adds {after - before}")
assert (before, after) == (8, 24)

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Explain: every layer is a coordinate map
#
# A convolution's output u looks at the inputs s*u - p + d*t, t = 0 .. k-1: with
# K = d(k-1) + 1, a window K - 1 input entries wide (from its first entry to its last, so K
# entries), centred at s*u + (K-1)/2 - p. So output u sits at input
# **a*u + b**, with a = s and b = (K-1)/2 - p. A transposed convolution runs the other way: its
# input u stamps the kernel's centre at output s*u + (K-1)/2 - p, so its output v sits at input
# (v + p - (K-1)/2)/s, a = 1/s, and it sees the inputs within a window (K-1)/s wide:
#
# | layer | a | b | span (in input entries, first to last) |
# | --- | --- | --- | --- |
# | convolution, pooling | s | (K-1)/2 - p | K - 1 |
# | transposed convolution | 1/s | (p - (K-1)/2)/s | (K - 1)/s |
#
# How many whole inputs fit in a window (K-1)/s wide depends on where it starts: that is the
# phase. `output_padding` appends outputs at the end and moves nothing, so it is not in the
# map. `convlib.receptive_field` holds each layer as its map and span:

# %% slideshow={"slide_type": "-"}
maps = (conv(3, 2, 1), conv_transpose(2, 2), conv_transpose(4, 2, 1), conv_transpose(3, 2, 1, 1))
for layer in maps:
    kind = "transposed" if layer.transposed else "convolution"
    print(f"{kind:>12} k{layer.kernel_size} s{layer.stride} p{layer.padding}: "
          f"a = {layer.scale}, b = {layer.shift}, span = {layer.span}")
assert [layer.span for layer in maps] == [2, Fraction(1, 2), Fraction(3, 2), 1]
assert (maps[-1].scale, maps[-1].shift) == (Fraction(1, 2), 0)   # k3 p1: output v sits at v/2

# %% [markdown] slideshow={"slide_type": "-"}
# `kernel_size=2, stride=2`: span 1/2, so one input whatever the phase; `kernel_size=4`: span
# 3/2, always two; `kernel_size=3`: span 1, so a window [m - 1/2, m + 1/2] around a whole number
# m holds 1 input, and one around a half-integer, [m, m + 1], holds 2. With `padding=1`, output v
# sits at v/2: even outputs see 1 input, odd ones 2.
#
# **Through a chain** the maps compose. Write A for the product of the scales before a layer
# (the *jump*: how many input entries apart that layer's inputs sit; 1 for the first layer).
# Then
#
# $$a \leftarrow A\,a_l, \quad b \leftarrow b + A\,b_l, \quad W \leftarrow W + A\,\sigma_l,$$
#
# with $\sigma_l$ the layer's span and W the window's width, and for convolutions the receptive
# field is W + 1. After three downsamplings by 2 the jump is 8, so a 3x3x3 convolution (span 2)
# adds 8 * 2 = 16. (`Chain.jumps` lists A after each layer, so the jumps before the layers are
# 1 and then that list without its last entry.)

# %% slideshow={"slide_type": "-"}
vnet = chain(*[conv(2, 2)] * 3)
deeper = vnet + chain(conv(3, 1, 1))
before_each = [1, *deeper.jumps[:-1]]   # A before each layer: 1, then the scales so far
print("jumps before each layer:", ", ".join(map(str, before_each)), "| receptive field:",
      vnet.receptive_field, "->", deeper.receptive_field)
assert before_each == [1, 2, 4, 8] and vnet.jumps == [2, 4, 8]
assert deeper.receptive_field - vnet.receptive_field == 16 == 2 ** 3 * 2

# %% [markdown] slideshow={"slide_type": "subslide"}
# The recurrence gives the width of the window; `Chain.reaching(index, input_size)` gives the
# exact inputs, with the borders (where padding reads zeros) and the phases counted. It agrees
# with autograd on the three layers above:

# %% slideshow={"slide_type": "-"}
exact = {"k2 s2": chain(conv_transpose(2, 2)), "k4 s2 p1": chain(conv_transpose(4, 2, 1)),
         "k3 s2 p1 op1": chain(conv_transpose(3, 2, 1, 1))}
for name, c in exact.items():
    assert [c.reaching(v, 8) for v in range(6, 10)] == seen[name]
print("convlib's reaching = autograd's, outputs 6 to 9 of each layer")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The explorer follows one output of a small chain: 10 inputs, a `Conv1d(kernel_size=3,
# stride=2, padding=1)` down to 5, and a transposed layer whose sliders you move (its
# `output_padding` slider stops at 1, to keep the book site's table of every setting small).
# Each cell shows where its entry sits in the input (the coordinate map); the boxed cells are
# what the chosen output sees. The start is the mirror of the convolution, which sits every
# output on its own input; move `kernel_size` to 4 and every output sits half an entry off.

# %% slideshow={"slide_type": "-"}
explorer = receptive_field_explorer(kernel_size=3, stride=2, padding=1, output_padding=1,
                                    element=5)
explorer

# %% slideshow={"slide_type": "-"}
a, b = explorer.scene.facts["map"]
print(f"output v sits at input {written(a, b, 'v')}; output 5 sees inputs "
      f"{explorer.scene.facts['inputs']}")
assert (a, b) == (1, 0) and explorer.scene.facts["inputs"] == [3, 4, 5, 6, 7]

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Where one output sits
#
# ### Reproduce it in PyTorch: FCN-32s
#
# FCN puts VGG16 to work on whole pictures: its first convolution is padded by 100, its
# poolings round up (Caffe's rule, `ceil_mode=True` in PyTorch), its fully connected `fc6` is a
# 7x7 convolution. The sizes depend on none of the channels, so one channel per layer is enough
# to reproduce them:

# %% slideshow={"slide_type": "-"}
def vgg_fcn(channels=1):
    """VGG16 as FCN uses it, one channel per layer: the same sizes and coordinates."""
    def block(convs, first_padding=1):
        layers = [nn.Conv2d(channels, channels, 3, padding=first_padding)]
        layers += [nn.Conv2d(channels, channels, 3, padding=1) for _ in range(convs - 1)]
        return layers + [nn.MaxPool2d(2, stride=2, ceil_mode=True)]
    return nn.Sequential(*block(2, first_padding=100), *block(2), *block(3), *block(3),
                         *block(3), nn.Conv2d(channels, channels, 7),      # fc6
                         nn.Conv2d(channels, channels, 1), nn.Conv2d(channels, channels, 1))


torch.manual_seed(0)
picture = torch.randn(1, 1, 500, 500)
with torch.no_grad():
    score = vgg_fcn()(picture)
    upscore = nn.ConvTranspose2d(1, 1, 64, stride=32, bias=False)(score)
print("score map", tuple(score.shape[-2:]), "-> upscore", tuple(upscore.shape[-2:]),
      "-> kept", tuple(upscore[..., 19:519, 19:519].shape[-2:]))
assert score.shape[-2:] == (16, 16) and upscore.shape[-2:] == (544, 544)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Explain: two coordinate maps meet
#
# The score map's entry u sits at input 32u + 12.5: each pooling adds half an entry times its
# jump (0.5 + 1 + 2 + 4 + 8 = 15.5), `fc6` adds 3 * 32 = 96, and `conv1_1`'s padding of 100
# takes 99 off. The transposed layer stamps input u's kernel centre at 32u + 31.5 (no padding,
# (K-1)/2 = 31.5). So its output v sits at score position (v - 31.5)/32, which is input
# v - 31.5 + 12.5 = v - 19: output 19 sits on input 0, and `[19:519]` is exactly the picture.

# %% slideshow={"slide_type": "-"}
def fcn_chains():
    """FCN's layers along one axis, as convlib chains: the layers to pool3, pool4, score_fr."""
    layers, found = [conv(3, padding=100), conv(3, padding=1), pool(2, ceil_mode=True)], {}
    for name, convs in (("pool2", 2), ("pool3", 3), ("pool4", 3), ("pool5", 3)):
        layers += [conv(3, padding=1)] * convs + [pool(2, ceil_mode=True)]
        found[name] = chain(*layers)
    found["score_fr"] = found["pool5"] + chain(conv(7), conv(1), conv(1))
    return found


fcn = fcn_chains()
upscore32 = fcn["score_fr"] + chain(conv_transpose(64, 32))
a, b = fcn["score_fr"].coordinate_map
print(f"score_fr: u sits at {written(a, b)} = {written(a, float(b))}, size",
      fcn["score_fr"].sizes(500)[-1])
centre = float(-conv_transpose(64, 32).shift * 32)
print("the transposed layer stamps input u's centre at 32u +", centre)
a, b = upscore32.coordinate_map
print(f"upscore: v sits at {written(a, b, 'v')}, size", upscore32.sizes(500)[-1])
print("crop offset:", crop_offset(upscore32, chain()))

# %% slideshow={"slide_type": "-"}
assert fcn["score_fr"].coordinate_map == (32, Fraction(25, 2))
assert -conv_transpose(64, 32).shift * 32 == Fraction(63, 2)
assert upscore32.coordinate_map == (1, -19) and crop_offset(upscore32, chain()) == 19
assert upscore32.sizes(500)[-1] == 544

# %% [markdown] slideshow={"slide_type": "subslide"}
# `crop_offset(cropped, target)` is the rule for any two chains from the same input with the
# same scale a: entry u of `cropped` sits where entry u - offset of `target` sits, with
# offset = (b_target - b_cropped)/a. FCN-8s fuses three levels. `upscore2`
# (`kernel_size=4, stride=2`) doubles the score map, and `score_pool4` (a 1x1 convolution on
# pool4) is cropped to match it; `upscore_pool4` doubles again and `score_pool3` is cropped to
# match; `upscore8` (`kernel_size=16, stride=8`) comes back to the picture:

# %% slideshow={"slide_type": "-"}
upscore2 = fcn["score_fr"] + chain(conv_transpose(4, 2))
upscore_pool4 = upscore2 + chain(conv_transpose(4, 2))
upscore8 = upscore_pool4 + chain(conv_transpose(16, 8))
offsets = (crop_offset(fcn["pool4"] + chain(conv(1)), upscore2),
           crop_offset(fcn["pool3"] + chain(conv(1)), upscore_pool4),
           crop_offset(upscore8, chain()))
print("score_pool4 at", offsets[0], "| score_pool3 at", offsets[1], "| upscore8 at", offsets[2])
assert offsets == (5, 9, 31)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Check it with autograd
#
# Where does output v sit, measured? FCN starts its transposed layer as bilinear interpolation,
# a tent kernel, and with average pooling in place of max pooling (the same windows) and every
# convolution weight 1, every kernel is symmetric: the gradient-weighted mean position of the
# inputs that reach v is where v sits. Along one axis:

# %% slideshow={"slide_type": "-"}
def fcn_1d():
    """FCN-32s along one axis: weights 1, average pooling, the bilinear kernel_size=64 layer."""
    def block(convs, first_padding=1):
        layers = [nn.Conv1d(1, 1, 3, padding=first_padding, bias=False)]
        layers += [nn.Conv1d(1, 1, 3, padding=1, bias=False) for _ in range(convs - 1)]
        return layers + [nn.AvgPool1d(2, stride=2, ceil_mode=True)]
    net = nn.Sequential(*block(2, 100), *block(2), *block(3), *block(3), *block(3),
                        nn.Conv1d(1, 1, 7, bias=False), nn.Conv1d(1, 1, 1, bias=False),
                        nn.Conv1d(1, 1, 1, bias=False),
                        nn.ConvTranspose1d(1, 1, 64, stride=32, bias=False)).double()
    for module in net:
        if hasattr(module, "weight"):
            nn.init.ones_(module.weight)
    net[-1].weight.data = torch.from_numpy(bilinear_kernel(64, 32, dims=1)).view(1, 1, 64)
    return net


n = 1200   # long enough that no window of the outputs below reaches a border
net, x = fcn_1d(), torch.ones(1, 1, n, dtype=torch.float64, requires_grad=True)
out, where = net(x), []
for v in range(600, 664, 7):   # outputs of every phase of the stride 32
    x.grad = None
    out[0, 0, v].backward(retain_graph=True)
    g = x.grad[0, 0]
    where.append(float((g * torch.arange(n, dtype=torch.float64)).sum() / g.sum()) - v)
print("output v sits at input v +", sorted({round(w, 9) for w in where}))
assert max(abs(w + 19) for w in where) < 1e-9

# %% [markdown] slideshow={"slide_type": "slide"}
# ### The rule for a decoder
#
# A convolution and the transposed convolution with the same `kernel_size`, `stride`,
# `padding` and `dilation` have inverse maps: s*u + (K-1)/2 - p, then (v + p - (K-1)/2)/s. So a
# decoder that mirrors its encoder puts every output where the skip connection's entry is
# (offset 0), and `output_size=skip.shape[-2:]` (chapter [09](09_output_size.ipynb)) only adds
# entries at the end, which moves nothing. Checked for every small setting:

# %% slideshow={"slide_type": "-"}
mirrored = [chain(conv(k, s, p, d), conv_transpose(k, s, p, op, d)).coordinate_map
            for k in range(1, 6) for s in range(1, 4) for p in range(3) for d in range(1, 3)
            for op in range(max(s, d))]
print(len(mirrored), "mirrored pairs; their maps (a, b):", {(str(a), str(b)) for a, b in mirrored})
assert set(mirrored) == {(1, 0)}

# %% [markdown] slideshow={"slide_type": "subslide"}
# And `output_size=` in PyTorch: `Conv1d(kernel_size=3, stride=2, padding=1)`, then its mirror
# given `output_size=[n]`, the input's size, for an input of 10 entries (the transposed layer
# adds one at the end) and of 11 (it adds none). The output has n entries, and autograd puts
# every output away from the borders exactly on the input with its index:

# %% slideshow={"slide_type": "-"}
def offsets_with_output_size(n):
    """The entries output_size= adds, and where each output v from 2 to n - 3 sits minus v
    (weights all 1)."""
    down = nn.Conv1d(1, 1, 3, stride=2, padding=1, bias=False).double()
    up = nn.ConvTranspose1d(1, 1, 3, stride=2, padding=1, bias=False).double()
    for layer in (down, up):
        nn.init.ones_(layer.weight)
    x = torch.ones(1, 1, n, dtype=torch.float64, requires_grad=True)
    out, found = up(down(x), output_size=[n]), set()
    for v in range(2, n - 2):
        x.grad = None
        out[0, 0, v].backward(retain_graph=True)
        g = x.grad[0, 0]
        found.add(float((g * torch.arange(n, dtype=torch.float64)).sum() / g.sum()) - v)
    return out.shape[-1] - up(down(x)).shape[-1], out.shape[-1], found


for n in (10, 11):
    added, size, found = offsets_with_output_size(n)
    print(f"input {n}: output {size} ({added} added), outputs 2 to {n - 3} sit at input v + "
          f"{sorted(found)}")
    assert (size, added, found) == (n, 1 - n % 2, {0.0})

# %% [markdown] slideshow={"slide_type": "subslide"}
# When the decoder does not mirror the encoder, the offset says what to crop, or that no crop
# can help. After `Conv1d(kernel_size=3, stride=2)` (no padding), the x2 bilinear layer
# `ConvTranspose1d(kernel_size=4, stride=2, padding=1)` puts each output half an entry off;
# `kernel_size=3, padding=0` mirrors it; and the original U-Net, whose 3x3 convolutions have no
# padding, crops its top skip connection (568 entries) at 88 to join it with the 392 that come
# back up:

# %% slideshow={"slide_type": "-"}
encoder = chain(conv(3, 2))
for up in (conv_transpose(4, 2, 1), conv_transpose(3, 2)):
    c = encoder + chain(up)
    said = f"k{up.kernel_size} p{up.padding}: v sits at input {written(*c.coordinate_map, 'v')}"
    try:
        print(said + ", crop at", crop_offset(c, chain()))
    except ValueError as error:
        print(said + ":", error)

# %% slideshow={"slide_type": "-"}
def unet_level(layers=()):
    """Two unpadded 3x3 convolutions, then the layers below (U-Net, one axis)."""
    return chain(conv(3), conv(3), *layers)


bottom = [pool(2), *unet_level().layers] * 4     # four levels down, to the bottom
skip = unet_level()                                # the top level's feature map
back = unet_level(bottom)
for _ in range(4):                                 # up: k2 s2, then two unpadded convolutions
    back = back + chain(conv_transpose(2, 2), conv(3), conv(3))
back = chain(*back.layers[:-2])                    # the top level's upsampled map
print("skip", skip.sizes(572)[-1], "upsampled", back.sizes(572)[-1], "crop the skip at",
      crop_offset(skip, back))
assert (skip.sizes(572)[-1], back.sizes(572)[-1], crop_offset(skip, back)) == (568, 392, 88)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# `convlib.receptive_field` against autograd on random chains of convolutions, poolings (with
# and without `ceil_mode`) and transposed convolutions: the inputs that reach every output are
# autograd's, and the sizes are PyTorch's (`tests/test_receptive_field.py` checks random chains
# and the centres of symmetric kernels too). A few here:

# %% slideshow={"slide_type": "-"}
def torch_chain(layers):
    modules = []
    for layer in layers:
        k, s, p, d = layer.kernel_size, layer.stride, layer.padding, layer.dilation
        if layer.name == "pool":
            modules.append(nn.AvgPool1d(k, s, p, ceil_mode=layer.ceil_mode))
        elif layer.transposed:
            modules.append(nn.ConvTranspose1d(1, 1, k, s, p, layer.output_padding, dilation=d,
                                              bias=False))
        else:
            modules.append(nn.Conv1d(1, 1, k, s, p, dilation=d, bias=False))
    for m in modules:
        if hasattr(m, "weight"):
            nn.init.ones_(m.weight)
    return nn.Sequential(*modules).double()


checked = 0
for layers in ([conv(3, 2, 1), conv_transpose(4, 2, 1), conv(3, 1, 1, 2)],
               [pool(2, ceil_mode=True), conv_transpose(3, 3, 1, 2), conv(2, 2), pool(2)],
               [conv_transpose(5, 2, 2, 1, 2), pool(3, 2, 1, ceil_mode=True)]):
    net, c, n = torch_chain(layers), chain(*layers), 11
    x = torch.ones(1, 1, n, dtype=torch.float64, requires_grad=True)
    out = net(x)
    assert out.shape[-1] == c.sizes(n)[-1]
    for v in range(out.shape[-1]):
        x.grad = None
        out[0, 0, v].backward(retain_graph=True)
        assert torch.nonzero(x.grad[0, 0]).flatten().tolist() == c.reaching(v, n)
        checked += 1
print(checked, "outputs: the inputs that reach each are autograd's")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - Output u of a layer sits at input a*u + b and sees a window `span` wide: a = s,
#   b = (K-1)/2 - p, span K - 1 for a convolution or pooling; a = 1/s, b = (p - (K-1)/2)/s,
#   span (K-1)/s for a transposed convolution. `output_padding` moves nothing.
# - A transposed layer's output sees the inputs in a window (K-1)/s wide: `kernel_size=2,
#   stride=2` 1, `kernel_size=4, stride=2, padding=1` 2, `kernel_size=3, stride=2, padding=1,
#   output_padding=1` 1 or 2 by phase.
# - Through a chain the window grows by span times the jump: after three downsamplings by 2 a
#   3x3x3 convolution adds 2^3 * 2 = 16. `Chain.reaching` gives the exact inputs.
# - Two chains from one input line up by cropping at (b_target - b_cropped)/a: FCN-32s 19
#   (32u + 12.5 against 32u + 31.5), FCN-8s 5, 9 and 31, the U-Net's top skip 88. A fraction
#   means no crop can align them.
# - A transposed layer with its encoder's `kernel_size`, `stride`, `padding` and `dilation`
#   inverts the encoder's map: no crop, and `output_size=` makes the sizes match.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("14.1")` shows the answer and how to get it.

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** `nn.ConvTranspose1d(1, 1, kernel_size=5, stride=2, padding=2)`: how many inputs reach an
# output away from the borders, for an even output and for an odd one? Give `[even, odd]`.

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("14.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** Three `Conv1d(kernel_size=3, stride=2, padding=1)`, then one `Conv1d(kernel_size=5)`.
# How many inputs does one output of the last layer see (away from the borders)?

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("14.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** An encoder's map goes through `nn.MaxPool1d(2)`, and the decoder brings it back with
# `nn.ConvTranspose1d(c, c, kernel_size=4, stride=2)` (no padding). From which index must you
# crop the upsampled map so that each of its entries sits (where its kernel's centre puts it)
# on the encoder's entry (before pooling) with the same index?

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("14.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4.** After `nn.Conv1d(c, c, kernel_size=5, stride=2, padding=1)`, choose `kernel_size` and
# `padding` for an `nn.ConvTranspose1d(c, c, kernel_size, stride=2, padding=padding)` that puts
# every output where it came from, so that no crop is needed. Give `(kernel_size, padding)`.
# (More than one answer is right.)

# %% slideshow={"slide_type": "-"}
answer_4 = None  # replace None with your answer
grade("14.4", answer_4)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 13_in_training](13_in_training.ipynb) | [contents](00_index.ipynb) | [15_deploy >](15_deploy.ipynb)

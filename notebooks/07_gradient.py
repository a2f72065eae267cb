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
# # Transposed convolution is the gradient of convolution
#
# **Question:** PyTorch's documentation says `nn.ConvTranspose2d` "can be seen as the gradient of `Conv2d` with respect to its input": in exactly what sense, with which arguments (the same weight tensor? the same `stride`, `padding`, `dilation` and `groups`? which `output_padding`?), and is the gradient of a transposed convolution a convolution?
#
# What you will learn:
# - For any loss, the gradient of a convolution `x = conv2d(z, w)` with respect to its input is
#   exactly `z.grad = conv_transpose2d(g, w)`, where `g = dL/dx` is the gradient arriving from above.
# - Which arguments: the very same tensor `w`, the same `stride`, `padding`, `dilation` and
#   `groups`, and the `output_padding` that gives back z's size.
# - Why: the adjoint identity `<C z, x> = <z, C.T x>`, checked numerically.
# - The converse: the gradient of a transposed convolution with respect to its input is a convolution.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 06_dilation_output_padding](06_dilation_output_padding.ipynb) | [contents](00_index.ipynb) | [08_in_practice >](08_in_practice.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# PyTorch's documentation of `nn.ConvTranspose2d` says that the layer "can be seen as the gradient
# of Conv2d with respect to its input", and Dumoulin and Visin's guide that the error is
# backpropagated by multiplying with `C.T`. [02_matrix](02_matrix.ipynb) showed what `C.T` does,
# and why applying it to the convolution's own output is not the gradient of `L = x.sum()`. A
# learner now wants the statement exact. Take a convolution
# `x = conv2d(z, w, stride, padding, dilation, groups)` and any loss `L`:
# - Is `z.grad` a transposed convolution of the upstream gradient `g = dL/dx`, exactly, for every loss?
# - With which arguments? A convolution stores its weight as `(out, in/groups, k, k)` and a
#   transposed convolution as `(in, out/groups, k, k)`: must `w` be rearranged first?
# - The `k3s2p1` convolution maps a 4x4 `z` to 2x2; the transposed convolution of a 2x2 `g` is
#   3x3. How does it give the 4x4 gradient?
# - And the other way round: is the gradient of a transposed convolution a convolution?

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch
#
# The 4x4 image `z` = 1..16 of chapter 02 and a random 3x3 kernel. We draw small **integers** so
# that every sum below is exact and "equal" means `torch.equal`, not "close".

# %% slideshow={"slide_type": "-"}
import numpy as np
import torch
import torch.nn.functional as F

import convlib

torch.manual_seed(0)
z = torch.arange(1.0, 17.0).reshape(1, 1, 4, 4).requires_grad_()
w = torch.randint(-3, 4, (1, 1, 3, 3)).float()
x = F.conv2d(z, w)
print("w =", w[0, 0].int().tolist(), "| x =", x[0, 0].int().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# A loss turns `x` into one number. Any loss `L` reaches the convolution only through
# `g = dL/dx`, the *upstream gradient*, of x's shape. Take a random `g` and the loss `L = sum(x * g)`,
# whose `dL/dx` is exactly `g`, and compare autograd's `z.grad` with the transposed convolution
# of `g` and with `C.T @ g`:

# %% slideshow={"slide_type": "-"}
g = torch.randint(-3, 4, x.shape).float()
(x * g).sum().backward()
C = convlib.conv_matrix(w, (1, 4, 4))  # (4, 16): x.ravel() == C @ z.ravel()
print("z.grad                 =", z.grad[0, 0].int().tolist())
print("conv_transpose2d(g, w) =", F.conv_transpose2d(g, w)[0, 0].int().tolist())
print("C.T @ g                =", (C.T @ g.ravel()).reshape(4, 4).int().tolist())
assert torch.equal(z.grad, F.conv_transpose2d(g, w))
assert torch.equal(z.grad.ravel(), C.T @ g.ravel())

# %% [markdown] slideshow={"slide_type": "fragment"}
# All three are equal, to the last digit. (`C.T` applied to `x` itself is the gradient of another
# loss, `L = sum(x * x) / 2`: chapter 02.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### Why C.T
#
# A convolution is linear: `x = C z` (flattened). For any loss, the chain rule gives
# $\frac{\partial L}{\partial z_j} = \sum_i \frac{\partial L}{\partial x_i} \frac{\partial x_i}{\partial z_j} = \sum_i g_i C_{ij}$,
# that is `z.grad = C.T @ g`. Row `i` of `C` says which inputs output `i` reads and with which
# weights; column `j` of `C` says which outputs input `j` reaches, so `C.T` sends each `g_i`
# back along the same connections. That is a scatter-add of `g` with the kernel: a transposed
# convolution ([03_scatter_add](03_scatter_add.ipynb)). Nothing depends on the loss but `g`
# ([02_matrix](02_matrix.ipynb) worked out the loss `L = x.sum()`, whose `g` is all ones).
#
# Here is `g` becoming `z.grad`: each of the four `g` values stamps `g * w` onto a 4x4 canvas,
# where the convolution had read its window of `z`, and the stamps add up. The explorer calls its
# input x: here it is `g`, and its output is `z.grad`. Step back through `step` to see the stamps
# one at a time:

# %% slideshow={"slide_type": "-"}
from convlib.explorers import scatter_explorer

stamps = scatter_explorer(input=g[0, 0], weight=w[0, 0], stride=1, padding=0, output_padding=0,
                          step=4)
assert np.array_equal(stamps.scene.facts["output"], z.grad[0, 0].numpy())
stamps

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The adjoint identity
#
# `C.T` is the *adjoint* of `C`: for every `z` and every `x` of the right shapes,
# `<C z, x> = <z, C.T x>` (both are `x.T C z`). With convlib's matrix and integer arrays the two
# inner products are equal to the last digit, for a convolution with stride, padding, dilation and groups:

# %% slideshow={"slide_type": "-"}
rng = np.random.default_rng(0)
params = dict(stride=2, padding=1, dilation=2, groups=2)
w4 = rng.integers(-3, 4, size=(4, 1, 3, 3))          # Conv layout: 4 out, 2 in / 2 groups
za = rng.integers(-3, 4, size=(2, 7, 6))
Ca = convlib.conv_matrix(w4, za.shape, **params)
xa = rng.integers(-3, 4, size=Ca.shape[0])
print("C:", Ca.shape)
print("<C z, x>   =", (Ca @ za.ravel()) @ xa)
print("<z, C.T x> =", za.ravel() @ (Ca.T @ xa))

# %% [markdown] slideshow={"slide_type": "fragment"}
# The two sides are computed by the ordinary convolution and the transposed one, with the same
# weight and parameters. `output_padding` restores the 7x6 input's size (next section explains it):

# %% slideshow={"slide_type": "-"}
Cz = convlib.conv(za, w4, **params)
CTx = convlib.conv_transpose_scatter(xa.reshape(Cz.shape), w4, output_padding=(0, 1), **params)
print("conv(z):", Cz.shape, "| conv_transpose(x):", CTx.shape)
print("<conv(z), x>           =", Cz.ravel() @ xa)
print("<z, conv_transpose(x)> =", za.ravel() @ CTx.ravel())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Stride and output_padding
#
# With `stride=2, padding=1` (the `k3s2p1` convolution) the 4x4 `z` gives a 2x2 `x`, and the
# transposed convolution of a 2x2 `g` is 3x3: the convolution maps both 3x3 and 4x4 to 2x2, and
# the transposed one cannot know which it came from ([01_shapes](01_shapes.ipynb) works this out).
# `output_padding` is the offset of z's size from the smallest candidate
# (`convlib.conv_input_sizes` lists them):

# %% slideshow={"slide_type": "-"}
z.grad = None
x2 = F.conv2d(z, w, stride=2, padding=1)
g2 = torch.randint(-3, 4, x2.shape).float()
(x2 * g2).sum().backward()
sizes = convlib.conv_input_sizes(2, 3, stride=2, padding=1)
print("input sizes that give 2:", list(sizes), "| z is 4, so output_padding =", 4 - sizes[0])
print("without output_padding:", tuple(F.conv_transpose2d(g2, w, stride=2, padding=1).shape))
grad = F.conv_transpose2d(g2, w, stride=2, padding=1, output_padding=1)
print("with output_padding=1: ", tuple(grad.shape), "equals z.grad:", torch.equal(grad, z.grad))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The general rule
#
# For any convolution `x = F.conv2d(z, w, stride=s, padding=p, dilation=d, groups=G)` and any loss:
#
# `z.grad = F.conv_transpose2d(g, w, stride=s, padding=p, output_padding=op, groups=G, dilation=d)`
#
# with keywords (`F.conv_transpose2d`'s positional order is `input, weight, bias, stride, padding,
# output_padding, groups, dilation`: not the convolution's), the **same** tensor `w` (a
# convolution's weight `(out, in/groups, k)` is read by the transposed one as `(in, out/groups, k)`:
# exactly the swap it needs), and `op = i - min(conv_input_sizes(...))` per dimension, with `i`
# z's size. Here with 4 channels, 2 groups, and different settings per dimension:

# %% slideshow={"slide_type": "-"}
params = dict(stride=(2, 3), padding=(1, 0), dilation=(1, 2), groups=2)
zb = torch.randint(-3, 4, (1, 4, 9, 11)).float().requires_grad_()
wb = torch.randint(-3, 4, (6, 2, 3, 2)).float()
xb = F.conv2d(zb, wb, **params)
gb = torch.randint(-3, 4, xb.shape).float()
(xb * gb).sum().backward()
ranges = convlib.conv_input_sizes(tuple(xb.shape[2:]), (3, 2), params["stride"],
                                  params["padding"], params["dilation"])
output_padding = tuple(i - r[0] for i, r in zip(zb.shape[2:], ranges))
gradient = F.conv_transpose2d(gb, wb, output_padding=output_padding, **params)
print("x:", tuple(xb.shape), "| output_padding:", output_padding)
print("equals z.grad:", torch.equal(gradient, zb.grad))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The converse
#
# A transposed convolution `y = C.T x` has the gradient `x.grad = (C.T).T h = C h` for the
# upstream gradient `h = dL/dy`: an ordinary convolution with the same weight and parameters
# (`output_padding` drops out; the convolution maps the larger size back to x's).

# %% slideshow={"slide_type": "-"}
x3 = torch.randint(-3, 4, (1, 1, 2, 2)).float().requires_grad_()
y3 = F.conv_transpose2d(x3, w, stride=2, padding=1, output_padding=1)
h = torch.randint(-3, 4, y3.shape).float()
(y3 * h).sum().backward()
print("x.grad            =", x3.grad[0, 0].int().tolist())
print("conv2d(h, w, ...) =", F.conv2d(h, w, stride=2, padding=1)[0, 0].int().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Explore
#
# `matrix_explorer` draws the first example as matrices: the transposed convolution of `g` (its
# input, 2x2) is `C.T g`, which is `z.grad` (its output, 4x4), and `C` (4x16) is the convolution
# of the question. Row 5 of `Cᵀ` collects the `g` values that reach `z.grad[1, 1]`; switch `pick`
# to `input` to see where one `g` value goes.

# %% slideshow={"slide_type": "-"}
from convlib.explorers import matrix_explorer

matrix_explorer(input=g[0, 0], weight=w[0, 0], pick="output", element=5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# The gradients above are transposed convolutions, and PyTorch and convlib's four methods agree
# on them (asserted for each, printed once).

# %% slideshow={"slide_type": "-"}
for g_, w_, p in [(g, w, {}), (g2, w, dict(stride=2, padding=1, output_padding=1)),
                  (gb, wb, dict(output_padding=output_padding, **params))]:
    result = convlib.compare(g_, w_, **p)
    assert result.agree, p
print(result.summary)

# %% slideshow={"slide_type": "-"}
z_first = torch.arange(1.0, 17.0).reshape(1, 1, 4, 4)
assert torch.equal(z.grad, F.conv_transpose2d(g2, w, stride=2, padding=1, output_padding=1))
assert torch.equal(zb.grad, gradient)
assert torch.equal(F.conv_transpose2d(g2, w, None, 2, 1, 1), grad)  # bias, stride, padding, output_padding
assert torch.equal(x3.grad, F.conv2d(h, w, stride=2, padding=1))
assert torch.equal((C.T @ g.ravel()).reshape(4, 4), F.conv_transpose2d(g, w)[0, 0])
assert not torch.equal(C.T @ F.conv2d(z_first, w).ravel(), C.T @ g.ravel())  # C.T x: another loss
assert (Ca @ za.ravel()) @ xa == za.ravel() @ (Ca.T @ xa)
assert Cz.ravel() @ xa == za.ravel() @ CTx.ravel()
print("all checks passed")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - A convolution is `x = C z`; for any loss, `z.grad = C.T @ g` with `g = dL/dx` (all ones for `L = x.sum()`).
# - `C.T @ g` is `F.conv_transpose2d(g, w, stride=s, padding=p, output_padding=op, groups=G, dilation=d)`, with the same tensor `w` and the convolution's `stride`, `padding`, `dilation`, `groups` (pass them by keyword).
# - `op = i - min(conv_input_sizes(...))` gives back the input's size when the stride's rounding lost it.
# - The adjoint identity `<C z, x> = <z, C.T x>` holds exactly; it is the definition of the transpose.
# - Conversely, the gradient of a transposed convolution with respect to its input is a convolution.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("07.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** A convolution with `kernel_size=3, stride=2, padding=1` takes a 7x7 input. Which
# `output_padding` makes `conv_transpose2d` of its upstream gradient a 7x7 gradient for that
# input?

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("07.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** A convolution with the kernel 1..9 (`torch.arange(1., 10.).view(1, 1, 3, 3)`),
# `stride=2, padding=1` takes a 4x4 input and gives 2x2. For the loss L = the sum of its 4
# outputs, what is the gradient of L at input row 1, column 2? (Which kernel entries read that
# input entry?)

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("07.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** How many rows and columns does `C` have for a convolution with 3 output channels, 2 input
# channels, `kernel_size=3, stride=2, padding=1`, on a 2x5x5 input? Give `(rows, columns)`.

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("07.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4. Implement it.** Write a convolution's input gradient as one transposed convolution. For
# `x = F.conv2d(z, w, stride=stride, padding=padding, dilation=dilation, groups=groups)` and the
# loss `L = (x * g).sum()`, `input_gradient(g, w, input_size, stride, padding, dilation, groups)`
# gets the upstream gradient `g` (shaped like `x`), the weight `w` (float64 tensors), `z`'s
# spatial size as a tuple and four ints, and must return `z.grad` with one call of
# `F.conv_transpose2d`, no autograd. `grade_function` compares it with autograd on cases from one
# channel without stride up to groups and dilation, and shows the first case it gets wrong with
# the gradient it should give.

# %% slideshow={"slide_type": "-"}
def input_gradient(g, w, input_size, stride, padding, dilation, groups):
    return None  # replace with your code


grade_function("07.4", input_gradient)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 06_dilation_output_padding](06_dilation_output_padding.ipynb) | [contents](00_index.ipynb) | [08_in_practice >](08_in_practice.ipynb)

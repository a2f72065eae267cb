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
# **Question:** If backpropagation through a convolution multiplies by `C.T`, why is `x.grad` not `C.T @ y`, and in what exact sense is a transposed convolution the gradient of a convolution?
#
# What you will learn:
# - `x.grad` of a convolution is `C.T @ g`, where `g` is the gradient arriving from above, not the output `y`.
# - `C.T @ g` is `F.conv_transpose2d(g, w)` with the same `stride`, `padding`, `dilation` and `groups`, plus the `output_padding` that gives back the input's size.
# - The adjoint identity `<C x, y> = <x, C.T y>`, checked numerically.
# - The converse: the gradient of a transposed convolution with respect to its input is a convolution.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 06_dilation_output_padding](06_dilation_output_padding.ipynb) | [contents](00_index.ipynb) | [08_in_practice >](08_in_practice.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# A learner reads in Dumoulin and Visin's guide that "the error is backpropagated by multiplying the
# loss with `C.T`", where `C` is the 4x16 matrix of a 3x3 convolution on a 4x4 input. They take
# `x` = the numbers 1 to 16 as a 4x4 image and a random 3x3 kernel `w`, compute `y = conv2d(x, w)`, build
# `C` by hand and compare `C.T @ y` with `x.grad`. They differ. Which is wrong: the guide, or the test?
#
# The test. `x.grad` needs a scalar loss, and `C.T` multiplies *the gradient of the loss with
# respect to `y`*, not `y` itself. (Chapter [02_matrix](02_matrix.ipynb) builds `C`; here we follow
# the gradient.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch
#
# The learner's `x`, and a random 3x3 kernel. We draw small **integers** so that every sum below is
# exact and "equal" means `torch.equal`, not "close".

# %% slideshow={"slide_type": "-"}
import numpy as np
import torch
import torch.nn.functional as F

import convlib

torch.manual_seed(0)
x = torch.arange(1.0, 17.0).reshape(1, 1, 4, 4).requires_grad_()
w = torch.randint(-3, 4, (1, 1, 3, 3)).float()
y = F.conv2d(x, w)
print("w =", w[0, 0].int().tolist(), "| y =", y[0, 0].int().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# A loss turns `y` into one number. Any loss `L` reaches the convolution only through
# `g = dL/dy`, the *upstream gradient*, of `y`'s shape. Take a random `g` and the loss `L = sum(y * g)`,
# whose `dL/dy` is exactly `g`:

# %% slideshow={"slide_type": "-"}
g = torch.randint(-3, 4, y.shape).float()
(y * g).sum().backward()
C = convlib.conv_matrix(w, (1, 4, 4))  # (4, 16): y.ravel() == C @ x.ravel()
print("x.grad         =", x.grad[0, 0].int().tolist())
print("C.T @ g        =", (C.T @ g.ravel()).reshape(4, 4).int().tolist())
print("C.T @ y        =", (C.T @ y.detach().ravel()).reshape(4, 4).int().tolist())

# %% [markdown] slideshow={"slide_type": "fragment"}
# `x.grad` is `C.T @ g`. The learner's `C.T @ y` would be the gradient of `L = sum(y * y) / 2`, a different loss.
# And `C.T @ g` is a transposed convolution of `g` with the same kernel:

# %% slideshow={"slide_type": "-"}
print("conv_transpose2d(g, w) =", F.conv_transpose2d(g, w)[0, 0].int().tolist())
print("equals x.grad:", torch.equal(F.conv_transpose2d(g, w), x.grad))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### Why C.T
#
# A convolution is linear: `y = C x` (flattened). For any loss, the chain rule gives
# $\frac{\partial L}{\partial x_j} = \sum_i \frac{\partial L}{\partial y_i} \frac{\partial y_i}{\partial x_j} = \sum_i g_i C_{ij}$,
# that is `x.grad = C.T @ g`. Row `i` of `C` says which inputs output `i` reads and with which
# weights; column `j` of `C` says which outputs input `j` reaches, so `C.T` sends each `g_i`
# back along the same connections. That is a scatter-add of `g` with the kernel: a transposed convolution.
#
# With `L = y.sum()`, `g` is all ones and `x.grad = C.T @ ones`: each input's gradient is the sum of
# the weights that touched it.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The adjoint identity
#
# `C.T` is the *adjoint* of `C`: for every `x` and every `y` of the right shapes,
# `<C x, y> = <x, C.T y>` (both are `y.T C x`). With convlib's matrix and integer arrays the two
# inner products are equal to the last digit, for a convolution with stride, padding, dilation and groups:

# %% slideshow={"slide_type": "-"}
rng = np.random.default_rng(0)
params = dict(stride=2, padding=1, dilation=2, groups=2)
w4 = rng.integers(-3, 4, size=(4, 1, 3, 3))          # Conv layout: 4 out, 2 in / 2 groups
xa = rng.integers(-3, 4, size=(2, 7, 6))
Ca = convlib.conv_matrix(w4, xa.shape, **params)
ya = rng.integers(-3, 4, size=Ca.shape[0])
print("C:", Ca.shape)
print("<C x, y>   =", (Ca @ xa.ravel()) @ ya)
print("<x, C.T y> =", xa.ravel() @ (Ca.T @ ya))

# %% [markdown] slideshow={"slide_type": "fragment"}
# The two sides are computed by the ordinary convolution and the transposed one, with the same
# weight and parameters. `output_padding` restores the 7x6 input's size (next section explains it):

# %% slideshow={"slide_type": "-"}
Cx = convlib.conv(xa, w4, **params)
CTy = convlib.conv_transpose_scatter(ya.reshape(Cx.shape), w4, output_padding=(0, 1), **params)
print("conv(x):", Cx.shape, "| conv_transpose(y):", CTy.shape)
print("<conv(x), y>           =", Cx.ravel() @ ya)
print("<x, conv_transpose(y)> =", xa.ravel() @ CTy.ravel())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Stride and output_padding
#
# With `stride=2, padding=1` (the `k3s2p1` convolution) the 4x4 input gives a 2x2 `y`. The
# transposed convolution of a 2x2 `g` is 3x3, not 4x4: the convolution maps both 3x3 and 4x4 to
# 2x2 (it rounds down), and the transposed one cannot know which it came from.
# `convlib.conv_input_sizes` lists the candidates; `output_padding` is the offset of the true size
# from the smallest:

# %% slideshow={"slide_type": "-"}
x.grad = None
y2 = F.conv2d(x, w, stride=2, padding=1)
g2 = torch.randint(-3, 4, y2.shape).float()
(y2 * g2).sum().backward()
sizes = convlib.conv_input_sizes(2, 3, stride=2, padding=1)
print("input sizes that give 2:", list(sizes), "| x is 4, so output_padding =", 4 - sizes[0])
print("without output_padding:", tuple(F.conv_transpose2d(g2, w, stride=2, padding=1).shape))
grad = F.conv_transpose2d(g2, w, stride=2, padding=1, output_padding=1)
print("with output_padding=1: ", tuple(grad.shape), "equals x.grad:", torch.equal(grad, x.grad))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The general rule
#
# For any convolution `y = conv2d(x, w, stride, padding, dilation, groups)`:
#
# `x.grad = conv_transpose2d(g, w, stride, padding, output_padding, groups, dilation)`
#
# with the **same** tensor `w` (a convolution's weight `(out, in/groups, k)` is read by the transposed
# one as `(in, out/groups, k)`: exactly the swap it needs) and `output_padding = i - min(conv_input_sizes(...))`
# per dimension. Here with 4 channels, 2 groups, and different settings per dimension:

# %% slideshow={"slide_type": "-"}
params = dict(stride=(2, 3), padding=(1, 0), dilation=(1, 2), groups=2)
xb = torch.randint(-3, 4, (1, 4, 9, 11)).float().requires_grad_()
wb = torch.randint(-3, 4, (6, 2, 3, 2)).float()
yb = F.conv2d(xb, wb, **params)
gb = torch.randint(-3, 4, yb.shape).float()
(yb * gb).sum().backward()
ranges = convlib.conv_input_sizes(tuple(yb.shape[2:]), (3, 2), params["stride"],
                                  params["padding"], params["dilation"])
output_padding = tuple(i - r[0] for i, r in zip(xb.shape[2:], ranges))
gradient = F.conv_transpose2d(gb, wb, output_padding=output_padding, **params)
print("y:", tuple(yb.shape), "| output_padding:", output_padding)
print("equals x.grad:", torch.equal(gradient, xb.grad))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The converse
#
# A transposed convolution is `C.T`, so its gradient with respect to its input is `(C.T).T = C`:
# an ordinary convolution with the same weight and parameters (`output_padding` drops out; the
# convolution maps the larger size back to the input's).

# %% slideshow={"slide_type": "-"}
u = torch.randint(-3, 4, (1, 1, 2, 2)).float().requires_grad_()
z = F.conv_transpose2d(u, w, stride=2, padding=1, output_padding=1)
h = torch.randint(-3, 4, z.shape).float()
(z * h).sum().backward()
print("u.grad            =", u.grad[0, 0].int().tolist())
print("conv2d(h, w, ...) =", F.conv2d(h, w, stride=2, padding=1)[0, 0].int().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Explore
#
# `matrix_explorer` draws the first example as matrices. Its names are the transposed
# convolution's: its input `x` is our upstream gradient `g`, its output `y = Cᵀx` is our `x.grad`,
# and `C` (4x16) is the convolution of the question. Row 5 of `Cᵀ` collects the `g` values that
# reach `x.grad[1, 1]`; switch `pick` to `input` to see where one `g` value goes.

# %% slideshow={"slide_type": "-"}
from convlib.widgets import matrix_explorer

matrix_explorer(input=g[0, 0], weight=w[0, 0], pick="output", element=5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# The gradients above are transposed convolutions, and PyTorch and convlib's three methods agree on them.

# %% slideshow={"slide_type": "-"}
for g_, w_, p in [(g, w, {}), (g2, w, dict(stride=2, padding=1, output_padding=1)),
                  (gb, wb, dict(output_padding=output_padding, **params))]:
    result = convlib.compare(g_, w_, **p)
    assert result.agree, p
    print(result.summary)

# %% slideshow={"slide_type": "-"}
x_first = torch.arange(1.0, 17.0).reshape(1, 1, 4, 4)
assert torch.equal(x.grad, F.conv_transpose2d(g2, w, stride=2, padding=1, output_padding=1))
assert torch.equal(xb.grad, gradient)
assert torch.equal(u.grad, F.conv2d(h, w, stride=2, padding=1))
assert torch.equal((C.T @ g.ravel()).reshape(4, 4), F.conv_transpose2d(g, w)[0, 0])
# the learner's C.T @ y is another thing
assert not torch.equal(C.T @ F.conv2d(x_first, w).ravel(), C.T @ g.ravel())
assert (Ca @ xa.ravel()) @ ya == xa.ravel() @ (Ca.T @ ya)
print("all checks passed")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - A convolution is `y = C x`; for any loss, `x.grad = C.T @ g` with `g = dL/dy` (all ones for `L = y.sum()`).
# - `C.T @ g` is `conv_transpose2d(g, w)` with the same `w`, `stride`, `padding`, `dilation`, `groups`; `C.T @ y` is the transposed convolution of `y`: the gradient of `L = sum(y * y) / 2`, not the `x.grad` of `L = y.sum()`.
# - `output_padding = i - min(conv_input_sizes(...))` gives back the input's size when the stride's rounding lost it.
# - The adjoint identity `<C x, y> = <x, C.T y>` holds exactly; it is the definition of the transpose.
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

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
# # The matrix view: C, its transpose and the gradient
#
# **Question:** How does a 3x3 convolution on a 4x4 image become the 4x16 matrix C, what does C.T do with the 4 outputs, and does C.T @ (C @ z) give z back?
#
# What you will learn:
# - how to write a convolution as one matrix C (4x16 for a 3x3 kernel on a 4x4 input), by hand and
#   with `convlib.conv_matrix`;
# - that C.T maps 4 values back to 16, and that applying it is the transposed convolution;
# - that C.T is not an inverse: C.T @ (C @ z) is not z, and no rescaling can make it so;
# - in short, why C.T applied to the convolution's output is not the gradient (chapter 07 works
#   the gradient out);
# - how to check all of it numerically against PyTorch.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 01_shapes](01_shapes.ipynb) | [contents](00_index.ipynb) | [03_scatter_add >](03_scatter_add.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# A learner reads section 4.1 of Dumoulin and Visin's *A guide to convolution arithmetic*: a
# convolution of a 4x4 input with a 3x3 kernel can be written as a 4x16 matrix C acting on the
# flattened input, and "the error is backpropagated by multiplying the loss with C.T", which takes
# 4 values to 16.
#
# To try it, they take the numbers 1, 2, ..., 16 as a 4x4 image and a random 3x3 kernel w, compute
# the 2x2 convolution, and build C by hand: four rows of 16, with the rows of w in the right places
# (twelve assignments). In this book's names (see the [index](00_index.ipynb)) the image is `z`
# and the convolution's output is `x = C z`, the input of the transposed convolution. Three
# things are not clear to them:
# - Is that C right, and how would one build it for any stride and padding?
# - What does C.T do with the 4 values of x?
# - C goes from 16 values to 4 and C.T from 4 back to 16: does C.T @ (C @ z) give z back?
#
# Their next test, C.T @ x against the gradient `z.grad`, gets a short answer here;
# [07_gradient](07_gradient.ipynb) works out in what sense a transposed convolution *is* the gradient.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch
#
# The learner's image, kernel and convolution (seeded, so the "random" kernel is the same for
# everyone):

# %% slideshow={"slide_type": "-"}
import torch
import torch.nn.functional as F

import convlib

torch.set_printoptions(precision=2, linewidth=100)
torch.manual_seed(0)
z = torch.arange(1, 17, dtype=torch.float).reshape(4, 4)
w = torch.rand(3, 3)
w

# %% slideshow={"slide_type": "-"}
z1 = z.view(1, 1, 4, 4).requires_grad_()   # one image, one channel
w1 = w.view(1, 1, 3, 3)                     # one output channel, one input channel
x1 = F.conv2d(z1, w1)
x1

# %% [markdown] slideshow={"slide_type": "subslide"}
# The learner's C, row by row. Each row of C belongs to one output position (a, b); the window
# under it starts at input row a, column b, so kernel row r goes to flat columns 4(a + r) + b to
# 4(a + r) + b + 2.
# The loop writes exactly the learner's twelve assignments (`C[0, :3] = w[0]`, `C[0, 4:7] = w[1]`, ...).

# %% slideshow={"slide_type": "-"}
C_hand = torch.zeros(4, 16)
for row, (a, b) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
    for r in range(3):
        start = 4 * (a + r) + b
        C_hand[row, start:start + 3] = w[r]

# %% [markdown] slideshow={"slide_type": "-"}
# `convlib.conv_matrix` builds the same matrix for any weight, input shape, `stride`, `padding`,
# `dilation` and `groups`:

# %% slideshow={"slide_type": "-"}
C = convlib.conv_matrix(w1, input_shape=(1, 4, 4))
print(C.shape, "equal to the hand-built C:", torch.equal(C, C_hand))

# %% [markdown] slideshow={"slide_type": "subslide"}
# C.T goes back from 4 values to 16. Does it go back to z? The round trip beside z:

# %% slideshow={"slide_type": "-"}
round_trip = (C.T @ (C @ z.ravel())).view(4, 4)
print("z:\n", z)
print("C.T @ (C @ z):\n", round_trip)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Not z. And the learner's next test: run backward on the sum of x and compare `z.grad` with
# C.T @ x, which is the round trip just printed (x = C z).

# %% slideshow={"slide_type": "-"}
x1.sum().backward()
print("z.grad:\n", z1.grad[0, 0])
print("C.T @ x:\n", (C.T @ x1.detach().ravel()).view(4, 4))

# %% [markdown] slideshow={"slide_type": "-"}
# Two different 4x4 results. Nothing is wrong with C: the two products answer different questions.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### C @ z is the convolution
#
# Each row of C is the kernel laid over one window of the input. Reshape a row to the input's
# 4x4 shape and you see the kernel sitting where it is applied: row 0 at the top left, row 3 at the
# bottom right.

# %% slideshow={"slide_type": "-"}
print(C[0].view(4, 4))
print(C[3].view(4, 4))

# %% [markdown] slideshow={"slide_type": "-"}
# Multiplying by the flattened input takes each window's weighted sum: the convolution.

# %% slideshow={"slide_type": "-"}
print((C @ z.ravel()).view(2, 2))
print(x1.detach()[0, 0])

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### C.T maps 4 values to 16: the transposed convolution
#
# C.T has shape 16x4. Column r of C.T is row r of C: output r's kernel, laid out on the 4x4 grid.
# So C.T @ x takes each of the 4 values of x, scales its kernel by it, puts it back where that
# output's window was, and adds everything up. That is the transposed convolution
# (chapter 03 draws it as scatter-add), exactly `F.conv_transpose2d(x, w)`:

# %% slideshow={"slide_type": "-"}
x = x1.detach()
print((C.T @ x.ravel()).view(4, 4))
print(F.conv_transpose2d(x, w1)[0, 0])

# %% [markdown] slideshow={"slide_type": "-"}
# convlib computes it the same way: `convlib.conv_transpose_matrix(x, w1)` builds C for the output's
# shape and returns y = C.T @ x (`convlib/matrix.py`).

# %% [markdown] slideshow={"slide_type": "subslide"}
# The explorer draws C.T for this x and w, with the transposed convolution's input x and output
# y = C.T x. Pick an output to see its row of C.T, or an input to see its column (its stamp);
# change `stride` and `padding` to see C change shape.
#
# The explorer keeps its numbers with all their digits (so that the book site can redraw it), so
# it is given x computed exactly: in float64, x's sums of 9 products are exact (w's entries are
# multiples of 2⁻²⁴, z's whole numbers, the sums below 2⁸). In float32 their last bits depend on
# the order in which your CPU adds, and can differ from one machine to the next. The exact x
# agrees with the x above to float32 rounding:

# %% slideshow={"slide_type": "-"}
from convlib.explorers import matrix_explorer

x_exact = F.conv2d(z1.detach().double(), w1.double())
assert torch.allclose(x_exact.float(), x)
matrix_explorer(x_exact[0, 0], w, stride=1, padding=0, output_padding=0, pick="output", element=0)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### C.T is not an inverse
#
# With a kernel of ones the numbers are easy to follow. C @ z adds up each 3x3 window of z = 1..16:
# 54, 63, 90 and 99. C.T @ (C @ z) gives every input the sum of the windows it lies in: z[0, 0] = 1
# lies in the first window only and comes back as 54; z[1, 1] = 6 lies in all four and comes back
# as 54 + 63 + 90 + 99 = 306.

# %% slideshow={"slide_type": "-"}
ones = torch.ones(1, 1, 3, 3)
C_ones = convlib.conv_matrix(ones, (1, 4, 4))
x_ones = C_ones @ z.ravel()
print("C @ z         =", x_ones.view(2, 2).int().tolist())
print("C.T @ (C @ z) =", (C_ones.T @ x_ones).view(4, 4).int().tolist())
print("z             =", z.int().tolist())

# %% [markdown] slideshow={"slide_type": "fragment"}
# No rescaling fixes it. C.T @ C is a 16x16 matrix built from only 4 rows, so its rank is at most
# 4: it cannot be (a multiple of) the identity, whose rank is 16. Twelve directions of z are lost
# by C and C.T cannot bring them back. What C.T restores is the *shape* and the *connections*.
# PyTorch computes the same round trip as a convolution followed by a transposed convolution:

# %% slideshow={"slide_type": "-"}
print("rank of C.T @ C:", int(torch.linalg.matrix_rank(C_ones.T @ C_ones)), "of 16")
back = F.conv_transpose2d(F.conv2d(z.view(1, 1, 4, 4), ones), ones)
print("conv_transpose2d(conv2d(z, w), w) =", back[0, 0].int().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The gradient is C.T applied to dL/dx, not to x
#
# Backpropagation starts from a scalar loss L(x). Since x = C z, the chain rule gives
#
# $$\frac{\partial L}{\partial z} = C^\top \frac{\partial L}{\partial x}.$$
#
# "Multiplying the loss with C.T" means multiplying the *gradient of the loss with respect to x*
# (the error signal arriving from above) by C.T, not x itself. For L = x.sum() every entry of
# dL/dx is 1, so z.grad is C.T @ (1, 1, 1, 1): each input receives the sum of the kernel entries
# it met.

# %% slideshow={"slide_type": "-"}
print((C.T @ torch.ones(4)).view(4, 4))

# %% [markdown] slideshow={"slide_type": "-"}
# That is the z.grad printed above. In PyTorch's words: the backward pass of `conv2d` is
# `conv_transpose2d` applied to the upstream gradient, here `F.conv_transpose2d(torch.ones_like(x), w1)`.
# Chapter 07 follows this thread: for every loss, stride, padding and groups, the gradient of a
# convolution *is* a transposed convolution.

# %% [markdown] slideshow={"slide_type": "subslide"}
# When *would* C.T @ x be the gradient? When dL/dx = x, that is for the loss L = ½ Σ x². Autograd
# agrees:

# %% slideshow={"slide_type": "-"}
z2 = z.view(1, 1, 4, 4).clone().requires_grad_()
(F.conv2d(z2, w1) ** 2 / 2).sum().backward()
print(z2.grad[0, 0])

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### C is mostly zeros
#
# Each row of C holds the 9 kernel entries and 7 zeros: 36 non-zeros out of 64. For a real image the
# matrix is enormous and almost empty, which is why libraries never build it;
# `conv_matrix(..., sparse=True)` keeps only the non-zeros.

# %% slideshow={"slide_type": "-"}
C_sparse = convlib.conv_matrix(w1, (1, 4, 4), sparse=True)
print(C_sparse.nnz, "non-zeros of", C_sparse.shape[0] * C_sparse.shape[1])
big = convlib.conv_matrix(w1, (1, 64, 64), sparse=True)
print(f"64x64 image: C is {big.shape[0]}x{big.shape[1]} with {big.nnz} non-zeros")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# C is the learner's matrix, C @ z is the convolution, z.grad is C.T @ dL/dx, and C.T @ x is the
# transposed convolution of x.

# %% slideshow={"slide_type": "-"}
assert torch.equal(C, C_hand)
assert torch.allclose(C @ z.ravel(), x.ravel())
assert torch.allclose(C.T @ torch.ones(4), z1.grad.ravel())                # L = x.sum()
assert torch.allclose(C.T @ x.ravel(), z2.grad.ravel())                    # L = sum(x**2) / 2
assert torch.allclose(C.T @ x.ravel(), F.conv_transpose2d(x, w1).ravel())
assert not torch.allclose(C.T @ x.ravel(), z1.grad.ravel())                # the learner's surprise
assert not torch.allclose(round_trip, z)                                    # C.T is no inverse
assert torch.equal((C_ones.T @ x_ones).view(1, 1, 4, 4), back)              # ... but conv_transpose
assert back[0, 0, 0, 0] == 54 and back[0, 0, 1, 1] == 54 + 63 + 90 + 99 == 306
assert torch.linalg.matrix_rank(C_ones.T @ C_ones) == 4
assert C_sparse.nnz == 36 and (big.shape, big.nnz) == ((3844, 4096), 34596)
print("all matrix identities hold")

# %% [markdown] slideshow={"slide_type": "subslide"}
# convlib's four methods agree with PyTorch on the learner's x and w (random values, so only
# asserted), and exactly on integer values of the same shapes.

# %% slideshow={"slide_type": "-"}
comparison = convlib.compare(x, w1)
assert comparison.agree, comparison.summary
integers = convlib.compare(torch.arange(1.0, 5.0).view(1, 1, 2, 2), z[:3, :3].reshape(1, 1, 3, 3))
assert integers.agree
print(integers.summary)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - A convolution is a matrix: x = C z, with one row per output holding the kernel under its
#   window (`convlib.conv_matrix`).
# - C.T maps the 4 outputs back to the 16 inputs; y = C.T @ x is the transposed convolution of x,
#   `F.conv_transpose2d(x, w)`.
# - The gradient is z.grad = C.T @ dL/dx. For L = x.sum() that is C.T @ ones, not C.T @ x.
# - C.T @ x is the gradient for L = ½ Σ x² (whose dL/dx is x), and it is not z: transposing is
#   not inverting. With a kernel of ones, z[1, 1] = 6 comes back as 306; C.T @ C has rank 4 of 16.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("02.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** What shape does C have for a 3x3 kernel on a 5x5 input with `stride=2` (no padding)?
# Give a tuple (rows, columns).

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("02.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** A 3x3 kernel on a 4x4 input, stride 1, no padding (this chapter's setting): how many of
# the 4 outputs does the input entry at row 2, column 3 feed? It is entry 11 of the flattened
# input: read it off column 11 of C, or off the windows.

# %% slideshow={"slide_type": "-"}
answer_2 = None  # replace None with your answer
grade("02.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** Exercise 1's convolution with a kernel of ones (3x3, `stride=2`, a 5x5 input, 4 outputs).
# For the loss L = the sum of the 4 outputs, what is the gradient of L with respect to the 5x5
# input? Compute it with C.T, without autograd, as a 5x5 array.

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("02.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4.** C is the matrix of the 3x3 kernel `k` below on a 4x4 input. Compute C.T @ v for the 2x2
# `v` below with one call of a `torch.nn.functional` function on `v` and `k`, without building C.
# The answer is that call's result, shape (1, 1, 4, 4).

# %% slideshow={"slide_type": "-"}
k = torch.arange(1.0, 10.0).view(1, 1, 3, 3)
v = torch.tensor([[[[1.0, 0.0], [0.0, 2.0]]]])
answer_4 = None  # replace None with your answer
grade("02.4", answer_4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **5. Implement it.** Build C yourself for a 1-D convolution, with NumPy only:
# `conv_matrix_1d(w, input_size, stride, padding)` gets a 1-D kernel `w` and returns the matrix C
# with `C @ z == F.conv1d(z, w, stride=stride, padding=padding)` for every 1-D `z` of length
# `input_size` (one row per output, `input_size` columns). `grade_function` compares it with
# `convlib.conv_matrix` on several random cases, smallest first, and shows the first case it gets
# wrong with the matrix it should return.

# %% slideshow={"slide_type": "-"}
def conv_matrix_1d(w, input_size, stride, padding):
    """C with C[o, i] = w[k] where i = stride*o + k - padding."""
    return None  # replace with your code


grade_function("02.5", conv_matrix_1d)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 01_shapes](01_shapes.ipynb) | [contents](00_index.ipynb) | [03_scatter_add >](03_scatter_add.ipynb)

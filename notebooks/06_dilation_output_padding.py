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
# # Dilation and output_padding in depth
#
# **Question:** Where does `output_padding=1` put the extra row and column that turn a 2x2 input into 6x6, what does `dilation` do to the kernel, and why is `output_padding=2` refused?
#
# What you will learn:
# - `dilation` spreads the kernel's taps `dilation` apart: the kernel covers `dilation*(kernel_size-1) + 1` positions.
# - The output size `o = (i-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1`, read off the scatter-add canvas.
# - `output_padding` adds rows and columns **at the end only**; it picks one of the `stride` input sizes that a convolution maps to the same output size.
# - Why `output_padding` must be smaller than `max(stride, dilation)`, and what convlib says when it is not.

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 05_groups](05_groups.ipynb) | [contents](00_index.ipynb) | [07_gradient >](07_gradient.ipynb)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question
#
# The learner's notes of [01_shapes](01_shapes.ipynb) end with a second example: a random input
# of shape `(1, 3, 2, 2)` fed to
# `nn.ConvTranspose2d(3, 1, kernel_size=3, stride=2, output_padding=1)` gives a `6x6` output.
# Without `output_padding` it would be `5x5`. So where is the sixth row and column: at the top, the
# bottom, both sides? What is in it? And the documentation mentions `dilation` in the same formula,
# and says `output_padding` must be smaller than the stride or the dilation: why?

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reproduce it in PyTorch

# %% slideshow={"slide_type": "-"}
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import convlib

torch.manual_seed(0)
torch.set_printoptions(precision=4)
inp = torch.randn(1, 3, 2, 2)
convT = nn.ConvTranspose2d(3, 1, kernel_size=3, stride=2, output_padding=1)
out = convT(inp).detach()
print("output shape", tuple(out.shape))

# %% slideshow={"slide_type": "-"}
w, b = convT.weight.detach(), convT.bias.detach()
out5 = F.conv_transpose2d(inp, w, b, stride=2)  # the same layer without output_padding
print("without output_padding", tuple(out5.shape))
print("top-left 5x5 of the 6x6 is the 5x5:", torch.equal(out[..., :5, :5], out5))
print("last row:   ", out[0, 0, -1])
print("last column:", out[0, 0, :, -1])
print("bias:       ", b)

# %% [markdown] slideshow={"slide_type": "fragment"}
# The extra row is at the **bottom** and the extra column on the **right**. Here both hold nothing
# but the bias, because `padding=0`: they lie past the scatter-add canvas, where no stamp reaches.
# That is not so in general: with `padding` >= 1 they hold computed values (see "The smallest case"
# below). The rest of this chapter explains why.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain
#
# ### Dilation spreads the taps
#
# In the scatter-add view ([03_scatter_add](03_scatter_add.ipynb)) input `x[i]` adds `x[i] * w[k]` at
# canvas position `stride*i + dilation*k`. With `dilation=d` the taps of one stamp land `d`
# apart, with `d-1` holes between them. Take `x = [1, 2]` and `w = [1, 10, 100]`:

# %% slideshow={"slide_type": "-"}
x1 = torch.tensor([[[1.0, 2.0]]])
w1 = torch.tensor([[[1.0, 10.0, 100.0]]])
for d in (1, 2, 3):
    print(f"dilation={d}:", F.conv_transpose1d(x1, w1, dilation=d).ravel().int().tolist())

# %% [markdown] slideshow={"slide_type": "fragment"}
# With `dilation=1` the stamps `[1, 10, 100]` and `[2, 20, 200]` overlap and add: `12, 120`.
# With `dilation=2` the holes of one stamp are filled by the other; with `dilation=3` some stay empty.
# A dilated kernel is the kernel with `d-1` zeros inserted between its taps, covering
# `dilation*(kernel_size-1) + 1` positions. `convlib.zero_insert` builds it:

# %% slideshow={"slide_type": "-"}
w_dilated = convlib.zero_insert(w1.numpy(), 3)
print("dilated kernel:", w_dilated.ravel().astype(int).tolist(),
      "| size", w_dilated.shape[-1], "= 3*(3-1) + 1")
print("same output:", F.conv_transpose1d(x1, torch.from_numpy(w_dilated)).ravel().int().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# Step through the stamps with `dilation=2`, then move `dilation` and `stride`:

# %% slideshow={"slide_type": "-"}
from convlib.explorers import overlap_explorer, scatter_explorer, shapes_explorer

scatter_explorer(input=[1, 2], weight=[1, 10, 100], stride=1, dilation=2, step=2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The output size, read off the canvas
#
# The stamps of `i` inputs, `stride` apart, each `dilation*(kernel_size-1) + 1` wide, cover a
# canvas of `(i-1)*stride + dilation*(kernel_size-1) + 1` positions. The output is that canvas with
# `padding` cut from **both** ends and `output_padding` added at the **end**:
#
# `o = (i-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1`
#
# `convlib.conv_transpose_output_size` is this formula. For the question, `i=2, kernel_size=3, stride=2`:

# %% slideshow={"slide_type": "-"}
for output_padding in (0, 1):
    for dilation in (1, 2):
        o = convlib.conv_transpose_output_size(2, 3, stride=2, output_padding=output_padding,
                                               dilation=dilation)
        print(f"dilation={dilation}, output_padding={output_padding}: {o}x{o}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The question's sizes in `shapes_explorer`: the 2x2 input, the zero-inserted and padded grid of the
# direct view, and the 6x6 output. Move `output_padding` and `dilation` and watch the formula:

# %% slideshow={"slide_type": "-"}
shapes_explorer(input_size=2, kernel_size=3, stride=2, padding=0, output_padding=1, dilation=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### output_padding adds at the end only
#
# In the question `padding=0`, so the 5x5 canvas is the whole output and `output_padding=1` adds a
# row and a column beyond the canvas: no stamp reaches them, only the bias does.
#
# With `padding=1` (the `k3s2p1` layer) the canvas is cropped by one on each side, and
# `output_padding=1` gives back the **last** cropped row and column, never the first. Here is a
# 2x2 input `[[1, 2], [3, 4]]` with a kernel of ones:

# %% slideshow={"slide_type": "-"}
x2 = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
w2 = torch.ones(1, 1, 3, 3)
print("canvas (padding=0):\n", F.conv_transpose2d(x2, w2, stride=2)[0, 0])
print("padding=1:\n", F.conv_transpose2d(x2, w2, stride=2, padding=1)[0, 0])
print("padding=1, output_padding=1:\n",
      F.conv_transpose2d(x2, w2, stride=2, padding=1, output_padding=1)[0, 0])

# %% [markdown] slideshow={"slide_type": "fragment"}
# The 4x4 output is the canvas without its first row and column: the first row stays cut by
# `padding`, the last one comes back. In the direct view ([04_direct](04_direct.ipynb)) the same
# thing reads: pad `dilation*(kernel_size-1) - padding` zeros before, and that plus
# `output_padding` after:

# %% slideshow={"slide_type": "-"}
setup = convlib.validate_sizes((2, 2), kernel_size=3, stride=2, padding=1, output_padding=1)
print("pad_before", setup.pad_before, "pad_after", setup.pad_after)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The smallest case: computed values in the added row and column
#
# For the added entries to hold computed values they must lie on the canvas, so `padding` >= 1,
# and with `dilation=1`, `output_padding=1` needs `stride` >= 2. Take a 1x1 input and `padding=1`.
# With `kernel_size=2` the output *is* the added entry: without `output_padding` it would be 0x0,
# which is refused, and with `output_padding=1` it is 1x1:

# %% slideshow={"slide_type": "-"}
x_one = torch.tensor([[[[2.0]]]])
w_four = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
try:
    convlib.conv_transpose_output_size(1, 2, stride=2, padding=1)
except ValueError as error:
    print("output_padding=0: ValueError:", error)
tiny = F.conv_transpose2d(x_one, w_four, stride=2, padding=1, output_padding=1)
print("output_padding=1:", tiny[0, 0].int().tolist(), "=",
      convlib.explain(x_one, w_four, (0, 0, 0, 0), stride=2, padding=1, output_padding=1).equation)

# %% [markdown] slideshow={"slide_type": "fragment"}
# With `kernel_size=3` one entry is kept and three are added back, so both kinds show side by
# side: the 1x1 input `[[2]]`, the kernel `w` = 1..9, `stride=2, padding=1`. The canvas is the one
# stamp `2 * w`; `padding=1` keeps only its centre, `10`; `output_padding=1` gives back the last
# row and column of what `padding` cropped:

# %% slideshow={"slide_type": "-"}
w_nine = torch.arange(1.0, 10.0).reshape(1, 1, 3, 3)
print("canvas (padding=0):", F.conv_transpose2d(x_one, w_nine, stride=2)[0, 0].int().tolist())
print("padding=1:         ", F.conv_transpose2d(x_one, w_nine, stride=2, padding=1)[0, 0].int().tolist())
smallest = F.conv_transpose2d(x_one, w_nine, stride=2, padding=1, output_padding=1)
print("output_padding=1:  ", smallest[0, 0].int().tolist())
for entry in [(0, 1), (1, 0), (1, 1)]:
    print(convlib.explain(x_one, w_nine, (0, 0, *entry), stride=2, padding=1,
                          output_padding=1).equation)

# %% [markdown] slideshow={"slide_type": "fragment"}
# The added column holds `12 = 2*6` and the added row `16 = 2*8`, with `18 = 2*9` in the corner.
# The whole 2x2 output is `2 * w[1:, 1:]`, the bottom-right 2x2 block of the kernel times the
# input: `padding=1` cut the kernel's first row and column, and `output_padding=1` gave back the
# last ones, but only where they meet that block (`w[1, 2]`, `w[2, 1]`, `w[2, 2]`, not `w[2, 0]`
# or `w[0, 2]`). With `padding=0` the same layer gives a 3x3 canvas plus a 4th row and column of
# zeros (or the bias).

# %% slideshow={"slide_type": "-"}
print("2 * w[1:, 1:] =", (2 * w_nine[0, 0, 1:, 1:]).int().tolist())
unpadded = F.conv_transpose2d(x_one, w_nine, stride=2, output_padding=1)[0, 0]
with_bias = F.conv_transpose2d(x_one, w_nine, torch.tensor([5.0]), stride=2,
                               output_padding=1)[0, 0]
print("padding=0:", unpadded.int().tolist())
assert torch.equal(unpadded[:3, :3], 2 * w_nine[0, 0]) and not unpadded[3].any() \
    and not unpadded[:, 3].any()
assert (with_bias[3] == 5).all() and (with_bias[:, 3] == 5).all()   # the bias 5 alone

# %% [markdown] slideshow={"slide_type": "subslide"}
# Back to the 2x2 input `[[1, 2], [3, 4]]` with a kernel of ones (*output_padding adds at the end
# only*, above), in `scatter_explorer`: grey is what `padding` crops, dashed is what
# `output_padding` adds back at the end. Set `output_padding` to 0, or `padding` to 0:

# %% slideshow={"slide_type": "-"}
scatter_explorer(input=[[1, 2], [3, 4]], weight=np.ones((3, 3)), stride=2, padding=1,
                 output_padding=1, step=4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why output_padding exists, and why it must be small
#
# [01_shapes](01_shapes.ipynb) gives the reason: a convolution rounds its output size down, so
# `stride` consecutive input sizes give one output size (the k3s2p1 convolution maps both 3 and 4
# to 2), and `output_padding` picks one of them. For the question's layer, `kernel_size=3,
# stride=2` without padding, the two sizes are 5 and 6: `output_padding=1` picks the 6x6.
# `output_padding=2` would ask for 7, which this convolution maps to 3, not 2, so it is refused;
# convlib checks the rule before computing anything and names the parameter, the value and the limit:

# %% slideshow={"slide_type": "-"}
sizes = convlib.conv_input_sizes(2, 3, stride=2)
print("input sizes that the k3s2 convolution maps to 2:", list(sizes), "| it maps 7 to",
      convlib.conv_output_size(7, 3, stride=2))
try:
    convlib.conv_transpose_output_size(2, 3, stride=2, output_padding=2)
except ValueError as error:
    print("ValueError:", error)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### And dilation?
#
# PyTorch's rule is `output_padding < max(stride, dilation)`, looser than the size argument above:
# with `stride=1, dilation=2` it accepts `output_padding=1`, although with `stride=1` only one input
# size maps to each output size. Here (`padding=0`) the extra entry lies past the canvas and is 0 (or the bias).
# convlib follows PyTorch's rule so that all methods accept what PyTorch accepts.

# %% slideshow={"slide_type": "-"}
print("input sizes for stride=1, dilation=2:", list(convlib.conv_input_sizes(2, 3, dilation=2)))
print("output_padding=0:", F.conv_transpose1d(x1, w1, dilation=2).ravel().int().tolist())
extended = F.conv_transpose1d(x1, w1, dilation=2, output_padding=1)
print("output_padding=1:", extended.ravel().int().tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Holes: when dilation meets stride
#
# Tap k of input i lands at `stride*i + dilation*k`, so its position modulo `stride` (its *phase*)
# is `dilation*k mod stride`. If the taps miss a phase, every position of that phase stays empty:
# with `stride=2, dilation=2` all taps are even, with `stride=3, kernel_size=2` they hit phases 0
# and 1 only. Even with every phase covered, both ends can have a hole: `stride=3, dilation=2`
# puts the taps of input 0 at 0, 2, 4 (phases 0, 2, 1), but no input reaches position 1, nor,
# symmetrically, the second position from the end (12 of 0..13 for 4 inputs). The counts are a
# transposed convolution of ones with a kernel of ones:

# %% slideshow={"slide_type": "-"}
ones = torch.ones(1, 1, 4)
for stride, kernel_size, dilation in [(2, 3, 1), (1, 3, 2), (2, 3, 2), (3, 2, 1), (3, 3, 2)]:
    counts = F.conv_transpose1d(ones, torch.ones(1, 1, kernel_size), stride=stride,
                                dilation=dilation)
    print(f"stride={stride}, kernel_size={kernel_size}, dilation={dilation}:",
          counts.ravel().int().tolist())
holes = (counts.ravel() == 0).nonzero().ravel().tolist()
print("stride=3, kernel_size=3, dilation=2: empty positions", holes, "of", counts.shape[-1])

# %% [markdown] slideshow={"slide_type": "subslide"}
# `overlap_explorer` draws these counts in 1-D and 2-D. With `stride=2, dilation=2` the 2-D grid
# has whole rows and columns of zeros; try `dilation=3`, or `stride=3`:

# %% slideshow={"slide_type": "-"}
overlap_explorer(input_size=4, kernel_size=3, stride=2, dilation=2)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check
#
# PyTorch and convlib's four methods agree on every example of this chapter.

# %% slideshow={"slide_type": "-"}
question = convlib.compare(inp, w, b, stride=2, output_padding=1)
assert question.agree  # random weights: agreement to float32 rounding
cases = [(x1, w1, dict(dilation=d)) for d in (1, 2, 3)] + [
    (x1, w1, dict(dilation=2, output_padding=1)),
    (x2, w2, dict(stride=2, padding=1, output_padding=1)),
    (ones, torch.ones(1, 1, 3), dict(stride=2, dilation=2)),
]
cases += [(x_one, w_, dict(stride=2, padding=1, output_padding=1)) for w_ in (w_four, w_nine)]
for x_, w_, params in cases:
    result = convlib.compare(x_, w_, **params)
    assert result.agree, params
print(result.summary)

# %% slideshow={"slide_type": "-"}
assert tuple(out.shape) == (1, 1, 6, 6) and tuple(out5.shape) == (1, 1, 5, 5)
assert torch.equal(out[..., :5, :5], out5)
assert torch.all(out[0, 0, -1] == b) and torch.all(out[0, 0, :, -1] == b)  # only the bias
assert list(sizes) == [5, 6] and convlib.conv_output_size(7, 3, stride=2) == 3
assert tiny[0, 0].tolist() == [[8]]                      # kernel_size=2: only the added entry
assert smallest[0, 0].tolist() == [[10, 12], [16, 18]]  # the added row and column: computed
assert torch.equal(smallest, 2 * w_nine[..., 1:, 1:])
assert holes == [1, 12]
assert F.conv_transpose1d(x1, w1, dilation=2).ravel().tolist() == [1, 2, 10, 20, 100, 200]
print("all checks passed")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Recap
#
# - `dilation=d` puts `d-1` holes between the kernel's taps; the kernel covers `d*(kernel_size-1) + 1` positions.
# - The scatter-add canvas has `(i-1)*stride + dilation*(kernel_size-1) + 1` positions; `padding` crops both ends, `output_padding` extends the end: `o = (i-1)*stride - 2*padding + dilation*(kernel_size-1) + output_padding + 1`.
# - `output_padding` adds rows and columns at the bottom and right only; beyond the canvas (`padding=0`) they hold just the bias, inside it (`padding` >= 1) computed values: `[[2]]` with the kernel 1..9, `stride=2, padding=1, output_padding=1` gives `[[10, 12], [16, 18]]` = `2 * w[1:, 1:]`.
# - The question's layer: the k3s2 convolution maps 5 and 6 to 2, and `output_padding` in `0 .. stride-1` picks one of them (chapter 01); 7 is refused. PyTorch (and convlib) accept `output_padding < max(stride, dilation)`.
# - Output positions stay empty whenever the taps (`dilation*k mod stride`) miss a stride phase (`stride=2, dilation=2`; `stride=3, kernel_size=2`), and near both ends even when they do not (`stride=3, dilation=2`: positions 1 and 12 of 14 for 4 inputs).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Replace `None` with your answer and run the cell: `grade` says whether it is right or gives a
# hint. The answers are kept in `convlib.exercises`, so running a cell does not show them.
# Stuck? After a try, right or wrong, `reveal("06.1")` shows the answer and how to get it (for an
# exercise where you write a function: one way to write it).

# %% slideshow={"slide_type": "-"}
from convlib.exercises import grade, grade_function, reveal

# %% [markdown] slideshow={"slide_type": "subslide"}
# **1.** What is the output size of a transposed convolution with input size 5, `kernel_size=3`,
# `stride=2`, `padding=1`, `dilation=2` and `output_padding=1`?

# %% slideshow={"slide_type": "-"}
answer_1 = None  # replace None with your answer
grade("06.1", answer_1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **2.** With `stride=3` and `dilation=2`, what is the largest `output_padding` PyTorch accepts?
# `accepted(n)` tells you whether convlib (which follows PyTorch) accepts `output_padding=n`.

# %% slideshow={"slide_type": "-"}
def accepted(output_padding):
    try:
        convlib.conv_transpose_output_size(4, 3, stride=3, output_padding=output_padding,
                                           dilation=2)
        return True
    except ValueError:
        return False


answer_2 = None  # replace None with your answer
grade("06.2", answer_2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **3.** Compute by hand the transposed convolution of `x = [1, 2, 3]` with the kernel `[1, 10]`,
# `dilation=3` (stride 1, no padding). Give the list of output values.

# %% slideshow={"slide_type": "-"}
answer_3 = None  # replace None with your answer
grade("06.3", answer_3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **4.** The smallest case with two inputs: the 1x2 input `[[1, 2]]`, the kernel 1..9 (3x3),
# `stride=2, padding=1, output_padding=1`. What is the output? Give it as a nested list.

# %% slideshow={"slide_type": "-"}
answer_4 = None  # replace None with your answer
grade("06.4", answer_4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **5. Implement it.** Write scatter-add in 2-D with every spatial parameter, NumPy only:
# `scatter_add_2d(x, w, stride, padding, output_padding, dilation)` gets a 2-D input `x`, a 2-D
# kernel `w` and four ints (the same for rows and columns) and must return what
# `F.conv_transpose2d` gives for one channel. `grade_function` starts with one input and a 2x2
# kernel, adds `dilation`, then `stride` with `output_padding`, then `padding`, and shows the first
# case it gets wrong with the output it should give.

# %% slideshow={"slide_type": "-"}
def scatter_add_2d(x, w, stride, padding, output_padding, dilation):
    return None  # replace with your code


grade_function("06.5", scatter_add_2d)

# %% [markdown] slideshow={"slide_type": "skip"} tags=["navigation"]
# [< 05_groups](05_groups.ipynb) | [contents](00_index.ipynb) | [07_gradient >](07_gradient.ipynb)

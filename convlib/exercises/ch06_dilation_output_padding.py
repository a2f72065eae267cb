"""Answers to the exercises of chapter 06 (notebooks/06_dilation_output_padding.ipynb)."""
import numpy as np

import convlib
from convlib.exercises import Worked, answer, implement

NINE = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)   # the chapter's kernel 1..9


@answer("06.1", hint="chapter 01's size formula, with two more terms: what span does a "
                     "dilated kernel cover, and where does output_padding add?")
def dilated_size():
    size = convlib.conv_transpose_output_size(5, 3, stride=2, padding=1, output_padding=1,
                                              dilation=2)
    return Worked(size, f"(5-1)*2 - 2*1 + 2*(3-1) + 1 + 1 = {size}.")


def accepted(output_padding, stride=3, dilation=2):
    try:
        convlib.conv_transpose_output_size(4, 3, stride=stride, output_padding=output_padding,
                                           dilation=dilation)
        return True
    except ValueError:
        return False


@answer("06.2", hint="apply PyTorch's rule from the section 'And dilation?', or try accepted(n) "
                     "for a few n")
def largest_output_padding():
    largest = max(filter(accepted, range(10)))
    return Worked(largest,
                  f"PyTorch accepts output_padding < max(stride, dilation) = max(3, 2) = 3, so "
                  f"the largest is {largest}: accepted({largest}) is {accepted(largest)}, "
                  f"accepted({largest + 1}) is {accepted(largest + 1)}.")


@answer("06.3", hint="first spread the kernel as dilation does (its taps dilation places apart), "
                     "then let each input stamp it, times its value, from its own position, and "
                     "add the stamps")
def dilated_by_hand():
    x, w = np.array([[1.0, 2, 3]]), np.array([[[1.0, 10]]])
    out = convlib.conv_transpose_scatter(x, w, dilation=3).ravel()
    dilated = convlib.zero_insert(w, 3).ravel()
    stamps = [np.pad(value * dilated, (i, len(out) - len(dilated) - i)) for i, value in
              enumerate(x.ravel())]
    added = " + ".join(str(s.astype(int).tolist()) for s in stamps)
    return Worked(out,
                  f"With dilation=3 the kernel spans 3*(2-1) + 1 = {len(dilated)} entries: "
                  f"{dilated.astype(int).tolist()}. Input i stamps it, scaled, at position i: "
                  f"{added} = {out.astype(int).tolist()}.")


@answer("06.4", hint="draw the canvas: two stamps, 2 apart, overlapping in one column; padding=1 "
                     "crops both ends, output_padding=1 gives back the end")
def two_stamps_cropped():
    x = np.array([[[[1.0, 2.0]]]])
    params = dict(stride=2, padding=1, output_padding=1)
    out = convlib.conv_transpose_scatter(x, NINE, **params)[0, 0]
    canvas = convlib.conv_transpose_scatter(x, NINE, stride=2)[0, 0]
    return Worked(out,
                  f"The canvas is (1-1)*2 + 3 = {canvas.shape[0]} rows by (2-1)*2 + 3 = "
                  f"{canvas.shape[1]} columns: 1*w at columns 0-2 and 2*w at columns 2-4, "
                  f"adding up in column 2: {canvas.astype(int).tolist()}. padding=1 crops the "
                  f"first and last row and column; output_padding=1 gives back the last ones. "
                  f"What is left is rows 1-2, columns 1-4: {out.astype(int).tolist()}.")


def scatter_cases(rng):
    """(input shape, kernel shape, stride, padding, output_padding, dilation), small first."""
    shapes = [((1, 1), (2, 2), 1, 0, 0, 1), ((1, 2), (2, 2), 1, 0, 0, 2),
              ((2, 2), (2, 2), 2, 0, 1, 1), ((2, 2), (3, 3), 2, 1, 1, 1),
              ((2, 3), (2, 3), 2, 1, 1, 2), ((3, 2), (3, 2), 3, 2, 2, 1),
              ((2, 2), (2, 2), 1, 1, 1, 2)]
    return [(rng.integers(-3, 4, size), rng.integers(-3, 4, k), s, p, op, d)
            for size, k, s, p, op, d in shapes]


def scatter_add_2d(x, w, stride, padding, output_padding, dilation):
    """x[a][b] adds x[a][b] * w[r][c] at (stride*a + dilation*r, stride*b + dilation*c) of a
    canvas that has output_padding extra rows and columns at its end; `padding` rows and
    columns are cropped from both ends."""
    (rows, columns), (kh, kw) = (len(x), len(x[0])), (len(w), len(w[0]))
    height = (rows - 1) * stride + dilation * (kh - 1) + 1 + output_padding
    width = (columns - 1) * stride + dilation * (kw - 1) + 1 + output_padding
    canvas = [[0] * width for _ in range(height)]
    for a in range(rows):
        for b in range(columns):
            for r in range(kh):
                for c in range(kw):
                    row, column = stride * a + dilation * r, stride * b + dilation * c
                    canvas[row][column] += x[a][b] * w[r][c]
    return [line[padding:width - padding] for line in canvas[padding:height - padding]]


@implement("06.5", cases=scatter_cases, solution=scatter_add_2d, plain=scatter_add_2d,
           hint="input (a, b) puts tap (r, c) at stride*a + dilation*r, stride*b + dilation*c; "
                "make the canvas output_padding larger at the end, then crop `padding` from both "
                "ends")
def scatter_2d_reference(x, w, stride, padding, output_padding, dilation):
    return convlib.conv_transpose_scatter(x[None, None], w[None, None], stride=stride,
                                          padding=padding, output_padding=output_padding,
                                          dilation=dilation)[0, 0]

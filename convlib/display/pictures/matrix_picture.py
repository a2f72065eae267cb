"""The matrix picture: the convolution matrix C and its transpose, y = Cᵀ x, with one output
(a row of Cᵀ) or one input (a column of Cᵀ) picked out (chapter 02)."""
import numpy as np

from ... import arrays, matrix
from ..scene import Mark, Scene, cell_of, grid
from ..words import name, plain


def matrix_scene(x, w, setup, pick="output", element=0):
    """y = Cᵀ x with C = conv_matrix(w, output's shape): row `element` of Cᵀ makes output
    `element`; column `element` is input `element`'s stamp."""
    xb, wb, finish = arrays.arrange(x, w, None, setup)
    c = matrix.matrix_of(wb, setup).toarray()
    y = finish(matrix.multiply(xb, wb, setup))[0]
    ct, n_in, n_out, xs, ys = c.T, x.size, y.size, x.ravel(), y.ravel()
    shape_x, shape_y = x[0].shape, y.shape
    if pick == "output":
        row = ct[element]
        inputs, outputs = np.flatnonzero(row), [element]
        ct_box, c_box = (element, 0, element + 1, n_in), (0, element, n_in, element + 1)
        picked = name("y", np.unravel_index(element, shape_y))
        entries = [f"{plain(row[j])} at column {j} ({name('x', np.unravel_index(j, shape_x))} = "
                   f"{plain(xs[j])})" for j in inputs]
        terms = " + ".join(f"{plain(row[j])}*{plain(xs[j])}" for j in inputs) or "0"
        said = [f"Picked output {element}, {picked}: row {element} of Cᵀ "
                f"(column {element} of C).",
                f"Its non-zero entries: {'; '.join(entries) or 'none'}.",
                f"{picked} = {terms} = {plain(ys[element])}."]
        caption = (0, 2)
    else:
        column = ct[:, element]
        inputs, outputs = [element], np.flatnonzero(column)
        ct_box, c_box = (0, element, n_out, element + 1), (element, 0, element + 1, n_out)
        picked = name("x", np.unravel_index(element, shape_x))
        reached = [name("y", np.unravel_index(j, shape_y)) for j in outputs]
        entries = [f"{plain(column[j])} at row {j} ({where})" for j, where in zip(outputs, reached)]
        said = [f"Picked input {element}, {picked} = {plain(xs[element])}: column {element} "
                f"of Cᵀ (row {element} of C).",
                f"Its non-zero entries (its stamp): {'; '.join(entries) or 'none'}."]
        caption = (0, 1)
    scale = min(1.0, 10 / n_out)   # C repeats Cᵀ's numbers: a wide C may be smaller

    def panel(key, title, values, role, least, boxes, **looks):
        return grid(key, values, role, title, least, marks=(Mark("pick", tuple(boxes)),),
                    **looks)

    column_x, column_y = x.reshape(-1, 1), y.reshape(-1, 1)
    row = (panel("ct", f"Cᵀ  ({ct.shape[0]}×{ct.shape[1]})", ct, "kernel", 1.0, [ct_box],
                 aspect=1.6),
           panel("x", "x", column_x, "input", 0.3, [(j, 0, j + 1, 1) for j in inputs], aspect=2.4),
           panel("y", "y = Cᵀx", column_y, "output", 0.7, [(j, 0, j + 1, 1) for j in outputs],
                 aspect=2.4),
           panel("image_x", "input x", x[0], "input", 0.7,
                 [cell_of(np.unravel_index(j, shape_x)) for j in inputs]),
           panel("image_y", "output y", y, "output", 0.8,
                 [cell_of(np.unravel_index(j, shape_y)) for j in outputs]),
           panel("c", f"C  ({c.shape[0]}×{c.shape[1]})", c, "kernel", 1.8, [c_box], scale=scale,
                 aspect=1.6 if scale == 1 else 1.0))
    return Scene("Matrix: the transposed convolution is y = Cᵀ x", tuple(said), (row,),
                 roles=("input", "kernel", "output", "highlight"), caption=caption,
                 notes=("C is the convolution with the same weight, from y's shape to x's "
                        "(x = C z); each column of Cᵀ is one input's stamp.",),
                 size=(8.4, 4.8), gap=0.3, facts=dict(matrix=c, output=y))

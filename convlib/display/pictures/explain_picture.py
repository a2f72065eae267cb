"""The explain picture: one output element, the inputs and kernel taps that make it, and the sum
written out (chapter 03)."""
import numpy as np

from ... import arrays, scatter
from ...explain import explanation
from ..scene import Mark, Scene, Tags, cell_of, grid
from ..words import name


def explain_scene(x, w, setup, element=0):
    """out[o] = sum of x[i] * w[k] over all i, k with o = s*i + d*k - p, for o = `element`."""
    xb, wb, finish = arrays.arrange(x, w, None, setup)
    out = finish(scatter.scatter_add(xb, wb, setup))[0]
    element = min(max(element, 0), out.size - 1)
    index = np.unravel_index(element, out.shape)
    why = explanation(xb, wb, index, setup)
    where_x = [t.input_index[1:] for t in why.terms]
    where_w = [t.weight_index[2:] for t in why.terms]
    pairs = " + ".join(f"{name('x', i)}*{name('w', k)}" for i, k in zip(where_x, where_w))
    y = name("y", index)
    said = (f"Output element {y}: {why.equation}",
            f"The terms are {pairs}." if pairs else "No input reaches this output element.")

    def tags(where):
        return Tags(tuple(cell_of(i)[:2] for i in where), tuple(str(j + 1) for j in
                                                               range(len(where))))

    row = (grid("input", x[0], "input", "input x", 1.0,
                marks=(Mark("highlight", tuple(map(cell_of, where_x))),), tags=tags(where_x)),
           grid("kernel", w[0, 0], "kernel", "kernel w", 1.0,
                marks=(Mark("highlight", tuple(map(cell_of, where_w))),), tags=tags(where_w)),
           grid("output", out, "output", "output y", 1.2,
                marks=(Mark("highlight", (cell_of(index),)),)))
    return Scene(f"Explain {y}: the inputs and kernel taps that add up to it", said, (row,),
                 roles=("input", "kernel", "output", "highlight"),
                 notes=("out[o] = sum of x[i]·w[k] over all i, k with o = stride·i + dilation·k "
                        "− padding (numbers pair each input with its tap)",),
                 facts=dict(output=out, equation=why.equation, value=out[index], terms=why.terms))

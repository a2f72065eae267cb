"""The overlap picture: how many kernel stamps land on each output element; uneven counts make
the checkerboard (chapters 06 and 08)."""
import numpy as np

from ... import arrays, scatter
from ...shapes import compact
from ..scene import Grid, Mark, Scene, grid, shading
from ..words import label, nested, sentence


def overlap_scene(x, w, setup):
    """x and w of ones (1, n, n), (1, 1, k, k): the output counts the stamps on each element,
    in 2-D and, along one row, in 1-D."""
    n, k = setup.input_size[0], setup.kernel_size[0]
    line = setup.along(0)   # one row of the input, with one row of the kernel
    x1, w1, finish1 = arrays.arrange(np.ones((1, n)), np.ones((1, 1, k)), None, line)
    plan = scatter.stamp_each(x1, w1, line)
    counts1 = finish1(scatter.scatter_add(x1, w1, line))[0]
    counts2 = arrays.run(scatter.scatter_add, x, w, setup)[0]
    rows = np.full((len(plan) + 1, counts1.size), np.nan)
    roles = np.full(rows.shape, "empty", dtype=object)
    strength = np.zeros(rows.shape)   # white where no stamp reaches
    for r, stamp in enumerate(plan):   # a stamp: its taps, and the holes dilation leaves
        roles[r, stamp.canvas_slices[1]] = "kernel"
        strength[r, stamp.canvas_slices[1]] = np.where(stamp.contribution[0] != 0, 0.6, 0.12)
    rows[-1], roles[-1], strength[-1] = counts1, "output", shading(counts1)
    edge = setup.pad_before[0]   # d(k-1): where every tap of some input reaches
    middle = counts1[edge:counts1.size - edge]
    if middle.size == 0:
        verdict = "the input is too short to have a middle that every tap reaches"
    elif middle.min() == middle.max():
        verdict = (f"in the middle every output element gets {label(middle[0])} stamps: "
                   f"even overlap, no checkerboard")
    else:
        verdict = (f"in the middle the counts vary between {label(middle.min())} and "
                   f"{label(middle.max())}: uneven overlap, a checkerboard in 2-D")
    s, d = compact(setup.stride), compact(setup.dilation)
    said = (f"Stamps per output element for kernel_size={k}, stride={s}, dilation={d}:",
            f"1-D, input of {n}: {nested(counts1)}.",
            f"2-D, input {n}×{n}: {nested(counts2)}.",
            sentence(verdict))
    row = (Grid("line", rows, roles, strength, f"1-D: the {len(plan)} stamps, counts below", 2.0,
                marks=(Mark("count", ((len(plan), 0, len(plan) + 1, counts1.size),)),)),
           grid("plane", counts2, "output", "2-D: stamps per output element", 2.0))
    return Scene(f"Overlap: kernel_size={k}, stride={s}, dilation={d}, input {n} (1-D) and "
                 f"{n}×{n} (2-D)", said, (row,), roles=("kernel", "output"), caption=(1, 3),
                 size=(8.4, 4.2), gap=0.6, facts=dict(counts1=counts1, counts2=counts2,
                                                      verdict=verdict))

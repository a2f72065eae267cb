"""The direct-convolution picture: the zero-inserted, padded input with the flipped kernel over
it, one output element per step (chapter 04). A negative pad crops: the cropped ends are drawn
too, greyed, so that every input is on the picture."""
import numpy as np

from ... import arrays, direct
from ...explain import explanation
from ..scene import Mark, Scene, as_rows, cell_of, grid
from ..words import name, plain, span
from .inputs import direct_input_grid


def uncropped(xb, setup):
    """(values, roles, before) of the zero-inserted input padded by max(pad, 0) on each side, one
    channel: the direct input with what a negative pad crops put back, `before[axis]` =
    max(-pad_before, 0) entries at the start and max(-pad_after, 0) at the end, role 'cropped'.
    With pads >= 0 it is the direct input itself."""
    before = tuple(max(-p, 0) for p in setup.pad_before)
    after = tuple(max(-p, 0) for p in setup.pad_after)
    size = tuple(n + b + a for n, b, a in zip(setup.direct_size, before, after))
    start = tuple(p + b for p, b in zip(setup.pad_before, before))
    values = direct.place(xb, start, setup.stride, size)[0, ..., 0]
    roles = np.full(size, "cropped", dtype=object)
    roles[tuple(slice(b, b + n) for b, n in zip(before, setup.direct_size))] = \
        direct.direct_input_roles(setup)
    return values, roles, before


def padding_words(before, after):
    """'pad 2 before and 3 after'; a negative pad crops: 'crop 1 at each end (pad -1)'."""
    if min(before, after) >= 0:
        return f"pad {before} before and {after} after"
    if before == after:
        return f"crop {-before} at each end (pad {before})"
    words = [f"pad {p}" if p >= 0 else f"crop {-p}" for p in (before, after)]
    return f"{words[0]} before and {words[1]} after (pad {before} and {after})"


def direct_scene(x, w, setup, step=0):
    """Output element `step` (raster order) = the flipped kernel, taps d apart, times the window
    of the zero-inserted, padded input under it."""
    xb, wb, finish = arrays.arrange(x, w, None, setup)
    padded, roles, cropped = uncropped(xb, setup)
    flipped = direct.flip_weight(wb, setup.groups)[0, 0]
    out = finish(direct.transpose_by_convolution(xb, wb, setup))[0]
    step = min(max(step, 0), out.size - 1)
    index = np.unravel_index(step, out.shape)
    why = explanation(xb, wb, index, setup)
    padded, flipped = as_rows(padded), as_rows(flipped)
    so_far = out.ravel().astype(float)
    so_far[step + 1:] = np.nan
    so_far = so_far.reshape(out.shape)
    shift = (0,) * (2 - setup.dims) + cropped    # a cropped start is drawn before the input
    top, left = (i + c for i, c in zip(cell_of(index)[:2], shift))
    d = setup.dilation[-1]
    rows, cols = np.indices(flipped.shape)
    reach = (1,) * (2 - setup.dims) + setup.kernel_span   # the dilated kernel's rows, columns
    window = (top, left, top + reach[0], left + reach[1])
    y = name("y", index)
    said = (f"Step {step + 1} of {out.size}: output element {y} = {plain(out[index])}.",
            f"Window sum: the flipped kernel over {span(window, x.ndim - 1)} of the "
            f"zero-inserted, padded input gives {why.equation} (the inserted zeros and the "
            f"padding add nothing).",
            f"Insert {setup.inserted_zeros[0]} zero(s) between inputs, "
            f"{padding_words(setup.pad_before[0], setup.pad_after[0])}, flip the kernel, then "
            f"convolve with stride 1.")
    taps = tuple(cell_of((top + d * r, left + d * c)) for r, c in zip(rows.ravel(), cols.ravel()))
    row = (direct_input_grid("input", padded, roles, "zero-inserted, padded input", 1.9,
                             marks=(Mark("taps", taps), Mark("frame", (window,)))),
           grid("kernel", flipped, "kernel", "flipped kernel", 1.2),
           grid("output", so_far, "output", "output y", 1.0,
                marks=(Mark("highlight", (cell_of(index),)),)))
    return Scene(f"Direct convolution, step {step + 1} of {out.size}: {y} = {why.equation}",
                 said, (row,), roles=("input", "inserted zeros", "padding", "kernel", "output",
                                      "highlight"), caption=(0, 2),
                 facts=dict(output=out, so_far=so_far, equation=why.equation, value=out[index],
                            cropped=cropped))

"""The scatter-add picture: step by step, each input element stamps value × kernel onto the
canvas; the output is the canvas inside the green frame (chapter 03)."""
import numpy as np

from ... import arrays, scatter
from ...shapes import compact
from ..scene import Grid, Mark, Scene, as_rows, cell_of, cells_of, grid, shading
from ..words import label, name, nested, plain, span


def running_sum(plan, step):
    """The canvas after the first `step` stamps, and which cells they have reached so far."""
    canvas = np.zeros(plan.canvas_shape)
    reached = np.zeros(plan.canvas_shape, dtype=bool)
    for stamp in plan[:step]:
        canvas[stamp.canvas_slices] += stamp.contribution
        reached[stamp.canvas_slices] = True
    return canvas, reached


def extra_strips(window, output_padding):
    """The last output_padding rows/columns of the output's window on the canvas."""
    top, left, bottom, right = window
    strips = []
    if len(output_padding) == 2 and output_padding[0]:
        strips.append((bottom - output_padding[0], left, bottom, right))
    if output_padding[-1]:
        strips.append((top, right - output_padding[-1], bottom, right))
    return strips


def scatter_scene(x, w, setup, step=0):
    """The canvas after `step` stamps: canvas[s*i : s*i + d(k-1) + 1] += x[i] * w."""
    plan = scatter.stamp_each(*arrays.arrange(x, w, None, setup)[:2], setup)
    step = min(max(step, 0), len(plan))
    canvas, reached = running_sum(plan, step)
    canvas, reached = as_rows(canvas[0]), as_rows(reached[0]) > 0
    window = cells_of(plan.crop[1:])
    inside = np.zeros(canvas.shape, dtype=bool)
    inside[window[0]:window[2], window[1]:window[3]] = True
    now = plan[step - 1] if step else None
    stamp = as_rows(now.contribution[0] if now else plan[0].contribution[0] * np.nan)
    shown = np.where(reached, canvas, np.nan)
    # inside the output's window: the output so far; outside: what padding crops off
    roles = np.where(inside, np.where(reached, "output", "empty"), "cropped").astype(object)
    strength = np.where(reached, np.where(inside, shading(shown), 0.3),
                        np.where(inside, 0.06, 0.16))
    output = canvas[window[0]:window[2], window[1]:window[3]]
    output = output if x.ndim == 3 else output[0]
    n, dims = len(plan), x.ndim - 1
    if now:
        where, who = span(cells_of(now.canvas_slices[1:]), dims), name("x", now.input_index[1:])
        heading = (f"Scatter-add, step {step} of {n}: {who} = {plain(now.value)} adds "
                   f"{plain(now.value)}*w to canvas {where}")
        stamped = f"input element {who} = {plain(now.value)} adds {plain(now.value)} times the " \
                  f"kernel to canvas {where}."
    else:
        heading = f"Scatter-add, step 0 of {n}: an empty canvas"
        stamped = "nothing stamped yet, the canvas is empty."
    s, p, op, d = (compact(v) for v in (setup.stride, setup.padding, setup.output_padding,
                                        setup.dilation))
    crop = f"padding={p} crops {p} from each side (grey)" if any(setup.padding) else \
        "padding=0 crops nothing"
    extra = (f"; output_padding={op} adds the dashed row(s)/column(s) at the end"
             if any(setup.output_padding) else "")
    said = (f"Step {step} of {n}: {stamped}",
            ("Output" if step == n else "Running sum, the output so far") + f": {nested(output)}",
            f"All {n} stamps added: the output is the canvas inside the green frame."
            if step == n else "Each input element adds its value times the kernel, "
            f"stride·index apart (stride={s}, dilation={d}).",
            crop + extra + ".")
    row = (grid("input", x[0], "input", "input x", 0.9,
                marks=(Mark("highlight", (cell_of(now.input_index[1:]),) if now else ()),)),
           grid("kernel", w[0, 0], "kernel", "kernel w", 0.9),
           grid("stamp", stamp, "kernel", f"this stamp: {label(now.value)}·w" if now else
                "this stamp", 1.3),
           Grid("canvas", shown, roles, strength, "canvas: running sum", 1.6,
                marks=(Mark("highlight", (cells_of(now.canvas_slices[1:]),) if now else ()),
                       Mark("window", (window,)),
                       Mark("output_padding", tuple(extra_strips(window, setup.output_padding))))))
    return Scene(heading, said, (row,), roles=("input", "kernel", "output", "padding", "highlight"),
                 caption=(2, 3), facts=dict(step=step, steps=n, output=output, canvas=canvas,
                                            reached=reached))

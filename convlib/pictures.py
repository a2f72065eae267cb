"""The seven pictures behind the explorers, one class each, drawn from convlib's own numbers.

Each picture builds its figure once (convlib.plot has the grids, labels, colours and PNG
output) and `draw(...)` updates it in place for new values:

    ScatterPicture().draw([[1, 2], [3, 4]], [[1, 1], [1, 1]], stride=2, step=4).png()

Arrays are 2-D (one channel, drawn as a grid) or 1-D (drawn as one row).
"""
import numpy as np
from matplotlib.collections import LineCollection, PolyCollection

from . import arrays, direct, matrix, scatter, shapes
from .explain import explain
from .plot import (COLORS, Boxes, Labels, Picture, Title, as_rows, cell_of, cells_of, label, name,
                   nested, plain, shade, span, tint)


def roles_of(x, w, **params):
    """For each cell of direct_input: 'input', 'inserted zeros' or 'padding'.

    direct_input of the inputs' positions 1..n shows where each input lands; what lies between
    pad_before and the end minus pad_after (of the Setup) but is no input is an inserted zero.
    """
    marks = np.arange(1, x.size + 1, dtype=float).reshape(x.shape)
    landed = as_rows(direct.direct_input(marks, w, **params)[0])
    pads = shapes.validate(x.shape, w.shape, **params)
    pads = [(0, 0)] * (2 - len(pads.pad_before)) + list(zip(pads.pad_before, pads.pad_after))
    inside = np.ones(landed.shape, dtype=bool)
    for axis, (before, after) in enumerate(pads):
        position = np.indices(landed.shape)[axis]
        inside &= (position >= before) & (position < landed.shape[axis] - max(after, 0))
    roles = np.where(inside, "inserted zeros", "padding").astype(object)
    roles[landed > 0] = "input"
    return roles, landed


def role_colors(values, roles):
    """Input cells shaded by value; inserted zeros and padding in their own light tints."""
    colors = shade(np.where(roles == "input", values, np.nan), "input")
    for role in ("inserted zeros", "padding"):
        colors[roles == role] = tint(role, 0.32)
    return colors


# ---------------------------------------------------------------------------------------------
# the pictures

def listing(items):
    """'5', '5 and 6', '5, 6 and 7'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class ShapesPicture(Picture):
    """The input, the zero-inserted padded grid of the equivalent direct convolution, the output,
    and the output-size formulas with the current numbers."""

    roles = ("input", "inserted zeros", "padding", "output")
    size = (8.4, 4.2)
    captions = 4

    def __init__(self):
        super().__init__()
        self.panels = [self.grid(), self.grid(), self.grid()]

    def draw(self, input_size=3, kernel_size=3, stride=2, padding=1, output_padding=1,
             dilation=1):
        i, k, s, p, op, d = input_size, kernel_size, stride, padding, output_padding, dilation
        o = shapes.conv_transpose_output_size(i, k, s, p, op, d)  # validates
        x = np.arange(1, i * i + 1, dtype=float).reshape(1, i, i)
        w = np.ones((1, 1, k, k))
        params = dict(stride=s, padding=p, output_padding=op, dilation=d)
        self.arguments = (x, w, params)
        grid = direct.direct_input(x, w, **params)[0]
        roles, _ = roles_of(x, w, **params)
        out = direct.conv_transpose_direct(x, w, **params)[0]
        pads = shapes.validate_sizes(i, k, s, p, op, d)
        big = grid.shape[0]
        direct_o = shapes.conv_output_size(big, k, 1, 0, d)
        back = shapes.conv_output_size(o, k, s, p, d)
        sizes = list(shapes.conv_input_sizes(i, k, s, p, d))
        left, middle, right = self.panels
        left.resize((i, i)), middle.resize(grid.shape), right.resize((o, o))
        self.place([[(left, 1.2), (middle, 1.9), (right, 1.2)]])
        left.show(x[0], shade(x[0], "input"), title=f"input x  {i}×{i}")
        middle.show(grid, role_colors(grid, roles),
                    title=f"zero-inserted, padded  {big}×{big}")
        right.show(out, shade(out, "output"), title=f"output y  {o}×{o}")
        crop = " (negative: crop)" if min(pads.pad_before + pads.pad_after) < 0 else ""
        forward = (f"transposed convolution:  o = (i−1)·s − 2p + d·(k−1) + output_padding + 1 "
                   f"= ({i}−1)·{s} − 2·{p} + {d}·({k}−1) + {op} + 1 = {o}")
        backward = (f"convolution maps back: floor(({o} + 2·{p} − {d}·({k}−1) − 1) / {s}) + 1 "
                    f"= {back}; "
                    + (f"sizes {listing(sizes)} all map to {i}: output_padding = {op} picks {o}"
                       if o in sizes
                       else f"not {i}: output_padding ≥ stride (dilation > stride allows it)"))
        self.write(
            f"Shapes: input {i}×{i} → output {o}×{o}", forward,
            f"direct convolution, stride 1, of the {big}×{big} grid: {pads.inserted_zeros[0]} "
            f"zero(s) between inputs, pad {pads.pad_before[0]} before and {pads.pad_after[0]} "
            f"after{crop};  o = {big} − {d}·({k}−1) = {direct_o}", backward,
            "(i: input size, k: kernel_size, s: stride, p: padding, d: dilation)")
        self.words = [f"Input {i}×{i}, output {o}×{o} (input_size={i}, kernel_size={k}, "
                      f"stride={s}, padding={p}, output_padding={op}, dilation={d}).",
                      forward[0].upper() + forward[1:] + ".",
                      backward[0].upper() + backward[1:] + "."]
        self.shown.update(output_size=o, direct_output_size=direct_o, back=back, grid=grid,
                          output=out)
        return self


class MatrixPicture(Picture):
    """The convolution matrix C and its transpose; y = Cᵀ x with one element picked out."""

    size = (8.4, 4.8)
    roles = ("input", "kernel", "output", "highlight")

    def __init__(self):
        super().__init__()
        self.c, self.ct, self.x, self.y, self.image_x, self.image_y = (
            self.grid() for _ in range(6))
        self.marks = {g: Boxes(g.ax, COLORS["highlight"], linewidth=2.2)
                      for g in (self.c, self.ct, self.x, self.y, self.image_x, self.image_y)}
        self.ct.aspect = 1.6                  # cells wide enough for numbers like −0.25
        self.x.aspect = self.y.aspect = 2.4   # a single column is cheap to widen

    def draw(self, input, weight, stride=1, padding=0, output_padding=0, pick="output",
             element=0):
        x, w, params = self.prepare(input, weight, stride=stride, padding=padding,
                                    output_padding=output_padding)
        setup = shapes.validate(x.shape, w.shape, **params)
        c = matrix.conv_matrix(w, (1,) + setup.output_size, stride, padding)
        y = matrix.conv_transpose_matrix(x, w, **params)[0]
        ct, n_in, n_out = c.T, x.size, y.size
        self.c.scale = min(1.0, 10 / n_out)  # C repeats Cᵀ's numbers: a wide C may be smaller
        self.c.aspect = 1.6 if self.c.scale == 1 else 1.0
        self.c.resize(c.shape), self.ct.resize(ct.shape)
        self.x.resize((n_in, 1)), self.y.resize((n_out, 1))
        self.image_x.resize(as_rows(x[0]).shape), self.image_y.resize(as_rows(y).shape)
        self.place([[(self.ct, 1.0), (self.x, 0.3), (self.y, 0.7), (self.image_x, 0.7),
                     (self.image_y, 0.8), (self.c, 1.8)]], gap=0.3)
        self.c.show(c, shade(c, "kernel"), title=f"C  ({c.shape[0]}×{c.shape[1]})")
        self.ct.show(ct, shade(ct, "kernel"), title=f"Cᵀ  ({ct.shape[0]}×{ct.shape[1]})")
        self.x.show(x.reshape(-1, 1), shade(x.reshape(-1, 1), "input"), title="x")
        self.y.show(y.reshape(-1, 1), shade(y.reshape(-1, 1), "output"), title="y = Cᵀx")
        self.image_x.show(x[0], shade(x[0], "input"), title="input x")
        self.image_y.show(y, shade(y, "output"), title="output y")
        shape_x, shape_y = x[0].shape, y.shape
        xs, ys = x.ravel(), y.ravel()
        if pick == "output":
            row = ct[element]
            others = np.flatnonzero(row)
            self.mark([(element, 0, element + 1, n_in)], [(0, element, n_in, element + 1)],
                      others, [element], shape_x, shape_y)
            picked = name("y", np.unravel_index(element, shape_y))
            terms = " + ".join(f"{label(row[j])}·{label(xs[j])}" for j in others)
            text = (f"row {element} of Cᵀ (column {element} of C) times x: "
                    f"{picked} = {terms or '0'} = {label(ys[element])}")
            entries = [f"{plain(row[j])} at column {j} ({name('x', np.unravel_index(j, shape_x))}"
                       f" = {plain(xs[j])})" for j in others]
            self.words = [
                f"Picked output {element}, {picked}: row {element} of Cᵀ (column {element} of "
                f"C).",
                f"Its non-zero entries: {'; '.join(entries) or 'none'}.",
                f"{picked} = "
                f"{' + '.join(f'{plain(row[j])}*{plain(xs[j])}' for j in others) or '0'} "
                f"= {plain(ys[element])}."]
        else:
            column = ct[:, element]
            others = np.flatnonzero(column)
            self.mark([(0, element, n_out, element + 1)], [(element, 0, element + 1, n_out)],
                      [element], others, shape_x, shape_y)
            picked = name("x", np.unravel_index(element, shape_x))
            reached = [name("y", np.unravel_index(j, shape_y)) for j in others]
            text = (f"column {element} of Cᵀ (row {element} of C): {picked} = "
                    f"{label(xs[element])} reaches {', '.join(reached)}")
            entries = [f"{plain(column[j])} at row {j} ({where})"
                       for j, where in zip(others, reached)]
            self.words = [
                f"Picked input {element}, {picked} = {plain(xs[element])}: column {element} of Cᵀ "
                f"(row {element} of C).",
                f"Its non-zero entries (its stamp): {'; '.join(entries) or 'none'}."]
        self.write("Matrix: the transposed convolution is y = Cᵀ x", text,
                   "C is the convolution with the same weight, from the output's shape to the "
                   "input's; each column of Cᵀ is one input's stamp.")
        self.shown.update(matrix=c, output=y, text=text)
        return self

    def mark(self, ct_boxes, c_boxes, inputs, outputs, shape_x, shape_y):
        """Outline the picked row/column and the input and output cells it connects."""
        self.marks[self.ct].show(ct_boxes)
        self.marks[self.c].show(c_boxes)
        self.marks[self.x].show([(j, 0, j + 1, 1) for j in inputs])
        self.marks[self.y].show([(j, 0, j + 1, 1) for j in outputs])
        self.marks[self.image_x].show([cell_of(np.unravel_index(j, shape_x)) for j in inputs])
        self.marks[self.image_y].show([cell_of(np.unravel_index(j, shape_y)) for j in outputs])


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


class ScatterPicture(Picture):
    """Scatter-add step by step: each input element stamps value × kernel onto the canvas."""

    roles = ("input", "kernel", "output", "padding", "highlight")

    def __init__(self):
        super().__init__()
        self.input, self.kernel, self.stamp, self.canvas = (self.grid() for _ in range(4))
        self.current = Boxes(self.input.ax, COLORS["highlight"])
        self.landing = Boxes(self.canvas.ax, COLORS["highlight"])
        self.window = Boxes(self.canvas.ax, COLORS["output"], linewidth=3, zorder=3.5)
        self.extra = Boxes(self.canvas.ax, COLORS["output_padding"], linewidth=1.6,
                           linestyle=(0, (3, 2)), zorder=3.6)

    def draw(self, input, weight, stride=1, padding=0, output_padding=0, dilation=1, step=0):
        x, w, params = self.prepare(input, weight, stride=stride, padding=padding,
                                    output_padding=output_padding, dilation=dilation)
        plan = scatter.stamps(x, w, **params)
        step = min(max(step, 0), len(plan))
        canvas, reached = running_sum(plan, step)
        canvas, reached = as_rows(canvas[0]), as_rows(reached[0]) > 0
        window = cells_of(plan.crop[1:])
        inside = np.zeros(canvas.shape, dtype=bool)
        inside[window[0]:window[2], window[1]:window[3]] = True
        now = plan[step - 1] if step else None
        contribution = as_rows(now.contribution[0] if now else plan[0].contribution[0] * np.nan)
        for grid, values in ((self.input, x[0]), (self.kernel, w[0, 0]),
                             (self.stamp, contribution), (self.canvas, canvas)):
            grid.resize(as_rows(values).shape)
        self.place([[(self.input, 0.9), (self.kernel, 0.9), (self.stamp, 1.3),
                     (self.canvas, 1.6)]])
        self.input.show(x[0], shade(x[0], "input"), title="input x")
        self.kernel.show(w[0, 0], shade(w[0, 0], "kernel"), title="kernel w")
        self.stamp.show(contribution, shade(contribution, "kernel"),
                        title=f"this stamp: {label(now.value)}·w" if now else "this stamp")
        shown = np.where(reached, canvas, np.nan)
        colors = np.where(inside[..., None], shade(shown, "output"), tint("padding", 0.3))
        faint = np.where(inside[..., None], tint("padding", 0.06), tint("padding", 0.16))
        colors[~reached] = faint[~reached]
        self.canvas.show(shown, colors, np.where(inside[..., None], 0.0, 0.4) * np.ones(3),
                         title="canvas: running sum")
        self.window.show([window])
        self.extra.show(extra_strips(window, shapes.as_tuple(output_padding, x.ndim - 1,
                                                             "output_padding")))
        self.current.show([cell_of(now.input_index[1:])] if now else [])
        self.landing.show([cells_of(now.canvas_slices[1:])] if now else [])
        if now:
            where = span(cells_of(now.canvas_slices[1:]), x.ndim - 1)
            heading = (f"Scatter-add, step {step} of {len(plan)}: "
                       f"{name('x', now.input_index[1:])} = {label(now.value)} adds "
                       f"{label(now.value)}·w to canvas {where}")
            stamped = (f"input element {name('x', now.input_index[1:])} = {plain(now.value)} "
                       f"adds {plain(now.value)} times the kernel to canvas {where}.")
        else:
            heading = f"Scatter-add, step 0 of {len(plan)}: an empty canvas"
            stamped = "nothing stamped yet, the canvas is empty."
        done = (f"All {len(plan)} stamps added: the output is the canvas inside the green frame."
                if step == len(plan) else "Each input element adds its value times the kernel, "
                f"stride·index apart (stride={stride}, dilation={dilation}).")
        crop = (f"padding={padding} crops {padding} from each side (grey)" if padding
                else "padding=0 crops nothing")
        extra = (f"; output_padding={output_padding} adds the dashed row(s)/column(s) at the end"
                 if output_padding else "")
        self.write(heading, done, crop + extra)
        cropped = np.asarray(canvas)[window[0]:window[2], window[1]:window[3]]
        output = cropped if x.ndim == 3 else cropped[0]
        self.words = [f"Step {step} of {len(plan)}: {stamped}",
                      ("Output" if step == len(plan) else "Running sum, the output so far")
                      + f": {nested(output)}"]
        self.shown.update(canvas=canvas, reached=reached, step=step, steps=len(plan),
                          output=output)
        return self


class DirectPicture(Picture):
    """The zero-inserted, padded input with the flipped kernel over it, one output per step."""

    roles = ("input", "inserted zeros", "padding", "kernel", "output", "highlight")

    def __init__(self):
        super().__init__()
        self.input, self.kernel, self.output = (self.grid() for _ in range(3))
        self.taps = Boxes(self.input.ax, COLORS["kernel"], linewidth=2.5, inset=0.1)
        self.window = Boxes(self.input.ax, COLORS["kernel"], linewidth=1.2)
        self.current = Boxes(self.output.ax, COLORS["highlight"])

    def draw(self, input, weight, stride=1, padding=0, output_padding=0, dilation=1, step=0):
        x, w, params = self.prepare(input, weight, stride=stride, padding=padding,
                                    output_padding=output_padding, dilation=dilation)
        grid = as_rows(direct.direct_input(x, w, **params)[0])
        roles, _ = roles_of(x, w, **params)
        flipped = as_rows(direct.direct_weight(w)[0, 0])
        out = direct.conv_transpose_direct(x, w, **params)[0]
        step = min(max(step, 0), out.size - 1)
        index = np.unravel_index(step, out.shape)
        why = explain(x, w, index, **params)
        so_far = out.ravel().astype(float)
        so_far[step + 1:] = np.nan
        so_far = so_far.reshape(out.shape)
        self.input.resize(grid.shape), self.kernel.resize(flipped.shape)
        self.output.resize(as_rows(out).shape)
        self.place([[(self.input, 1.9), (self.kernel, 1.2), (self.output, 1.0)]])
        self.input.show(grid, role_colors(grid, roles), title="zero-inserted, padded input")
        self.kernel.show(flipped, shade(flipped, "kernel"), title="flipped kernel")
        self.output.show(so_far, shade(so_far, "output"), title="output y")
        top, left = cell_of(index)[:2]
        rows, cols = np.indices(flipped.shape)
        self.taps.show([cell_of((top + dilation * r, left + dilation * c))
                        for r, c in zip(rows.ravel(), cols.ravel())])
        self.window.show([(top, left, top + dilation * (flipped.shape[0] - 1) + 1,
                           left + dilation * (flipped.shape[1] - 1) + 1)])
        self.current.show([cell_of(index)])
        pads = shapes.validate(x.shape, w.shape, **params)
        self.words = [
            f"Step {step + 1} of {out.size}: output element {name('y', index)} = "
            f"{plain(out[index])}.",
            f"Window sum: the flipped kernel over {span(self.window.boxes[0], x.ndim - 1)} of "
            f"the zero-inserted, padded input gives {why.equation} (the inserted zeros and the "
            f"padding add nothing)."]
        self.write(
            f"Direct convolution, step {step + 1} of {out.size}: {name('y', index)} is the "
            f"flipped kernel times the window under it",
            f"{name('y', index)} = {why.equation}   (inserted zeros and padding add nothing)",
            f"Insert {pads.inserted_zeros[0]} zero(s) between inputs, pad {pads.pad_before[0]} "
            f"before and {pads.pad_after[0]} after, flip the kernel, then convolve with stride 1")
        self.shown.update(grid=grid, kernel=flipped, output=out, so_far=so_far,
                          equation=why.equation, value=out[index])
        return self


class ExplainPicture(Picture):
    """One output element, the inputs and kernel taps that make it, and the sum written out."""

    roles = ("input", "kernel", "output", "highlight")

    def __init__(self):
        super().__init__()
        self.input, self.kernel, self.output = (self.grid() for _ in range(3))
        self.marks = [Boxes(g.ax, COLORS["highlight"])
                      for g in (self.input, self.kernel, self.output)]
        self.tags = [Labels(g.ax, g.ax.transData, bold=True, zorder=5)
                     for g in (self.input, self.kernel)]

    def draw(self, input, weight, stride=1, padding=0, output_padding=0, dilation=1, element=0):
        x, w, params = self.prepare(input, weight, stride=stride, padding=padding,
                                    output_padding=output_padding, dilation=dilation)
        out = scatter.conv_transpose_scatter(x, w, **params)[0]
        element = min(max(element, 0), out.size - 1)
        index = np.unravel_index(element, out.shape)
        why = explain(x, w, index, **params)
        where_x = [t.input_index[1:] for t in why.terms]
        where_w = [t.weight_index[2:] for t in why.terms]
        for grid, values in ((self.input, x[0]), (self.kernel, w[0, 0]), (self.output, out)):
            grid.resize(as_rows(values).shape)
        self.place([[(self.input, 1.0), (self.kernel, 1.0), (self.output, 1.2)]])
        self.input.show(x[0], shade(x[0], "input"), title="input x")
        self.kernel.show(w[0, 0], shade(w[0, 0], "kernel"), title="kernel w")
        self.output.show(out, shade(out, "output"), title="output y")
        for marks, tags, grid, where in ((self.marks[0], self.tags[0], self.input, where_x),
                                         (self.marks[1], self.tags[1], self.kernel, where_w)):
            marks.show([cell_of(i) for i in where])
            corners = [(box[1] - 0.29, box[0] - 0.27) for box in map(cell_of, where)]
            tags.show(corners, [str(j + 1) for j in range(len(where))],
                      min(8.0, 0.34 * min(grid.cell_points())), COLORS["highlight"])
        self.marks[2].show([cell_of(index)])
        named = [(name("x", i), name("w", k)) for i, k in zip(where_x, where_w)]
        pairs = " + ".join(f"{a}·{b}" for a, b in named)
        self.words = [f"Output element {name('y', index)}: {why.equation}",
                      f"The terms are {' + '.join(f'{a}*{b}' for a, b in named)}." if named
                      else "No input reaches this output element."]
        self.write(
            f"Explain {name('y', index)}: the inputs and kernel taps that add up to it",
            f"{name('y', index)} = {why.equation}",
            f"{name('y', index)} = {pairs}" if pairs else "no input reaches this output element",
            "out[o] = sum of x[i]·w[k] over all i, k with o = stride·i + dilation·k − padding "
            "(numbers pair each input with its tap)")
        self.shown.update(output=out, equation=why.equation, value=out[index], terms=why.terms)
        return self


def connections(in_channels, out_channels, groups):
    """Which weight joins input channel i to output channel j: (C_in, C_out) weight numbers.

    conv_matrix of a 1x1 weight numbered 1, 2, ... (0 where no weight joins them): the matrix
    itself says which input channels feed which output channels.
    """
    per_group = out_channels // groups
    numbered = np.arange(1, in_channels * per_group + 1.0).reshape(in_channels, per_group, 1, 1)
    return matrix.conv_matrix(numbered, (out_channels, 1, 1), groups=groups)


class GroupsPicture(Picture):
    """Channels and groups: which input channels feed which output channels, and the weights.

    From the channel counts alone, or from an input (C_in, *spatial) and a weight
    (C_in, C_out/groups, *k): then the input and the output are drawn too, one row per channel.
    """

    roles = ("input", "kernel", "output")

    def __init__(self):
        super().__init__()
        self.input = self.grid()
        self.diagram = self.figure.add_axes((0, 0, 1, 1))
        self.diagram.set_axis_off()
        Title(self.diagram, "channels")
        self.bands = PolyCollection([], facecolors=[tint("padding", 0.18), tint("padding", 0.4)],
                                    edgecolors="none", zorder=1)
        self.links = LineCollection([], colors=COLORS["kernel"], linewidths=1.8, zorder=2)
        self.ends = {side: Boxes(self.diagram, COLORS[side], alpha=1, zorder=3, inset=0.15)
                     for side in ("input", "output")}
        for artist in (self.bands, self.links):
            self.diagram.add_collection(artist, autolim=False)
        self.names = Labels(self.diagram, self.diagram.transData, zorder=4)
        self.output, self.weights = self.grid(), self.grid()
        self.row_names, self.column_names = (
            Labels(self.weights.ax, self.weights.ax.transData, ha, va, clip=False)
            for ha, va in (("right", "center"), ("center", "top")))
        self.shape, self.scale, self.aspect = (1, 1), 1.0, 1.0  # arrange() places it like a grid

    def draw(self, input=None, weight=None, in_channels=4, out_channels=4, groups=2, **params):
        """input and weight (then params: stride, padding, output_padding, dilation), or only
        in_channels, out_channels and groups."""
        x, w, out = self.prepare_groups(input, weight, in_channels, out_channels, groups, params)
        in_channels, out_channels = x.shape[0], w.shape[1] * groups
        joined = connections(in_channels, out_channels, groups)
        per_in, per_out = in_channels // groups, out_channels // groups
        tall = max(in_channels, out_channels)
        y_in = np.arange(in_channels) + (tall - in_channels) / 2
        y_out = np.arange(out_channels) + (tall - out_channels) / 2
        self.weights.resize(joined.shape)
        self.shape = (tall, 5)  # the diagram: 5 cells wide
        panels = [(self, 1.6), (self.weights, 2.1)]
        self.captions = 3 if out is None else 4   # the output's numbers take a line
        for grid in (self.input, self.output):
            grid.ax.set_visible(out is not None)
        if out is not None:  # one row per channel; a long row gets narrower cells
            for grid, shape in ((self.input, (in_channels, x[0].size)),
                                (self.output, (out_channels, out[0].size))):
                grid.resize(shape)
                grid.aspect = min(1.0, 6 / shape[1])
            panels = [(self.input, 0.8)] + panels[:1] + [(self.output, 0.8)] + panels[1:]
        self.place([panels], gap=0.7)
        if out is not None:
            for grid, values, role, title in ((self.input, x, "input", "input x"),
                                              (self.output, out, "output", "output y")):
                rows = values.reshape(len(values), -1)
                grid.show(rows, shade(rows, role), title=title)
        self.diagram.set_xlim(-0.5, 4.5)   # column 0: input channels, column 4: outputs
        self.diagram.set_ylim(tall - 0.5, -0.5)
        self.bands.set_verts([[(0.35, y_in[g * per_in] - 0.45), (3.65, y_out[g * per_out] - 0.45),
                               (3.65, y_out[(g + 1) * per_out - 1] + 0.45),
                               (0.35, y_in[(g + 1) * per_in - 1] + 0.45)] for g in range(groups)])
        self.bands.set_facecolor([tint("padding", 0.36 if g % 2 else 0.18) for g in range(groups)])
        i, j = np.nonzero(joined)
        self.links.set_segments([[(0.35, y_in[a]), (3.65, y_out[b])] for a, b in zip(i, j)])
        self.ends["input"].show([(y, 0, y + 1, 1) for y in y_in])
        self.ends["output"].show([(y, 4, y + 1, 5) for y in y_out])
        self.names.show([(0, y) for y in y_in] + [(4, y) for y in y_out],
                        [f"x{c}" for c in range(in_channels)]
                        + [f"y{c}" for c in range(out_channels)],
                        min(9.0, 0.4 * self.weights.cell_points()[1]), "white")
        numbers = [f"{(n - 1) // per_out},{(n - 1) % per_out}" if n else ""
                   for n in joined.astype(int).ravel()]
        colors = np.where(joined[..., None] > 0, tint("kernel", 0.45), tint("padding", 0.12))
        self.weights.show(joined, colors, texts=numbers,
                          title="weight[i, j]: x (row) to y (column)")
        size = min(9.0, 0.4 * min(self.weights.cell_points()))
        self.row_names.show([(-0.6, r) for r in range(in_channels)],
                            [f"x{r}" for r in range(in_channels)], size)
        self.column_names.show([(c, in_channels - 0.1) for c in range(out_channels)],
                               [f"y{c}" for c in range(out_channels)], size)
        kernel = ", ".join(map(str, w.shape[2:])) if out is not None else "k, k"
        values = [] if out is None else [f"y{c} = {plain(v.item()) if v.size == 1 else nested(v)}"
                                         for c, v in enumerate(out)]
        self.write(
            f"Groups: {in_channels} input channels, {out_channels} output channels, "
            f"groups={groups}",
            f"weight shape (in_channels, out_channels/groups, *kernel_size) = "
            f"({in_channels}, {per_out}, {kernel}): each group joins {per_in} input(s) to "
            f"{per_out} output(s)",
            f"{len(i)} of {in_channels * out_channels} channel pairs are joined; the blank blocks "
            f"are weights a groups={groups} layer does not have.",
            f"output, a row per channel: {', '.join(values)}" if values else "")
        self.words = [f"groups={groups}: {in_channels} input channels, {out_channels} output "
                      f"channels, weight shape ({in_channels}, {per_out}, {kernel}).",
                      "; ".join(fed_by(joined)) + "."]
        if values:
            self.words.append(f"Output: {', '.join(values)}.")
        self.shown.update(connections=joined, links=len(i), output=out)
        return self

    def prepare_groups(self, input, weight, in_channels, out_channels, groups, params):
        """(x, w, output) for convlib; numbered stand-ins for x and w, and no output, when
        only the channel counts are given."""
        if input is None:
            shapes.validate_channels(in_channels, in_channels, out_channels, groups, "in_channels")
            x = np.arange(in_channels * 9.0).reshape(in_channels, 3, 3)
            w = np.arange(in_channels * out_channels // groups * 4.0).reshape(
                in_channels, out_channels // groups, 2, 2)
            self.arguments = (x, w, dict(groups=groups))
            return x, w, None
        x, w = (np.asarray(arrays.as_numpy(a)[0], dtype=float) for a in (input, weight))
        if shapes.validate(x.shape, w.shape, groups=groups, **params).batched:
            raise ValueError(f"the groups picture takes one input (C_in, *spatial), not a batch: "
                             f"got input.shape={x.shape}; pass input[0]")
        self.arguments = (x, w, dict(groups=groups, **params))
        return x, w, scatter.conv_transpose_scatter(x, w, groups=groups, **params)

    @property
    def ax(self):  # arrange() places the diagram like a grid
        return self.diagram


def fed_by(joined):
    """'x0 and x1 feed y0 and y1', one phrase per set of outputs fed by the same inputs,
    from the (C_in, C_out) connections."""
    outputs = {}
    for j in range(joined.shape[1]):
        outputs.setdefault(tuple(np.flatnonzero(joined[:, j])), []).append(j)
    return [f"{listing(f'x{i}' for i in ins)} feed{'s' if len(ins) == 1 else ''} "
            f"{listing(f'y{j}' for j in outs)}" for ins, outs in outputs.items()]


class OverlapPicture(Picture):
    """How many kernel stamps land on each output element: uneven counts make a checkerboard."""

    roles = ("kernel", "output")
    size = (8.4, 4.2)

    def __init__(self):
        super().__init__()
        self.line, self.plane = self.grid(), self.grid()
        self.count_row = Boxes(self.line.ax, COLORS["output"], linewidth=2)

    def draw(self, input_size=4, kernel_size=3, stride=2, dilation=1):
        params = dict(stride=stride, dilation=dilation)
        x1, w1 = np.ones((1, input_size)), np.ones((1, 1, kernel_size))
        plan = scatter.stamps(x1, w1, **params)
        counts1 = scatter.conv_transpose_scatter(x1, w1, **params)[0]
        x2, w2 = np.ones((1, input_size, input_size)), np.ones((1, 1, kernel_size, kernel_size))
        self.arguments = (x2, w2, params)
        counts2 = scatter.conv_transpose_scatter(x2, w2, **params)[0]
        rows = np.full((len(plan) + 1, counts1.size), np.nan)
        colors = np.ones(rows.shape + (3,))
        for r, stamp in enumerate(plan):
            reach = stamp.canvas_slices[1]
            taps = stamp.contribution[0] != 0
            colors[r, reach] = np.where(taps[:, None], tint("kernel", 0.6), tint("kernel", 0.12))
        rows[-1] = counts1
        colors[-1] = shade(counts1, "output")
        self.line.resize(rows.shape), self.plane.resize(counts2.shape)
        self.place([[(self.line, 2.0), (self.plane, 2.0)]], gap=0.6)
        self.line.show(rows, colors, title=f"1-D: the {len(plan)} stamps, counts below")
        self.count_row.show([(len(plan), 0, len(plan) + 1, counts1.size)])
        self.plane.show(counts2, shade(counts2, "output"), title="2-D: stamps per output element")
        edge = shapes.validate_sizes(1, kernel_size, stride, 0, 0, dilation).pad_before[0]
        middle = counts1[edge:counts1.size - edge]
        if middle.size == 0:
            verdict = "the input is too short to have a middle that every tap reaches"
        elif middle.min() == middle.max():
            verdict = (f"in the middle every output element gets {label(middle[0])} stamps: "
                       f"even overlap, no checkerboard")
        else:
            verdict = (f"in the middle the counts vary between {label(middle.min())} and "
                       f"{label(middle.max())}: uneven overlap, a checkerboard in 2-D")
        self.write(
            f"Overlap: kernel_size={kernel_size}, stride={stride}, dilation={dilation}, "
            f"input {input_size} (1-D) and {input_size}×{input_size} (2-D)",
            f"1-D counts: {' '.join(label(c) for c in counts1)}",
            verdict)
        self.words = [
            f"Stamps per output element for kernel_size={kernel_size}, stride={stride}, "
            f"dilation={dilation}:",
            f"1-D, input of {input_size}: {nested(counts1)}.",
            f"2-D, input {input_size}×{input_size}: {nested(counts2)}.",
            verdict[0].upper() + verdict[1:] + "."]
        self.shown.update(counts1=counts1, counts2=counts2, verdict=verdict)
        return self

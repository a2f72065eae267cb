"""Pictures of transposed convolution, drawn from convlib's own numbers.

Every picture is one matplotlib Figure, built once. `draw(...)` asks convlib for the numbers
(stamps, direct_input, conv_matrix, explain, ...) and updates the figure's artists in place;
`png()` renders it. The explorers in convlib.widgets put sliders on top, but a picture works on
its own too:

    ScatterPicture().draw([[1, 2], [3, 4]], [[1, 1], [1, 1]], stride=2, step=4).figure

Colours have one meaning everywhere (Okabe and Ito's colour-blind-safe palette): see COLORS.
Arrays are 2-D (one channel, drawn as a grid) or 1-D (drawn as one row).
"""
import functools
import re
import struct
import zlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import IdentityTransform, ScaledTranslation

from . import arrays, direct, matrix, scatter, shapes
from .explain import explain

COLORS = {
    "input": "#0072B2",           # blue
    "kernel": "#E69F00",          # orange
    "output": "#009E73",          # bluish green
    "padding": "#999999",         # grey: padding added, or cropped off
    "inserted zeros": "#CC79A7",  # reddish purple: the stride-1 zeros between inputs
    "highlight": "#D55E00",       # vermillion: what the current step is about
    "output_padding": "#000000",  # black, dashed: the extra rows/columns at the end
}
DPI = 100
FONT = 9            # points: panel titles and captions
GLYPH_SIZE = 10     # points: cell numbers are outlined at this size, then scaled
LARGEST_CELL = 0.42  # inches
LINE = 0.21          # inches between caption lines
HEADER = 0.86        # inches above the panels: heading, legend, panel titles


# ---------------------------------------------------------------------------------------------
# colours and numbers

def tint(role, strength):
    """The role's colour mixed with white: strength 0 is white, 1 the full colour."""
    strength = np.asarray(strength, dtype=float)[..., None]
    return 1 - strength * (1 - np.asarray(to_rgb(COLORS[role])))


def shade(values, role):
    """Cell colours: light for 0, deeper for larger |value| (never so deep black text is lost).

    NaN marks a cell with nothing in it yet: a faint grey.
    """
    size = np.abs(np.asarray(values, dtype=float))
    top = np.nanmax(size, initial=0) if size.size else 0
    strength = 0.12 + 0.5 * (size / top if top else 0 * size)
    colors = tint(role, np.nan_to_num(strength, nan=0.0))
    colors[np.isnan(size)] = tint("padding", 0.07)
    return colors


def plain(value, digits=2):
    """A value as the readout writes it: 12, 0.5, -3 (ASCII, so a test can read it back)."""
    return f"{round(float(value), digits) + 0.0:g}"


def label(value, digits=2):
    """A value as written in its cell: 12, 0.5, −3 (a real minus sign); '' for NaN."""
    if np.isnan(value):
        return ""
    return plain(value, digits).replace("-", "\u2212")


def nested(values, most=64, ends=3):
    """An array as nested lists, '[[6, 14, 4], [2, 17, 21]]'; an array of more than `most`
    numbers keeps the first and last `ends` items of each long axis, with '…' between."""
    values = np.asarray(values, dtype=float)
    cut = values.size > most

    def text(a):
        if a.ndim == 0:
            return plain(a)
        items = [text(v) for v in a]
        if cut and len(items) > 2 * ends:
            items = items[:ends] + ["…"] + items[-ends:]
        return "[" + ", ".join(items) + "]"

    return text(values)


def span(box, dims):
    """Where a (top, left, bottom, right) block of cells is, in words: 'rows 1 to 3, columns
    2 to 4' in 2-D, 'positions 2 to 4' in 1-D."""
    def run(word, first, stop):
        return f"{word} {first}" if stop - first == 1 else f"{word}s {first} to {stop - 1}"

    top, left, bottom, right = box
    columns = run("column" if dims == 2 else "position", left, right)
    return f"{run('row', top, bottom)}, {columns}" if dims == 2 else columns


def name(letter, index):
    """y[0, 1]: an element's name from its spatial index."""
    return f"{letter}[{', '.join(str(int(i)) for i in index)}]"


@functools.lru_cache(maxsize=None)
def glyph(char, bold=False):
    """One character's outline at GLYPH_SIZE points, pen at the origin, and its advance."""
    prop = FontProperties(weight="bold" if bold else "normal")
    font = get_font(findfont(prop))
    font.set_size(GLYPH_SIZE, 72)
    advance = font.load_char(ord(char)).linearHoriAdvance / 65536
    if char.isspace():  # TextPath cannot make an empty outline
        return Path(np.zeros((0, 2))), advance
    outline = TextPath((0, 0), char, size=GLYPH_SIZE, prop=prop)
    return Path(outline.vertices, outline.codes), advance


@functools.lru_cache(maxsize=None)
def digits():
    """Bottom and top of the digits at GLYPH_SIZE: where text is centred vertically."""
    box = glyph("0")[0].get_extents()
    return box.y0, box.y1


@functools.lru_cache(maxsize=8192)
def text_path(text, bold=False, ha="left", va="baseline"):
    """`text` as one outline at GLYPH_SIZE points, aligned on the origin, and its width.

    Glyphs are placed by their advances (no kerning), each outline computed once per character.
    va "center" centres the digits' height, so a row of numbers lines up whatever they contain.
    """
    pieces, x = [], 0.0
    for char in text:
        path, advance = glyph(char, bold)
        if len(path.vertices):
            pieces.append((path.vertices + (x, 0), path.codes))
        x += advance
    low, high = digits()
    shift = (-x * {"left": 0, "center": 0.5, "right": 1}[ha],
             -{"baseline": 0, "center": (low + high) / 2, "top": high, "bottom": -5.0}[va])
    if not pieces:
        return Path(np.zeros((1, 2)), [Path.MOVETO]), x
    return Path(np.concatenate([v for v, _ in pieces]) + shift,
                np.concatenate([c for _, c in pieces])), x


def text_width(text, size, bold=False):
    """The width of `text` in points at `size` points."""
    return text_path(text, bold, "left", "baseline")[1] * size / GLYPH_SIZE


def fit(text, room, size=FONT, bold=False):
    """`text`, shortened to `room` points: the middle terms of a long sum or list become '…'.

    '12 = a + b + c + d + e' -> '12 = a + b + … + e (5 in all)'; other text is cut at the end.
    """
    if text_width(text, size, bold) <= room:
        return text
    # a sum's terms, or a list's items (a comma inside y[0, 1] does not split the list)
    for pattern, joint in ((r" \+ ", " + "), (r", (?![^\[]*\])", ", ")):
        parts = re.split(pattern, text)
        for keep in range(len(parts) - 2, 0, -1):
            short = joint.join(parts[:keep] + ["…", parts[-1]]) + f" ({len(parts)} in all)"
            if text_width(short, size, bold) <= room:
                return short
    while text and text_width(text + "…", size, bold) > room:
        text = text[:-1]
    return text + "…"


class Labels:
    """Strings drawn as ONE collection of glyph outlines, for cell numbers and all captions.

    Agg spends about 50 µs per character of a Text artist; outlines cached per character and
    drawn as one PathCollection cost a few µs, which keeps a slider change fast.
    `where` is the transform of the positions: ax.transData (cells), ax.transAxes (titles),
    inches from a figure's corner (headings, legend, captions).
    """

    def __init__(self, owner, where, ha="center", va="center", bold=False, zorder=3,
                 clip=True):
        self.collection = PathCollection(
            [], offsets=np.empty((0, 2)), offset_transform=where,
            transform=IdentityTransform(), edgecolors="none", zorder=zorder)
        self.collection.set_clip_on(clip)
        if hasattr(owner, "add_collection"):
            owner.add_collection(self.collection, autolim=False)
        else:
            owner.add_artist(self.collection)
        self.style = (bold, ha, va)
        self.texts = []

    def show(self, positions, texts, size, color="black"):
        """Write texts[j] at positions[j], `size` points high; empty texts are skipped."""
        keep = [j for j, text in enumerate(texts) if text]
        self.texts = [texts[j] for j in keep]
        self.collection.set_paths([text_path(text, *self.style)[0] for text in self.texts])
        self.collection.set_offsets(np.asarray(positions, dtype=float).reshape(-1, 2)[keep])
        self.collection.set_sizes([(size / GLYPH_SIZE) ** 2])
        colors = np.asarray([to_rgb(color)] * len(texts) if isinstance(color, str) else color)
        self.collection.set_facecolor(colors.reshape(-1, 3)[keep])


def box_corners(top, left, bottom, right, inset=0.0):
    """The corners of the cells rows top..bottom-1, columns left..right-1 (data coordinates),
    moved `inset` cells inwards."""
    t, l, b, r = top - 0.5 + inset, left - 0.5 + inset, bottom - 0.5 - inset, right - 0.5 - inset
    return [(l, t), (r, t), (r, b), (l, b)]


def cells_of(slices):
    """(top, left, bottom, right) of the block a tuple of spatial slices (1-D or 2-D) covers."""
    rows = slices[-2] if len(slices) == 2 else slice(0, 1)
    return rows.start, slices[-1].start, rows.stop, slices[-1].stop


def cell_of(index):
    """(top, left, bottom, right) of one cell, from a 1-D or 2-D spatial index."""
    return cells_of(tuple(slice(i, i + 1) for i in index))


class Boxes:
    """Rectangles around blocks of cells (outlined or filled), as one PolyCollection."""

    def __init__(self, ax, color, linewidth=2.5, linestyle="-", alpha=None, zorder=4, inset=0.0):
        fill, self.inset = alpha is not None, inset
        self.collection = PolyCollection(
            [], closed=True, facecolors=color if fill else "none", edgecolors="none" if fill
            else color, linewidths=linewidth, linestyles=linestyle, alpha=alpha, zorder=zorder)
        ax.add_collection(self.collection, autolim=False)
        self.boxes = []

    def show(self, boxes=()):
        """boxes: (top, left, bottom, right) cell ranges, bottom and right exclusive."""
        self.boxes = list(boxes)
        self.collection.set_verts([box_corners(*b, self.inset) for b in self.boxes])


def as_rows(values):
    """A 1-D array as one row, a 2-D array as it is: how arrays are drawn."""
    values = np.asarray(values, dtype=float)
    return values.reshape(1, -1) if values.ndim == 1 else values


# ---------------------------------------------------------------------------------------------
# grids, layout, figures

class Title:
    """A panel's title, centred above its axes."""

    def __init__(self, ax, text=""):
        self.labels = Labels(ax, ax.transAxes, va="bottom", clip=False)
        self.set_text(text)

    def set_text(self, text):
        self.text = text
        self.labels.show([(0.5, 1.0)], [text], FONT)


class Grid:
    """An array drawn as a grid of coloured cells, with its numbers written in when they fit."""

    def __init__(self, ax, title=""):
        ax.set_axis_off()
        self.ax = ax
        self.image = ax.imshow(np.ones((1, 1, 3)), interpolation="nearest", aspect="auto")
        self.edges = LineCollection([], colors="white", linewidths=1.2, zorder=2)
        ax.add_collection(self.edges, autolim=False)
        self.numbers = Labels(ax, ax.transData)
        self.title = Title(ax, title)
        self.values = np.zeros((0, 0))
        self.shape = (1, 1)
        self.scale = 1.0    # < 1: drawn smaller than the other grids of its figure
        self.aspect = 1.0   # a cell's width over its height (wider cells fit longer numbers)
        self.digits = 2     # decimals of the numbers written

    def resize(self, shape):
        """Make room for an array of `shape` (rows, columns); arrange() then places the axes."""
        self.shape = shape
        h, w = shape
        self.image.set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
        self.ax.set_xlim(-0.5, w - 0.5)
        self.ax.set_ylim(h - 0.5, -0.5)
        inner = [[(x - 0.5, -0.5), (x - 0.5, h - 0.5)] for x in range(1, w)]
        inner += [[(-0.5, y - 0.5), (w - 0.5, y - 0.5)] for y in range(1, h)]
        self.edges.set_segments(inner)

    def cell_points(self):
        """(width, height) of one cell in points, after arrange()."""
        box, (width, height) = self.ax.get_position(), self.ax.figure.get_size_inches() * 72
        return box.width * width / self.shape[1], box.height * height / self.shape[0]

    def show(self, values, colors, text_color="black", title=None, texts=None):
        """Fill the cells with `colors` and write `values` in them (NaN: left empty), or `texts`."""
        self.values = values = as_rows(values)
        self.image.set_data(np.asarray(colors).reshape(values.shape + (3,)))
        if title is not None:
            self.title.set_text(title)
        wide, tall = self.cell_points()
        for digits in (2, 1):  # one decimal fewer before giving up on numbers
            shown = [label(v, digits) for v in values.ravel()] if texts is None else texts
            longest = max((len(t) for t in shown), default=1) or 1
            size = min(11.0, 0.5 * tall, 1.35 * wide / (longest + 0.6))
            if size >= 5.5:
                break
        self.digits = digits
        if size < 5.5 or values.size > 400:  # too small to read: colours only
            shown = [""] * values.size
        rows, cols = np.indices(values.shape)
        self.numbers.show(np.column_stack([cols.ravel(), rows.ravel()]), list(shown), size,
                          text_color if isinstance(text_color, str)
                          else np.asarray(text_color).reshape(-1, 3))

    @property
    def texts(self):
        """The numbers written in the cells, in raster order (what a reader sees)."""
        return self.numbers.texts


def arrange(figure, rows, top, bottom, gap=0.35, title_room=0.42, margin=0.15):
    """Place panels row by row so that every cell in the figure has the same size.

    rows: lists of (grid, narrowest) with `narrowest` the least width in inches the panel needs
    for its title. A grid's cells are `scale` times the common size (a thumbnail when < 1) and
    `aspect` times as wide as tall. Panels are top-aligned, rows centred; cells are at most
    LARGEST_CELL inches high.
    """
    width, height = figure.get_size_inches()

    def across(g):  # a panel's width, in cells
        return g.shape[1] * g.scale * g.aspect

    tallest = [max(g.shape[0] * g.scale for g, _ in row) for row in rows]
    cell = min(LARGEST_CELL, ((top - bottom) * height - title_room * (len(rows) - 1))
               / sum(tallest))
    for row in rows:  # narrow panels take their title's width; the others share what is left
        room = width - 2 * margin - gap * (len(row) - 1)
        for _ in range(3):
            wide = [across(g) for g, least in row if across(g) * cell >= least]
            fixed = sum(least for g, least in row if across(g) * cell < least)
            if wide:
                cell = min(cell, (room - fixed) / sum(wide))
    y = top * height
    for row, tall in zip(rows, tallest):
        slots = [max(across(g) * cell, least) for g, least in row]
        x = (width - sum(slots) - gap * (len(row) - 1)) / 2
        for (g, _), slot in zip(row, slots):
            h, w = g.shape[0] * g.scale * cell, across(g) * cell
            g.ax.set_position([(x + (slot - w) / 2) / width, (y - h) / height,
                               w / width, h / height])
            x += slot + gap
        y -= tall * cell + title_room
    return cell


class Picture:
    """A figure built once: draw(...) updates its artists in place, png() renders it.

    From the top: a bold heading that says what is shown, the legend of colour roles, the
    panels (placed by place()), and caption lines that say why. `words` says the key numbers
    of the picture in sentences, for the explorers' readout (and screen readers).
    """

    size = (8.4, 4.0)   # inches; a picture of 1-D arrays gets only the height it needs
    roles = ()          # the colour roles the legend explains
    captions = 3        # lines of text under the panels

    def __init__(self):
        self.figure = Figure(figsize=self.size, dpi=DPI)
        FigureCanvasAgg(self.figure)
        # inches from the top-left corner (y negative), whatever the figure's height
        self.from_top = (self.figure.dpi_scale_trans
                         + ScaledTranslation(0, 1, self.figure.transFigure))
        self.heading = Labels(self.figure, self.from_top, "left", "top", bold=True)
        self.captions_text = Labels(self.figure, self.figure.dpi_scale_trans, "left", "baseline")
        if self.roles:
            self.legend(-0.42)
        self.shown = {}     # the numbers on the picture, for tests: name -> value
        self.words = []     # what the picture shows, in sentences: the explorers' readout
        self.arguments = None  # (input, weight, params) convlib was called with, once drawn

    def place(self, rows, gap=0.35):
        """arrange() the rows of panels between the legend and the captions."""
        width, height = self.size
        footer = 0.2 + LINE * self.captions
        if all(g.shape[0] == 1 for row in rows for g, _ in row):  # one row of cells
            height = min(height, HEADER + LARGEST_CELL + footer + 0.1)
        if height != self.figure.get_figheight():
            self.figure.set_size_inches(width, height)
        return arrange(self.figure, rows, 1 - HEADER / height, footer / height, gap)

    def grid(self, title=""):
        return Grid(self.figure.add_axes((0, 0, 1, 1)), title)

    def prepare(self, input, weight, **params):
        """(x, w, params) for convlib, one channel; kept as self.arguments for the status line."""
        x, w = one_channel(input, weight)
        self.arguments = (x, w, params)
        return x, w, params

    def legend(self, y):
        """A swatch and the name of each colour role, in one row, y inches from the top."""
        x, swatches, places = 0.1, [], []
        for role in self.roles:
            swatches.append([(x, y), (x + 0.15, y), (x + 0.15, y + 0.11), (x, y + 0.11)])
            places.append((x + 0.2, y))
            x += 0.4 + text_width(role, FONT - 1) / 72
        self.figure.add_artist(PolyCollection(
            swatches, transform=self.from_top, linewidths=1,
            facecolors=[tint(role, 0.45) for role in self.roles],
            edgecolors=[COLORS[role] for role in self.roles]))
        Labels(self.figure, self.from_top, "left", "baseline").show(
            places, list(self.roles), FONT - 1)

    def write(self, heading, *lines):
        """The bold heading says what is shown; the lines under the panels say why."""
        room = self.size[0] * 72 - 2 * 7.2   # 0.1 inch margins
        heading = fit(heading, room, FONT + 1.5, bold=True)
        self.heading.show([(0.1, -0.1)], [heading], FONT + 1.5)
        lines = [fit(line, room) for line in lines if line]
        self.captions_text.show([(0.1, 0.1 + LINE * (len(lines) - 1 - j))
                                 for j in range(len(lines))], lines, FONT)
        self.shown["heading"], self.shown["lines"] = heading, lines

    def png(self):
        """The figure as PNG bytes."""
        self.figure.canvas.draw()
        return png_bytes(np.asarray(self.figure.canvas.buffer_rgba()))


def png_bytes(rgba):
    """An RGBA image array as a PNG file: RGB rows, each behind filter byte 0, zlib level 1.

    Skipping PNG's per-row filter search and deep compression halves the time of
    matplotlib's print_png for a file of about the same size: the pictures are flat colours.
    """
    height, width = rgba.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 1:] = rgba[..., :3].reshape(height, -1)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


def one_channel(input, weight):
    """(x, w) shaped for convlib: one input channel (1, *spatial), one kernel (1, 1, *k).

    The pictures take a 1-D or 2-D input and a weight with as many axes.
    """
    x, w = (np.asarray(arrays.as_numpy(a)[0], dtype=float) for a in (input, weight))
    if x.ndim not in (1, 2) or w.ndim != x.ndim:
        raise ValueError(f"the pictures take a 1-D or 2-D input and a weight with as many axes, "
                         f"got input.shape={x.shape}, weight.shape={w.shape}")
    return x[None], w[None, None]


def roles_of(x, w, **params):
    """For each cell of direct_input: 'input', 'inserted zeros' or 'padding'.

    direct_input of the inputs' positions 1..n shows where each input lands; what lies between
    pad_before and the end minus pad_after (direct_conv_params) but is no input is an inserted zero.
    """
    marks = np.arange(1, x.size + 1, dtype=float).reshape(x.shape)
    landed = as_rows(direct.direct_input(marks, w, **params)[0])
    pads = shapes.direct_conv_params(w.shape[2:], **params)
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
        pads = shapes.direct_conv_params(k, s, p, op, d)
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
        setup = shapes.check_conv_transpose(x.shape, w.shape, **params)
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
        pads = shapes.direct_conv_params(w.shape[2:], **params)
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
            shapes.check_channels(in_channels, in_channels, out_channels, groups, "in_channels")
            x = np.arange(in_channels * 9.0).reshape(in_channels, 3, 3)
            w = np.arange(in_channels * out_channels // groups * 4.0).reshape(
                in_channels, out_channels // groups, 2, 2)
            self.arguments = (x, w, dict(groups=groups))
            return x, w, None
        x, w = (np.asarray(arrays.as_numpy(a)[0], dtype=float) for a in (input, weight))
        if shapes.check_conv_transpose(x.shape, w.shape, groups=groups, **params).batched:
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
        edge = shapes.direct_conv_params(kernel_size, stride, 0, 0, dilation).pad_before[0]
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

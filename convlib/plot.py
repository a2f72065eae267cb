"""The drawing kit: grids of cells, boxes, titles, layout, text fitted to a width.

It knows matplotlib and nothing of convolution (convlib.painter puts scenes together from it);
what each role looks like is convlib.palette's.
"""
import re

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection

from . import palette, words
from .fast import Labels, text_width

DPI = 100
FONT = 9             # points: panel titles and captions
LARGEST_CELL = 0.42  # inches
LINE = 0.21          # inches between caption lines
HEADER = 0.86        # inches above the panels: heading, legend, panel titles


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


def box_corners(top, left, bottom, right, inset=0.0):
    """The corners of the cells rows top..bottom-1, columns left..right-1 (data coordinates),
    moved `inset` cells inwards."""
    t, l, b, r = top - 0.5 + inset, left - 0.5 + inset, bottom - 0.5 - inset, right - 0.5 - inset
    return [(l, t), (r, t), (r, b), (l, b)]


class Boxes:
    """Rectangles around blocks of cells (outlined or filled), as one PolyCollection."""

    def __init__(self, ax, color, linewidth=2.5, linestyle="-", alpha=None, zorder=4, inset=0.0):
        fill, self.inset = alpha is not None, inset
        self.collection = PolyCollection(
            [], closed=True, facecolors=color if fill else "none", edgecolors="none" if fill
            else color, linewidths=linewidth, linestyles=linestyle, alpha=alpha, zorder=zorder)
        ax.add_collection(self.collection, autolim=False)
        self.boxes = []

    @classmethod
    def styled(cls, ax, style):
        """Boxes in one of palette.MARKS's styles."""
        look = palette.MARKS[style]
        return cls(ax, palette.rgb(look.role), look.width, (0, look.dash) if look.dash else "-",
                   zorder=look.layer, inset=look.inset)

    def show(self, boxes=()):
        """boxes: (top, left, bottom, right) cell ranges, bottom and right exclusive."""
        self.boxes = list(boxes)
        self.collection.set_verts([box_corners(*b, self.inset) for b in self.boxes])


class Title:
    """A panel's title, centred above its axes."""

    def __init__(self, ax, text=""):
        self.labels = Labels(ax, ax.transAxes, va="bottom", clip=False)
        self.set_text(text)

    def set_text(self, text):
        self.text = text
        self.labels.show([(0.5, 1.0)], [text], FONT)


class Cells:
    """The artists of one grid: coloured cells, white edges, numbers written in when they fit."""

    def __init__(self, ax):
        ax.set_axis_off()
        self.ax = ax
        self.image = ax.imshow(np.ones((1, 1, 3)), interpolation="nearest", aspect="auto")
        self.edges = LineCollection([], colors="white", linewidths=1.2, zorder=2)
        ax.add_collection(self.edges, autolim=False)
        self.numbers = Labels(ax, ax.transData)
        self.title = Title(ax)
        self.shape, self.scale, self.aspect, self.digits = (1, 1), 1.0, 1.0, 2

    def resize(self, shape):
        """Make room for `shape` (rows, columns) cells; arrange() then places the axes."""
        self.shape = h, w = shape
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

    def show(self, values, colors, greys=0.0, texts=None):
        """Fill the cells with `colors` (RGB) and write `values` in them (NaN: left empty), or
        `texts`, in the grey level `greys` (0 black; one, or one per cell)."""
        values = np.asarray(values, dtype=float).reshape(self.shape)
        self.image.set_data(np.asarray(colors).reshape(values.shape + (3,)))
        wide, tall = self.cell_points()
        for digits in (2, 1):  # one decimal fewer before giving up on numbers
            shown = ([words.label(v, digits) for v in values.ravel()] if texts is None
                     else list(np.ravel(texts)))
            longest = max((len(t) for t in shown), default=1) or 1
            size = min(11.0, 0.5 * tall, 1.35 * wide / (longest + 0.6))
            if size >= 5.5:
                break
        self.digits = digits
        if size < 5.5 or values.size > 400:  # too small to read: colours only
            shown = [""] * values.size
        rows, cols = np.indices(values.shape)
        greys = np.broadcast_to(np.asarray(greys, dtype=float), values.shape).reshape(-1, 1)
        self.numbers.show(np.column_stack([cols.ravel(), rows.ravel()]), shown, size,
                          greys * np.ones(3))

    @property
    def texts(self):
        """The numbers written in the cells, in raster order (what a reader sees)."""
        return self.numbers.texts


def arrange(figure, rows, top, bottom, gap=0.35, title_room=0.42, margin=0.15):
    """Place panels row by row so that every cell in the figure has the same size.

    rows: lists of (panel, narrowest) with `narrowest` the least width in inches the panel needs
    for its title; a panel has .ax, .shape, .scale (< 1: a thumbnail) and .aspect (a cell's
    width over its height). Panels are top-aligned, rows centred; cells are at most
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

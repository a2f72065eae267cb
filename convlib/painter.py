"""One painter for every scene (convlib.scene): a matplotlib figure built once and updated in
place, then rendered to PNG. It knows the drawing kit (convlib.plot) and what each role looks like
(convlib.palette), not convolution.

    painter = Painter()
    painter.paint(scatter_scene(x, w, setup, step=2))
    png = painter.png()
"""
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.transforms import ScaledTranslation

from . import palette
from .fast import Labels, png_bytes, text_width
from .plot import DPI, FONT, HEADER, LARGEST_CELL, LINE, Boxes, Cells, Title, arrange, fit
from .scene import Diagram
from .words import typeset


class Channels:
    """The artists of a Diagram: group bands, links, channel boxes and their names."""

    def __init__(self, ax):
        ax.set_axis_off()
        self.ax, self.scale, self.aspect, self.shape = ax, 1.0, 1.0, (1, 5)
        self.title = Title(ax)
        self.bands = PolyCollection([], edgecolors="none", zorder=1)
        self.links = LineCollection([], colors=[palette.rgb("kernel")], linewidths=1.8, zorder=2)
        self.ends = {side: Boxes(ax, palette.rgb(side), alpha=1, zorder=3, inset=0.15)
                     for side in ("input", "output")}
        for artist in (self.bands, self.links):
            ax.add_collection(artist, autolim=False)
        self.names = Labels(ax, ax.transData, zorder=4)

    def resize(self, shape):
        self.shape = shape
        self.ax.set_xlim(-0.5, 4.5)   # column 0: input channels, column 4: output channels
        self.ax.set_ylim(shape[0] - 0.5, -0.5)

    def show(self, diagram):
        self.bands.set_verts([[(0.35, a - 0.45), (3.65, b - 0.45), (3.65, c + 0.45),
                               (0.35, d + 0.45)] for a, b, c, d in diagram.bands])
        self.bands.set_facecolor([palette.tint("padding", 0.36 if g % 2 else 0.18)
                                  for g in range(len(diagram.bands))])
        self.links.set_segments([[(0.35, a), (3.65, b)] for a, b in diagram.links])
        self.ends["input"].show([(y, 0, y + 1, 1) for y, _ in diagram.inputs])
        self.ends["output"].show([(y, 4, y + 1, 5) for y, _ in diagram.outputs])
        cell = self.ax.get_position().height * self.ax.figure.get_figheight() * 72 / self.shape[0]
        self.names.show([(0, y) for y, _ in diagram.inputs] + [(4, y) for y, _ in diagram.outputs],
                        [n for _, n in diagram.inputs + diagram.outputs],
                        min(9.0, 0.4 * cell), "white")


class Painter:
    """A figure that paints scenes: heading, legend, panels, caption lines; png() renders it."""

    def __init__(self):
        self.figure = Figure(figsize=(8.4, 4.0), dpi=DPI)
        FigureCanvasAgg(self.figure)
        # inches from the top-left corner (y negative), whatever the figure's height
        self.from_top = (self.figure.dpi_scale_trans
                         + ScaledTranslation(0, 1, self.figure.transFigure))
        self.heading = Labels(self.figure, self.from_top, "left", "top", bold=True)
        self.captions = Labels(self.figure, self.figure.dpi_scale_trans, "left", "baseline")
        self.slots, self.roles, self.scene = [], None, None

    def paint(self, scene):
        """Update the figure in place to show `scene`."""
        if self.roles is None:
            self.roles = scene.roles
            self.legend(scene.roles)
        panels = [p for row in scene.rows for p in row]
        self.size(scene)
        for j, panel in enumerate(panels):
            slot = self.slot(j, panel)
            slot.artists.resize(panel.shape)
            slot.artists.scale, slot.artists.aspect = getattr(panel, "scale", 1.0), getattr(
                panel, "aspect", 1.0)
        for slot in self.slots[len(panels):]:
            slot.artists.ax.set_visible(False)
        rows, j = [], 0
        for row in scene.rows:
            rows.append([(self.slots[j + n].artists, p.least) for n, p in enumerate(row)])
            j += len(row)
        arrange(self.figure, rows, 1 - HEADER / self.height, self.footer / self.height, scene.gap)
        for slot, panel in zip(self.slots, panels):
            slot.show(panel)
        self.write(typeset(scene.heading), [typeset(s) for s in scene.captions])
        self.scene = scene
        return self

    def size(self, scene):
        """The scene's size; a picture of single rows of cells only gets the height it needs."""
        width, height = scene.size
        self.footer = 0.2 + LINE * max(3, len(scene.captions))
        if all(p.shape[0] == 1 for row in scene.rows for p in row):
            height = min(height, HEADER + LARGEST_CELL + self.footer + 0.1)
        if (width, height) != tuple(self.figure.get_size_inches()):
            self.figure.set_size_inches(width, height)
        self.height = height

    def slot(self, j, panel):
        """The artists of the j-th panel, made on first use, remade if the kind changes."""
        kind = Channels if isinstance(panel, Diagram) else Cells
        if j == len(self.slots):
            self.slots.append(Slot(kind(self.figure.add_axes((0, 0, 1, 1)))))
        elif not isinstance(self.slots[j].artists, kind):
            self.slots[j].artists.ax.remove()
            self.slots[j] = Slot(kind(self.figure.add_axes((0, 0, 1, 1))))
        self.slots[j].artists.ax.set_visible(True)
        return self.slots[j]

    def legend(self, roles):
        """A swatch and the name of each colour role, in one row under the heading."""
        x, y, swatches, places = 0.1, -0.42, [], []
        for role in roles:
            swatches.append([(x, y), (x + 0.15, y), (x + 0.15, y + 0.11), (x, y + 0.11)])
            places.append((x + 0.2, y))
            x += 0.4 + text_width(role, FONT - 1) / 72
        self.figure.add_artist(PolyCollection(
            swatches, transform=self.from_top, linewidths=1,
            facecolors=[palette.tint(role, 0.45) for role in roles],
            edgecolors=[palette.rgb(role) for role in roles]))
        Labels(self.figure, self.from_top, "left", "baseline").show(places, list(roles), FONT - 1)

    def write(self, heading, lines):
        """The bold heading over the panels, the caption lines under them, fitted to the width."""
        room = self.figure.get_figwidth() * 72 - 2 * 7.2   # 0.1 inch margins
        self.heading_text = fit(heading, room, FONT + 1.5, bold=True)
        self.heading.show([(0.1, -0.1)], [self.heading_text], FONT + 1.5)
        self.lines = [fit(line, room) for line in lines if line]
        self.captions.show([(0.1, 0.1 + LINE * (len(self.lines) - 1 - j))
                            for j in range(len(self.lines))], self.lines, FONT)

    def png(self):
        """The figure as PNG bytes."""
        self.figure.canvas.draw()
        return png_bytes(np.asarray(self.figure.canvas.buffer_rgba()))


class Slot:
    """One panel's artists, with its marks, tags and row/column names made on first use."""

    def __init__(self, artists):
        self.artists, self.marks, self.tags, self.names = artists, {}, None, None

    def show(self, panel):
        cells = self.artists
        cells.title.set_text(panel.title)
        if isinstance(panel, Diagram):
            cells.show(panel)
            return
        cells.show(panel.values, palette.fill(panel.roles, panel.strength),
                   palette.ink(panel.roles), panel.texts)
        shown = {(j, mark.style): mark.boxes for j, mark in enumerate(panel.marks)}
        for key in shown:   # made in the scene's order: boxes of one layer always overlap alike
            if key not in self.marks:
                self.marks[key] = Boxes.styled(cells.ax, key[1])
        for key, boxes in self.marks.items():
            boxes.show(shown.get(key, ()))
        if self.tags is not None and panel.tags is None:
            self.tags.show([], [], 1.0)
        if panel.tags is not None:
            if self.tags is None:
                self.tags = Labels(cells.ax, cells.ax.transData, bold=True, zorder=5)
            size = min(8.0, 0.34 * min(cells.cell_points()))
            self.tags.show([(c - 0.29, r - 0.27) for r, c in panel.tags.cells],
                           list(panel.tags.texts), size, palette.rgb(panel.tags.role))
        if panel.side_names is not None:
            if self.names is None:
                self.names = [Labels(cells.ax, cells.ax.transData, ha, va, clip=False)
                              for ha, va in (("right", "center"), ("center", "top"))]
            size = min(9.0, 0.4 * min(cells.cell_points()))
            rows, columns = panel.side_names
            self.names[0].show([(-0.6, r) for r in range(len(rows))], list(rows), size)
            self.names[1].show([(c, len(rows) - 0.1) for c in range(len(columns))],
                               list(columns), size)

"""What a picture shows, as plain data: the scene a picture function returns and a painter draws
(convlib.display.painter). Tests read scenes; nothing here draws or computes convolutions.

A scene is panels in rows (grids of numbers, or the channel diagram of the groups picture),
marks on their cells, and sentences written once: all of them are the readout (what a screen
reader says), and those listed in `caption` are also typeset under the picture. `notes` are
lines that never change with the sliders (a formula, what a symbol means): drawn, not read out
again on every change. A cell carries numbers and a role, never a colour:
convlib.display.palette says what each role looks like, for every painter. `as_data(scene)` is
the same scene as JSON-ready dicts and lists, for a painter in another language.

Cells are addressed as a painter lays them out: a 1-D array is one row, and a block of cells is
the box (top, left, bottom, right), bottom and right exclusive.
"""
from dataclasses import dataclass, field, fields, is_dataclass

import numpy as np


def as_rows(values):
    """A 1-D array as one row, a 2-D array as it is: how arrays are laid out as cells."""
    values = np.asarray(values, dtype=float)
    return values.reshape(1, -1) if values.ndim == 1 else values


def cells_of(slices):
    """(top, left, bottom, right) of the block a tuple of spatial slices (1-D or 2-D) covers."""
    rows = slices[-2] if len(slices) == 2 else slice(0, 1)
    return rows.start, slices[-1].start, rows.stop, slices[-1].stop


def cell_of(index):
    """(top, left, bottom, right) of one cell, from a 1-D or 2-D spatial index."""
    return cells_of(tuple(slice(i, i + 1) for i in index))


def shading(values):
    """How deep each cell's colour is: 0.12 + 0.5 |v| / max |v|, so a 0 is light and the largest
    value never so deep that its number is lost; 0.07 where there is no value (NaN)."""
    size = np.abs(np.asarray(values, dtype=float))
    top = np.nanmax(size, initial=0) if size.size else 0
    return np.nan_to_num(0.12 + 0.5 * (size / top if top else 0 * size), nan=0.07)


@dataclass(frozen=True)
class Mark:
    """Boxes (top, left, bottom, right; bottom and right exclusive) around cells, in a style of
    convlib.display.palette.MARKS ('highlight', 'window', 'output_padding', 'taps', 'frame',
    ...)."""
    style: str
    boxes: tuple = ()


@dataclass(frozen=True)
class Tags:
    """Small bold numbers in the top-left corners of cells (which input goes with which tap)."""
    cells: tuple       # (row, column) of each tag
    texts: tuple
    role: str = "highlight"


@dataclass(frozen=True)
class Grid:
    """An array drawn as cells in rows (a 1-D array as one row), numbers written in when legible.

    values: the numbers, 1-D or 2-D; NaN is an empty cell. roles: what each cell is, a role of
    convlib.display.palette; strength: how deep its colour is, 0 (white) to 1; texts: what to write
    instead of the values; all three one per value, in its shape. least: the width in inches
    the panel needs for its title; scale < 1 draws it smaller; aspect: a cell's width over its
    height; side_names: names left of the rows and under the columns; axis_names: a title for
    the rows (turned, left of their names) and one for the columns (under theirs). grid(...)
    makes most.
    """
    name: str
    values: np.ndarray
    roles: np.ndarray
    strength: np.ndarray
    title: str = ""
    least: float = 1.0
    texts: np.ndarray = None
    marks: tuple = ()
    tags: Tags = None
    scale: float = 1.0
    aspect: float = 1.0
    side_names: tuple = None   # (row names, column names)
    axis_names: tuple = None   # (what the rows are, what the columns are): titles of the axes

    @property
    def shape(self):
        """(rows, columns) as drawn."""
        return self.values.shape if self.values.ndim == 2 else (1, self.values.size)


def grid(name, values, role, title="", least=1.0, **looks):
    """A Grid of numbers in one role, each shaded by its size; an empty (NaN) cell is 'empty'."""
    values = np.asarray(values, dtype=float)
    roles = np.where(np.isnan(values), "empty", role).astype(object)
    return Grid(name, values, roles, shading(values), title, least, **looks)


@dataclass(frozen=True)
class Diagram:
    """Channels as boxes in two columns (inputs left, outputs right) joined by lines, with a
    shaded band per group. y positions in rows; `tall` rows in all."""
    name: str
    tall: int
    inputs: tuple      # (y, name) of each input channel
    outputs: tuple     # (y, name) of each output channel
    links: tuple       # (input y, output y) of each line
    bands: tuple       # (input top, output top, output bottom, input bottom) of each group
    title: str = "channels"
    least: float = 1.6

    @property
    def shape(self):
        return (self.tall, 5)


@dataclass(frozen=True)
class Scene:
    """A picture: heading, legend roles, rows of panels, sentences (the readout; `caption` picks
    those also written under the panels) and `facts`, the numbers the sentences are made of."""
    heading: str
    sentences: tuple
    rows: tuple                    # rows of panels (Grid or Diagram)
    roles: tuple = ()              # the legend, in palette.COLORS's roles
    caption: tuple = None          # indices into sentences; None: all
    notes: tuple = ()              # drawn under the captions, not read out
    size: tuple = (8.4, 4.0)       # inches
    gap: float = 0.35              # inches between panels
    facts: dict = field(default_factory=dict)

    def __getitem__(self, name):
        """The panel called `name`."""
        for row in self.rows:
            for panel in row:
                if panel.name == name:
                    return panel
        raise KeyError(name)

    @property
    def captions(self):
        """The lines written under the panels: the chosen sentences, then the notes."""
        chosen = range(len(self.sentences)) if self.caption is None else self.caption
        return [self.sentences[j] for j in chosen] + list(self.notes)


def as_data(item):
    """A scene (or a part of one) as JSON-ready data: dataclasses become dicts with their "kind"
    ('Scene', 'Grid', 'Diagram', 'Mark', 'Tags'), arrays nested lists, NaN None. A scene's
    `facts` (Python objects for tests) are left out; its `captions` are written out."""
    if is_dataclass(item):
        data = {"kind": type(item).__name__}
        data.update({f.name: as_data(getattr(item, f.name)) for f in fields(item)
                     if f.name != "facts"})
        if isinstance(item, Scene):
            data["captions"] = item.captions
        return data
    if isinstance(item, np.ndarray):
        return as_data(item.tolist())
    if isinstance(item, (tuple, list)):
        return [as_data(v) for v in item]
    if isinstance(item, (float, np.floating)):
        return None if np.isnan(item) else float(item)
    if isinstance(item, np.integer):
        return int(item)
    return item

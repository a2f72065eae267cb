"""What a picture shows, as plain data: the scene a picture function returns and the painter
draws (convlib.painter). Tests read scenes; nothing here draws or computes convolutions.

A scene is panels in rows (grids of numbers, or the channel diagram of the groups picture),
marks on their cells, and sentences written once: all of them are the readout (what a screen
reader says), and those listed in `caption` are also typeset under the picture.
"""
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Mark:
    """Boxes (top, left, bottom, right; bottom and right exclusive) around cells, in a style of
    convlib.plot.MARKS ('highlight', 'window', 'output_padding', 'taps', 'frame', ...)."""
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
    """An array drawn as coloured cells (a 1-D array as one row), numbers written in when legible.

    colors: (*values.shape, 3) RGB; roles: what each cell is, where the picture says so;
    texts: what to write instead of the values; text_colors: (*shape, 3) or one colour name.
    least: the width in inches the panel needs for its title; scale < 1 draws it smaller;
    aspect: a cell's width over its height; side_names: names left of the rows and under the
    columns.
    """
    name: str
    values: np.ndarray
    colors: np.ndarray
    title: str = ""
    least: float = 1.0
    roles: np.ndarray = None
    texts: tuple = None
    text_colors: object = "black"
    marks: tuple = ()
    tags: Tags = None
    scale: float = 1.0
    aspect: float = 1.0
    side_names: tuple = None   # (row names, column names)

    @property
    def shape(self):
        return self.values.shape if self.values.ndim == 2 else (1, self.values.size)


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
    roles: tuple = ()
    caption: tuple = None          # indices into sentences; None: all
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
        """The sentences written under the panels."""
        chosen = range(len(self.sentences)) if self.caption is None else self.caption
        return [self.sentences[j] for j in chosen]

"""What every painter draws a role in: one colour per role, and the styles of boxes around cells.

A scene names what each cell is (its role) and how deep its colour is (its strength, 0 white to
1 the full colour); a painter looks the role up here. Plain data and arithmetic on RGB triples,
no drawing library: the painter (convlib.display.painter, SVG) looks every role up here.
Colours are Okabe and Ito's colour-blind-safe palette.
"""
from typing import NamedTuple

import numpy as np

COLORS = {   # the roles a legend can name, one colour each
    "input": "#0072B2",           # blue
    "kernel": "#E69F00",          # orange
    "output": "#009E73",          # bluish green
    "padding": "#999999",         # grey: padding added, or cropped off
    "inserted zeros": "#CC79A7",  # reddish purple: the stride-1 zeros between inputs
    "highlight": "#D55E00",       # vermillion: what the current step is about
    "output_padding": "#000000",  # black, dashed: the extra rows/columns at the end
}
DRAWN_AS = {   # roles of cells that have no colour of their own: the role whose colour they take
    "empty": "padding",               # nothing in the cell (yet)
    "cropped": "padding",             # computed, then cropped off the output
    "full result": "padding",         # the uncropped result every framework crops
    "bias only": "highlight",         # an entry outside the full result: only the bias
    "accepted": "output",             # an output size forward(output_size=...) accepts
    "output_padding only": "kernel",  # an output size only output_padding reaches
    "unreachable": "padding",         # an output size nothing reaches
}
GREY_TEXT = {"cropped"}   # numbers written grey: not part of the result
GREY = 0.4                # the grey of those numbers (0 black, 1 white)


class MarkStyle(NamedTuple):
    """How a box around cells is drawn: the role of its colour, its line width in points, its
    dash pattern in points (on, off, ...; () for a solid line), which boxes it is drawn over
    (a higher layer is drawn later) and how far it sits inside the cells' edges, in cells."""
    role: str
    width: float
    dash: tuple = ()
    layer: float = 4
    inset: float = 0.0


MARKS = {   # the styles a Mark names (convlib.display.scene.Mark)
    "highlight": MarkStyle("highlight", 2.5),
    "pick": MarkStyle("highlight", 2.2),
    "window": MarkStyle("output", 3.0, layer=3.5),
    "output_padding": MarkStyle("output_padding", 1.6, (3, 2), layer=3.6),
    "taps": MarkStyle("kernel", 2.5, inset=0.1),
    "frame": MarkStyle("kernel", 1.2),
    "count": MarkStyle("output", 2.0),
}


def rgb(role):
    """The role's colour as (red, green, blue), each 0 to 1."""
    code = COLORS[DRAWN_AS.get(role, role)]
    return np.array([int(code[j:j + 2], 16) / 255 for j in (1, 3, 5)])


def tint(role, strength):
    """The role's colour mixed with white: strength 0 is white, 1 the full colour."""
    strength = np.asarray(strength, dtype=float)[..., None]
    return 1 - strength * (1 - rgb(role))


def fill(roles, strength):
    """The colour of every cell, (*shape, 3): tint(role, strength) cell by cell."""
    roles, strength = np.asarray(roles), np.asarray(strength, dtype=float)
    colors = np.empty(strength.shape + (3,))
    for role in set(roles.ravel().tolist()):
        where = roles == role
        colors[where] = tint(role, strength[where])
    return colors


def ink(roles):
    """The grey level of every cell's number, (*shape,): 0 (black), or GREY in GREY_TEXT roles."""
    return np.where(np.isin(np.asarray(roles), list(GREY_TEXT)), GREY, 0.0)

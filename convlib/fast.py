"""The two speed tricks of the explorers, each measured against matplotlib's own path.

1. Text as cached glyph outlines: `Labels` draws many strings as ONE PathCollection of outlines
   computed once per character, instead of one Text artist per string.
2. `png_bytes`: a PNG written with no filter search and zlib level 1, instead of print_png.

`benchmarks/bench_widgets.py` measures both against matplotlib's path in the same run. On the
shared 2-core machine (load 8-17, 2026-11-21 18:39-18:41 UTC, three runs): a figure with 100 cell
numbers and six caption lines draws in 250-400 ms with Text artists and 7-11 ms with outlines;
a picture's PNG takes 42-56 ms with print_png and 8-12 ms with png_bytes. Both are still needed
for the 50 ms budget per slider change.
"""
import functools
import struct
import zlib

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgb
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import IdentityTransform

GLYPH_SIZE = 10     # points: text is outlined at this size, then scaled


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

    Glyphs are placed by their advances (no kerning). va "center" centres the digits' height,
    so a row of numbers lines up whatever they contain.
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


class Labels:
    """Strings drawn as ONE collection of glyph outlines (cell numbers, titles, captions).

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
        """Write texts[j] at positions[j], `size` points high, in `color` (a name or RGB, one for
        all or one per text); empty texts are skipped."""
        keep = [j for j, text in enumerate(texts) if text]
        self.texts = [texts[j] for j in keep]
        self.collection.set_paths([text_path(text, *self.style)[0] for text in self.texts])
        self.collection.set_offsets(np.asarray(positions, dtype=float).reshape(-1, 2)[keep])
        self.collection.set_sizes([(size / GLYPH_SIZE) ** 2])
        colors = np.asarray(to_rgb(color) if isinstance(color, str) else color, dtype=float)
        colors = np.broadcast_to(colors.reshape(-1, 3), (len(texts), 3))   # one, or one per text
        self.collection.set_facecolor(colors[keep])


def png_bytes(rgba):
    """An RGBA image array as a PNG file: RGB rows, each behind filter byte 0, zlib level 1.

    The pictures are flat colours: skipping PNG's per-row filter search and deep compression
    gives a file of about the same size in less than half the time of print_png.
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

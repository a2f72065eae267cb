"""Where a picture's parts go, in inches, and how wide its text is: arithmetic over a scene's
panels, no drawing library (convlib.display.painter writes the result as SVG).

Text is measured with DejaVu Sans, the font matplotlib ships and the SVG asks for first; a
browser without it falls back to Verdana or Arial, which are no wider for these texts.
"""
import functools
import io
import re
from pathlib import Path

FONT = 9             # points: panel titles and captions
LARGEST_CELL = 0.42  # inches
LINE = 0.21          # inches between caption lines
HEADER = 0.86        # inches above the panels: heading, legend, panel titles
TITLE_ROOM = 0.42    # inches between one row of panels and the next: the next row's titles
MARGIN = 0.1         # inches left and right of the heading and the captions
DIGITS = 0.729       # the height of DejaVu Sans's digits, in ems: text is centred on it
FONTS = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}


@functools.lru_cache(maxsize=None)
def font(bold=False):
    """matplotlib's own copy of DejaVu Sans (so the widths do not depend on the machine), read
    into memory once.

    FreeType loads each glyph when asked, through the file it was given (a seek, then a read).
    An open file would be shared with every process forked after it was opened (the book's
    table workers), offset included: workers loading glyphs at once read each other's bytes.
    In memory, each process reads its own copy.
    """
    import matplotlib
    from matplotlib.ft2font import FT2Font

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / FONTS[bold]
    loaded = FT2Font(io.BytesIO(path.read_bytes()))
    loaded.set_size(10, 72)
    return loaded


@functools.lru_cache(maxsize=None)
def advance(char, bold=False):
    """How far one character moves the pen, in points at 10 points."""
    return font(bold).load_char(ord(char)).linearHoriAdvance / 65536


@functools.lru_cache(maxsize=8192)
def text_width(text, size, bold=False):
    """The width of `text` in points at `size` points (advances added up, no kerning)."""
    return sum(advance(char, bold) for char in text) * size / 10


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


def height(scene):
    """The picture's height in inches: a scene whose panels are all single rows of cells only
    gets what it needs, HEADER + R * LARGEST_CELL + TITLE_ROOM * (R - 1) + footer + 0.1 for R
    rows of panels (so each row's cells may still be LARGEST_CELL high)."""
    tall = scene.size[1]
    if all(p.shape[0] == 1 for row in scene.rows for p in row):
        rows = len(scene.rows)
        tall = min(tall, HEADER + rows * LARGEST_CELL + TITLE_ROOM * (rows - 1)
                   + footer(scene) + 0.1)
    return tall


def footer(scene):
    """Inches under the panels for the caption lines (room for three at least)."""
    return 0.2 + LINE * max(3, len(scene.captions))


def across(panel):
    """A panel's width, in cells (a cell is `aspect` times as wide as high)."""
    return panel.shape[1] * getattr(panel, "scale", 1.0) * getattr(panel, "aspect", 1.0)


def arrange(scene, title_room=TITLE_ROOM, margin=0.15):
    """Place the panels row by row so that every cell in the picture has the same size.

    Returns (cell, boxes): a cell's height in inches (at most LARGEST_CELL) and, per panel in
    reading order, (left, top, width, height) in inches from the picture's top-left corner.
    A panel is as wide as its cells, or as its title needs (`least`); rows are centred, panels
    top-aligned; `scale` < 1 draws a panel's cells smaller.
    """
    width, tall = scene.size[0], height(scene)
    rows = scene.rows
    tallest = [max(p.shape[0] * getattr(p, "scale", 1.0) for p in row) for row in rows]
    cell = min(LARGEST_CELL,
               (tall - HEADER - footer(scene) - title_room * (len(rows) - 1)) / sum(tallest))
    for row in rows:  # narrow panels take their title's width; the others share what is left
        room = width - 2 * margin - scene.gap * (len(row) - 1)
        for _ in range(3):
            wide = [across(p) for p in row if across(p) * cell >= p.least]
            fixed = sum(p.least for p in row if across(p) * cell < p.least)
            if wide:
                cell = min(cell, (room - fixed) / sum(wide))
    boxes, y = [], HEADER
    for row, high in zip(rows, tallest):
        slots = [max(across(p) * cell, p.least) for p in row]
        x = (width - sum(slots) - scene.gap * (len(row) - 1)) / 2
        for panel, slot in zip(row, slots):
            w = across(panel) * cell
            boxes.append((x + (slot - w) / 2, y, w, panel.shape[0] * getattr(panel, "scale", 1.0)
                          * cell))
            x += slot + scene.gap
        y += high * cell + title_room
    return cell, boxes

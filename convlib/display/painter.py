"""One painter for every scene (convlib.display.scene): the picture as SVG, text as text, sized by
its viewBox, so it stays sharp when zoomed on a projector. It knows where things go
(convlib.display.layout) and what each role looks like (convlib.display.palette), not
convolution.

    picture = paint(scatter_scene(x, w, setup, step=2))
    picture.svg      # '<svg xmlns=... viewBox="0 0 840 400" ...>...</svg>'

A picture is blocks of parts (strings) that join into the SVG: the frame, legend and heading;
for each panel its place and title, its cells row by row, their numbers row by row, and its
marks, tags and names; the caption lines. Pictures of one explorer share most blocks and parts,
so the book site stores each once (book/explorer_tables.py).
"""
import functools
import html
from dataclasses import dataclass

import numpy as np

from . import layout, palette
from .layout import DIGITS, FONT, HEADER, LINE, MARGIN, fit, text_width
from .scene import Diagram
from .words import label, typeset

UNIT = 100          # SVG units per inch: as many CSS pixels as the PNG pictures had
PT = UNIT / 72      # SVG units per point
FAMILY = "DejaVu Sans,Verdana,Arial,sans-serif"


@dataclass(frozen=True)
class Picture:
    """An SVG picture in blocks of parts; `svg` joins them."""
    blocks: tuple
    heading: str

    @property
    def svg(self):
        return "".join("".join(block) for block in self.blocks)


@functools.lru_cache(maxsize=1 << 16)
def n(value):
    """A coordinate as SVG text, to 0.1 unit: 12, 12.5, -3 (the same text on every machine)."""
    return f"{round(float(value), 1) + 0.0:g}"


def hex_color(rgb):
    """(red, green, blue), 0 to 1 -> '#rrggbb'."""
    return "#" + "".join(f"{round(float(c) * 255):02x}" for c in rgb)


def opening_text(x, y, size, anchor="start", bold=False, fill=None):
    """The start of a line of text, its baseline at y (units), `size` points."""
    look = f' font-size="{n(size * PT)}"'
    look += f' text-anchor="{anchor}"' if anchor != "start" else ""
    look += ' font-weight="bold"' if bold else ""
    look += f' fill="{fill}"' if fill else ""
    return f'<text x="{n(x)}" y="{n(y)}"{look}>'


def text(x, y, words, size, anchor="start", bold=False, fill=None):
    """One line of text, its baseline at y (units), `size` points."""
    return opening_text(x, y, size, anchor, bold, fill) + html.escape(words) + "</text>"


def paint(scene):
    """The scene as a Picture: frame and legend, heading, panels, caption lines."""
    width, tall = scene.size[0], layout.height(scene)
    cell, boxes = layout.arrange(scene)
    room = (width - 2 * MARGIN) * 72
    heading = fit(typeset(scene.heading), room, FONT + 1.5, bold=True)
    said = html.escape(heading)   # the heading, once for the drawing and once for its label
    blocks = [(frame(width, tall), said, '">' + legend(scene.roles)
               + opening_text(MARGIN * UNIT, (0.1 * 72 + DIGITS * (FONT + 1.5)) * PT,
                              FONT + 1.5, bold=True), said, "</text>")]
    panels = [p for row in scene.rows for p in row]
    for panel, box in zip(panels, boxes):
        blocks += diagram_blocks(panel, box, cell) if isinstance(panel, Diagram) \
            else grid_blocks(panel, box)
    lines = [fit(typeset(line), room) for line in scene.captions if line]
    blocks.append(tuple(text(MARGIN * UNIT, (tall - 0.1 - LINE * (len(lines) - 1 - j)) * UNIT,
                             line, FONT) for j, line in enumerate(lines)) + ("</svg>",))
    return Picture(tuple(blocks), heading)


def frame(width, tall):
    """The SVG element, up to its label (the heading, for screen readers)."""
    w, h = n(width * UNIT), n(tall * UNIT)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="convlib-svg" viewBox="0 0 {w} {h}" '
            f'width="{w}" height="{h}" font-family="{FAMILY}" style="max-width:100%;height:auto;'
            f'background:#fff" role="img" aria-label="')


def legend(roles):
    """A swatch and the name of each role, in one row under the heading."""
    out, x = [], 0.1
    for role in roles:
        out.append(f'<rect x="{n(x * UNIT)}" y="{n(0.31 * UNIT)}" width="{n(0.15 * UNIT)}" '
                   f'height="{n(0.11 * UNIT)}" fill="{hex_color(palette.tint(role, 0.45))}" '
                   f'stroke="{hex_color(palette.rgb(role))}" stroke-width="{n(PT)}"/>')
        out.append(text((x + 0.2) * UNIT, 0.42 * UNIT, role, FONT - 1))
        x += 0.4 + text_width(role, FONT - 1) / 72
    return "".join(out)


def opening(box, title):
    """A panel's group, moved to its place, and its title centred above it."""
    left, top, width, _ = box
    return (f'<g transform="translate({n(left * UNIT)} {n(top * UNIT)})">'
            + text(width * UNIT / 2, -0.5 * FONT * PT, title, FONT, "middle"))


def grid_blocks(grid, box):
    """A Grid's blocks: its place and title; its rows of cells and numbers, then the white lines
    between cells; its marks, tags and names."""
    rows, columns = grid.shape
    cw, ch = box[2] * UNIT / columns, box[3] * UNIT / rows   # one cell, in units
    values = np.asarray(grid.values, dtype=float).reshape(rows, columns)
    roles = np.asarray(grid.roles, dtype=object).reshape(rows, columns)
    strength = np.asarray(grid.strength, dtype=float).reshape(rows, columns)
    texts = None if grid.texts is None else tuple(str(t) for t in np.ravel(grid.texts))
    # the exact cell size: a rounded one would make a picture depend on those painted before it
    key = (values.tobytes(), values.shape, tuple(roles.ravel()), strength.tobytes(), texts,
           cw, ch)
    if key not in CELLS:   # pictures of one explorer share most grids: paint each once
        if len(CELLS) > 4096:
            CELLS.clear()
        CELLS[key] = cells(values, roles, strength, texts, cw, ch)
    return [(opening(box, grid.title),), CELLS[key],
            (marks(grid, cw, ch), tags(grid, cw, ch), names(grid, cw, ch), "</g>")]


CELLS = {}   # (a grid's numbers, roles, texts and cell size) -> its cells as SVG


def cells(values, roles, strength, texts, cw, ch):
    """The cells row by row, each row drawn at the top and moved down into place (so equal rows
    are equal text): a path per colour (palette.fill), then the numbers in the cells; last, the
    white lines between cells."""
    rows, columns = values.shape
    xs = [n(c * cw) for c in range(columns + 1)]
    step = f"h{n(cw)}v{n(ch)}h{n(-cw)}z"
    rgb = np.rint(palette.fill(roles, strength) * 255).astype(int)
    codes = ((rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]).tolist()
    written, size = numbers(values, roles, texts, cw, ch)
    out = [f'<g font-size="{n(size * PT)}" text-anchor="middle">']
    for r in range(rows):
        fills = {}
        for c, code in enumerate(codes[r]):
            fills.setdefault(code, []).append(f"M{xs[c]} 0{step}")
        out += [f'<g transform="translate(0 {n(r * ch)})">',
                "".join(f'<path fill="#{code:06x}" d="{"".join(d)}"/>'
                        for code, d in fills.items()) + written[r], "</g>"]
    edges = "".join(f"M{x} 0V{n(rows * ch)}" for x in xs[1:-1]) + "".join(
        f"M0 {n(r * ch)}H{xs[-1]}" for r in range(1, rows))
    out.append("</g>" + (f'<path stroke="#fff" stroke-width="{n(1.2 * PT)}" d="{edges}"/>'
                         if edges else ""))
    return tuple(out)


def number_size(shown, cw, ch):
    """The points cell numbers are written in: half a cell high, the longest fitting across."""
    longest = max((len(t) for t in shown), default=1) or 1
    return min(11.0, 0.5 * ch / PT, 1.35 * cw / PT / (longest + 0.6))


def numbers(values, roles, texts, cw, ch):
    """The numbers (or the grid's texts) of each row, where legible, and their size in points;
    NaN cells stay empty. One decimal fewer if that makes them legible (5.5 points at least);
    none on a grid of more than 400 cells."""
    rows, columns = values.shape
    if values.size > 400:
        return [""] * rows, 0
    for digits in (2, 1):
        if texts is None:   # each distinct value written once (NaN: nothing)
            flat = [None if v != v else v for v in values.ravel().tolist()]
            written = {v: "" if v is None else label(v, digits) for v in set(flat)}
            shown = [written[v] for v in flat]
        else:
            shown = texts
        size = number_size(shown, cw, ch)
        if size >= 5.5:
            break
    if size < 5.5:
        return [""] * rows, size
    xs = [n((c + 0.5) * cw) for c in range(columns)]
    y = n(0.5 * ch + DIGITS * size * PT / 2)
    greys = palette.ink(roles).tolist()
    written = []
    for r in range(rows):   # one text per row, a tspan per number
        spans = "".join(f'<tspan x="{xs[c]}"'
                        + (f' fill="{hex_color([grey] * 3)}"' if grey else "")
                        + f">{html.escape(words)}</tspan>"
                        for c, (words, grey) in enumerate(zip(shown[r * columns:], greys[r]))
                        if words)
        written.append(f'<text y="{y}">{spans}</text>' if spans else "")
    return written, size


def marks(grid, cw, ch):
    """Boxes around blocks of cells, a path per mark in its style (palette.MARKS), lower
    layers first."""
    out = []
    for mark in sorted(grid.marks, key=lambda m: palette.MARKS[m.style].layer):
        look, i = palette.MARKS[mark.style], palette.MARKS[mark.style].inset
        if not mark.boxes:
            continue
        dash = (f' stroke-dasharray="{" ".join(n(d * look.width * PT) for d in look.dash)}"'
                if look.dash else "")
        boxes = "".join(f"M{n((left + i) * cw)} {n((top + i) * ch)}"
                        f"h{n((right - left - 2 * i) * cw)}v{n((bottom - top - 2 * i) * ch)}"
                        f"h{n(-(right - left - 2 * i) * cw)}z"
                        for top, left, bottom, right in mark.boxes)
        out.append(f'<path fill="none" stroke="{hex_color(palette.rgb(look.role))}" '
                   f'stroke-width="{n(look.width * PT)}"{dash} d="{boxes}"/>')
    return "".join(out)


def tags(grid, cw, ch):
    """Small bold numbers in the top-left corners of cells."""
    if grid.tags is None:
        return ""
    size = min(8.0, 0.34 * min(cw, ch) / PT)
    color = hex_color(palette.rgb(grid.tags.role))
    return "".join(text((c + 0.21) * cw, (r + 0.23) * ch + DIGITS * size * PT / 2, words, size,
                        "middle", bold=True, fill=color)
                   for (r, c), words in zip(grid.tags.cells, grid.tags.texts))


def names(grid, cw, ch):
    """Names left of the rows and under the columns, and the axes' titles beyond them."""
    if grid.side_names is None:
        return ""
    rows, columns = grid.side_names
    size = min(9.0, 0.4 * min(cw, ch) / PT)
    drop = DIGITS * size * PT
    out = ([text(-0.1 * cw, (r + 0.5) * ch + drop / 2, name, size, "end")
            for r, name in enumerate(rows)]
           + [text((c + 0.5) * cw, (len(rows) + 0.4) * ch + drop, name, size, "middle")
              for c, name in enumerate(columns)])
    if grid.axis_names is not None:
        across_rows, across_columns = grid.axis_names
        widest = max((text_width(name, size) for name in rows), default=0) * PT
        x, y = -0.1 * cw - widest - 0.6 * size * PT, len(rows) * ch / 2
        out.append(f'<g transform="translate({n(x)} {n(y)}) rotate(-90)">'
                   + text(0, 0, across_rows, size, "middle") + "</g>")
        out.append(text(len(columns) * cw / 2, (len(rows) + 0.4) * ch + drop + 1.4 * size * PT,
                        across_columns, size, "middle"))
    return "".join(out)


def diagram_blocks(diagram, box, cell):
    """The channel diagram: a shaded band per group, a line per joined pair, a box per channel."""
    cw, ch = box[2] * UNIT / 5, box[3] * UNIT / diagram.tall

    def at(x, y):
        return f"{n((x + 0.5) * cw)} {n((y + 0.5) * ch)}"

    out = []
    for g, (a, b, c, d) in enumerate(diagram.bands):
        shade = hex_color(palette.tint("padding", 0.36 if g % 2 else 0.18))
        out.append(f'<path fill="{shade}" d="M{at(0.35, a - 0.45)}L{at(3.65, b - 0.45)}'
                   f'L{at(3.65, c + 0.45)}L{at(0.35, d + 0.45)}z"/>')
    if diagram.links:
        lines = "".join(f"M{at(0.35, a)}L{at(3.65, b)}" for a, b in diagram.links)
        out.append(f'<path fill="none" stroke="{hex_color(palette.rgb("kernel"))}" '
                   f'stroke-width="{n(1.8 * PT)}" d="{lines}"/>')
    size = min(9.0, 0.4 * ch / PT)
    for side, column in (("input", 0), ("output", 4)):
        ends = diagram.inputs if side == "input" else diagram.outputs
        out.append(f'<path fill="{hex_color(palette.rgb(side))}" d="'
                   + "".join(f"M{at(column - 0.35, y - 0.35)}h{n(0.7 * cw)}v{n(0.7 * ch)}"
                             f"h{n(-0.7 * cw)}z" for y, _ in ends) + '"/>')
        out += [text((column + 0.5) * cw, (y + 0.5) * ch + DIGITS * size * PT / 2, name, size,
                     "middle", fill="#fff") for y, name in ends]
    return [(opening(box, diagram.title), "".join(out) + "</g>")]

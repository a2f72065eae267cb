"""What an explorer's SVG picture shows, read back from the SVG itself: its heading, its caption
lines and, for each panel, its title, the numbers written in its cells and their colours (row by
row)."""
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Drawn:
    heading: str
    captions: list
    titles: list      # one per panel
    numbers: list     # one list per panel: the texts in its cells, in raster order (None: diagram)
    colors: list      # one per panel: [row: [(x, width, '#rrggbb') of each cell, left to right]]
    sizes: dict       # text -> font size (SVG units) of the heading and each caption line


def read(svg):
    root = ET.fromstring(svg)
    heading, captions, titles, numbers, colors, sizes = None, [], [], [], [], {}
    for child in root:
        if child.tag == SVG + "text":
            if child.get("font-weight") == "bold":
                heading = child.text
            elif titles:   # under the panels: a caption line (legend names come before them)
                captions.append(child.text)
            sizes[child.text] = float(child.get("font-size"))
        elif child.tag == SVG + "g":
            titles.append(child.find(SVG + "text").text)
            cells = child.find(SVG + "g")
            rows = [] if cells is None else cells.findall(SVG + "g")
            numbers.append(None if cells is None else [
                span.text for row in rows for t in row.findall(SVG + "text")
                for span in t.findall(SVG + "tspan")])
            colors.append([sorted((float(x), float(w), path.get("fill"))
                                  for path in row.findall(SVG + "path")
                                  for x, w in re.findall(r"M([\d.]+) 0h([\d.]+)", path.get("d")))
                           for row in rows])
    return Drawn(heading, captions, titles, numbers, colors, sizes)


def font_sizes(svg):
    """(every font size the SVG sets, the sizes of the elements that hold text): a grid too
    dense for numbers sets size 0 on its group of cells, which holds no text."""
    root = ET.fromstring(svg)
    found = [el for el in root.iter() if el.get("font-size") is not None]
    holding = [el for el in found
               if el.tag == SVG + "text" or el.find(f".//{SVG}text") is not None]
    return [float(el.get("font-size")) for el in found], \
        [float(el.get("font-size")) for el in holding]

"""Numbers and places written as words: what the readouts and the captions say.

A sentence is written once, in plain ASCII numbers ('-3', '1*5'); `typeset` turns it into the
caption drawn under a picture ('−3', '1·5').
"""
import re

import numpy as np


def plain(value, digits=2):
    """A value as the readout writes it: 12, 0.5, -3 (ASCII, so a test can read it back)."""
    return f"{round(float(value), digits) + 0.0:g}"


def label(value, digits=2):
    """A value as written in its cell: 12, 0.5, −3 (a real minus sign); '' for NaN."""
    if np.isnan(value):
        return ""
    return plain(value, digits).replace("-", "\u2212")


def typeset(sentence):
    """A readout sentence as a caption line: a*b -> a·b, -3 -> −3 (not *args, nor 1-D)."""
    times = re.sub(r"(?<=[\w)\]])\*(?=[\w(])", "·", sentence)
    return re.sub(r"(?<![\w)\]])-(?=\d)", "\u2212", times)


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


def listing(items):
    """'5', '5 and 6', '5, 6 and 7'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def sentence(text):
    """A capital letter first and a full stop last."""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", ":")) else text + "."


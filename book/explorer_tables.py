"""The book site's explorers: every state of each chapter explorer in a table that the site's own
script (book/runtime/convlib-explorer.js) reads, so the sliders work on the static site with no
kernel.

A chapter's saved explorer output carries how to make it again (convlib.display.widget.ORIGIN:
the explorer function's name and arguments, and its values). From that, `table(explorer)` lists
every state (convlib.display.states) with its picture, readout and agreement line, each text
stored once: a picture is a list of parts (convlib.display.painter), and the states of one
explorer share most.

    python book/explorer_tables.py      the bytes each chapter page's tables add, raw and gzipped

Explorers whose states are the same (the same function, arrays and ranges, whatever their
start) share one table file: `table_id` names it.
"""
import gzip
import hashlib
import html
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / ".ci"))
from build_chapters import chapters  # noqa: E402

RUNTIME = Path(__file__).resolve().parent / "runtime"   # the script and style that use the tables
FOLDER = "_static/explorers"                              # where the tables go in the site


def origins(path):
    """The saved explorer outputs of a chapter: [(cell index, output index, origin)]."""
    from convlib.display.widget import ORIGIN

    notebook = json.loads(Path(path).read_text())
    return [(c, o, output["data"][ORIGIN]) for c, cell in enumerate(notebook["cells"])
            for o, output in enumerate(cell.get("outputs", [])) if ORIGIN in output.get("data", {})]


def make(origin):
    """The explorer a saved output was made by, at the values it was saved with."""
    from convlib.display.catalogue import EXPLORERS

    return EXPLORERS[origin["explorer"]](**origin["arguments"])


def table_id(origin, explorer=None):
    """The name of the explorer's table: the same for explorers with the same states."""
    explorer = explorer or make(origin)
    controls = set(explorer.spec.controls)
    given = {k: v for k, v in origin["arguments"].items() if k not in controls}
    key = json.dumps([origin["explorer"], given, explorer.ranges], sort_keys=True)
    return f"{origin['explorer']}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"


def markup(origin, svg):
    """The HTML of a saved explorer output on the site: the saved picture, the readout and the
    agreement line of its start state (what a reader without JavaScript sees), a row that the
    script fills with the controls, and the script of its table."""
    from convlib.display.widget import readout

    explorer = make(origin)
    view = explorer.view
    name = table_id(origin, explorer)
    return (f'<div class="convlib-static-explorer" data-table="{name}" '
            f"data-values='{html.escape(json.dumps(origin['values']))}'>"
            f'<div class="convlib-controls"></div><div class="convlib-picture">{svg}</div>'
            + readout(view.sentences).replace("<div ", '<div class="convlib-readout" ', 1)
            + f'<div class="convlib-agreement">{view.agreement}</div></div>'
            f'<script src="{FOLDER}/{name}.js" defer></script>')


def key(values, order):
    """A state's key in the table: its values in `order`, joined by commas."""
    return ",".join(str(values[name]) for name in order)


def controls_of(explorer):
    """The controls as the script builds them: name, kind, range or options."""
    from convlib.display.spec import Slider

    listed = []
    for name, kind in explorer.spec.controls.items():
        if isinstance(kind, Slider):
            low, high, _ = explorer.ranges[name]
            listed.append({"name": name, "kind": "slider", "low": low, "high": high})
        else:
            listed.append({"name": name, "kind": kind.kind, "options": list(kind.options)})
    return listed


class Numbered:
    """Things numbered in the order first seen, each once: ref(thing) is its number."""

    def __init__(self):
        self.items, self.numbers = [], {}

    def ref(self, thing):
        if thing not in self.numbers:
            self.numbers[thing] = len(self.items)
            self.items.append(thing)
        return self.numbers[thing]


def table(origin):
    """Every state of the explorer of `origin`, as JSON-ready data:

    controls: [{name, kind, low, high | options}]; order: the controls in walking order;
    bounds: [[name, {key of the controls before it in `order`: its largest value or options}]];
    texts: every text once (picture parts, sentences, agreement lines); blocks: every block
    of a picture once, as text ids; states: {key: [[picture block ids], [sentence ids],
    agreement id]}; play: the played slider.
    """
    from convlib.display.states import enumerate_states

    explorer = make(origin)
    listing = enumerate_states(explorer)
    texts, blocks = Numbered(), Numbered()

    states = {}
    for view in listing.views():
        if view.message:
            raise ValueError(f"{origin['explorer']} explorer at {view.values}: {view.message}; "
                             f"the book site shows valid states only")
        states[key(view.values, listing.order)] = [
            [blocks.ref(tuple(map(texts.ref, block))) for block in view.picture.blocks],
            [texts.ref(s) for s in view.sentences], texts.ref(view.agreement)]
    return {"explorer": origin["explorer"], "controls": controls_of(explorer),
            "order": list(listing.order), "play": explorer.spec.play,
            "bounds": [[name, {",".join(map(str, prefix)): top for prefix, top in found.items()}]
                       for name, found in listing.bounds],
            "texts": texts.items, "blocks": blocks.items, "states": states}


def script(name, data):
    """A table as a script that adds it to window.convlibTables and starts the explorers that
    use it (a script, not a fetch: it works from file:// too)."""
    return (f"(window.convlibTables = window.convlibTables || {{}})[{json.dumps(name)}] = "
            + json.dumps(data, separators=(",", ":"), ensure_ascii=False)
            + ";\nif (window.convlibStart) window.convlibStart();\n")


def write_table(job):
    name, origin, folder = job
    text = script(name, table(origin))
    (Path(folder) / f"{name}.js").write_text(text, encoding="utf-8")
    return name, len(text.encode())


def export(site, paths=None, workers=None):
    """Write every chapter explorer's table into `site`/_static/explorers/ (one file per table
    id, made in parallel). Returns {chapter stem: [table ids of its explorers, in page order]}.

    The workers are forked (Python 3.11's default on Linux), so they start at once with this
    process's imports and caches; they must not share an open file with it (convlib.display.layout
    keeps its fonts in memory).
    """
    folder = Path(site) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    pages, jobs = {}, {}
    for path in paths or chapters():
        pages[path.stem] = []
        for _, _, origin in origins(path):
            name = table_id(origin)
            pages[path.stem].append(name)
            jobs.setdefault(name, (name, origin, str(folder)))
    with ProcessPoolExecutor(workers or os.cpu_count()) as pool:
        list(pool.map(write_table, sorted(jobs.values(), key=lambda j: j[0])))
    return pages


def sizes(site, pages):
    """{chapter: (raw bytes, gzipped bytes)} of the tables each page loads (each table once)."""
    folder = Path(site) / FOLDER
    found = {}
    for page, names in pages.items():
        data = [(folder / f"{name}.js").read_bytes() for name in sorted(set(names))]
        found[page] = (sum(map(len, data)), sum(len(gzip.compress(d, 9)) for d in data))
    return found


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as out:
        pages = export(out)
        for page, (raw, packed) in sizes(out, pages).items():
            print(f"{page:<32}{len(pages[page]):>3} explorers {raw / 1e6:>8.2f} MB "
                  f"{packed / 1e6:>8.2f} MB gzipped")

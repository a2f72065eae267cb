"""Where the one painter runs for the book site: the two designs of issue 19, measured per chapter
page, raw and gzipped (level 9, what a static server sends with gzip on).

A. SVG tables: convlib.display.painter paints every state in Python; the site stores each picture's
   blocks and parts once (book/explorer_tables.py, what the site uses).
B. Scene tables: the site would store every state's scene as numbers (convlib.display.scene.as_data),
   split and shared the same way (a panel's header, each row of its numbers, roles and strengths,
   its marks; the heading and every sentence once), for a painter in the browser.

Both tables have the same controls, bounds, sentences and agreement lines; only the pictures
differ. Prints one row per chapter page and the totals (each shared table counted once).

    python benchmarks/bench_site_tables.py
"""
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "book"), str(ROOT / ".ci")]
import explorer_tables  # noqa: E402
from build_chapters import chapters  # noqa: E402

from convlib.display.scene import Diagram, as_data  # noqa: E402
from convlib.display.states import enumerate_states  # noqa: E402


def compact(data):
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def scene_blocks(scene):
    """A scene as blocks of parts (JSON text), as a browser painter would receive it: shared
    where states share a panel, a row of it, or a sentence."""
    blocks = [(compact([scene.heading, list(scene.roles), list(scene.size), scene.gap,
                        scene.caption, list(scene.notes)]),)]
    for row in scene.rows:
        for panel in row:
            data = as_data(panel)
            if isinstance(panel, Diagram):
                blocks.append((compact(data),))
                continue
            head = {k: v for k, v in data.items()
                    if k not in ("values", "roles", "strength", "texts", "marks", "tags")}
            rows = lambda name: data[name] if panel.values.ndim == 2 else [data[name]]  # noqa
            strength = [[round(s, 3) for s in r] for r in rows("strength")]
            texts = rows("texts") if data["texts"] is not None else [None] * len(strength)
            blocks.append((compact(head),) + tuple(
                compact([v, r, s, t]) for v, r, s, t in zip(rows("values"), rows("roles"),
                                                             strength, texts)))
            blocks.append((compact([data["marks"], data["tags"]]),))
    return blocks


def scene_table(origin):
    """Design B's table: explorer_tables.table with the scenes in place of the pictures."""
    explorer = explorer_tables.make(origin)
    listing = enumerate_states(explorer)
    texts, blocks = explorer_tables.Numbered(), explorer_tables.Numbered()
    states = {}
    for view in listing.views():
        states[explorer_tables.key(view.values, listing.order)] = [
            [blocks.ref(tuple(map(texts.ref, block))) for block in scene_blocks(view.scene)],
            [texts.ref(s) for s in view.sentences], texts.ref(view.agreement)]
    return {"controls": explorer_tables.controls_of(explorer), "order": list(listing.order),
            "bounds": [[name, {",".join(map(str, p)): top for p, top in found.items()}]
                       for name, found in listing.bounds],
            "texts": texts.items, "blocks": blocks.items, "states": states}


def sizes(text):
    data = text.encode()
    return len(data), len(gzip.compress(data, 9))


def main():
    tables = {}   # table id -> {design: (raw, gzipped)}
    pages = {}
    for path in chapters():
        pages[path.stem] = []
        for _, _, origin in explorer_tables.origins(path):
            name = explorer_tables.table_id(origin)
            pages[path.stem].append(name)
            if name not in tables:
                tables[name] = {"A": sizes(explorer_tables.script(name, explorer_tables.table(
                    origin))), "B": sizes(explorer_tables.script(name, scene_table(origin)))}
    print(f"{'chapter page':<30}{'A raw MB':>10}{'A gz MB':>9}{'B raw MB':>10}{'B gz MB':>9}")
    for page, names in pages.items():
        used = [tables[n] for n in sorted(set(names))]
        a = [sum(t["A"][j] for t in used) / 1e6 for j in (0, 1)]
        b = [sum(t["B"][j] for t in used) / 1e6 for j in (0, 1)]
        print(f"{page:<30}{a[0]:>10.2f}{a[1]:>9.3f}{b[0]:>10.2f}{b[1]:>9.3f}")
    a = [sum(t["A"][j] for t in tables.values()) / 1e6 for j in (0, 1)]
    b = [sum(t["B"][j] for t in tables.values()) / 1e6 for j in (0, 1)]
    print(f"{'all tables, each once':<30}{a[0]:>10.2f}{a[1]:>9.3f}{b[0]:>10.2f}{b[1]:>9.3f}")


if __name__ == "__main__":
    main()

"""Build the chapters: navigation, chapter lists, execution and jupytext pairs.

    python .ci/build_chapters.py              refresh navigation and lists, execute every chapter, sync pairs
    python .ci/build_chapters.py 04 05        the same, executing only the chapters numbered 04 and 05
    python .ci/build_chapters.py --no-execute refresh navigation, lists and pairs only

Each chapter's first cell starts with `# Title` and has a line `**Question:** ...`; the script reads
both from there, so the index, the README and the links between chapters never drift from the
chapters themselves (tests/test_navigation.py checks that running this would change nothing).
"""
import fcntl
import re
import sys
from pathlib import Path
from urllib.parse import quote

import jupytext
import jupytext.config
import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
BINDER = "https://mybinder.org/v2/gh/convlib/convlib/HEAD?urlpath="
NAV_TAG, LIST_TAG = "navigation", "chapter-list"
README_LIST = re.compile(r"(<!-- chapters:.*?-->\n)(.*?)(<!-- /chapters -->)", re.S)


def chapters():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def binder_link(path):
    return BINDER + quote(f"lab/tree/notebooks/{path.name}", safe="")


def title_and_question(nb):
    """The `# Title` and the `**Question:**` line of a chapter's first cell."""
    first = nb.cells[0].source
    title = re.search(r"^# (.+)$", first, re.M).group(1).strip()
    question = re.search(r"^\*\*Question:\*\*\s*(.+)$", first, re.M)
    return title, question.group(1).strip() if question else ""


def navigation(paths, i):
    """`< previous | contents | next >` for chapter i."""
    parts = [f"[< {paths[i - 1].stem}]({paths[i - 1].name})"] if i > 0 else []
    parts.append("[contents](00_index.ipynb)")
    if i + 1 < len(paths):
        parts.append(f"[{paths[i + 1].stem} >]({paths[i + 1].name})")
    return " | ".join(parts)


def chapter_table(paths, notebooks, link=lambda p: p.name, binder=False):
    head = "| chapter | the question it answers |" + (" Binder |" if binder else "")
    rows = [head, "| --- | --- |" + (" --- |" if binder else "")]
    for path, nb in zip(paths, notebooks):
        title, question = title_and_question(nb)
        row = f"| [{title}]({link(path)}) | {question} |"
        rows.append(row + (f" [open]({binder_link(path)}) |" if binder else ""))
    return "\n".join(rows)


def tagged(nb, tag):
    return [cell for cell in nb.cells if tag in cell.metadata.get("tags", [])]


def set_navigation(nb, text):
    """One navigation cell after the first cell and one at the end, tagged so they can be refreshed."""
    nb.cells = [cell for cell in nb.cells if NAV_TAG not in cell.metadata.get("tags", [])]
    for position in (1, len(nb.cells) + 1):
        metadata = {"tags": [NAV_TAG], "slideshow": {"slide_type": "skip"}}  # links are no use on a slide
        nb.cells.insert(position, nbformat.v4.new_markdown_cell(text, metadata=metadata))
    for cell in tagged(nb, NAV_TAG):
        cell.id = f"nav-{'top' if cell is nb.cells[1] else 'bottom'}"


def refreshed(paths):
    """{path: notebook} with navigation and the index's chapter list brought up to date."""
    notebooks = [nbformat.read(p, as_version=4) for p in paths]
    for i, nb in enumerate(notebooks):
        set_navigation(nb, navigation(paths, i))
    for cell in tagged(notebooks[0], LIST_TAG):
        cell.source = chapter_table(paths[1:], notebooks[1:])
    return dict(zip(paths, notebooks))


def readme_text(paths, notebooks):
    table = chapter_table(paths, notebooks, link=lambda p: f"notebooks/{p.name}", binder=True)
    return README_LIST.sub(lambda m: m.group(1) + table + "\n" + m.group(3), README.read_text())


def pair_text(path, nb):
    """The py:percent text jupytext writes for this notebook, with the folder's jupytext.toml."""
    config = jupytext.config.load_jupytext_config(str(path))
    return jupytext.writes(nb, fmt="py:percent", config=config)


def execute(path, nb):
    from nbclient import NotebookClient

    # No timing metadata (it would change every cell on every run) and no widget state: the
    # explorers carry an image/png fallback for readers without a kernel.
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                            store_widget_state=False, resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()


def write_if_changed(path, text):
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def main(args):
    run = "--no-execute" not in args
    only = [a for a in args if not a.startswith("--")]
    with open(NOTEBOOKS / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two builds at once would overwrite each other's chapters
        books = refreshed(chapters())
        for path, nb in books.items():
            if run and (not only or path.name[:2] in only):
                print(f"executing {path.name}", file=sys.stderr)
                execute(path, nb)
            text = nbformat.writes(nb) + "\n"
            write_if_changed(path, text)
            # The pair is made from the notebook as saved (sorted keys), exactly as a reader would load it.
            write_if_changed(path.with_suffix(".py"), pair_text(path, nbformat.reads(text, as_version=4)))
        write_if_changed(README, readme_text(list(books), list(books.values())))


if __name__ == "__main__":
    main(sys.argv[1:])

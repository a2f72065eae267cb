"""Build the chapters: navigation, chapter lists, execution and jupytext pairs.

    python .ci/build_chapters.py              sync pairs, refresh navigation and lists, execute every chapter
    python .ci/build_chapters.py 04 05        the same, executing only the chapters numbered 04 and 05
    python .ci/build_chapters.py --no-execute sync pairs, refresh navigation and lists only

Pairs first, with jupytext's own semantics: the side edited since the pair was last in sync wins,
and the outputs of unchanged cells are kept (jupytext's combine_inputs_with_outputs). An edit in
the .py reaches the .ipynb; an edit in the .ipynb reaches the .py. "Last in sync" is the .py text
that both sides agreed on when this script last wrote them (notebooks/.synced.json, not committed)
or as committed (git HEAD): an edited side is one that matches neither. If both sides were edited,
nothing is written and the script exits non-zero naming the pair. If neither was (each is a state
they once agreed on, e.g. one side restored from git), the newer file wins, as in `jupytext --sync`.

Each chapter's first cell starts with `# Title` and has a line `**Question:** ...`; the script reads
both from there, so the index, the README and the links between chapters never drift from the
chapters themselves (tests/test_navigation.py checks that running this would change nothing).
"""
import fcntl
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import jupytext
import jupytext.config
import nbformat
from jupytext.combine import combine_inputs_with_outputs

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
BINDER = "https://mybinder.org/v2/gh/convlib/convlib/HEAD?urlpath="
NAV_TAG, LIST_TAG = "navigation", "chapter-list"
README_LIST = re.compile(r"(<!-- chapters:.*?-->\n)(.*?)(<!-- /chapters -->)", re.S)


def chapters(folder=NOTEBOOKS):
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


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


def refreshed(paths, notebooks=None):
    """{path: notebook} with navigation and the index's chapter list brought up to date."""
    notebooks = notebooks or [nbformat.read(p, as_version=4) for p in paths]
    for i, nb in enumerate(notebooks):
        set_navigation(nb, navigation(paths, i))
    for cell in tagged(notebooks[0], LIST_TAG):
        cell.source = chapter_table(paths[1:], notebooks[1:])
    return dict(zip(paths, notebooks))


def readme_text(paths, notebooks, readme=README):
    table = chapter_table(paths, notebooks, link=lambda p: f"notebooks/{p.name}", binder=True)
    return README_LIST.sub(lambda m: m.group(1) + table + "\n" + m.group(3), readme.read_text())


def pair_text(path, nb):
    """The py:percent text jupytext writes for this notebook, with the folder's jupytext.toml."""
    config = jupytext.config.load_jupytext_config(str(path))
    return jupytext.writes(nb, fmt="py:percent", config=config)


def execute(path, nb):
    from nbclient import NotebookClient
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    # No timing metadata (it would change every cell on every run) and no widget state: the
    # explorers carry their SVG picture and their origin for readers without a kernel.
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                            store_widget_state=False, resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    # One stream output per run of prints: how the kernel split them into messages depends on
    # its timing, and would change the committed notebook from one run to the next.
    CoalesceStreamsPreprocessor().preprocess(nb, {})


def write_if_changed(path, text):
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


# ---------------------------------------------------------------------------------------------
# pairs: which side of a chapter's .ipynb/.py pair was edited

class BothSidesEdited(Exception):
    pass


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def record_path(folder):
    return folder / ".synced.json"


def read_record(folder):
    """{NN_slug.py: digest of its text} as this script last wrote each pair."""
    path = record_path(folder)
    return json.loads(path.read_text()) if path.exists() else {}


def committed(path):
    """The file's text at git HEAD, or None (not committed, or not a git checkout)."""
    try:
        shown = subprocess.run(["git", "show", f"HEAD:./{path.name}"], cwd=path.parent,
                               capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return shown.stdout if shown.returncode == 0 else None


def synced_states(pair, record):
    """Digests of the .py texts both sides of the pair are known to have agreed on."""
    states = {record[pair.name]} if pair.name in record else set()
    head = committed(pair)
    return states | ({digest(head)} if head is not None else set())


def read_chapter(path, record):
    """The chapter as the edited side of its pair says, outputs of unchanged cells kept."""
    nb = nbformat.read(path, as_version=4)
    pair = path.with_suffix(".py")
    if not pair.exists():
        return nb
    text, from_nb = pair.read_text(), pair_text(path, nb)
    if text == from_nb:
        return nb
    known = synced_states(pair, record)
    text_edited, nb_edited = digest(text) not in known, digest(from_nb) not in known
    if text_edited and nb_edited:
        raise BothSidesEdited(
            f"{pair} and {path.name} were both edited since they were last in sync; nothing was written.\n"
            f"Keep all the edits you want in one of them, make the other its copy, then build again:\n"
            f"  .venv/bin/jupytext --update --to ipynb {pair}    (the .py's text into the .ipynb, outputs kept)\n"
            f"  .venv/bin/jupytext --to py:percent {path}    (the .ipynb's text into the .py)")
    if nb_edited or (not text_edited and path.stat().st_mtime > pair.stat().st_mtime):
        return nb   # the .ipynb wins: the .py is rewritten from it
    print(f"{pair.name} -> {path.name}", file=sys.stderr)
    return combine_inputs_with_outputs(jupytext.reads(text, fmt="py:percent"), nb, fmt="py:percent")


def main(args, folder=NOTEBOOKS, readme=README):
    run = "--no-execute" not in args
    only = [a for a in args if not a.startswith("--")]
    with open(folder / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two builds at once would overwrite each other's chapters
        paths, record = chapters(folder), read_record(folder)
        try:  # every pair is read before anything is written
            notebooks = [read_chapter(path, record) for path in paths]
        except BothSidesEdited as conflict:
            sys.exit(str(conflict))
        books = refreshed(paths, notebooks)
        for path, nb in books.items():
            if run and (not only or path.name[:2] in only):
                print(f"executing {path.name}", file=sys.stderr)
                execute(path, nb)
            text = nbformat.writes(nb) + "\n"
            write_if_changed(path, text)
            # The pair is made from the notebook as saved (sorted keys), exactly as a reader would load it.
            pair = pair_text(path, nbformat.reads(text, as_version=4))
            write_if_changed(path.with_suffix(".py"), pair)
            record[path.with_suffix(".py").name] = digest(pair)
            write_if_changed(record_path(folder), json.dumps(record, indent=1, sort_keys=True) + "\n")
        write_if_changed(readme, readme_text(list(books), list(books.values()), readme))


if __name__ == "__main__":
    main(sys.argv[1:])

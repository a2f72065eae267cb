"""The book site's exercises: each exercise cell answered in the page, graded by the page's Python.

What needs convlib or PyTorch (answers, cases and their expected outputs, reasoning, model
solutions) is computed here, when the book is built, by `convlib.exercises.table()`; the page's
Python (Pyodide, in a Web Worker: book/runtime/convlib-python-worker.mjs) runs only the plain
graders of convlib/grading over it. In the site:

    _static/exercises/NN_slug.json   the chapter's exercises: its part of convlib.exercises.table()
                                     (a tuple kept as {"tuple": [...]}: keeping_tuples)
    _static/python/grading.json      convlib/grading's modules, {file name: source}
    _static/pyodide/                 Pyodide's files a page needs (book/npm_packages.py:
                                     pinned, checked)

An exercise cell (`grade("04.1", answer_1)`, `grade_function("04.5", direct_1d)`) gets, below its
saved output, `markup(entry)`: an answer box, or a code box holding the plain-Python template,
with Check, Reveal and Reset (book/runtime/convlib-exercises.js makes them work).
"""
import html
import json
import re
import shutil
from pathlib import Path

import npm_packages

GRADED = re.compile(r'grade(?:_function)?\(\s*"(\d\d\.\d+)"')
FOLDER = "_static/exercises"
PYTHON = "_static/python/grading.json"
PYODIDE = "_static/pyodide"
GRADING = Path(__file__).resolve().parent.parent / "convlib" / "grading"
PLAIN = ("On this site you write it in plain Python over lists, with no NumPy or PyTorch: the page "
         "runs it on the same cases as JupyterLab, each array given as a (nested) list of "
         "numbers, and compares what it returns as a list.")


def entries():
    """{key: the exercise as plain data}: convlib.exercises.table()."""
    from convlib.exercises import table

    return table()


def key_of(cell):
    """The exercise key a code cell grades ("04.1"), or None."""
    found = GRADED.search("".join(cell.get("source", "")))
    return found.group(1) if cell.get("cell_type") == "code" and found else None


def markup(entry, chapter):
    """The HTML of one exercise's controls: labelled, each reachable by the keyboard alone."""
    key, kind = entry["key"], entry["kind"]
    number = key.split(".")[1]
    box = f"convlib-answer-{key.replace('.', '-')}"
    if kind == "implement":
        label = (f"Your function for exercise {number} ({key}), "
                 f"<code>{html.escape(entry['name'])}</code>, in plain Python")
        field = (f'<textarea id="{box}" class="convlib-answer" rows="{template_rows(entry)}" '
                 f'spellcheck="false" autocomplete="off" autocapitalize="off">'
                 f'{html.escape(entry["template"])}</textarea>')
        note = f'<p class="convlib-plain">{PLAIN} Ctrl+Enter checks it.</p>'
    else:
        label = (f"Your answer to exercise {number} ({key}), as you would write it in Python "
                 f"(a number, a list, a tuple, True or False)")
        field = (f'<input id="{box}" class="convlib-answer" type="text" spellcheck="false" '
                 f'autocomplete="off" autocapitalize="off">')
        note = ""
    return (f'<div class="convlib-exercise" data-key="{key}" data-kind="{kind}" '
            f'data-chapter="{html.escape(chapter)}">'
            f'<label for="{box}">{label}</label>{note}{field}'
            f'<div class="convlib-buttons">'
            f'<button type="button" class="convlib-check">Check</button>'
            f'<button type="button" class="convlib-reveal">Reveal</button>'
            f'<button type="button" class="convlib-reset">Reset</button></div>'
            f'<pre class="convlib-verdict" role="status" aria-live="polite"></pre></div>')


def template_rows(entry):
    return max(4, entry["template"].count("\n") + 2)


def add_to(notebook, chapter, found):
    """Append each exercise cell's controls to its outputs, as HTML. Returns the keys added."""
    added = []
    for cell in notebook["cells"]:
        key = key_of(cell)
        if key is not None:
            cell.setdefault("outputs", []).append({
                "output_type": "display_data", "metadata": {},
                "data": {"text/html": markup(found[key], chapter), "text/plain": ""}})
            added.append(key)
    return added


def keeping_tuples(value):
    """`value` as JSON-ready data in which a tuple stays a tuple: {"tuple": [...]} (the page's
    Python reads it back as one, convlib-python-worker.mjs), so that an answer, a case's
    argument or an expected output is shown in the page as the kernel shows it: (13, 7)."""
    if isinstance(value, tuple):
        return {"tuple": [keeping_tuples(v) for v in value]}
    if isinstance(value, list):
        return [keeping_tuples(v) for v in value]
    if isinstance(value, dict):
        return {k: keeping_tuples(v) for k, v in value.items()}
    return value


def export(site, chapters, found=None):
    """Write every chapter's exercise table (`found`, else entries()), the graders' sources and
    Pyodide's files into `site`. Returns {chapter stem: [keys]}."""
    site = Path(site)
    found = found or entries()
    folder = site / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    pages = {}
    for path in chapters:
        keys = sorted(k for k in found if k.split(".")[0] == path.stem[:2])
        if keys:
            pages[path.stem] = keys
            (folder / f"{path.stem}.json").write_text(json.dumps(
                keeping_tuples({k: found[k] for k in keys}), separators=(",", ":")),
                encoding="utf-8")
    sources = {p.name: p.read_text() for p in sorted(GRADING.glob("*.py"))}
    (site / PYTHON).parent.mkdir(parents=True, exist_ok=True)
    (site / PYTHON).write_text(json.dumps(sources), encoding="utf-8")
    shutil.rmtree(site / PYODIDE, ignore_errors=True)
    npm_packages.extract("pyodide", npm_packages.PYODIDE_FILES, site / PYODIDE)
    return pages

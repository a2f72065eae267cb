"""The committed notebooks are executed, error-free, and match their jupytext pairs."""
import re
from pathlib import Path

import jupytext
import jupytext.config
import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
names = [nb.name for nb in NOTEBOOKS]


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_index.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=names)
def test_pair_matches_the_notebook(path):
    """`jupytext --sync` trusts timestamps; regenerating the text from the .ipynb proves the pair agrees."""
    pair = path.with_suffix(".py")
    assert pair.exists(), f"{path.name} has no py:percent pair: run jupytext --sync notebooks/{path.name}"
    config = jupytext.config.load_jupytext_config(str(path))
    expected = jupytext.writes(jupytext.read(path), fmt="py:percent", config=config)
    assert pair.read_text() == expected, f"{pair.name} differs from {path.name}: run jupytext --sync on it"


def test_every_text_file_has_a_notebook():
    for pair in (NOTEBOOKS[0].parent).glob("*.py"):
        assert pair.with_suffix(".ipynb").exists(), f"{pair.name} has no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=names)
def test_notebook_is_committed_executed_without_errors(path):
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    counts = [cell.execution_count for cell in code]
    assert counts == list(range(1, len(code) + 1)), f"{path.name}: run it top to bottom in a fresh kernel"
    errors = [out for cell in code for out in cell.outputs if out.output_type == "error"]
    assert not errors, f"{path.name} was saved with an error: {errors[0].ename}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=names)
def test_every_cell_carries_slide_metadata(path):
    """Instructors present chapters with jupyterlab_rise: every cell says what it is on a slide."""
    nb = nbformat.read(path, as_version=4)
    missing = [i for i, cell in enumerate(nb.cells) if "slide_type" not in cell.metadata.get("slideshow", {})]
    assert not missing, f"{path.name}: cells {missing} have no slideshow metadata"
    assert nb.cells[0].metadata["slideshow"]["slide_type"] == "slide"


def test_every_saved_explorer_has_its_svg_and_how_to_make_it_again():
    """Each explorer output carries the SVG static viewers show (GitHub, nbviewer, the book site),
    the same picture as HTML (what JupyterLab shows before the cell runs) and its origin, from
    which the book site makes it again: made again, it draws that SVG."""
    from convlib.display.catalogue import EXPLORERS
    from convlib.display.widget import ORIGIN, saved_picture

    found = 0
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "application/vnd.jupyter.widget-view+json" in data:
                    assert ORIGIN in data and "image/svg+xml" in data, path.name
                    assert "image/png" not in data, path.name
                    origin = data[ORIGIN]
                    again = EXPLORERS[origin["explorer"]](**origin["arguments"])
                    assert again.values == origin["values"]
                    assert again.svg() == data["image/svg+xml"], path.name
                    assert saved_picture(again.view.picture) == data["text/html"], path.name
                    found += 1
    calls = sum(len(re.findall(r"\b\w+_explorer\(", p.with_suffix(".py").read_text()))
                for p in NOTEBOOKS)
    assert found == calls > 0   # one saved output per explorer a chapter makes

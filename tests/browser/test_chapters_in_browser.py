"""Every chapter in a real JupyterLab in Chromium: opened as cloned, it shows every explorer's saved
picture; run, no errors, and every explorer draws its live picture."""
import html
import re
from pathlib import Path

import nbformat
import pytest

from lab import error_outputs, explorer_pictures, saved_pictures

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def explorers_in(path):
    """How many explorers a chapter displays: calls like `scatter_explorer(` in its text pair."""
    return len(re.findall(r"\b\w+_explorer\(", path.with_suffix(".py").read_text()))


def saved_headings(path):
    """The headings of a chapter's saved explorer pictures, in order (their SVG's aria-label)."""
    from convlib.display.widget import ORIGIN

    return [html.unescape(re.search(r'aria-label="([^"]*)"', output["data"]["image/svg+xml"])[1])
            for cell in nbformat.read(path, as_version=4).cells for output in cell.get("outputs", [])
            if ORIGIN in output.get("data", {})]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_before_any_cell_runs_every_explorer_shows_its_saved_picture(opened_chapter, path):
    """A chapter as cloned (a notebook JupyterLab has not signed, as on Binder) shows each
    explorer's saved picture where the explorer will be, not the text `ScatterExplorer(...)`.

    Run first: the chapter's run below happens on this page, with the kernel it started."""
    page = opened_chapter(path.name)
    wanted = saved_headings(path)
    assert len(wanted) == explorers_in(path) >= 1
    assert saved_pictures(page, at_least=len(wanted)) == wanted


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_chapter_runs_without_errors_and_draws_every_explorer(ran_chapter, path):
    page = ran_chapter(path.name)
    assert error_outputs(page) == []
    wanted = explorers_in(path)
    assert wanted >= 1, f"{path.name} shows no explorer"
    assert len(explorer_pictures(page, at_least=wanted)) >= wanted

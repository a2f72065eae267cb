"""Every chapter runs in a real JupyterLab in Chromium: no errors, and every explorer draws a picture."""
import re
from pathlib import Path

import pytest

from lab import error_outputs, explorer_images, open_notebook, run_all_cells

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def explorers_in(path):
    """How many explorers a chapter displays: calls like `scatter_explorer(` in its text pair."""
    return len(re.findall(r"\b\w+_explorer\(", path.with_suffix(".py").read_text()))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_chapter_runs_without_errors_and_draws_every_explorer(page, lab, path):
    open_notebook(page, lab, path.name)
    run_all_cells(page)
    assert error_outputs(page) == []
    assert len(explorer_images(page)) >= explorers_in(path)

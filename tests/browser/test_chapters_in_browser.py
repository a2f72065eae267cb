"""Every chapter runs in a real JupyterLab in Chromium: no errors, every explorer draws a picture."""
import re
from pathlib import Path

import pytest

from lab import error_outputs, explorer_pictures

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def explorers_in(path):
    """How many explorers a chapter displays: calls like `scatter_explorer(` in its text pair."""
    return len(re.findall(r"\b\w+_explorer\(", path.with_suffix(".py").read_text()))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_chapter_runs_without_errors_and_draws_every_explorer(ran_chapter, path):
    page = ran_chapter(path.name)
    assert error_outputs(page) == []
    wanted = explorers_in(path)
    assert wanted >= 1, f"{path.name} shows no explorer"
    assert len(explorer_pictures(page, at_least=wanted)) >= wanted

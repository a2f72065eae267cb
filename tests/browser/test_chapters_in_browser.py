"""Every chapter runs in a real JupyterLab in Chromium: no errors, every explorer draws a picture,
and nothing covers the chapter on a learner's first screen."""
import json
import re
import urllib.request
from pathlib import Path

import pytest

from lab import error_outputs, explorer_pictures

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NEWS = "Would you like to get notified about official Jupyter news?"


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


def lab_setting(lab, plugin, key):
    """A setting as JupyterLab's frontend composes it: the schema's default (which overrides.json
    replaces), unless the user's settings say otherwise. The key must be one JupyterLab knows:
    an override of an unknown key would only add a schema entry that nothing reads."""
    base, token = lab
    with urllib.request.urlopen(f"{base}/lab/api/settings/{plugin}?token={token}", timeout=30) as answer:
        answer = json.load(answer)
    assert "type" in answer["schema"]["properties"][key], f"{plugin} has no setting {key!r}"
    return answer["settings"].get(key, answer["schema"]["properties"][key]["default"])


def test_no_news_prompt_covers_the_chapter(ran_chapter, lab):
    """binder/overrides.json (installed by binder/postBuild, used by this JupyterLab too) answers
    JupyterLab's news question: no prompt, no request to the news feed or the update check."""
    assert lab_setting(lab, "@jupyterlab/apputils-extension:notification", "fetchNews") == "false"
    assert lab_setting(lab, "@jupyterlab/apputils-extension:notification", "checkForUpdates") is False
    # The prompt would be emitted while JupyterLab starts, long before a whole chapter has run.
    page = ran_chapter("01_shapes.ipynb")
    assert page.get_by_text(NEWS).count() == 0
    assert page.locator(".Toastify__toast").count() == 0

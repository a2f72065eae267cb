"""Every page of the book site passes axe-core's WCAG 2.1 AA rules (tags wcag2a, wcag2aa, wcag21a,
wcag21aa) in the light and the dark theme: 0 violations. Chapter pages are checked with their
explorers live and their exercise controls in place; tests/browser/test_site_exercises.py checks
a page with its verdicts shown too.
"""
import sys

import pytest
from axe import violations
from conftest import ROOT

sys.path.insert(0, str(ROOT / ".ci"))
from build_chapters import chapters  # noqa: E402

PAGES = [path.stem for path in chapters()] + ["genindex", "search"]


@pytest.mark.parametrize("name", PAGES)
def test_no_wcag_violation_in_either_theme(served, offline_page, name):
    page, problems = offline_page
    page.goto(served + f"{name}.html", wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('.convlib-static-explorer, "
                           ".convlib-exercise')].every(e => e.classList.contains('convlib-live'))")
    found = violations(page)
    assert not found, "\n".join(found)
    assert not problems, "\n".join(problems)

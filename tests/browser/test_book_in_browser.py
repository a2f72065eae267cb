"""The book site (book/build_book.py): built once per session, served on 127.0.0.1, read in Chromium offline.

Every request that leaves 127.0.0.1 is blocked and recorded, so a page that needs the network fails
here as it would behind a classroom firewall. Every page passes axe-core's WCAG 2.1 AA rules in
both themes (tests/browser/axe.py).
"""
import json
import re
import sys
from urllib.parse import unquote, urldefrag, urlparse

import pytest
import yaml
from axe import violations
from conftest import ROOT

sys.path.insert(0, str(ROOT / ".ci"))
from build_chapters import binder_link, chapters  # noqa: E402

CHAPTERS = [path.stem for path in chapters()]
SPHINX_PAGES = ["index", "genindex", "search"]


def settle(page):
    """Wait until the loaded page's math is typeset, its fonts and its pictures are loaded."""
    page.evaluate("async () => { if (window.MathJax?.startup?.promise) await MathJax.startup.promise; }")
    page.evaluate("async () => { await document.fonts.ready; }")
    page.wait_for_function("() => [...document.images].every(img => img.complete)")


def test_every_built_page_is_tested(site):
    pages = {p.relative_to(site).with_suffix("").as_posix() for p in site.rglob("*.html") if "_static" not in p.parts}
    assert pages == set(CHAPTERS + SPHINX_PAGES)


def test_every_page_footer_says_which_version_and_how_to_cite(site):
    """A teacher who cites a page can tell which version of the book it was (CITATION.cff)."""
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    for name in CHAPTERS + SPHINX_PAGES[1:]:   # index.html only redirects
        footer = (site / f"{name}.html").read_text().split('<div class="extra_footer">')[1].split("</div>")[0]
        assert f"convlib {cff['version']}, {cff['date-released']}." in footer, name
        assert 'href="CITATION.cff"' in footer, name
    assert (site / "CITATION.cff").read_bytes() == (ROOT / "CITATION.cff").read_bytes()


@pytest.mark.parametrize("name", CHAPTERS + SPHINX_PAGES)
def test_page_loads_offline_with_pictures_and_math_and_no_wcag_violation(site, served, offline_page,
                                                                          name):
    """Loaded offline, each page draws its pictures and typesets its math; and axe-core finds no
    WCAG 2.1 A or AA violation in it (tags wcag2a, wcag2aa, wcag21a, wcag21aa), in the light or
    the dark theme, with its explorers live and its exercise controls in place
    (test_site_exercises.py checks a page with its verdicts shown too)."""
    page, problems = offline_page
    page.goto(served + f"{name}.html", wait_until="load")
    if name == "index":  # the site's root leads to the first chapter
        page.wait_for_url(re.compile(rf"/{CHAPTERS[0]}\.html$"), wait_until="load")
    settle(page)
    broken = page.evaluate("() => [...document.images].filter(img => !img.naturalWidth).map(img => img.src)")
    assert not broken, f"pictures not drawn: {broken}"
    untypeset = page.locator(".math:not(:has(mjx-container))")
    assert untypeset.count() == 0, "math left as TeX source"
    if name != "index":   # the first chapter's page again
        page.wait_for_function("() => [...document.querySelectorAll('.convlib-static-explorer, "
                               ".convlib-exercise')].every(e => e.classList.contains('convlib-live'))")
        found = violations(page)
        assert not found, "\n".join(found)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", CHAPTERS + ["genindex", "search"])  # index.html only redirects
def test_internal_links_resolve(site, served, page, name):
    page.goto(served + f"{name}.html", wait_until="domcontentloaded")
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert links
    for link in links:
        if not link.startswith(served):
            continue
        address, fragment = urldefrag(link)
        target = site / unquote(urlparse(address).path.removeprefix("/")) if address != served else site / "index.html"
        assert target.is_file(), f"{name}: {link} leads nowhere"
        if fragment and target.suffix == ".html":
            assert f'id="{fragment}"' in target.read_text(), f"{name}: {link} names no anchor on its page"


@pytest.mark.parametrize("index", range(len(CHAPTERS)), ids=CHAPTERS)
def test_chapter_page_launches_downloads_and_navigates(site, served, page, index):
    path = chapters()[index]
    page.goto(served + f"{path.stem}.html", wait_until="domcontentloaded")
    launch = page.locator("a.convlib-binder")
    assert "jupyterlab on binder" in launch.inner_text().lower()
    assert launch.get_attribute("href") == binder_link(path)
    assert unquote(launch.get_attribute("href")).endswith(f"/notebooks/{path.name}")
    assert path.name in page.locator("code.convlib-hub").text_content()
    download = page.locator("a.convlib-download")
    assert (site / download.get_attribute("href")).read_bytes() == path.read_bytes()
    # Every saved picture of the chapter is on the page (the explorers' are inline SVG: see test_site_explorers).
    notebook = json.loads(path.read_text())
    pictures = sum("image/png" in out.get("data", {}) for cell in notebook["cells"] for out in cell.get("outputs", []))
    assert page.locator(".cell_output img").count() == pictures
    if index > 0:
        assert page.locator("a.left-prev").get_attribute("href") == f"{CHAPTERS[index - 1]}.html"
    if index + 1 < len(CHAPTERS):
        assert page.locator("a.right-next").get_attribute("href") == f"{CHAPTERS[index + 1]}.html"

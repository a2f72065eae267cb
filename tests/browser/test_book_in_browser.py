"""The book site (.ci/book.py): built once per session, served on 127.0.0.1, read in Chromium offline.

Every request that leaves 127.0.0.1 is blocked and recorded, so a page that needs the network fails
here as it would behind a classroom firewall.
"""
import functools
import json
import os
import re
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / ".ci"))
from build_chapters import binder_link, chapters  # noqa: E402

CHAPTERS = [path.stem for path in chapters()]
SPHINX_PAGES = ["index", "genindex", "search"]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The folder of a fresh build of the book, by the command the README gives."""
    if not os.environ.get("CI"):
        pytest.importorskip("myst_nb", reason='the book needs its extra: .venv/bin/pip install -e ".[book]"')
    out = tmp_path_factory.mktemp("book") / "html"
    start = time.monotonic()
    build = subprocess.run([sys.executable, str(ROOT / ".ci" / "book.py"), str(out)],
                           capture_output=True, text=True)
    assert build.returncode == 0, f"the book did not build (warnings are errors):\n{build.stdout}\n{build.stderr}"
    print(f"\nbook built in {time.monotonic() - start:.1f} s", file=sys.stderr)
    return out


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served(site):
    """The site's base URL on 127.0.0.1 (the socket listens before the URL is handed out)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def offline_page(browser):
    """A page whose requests off 127.0.0.1 are aborted, and a record of everything that went wrong."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    problems = []

    def route(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            problems.append(f"left the machine: {route.request.url}")
            route.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    try:
        yield page, problems
    finally:
        context.close()


def settle(page):
    """Wait until the loaded page's math is typeset, its fonts and its pictures are loaded."""
    page.evaluate("async () => { if (window.MathJax?.startup?.promise) await MathJax.startup.promise; }")
    page.evaluate("async () => { await document.fonts.ready; }")
    page.wait_for_function("() => [...document.images].every(img => img.complete)")


def test_every_built_page_is_tested(site):
    pages = {p.relative_to(site).with_suffix("").as_posix() for p in site.rglob("*.html") if "_static" not in p.parts}
    assert pages == set(CHAPTERS + SPHINX_PAGES)


@pytest.mark.parametrize("name", CHAPTERS + SPHINX_PAGES)
def test_page_loads_offline_with_pictures_and_math(site, served, offline_page, name):
    page, problems = offline_page
    page.goto(served + f"{name}.html", wait_until="load")
    if name == "index":  # the site's root leads to the first chapter
        page.wait_for_url(re.compile(rf"/{CHAPTERS[0]}\.html$"), wait_until="load")
    settle(page)
    broken = page.evaluate("() => [...document.images].filter(img => !img.naturalWidth).map(img => img.src)")
    assert not broken, f"pictures not drawn: {broken}"
    untypeset = page.locator(".math:not(:has(mjx-container))")
    assert untypeset.count() == 0, "math left as TeX source"
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
    assert "move the sliders" in launch.inner_text().lower()
    assert launch.get_attribute("href") == binder_link(path)
    assert unquote(launch.get_attribute("href")).endswith(f"/notebooks/{path.name}")
    assert path.name in page.locator("code.convlib-hub").text_content()
    download = page.locator("a.convlib-download")
    assert (site / download.get_attribute("href")).read_bytes() == path.read_bytes()
    # Every saved picture of the chapter (the explorers' PNG fallbacks included) is on the page.
    notebook = json.loads(path.read_text())
    pictures = sum("image/png" in out.get("data", {}) for cell in notebook["cells"] for out in cell.get("outputs", []))
    assert page.locator(".cell_output img").count() == pictures
    if index > 0:
        assert page.locator("a.left-prev").get_attribute("href") == f"{CHAPTERS[index - 1]}.html"
    if index + 1 < len(CHAPTERS):
        assert page.locator("a.right-next").get_attribute("href") == f"{CHAPTERS[index + 1]}.html"

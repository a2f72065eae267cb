"""A real JupyterLab and a real Chromium for the browser tests: started here, stopped here.

JupyterLab runs on 127.0.0.1 on a free port with a token, from this very environment, over a
temporary copy of notebooks/ (so nothing the browser does can touch the committed chapters),
with windowed rendering and autosave turned off. Chromium is Debian's (/usr/bin/chromium), driven by
Playwright. A failing test leaves a screenshot and the page's console messages in screenshots/
at the top of the repository.
"""
import collections
import functools
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from secrets import token_hex
from urllib.parse import urlparse

import pytest

from lab import go_to_notebook, run_all_cells, wait_for_notebook

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "screenshots"
TIMEOUT = 90   # seconds, Playwright's default for every step: a busy 2-core machine is slow
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
# What only the tests change. The textbook's own settings (binder/overrides.json:
# no news prompt, no update check, no 'Select Kernel' dialog on a slow kernel start, widget state
# saved) are this environment's overrides, put there by convlib's install as for a learner.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


@pytest.hookimpl(trylast=True)   # after -k and -m have deselected what they deselect
def pytest_collection_modifyitems(config, items):
    """Without Chromium the browser tests are skipped, except in CI, where .ci/run installs it.
    With it, the tests that read the book site run last, and the site starts building at once
    beside the tests before them (see `site`)."""
    if CHROMIUM.exists():
        reading = [item for item in items if "site" in getattr(item, "fixturenames", ())]
        if reading:
            items[:] = [item for item in items if item not in reading] + reading
            start_building_the_book()
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    skip = pytest.mark.skip(reason="needs Debian's chromium: sudo apt-get install chromium")
    for item in items:
        if "browser" in item.nodeid:
            item.add_marker(skip)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(url, process, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"jupyter lab did not answer at {url} within {seconds} s")


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """(base url, token) of a JupyterLab serving a copy of notebooks/."""
    home = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", home / "notebooks")
    # User settings in their default folder under JUPYTER_CONFIG_DIR.
    settings = home / "config" / "lab" / "user-settings"
    for name, value in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port, token = free_port(), token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "MPLBACKEND": "agg"}
    log = open(home / "lab.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={home / 'notebooks'}",
         f"--LabApp.user_settings_dir={settings}",
         f"--LabApp.workspaces_dir={home / 'workspaces'}",
         # A new kernel must answer within this many seconds. The default, 60, was not enough on
         # a loaded 2-core machine with a dozen chapters' kernels open ("Kernel never reached an
         # 'alive' state", and the chapter showed No Kernel).
         "--MappingKernelManager.kernel_info_timeout=300",
        ],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(f"{base}/api/status?token={token}", process)
        yield base, token
    finally:
        stop(process)
        log.close()


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


# The README's setup command ends by starting JupyterLab: `.venv/bin/jupyter lab FILE`.
LAUNCH = re.search(r"&& \.venv/bin/jupyter lab (\S+)\n```", (ROOT / "README.md").read_text())[1]


@pytest.fixture(scope="module")
def first_lab(tmp_path_factory):
    """A JupyterLab started as the README's setup command starts it, in a fresh clone's folder
    with a fresh HOME: .lab (base url, token), .opens (the page the command opens in the
    browser: jpserver-file-to-run-PID-open.html) and .folder (the clone's).

    From this environment (the one the setup command makes), with no JUPYTER_* or XDG_* settings
    (Jupyter's folders are HOME's, as new), over a copy of notebooks/; only what a headless test
    needs is added: no browser, 127.0.0.1 on a free port, a known token (and --allow-root as root).
    """
    top = tmp_path_factory.mktemp("first")
    folder, home = top / "clone", top / "home"
    shutil.copytree(ROOT / "notebooks", folder / "notebooks",
                    ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints", ".*.json", ".*.lock"))
    home.mkdir()
    env = {name: value for name, value in os.environ.items() if not name.startswith(("JUPYTER", "XDG_"))}
    port, token = free_port(), token_hex(16)
    log = open(top / "lab.log", "w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", LAUNCH, "--no-browser",
         "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=folder, stdout=log, stderr=subprocess.STDOUT, env={**env, "HOME": str(home)})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(f"{base}/api/status?token={token}", process)
        [opens] = home.rglob(f"jpserver-file-to-run-{process.pid}-open.html")
        yield types.SimpleNamespace(lab=(base, token), opens=opens, folder=folder)
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


PAGE = pytest.StashKey()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    page = item.stash.get(PAGE, None) or (item.funcargs.get("page") if hasattr(item, "funcargs") else None)
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        SCREENSHOTS.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() else "_" for c in item.name)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        (SCREENSHOTS / f"{name}.console.txt").write_text("\n".join(CONSOLE.get(page, [])))


CONSOLE = {}  # page -> its browser console's last messages, saved beside a failure's screenshot


def new_page(browser):
    """A page in a browser context of its own, recording its console."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT * 1000)
    page = context.new_page()
    messages = CONSOLE[page] = collections.deque(maxlen=300)
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    return page


@pytest.fixture
def page(browser, request):
    page = new_page(browser)
    request.node.stash[PAGE] = page
    try:
        yield page
    finally:
        page.context.close()


OPENED_CHAPTERS = {}   # name -> a JupyterLab page showing that chapter as cloned, no cell run yet
RAN_CHAPTERS = {}      # name -> the JupyterLab page of a chapter run in this session


@pytest.fixture
def opened_chapter(browser, lab, request):
    """opened_chapter(name): a new page on which a learner has just opened chapter `name`, before
    any cell runs (its kernel may still be starting). The page is kept: the chapter's run (see
    `ran_chapters`) happens on it, as a learner clicks Run All Cells on the page they opened."""
    def opened(name):
        page = request.node.stash[PAGE] = new_page(browser)
        OPENED_CHAPTERS[name] = page
        go_to_notebook(page, lab, name)
        return page

    return opened


@pytest.fixture(scope="session")
def ran_chapters(browser, lab):
    """ran(name, node): a page on which a learner has opened that chapter and run all its cells.

    Each chapter is run once per session: the test that checks the run and the tests that then
    move its sliders read the same page, as a learner does after Run All Cells. The page the
    chapter was opened on before is used if there is one. A run that fails is not kept (the next
    test runs it again); its page stays open for the failure's screenshot.
    """
    pages, failed = RAN_CHAPTERS, []

    def ran(name, node):
        if name in pages:
            node.stash[PAGE] = pages[name]
            return pages[name]
        opened = OPENED_CHAPTERS.pop(name, None)
        page = node.stash[PAGE] = opened or new_page(browser)
        try:
            if opened is None:
                go_to_notebook(page, lab, name)
            wait_for_notebook(page)
            run_all_cells(page)
        except BaseException:
            failed.append(page)
            raise
        pages[name] = page
        return page

    yield ran
    for page in [*pages.values(), *failed]:
        page.context.close()


@pytest.fixture
def ran_chapter(ran_chapters, request):
    """ran_chapter(name): the page of chapter `name`, opened and run (once per session)."""
    return lambda name: ran_chapters(name, request.node)


def close_the_chapters():
    """Close the chapters' JupyterLab pages: their live widgets keep the browser busy, and the
    tests after the last one that reads them do not need them (a later one would open its
    chapter again)."""
    for page in [*OPENED_CHAPTERS.values(), *RAN_CHAPTERS.values()]:
        page.context.close()
    OPENED_CHAPTERS.clear()
    RAN_CHAPTERS.clear()


def reads_chapters(item):
    """Whether a test reads chapters' JupyterLab pages (None, the end of the session, does not)."""
    return item is not None and bool({"opened_chapter", "ran_chapter"} & set(item.fixturenames))


def pytest_runtest_teardown(item, nextitem):
    """After the last of a run of tests that read chapters' JupyterLab pages, close them."""
    if reads_chapters(item) and not reads_chapters(nextitem):
        close_the_chapters()


# ---------------------------------------------------------------------------------------------
# the book site (book/build_book.py), built once per session and served on 127.0.0.1

BOOK = {}   # the book's build, started by pytest_collection_modifyitems: its process and folder


def start_building_the_book():
    """Build the book, by the command the README gives, into a fresh folder, in the background."""
    if os.environ.get("CI") or importlib.util.find_spec("myst_nb"):
        BOOK["folder"] = Path(tempfile.mkdtemp(prefix="convlib-book-"))
        BOOK["started"] = time.monotonic()
        BOOK["process"] = subprocess.Popen(
            [sys.executable, str(ROOT / "book" / "build_book.py"), str(BOOK["folder"] / "html")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="session")
def site():
    """The folder of a fresh build of the book (started when the tests were collected)."""
    if "process" not in BOOK:
        pytest.skip('the book needs its extra: .venv/bin/pip install -e ".[book]"')
    output = BOOK["process"].communicate()[0]
    assert BOOK["process"].returncode == 0, f"the book did not build (warnings are errors):\n{output}"
    print(f"\nbook built in {time.monotonic() - BOOK['started']:.1f} s after the tests were "
          f"collected", file=sys.stderr)
    yield BOOK["folder"] / "html"
    shutil.rmtree(BOOK["folder"], ignore_errors=True)


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
    try:
        yield offline(context.new_page())
    finally:
        context.close()


def offline(page):
    """(page, problems): its requests off 127.0.0.1 aborted, everything that went wrong recorded."""
    problems = []

    def route(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            problems.append(f"left the machine: {route.request.url}")
            route.abort()

    page.context.route("**/*", route)   # the context's: its Web Workers' requests too
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return page, problems

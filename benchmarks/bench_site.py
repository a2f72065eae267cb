"""Slider -> new picture on the book site, in Chromium, with no kernel.

Builds the site (or takes a built one), serves it on 127.0.0.1, and on every chapter page moves
every slider of every explorer with the arrow keys, up to `--presses` times each way. For each
key press it measures, in the page, from the keydown event to (1) the new picture laid out
(the table look-up, the SVG set, and a forced layout) and (2) the next frame after that (two
animation frames: what the reader sees). Prints p50 and p95 of both over all presses, and per page.

    python benchmarks/bench_site.py [SITE_FOLDER] [--presses N]
"""
import argparse
import contextlib
import functools
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / ".ci"))
from build_chapters import chapters  # noqa: E402

WATCH = """() => {
    window.benchTimes = [];
    document.addEventListener('keydown', () => { window.benchStart = performance.now(); }, true);
    document.querySelectorAll('.convlib-static-explorer').forEach(root =>
        root.addEventListener('convlib-painted', () => {
            const start = window.benchStart;
            root.querySelector('.convlib-picture').getBoundingClientRect();   // lay it out
            const laidOut = performance.now() - start;
            requestAnimationFrame(() => requestAnimationFrame(() =>
                window.benchTimes.push([laidOut, performance.now() - start])));
        }));
}"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@contextlib.contextmanager
def served_site(site=None):
    """The base URL of the built site `site` on 127.0.0.1, or of a fresh build if None."""
    with tempfile.TemporaryDirectory() as scratch:
        if not site:
            site = str(Path(scratch) / "html")
            subprocess.run([sys.executable, str(ROOT / "book" / "build_book.py"), site], check=True)
        server, base = serve(site)
        try:
            yield base
        finally:
            server.shutdown()


def measure(base, presses):
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for path in chapters():
            page.goto(base + f"{path.stem}.html", wait_until="load")
            page.wait_for_function("() => [...document.querySelectorAll("
                                   "'.convlib-static-explorer')].every(e => e.convlibExplorer)")
            page.evaluate(WATCH)
            for slider in page.locator(".convlib-static-explorer input[type=range]").all():
                slider.scroll_into_view_if_needed()
                for key in ("ArrowRight", "ArrowLeft"):
                    for _ in range(presses):
                        before = slider.input_value()
                        count = page.evaluate("window.benchTimes.length")
                        slider.press(key)
                        if slider.input_value() == before:
                            break   # at its end
                        page.wait_for_function("n => window.benchTimes.length > n", arg=count)
            found[path.stem] = np.array(page.evaluate("window.benchTimes"))
        browser.close()
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site", nargs="?")
    parser.add_argument("--presses", type=int, default=5)
    args = parser.parse_args()
    with served_site(args.site) as base:
        found = measure(base, args.presses)
    print(f"{'chapter page':<30}{'presses':>8}{'laid out p50/p95 ms':>22}{'next frame p50/p95 ms':>24}")
    for page, times in found.items():
        if len(times):
            (a50, b50), (a95, b95) = np.percentile(times, [50, 95], axis=0)
            print(f"{page:<30}{len(times):>8}{a50:>13.1f}{a95:>9.1f}{b50:>15.1f}{b95:>9.1f}")
    every = np.concatenate([t for t in found.values() if len(t)])
    (a50, b50), (a95, b95) = np.percentile(every, [50, 95], axis=0)
    print(f"{'all pages':<30}{len(every):>8}{a50:>13.1f}{a95:>9.1f}{b50:>15.1f}{b95:>9.1f}")


if __name__ == "__main__":
    main()

"""axe-core's WCAG 2.1 AA rules run in a page, in the light and the dark theme of the book site.

axe-core is the npm package pinned and checked in book/npm_packages.py (fetched once by npm into
the cache, as the book build fetches Pyodide).
"""
import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "book"))
import npm_packages  # noqa: E402

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
THEMES = ("light", "dark")

RUN = """async ([theme, tags]) => {
    // The theme as its switch sets it (pydata-sphinx-theme: <html data-theme>).
    document.documentElement.dataset.theme = theme;
    document.documentElement.dataset.mode = theme;
    const found = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                           resultTypes: ['violations']});
    return found.violations.map(v => `${theme}: ${v.id} (${v.impact}) on ${v.nodes.length}: `
        + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary).join(' | '));
}"""


@functools.cache
def source():
    return npm_packages.read("axe-core", "axe.min.js").decode()


def violations(page):
    """Every WCAG 2.1 A and AA violation axe finds in `page`, in each theme, as text."""
    page.add_script_tag(content=source())
    found = []
    for theme in THEMES:
        found += page.evaluate(RUN, [theme, TAGS])
    page.evaluate("document.documentElement.dataset.theme = 'light'")
    return found

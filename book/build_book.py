"""Build the textbook as a static book site (Sphinx + MyST-NB), offline, from the committed chapters.

    python book/build_book.py          build into notebooks/_build/html/ (index.html at its root)
    python book/build_book.py OUTDIR   build into OUTDIR instead (the tests build into a temporary folder;
                                  its parent folder gets the doctrees/ and jupyter_execute/ caches)

The book's source folder is notebooks/; its Sphinx settings are SETTINGS below (there is no
conf.py: every .py in notebooks/ is a chapter's jupytext pair). Warnings are errors. The notebooks
are not executed: their committed outputs, the ones nbval checks, are what is published.
This module is also a Sphinx extension (`build_book` in SETTINGS): it takes the table of contents
and the launch links from the chapter list of .ci/build_chapters.py (the developers' tool that
also executes the chapters), so a new chapter appears in the
book, with its own links, without any change here.
"""
import html
import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / ".ci")]
import exercise_tables  # noqa: E402
import explorer_tables  # noqa: E402
from build_chapters import BINDER, NOTEBOOKS, ROOT, binder_link, chapters  # noqa: E402

BUILD = NOTEBOOKS / "_build"
TITLE = "convlib: transposed convolution, made obvious"
CITATION = ROOT / "CITATION.cff"


def citation():
    """How to cite the book (CITATION.cff: its version is pyproject.toml's)."""
    import yaml

    return yaml.safe_load(CITATION.read_text())


def footer(cff):
    """Every page's footer: which version of the book it is, and how to cite it (the site
    carries CITATION.cff itself, so the link works offline)."""
    authors = " and ".join(author["name"] for author in cff["authors"])
    version, date = html.escape(str(cff["version"])), html.escape(str(cff["date-released"]))
    return (f'<p class="convlib-version">convlib {version}, {date}.</p>'
            f'<p class="convlib-cite">To cite it: {html.escape(authors)} ({date[:4]}). '
            f'<em>{html.escape(cff["title"])}</em> (version {version}). '
            f'{html.escape(cff["repository-code"])} '
            f'(<a href="{CITATION.name}" download>{CITATION.name}</a>)</p>')


SETTINGS = {
    "project": TITLE,
    "author": "the convlib authors",
    "copyright": "the convlib authors",
    "extensions": ["myst_nb", "sphinx-mathjax-offline", "build_book"],
    "root_doc": chapters()[0].stem,  # the index chapter
    # The chapters are the .ipynb files: their jupytext pairs and the folder's settings are no pages.
    "exclude_patterns": ["_build", "*.py", "jupytext.toml", ".build.lock", "**.ipynb_checkpoints"],
    "nb_execution_mode": "off",
    # The explorers' outputs carry no widget state: load no widget scripts (MyST-NB would fetch
    # require.js and the widget manager from a public CDN). Each becomes the site's own static
    # explorer (add_static_explorers below, book/explorer_tables.py and book/runtime/).
    "nb_mime_priority_overrides": [("html", "application/vnd.jupyter.widget-view+json", None)],
    "nb_ipywidgets_js": {},
    "html_static_path": [str(explorer_tables.RUNTIME)],
    "myst_enable_extensions": ["dollarmath", "amsmath"],
    # MathJax is served from the site (sphinx-mathjax-offline bundles it), never from a CDN.
    "html_theme": "sphinx_book_theme",
    "html_title": TITLE,
    "html_copy_source": False,
    "html_show_sourcelink": False,
    "html_theme_options": {"use_download_button": False, "show_toc_level": 2,
                           "extra_footer": footer(citation())},
    # The pictures are drawn on white: open in light mode (the reader can still switch).
    "html_context": {"default_mode": "light"},
}
# The repository as Binder names it (`owner/name`): written once, in build_chapters.BINDER.
REPOSITORY = re.search(r"/v2/gh/([^/]+/[^/]+)/", BINDER).group(1)


def hub_link(path):
    """The nbgitpuller link (as in the README) that opens this chapter on a JupyterHub."""
    query = {"repo": f"https://github.com/{REPOSITORY}", "branch": "main",
             "urlpath": f"lab/tree/{REPOSITORY.split('/')[1]}/notebooks/{path.name}"}
    return "https://YOUR-HUB/hub/user-redirect/git-pull?" + urlencode(query, quote_via=quote, safe="")


def launch_panel(path):
    """The HTML at the top of a chapter page: live sliders on Binder, a JupyterHub link, the download."""
    name = html.escape(path.name)
    return f"""
<div class="convlib-launch" style="border:1px solid #d0d7de;border-radius:6px;padding:0.6em 1em;margin:0.5em 0 1em">
  <p style="margin:0 0 0.4em"><a class="convlib-binder" href="{html.escape(binder_link(path))}"
     style="display:inline-block;background:#c2410c;color:#fff;font-weight:bold;padding:0.35em 0.9em;border-radius:4px;text-decoration:none">
     Run the code: open {name} in JupyterLab on Binder</a></p>
  <p style="margin:0 0 0.4em;font-size:90%">The explorers below work right here: move their sliders.
  To run and change the code too, open the chapter on Binder (free and temporary; the first start
  can take a few minutes). Or <a class="convlib-download" href="{quote(path.name)}" download>download {name}</a>.</p>
  <details style="font-size:90%"><summary>On a university JupyterHub</summary>
  Replace YOUR-HUB in this nbgitpuller link: <code class="convlib-hub">{html.escape(hub_link(path))}</code>
  </details>
</div>"""


def add_table_of_contents(app, docname, source):
    """Give the root chapter a hidden toctree of the others: it sets the sidebar and previous/next."""
    if docname != app.config.root_doc:
        return
    entries = "\n".join(p.stem for p in chapters() if p.stem != docname)
    nb = json.loads(source[0])
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "id": "book-toc",
                        "source": f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{entries}\n```"})
    source[0] = json.dumps(nb)


def add_static_explorers(app, docname, source):
    """A chapter's saved explorers become the site's static explorers: each output that says how
    it was made (convlib.display.widget.ORIGIN) is shown as explorer_tables.markup (its saved SVG, with
    controls once the page's script has its table)."""
    from convlib.display.widget import ORIGIN

    if not (NOTEBOOKS / f"{docname}.ipynb").is_file():
        return
    nb = json.loads(source[0])
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if ORIGIN in data:
                svg = data.get("image/svg+xml", "")
                output["data"] = {"text/html": explorer_tables.markup(
                    data[ORIGIN], "".join(svg) if isinstance(svg, list) else svg),
                                  "text/plain": data.get("text/plain", "")}
    source[0] = json.dumps(nb)


def add_exercises(app, docname, source):
    """Every exercise cell gets its answer box, or its code box, with Check, Reveal and Reset
    (book/exercise_tables.py), below the output the kernel saved."""
    if not (NOTEBOOKS / f"{docname}.ipynb").is_file():
        return
    if not hasattr(app, "convlib_exercises"):
        app.convlib_exercises = exercise_tables.entries()   # computed once per build
    nb = json.loads(source[0])
    if exercise_tables.add_to(nb, docname, app.convlib_exercises):
        source[0] = json.dumps(nb)


def read_chapters_again(app, env, added, changed, removed):
    """Every chapter is read on every build: its explorers' table names come from convlib, which
    may have changed since the page was last read."""
    return [p.stem for p in chapters() if p.stem in env.found_docs]


def add_launch_panel(app, doctree):
    from docutils import nodes

    path = NOTEBOOKS / f"{app.env.docname}.ipynb"
    if path not in chapters():
        return
    section = next(iter(doctree.findall(nodes.section)))
    title = section.index(next(iter(section.findall(nodes.title))))
    section.insert(title + 1, nodes.raw("", launch_panel(path), format="html"))


# The theme's search field labels itself "Search" while it shows "Search Ctrl+K": a name that
# does not contain the visible text fails WCAG 2.5.3. Without the label its name is what it shows.
SEARCH_FIELD = 'class="btn search-button-field search-button__button pst-js-only" title="Search"'


def name_search_field_by_its_text(site):
    """Drop the search field's aria-label in every page of `site` (see SEARCH_FIELD)."""
    for page in Path(site).glob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = text.replace(f'{SEARCH_FIELD} aria-label="Search"', SEARCH_FIELD)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def finish_site(app, exception):
    """Each chapter's .ipynb beside its page (for the download link), CITATION.cff (for the
    footer's link), the tables of every chapter's explorers, and an index.html at the site's root that leads to the first chapter
    (as Jupyter Book does)."""
    if exception is None and app.builder.format == "html":
        explorer_tables.export(app.outdir)
        exercise_tables.export(app.outdir, chapters(), getattr(app, "convlib_exercises", None))
        name_search_field_by_its_text(app.outdir)
        for path in chapters() + [CITATION]:
            shutil.copyfile(path, Path(app.outdir) / path.name)
        target = f"{app.config.root_doc}.html"
        (Path(app.outdir) / "index.html").write_text(
            f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(app.config.project)}</title>'
            f'<meta http-equiv="refresh" content="0; url={target}"></head>'
            f'<body><a href="{target}">{html.escape(app.config.project)}</a></body></html>\n')


def setup(app):
    app.connect("source-read", add_table_of_contents)
    app.connect("source-read", add_static_explorers)
    app.connect("source-read", add_exercises)
    app.connect("env-get-outdated", read_chapters_again)
    app.add_js_file("convlib-explorer.js", loading_method="defer")
    app.add_css_file("convlib-explorer.css")
    app.add_js_file("convlib-exercises.js", loading_method="defer")
    app.add_css_file("convlib-exercises.css")
    app.connect("doctree-read", add_launch_panel)
    app.connect("build-finished", finish_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def build(outdir=BUILD / "html"):
    """What `sphinx-build -W -q -b html notebooks OUTDIR` does, with SETTINGS for a conf.py."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    outdir = Path(outdir)
    with patch_docutils(None), docutils_namespace():
        app = Sphinx(NOTEBOOKS, None, outdir, outdir.parent / "doctrees", "html", confoverrides=SETTINGS,
                     status=None, warningiserror=True)
        app.build()
        return app.statuscode


if __name__ == "__main__":
    sys.exit(build(*sys.argv[1:]))

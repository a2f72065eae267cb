"""Sphinx + MyST-NB settings for the textbook as a static book site.

Build it with `.venv/bin/python .ci/book.py` (it runs sphinx-build with warnings as errors into
notebooks/_build/html/). The table of contents, the launch links and the downloads are added by
.ci/book.py from the chapter list of .ci/build_chapters.py, so nothing here names a chapter.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / ".ci"))

project = "convlib: transposed convolution, made obvious"
author = "the convlib authors"
copyright = "the convlib authors"

from build_chapters import chapters  # noqa: E402

extensions = ["myst_nb", "sphinx-mathjax-offline", "book"]
root_doc = chapters()[0].stem  # the index chapter
# The chapters are the .ipynb files; their jupytext pairs and the folder's settings are not pages.
exclude_patterns = ["_build", "*.py", "jupytext.toml", ".build.lock", "**.ipynb_checkpoints"]

# The committed outputs (the ones nbval checks) are what is published: nothing is re-executed.
nb_execution_mode = "off"
# The explorers' outputs carry no widget state: show their saved PNG, and load no widget scripts
# (MyST-NB would fetch require.js and the widget manager from a public CDN).
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}
myst_enable_extensions = ["dollarmath", "amsmath"]
# MathJax is served from the site (sphinx-mathjax-offline bundles it), never from a CDN.

html_theme = "sphinx_book_theme"
html_title = "convlib: transposed convolution, made obvious"
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {"use_download_button": False, "show_toc_level": 2}
html_last_updated_fmt = None
# The pictures are drawn on white: open in light mode (the reader can still switch).
html_context = {"default_mode": "light"}

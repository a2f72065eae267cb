"""Navigation, the index's chapter list and the README's chapter list are generated; they must not drift."""
import importlib
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / ".ci"))
import build_chapters as build  # noqa: E402

PATHS = build.chapters()


def markdown(nb):
    return [(cell.source, cell.metadata.get("tags", [])) for cell in nb.cells if cell.cell_type == "markdown"]


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_navigation_and_lists_are_up_to_date(path):
    expected = build.refreshed(PATHS)[path]
    assert markdown(nbformat.read(path, as_version=4)) == markdown(expected), (
        f"{path.name}: navigation or chapter list is stale: run python .ci/build_chapters.py --no-execute"
    )


def test_readme_chapter_list_is_up_to_date():
    books = build.refreshed(PATHS)
    assert build.README.read_text() == build.readme_text(list(books), list(books.values()))


def test_every_chapter_has_a_title_and_a_question():
    for path in PATHS[1:]:
        title, question = build.title_and_question(nbformat.read(path, as_version=4))
        assert title and question, f"{path.name}: first cell needs '# Title' and '**Question:** ...'"


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_links_between_chapters_resolve(path):
    nb = nbformat.read(path, as_version=4)
    for source, _ in markdown(nb):
        for target in re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", source):
            assert (path.parent / target.split("#")[0]).exists(), f"{path.name} links to missing {target}"


def test_convlib_docstrings_name_chapters_that_exist():
    """Each convlib module names the chapter that explains it (STYLE.md: derive in the chapter)."""
    modules = sorted((ROOT / "convlib").rglob("*.py"))
    cited = {m.relative_to(ROOT / "convlib").as_posix(): re.findall(r"notebooks/(\d\d_\w+\.ipynb)", m.read_text())
             for m in modules}
    for name in ("shapes/__init__.py", "matrix.py", "scatter.py", "direct.py", "explain.py", "upsample.py"):
        assert cited[name], f"convlib/{name} names no chapter"
    for name, chapters in cited.items():
        for chapter in chapters:
            assert (ROOT / "notebooks" / chapter).exists(), f"convlib/{name} cites missing {chapter}"


PATH_NAMED = re.compile(r"(?<![\w./])((?:convlib|tests|benchmarks|notebooks|binder|\.ci)/[\w./-]*[\w/])")
DOTTED_NAME = re.compile(r"(?<![\w.])convlib(?:\.\w+)+")


def resolves(dotted):
    """True when `convlib.a.b...` is a module or an attribute reachable from one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            thing = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(thing, attribute):
                return False
            thing = getattr(thing, attribute)
        return True
    return False


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_every_path_and_convlib_name_a_chapter_mentions_exists(path):
    """`convlib/shapes.py` once named a module that had become a package: a chapter's paths
    (`convlib/...`, `tests/...`) and dotted names (`convlib.upsample.subpixel`) must exist."""
    text = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
    paths = set(PATH_NAMED.findall(text))
    assert all((ROOT / p).exists() for p in paths), (
        f"{path.name} names missing paths: {sorted(p for p in paths if not (ROOT / p).exists())}")
    names = set(DOTTED_NAME.findall(text))
    assert all(resolves(n) for n in names), (
        f"{path.name} names missing convlib names: {sorted(n for n in names if not resolves(n))}")

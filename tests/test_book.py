"""The README's book command is what CI installs and what the publishing workflow runs.

The site itself is built and read in Chromium by tests/browser/test_book_in_browser.py.
"""
import re
import sys
from pathlib import Path

import pytest
from test_readme import CI, README, fenced

ROOT = Path(__file__).resolve().parent.parent
BUILD = " && .venv/bin/python book/build_book.py"
WORKFLOW = (ROOT / ".github" / "workflows" / "book.yml").read_text()


def extras(install):
    """The extras a `pip install -e ".[a,b]"` command installs."""
    return set(re.search(r'-e "\.\[([\w,]+)\]"', install).group(1).split(","))


def test_book_command_installs_what_ci_installs_then_builds():
    book = fenced("book")
    assert book.endswith(BUILD)
    install = book.removesuffix(BUILD)
    ci_install = next(line for line in CI if "pip install -e" in line)
    assert extras(install) <= extras(ci_install), "CI (and the set-up) must install the book's extras"


def test_publishing_workflow_runs_the_readme_commands():
    setup_install = fenced("setup").split(" && .venv/bin/jupyter")[0]
    assert f"- run: {setup_install}\n" in WORKFLOW
    assert f"- run: {fenced('book')}\n" in WORKFLOW
    assert "path: notebooks/_build/html\n" in WORKFLOW
    cpu_index = re.search(r"export PIP_EXTRA_INDEX_URL=(\S+)", README).group(1)
    assert f"PIP_EXTRA_INDEX_URL: {cpu_index} " in WORKFLOW, "the workflow installs the CPU torch as the README says"


def test_chapter_hub_links_are_built_like_the_readme_one():
    sys.path[:0] = [str(ROOT / "book"), str(ROOT / ".ci")]
    import build_book as book
    from build_chapters import chapters

    assert book.hub_link(chapters()[0]) in README


def test_the_book_needs_npm_as_the_readme_says_and_ci_installs_it():
    """The README says the book build needs npm and how Debian installs it; .ci/run installs
    exactly that where npm is missing."""
    install = re.search(r"on Debian\s+`(apt-get install (\S+))`", README)
    assert install and install.group(2) == "npm"
    guarded = "\n".join(CI)
    assert "if ! command -v npm >/dev/null; then" in guarded
    assert re.search(r"apt-get install -y -qq npm\b", guarded)


def test_a_package_whose_checksum_is_not_the_pinned_one_is_refused(tmp_path, monkeypatch):
    """book/npm_packages.py takes nothing from a tarball that is not the one pinned."""
    sys.path.insert(0, str(ROOT / "book"))
    import npm_packages

    monkeypatch.setenv("CONVLIB_CACHE", str(tmp_path))
    version, _ = npm_packages.PACKAGES["pyodide"]
    (tmp_path / f"pyodide-{version}.tgz").write_bytes(b"not the package")
    with pytest.raises(RuntimeError, match="not the pinned"):
        npm_packages.extract("pyodide", npm_packages.PYODIDE_FILES, tmp_path / "site")
    assert not (tmp_path / "site").exists()

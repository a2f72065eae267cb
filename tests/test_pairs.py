"""The chapter build never loses an edit: whichever side of a .ipynb/.py pair was edited reaches the
other (outputs of unchanged cells kept), and when both were edited it writes nothing and says so.

Each test works on a committed copy of the chapters in a temporary git repository, as in a fresh
clone (where file times are arbitrary), never on the committed files.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / ".ci"))
import build_chapters as build  # noqa: E402

CHAPTER = "03_scatter_add"
ADDED = "# %% [markdown]\n# A remark added in an editor.\n"


def git(folder, *args):
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *args],
                   cwd=folder, check=True, capture_output=True)


@pytest.fixture
def clone(tmp_path):
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks",
                    ignore=shutil.ignore_patterns(".synced.json", ".build.lock", ".ipynb_checkpoints"))
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "chapters")
    return tmp_path


def run_build(clone):
    build.main(["--no-execute"], folder=clone / "notebooks", readme=clone / "README.md")


def files(clone):
    return {p.name: p.read_text() for p in sorted((clone / "notebooks").iterdir()) if p.suffix in (".py", ".ipynb")}


def outputs(nb):
    return {cell.id: cell.outputs for cell in nb.cells if cell.cell_type == "code"}


def make_older(path, than):
    """File times in a clone say nothing: make `path` look older than `than`."""
    old = than.stat().st_mtime - 3600
    os.utime(path, (old, old))


def test_a_fresh_clone_builds_without_change(clone):
    before = files(clone)
    run_build(clone)
    assert files(clone) == before


def test_an_edit_in_the_text_file_reaches_the_notebook_with_its_outputs(clone):
    py, ipynb = clone / "notebooks" / f"{CHAPTER}.py", clone / "notebooks" / f"{CHAPTER}.ipynb"
    before = nbformat.read(ipynb, as_version=4)
    py.write_text(py.read_text() + "\n" + ADDED)
    make_older(py, than=ipynb)
    run_build(clone)
    after = nbformat.read(ipynb, as_version=4)
    assert "A remark added in an editor." in [cell.source for cell in after.cells]
    assert "# A remark added in an editor." in py.read_text()
    assert outputs(after) == outputs(before)
    assert build.pair_text(ipynb, after) == py.read_text()

    # a second edit before any commit reaches it too (the build remembers the last sync)
    py.write_text(py.read_text().replace("A remark added in an editor.", "A remark, edited again."))
    run_build(clone)
    assert "A remark, edited again." in [cell.source for cell in nbformat.read(ipynb, as_version=4).cells]


def test_an_edit_in_the_notebook_reaches_the_text_file(clone):
    py, ipynb = clone / "notebooks" / f"{CHAPTER}.py", clone / "notebooks" / f"{CHAPTER}.ipynb"
    nb = nbformat.read(ipynb, as_version=4)
    nb.cells[0].source += "\n\nA remark added in JupyterLab."
    nbformat.write(nb, ipynb)
    make_older(ipynb, than=py)
    run_build(clone)
    assert "# A remark added in JupyterLab." in py.read_text()
    assert nbformat.read(ipynb, as_version=4).cells[0].source.endswith("A remark added in JupyterLab.")


def test_both_sides_edited_stops_the_build_and_names_the_pair(clone):
    py, ipynb = clone / "notebooks" / f"{CHAPTER}.py", clone / "notebooks" / f"{CHAPTER}.ipynb"
    py.write_text(py.read_text() + "\n" + ADDED)
    nb = nbformat.read(ipynb, as_version=4)
    nb.cells[0].source += "\n\nA remark added in JupyterLab."
    nbformat.write(nb, ipynb)
    before = files(clone)
    with pytest.raises(SystemExit) as stopped:
        run_build(clone)
    assert f"{CHAPTER}.py and {CHAPTER}.ipynb were both edited" in str(stopped.value.code)
    assert files(clone) == before


def test_the_build_script_exits_non_zero_when_both_sides_were_edited(clone):
    """The same, as a contributor runs it: the command fails and says which pair."""
    py, ipynb = clone / "notebooks" / f"{CHAPTER}.py", clone / "notebooks" / f"{CHAPTER}.ipynb"
    py.write_text(py.read_text() + "\n" + ADDED)
    ipynb.write_text(ipynb.read_text().replace("Scatter-add: every input", "Scatter-add: each input", 1))
    script = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); import build_chapters as b;"
              "b.main(['--no-execute'], folder=Path(sys.argv[2]) / 'notebooks', readme=Path(sys.argv[2]) / 'README.md')")
    done = subprocess.run([sys.executable, "-c", script, str(ROOT / ".ci"), str(clone)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert f"{CHAPTER}.py and {CHAPTER}.ipynb were both edited" in done.stderr

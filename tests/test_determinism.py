"""Executing a chapter again gives the very outputs saved in it: the same text, the same HTML, the
same bytes of every picture (the explorers' SVG included), apart from the ids of widget models, which
the kernel makes up on every run. The committed chapter is one execution by the build script;
this test makes another, exactly as the build does, and compares every output."""
import copy
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / ".ci"))
import build_chapters as build  # noqa: E402

CHAPTER = ROOT / "notebooks" / "00_index.ipynb"   # the shortest run that draws an explorer
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def saved_outputs(nb):
    """Every code cell's outputs, as saved, with widget model ids blanked."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = copy.deepcopy(cell.outputs)
        for output in outputs:
            if WIDGET_VIEW in output.get("data", {}):
                output["data"][WIDGET_VIEW]["model_id"] = "MODEL"
        cells.append((cell.id, cell.execution_count, outputs))
    return cells


def test_a_chapter_with_an_explorer_executes_to_the_same_outputs():
    committed = nbformat.read(CHAPTER, as_version=4)
    assert any(WIDGET_VIEW in out.get("data", {}) for cell in committed.cells for out in cell.get("outputs", []))
    again = nbformat.read(CHAPTER, as_version=4)
    build.execute(CHAPTER, again)
    for (cell, count, saved), (_, _, now) in zip(saved_outputs(committed), saved_outputs(again)):
        assert now == saved, (f"{CHAPTER.name}, cell {cell} ([{count}]): its outputs changed on a new run; "
                              f"run `.venv/bin/python .ci/build_chapters.py {CHAPTER.name[:2]}` and, "
                              f"if it still differs, find what is not deterministic")
    assert len(saved_outputs(again)) == len(saved_outputs(committed))

"""The plan of the package, kept: the numerics never import the display layer, the display
layer's drawing kit imports no numerics, the grading imports nothing but itself, convlib's
imports have no cycle, and no module is longer than one sitting (300 lines). Read from the
source (ast), so nothing is imported here."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "convlib"
DISPLAY = "convlib.display"
# The drawing kit: pictures as plain data, words, colours, places, SVG. It knows no convolution.
DRAWING_KIT = {f"{DISPLAY}.{name}" for name in ("scene", "words", "palette", "layout", "painter")}
# Where a chapter imports its explorers from: the one numerics-side module that names the display.
CHAPTERS_IMPORT = "convlib.explorers"
LONGEST = 300


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name, path):
    """The convlib modules `name` imports (anywhere in it, lazy imports too), relative imports
    resolved; `from package import submodule` counts as the submodule."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = ".".join(base[:len(base) - node.level + 1]) if node.level else ""
            source = ".".join(filter(None, [base, node.module or ""]))
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in MODULES else source)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imported(name, path) for name, path in MODULES.items()}


def is_display(name):
    return name == DISPLAY or name.startswith(DISPLAY + ".")


def test_the_reader_finds_the_layers_where_the_plan_says():
    assert DRAWING_KIT <= set(MODULES)
    assert {f"{DISPLAY}.{name}" for name in ("spec", "settling", "widget", "states", "catalogue",
                                             "pictures")} <= set(MODULES)
    assert {"convlib.matrix", "convlib.scatter", "convlib.direct", "convlib.phases"} <= set(MODULES)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if not is_display(n)
                                        and n != CHAPTERS_IMPORT))
def test_no_numerics_module_imports_the_display_layer(name):
    assert not {m for m in GRAPH[name] if is_display(m)}, f"{name} imports the display layer"


@pytest.mark.parametrize("name", sorted(DRAWING_KIT))
def test_the_drawing_kit_imports_no_numerics(name):
    assert GRAPH[name] <= DRAWING_KIT, f"{name} imports {sorted(GRAPH[name] - DRAWING_KIT)}"


def test_the_chapters_import_every_explorer_from_one_place():
    """convlib.explorers holds every explorer of the catalogue, and nothing else of the display."""
    from convlib import explorers
    from convlib.display.catalogue import EXPLORERS

    assert GRAPH[CHAPTERS_IMPORT] == {f"{DISPLAY}.catalogue"}
    for made in EXPLORERS.values():
        assert getattr(explorers, made.__name__) is made


GRADING = "convlib.grading"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith(GRADING)))
def test_the_grading_imports_only_itself_and_relatively(name):
    """The page loads convlib/grading/ alone, as the package `grading`: no other convlib module,
    and no import that names convlib (tests/test_grading.py runs it with nothing installed)."""
    assert {m for m in GRAPH[name] if not m.startswith(GRADING)} == set(), name
    assert "convlib" not in {alias.split(".")[0] for node in ast.walk(ast.parse(
        MODULES[name].read_text())) if isinstance(node, ast.Import)
        for alias in [a.name for a in node.names]}, name


def test_imports_have_no_cycle():
    done, path = set(), []

    def visit(name):
        if name in path:
            cycle = path[path.index(name):] + [name]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        path.append(name)
        for other in sorted(GRAPH[name]):
            visit(other)
        path.pop()
        done.add(name)

    for name in sorted(GRAPH):
        visit(name)


def test_no_module_is_longer_than_one_sitting():
    longer = {name: n for name, path in MODULES.items()
              if (n := len(path.read_text().splitlines())) > LONGEST}
    assert not longer, longer

"""convlib.grading: the exercises' grading in plain Python, the same in the kernel and the page."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import convlib.grading
from convlib.exercises import EXERCISES, grade, grade_function, table
from convlib.grading.page import Page
from convlib.grading.rules import RULES, any_order, flat, from_spec, per_axis, same, yes_no
from convlib.grading.values import as_lists, grid, shown
from convlib.grading.verdicts import KERNEL, PAGE

FOLDER = Path(convlib.grading.__file__).parent


@pytest.fixture(scope="module")
def page_table():
    """The table as the site carries it: through JSON."""
    return json.loads(json.dumps(table()))


def test_the_package_runs_on_a_python_with_nothing_installed(tmp_path):
    """No site-packages (-I -S): NumPy and PyTorch cannot be imported, as in the page."""
    shutil.copytree(FOLDER, tmp_path / "grading", ignore=shutil.ignore_patterns("__pycache__"))
    script = ("import sys; sys.path.insert(0, '.'); import grading.page; "
              "print(sorted(m for m in sys.modules if m.split('.')[0] in "
              "('numpy', 'torch', 'convlib')))")
    out = subprocess.run([sys.executable, "-I", "-S", "-c", script], cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_values_become_plain_lists():
    assert as_lists(torch.tensor([[1, 2]])) == [[1, 2]] and as_lists(np.float32(2.5)) == 2.5
    assert as_lists(torch.Size([3, 4])) == (3, 4) and as_lists(range(2)) == [0, 1]
    assert as_lists({3, 1}) == [1, 3] and as_lists("12") == "12" and as_lists(None) is None
    assert grid([[1, 2], [3, 4]]) == ((2, 2), [1.0, 2.0, 3.0, 4.0])
    assert grid([1, [2]]) is None and grid(True) is None and grid("1") is None
    assert grid(10 ** 400) == ((), [float("inf")])   # a number too large for a float


def test_a_bool_is_not_a_number_and_a_yes_is_not_a_one():
    assert not same(False, 0) and not same([True, False], [1, 0]) and same(0, 0.0)
    assert yes_no(True, True) and yes_no("no", False) and not yes_no(1, True)


def test_rules_are_named_and_made_again_from_their_names():
    for accepts in (same, any_order, flat, yes_no, per_axis(3)):
        again = from_spec(json.loads(json.dumps(accepts.spec)))
        assert again.spec == accepts.spec
    assert from_spec(["per_axis", 2])(11, 11) and from_spec(["per_axis", 2])((11, 11), 11)
    assert set(RULES) >= {"same", "any_order", "flat", "yes_no", "per_axis", "is_right"}


def test_every_exercise_names_a_rule_the_page_has(page_table):
    assert sorted(page_table) == sorted(EXERCISES)
    for key, entry in page_table.items():
        assert entry["accepts"][0] in RULES, key
        if entry["kind"] == "implement":
            assert len(entry["cases"]) == len(entry["expected"]) >= 3, key


def printed_in_page_words(capsys, key):
    """What the kernel's grader printed, with the page's way to reveal ('Reveal' for
    'reveal("04.1")'; nothing else differs)."""
    return capsys.readouterr().out.rstrip("\n").replace(KERNEL.reveal.format(key=key),
                                                         PAGE.reveal.format(key=key))


def test_the_page_grades_each_answer_as_the_kernel_does(page_table, capsys):
    """Each exercise's own answer and a wrong one, typed as text (the browser test gives them
    all that tests/test_exercises.py lists)."""
    page = Page(page_table)
    for key, entry in page_table.items():
        if entry["kind"] != "answer":
            continue
        for value in (entry["answer"], [-7], "no"):
            said = page.check(key, repr(value))
            assert said["right"] == bool(grade(key, value)), (key, value)
            assert said["message"] == printed_in_page_words(capsys, key), key


def written_as_python(value):
    """`value` as an expression a reader might write instead of the value itself: a run of whole
    numbers as range(...), a tuple as tuple([...]), a number as a sum; None for anything else."""
    if isinstance(value, list) and len(value) > 1 and all(type(v) is int for v in value) \
            and value == list(range(value[0], value[-1] + 1)):
        return f"range({value[0]}, {value[-1] + 1})"
    if isinstance(value, tuple):
        return f"tuple({list(value)!r})"
    if type(value) is int:
        return f"{value - 1} + 1"
    return None


def test_the_page_reads_an_answer_written_as_python_as_the_kernel_does(page_table, capsys):
    """What the kernel's `answer = ...` accepts, the page's box accepts: an expression, such as
    range(13, 16) for [13, 14, 15], evaluated by the page's Python."""
    page, written = Page(page_table), 0
    for key, entry in page_table.items():
        text = (written_as_python(as_lists(EXERCISES[key].expected()))
                if entry["kind"] == "answer" else None)
        if text is None:
            continue
        said = page.check(key, text)
        assert said["right"] is True is bool(grade(key, eval(text))), (key, text)
        assert said["message"] == printed_in_page_words(capsys, key), key
        written += 1
    assert written >= 10


def test_the_page_runs_each_plain_solution_on_the_cases(page_table):
    page = Page(page_table)
    for key, entry in page_table.items():
        if entry["kind"] == "implement":
            said = page.check_function(key, entry["solution"])
            assert said["right"] is True, (key, said["message"])


def test_the_page_says_what_is_wrong_with_what_was_typed(page_table):
    page = Page(page_table)
    assert Page(page_table).check("01.3", "1" + "0" * 400)["right"] is False
    assert page.check("01.3", "  ") == {"right": None, "message": PAGE.unanswered}
    assert page.check("01.3", "[1, 2")["message"].startswith("Not yet: [1, 2 is not a value")
    said = page.check("01.3", "np.array([1, 2])")   # the page has no NumPy: the value itself
    assert said["right"] is None and said["message"].startswith(
        "Not yet: np.array([1, 2]) does not run on this page (NameError: name 'np' is not "
        "defined): write a number, a list such as [1, 2]")
    assert "01.3" not in page.session.tried   # a typo is not a try
    said = page.check_function("03.5", "def scatter_add_1d(x, w, stride, padding):\n    retur 1")
    assert said["message"].startswith("Not yet: your code does not run: SyntaxError")
    said = page.check_function("03.5", "def other(x):\n    return x")
    assert said["message"] == "Not yet: write a function named scatter_add_1d(x, w, stride, padding)."
    template = page_table["03.5"]["template"]
    assert page.check_function("03.5", template)["message"] == PAGE.unwritten


def test_the_page_reveals_only_after_a_try_or_a_try_kept_from_an_earlier_visit(page_table):
    page = Page(page_table)
    refused = page.reveal("01.3")["message"]
    assert refused.startswith("Try 01.3 first: check an answer.") and "Reveal" in refused
    page.check("01.3", "-1")
    assert page.reveal("01.3")["message"].startswith(f"01.3: {shown(page_table['01.3']['answer'])}")
    page.mark_tried("03.5")
    assert page.reveal("03.5")["message"].startswith("03.5, one way to write it:")
    with pytest.raises(KeyError):
        page.mark_tried("99.9")


def test_the_kernel_and_the_page_differ_only_in_how_to_answer():
    assert KERNEL.unanswered != PAGE.unanswered and "Hint" not in KERNEL.unanswered + PAGE.unanswered


def test_the_site_hints_of_implement_its_need_no_numpy_or_pytorch(page_table):
    """On the site the reader writes plain Python over lists: a hint naming a NumPy or PyTorch
    tool points at what the page does not have (plain_hint= replaces such a hint there)."""
    for key, entry in page_table.items():
        if entry["kind"] == "implement":
            assert not re.search(r"NumPy|torch|\bF\.|reshape|np\.", entry["hint"]), key

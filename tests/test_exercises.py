"""The exercises: answers kept in convlib.exercises, graded in the chapters, never shown there."""
import re
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import convlib
from convlib.exercises import EXERCISES, Exercise, grade, grade_function, is_right
from convlib.upsample import bilinear_kernel

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
GRADED = re.compile(r'grade(?:_function)?\(\s*"(\d\d\.\d+)"')
PRINTED = re.compile(r"^# \*\*(\d+)\.", re.M)  # "**1.**", "**5. Implement it.**"
ANSWERS = sorted(k for k, e in EXERCISES.items() if e.expected is not None)
IMPLEMENTS = sorted(k for k, e in EXERCISES.items() if e.reference is not None)


def chapters():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def exercise_section(path):
    """The text of a chapter from its `## Exercises` heading on ('' if it has none)."""
    text = path.read_text()
    start = text.find("# ## Exercises")
    return text[start:] if start >= 0 else ""


def graded_keys():
    """{key: chapter file name} for every grade(...) and grade_function(...) call in a chapter."""
    return {key: path.name for path in chapters() for key in GRADED.findall(path.read_text())}


def test_every_registered_exercise_is_graded_in_its_own_chapter():
    graded = graded_keys()
    assert not sorted(set(EXERCISES) - set(graded)), "registered but graded in no chapter"
    for key, name in graded.items():
        assert name.startswith(key.split(".")[0] + "_"), f"{key} is graded in {name}"


def test_every_exercise_a_chapter_grades_is_registered():
    assert not sorted(set(graded_keys()) - set(EXERCISES)), "graded in a chapter, not registered"


@pytest.mark.parametrize("path", chapters(), ids=lambda p: p.name)
def test_keys_are_the_exercise_numbers_the_chapter_prints(path):
    section = exercise_section(path)
    printed = {f"{path.name[:2]}.{n}" for n in PRINTED.findall(section)}
    assert printed == set(GRADED.findall(section)), "each **n.** is graded as 'NN.n', and only those"


@pytest.mark.parametrize("path", chapters(), ids=lambda p: p.name)
def test_no_exercise_cell_holds_its_answer(path):
    section = exercise_section(path)
    assert "expected=" not in section and "check(" not in section


def test_each_module_is_named_for_its_chapter_and_registers_only_its_keys():
    for key, ex in EXERCISES.items():
        function = ex.expected or ex.reference
        module = function.__module__.rsplit(".", 1)[1]   # chNN_slug for notebooks/NN_slug.py
        assert module.startswith(f"ch{key[:2]}_"), f"{key} lives in {module}.py"
        assert (NOTEBOOKS / f"{module.removeprefix('ch')}.py").exists(), f"{module}.py"


@pytest.mark.parametrize("key", ANSWERS)
def test_the_right_answer_is_accepted_and_a_wrong_one_gets_the_hint_only(key, capsys):
    ex = EXERCISES[key]
    right = ex.expected()
    wrong = np.asarray(right, dtype=float) + 1 if not isinstance(right, str) else right + "?"
    assert grade(key, right)
    assert not grade(key, wrong)
    assert not grade(key, None)
    assert capsys.readouterr().out == (f"Right!\n"
                                       f"Not yet: {wrong!r} is not it. Hint: {ex.hint}\n"
                                       f"Not answered yet. Hint: {ex.hint}\n")  # never the answer


@pytest.mark.parametrize("key", ANSWERS)
def test_expected_values_are_computed_the_same_every_time(key):
    ex = EXERCISES[key]
    first, second = ex.expected(), ex.expected()
    assert first is not None and is_right(first, second)


# Each answer recomputed here with PyTorch alone, independently of convlib.
def chapter_02_kernel():
    torch.manual_seed(0)
    return torch.rand(3, 3).view(1, 1, 3, 3)


CHAPTER_05_WEIGHT = torch.tensor([1.0, 1.0, 2.0] * 8).reshape(4, 2, 3)


def chapter_05_input(last=(1.0, 1, 2)):
    return torch.tensor([[1.0, 1, 1], [1, 1, 1], [1, 1, 2], list(last)]).reshape(1, 4, 3)


CHAPTER_05_INPUT = chapter_05_input()


def chapter_05_kernel_position():
    """Where Conv1d(4, 6, 3, groups=2) must hold ConvTranspose1d(4, 6, 3, groups=2)'s w[1, 2]."""
    w = torch.zeros(4, 3, 3)
    w[1, 2] = torch.tensor([1.0, 2, 3])       # only input channel 1 -> output channel 2
    x = torch.randn(1, 4, 5, generator=torch.Generator().manual_seed(0))
    for row, column in np.ndindex(6, 2):
        d = torch.zeros(6, 2, 3)
        d[row, column] = torch.tensor([3.0, 2, 1])
        if torch.allclose(F.conv1d(x, d, padding=2, groups=2), F.conv_transpose1d(x, w, groups=2)):
            return row, column


def gradient_of(loss, x=None):
    x = torch.arange(1.0, 17).view(1, 1, 4, 4) if x is None else x
    x = x.clone().requires_grad_()
    loss(x).backward()
    return x.grad


PYTORCH = {
    "01.1": lambda: nn.ConvTranspose2d(1, 1, 4, 2, 1)(torch.ones(1, 1, 4, 4)).shape[-1],
    "01.2": lambda: [i for i in range(3, 20)
                     if nn.Conv1d(1, 1, 3, stride=3)(torch.zeros(1, 1, i)).shape[-1] == 2],
    "01.3": lambda: next(op for op in range(3) if F.conv_transpose1d(
        torch.zeros(1, 1, 2), torch.zeros(1, 1, 3), stride=3, output_padding=op).shape[-1]
        == max(PYTORCH["01.2"]())),
    "01.4": lambda: F.conv_transpose1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 3),
                                       dilation=2).shape[-1],
    "02.1": lambda: tuple(torch.autograd.functional.jacobian(
        lambda x: F.conv2d(x, torch.ones(1, 1, 3, 3), stride=2).ravel(),
        torch.zeros(1, 1, 5, 5)).reshape(4, 25).shape),   # C is the Jacobian of the convolution
    "02.2": lambda: int((torch.autograd.functional.jacobian(
        lambda x: F.conv2d(x, chapter_02_kernel()).ravel(), torch.zeros(1, 1, 4, 4)
    ).reshape(4, 16)[:, 5] != 0).sum()),
    "02.3": lambda: gradient_of(lambda x: 3 * F.conv2d(x, chapter_02_kernel()).sum())[0, 0],
    "02.4": lambda: F.conv_transpose2d(torch.tensor([[[[1.0, 0.0], [0.0, 2.0]]]]),
                                       chapter_02_kernel()),
    "03.1": lambda: F.conv_transpose2d(torch.tensor([[[[2.0, 4], [0, 1]]]]),
                                       torch.tensor([[[[3.0, 1], [1, 5]]]]))[0, 0, 1, 1],
    "03.2": lambda: int((torch.autograd.functional.jacobian(
        lambda x: F.conv_transpose2d(x, torch.ones(1, 1, 4, 4), stride=2, padding=1)[0, 0, 3, 4],
        torch.ones(1, 1, 4, 4)) != 0).sum()),   # the inputs that reach (3, 4)
    "03.3": lambda: tuple(divmod(int(torch.autograd.functional.jacobian(
        lambda w: F.conv_transpose2d(torch.ones(1, 1, 4, 4), w, stride=2, padding=1)[0, 0, 7, 7],
        torch.ones(1, 1, 4, 4)).ravel().nonzero()), 4)),  # the one tap that reaches (7, 7)
    "03.4": lambda: F.conv_transpose2d(torch.ones(1, 1, 4, 4), torch.ones(1, 1, 4, 4),
                                       stride=2).shape[-1],
    "04.1": lambda: F.conv_transpose1d(torch.tensor([[[2.0, 1, 1, 3]]]),
                                       torch.tensor([[[1.0, 1, 5]]]), padding=1).ravel().tolist(),
    "04.2": lambda: next(list(k) for k in np.ndindex(6, 6, 6) if F.conv1d(   # the only one
        torch.tensor([[[2, 1, 1, 3]]]), torch.tensor([[k]])).ravel().tolist() == [12, 9]),
    "04.3": lambda: next(pad for pad in range(6) if torch.equal(   # zeros before: a search
        F.conv_transpose1d(torch.ones(1, 1, 3), torch.ones(1, 1, 5), stride=2, padding=1),
        F.conv1d(F.pad(torch.tensor([[[1.0, 0, 1, 0, 1]]]), (pad, pad)), torch.ones(1, 1, 5)))),
    "04.4": lambda: F.conv_transpose2d(torch.zeros(1, 3, 2, 2), torch.zeros(3, 1, 3, 3), stride=2,
                                       output_padding=1).shape[-1] + 3 - 1,  # stride 1, k=3
    "05.1": lambda: F.conv_transpose1d(CHAPTER_05_INPUT, CHAPTER_05_WEIGHT, padding=1,
                                       groups=2)[0],
    "05.2": lambda: nn.ConvTranspose2d(8, 16, 3, groups=4).weight.numel(),
    "05.3": lambda: F.conv_transpose1d(chapter_05_input(last=[1.0, 1, 3]), CHAPTER_05_WEIGHT,
                                       padding=2, groups=2).ravel(),
    "05.4": lambda: chapter_05_kernel_position(),
    "06.1": lambda: F.conv_transpose1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 3), stride=2,
                                       padding=1, output_padding=1, dilation=2).shape[-1],
    "06.2": lambda: max(op for op in range(10) if accepted_by_pytorch(op, stride=3, dilation=2)),
    "06.3": lambda: F.conv_transpose1d(torch.tensor([[[1.0, 2, 3]]]), torch.tensor([[[1.0, 10]]]),
                                       dilation=3).ravel(),
    "06.4": lambda: F.conv_transpose2d(torch.tensor([[[[3.0]]]]),
                                       torch.arange(1.0, 10).reshape(1, 1, 3, 3), stride=2,
                                       padding=1, output_padding=1)[0, 0],
    "07.1": lambda: 7 - F.conv_transpose2d(
        torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 3, 3), stride=2, padding=1).shape[-1],
    "07.2": lambda: gradient_of(lambda x: F.conv2d(x, chapter_07_kernel()).sum())[0, 0, 1, 1],
    "07.3": lambda: tuple(torch.autograd.functional.jacobian(
        lambda x: F.conv2d(x, torch.ones(3, 2, 3, 3), stride=2, padding=1).ravel(),
        torch.zeros(2, 5, 5)).reshape(-1, 50).shape),
    "08.1": lambda: next(k for k in range(4, 8) if len(set(F.conv_transpose1d(
        torch.ones(1, 1, 12), torch.ones(1, 1, k), stride=3)[0, 0, k:-k].tolist())) == 1),
    "08.2": lambda: F.conv_transpose2d(torch.ones(1, 1, 3, 3), torch.from_numpy(
        bilinear_kernel(4, 2))[None, None].float(), stride=2, padding=1)[0, 0, 0, 0],
    "08.3": lambda: chapter_08_flat()[0, 0, 5, 5],
}


def chapter_08_flat():
    torch.manual_seed(1)
    kernel = torch.randint(1, 10, (1, 1, 3, 3)).float()
    return F.conv_transpose2d(torch.ones(1, 1, 8, 8), kernel, stride=2, padding=1,
                              output_padding=1)


def chapter_07_kernel():
    torch.manual_seed(0)
    return torch.randint(-3, 4, (1, 1, 3, 3)).float()


def accepted_by_pytorch(output_padding, stride, dilation):
    try:
        F.conv_transpose1d(torch.zeros(1, 1, 4), torch.zeros(1, 1, 3), stride=stride,
                           output_padding=output_padding, dilation=dilation)
        return True
    except RuntimeError:
        return False


def transposed_1d(x, w, stride=1, padding=0, output_padding=0, dilation=1):
    x, w = torch.tensor(x, dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
    return F.conv_transpose1d(x[None, None], w[None, None], stride=stride, padding=padding,
                              output_padding=output_padding, dilation=dilation)[0, 0].numpy()


# The references of the implement-it exercises, against PyTorch on their own cases.
def conv_matrix_by_autograd(w, input_size, stride, padding):
    w = torch.tensor(w, dtype=torch.float64)[None, None]
    return torch.autograd.functional.jacobian(
        lambda x: F.conv1d(x[None, None], w, stride=stride, padding=padding)[0, 0],
        torch.zeros(input_size, dtype=torch.float64)).numpy()


PYTORCH_FUNCTIONS = {
    "02.5": conv_matrix_by_autograd,
    "03.5": transposed_1d,
    "04.5": transposed_1d,
}


@pytest.mark.parametrize("key", sorted(PYTORCH))
def test_expected_values_agree_with_pytorch(key):
    assert is_right(EXERCISES[key].expected(), PYTORCH[key]())


@pytest.mark.parametrize("key", sorted(PYTORCH_FUNCTIONS))
def test_implement_references_agree_with_pytorch(key):
    ex = EXERCISES[key]
    for args in ex.cases(np.random.default_rng(1)):
        assert is_right(ex.reference(*args), PYTORCH_FUNCTIONS[key](*args)), args


# grade_function, on a throwaway exercise: a 1-D transposed convolution with stride.
def reference(x, w, stride):
    return convlib.conv_transpose_scatter(x[None], w[None, None], stride=stride)[0]


def cases(rng):
    return [(rng.integers(-3, 4, n), rng.integers(-3, 4, k), s)
            for n, k, s in [(3, 2, 1), (4, 3, 2), (2, 4, 3), (5, 1, 2)]]


@pytest.fixture
def throwaway(monkeypatch):
    monkeypatch.setitem(EXERCISES, "99.1", Exercise("99.1", "stamps, stride apart",
                                                    reference=reference, cases=cases))
    return "99.1"


def by_pytorch(x, w, stride):
    x, w = torch.tensor(x, dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
    return F.conv_transpose1d(x[None, None], w[None, None], stride=stride)[0, 0].tolist()


def test_grade_function_accepts_a_right_function(throwaway, capsys):
    assert grade_function(throwaway, by_pytorch)
    assert capsys.readouterr().out.startswith("Right!")


def test_grade_function_shows_the_first_failing_case_not_its_answer(throwaway, capsys):
    def no_stride(x, w, stride):
        return by_pytorch(x, w, 1)

    assert not grade_function(throwaway, no_stride)
    said = capsys.readouterr().out
    x, w, stride = next(c for c in cases(np.random.default_rng(12)) if c[2] > 1)
    assert said.startswith(f"Not yet: no_stride(x={x.tolist()}, w={w.tolist()}, stride={stride})")
    assert said.rstrip().endswith("Hint: stamps, stride apart")
    assert str(by_pytorch(x, w, stride)) not in said


def test_grade_function_reports_an_error_or_no_answer(throwaway, capsys):
    def broken(x, w, stride):
        return x[len(x)]

    def template(x, w, stride):
        return None

    assert not grade_function(throwaway, broken)
    assert not grade_function(throwaway, template)
    broke, unanswered = capsys.readouterr().out.splitlines()
    assert "raised IndexError" in broke
    assert unanswered == "Not answered yet. Hint: stamps, stride apart"


def test_grade_function_gives_each_call_its_own_arguments(throwaway, capsys):
    def destructive(x, w, stride):
        result = by_pytorch(x, w, stride)
        x[:] = 0
        return result

    assert grade_function(throwaway, destructive)


def test_an_unknown_key_names_the_chapter_keys():
    with pytest.raises(KeyError, match="01.1"):
        grade("01.99", 3)


def test_values_compare_by_value_and_shape():
    assert is_right(12, 12.0) and is_right((6, 6), [6, 6])
    assert is_right([[6, 14], [2, 17]], np.array([[6.0, 14.0], [2.0, 17.0]]))
    assert is_right(torch.tensor([1.0, 2.0]), [1, 2])
    assert not is_right((6, 6), (6, 7)) and not is_right([1, 2], [1, 2, 3])
    assert not is_right([[1, 2]], [1, 2]) and not is_right(None, 0)
    assert is_right("flip", "flip") and not is_right("crop", "flip")


@pytest.mark.parametrize("key", IMPLEMENTS)
def test_implement_exercises_have_several_cases_and_accept_their_reference(key, capsys):
    ex = EXERCISES[key]
    rng = lambda: np.random.default_rng(0)  # noqa: E731
    assert len(ex.cases(rng())) >= 4
    assert all(is_right(ex.reference(*a), ex.reference(*b))
               for a, b in zip(ex.cases(rng()), ex.cases(rng())))
    assert grade_function(key, ex.reference)


@pytest.mark.parametrize("key", IMPLEMENTS)
def test_implement_exercises_reject_an_answer_off_by_one(key, capsys):
    reference = EXERCISES[key].reference

    def off(*args):
        return np.asarray(reference(*args), dtype=float) + 1

    assert not grade_function(key, off)
    assert capsys.readouterr().out.startswith("Not yet: off(")


def test_the_verdict_is_true_or_false_and_jupyter_shows_only_the_message(capsys):
    right, wrong = grade("01.1", EXERCISES["01.1"].expected()), grade("01.1", -1)
    assert (bool(right), bool(wrong)) == (True, False) and (right, wrong) == (True, False)
    assert (repr(right), repr(wrong)) == ("True", "False")
    assert right._ipython_display_() is None  # IPython calls this instead of printing the value

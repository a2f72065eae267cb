"""The exercises: answers kept in convlib.exercises, graded in the chapters, never shown there
before a try; every right answer accepted, in every form a learner may write it."""
import inspect
import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import convlib
import convlib.exercises as exercises
from convlib.exercises import (EXERCISES, Exercise, grade, grade_function, is_right, reveal,
                               revealed, same, shown)
from convlib.grading.page import Page
from convlib.grading.values import grid
from convlib.grading.verdicts import KERNEL, call
from convlib.upsample import bilinear_kernel

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
GRADED = re.compile(r'grade(?:_function)?\(\s*"(\d\d\.\d+)"')
PRINTED = re.compile(r"^# \*\*(\d+)\.", re.M)  # "**1.**", "**5. Implement it.**"
ANSWERS = sorted(k for k, e in EXERCISES.items() if e.worked is not None)
IMPLEMENTS = sorted(k for k, e in EXERCISES.items() if e.reference is not None)


@pytest.fixture(autouse=True)
def fresh_session():
    """Each test starts as a fresh kernel would: nothing tried yet."""
    exercises.TRIED.clear()
    yield
    exercises.TRIED.clear()


def chapters():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def exercise_section(path):
    """The text of a chapter from its `## Exercises` heading on ('' if it has none)."""
    text = path.read_text()
    start = text.find("# ## Exercises")
    return text[start:] if start >= 0 else ""


def body(path):
    """A chapter before its exercises: its text and its committed outputs."""
    nb = json.loads(path.with_suffix(".ipynb").read_text())
    text = []
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if source.startswith("## Exercises"):
            break
        text.append(source)
        for output in cell.get("outputs", []):
            text.append("".join(output.get("text", "")))
            text.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(text)


def graded_keys():
    """{key: chapter file name} for every grade(...) and grade_function(...) call in a chapter."""
    return {key: path.name for path in chapters() for key in GRADED.findall(path.read_text())}


# The chapters' side.
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
    assert printed == set(GRADED.findall(section)), "each **n.** is graded as 'NN.n', only those"


@pytest.mark.parametrize("path", [p for p in chapters() if exercise_section(p)],
                         ids=lambda p: p.name)
def test_every_exercise_section_says_how_to_answer_and_how_to_get_unstuck(path):
    section = exercise_section(path)
    assert "Replace `None` with your answer" in section
    assert f'`reveal("{path.name[:2]}.1")`' in section
    assert "from convlib.exercises import grade, grade_function, reveal" in section


@pytest.mark.parametrize("path", chapters(), ids=lambda p: p.name)
def test_no_exercise_cell_holds_or_reveals_its_answer(path):
    code = "\n".join(line for line in exercise_section(path).splitlines()
                     if not line.startswith("#"))
    assert "expected=" not in code and "check(" not in code
    assert "reveal(" not in code.replace("import grade, grade_function, reveal", "")


@pytest.mark.parametrize("path", [p for p in chapters() if exercise_section(p)],
                         ids=lambda p: p.name)
def test_every_exercise_cell_as_committed_is_not_answered_yet(path):
    nb = json.loads(path.with_suffix(".ipynb").read_text())
    graded = [cell for cell in nb["cells"] if cell["cell_type"] == "code"
              and GRADED.search("".join(cell["source"]))]
    assert len(graded) == len(GRADED.findall(exercise_section(path)))
    for cell in graded:
        said = "".join("".join(out.get("text", "")) for out in cell["outputs"])
        assert said.splitlines()[-1] in (KERNEL.unanswered, KERNEL.unwritten), said


@pytest.mark.parametrize("key", ANSWERS)
def test_no_answer_is_printed_in_its_chapter_before_its_exercise(key):
    """The answer as `reveal` writes it (a number, a list, a tuple) does not appear in the
    chapter's text or outputs before the exercises. Answers of one or two digits are left out:
    '2' and '(0, 1)' are everywhere."""
    answer = shown(EXERCISES[key].expected())
    path, = NOTEBOOKS.glob(f"{key[:2]}_*.py")
    if sum(c.isdigit() for c in answer) >= 3:
        assert answer not in body(path)
        assert answer.replace(" ", "") not in body(path).replace(" ", "")


def test_each_module_is_named_for_its_chapter_and_registers_only_its_keys():
    for key, ex in EXERCISES.items():
        function = ex.worked or ex.reference
        module = function.__module__.rsplit(".", 1)[1]   # chNN_slug for notebooks/NN_slug.py
        assert module.startswith(f"ch{key[:2]}_"), f"{key} lives in {module}.py"
        assert (NOTEBOOKS / f"{module.removeprefix('ch')}.py").exists(), f"{module}.py"


# Every answer exercise: other right answers (other forms, other values where the answer is not
# unique), and a wrong one, each with why it is there.
OTHER_RIGHT = {
    "01.1": [[13, 7], np.array([13, 7]), torch.Size([13, 7])],
    "01.2": [[8, 7, 6], {6, 7, 8}, range(6, 9)],                 # any order
    "01.3": [2.0, np.int64(2)],
    "01.4": [9.0, torch.tensor(9)],
    "02.1": [[4, 25], torch.Size([4, 25])],
    "02.2": [2.0],
    "02.3": [lambda a: torch.tensor(a).view(1, 1, 5, 5), lambda a: a.tolist(),
             lambda a: a.ravel()],                               # C.T @ ones, not reshaped
    "02.4": [lambda a: a[0, 0], lambda a: a.tolist(), lambda a: a.ravel()],
    "03.1": [13, np.float32(13)],
    "03.2": [6.0],
    "03.3": [[2, 2], np.array([2, 2])],
    "03.4": [(11, 11), [11, 11]],                                # per axis
    "04.1": [np.array([3, 12, 9, 8]), torch.tensor([[[3, 12, 9, 8]]])],
    "04.2": [[5, -3, 2], [1, 7, 0], [4, -0.5, 1.5], torch.tensor([[[3.0, 2, 1]]])],  # not unique
    "04.3": [3.0],
    "04.4": [(13, 13)],
    "05.1": [lambda a: torch.tensor(a)[None], lambda a: a.tolist()],
    "05.2": [288.0],
    "05.3": [lambda a: a.reshape(1, 4, 1), [8, 8, 11, 11]],
    "05.4": [[2, 2]],
    "06.1": [12.0],
    "06.2": [2.0],
    "06.3": [(1, 2, 3, 10, 20, 30)],
    "06.4": [lambda a: torch.tensor(a)[None, None], [[5, 14, 10, 12], [8, 23, 16, 18]]],
    "07.1": [0.0, (0, 0)],                                       # per axis
    "07.2": [10.0],
    "07.3": [[27, 50]],
    "08.1": [6.0],
    "08.2": [2, torch.tensor(2.0)],
    "08.3": [18.0],
    "09.1": [[39, 38], (38, 39), [[38, 39]],                     # any order
             [[38, 39], [39, 38]],                              # a list per side
             [(38, 38), (38, 39), (39, 38), (39, 39)],          # every (h, w)
             [(39, 39), (38, 38), (39, 38), (38, 39)]],
    "09.2": [[0, 1]],
    "09.3": [[4, 1]],
    "10.1": [[24, 6], (24.0, 6.0), np.array([24, 6]), (26, 7)],  # by the property; 26: a zero
    "10.2": [[17, 4], (19, 5), (21, 6)],                         # tap at each end, 21: two
    "10.3": [[16, 1, 5, 5], torch.Size([16, 1, 5, 5])],
    "10.4": [np.array([3, 2]), (3, 2)],
    "11.1": [(2, 2, 1)],
    "11.2": [[9, 6, 4], {4, 6, 9}, np.array([4.0, 6, 9])],     # any order
    "11.3": [[6, 7, 13, 10, 11, 21, 16, 18, 34],                 # nested or flat
             np.array([[6, 7, 13], [10, 11, 21], [16, 18, 34]])],
    "12.1": [(1, 2)],
    "12.2": [(2, 1)],
    "12.3": [19.0],
    "13.1": [[13, 10], (15, 11), (17, 12)],                      # a tent with zeros at its ends
    "13.2": [[2304, 512], np.array([2304, 512])],
    "13.3": [5120.0, np.int64(5120)],
    "14.1": [(3, 2), np.array([3, 2])],
    "14.2": [47.0, torch.tensor(47)],
    "14.3": [1.0, np.int64(1)],
    "14.4": [(5, 1), [7, 2], (9, 3)],                            # not unique: k - 2p = 3
    "15.1": [(4, 5, 1), np.array([4, 5, 1])],
    "15.2": [4.0, np.int64(4)],
    "15.3": [23.0],
    "15.4": [[15, 14, 13], (13, 14, 15), {13, 14, 15}],                # any order
}
WRONG = {
    "01.1": [(13, 8), (7, 13), 13],
    "01.2": [[6, 7], [6, 7, 8, 9], [5, 6, 7]],
    "01.3": [1, 3],
    "01.4": [7, 5],
    "02.1": [(25, 4), (2, 2)],
    "02.2": [4, 1],
    "02.3": [np.ones((5, 5)), np.ones((2, 2)), lambda a: a.T.ravel()[:24]],
    "02.4": [lambda a: F.conv2d(torch.tensor([[[[1.0, 0], [0, 2]]]]),
                                torch.arange(1.0, 10).view(1, 1, 3, 3), padding=2)],  # no flip
    "03.1": [17, 12],                                            # 17: the printed example's
    "03.2": [4, 9],
    "03.3": [(3, 3), (1, 1)],
    "03.4": [13, (11, 10), (11, 11, 11)],
    "04.1": [[12, 9, 8, 3], [3, 12, 9]],
    "04.2": [[1, 2, 3], [3, 2], [], "321", [[3, 2, 1], [3, 2, 1]]],  # not flipped, too short
    "04.3": [4, 2],
    "04.4": [10, 7],
    "05.1": [np.ones((4, 3)), lambda a: a.T],
    "05.2": [576, 1152],                                         # groups forgotten twice over
    "05.3": [[8, 8, 10, 11], [8, 8, 10, 10]],
    "05.4": [(2, 1), (3, 2)],
    "06.1": [11, 10],
    "06.2": [3, 1],
    "06.3": [[1, 2, 3, 0, 10, 20, 30], [1, 12, 23, 30]],
    "06.4": [[[14, 10], [23, 16]], [[5, 14, 10], [8, 23, 16]]],
    "07.1": [1, (1, 1), False, True],                            # a bool is no number
    "07.2": [18, 8],
    "07.3": [(50, 27), (12, 50)],
    "08.1": [4, 5],
    "08.2": [2.25, 0.5625],
    "08.3": [25, 9],
    "09.1": [[38, 39, 40], [38], [[38, 39], [38, 40]], [[38, 39], [38, 39], [38, 39]],
             [(38, 38), (39, 39)], [(38, 38), (38, 39), (39, 38), (39, 40)]],
    "09.2": [(1, 0), (1, 1)],
    "09.3": [(4, 4), (1, 1)],
    "10.1": [(12, 0), (23, 6), (22, 5), (24, 6, 1), "24, 6", (24.5, 6.25)],  # (22, 5): cut tent
    "10.2": [(9, 0), (18, 4), (15, 3)],
    "10.3": [(16, 16, 5, 5), (16, 1, 6, 6)],
    "10.4": [[2, 3], [3, 3]],                                    # 2, 3: phases by o mod s
    "11.1": [[1, 2, 2], [2, 1, 2]],
    "11.2": [[4, 9], [1, 2, 4], [4, 6, 6, 9]],
    "11.3": [[[6, 10, 16], [7, 11, 18], [13, 21, 34]],          # transposed
             [[34, 16, 18], [13, 6, 7], [21, 10, 11]],          # padding forgotten
             [[44, 40], [28, 24]]],                              # stride 2's gains
    "12.1": [[2, 1], [1, 1]],
    "12.2": [[1, 1], [2, 2]],
    "12.3": [20, 18, "19"],                                       # text is not a number
    "13.1": [(13, 3), (14, 10), (12, 9), (9, 7)],                # (13, 3): chapter 10's, no pad
    "13.2": [(512, 2304), (2304, 2048), (4608, 512)],            # swapped, s forgotten, fan_out
    "13.3": [2560, 1280],                                        # 2560: the transposed count
    "14.1": [[2, 3], [3, 3], [2, 2]],                            # swapped, ceil(5/2), width
    "14.2": [11, 19, 61],                  # no jumps; the last one's forgotten; jumps after
    "14.3": [0, 2, 1.5],                                         # 1.5: (kernel_size - 1)/2
    "14.4": [(3, 1), (4, 1), (5, 2), [3]],                       # (4, 1): half an entry off
    "15.1": [[0, 1, 7], [2, 3, 1], [4, 5, 7]],                   # groups forgotten; group 1
    "15.2": [12, 3],                                             # one per output; the groups
    "15.3": [19, 21],                                            # PyTorch's own; one per zero
    "15.4": [[13, 14], [13, 14, 15, 16], [16]],                  # stride 2's; the full result
}


def written(value, answer):
    return value(answer) if callable(value) else value


def test_every_answer_exercise_has_other_right_answers_and_wrong_ones_to_try():
    assert sorted(OTHER_RIGHT) == ANSWERS and sorted(WRONG) == ANSWERS


@pytest.mark.parametrize("key", ANSWERS)
def test_every_right_answer_is_accepted_and_a_wrong_one_gets_the_hint_only(key, capsys):
    ex = EXERCISES[key]
    answer = ex.expected()
    assert grade(key, answer)
    for other in OTHER_RIGHT[key]:
        assert grade(key, written(other, answer)), other
    for wrong in WRONG[key]:
        assert not grade(key, written(wrong, answer)), wrong
    said = capsys.readouterr().out.split("Right!\n")
    assert said[:-1] == [""] * (1 + len(OTHER_RIGHT[key]))
    assert said[-1].count(f"Hint: {ex.hint}\nStuck? reveal(\"{key}\")") == len(WRONG[key])
    assert not grade(key, None)
    assert capsys.readouterr().out == KERNEL.unanswered + "\n"   # the hint comes after a try


@pytest.mark.parametrize("key", ["01.1", "01.2", "04.3", "06.1"])
def test_a_hint_points_to_the_idea_and_leaves_the_formula_to_the_learner(key):
    """These hints once gave the formula, leaving only arithmetic: none writes one now."""
    assert not re.search(r"[*+=]| - |\(\w-1\)", EXERCISES[key].hint), EXERCISES[key].hint


def test_a_wrong_answer_is_echoed_but_never_the_answer(capsys):
    grade("01.4", 7)
    assert capsys.readouterr().out == (
        f"Not yet: 7 is not it. Hint: {EXERCISES['01.4'].hint}\n"
        'Stuck? reveal("01.4") shows the answer and how to get it.\n')


@pytest.mark.parametrize("key", ANSWERS)
def test_answers_are_computed_the_same_every_time_without_touching_the_readers_seed(key):
    torch.manual_seed(1234)
    state = torch.random.get_rng_state()
    first, second = EXERCISES[key].worked(), EXERCISES[key].worked()
    assert torch.equal(torch.random.get_rng_state(), state)
    assert first.answer is not None and is_right(first.answer, second.answer)
    assert first.why == second.why and len(first.why) > 20


ARITHMETIC = re.compile(r"(?<![\w.\[(])((?:\(?\d[\d.]*\)?\s*[-+*/]\s*)+\(?\d[\d.]*\)?)\s*=\s*"
                        r"(-?\d+(?:\.\d+)?)(?![\d.])")


@pytest.mark.parametrize("key", ANSWERS)
def test_the_arithmetic_in_every_reasoning_is_right(key):
    """Every 'a*b + c = d' a reasoning writes out holds."""
    why = EXERCISES[key].worked().why
    for expression, result in ARITHMETIC.findall(why):
        if expression.count("(") == expression.count(")"):
            assert eval(expression) == pytest.approx(float(result)), (expression, result)


def test_the_arithmetic_check_reads_the_expressions_it_should():
    found = ARITHMETIC.findall("rows: (5-1)*3 - 2*2 + (5-1) + 1 = 13; then 9/4 = 2.25, [1, 2] = x")
    assert found == [("(5-1)*3 - 2*2 + (5-1) + 1", "13"), ("9/4", "2.25")]


# reveal: only after a try in this session, then the answer with its reasoning.
@pytest.mark.parametrize("key", ANSWERS)
def test_reveal_shows_the_answer_and_its_reasoning_only_after_a_try(key, capsys):
    ex = EXERCISES[key]
    reveal(key)
    before = capsys.readouterr().out
    assert before.startswith(f"Try {key} first") and ex.worked().why[:40] not in before
    grade(key, None)                        # the cell as committed: not a try
    capsys.readouterr()
    reveal(key)
    assert capsys.readouterr().out.startswith(f"Try {key} first")
    grade(key, written(WRONG[key][0], ex.expected()))
    capsys.readouterr()
    reveal(key)
    after = capsys.readouterr().out
    assert after.startswith(f"{key}: {shown(ex.expected())}\n")
    assert " ".join(ex.worked().why.split()) in " ".join(after.split())


def test_a_right_try_also_unlocks_reveal_and_a_restarted_kernel_forgets(capsys):
    grade("06.1", EXERCISES["06.1"].expected())
    reveal("06.1")
    assert capsys.readouterr().out.startswith("Right!\n06.1: 12\n")
    exercises.TRIED.clear()                 # what a kernel restart does
    reveal("06.1")
    assert capsys.readouterr().out.startswith("Try 06.1 first")


def test_reveal_knows_only_registered_keys():
    with pytest.raises(KeyError, match="01.1"):
        reveal("01.99")


# Each answer recomputed here with PyTorch alone, independently of convlib.
CHAPTER_05_WEIGHT = torch.tensor([1.0, 1.0, 2.0] * 8).reshape(4, 2, 3)


def chapter_05_input(last=(1.0, 1, 2)):
    return torch.tensor([[1.0, 1, 1], [1, 1, 1], [1, 1, 2], list(last)]).reshape(1, 4, 3)


def kernel_position(weight, kernel_in, kernel_out, groups):
    """Where Conv1d must hold ConvTranspose1d's kernel weight[kernel_in, kernel_out], flipped:
    found by trying every place until the two layers agree."""
    c_in, per_group, k = weight.shape
    w = torch.zeros_like(weight)
    w[kernel_in, kernel_out] = torch.tensor([1.0, 2, 3])
    x = torch.randn(1, c_in, 5, generator=torch.Generator().manual_seed(0))
    for row, column in np.ndindex(per_group * groups, c_in // groups):
        d = torch.zeros(per_group * groups, c_in // groups, k)
        d[row, column] = torch.tensor([3.0, 2, 1])
        if torch.allclose(F.conv1d(x, d, padding=k - 1, groups=groups),
                          F.conv_transpose1d(x, w, groups=groups)):
            return row, column


def gradient_of(loss, x):
    x = x.clone().requires_grad_()
    loss(x).backward()
    return x.grad


def jacobian_shape(conv, input_shape):
    out = torch.autograd.functional.jacobian(lambda z: conv(z).ravel(), torch.zeros(input_shape))
    return tuple(out.reshape(out.shape[0], -1).shape)


def interpolates(factor, kernel_size, padding, length=6):
    x = torch.rand(1, 1, length, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    tent = torch.from_numpy(bilinear_kernel(kernel_size, factor, dims=1))[None, None]
    up = F.conv_transpose1d(x, tent, stride=factor, padding=padding)
    linear = F.interpolate(x, scale_factor=factor, mode="linear", align_corners=False)
    inside = slice(factor, -factor)
    return up.shape == linear.shape and torch.allclose(up[..., inside], linear[..., inside])


def interpolates_with_the_edge(factor, kernel_size, padding, length=6):
    x = torch.rand(1, 1, length, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    tent = torch.from_numpy(bilinear_kernel(kernel_size, factor, dims=1))[None, None]
    try:
        up = F.conv_transpose1d(F.pad(x, (1, 1), mode="replicate"), tent, stride=factor,
                                padding=padding)
    except RuntimeError:
        return False
    linear = F.interpolate(x, scale_factor=factor, mode="linear", align_corners=False)
    return up.shape == linear.shape and torch.allclose(up, linear)


def flop_counter_multiply_adds(run):
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        run()
    return counter.get_total_flops() // 2


def phase_counts_pytorch(kernel_size, stride, length=12):
    return F.conv_transpose1d(torch.ones(1, 1, length), torch.ones(1, 1, kernel_size),
                              stride=stride)[0, 0]


def onnx_runtime_length(input_size, kernel_size, stride, auto_pad):
    from convlib import porting

    model = porting.onnx_model(np.ones((1, 1, kernel_size), np.float32), strides=[stride],
                               auto_pad=auto_pad)
    return porting.run_onnx(model, np.ones((1, 1, input_size), np.float32)).shape[-1]


PYTORCH = {
    "01.1": lambda: tuple(nn.ConvTranspose2d(1, 1, (5, 3), stride=(3, 2), padding=(2, 1))(
        torch.ones(1, 1, 5, 4)).shape[2:]),
    "01.2": lambda: [i for i in range(3, 20)
                     if F.conv1d(torch.zeros(1, 1, i), torch.zeros(1, 1, 3), stride=3).shape[-1]
                     == 2],
    "01.3": lambda: next(op for op in range(3) if F.conv_transpose1d(
        torch.zeros(1, 1, 2), torch.zeros(1, 1, 3), stride=3, output_padding=op).shape[-1]
        == max(PYTORCH["01.2"]())),
    "01.4": lambda: F.conv_transpose1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 3),
                                       dilation=2).shape[-1],
    "02.1": lambda: jacobian_shape(lambda z: F.conv2d(z, torch.ones(1, 1, 3, 3), stride=2),
                                   (1, 1, 5, 5)),   # C is the Jacobian of the convolution
    "02.2": lambda: int((torch.autograd.functional.jacobian(
        lambda z: F.conv2d(z, torch.ones(1, 1, 3, 3)).ravel(), torch.zeros(1, 1, 4, 4)
    ).reshape(4, 16)[:, 11] != 0).sum()),
    "02.3": lambda: gradient_of(lambda z: F.conv2d(z, torch.ones(1, 1, 3, 3), stride=2).sum(),
                                torch.zeros(1, 1, 5, 5))[0, 0],
    "02.4": lambda: gradient_of(   # C.T @ v: the gradient of <C z, v>
        lambda z: (F.conv2d(z, torch.arange(1.0, 10).view(1, 1, 3, 3))
                   * torch.tensor([[[[1.0, 0], [0, 2]]]])).sum(), torch.zeros(1, 1, 4, 4)),
    "03.1": lambda: F.conv_transpose2d(torch.tensor([[[[1.0, 3], [2, 1]]]]),
                                       torch.tensor([[[[3.0, 1], [1, 5]]]]))[0, 0, 1, 1],
    "03.2": lambda: int((torch.autograd.functional.jacobian(
        lambda x: F.conv_transpose2d(x, torch.ones(1, 1, 5, 5), stride=2, padding=1)[0, 0, 3, 4],
        torch.ones(1, 1, 4, 4)) != 0).sum()),   # the inputs that reach (3, 4)
    "03.3": lambda: tuple(divmod(int(torch.autograd.functional.jacobian(
        lambda w: F.conv_transpose2d(torch.ones(1, 1, 4, 4), w, stride=2, padding=1)[0, 0, 7, 7],
        torch.ones(1, 1, 4, 4)).ravel().nonzero()), 4)),  # the one tap that reaches (7, 7)
    "03.4": lambda: F.conv_transpose2d(torch.ones(1, 1, 4, 4), torch.ones(1, 1, 4, 4), stride=3,
                                       padding=1).shape[-1],
    "04.1": lambda: F.conv_transpose1d(torch.tensor([[[2.0, 1, 1, 3]]]),
                                       torch.tensor([[[1.0, 1, 5]]]), padding=1).ravel().tolist(),
    "04.2": lambda: next(list(k) for k in np.ndindex(6, 6, 6) if F.conv1d(   # a search
        torch.tensor([[[2, 1, 1, 3]]]), torch.tensor([[k]])).ravel().tolist()
        == F.conv_transpose1d(torch.tensor([[[2, 1, 1, 3]]]), torch.tensor([[[1, 2, 3]]]),
                              padding=2).ravel().tolist()),
    "04.3": lambda: next(pad for pad in range(6) if torch.equal(   # zeros before: a search
        F.conv_transpose1d(torch.ones(1, 1, 3), torch.ones(1, 1, 5), stride=2, padding=1),
        F.conv1d(F.pad(torch.tensor([[[1.0, 0, 1, 0, 1]]]), (pad, pad)), torch.ones(1, 1, 5)))),
    "04.4": lambda: F.conv_transpose2d(torch.zeros(1, 1, 3, 3), torch.zeros(1, 1, 4, 4), stride=3,
                                       padding=1, output_padding=2).shape[-1] + 4 - 1,  # stride 1
    "05.1": lambda: F.conv_transpose1d(chapter_05_input(), CHAPTER_05_WEIGHT, padding=1,
                                       groups=2)[0],
    "05.2": lambda: nn.ConvTranspose2d(8, 16, 3, groups=4).weight.numel(),
    "05.3": lambda: F.conv_transpose1d(chapter_05_input(last=[1.0, 1, 3]), CHAPTER_05_WEIGHT,
                                       padding=2, groups=2).ravel(),
    "05.4": lambda: kernel_position(torch.zeros(6, 2, 3), 5, 0, groups=2),
    "06.1": lambda: F.conv_transpose1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 3), stride=2,
                                       padding=1, output_padding=1, dilation=2).shape[-1],
    "06.2": lambda: max(op for op in range(10) if accepted_by_pytorch(op, stride=3, dilation=2)),
    "06.3": lambda: F.conv_transpose1d(torch.tensor([[[1.0, 2, 3]]]), torch.tensor([[[1.0, 10]]]),
                                       dilation=3).ravel(),
    "06.4": lambda: F.conv_transpose2d(torch.tensor([[[[1.0, 2.0]]]]),
                                       torch.arange(1.0, 10).reshape(1, 1, 3, 3), stride=2,
                                       padding=1, output_padding=1)[0, 0],
    "07.1": lambda: 7 - F.conv_transpose2d(
        torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 3, 3), stride=2, padding=1).shape[-1],
    "07.2": lambda: gradient_of(lambda z: F.conv2d(z, torch.arange(1.0, 10).view(1, 1, 3, 3),
                                                   stride=2, padding=1).sum(),
                                torch.zeros(1, 1, 4, 4))[0, 0, 1, 2],
    "07.3": lambda: jacobian_shape(lambda z: F.conv2d(z, torch.ones(3, 2, 3, 3), stride=2,
                                                      padding=1), (2, 5, 5)),
    "08.1": lambda: next(k for k in range(4, 8) if len(set(
        phase_counts_pytorch(k, 3)[k:-k].tolist())) == 1),
    "08.2": lambda: F.interpolate(torch.arange(1.0, 10).view(1, 1, 3, 3), scale_factor=2,
                                  mode="bilinear", align_corners=False)[0, 0, 1, 1],
    "08.3": lambda: chapter_08_flat()[0, 0, 5, 5],
    "09.1": lambda: [o for o in range(30, 45) if output_size_accepted(19, o, 4, 2, 1, 1)],
    "09.2": lambda: tuple(o - n for o, n in zip((42, 41), nn.ConvTranspose2d(1, 1, 4, 2, 1)(
        torch.zeros(1, 1, 21, 20)).shape[2:])),
    "09.3": lambda: (len([op for op in range(10) if accepted_by_pytorch(op, 1, 4, 5)]),
                     len([o for o in range(1, 30) if output_size_accepted(5, o, 3, 1, 0, 4)])),
    "10.1": lambda: next((k, p) for k in range(1, 40) for p in range(20)
                         if k - 2 * p == 12 and interpolates(12, k, p)),
    "10.2": lambda: next((k, p) for k in range(1, 40) for p in range(20)
                         if k - 2 * p == 9 and interpolates(9, k, p)),
    "10.3": lambda: tuple(nn.ConvTranspose2d(16, 16, 5, stride=3, padding=1,
                                             groups=16).weight.shape),
    "10.4": lambda: [int(phase_counts_pytorch(5, 2, 8)[r::2].max())     # canvas index o + p:
                     for r in (0, 1)],                                  # phase r is [r::2]
    "11.1": lambda: [int(phase_counts_pytorch(5, 3)[6 + r]) for r in range(3)],
    "11.2": lambda: sorted(set((25 * gradient_of(
        lambda x: F.conv2d(x, torch.full((1, 1, 5, 5), 1 / 25), stride=2, padding=2).sum(),
        torch.zeros(1, 1, 16, 16))[0, 0, 4:-4, 4:-4]).round().int().ravel().tolist())),
    "11.3": lambda: F.conv_transpose2d(torch.ones(1, 1, 8, 8),   # a flat input: each phase's gain
                                       torch.arange(1.0, 17).view(1, 1, 4, 4), stride=3,
                                       padding=1)[0, 0, 6:9, 6:9],
    "12.1": lambda: keras_same_crop(6, 5, 2),
    "12.2": lambda: next([p, op] for p in range(4) for op in range(2) if torch.equal(
        F.conv_transpose1d(torch.arange(1.0, 6).view(1, 1, 5), torch.ones(1, 1, 5), stride=2,
                           padding=p, output_padding=op),
        F.conv_transpose1d(torch.arange(1.0, 6).view(1, 1, 5), torch.ones(1, 1, 5),
                           stride=2)[..., 2:-1])),   # ONNX pads=[2, 1] keep [2, c - 1)
    "12.3": lambda: onnx_runtime_length(5, 3, 4, "SAME_UPPER"),
    "13.1": lambda: next((k, p) for k in range(1, 20) for p in range(15)
                         if interpolates_with_the_edge(7, k, p)),
    "13.2": lambda: (nn.init._calculate_fan_in_and_fan_out(nn.ConvTranspose2d(
        128, 64, 6, stride=3).weight)[0], 128 * int(F.conv_transpose2d(   # taps per output
            torch.ones(1, 1, 8, 8), torch.ones(1, 1, 6, 6), stride=3)[0, 0, 9, 9])),
    "13.3": lambda: flop_counter_multiply_adds(lambda: F.conv1d(   # the direct view, counted
        torch.zeros(1, 8, 20 + 3), torch.zeros(8, 8, 4))),
    "14.1": lambda: [len(inputs_reaching(nn.ConvTranspose1d(1, 1, 5, stride=2, padding=2), 8,
                                         v)) for v in (6, 7)],
    "14.2": lambda: (lambda found: found[-1] - found[0] + 1)(inputs_reaching(nn.Sequential(
        *[nn.Conv1d(1, 1, 3, stride=2, padding=1) for _ in range(3)], nn.Conv1d(1, 1, 5)),
        200, 10)),
    "14.3": lambda: -round(sitting_offset(nn.Sequential(nn.AvgPool1d(2),   # MaxPool1d's windows
                                                  nn.ConvTranspose1d(1, 1, 4, stride=2)))),
    "14.4": lambda: next((k, p) for k in range(1, 10) for p in range(k) if sits_on_input(
        nn.Sequential(nn.Conv1d(1, 1, 5, stride=2, padding=1),
                      nn.ConvTranspose1d(1, 1, k, stride=2, padding=p)))),
    "15.1": lambda: rows_read_by(7, torch.zeros(6, 3, 3, 3, requires_grad=True), groups=3),
    "15.2": lambda: nn.utils.parametrizations.weight_norm(nn.ConvTranspose2d(
        6, 12, 3, groups=3), dim=1).parametrizations.weight.original0.numel(),
    "15.3": lambda: F.conv_transpose1d(F.pad(torch.ones(1, 1, 6), (0, 2)), torch.ones(1, 1, 4),
                                       stride=3, padding=1).shape[-1],
    "15.4": lambda: [o for o in range(1, 30) if F.conv1d(   # SAME: ceil(o / s) outputs
        torch.zeros(1, 1, o), torch.zeros(1, 1, 1), stride=3).shape[-1] == 5],
}


def gradients(net, n):
    """d out[v] / d x for every output v, by autograd: every weight and input 1, so nothing
    cancels and an input reaches v exactly where its entry is not 0."""
    for module in net.modules():
        if hasattr(module, "weight"):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)
    x = torch.ones(n, dtype=torch.float64)
    return torch.autograd.functional.jacobian(lambda x: net.double()(x.view(1, 1, -1))[0, 0], x)


def inputs_reaching(net, n, v):
    return torch.nonzero(gradients(net, n)[v]).flatten().tolist()


def sitting_offset(net, n=40):
    """Where output v sits in the input, less v: the gradient-weighted mean position of the
    inputs that reach it (the kernels are symmetric), averaged over two neighbouring outputs
    (the phases of stride 2); None if one of them sees no input."""
    rows = gradients(net, n)
    if any(rows[v].sum() == 0 for v in (12, 13)):
        return None
    centres = [float((rows[v] * torch.arange(n)).sum() / rows[v].sum()) - v for v in (12, 13)]
    return sum(centres) / 2


def sits_on_input(net):
    offset = sitting_offset(net)
    return offset is not None and abs(offset) < 1e-9



def rows_read_by(channel, weight, groups):
    """[first row, last row, column] of the weight entries PyTorch's gradient of one output
    channel reaches."""
    F.conv_transpose2d(torch.ones(1, weight.shape[0], 2, 2), weight, groups=groups)[
        :, channel].sum().backward()
    rows, columns = torch.nonzero((weight.grad != 0).any(dim=(2, 3)), as_tuple=True)
    assert len(set(columns.tolist())) == 1
    return [rows.min().item(), rows.max().item(), columns[0].item()]


def keras_same_crop(input_size, kernel_size, stride):
    """Keras' 'same' crop, from the real Keras layer: where its output sits in the full result."""
    from convlib import porting

    x = torch.arange(1.0, input_size + 1).view(1, 1, input_size)
    w = torch.arange(1.0, kernel_size + 1).view(1, 1, kernel_size)
    full = F.conv_transpose1d(x, w, stride=stride).ravel()
    kept = porting.keras_layer(w, None, stride=stride, padding="same",
                               data_format="channels_first")(x).detach().ravel()
    start = next(s for s in range(len(full)) if torch.allclose(full[s:s + len(kept)], kept))
    return [start, len(full) - start - len(kept)]


def chapter_08_flat():
    torch.manual_seed(1)
    kernel = torch.randint(1, 10, (1, 1, 3, 3)).float()
    return F.conv_transpose2d(torch.ones(1, 1, 8, 8), kernel, stride=2, padding=1,
                              output_padding=1)


def accepted_by_pytorch(output_padding, stride, dilation, input_size=4):
    try:
        F.conv_transpose1d(torch.zeros(1, 1, input_size), torch.zeros(1, 1, 3), stride=stride,
                           output_padding=output_padding, dilation=dilation)
        return True
    except RuntimeError:
        return False


def output_size_accepted(input_size, output_size, kernel_size, stride, padding, dilation):
    layer = nn.ConvTranspose1d(1, 1, kernel_size, stride=stride, padding=padding,
                               dilation=dilation)
    try:
        layer(torch.zeros(1, 1, input_size), output_size=[output_size])
        return True
    except ValueError:
        return False


def test_pytorch_recomputes_every_answer():
    assert sorted(PYTORCH) == ANSWERS


@pytest.mark.parametrize("key", sorted(PYTORCH))
def test_answers_agree_with_pytorch(key):
    assert EXERCISES[key].accepts(PYTORCH[key](), EXERCISES[key].expected())


@pytest.mark.parametrize("key, factor", [("10.1", 12), ("10.2", 9)])
def test_exact_upsampling_accepts_exactly_the_layers_that_interpolate(key, factor):
    """The smallest whole tent, and every tent wider by a zero tap at each end with one more
    padding: kernel_size - 2*padding = factor, kernel_size >= 2*factor - factor % 2."""
    accepted = [(k, p) for k in range(1, 60) for p in range(30)
                if EXERCISES[key].accepts((k, p), None)]
    smallest = tuple(EXERCISES[key].expected())
    assert accepted == [(smallest[0] + 2 * n, smallest[1] + n)
                        for n in range((60 - smallest[0] + 1) // 2)]
    assert accepted == [(k, p) for k in range(1, 60) for p in range(30)
                        if k - 2 * p == factor and interpolates(factor, k, p)]


# The implement-it exercises: the reference, the chapter's model solution, another right way to
# write it and a plausible wrong one.
def transposed_1d(x, w, stride=1, padding=0):
    x, w = torch.tensor(x, dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
    return F.conv_transpose1d(x[None, None], w[None, None], stride=stride, padding=padding)[0, 0]


OTHER_IMPLEMENTATIONS = {
    "01.5": lambda i, k, s, p, op, d: [int(v) for v in (np.array(i) - 1) * s - 2 * np.array(p)
                                       + np.array(d) * (np.array(k) - 1) + op + 1],
    "02.5": lambda w, n, stride, padding: torch.autograd.functional.jacobian(
        lambda x: F.conv1d(x[None, None], torch.tensor(w, dtype=torch.float64)[None, None],
                           stride=stride, padding=padding)[0, 0],
        torch.zeros(n, dtype=torch.float64)),
    "03.5": transposed_1d,
    "04.5": transposed_1d,
    "05.5": lambda x, w, groups, stride: torch.cat([
        F.conv_transpose2d(xs, ws, stride=stride) for xs, ws in zip(x.chunk(groups),
                                                                    w.chunk(groups))]),
    "06.5": lambda x, w, s, p, op, d: F.conv_transpose2d(
        torch.tensor(x, dtype=torch.float64)[None, None],
        torch.tensor(w, dtype=torch.float64)[None, None], stride=s, padding=p, output_padding=op,
        dilation=d)[0, 0].tolist(),
    "07.4": lambda g, w, size, s, p, d, groups: torch.nn.grad.conv2d_input(
        (1, w.shape[1] * groups, *size), w, g, stride=s, padding=p, dilation=d, groups=groups),
    "08.4": lambda k, s: np.outer(*2 * [[max(0.0, 1 - abs(a - (k - 1) / 2) / s)
                                         for a in range(k)]]),
    "09.4": lambda i, o, k, s, p, d: next(
        op for op in range(max(s, d)) if convlib.conv_transpose_output_size(
            i, k, s, p, op, d) == o),
    "10.5": lambda z, s: [[z[c * s + j % s, j // s] for j in range(z.shape[1] * s)]
                          for c in range(z.shape[0] // s)],
    "11.4": lambda y, s: np.array([y[r::s].sum() / len(y[r::s]) for r in range(s)]),
    "12.4": lambda i, k, s: [max((k - s) // 2, 0), (k - s) - max((k - s) // 2, 0)],
    "13.4": lambda x, w, s: transposed_1d(x, w, stride=s),
    "15.5": lambda i, k, s, o: (lambda c: [max(c - o, 0) // 2, c - o - max(c - o, 0) // 2])(
        (i - 1) * s + k),
}


def phases_not_flipped(x, w, s):
    """Each phase correlated with its taps instead of convolved: x[m + t], not x[m - t]."""
    out = np.zeros((len(x) - 1) * s + len(w))
    for r in range(min(s, len(w))):
        out[r::s] = np.correlate(x, w[r::s], "full")
    return out


def positional_call(g, w, size, s, p, d, groups):
    """The wrong recipe of issue 18: positional arguments put `stride` where `bias` goes."""
    return F.conv_transpose2d(g, w, s, p, 0, groups, d)


WRONG_IMPLEMENTATIONS = {   # each a mistake a learner makes, and the case that shows it
    "01.5": (lambda i, k, s, p, op, d: tuple(   # dilation forgotten
        (a - 1) * b - 2 * c + (e - 1) + f + 1 for a, e, b, c, f in zip(i, k, s, p, op)), 4),
    "02.5": (lambda w, n, stride, padding: EXERCISES["02.5"].solution(w, n + 2 * padding,
                                                                      stride, 0), 3),
    "03.5": (lambda x, w, stride, padding: EXERCISES["03.5"].solution(x, w, stride, 0), 3),
    "04.5": (lambda x, w, stride, padding: EXERCISES["04.5"].solution(x, w[::-1], stride,
                                                                      padding), None),
    "05.5": (lambda x, w, groups, stride: torch.cat([   # channels dealt out, not cut in blocks
        F.conv_transpose2d(x[g::groups], w[g::groups], stride=stride) for g in range(groups)]),
        2),
    "06.5": (lambda x, w, s, p, op, d: EXERCISES["06.5"].solution(x, w, s, p, 0, d), 2),
    "07.4": (positional_call, 0),
    "08.4": (lambda k, s: np.outer(*[1 - np.abs(np.arange(k) - k / 2) / s] * 2), 0),
    "09.4": (lambda i, o, k, s, p, d: o - ((i - 1) * s - 2 * p + (k - 1) + 1), None),
    "10.5": (lambda z, s: z.reshape(z.shape[0] // s, -1), 0),
    "11.4": (lambda y, s: [np.mean(y[r * s:(r + 1) * s]) for r in range(s)], 0),
    "12.4": (lambda i, k, s: [-(-(k - s) // 2), (k - s) - -(-(k - s) // 2)], 1),
    "13.4": (phases_not_flipped, None),
    "15.5": (lambda i, k, s, o: [(i - 1) * s + k - o - ((i - 1) * s + k - o) // 2,   # the
                                 ((i - 1) * s + k - o) // 2], None),              # larger half
}


def test_every_implement_exercise_has_another_right_way_and_a_wrong_one():
    assert sorted(OTHER_IMPLEMENTATIONS) == IMPLEMENTS == sorted(WRONG_IMPLEMENTATIONS)


def chapter_function(key):
    """The name of the function the chapter's cell asks the learner to write for `key`."""
    path, = NOTEBOOKS.glob(f"{key[:2]}_*.py")
    return re.search(rf'grade_function\("{key}", (\w+)\)', path.read_text()).group(1)


@pytest.mark.parametrize("key", IMPLEMENTS)
def test_the_solution_reveal_shows_is_the_chapters_function_and_is_right(key, capsys):
    ex = EXERCISES[key]
    assert ex.solution.__name__ == chapter_function(key)
    assert inspect.signature(ex.solution) == inspect.signature(ex.reference)
    assert ex.solution.__doc__ and len(ex.solution.__doc__) > 40   # its reasoning
    assert grade_function(key, ex.solution) and grade_function(key, ex.reference)


@pytest.mark.parametrize("key", IMPLEMENTS)
def test_another_right_implementation_is_accepted(key, capsys):
    assert grade_function(key, OTHER_IMPLEMENTATIONS[key])
    assert capsys.readouterr().out.startswith("Right! (all ")


@pytest.mark.parametrize("key", IMPLEMENTS)
def test_a_wrong_implementation_is_shown_its_first_failing_case_and_the_expected_output(
        key, capsys):
    ex = EXERCISES[key]
    wrong, failing = WRONG_IMPLEMENTATIONS[key]
    assert not grade_function(key, wrong)
    said = capsys.readouterr().out
    names = list(inspect.signature(ex.reference).parameters)
    cases = ex.all_cases()
    if failing is None:   # the first case where the mistake shows
        failing = next(n for n, c in enumerate(cases) if not ex.accepts(
            wrong(*exercises.fresh(c)), ex.reference(*exercises.fresh(c))))
    args = cases[failing]
    assert said.startswith(f"Not yet: {call(wrong.__name__, names, args)}")
    assert f"expected: {shown(ex.reference(*exercises.fresh(args)))}\n" in said
    assert said.rstrip().endswith(f'Stuck? reveal("{key}") shows one way to write it.')


@pytest.mark.parametrize("key", IMPLEMENTS)
def test_cases_go_from_one_a_learner_checks_by_hand_to_larger_ones(key):
    ex = EXERCISES[key]
    cases = ex.all_cases()
    assert len(cases) >= 5
    sizes = [max(len(grid(v)[1]) for v in [*args, ex.reference(*exercises.fresh(args))])
             for args in cases]
    assert sizes[0] <= 9 and max(sizes) <= 200, sizes   # the first fits on a line, none floods
    again = ex.all_cases()
    assert all(ex.accepts(ex.reference(*exercises.fresh(a)), ex.reference(*exercises.fresh(b)))
               for a, b in zip(cases, again))


# The same exercises on the book site: the model solution in plain Python (what the site shows)
# and that solution with a learner's typical mistake, each run by the page's grader on the cases
# as lists, as the page receives them.
PLAIN_MISTAKES = {   # key: what the plain solution says, what the mistake says, the failing case
    "01.5": ("d * (k - 1)", "(k - 1)", 4),                                # dilation forgotten
    "02.5": ("stride * o + k - padding", "stride * o + k", 3),            # padding forgotten
    "03.5": ("return canvas[padding:len(canvas) - padding]", "return canvas", 3),   # not cropped
    "04.5": ("flipped = w[::-1]", "flipped = w", 1),                      # not flipped
    "05.5": ("out[c // n * m + j]", "out[c % groups * m + j]", 2),        # channels dealt out
    "06.5": (" + output_padding", "", 2),                                 # output_padding left out
    "07.4": ("dilation * ", "", 3),                                       # dilation forgotten
    "08.4": ("centre = (kernel_size - 1) / 2", "centre = kernel_size / 2", 0),   # centre off
    "09.4": ("dilation * (kernel_size - 1)", "(kernel_size - 1)", 5),     # dilation forgotten
    "10.5": ("for j in range(len(z[0])) for r in range(s)",               # rows one after another
             "for r in range(s) for j in range(len(z[0]))", 0),
    "11.4": ("y[r::s]", "y[r * s:(r + 1) * s]", 0),                       # blocks, not phases
    "12.4": ("start = max(crop // 2, 0)", "start = max(crop - crop // 2, 0)", 1),  # larger half
    "15.5": ("start = max(full - output_shape, 0) // 2",                  # the larger half
             "start = max(full - output_shape, 0) - max(full - output_shape, 0) // 2", 3),
    "13.4": ("m - t", "m + t", 1),                                        # correlated, not flipped
}


@pytest.fixture(scope="module")
def site():
    """convlib.exercises.table() as the page receives it: through JSON."""
    return json.loads(json.dumps(exercises.table()))


def test_every_implement_exercise_has_a_plain_mistake_to_try():
    assert sorted(PLAIN_MISTAKES) == IMPLEMENTS


@pytest.mark.parametrize("key", IMPLEMENTS)
def test_the_plain_solution_is_the_chapters_function_in_plain_python_and_right_on_the_site(
        key, site):
    ex, entry = EXERCISES[key], site[key]
    assert entry["name"] == chapter_function(key)
    assert entry["solution"].startswith(f"def {chapter_function(key)}(")
    assert inspect.signature(ex.plain) == inspect.signature(ex.reference)
    assert ex.plain.__doc__ and len(ex.plain.__doc__) > 40   # its reasoning
    assert not re.search(r"\b(np|numpy|torch|convlib)\b", entry["solution"])   # stdlib only
    assert Page(site).check_function(key, entry["solution"]) == {
        "right": True,
        "message": f"Right! (all {len(entry['cases'])} cases agree, from the smallest to the "
                   f"largest)"}


@pytest.mark.parametrize("key", IMPLEMENTS)
def test_a_plain_mistake_is_shown_its_first_failing_case_on_the_site(key, site):
    entry = site[key]
    said, mistake, failing = PLAIN_MISTAKES[key]
    assert said in entry["solution"]
    verdict = Page(site).check_function(key, entry["solution"].replace(said, mistake))
    case = entry["cases"][failing]
    assert verdict["right"] is False
    assert verdict["message"].startswith(
        f"Not yet: {call(entry['name'], entry['parameters'], case)}\nreturned: ")
    assert f"\nexpected: {shown(entry['expected'][failing])}\n" in verdict["message"]


def unclipped_tent(kernel_size, stride):
    """08.4 with the tent left to go negative: 1 - |k - centre| / stride, never clipped at 0."""
    t = 1 - np.abs(np.arange(kernel_size) - (kernel_size - 1) / 2) / stride
    return np.outer(t, t)


def test_a_tent_not_clipped_at_0_fails_on_the_kernel_wider_than_two_strides(capsys, site):
    cases, entry = EXERCISES["08.4"].all_cases(), site["08.4"]
    failing = [tuple(c) for c in cases].index((6, 2))
    assert not grade_function("08.4", unclipped_tent)
    assert capsys.readouterr().out.startswith(
        f"Not yet: {call('unclipped_tent', entry['parameters'], cases[failing])}")
    said = "max(0, 1 - abs(k - centre) / stride)"
    assert said in entry["solution"]
    verdict = Page(site).check_function(
        "08.4", entry["solution"].replace(said, "1 - abs(k - centre) / stride"))
    assert verdict["right"] is False and verdict["message"].startswith(
        f"Not yet: {call(entry['name'], entry['parameters'], entry['cases'][failing])}\n")


def test_reveal_shows_a_solution_and_its_first_case_after_a_try(capsys):
    reveal("03.5")
    assert capsys.readouterr().out.startswith("Try 03.5 first: run its cell with your function.")
    grade_function("03.5", lambda x, w, stride, padding: None)   # the template: not a try
    reveal("03.5")
    assert capsys.readouterr().out.startswith(KERNEL.unwritten + "\nTry 03.5 first")
    grade_function("03.5", lambda x, w, stride, padding: [0])
    capsys.readouterr()
    reveal("03.5")
    shown_solution = capsys.readouterr().out
    assert shown_solution == revealed("03.5") + "\n"
    assert inspect.getsource(EXERCISES["03.5"].solution).rstrip() in shown_solution
    assert "Its first case: scatter_add_1d(x=" in shown_solution


# grade_function, on a throwaway exercise: a 1-D transposed convolution with stride.
def reference(x, w, stride):
    return convlib.conv_transpose_scatter(x[None], w[None, None], stride=stride)[0]


def cases(rng):
    return [(rng.integers(-3, 4, n), rng.integers(-3, 4, k), s)
            for n, k, s in [(3, 2, 1), (4, 3, 2), (2, 4, 3), (5, 1, 2)]]


@pytest.fixture
def throwaway(monkeypatch):
    monkeypatch.setitem(EXERCISES, "99.1", Exercise("99.1", "stamps, stride apart",
                                                    reference=reference, cases=cases,
                                                    solution=reference))
    return "99.1"


def by_pytorch(x, w, stride):
    x, w = torch.tensor(x, dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
    return F.conv_transpose1d(x[None, None], w[None, None], stride=stride)[0, 0].tolist()


def test_grade_function_accepts_a_right_function(throwaway, capsys):
    assert grade_function(throwaway, by_pytorch)
    said = capsys.readouterr().out
    assert said == "Right! (all 4 cases agree, from the smallest to the largest)\n"


def test_grade_function_shows_the_first_failing_case_and_what_it_should_give(throwaway, capsys):
    def no_stride(x, w, stride):
        return by_pytorch(x, w, 1)

    assert not grade_function(throwaway, no_stride)
    said = capsys.readouterr().out
    x, w, stride = next(c for c in cases(np.random.default_rng(exercises.SEED)) if c[2] > 1)
    assert said == (f"Not yet: no_stride(x={x.tolist()}, w={w.tolist()}, stride={stride})\n"
                    f"returned: {shown(no_stride(x, w, stride))}\n"
                    f"expected: {shown(by_pytorch(x, w, stride))}\n"
                    f"Hint: stamps, stride apart\n"
                    f'Stuck? reveal("99.1") shows one way to write it.\n')


def test_grade_function_reports_an_error_or_no_answer(throwaway, capsys):
    def broken(x, w, stride):
        return x[len(x)]

    def template(x, w, stride):
        return None

    assert not grade_function(throwaway, template)
    assert "99.1" not in exercises.TRIED
    assert not grade_function(throwaway, broken)
    assert "99.1" in exercises.TRIED
    unanswered, broke, expected, *_ = capsys.readouterr().out.splitlines()
    assert unanswered == KERNEL.unwritten
    assert "raised IndexError" in broke and expected.startswith("expected: [")


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
    assert is_right(torch.tensor([1.0, 2.0], requires_grad=True), [1, 2])
    assert not is_right((6, 6), (6, 7)) and not is_right([1, 2], [1, 2, 3])
    assert not is_right([[1, 2]], [1, 2]) and not is_right(None, 0)
    assert is_right("flip", "flip") and not is_right("crop", "flip") and not is_right("12", 12)


def test_the_default_check_ignores_axes_of_length_one_only():
    assert same([[[1, 2]]], [1, 2]) and same(torch.ones(1, 1, 2, 2), np.ones((2, 2)))
    assert not same([[1, 2], [3, 4]], [1, 2, 3, 4]) and not same([[1, 3], [2, 4]], [[1, 2], [3, 4]])
    assert not same([1, [2, 3]], [1, 2, 3]) and not same(None, 1)


def test_shown_writes_values_as_a_reader_types_them():
    assert shown(np.array([[1.0, 2.0]])) == "[[1, 2]]" and shown((13, 7)) == "(13, 7)"
    assert shown([np.float64(5.5), 1]) == "[5.5, 1.0]" and shown(torch.tensor(2.25)) == "2.25"
    assert shown(1 / 3) == "0.333333" and shown("x") == "'x'" and shown(None) == "None"


def test_the_verdict_is_true_or_false_and_jupyter_shows_only_the_message(capsys):
    right, wrong = grade("01.1", EXERCISES["01.1"].expected()), grade("01.1", -1)
    assert (bool(right), bool(wrong)) == (True, False) and (right, wrong) == (True, False)
    assert (repr(right), repr(wrong)) == ("True", "False")
    assert right._ipython_display_() is None  # IPython calls this instead of printing the value

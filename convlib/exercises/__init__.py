"""Self-checks for the exercises at the end of every chapter.

An exercise is keyed "NN.n" (chapter NN, exercise n as printed). Its answer and the reasoning that
leads to it live here, one module per chapter (convlib/exercises/ch03_scatter_add.py holds
chapter 03's), computed by convlib or PyTorch when they are asked for, never typed in as literals
and never written in the chapter's cell.

In a chapter, the learner's side:

    grade("03.1", value)              prints Right!, or Not yet and the hint; True or False
    grade_function("03.5", function)  runs the learner's function on every case, smallest first;
                                      a failing case is shown with its arguments and the output
                                      it should have given
    reveal("03.1")                    once the learner has tried 03.1 (right or wrong) in this
                                      kernel session: the answer and how to get it, or for an
                                      implement-it exercise one way to write it

Here, the author's side: one module per chapter, named like it (chapter 03_scatter_add's is
ch03_scatter_add.py, imported by this package), one decorated function per exercise:

    @answer("03.1", hint="...")                      a function () -> Worked(answer, why): the
    def centre_of_new_input(): ...                   answer computed with convlib or PyTorch, and
                                                     a short worked explanation whose numbers are
                                                     computed too (f-strings)
    @answer("04.2", hint="...",                      graded by a property (any right kernel), not
            accepts=gives_target(signal, target))    by equality with the one answer; the data it
                                                     needs passed in as lists
    @implement("03.5", hint="...", cases=scatter_cases, solution=scatter_add_1d,
               plain=scatter_add_1d_plain)           `plain`: the same in plain Python over lists,
                                                     standing alone (the page runs its source by
                                                     itself), shown as def scatter_add_1d
    def scatter_reference(x, w, stride, padding):    the reference, computed by convlib or
        ...                                          PyTorch; `cases(rng)` lists argument tuples,
                                                     the smallest first (what a learner debugs by
                                                     hand); `solution` is a model answer in plain
                                                     NumPy/PyTorch with the name and parameters of
                                                     the function the chapter's cell defines, its
                                                     docstring the reasoning: reveal prints it

`accepts` is a rule of convlib.grading, (value, answer) -> bool over plain lists: the grading is
plain Python, so that the book site's page grades with the same code (convlib.grading.page, fed
by `table()`). The default, `same`, compares the numbers to float tolerance whatever holds them
(int, list, tuple, array, tensor: `grade` turns them into lists first) and ignores axes of length
1; `any_order`, `per_axis(n)`, `flat` and `yes_no` cover answers that can be written more ways,
and an exercise whose answer is not unique is graded by its property (convlib/grading/
properties.py, in plain Python, its data passed in as lists). An implement-it exercise also gives
`plain`, its model solution in plain Python over lists: the book site shows that one. In the
chapter, the exercise's cell is `answer_n = None  # replace None with your answer` and
`grade("NN.n", answer_n)` (or the function's template and `grade_function("NN.n", name)`),
printed as **n.**; tests/test_exercises.py wants, for every new key, other right answers and
wrong ones to try (OTHER_RIGHT, WRONG, or OTHER_IMPLEMENTATIONS, WRONG_IMPLEMENTATIONS) and the
answer recomputed with PyTorch alone (PYTORCH).
"""
import importlib
import inspect
import pkgutil
import textwrap
from collections import namedtuple
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from ..grading.rules import any_order, flat, is_right, per_axis, same, yes_no  # noqa: F401
from ..grading.values import as_lists, shown
from ..grading.verdicts import KERNEL, Session, answer_revealed, solution_revealed

SEED = 12  # the cases of implement-it exercises: the same for every reader

Worked = namedtuple("Worked", "answer why")  # what an @answer function returns


@dataclass(frozen=True)
class Exercise:
    """One exercise: its key, its hint, and either its worked answer or its reference function."""
    key: str                              # "03.1": chapter, dot, exercise number as printed
    hint: str                             # helps without giving the answer away
    worked: Optional[Callable] = None     # () -> Worked(answer, why)
    accepts: Callable = same              # a rule of convlib.grading: (value, answer) -> bool
    reference: Optional[Callable] = None  # implement-it: the reference implementation
    cases: Optional[Callable] = None      # implement-it: rng -> argument tuples, smallest first
    solution: Optional[Callable] = None   # implement-it: one way to write it, shown by reveal
    plain: Optional[Callable] = None      # implement-it: the same in plain Python over lists
    plain_hint: Optional[str] = None      # implement-it: the hint on the site, if not `hint`

    def expected(self):
        """The answer of an @answer exercise."""
        return self.worked().answer

    def all_cases(self):
        return self.cases(np.random.default_rng(SEED))

    def parameters(self):
        return list(inspect.signature(self.reference).parameters)


EXERCISES = {}
SESSION = Session(KERNEL)  # what this kernel session tried: reveal shows only those
TRIED = SESSION.tried


class Verdict(int):
    """What grade returns: 1 (right) or 0, used as True or False. Jupyter does not echo it under
    the message grade printed, so an exercise cell shows that message only."""

    def __repr__(self):
        return repr(bool(self))

    def _ipython_display_(self):
        pass


def register(exercise):
    if exercise.key in EXERCISES:
        raise ValueError(f"exercise {exercise.key!r} is registered twice")
    if not callable(exercise.accepts):
        raise TypeError(f"exercise {exercise.key!r}: accepts must be a rule, not "
                        f"{exercise.accepts!r}")
    EXERCISES[exercise.key] = exercise
    return exercise


def answer(key, hint, accepts=same):
    """Decorator: register a function () -> Worked(answer, why) for exercise `key`."""
    def decorate(worked):
        register(Exercise(key, hint, worked=worked, accepts=accepts))
        return worked
    return decorate


def implement(key, hint, cases, solution, plain=None, accepts=same, plain_hint=None):
    """Decorator: register the reference of implement-it exercise `key`, its cases (smallest
    first: the first failing one is what the learner debugs by hand), a model solution in
    NumPy/PyTorch and the same in plain Python over lists (`plain`, shown on the book site),
    with its own hint where the kernel's names NumPy or PyTorch (`plain_hint`)."""
    def decorate(reference):
        register(Exercise(key, hint, reference=reference, cases=cases, solution=solution,
                          plain=plain, accepts=accepts, plain_hint=plain_hint))
        return reference
    return decorate


def exercise(key):
    """The registered Exercise `key`, or a KeyError that lists the keys of its chapter."""
    if key not in EXERCISES:
        near = sorted(k for k in EXERCISES if k.split(".")[0] == str(key).split(".")[0])
        raise KeyError(f"no exercise {key!r}; registered for this chapter: {near}")
    return EXERCISES[key]


def grade(key, value):
    """Print whether `value` answers exercise `key` (never the answer itself); True if right."""
    ex = exercise(key)
    right, message = SESSION.grade(key, value, ex.expected() if value is not None else None,
                                   ex.accepts, ex.hint)
    print(message)
    return Verdict(right)


def fresh(args):
    """A copy of a case's arguments: a function that changes them cannot change the next call's."""
    return [a.clone() if hasattr(a, "clone") else np.array(a) if isinstance(a, np.ndarray) else a
            for a in args]


def grade_function(key, function):
    """Run `function` on every case of exercise `key`, smallest first, against the reference.

    Prints Right!, or the first case it gets wrong: its arguments, what it returned (or raised)
    and what it should have returned, with the hint.
    """
    ex = exercise(key)
    cases = ex.all_cases()
    expected = (ex.reference(*fresh(args)) for args in cases)
    right, message = SESSION.grade_function(key, function, ex.parameters(), cases, expected,
                                            ex.accepts, ex.hint, fresh)
    print(message)
    return Verdict(right)


def revealed(key):
    """What reveal prints: the answer and its reasoning, or a solution and its first case."""
    ex = exercise(key)
    if ex.worked is not None:
        worked = ex.worked()
        return answer_revealed(key, worked.answer, worked.why)
    first = ex.all_cases()[0]
    return solution_revealed(key, inspect.getsource(ex.solution), ex.solution.__name__,
                             ex.parameters(), first, ex.reference(*fresh(first)))


def reveal(key):
    """After a try at exercise `key` in this kernel session, print its answer and how to get it.

    Before a try it only says so: the answer is there to check a try against, not to replace it.
    The tries are remembered for as long as the kernel runs (a restart forgets them: run the
    exercise's cell again with your answer).
    """
    ex = exercise(key)
    if key not in TRIED:
        print(SESSION.refusal(key, ex.worked is None))
        return
    print(revealed(key))


def table():
    """Every exercise as plain data, ready for JSON, computed here with convlib and PyTorch: what
    the book site's page grades against (convlib.grading.page), as the kernel grades."""
    return {key: entry(ex) for key, ex in sorted(EXERCISES.items())}


def plain_source(ex):
    """The plain-Python solution's source, its function named as the chapter names it (the
    module may call it name_plain, beside the NumPy one)."""
    source = textwrap.dedent(inspect.getsource(ex.plain))
    return source.replace(f"def {ex.plain.__name__}(", f"def {ex.solution.__name__}(", 1)


def entry(ex):
    """One exercise as plain data: its rule by name; the answer and its reasoning, or the cases
    (as lists) with their expected outputs and a solution in plain Python over lists."""
    if not hasattr(ex.accepts, "spec"):
        raise TypeError(f"exercise {ex.key!r}: its rule {ex.accepts!r} has no spec; make it with "
                        f"convlib.grading.rules.rule so the book site can run it")
    common = {"key": ex.key, "hint": ex.hint, "accepts": ex.accepts.spec}
    if ex.worked is not None:
        worked = ex.worked()
        return {**common, "kind": "answer", "answer": as_lists(worked.answer), "why": worked.why}
    if ex.plain is None:
        raise TypeError(f"exercise {ex.key!r} has no solution in plain Python (plain=)")
    cases = ex.all_cases()
    names = ex.parameters()
    common["hint"] = ex.plain_hint or ex.hint
    return {**common, "kind": "implement", "name": ex.solution.__name__, "parameters": names,
            "cases": [as_lists(list(args)) for args in cases],
            "expected": [as_lists(ex.reference(*fresh(args))) for args in cases],
            "solution": plain_source(ex),
            "template": f"def {ex.solution.__name__}({', '.join(names)}):\n"
                        f"    return None  # replace with your code\n"}


# Every other module of this package is one chapter's exercises; importing it registers them.
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

"""Self-checks for the exercises at the end of every chapter.

An exercise is keyed "NN.n" (chapter NN, exercise n as printed). Its answer and the reasoning that
leads to it live here, one module per chapter (convlib/exercises/scatter_add.py holds chapter
03's), computed by convlib or PyTorch when they are asked for, never typed in as literals and
never written in the chapter's cell.

In a chapter, the learner's side:

    grade("03.1", value)              prints Right!, or Not yet and the hint; True or False
    grade_function("03.5", function)  runs the learner's function on every case, smallest first;
                                      a failing case is shown with its arguments and the output
                                      it should have given
    reveal("03.1")                    once the learner has tried 03.1 (right or wrong) in this
                                      kernel session: the answer and how to get it, or for an
                                      implement-it exercise one way to write it

Here, the author's side: one module per chapter, named like it (chapter 03_scatter_add's is
scatter_add.py, imported by this package), one decorated function per exercise:

    @answer("03.1", hint="...")                      a function () -> Worked(answer, why): the
    def centre_of_new_input(): ...                   answer computed with convlib or PyTorch, and
                                                     a short worked explanation whose numbers are
                                                     computed too (f-strings)
    @answer("04.2", hint="...", accepts=gives_target)
                                                     graded by a property (any right kernel), not
                                                     by equality with the one answer
    @implement("03.5", hint="...", cases=scatter_cases, solution=scatter_add_1d)
    def scatter_reference(x, w, stride, padding):    the reference, computed by convlib or
        ...                                          PyTorch; `cases(rng)` lists argument tuples,
                                                     the smallest first (what a learner debugs by
                                                     hand); `solution` is a model answer in plain
                                                     NumPy/PyTorch with the name and parameters of
                                                     the function the chapter's cell defines, its
                                                     docstring the reasoning: reveal prints it

`accepts(value, answer) -> bool` says whether a value is right. The default, `same`, compares the
numbers to float tolerance whatever holds them (int, list, tuple, array, tensor) and ignores axes
of length 1; `any_order`, `per_axis(n)` and `flat` cover answers that can be written more ways,
and an exercise whose answer is not unique is graded by its own property. In the chapter, the
exercise's cell is `answer_n = None  # replace None with your answer` and `grade("NN.n",
answer_n)` (or the function's template and `grade_function("NN.n", name)`), printed as **n.**;
tests/test_exercises.py wants, for every new key, other right answers and wrong ones to try
(OTHER_RIGHT, WRONG, or OTHER_IMPLEMENTATIONS, WRONG_IMPLEMENTATIONS) and the answer recomputed
with PyTorch alone (PYTORCH).
"""
import importlib
import inspect
import pkgutil
import textwrap
from collections import namedtuple
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

SEED = 12  # the cases of implement-it exercises: the same for every reader

Worked = namedtuple("Worked", "answer why")  # what an @answer function returns


def numbers(value):
    """`value` as an array of floats (a tensor is detached first), or None if it holds no numbers
    (a string is text, even "12")."""
    if isinstance(value, (str, bytes)):
        return None
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError, RuntimeError):
        return None


def is_right(value, expected):
    """True when `value` holds the numbers of `expected`, in the same shape, to float tolerance."""
    if value is None:
        return False
    got, want = numbers(value), numbers(expected)
    if got is None or want is None:
        return got is None and want is None and bool(value == expected)
    return got.shape == want.shape and bool(np.allclose(got, want))


def same(value, answer):
    """The default check: the same numbers, axes of length 1 ignored ([[2, 3]] is [2, 3])."""
    got, want = numbers(value), numbers(answer)
    return got is not None and want is not None and is_right(np.squeeze(got), np.squeeze(want))


def any_order(value, answer):
    """The same numbers in any order (a list of sizes, a set)."""
    if isinstance(value, (set, frozenset)):
        value = sorted(value)
    got = numbers(value)
    return got is not None and got.ndim == 1 and same(np.sort(got), np.sort(numbers(answer)))


def per_axis(n):
    """A size asked for an n-d output: the number itself or once per axis (11, or (11, 11))."""
    def accepts(value, answer):
        return same(value, answer) or same(value, [answer] * n)
    accepts.__name__ = f"per_axis({n})"
    return accepts


def flat(value, answer):
    """The same numbers in the same order, nested or flat ([[1, 2], [3, 4]] or [1, 2, 3, 4])."""
    got = numbers(value)
    return got is not None and same(got.ravel(), numbers(answer).ravel())


@dataclass(frozen=True)
class Exercise:
    """One exercise: its key, its hint, and either its worked answer or its reference function."""
    key: str                              # "03.1": chapter, dot, exercise number as printed
    hint: str                             # helps without giving the answer away
    worked: Optional[Callable] = None     # () -> Worked(answer, why)
    accepts: Callable = same              # (value, answer) -> True when value is a right answer
    reference: Optional[Callable] = None  # implement-it: the reference implementation
    cases: Optional[Callable] = None      # implement-it: rng -> argument tuples, smallest first
    solution: Optional[Callable] = None   # implement-it: one way to write it, shown by reveal

    def expected(self):
        """The answer of an @answer exercise."""
        return self.worked().answer

    def all_cases(self):
        return self.cases(np.random.default_rng(SEED))


EXERCISES = {}
TRIED = set()  # keys graded with an answer in this kernel session: reveal shows only those


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
    EXERCISES[exercise.key] = exercise
    return exercise


def answer(key, hint, accepts=same):
    """Decorator: register a function () -> Worked(answer, why) for exercise `key`."""
    def decorate(worked):
        register(Exercise(key, hint, worked=worked, accepts=accepts))
        return worked
    return decorate


def implement(key, hint, cases, solution):
    """Decorator: register the reference of implement-it exercise `key`, its cases (smallest
    first: the first failing one is what the learner debugs by hand) and a model solution."""
    def decorate(reference):
        register(Exercise(key, hint, reference=reference, cases=cases, solution=solution))
        return reference
    return decorate


def exercise(key):
    """The registered Exercise `key`, or a KeyError that lists the keys of its chapter."""
    if key not in EXERCISES:
        near = sorted(k for k in EXERCISES if k.split(".")[0] == str(key).split(".")[0])
        raise KeyError(f"no exercise {key!r}; registered for this chapter: {near}")
    return EXERCISES[key]


def stuck(key, what="the answer and how to get it"):
    return f'Stuck? reveal("{key}") shows {what}.'


def grade(key, value):
    """Print whether `value` answers exercise `key` (never the answer itself); True if right."""
    ex = exercise(key)
    if value is None:
        print(f"Not answered yet. Hint: {ex.hint}")
        return Verdict(False)
    TRIED.add(key)
    if ex.accepts(value, ex.expected()):
        print("Right!")
        return Verdict(True)
    print(f"Not yet: {value!r} is not it. Hint: {ex.hint}\n{stuck(key)}")
    return Verdict(False)


def shown(value):
    """A value as a reader would type it: numbers in (nested) lists or a tuple, whole numbers
    without '.0', other floats to 6 decimals."""
    array = numbers(value)
    if array is None or not np.isfinite(array).all():
        return repr(value)
    array = array.astype(int) if (array == array.round()).all() else array.round(6)
    plain = array.tolist()
    return repr(tuple(plain) if isinstance(value, tuple) and array.ndim == 1 else plain)


def call(function, names, args):
    listed = ", ".join(f"{name}={shown(arg)}" for name, arg in zip(names, args))
    return f"{function.__name__}({listed})"


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
    names = list(inspect.signature(ex.reference).parameters)
    cases = ex.all_cases()
    for number, args in enumerate(cases):
        expected = ex.reference(*fresh(args))
        try:
            got = function(*fresh(args))
        except Exception as error:  # the learner's code: any error is a wrong answer, shown
            TRIED.add(key)
            print(f"Not yet: {call(function, names, args)} raised {type(error).__name__}: "
                  f"{error}\nexpected: {shown(expected)}\nHint: {ex.hint}\n"
                  f"{stuck(key, 'one way to write it')}")
            return Verdict(False)
        if got is None and number == 0:  # the template as given
            print(f"Not answered yet. Hint: {ex.hint}")
            return Verdict(False)
        TRIED.add(key)
        if not ex.accepts(got, expected):
            print(f"Not yet: {call(function, names, args)}\nreturned: {shown(got)}\n"
                  f"expected: {shown(expected)}\nHint: {ex.hint}\n"
                  f"{stuck(key, 'one way to write it')}")
            return Verdict(False)
    print(f"Right! (all {len(cases)} cases agree, from the smallest to the largest)")
    return Verdict(True)


def wrapped(text, width=96):
    return "\n".join(textwrap.fill(line, width) if line else "" for line in text.split("\n"))


def revealed(key):
    """What reveal prints: the answer and its reasoning, or a solution and its first case."""
    ex = exercise(key)
    if ex.worked is not None:
        worked = ex.worked()
        return f"{key}: {shown(worked.answer)}\n{wrapped(worked.why)}"
    names = list(inspect.signature(ex.reference).parameters)
    first = ex.all_cases()[0]
    return (f"{key}, one way to write it:\n\n{inspect.getsource(ex.solution).rstrip()}\n\n"
            f"Its first case: {call(ex.solution, names, first)}\n"
            f"returns {shown(ex.solution(*fresh(first)))}")


def reveal(key):
    """After a try at exercise `key` in this kernel session, print its answer and how to get it.

    Before a try it only says so: the answer is there to check a try against, not to replace it.
    The tries are remembered for as long as the kernel runs (a restart forgets them: run the
    exercise's cell again with your answer).
    """
    ex = exercise(key)
    if key not in TRIED:
        task = "your function" if ex.worked is None else "your answer in place of None"
        print(f"Try {key} first: run its cell with {task}. After a try, right or wrong, "
              f'reveal("{key}") shows the answer and how to get it.')
        return
    print(revealed(key))


# Every other module of this package is one chapter's exercises; importing it registers them.
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

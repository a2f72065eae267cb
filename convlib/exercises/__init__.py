"""Self-checks for the exercises at the end of every chapter.

The expected answers live here, keyed by exercise ("03.1": chapter 03, exercise 1), one module per
chapter (convlib/exercises/ch03_scatter_add.py holds chapter 03's), never in the chapter's cell:
running the cell says right or gives a hint, it does not reveal the answer. Each expected answer is
computed by convlib or PyTorch when it is graded, never typed in as a literal.

    @answer("03.1", hint="...")          a function () -> the expected value
    @implement("03.5", hint="...", cases=...)  the reference of an "implement it" exercise, and
                                         cases: rng -> a list of argument tuples to try it on
    grade("03.1", value)                 prints Right!, or the hint; returns True/False
    grade_function("03.5", function)     runs the learner's function on every case
"""
import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

SEED = 12  # the cases of implement-it exercises: the same for every reader, several per exercise


@dataclass(frozen=True)
class Exercise:
    """One exercise: its key, its hint, and either its expected value or its reference function."""
    key: str                              # "03.1": chapter, dot, exercise number as printed
    hint: str                             # helps without giving the answer away
    expected: Optional[Callable] = None   # () -> the expected value
    reference: Optional[Callable] = None  # implement-it: the reference implementation
    cases: Optional[Callable] = None      # implement-it: rng -> list of argument tuples


EXERCISES = {}


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


def answer(key, hint):
    """Decorator: register a function () -> the expected value of exercise `key`."""
    def decorate(expected):
        register(Exercise(key, hint, expected=expected))
        return expected
    return decorate


def implement(key, hint, cases):
    """Decorator: register the reference implementation of exercise `key` and its cases."""
    def decorate(reference):
        register(Exercise(key, hint, reference=reference, cases=cases))
        return reference
    return decorate


def exercise(key):
    """The registered Exercise `key`, or a KeyError that lists the keys of its chapter."""
    if key not in EXERCISES:
        near = sorted(k for k in EXERCISES if k.split(".")[0] == str(key).split(".")[0])
        raise KeyError(f"no exercise {key!r}; registered for this chapter: {near}")
    return EXERCISES[key]


def is_right(value, expected):
    """True when `value` equals `expected`: numbers and arrays to float tolerance, else `==`."""
    if value is None:
        return False
    try:
        value, expected = np.asarray(value, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError, RuntimeError):
        return value == expected
    return value.shape == expected.shape and bool(np.allclose(value, expected))


def grade(key, value):
    """Print whether `value` answers exercise `key` (never the expected value); True if right."""
    ex = exercise(key)
    if value is None:
        print(f"Not answered yet. Hint: {ex.hint}")
        return Verdict(False)
    if is_right(value, ex.expected()):
        print("Right!")
        return Verdict(True)
    print(f"Not yet: {value!r} is not it. Hint: {ex.hint}")
    return Verdict(False)


def shown(value):
    """An argument as a reader would type it: arrays as nested lists."""
    return repr(value.tolist()) if hasattr(value, "tolist") else repr(value)


def call(names, args):
    return ", ".join(f"{name}={shown(arg)}" for name, arg in zip(names, args))


def fresh(args):
    """A copy of a case's arguments, so a function that changes them cannot change the next call's."""
    return [np.array(a) if isinstance(a, np.ndarray) else a for a in args]


def grade_function(key, function):
    """Run `function` on every case of exercise `key` against the reference.

    Prints Right!, or the first case it gets wrong (its arguments, not the expected output) and
    the hint; an error raised by `function` counts as wrong and is shown.
    """
    ex = exercise(key)
    names = list(inspect.signature(ex.reference).parameters)
    cases = ex.cases(np.random.default_rng(SEED))
    for number, args in enumerate(cases):
        try:
            got = function(*fresh(args))
        except Exception as error:  # the learner's code: any error is a wrong answer, shown
            print(f"Not yet: {function.__name__}({call(names, args)}) raised "
                  f"{type(error).__name__}: {error}. Hint: {ex.hint}")
            return Verdict(False)
        if got is None and number == 0:  # the template as given
            print(f"Not answered yet. Hint: {ex.hint}")
            return Verdict(False)
        if not is_right(got, ex.reference(*fresh(args))):
            print(f"Not yet: {function.__name__}({call(names, args)}) is not right "
                  f"(it returned {shown(got)}). Hint: {ex.hint}")
            return Verdict(False)
    print(f"Right! ({len(cases)} random cases agree with convlib)")
    return Verdict(True)


# Every module of this package is one chapter's exercises; importing it registers them.
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")


"""What a grader says: Right!, or Not yet with the hint; for an implement-it exercise, the first
case (smallest first) that a function gets wrong; and the answer, only after a try.

The words are the same in a kernel and on the book site; only the words for "how to answer"
differ (Words). A Session remembers which exercises were tried.
"""
import textwrap
from dataclasses import dataclass, field

from .values import as_lists, shown

ANSWER_AND_WHY = "the answer and how to get it"
ONE_WAY = "one way to write it"


@dataclass(frozen=True)
class Words:
    """What differs between the kernel and the page: how to answer, how to reveal."""
    unanswered: str          # an answer cell not filled in yet
    unwritten: str           # a function that returns None, as its template does
    reveal: str              # how to ask for the answer: 'reveal("03.1")' or 'Reveal'
    try_answer: str          # how to try an answer exercise
    try_function: str        # how to try an implement-it exercise


KERNEL = Words(
    unanswered="Not answered yet: put your answer in place of None and run the cell again.",
    unwritten="Not answered yet: write the function's body (as given it returns None) and run "
              "the cell again.",
    reveal='reveal("{key}")',
    try_answer="run its cell with your answer in place of None",
    try_function="run its cell with your function")

PAGE = Words(
    unanswered="Not answered yet: type your answer in the box, then press Check.",
    unwritten="Not answered yet: write the function's body (as given it returns None), then "
              "press Check.",
    reveal="Reveal",
    try_answer="check an answer",
    try_function="check your function")


def wrapped(text, width=96):
    return "\n".join(textwrap.fill(line, width) if line else "" for line in text.split("\n"))


def call(name, names, args):
    """'scatter_add_1d(x=[1, 2], w=[1, 1], stride=2)': a case as the learner would call it."""
    listed = ", ".join(f"{parameter}={shown(arg)}" for parameter, arg in zip(names, args))
    return f"{name}({listed})"


@dataclass
class Session:
    """The exercises tried so far (right or wrong), in a kernel session or on a page."""
    words: Words
    tried: set = field(default_factory=set)

    def stuck(self, key, what=ANSWER_AND_WHY):
        return f"Stuck? {self.words.reveal.format(key=key)} shows {what}."

    def grade(self, key, value, answer, accepts, hint):
        """(right, message) for `value` as an answer to exercise `key`; None is no answer."""
        if value is None:
            return False, self.words.unanswered
        self.tried.add(key)
        if accepts(as_lists(value), as_lists(answer)):
            return True, "Right!"
        return False, f"Not yet: {value!r} is not it. Hint: {hint}\n{self.stuck(key)}"

    def grade_function(self, key, function, names, cases, expected, accepts, hint, copy):
        """(right, message) for `function` on the cases of exercise `key`, smallest first, each
        against its expected output (an iterable: it may be computed case by case). `copy`
        copies a case's arguments, so that a function that changes them cannot change the
        next call's."""
        cases = list(cases)
        for number, (args, want) in enumerate(zip(cases, expected)):
            try:
                got = function(*copy(args))
            except Exception as error:  # the learner's code: any error is a wrong answer, shown
                self.tried.add(key)
                return False, (f"Not yet: {call(function.__name__, names, args)} raised "
                               f"{type(error).__name__}: {error}\nexpected: {shown(want)}\n"
                               f"Hint: {hint}\n{self.stuck(key, ONE_WAY)}")
            if got is None and number == 0:  # the template as given
                return False, self.words.unwritten
            self.tried.add(key)
            if not accepts(as_lists(got), as_lists(want)):
                return False, (f"Not yet: {call(function.__name__, names, args)}\n"
                               f"returned: {shown(got)}\nexpected: {shown(want)}\n"
                               f"Hint: {hint}\n{self.stuck(key, ONE_WAY)}")
        return True, f"Right! (all {len(cases)} cases agree, from the smallest to the largest)"

    def refusal(self, key, implement):
        """What reveal says before a try: the answer is there to check a try against."""
        task = self.words.try_function if implement else self.words.try_answer
        return (f"Try {key} first: {task}. After a try, right or wrong, "
                f"{self.words.reveal.format(key=key)} shows the answer and how to get it.")


def answer_revealed(key, answer, why):
    """The answer of an answer exercise and the reasoning that leads to it."""
    return f"{key}: {shown(answer)}\n{wrapped(why)}"


def solution_revealed(key, source, name, names, first, first_expected):
    """One way to write an implement-it exercise's function, and what it gives on the first case."""
    return (f"{key}, one way to write it:\n\n{source.rstrip()}\n\n"
            f"Its first case: {call(name, names, first)}\nreturns {shown(first_expected)}")

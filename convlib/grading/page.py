"""What the book site's page asks: the verdict on a typed answer or a written function, and the
answer once it was tried. The answers and cases come from a table (convlib.exercises.table,
computed with convlib and PyTorch when the book is built); this module needs neither.
"""
import copy
import json

from . import properties  # noqa: F401  (registers the property rules the table names)
from .rules import from_spec
from .verdicts import PAGE, Session, answer_revealed, solution_revealed


WRITE = "write a number, a list such as [1, 2], a tuple such as (1, 2), or True or False."


class Page:
    """The exercises of the book: each checked as the kernel checks it."""

    def __init__(self, table):
        self.table = json.loads(table) if isinstance(table, str) else table
        self.session = Session(PAGE)

    def entry(self, key):
        if key not in self.table:
            raise KeyError(f"no exercise {key!r} on this site")
        return self.table[key]

    def check(self, key, text):
        """The verdict on `text`, the answer as the reader would write it in Python ('[13, 7]',
        '(24, 6)', 'list(range(13, 16))'), evaluated by the page's Python as the kernel
        evaluates the right-hand side of `answer = ...`."""
        entry = self.entry(key)
        text = text.strip()
        if not text:
            return verdict(None, self.session.words.unanswered)
        try:
            value = eval(compile(text, "<your answer>", "eval"), {"__name__": "answer"})
        except SyntaxError:
            return verdict(None, f"Not yet: {text} is not a value Python can read: {WRITE}")
        except Exception as error:  # the reader's expression: an error is shown, not raised
            return verdict(None, f"Not yet: {text} does not run on this page "
                                 f"({type(error).__name__}: {error}): {WRITE}")
        right, message = self.session.grade(key, value, entry["answer"],
                                            from_spec(entry["accepts"]), entry["hint"])
        return verdict(right, message)

    def check_function(self, key, source):
        """The verdict on the function `source` defines, run on the exercise's cases as lists."""
        entry = self.entry(key)
        namespace = {"__name__": "answer"}
        try:
            exec(compile(source, "<your code>", "exec"), namespace)
        except Exception as error:  # the reader's code: an error is shown, not raised
            return verdict(None, f"Not yet: your code does not run: {type(error).__name__}: "
                                 f"{error}")
        function = namespace.get(entry["name"])
        if not callable(function):
            return verdict(None, f"Not yet: write a function named {entry['name']}"
                                 f"({', '.join(entry['parameters'])}).")
        right, message = self.session.grade_function(
            key, function, entry["parameters"], entry["cases"], entry["expected"],
            from_spec(entry["accepts"]), entry["hint"], copy.deepcopy)
        return verdict(right, message)

    def reveal(self, key):
        """The answer and how to get it (or one way to write the function), after a try only."""
        entry = self.entry(key)
        implement = entry["kind"] == "implement"
        if key not in self.session.tried:
            return verdict(None, self.session.refusal(key, implement))
        if not implement:
            return verdict(None, answer_revealed(key, entry["answer"], entry["why"]))
        return verdict(None, solution_revealed(key, entry["solution"], entry["name"],
                                               entry["parameters"], entry["cases"][0],
                                               entry["expected"][0]))

    def mark_tried(self, key):
        """A try kept in the browser's storage from an earlier visit counts as a try."""
        self.entry(key)
        self.session.tried.add(key)


def verdict(right, message):
    return {"right": right, "message": message}

"""Whether a value is a right answer: rules `accepts(value, answer) -> bool` over plain data.

`value` is what the learner gave and `answer` the exercise's answer, both as values.as_lists
gives them. Every rule carries `spec`, a JSON-ready list [name, *arguments], and from_spec(spec)
makes it again: that is how a table built with convlib names the rule the page runs.
"""
from .values import grid

RULES = {}   # name -> a factory: factory(*arguments) is the rule


def rule(factory):
    """Register a rule factory; the rule it makes carries .spec = [name, *arguments]. The
    arguments are plain data (numbers, text, lists), the data a property needs."""
    name = factory.__name__

    def make(*arguments):
        accepts = factory(*arguments)
        accepts.__name__ = f"{name}({', '.join(map(repr, arguments))})"
        accepts.spec = [name, *arguments]
        return accepts

    make.__name__, make.__doc__ = name, factory.__doc__
    RULES[name] = make
    return make


def simple(accepts):
    """Register a rule that takes no arguments: it is used as it is (accepts=same)."""
    accepts.spec = [accepts.__name__]
    RULES[accepts.__name__] = lambda: accepts
    return accepts


def from_spec(spec):
    """The rule a spec names: from_spec(["per_axis", 2]) is per_axis(2)."""
    return RULES[spec[0]](*spec[1:])


def close(got, want):
    """|got - want| <= 1e-8 + 1e-5 * |want| for every entry, as numpy.allclose."""
    return len(got) == len(want) and all(
        g == w or abs(g - w) <= 1e-8 + 1e-5 * abs(w) for g, w in zip(got, want))


def squeezed(shape):
    return tuple(n for n in shape if n != 1)


@simple
def is_right(value, answer):
    """The numbers of `answer` in the same shape, to float tolerance (text: the same text)."""
    got, want = grid(value), grid(answer)
    if got is None or want is None:
        return got is None and want is None and value is not None and value == answer
    return got[0] == want[0] and close(got[1], want[1])


@simple
def same(value, answer):
    """The same numbers, axes of length 1 ignored ([[2, 3]] is [2, 3]); a bool is no number."""
    got, want = grid(value), grid(answer)
    return (got is not None and want is not None and squeezed(got[0]) == squeezed(want[0])
            and close(got[1], want[1]))


@simple
def any_order(value, answer):
    """The same numbers in any order (a list of sizes, a set)."""
    got, want = grid(value), grid(answer)
    return (got is not None and want is not None and len(got[0]) == 1
            and close(sorted(got[1]), sorted(want[1])))


@simple
def flat(value, answer):
    """The same numbers in the same order, nested or flat ([[1, 2], [3, 4]] or [1, 2, 3, 4])."""
    got, want = grid(value), grid(answer)
    return got is not None and want is not None and close(got[1], want[1])


@simple
def yes_no(value, answer):
    """A yes or a no: True or False (or the words 'yes' and 'no'); 1 and 0 are numbers."""
    words = {"yes": True, "no": False}
    if isinstance(value, str):
        value = words.get(value.strip().lower())
    return isinstance(value, bool) and value == answer


@rule
def per_axis(n):
    """A size asked for an n-d output: the number itself or once per axis (11, or (11, 11))."""
    def accepts(value, answer):
        return same(value, answer) or same(value, [answer] * n)
    return accepts

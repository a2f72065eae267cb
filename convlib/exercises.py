"""Self-checks for the exercises at the end of every chapter.

The expected answer is always computed by convlib (or PyTorch) in the chapter, never typed in as a
literal, so an exercise cannot drift from the library it is about.
"""
import numpy as np


def is_right(answer, expected):
    """True when `answer` equals `expected`: numbers and arrays to float tolerance, else `==`."""
    if answer is None:
        return False
    try:
        answer, expected = np.asarray(answer, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return answer == expected
    return answer.shape == expected.shape and bool(np.allclose(answer, expected))


def check(answer, expected, hint):
    """Print whether the learner's answer is right; if not, print the hint (never the answer)."""
    if answer is None:
        print(f"Not answered yet. Hint: {hint}")
    elif is_right(answer, expected):
        print("Right!")
    else:
        print(f"Not yet: {answer!r} is not it. Hint: {hint}")

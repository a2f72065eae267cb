import numpy as np

from convlib.exercises import check, is_right


def test_numbers_arrays_and_shapes_compare_by_value():
    assert is_right(12, 12.0)
    assert is_right([[6, 14], [2, 17]], np.array([[6.0, 14.0], [2.0, 17.0]]))
    assert is_right((6, 6), (6, 6))
    assert not is_right((6, 6), (6, 7))
    assert not is_right([1, 2], [1, 2, 3])
    assert not is_right(None, 0)
    assert is_right("flip", "flip") and not is_right("crop", "flip")


def test_check_says_right_or_gives_the_hint_not_the_answer(capsys):
    check(12, 12, hint="add the two taps")
    check(None, 12, hint="add the two taps")
    check(11, 12, hint="add the two taps")
    right, unanswered, wrong = capsys.readouterr().out.splitlines()
    assert right == "Right!"
    assert unanswered == "Not answered yet. Hint: add the two taps"
    assert wrong.startswith("Not yet: 11 is not it.") and "12" not in wrong

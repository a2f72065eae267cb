"""Rules that grade by a property, where more than one answer is right: plain Python over lists.

Each is a factory registered with rules.rule; its arguments are the data the property needs,
computed by convlib or PyTorch in the exercise's chapter module and passed in as lists.
"""
from itertools import product

from .rules import any_order, close, rule
from .values import grid


@rule
def sizes_per_side(sides):
    """The sizes a `sides`-d output may have along each side, every side alike, written any of
    three ways: the sizes once ([38, 39], any order), once per side ([[38, 39], [38, 39]]), or
    every output shape they make (the pairs (38, 38), (38, 39), (39, 38), (39, 39), any order)."""
    def accepts(value, answer):
        if any_order(value, answer):
            return True
        found, sizes = grid(value), grid(answer)
        if found is None or sizes is None or len(found[0]) != 2:
            return False
        (count, width), entries = found
        rows = [entries[i * width:(i + 1) * width] for i in range(count)]
        if count in (1, sides) and all(any_order(row, answer) for row in rows):
            return True
        shapes = sorted(product(sorted(sizes[1]), repeat=sides))
        return (width == sides and count == len(shapes)
                and close([x for row in sorted(rows) for x in row],
                          [x for shape in shapes for x in shape]))
    return accepts

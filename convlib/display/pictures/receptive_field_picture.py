"""The receptive-field picture (chapter 14): a small chain, 10 inputs, a convolution
(kernel_size=3, stride=2, padding=1) down to 5 and the explorer's transposed layer back up; each
entry shows where it sits in the input (the chain's coordinate map), and the entries one output
sees are boxed."""
from fractions import Fraction

import numpy as np

from ...receptive_field import chain, conv, conv_transpose, crop_offset, written
from ..scene import Mark, Scene, grid
from ..words import listing

INPUTS, DOWN = 10, conv(3, 2, 1)   # the fixed start of the chain: 10 inputs, down to 5


def transposed_layer(setup):
    """The Setup's 1-D transposed convolution as a receptive_field layer."""
    k, s, p, op, d = (v[0] for v in (setup.kernel_size, setup.stride, setup.padding,
                                     setup.output_padding, setup.dilation))
    return conv_transpose(k, s, p, op, d)


def positions(c, size):
    """Where each of `size` entries of chain c sits in the input: a*u + b, exact."""
    a, b = c.coordinate_map
    return [a * u + b for u in range(size)], (a, b)


def alignment(whole, a, b):
    """What the chain's map, u -> a*u + b, means for joining its output with the input."""
    if a != 1:
        return (f"Its outputs sit {a} input entries apart, so they cannot line up with the "
                f"input entry for entry.")
    if b == 0:
        return "Every output sits on its own input: the transposed layer mirrors the convolution."
    try:
        offset = crop_offset(whole, chain())
    except ValueError:
        return f"Every output sits {abs(b)} of an entry off its input: no crop aligns them."
    cropped = "output" if offset > 0 else "input"
    entries = "entry" if abs(b) == 1 else "entries"
    return (f"Every output sits {abs(b)} {entries} off its input: crop the {cropped} from "
            f"{abs(offset)}.")


def receptive_field_scene(x, w, setup, element=0):
    """x (1, 6): the convolution's outputs, w (1, 1, k): the transposed layer's kernel; the
    output `element` of the chain and the entries that reach it."""
    up = transposed_layer(setup)
    down, whole = chain(DOWN), chain(DOWN, up)
    size = whole.sizes(INPUTS)[-1]
    element = min(max(element, 0), size - 1)
    seen = whole.reaching(element, INPUTS)
    middle = chain(up).reaching(element, x.shape[-1])
    (downs, _), (ups, (a, b)) = positions(down, x.shape[-1]), positions(whole, size)
    rows = (("input", "input", [Fraction(u) for u in range(INPUTS)], seen),
            ("down", "kernel", downs, middle), ("up", "output", ups, [element]))
    titles = {"input": f"input: {INPUTS} entries", "down": "Conv1d(kernel_size=3, stride=2, "
              "padding=1): where each sits", "up": "ConvTranspose1d: where each output sits"}
    panels = []
    for name, role, where, boxed in rows:
        texts = np.array([[str(v) for v in where]], dtype=object)
        boxes = tuple((0, j, 1, j + 1) for j in boxed)
        panels.append((grid(name, [float(v) for v in where], role, titles[name], 3.0,
                            texts=texts, marks=(Mark("highlight", boxes),)),))
    k, s, p = up.kernel_size, up.stride, up.padding
    where, value = written(a, b, element), a * element + b
    said = (f"Output {element} sits at input {where}"
            + (f" = {value}." if where != str(value) else "."),
            f"It sees {len(middle)} of the convolution's {x.shape[-1]} outputs "
            f"({listing(middle) if middle else 'none'}) and {len(seen)} of the {INPUTS} inputs"
            f" ({listing(seen) if seen else 'none'}).",
            alignment(whole, a, b),
            f"The transposed layer alone: a = 1/{s}, b = ({p} - {Fraction(k - 1, 2)})/{s} = "
            f"{up.shift}, span (kernel_size - 1)/stride = {up.span}.")
    return Scene(f"What output {element} sees: kernel_size={k}, stride={s}, padding={p}, "
                 f"output_padding={up.output_padding}", said, tuple(panels),
                 roles=("input", "kernel", "output", "highlight"), caption=(0, 1, 2),
                 size=(8.4, 3.6), facts=dict(map=(a, b), inputs=seen, middle=middle,
                                             size=size, element=element,
                                             output=np.array(ups, dtype=float)))

"""Agreement with PyTorch: do the four methods give PyTorch's answer? One call, one line.

Used by the chapters' assert cells and by every explorer's agreement status. (Not to be
confused with shapes.validate, which checks arguments, or with the exercises' self-checks.)
"""
import math
from dataclasses import dataclass

import numpy as np

from . import arrays, shapes
from .direct import transpose_by_convolution
from .matrix import multiply
from .phases import by_phases
from .scatter import scatter_add

METHODS = {"matrix": multiply, "scatter-add": scatter_add, "direct": transpose_by_convolution,
           "phases": by_phases}


@dataclass(frozen=True)
class Comparison:
    results: dict          # name -> NumPy result, PyTorch's first
    differences: dict      # method name -> max |method - PyTorch|
    tolerance: float
    exact: bool = False    # every order of adding gives the same result (see `exact`)

    @property
    def agree(self):
        return all(d <= self.tolerance for d in self.differences.values())

    @property
    def summary(self):
        """'PyTorch = matrix = scatter-add = direct = phases (max |difference| 0)', or who
        disagrees.

        Where the arithmetic is not exact, the difference is rounding, and its size (0 included)
        depends on the order in which the CPU adds: the line gives the power of ten above the
        tolerance instead, the same on every machine ('max |difference| below 1e-12').
        """
        worst = max(self.differences.values())
        if self.agree:
            size = ("0" if worst == 0 and self.exact
                    else f"below 1e{math.ceil(math.log10(self.tolerance))}")
            return " = ".join(self.results) + f" (max |difference| {size})"
        wrong = [n for n, d in self.differences.items() if d > self.tolerance]
        return (f"PyTorch != {', '.join(wrong)} (max |difference| {worst:.2g}, "
                f"tolerance {self.tolerance:.2g})")

    def __str__(self):
        return self.summary


def fraction_bits(a, most=64):
    """The fewest binary digits after the point that every entry of `a` needs (most + 1: more)."""
    a = np.asarray(a, dtype=float)   # float64 holds every float32 and float16 exactly
    return next((f for f in range(most + 1) if np.all(np.mod(np.ldexp(a, f), 1) == 0)), most + 1)


def exact(x, w, b, terms, dtype):
    """Whether a transposed convolution of these arrays comes out the same in any order of
    additions: every product is a whole number of units 2^-(fx + fw) (f: fraction_bits), the bias
    one of 2^-fb, and the largest possible sum, max|x| max|w| terms + max|b|, counted in the
    finer of the two units, fits in `dtype`'s significand."""
    bias = () if b is None else (b,)
    unit = max([fraction_bits(x) + fraction_bits(w), *map(fraction_bits, bias)])
    largest = (float(np.abs(x).max(initial=0)) * float(np.abs(w).max(initial=0)) * terms
               + sum(float(np.abs(a).max(initial=0)) for a in bias))
    return math.ldexp(largest, unit) < 2.0 ** (np.finfo(dtype).nmant + 1)


def compare(input, weight, bias=None, methods=tuple(METHODS), setup=None, **params):
    """Run PyTorch's conv_transpose{1,2,3}d and the four methods on the same arguments.

    The call is validated once (shapes.validate), or not at all when `setup` is the Setup these
    arrays were already validated into (the explorers' agreement line); the methods then run on
    that Setup. Agreement means every max |difference| is within a few rounding errors of the
    result's size: 8 * eps * (terms per output) * (largest value + 1), with the eps of the
    coarsest precision involved. PyTorch gets at least float32 (it computes half precision in
    float32 anyway); the methods compute in the inputs' own dtype, so float16 inputs are
    compared at float16's eps. `methods`: which of METHODS to run (all four unless told).
    """
    import torch
    import torch.nn.functional as F

    x, w = arrays.as_numpy(input)[0], arrays.as_numpy(weight)[0]
    b = None if bias is None else arrays.as_numpy(bias)[0]
    if setup is None:
        setup = shapes.validate(x.shape, w.shape, None if b is None else b.shape, **params)
    given = [a for a in (x, w, b) if a is not None]
    dtype = np.result_type(*given, np.float32)
    tensors = [None if a is None else torch.from_numpy(np.ascontiguousarray(a, dtype=dtype))
               for a in (x, w, b)]
    torch_conv = getattr(F, f"conv_transpose{setup.dims}d")
    results = {"PyTorch": torch_conv(*tensors, setup.stride, setup.padding, setup.output_padding,
                                     setup.groups, setup.dilation).numpy()}
    results.update({name: np.asarray(arrays.run(METHODS[name], x, w, setup, b))
                    for name in methods})
    differences = {name: float(np.max(np.abs(r - results["PyTorch"]), initial=0))
                   for name, r in results.items() if name != "PyTorch"}
    computed = np.result_type(*given)
    coarsest = max([dtype, computed] if np.issubdtype(computed, np.inexact) else [dtype],
                   key=lambda t: np.finfo(t).eps)
    terms = w.size // w.shape[1] // setup.groups  # products per output, at most
    scale = float(np.max(np.abs(results["PyTorch"]), initial=0)) + 1
    return Comparison(results, differences, float(8 * np.finfo(coarsest).eps * terms * scale),
                      exact(x, w, b, terms, coarsest))

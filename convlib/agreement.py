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

    @property
    def agree(self):
        return all(d <= self.tolerance for d in self.differences.values())

    @property
    def summary(self):
        """'PyTorch = matrix = scatter-add = direct = phases (max |difference| 0)', or who disagrees.

        A difference that is not 0 is rounding, and its size depends on the order in which the
        CPU adds: the line gives the power of ten above the tolerance instead, the same on every
        machine ('max |difference| below 1e-12').
        """
        worst = max(self.differences.values())
        if self.agree:
            size = "0" if worst == 0 else f"below 1e{math.ceil(math.log10(self.tolerance))}"
            return " = ".join(self.results) + f" (max |difference| {size})"
        wrong = [n for n, d in self.differences.items() if d > self.tolerance]
        return (f"PyTorch != {', '.join(wrong)} (max |difference| {worst:.2g}, "
                f"tolerance {self.tolerance:.2g})")

    def __str__(self):
        return self.summary


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
    eps = max(np.finfo(dtype).eps,
              np.finfo(computed).eps if np.issubdtype(computed, np.inexact) else 0)
    terms = w.size // w.shape[1] // setup.groups  # products per output, at most
    scale = float(np.max(np.abs(results["PyTorch"]), initial=0)) + 1
    return Comparison(results, differences, float(8 * eps * terms * scale))

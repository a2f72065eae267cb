"""Do the three methods agree with PyTorch? One call, one line of answer.

Used by the chapters' assert cells and by every explorer's agreement status.
"""
from dataclasses import dataclass

import numpy as np

from . import arrays
from .direct import conv_transpose_direct
from .matrix import conv_transpose_matrix
from .scatter import conv_transpose_scatter

METHODS = {"matrix": conv_transpose_matrix, "scatter-add": conv_transpose_scatter,
           "direct": conv_transpose_direct}


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
        """'PyTorch = matrix = scatter-add = direct (max |difference| 0)', or who disagrees."""
        worst = max(self.differences.values())
        if self.agree:
            return " = ".join(self.results) + f" (max |difference| {worst:.2g})"
        wrong = [n for n, d in self.differences.items() if d > self.tolerance]
        return (f"PyTorch != {', '.join(wrong)} (max |difference| {worst:.2g}, "
                f"tolerance {self.tolerance:.2g})")

    def __str__(self):
        return self.summary


def compare(input, weight, bias=None, **params):
    """Run PyTorch's conv_transpose{1,2,3}d and the three methods on the same arguments.

    Agreement means every max |difference| is within a few rounding errors of the result's
    size (eps of the dtype, times the number of terms per output, times the largest value).
    """
    import torch
    import torch.nn.functional as F

    x, w = arrays.as_numpy(input)[0], arrays.as_numpy(weight)[0]
    b = None if bias is None else arrays.as_numpy(bias)[0]
    dtype = np.result_type(x, w, *([] if b is None else [b]), np.float32)
    tensors = [None if a is None else torch.from_numpy(np.ascontiguousarray(a, dtype=dtype))
               for a in (x, w, b)]
    methods = {name: np.asarray(method(x, w, b, **params)) for name, method in METHODS.items()}
    torch_conv = getattr(F, f"conv_transpose{w.ndim - 2}d")  # convlib has validated by now
    results = {"PyTorch": torch_conv(*tensors, **params).numpy(), **methods}
    differences = {name: float(np.max(np.abs(r - results["PyTorch"]), initial=0))
                   for name, r in results.items() if name != "PyTorch"}
    terms = w.size // w.shape[1]  # products per output, at most
    scale = float(np.max(np.abs(results["PyTorch"]), initial=0)) + 1
    return Comparison(results, differences, 8 * np.finfo(dtype).eps * terms * scale)

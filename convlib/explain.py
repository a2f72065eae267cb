"""Which inputs and kernel taps add up to one output element of a transposed convolution.

Explained in chapter 03 (notebooks/03_scatter_add.ipynb):

    out[n, c, o] = bias[c] + sum over c' in c's group and (i, k) with o = s*i + d*k - p
                   of x[n, c', i] * w[c', c, k]

so for each tap k the input is i = (o + p - d*k) / s, when that is a whole number inside the input.
"""
from dataclasses import dataclass

import numpy as np

from . import arrays, shapes


@dataclass(frozen=True)
class Term:
    input_index: tuple     # full index into the input as given
    weight_index: tuple    # (c_in, c_out within the group, *k)
    input_value: float
    weight_value: float
    product: float


def number(v):
    """A value as a short string; negative values in parentheses so products read well."""
    text = f"{v:g}"
    return f"({text})" if v < 0 else text


@dataclass(frozen=True)
class Explanation:
    index: tuple           # full index into the output (batched like the input)
    value: float           # sum of the products, plus the bias
    terms: list
    bias: float | None

    @property
    def equation(self):
        """E.g. '12 = 1*5 + 1*7'."""
        parts = [f"{number(t.input_value)}*{number(t.weight_value)}" for t in self.terms]
        parts += [] if self.bias is None else [f"{number(self.bias)} (bias)"]
        return f"{self.value:g} = " + (" + ".join(parts) if parts else "0 (no input reaches it)")

    def __str__(self):
        lines = [f"out{list(self.index)} = {self.equation}"]
        for t in self.terms:
            lines.append(f"  input{list(t.input_index)} * weight{list(t.weight_index)} = "
                         f"{number(t.input_value)} * {number(t.weight_value)} = {t.product:g}")
        if self.bias is not None:
            lines.append(f"  + bias = {number(self.bias)}")
        return "\n".join(lines)


def explain(input, weight, index, bias=None, stride=1, padding=0, output_padding=0, groups=1,
            dilation=1):
    """The terms x[i] * w[k] that make up out[index]; index is spatial only (for a single batch
    element and output channel), (c_out, *o), or (n, c_out, *o) for a batched input."""
    x, w, setup, _ = arrays.prepare(input, weight, bias, stride, padding, output_padding, groups,
                                    dilation)
    return explanation(x, w, index, setup, None if bias is None else arrays.as_numpy(bias)[0])


def explanation(x, w, index, setup, bias=None):
    """explain() for a validated Setup: x (N, C_in, *i) as arrays.arrange gives it, bias an
    array or None; index as explain takes it."""
    n, c, o = full_index(index, setup)
    c_in, c_out = setup.in_channels // setup.groups, setup.out_channels // setup.groups
    batch = (n,) if setup.batched else ()
    terms = []
    for ci in range(c // c_out * c_in, (c // c_out + 1) * c_in):  # the inputs of c's group
        for k in np.ndindex(*setup.kernel_size):
            i = input_position(o, k, setup)
            if i is not None:
                xv, wv = x[(n, ci, *i)].item(), w[(ci, c % c_out, *k)].item()
                terms.append(Term(batch + (ci, *i), (ci, c % c_out, *k), xv, wv, xv * wv))
    b = None if bias is None else bias[c].item()
    value = sum(t.product for t in terms) + (b or 0)
    return Explanation(batch + (c, *o), value, terms, b)


def input_position(o, k, setup):
    """The i with o = s*i + d*k - p, or None when tap k of no input element lands on o."""
    position = []
    for oj, kj, s, p, d, size in zip(o, k, setup.stride, setup.padding, setup.dilation,
                                     setup.input_size):
        i, off_grid = divmod(oj + p - d * kj, s)
        if off_grid or not 0 <= i < size:
            return None
        position.append(i)
    return tuple(position)


def full_index(index, setup):
    """(n, c_out, o) from a spatial, (c_out, *o) or (n, c_out, *o) index inside the output."""
    index = tuple(index) if isinstance(index, (tuple, list)) else (index,)
    if not all(shapes.is_int(i) for i in index):
        raise TypeError(f"index must be a tuple of ints, got index={index!r}")
    extra = len(index) - setup.dims
    if extra not in (0, 1, 1 + setup.batched):
        raise ValueError(f"index={index!r} must have {setup.dims} (spatial), {setup.dims + 1} "
                         f"(c_out, *spatial) or, for a batched input, {setup.dims + 2} entries")
    if (extra == 0 and setup.batch * setup.out_channels > 1) or (extra == 1 and setup.batch > 1):
        raise ValueError(f"index={index!r} leaves the batch element or output channel open, but "
                         f"the output has shape {setup.output_shape}: give (c_out, *position)"
                         + (" or (n, c_out, *position)" if setup.batched else ""))
    full = (0,) * (2 - extra) + tuple(int(i) for i in index)
    bounds = (setup.batch, setup.out_channels) + setup.output_size
    if not all(0 <= i < b for i, b in zip(full, bounds)):
        raise ValueError(f"index={index!r} is outside the output of shape {setup.output_shape}")
    return full[0], full[1], full[2:]

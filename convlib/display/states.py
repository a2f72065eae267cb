"""Every state of an explorer, listed once: each combination of its controls' values that it can
show, with its View (picture, readout, agreement line, each control's range).

The free controls (those with no bound) take every value of their range; then each bounded
control, in the order of the Spec's bounds and then its data bounds, every value its bound
allows in that setting. So a state is exactly what the explorer's settling
(convlib.display.settling) leaves unchanged, and walking the bounds in the same order gives,
for any values, the state the kernel's explorer would show: the book site's explorers
(book/explorer_tables.py) do that with `bounds`, and the sweep tests check every state.

    listing = enumerate_states(scatter_explorer())
    len(listing.values), listing.views()[0].sentences
"""
import itertools
from dataclasses import dataclass

from .spec import Choice


@dataclass(frozen=True)
class States:
    """An explorer's states: `values` (dicts, in walking order), and `bounds`: for each bounded
    control, in order, (name, {values of the controls before it: its bound}), with the values
    as a tuple in `order`. A setting whose bound is invalid is a state of its own, with no
    entry in `bounds`."""
    explorer: object
    order: tuple          # the free controls, then the bounded ones in the order of the bounds
    values: tuple
    bounds: tuple

    def views(self):
        """The View of every state, in the order of `values`."""
        return [self.explorer.view_of(values) for values in self.values]

    def __len__(self):
        return len(self.values)


def choices(explorer, name):
    """The values a free control takes: a slider's range, a choice's options."""
    kind = explorer.spec.controls[name]
    if isinstance(kind, Choice):
        return list(kind.options) or [explorer.values[name]]
    low, high, _ = explorer.ranges[name]
    return range(low, high + 1)


def enumerate_states(explorer):
    """Every state of `explorer`, and the bounds that lead to them (see States). The data bounds
    follow the bounds, with the values validated once between them (Settling.settle)."""
    spec = explorer.spec
    levels = list(spec.bounds) + list(spec.data_bounds)
    bounded = [name for name, _ in levels]
    free = [name for name in spec.controls if name not in bounded]
    found, listed = {name: {} for name in bounded}, []

    def walk(values, level, prepared):
        if level == len(levels):
            listed.append(dict(values))
            return
        name, bound = levels[level]
        try:
            if level == len(spec.bounds):
                prepared = spec.prepare(values)
            top = explorer.settling.bounded(
                name, bound(values, *prepared) if level >= len(spec.bounds) else bound(values))
        except (ValueError, TypeError):   # invalid: the view says why, whatever the rest
            listed.append(explorer.settling.settle(values)[0])
            return
        found[name][tuple(values[n] for n in free + bounded[:level])] = top
        for value in top if isinstance(top, list) else range(top[0], top[1] + 1):
            values[name] = value
            walk(values, level + 1, prepared)

    start = explorer.values
    for combination in itertools.product(*(choices(explorer, n) for n in free)):
        walk({**start, **dict(zip(free, combination))}, 0, None)
    return States(explorer, tuple(free + bounded), tuple(listed),
                  tuple((name, found[name]) for name in bounded))

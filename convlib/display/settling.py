"""The settling rules of an explorer: where a setting's values land, clamped to the sliders'
ranges and to the bounds the Spec's formulas give them, in the Spec's order.

Written once, here. The kernel's Explorer (convlib.display.widget) settles every change by them,
convlib.display.states walks them to list every state, and the book site's script follows the
bounds those states record (book/explorer_tables.py): a setting settles to the same state in the
kernel and on the site.
"""
from dataclasses import dataclass

from .spec import Choice, Slider


def default_range(kind, value):
    """A slider's (low, high, open-ended): its own range, moved (not widened) to a value given
    outside it, so a chapter can start far off it and keep a range of the same size; an
    open-ended slider (high None) has its bound for high, and value + 1 until then."""
    low, high = kind.low, kind.high if kind.high is not None else max(kind.low, value) + 1
    if kind.high is not None and not low <= value <= high:
        shift = value - high if value > high else value - low
        low, high = low + shift, high + shift
    return min(low, value), high, kind.high is None


@dataclass(frozen=True)
class Settling:
    """The settling rules of one explorer: its Spec, and each slider's (low, high, open-ended)
    range (default_range of the value it started at)."""
    spec: object
    ranges: dict

    def bounded(self, name, top):
        """The options (a choice's) or the (lowest, largest) values (a slider's) `name` may
        take in a setting whose bound for it is `top` (options, a largest value, or a range):
        a slider stays within its own range."""
        if isinstance(self.spec.controls[name], Choice):
            return list(top)
        low, high, open_ended = self.ranges[name]
        if isinstance(top, range):
            low, top = max(low, top.start), top.stop - 1
        return low, max(low, top if open_ended else min(high, top))

    def clamp(self, values, name, top):
        """values[name] within its bound `top`; the bound as bounded() gives it."""
        top = self.bounded(name, top)
        if isinstance(top, list):
            values[name] = values[name] if values[name] in top else top[-1]
        else:
            values[name] = min(max(values[name], top[0]), top[1])
        return top

    def settle(self, values):
        """`values` clamped to the sliders' ranges and to the bounds, in order; validated once by
        the spec's prepare between the bounds and the data bounds. Returns (values, name ->
        bound, (x, w, setup) or the error that says why these values are invalid)."""
        values = dict(values)
        for name, (low, high, open_ended) in self.ranges.items():
            values[name] = max(values[name], low) if open_ended else min(max(values[name], low),
                                                                        high)
        found = {}
        try:
            for name, bound in self.spec.bounds:
                found[name] = self.clamp(values, name, bound(values))
            prepared = self.spec.prepare(values)
            for name, bound in self.spec.data_bounds:
                found[name] = self.clamp(values, name, bound(values, *prepared))
        except (ValueError, TypeError) as error:   # invalid: the message will say why
            prepared = error
        return values, found, prepared

    def limits(self, values, found):
        """Each control's range in this setting: (low, high) or the options."""
        ranges = {}
        for name, kind in self.spec.controls.items():
            if isinstance(kind, Slider):
                low, high, open_ended = self.ranges[name]
                ranges[name] = found.get(name, (low, max(values[name], low) if open_ended
                                                else high))
            else:
                ranges[name] = tuple(found.get(name, kind.options or (values[name],)))
        return ranges

"""What an explorer is declared by, as plain data: its controls (Slider, Choice) and a Spec
saying what they compute and what is drawn (convlib.display.widget runs it as ipywidgets).
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Slider:
    """An integer slider from `low` to `high` (None: as far as its bound allows)."""
    low: int
    high: int | None
    default: int


@dataclass(frozen=True)
class Choice:
    """Buttons ("toggle") or a drop-down list ("dropdown") of options."""
    options: tuple
    default: object
    kind: str = "toggle"


@dataclass(frozen=True)
class Spec:
    """What an explorer shows and how its controls hang together.

    controls: name -> Slider or Choice, in the order shown (PyTorch's parameter names).
    prepare: values -> (x, w, setup): convlib's arrays (C_in, *i) and (C_in, C_out/groups, *k)
        and their validated Setup; raises ValueError for an invalid combination.
    scene: (x, w, setup, **picks) -> Scene.
    picks: the controls passed on to `scene` (step, element, pick, ...).
    bounds: (name, values -> largest value, range of values, or options), in the order they
        depend on each other; each slider is clamped before the next bound is computed, and all
        before `prepare`.
    data_bounds: (name, (values, x, w, setup) -> largest value), the sliders that follow the
        data (step, element), clamped after `prepare`.
    play: the slider a Play button moves through its range, if any.
    """
    name: str
    controls: dict
    prepare: object
    scene: object
    picks: tuple = ()
    bounds: tuple = ()
    data_bounds: tuple = ()
    play: str | None = None
    title: str = field(default="")

    def __post_init__(self):
        if not self.title:
            object.__setattr__(self, "title", self.name.capitalize() + "Explorer")

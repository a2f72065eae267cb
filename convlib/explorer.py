"""One Explorer for every picture: sliders named like PyTorch's parameters over a scene.

An explorer is declared by a Spec: its controls, a function from their values to validated
arrays and a Setup, the scene function, and the formulas that bound the sliders. Every change
computes the new values (the bounds clamp them in the order given), the scene of those values,
and paints it in place: the picture (PNG), its sentences as the readout (what a screen reader
says), and one line saying whether PyTorch and the four methods agree. An invalid setting
shows convlib's own message instead of the picture.
"""
import base64
import html
from dataclasses import dataclass, field

import ipywidgets as widgets

from . import shapes
from .agreement import compare
from .painter import Painter
from .palette import COLORS

WIDE = widgets.Layout(width="250px")
STYLE = {"description_width": "initial"}


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
    bounds: (name, values -> largest value or options), in the order they depend on each other;
        each slider is clamped before the next bound is computed.
    play: the slider a Play button moves through its range, if any.
    """
    name: str
    controls: dict
    prepare: object
    scene: object
    picks: tuple = ()
    bounds: tuple = ()
    play: str | None = None
    title: str = field(default="")

    def __post_init__(self):
        if not self.title:
            object.__setattr__(self, "title", self.name.capitalize() + "Explorer")


def readout(sentences):
    """The scene's sentences as HTML, one a line; screen readers announce each change."""
    lines = "".join(f"<div>{html.escape(sentence)}</div>" for sentence in sentences)
    return f'<div role="status" aria-live="polite" style="line-height: 1.5">{lines}</div>'


def control(name, kind, value, low=None, high=None):
    if isinstance(kind, Slider):
        return widgets.IntSlider(value=value, min=low, max=high, description=name, style=STYLE,
                                 layout=WIDE, continuous_update=True)
    if kind.kind == "toggle":
        return widgets.ToggleButtons(options=list(kind.options), value=value, description=name,
                                     style={"button_width": "70px"})
    return widgets.Dropdown(options=[value], value=value, description=name, layout=WIDE)


class Explorer(widgets.VBox):
    """Controls over a scene, its readout, the agreement line, and convlib's message if invalid.

    .controls: name -> widget; .values: their values; .scene: what is shown; .image: the PNG;
    .readout, .status, .message: HTML widgets. set(...) changes several controls, redraws once.
    """

    def __init__(self, spec, **given):
        self.spec, self.painter, self.scene = spec, Painter(), None
        unknown = set(given) - set(spec.controls)
        if unknown:
            raise TypeError(f"unknown parameter(s) {', '.join(sorted(unknown))}; this explorer "
                            f"takes {', '.join(spec.controls)}")
        values, self.ranges, self.controls = {}, {}, {}
        for name, kind in spec.controls.items():
            values[name] = value = given.get(name, kind.default)
            if isinstance(kind, Slider):
                if not shapes.is_int(value):
                    raise TypeError(f"{name} must be an integer (the explorers draw one spatial "
                                    f"size), got {name}={value!r}")
                top = kind.high if kind.high is not None else max(kind.low, value) + 1
                self.ranges[name] = (min(kind.low, value), max(top, value), kind.high is None)
                self.controls[name] = control(name, kind, value, *self.ranges[name][:2])
            else:
                self.controls[name] = control(name, kind, value)
            self.controls[name].observe(self.changed, names="value")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.status, self.readout = widgets.HTML(), widgets.HTML()
        self.message = widgets.HTML(layout=widgets.Layout(display="none"))
        self.readout.add_class("convlib-readout")
        self.busy, self.agreement = False, (None, "")
        row = list(self.controls.values())
        if spec.play:
            row.append(self.player(spec.play))
        super().__init__([widgets.HBox(row, layout=widgets.Layout(flex_flow="row wrap")),
                          self.image, self.message, self.readout, self.status])
        self.add_class("convlib-explorer")
        self.set(**values)
        self.reject_missing({n: given[n] for n in given if self.ranges.get(n, (0, 0, False))[2]})

    @property
    def values(self):
        return {name: c.value for name, c in self.controls.items()}

    def changed(self, change):
        if not self.busy:  # set() redraws once after all its changes
            self.set()

    def settle(self, values):
        """`values` with each bounded control clamped to its bound, in order; name -> bound."""
        found = {}
        for name, bound in self.spec.bounds:
            try:
                top = bound(values)
            except (ValueError, TypeError):  # invalid: the message will say why
                break
            if isinstance(self.spec.controls[name], Choice):
                values[name] = values[name] if values[name] in top else top[-1]
            else:
                low, high, open_ended = self.ranges[name]
                top = max(low, top if open_ended else min(high, top))
                values[name] = min(max(values[name], low), top)
            found[name] = top
        for name, (low, high, open_ended) in self.ranges.items():
            top = found.get(name, max(values[name], low) if open_ended else high)
            values[name] = min(max(values[name], low), top)
        return values, found

    def set(self, **values):
        """Set controls (a value out of range is clamped), let the bounds follow, redraw once."""
        values, bounds = self.settle({**self.values, **values})
        self.busy = True
        try:
            for name, c in self.controls.items():
                if isinstance(c, widgets.Dropdown):   # unbounded (invalid setting): as asked
                    options = bounds.get(name, sorted({*c.options, values[name]}))
                    if list(c.options) != list(options):
                        c.options = options
                    c.value = values[name]
                elif isinstance(c, widgets.IntSlider):
                    top = bounds.get(name, c.max)
                    c.max = max(top, values[name])
                    c.value = values[name]
                    c.max = top
                else:
                    c.value = values[name]
        finally:
            self.busy = False
        self.update()
        return self

    def reject_missing(self, asked):
        """A step or element asked for must exist: no slider can go there, so say so at once."""
        try:
            self.spec.prepare(self.values)
        except (ValueError, TypeError):  # the message says why already
            return
        for name, value in asked.items():
            top = self.controls[name].max
            if not 0 <= value <= top:
                raise ValueError(f"{name}={value} is out of range: with these settings {name} "
                                 f"goes from 0 to {top}")

    def update(self):
        """Paint the scene of the current values, or show convlib's message instead."""
        values = self.values
        try:
            x, w, setup = self.spec.prepare(values)
            scene = self.spec.scene(x, w, setup, **{n: values[n] for n in self.spec.picks})
            picture = self.painter.paint(scene).png()
        except (ValueError, TypeError) as error:
            self.message.value = f"<b>Not a valid setting:</b> {html.escape(str(error))}"
            self.message.layout.display, self.image.layout.display = None, "none"
            self.status.value = self.readout.value = ""
            return
        self.scene, self.image.value = scene, picture
        self.message.layout.display, self.image.layout.display = "none", None
        self.message.value = ""
        self.readout.value = readout(scene.sentences)
        self.status.value = self.agree(x, w, setup)

    def agree(self, x, w, setup):
        """One line: PyTorch and the four methods on the scene's own arrays (cached)."""
        params = dict(stride=setup.stride, padding=setup.padding, groups=setup.groups,
                      output_padding=setup.output_padding, dilation=setup.dilation)
        key = (x.shape, x.tobytes(), w.shape, w.tobytes(), tuple(params.items()))
        if key != self.agreement[0]:
            try:
                result = compare(x, w, **params)
            except ImportError:  # convlib runs without torch; the comparison cannot
                return "PyTorch is not installed: nothing to compare with"
            mark = (f"<span style='color:{COLORS['output']}'>&#10004;</span>" if result.agree
                    else f"<span style='color:{COLORS['highlight']}'>&#10008;</span>")
            self.agreement = (key, f"{mark} {html.escape(result.summary)}")
        return self.agreement[1]

    def player(self, name, interval=900):
        """A Play button that moves slider `name` through its range (and follows its maximum)."""
        slider = self.controls[name]
        play = widgets.Play(min=0, max=slider.max, value=slider.value, interval=interval,
                            description=f"play {name}")
        widgets.jslink((play, "value"), (slider, "value"))
        widgets.dlink((slider, "max"), (play, "max"))
        return play

    def png(self):
        """The current picture as PNG bytes."""
        return self.image.value

    def __repr__(self):
        values = ", ".join(f"{name}={value!r}" for name, value in self.values.items())
        return f"{self.spec.title}({values})"

    def _repr_mimebundle_(self, **kwargs):
        """The widget, plus a PNG of the picture and a short text for readers without a kernel.

        nbval skips the widget view and image/png when comparing (model ids and pixels vary), so
        the text/plain here is deterministic: the explorer's name and its control values.
        """
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = repr(self)
        if self.image.value and self.image.layout.display != "none":
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle

"""The Explorer widget: ipywidgets controls named like PyTorch's parameters over a picture.

An explorer is declared by a Spec (convlib.display.spec): its controls, a function from their
values to validated arrays and a Setup, the scene function, and the formulas that bound the
sliders. The view is a function of the values: `view_of(values)` settles them
(convlib.display.settling: clamped, the bounds in the order given, validated once into arrays
and a Setup), hands that Setup on, trusted, to the scene and to the agreement line, and paints
the scene (SVG, convlib.display.painter). An invalid setting gives convlib's own message instead
of the picture. The widget shows the view of its controls' values; convlib.display.states lists
the view of every setting of them.
"""
import base64
import html
import json
from dataclasses import dataclass

import ipywidgets as widgets

from .. import shapes
from ..agreement import compare
from .painter import paint
from .palette import COLORS
from .settling import Settling, default_range
from .spec import Slider

WIDE = widgets.Layout(width="250px")
STYLE = {"description_width": "initial"}
ORIGIN = "application/vnd.convlib.explorer+json"   # how to make the explorer again (book site)


@dataclass(frozen=True)
class View:
    """What an explorer shows for one setting: the values (clamped), each control's range in
    that setting (a slider's (low, high), a choice's options), and the scene, its picture, its
    sentences and the agreement line, or convlib's message if the setting is invalid."""
    values: dict
    ranges: dict
    bounded: tuple = ()   # the controls whose bound was found (all of them, when valid)
    scene: object = None
    picture: object = None
    agreement: str = ""
    message: str = ""

    @property
    def sentences(self):
        return self.scene.sentences if self.scene is not None else ()


def readout(sentences):
    """The scene's sentences as HTML, one a line; screen readers announce each change."""
    lines = "".join(f"<div>{html.escape(sentence)}</div>" for sentence in sentences)
    return f'<div role="status" aria-live="polite" style="line-height: 1.5">{lines}</div>'


def agreement_line(result):
    """'✔ PyTorch = matrix = scatter-add = direct (max |difference| 0)' as HTML, or ✘ and who
    disagrees."""
    mark = (f"<span style='color:{COLORS['output']}'>&#10004;</span>" if result.agree
            else f"<span style='color:{COLORS['highlight']}'>&#10008;</span>")
    return f"{mark} {html.escape(result.summary)}"


def saved_picture(picture):
    """The picture as HTML that JupyterLab shows before the explorer's cell runs: an <img> of the
    SVG as a data URI, its heading as the alternative text.

    JupyterLab shows a notebook it has not signed (a fresh clone, Binder) with its safe renderers
    only: the widget view and image/svg+xml are not safe and text/plain is, so without this the
    learner saw `ScatterExplorer(stride=1, ...)`. Sanitized HTML is safe, and the sanitizer keeps
    an <img> with a data URI (inline <svg> it strips). Once the cell runs, its output is trusted
    and the widget view, which JupyterLab ranks above HTML, shows the live explorer.
    """
    uri = "data:image/svg+xml;base64," + base64.b64encode(picture.svg.encode()).decode()
    return f'<img src="{uri}" alt="{html.escape(picture.heading)}" style="max-width:100%">'


def control(name, kind, value, low=None, high=None):
    if isinstance(kind, Slider):
        return widgets.IntSlider(value=value, min=low, max=high, description=name, style=STYLE,
                                 layout=WIDE, continuous_update=True)
    if kind.kind == "toggle":
        return widgets.ToggleButtons(options=list(kind.options), value=value, description=name,
                                     style={"button_width": "70px"})
    return widgets.Dropdown(options=[value], value=value, description=name, layout=WIDE)


class Explorer(widgets.VBox):
    """Controls over a scene's picture, its readout, the agreement line, and convlib's message
    if invalid.

    .controls: name -> widget; .values: their values; .view: what is shown (View); .scene;
    .picture, .readout, .status, .message: HTML widgets. set(...) changes several controls,
    redraws once. .settling: the rules its values settle by (convlib.display.settling).
    .origin: (explorer function's name, its arguments), set by convlib.display.catalogue.
    """

    def __init__(self, spec, **given):
        self.spec, self.view, self.origin, self.agreements = spec, None, None, {}
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
                self.ranges[name] = default_range(kind, value)
                self.controls[name] = control(name, kind, value, *self.ranges[name][:2])
            else:
                self.controls[name] = control(name, kind, value)
            self.controls[name].observe(self.changed, names="value")
        self.picture = widgets.HTML(layout=widgets.Layout(max_width="100%"))
        self.picture.add_class("convlib-picture")
        self.status, self.readout = widgets.HTML(), widgets.HTML()
        self.message = widgets.HTML(layout=widgets.Layout(display="none"))
        self.readout.add_class("convlib-readout")
        self.status.add_class("convlib-agreement")
        self.busy = False
        self.settling = Settling(spec, self.ranges)
        row = list(self.controls.values())
        if spec.play:
            row.append(self.player(spec.play))
        super().__init__([widgets.HBox(row, layout=widgets.Layout(flex_flow="row wrap")),
                          self.picture, self.message, self.readout, self.status])
        self.add_class("convlib-explorer")
        self.set(**values)
        self.reject_missing({n: given[n] for n in given if self.ranges.get(n, (0, 0, False))[2]})

    @property
    def values(self):
        return {name: c.value for name, c in self.controls.items()}

    @property
    def scene(self):
        return self.view.scene

    def changed(self, change):
        if not self.busy:  # set() redraws once after all its changes
            self.set()

    def view_of(self, values):
        """The View of these values (clamped first): picture, sentences, agreement, or the
        message."""
        values, found, prepared = self.settling.settle(values)
        ranges, bounded = self.settling.limits(values, found), tuple(found)
        if not isinstance(prepared, Exception):
            x, w, setup = prepared
            try:
                scene = self.spec.scene(x, w, setup, **{n: values[n] for n in self.spec.picks})
                return View(values, ranges, bounded, scene, paint(scene), self.agree(x, w, setup))
            except (ValueError, TypeError) as error:
                prepared = error
        return View(values, ranges, bounded,
                    message=f"<b>Not a valid setting:</b> {html.escape(str(prepared))}")

    def set(self, **values):
        """Set controls (a value out of range is clamped), let the bounds follow, redraw once."""
        view = self.view_of({**self.values, **values})
        self.busy = True
        try:
            for name, c in self.controls.items():
                value, shown = view.values[name], view.ranges[name]
                if isinstance(c, widgets.Dropdown):
                    options = (list(shown) if name in view.bounded   # unbounded (invalid
                               else sorted({*c.options, value}))       # setting): as asked
                    if list(c.options) != options:
                        c.options = options
                    c.value = value
                elif isinstance(c, widgets.IntSlider):   # widen, set, then narrow
                    c.min, c.max = min(shown[0], value, c.min), max(shown[1], value, c.max)
                    c.value = value
                    c.min, c.max = shown
                else:
                    c.value = value
        finally:
            self.busy = False
        self.show(view)
        return self

    def show(self, view):
        """Paint the view: the picture, readout and agreement line, or convlib's message."""
        self.view = view
        if view.message:
            self.message.value = view.message
            self.message.layout.display, self.picture.layout.display = None, "none"
            self.status.value = self.readout.value = ""
            return
        self.picture.value = view.picture.svg
        self.message.layout.display, self.picture.layout.display = "none", None
        self.message.value = ""
        self.readout.value = readout(view.scene.sentences)
        self.status.value = view.agreement

    def reject_missing(self, asked):
        """A step or element asked for must exist: no slider can go there, so say so at once."""
        if isinstance(self.settling.settle(self.values)[2], Exception):  # the message says why
            return
        for name, value in asked.items():
            top = self.controls[name].max
            if not 0 <= value <= top:
                raise ValueError(f"{name}={value} is out of range: with these settings {name} "
                                 f"goes from 0 to {top}")

    def agree(self, x, w, setup):
        """One line: PyTorch and the four methods on the scene's own arrays and its Setup,
        trusted (cached)."""
        key = (x.shape, x.tobytes(), w.shape, w.tobytes(), setup)
        if key not in self.agreements:
            try:
                self.agreements[key] = agreement_line(compare(x, w, setup=setup))
            except ImportError:  # convlib runs without torch; the comparison cannot
                self.agreements[key] = "PyTorch is not installed: nothing to compare with"
        return self.agreements[key]

    def player(self, name, interval=900):
        """A Play button that moves slider `name` through its range (and follows its maximum)."""
        slider = self.controls[name]
        play = widgets.Play(min=0, max=slider.max, value=slider.value, interval=interval,
                            description=f"play {name}")
        widgets.jslink((play, "value"), (slider, "value"))
        widgets.dlink((slider, "max"), (play, "max"))
        return play

    def svg(self):
        """The current picture as SVG text ('' while the message is shown)."""
        return "" if self.view.message else self.view.picture.svg

    def __repr__(self):
        values = ", ".join(f"{name}={value!r}" for name, value in self.values.items())
        return f"{self.spec.title}({values})"

    def _repr_mimebundle_(self, **kwargs):
        """The widget, plus for readers without a kernel the SVG picture (as SVG, and as HTML for
        JupyterLab: saved_picture), a short text, and how to make this explorer again (the book
        site turns that into a live one).

        nbval compares all but the widget view, so each is deterministic: the text is the
        explorer's name and its control values.
        """
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = repr(self)
        if not self.view.message:
            bundle["image/svg+xml"] = self.view.picture.svg
            bundle["text/html"] = saved_picture(self.view.picture)
        if self.origin is not None:
            name, arguments = self.origin
            bundle[ORIGIN] = json.loads(json.dumps(
                {"explorer": name, "arguments": arguments, "values": self.values}))
        return bundle

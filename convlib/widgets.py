"""The explorers: sliders named like PyTorch's parameters over a convlib.plot picture.

Each explorer function returns a widget to display; every slider change redraws the picture in
place (one figure per explorer, rendered to PNG), writes its key numbers in words under it (the
readout, also what a screen reader reads) and re-checks, in one line, that PyTorch and the
three methods agree. Slider ranges follow each other (output_padding < max(stride,
dilation), padding keeps the output non-empty, groups divides both channel counts); anything
still invalid shows convlib's own message instead of the picture.

    scatter_explorer(input=[[2, 4], [0, 1]], weight=[[3, 1], [1, 5]], stride=2)
"""
import base64
import html

import ipywidgets as widgets
import numpy as np

from . import arrays, pictures, plot, shapes
from .agreement import compare

WIDE = widgets.Layout(width="250px")
STYLE = {"description_width": "initial"}


def slider(name, low, high, value):
    """An IntSlider labelled with the PyTorch parameter it sets."""
    return widgets.IntSlider(value=value, min=low, max=high, description=name, style=STYLE,
                             layout=WIDE, continuous_update=True)


class Explorer(widgets.VBox):
    """Controls over a picture, its readout, a one-line agreement status, and convlib's message
    when invalid.

    .controls: name -> widget (PyTorch's parameter names); .image: the picture as PNG;
    .readout: the picture's key numbers in sentences (what a screen reader reads);
    .status: do PyTorch, matrix, scatter-add and direct agree here?; .message: why this
    combination is invalid, shown in place of the picture. set(...) changes several controls
    and redraws once; png() is the current picture.
    """

    follows = ()  # sliders whose maximum is the largest value convlib accepts, in this order
    steps = ()    # sliders whose maximum follows the data (limits()), set after the others

    def __init__(self, picture, controls, ranges, extra=()):
        self.picture, self.controls, self.ranges = picture, controls, ranges
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.status = widgets.HTML()
        self.message = widgets.HTML(layout=widgets.Layout(display="none"))
        self.readout = widgets.HTML()
        self.readout.add_class("convlib-readout")
        self.busy = False
        self.agreement = (None, "")
        for control in controls.values():
            control.observe(self.changed, names="value")
        box = widgets.HBox(list(controls.values()) + list(extra),
                           layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([box, self.image, self.message, self.readout, self.status])
        self.add_class("convlib-explorer")
        self.set()

    @property
    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def changed(self, change):
        if not self.busy:  # set() redraws once after all its changes
            self.set()

    def set(self, **values):
        """Set controls (a value out of range is clamped), let the ranges follow, redraw once."""
        self.busy = True
        try:
            for name, value in values.items():
                if name not in self.steps:
                    self.widen(name)
                    self.controls[name].value = value
            self.follow()
            for name in self.steps:  # their maximum depends on the values just set
                if name in values:
                    self.controls[name].value = values[name]
        finally:
            self.busy = False
        self.update()
        return self

    def widen(self, name):
        """Let every value of the default range through, before follow() narrows it again."""
        control = self.controls[name]
        if name in self.ranges:
            control.max = max(self.ranges[name][1], control.value)

    def follow(self):
        """Shrink each following slider to the values convlib accepts, then the data's sizes."""
        for j, name in enumerate(self.follows):
            control, (low, high) = self.controls[name], self.ranges[name]
            later = {n: self.controls[n].min for n in self.follows[j + 1:]}
            ok = [v for v in range(low, high + 1)
                  if self.valid({**self.values, **later, name: v})]
            if ok:
                control.max = max(ok)  # IntSlider clamps its value to the new max
        if self.valid(self.values):
            for name, top in self.limits(self.values).items():
                self.controls[name].max = max(top, self.controls[name].min)

    def valid(self, values):
        return accepted(self.check, values)

    def check(self, values):
        """Raise convlib's ValueError if `values` is not a valid combination."""

    def limits(self, values):
        """Maxima that follow the data (steps, elements) for valid `values`: name -> max."""
        return {}

    def update(self):
        """Redraw the picture for the current values, or show convlib's message instead."""
        try:
            self.draw(self.values)
            picture = self.picture.png()
        except (ValueError, TypeError) as error:
            self.message.value = f"<b>Not a valid setting:</b> {html.escape(str(error))}"
            self.message.layout.display, self.image.layout.display = None, "none"
            self.status.value = self.readout.value = ""
            return
        self.image.value = picture
        self.message.layout.display, self.image.layout.display = "none", None
        self.message.value = ""
        self.readout.value = readout(self.picture.words)
        self.status.value = self.agree()

    def draw(self, values):
        self.picture.draw(**values)

    def agree(self):
        """One line: PyTorch and the three methods on the picture's own arrays (cached)."""
        x, w, params = self.picture.arguments
        key = (x.shape, x.tobytes(), w.shape, w.tobytes(), tuple(sorted(params.items())))
        if key != self.agreement[0]:
            try:
                result = compare(x, w, **params)
            except ImportError:  # convlib runs without torch; the comparison cannot
                return "PyTorch is not installed: nothing to compare with"
            mark = (f"<span style='color:{plot.COLORS['output']}'>&#10004;</span>" if result.agree
                    else f"<span style='color:{plot.COLORS['highlight']}'>&#10008;</span>")
            self.agreement = (key, f"{mark} {html.escape(result.summary)}")
        return self.agreement[1]

    def png(self):
        """The current picture as PNG bytes."""
        return self.image.value

    def __repr__(self):
        values = ", ".join(f"{name}={value!r}" for name, value in self.values.items())
        return f"{type(self).__name__}({values})"

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


def accepted(check, *args):
    """True when convlib's `check(*args)` raises no ValueError or TypeError."""
    try:
        check(*args)
    except (ValueError, TypeError):
        return False
    return True


def readout(sentences):
    """The picture's sentences as HTML, one a line; screen readers announce each change."""
    lines = "".join(f"<div>{html.escape(sentence)}</div>" for sentence in sentences)
    return f'<div role="status" aria-live="polite" style="line-height: 1.5">{lines}</div>'


def sliders(ranges, given):
    """IntSliders from name -> (low, high, default); a given value outside the range widens it.

    Returns (controls, ranges) with ranges name -> (low, high) after widening.
    """
    controls, wide = {}, {}
    for name, (low, high, default) in ranges.items():
        value = given.pop(name, default)
        if not shapes.is_int(value):
            raise TypeError(f"{name} must be an integer (the explorers draw one spatial size), "
                            f"got {name}={value!r}")
        wide[name] = (min(low, value), max(high, value))
        controls[name] = slider(name, *wide[name], value)
    if given:
        raise TypeError(f"unknown parameter(s) {', '.join(given)}; this explorer takes "
                        f"{', '.join(ranges)}")
    return controls, wide


class SpatialExplorer(Explorer):
    """An explorer of one 1-D or 2-D input and weight (passed in), and the spatial parameters."""

    follows = ("output_padding", "padding")

    def __init__(self, picture, input, weight, ranges, given, extra_controls=(), extra=()):
        self.input, self.weight = (None if a is None else arrays.as_numpy(a)[0]
                                   for a in (input, weight))
        asked = {name: given[name] for name in self.steps if name in given}
        controls, ranges = sliders(ranges, given)
        controls.update(extra_controls)
        super().__init__(picture, controls, ranges, extra)
        self.check_asked(asked)

    def check_asked(self, asked):
        """A step or element asked for must exist: no slider can go there, so say so at once
        instead of quietly showing another one."""
        if not self.valid(self.values):  # the message says why already
            return
        for name, value in asked.items():
            top = self.controls[name].max
            if not 0 <= value <= top:
                raise ValueError(f"{name}={value} is out of range: with these settings {name} "
                                 f"goes from 0 to {top}")

    def arrays(self, values):
        return self.input, self.weight

    def spatial(self, values):
        return {n: values[n] for n in ("stride", "padding", "output_padding", "dilation")
                if n in values}

    def check(self, values):
        """convlib's validated setup of these values (it has the output_size)."""
        x, w = plot.one_channel(*self.arrays(values))
        return shapes.validate(x.shape, w.shape, **self.spatial(values))

    def output_count(self, values):
        """How many elements the output has, by convlib's shape rules."""
        return int(np.prod(self.check(values).output_size))

    def draw(self, values):
        self.picture.draw(*self.arrays(values), **values)


class SizesExplorer(SpatialExplorer):
    """An explorer of sizes (input_size, kernel_size) rather than of given arrays."""

    def __init__(self, picture, ranges, given):
        super().__init__(picture, None, None, ranges, given)

    def check(self, values):
        return shapes.validate_sizes(values["input_size"], values["kernel_size"],
                                  **self.spatial(values))

    def draw(self, values):
        self.picture.draw(**values)


def stepper(controls, name, interval=900):
    """A Play button that moves slider `name` through its range (and follows its maximum)."""
    play = widgets.Play(min=0, max=controls[name].max, value=controls[name].value,
                        interval=interval, description=f"play {name}")
    widgets.jslink((play, "value"), (controls[name], "value"))
    widgets.dlink((controls[name], "max"), (play, "max"))
    return play


def spatial_ranges(**defaults):
    """The default slider ranges of stride, padding, output_padding and dilation:
    name -> (low, high, default), with other defaults where given."""
    ranges = {"stride": (1, 3, 2), "padding": (0, 2, 0), "output_padding": (0, 2, 0),
              "dilation": (1, 2, 1)}
    return {name: (low, high, defaults.get(name, value))
            for name, (low, high, value) in ranges.items()}


# ---------------------------------------------------------------------------------------------
# the seven explorers

class ShapesExplorer(SizesExplorer):
    """Sizes in; the three grids and the output-size formulas out."""

    def __init__(self, **given):
        ranges = {"input_size": (1, 4, 3), "kernel_size": (1, 4, 3), "stride": (1, 3, 2),
                  "padding": (0, 3, 1), "output_padding": (0, 2, 1), "dilation": (1, 2, 1)}
        super().__init__(pictures.ShapesPicture(), ranges, given)


class MatrixExplorer(SpatialExplorer):
    """The matrices C and Cᵀ; pick an output (a row of Cᵀ) or an input (a column of Cᵀ)."""

    steps = ("element",)

    def __init__(self, input, weight, **given):
        ranges = {**spatial_ranges(stride=1), "element": (0, 1, given.get("element", 0))}
        del ranges["dilation"]  # C's rows then match the input one to one
        if input is None:
            ranges = {"input_size": (1, 3, 2), "kernel_size": (1, 3, 2), **ranges}
        pick = widgets.ToggleButtons(options=["output", "input"],
                                     value=given.pop("pick", "output"), description="pick",
                                     style={"button_width": "70px"})
        super().__init__(pictures.MatrixPicture(), input, weight, ranges, given, {"pick": pick})

    def arrays(self, values):
        """The given arrays, or x = 1, 2, ... and w = 1, 2, ... of the sliders' sizes."""
        if self.input is not None:
            return self.input, self.weight
        i, k = values["input_size"], values["kernel_size"]
        return np.arange(1.0, i * i + 1).reshape(i, i), np.arange(1.0, k * k + 1).reshape(k, k)

    def limits(self, values):
        count = (np.size(self.arrays(values)[0]) if values["pick"] == "input"
                 else self.output_count(values))
        return {"element": count - 1}

    def draw(self, values):
        self.picture.draw(*self.arrays(values), **self.spatial(values), pick=values["pick"],
                          element=values["element"])


class ScatterExplorer(SpatialExplorer):
    """Scatter-add, one stamp per step, with a play button."""

    steps = ("step",)

    def __init__(self, input, weight, **given):
        count = np.size(arrays.as_numpy(input)[0])
        ranges = {**spatial_ranges(), "step": (0, count, given.get("step", (count + 1) // 2))}
        super().__init__(pictures.ScatterPicture(), input, weight, ranges, given)
        self.children[0].children += (stepper(self.controls, "step"),)

    def limits(self, values):
        return {"step": np.size(self.input)}


class DirectExplorer(SpatialExplorer):
    """The direct convolution, one output element per step, with a play button."""

    steps = ("step",)

    def __init__(self, input, weight, **given):
        ranges = {**spatial_ranges(), "step": (0, 1, given.get("step", 6))}
        super().__init__(pictures.DirectPicture(), input, weight, ranges, given)
        self.children[0].children += (stepper(self.controls, "step"),)

    def limits(self, values):
        return {"step": self.output_count(values) - 1}


class ExplainExplorer(SpatialExplorer):
    """Pick an output element; see its inputs, kernel taps and the sum."""

    steps = ("element",)

    def __init__(self, input, weight, **given):
        ranges = {**spatial_ranges(), "element": (0, 1, given.get("element", 1))}
        super().__init__(pictures.ExplainPicture(), input, weight, ranges, given)

    def limits(self, values):
        return {"element": self.output_count(values) - 1}


class GroupsExplorer(SpatialExplorer):
    """Groups: which input channels feed which output channels. From channel-count sliders, or
    from an input (C_in, *spatial) and a weight (C_in, C_out/groups, *k) with the spatial sliders,
    then with the output's numbers."""

    def __init__(self, input, weight, **given):
        groups = given.pop("groups", 2 if input is None else 1)
        if input is None:
            self.follows = ()  # no spatial sliders
            ranges = {"in_channels": (1, 6, 4), "out_channels": (1, 6, 4)}
        else:
            ranges = spatial_ranges(stride=1)
        choice = widgets.Dropdown(options=[groups], value=groups, description="groups",
                                  layout=WIDE)
        super().__init__(pictures.GroupsPicture(), input, weight, ranges, given, {"groups": choice})

    def channels(self, values, groups):
        """(input's channels, weight's in_channels, out_channels) with `groups` groups."""
        if self.input is None:
            return values["in_channels"], values["in_channels"], values["out_channels"]
        return self.input.shape[0], self.weight.shape[0], self.weight.shape[1] * groups

    def check_groups(self, values, groups):
        """convlib's rule: `groups` divides both channel counts (ValueError if not)."""
        shapes.validate_channels(*self.channels(values, groups), groups, "in_channels")

    def check(self, values):
        self.check_groups(values, values["groups"])
        if self.input is not None:
            shapes.validate(self.input.shape, self.weight.shape,
                                        groups=values["groups"], **self.spatial(values))

    def widen(self, name):
        if name == "groups":  # any number of groups may be asked for; follow() narrows
            self.controls[name].options = list(range(1, max(6, self.most_groups(self.values)) + 1))
        else:
            super().widen(name)

    def most_groups(self, values):
        return max(self.channels(values, 1)[:2])

    def follow(self):
        """groups: the values convlib accepts for these channels, keeping the choice; then the
        spatial sliders follow."""
        values = self.values
        options = [g for g in range(1, self.most_groups(values) + 1)
                   if accepted(self.check_groups, values, g)]
        control = self.controls["groups"]
        if options and list(control.options) != options:
            control.options = options  # this selects the first option ...
        if options:
            control.value = values["groups"] if values["groups"] in options else options[-1]
        super().follow()


class OverlapExplorer(SizesExplorer):
    """How many stamps land on each output element, for kernel_size, stride and dilation."""

    follows = ()

    def __init__(self, **given):
        ranges = {"input_size": (2, 5, 4), "kernel_size": (1, 5, 3), "stride": (1, 4, 2),
                  "dilation": (1, 3, 1)}
        super().__init__(pictures.OverlapPicture(), ranges, given)


def shapes_explorer(**params):
    """input_size, kernel_size, stride, padding, output_padding, dilation -> the input grid,
    the zero-inserted padded grid of the direct convolution, the output grid, the formulas."""
    return ShapesExplorer(**params)


def matrix_explorer(input=None, weight=None, **params):
    """The convolution matrix C and Cᵀ as heatmaps; pick an output row or an input column.

    input, weight: 1-D or 2-D; without them, input_size and kernel_size sliders make
    x = 1, 2, ... and w = 1, 2, ... params: stride, padding, output_padding, pick, element.
    """
    return MatrixExplorer(input, weight, **params)


def scatter_explorer(input=((1, 2), (3, 4)), weight=np.ones((3, 3)), **params):
    """Scatter-add, one stamp per step, for input and weight (1-D or 2-D).
    params: stride, padding, output_padding, dilation, step."""
    return ScatterExplorer(input, weight, **params)


def direct_explorer(input=((1, 2), (3, 4)), weight=np.arange(1, 10).reshape(3, 3), **params):
    """The zero-inserted, padded input with the flipped kernel sliding over it, one output per
    step. params: stride, padding, output_padding, dilation, step."""
    return DirectExplorer(input, weight, **params)


def explain_explorer(input=None, weight=None, **params):
    """Choose an output element (flat index `element`): its inputs and kernel taps are
    highlighted and the sum written out. params: stride, padding, output_padding, dilation.

    Without input and weight: the 8x8 example (ones 4x4, weights 1..16, stride 2, padding 1).
    """
    if input is None:
        input, weight = np.ones((4, 4)), np.arange(1, 17).reshape(4, 4)
        params = {"stride": 2, "padding": 1, **params}
    return ExplainExplorer(input, weight, **params)


def groups_explorer(input=None, weight=None, **params):
    """Which input channels feed which output channels, and which blocks of the weight exist.

    input (C_in, *spatial) and weight (C_in, C_out/groups, *k), 1-D or 2-D: the output's numbers
    too; params: groups, stride, padding, output_padding, dilation. Without them, sliders for
    in_channels and out_channels; params: in_channels, out_channels, groups.
    """
    return GroupsExplorer(input, weight, **params)


def overlap_explorer(**params):
    """How many kernel stamps land on each output element (1-D and 2-D) for input_size,
    kernel_size, stride and dilation: uneven counts are the checkerboard."""
    return OverlapExplorer(**params)


EXPLORERS = {"shapes": shapes_explorer, "matrix": matrix_explorer, "scatter": scatter_explorer,
             "direct": direct_explorer, "explain": explain_explorer, "groups": groups_explorer,
             "overlap": overlap_explorer}

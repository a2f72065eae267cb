"""Chapter 12's picture: one full result, and the window of it that each framework keeps.

windows_scene() is pure: the full result of x = [1, ..., i] and w = [1, ..., k], and per framework
its window (the numbers it returns, where they sit on the full result) or its refusal, with one
sentence each. paint() draws any such scene; windows_explorer() puts sliders over both.
"""
import html
import io
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.figure import Figure

from . import frameworks as fw

FRAMEWORKS = {  # label -> (input_size, kernel_size, stride, dilation, padding, op) -> Crop
    "PyTorch": lambda i, k, s, d, p, op: fw.pytorch_crop(i, k, s, p, op, d),
    "Keras 'same'": lambda i, k, s, d, p, op: fw.keras_crop(i, k, s, "same", None, d),
    "Keras 'valid'": lambda i, k, s, d, p, op: fw.keras_crop(i, k, s, "valid", None, d),
    "JAX 'SAME'": lambda i, k, s, d, p, op: fw.jax_crop(i, k, s, "SAME", d),
    "JAX 'VALID'": lambda i, k, s, d, p, op: fw.jax_crop(i, k, s, "VALID", d),
    "ONNX SAME_UPPER": lambda i, k, s, d, p, op: fw.onnx_crop(i, k, s, auto_pad="SAME_UPPER",
                                                              dilation=d),
    "ONNX SAME_LOWER": lambda i, k, s, d, p, op: fw.onnx_crop(i, k, s, auto_pad="SAME_LOWER",
                                                              dilation=d),
}


@dataclass(frozen=True)
class Window:
    """One framework's row: what it returns and where on the full result, or why it refuses."""
    label: str
    start: int          # full-result index of its first entry (negative: bias-only entries)
    values: tuple       # the numbers it returns (0 where only the bias would be)
    sentence: str


@dataclass(frozen=True)
class WindowsScene:
    full: tuple         # the full result, (i-1)s + d(k-1) + 1 numbers
    windows: tuple      # one Window per framework
    sentences: tuple    # the readout, one sentence per line


def windows_scene(input_size, kernel_size, stride=1, dilation=1, padding=0, output_padding=0):
    """The full 1-D result of x = [1..i], w = [1..k] and each framework's window of it."""
    x = np.arange(1.0, input_size + 1).reshape(1, 1, -1)
    w = np.arange(1.0, kernel_size + 1).reshape(1, 1, -1)
    full = fw.framework_result(x, w, fw.pytorch_crop(input_size, kernel_size, stride, 0, 0,
                                                     dilation), stride=stride, dilation=dilation)
    rows = []
    for label, crop_of in FRAMEWORKS.items():
        try:
            crop = crop_of(input_size, kernel_size, stride, dilation, padding, output_padding)
        except ValueError as error:
            rows.append(Window(label, 0, (), f"{label} refuses: {error}"))
            continue
        values = fw.framework_result(x, w, crop, stride=stride, dilation=dilation).ravel()
        b, a = crop.before[0], crop.after[0]
        rows.append(Window(label, b, tuple(values.tolist()),
                           f"{label} keeps {len(values)} entries: crops {b} at the start and "
                           f"{a} at the end{' (negative: bias-only entries added)' if min(a, b) < 0 else ''}."))
    numbers = ", ".join(f"{v:g}" for v in full.ravel())
    sentences = (f"Full result, length {full.size}: [{numbers}].",) + tuple(r.sentence for r in rows)
    return WindowsScene(tuple(full.ravel().tolist()), tuple(rows), sentences)


def paint(scene, figure=None):
    """Draw the full result on top and each framework's window under it, aligned by position."""
    rows = len(scene.windows) + 1
    figure = figure or Figure(figsize=(8, 0.42 * rows + 0.3))
    figure.clear()
    ax = figure.add_axes((0.2, 0.02, 0.78, 0.96))
    starts = [0] + [w.start for w in scene.windows if w.values]
    ends = [len(scene.full)] + [w.start + len(w.values) for w in scene.windows if w.values]
    ax.set(xlim=(min(starts) - 0.1, max(ends) + 0.1), ylim=(rows, 0))
    ax.axis("off")
    labels = [("full result", 0, scene.full, None)] + [
        (w.label, w.start, w.values, w.sentence) for w in scene.windows]
    for row, (label, start, values, sentence) in enumerate(labels):
        figure.text(0.19, 1 - (row + 0.5) / rows * 0.96 - 0.02, label, ha="right", va="center",
                    fontsize=9)
        if not values and row:
            ax.text(0, row + 0.5, "refuses (see below)", va="center", fontsize=9, color="tab:red")
        for j, v in enumerate(values):
            inside = 0 <= start + j < len(scene.full)
            ax.add_patch(matplotlib.patches.Rectangle(
                (start + j + 0.04, row + 0.08), 0.92, 0.84, linewidth=1, edgecolor="0.3",
                facecolor=("0.85" if row == 0 else "#cfe3f5") if inside else "#f6d5d5"))
            ax.text(start + j + 0.5, row + 0.5, f"{v:g}", ha="center", va="center", fontsize=9)
    return figure


def png(scene):
    buffer = io.BytesIO()
    paint(scene).savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def windows_explorer(input_size=4, kernel_size=3, stride=2, dilation=1, padding=1,
                     output_padding=1):
    """Sliders (PyTorch's names) over windows_scene: every framework's window as they move."""
    sliders = {name: widgets.IntSlider(value=value, min=low, max=high, description=name,
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="250px"))
               for name, value, low, high in [
                   ("input_size", input_size, 1, 6), ("kernel_size", kernel_size, 1, 5),
                   ("stride", stride, 1, 4), ("dilation", dilation, 1, 3),
                   ("padding", padding, 0, 8), ("output_padding", output_padding, 0, 3)]}
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
    readout = widgets.HTML()
    readout.add_class("convlib-readout")

    busy = []

    def update(change=None):
        if busy:  # changing a bound below may clamp a value and call back: draw once
            return
        busy.append(True)
        v = {name: s.value for name, s in sliders.items()}
        # PyTorch's bounds: output_padding < max(stride, dilation), output size >= 1
        sliders["output_padding"].max = max(v["stride"], v["dilation"]) - 1
        c = fw.full_size(v["input_size"], v["kernel_size"], v["stride"], v["dilation"])[0]
        sliders["padding"].max = (c - 1 + sliders["output_padding"].value) // 2
        v = {name: s.value for name, s in sliders.items()}
        scene = windows_scene(**v)
        image.value = png(scene)
        readout.value = "<br>".join(html.escape(line, quote=False) for line in scene.sentences)
        busy.clear()

    for s in sliders.values():
        s.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox(list(sliders.values()),
                                     layout=widgets.Layout(flex_flow="row wrap")), image, readout])
    box.add_class("convlib-explorer")
    return box

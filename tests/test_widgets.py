"""The explorers, driven without a browser: every state of every explorer (convlib.display.states, the
same enumeration the book site exports).

For each state: the settings are a fixed point of the explorer's own clamping, no message
replaces the picture (the ranges follow each other, so every reachable setting is valid), the
picture changes whenever the readout does, the status line says PyTorch and the three methods agree, the SVG's
heading and captions fit, and the numbers drawn are convlib's or PyTorch's. A sample of states is
also set through the widgets, which must show the same view.
"""
import base64
import functools
import html
import itertools
import json
import re
from fractions import Fraction

import matplotlib
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import convlib
from convlib import explorers
from convlib.display import layout, palette
from convlib.display.widget import ORIGIN, readout
from convlib.display.scene import Grid, as_rows, cell_of
from convlib.display.states import enumerate_states
from convlib.display.words import label, name, nested
from svg_text import font_sizes, read
from test_deploy import check_weight_axes  # chapter 15's explorer check, beside its numerics

AGREE = "PyTorch = matrix = scatter-add = direct = phases"
ROOM = (8.4 - 2 * layout.MARGIN) * 72   # points: the widest a heading or caption line may be


def steps(explorer):
    """The sliders whose range follows the data (step, element, output_size)."""
    return [name for name, (_, _, open_ended) in explorer.ranges.items() if open_ended]


def valid(explorer, values):
    """Does convlib accept these values (its own validation, not the explorer's bounds)?"""
    try:
        explorer.spec.prepare({**explorer.values, **values})
    except (ValueError, TypeError):
        return False
    return True


def settings(explorer):
    """Every combination of the explorer's default ranges that convlib accepts (data-driven
    sliders left out)."""
    names, choices = [], []
    for name, control in explorer.controls.items():
        if name in steps(explorer):
            continue
        names.append(name)
        if name in explorer.ranges:
            low, high, _ = explorer.ranges[name]
            choices.append(range(low, high + 1))
        elif name == "groups":
            choices.append(range(1, 7))
        else:
            choices.append(list(control.options))
    combos = [dict(zip(names, combo)) for combo in itertools.product(*choices)]
    return [combo for combo in combos if valid(explorer, combo)]


@functools.lru_cache(maxsize=None)
def views_of(make):
    """Every state's view of the explorer `make()` makes (computed once per session)."""
    explorer = make()
    return explorer, enumerate_states(explorer).views()


def check_view(explorer, view):
    """The picture is there, the status agrees, the captions fit, the numbers are convlib's."""
    assert view.message == "", view.message
    assert AGREE in view.agreement, view.agreement
    scene, drawn = view.scene, read(view.picture.svg)
    cell, boxes = layout.arrange(scene)   # every cell and every text has a positive size
    assert cell > 0 and all(w > 0 and h > 0 for _, _, w, h in boxes), (cell, boxes)
    every, holding_text = font_sizes(view.picture.svg)
    assert min(every) >= 0 and min(holding_text) > 0
    assert layout.text_width(drawn.heading, layout.FONT + 1.5, bold=True) <= ROOM
    assert len(drawn.captions) == len(scene.captions)
    for line in drawn.captions:
        assert layout.text_width(line, layout.FONT) <= ROOM, line
    panels = [p for row in scene.rows for p in row]
    assert drawn.titles == [p.title for p in panels]
    for panel, numbers in zip(panels, drawn.numbers):   # the numbers drawn are the scene's
        if isinstance(panel, Grid) and numbers:
            if panel.texts is not None:
                assert numbers == [t for t in np.ravel(panel.texts) if t]
            else:
                assert any(numbers == [t for t in (label(v, digits) for v in
                                                   np.ravel(panel.values)) if t]
                           for digits in (2, 1)), panel.name
    explorer.view = view
    CHECKS[explorer.spec.title](explorer, view.values)


def sweep(make, sample=7):
    """Check every state; every one is a fixed point of settle(), and states that say different
    things have different pictures (a 1x1 input looks alike at every stride, and says so); every
    `sample`-th is also set through the widgets, which show the same view."""
    explorer, views = views_of(make)
    pictures = set()
    for j, view in enumerate(views):
        assert explorer.settling.settle(view.values)[0] == view.values
        check_view(explorer, view)
        pictures.add((view.picture.svg, view.sentences))
        if j % sample == 0:
            explorer.set(**view.values)
            assert explorer.values == view.values
            assert explorer.svg() == view.picture.svg
            assert explorer.readout.value == readout(view.sentences)
            assert explorer.status.value == view.agreement
            for name, control in explorer.controls.items():
                shown = view.ranges[name]
                if hasattr(control, "max"):
                    assert (control.min, control.max) == shown
                else:
                    assert tuple(control.options) == shown
    assert len({svg for svg, _ in pictures}) == len(pictures)
    return len(views)


# ---------------------------------------------------------------------------------------------
# what each explorer must show, against convlib's functions or PyTorch

def listed(text):
    """The array a readout writes as nested lists, '... [[6, 14, 4], [2, 17, 21]] ...'."""
    return np.array(json.loads(re.search(r"\[[-+\d.,e\[\] ]*\]", text).group()))


NUMBER = r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?"   # as words.plain writes it: 12, -0.5, 1e+06


def number(text, pattern):
    """The number after `pattern` in a readout sentence."""
    return float(re.search(pattern + f"({NUMBER})", text).group(1))


def assert_readout_array(text, expected):
    """The readout lists `expected` in full (to its two decimals), or summarised as convlib does."""
    if "…" in text:
        assert nested(expected) in text
    else:
        np.testing.assert_allclose(listed(text), expected, atol=0.005)


def spatial(values):
    return {n: values[n] for n in ("stride", "padding", "output_padding", "dilation")
            if n in values}


def torch_transpose(x, w, **params):
    """PyTorch's answer for a 1-D or 2-D single-channel input (the reference)."""
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    conv = F.conv_transpose1d if x.ndim == 1 else F.conv_transpose2d
    out = conv(torch.from_numpy(x)[None, None], torch.from_numpy(w)[None, None], **params)
    return out[0, 0].numpy()


def arrays(explorer, v):
    """The explorer's own input and weight at these values, one channel: (x, w)."""
    x, w, _ = explorer.spec.prepare(v)
    return x[0], w[0, 0]


def check_shapes(explorer, v):
    scene, facts = explorer.scene, explorer.scene.facts
    o = convlib.conv_transpose_output_size(v["input_size"], v["kernel_size"], v["stride"],
                                           v["padding"], v["output_padding"], v["dilation"])
    assert facts["output_size"] == o == facts["direct_output_size"]
    assert facts["back"] == convlib.conv_output_size(o, v["kernel_size"], v["stride"],
                                                     v["padding"], v["dilation"])
    if v["output_padding"] < v["stride"]:
        assert facts["back"] == v["input_size"]
    words = scene.sentences
    assert words[0].startswith(f"Input {v['input_size']}×{v['input_size']}, output {o}×{o}")
    assert words[1].endswith(f"+ {v['output_padding']} + 1 = {o}.")
    assert f") + 1 = {facts['back']};" in words[2]
    assert words[1] in scene.captions
    x = np.arange(1.0, v["input_size"] ** 2 + 1).reshape(v["input_size"], -1)
    w = np.ones((v["kernel_size"],) * 2)
    np.testing.assert_allclose(scene["output"].values, torch_transpose(x, w, **spatial(v)))
    grid = convlib.direct_input(x[None], w[None, None], **spatial(v))[0]
    np.testing.assert_array_equal(scene["grid"].values, grid)
    assert (scene["grid"].roles == "input").sum() == (grid != 0).sum()   # x = 1, 2, ...


def check_matrix(explorer, v):
    x, w = arrays(explorer, v)
    scene = explorer.scene
    y = torch_transpose(x, w, **spatial(v))
    np.testing.assert_allclose(scene["image_y"].values, y)
    np.testing.assert_allclose(scene["ct"].values @ np.ravel(x), y.ravel())
    ct = convlib.conv_matrix(np.asarray(w)[None, None], (1,) + y.shape, v["stride"],
                             v["padding"]).T
    np.testing.assert_array_equal(scene["c"].values, ct.T)
    element = v["element"]
    words = scene.sentences
    if v["pick"] == "output":
        assert scene["ct"].marks[0].boxes == ((element, 0, element + 1, np.size(x)),)
        assert words[0].startswith(f"Picked output {element}, y[")
        entries = re.findall(f"({NUMBER}) at column (\\d+)", words[1])
        assert [int(j) for _, j in entries] == list(np.flatnonzero(ct[element]))
        np.testing.assert_allclose([float(c) for c, _ in entries],
                                   ct[element][ct[element] != 0], atol=0.005)
        assert np.isclose(number(words[2], r"= (?=[^=]*$)"), y.ravel()[element], atol=0.005)
    else:
        assert scene["ct"].marks[0].boxes == ((0, element, y.size, element + 1),)
        assert words[0].startswith(f"Picked input {element}, x[")
        entries = re.findall(f"({NUMBER}) at row (\\d+)", words[1])
        assert [int(j) for _, j in entries] == list(np.flatnonzero(ct[:, element]))
        np.testing.assert_allclose([float(c) for c, _ in entries],
                                   ct[:, element][ct[:, element] != 0], atol=0.005)


def check_scatter(explorer, v):
    facts = explorer.scene.facts
    x, w = arrays(explorer, v)
    reached = np.zeros(x.size)
    reached[:facts["step"]] = 1   # the first `step` inputs in raster order have stamped
    partial = torch_transpose(x * reached.reshape(x.shape), w, **spatial(v))
    np.testing.assert_allclose(facts["output"].reshape(partial.shape), partial, atol=1e-12)
    if facts["step"] == facts["steps"]:
        np.testing.assert_allclose(facts["output"].reshape(partial.shape),
                                   convlib.conv_transpose_scatter(x[None], w[None, None],
                                                                  **spatial(v))[0])
    words = explorer.scene.sentences
    assert words[0].startswith(f"Step {v['step']} of {x.size}: ")
    if v["step"]:
        assert number(words[0], r"x\[[\d, ]+\] = ") == x.ravel()[v["step"] - 1]
    assert_readout_array(words[1], partial)


def check_direct(explorer, v):
    scene, facts = explorer.scene, explorer.scene.facts
    x, w = arrays(explorer, v)
    y = torch_transpose(x, w, **spatial(v))
    step = v["step"]
    np.testing.assert_allclose(facts["so_far"].ravel()[:step + 1], y.ravel()[:step + 1])
    assert np.isnan(facts["so_far"].ravel()[step + 1:]).all()
    index = np.unravel_index(step, y.shape)
    assert facts["equation"] == convlib.explain(x[None], w[None, None], index,
                                                **spatial(v)).equation
    words = scene.sentences
    assert words[0].startswith(f"Step {step + 1} of {y.size}: output element "
                               f"{name('y', index)} = ")
    assert np.isclose(number(words[0], r"\] = "), y[index], atol=0.005)
    assert f"gives {facts['equation']} (" in words[1]
    direct_input = as_rows(convlib.direct_input(x[None], w[None, None], **spatial(v))[0])
    top, left = (0,) * (2 - len(facts["cropped"])) + facts["cropped"]   # a negative pad's crop
    drawn = scene["input"]
    np.testing.assert_array_equal(direct_input, drawn.values[top:top + direct_input.shape[0],
                                                             left:left + direct_input.shape[1]])
    assert (drawn.roles == "cropped").sum() == drawn.values.size - direct_input.size


def check_explain(explorer, v):
    scene, facts = explorer.scene, explorer.scene.facts
    x, w = arrays(explorer, v)
    y = torch_transpose(x, w, **spatial(v))
    index = np.unravel_index(v["element"], y.shape)
    why = convlib.explain(x[None], w[None, None], index, **spatial(v))
    assert facts["equation"] == why.equation
    assert scene.sentences[0] == f"Output element {name('y', index)}: {why.equation}"
    assert np.isclose(facts["value"], y[index]) and np.isclose(why.value, y[index])
    assert scene["input"].marks[0].boxes == tuple(cell_of(t.input_index[1:])
                                                  for t in why.terms)
    assert scene["kernel"].marks[0].boxes == tuple(cell_of(t.weight_index[2:])
                                                   for t in why.terms)
    assert scene["output"].marks[0].boxes == (cell_of(index),)


def check_groups(explorer, v):
    """Output channel j is joined to input channel i exactly when PyTorch says i feeds j, and
    the readout says so; given arrays, the readout's output is PyTorch's."""
    g = v["groups"]
    x, w, _ = explorer.spec.prepare(v)
    counts_only = "in_channels" in v
    c_in, c_out = (v["in_channels"], v["out_channels"]) if counts_only else (
        w.shape[0], w.shape[1] * g)
    weight = torch.ones(c_in, c_out // g, 1, 1, dtype=torch.float64)
    feeds = np.stack([F.conv_transpose2d(torch.eye(c_in, dtype=torch.float64)[i].reshape(
        1, c_in, 1, 1), weight, groups=g)[0, :, 0, 0].numpy() != 0 for i in range(c_in)])
    scene = explorer.scene
    np.testing.assert_array_equal(scene.facts["connections"] != 0, feeds)
    assert scene.facts["links"] == feeds.sum()
    said = set()   # (input, output) channel pairs the readout says are joined
    for phrase in scene.sentences[1].rstrip(".").split("; "):
        inputs, outputs = re.split(r" feeds? ", phrase)
        said |= {(int(i), int(j)) for i in re.findall(r"x(\d+)", inputs)
                 for j in re.findall(r"y(\d+)", outputs)}
    assert said == set(zip(*np.nonzero(feeds)))
    if not counts_only:
        x, w = torch.from_numpy(x), torch.from_numpy(w)
        conv = getattr(F, f"conv_transpose{w.ndim - 2}d")
        y = conv(x[None], w, groups=g, **spatial(v))[0].numpy()
        np.testing.assert_allclose(scene.facts["output"], y)
        channels = re.split(r", (?=y\d+ = )", scene.sentences[2].removeprefix("Output: ")[:-1])
        for c, channel in enumerate(channels):
            label_, text = channel.split(" = ")
            assert label_ == f"y{c}"
            if "[" in text:
                assert_readout_array(text, y[c])
            else:
                assert abs(float(text) - y[c].item()) <= 0.005


def check_overlap(explorer, v):
    facts = explorer.scene.facts
    params = dict(stride=v["stride"], dilation=v["dilation"])
    n, k = v["input_size"], v["kernel_size"]
    np.testing.assert_array_equal(facts["counts1"],
                                  torch_transpose(np.ones(n), np.ones(k), **params))
    np.testing.assert_array_equal(facts["counts2"],
                                  torch_transpose(np.ones((n, n)), np.ones((k, k)), **params))
    words = explorer.scene.sentences
    assert_readout_array(words[1], torch_transpose(np.ones(n), np.ones(k), **params))
    assert_readout_array(words[2], torch_transpose(np.ones((n, n)), np.ones((k, k)), **params))
    assert words[3][1:].startswith(facts["verdict"][1:])


def check_output_size(explorer, v):
    """The sizes, output_padding and refusal shown are PyTorch's (forward with output_size=)."""
    facts, o = explorer.scene.facts, v["output_size"]
    i, k, s, p, d = (v[n] for n in ("input_size", "kernel_size", "stride", "padding", "dilation"))
    layer = torch.nn.ConvTranspose1d(1, 1, k, stride=s, padding=p, dilation=d)
    x = torch.ones(1, 1, i)

    def accepts(size):
        try:
            return layer(x, output_size=[size]).shape[-1] == size
        except ValueError:
            return False

    def reaches(op):
        try:
            return F.conv_transpose1d(x, layer.weight, stride=s, padding=p, output_padding=op,
                                      dilation=d).shape[-1]
        except RuntimeError:  # an empty output
            return None

    accepted = [n for n in range(1, facts["reached"].stop + 2) if accepts(n)]
    assert list(facts["accepted"]) == accepted
    assert facts["mapped"] == accepted   # the sizes the convolution maps back to i
    assert list(facts["reached"]) == [n for n in map(reaches, range(max(s, d))) if n]
    assert (facts["refusal"] == "") == accepts(o)
    op, said = o - facts["smallest"], explorer.scene.sentences[3]
    if o in accepted:
        assert said.endswith(f" = {op}.") and reaches(op) == o
    elif o in facts["reached"]:
        assert f"output_padding={op} in the constructor" in said and reaches(op) == o
    else:
        assert "no output_padding gives it" in said
    assert o <= facts["reached"].stop


def check_frameworks(explorer, v):
    """The full result and PyTorch's window are PyTorch's; every other window is the
    framework's crop of the full result (convlib.frameworks, tested against the real libraries
    in tests/test_frameworks.py), or its refusal."""
    from convlib import frameworks as fw

    x, w = arrays(explorer, v)
    params = dict(stride=v["stride"], dilation=v["dilation"])
    full = torch_transpose(x, w, **params)
    facts, words = explorer.scene.facts, explorer.scene.sentences
    np.testing.assert_array_equal(facts["full"], full)
    assert_readout_array(words[0], full)
    start, kept = facts["windows"]["PyTorch"]
    np.testing.assert_array_equal(kept, torch_transpose(x, w, **spatial(v)))
    crops = {"Keras 'same'": lambda: fw.keras_crop(x.size, w.size, padding="same", **params),
             "JAX 'VALID'": lambda: fw.jax_crop(x.size, w.size, padding="VALID", **params),
             "ONNX SAME_LOWER": lambda: fw.onnx_crop(x.size, w.size, auto_pad="SAME_LOWER",
                                                     **params)}
    for (label, crop), said in zip(crops.items(), (words[2], words[5], words[7])):
        try:
            crop = crop()
        except ValueError as error:
            assert facts["windows"][label] == str(error) and said.endswith(str(error))
            continue
        start, kept = facts["windows"][label]
        assert (start, kept.size) == (crop.before[0], crop.output_size[0])
        inside = kept[max(-start, 0):kept.size - max(-crop.after[0], 0)]
        np.testing.assert_array_equal(inside, full[max(start, 0):full.size - max(crop.after[0], 0)])
        assert said.startswith(f"{label} keeps {kept.size}: crops {start} at the start")


def check_phases(explorer, v):
    """The phase's outputs are every s-th output, its taps those with d*k mod s = r, and its
    values PyTorch's at those outputs, equal to the ordinary convolution of x with those taps."""
    x, w = arrays(explorer, v)
    y = torch_transpose(x, w, **spatial(v))
    facts, s, p, d = explorer.scene.facts, v["stride"], v["padding"], v["dilation"]
    r = facts["r"]
    np.testing.assert_array_equal(facts["output"], y)
    for rj, taps, outputs, k, o in zip(r, facts["taps"], facts["outputs"], w.shape, y.shape):
        assert taps == [t for t in range(k) if d * t % s == rj]
        assert outputs == [j for j in range(o) if (j + p) % s == rj]
    np.testing.assert_array_equal(facts["values"], y[np.ix_(*facts["outputs"])])
    formula = np.zeros(facts["values"].shape)   # y[s*m + r - p] = sum of x[m - d*k // s] * w[k]
    for at, o in zip(np.ndindex(*formula.shape), itertools.product(*facts["outputs"])):
        for k in itertools.product(*facts["taps"]):
            i = tuple((oj + p) // s - d * kj // s for oj, kj in zip(o, k))
            if all(0 <= ij < n for ij, n in zip(i, x.shape)):
                formula[at] += x[i] * w[k]
    np.testing.assert_allclose(facts["values"], formula, atol=1e-12)
    said = explorer.scene.sentences
    assert said[0].startswith("Phase r = ") and f"of stride {s}" in said[0]


@functools.lru_cache(maxsize=None)
def receptive_jacobians(k, s, p, op):
    """By autograd: d out / d input and d out / d middle of Conv1d(1, 1, 3, stride=2,
    padding=1) then ConvTranspose1d(1, 1, k, s, p, op), weights 1, on 10 inputs."""
    def down(x):
        return F.conv1d(x.view(1, 1, -1), torch.ones(1, 1, 3, dtype=torch.float64), stride=2,
                        padding=1)

    def up(middle):
        return F.conv_transpose1d(middle, torch.ones(1, 1, k, dtype=torch.float64), stride=s,
                                  padding=p, output_padding=op)[0, 0]

    x = torch.ones(10, dtype=torch.float64)
    jacobian = torch.autograd.functional.jacobian
    return (jacobian(lambda x: up(down(x)), x, vectorize=True),
            jacobian(up, down(x), vectorize=True)[:, 0, 0])


def check_receptive_field(explorer, v):
    """The inputs and the convolution's outputs that reach the chosen output are autograd's,
    and the chain's map is a = 2/s, b = (2p - k + 1)/s (Conv1d(3, stride=2, padding=1) then
    the transposed layer)."""
    k, s, p, op = (v[n] for n in ("kernel_size", "stride", "padding", "output_padding"))
    to_input, to_middle = receptive_jacobians(k, s, p, op)
    facts = explorer.scene.facts
    assert facts["size"] == to_input.shape[0]
    assert facts["inputs"] == torch.nonzero(to_input[facts["element"]]).flatten().tolist()
    assert facts["middle"] == torch.nonzero(to_middle[facts["element"]]).flatten().tolist()
    assert facts["map"] == (Fraction(2, s), Fraction(2 * p - k + 1, s))
    assert explorer.scene.sentences[0].startswith(f"Output {facts['element']} sits at input ")
    assert not any(" 1 entries" in sentence for sentence in explorer.scene.sentences)


CHECKS = {"ShapesExplorer": check_shapes, "MatrixExplorer": check_matrix,
          "ScatterExplorer": check_scatter, "DirectExplorer": check_direct,
          "ExplainExplorer": check_explain, "GroupsExplorer": check_groups,
          "OverlapExplorer": check_overlap, "OutputSizeExplorer": check_output_size,
          "FrameworksExplorer": check_frameworks, "PhasesExplorer": check_phases,
          "ReceptiveFieldExplorer": check_receptive_field,
          "WeightAxesExplorer": check_weight_axes}

EXPLORERS = explorers.EXPLORERS


# ---------------------------------------------------------------------------------------------
# the tests

@pytest.mark.parametrize("make", EXPLORERS.values(), ids=EXPLORERS.keys())
def test_every_state_draws_convlibs_numbers(make):
    assert sweep(make) > 10


@pytest.mark.parametrize("make", EXPLORERS.values(), ids=EXPLORERS.keys())
def test_every_state_is_listed_once(make):
    """The enumeration lists each setting once, and exactly the combinations of the default
    ranges that the explorer's clamping leaves as they are (the sweep above checks them all)."""
    explorer, views = views_of(make)
    listed = [tuple(v.values.values()) for v in views]
    assert len(set(listed)) == len(listed)
    names = list(explorer.controls)
    every = itertools.product(*(
        range(explorer.ranges[n][0], max(explorer.ranges[n][1], 12 if n in steps(explorer)
                                          else 0) + 1) if n in explorer.ranges
        else range(1, 13) if n == "groups" else explorer.controls[n].options for n in names))
    fixed = set()
    for combo in every:
        values = dict(zip(names, combo))
        if all(values[n] <= 12 for n in steps(explorer)) and \
                explorer.settling.settle(values)[0] == values:
            fixed.add(combo)
    assert fixed == {c for c in listed if all(c[names.index(n)] <= 12 for n in steps(explorer))}


@pytest.mark.parametrize("make", EXPLORERS.values(), ids=EXPLORERS.keys())
def test_mimebundle_has_the_svg_a_text_and_how_to_make_it_again(make):
    """Readers without a kernel see image/svg+xml (JupyterLab: the same picture in text/html);
    the book site makes the explorer again from its origin; nbval compares all of them, so they
    are deterministic."""
    explorer = make()
    bundle = explorer._repr_mimebundle_()
    assert bundle["image/svg+xml"] == explorer.svg() == make().svg()
    assert bundle["image/svg+xml"].startswith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
    src, alt = re.fullmatch(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)" [^>]*>',
                            bundle["text/html"]).groups()
    assert base64.b64decode(src).decode() == bundle["image/svg+xml"]
    assert html.unescape(alt) == explorer.view.picture.heading
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == repr(explorer) == repr(make())
    assert bundle["text/plain"].startswith(explorer.spec.title + "(")
    origin = bundle[ORIGIN]
    assert json.loads(json.dumps(origin)) == origin
    again = explorers.EXPLORERS[origin["explorer"]](**origin["arguments"])
    assert again.values == origin["values"] == explorer.values
    assert again.svg() == explorer.svg()


def test_an_explorer_is_made_again_from_its_origin():
    """Arrays and tensors become lists, control values stay, the picture is the same."""
    x = torch.arange(4.0).reshape(2, 2).requires_grad_()
    made = explorers.scatter_explorer(x * 2, np.ones((2, 2)), stride=2, step=3)
    origin = made._repr_mimebundle_()[ORIGIN]
    assert origin == {"explorer": "scatter",
                      "arguments": {"input": [[0.0, 2.0], [4.0, 6.0]],
                                    "weight": [[1.0, 1.0], [1.0, 1.0]], "stride": 2, "step": 3},
                      "values": made.values}
    again = explorers.EXPLORERS["scatter"](**origin["arguments"])
    assert again.svg() == made.svg() and again.readout.value == made.readout.value


def test_the_questions_numbers_can_be_passed_in():
    explorer = explorers.scatter_explorer(input=[[2, 4], [0, 1]], weight=[[3, 1], [1, 5]],
                                        stride=2, padding=1, step=4)
    expected = torch_transpose([[2, 4], [0, 1]], [[3, 1], [1, 5]], stride=2, padding=1)
    np.testing.assert_allclose(explorer.scene.facts["output"], expected)
    eight = explorers.explain_explorer(np.ones((4, 4)), np.arange(1, 17).reshape(4, 4),
                                     stride=2, padding=1, element=1)
    assert eight.scene.facts["equation"] == "12 = 1*5 + 1*7"
    eight.set(element=8)   # y[1, 0]
    assert eight.scene.facts["equation"] == "12 = 1*2 + 1*10"
    assert explorers.explain_explorer().scene.facts["equation"] == "12 = 1*5 + 1*7"


def test_one_dimensional_inputs_are_one_row():
    explorer = explorers.scatter_explorer([1, 2, 3], [1, 2, 1], stride=2, padding=1,
                                        output_padding=1, step=3)
    np.testing.assert_allclose(explorer.scene.facts["output"].ravel(),
                               torch_transpose([1, 2, 3], [1, 2, 1], stride=2, padding=1,
                                               output_padding=1))
    assert explorer.scene["canvas"].shape[0] == 1
    for make in (explorers.direct_explorer, explorers.explain_explorer):
        one_d = make([1, 2, 3], [1, 2, 1], stride=2)
        for view in enumerate_states(one_d).views():
            check_view(one_d, view)


def test_ranges_follow_each_other():
    explorer = explorers.shapes_explorer()
    for stride, dilation in itertools.product(range(1, 4), range(1, 3)):
        explorer.set(stride=stride, dilation=dilation, output_padding=2)
        assert explorer.controls["output_padding"].max == min(max(stride, dilation) - 1, 2)
        assert explorer.values["output_padding"] == explorer.controls["output_padding"].max
    explorer.set(input_size=1, kernel_size=1, stride=1, output_padding=0, padding=3)
    assert explorer.controls["padding"].max == 0 and explorer.values["padding"] == 0
    groups = explorers.groups_explorer(in_channels=6, out_channels=4, groups=2)
    assert list(groups.controls["groups"].options) == [1, 2]
    groups.set(out_channels=3)
    assert list(groups.controls["groups"].options) == [1, 3] and groups.values["groups"] == 3
    direct = explorers.direct_explorer(stride=1)
    direct.set(stride=3, step=20)   # the step slider follows the larger output first
    assert direct.values["step"] == 20


def test_invalid_settings_show_convlibs_message_not_a_traceback():
    explorer = explorers.scatter_explorer(input=np.ones((2, 2)), weight=np.ones((3, 3, 3)))
    assert "1-D or 2-D input" in explorer.message.value
    assert explorer.picture.layout.display == "none" and explorer.status.value == ""
    assert not {"image/svg+xml", "text/html"} & set(explorer._repr_mimebundle_())
    assert explorer.svg() == ""
    tiny = explorers.direct_explorer(input=[1], weight=[1], padding=1)  # clamped to a valid 0
    assert tiny.values["padding"] == 0 and tiny.message.value == ""
    negative = explorers.direct_explorer(padding=-1)   # no slider setting fixes what was asked
    assert "padding must be &gt;= 0" in negative.message.value
    negative.set(padding=0)
    assert negative.message.value == "" and AGREE in negative.status.value


def test_pictures_need_no_figure():
    """The painter writes SVG text: no matplotlib figure is made, so none can leak."""
    import matplotlib.pyplot as plt
    for make in EXPLORERS.values():
        explorer = make()
        for setting in settings(explorer)[:10]:
            explorer.set(**setting)
    assert plt.get_fignums() == []
    assert matplotlib._pylab_helpers.Gcf.get_num_fig_managers() == 0


def test_one_colour_per_role_and_colour_blind_safe():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
                 "#000000", "#999999"}
    assert set(palette.COLORS.values()) <= okabe_ito
    assert len(set(palette.COLORS.values())) == len(palette.COLORS)


def test_tensors_that_require_grad_can_be_passed_in():
    x = torch.ones(2, 2, requires_grad=True)
    w = torch.arange(9.0).reshape(3, 3).requires_grad_()
    for make in (explorers.scatter_explorer, explorers.direct_explorer, explorers.explain_explorer,
                 explorers.matrix_explorer):
        explorer = make(x * 2, w)
        assert explorer.message.value == "" and AGREE in explorer.status.value


QUESTION_05 = dict(input=np.array([[1, 1, 1], [1, 1, 1], [1, 1, 2], [1, 1, 2]]),
                   weight=np.array([1, 1, 2] * 8).reshape(4, 2, 3))


def test_readouts_say_the_questions_numbers():
    scatter = explorers.scatter_explorer([[2, 4], [0, 1]], [[3, 1], [1, 5]], stride=1, step=4)
    assert scatter.scene.sentences[1] == "Output: [[6, 14, 4], [2, 17, 21], [0, 1, 5]]"
    assert "role=\"status\"" in scatter.readout.value
    scatter.set(step=2)
    assert scatter.scene.sentences[0].startswith("Step 2 of 4: input element x[0, 1] = 4 ")
    assert (explorers.explain_explorer().scene.sentences[0]
            == "Output element y[0, 1]: 12 = 1*5 + 1*7")
    groups = explorers.groups_explorer(**QUESTION_05, padding=2, groups=2)
    assert groups.scene.sentences[2] == "Output: y0 = 8, y1 = 8, y2 = 10, y3 = 10."
    assert groups.scene.facts["output"].ravel().tolist() == [8, 8, 10, 10]
    drawn = read(groups.svg())
    assert drawn.numbers[drawn.titles.index("output y")] == ["8", "8", "10", "10"]   # drawn


@pytest.mark.parametrize("arrays", [QUESTION_05, dict(input=np.arange(8.0).reshape(2, 2, 2),
                                                      weight=-np.ones((2, 3, 2, 2)))],
                         ids=["1-D", "2-D"])
def test_groups_of_given_arrays_every_combination(arrays):
    explorer = explorers.groups_explorer(**arrays)
    assert list(explorer.controls["groups"].options) == [1, 2] + ([4] if len(
        arrays["input"]) == 4 else [])
    assert sweep(functools.partial(explorers.groups_explorer, **arrays)) > 10


def test_a_step_or_element_no_slider_reaches_is_an_error():
    with pytest.raises(ValueError, match=r"element=9 is out of range: .* from 0 to 8"):
        explorers.matrix_explorer(element=9)          # 3x3 output: elements 0 to 8
    with pytest.raises(ValueError, match=r"element=-1 is out of range"):
        explorers.matrix_explorer(element=-1)
    with pytest.raises(ValueError, match=r"element=4 is out of range: .* from 0 to 3"):
        explorers.matrix_explorer(pick="input", element=4)
    with pytest.raises(ValueError, match=r"step=5 is out of range: .* from 0 to 4"):
        explorers.scatter_explorer(step=5)
    assert explorers.matrix_explorer(element=8).values["element"] == 8
    assert "padding" in explorers.matrix_explorer(padding=-1, element=9).message.value


@pytest.mark.parametrize("make", EXPLORERS.values(), ids=EXPLORERS.keys())
def test_slider_bounds_are_the_largest_values_convlib_accepts(make):
    """The bounds come from formulas; here they are found by trying every value on convlib's
    own validation (padding at 0 while output_padding is tried, as a reader would reach it)."""
    explorer = make()
    for setting in settings(explorer)[::5]:
        explorer.set(**setting)
        values = explorer.values
        for name, others in (("output_padding", {"padding": 0}), ("padding", {})):
            if name in explorer.ranges:
                low, high, _ = explorer.ranges[name]
                ok = [v for v in range(low, high + 1) if valid(explorer, {**values, **others,
                                                                           name: v})]
                assert explorer.controls[name].max == max(ok), (name, values)
        if "groups" in values:
            ok = [g for g in range(1, 13) if valid(explorer, {**values, "groups": g})]
            assert list(explorer.controls["groups"].options) == ok
        last = {"step": explorer.scene.facts.get("steps"), "element": None,
                "output_size": getattr(explorer.scene.facts.get("reached"), "stop", None),
                "phase": explorer.scene.facts.get("phases", 0) - 1,
                "channel": values.get("out_channels", 0) - 1}
        for name in steps(explorer):
            output = explorer.scene.facts.get("output")
            if name == "element" and values.get("pick") == "input":
                expected = explorer.scene["x"].values.size - 1
            else:
                expected = last[name] if last[name] is not None else output.size - 1
            assert explorer.controls[name].max == expected, (name, values)


def test_the_readmes_example_is_the_explain_explorers_code():
    import inspect
    import pathlib
    readme = (pathlib.Path(__file__).resolve().parents[1] / "README.md").read_text()
    example = re.search(r"### How to add an explorer.*?```python\n(.+?)```", readme, re.S).group(1)
    source = [line.strip() for line in inspect.getsource(explorers.explain_explorer).splitlines()]
    for line in example.splitlines():
        code = line.split("#")[0].strip()
        if code:
            assert any(s.split("#")[0].strip() == code for s in source), code


@pytest.mark.parametrize("make", EXPLORERS.values(), ids=EXPLORERS.keys())
def test_any_slider_combination_is_clamped_to_a_valid_one(make):
    """Every combination of the default ranges, valid or not (every 7th, to stay quick): set()
    raises nothing and clamps to a setting convlib accepts, so the picture is always there."""
    explorer = make()
    names = [n for n in explorer.ranges if n not in steps(explorer)]
    ranges = [range(explorer.ranges[n][0], explorer.ranges[n][1] + 1) for n in names]
    for combo in list(itertools.product(*ranges))[::7]:
        explorer.set(**dict(zip(names, combo)))
        assert explorer.message.value == "" and AGREE in explorer.status.value
        assert valid(explorer, explorer.values)

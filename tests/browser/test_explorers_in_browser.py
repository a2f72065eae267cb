"""A learner moves the explorers' sliders in JupyterLab: the picture is redrawn and the readout says
the new numbers, which the tests compute here with convlib from the chapter's own arrays.

Sliders are moved as a user moves them: the arrow keys on a focused handle, or a number typed into
the slider's readout and Enter.
"""
import json
import re
from pathlib import Path

from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

import convlib
from convlib.display.words import nested, plain
from lab import SECONDS, explorer, menu, press_slider_key, readout, redrawn, set_slider_by_readout, slider

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def chapter_arrays(name, *expressions):
    """`expressions` evaluated after running, here, the chapter's code up to its first explorer."""
    namespace = {}
    for cell in json.loads((NOTEBOOKS / name).read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            if "_explorer(" in source:
                break
            exec(compile(source, name, "exec"), namespace)
    return [np.asarray(eval(e, namespace), dtype=float) for e in expressions]


def running_sum(x, w, step, **params):
    """The scatter-add's output after the first `step` inputs (raster order) have stamped."""
    first = (np.arange(x.size) < step).reshape(x.shape)
    return convlib.conv_transpose_scatter((x * first)[None], w[None, None], **params)[0]


def test_scatter_add_steps_to_the_learners_output(ran_chapter):
    page = ran_chapter("03_scatter_add.ipynb")
    x, w = chapter_arrays("03_scatter_add.ipynb", "x[0, 0]", "w[0, 0]")
    box = explorer(page, 0)   # the 2x2 example at step 2
    assert f"so far: {nested(running_sum(x, w, 2))}" in readout(box)
    step = slider(box, "step")
    said = redrawn(box, lambda: set_slider_by_readout(step, 0))
    assert said.startswith("Step 0 of 4") and nested(np.zeros((3, 3))) in said
    for n in range(1, 5):
        said = redrawn(box, lambda: press_slider_key(step, "ArrowRight"))
        i, j = np.unravel_index(n - 1, x.shape)   # raster order
        assert said.startswith(f"Step {n} of 4: input element x[{i}, {j}] = {plain(x[i, j])}")
        assert nested(running_sum(x, w, n)) in said
    assert "Output: [[6, 14, 4], [2, 17, 21], [0, 1, 5]]" in said
    said = redrawn(box, lambda: set_slider_by_readout(slider(box, "stride"), 2))
    assert f"Output: {nested(convlib.conv_transpose_scatter(x[None], w[None, None], stride=2)[0])}" in said


def test_direct_steps_and_padding_change_the_output_element(ran_chapter):
    page = ran_chapter("04_direct.ipynb")
    x, w = np.ones((4, 4)), np.arange(1.0, 17).reshape(4, 4)   # the chapter's ones and w16
    box = explorer(page, 2)   # after the crop example: stride=2, padding=1, step=1, y[0, 1] = 12
    assert "y[0, 1] = 12." in readout(box) and "12 = 1*5 + 1*7" in readout(box)

    def says(said, padding, index):
        why = convlib.explain(x[None], w[None, None], index, stride=2, padding=padding)
        assert f"output element y{list(index)} = {plain(why.value)}." in said
        assert f"gives {why.equation} (" in said

    says(redrawn(box, lambda: press_slider_key(slider(box, "step"), "ArrowRight")), 1, (0, 2))
    says(redrawn(box, lambda: press_slider_key(slider(box, "padding"), "ArrowLeft")), 0, (0, 2))


def test_matrix_row_follows_element_and_stride(ran_chapter):
    page = ran_chapter("02_matrix.ipynb")
    x, w = chapter_arrays("02_matrix.ipynb", "x[0, 0]", "w")
    box = explorer(page, 0)   # stride=1, pick output, element 0

    def says(said, element, stride):
        y = convlib.conv_transpose_matrix(x[None], w[None, None], stride=stride)[0]
        row = convlib.conv_matrix(w[None, None], (1, *y.shape), stride=stride).T[element]
        entries = re.findall(r"(-?[\d.]+) at column (\d+)", said)
        assert [int(j) for _, j in entries] == list(np.flatnonzero(row))
        np.testing.assert_allclose([float(v) for v, _ in entries], row[row != 0], atol=0.005)
        assert said.rstrip(".").endswith(f"= {plain(y.ravel()[element])}")

    says(redrawn(box, lambda: press_slider_key(slider(box, "element"), "ArrowRight")), 1, 1)
    says(redrawn(box, lambda: set_slider_by_readout(slider(box, "stride"), 2)), 1, 2)


def test_groups_shows_the_questions_output_and_follows_padding(ran_chapter):
    page = ran_chapter("05_groups.ipynb")
    x, w = chapter_arrays("05_groups.ipynb", "x[0]", "weight")
    box = explorer(page, 0)
    assert "Output: y0 = 8, y1 = 8, y2 = 10, y3 = 10." in readout(box)
    said = redrawn(box, lambda: press_slider_key(slider(box, "padding"), "ArrowLeft"))
    y = convlib.conv_transpose_scatter(x, w, padding=1, groups=2)
    assert "Output: " + ", ".join(f"y{c} = {nested(v)}" for c, v in enumerate(y)) + "." in said


def test_sliders_work_in_the_slideshow(ran_chapter):
    """Class mode, as the README says: Run > Run All Cells, then View > Render as Reveal Slideshow
    (jupyterlab_rise). The slideshow is RISE's own page in an iframe beside the notebook: it opens
    the notebook as just saved and connects to the same kernel, so the explorers' widget models
    are the ones the run created. The presenter steps back through the slides (reveal.js's own
    arrows) to an explorer, moves a slider, and its picture must change."""
    page = ran_chapter("03_scatter_add.ipynb")
    menu(page, "View", "Render as Reveal Slideshow")
    iframe = page.locator(".jp-MainAreaWidget iframe[src*='/rise/']")
    start = parse_qs(urlparse(iframe.get_attribute("src")).query)["activeCellIndex"][0]
    slideshow = iframe.content_frame
    here = ".reveal .slides section.present:not(.stack)"   # the slide shown, not its vertical stack
    # RISE opens on the slide of the notebook's active cell (the last one after Run All).
    slideshow.locator(f"{here} [data-windowed-list-index='{start}']").wait_for(state="attached")
    frame = iframe.element_handle().content_frame()
    where = f"() => [...document.querySelectorAll('{here}')].map(s => s.innerText).join()"
    def explorers(shown):
        return slideshow.locator(f"{shown} .jp-CodeCell").filter(has_text="_explorer(")

    cell, in_stack = explorers(here), explorers(".reveal .slides > section.present")
    for _ in range(200):   # back to the last slide stack with an explorer, then down to its slide
        if cell.count():
            break
        before = frame.evaluate(where)
        controls = slideshow.locator(".reveal .controls")
        up, left = controls.locator(".navigate-up.enabled"), controls.locator(".navigate-left.enabled")
        (controls.locator(".navigate-down.enabled") if in_stack.count() else up if up.count() else left).click()
        frame.wait_for_function(f"said => ({where})() !== said", arg=before, timeout=30 * SECONDS)
    shown = cell.last.locator(".jp-OutputArea-output")
    shown.first.wait_for(state="attached")
    try:  # the widget view renders after its output is attached: wait for the live picture
        cell.last.locator(".convlib-explorer .convlib-picture svg").first.wait_for(state="attached")
    except PlaywrightTimeoutError:
        kinds = [o.get_attribute("data-mime-type") for o in shown.all()]
        raise AssertionError(f"the slide shows the explorer as {kinds}, not as a live widget")
    box = explorer(page, 0, root=cell.last)
    # Typed into the slider's readout: on a slide, reveal.js takes the arrow keys to change slides.
    first = box.locator(".widget-slider").first
    handle = first.locator(".noUi-handle")
    now, low, high = (handle.get_attribute(f"aria-value{end}") for end in ("now", "min", "max"))
    assert redrawn(box, lambda: set_slider_by_readout(first, low if now != low else high))

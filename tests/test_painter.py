"""The display layer alone: words, text widths, layout, scenes and the SVG painter."""
import multiprocessing
import os
import xml.etree.ElementTree as ET
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

import convlib
from convlib import direct, explorers, shapes
from convlib.display import layout, palette, pictures
from convlib.display.painter import UNIT, hex_color, paint
from convlib.display.words import label, name, typeset
from svg_text import font_sizes, read


def setup_of(x, w, **params):
    return shapes.validate(x.shape, w.shape, **params)


def scene_of(scene_function, input, weight, **params):
    """A picture's scene for 1-D or 2-D arrays, as an explorer makes it."""
    picks = {k: params.pop(k) for k in ("step", "element", "pick") if k in params}
    x, w = pictures.one_channel(input, weight)
    return scene_function(x, w, setup_of(x, w, **params), **picks)


def test_cell_numbers_read_like_a_textbook():
    assert [label(v) for v in (12.0, 3, 0.5, -3, -1e-9, 1 / 3)] == [
        "12", "3", "0.5", "\u22123", "0", "0.33"]
    assert label(np.nan) == ""
    assert name("y", (0, 1)) == "y[0, 1]" and name("x", (2,)) == "x[2]"


def test_a_sentence_is_typeset_for_the_caption():
    assert typeset("12 = 1*5 + (-3)*2, weight (4, 2, *kernel_size), 1-D") == \
        "12 = 1·5 + (\u22123)·2, weight (4, 2, *kernel_size), 1-D"


def test_long_sums_and_lists_are_shortened_in_the_middle():
    short = "12 = 1*5 + 1*7"
    assert layout.fit(short, 500) == short
    terms = [f"x[{i}, {j}]·w[{j}, {i}]" for i in range(4) for j in range(4)]
    total = "y[3, 3] = " + " + ".join(terms)
    fitted = layout.fit(total, 500)
    assert fitted.startswith("y[3, 3] = x[0, 0]·w[0, 0] + ") and "… + x[3, 3]·w[3, 3]" in fitted
    assert fitted.endswith("(16 in all)") and layout.text_width(fitted, layout.FONT) <= 500
    names = "reaches " + ", ".join(f"y[{i}, {j}]" for i in range(5) for j in range(5))
    assert layout.fit(names, 300).endswith("…, y[4, 4] (25 in all)")


def test_text_widths_are_dejavu_sans_advances():
    assert layout.text_width("12", 10) == pytest.approx(2 * layout.text_width("1", 10))
    assert layout.text_width("a b", 9) > layout.text_width("ab", 9)
    assert layout.text_width("0", 10) == pytest.approx(6.362, abs=0.001)   # DejaVu Sans: 0.636 em
    assert layout.text_width("0", 10, bold=True) > layout.text_width("0", 10)


def every_advance(chars, rounds=1):
    """The advance of every char in both weights, measured `rounds` times with the cache emptied
    each time: the set of the lists found (one list when every round agrees)."""
    found = set()
    for _ in range(rounds):
        layout.advance.cache_clear()
        found.add(tuple(layout.advance(c, bold) for bold in (False, True) for c in chars))
    return found


@pytest.mark.skipif(not hasattr(os, "fork"), reason="only POSIX forks")
def test_processes_forked_after_the_fonts_opened_measure_the_same_widths():
    """The book's table workers are forked after the build has measured text; measuring at the
    same time, each must read its own font (issue 30: a shared open file gave FreeType errors
    and wrong widths)."""
    chars = [chr(c) for c in sorted(layout.font().get_charmap()) if c < 0x250]
    expected = every_advance(chars)
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("fork")) as pool:
        assert list(pool.map(every_advance, [chars] * 8, [3] * 8)) == [expected] * 8


def test_a_picture_is_svg_sized_by_its_viewbox_with_text_as_text():
    scene = scene_of(pictures.scatter_scene, [[1, 2], [3, 4]], np.ones((2, 2)), stride=2, step=4)
    picture = paint(scene)
    root = ET.fromstring(picture.svg)
    assert root.get("viewBox") == f"0 0 {8.4 * UNIT:g} {layout.height(scene) * UNIT:g}"
    assert "max-width:100%" in root.get("style") and root.get("aria-label") == picture.heading
    drawn = read(picture.svg)
    assert drawn.heading == typeset(scene.heading)
    assert drawn.captions == [layout.fit(typeset(s), (8.4 - 0.2) * 72) for s in scene.captions]
    assert drawn.numbers[drawn.titles.index("input x")] == ["1", "2", "3", "4"]
    assert paint(scene).svg == picture.svg            # the same text every time
    assert "".join("".join(b) for b in picture.blocks) == picture.svg


def test_every_cell_in_its_roles_colour():
    x, w = pictures.one_channel(np.arange(1.0, 5).reshape(2, 2), np.ones((3, 3)))
    scene = pictures.direct_scene(x, w, shapes.validate(x.shape, w.shape, stride=2, padding=1),
                                  step=3)
    drawn = read(paint(scene).svg)
    for panel, colors in zip(scene.rows[0], drawn.colors):
        expected = palette.fill(panel.roles, panel.strength).reshape(panel.shape + (3,))
        assert [[fill for _, _, fill in row] for row in colors] == \
            [[hex_color(rgb) for rgb in row] for row in expected]


def test_a_picture_does_not_depend_on_those_painted_before_it():
    """The painter keeps the grids it painted (CELLS); one grid at two cell sizes that round
    alike (19.17 and 19.25 units, in two pictures of the explorers) is painted twice, each at
    its own size, whichever comes first."""
    from convlib.display import painter
    from convlib.display.scene import grid

    panel = grid("x", np.arange(16.0).reshape(4, 4), "input")
    sizes = [(0, 0, 4 * side / UNIT, 4 * side / UNIT) for side in (115 / 6, 19.25)]
    painter.CELLS.clear()
    first = [painter.grid_blocks(panel, box)[1] for box in sizes]
    painter.CELLS.clear()
    second = [painter.grid_blocks(panel, box)[1] for box in reversed(sizes)][::-1]
    assert first == second and first[0] != first[1]


def test_cells_have_one_size_per_picture():
    drawn = read(paint(scene_of(pictures.explain_scene, np.ones((4, 4)),
                                np.arange(16.0).reshape(4, 4), stride=2, padding=1)).svg)
    widths = {w for panel in drawn.colors for row in panel for _, w, _ in row}
    assert len(widths) == 1 and widths.pop() <= layout.LARGEST_CELL * UNIT


def test_stacked_rows_of_one_row_panels_get_room_for_every_row():
    """A scene of single-row panels is only as high as it needs, counting each row of panels
    (the receptive-field picture stacks three): every cell and every text keeps a positive
    size, and each row's numbers are written."""
    scene = explorers.receptive_field_explorer().scene
    assert len(scene.rows) == 3 and all(p.shape[0] == 1 for row in scene.rows for p in row)
    cell, boxes = layout.arrange(scene)
    assert cell > 0 and all(w > 0 and h > 0 for _, _, w, h in boxes)
    assert layout.height(scene) >= (layout.HEADER + 3 * cell + 2 * layout.TITLE_ROOM
                                    + layout.footer(scene))
    svg = paint(scene).svg
    every, holding_text = font_sizes(svg)
    assert min(every) >= 0 and min(holding_text) > 0
    assert all(numbers for numbers in read(svg).numbers)


def test_numbers_only_where_they_are_legible():
    def overlap(n, k, s):
        x, w = np.ones((1, n, n)), np.ones((1, 1, k, k))
        return pictures.overlap_scene(x, w, setup_of(x, w, stride=s))

    scene = overlap(4, 3, 2)
    assert read(paint(scene).svg).numbers[1] == [label(v) for v in scene["plane"].values.ravel()]
    assert read(paint(overlap(12, 5, 4)).svg).numbers[1] == []


def test_roles_of_the_direct_convolutions_input():
    for stride, padding, kernel in [(1, 0, 3), (2, 1, 3), (3, 0, 2), (2, 3, 3)]:
        x, w = pictures.one_channel(np.ones((3, 3)), np.ones((kernel, kernel)))
        roles = direct.direct_input_roles(setup_of(x, w, stride=stride, padding=padding))
        inserted = stride * 2 + 1   # zero-inserted size s(i-1)+1, before any crop
        if kernel - 1 - padding >= 0:
            assert (roles == "input").sum() == 9
            assert (roles == "inserted zeros").sum() == inserted ** 2 - 9
            assert (roles == "padding").sum() == roles.size - inserted ** 2
        else:   # a negative pad crops: no padding, and the outer inputs are cut off
            assert (roles == "padding").sum() == 0 and (roles == "input").sum() == 1


def test_a_negative_pad_draws_what_it_crops_greyed():
    """padding=3 > d(k-1) = 2: the pad is -1, so the direct input is the zero-inserted row less one
    entry at each end. The picture draws the whole row, the two cropped entries (the inputs 1 and
    4) in the role 'cropped' (grey), and puts the kernel's window past the cropped start."""
    scene = scene_of(pictures.direct_scene, [1, 2, 3, 4], [1, 10, 100], stride=2, padding=3,
                     step=0)
    panel = scene["input"]
    assert panel.values.ravel().tolist() == [1, 0, 2, 0, 3, 0, 4]
    assert [role == "cropped" for role in panel.roles.ravel()] == [True] + [False] * 5 + [True]
    assert panel.marks[1].boxes == ((0, 1, 1, 4),)     # entries 1 to 3 of the drawn row
    assert "crop 1 at each end (pad -1)" in scene.sentences[2]
    assert palette.ink(panel.roles)[0].tolist() == [palette.GREY] + [0] * 5 + [palette.GREY]
    kept = scene_of(pictures.direct_scene, [1, 2, 3, 4], [1, 10, 100], stride=2, padding=2)
    assert "cropped" not in kept["input"].roles and "pad 0 before and 0 after" in kept.sentences[2]


def test_scenes_are_pure_data_and_paint_without_widgets():
    x4, w2 = np.ones((4, 3, 3)), np.ones((4, 1, 2, 2))
    scenes = [scene_of(pictures.matrix_scene, [[1, 2], [3, 4]], [[1, 2], [3, 4]]),
              scene_of(pictures.direct_scene, [1, 2, 3], [1, 2, 1], stride=2, step=3),
              pictures.groups_scene(x4, w2, setup_of(x4, w2, groups=4), numbers=False)]
    square = np.array([[1.0, 2], [3, 4]])
    y = convlib.conv_transpose_scatter(square[None], square[None, None])
    np.testing.assert_array_equal(scenes[0].facts["output"], y[0])
    y = convlib.conv_transpose_scatter(np.array([[1.0, 2, 3]]), np.array([[[1.0, 2, 1]]]), stride=2)
    assert scenes[1].sentences[0] == f"Step 4 of {y.size}: output element y[3] = {y[0, 3]:g}."
    assert scenes[2].sentences[1] == "x0 feeds y0; x1 feeds y1; x2 feeds y2; x3 feeds y3."
    for scene in scenes:
        drawn = read(paint(scene).svg)
        assert set(scene.roles) <= set(palette.COLORS)
        assert drawn.captions == [layout.fit(typeset(s), (8.4 - 0.2) * 72)
                                  for s in scene.captions]
    assert layout.height(scenes[1]) < scenes[1].size[1]   # 1-D: only the height it needs


def test_invalid_arguments_raise_convlibs_errors():
    with pytest.raises(ValueError, match="1-D or 2-D input"):
        pictures.one_channel(np.ones((1, 2, 2)), np.ones((1, 1, 2, 2)))
    assert convlib.conv_transpose_output_size(1, 1) == 1


def test_the_palette_gives_every_role_one_colour():
    assert set(palette.DRAWN_AS.values()) <= set(palette.COLORS)
    assert {style.role for style in palette.MARKS.values()} <= set(palette.COLORS)
    assert palette.GREY_TEXT <= set(palette.DRAWN_AS) | set(palette.COLORS)
    np.testing.assert_allclose(palette.rgb("output"), [0, 0x9E / 255, 0x73 / 255])
    np.testing.assert_allclose(palette.tint("empty", [0, 1]), [[1, 1, 1], palette.rgb("padding")])
    roles = np.array([["input", "cropped"], ["empty", "input"]], dtype=object)
    colors = palette.fill(roles, [[1, 0.3], [0.07, 0.5]])
    np.testing.assert_allclose(colors[1, 1], palette.tint("input", 0.5))
    np.testing.assert_allclose(colors[0, 1], palette.tint("padding", 0.3))
    assert palette.ink(roles).tolist() == [[0, palette.GREY], [0, 0]]


def test_every_explorers_scene_is_plain_data_in_roles():
    """Numbers, roles and sentences only: JSON as it is, every cell in a role of the palette."""
    import json
    from convlib.display.scene import Grid, as_data

    known = set(palette.COLORS) | set(palette.DRAWN_AS)
    for make in explorers.EXPLORERS.values():
        explorer = make()
        for name, control in explorer.controls.items():
            for value in ([control.min, control.max] if hasattr(control, "max") else []):
                explorer.set(**{name: value})
                scene = explorer.scene
                data = json.loads(json.dumps(as_data(scene), allow_nan=False))
                assert data["sentences"] == list(scene.sentences)
                assert data["captions"] == scene.captions and "facts" not in data
                for row in scene.rows:
                    for panel in row:
                        if isinstance(panel, Grid):
                            assert set(np.ravel(panel.roles)) <= known
                            assert panel.roles.shape == panel.values.shape
                            assert panel.strength.shape == panel.values.shape
                            assert 0 <= panel.strength.min() and panel.strength.max() <= 1

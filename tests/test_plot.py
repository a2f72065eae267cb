"""The display layer alone: words, text, PNG bytes, layout, scenes and the painter."""
import io

import numpy as np
import pytest
from PIL import Image

import convlib
from convlib import fast, palette, pictures, plot, shapes
from convlib.painter import Painter
from convlib.words import label, name, typeset


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
    assert plot.fit(short, 500) == short
    terms = [f"x[{i}, {j}]·w[{j}, {i}]" for i in range(4) for j in range(4)]
    total = "y[3, 3] = " + " + ".join(terms)
    fitted = plot.fit(total, 500)
    assert fitted.startswith("y[3, 3] = x[0, 0]·w[0, 0] + ") and "… + x[3, 3]·w[3, 3]" in fitted
    assert fitted.endswith("(16 in all)") and plot.text_width(fitted, plot.FONT) <= 500
    names = "reaches " + ", ".join(f"y[{i}, {j}]" for i in range(5) for j in range(5))
    assert plot.fit(names, 300).endswith("…, y[4, 4] (25 in all)")


def test_text_is_outlined_once_per_character():
    assert fast.text_width("12", 10) == pytest.approx(2 * fast.text_width("1", 10))
    assert fast.text_width("a b", 9) > fast.text_width("ab", 9)
    box = fast.text_path("12", ha="center", va="center")[0].get_extents()
    assert abs(box.x0 + box.x1) < 0.3 and abs(box.y0 + box.y1) < 0.3   # on advance and digits


def test_png_bytes_decode_to_the_figure():
    painter = Painter().paint(scene_of(pictures.scatter_scene, [[1, 2], [3, 4]], np.ones((2, 2)),
                                       stride=2, step=4))
    data = painter.png()
    decoded = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    np.testing.assert_array_equal(decoded,
                                  np.asarray(painter.figure.canvas.buffer_rgba())[..., :3])
    assert decoded.shape[1] == plot.DPI * painter.scene.size[0]


def test_cells_have_one_size_per_picture():
    painter = Painter().paint(scene_of(pictures.explain_scene, np.ones((4, 4)),
                                       np.arange(16.0).reshape(4, 4), stride=2, padding=1))
    sides = np.array([slot.artists.cell_points() for slot in painter.slots])
    assert np.ptp(sides) < 1e-9   # square cells, all of one size
    assert sides[0, 0] <= plot.LARGEST_CELL * 72


def test_numbers_only_where_they_are_legible():
    def overlap(n, k, s):
        x, w = np.ones((1, n, n)), np.ones((1, 1, k, k))
        return Painter().paint(pictures.overlap_scene(x, w, setup_of(x, w, stride=s)))

    plane = overlap(4, 3, 2).slots[1].artists
    assert plane.texts == [label(v) for v in overlap(4, 3, 2).scene["plane"].values.ravel()]
    assert overlap(12, 5, 4).slots[1].artists.texts == []


def test_roles_of_the_direct_convolutions_input():
    for stride, padding, kernel in [(1, 0, 3), (2, 1, 3), (3, 0, 2), (2, 3, 3)]:
        x, w = pictures.one_channel(np.ones((3, 3)), np.ones((kernel, kernel)))
        roles = pictures.roles_of(x, w, setup_of(x, w, stride=stride, padding=padding))
        inserted = stride * 2 + 1   # zero-inserted size s(i-1)+1, before any crop
        if kernel - 1 - padding >= 0:
            assert (roles == "input").sum() == 9
            assert (roles == "inserted zeros").sum() == inserted ** 2 - 9
            assert (roles == "padding").sum() == roles.size - inserted ** 2
        else:   # a negative pad crops: no padding, and the outer inputs are cut off
            assert (roles == "padding").sum() == 0 and (roles == "input").sum() == 1


def test_scenes_are_pure_data_and_paint_without_widgets():
    import matplotlib.pyplot as plt
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
        painter = Painter().paint(scene)
        assert painter.png().startswith(b"\x89PNG")
        assert set(scene.roles) <= set(palette.COLORS)
        assert painter.lines == [plot.fit(typeset(s), painter.figure.get_figwidth() * 72 - 14.4)
                                 for s in scene.captions]
    assert plt.get_fignums() == []
    one_row = Painter().paint(scenes[1])
    assert one_row.figure.get_figheight() < scenes[1].size[1]   # 1-D: only the height it needs


def test_a_painter_repaints_in_place():
    painter = Painter()
    first = painter.paint(scene_of(pictures.scatter_scene, [1, 2], [1, 1], step=1)).png()
    figure, artists = painter.figure, len(painter.figure.get_children())
    again = painter.paint(scene_of(pictures.scatter_scene, [1, 2], [1, 1], step=2)).png()
    assert painter.figure is figure and len(figure.get_children()) == artists
    assert again != first
    assert painter.slots[0].marks[0, "highlight"].boxes == [(0, 1, 1, 2)]   # x[1] stamps now


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
    from convlib import widgets
    from convlib.scene import Grid, as_data

    known = set(palette.COLORS) | set(palette.DRAWN_AS)
    for make in widgets.EXPLORERS.values():
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

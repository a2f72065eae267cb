"""The drawing pieces of convlib.plot: numbers, text, PNG bytes, layout, and the pictures alone."""
import io

import numpy as np
import pytest
from PIL import Image

import convlib
from convlib import pictures, plot


def test_cell_numbers_read_like_a_textbook():
    assert [plot.label(v) for v in (12.0, 3, 0.5, -3, -1e-9, 1 / 3)] == [
        "12", "3", "0.5", "\u22123", "0", "0.33"]
    assert plot.label(np.nan) == ""
    assert plot.name("y", (0, 1)) == "y[0, 1]" and plot.name("x", (2,)) == "x[2]"


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
    assert plot.text_width("12", 10) == pytest.approx(2 * plot.text_width("1", 10))
    assert plot.text_width("a b", 9) > plot.text_width("ab", 9)
    box = plot.text_path("12", ha="center", va="center")[0].get_extents()
    assert abs(box.x0 + box.x1) < 0.3 and abs(box.y0 + box.y1) < 0.3   # on advance and digits


def test_png_bytes_decode_to_the_figure():
    picture = pictures.ScatterPicture().draw([[1, 2], [3, 4]], np.ones((2, 2)), stride=2, step=4)
    data = picture.png()
    decoded = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    np.testing.assert_array_equal(decoded,
                                  np.asarray(picture.figure.canvas.buffer_rgba())[..., :3])
    assert decoded.shape[1] == plot.DPI * picture.size[0]


def test_cells_have_one_size_per_picture():
    picture = pictures.ExplainPicture().draw(np.ones((4, 4)), np.arange(16.0).reshape(4, 4),
                                         stride=2, padding=1)
    sides = np.array([g.cell_points() for g in (picture.input, picture.kernel, picture.output)])
    assert np.ptp(sides) < 1e-9   # square cells, all of one size
    assert sides[0, 0] <= plot.LARGEST_CELL * 72


def test_numbers_only_where_they_are_legible():
    picture = pictures.OverlapPicture().draw(input_size=4, kernel_size=3, stride=2)
    assert picture.plane.texts == [plot.label(v) for v in picture.shown["counts2"].ravel()]
    crowded = pictures.OverlapPicture().draw(input_size=12, kernel_size=5, stride=4)
    assert crowded.plane.texts == []


def test_roles_of_the_direct_convolutions_input():
    for stride, padding, kernel in [(1, 0, 3), (2, 1, 3), (3, 0, 2), (2, 3, 3)]:
        x, w = plot.one_channel(np.ones((3, 3)), np.ones((kernel, kernel)))
        roles, _ = pictures.roles_of(x, w, stride=stride, padding=padding)
        inserted = stride * 2 + 1   # zero-inserted size s(i-1)+1, before any crop
        if kernel - 1 - padding >= 0:
            assert (roles == "input").sum() == 9
            assert (roles == "inserted zeros").sum() == inserted ** 2 - 9
            assert (roles == "padding").sum() == roles.size - inserted ** 2
        else:   # a negative pad crops: no padding, and the outer inputs are cut off
            assert (roles == "padding").sum() == 0 and (roles == "input").sum() == 1


def test_pictures_work_without_widgets():
    import matplotlib.pyplot as plt
    drawn = [pictures.ShapesPicture().draw(), pictures.OverlapPicture().draw(),
                pictures.GroupsPicture().draw(in_channels=6, out_channels=4, groups=2),
                pictures.MatrixPicture().draw([[1, 2], [3, 4]], [[1, 2], [3, 4]]),
                pictures.DirectPicture().draw([1, 2, 3], [1, 2, 1], stride=2, step=3)]
    for picture in drawn:
        assert picture.png().startswith(b"\x89PNG")
        assert set(picture.roles) <= set(plot.COLORS)
    assert plt.get_fignums() == []
    one_row = drawn[-1]
    assert one_row.figure.get_figheight() < one_row.size[1]   # 1-D: only the height it needs


def test_invalid_arguments_raise_convlibs_errors():
    with pytest.raises(ValueError, match="output_padding must be smaller"):
        pictures.ScatterPicture().draw([[1]], [[1]], stride=1, output_padding=1)
    with pytest.raises(ValueError, match="1-D or 2-D input"):
        pictures.DirectPicture().draw(np.ones((1, 2, 2)), np.ones((1, 1, 2, 2)))
    with pytest.raises(ValueError, match="groups=4 must divide"):
        pictures.GroupsPicture().draw(in_channels=4, out_channels=6, groups=4)
    assert convlib.conv_transpose_output_size(1, 1) == 1

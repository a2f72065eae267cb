"""Exact upsampling, sub-pixel convolution and resize-convolution (chapter 10), with PyTorch's
conv_transpose, pixel_shuffle and interpolate as the reference."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import convlib
from convlib.upsample import (bilinear_kernel, conv_transpose_subpixel, exact_upsampling,
                              pixel_shuffle, resize_conv_weight, sample_picture, subpixel,
                              transposed_from_subpixel)


@pytest.mark.parametrize("factor", range(1, 9))
def test_exact_upsampling_is_bilinear_interpolation_for_every_factor(factor):
    x = torch.from_numpy(np.random.default_rng(factor).random((1, 2, 5, 7)))
    params = exact_upsampling(factor)
    w = torch.from_numpy(bilinear_kernel(params["kernel_size"], factor))
    ours = F.conv_transpose2d(x, w.expand(2, 1, *w.shape), groups=2, stride=factor,
                              padding=params["padding"])
    theirs = F.interpolate(x, scale_factor=factor, mode="bilinear", align_corners=False)
    assert ours.shape == theirs.shape == (1, 2, 5 * factor, 7 * factor)
    inside = (..., slice(factor, -factor), slice(factor, -factor))
    assert torch.allclose(ours[inside], theirs[inside])


def test_exact_upsampling_refuses_a_bad_factor():
    with pytest.raises(ValueError, match="factor must be >= 1, got factor=0"):
        exact_upsampling(0)
    with pytest.raises(TypeError, match="factor"):
        exact_upsampling(2.0)


@st.composite
def cases(draw, dims=2):
    s = draw(st.integers(1, 3))
    k = tuple(draw(st.lists(st.integers(1, 6), min_size=dims, max_size=dims)))
    p = tuple(draw(st.lists(st.integers(0, 4), min_size=dims, max_size=dims)))
    op = draw(st.integers(0, s - 1))
    i = tuple(draw(st.lists(st.integers(1, 4), min_size=dims, max_size=dims)))
    c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return i, k, s, p, op, c_in, c_out


@settings(max_examples=60, deadline=None)
@given(case=cases())
def test_subpixel_convolution_equals_the_transposed_convolution(case):
    """PyTorch's own conv2d and pixel_shuffle, with the rearranged weight and paddings."""
    i, k, s, p, op, c_in, c_out = case
    try:
        sizes = convlib.validate_sizes(i, k, s, p, op)
    except ValueError:
        return  # padding leaves no output: conv_transpose2d refuses it too
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.standard_normal((2, c_in) + i))
    w = torch.from_numpy(rng.standard_normal((c_in, c_out) + k))
    plan = subpixel(w, i, s, p, op)
    assert isinstance(plan.weight, torch.Tensor) and plan.weight.shape[:2] == (c_out * s * s, c_in)
    padded = F.pad(x, [a for pair in zip(plan.pad_before[::-1], plan.pad_after[::-1])
                       for a in pair])
    shuffled = F.pixel_shuffle(F.conv2d(padded, plan.weight), s)
    ours = shuffled[..., :sizes.output_size[0], :sizes.output_size[1]]
    assert torch.allclose(ours, F.conv_transpose2d(x, w, stride=s, padding=p, output_padding=op))


@settings(max_examples=60, deadline=None)
@given(dims=st.integers(1, 3), data=st.data())
def test_conv_transpose_subpixel_matches_pytorch_in_every_dimension(dims, data):
    i, k, s, p, op, c_in, c_out = data.draw(cases(dims))
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((1, c_in) + i), rng.standard_normal((c_in, c_out) + k)
    b = rng.standard_normal(c_out)
    function = getattr(F, f"conv_transpose{dims}d")
    try:
        reference = function(*map(torch.from_numpy, (x, w, b)), stride=s, padding=p,
                             output_padding=op).numpy()
    except RuntimeError:
        with pytest.raises(ValueError, match="padding"):
            conv_transpose_subpixel(x, w, b, s, p, op)
        return
    assert np.allclose(conv_transpose_subpixel(x, w, b, s, p, op), reference)


def test_k4_s2_p1_is_a_3x3_convolution_and_pixel_shuffle():
    """The common case: symmetric padding 1, no crop, and 2 of every 3 taps used per phase."""
    w = torch.arange(1.0, 17.0).view(1, 1, 4, 4)
    plan = subpixel(w, (5, 5), stride=2, padding=1)
    assert plan.pad_before == plan.pad_after == (1, 1) and plan.output_size == (10, 10)
    assert plan.weight.shape == (4, 1, 3, 3)
    assert plan.weight[0, 0].tolist() == [[16, 14, 0], [8, 6, 0], [0, 0, 0]]  # taps 3, 1 backwards
    assert int((plan.weight != 0).sum()) == 16  # every tap exactly once


def test_pixel_shuffle_matches_pytorch_and_checks_channels():
    x = torch.arange(2 * 18 * 3 * 2.0).view(2, 18, 3, 2)
    assert torch.equal(pixel_shuffle(x, 3), F.pixel_shuffle(x, 3))
    with pytest.raises(ValueError, match="divisible by prod\\(stride\\) = 4"):
        pixel_shuffle(np.zeros((1, 6, 2, 2)), 2)


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("conv_padding", [0, 1, 2])
def test_resize_convolution_is_a_transposed_convolution(stride, conv_padding):
    rng = np.random.default_rng(stride)
    x = torch.from_numpy(rng.standard_normal((2, 3, 4, 5)))
    v = torch.from_numpy(rng.standard_normal((2, 3, 3, 3)))
    resized = F.conv2d(F.interpolate(x, scale_factor=stride, mode="nearest"), v,
                       padding=conv_padding)
    w = resize_conv_weight(v, stride)
    assert w.shape == (3, 2, 2 + stride, 2 + stride)
    assert torch.allclose(resized, F.conv_transpose2d(x, w, stride=stride,
                                                      padding=2 - conv_padding))


def test_every_phase_of_a_resize_convolution_kernel_has_the_same_sum():
    v = np.random.default_rng(0).standard_normal((1, 1, 3))
    w = resize_conv_weight(v, 3)[0, 0]
    assert np.allclose([w[r::3].sum() for r in range(3)], v.sum())


def test_sample_picture_in_color():
    picture = sample_picture(8, color=True)
    assert picture.shape == (3, 75, 64) and picture.dtype == np.float32
    assert np.allclose(picture.mean(axis=0), sample_picture(8))


@pytest.mark.parametrize("dims, stride, j, conv_padding", [
    (1, 2, 3, 1), (1, 3, 2, 0), (2, 2, 3, 1), (2, 2, 3, 0), (2, 2, 3, 2), (2, 3, 2, 1),
    (2, 1, 3, 1), (2, (2, 3), 3, (1, 0)), (3, 2, 2, 1), (3, (2, 3, 1), 3, (1, 0, 2))])
def test_a_subpixel_convolution_is_a_transposed_convolution(dims, stride, j, conv_padding):
    """The converse of subpixel: a stride-1 convolution with any weight, then pixel shuffle, is
    PyTorch's conv_transpose with transposed_from_subpixel's weight and padding."""
    s = convlib.shapes.as_tuple(stride, dims, "stride")
    rng = np.random.default_rng(dims)
    x = torch.from_numpy(rng.standard_normal((2, 3) + (4, 5, 3)[:dims]))
    v = torch.from_numpy(rng.standard_normal((2 * int(np.prod(s)), 3) + (j,) * dims))
    z = getattr(F, f"conv{dims}d")(x, v, padding=conv_padding)
    square = dims == 2 and s[0] == s[1]        # what torch's own pixel_shuffle can do
    shuffled = F.pixel_shuffle(z, s[0]) if square else pixel_shuffle(z, s)
    w, padding = transposed_from_subpixel(v, stride, conv_padding)
    assert isinstance(w, torch.Tensor) and w.shape == (3, 2) + tuple(j * si for si in s)
    transposed = getattr(F, f"conv_transpose{dims}d")(x, w, stride=stride, padding=padding)
    assert shuffled.shape == transposed.shape
    assert torch.allclose(shuffled, transposed)


def test_a_free_3x3_subpixel_x2_is_kernel_size_6_padding_2_and_back():
    """Shi et al. 2016: 36 free weights either way; subpixel takes the weight back exactly."""
    v = torch.arange(1.0, 4 * 2 * 9 + 1).view(4, 2, 3, 3)          # C_out = 1, C_in = 2
    w, padding = transposed_from_subpixel(v, 2, 1)
    assert w.shape == (2, 1, 6, 6) and padding == (2, 2)
    assert sorted(w.ravel().tolist()) == v.ravel().tolist()      # every tap used once
    plan = subpixel(w, (5, 5), stride=2, padding=2)
    assert plan.pad_before == (1, 1) and torch.equal(plan.weight, v)


def test_transposed_from_subpixel_refuses_what_has_no_transposed_convolution():
    with pytest.raises(ValueError, match="padding must be <= kernel_size - 1 = \\(2, 2\\)"):
        transposed_from_subpixel(np.zeros((4, 1, 3, 3)), 2, 3)
    with pytest.raises(ValueError, match="divisible by prod\\(stride\\) = 4"):
        transposed_from_subpixel(np.zeros((6, 1, 3, 3)), 2)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        transposed_from_subpixel(np.zeros((4, 1, 3, 3)), 0)

"""The bilinear kernel and the sample picture of convlib.upsample, with PyTorch as the reference."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convlib.upsample import bilinear_kernel, sample_picture


def test_bilinear_kernel_values():
    assert np.allclose(bilinear_kernel(4, 2, dims=1), [0.25, 0.75, 0.75, 0.25])
    assert np.allclose(bilinear_kernel(3, 2, dims=1), [0.5, 1, 0.5])
    one = bilinear_kernel(4, 2, dims=1)
    assert np.allclose(bilinear_kernel(4, 2), np.outer(one, one))
    assert bilinear_kernel(4, 2, dims=3).shape == (4, 4, 4)


@pytest.mark.parametrize("stride", [2, 3, 4])
@pytest.mark.parametrize("dims", [1, 2, 3])
def test_a_constant_stays_constant_away_from_the_border(stride, dims):
    """kernel_size = 2 * stride: each position gets two taps whose weights add up to 1."""
    w = torch.from_numpy(bilinear_kernel(2 * stride, stride, dims))[None, None]
    out = getattr(F, f"conv_transpose{dims}d")(torch.ones((1, 1) + (5,) * dims, dtype=w.dtype), w,
                                               stride=stride)
    inner = out[(0, 0) + (slice(2 * stride, -2 * stride),) * dims]
    assert inner.numel() and torch.allclose(inner, torch.ones_like(inner))


def test_k4_s2_p1_is_bilinear_interpolation_inside():
    x = torch.from_numpy(np.random.default_rng(0).random((1, 1, 6, 7)))
    w = torch.from_numpy(bilinear_kernel(4, 2))[None, None]
    ours = F.conv_transpose2d(x, w, stride=2, padding=1)
    theirs = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
    assert ours.shape == theirs.shape
    assert torch.allclose(ours[..., 1:-1, 1:-1], theirs[..., 1:-1, 1:-1])


def test_sample_picture_is_small_gray_and_in_range():
    picture = sample_picture(8)
    assert picture.shape == (75, 64) and picture.dtype == np.float32
    assert 0 <= picture.min() < picture.max() <= 1
    assert sample_picture(4).shape == (150, 128)

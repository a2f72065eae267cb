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
    assert np.allclose(bilinear_kernel(6, 2, dims=1), [0, 0.25, 0.75, 0.75, 0.25, 0])  # a tent:
    assert (bilinear_kernel(26, 12) >= 0).all()                  # zeros beyond, never negative


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


FACTORS = [2, 3, 4, 5, 6, 7, 8, 32]
MODES = {1: "linear", 2: "bilinear", 3: "trilinear"}


@pytest.mark.parametrize("factor", FACTORS)
@pytest.mark.parametrize("dims", [1, 2])
def test_interpolate_is_f_interpolate_border_included(factor, dims):
    from convlib.upsample import interpolate
    size = (7, 5)[:dims] if factor < 32 else (3, 2)[:dims]
    x = torch.rand((2, 6) + size, dtype=torch.float64,
                   generator=torch.Generator().manual_seed(factor))
    ours = interpolate(x, factor)
    theirs = F.interpolate(x, scale_factor=factor, mode=MODES[dims], align_corners=False)
    assert isinstance(ours, torch.Tensor) and ours.shape == theirs.shape
    torch.testing.assert_close(ours, theirs, rtol=0, atol=1e-13)


@pytest.mark.parametrize("factor", FACTORS)
def test_the_plain_pytorch_recipe_is_the_helpers_rule(factor):
    """F.pad(x, replicate 1) then F.conv_transpose2d with the tent, stride s, padding p + s."""
    from convlib.upsample import interpolation
    rule = interpolation(factor)
    x = torch.rand(1, 3, 4, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    tent = torch.from_numpy(bilinear_kernel(rule["kernel_size"], factor)).expand(3, 1, -1, -1)
    ours = F.conv_transpose2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), tent, stride=factor,
                              padding=rule["padding"], groups=3)
    torch.testing.assert_close(ours, F.interpolate(x, scale_factor=factor, mode="bilinear"),
                               rtol=0, atol=1e-13)
    assert rule == dict(kernel_size=2 * factor - factor % 2, stride=factor,
                        padding=factor // 2 + factor, replicate=1)
    # without the pad (and with exact_upsampling's padding) only the border differs
    plain = F.conv_transpose2d(x, tent, stride=factor, padding=factor // 2, groups=3)
    assert (plain - F.interpolate(x, scale_factor=factor, mode="bilinear")).abs().max() > 0.01


def test_trilinear_too():
    from convlib.upsample import interpolate
    x = np.random.default_rng(0).random((1, 2, 3, 4, 2))
    theirs = F.interpolate(torch.from_numpy(x), scale_factor=3, mode="trilinear").numpy()
    np.testing.assert_allclose(interpolate(x, 3), theirs, atol=1e-13)


@pytest.mark.parametrize("factor", FACTORS)
@pytest.mark.parametrize("dims", [1, 2])
def test_align_corners_at_the_size_where_it_is_a_transposed_convolution(factor, dims):
    from convlib.upsample import interpolate
    size = (6, 4)[:dims]
    x = torch.rand((2, 5) + size, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    theirs = F.interpolate(x, size=tuple(factor * (i - 1) + 1 for i in size), mode=MODES[dims],
                           align_corners=True)
    torch.testing.assert_close(interpolate(x, factor, align_corners=True), theirs, rtol=0,
                               atol=1e-13)


@pytest.mark.parametrize("factor", [2, 3, 4])
def test_align_corners_at_factor_times_the_size_is_no_transposed_convolution(factor):
    """A transposed convolution with stride s moves its output s places when its input moves
    one: align_corners=True at size s*i does not, for any kernel."""
    impulses = torch.eye(8, dtype=torch.float64)[:, None]        # 8 inputs, one 1 each
    out = F.interpolate(impulses, size=8 * factor, mode="linear", align_corners=True)
    shifted = [torch.roll(out[j], factor) for j in range(7)]   # input j moved to j + 1
    assert not all(torch.allclose(shifted[j][..., factor:], out[j + 1][..., factor:])
                   for j in range(7))
    exact = F.interpolate(impulses, size=7 * factor + 1, mode="linear", align_corners=True)
    assert all(torch.allclose(torch.roll(exact[j], factor)[..., factor:],
                              exact[j + 1][..., factor:]) for j in range(7))


def test_interpolate_refuses_an_input_without_channels():
    from convlib.upsample import interpolate
    with pytest.raises(ValueError, match=r"input.shape=\(4,\)"):
        interpolate(np.ones(4), 2)
    with pytest.raises(ValueError, match="factor"):
        interpolate(np.ones((1, 1, 4)), 0)


def test_transposed_layers_refuse_other_padding_modes_and_same():
    """Why the fix is a pad before the layer: ConvTranspose2d has no replicate padding."""
    with pytest.raises(ValueError, match='Only "zeros" padding mode'):
        torch.nn.ConvTranspose2d(3, 3, 4, stride=2, padding_mode="replicate")
    layer = torch.nn.ConvTranspose2d(3, 3, 4, stride=2, padding="same")
    with pytest.raises(TypeError):
        layer(torch.ones(1, 3, 5, 5))

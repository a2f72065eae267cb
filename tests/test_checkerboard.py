"""The checkerboard measure, the training loop and the least-squares layer of chapter 11."""
import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from convlib.checkerboard import (checkerboard, least_squares_upsampler, phase_means,
                                  random_crops, train_upsampler)


def test_phase_means_are_the_means_of_each_stride_phase_inside_the_border():
    y = np.random.default_rng(0).random((12, 10))
    means = phase_means(y, stride=2, border=2)
    inner = y[2:-2, 2:-2]
    assert means.shape == (2, 2)
    assert np.allclose(means, [[inner[a::2, b::2].mean() for b in (0, 1)] for a in (0, 1)])
    assert phase_means(torch.from_numpy(y)[None, None], 2, 2).tolist() == means.tolist()
    assert phase_means(np.arange(9.0), 3, border=0).tolist() == [3, 4, 5]
    assert phase_means(np.ones((1, 1, 6, 6, 6)), (1, 2, 3), border=0).shape == (1, 2, 3)


def test_checkerboard_is_zero_when_flat_and_the_spread_over_the_mean_otherwise():
    assert checkerboard(np.full((16, 16), 0.7)) == 0
    counts = np.tile([[1.0, 2.0], [2.0, 4.0]], (8, 8))  # the k3 s2 overlap pattern
    assert checkerboard(counts) == pytest.approx((4 - 1) / 2.25)
    assert checkerboard(np.tile([1.0, 3.0, 2.0], 10), stride=3, border=3) == pytest.approx(1.0)


def test_bad_arguments_are_refused_with_their_names():
    with pytest.raises(ValueError, match="border=4"):
        checkerboard(np.ones((9, 9)))
    with pytest.raises(ValueError, match="stride must be >= 1"):
        phase_means(np.ones((8, 8)), stride=0)
    with pytest.raises(ValueError, match="border must be >= 0"):
        phase_means(np.ones((8, 8)), border=-1)


def test_random_crops_come_from_the_picture():
    picture = torch.arange(40.0 * 30).view(1, 1, 40, 30)
    crops = random_crops(picture, 5, 8, torch.Generator().manual_seed(0))
    assert crops.shape == (5, 1, 8, 8)
    assert all(torch.equal(c[0, 1:] - c[0, :-1], torch.full((7, 8), 30.0)) for c in crops)


def smooth_picture(size=48):
    """A smooth generated picture in [0, 1] (no download needed)."""
    r = torch.linspace(0, 3, size, dtype=torch.float64)
    return (0.5 + 0.4 * torch.sin(r[:, None] * 2) * torch.cos(r[None, :] * 1.5))[None, None]


@pytest.fixture
def one_thread():
    """As in the chapter: tiny convolutions run faster and in one fixed order on one thread."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_training_is_deterministic_and_lowers_the_error(one_thread):
    picture = smooth_picture()

    def run():
        torch.manual_seed(0)
        layer = nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1).double()
        before = F.mse_loss(layer(F.avg_pool2d(picture, 2)), picture).item()
        history = train_upsampler(layer, picture, steps=40, every=20, size=16, batch=4)
        after = F.mse_loss(layer(F.avg_pool2d(picture, 2)), picture).item()
        return history, before, after, layer.weight.detach().clone()

    first, second = run(), run()
    assert list(first[0]) == [20, 40]
    assert first[0] == second[0] and torch.equal(first[3], second[3])
    assert first[2] < first[1]


@pytest.mark.parametrize("kernel_size, output_padding", [(3, 1), (4, 0)])
def test_least_squares_upsampler_is_the_minimum(kernel_size, output_padding):
    picture = smooth_picture()
    weight, bias = least_squares_upsampler(picture, kernel_size, stride=2, padding=1,
                                           output_padding=output_padding)
    weight.requires_grad_(True)
    bias.requires_grad_(True)
    out = F.conv_transpose2d(F.avg_pool2d(picture, 2), weight, bias, stride=2, padding=1,
                             output_padding=output_padding)
    ((out - picture) ** 2).sum().backward()
    assert weight.grad.abs().max() < 1e-8 and bias.grad.abs().max() < 1e-8


def test_least_squares_upsampler_needs_the_size_back():
    with pytest.raises(ValueError, match="gives the size back"):
        least_squares_upsampler(smooth_picture(), 3, stride=2, padding=1, output_padding=0)

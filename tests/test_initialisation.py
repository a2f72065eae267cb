"""convlib.initialisation: PyTorch's fan-in, each phase's variance at PyTorch's default init
(formulas against measured outputs), and the starts without a checkerboard."""
import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import convlib
from convlib import initialisation as init
from convlib.checkerboard import checkerboard, phase_means
from convlib.upsample import bilinear_kernel

LAYERS = [nn.Conv1d(6, 4, 3), nn.Conv2d(6, 4, 3, groups=2), nn.Conv3d(2, 8, (1, 2, 3)),
          nn.ConvTranspose1d(6, 4, 5, stride=2), nn.ConvTranspose2d(512, 256, 4, 2, 1),
          nn.ConvTranspose2d(6, 4, 3, groups=2), nn.ConvTranspose3d(2, 3, (2, 1, 4))]


@pytest.mark.parametrize("layer", LAYERS,
                         ids=lambda m: f"{type(m).__name__}{tuple(m.weight.shape)}")
def test_fan_in_is_pytorchs(layer):
    fan_in, _ = nn.init._calculate_fan_in_and_fan_out(layer.weight)
    assert init.pytorch_fan_in(tuple(layer.weight.shape)) == fan_in
    bound = 1 / np.sqrt(fan_in)   # kaiming_uniform_(a=sqrt(5)): variance bound^2 / 3
    assert layer.weight.abs().max() <= bound and layer.bias.abs().max() <= bound
    assert init.pytorch_default_variances(tuple(layer.weight.shape)) == \
        pytest.approx((bound**2 / 3,) * 2)


def test_the_transposed_layer_reads_the_wrong_channel_axis():
    layer = nn.ConvTranspose2d(512, 256, 4, stride=2, padding=1)
    assert init.pytorch_fan_in(tuple(layer.weight.shape)) == 256 * 16 == 4096
    assert init.transposed_fan_in(tuple(layer.weight.shape), stride=2) == 512 * 4 == 2048


def measured(layer, x, border):
    """Each phase's variance of layer(x) inside `border` (a multiple of the stride, so that phase r
    is the outputs o with o mod s == r), over all output channels."""
    with torch.no_grad():
        y = layer(x)
    s = layer.stride
    return phase_means(y.double() ** 2, s, border) - phase_means(y.double(), s, border) ** 2


@pytest.mark.parametrize("c_in, c_out, k, s, p, op, d, g", [
    (256, 64, 3, 2, 1, 1, 1, 1), (256, 64, 4, 2, 1, 0, 1, 1), (128, 32, 5, 3, 2, 2, 1, 1),
    (128, 64, 3, 2, 2, 1, 2, 2), (192, 48, 4, 4, 0, 0, 1, 3), ((128, 64, (3, 4), (2, 3), 1,
                                                                 (1, 2), 1, 1))])
def test_phase_variances_at_pytorchs_default_init_are_measured(c_in, c_out, k, s, p, op, d, g):
    torch.manual_seed(0)
    layer = nn.ConvTranspose2d(c_in, c_out, k, stride=s, padding=p, output_padding=op,
                               dilation=d, groups=g)
    x = torch.randn(1, c_in, 30, 30)
    setup = convlib.validate(x.shape, layer.weight.shape, stride=s, padding=p,
                             output_padding=op, dilation=d, groups=g)
    weight_variance, bias_variance = init.pytorch_default_variances(tuple(layer.weight.shape))
    bias = layer.bias.detach()
    # only C_out values: their own spread is what a phase that no tap reaches shows
    assert float(bias.var()) == pytest.approx(bias_variance, rel=0.6)
    expected = init.phase_variances(setup, weight_variance, float(bias.var(unbiased=False)))
    np.testing.assert_allclose(measured(layer, x, border=12), expected, rtol=0.06)


def test_taps_per_phase_share_out_the_kernel():
    for k, s, p, d in [(3, 2, 1, 1), (4, 2, 1, 1), (5, 3, 0, 2), (3, 2, 0, 2),
                       ((3, 5), (2, 3), 1, 1)]:
        setup = convlib.validate((1, 1, 9, 9), (1, 1) + ((k,) * 2 if isinstance(k, int) else k),
                                 stride=s, padding=p, dilation=d)
        taps = init.taps_per_phase(setup)
        assert taps.shape == setup.stride and taps.sum() == np.prod(setup.kernel_size)
    k3 = convlib.validate((1, 1, 4, 4), (1, 1, 3, 3), stride=2, padding=1, output_padding=1)
    assert init.taps_per_phase(k3).tolist() == [[1, 2], [2, 4]]


def test_kaiming_transposed_gives_the_input_variance_in_every_phase():
    layer = nn.ConvTranspose2d(256, 64, 4, stride=2, padding=1, bias=False)
    init.kaiming_transposed_(layer.weight, stride=2, generator=torch.Generator().manual_seed(0))
    variances = measured(layer, torch.randn(1, 256, 24, 24), border=4)
    np.testing.assert_allclose(variances, 1, rtol=0.06)


def test_icnr_starts_sub_pixel_convolution_as_nearest_neighbour():
    v = torch.randn(8, 16, 3, 3)
    conv = nn.Conv2d(16, 32, 3, padding=1, bias=False)
    conv.weight.data = torch.from_numpy(init.icnr(v.numpy(), 2))
    x = torch.randn(2, 16, 10, 10)
    with torch.no_grad():
        y = F.pixel_shuffle(conv(x), 2)
    nearest = F.interpolate(F.conv2d(x, v, padding=1), scale_factor=2, mode="nearest")
    torch.testing.assert_close(y, nearest)
    assert checkerboard(y ** 2, 2, border=0) == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("s", [2, 3])
def test_icnr_transposed_starts_as_a_convolution_repeated_over_s_by_s(s):
    v = torch.randn(16, 8, 2, 2, dtype=torch.float64)
    w = torch.from_numpy(init.icnr_transposed(v.numpy(), s))
    assert w.shape == (16, 8, 2 * s, 2 * s)
    x = torch.randn(2, 16, 9, 9, dtype=torch.float64)
    y = F.conv_transpose2d(x, w, stride=s)
    full = F.conv_transpose2d(x, v)                      # the full convolution of x with v
    torch.testing.assert_close(y, F.interpolate(full, scale_factor=s, mode="nearest"))
    flat = F.conv_transpose2d(torch.ones(1, 16, 9, 9, dtype=torch.float64), w, stride=s,
                              padding=s // 2 * 2 - s // 2)
    assert checkerboard(flat[:, :1], s, border=2 * s) == pytest.approx(0, abs=1e-12)


def test_bilinear_and_nearest_starts_have_equal_phases():
    x = torch.randn(1, 32, 40, 40, dtype=torch.float64)
    eye = torch.eye(32, dtype=torch.float64)[:, :, None, None]
    for kernel, padding in [(torch.from_numpy(bilinear_kernel(4, 2)), 1),
                            (torch.ones(2, 2, dtype=torch.float64), 0)]:
        y = F.conv_transpose2d(x, eye * kernel, stride=2, padding=padding)
        variances = phase_means(y ** 2, 2, border=4)
        assert variances.max() / variances.min() < 1.05   # sampling noise only
        flat = F.conv_transpose2d(torch.ones(1, 32, 8, 8, dtype=torch.float64), eye * kernel,
                                  stride=2, padding=padding)
        assert checkerboard(flat, 2, border=2) == pytest.approx(0, abs=1e-12)

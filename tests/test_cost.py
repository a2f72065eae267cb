"""convlib.cost's formulas against counting: PyTorch's own FLOP counter on the real layers, and
brute-force enumeration of the products on small cases."""
from itertools import product

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st
from torch.utils.flop_counter import FlopCounterMode

import convlib
from convlib import cost


def counted(module, x):
    """Multiply-adds that torch.utils.flop_counter counts for module(x) (it counts 2 per MAC)."""
    with FlopCounterMode(display=False) as counter:
        module(x)
    return counter.get_total_flops() // 2


def test_the_four_views_of_the_x2_layer_match_pytorchs_counter():
    views = cost.upsampling_views(channels=64, size=128, factor=2)
    x = torch.randn(1, 64, 128, 128)
    direct_in = convlib.direct_input(x, torch.ones(64, 64, 4, 4), stride=2, padding=1)
    layers = {"ConvTranspose2d(k=4, s=2, p=1)": (nn.ConvTranspose2d(64, 64, 4, 2, 1), x),
              "zero insertion + direct convolution": (nn.Conv2d(64, 64, 4), direct_in),
              "nearest resize + Conv2d(3x3)": (nn.Sequential(nn.Upsample(scale_factor=2),
                                                             nn.Conv2d(64, 64, 3, padding=1)), x),
              "Conv2d(3x3, 256 out) + PixelShuffle(2)": (nn.Sequential(
                  nn.Conv2d(64, 256, 3, padding=1), nn.PixelShuffle(2)), x)}
    with torch.no_grad():
        for name, (layer, given) in layers.items():
            assert views[name] == counted(layer, given), name
    assert views["by phases (conv_transpose_phases)"] == views["ConvTranspose2d(k=4, s=2, p=1)"]
    assert round(views["ConvTranspose2d(k=4, s=2, p=1)"] / 1e9, 2) == 1.07
    assert round(views["zero insertion + direct convolution"] / 1e9, 2) == 4.29
    assert round(views["nearest resize + Conv2d(3x3)"] / 1e9, 2) == 2.42


@st.composite
def small_layers(draw):
    dims = draw(st.integers(1, 2))
    size, k, s, d = ([draw(st.integers(1, 4)) for _ in range(dims)] for _ in range(4))
    op = [draw(st.integers(0, max(sj, dj) - 1)) for sj, dj in zip(s, d)]
    p = [draw(st.integers(0, ((i - 1) * sj + dj * (kj - 1) + oj) // 2))
         for i, kj, sj, dj, oj in zip(size, k, s, d, op)]
    groups = draw(st.sampled_from([1, 2]))
    return convlib.validate((2, 2 * groups, *size), (2 * groups, 3, *k), stride=s, padding=p,
                            output_padding=op, dilation=d, groups=groups)


@settings(max_examples=80, deadline=None)
@given(setup=small_layers())
def test_views_against_counting_every_product(setup):
    """Enumerate (output, tap) pairs of the direct view and (input, tap) pairs of scatter-add."""
    pairs = setup.batch * setup.out_channels * setup.in_channels // setup.groups
    axes = list(zip(setup.input_size, setup.kernel_size, setup.stride, setup.padding,
                    setup.dilation, setup.output_size))
    taps = list(product(*(range(k) for _, k, *_ in axes)))
    outputs = list(product(*(range(o) for *_, o in axes)))
    inputs = list(product(*(range(i) for i, *_ in axes)))

    def reads(o, k):  # the zero-inserted position that output o's tap k reads, per axis
        return [oj + p - d * kj for oj, kj, (i, _, s, p, d, _) in zip(o, k, axes)]

    inserted = padded = real = in_phase = 0
    for o, k in product(outputs, taps):
        r = reads(o, k)
        in_phase += all(rj % s == 0 for rj, (_, _, s, *_) in zip(r, axes))
        if not all(0 <= rj <= s * (i - 1) for rj, (i, _, s, *_) in zip(r, axes)):
            padded += 1
        elif all(rj % s == 0 for rj, (_, _, s, *_) in zip(r, axes)):
            real += 1
        else:
            inserted += 1
    assert cost.multiply_adds(setup, "direct") == pairs * len(outputs) * len(taps)
    assert cost.multiply_adds(setup, "transposed") == pairs * len(inputs) * len(taps)
    assert cost.multiply_adds(setup, "phases") == pairs * in_phase
    assert cost.multiply_adds(setup, "useful") == pairs * real
    on_inserted, on_padding = cost.direct_on_zeros(setup)
    assert on_inserted == pytest.approx(inserted / len(outputs) / len(taps))
    assert on_padding == pytest.approx(padded / len(outputs) / len(taps))


def test_three_quarters_of_the_direct_views_products_hit_zeros():
    setup = convlib.validate((1, 64, 128, 128), (64, 64, 4, 4), stride=2, padding=1)
    on_inserted, on_padding = cost.direct_on_zeros(setup)
    assert round(on_inserted, 3) == 0.740 and round(on_padding, 3) == 0.012
    # counted on the real direct input: ones where an input lands, zeros elsewhere
    ones = convlib.direct_input(np.ones((1, 1, 128, 128)), np.ones((1, 1, 4, 4)), stride=2,
                                padding=1)
    hits = F.conv2d(torch.from_numpy(ones), torch.ones(1, 1, 4, 4, dtype=torch.float64)).sum()
    assert float(hits) / (256 * 256 * 16) == pytest.approx(1 - on_inserted - on_padding)


def test_an_unknown_view_is_refused():
    setup = convlib.validate((1, 1, 3), (1, 1, 2))
    with pytest.raises(ValueError, match="view=.*'matrix'"):
        cost.multiply_adds(setup, "matrix")

"""convlib.receptive_field against autograd (the inputs that reach one output, and where the
output is centred) and against the FCN numbers (chapter 14)."""
import itertools
import random
from fractions import Fraction

import pytest
import torch
import torch.nn as nn

from convlib import shapes
from convlib.grading.properties import centres_on_input
from convlib.grading.rules import from_spec
from convlib.receptive_field import chain, conv, conv_transpose, crop_offset, pool, written
from convlib.upsample import bilinear_kernel


def module(layer, weight=None):
    """The layer as a one-channel PyTorch module (float64), all weights 1 unless given."""
    k, s, p, d = layer.kernel_size, layer.stride, layer.padding, layer.dilation
    if layer.ceil_mode or layer.name.startswith("pool"):
        return nn.AvgPool1d(k, s, p, ceil_mode=layer.ceil_mode)
    make = nn.ConvTranspose1d if layer.transposed else nn.Conv1d
    extra = dict(output_padding=layer.output_padding) if layer.transposed else {}
    m = make(1, 1, k, s, p, dilation=d, bias=False, **extra).double()
    m.weight.data.fill_(1.0) if weight is None else m.weight.data.copy_(weight.view(1, 1, -1))
    return m


def network(layers, weights=None):
    weights = weights or {}
    return nn.Sequential(*[module(layer, weights.get(j)) for j, layer in enumerate(layers)])


def jacobian(net, n):
    """d output[v] / d input[j] for every v and j, by autograd, for an input of n entries."""
    x = torch.ones(1, 1, n, dtype=torch.float64)
    return torch.autograd.functional.jacobian(lambda x: net(x)[0, 0], x, vectorize=True)[:, 0, 0]


def random_layer(rng):
    kind = rng.choice(["conv", "pool", "transposed"])
    k, s, d = rng.randint(1, 4), rng.randint(1, 3), rng.randint(1, 2)
    if kind == "pool":
        return pool(k, s, rng.randint(0, k // 2), ceil_mode=rng.random() < 0.5)
    if kind == "conv":
        return conv(k, s, rng.randint(0, 2), d)
    return conv_transpose(k, s, rng.randint(0, 1), rng.randint(0, max(s, d) - 1), d)


def random_chains(count, seed=0):
    rng, found = random.Random(seed), []
    while len(found) < count:
        layers = [random_layer(rng) for _ in range(rng.randint(1, 4))]
        n = rng.randint(4, 12)
        try:
            sizes = chain(*layers).sizes(n)
        except ValueError:
            continue
        if min(sizes) >= 1:
            found.append((layers, n))
    return found


@pytest.mark.parametrize("layers, n", random_chains(40))
def test_the_inputs_that_reach_an_output_are_autograds(layers, n):
    net, c = network(layers), chain(*layers)
    rows = jacobian(net, n)
    assert rows.shape[0] == c.sizes(n)[-1]
    for index, row in enumerate(rows):
        assert c.reaching(index, n) == torch.nonzero(row).flatten().tolist(), (layers, index)


def test_pooling_sizes_are_pytorchs_with_and_without_ceil_mode():
    for i, k, s, p in itertools.product(range(1, 12), range(1, 4), range(1, 4), range(0, 2)):
        if p > k // 2 or i + 2 * p < k:
            continue
        for ceil_mode in (False, True):
            got = nn.MaxPool1d(k, s, p, ceil_mode=ceil_mode)(torch.ones(1, 1, i)).shape[-1]
            assert shapes.pool_output_size(i, k, s, p, ceil_mode=ceil_mode) == got


def centre(g):
    """The gradient-weighted mean position of the inputs: where an output is centred."""
    positions = torch.arange(g.numel(), dtype=torch.float64)
    return float((g * positions).sum() / g.sum())


@pytest.mark.parametrize("layers", [
    [conv(3, 2, 1), conv(5, 1, 0), pool(2), conv(3, 2, 0, 2)],
    [conv(4, 2, 1), conv(3, 3, 2), conv(1)],
    [pool(3, 2, 1), conv(2)],
])
def test_symmetric_kernels_centre_each_output_on_the_coordinate_map(layers):
    net, c, n = network(layers), chain(*layers), 90
    a, b = c.coordinate_map
    rows = jacobian(net, n)
    for index in range(2, c.sizes(n)[-1] - 2):   # away from the borders, which clip windows
        assert abs(centre(rows[index]) - float(a * index + b)) < 1e-9


@pytest.mark.parametrize("s", [2, 3, 4])
def test_a_bilinear_transposed_layer_centres_outputs_on_the_map(s):
    """A tent kernel interpolates linearly, so its weighted mean is the map exactly."""
    k = 2 * s - s % 2
    up = conv_transpose(k, s, (k - s) // 2 if s % 2 else s // 2)
    layers = [conv(3, 2, 1), up]
    weights = {1: torch.from_numpy(bilinear_kernel(k, s, dims=1))}
    net, c, n = network(layers, weights), chain(*layers), 40
    a, b = c.coordinate_map
    rows = jacobian(net, n)
    for index in range(3 * s, c.sizes(n)[-1] - 3 * s):
        assert abs(centre(rows[index]) - float(a * index + b)) < 1e-9


def fcn():
    """VGG16 as FCN puts it on one axis: conv1_1 padded by 100, Caffe's ceil_mode pooling."""
    layers, names = [conv(3, padding=100), conv(3, padding=1)], {}
    for block, convs in enumerate([0, 2, 3, 3, 3], start=1):
        layers += [conv(3, padding=1) for _ in range(convs)] + [pool(2, ceil_mode=True)]
        names[f"pool{block}"] = chain(*layers)
    names["score_fr"] = chain(*layers, conv(7), conv(1), conv(1))
    return names


def test_fcn32s_crops_at_19():
    net = fcn()
    score = net["score_fr"]
    assert score.sizes(500)[-1] == 16 and score.coordinate_map == (32, Fraction(25, 2))
    upscore = score + chain(conv_transpose(64, 32))
    assert upscore.sizes(500)[-1] == 544
    assert conv_transpose(64, 32).shift == Fraction(-63, 64)   # its centre: 32u + 31.5
    assert upscore.coordinate_map == (1, -19) and crop_offset(upscore, chain()) == 19


def test_fcn8s_crops_at_5_9_and_31():
    net = fcn()
    upscore2 = net["score_fr"] + chain(conv_transpose(4, 2))
    assert crop_offset(net["pool4"] + chain(conv(1)), upscore2) == 5
    upscore_pool4 = upscore2 + chain(conv_transpose(4, 2))
    assert crop_offset(net["pool3"] + chain(conv(1)), upscore_pool4) == 9
    assert crop_offset(upscore_pool4 + chain(conv_transpose(16, 8)), chain()) == 31


def test_transposed_layers_widen_by_phase():
    def counts(layer, n=8):
        c = chain(layer)
        return {len(c.reaching(v, n)) for v in range(2, c.sizes(n)[-1] - 2)}
    assert counts(conv_transpose(2, 2)) == {1}
    assert counts(conv_transpose(4, 2, 1)) == {2}
    assert counts(conv_transpose(3, 2, 1, 1)) == {1, 2}
    assert [len(chain(conv_transpose(3, 2, 1, 1)).reaching(v, 8)) for v in (4, 5)] == [1, 2]


def test_three_downsamplings_make_a_3_kernel_add_16():
    down = chain(*[conv(3, 2, 1)] * 3)
    assert down.jumps[-1] == 8
    assert (down + chain(conv(3))).receptive_field - down.receptive_field == 2 ** 3 * 2


def test_a_mirrored_transposed_layer_undoes_the_convolution_map():
    for k, s, p, d in itertools.product(range(1, 5), range(1, 4), range(3), range(1, 3)):
        for op in range(max(s, d)):
            c = chain(conv(k, s, p, d), conv_transpose(k, s, p, op, d))
            assert c.coordinate_map == (1, 0) and crop_offset(c, chain()) == 0


def test_misaligned_chains_are_refused_with_the_reason():
    half = chain(conv(3, 2), conv_transpose(4, 2, 1))
    assert half.coordinate_map == (1, Fraction(1, 2))
    with pytest.raises(ValueError, match="1/2 is not a whole number"):
        crop_offset(half, chain())
    with pytest.raises(ValueError, match="scales differ"):
        crop_offset(chain(conv(3, 2)), chain())


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="stride must be >= 1"):
        conv(3, stride=0)
    with pytest.raises(ValueError, match="output_padding must be smaller"):
        conv_transpose(3, 2, output_padding=2)
    with pytest.raises(ValueError, match="index must be an output index, 0 to 7"):
        chain(conv_transpose(2, 2)).reaching(8, 4)


def test_maps_are_written_as_a_reader_writes_them():
    assert written(32, Fraction(25, 2)) == "32*u + 25/2"
    assert written(1, -19, "v") == "v - 19" and written(1, 0, 5) == "5"
    assert written(Fraction(1, 2), Fraction(-1, 4)) == "1/2*u - 1/4"


def test_the_mirror_rule_of_exercise_14_4_is_the_chain_map():
    """grading.properties.centres_on_input (plain Python, graded on the site too) accepts
    (k', p') exactly when the chain conv(k, s, p), conv_transpose(k', s, p') maps v to v."""
    for k, p, s in itertools.product(range(1, 7), range(3), range(1, 4)):
        accepts = centres_on_input(k, p)
        for k2, p2 in itertools.product(range(1, 12), range(6)):
            mirrored = chain(conv(k, s, p), conv_transpose(k2, s, p2)).coordinate_map == (1, 0)
            assert accepts([k2, p2], None) == mirrored, (k, p, s, k2, p2)
    accepts = centres_on_input(5, 1)
    for wrong in ([3, 0.5], [0, -1.5], [1, -1], (True, False), "3, 0", [3], [3, 0, 0]):
        assert not accepts(wrong, None), wrong
    assert accepts((3.0, 0), None) and from_spec(accepts.spec)([7, 2], None)

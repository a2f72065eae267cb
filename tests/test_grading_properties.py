"""The property rules of convlib.grading.properties, plain Python over lists, against the PyTorch
computations they replace: the same verdict on many right and wrong answers."""
import math
import random
import time

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convlib.grading.properties import (conv_transpose_1d, correlate, gives_target,
                                        interpolate_linear, tent, upsamples_exactly)
from convlib.grading.rules import from_spec
from convlib.upsample import bilinear_kernel

SIGNAL, TARGET = [2, 1, 1, 3], [9, 8]    # exercise 04.2's
ROW = [0.2, 0.9, 0.4, 0.1, 0.7, 0.5]     # exercises 10.1, 10.2 and 13.1's


def as_tensor(values):
    return torch.tensor(values, dtype=torch.float64)[None, None]


# The helpers, each against PyTorch or convlib.
@pytest.mark.parametrize("stride", range(1, 13))
def test_the_tent_is_convlibs_bilinear_kernel_and_never_negative(stride):
    for kernel_size in range(1, 5 * stride):
        plain = tent(kernel_size, stride)
        assert plain == bilinear_kernel(kernel_size, stride, dims=1).tolist()
        assert min(plain) >= 0 and max(plain) <= 1


def test_a_tent_wider_than_twice_the_stride_has_zeros_at_its_ends_only():
    assert tent(6, 2) == [0.0, 0.25, 0.75, 0.75, 0.25, 0.0]
    assert tent(7, 2) == [0.0, 0.0, 0.5, 1.0, 0.5, 0.0, 0.0]


def test_the_transposed_convolution_is_pytorchs():
    rng = random.Random(0)
    for _ in range(500):
        n, k, stride, padding = (rng.randint(1, 7), rng.randint(1, 9), rng.randint(1, 5),
                                 rng.randint(0, 5))
        x = [rng.randint(-5, 5) for _ in range(n)]
        w = [rng.uniform(-2, 2) for _ in range(k)]
        if (n - 1) * stride - 2 * padding + k < 1:
            continue
        want = F.conv_transpose1d(as_tensor(x), as_tensor(w), stride=stride, padding=padding)
        assert np.allclose(conv_transpose_1d(x, w, stride, padding), want.ravel(), atol=1e-12)


def test_correlate_is_pytorchs_conv1d_and_empty_for_a_kernel_longer_than_the_signal():
    rng = random.Random(1)
    for _ in range(150):
        signal = [rng.randint(-5, 5) for _ in range(rng.randint(1, 8))]
        kernel = [rng.uniform(-2, 2) for _ in range(rng.randint(1, 8))]
        if len(kernel) > len(signal):
            assert correlate(signal, kernel) == []
            continue
        want = F.conv1d(as_tensor(signal), as_tensor(kernel)).ravel()
        assert np.allclose(correlate(signal, kernel), want, atol=1e-12)


@pytest.mark.parametrize("factor", range(1, 13))
def test_linear_interpolation_is_pytorchs(factor):
    rng = random.Random(factor)
    for length in range(1, 9):
        row = [rng.uniform(-1, 1) for _ in range(length)]
        want = F.interpolate(as_tensor(row), scale_factor=factor, mode="linear",
                             align_corners=False).ravel()
        got = interpolate_linear(row, factor)
        assert len(got) == len(want) and np.allclose(got, want, rtol=0, atol=1e-14)


# The PyTorch rules below read a value as the NumPy graders did, before convlib.grading:
def numbers(value):
    """`value` as an array of floats (a tensor is detached first), or None if it holds no numbers
    (a string is text, even "12")."""
    if isinstance(value, (str, bytes)):
        return None
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError, RuntimeError):
        return None


# 04.2: any kernel that gives the target. The PyTorch rule it replaces:
def gives_target_by_pytorch(value, signal=SIGNAL, target=TARGET):
    k = numbers(value)
    if k is None or k.size == 0:
        return False
    try:
        got = F.conv1d(as_tensor(signal), torch.tensor(k, dtype=torch.float64).reshape(1, 1, -1))
    except RuntimeError:  # a kernel longer than the signal
        return False
    return got.shape[-1] == len(target) and bool(np.allclose(got.ravel(), target))


def kernels(rng):
    """Right kernels (the flipped one plus multiples of the free direction, written many ways)
    and wrong ones: other lengths, nearly right, nested, empty, text, not a number."""
    free = [2, -5, 1]   # gives [0, 0] on both windows of SIGNAL
    right = [[a + t * f for a, f in zip([3, 2, 1], free)]
             for t in (0, 1, -1, 0.5, rng.uniform(-9, 9))]
    wrong = [[rng.randint(-4, 4) for _ in range(rng.randint(1, 6))] for _ in range(200)]
    wrong += [[3, 2, 1.001], [3, 2, 1 + 1e-9], [1, 2, 3], [3, 2], [3, 2, 1, 0], [], [[]],
              [[3, 2, 1]], [[3], [2], [1]], [[3, 2, 1], [3, 2, 1]], [[3, 2], [1]],
              3, "321", [float("nan")] * 3, [3, 2, float("inf")], [1, 1, 1, 1, 1]]
    return right + [tuple(k) for k in right] + wrong


def test_gives_target_agrees_with_pytorch_on_right_and_wrong_kernels():
    rule = gives_target(SIGNAL, TARGET)
    verdicts = [(rule(k, None), gives_target_by_pytorch(k)) for k in kernels(random.Random(4))]
    assert all(plain == by_pytorch for plain, by_pytorch in verdicts)
    assert sum(plain for plain, _ in verdicts) >= 12   # right ones were among them


def test_gives_target_works_for_other_signals_and_targets():
    rng = random.Random(5)
    for _ in range(100):
        signal = [rng.randint(-4, 4) for _ in range(rng.randint(1, 7))]
        kernel = [rng.randint(-3, 3) for _ in range(rng.randint(1, len(signal)))]
        target = correlate(signal, kernel)
        guess = [rng.randint(-3, 3) for _ in range(rng.randint(1, 7))]
        rule = gives_target(signal, target)
        assert rule(kernel, None)
        assert rule(guess, None) == gives_target_by_pytorch(guess, signal, target)


def test_a_bool_is_no_kernel():
    """PyTorch's rule read True as 1; the plain rule reads only numbers (issue 28)."""
    rule = gives_target([1, 1], [1, 1])
    assert rule([1], None) and not rule([True], None) and not rule(True, None)


# 10.1, 10.2, 13.1: a kernel_size and padding that upsample exactly. The PyTorch rule it replaces:
def upsamples_by_pytorch(factor, border, row, value):
    pair = numbers(value)
    if pair is None or pair.shape != (2,) or not (pair == pair.round()).all():
        return False
    kernel_size, padding = (int(v) for v in pair)
    if kernel_size < 1 or padding < 0:
        return False
    tent_ = torch.from_numpy(bilinear_kernel(kernel_size, factor, dims=1))[None, None]
    x = as_tensor(row)
    edged = torch.cat([x[..., :1], x, x[..., -1:]], -1)   # as F.pad(mode="replicate")
    try:
        up = F.conv_transpose1d(edged if border else x, tent_, stride=factor, padding=padding)
    except RuntimeError:  # padding too large for any output
        return False
    linear = F.interpolate(x, scale_factor=factor, mode="linear", align_corners=False)
    inside = slice(None) if border else slice(factor, -factor)
    return up.shape == linear.shape and bool(torch.allclose(up[..., inside], linear[..., inside]))


@pytest.mark.parametrize("border", [False, True])
@pytest.mark.parametrize("factor", range(2, 13))
def test_upsamples_exactly_agrees_with_pytorch_on_every_small_pair(factor, border):
    rng = random.Random(factor + 100 * border)
    for row in [ROW, [rng.uniform(-1, 1) for _ in range(rng.randint(2, 8))]]:
        rule = upsamples_exactly(factor, border, row)
        accepted = []
        for kernel_size in range(1, 3 * factor + 3):
            for padding in range(2 * factor + 2):
                plain = rule((kernel_size, padding), None)
                assert plain == upsamples_by_pytorch(factor, border, row,
                                                     (kernel_size, padding)), (kernel_size,
                                                                                padding)
                accepted += [(kernel_size, padding)] * plain
        assert accepted, "some pair is right"


@pytest.mark.parametrize("factor", range(2, 13))
def test_the_smallest_tent_and_every_wider_one_are_right(factor):
    """kernel_size - 2*padding = factor (with the edge copied: 2*padding - kernel_size = factor)
    and the whole tent, 2*factor - factor % 2 taps, or more: those have zeros at their ends."""
    smallest = 2 * factor - factor % 2
    for border in (False, True):
        rule = upsamples_exactly(factor, border, ROW)
        for kernel_size in range(smallest - 4, smallest + 40):
            padding = (kernel_size - factor) // 2 + factor * border
            if (kernel_size - factor) % 2 or padding < 0:
                continue
            assert rule((kernel_size, padding), None) == (kernel_size >= smallest)
            assert rule((kernel_size, padding), None) == upsamples_by_pytorch(
                factor, border, ROW, (kernel_size, padding))


EDGE_CASES = [(24.0, 6.0), np.array([24, 6]), torch.tensor([24, 6]), [24, 6],   # right
              (24.5, 6.25), (24, 6.5), (-24, 6), (24, -6), (0, 0), (-12, -12),   # not whole, < 0
              (24,), (24, 6, 1), [[24, 6]], [[24], [6]], (), 24, "24, 6",         # wrong lengths
              (2, 40), (1, 100), (12, 0),                                 # no output; size only
              (float("nan"), 6), (24, float("nan"))]


@pytest.mark.parametrize("value", EDGE_CASES, ids=repr)
def test_upsamples_exactly_agrees_with_pytorch_on_edge_cases(value):
    rule = upsamples_exactly(12, False, ROW)
    assert rule(value, None) == upsamples_by_pytorch(12, False, ROW, value)


def test_a_kernel_size_below_1_or_a_negative_padding_is_no_layer():
    """Even where the numbers would agree: on a row of zeros every size-right pair gives zeros."""
    zeros = [0.0] * 6
    for factor, border, pair in [(12, False, (0, -6)), (12, False, (10, -1)), (5, True, (-5, 0)),
                                 (12, False, (24, 6))]:
        rule = upsamples_exactly(factor, border, zeros)
        assert rule(pair, None) == (pair == (24, 6))
        assert rule(pair, None) == upsamples_by_pytorch(factor, border, zeros, pair)


def test_an_infinite_or_a_huge_answer_gets_a_verdict_at_once():
    """PyTorch's rule raised OverflowError on inf; a tent of 10**9 taps would take minutes."""
    rule = upsamples_exactly(12, False, ROW)
    start = time.perf_counter()
    assert not rule((math.inf, 6), None) and not rule((24, -math.inf), None)
    assert rule((10**9 + 12, 5 * 10**8), None)                # right: zeros at the ends
    assert not rule((10**9 + 12, 5 * 10**8 + 1), None)        # the size is wrong
    assert time.perf_counter() - start < 1


def test_a_rule_rebuilt_from_its_spec_gives_the_same_verdicts():
    for rule, values in [(gives_target(SIGNAL, TARGET), [[3, 2, 1], [1, 2, 3]]),
                         (upsamples_exactly(5, True, ROW), [(9, 7), (9, 2), (13, 9)])]:
        again = from_spec(rule.spec)
        assert again.spec == rule.spec
        assert [again(v, None) for v in values] == [rule(v, None) for v in values]

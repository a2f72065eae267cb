"""One validation per call, into one Setup; the slider-bound formulas; the matrix method's limit."""
import dataclasses
import inspect
import sys
from math import gcd

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import convlib
from convlib import agreement, explorers, matrix, shapes
from convlib import frameworks as fw
from convlib.upsample import conv_transpose_subpixel, subpixel
from convlib.direct import transpose_by_convolution

METHODS = [convlib.conv_transpose_matrix, convlib.conv_transpose_scatter,
           convlib.conv_transpose_direct, convlib.conv_transpose_phases]
PYTORCH_ORDER = ["input", "weight", "bias", "stride", "padding", "output_padding", "groups",
                 "dilation"]
small = st.integers(1, 4)


def torch_accepts(i, k, s=1, p=0, op=0, d=1, c_in=1, c_out=1, groups=1):
    try:
        F.conv_transpose1d(torch.ones(1, c_in, i), torch.ones(c_in, c_out // groups, k),
                           stride=s, padding=p, output_padding=op, dilation=d, groups=groups)
        return True
    except RuntimeError:
        return False


@pytest.fixture
def validations(monkeypatch):
    """Counts the calls of every shapes.validate* function made through any convlib module."""
    counts = {}
    for name in ("validate", "validate_sizes", "validate_conv", "validate_conv_sizes"):
        original = getattr(shapes, name)

        def counting(*args, _name=name, _original=original, **kwargs):
            counts[_name] = counts.get(_name, 0) + 1
            return _original(*args, **kwargs)
        for module in [m for n, m in sys.modules.items() if n.startswith("convlib")]:
            if getattr(module, name, None) is original:
                monkeypatch.setattr(module, name, counting)
    return counts


SETUP_MAKERS = ("validate", "validate_sizes", "validate_conv", "validate_conv_sizes")


@pytest.fixture
def outermost(monkeypatch):
    """Counts the outermost calls of the functions that turn arguments into a Setup (a call made
    inside another one, validate calling validate_sizes, say, is part of it), as a list."""
    calls, depth = [], [0]
    for name in SETUP_MAKERS:
        original = getattr(shapes, name)

        def counting(*args, _name=name, _original=original, **kwargs):
            if not depth[0]:
                calls.append(_name)
            depth[0] += 1
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1
        for module in [m for n, m in sys.modules.items() if n.startswith("convlib")]:
            if getattr(module, name, None) is original:
                monkeypatch.setattr(module, name, counting)
    return calls


def other_value(control):
    """A value a reader can move the control to from where it is (None: there is none)."""
    options = (list(range(control.min, control.max + 1)) if hasattr(control, "max")
               else list(control.options))
    others = [v for v in options if v != control.value]
    return others[len(others) // 2] if others else None


@pytest.mark.parametrize("name", list(explorers.EXPLORERS))
def test_every_explorer_validates_once_per_slider_change(name, outermost):
    """One slider change: one validation for the picture; the agreement line, the bounds that
    follow the data and the picture take that Setup and trust it."""
    explorer = explorers.EXPLORERS[name]()
    moved = 0
    for control_name, control in explorer.controls.items():
        value = other_value(control)
        if value is None:
            continue
        outermost.clear()
        control.value = value
        assert explorer.message.value == "" and "PyTorch =" in explorer.status.value
        assert outermost == ["validate"], (control_name, outermost)
        moved += 1
    assert moved >= 3


def test_the_agreement_line_trusts_the_setup(outermost):
    x, w = np.ones((1, 2, 3, 3)), np.ones((2, 2, 2, 2))
    assert convlib.compare(x, w, stride=2).agree and outermost == ["validate"]
    setup = shapes.validate(x.shape, w.shape, stride=2, output_padding=1)
    outermost.clear()
    assert convlib.compare(x, w, setup=setup).agree and outermost == []


KERAS_SAME = fw.keras_crop(4, 3, 2, "same")


@pytest.mark.parametrize("call", [
    lambda: conv_transpose_subpixel(np.ones((1, 2, 3, 3)), np.ones((2, 1, 4, 4)), None, 2, 1),
    lambda: subpixel(np.ones((2, 1, 4, 4)), (3, 3), 2, 1),
    lambda: convlib.direct_input(np.ones((1, 2, 3)), np.ones((2, 1, 3)), stride=2),
    lambda: convlib.stamps(np.ones((2, 3)), np.ones((2, 1, 3)), stride=2),
    lambda: fw.pytorch_crop(4, 3, 2, 1, 1), lambda: fw.keras_crop(4, 3, 2, "same"),
    lambda: fw.jax_crop(4, 3, 2, "SAME"), lambda: fw.onnx_crop(4, 3, 2, auto_pad="SAME_UPPER"),
    lambda: fw.framework_result(np.ones((1, 1, 4)), np.ones((1, 1, 3)), KERAS_SAME, stride=2),
], ids=["conv_transpose_subpixel", "subpixel", "direct_input", "stamps", "pytorch_crop",
        "keras_crop", "jax_crop", "onnx_crop", "framework_result"])
def test_each_call_validates_once_and_keeps_what_it_validated(call, outermost):
    call()
    assert len(outermost) == 1, outermost


@pytest.mark.parametrize("method", METHODS + [convlib.explain], ids=lambda m: m.__name__)
def test_a_transposed_convolution_validates_once(method, validations):
    x, w = np.ones((2, 4, 5, 5)), np.ones((4, 3, 3, 3))
    args = (x, w, (0, 1, 2, 2)) if method is convlib.explain else (x, w)
    method(*args, stride=2, padding=1, output_padding=1, groups=2)
    assert validations == {"validate": 1, "validate_sizes": 1}


def test_the_ordinary_convolution_validates_once(validations):
    convlib.conv(np.ones((2, 4, 5, 5)), np.ones((6, 2, 3, 3)), stride=2, padding=1, groups=2)
    assert validations == {"validate_conv": 1, "validate_conv_sizes": 1}


@pytest.mark.parametrize("function", METHODS, ids=lambda m: m.__name__)
def test_public_methods_take_pytorchs_arguments_in_pytorchs_order(function):
    assert list(inspect.signature(function).parameters) == PYTORCH_ORDER


def test_direct_input_takes_groups_before_dilation_like_pytorch():
    assert list(inspect.signature(convlib.direct_input).parameters) == [
        n for n in PYTORCH_ORDER if n != "bias"]
    x, w = np.arange(8.0).reshape(2, 4), np.ones((2, 1, 2))
    # positionally: stride 1, padding 0, output_padding 0, groups 2, dilation 3
    big = convlib.direct_input(x, w, 1, 0, 0, 2, 3)
    assert big.shape == (2, 4 + 2 * 3)  # pads d(k-1) = 3 on each side
    np.testing.assert_array_equal(convlib.conv_transpose_direct(x, w, None, 1, 0, 0, 2, 3),
                                  F.conv_transpose1d(torch.from_numpy(x)[None],
                                                     torch.from_numpy(w), None, 1, 0, 0, 2,
                                                     3)[0].numpy())


def test_a_setup_is_frozen_and_derives_its_sizes():
    setup = convlib.validate((1, 2, 3, 3), (2, 1, 3, 3), stride=2, padding=1, output_padding=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setup.stride = (1, 1)
    assert setup.output_size == (6, 6) and setup.output_shape == (1, 1, 6, 6)
    assert setup.inserted_zeros == (1, 1) and setup.pad_before == (1, 1)
    assert setup.pad_after == (2, 2) and setup.direct_size == (8, 8)
    assert setup.canvas_size == (7, 7) and setup.canvas_crop == (slice(1, 7),) * 2
    assert setup.matrix_shape == (2 * 3 * 3, 1 * 6 * 6)
    c = convlib.conv_matrix(np.ones((2, 1, 3, 3)), (1, 6, 6), stride=2, padding=1)
    assert c.shape == setup.matrix_shape


@settings(max_examples=100, deadline=None)
@given(i=small, k=small, s=small, p=st.integers(0, 3), op=st.integers(0, 4), d=small)
def test_output_padding_limit_is_pytorchs_rule(i, k, s, p, op, d):
    limit = convlib.output_padding_limit(s, d)
    if (i - 1) * s - 2 * p + d * (k - 1) + op + 1 >= 1:  # the other rule holds
        assert torch_accepts(i, k, s, p, op, d) == (op < limit)
    assert convlib.output_padding_limit((s, 1), (d, 3)) == (max(s, d), 3)


@settings(max_examples=100, deadline=None)
@given(i=small, k=small, s=small, d=small, data=st.data())
def test_largest_padding_is_the_last_pytorch_accepts(i, k, s, d, data):
    op = data.draw(st.integers(0, max(s, d) - 1))
    p = convlib.largest_padding(i, k, s, op, d)
    assert torch_accepts(i, k, s, p, op, d) and not torch_accepts(i, k, s, p + 1, op, d)
    convlib.validate_sizes(i, k, s, p, op, d)
    with pytest.raises(ValueError, match=f"padding <= {p}"):
        convlib.validate_sizes(i, k, s, p + 1, op, d)


@pytest.mark.parametrize("c_in, c_out", [(1, 1), (4, 6), (12, 8), (7, 7)])
def test_divisors_are_the_groups_pytorch_accepts(c_in, c_out):
    assert convlib.divisors(gcd(c_in, c_out)) == [
        g for g in range(1, 13)
        if c_out % g == 0 and torch_accepts(3, 2, c_in=c_in, c_out=c_out, groups=g)]


def test_the_matrix_is_refused_before_it_is_built(monkeypatch):
    x, w = np.ones((1, 8, 16, 16)), np.ones((8, 8, 4, 4))
    entries = matrix.matrix_entries(convlib.validate_conv((8, 32, 32), w.shape, stride=2,
                                                          padding=1))
    monkeypatch.setattr(matrix, "MAX_MATRIX_ENTRIES", entries - 1)
    monkeypatch.setattr(matrix, "build", lambda *a: pytest.fail("C was built"))
    with pytest.raises(ValueError, match=f"(?s){entries:,} non-zeros.*conv_transpose_scatter"):
        convlib.conv_transpose_matrix(x, w, stride=2, padding=1)
    with pytest.raises(ValueError, match="MAX_MATRIX_ENTRIES"):
        convlib.conv_matrix(w, (8, 32, 32), stride=2, padding=1, sparse=True)


@settings(max_examples=60, deadline=None)
@given(i=st.tuples(small, small), k=st.tuples(small, small), s=small, p=st.integers(0, 2),
       d=small, groups=st.sampled_from([1, 2]))
def test_matrix_entries_counts_the_stored_entries(i, k, s, p, d, groups):
    size = tuple(max(n, d * (kj - 1) + 1) for n, kj in zip(i, k))
    w = np.random.default_rng(0).standard_normal((2 * groups, 2) + k)  # no zero weights
    setup = convlib.validate_conv((2 * groups,) + size, w.shape, stride=s, padding=p,
                                  dilation=d, groups=groups)
    c = convlib.conv_matrix(w, (2 * groups,) + size, stride=s, padding=p, dilation=d,
                            groups=groups, sparse=True)
    assert c.nnz == matrix.matrix_entries(setup)


def test_half_precision_agrees_at_a_half_precision_tolerance(monkeypatch):
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(2, 6, 5, 5, generator=generator).half()
    w = torch.randn(6, 4, 3, 3, generator=generator).half()
    half = convlib.compare(x, w, stride=2, padding=1, groups=2)
    assert half.agree, half.summary
    assert all(r.dtype == np.float16 for n, r in half.results.items() if n != "PyTorch")
    assert convlib.compare(x.float(), w.float(), stride=2, padding=1, groups=2).tolerance < \
        half.tolerance
    # still tight enough to catch a real bug in one method: a kernel left unflipped
    monkeypatch.setitem(agreement.METHODS, "direct", lambda x_, w_, setup: (
        transpose_by_convolution(x_, np.flip(w_, (-2, -1)), setup)))
    caught = convlib.compare(x, w, stride=2, padding=1, groups=2)
    assert not caught.agree and caught.summary.startswith("PyTorch != direct"), caught.summary

"""Every invalid call raises ValueError or TypeError naming the parameter and the value given.

Validation lives in convlib.shapes and runs once, before any computation, for every method.
"""
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import convlib


def explain_first(x, w, b=None, **params):
    return convlib.explain(x, w, (0,) * (x.ndim), b, **params)


CALLS = [convlib.conv_transpose_matrix, convlib.conv_transpose_scatter,
         convlib.conv_transpose_direct, convlib.conv_transpose_phases, explain_first,
         lambda x, w, b=None, **params: convlib.direct_input(x, w, **params)]
IDS = ["matrix", "scatter", "direct", "phases", "explain", "direct_input"]
X, W = np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3))  # a valid 2-D call to spoil one part of


def raises(error, *words):
    """pytest.raises(error) whose message contains every word (names and values)."""
    return pytest.raises(error, match="(?s)" + "".join(f"(?=.*{re.escape(w)})" for w in words))


@pytest.fixture(params=CALLS, ids=IDS)
def call(request):
    return request.param


def test_output_padding_must_be_smaller_than_max_stride_dilation(call):
    with raises(ValueError, "output_padding=(1, 2)", "max(stride, dilation) = 2 in every"):
        call(X, W, stride=2, output_padding=(1, 2))
    call(X, W, stride=1, dilation=3, output_padding=2)  # dilation > stride allows more


@pytest.mark.parametrize("groups", [3, 8])
def test_groups_must_divide_the_channels(call, groups):
    with raises(ValueError, f"groups={groups}", "in_channels=4"):
        call(X, W[:, :1].repeat(1, axis=1), groups=groups)


@pytest.mark.parametrize("name, value, minimum", [
    ("stride", 0, 1), ("dilation", 0, 1), ("padding", -1, 0), ("output_padding", -1, 0),
    ("stride", (1, 0), 1), ("padding", (0, -2), 0)])
def test_parameters_have_a_minimum(call, name, value, minimum):
    with raises(ValueError, f"{name} must be >= {minimum}", f"{name}={value!r}"):
        call(X, W, **{name: value})


def test_groups_must_be_positive(call):
    with raises(ValueError, "groups must be >= 1", "groups=0"):
        call(X, W, groups=0)


def test_output_size_must_be_positive(call):
    with raises(ValueError, "padding=3", "would be (-3, -3)", ">= 1"):
        call(X[..., :1, :1], W, padding=3)


@pytest.mark.parametrize("name, value", [("stride", (1, 2, 3)), ("padding", (1,)),
                                         ("dilation", ()), ("output_padding", [0, 0, 0])])
def test_tuple_lengths_must_match_the_dimensions(call, name, value):
    with raises(ValueError, f"{name}={value!r}", "2 spatial dimensions"):
        call(X, W, **{name: value})


@pytest.mark.parametrize("name, value", [
    ("stride", 1.5), ("stride", 2.0), ("stride", True), ("padding", np.float64(1)),
    ("padding", (1, 0.5)), ("dilation", "2"), ("output_padding", None), ("groups", 2.0),
    ("groups", False), ("stride", np.bool_(True))])
def test_sizes_must_be_integers(call, name, value):
    with raises(TypeError, name, repr(value)):
        call(X, W, **{name: value})


def test_numpy_integers_are_integers(call):
    call(X, W, stride=np.int64(2), padding=(np.int32(1), 1), groups=np.int8(2))


@pytest.mark.parametrize("shape", [(4, 2), (4, 2, 1, 1, 1, 1), (4,)])
def test_weight_has_three_to_five_axes(call, shape):
    with raises(ValueError, "weight must have 3 to 5 axes", f"weight.shape={shape}"):
        call(X, np.ones(shape))


@pytest.mark.parametrize("shape", [(4, 5), (1, 1, 4, 5, 5)])
def test_input_has_dims_plus_one_or_two_axes(call, shape):
    with raises(ValueError, "input must have 3 axes", "or 4 axes", f"input.shape={shape}"):
        call(np.ones(shape), W)


def test_input_channels_match_the_weight(call):
    with raises(ValueError, "input has 3 channels", "weight.shape[0]", "4"):
        call(X[:, :3], W)


def test_no_empty_axes(call):
    with raises(ValueError, "empty axes", "input.shape=(1, 4, 0, 5)"):
        call(np.ones((1, 4, 0, 5)), W)


@pytest.mark.parametrize("shape", [(4,), (2, 1), ()])
def test_bias_has_one_value_per_output_channel(shape):
    for method in CALLS[:4]:
        with raises(ValueError, "bias must have shape (2,)", f"bias.shape={shape}"):
            method(X, W, np.ones(shape))


@pytest.mark.parametrize("index, words", [
    ((0, 0, 9, 0), ("index=(0, 0, 9, 0)", "outside", "(1, 2, 7, 7)")),
    ((0, 0), ("index=(0, 0)", "(c_out, *position)")),
    ((0, 0, 0, 0, 0), ("index=(0, 0, 0, 0, 0)", "must have 2")),
])
def test_explain_index_must_be_inside_the_output(index, words):
    with raises(ValueError, *words):
        convlib.explain(X, W, index)


def test_explain_index_must_be_integers():
    with raises(TypeError, "index", "0.5"):
        convlib.explain(X, W, (0, 0, 0.5, 1))


def test_conv_rules():
    with raises(ValueError, "groups=3", "out_channels=4"):
        convlib.conv(np.ones((3, 5)), np.ones((4, 1, 2)), groups=3)
    with raises(ValueError, "input_size=(2,)", "too small"):
        convlib.conv(np.ones((1, 2)), np.ones((1, 1, 5)))
    with raises(ValueError, "input has 2 channels", "weight.shape[1] * groups"):
        convlib.conv(np.ones((2, 5)), np.ones((1, 1, 2)))


def test_conv_matrix_takes_an_unbatched_input_shape():
    with raises(ValueError, "input_shape", "(1, 1, 4)"):
        convlib.conv_matrix(np.ones((1, 1, 2)), (1, 1, 4))


def test_stamps_takes_an_unbatched_input():
    with raises(ValueError, "unbatched", "(1, 4, 5, 5)"):
        convlib.stamps(X, W)


def test_direct_weight_checks_groups():
    with raises(ValueError, "groups=3"):
        convlib.direct_weight(W, groups=3)


@settings(max_examples=150, deadline=None)
@given(dims=st.integers(1, 3), c_in=st.integers(1, 4), c_out=st.integers(1, 3),
       groups=st.integers(0, 4), size=st.integers(1, 4), kernel=st.integers(1, 3),
       stride=st.integers(0, 3), padding=st.integers(-1, 4), output_padding=st.integers(-1, 3),
       dilation=st.integers(0, 3), batched=st.booleans())
def test_accepts_exactly_what_pytorch_accepts(dims, c_in, c_out, groups, size, kernel, stride,
                                              padding, output_padding, dilation, batched):
    """Random, often invalid, calls: convlib raises ValueError/TypeError exactly when PyTorch
    raises, and otherwise agrees with it."""
    x = torch.ones(((2,) if batched else ()) + (c_in,) + (size,) * dims, dtype=torch.float64)
    w = torch.ones((c_in, c_out) + (kernel,) * dims, dtype=torch.float64)
    params = dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups,
                  dilation=dilation)
    try:
        expected = getattr(F, f"conv_transpose{dims}d")(x, w, **params)
    except RuntimeError:
        expected = None
    for method in CALLS[:3]:
        if expected is None:
            with pytest.raises((ValueError, TypeError)):
                method(x, w, **params)
        else:
            torch.testing.assert_close(method(x, w, **params), expected)

"""Choosing the output size (chapter 09): output_padding_for and the reachable sizes, with
PyTorch's forward(input, output_size=...) and its output_padding as the reference."""
import pytest
import torch
import torch.nn as nn
from hypothesis import given, settings, strategies as st

from convlib.shapes import conv_output_size, conv_transpose_output_sizes, output_padding_for

small = st.integers(1, 4)


def layer(k, s, p, d, op=0):
    up = nn.ConvTranspose1d(1, 1, k, stride=s, padding=p, dilation=d, output_padding=op)
    with torch.no_grad():
        up.weight.copy_(torch.arange(1.0, k + 1).view(1, 1, k))
        up.bias.fill_(0.5)
    return up


@settings(max_examples=150, deadline=None)
@given(i=small, k=small, s=small, p=st.integers(0, 3), d=small, extra=st.integers(-3, 5))
def test_output_padding_for_matches_pytorch(i, k, s, p, d, extra):
    """Every size PyTorch accepts as output_size gets PyTorch's output_padding; the sizes only
    output_padding reaches (op >= stride when dilation > stride) are reached by it; every
    other size is refused by both."""
    o_min = (i - 1) * s - 2 * p + d * (k - 1) + 1
    o = o_min + extra
    x = torch.ones(1, 1, i)
    if o < 1:
        with pytest.raises(ValueError, match="output_size"):
            output_padding_for(i, o, k, s, p, d)
        return
    try:
        by_size = layer(k, s, p, d)(x, output_size=[o])
    except ValueError as error:
        assert "valid sizes range" in str(error)
        by_size = None
    if 0 <= extra < max(s, d):
        op = output_padding_for(i, o, k, s, p, d)
        assert op == extra
        by_padding = layer(k, s, p, d, op)(x)
        assert by_padding.shape[-1] == o
        assert (by_size is not None) == (op < s)  # PyTorch's output_size= stops at stride
        if by_size is not None:
            assert torch.equal(by_size, by_padding)
    else:
        assert by_size is None
        # too much padding for any size (the padding's message), or o out of range
        with pytest.raises(ValueError, match=f"output_size={o} cannot be reached|padding="):
            output_padding_for(i, o, k, s, p, d)
        with pytest.raises((RuntimeError, ValueError)):
            layer(k, s, p, d, extra)(x)  # PyTorch refuses the output_padding too


@settings(max_examples=60, deadline=None)
@given(i=st.tuples(small, small), k=st.tuples(small, small), s=st.tuples(small, small),
       p=st.tuples(st.integers(0, 2), st.integers(0, 2)), extra=st.tuples(*[st.integers(0, 3)] * 2))
def test_two_dimensions_match_conv_transpose2d(i, k, s, p, extra):
    o = tuple((ij - 1) * sj - 2 * pj + kj + e for ij, kj, sj, pj, e in zip(i, k, s, p, extra))
    up = nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, bias=False)
    x = torch.randn(1, 1, *i)
    if not all(oj >= 1 and e < sj for oj, e, sj in zip(o, extra, s)):
        with pytest.raises(ValueError, match="output_size|padding="):
            output_padding_for(i, o, k, s, p)
        if min(o) >= 1:
            with pytest.raises(ValueError, match="valid sizes range"):
                up(x, output_size=o)
        return
    op = output_padding_for(i, o, k, s, p)
    reference = nn.functional.conv_transpose2d(x, up.weight, stride=s, padding=p,
                                               output_padding=op)
    assert torch.equal(up(x, output_size=o), reference)
    assert tuple(reference.shape[2:]) == o


@settings(max_examples=80, deadline=None)
@given(i=small, k=small, s=small, p=st.integers(0, 3), d=small)
def test_the_sizes_output_size_accepts_are_those_the_convolution_maps_back(i, k, s, p, d):
    """PyTorch's first `stride` sizes: a convolution with the same parameters maps them to i."""
    try:
        sizes = conv_transpose_output_sizes(i, k, s, p, d)
    except ValueError:
        assert (i - 1) * s - 2 * p + d * (k - 1) + max(s, d) < 1
        return
    o_min = sizes.stop - max(s, d)
    for o in sizes:
        if o - o_min < s and o + 2 * p >= d * (k - 1) + 1:
            assert conv_output_size(o, k, s, p, d) == i


def test_the_chapter_examples():
    assert conv_transpose_output_sizes(37, 2, stride=2) == range(74, 76)
    assert output_padding_for(37, 75, 2, stride=2) == 1
    assert output_padding_for((10, 8), (19, 16), 3, stride=2, padding=1) == (0, 1)
    assert conv_transpose_output_sizes(3, 3, dilation=3) == range(9, 12)
    assert output_padding_for(3, 11, 3, dilation=3) == 2


def test_bad_input_gets_a_clear_error_before_any_computation():
    with pytest.raises(ValueError, match=r"output_size=76 cannot be reached.* 74 to 75"):
        output_padding_for(37, 76, 2, stride=2)
    with pytest.raises(ValueError, match=r"max\(stride, dilation\) - 1 = 1"):
        output_padding_for(37, 73, 2, stride=2)
    with pytest.raises(TypeError, match="output_size"):
        output_padding_for(37, 75.0, 2, stride=2)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        output_padding_for(37, 75, 2, stride=0)
    with pytest.raises(ValueError, match="output_size=.* has 3 entries"):
        output_padding_for((4, 4), (8, 8, 8), 2, stride=2)
    with pytest.raises(ValueError, match="padding=9 is too large"):
        conv_transpose_output_sizes(2, 3, stride=1, padding=9)


@settings(max_examples=100, deadline=None)
@given(i=small, k=small, s=small, p=st.integers(0, 3), d=small, extra=st.integers(-3, 5))
def test_the_explorers_refusal_is_pytorchs_own_message(i, k, s, p, d, extra):
    """The output_size picture writes PyTorch's refusal from the formulas, without PyTorch."""
    from convlib.display.pictures.output_size_picture import pytorch_refusal

    o_min = (i - 1) * s - 2 * p + d * (k - 1) + 1
    try:
        layer(k, s, p, d)(torch.ones(1, 1, i), output_size=[o_min + extra])
        expected = ""
    except ValueError as error:   # refused
        expected = str(error)
    except RuntimeError:          # accepted, but the output is empty
        expected = ""
    assert pytorch_refusal(i, o_min, s, o_min + extra) == expected

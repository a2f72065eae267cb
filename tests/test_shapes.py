"""Shape arithmetic against PyTorch's shapes, and the formulas the chapters quote."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import convlib
from convlib import shapes

small = st.integers(1, 4)


@settings(max_examples=80, deadline=None)
@given(i=st.integers(1, 9), k=small, s=small, p=st.integers(0, 3), d=small)
def test_conv_output_size_matches_pytorch(i, k, s, p, d):
    if i + 2 * p < d * (k - 1) + 1:
        with pytest.raises(ValueError, match="input_size"):
            convlib.conv_output_size(i, k, s, p, d)
        return
    o = F.conv1d(torch.ones(1, 1, i), torch.ones(1, 1, k), stride=s, padding=p, dilation=d)
    assert convlib.conv_output_size(i, k, s, p, d) == o.shape[-1]


@settings(max_examples=80, deadline=None)
@given(i=small, k=small, s=small, p=st.integers(0, 3), d=small, op=st.integers(0, 3))
def test_conv_transpose_output_size_matches_pytorch(i, k, s, p, d, op):
    try:
        o = F.conv_transpose1d(torch.ones(1, 1, i), torch.ones(1, 1, k), stride=s, padding=p,
                               output_padding=op, dilation=d).shape[-1]
    except RuntimeError:
        with pytest.raises(ValueError):
            convlib.conv_transpose_output_size(i, k, s, p, op, d)
        return
    assert convlib.conv_transpose_output_size(i, k, s, p, op, d) == o
    assert o == (i - 1) * s - 2 * p + d * (k - 1) + op + 1


def test_ints_in_int_out_tuples_in_tuple_out():
    assert convlib.conv_output_size(5, 3) == 3
    assert convlib.conv_output_size((5, 6), 3, stride=(1, 2)) == (3, 2)
    assert convlib.conv_transpose_output_size(4, 4, 2, 1) == 8
    assert convlib.conv_transpose_output_size((4, 4), (4, 4), 2, 1) == (8, 8)
    assert convlib.conv_transpose_output_size(2, 3, stride=(2,)) == (5,)
    assert convlib.conv_input_sizes(4, 3, 2, 1) == range(7, 9)
    assert convlib.conv_input_sizes((4, 1), 3, 2) == (range(9, 11), range(3, 5))


@settings(max_examples=80, deadline=None)
@given(o=small, k=small, s=small, p=st.integers(0, 3), d=small)
def test_conv_input_sizes_are_exactly_those_mapping_to_the_output(o, k, s, p, d):
    sizes = convlib.conv_input_sizes(o, k, s, p, d)
    for i in range(1, 30):
        valid = i + 2 * p >= d * (k - 1) + 1
        assert (i in sizes) == (valid and convlib.conv_output_size(i, k, s, p, d) == o)
    # output_padding chooses between them: the transposed convolution reaches each one
    for op, i in enumerate(range(sizes.start, sizes.stop), start=sizes.start - sizes.stop + s):
        assert convlib.conv_transpose_output_size(o, k, s, p, op, d) == i


def test_direct_method_pads():
    setup = convlib.validate_sizes(3, 4, stride=2, padding=1, output_padding=1)
    assert (setup.inserted_zeros, setup.pad_before, setup.pad_after) == ((1,), (2,), (3,))
    setup = convlib.validate_sizes((3, 2), (3, 1), stride=(3, 1), padding=(3, 0), dilation=(1, 2))
    assert setup.inserted_zeros == (2, 0) and setup.pad_before == (-1, 0)


def test_validate_sizes_returns_normalised_tuples():
    sizes = convlib.validate_sizes((4, 4), 4, stride=2, padding=1)
    assert sizes.dims == 2 and sizes.kernel_size == (4, 4) and sizes.stride == (2, 2)
    assert sizes.output_padding == (0, 0) and sizes.output_size == (8, 8)
    assert convlib.validate_sizes(3, 2).input_size == (3,)


def test_validate_setup():
    setup = convlib.validate((2, 4, 5, 6), (4, 3, 3, 3), (6,), stride=(2, 1), groups=2)
    assert setup.batched and setup.batch == 2 and setup.dims == 2
    assert (setup.in_channels, setup.out_channels, setup.groups) == (4, 6, 2)
    assert setup.output_size == (11, 8) and setup.output_shape == (2, 6, 11, 8)
    unbatched = convlib.validate((4, 5, 6), (4, 3, 3, 3), groups=2)
    assert not unbatched.batched and unbatched.output_shape == (6, 7, 8)


def test_canvas_holds_every_stamp_and_the_output():
    # 2x2 input, k=2, s=1: canvas 3x3; output_padding beyond padding extends the canvas
    assert convlib.validate_sizes(2, 2).canvas_size == (3,)
    setup = convlib.validate_sizes(4, 4, 2, 1)
    assert setup.canvas_size == (10,) and setup.canvas_crop == (slice(1, 9),)
    setup = convlib.validate_sizes(2, 1, stride=3, output_padding=2)
    assert setup.canvas_size == (6,) and setup.canvas_crop == (slice(0, 6),)


def test_integers_from_numpy_are_sizes_but_bools_are_not():
    assert shapes.as_tuple(np.int64(3), 2, "stride") == (3, 3)
    with pytest.raises(TypeError, match="stride"):
        shapes.as_tuple(True, 2, "stride")

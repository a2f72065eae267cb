"""The four methods of transposed convolution against PyTorch, in float64."""
from math import gcd

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import convlib
from convlib import shapes

METHODS = [convlib.conv_transpose_matrix, convlib.conv_transpose_scatter,
           convlib.conv_transpose_direct, convlib.conv_transpose_phases]
FAST = settings(max_examples=60, deadline=None)


def draw_layer(draw, batched=None):
    """Random dims, channels, groups, kernel, stride, dilation, batching and a seeded rng."""
    dims = draw(st.integers(1, 3))
    groups = draw(st.integers(1, 3))
    per_dim = lambda lo, hi: tuple(draw(st.integers(lo, hi)) for _ in range(dims))  # noqa: E731
    return dict(dims=dims, groups=groups, c_in=groups * draw(st.integers(1, 2)),
                c_out=groups * draw(st.integers(1, 2)), kernel=per_dim(1, 3),
                stride=per_dim(1, 3), dilation=per_dim(1, 3), per_dim=per_dim,
                batch=(2,) if (draw(st.booleans()) if batched is None else batched) else (),
                bias=draw(st.booleans()), plain=lambda t: t[0] if len(set(t)) == 1 else t,
                rng=np.random.default_rng(draw(st.integers(0, 2**32 - 1))))


@st.composite
def cases(draw, batched=None):
    """(x, w, b, params) for a random valid transposed convolution, small sizes, float64."""
    L = draw_layer(draw, batched)
    size = L["per_dim"](1, 5 if L["dims"] < 3 else 3)
    k, s, d = L["kernel"], L["stride"], L["dilation"]
    op = tuple(draw(st.integers(0, max(sj, dj) - 1)) for sj, dj in zip(s, d))
    # padding up to the largest that keeps (i-1)s - 2p + d(k-1) + op + 1 >= 1
    p = tuple(draw(st.integers(0, ((i - 1) * sj + dj * (kj - 1) + oj) // 2))
              for i, kj, sj, dj, oj in zip(size, k, s, d, op))
    x = L["rng"].standard_normal(L["batch"] + (L["c_in"],) + size)
    w = L["rng"].standard_normal((L["c_in"], L["c_out"] // L["groups"]) + k)
    b = L["rng"].standard_normal(L["c_out"]) if L["bias"] else None
    plain = L["plain"]  # ints where all dimensions agree, as callers write them
    return x, w, b, dict(stride=plain(s), padding=plain(p), output_padding=plain(op),
                         groups=L["groups"], dilation=plain(d))


@st.composite
def conv_cases(draw):
    """(x, w, b, params) for a random valid ordinary convolution (weight in Conv layout)."""
    L = draw_layer(draw)
    k, s, d = L["kernel"], L["stride"], L["dilation"]
    p = L["per_dim"](0, 2)
    size = tuple(max(1, dj * (kj - 1) + 1 - 2 * pj) + draw(st.integers(0, 3))
                 for kj, dj, pj in zip(k, d, p))
    x = L["rng"].standard_normal(L["batch"] + (L["c_in"],) + size)
    w = L["rng"].standard_normal((L["c_out"], L["c_in"] // L["groups"]) + k)
    b = L["rng"].standard_normal(L["c_out"]) if L["bias"] else None
    plain = L["plain"]
    return x, w, b, dict(stride=plain(s), padding=plain(p), groups=L["groups"],
                         dilation=plain(d))


def restoring_output_padding(x, w, params):
    """The output_padding with which the transposed convolution returns to x's spatial size."""
    size, k = x.shape[2 - w.ndim:], w.shape[2:]
    out = shapes.conv_output_size(size, k, params["stride"], params["padding"], params["dilation"])
    s, p, d = (shapes.as_tuple(params[n], len(k), n) for n in ("stride", "padding", "dilation"))
    return tuple(i - ((o - 1) * sj - 2 * pj + dj * (kj - 1) + 1)
                 for i, o, kj, sj, pj, dj in zip(size, out, k, s, p, d))


def torch_conv_transpose(x, w, b, params):
    t = [None if a is None else torch.from_numpy(a) for a in (x, w, b)]
    return getattr(F, f"conv_transpose{w.ndim - 2}d")(*t, **params).numpy()


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.__name__)
@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_matches_pytorch(method, case):
    x, w, b, params = case
    np.testing.assert_allclose(method(x, w, b, **params), torch_conv_transpose(x, w, b, params),
                               rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_tensors_in_tensors_out(method, dtype):
    x, w, b = torch.randn(2, 4, 5, 6, dtype=dtype), torch.randn(4, 3, 3, 2, dtype=dtype), None
    out = method(x, w, b, stride=2, padding=1, groups=2)
    assert isinstance(out, torch.Tensor) and out.dtype == dtype and out.device == x.device
    ref = F.conv_transpose2d(x, w, b, stride=2, padding=1, groups=2)
    torch.testing.assert_close(out, ref)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_numpy_in_numpy_out(method, dtype):
    x, w = np.ones((3, 4), dtype), np.ones((3, 2, 2), dtype)
    out = method(x, w, np.zeros(2, dtype), stride=2)
    assert type(out) is np.ndarray and out.dtype == dtype and out.shape == (2, 8)


def test_eight_by_eight_example():
    x, w = np.ones((1, 1, 4, 4)), np.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    for method in METHODS:
        out = method(x, w, stride=2, padding=1)
        assert out.shape == (1, 1, 8, 8)
        assert (out[0, 0, 0, :3] == [6, 12, 14]).all() and out[0, 0, 1, 0] == 12
    e = convlib.explain(x, w, (0, 1), stride=2, padding=1)
    assert e.value == 12 and e.equation == "12 = 1*5 + 1*7"
    assert [t.weight_value for t in e.terms] == [5, 7]
    assert [t.weight_index for t in e.terms] == [(0, 0, 1, 0), (0, 0, 1, 2)]
    assert [t.input_index for t in e.terms] == [(0, 0, 0, 1), (0, 0, 0, 0)]
    assert convlib.explain(x, w, (0, 0), stride=2, padding=1).equation == "6 = 1*6"
    assert convlib.explain(x, w, (1, 0), stride=2, padding=1).equation == "12 = 1*2 + 1*10"
    assert "input[0, 0, 0, 1] * weight[0, 0, 1, 0] = 1 * 5 = 5" in str(e)


def test_two_by_two_example():
    x, w = np.array([[[2, 4], [0, 1]]]), np.array([[[[3, 1], [1, 5]]]])
    expected = [[6, 14, 4], [2, 17, 21], [0, 1, 5]]
    for method in METHODS:
        np.testing.assert_array_equal(method(x, w)[0], expected)
    plan = convlib.stamps(x, w)
    assert [s.value for s in plan] == [2, 4, 0, 1]
    np.testing.assert_array_equal(plan[1].contribution, [[[12, 4], [4, 20]]])


@FAST
@given(case=cases(batched=False))
def test_stamps_summed_and_cropped_equal_the_result(case):
    x, w, _, params = case
    plan = convlib.stamps(x, w, **params)
    assert len(plan) == x.size
    canvas = np.zeros(plan.canvas_shape)
    for stamp in plan:
        assert x[stamp.input_index] == stamp.value
        canvas[stamp.canvas_slices] += stamp.contribution
    np.testing.assert_allclose(canvas[plan.crop], torch_conv_transpose(x, w, None, params),
                               atol=1e-10)


@FAST
@given(case=cases())
def test_explain_adds_up_to_the_output(case):
    x, w, b, params = case
    out = convlib.conv_transpose_scatter(x, w, b, **params)
    index = tuple(int(i) for i in np.random.default_rng(0).integers(0, out.shape))
    e = convlib.explain(x, w, index, b, **params)
    assert e.index == index and e.value == pytest.approx(out[index], abs=1e-10)
    for t in e.terms:
        assert x[t.input_index] == t.input_value and w[t.weight_index] == t.weight_value


def torch_conv(x, w, b, params):
    t = [None if a is None else torch.from_numpy(a) for a in (x, w, b)]
    return getattr(F, f"conv{w.ndim - 2}d")(*t, **params).numpy()


@FAST
@given(case=conv_cases())
def test_conv_matches_pytorch(case):
    x, w, b, params = case
    np.testing.assert_allclose(convlib.conv(x, w, b, **params), torch_conv(x, w, b, params),
                               rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.__name__)
@FAST
@given(case=conv_cases())
def test_adjoint_identity(method, case):
    """<C x, y> == <x, C.T y>: the transposed convolution is the adjoint of the convolution."""
    x, w, _, params = case
    cx = convlib.conv(x, w, **params)
    y = np.random.default_rng(1).standard_normal(cx.shape)
    cty = method(y, w, output_padding=restoring_output_padding(x, w, params), **params)
    assert np.vdot(cx, y) == pytest.approx(np.vdot(x, cty), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.__name__)
@FAST
@given(case=conv_cases())
def test_autograd_gradient_is_the_transposed_convolution(method, case):
    x, w, b, params = case
    xt = torch.from_numpy(x).requires_grad_()
    out = getattr(F, f"conv{w.ndim - 2}d")(xt, torch.from_numpy(w), None, **params)
    upstream = torch.randn_like(out)
    out.backward(upstream)
    grad = method(upstream, torch.from_numpy(w),
                  output_padding=restoring_output_padding(x, w, params), **params)
    torch.testing.assert_close(grad, xt.grad, rtol=1e-10, atol=1e-10)


@FAST
@given(case=conv_cases())
def test_conv_matrix_is_the_convolution(case):
    x, w, _, params = case
    x = x if x.ndim == w.ndim - 1 else x[0]
    dense = convlib.conv_matrix(w, x.shape, **params)
    sparse = convlib.conv_matrix(w, x.shape, sparse=True, **params)
    np.testing.assert_array_equal(sparse.toarray(), dense)
    assert sparse.nnz <= w[0].size * dense.shape[0]  # at most one entry per tap per output
    np.testing.assert_allclose(dense @ x.ravel(), convlib.conv(x, w, **params).ravel(),
                               rtol=1e-10, atol=1e-10)
    y = np.random.default_rng(2).standard_normal(convlib.conv(x, w, **params).shape)
    cty = convlib.conv_transpose_matrix(
        y, w, output_padding=restoring_output_padding(x, w, params), **params)
    np.testing.assert_allclose(cty.ravel(), dense.T @ y.ravel(), rtol=1e-10, atol=1e-10)


def test_conv_matrix_of_a_small_example():
    c = convlib.conv_matrix(np.array([[[1.0, 2.0]]]), (1, 3))
    np.testing.assert_array_equal(c, [[1, 2, 0], [0, 1, 2]])


def test_zero_insert():
    np.testing.assert_array_equal(convlib.zero_insert(np.array([[[1, 2, 3]]]), 2),
                                  [[[1, 0, 2, 0, 3]]])
    z = convlib.zero_insert(np.ones((1, 1, 2, 2)), (3, 1))
    np.testing.assert_array_equal(z[0, 0], [[1, 1], [0, 0], [0, 0], [1, 1]])


def test_direct_input_inserts_zeros_then_pads_or_crops():
    x, w = np.array([[1.0, 2.0, 3.0]]), np.ones((1, 1, 3))
    # pad d(k-1)-p = 2-1 = 1 before and 1+op = 2 after
    np.testing.assert_array_equal(
        convlib.direct_input(x, w, stride=2, padding=1, output_padding=1),
        [[0, 1, 0, 2, 0, 3, 0, 0]])
    # padding 3 > d(k-1) = 2: crop one element from each side
    np.testing.assert_array_equal(convlib.direct_input(x, w, stride=2, padding=3), [[0, 2, 0]])
    assert convlib.validate_sizes(3, 3, 2, 3, 0).pad_before == (-1,)


def test_direct_weight_flips_and_swaps_per_group():
    w = np.arange(4 * 3 * 2 * 2.0).reshape(4, 3, 2, 2)
    d = convlib.direct_weight(w, groups=2)
    assert d.shape == (6, 2, 2, 2)
    for g in range(2):
        for i in range(2):
            for o in range(3):
                np.testing.assert_array_equal(d[g * 3 + o, i], w[g * 2 + i, o, ::-1, ::-1])


@FAST
@given(case=cases())
def test_direct_is_conv_of_direct_input_and_weight(case):
    x, w, b, params = case
    ordinary = convlib.conv(convlib.direct_input(x, w, **params),
                            convlib.direct_weight(w, params["groups"]), b,
                            dilation=params["dilation"], groups=params["groups"])
    np.testing.assert_array_equal(ordinary, convlib.conv_transpose_direct(x, w, b, **params))


def test_compare_agrees_and_says_so():
    x, w = np.ones((1, 1, 4, 4)), np.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    c = convlib.compare(x, w, stride=2, padding=1)
    assert c.agree and c.summary == ("PyTorch = matrix = scatter-add = direct = phases "
                                     "(max |difference| 0)")
    assert set(c.results) == {"PyTorch", "matrix", "scatter-add", "direct", "phases"}


def test_a_rounding_difference_is_given_by_a_bound_the_same_on_every_cpu():
    """Only the tolerance's power of ten is printed, never the rounding error itself, nor a 0
    that another order of additions would not give (chapter 13's third check: 0 here, 2e-15
    with MKL_CBWR=COMPATIBLE)."""
    generator = torch.Generator().manual_seed(0)
    for params in [dict(stride=2), dict(stride=2, padding=5, dilation=4, output_padding=3)]:
        x, w = (torch.randn(*shape, generator=generator, dtype=torch.float64)
                for shape in [(2, 4, 5, 6), (4, 6, 3, 2)])
        c = convlib.compare(x, w, **params)
        bound = float(c.summary.rsplit("below ", 1)[1].rstrip(")"))
        assert c.agree and not c.exact and c.tolerance <= bound < 10 * c.tolerance, c.summary


@pytest.mark.parametrize("x, w, b, exact", [
    ([[1, 2]], [[1, 10, 100]], None, True),                          # whole numbers
    ([[0.25, 3]], [[0.75, 1.5]], [0.125], True),                     # a few binary digits
    ([[2.0 ** 22, 1]], [[2.0, 1]], None, False),                     # float32 rounds the sums
    ([[0.1, 1]], [[1, 1]], None, False),                             # 0.1 has no end in binary
])
def test_a_zero_difference_is_claimed_only_where_every_order_is_exact(x, w, b, exact):
    x, w = np.array(x, np.float32)[None], np.array(w, np.float32)[None]
    c = convlib.compare(x, w, None if b is None else np.array(b, np.float32), stride=2)
    assert c.exact is exact
    assert c.summary.endswith("(max |difference| 0)") is (exact and c.agree)
def test_float32_stays_float32_and_close_to_pytorch():
    x, w = torch.randn(2, 6, 7, 5), torch.randn(6, 4, 3, 3)
    c = convlib.compare(x, w, torch.randn(8), stride=2, padding=1, output_padding=1, groups=2)
    assert c.agree, c.summary
    assert all(r.dtype == np.float32 for r in c.results.values())


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.__name__)
def test_an_empty_batch_gives_an_empty_batch(method):
    x, w = torch.ones(0, 2, 3, 3), torch.ones(2, 1, 2, 2)
    assert method(x, w, stride=2).shape == F.conv_transpose2d(x, w, stride=2).shape == (0, 1, 6, 6)


def test_zero_insert_gives_back_the_kind_it_was_given():
    x = torch.arange(1.0, 5.0).reshape(1, 1, 2, 2)
    z = convlib.zero_insert(x, 2)
    assert isinstance(z, torch.Tensor) and z.dtype == x.dtype
    assert z[0, 0].tolist() == [[1, 0, 2], [0, 0, 0], [3, 0, 4]]


@pytest.mark.parametrize("stride, dilation", [(2, 2), (4, 6), (3, 5), (2, 1), (3, 9)])
@pytest.mark.parametrize("padding", [0, 3, 9])
def test_phases_split_the_taps_and_the_outputs(stride, dilation, padding):
    """Each tap lands on one phase (d*k mod s), each output is in one phase ((o + p) mod s):
    with dilation not coprime with stride some phases get no tap and are zero (or the bias)."""
    from convlib.phases import phases
    x, w, b = np.ones((1, 1, 8)), np.arange(1.0, 6.0)[None, None], np.array([0.5])
    setup = convlib.validate(x.shape, w.shape, stride=stride, padding=padding,
                             dilation=dilation, output_padding=max(stride, dilation) - 1)
    with_taps, without = phases(setup)
    taps = sorted(k for phase in with_taps for k in phase.taps[0])
    assert taps == list(range(5))
    outputs = [o for phase in with_taps for o in phase.outputs[0]] + [
        o for where in without for o in range(setup.output_size[0])[where[0]]]
    assert sorted(outputs) == list(range(setup.output_size[0]))
    assert len(with_taps) == len({dilation * k % stride for k in range(5)})
    assert len(with_taps) + len(without) == stride
    assert len(with_taps) <= stride // gcd(stride, dilation)
    params = dict(stride=stride, padding=padding, dilation=dilation,
                  output_padding=max(stride, dilation) - 1)
    np.testing.assert_allclose(convlib.conv_transpose_phases(x, w, b, **params),
                               torch_conv_transpose(x, w, b, params), atol=1e-12)


@pytest.mark.parametrize("dtype", [torch.float16, torch.float32, torch.float64])
def test_phases_in_three_dimensions_with_groups(dtype):
    generator = torch.Generator().manual_seed(3)
    x = torch.randn(2, 4, 3, 4, 2, generator=generator).to(dtype)
    w = torch.randn(4, 3, 3, 2, 4, generator=generator).to(dtype)
    b = torch.randn(6, generator=generator).to(dtype)
    params = dict(stride=(2, 3, 1), padding=(1, 0, 2), output_padding=(1, 2, 0), groups=2,
                  dilation=(1, 2, 3))
    c = convlib.compare(x, w, b, methods=["phases"], **params)
    assert c.agree, c.summary
    out = convlib.conv_transpose_phases(x, w, b, **params)
    assert isinstance(out, torch.Tensor) and out.dtype == dtype

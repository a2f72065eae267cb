"""convlib.frameworks against the real Keras 3 (torch backend), ONNX Runtime and, if installed, JAX.

For random sizes, strides, kernels, dilations and padding modes in 1-D and 2-D, convlib's window
of the full result (plus the bias) must equal what the framework returns, the PyTorch call it
recommends must give the same numbers, and where the framework refuses, convlib refuses too.
"""
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from convlib import frameworks as fw
from convlib import porting

os.environ.setdefault("KERAS_BACKEND", "torch")
FEW = settings(max_examples=30, deadline=None)


@st.composite
def layers(draw, dims=None, groups=False):
    """Random (x, w, b, stride, dilation) for a small transposed convolution, float32."""
    dims = dims or draw(st.integers(1, 2))
    per_dim = lambda lo, hi: tuple(draw(st.integers(lo, hi)) for _ in range(dims))  # noqa: E731
    g = draw(st.integers(1, 2)) if groups else 1
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal((2, g * draw(st.integers(1, 2))) + per_dim(1, 5)).astype(np.float32)
    w = rng.standard_normal((x.shape[1], draw(st.integers(1, 2))) + per_dim(1, 4))
    b = rng.standard_normal(w.shape[1] * g) if draw(st.booleans()) else None
    return x, w.astype(np.float32), b, per_dim(1, 3), per_dim(1, 3), g


def assert_refused_alike(framework_run, convlib_run):
    """Both refuse, or both answer; returns convlib's answer and the framework's."""
    try:
        theirs = framework_run()
        refused = np.size(theirs) == 0  # Keras returns an empty tensor where o would be 0
    except Exception:  # each framework raises its own exception type
        theirs, refused = None, True
    if refused:
        with pytest.raises(ValueError):
            convlib_run()
        return None, None
    return convlib_run(), theirs


def check_pytorch_call(x, w, b, crop, stride, dilation, groups, expected):
    call = fw.pytorch_call(crop, stride, dilation)
    y = porting.pytorch_conv_transpose(torch.tensor(x), torch.tensor(w), call,
                                       None if b is None else torch.tensor(b, dtype=torch.float32),
                                       stride, dilation, groups)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-4, atol=1e-4)


@FEW
@given(layers(), st.sampled_from(["valid", "same"]), st.integers(-1, 3))
def test_keras_windows_match_keras(layer, padding, output_padding):
    x, w, b, s, d, _ = layer
    op = None if output_padding < 0 else output_padding  # up to 3: sometimes >= stride
    spatial = x.shape[2:]

    def keras_run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            keras_layer = porting.keras_layer(w, b, s, padding, op, d, "channels_first")
            return np.asarray(keras_layer(x).detach().cpu())

    crop, y = assert_refused_alike(keras_run, lambda: fw.keras_crop(spatial, w.shape[2:], s,
                                                                    padding, op, d))
    if crop is not None:
        expected = fw.framework_result(x, w, crop, b, s, d)
        np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-4)
        check_pytorch_call(x, w, b, crop, s, d, 1, y)


@st.composite
def onnx_options(draw, dims, stride, dilation):
    """ONNX ConvTranspose attributes: pads, auto_pad, output_shape, output_padding (some refused)."""
    per_dim = lambda lo, hi: [draw(st.integers(lo, hi)) for _ in range(dims)]  # noqa: E731
    op = [draw(st.integers(0, max(s, d))) for s, d in zip(stride, dilation)]
    mode = draw(st.sampled_from(["pads", "SAME_UPPER", "SAME_LOWER", "VALID", "output_shape"]))
    if mode == "pads":
        return dict(pads=per_dim(0, 3) + per_dim(0, 3), output_padding=op)
    if mode == "output_shape":
        return dict(output_shape=per_dim(1, 16), output_padding=op,
                    auto_pad=draw(st.sampled_from(["NOTSET", "SAME_UPPER", "SAME_LOWER"])))
    return dict(auto_pad=mode, output_padding=op)


@FEW
@given(layers(groups=True), st.data())
def test_onnx_windows_match_onnx_runtime(layer, data):
    x, w, b, s, d, g = layer
    attributes = data.draw(onnx_options(w.ndim - 2, s, d))
    model = porting.onnx_model(w, b, strides=list(s), dilations=list(d), group=g, **attributes)
    crop, y = assert_refused_alike(lambda: porting.run_onnx(model, x),
                                   lambda: fw.onnx_crop(x.shape[2:], w.shape[2:], s,
                                                        dilation=d, **attributes))
    if crop is not None:
        np.testing.assert_allclose(y, fw.framework_result(x, w, crop, b, s, d, g), rtol=1e-4,
                                   atol=1e-4)
        check_pytorch_call(x, w, b, crop, s, d, g, y)


@pytest.fixture(scope="module")
def jax_lax():
    return pytest.importorskip("jax.lax")  # the optional `jax` extra


@settings(max_examples=15, deadline=None)
@given(layer=layers(), data=st.data(), transpose_kernel=st.booleans())
def test_jax_windows_match_jax(jax_lax, layer, data, transpose_kernel):
    x, w, b, s, d, _ = layer
    dims = w.ndim - 2
    padding = data.draw(st.one_of(st.sampled_from(["SAME", "VALID"]), st.tuples(
        *[st.tuples(st.integers(-2, 4), st.integers(-2, 4)) for _ in range(dims)])))
    spec = ("NCH", "OIH", "NCH") if dims == 1 else ("NCHW", "OIHW", "NCHW")

    def jax_run():
        return np.asarray(jax_lax.conv_transpose(
            x, fw.jax_kernel(w, transpose_kernel), s, padding, rhs_dilation=d,
            dimension_numbers=spec, transpose_kernel=transpose_kernel))

    crop, y = assert_refused_alike(jax_run, lambda: fw.jax_crop(x.shape[2:], w.shape[2:], s,
                                                                padding, d))
    if crop is not None:
        np.testing.assert_allclose(y, fw.framework_result(x, w, crop, None, s, d), rtol=1e-4,
                                   atol=1e-4)
        check_pytorch_call(x, w, None, crop, s, d, 1, y)


@FEW
@given(layers(groups=True), st.data())
def test_pytorch_windows_give_pytorch_arguments_back(layer, data):
    x, w, b, s, d, g = layer
    op = tuple(data.draw(st.integers(0, max(sj, dj) - 1)) for sj, dj in zip(s, d))
    c = fw.full_size(x.shape[2:], w.shape[2:], s, d)
    p = tuple(data.draw(st.integers(0, (cj - 1 + oj) // 2)) for cj, oj in zip(c, op))
    crop = fw.pytorch_crop(x.shape[2:], w.shape[2:], s, p, op, d)
    call = fw.pytorch_call(crop, s, d)
    assert (call.padding, call.output_padding, call.exact) == (p, op, True)
    y = torch.nn.functional.conv_transpose1d if w.ndim == 3 else torch.nn.functional.conv_transpose2d
    expected = y(torch.tensor(x), torch.tensor(w), None if b is None else torch.tensor(
        b, dtype=torch.float32), s, p, op, g, d)
    np.testing.assert_allclose(fw.framework_result(x, w, crop, b, s, d, g), expected.numpy(),
                               rtol=1e-4, atol=1e-4)


def test_the_chapter_example_crops_one_full_result_differently():
    """Length 4, kernel_size 3, stride 2: a full result of 9; output 8 in every framework."""
    assert fw.full_size(4, 3, 2) == (9,)
    windows = {"pytorch": fw.pytorch_crop(4, 3, 2, padding=1, output_padding=1),
               "keras": fw.keras_crop(4, 3, 2, "same"), "jax": fw.jax_crop(4, 3, 2, "SAME"),
               "SAME_UPPER": fw.onnx_crop(4, 3, 2, auto_pad="SAME_UPPER"),
               "SAME_LOWER": fw.onnx_crop(4, 3, 2, auto_pad="SAME_LOWER")}
    assert {name: (c.before, c.after) for name, c in windows.items()} == {
        "pytorch": ((1,), (0,)), "keras": ((0,), (1,)), "jax": ((0,), (1,)),
        "SAME_UPPER": ((0,), (1,)), "SAME_LOWER": ((1,), (0,))}
    assert {c.output_size for c in windows.values()} == {(8,)}
    assert not fw.pytorch_call(windows["keras"], 2).exact
    assert fw.pytorch_call(windows["SAME_LOWER"], 2) == fw.PyTorchCall((1,), (1,), (0,), (0,))


def test_frameworks_differ_where_the_stride_exceeds_the_kernel():
    """kernel_size 2, stride 3: Keras and JAX 'same' give i*s, ONNX Runtime's SAME gives c."""
    assert fw.keras_crop(4, 2, 3, "same").output_size == (12,)
    assert fw.jax_crop(4, 2, 3, "SAME").output_size == (12,)
    assert fw.onnx_crop(4, 2, 3, auto_pad="SAME_UPPER").output_size == (11,)


@pytest.mark.parametrize("call, words", [
    (lambda: fw.keras_crop(4, 3, 2, "same", output_padding=2), "output_padding must be smaller than stride"),
    (lambda: fw.keras_crop(4, 3, 2, "full"), "padding must be 'valid' or 'same'"),
    (lambda: fw.keras_crop(4, 3, 2, dilation=2), "stride > 1 and dilation > 1"),
    (lambda: fw.keras_crop(1, 2, 1, "same", output_padding=0), "output size would be (0,)"),
    (lambda: fw.onnx_crop(4, 3, 1, output_padding=1, dilation=2), "output_padding must be smaller than stride"),
    (lambda: fw.onnx_crop(4, 3, 2, pads=[-1, 0]), "pads must be >= 0 in every dimension"),
    (lambda: fw.onnx_crop(4, 3, 2, auto_pad="SAME"), "auto_pad must be"),
    (lambda: fw.onnx_crop(4, 3, 2, output_shape=11), "output_shape must be smaller than"),
    (lambda: fw.jax_crop(4, 3, 2, "same"), "padding must be 'SAME', 'VALID'"),
    (lambda: fw.jax_crop(4, 3, 2, ((-9, 0),)), "output size would be"),
    (lambda: fw.pytorch_crop(4, 3, 2, padding=1, output_padding=2), "output_padding"),
    (lambda: fw.keras_crop(0, 3, 2), "input_size"),
])
def test_refusals_name_the_parameter_and_the_range(call, words):
    with pytest.raises(ValueError) as error:
        call()
    assert words in str(error.value)


@pytest.mark.parametrize("call, words", [
    (lambda: fw.keras_crop(4, 3, 2.0), "stride must be an int or a tuple of ints"),
    (lambda: fw.keras_crop(4, 3, 2, "same", output_padding=0.5), "output_padding must be an int"),
    (lambda: fw.onnx_crop(4, 3, 2, pads=[1.0, 0]), "pads must be an int or a tuple of ints"),
    (lambda: fw.onnx_crop(4, 3, 2, output_shape=8.0), "output_shape must be an int"),
    (lambda: fw.jax_crop(4, 3, 2, ((1.5, 0),)), "padding must be an int or a tuple of ints"),
    (lambda: fw.pytorch_crop(4, 3, 2, padding=True), "padding must be an int or a tuple of ints"),
    (lambda: fw.pytorch_call(fw.keras_crop(4, 3, 2), stride="2"), "stride must be an int"),
])
def test_wrong_types_raise_the_type_error_shapes_raises(call, words):
    """The frameworks' parameters are checked by convlib.shapes: the same errors, the same words."""
    with pytest.raises(TypeError) as error:
        call()
    assert words in str(error.value)


def test_weight_layouts_round_trip():
    w = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5)
    assert fw.keras_kernel(w).shape == (4, 5, 3, 2)
    np.testing.assert_array_equal(fw.weight_from_keras(fw.keras_kernel(w)), w)
    assert fw.keras_kernel(w)[1, 2, 0, 1] == w[1, 0, 1, 2]
    np.testing.assert_array_equal(fw.jax_kernel(w, transpose_kernel=True), w)
    assert fw.jax_kernel(w)[0, 1, 0, 0] == w[1, 0, -1, -1]
    weight, bias, attributes = porting.onnx_weights(porting.onnx_model(w, np.ones(3), pads=[1, 0, 1, 0]))
    np.testing.assert_array_equal(weight, w)
    assert bias.tolist() == [1, 1, 1] and attributes == {"pads": [1, 0, 1, 0]}


def test_porting_pytorch_to_keras_to_onnx_and_back():
    """nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1) in all three."""
    torch.manual_seed(0)
    layer = torch.nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1)
    x = torch.randn(1, 2, 4, 5)
    expected = layer(x).detach().numpy()
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    crop = fw.pytorch_crop((4, 5), (3, 3), 2, 1, 1)
    keras = porting.keras()
    model = keras.Sequential([keras.Input((None, None, 2)), porting.keras_layer(w, b, 2, "valid"),
                              keras.layers.Cropping2D(tuple(zip(crop.before, (0, 0))))])
    from_keras = np.asarray(model(x.permute(0, 2, 3, 1)).detach().cpu()).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(from_keras, expected, rtol=1e-5, atol=1e-5)
    onnx = porting.onnx_model(fw.weight_from_keras(model.layers[0].kernel.value.detach()),
                              model.layers[0].bias.value.detach(), strides=[2, 2], pads=[1, 1, 1, 1],
                              output_padding=[1, 1])
    np.testing.assert_allclose(porting.run_onnx(onnx, x.numpy()), expected, rtol=1e-5, atol=1e-5)
    weight, bias, attributes = porting.onnx_weights(onnx)
    back = fw.pytorch_call(fw.onnx_crop((4, 5), weight.shape[2:], attributes["strides"],
                                        attributes["pads"],
                                        output_padding=attributes["output_padding"]), 2)
    assert back.exact and (back.padding, back.output_padding) == ((1, 1), (1, 1))
    np.testing.assert_allclose(porting.pytorch_conv_transpose(x, torch.tensor(weight), back,
                                                              torch.tensor(bias), 2).numpy(),
                               expected, rtol=1e-5, atol=1e-5)


def scene(**values):
    from convlib.explorers import frameworks_explorer

    return frameworks_explorer(**values).scene


def test_the_explorers_scene_holds_each_frameworks_numbers():
    found = scene(input_size=4, kernel_size=3, stride=2, padding=1, output_padding=1)
    windows = {label: (start, kept.tolist()) for label, (start, kept) in found.facts["windows"].items()}
    full = [1, 2, 5, 4, 9, 6, 13, 8, 12]
    assert found.facts["full"].tolist() == full
    assert windows["PyTorch"] == (1, full[1:]) == windows["ONNX SAME_LOWER"]
    assert windows["Keras 'same'"] == (0, full[:8]) == windows["JAX 'SAME'"]
    refused = scene(input_size=3, kernel_size=2, stride=2, dilation=2, padding=0,
                    output_padding=0).facts["windows"]
    assert "stride > 1 and dilation > 1" in refused["Keras 'same'"]
    padded = scene(input_size=4, kernel_size=2, stride=3, padding=0, output_padding=0)
    assert padded.facts["windows"]["Keras 'same'"][1].tolist() == [1, 2, 0, 2, 4, 0, 3, 6, 0, 4, 8, 0]
    assert padded.facts["windows"]["ONNX SAME_UPPER"][1].size == 11
    assert "Keras 'same' keeps 12: crops 0 at the start and -1 at the end (1 bias-only)." in padded.sentences


def test_keras_computes_on_the_cpu_even_where_torch_sees_a_gpu():
    """With a GPU (PyPI's CUDA build of torch on Linux, MPS on a Mac) Keras would put its
    tensors there; porting.keras() keeps them on the CPU. Faked here in a fresh process: torch
    says a CUDA GPU is there, as on such a machine."""
    script = ("import numpy as np, torch\n"
              "torch.cuda.is_available = lambda: True\n"
              "from convlib import porting\n"
              "layer = porting.keras_layer(np.ones((1, 1, 3), np.float32), stride=2, data_format='channels_first')\n"
              "print(layer(torch.ones(1, 1, 4)).device)")
    env = {name: value for name, value in os.environ.items() if not name.startswith("KERAS_")}
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == "cpu", run.stderr[-2000:]

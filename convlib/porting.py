"""Porting one transposed convolution between PyTorch, Keras 3 and ONNX, weights included.

Explained in chapter 12 (notebooks/12_frameworks.ipynb); the conventions are in
convlib.frameworks. Keras runs on its PyTorch backend (KERAS_BACKEND=torch, so no TensorFlow),
on the CPU (KERAS_TORCH_DEVICE=cpu), and ONNX models run in ONNX Runtime; both are imported only
when used.
"""
import os

import numpy as np

from .weight_layouts import keras_kernel

# ONNX 1.23 writes IR version 14 by default, which ONNX Runtime 1.31 refuses to load.
ONNX_IR_VERSION = 10
ONNX_OPSET = 21


def keras():
    """The keras module on its torch backend, computing on the CPU (both are chosen once, at
    first import). On the CPU like the textbook's PyTorch: where torch sees a GPU (PyPI's CUDA
    build on Linux with an NVIDIA card, Apple's MPS on a Mac) Keras would compute there, and its
    results would neither become NumPy arrays nor match PyTorch's CPU numbers to the last bit."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    os.environ.setdefault("KERAS_TORCH_DEVICE", "cpu")
    import keras as module
    if module.backend.backend() != "torch":
        raise RuntimeError(f"keras was imported with the {module.backend.backend()!r} backend; "
                           f"set KERAS_BACKEND=torch before importing it")
    return module


def keras_layer(weight, bias=None, stride=1, padding="valid", output_padding=None, dilation=1,
                data_format="channels_last"):
    """A built Keras Conv{1,2,3}DTranspose holding PyTorch's weight (C_in, C_out, *k) and bias."""
    w = np.asarray(weight, dtype=np.float32)
    dims = w.ndim - 2
    layer = getattr(keras().layers, f"Conv{dims}DTranspose")(
        w.shape[1], w.shape[2:], strides=stride, padding=padding, output_padding=output_padding,
        dilation_rate=dilation, use_bias=bias is not None, data_format=data_format)
    channels = (w.shape[0],) + (None,) * dims
    layer.build((None,) + (channels if data_format == "channels_first" else channels[::-1]))
    layer.kernel.assign(keras_kernel(w))
    if bias is not None:
        layer.bias.assign(np.asarray(bias, dtype=np.float32))
    return layer


def onnx_model(weight, bias=None, **attributes):
    """A one-node ONNX model: y = ConvTranspose(x, W[, B]) with ONNX's attribute names
    (strides, pads, dilations, output_padding, output_shape, auto_pad, group). W is PyTorch's
    weight (C_in, C_out/group, *k) unchanged: ONNX uses the same layout."""
    from onnx import TensorProto, helper, numpy_helper

    w = np.asarray(weight, dtype=np.float32)
    initializers = [numpy_helper.from_array(w, "W")]
    if bias is not None:
        initializers.append(numpy_helper.from_array(np.asarray(bias, dtype=np.float32), "B"))
    node = helper.make_node("ConvTranspose", ["x", "W"] + (["B"] if bias is not None else []),
                            ["y"], **attributes)
    spatial = [f"d{j}" for j in range(w.ndim - 2)]
    graph = helper.make_graph(
        [node], "conv_transpose",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", w.shape[0]] + spatial)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", ONNX_OPSET)])
    model.ir_version = ONNX_IR_VERSION
    return model


def run_onnx(model, input):
    """Run a one-input ONNX model in ONNX Runtime on the CPU; returns a NumPy array."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4  # refusals are raised as exceptions; no extra log lines
    session = onnxruntime.InferenceSession(model.SerializeToString(), options,
                                           providers=["CPUExecutionProvider"])
    return session.run(None, {"x": np.asarray(input, dtype=np.float32)})[0]


def onnx_weights(model):
    """(weight, bias or None, attributes) of a one-node ConvTranspose model: "and back"."""
    from onnx import helper, numpy_helper

    arrays = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    node = model.graph.node[0]
    attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    attributes = {name: value.decode() if isinstance(value, bytes) else
                  (list(value) if not isinstance(value, (int, float)) else value)
                  for name, value in attributes.items()}
    return arrays[node.input[1]], arrays[node.input[2]] if len(node.input) > 2 else None, attributes


def pytorch_conv_transpose(input, weight, call, bias=None, stride=1, dilation=1, groups=1):
    """F.conv_transpose{1,2,3}d with a frameworks.PyTorchCall's padding and output_padding, its
    extra crop, then the bias: the same numbers as the framework the call was made for."""
    import torch
    import torch.nn.functional as F

    x, w = torch.as_tensor(input), torch.as_tensor(weight)
    conv_transpose = getattr(F, f"conv_transpose{w.ndim - 2}d")
    y = conv_transpose(x, w, None, stride, call.padding, call.output_padding, groups, dilation)
    pads = []
    for before, after in zip(reversed(call.extra_before), reversed(call.extra_after)):
        pads += [-before, -after]  # F.pad crops where the amount is negative, last axis first
    y = F.pad(y, pads)
    return y if bias is None else y + torch.as_tensor(bias).reshape((-1,) + (1,) * (w.ndim - 2))

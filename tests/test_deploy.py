"""Chapter 15's numerics against PyTorch and ONNX Runtime: convlib.folding (which entries each
output channel reads, BatchNorm folding, weight norm, int8 scales) and TensorFlow's output_shape
rule in convlib.frameworks; and the check the explorer sweep (tests/test_widgets.py) runs on
every state of the weight axes explorer."""
import io
import itertools
import warnings

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.ao.quantization import PerChannelMinMaxObserver
from torch.nn.utils.fusion import fuse_conv_bn_eval
from torch.nn.utils.parametrizations import weight_norm

from convlib import folding
from convlib import frameworks as fw
from convlib import porting
from convlib.display.layout import FONT, text_width

LAYOUTS = [(c_in, c_out, g, transposed) for c_in, c_out in itertools.product((1, 4, 6), repeat=2)
           for g in (1, 2, 6) if c_in % g == 0 and c_out % g == 0 for transposed in (True, False)]


def make_layer(c_in, c_out, groups, transposed, dims=2):
    kind = f"ConvTranspose{dims}d" if transposed else f"Conv{dims}d"
    return getattr(nn, kind)(c_in, c_out, 3, stride=2 if transposed else 1, padding=1,
                             groups=groups).double()


def reached(layer, channel):
    """(weight axis 0, axis 1) pairs whose kernel the gradient of output `channel` reaches."""
    layer.zero_grad()
    x = torch.randn((1, layer.in_channels) + (3,) * (layer.weight.dim() - 2), dtype=torch.float64)
    layer(x)[:, channel].sum().backward()
    return (layer.weight.grad != 0).flatten(2).any(dim=2)


@pytest.mark.parametrize("c_in, c_out, groups, transposed", LAYOUTS)
def test_each_output_channel_reads_the_entries_convlib_names(c_in, c_out, groups, transposed):
    torch.manual_seed(0)
    layer = make_layer(c_in, c_out, groups, transposed)
    rows = folding.by_output_channel(layer.weight.detach(), groups, transposed)
    assert rows.shape == (c_out, c_in // groups * 9)   # 3x3 kernels
    for o in range(c_out):
        entries = folding.output_channel_entries(layer.weight.shape, o, groups, transposed)
        mask = torch.zeros(layer.weight.shape[:2], dtype=torch.bool)
        mask[entries] = True
        assert torch.equal(reached(layer, o), mask)
        assert torch.equal(rows[o], layer.weight.detach()[entries].flatten())
    back = folding.from_output_channels(rows, layer.weight.shape, groups, transposed)
    assert torch.equal(back, layer.weight.detach())


def trained(layer):
    norm = nn.BatchNorm2d(layer.out_channels).double()
    with torch.no_grad():
        norm.running_mean.uniform_(-1, 1), norm.running_var.uniform_(0.5, 2)
        norm.weight.uniform_(0.5, 1.5), norm.bias.uniform_(-1, 1)
    return layer.eval(), norm.eval()


@pytest.mark.parametrize("c_in, c_out, groups, transposed", LAYOUTS)
def test_folded_batchnorm_is_batchnorm_after_the_layer(c_in, c_out, groups, transposed):
    torch.manual_seed(1)
    layer, norm = trained(make_layer(c_in, c_out, groups, transposed))
    with torch.no_grad():
        w, b = folding.fold_batchnorm(layer.weight, layer.bias, norm.running_mean,
                                      norm.running_var, norm.weight, norm.bias, norm.eps,
                                      groups, transposed)
        x = torch.randn(2, c_in, 4, 3, dtype=torch.float64)
        call = F.conv_transpose2d if transposed else F.conv2d
        folded = call(x, w, b, stride=layer.stride, padding=1, groups=groups)
        assert (folded - norm(layer(x))).abs().max() < 1e-12
        if groups == 1:   # PyTorch's own fold, which assumes groups=1
            fused = fuse_conv_bn_eval(layer, norm, transpose=transposed)
            assert torch.allclose(fused.weight, w, atol=1e-13)
            assert torch.allclose(fused.bias, b, atol=1e-13)


def test_fuse_conv_bn_eval_fails_with_groups_where_convlib_folds():
    """The chapter's claim: PyTorch's fold scales axis 1 by C_out entries, so with groups it is a
    shape error (C_out/G > 1), or a weight that grows to (C_in, C_out, *k) (C_out/G = 1)."""
    torch.manual_seed(2)
    with pytest.raises(RuntimeError, match="must match the size"):
        fuse_conv_bn_eval(*trained(make_layer(4, 6, 2, True)), transpose=True)
    fused = fuse_conv_bn_eval(*trained(make_layer(4, 4, 4, True)), transpose=True)
    assert fused.weight.shape == (4, 4, 3, 3)
    with pytest.raises(RuntimeError):
        fused(torch.randn(1, 4, 3, 3, dtype=torch.float64))


def test_norms_and_int8_scales_are_pytorchs_along_axis_1():
    torch.manual_seed(3)
    layer = nn.ConvTranspose2d(3, 64, 3)
    norms = folding.output_channel_norms(layer.weight)
    g = weight_norm(nn.ConvTranspose2d(3, 64, 3), dim=1)
    g.parametrizations.weight.original1.data = layer.weight.data.clone()
    expected = torch.linalg.vector_norm(layer.weight.detach().double(), dim=(0, 2, 3))
    assert np.allclose(norms, expected.numpy(), atol=1e-12)
    assert np.allclose(norms, weight_norm(layer, dim=1).parametrizations.weight.original0
                       .detach().ravel().numpy(), atol=1e-6)
    observer = PerChannelMinMaxObserver(ch_axis=1, dtype=torch.qint8,
                                        qscheme=torch.per_channel_symmetric)
    observer(layer.weight.detach())
    assert np.allclose(observer.calculate_qparams()[0].numpy(), folding.int8_scales(layer.weight),
                       rtol=1e-6)


@pytest.mark.parametrize("call, words", [
    (lambda: folding.output_channel_entries((4, 3, 2, 2), 6, groups=2), "channel must be < out_channels = 6"),
    (lambda: folding.by_output_channel(np.ones((4, 3, 2)), groups=3), "groups=3 must divide"),
    (lambda: folding.scale_output_channels(np.ones((2, 3, 2)), np.ones(2)), "shape (3,)"),
    (lambda: folding.by_output_channel(np.ones(4)), "2 channel axes"),
])
def test_bad_input_names_the_parameter_and_the_range(call, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        call()


@pytest.mark.parametrize("i, k, s, d", list(itertools.product((1, 7), (1, 2, 3), (1, 2, 3), (1, 2))))
def test_tensorflows_same_sizes_map_back_and_keep_onnx_runtimes_same_upper_window(i, k, s, d):
    """'SAME' accepts o exactly when the SAME convolution of o has i outputs (ceil(o / s)), and
    its window is what ONNX Runtime keeps for output_shape=o with SAME_UPPER, on real numbers."""
    accepted = fw.tensorflow_output_shapes(i, k, s, "SAME", d)[0]
    assert list(accepted) == [o for o in range(1, 3 * i * s) if -(-o // s) == i]
    valid = fw.tensorflow_output_shapes(i, k, s, "VALID", d)[0]
    assert list(valid) == [o for o in range(1, 4 * i * s + k * d)
                           if o >= d * (k - 1) + 1 and (o - d * (k - 1) - 1) // s + 1 == i]
    x = np.arange(1.0, i + 1, dtype=np.float32).reshape(1, 1, i)
    w = (10.0 ** np.arange(k, dtype=np.float32)).reshape(1, 1, k)
    for o in accepted:
        crop = fw.tensorflow_crop(i, k, s, o, "SAME", d)
        assert crop.output_size == (o,)
        model = porting.onnx_model(w, strides=[s], dilations=[d], output_shape=[o],
                                   auto_pad="SAME_UPPER")
        expected = fw.framework_result(x, w, crop, stride=s, dilation=d)
        assert np.array_equal(porting.run_onnx(model, x), expected)
    words = (f"must be {accepted.start}," if len(accepted) == 1 else
             f"from {accepted.start} to {accepted.stop - 1}")
    with pytest.raises(ValueError, match=words):
        fw.tensorflow_crop(i, k, s, accepted.stop, "SAME", d)


def check_weight_axes(explorer, v):
    """The kernels the picture boxes are those PyTorch's gradient of the chosen output channel
    reaches, in the transposed convolution's weight and in the ordinary convolution's."""
    c_in, c_out, g, o = v["in_channels"], v["out_channels"], v["groups"], v["channel"]
    facts = explorer.scene.facts
    for transposed, boxed in ((True, facts["transposed"]), (False, facts["ordinary"])):
        layer = make_layer(c_in, c_out, g, transposed)
        assert torch.equal(reached(layer, o), torch.as_tensor(boxed))
    assert f"y{o} reads weight[{facts['group'] * (c_in // g)}:" in explorer.scene.sentences[1]
    check_scale_sentence(explorer.scene.sentences[-1], c_in, c_out, g)
    transposed, ordinary = explorer.scene.rows[0][:2]
    assert transposed.axis_names[0] == "axis 0: input channels"
    assert transposed.axis_names[1].startswith("axis 1: output channels")
    assert ordinary.axis_names[0] == "axis 0: output channels"
    for panel in (transposed, ordinary):   # the column title fits the panel's width
        assert text_width(panel.axis_names[1], FONT) / 72 <= panel.least - 0.1


def check_scale_sentence(sentence, c_in, c_out, groups):
    """What the picture says of scale.reshape(1, -1, 1, 1) is what PyTorch does with it: fits
    (groups=1), refuses (a shape error), or broadcasts the weight to a wrong shape."""
    weight = torch.zeros(c_in, c_out // groups, 2, 2)
    try:
        grown = (weight * torch.ones(c_out).reshape(1, -1, 1, 1)).shape != weight.shape
        said = "broadcasts to a wrong shape" if grown else "fits"
    except RuntimeError:
        said = "does not fit"
    assert f"scale.reshape(1, -1, 1, 1) {said}" in sentence, (sentence, said)


def test_pytorch_exports_symmetric_pads():
    """Chapter 15: torch.onnx.export writes padding at both ends (pads=[p, p]) and output_padding
    as it is, so PyTorch's window, not TensorFlow's (0, 1), is what a PyTorch model carries."""
    onnx = pytest.importorskip("onnx")
    layer = torch.nn.ConvTranspose1d(1, 1, 3, stride=2, padding=1, output_padding=1)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(layer, (torch.randn(1, 1, 7),), buffer, dynamo=False)
    node, = [n for n in onnx.load_from_string(buffer.getvalue()).graph.node
             if n.op_type == "ConvTranspose"]
    attributes = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
    assert (list(attributes["pads"]), list(attributes["output_padding"])) == ([1, 1], [1])

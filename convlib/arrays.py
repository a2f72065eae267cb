"""NumPy and PyTorch in, the same kind out.

Every method computes in NumPy. A torch tensor is copied to NumPy on the way in, and the result
goes back to a tensor of the same dtype on the same device (no autograd graph is kept).

The public functions validate their arguments once into a Setup (prepare); everything after
takes that Setup and trusts it (arrange, run).
"""
import sys

import numpy as np

from . import shapes


def is_tensor(x):
    torch = sys.modules.get("torch")  # no tensor can exist unless torch was imported
    return torch is not None and isinstance(x, torch.Tensor)


def as_numpy(x):
    """(ndarray, restore): restore(result) gives the result back as the kind of x."""
    if not is_tensor(x):
        return np.asarray(x), lambda result: result
    import torch

    def restore(result):
        return torch.from_numpy(np.ascontiguousarray(result)).to(x.device)

    return x.detach().cpu().numpy(), restore


def arrange(input, weight, bias, setup):
    """The arrays of a call already validated into `setup`, as the methods take them.

    Returns (x, w, finish): x always batched (N, C_in, *spatial), x and w of one common dtype,
    and finish(out), which takes a method's result (N, C_out, *o) or (N, G, C_out/G, *o), adds
    the bias, drops the batch axis of an unbatched input and turns the result back into the
    kind of `input`.
    """
    x, restore = as_numpy(input)
    w, _ = as_numpy(weight)
    b = None if bias is None else as_numpy(bias)[0]
    dtype = np.result_type(x, w) if b is None else np.result_type(x, w, b)
    x = x.astype(dtype, copy=False).reshape((setup.batch, setup.in_channels) + setup.input_size)

    def finish(out):
        # the method's own array: the bias can go in place
        out = np.ascontiguousarray(out).reshape((setup.batch, setup.out_channels)
                                                + setup.output_size)
        if b is not None:
            out += b.astype(dtype, copy=False).reshape((-1,) + (1,) * setup.dims)
        return restore(out.reshape(setup.output_shape))

    return x, w.astype(dtype, copy=False), finish


def run(method, input, weight, setup, bias=None):
    """method(x, w, setup) on arrays already validated into `setup`, finished (see arrange):
    what the public function of that method returns, without validating again."""
    x, w, finish = arrange(input, weight, bias, setup)
    return finish(method(x, w, setup))


def prepare_with(validate, input, weight, bias, **params):
    """Validate once with `validate` (from shapes), then arrange: (x, w, setup, finish)."""
    setup = validate(np.shape(input), np.shape(weight),
                     None if bias is None else np.shape(bias), **params)
    x, w, finish = arrange(input, weight, bias, setup)
    return x, w, setup, finish


def prepare(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
            dilation=1):
    """prepare_with(shapes.validate, ...): the first line of every transposed convolution."""
    return prepare_with(shapes.validate, input, weight, bias, stride=stride, padding=padding,
                        output_padding=output_padding, groups=groups, dilation=dilation)


def prepare_conv(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """prepare_with(shapes.validate_conv, ...): the first line of the ordinary convolution."""
    return prepare_with(shapes.validate_conv, input, weight, bias, stride=stride,
                        padding=padding, dilation=dilation, groups=groups)

"""Measuring checkerboard artifacts, and the small training loop that makes them (chapter 11,
notebooks/11_checkerboards_in_training.ipynb).

An output of a stride-s layer splits into s**d phases, the pixels at positions r + s*q for each
r in 0 .. s-1 along every axis. On a natural picture all phases sample the same scene, so their
mean brightness is the same; a pattern that repeats every s pixels shows as phases with
different means. The measure is

    checkerboard(y) = (max over phases of mean(y[phase]) - min over phases) / |mean(y)|

taken inside a border (where every pixel receives its full set of taps): 0 for no pattern,
0.02 for phases whose brightness differs by 2% of the picture's.
"""
from itertools import product

import numpy as np

from . import arrays, shapes


def phase_means(image, stride=2, border=4):
    """The mean of every phase r (r_j = 0 .. s-1 per spatial axis), inside `border` pixels.

    image: (*spatial) or batched (N, C, *spatial) when it has more than 2 axes.
    Returns an array of shape (s,) * dims.
    """
    y, _ = arrays.as_numpy(image)
    y = np.asarray(y, dtype=np.float64)
    spatial = y.shape if y.ndim <= 2 else y.shape[2:]
    dims = len(spatial)
    s = shapes.as_tuple(stride, dims, "stride")
    border = shapes.as_int(border, "border", 0)
    if any(n - 2 * border < sj for n, sj in zip(spatial, s)):
        raise ValueError(f"the image's spatial size {spatial} leaves less than one stride "
                         f"{s} inside border={border}")
    inner = y[(..., *(slice(border, n - border) for n in spatial))]
    means = np.empty(s)
    for r in product(*map(range, s)):
        means[r] = inner[(..., *(slice(rj, None, sj) for rj, sj in zip(r, s)))].mean()
    return means


def checkerboard(image, stride=2, border=4):
    """(max - min) of the phase means over |mean of the inner image|: 0 means no pattern."""
    means = phase_means(image, stride, border)
    return float((means.max() - means.min()) / abs(means.mean()))


def random_crops(picture, count, size, generator):
    """`count` square crops of `picture` (1, 1, H, W), at positions drawn with `generator`."""
    import torch

    h, w = picture.shape[-2:]
    ys = torch.randint(0, h - size + 1, (count,), generator=generator).tolist()
    xs = torch.randint(0, w - size + 1, (count,), generator=generator).tolist()
    return torch.cat([picture[..., y:y + size, x:x + size] for y, x in zip(ys, xs)])


def train_upsampler(model, picture, steps=300, lr=0.1, seed=0, every=100, size=32, batch=16):
    """Train `model` to turn 2x2-averaged crops of `picture` back into the crops (x2 super-
    resolution), with SGD (momentum 0.9) on the mean squared error: v = 0.9 v + grad, p -= lr v.

    Every `every` steps it records checkerboard() of the model's answer to a flat gray input.
    Returns {step: checkerboard}; the model is trained in place.
    """
    import torch
    import torch.nn.functional as F

    generator = torch.Generator().manual_seed(seed)
    parameters = list(model.parameters())
    velocities = [torch.zeros_like(p) for p in parameters]
    gray = torch.full((1, 1, size, size), 0.5, dtype=picture.dtype)
    history = {}
    for step in range(1, steps + 1):
        target = random_crops(picture, batch, size, generator)
        loss = F.mse_loss(model(F.avg_pool2d(target, 2)), target)
        gradients = torch.autograd.grad(loss, parameters)
        # torch.optim.SGD(lr, momentum=0.9) written out: its first use imports torch._dynamo,
        # seconds of a chapter that trains for one
        with torch.no_grad():
            for p, v, g in zip(parameters, velocities, gradients):
                v.mul_(0.9).add_(g)
                p.sub_(lr * v)
        if step % every == 0:
            with torch.no_grad():
                history[step] = checkerboard(model(gray))
    return history


def least_squares_upsampler(picture, kernel_size, stride=2, padding=0, output_padding=0):
    """The best one-channel transposed convolution for the task train_upsampler trains: the
    (weight, bias) minimising |conv_transpose2d(avg_pool2d(picture, s), weight, bias) - picture|^2,
    solved exactly. The output is linear in the k*k taps and the bias, so each tap's output
    (the transposed convolution with a kernel that is 1 at that tap) is one column of a least-
    squares problem.
    """
    import torch
    import torch.nn.functional as F

    k = shapes.as_int(kernel_size, "kernel_size", 1)
    taps = torch.eye(k * k, dtype=picture.dtype).view(1, k * k, k, k)  # output channel j: tap j
    columns = F.conv_transpose2d(F.avg_pool2d(picture, stride), taps, stride=stride,
                                 padding=padding, output_padding=output_padding)
    if columns.shape[-2:] != picture.shape[-2:]:
        raise ValueError(f"the layer gives {tuple(columns.shape[-2:])} from the shrunk picture, "
                         f"not the picture's {tuple(picture.shape[-2:])}: choose padding and "
                         f"output_padding so that it gives the size back")
    columns = torch.cat([columns.flatten(2)[0], torch.ones(1, picture.numel(), dtype=picture.dtype)])
    solution = torch.linalg.lstsq(columns.T, picture.flatten()[:, None]).solution[:, 0]
    return solution[:-1].view(1, 1, k, k), solution[-1:]

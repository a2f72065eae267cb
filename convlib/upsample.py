"""Upsampling a picture with a transposed convolution (chapter 08, notebooks/08_in_practice.ipynb).

The bilinear (tent) kernel of kernel_size K for a stride s has, along each spatial axis,

    w[k] = 1 - |k - (K-1)/2| / s        k = 0 .. K-1

and is the outer product of that 1-D kernel over the axes. With K = 2s every output position
receives two taps, s apart, whose weights add up to 1, so a constant picture stays constant
(away from the border). K=4, s=2, padding=1 doubles the size and equals
F.interpolate(scale_factor=2, mode="bilinear", align_corners=False) away from the border.
"""
from functools import reduce

import numpy as np


def bilinear_kernel(kernel_size, stride, dims=2):
    """The tent kernel w[k] = 1 - |k - (K-1)/2| / stride, as an array of shape (K,) * dims."""
    k = np.arange(kernel_size)
    tent = 1 - np.abs(k - (kernel_size - 1) / 2) / stride
    return reduce(np.multiply.outer, [tent] * dims)


def sample_picture(factor=8):
    """Matplotlib's bundled photograph of Grace Hopper (600x512), grayscale in [0, 1], float32,
    shrunk by averaging factor x factor blocks (no download: the file ships with matplotlib)."""
    import matplotlib.cbook
    import matplotlib.pyplot as plt

    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as file:
        rgb = plt.imread(file, format="jpg")
    gray = rgb.astype(np.float64).mean(axis=2) / 255
    h, w = gray.shape[0] // factor, gray.shape[1] // factor
    blocks = gray[:h * factor, :w * factor].reshape(h, factor, w, factor)
    return blocks.mean(axis=(1, 3)).astype(np.float32)

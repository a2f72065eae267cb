"""Each framework's layout of a transposed convolution's weight, from PyTorch's (C_in, C_out, *k)
(chapter 12's table; convlib.frameworks, which chapter 12 reads, names them too)."""
import numpy as np


def keras_kernel(weight):
    """PyTorch's ConvTranspose weight (C_in, C_out, *k) as Keras' kernel (*k, C_out, C_in):
    axes reordered, nothing flipped."""
    w = np.asarray(weight)
    return w.transpose(tuple(range(2, w.ndim)) + (1, 0))


def weight_from_keras(kernel):
    """Keras' Conv*DTranspose kernel (*k, C_out, C_in) as PyTorch's weight (C_in, C_out, *k)."""
    k = np.asarray(kernel)
    return k.transpose((k.ndim - 1, k.ndim - 2) + tuple(range(k.ndim - 2)))


def jax_kernel(weight, transpose_kernel=False):
    """PyTorch's weight (C_in, C_out, *k) as the rhs of lax.conv_transpose with dimension_numbers
    ('NCH', 'OIH', 'NCH') (NCHW/OIHW in 2-D). transpose_kernel=True: the weight as it is (JAX
    flips it and swaps its channel axes itself). False: JAX correlates with the kernel as given,
    so it must be flipped and its axes swapped to (C_out, C_in, *k) first."""
    w = np.asarray(weight)
    if transpose_kernel:
        return w
    return np.flip(w, axis=tuple(range(2, w.ndim))).swapaxes(0, 1).copy()

"""Every size formula of a transposed convolution, written once, for one spatial dimension.

Explained in chapter 01 (notebooks/01_shapes.ipynb). With input size i, kernel_size k, stride s,
padding p, output_padding op and dilation d (ints in, int out, nothing checked):

    kernel span            K = d(k-1) + 1                 the entries a dilated kernel covers
    full result            c = (i-1)s + K                 every input's stamp, nothing cropped
    smallest output        o_min = c - 2p                 output_padding 0
    output                 o = o_min + op,  0 <= op < max(s, d)
    convolution            floor((i + 2p - K) / s) + 1    the ordinary convolution's output
    pooling, ceil_mode     ceil((i + 2p - K) / s) + 1     (less 1 if it starts past i + p)
    largest padding        floor((c - 1 + op) / 2)        the last padding with o >= 1

Setup's properties and shapes' functions apply them in every dimension; shapes.validate checks
the arguments first.
"""


def kernel_span(k, d):
    """K = d(k-1) + 1: a kernel of k taps, d apart."""
    return d * (k - 1) + 1


def full_size(i, k, s, d):
    """c = (i-1)s + K: the scatter-add canvas of i inputs, s apart, before any crop."""
    return (i - 1) * s + kernel_span(k, d)


def smallest_output_size(i, k, s, p, d):
    """o_min = (i-1)s - 2p + d(k-1) + 1: the output size with output_padding 0 (may be < 1)."""
    return full_size(i, k, s, d) - 2 * p


def conv_output_size(i, k, s, p, d):
    """floor((i + 2p - d(k-1) - 1) / s) + 1: the ordinary convolution's output size."""
    return (i + 2 * p - kernel_span(k, d)) // s + 1


def pool_output_size_ceil(i, k, s, p, d):
    """ceil((i + 2p - d(k-1) - 1) / s) + 1, less 1 if that last window would start in the right
    padding ((o-1)s >= i + p): PyTorch's pooling with ceil_mode=True (Caffe's rule)."""
    o = (i + 2 * p - kernel_span(k, d) + s - 1) // s + 1
    return o - 1 if (o - 1) * s >= i + p else o


def largest_padding(i, k, s, op, d):
    """floor(((i-1)s + d(k-1) + op) / 2): the largest padding with an output of size >= 1."""
    return (full_size(i, k, s, d) - 1 + op) // 2


def output_padding_limit(s, d):
    """max(s, d): output_padding must be smaller (PyTorch's rule)."""
    return max(s, d)

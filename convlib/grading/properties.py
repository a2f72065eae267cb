"""Rules that grade by a property, where more than one answer is right: plain Python over lists.

Each is a factory registered with rules.rule; its arguments are the data the property needs,
computed by convlib or PyTorch in the exercise's chapter module and passed in as lists.
"""
from .rules import rule
from .values import grid


@rule
def centres_on_input(kernel_size, padding):
    """(k', p') of a transposed convolution with a convolution's stride (dilation 1) that puts
    each output where it came from after that convolution (kernel_size, padding): the maps
    s*u + (k-1)/2 - p and (v + p' - (k'-1)/2)/s compose to v when k' - 2p' = k - 2p, with
    k' >= 1 and p' >= 0 whole numbers (chapter 14)."""
    def accepts(value, answer):
        got = grid(value)
        if got is None or got[0] != (2,) or any(v != int(v) for v in got[1]):
            return False
        k, p = (int(v) for v in got[1])
        return k >= 1 and p >= 0 and k - 2 * p == kernel_size - 2 * padding
    return accepts

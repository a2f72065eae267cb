"""Answers to the exercises of chapter 01 (notebooks/01_shapes.ipynb)."""
import convlib
from convlib.exercises import answer


@answer("01.1", hint="(i-1)*stride - 2*padding + (kernel_size-1) + 1")
def transposed_size_k4s2p1():
    return convlib.conv_transpose_output_size(4, 4, stride=2, padding=1)


@answer("01.2", hint="there are `stride` of them; the smallest is (o-1)*s + k")
def input_sizes_k3s3():
    return list(convlib.conv_input_sizes(2, 3, stride=3))


@answer("01.3", hint="output_padding adds that many entries to the smallest size")
def output_padding_for_largest():
    return (max(convlib.conv_input_sizes(2, 3, stride=3))
            - convlib.conv_transpose_output_size(2, 3, stride=3))


@answer("01.4", hint="a dilated kernel spans dilation*(kernel_size-1) + 1 entries")
def dilated_size():
    return convlib.conv_transpose_output_size(5, 3, dilation=2)

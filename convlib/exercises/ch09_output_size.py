"""Answers to the exercises of chapter 09 (notebooks/09_output_size.ipynb)."""
from convlib.exercises import answer, implement
from convlib.shapes import conv_transpose_output_sizes, output_padding_for, smallest_output_size


@answer("09.1", hint="o_min = (i-1)*stride - 2*padding + (kernel_size-1) + 1, and output_size "
                     "accepts `stride` sizes from there")
def sizes_from_19():
    stride = 2
    return list(conv_transpose_output_sizes(19, 4, stride=stride, padding=1))[:stride]


@answer("09.2", hint="output_padding = output_size - o_min, separately for rows and columns")
def padding_for_39_38():
    return output_padding_for((19, 19), (39, 38), 4, stride=2, padding=1)


@answer("09.3", hint="output_padding goes up to max(stride, dilation) - 1; output_size= only "
                     "up to stride - 1")
def reached_and_accepted():
    import torch
    import torch.nn as nn

    layer, x = nn.ConvTranspose1d(1, 1, 3, stride=1, dilation=4), torch.ones(1, 1, 5)
    reached = conv_transpose_output_sizes(5, 3, stride=1, dilation=4)
    accepted = 0
    for o in reached:
        try:
            layer(x, output_size=[o])
            accepted += 1
        except ValueError:
            pass
    return len(reached), accepted


def reachable_cases(rng):
    """Random one-dimensional layers and a reachable output size for each."""
    cases = []
    while len(cases) < 8:
        i, k, s, p, d = (int(v) for v in (rng.integers(1, 9), rng.integers(1, 6),
                                          rng.integers(1, 4), rng.integers(0, 3),
                                          rng.integers(1, 4)))
        smallest = smallest_output_size(i, k, s, p, d)
        o = smallest + int(rng.integers(0, max(s, d)))
        if o >= 1:
            cases.append((i, o, k, s, p, d))
    return cases


@implement("09.4", cases=reachable_cases,
           hint="first work out the size the layer gives with output_padding=0 (chapter 01's "
                "formula); output_padding is what is missing from there to output_size")
def my_output_padding(input_size, output_size, kernel_size, stride, padding, dilation):
    return output_padding_for(input_size, output_size, kernel_size, stride, padding, dilation)

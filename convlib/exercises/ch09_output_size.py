"""Answers to the exercises of chapter 09 (notebooks/09_output_size.ipynb)."""
import torch
import torch.nn as nn

import convlib
from convlib.exercises import Worked, answer, implement
from convlib.grading.properties import sizes_per_side
from convlib.shapes import conv_transpose_output_sizes, output_padding_for, smallest_output_size


@answer("09.1", hint="chapter 09's section 'The range: `stride` sizes from the smallest' says "
                     "where the accepted sizes start and how many there are",
        accepts=sizes_per_side(2))
def sizes_from_19():
    stride = 2
    sizes = list(conv_transpose_output_sizes(19, 4, stride=stride, padding=1))[:stride]
    return Worked(sizes,
                  f"o_min = (19-1)*2 - 2*1 + (4-1) + 1 = {sizes[0]}, and output_size= accepts "
                  f"stride = 2 sizes from there: {sizes} (the same for both sides).")


@answer("09.2", hint="chapter 09's section '`output_size` is `output_padding`, chosen per call' "
                     "says how the two are related; rows and columns each have their own")
def padding_for_42_41():
    smallest = convlib.conv_transpose_output_size((21, 20), 4, stride=2, padding=1)
    padding = output_padding_for((21, 20), (42, 41), 4, stride=2, padding=1)
    return Worked(padding,
                  f"o_min is (21-1)*2 - 2*1 + (4-1) + 1 = {smallest[0]} for the rows and "
                  f"(20-1)*2 - 2*1 + (4-1) + 1 = {smallest[1]} for the columns, so output_padding "
                  f"is 42 - {smallest[0]} = {padding[0]} and 41 - {smallest[1]} = {padding[1]}: "
                  f"{padding}.")


@answer("09.3", hint="the two have different limits: look up in chapter 09 how large "
                     "output_padding may be (it depends on stride and dilation) and which sizes "
                     "output_size= accepts (it depends on stride only), then count each")
def reached_and_accepted():
    with torch.random.fork_rng():  # the layer's random initial weight: not the reader's seed
        layer = nn.ConvTranspose1d(1, 1, 3, stride=1, dilation=4)
    x = torch.ones(1, 1, 5)
    reached = conv_transpose_output_sizes(5, 3, stride=1, dilation=4)
    accepted = []
    for o in reached:
        try:
            layer(x, output_size=[o])
            accepted.append(o)
        except ValueError:
            pass
    return Worked((len(reached), len(accepted)),
                  f"o_min = (5-1)*1 + 4*(3-1) + 1 = {reached.start}. output_padding goes up to "
                  f"max(stride, dilation) - 1 = 3, so it reaches {list(reached)}: "
                  f"{len(reached)} sizes. output_size= accepts only stride = 1 of them, "
                  f"{accepted}: ({len(reached)}, {len(accepted)}).")


def reachable_cases(rng):
    """One-dimensional layers and a reachable output size for each: a plain one first."""
    cases = [(3, 5, 3, 1, 0, 1), (3, 8, 3, 2, 0, 1)]
    while len(cases) < 9:
        i, k, s, p, d = (int(v) for v in (rng.integers(1, 9), rng.integers(1, 6),
                                          rng.integers(1, 4), rng.integers(0, 3),
                                          rng.integers(1, 4)))
        smallest = smallest_output_size(i, k, s, p, d)
        o = smallest + int(rng.integers(0, max(s, d)))
        if o >= 1:
            cases.append((i, o, k, s, p, d))
    return cases


def my_output_padding(input_size, output_size, kernel_size, stride, padding, dilation):
    """The size the layer gives with output_padding=0 is (i-1)*s - 2p + d(k-1) + 1 (chapter 01);
    output_padding is what is missing from there to output_size."""
    smallest = (input_size - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + 1
    return output_size - smallest


@implement("09.4", cases=reachable_cases, solution=my_output_padding, plain=my_output_padding,
           hint="first work out the size the layer gives with output_padding=0 (chapter 01's "
                "formula); output_padding is what is missing from there to output_size")
def output_padding_reference(input_size, output_size, kernel_size, stride, padding, dilation):
    return output_padding_for(input_size, output_size, kernel_size, stride, padding, dilation)

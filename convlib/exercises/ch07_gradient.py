"""Answers to the exercises of chapter 07 (notebooks/07_gradient.ipynb)."""
import numpy as np
import torch

import convlib
from convlib.exercises import answer


@answer("07.1", hint="compute the conv's output size o, then the transposed output size of o "
                     "without output_padding")
def output_padding_for_7():
    o = convlib.conv_output_size(7, 3, stride=2, padding=1)
    return 7 - convlib.conv_transpose_output_size(o, 3, stride=2, padding=1)


@answer("07.2", hint="x[1, 1] is read by all four outputs; add the four kernel entries it meets")
def gradient_at_1_1():
    # the chapter's w: torch.manual_seed(0); torch.randint(-3, 4, (1, 1, 3, 3)), seeded locally
    w = torch.randint(-3, 4, (1, 1, 3, 3), generator=torch.Generator().manual_seed(0)).float()
    return convlib.conv_transpose_scatter(torch.ones(1, 1, 2, 2), w)[0, 0, 1, 1]


@answer("07.3", hint="rows: one per output value (channels x positions); columns: one per "
                     "input value")
def shape_of_c():
    return convlib.conv_matrix(np.ones((3, 2, 3, 3)), (2, 5, 5), stride=2, padding=1).shape

"""Answers to the exercises of chapter 15 (notebooks/15_deploy.ipynb)."""
from convlib import folding
from convlib import frameworks as fw
from convlib import shapes
from convlib.exercises import Worked, answer, any_order, implement


@answer("15.1", hint="weight (C_in, C_out/groups, k, k): find the channel's group and its column "
                     "within the group, then the group's rows of axis 0")
def rows_and_column_of_channel_7():
    rows, column = folding.output_channel_entries((6, 3, 3, 3), 7, groups=3)
    first, last, j = rows.start, rows.stop - 1, column.start
    return Worked([first, last, j],
                  f"9 output channels in 3 groups: 3 per group, so channel 7 is group 7 // 3 = "
                  f"{7 // 3}, column 7 % 3 = {j}. Its group's inputs are rows {first}..{last} "
                  f"(6 / 3 = 2 rows per group): weight[{first}:{last + 1}, {j}].")


@answer("15.2", hint="weight_norm keeps one g per entry of axis `dim`; how many entries has axis "
                     "1 of a grouped transposed convolution's weight?")
def weight_norm_count_with_groups():
    c_out, groups, per_in, per_out = folding.channel_layout((6, 4, 3, 3), groups=3)
    return Worked(per_out,
                  f"The weight is (C_in, C_out/groups, 3, 3), and C_out/groups = 12 / 3 = "
                  f"{per_out}: dim=1 has {per_out} entries, so {per_out} norms, each over one "
                  f"column of all {groups} groups. One norm per output channel would be {c_out}.")


@answer("15.3", hint="padding the input by output_padding entries adds stride outputs per entry, "
                     "not one")
def lowered_output_padding_length():
    pytorch = shapes.conv_transpose_output_size(6, 4, 3, 1, 2)
    lowered = shapes.conv_transpose_output_size(6 + 2, 4, 3, 1, 0)
    return Worked(lowered,
                  f"PyTorch: (6-1)*3 - 2*1 + 4 + 2 = {pytorch}. With the input padded to 6 + 2 = 8 "
                  f"and output_padding 0: (8-1)*3 - 2*1 + 4 = {lowered}, that is "
                  f"output_padding * (stride - 1) = 2 * 2 = {lowered - pytorch} more.")


@answer("15.4", hint="'SAME' accepts o when the SAME convolution of o has 5 outputs: "
                     "ceil(o / stride) = 5", accepts=any_order)
def tensorflow_same_sizes():
    sizes = list(fw.tensorflow_output_shapes(5, 4, 3)[0])
    return Worked(sizes,
                  f"ceil(o / 3) = 5 for o = (5-1)*3 + 1 = {sizes[0]} up to 5*3 = {sizes[-1]}: "
                  f"{sizes}. The full result is (5-1)*3 + 4 = {fw.full_size(5, 4, 3)[0]} long, "
                  f"so each of them crops at least one entry.")


def same_window_cases(rng):
    """(input_size, kernel_size, stride, output_shape): every accepted size of a few layers,
    kernels larger and smaller than the stride, smallest first."""
    cases = []
    for i, k, s in [(1, 1, 1), (2, 3, 1), (3, 3, 2), (4, 2, 3), (5, 5, 2), (7, 3, 2),
                    (int(rng.integers(1, 8)), int(rng.integers(1, 6)), int(rng.integers(1, 4)))]:
        cases += [(i, k, s, o) for o in fw.tensorflow_output_shapes(i, k, s)[0]]
    return cases


def tensorflow_same_window(input_size, kernel_size, stride, output_shape):
    """The full result is c = (input_size - 1) * stride + kernel_size long; 'SAME' crops
    T = max(c - output_shape, 0) entries, the smaller half T // 2 at the start, and keeps
    output_shape entries: the end loses c - start - output_shape (negative: entries added)."""
    full = (input_size - 1) * stride + kernel_size
    start = max(full - output_shape, 0) // 2
    return [start, full - start - output_shape]


@implement("15.5", cases=same_window_cases, solution=tensorflow_same_window,
           plain=tensorflow_same_window,   # plain Python already: the site shows the same
           hint="'SAME' pads the forward convolution: how much in total, which half first, "
                "and can the total be negative?")
def tensorflow_same_reference(input_size, kernel_size, stride, output_shape):
    crop = fw.tensorflow_crop(input_size, kernel_size, stride, output_shape)
    return [crop.before[0], crop.after[0]]

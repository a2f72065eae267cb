"""Answers to the exercises of chapter 01 (notebooks/01_shapes.ipynb)."""
import convlib
from convlib.exercises import Worked, answer, any_order, implement


@answer("01.1", hint="each dimension uses its own entry of every parameter: work the rows and "
                     "the columns out separately, as the section 'The transposed convolution's "
                     "output size' does for one")
def output_shape_per_dimension():
    rows, columns = convlib.conv_transpose_output_size((5, 4), (5, 3), stride=(3, 2),
                                                       padding=(2, 1))
    return Worked((rows, columns),
                  f"Each dimension uses its own entry of every parameter. Rows: "
                  f"(5-1)*3 - 2*2 + (5-1) + 1 = {rows}. Columns: (4-1)*2 - 2*1 + (3-1) + 1 = "
                  f"{columns}.")


@answer("01.2", hint="how many input sizes does the floor in the convolution's size hide, and "
                     "which is the smallest: where does the last window end?",
        accepts=any_order)
def input_sizes_k3s3():
    sizes = list(convlib.conv_input_sizes(2, 3, stride=3))
    return Worked(sizes,
                  f"Two windows of 3, 3 apart, start at 0 and 3: the second ends at entry 5, so "
                  f"the input needs (2-1)*3 + 3 = {sizes[0]} entries at least. Up to stride - 1 = "
                  f"2 more are left over by the floor ({sizes[-1]} entries still give 2 "
                  f"windows); with {sizes[-1] + 1} a third window fits. So {sizes}.")


@answer("01.3", hint="output_padding adds that many entries to the smallest size")
def output_padding_for_largest():
    largest = max(convlib.conv_input_sizes(2, 3, stride=3))
    smallest = convlib.conv_transpose_output_size(2, 3, stride=3)
    return Worked(largest - smallest,
                  f"Without output_padding the transposed convolution gives the smallest size, "
                  f"(2-1)*3 + (3-1) + 1 = {smallest}. The largest is {largest}, so output_padding "
                  f"= {largest} - {smallest} = {largest - smallest}, which PyTorch accepts: it is "
                  f"below stride=3.")


@answer("01.4", hint="a dilated kernel spans dilation*(kernel_size-1) + 1 entries")
def dilated_size():
    span = 2 * (3 - 1) + 1
    size = convlib.conv_transpose_output_size(5, 3, dilation=2)
    return Worked(size,
                  f"The dilated kernel spans 2*(3-1) + 1 = {span} entries. With stride 1 the last "
                  f"of the 5 inputs stamps it at position 4, so the output has 4 + {span} = "
                  f"{size} entries.")


def size_cases(rng):
    """One parameter at a time in 1-D, then every parameter, per dimension, in 2-D and 3-D."""
    cases = [((4,), (3,), (1,), (0,), (0,), (1,)),
             ((4,), (3,), (2,), (0,), (0,), (1,)),
             ((4,), (3,), (2,), (1,), (0,), (1,)),
             ((4,), (3,), (2,), (1,), (1,), (1,)),
             ((4,), (3,), (1,), (0,), (0,), (2,)),
             ((5, 4), (5, 3), (3, 2), (2, 1), (1, 0), (1, 2))]
    while len(cases) < 10:
        dims = int(rng.integers(2, 4))
        i, k, s, p, d = (tuple(int(v) for v in rng.integers(low, high, dims))
                         for low, high in [(1, 9), (1, 6), (1, 4), (0, 3), (1, 4)])
        op = tuple(int(rng.integers(0, max(a, b))) for a, b in zip(s, d))
        try:
            convlib.conv_transpose_output_size(i, k, s, p, op, d)  # refuses sizes below 1
        except ValueError:
            continue
        cases.append((i, k, s, p, op, d))
    return cases


def transposed_output_size(input_size, kernel_size, stride, padding, output_padding, dilation):
    """Per dimension: the canvas of stamps, (i-1)*s + d*(k-1) + 1 entries, loses `padding` at
    both ends and gains `output_padding` at the end."""
    return tuple((i - 1) * s - 2 * p + d * (k - 1) + op + 1 for i, k, s, p, op, d in
                 zip(input_size, kernel_size, stride, padding, output_padding, dilation))


@implement("01.5", cases=size_cases, solution=transposed_output_size, plain=transposed_output_size,
           hint="start from the canvas the stamps cover, (i-1)*stride + dilation*(kernel_size-1) "
                "+ 1 entries, then apply padding (both ends) and output_padding (the end only); "
                "do it for every dimension with that dimension's numbers")
def output_size_reference(input_size, kernel_size, stride, padding, output_padding, dilation):
    return convlib.conv_transpose_output_size(input_size, kernel_size, stride, padding,
                                              output_padding, dilation)

"""Answers to the exercises of chapter 12 (notebooks/12_frameworks.ipynb)."""
from convlib import frameworks as fw
from convlib.exercises import Worked, answer, implement


@answer("12.1", hint="'same' keeps stride * input_length entries of the full result: the crop in "
                     "all is the difference, and chapter 12's table says how Keras splits it")
def keras_same_k5s2():
    crop = fw.keras_crop(6, 5, 2, "same")
    start, end = crop.before[0], crop.after[0]
    return Worked([start, end],
                  f"The full result is (6-1)*2 + 5 = {crop.full_size[0]} long and 'same' keeps "
                  f"6*2 = {crop.output_size[0]}: T = 5 - 2 = {start + end} entries go, "
                  f"max(T // 2, 0) = {start} at the start and T - {start} = {end} at the end.")


@answer("12.2", hint="chapter 12's table of `before` and `after` says what ONNX's pads crop and "
                     "what PyTorch's padding and output_padding crop: find the PyTorch pair "
                     "that crops the same at each end")
def pytorch_for_onnx_pads():
    crop = fw.onnx_crop(5, 5, 2, pads=[2, 1])
    call = fw.pytorch_call(crop, stride=2)
    padding, output_padding = call.padding[0], call.output_padding[0]
    return Worked([padding, output_padding],
                  f"ONNX's pads=[2, 1] crop {crop.before[0]} at the start and {crop.after[0]} at "
                  f"the end. PyTorch crops padding at the start and padding - output_padding at "
                  f"the end: padding = {padding}, and {padding} - output_padding = "
                  f"{crop.after[0]} gives output_padding = {output_padding}.")


@answer("12.3", hint="compare the full result's length with the stride * input_length that SAME "
                     "asks for, and see in chapter 12 what ONNX Runtime does when the full "
                     "result is the shorter")
def onnx_same_when_stride_exceeds_kernel():
    crop = fw.onnx_crop(5, 3, 4, auto_pad="SAME_UPPER")
    full, size = crop.full_size[0], crop.output_size[0]
    return Worked(size,
                  f"The full result is (5-1)*4 + 3 = {full} long; SAME asks for 5*4 = 20, more "
                  f"than that. ONNX Runtime crops T = max({full} - 20, 0) = {full - size} and "
                  f"adds nothing: the output is the whole full result, {size} long.")


def same_cases(rng):
    """(input_size, kernel_size, stride): kernels larger, equal and smaller than the stride."""
    return [(2, 1, 1), (4, 3, 2), (5, 4, 2), (3, 5, 3), (6, 2, 3), (7, 6, 4),
            (int(rng.integers(1, 8)), int(rng.integers(1, 7)), int(rng.integers(1, 5)))]


def keras_same_window(input_size, kernel_size, stride):
    """'same' keeps input_size * stride of the full result, (input_size - 1) * stride +
    kernel_size long: T = kernel_size - stride entries go, the smaller half, max(T // 2, 0), at
    the start and the rest at the end (a negative T adds entries at the end)."""
    crop = kernel_size - stride
    start = max(crop // 2, 0)
    return [start, crop - start]


@implement("12.4", cases=same_cases, solution=keras_same_window, plain=keras_same_window,
           hint="chapter 12's table of the total crop T gives Keras 'same''s T, and the "
                "sentence above that table says how T is split between the two ends")
def keras_same_reference(input_size, kernel_size, stride):
    crop = fw.keras_crop(input_size, kernel_size, stride, "same")
    return [crop.before[0], crop.after[0]]

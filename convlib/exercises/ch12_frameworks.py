"""Answers to the exercises of chapter 12 (notebooks/12_frameworks.ipynb)."""
from convlib import frameworks as fw
from convlib.exercises import answer, implement


@answer("12.1", hint="K = kernel_size here; 'same' without output_padding crops T = K - stride in "
                     "all, the smaller half at the start")
def keras_same_k5s2():
    crop = fw.keras_crop(6, 5, 2, "same")
    return [crop.before[0], crop.after[0]]


@answer("12.2", hint="ONNX keeps [b, c - e + output_padding); PyTorch keeps "
                     "[padding, c - padding + output_padding)")
def pytorch_for_onnx_pads():
    call = fw.pytorch_call(fw.onnx_crop(5, 5, 2, pads=[2, 1]), stride=2)
    return [call.padding[0], call.output_padding[0]]


@answer("12.3", hint="ONNX Runtime never crops less than nothing for SAME: T = max(c - i*stride, 0)")
def onnx_same_when_stride_exceeds_kernel():
    return fw.onnx_crop(4, 2, 3, auto_pad="SAME_UPPER").output_size[0]


def same_cases(rng):
    """(input_size, kernel_size, stride): kernels larger, equal and smaller than the stride."""
    return [(4, 3, 2), (5, 4, 2), (3, 5, 3), (6, 2, 3), (2, 1, 1), (7, 6, 4),
            (int(rng.integers(1, 8)), int(rng.integers(1, 7)), int(rng.integers(1, 5)))]


@implement("12.4", cases=same_cases,
           hint="T = kernel_size - stride; the start gets max(T // 2, 0), the end the rest "
                "(negative: entries added)")
def keras_same_window(input_size, kernel_size, stride):
    crop = fw.keras_crop(input_size, kernel_size, stride, "same")
    return [crop.before[0], crop.after[0]]

"""The output-size picture: the sizes a transposed convolution can give for one input size, which
of them forward(input, output_size=...) accepts, their output_padding, and the sizes a
convolution with the same parameters maps back to the input (chapter 09)."""
import numpy as np

from ... import shapes
from ..scene import Grid, Mark, Scene
from ...shapes import compact, formulas
from ..words import listing


def pytorch_refusal(input_size, smallest, stride, output_size):
    """What PyTorch's forward(input, output_size=[o]) raises, in its words, or '' if it accepts
    o: it accepts o_min to o_min + stride - 1 (torch.nn.ConvTranspose1d._output_padding)."""
    if smallest <= output_size <= smallest + stride - 1:
        return ""
    return (f"requested an output size of [{output_size}], but valid sizes range from "
            f"[{smallest}] to [{smallest + stride - 1}] (for an input of "
            f"torch.Size([{input_size}]))")


def output_size_scene(x, w, setup, output_size=1):
    """x (1, i), w (1, 1, k), 1-D: the sizes o_min .. o_min + max(s, d) - 1 that output_padding
    reaches, the first `stride` of them accepted by output_size=, and the asked `output_size`."""
    i, k, s, p, d = (compact(v) for v in (setup.input_size, setup.kernel_size, setup.stride,
                                          setup.padding, setup.dilation))
    smallest = setup.smallest_output_size[0]
    reached = shapes.conv_transpose_output_sizes(i, k, s, p, d)
    accepted = shapes.conv_input_sizes(i, k, s, p, d)   # what a convolution maps back to i
    sizes = np.arange(max(1, smallest - 2), reached.stop + 2)
    sizes = np.union1d(sizes, [output_size])[-12:]   # the asked size always shown
    kinds = [("accepted", 0.55) if o in accepted else ("output_padding only", 0.45)
             if o in reached else ("unreachable", 0.15) for o in sizes]   # one per column
    pads = [str(o - smallest) if o in reached else "–" for o in sizes]
    backs = [formulas.conv_output_size(o, k, s, p, d) for o in sizes]
    backs = [str(back) if back >= 1 else "–" for back in backs]
    mapped = [int(o) for o, back in zip(sizes, backs) if back == str(i)]
    column = int(np.flatnonzero(sizes == output_size)[0])
    asked = (Mark("highlight", ((0, column, 3, column + 1),)),)
    refusal = pytorch_refusal(i, smallest, s, output_size)
    op = output_size - smallest
    if output_size in accepted:
        verdict = f"output_size={output_size} is output_padding = {output_size} - {smallest} = {op}."
    elif output_size in reached:
        verdict = (f"output_size={output_size} is refused by forward(); output_padding={op} in the "
                   f"constructor gives it.")
    else:
        verdict = f"output_size={output_size} is refused, and no output_padding gives it."
    said = (f"o_min = (i-1)*stride - 2*padding + dilation*(kernel_size-1) + 1 = ({i}-1)*{s} - "
            f"2*{p} + {d}*({k}-1) + 1 = {smallest}.",
            f"forward(input, output_size=...) accepts {listing(list(accepted))} (green): "
            f"stride = {s} size{'s' * (s > 1)}.",
            f"output_padding reaches {listing(list(reached))}: max(stride, dilation) = "
            f"{max(s, d)} size{'s' * (max(s, d) > 1)}" + (" (orange: output_padding only)."
                                                          if d > s else "."),
            verdict,
            f"PyTorch: {refusal}" if refusal else "PyTorch accepts it.",
            f"A convolution with the same kernel_size, stride, padding and dilation maps "
            f"{listing(mapped) if mapped else 'no size'} back to {i}.")
    texts = np.array([[str(o) for o in sizes], pads, backs], dtype=object)
    roles = np.array([[role for role, _ in kinds]] * 3, dtype=object)
    strength = np.array([[depth for _, depth in kinds]] * 3)
    grid = Grid("sizes", np.tile(sizes.astype(float), (3, 1)), roles, strength,
                "output size o, output_padding = o − o_min, and what a convolution maps o to",
                4.0, texts=texts, marks=asked,
                side_names=(("o", "output_padding", "conv(o)"), ()))
    return Scene(f"Output size: input {i}, kernel_size={k}, stride={s}, padding={p}, "
                 f"dilation={d}", said, ((grid,),), caption=(0, 1, 2, 3, 4),
                 size=(8.4, 3.4), facts=dict(smallest=smallest, accepted=accepted,
                                            reached=reached, refusal=refusal, mapped=mapped))

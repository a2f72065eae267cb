"""Answers to the exercises of chapter 14 (notebooks/14_design.ipynb)."""
from convlib.exercises import Worked, answer
from convlib.grading.properties import centres_on_input
from convlib.receptive_field import chain, conv, conv_transpose, crop_offset, pool


@answer("14.1", hint="output v receives tap t from input (v + padding - t) / stride, so only "
                     "the taps t with v + padding - t divisible by the stride reach it")
def inputs_by_phase():
    layer = chain(conv_transpose(5, 2, 2))
    counts = [len(layer.reaching(v, 8)) for v in (6, 7)]
    return Worked(counts,
                  f"Output v receives tap t from input (v + 2 - t)/2, a whole number only when "
                  f"t has the parity of v. An even output gets taps 0, 2 and 4: {counts[0]} "
                  f"inputs; an odd one taps 1 and 3: {counts[1]}. The window (5 - 1)/2 = 2 "
                  f"inputs wide holds 3 whole inputs or 2, by phase: {counts}.")


@answer("14.2", hint="each layer adds (kernel_size - 1) times the jump before it, the product "
                     "of the strides of the layers before it; the receptive field is 1 plus "
                     "these")
def receptive_field_of_four():
    net = chain(conv(3, 2, 1), conv(3, 2, 1), conv(3, 2, 1), conv(5))
    field = int(net.receptive_field)
    return Worked(field,
                  f"Start at 1. The three stride-2 layers add 2*1, 2*2 and 2*4 (their jumps 1, "
                  f"2 and 4); the last layer, after a jump of 8, adds 4*8. So 1 + 2 + 4 + 8 + "
                  f"32 = {field}.")


@answer("14.3", hint="write where each entry sits in the input: pooling's output u at 2u + 0.5, "
                     "and the transposed layer's output v at its input (v + padding - "
                     "(kernel_size-1)/2) / stride")
def crop_after_pool():
    upsampled = chain(pool(2), conv_transpose(4, 2))
    offset = crop_offset(upsampled, chain())
    return Worked(offset,
                  f"MaxPool1d(2) puts its output u at input 2u + 0.5. The transposed layer "
                  f"puts its output v at its input (v - 1.5)/2, so at input 2*(v - 1.5)/2 + "
                  f"0.5 = v - 1: output v shows the map's entry v - 1, and cropping from "
                  f"{offset} lines them up.")


@answer("14.4", accepts=centres_on_input(5, 1),
        hint="the convolution puts output u at 2u + (5-1)/2 - 1; the transposed layer must "
             "take v back: (v + padding - (kernel_size-1)/2) / 2, composed, must be v")
def mirrored_after_k5_p1():
    k, p = next((k, p) for k in range(1, 10) for p in range(k)
                if chain(conv(5, 2, 1), conv_transpose(k, 2, p)).coordinate_map == (1, 0))
    return Worked((k, p),
                  f"The convolution puts u at 2u + (5-1)/2 - 1, which is 2u + 1; the "
                  f"transposed layer puts v "
                  f"at (v + p - (k-1)/2)/2, so the chain puts v at v + p - (k-1)/2 + 1, which "
                  f"is v when k - 2p = 3. The smallest is kernel_size={k}, padding={p}; "
                  f"(5, 1), the mirror of the convolution, and (7, 2) are right too.")

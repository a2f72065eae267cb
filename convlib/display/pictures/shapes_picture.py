"""The shapes picture: the input, the zero-inserted padded grid of the equivalent direct
convolution, the output, and the output-size formulas with the current numbers (chapter 01)."""
from ... import arrays, direct, shapes
from ..scene import Scene, grid
from ..words import listing, sentence
from .inputs import direct_input_grid


def shapes_scene(x, w, setup):
    """x (1, i, i) numbered 1, 2, ..., w (1, 1, k, k) of ones: o = (i-1)s - 2p + d(k-1) + op + 1."""
    (i, _), (k, _) = setup.input_size, setup.kernel_size
    s, p, op, d = (v[0] for v in (setup.stride, setup.padding, setup.output_padding,
                                  setup.dilation))
    o = setup.output_size[0]
    xb, wb, finish = arrays.arrange(x, w, None, setup)
    padded = direct.insert_and_pad(xb, setup)[0, ..., 0]
    out = finish(direct.transpose_by_convolution(xb, wb, setup))[0]
    big = setup.direct_size[0]
    direct_o = direct.direct_conv(setup).output_size[0]   # stride 1 over the big grid
    back = setup.conv_size[0]   # what the convolution of the output gives back
    sizes = list(shapes.conv_input_sizes(i, k, s, p, d))
    crop = " (negative: crop)" if min(setup.pad_before + setup.pad_after) < 0 else ""
    said = [
        f"Input {i}×{i}, output {o}×{o} (input_size={i}, kernel_size={k}, stride={s}, "
        f"padding={p}, output_padding={op}, dilation={d}).",
        f"Transposed convolution:  o = (i−1)·s − 2p + d·(k−1) + output_padding + 1 "
        f"= ({i}−1)·{s} − 2·{p} + {d}·({k}−1) + {op} + 1 = {o}.",
        sentence(f"convolution maps back: floor(({o} + 2·{p} − {d}·({k}−1) − 1) / {s}) + 1 "
                 f"= {back}; " + (f"sizes {listing(sizes)} all map to {i}: output_padding = "
                                  f"{op} picks {o}" if o in sizes else f"not {i}: "
                                  f"output_padding ≥ stride (dilation > stride allows it)")),
        f"Direct convolution, stride 1, of the {big}×{big} grid: {setup.inserted_zeros[0]} "
        f"zero(s) between inputs, pad {setup.pad_before[0]} before and {setup.pad_after[0]} "
        f"after{crop};  o = {big} − {d}·({k}−1) = {direct_o}."]
    panels = (grid("input", x[0], "input", f"input x  {i}×{i}", 1.2),
              direct_input_grid("grid", padded, direct.direct_input_roles(setup),
                                f"zero-inserted, padded  {big}×{big}", 1.9),
              grid("output", out, "output", f"output y  {o}×{o}", 1.2))
    return Scene(f"Shapes: input {i}×{i} → output {o}×{o}", tuple(said), (panels,),
                 roles=("input", "inserted zeros", "padding", "output"), caption=(1, 3, 2),
                 notes=("(i: input size, k: kernel_size, s: stride, p: padding, d: dilation)",),
                 size=(8.4, 4.2), facts=dict(output_size=o, direct_output_size=direct_o,
                                             back=back))

"""The phases picture: the outputs of one phase, the kernel taps that land on them, and the
ordinary convolution they make (chapter 13)."""
from itertools import product

import numpy as np

from ... import arrays
from ...phases import by_phases, phase_outputs, phase_taps
from ...shapes import compact
from ..scene import Mark, Scene, cell_of, grid
from ..words import nested, sentence


def phases_scene(x, w, setup, phase=0):
    """Phase number `phase` (r in np.ndindex(*stride), flat): its outputs o, with (o + p) mod s
    = r, are an ordinary convolution of x with the taps k that have d*k mod s = r:
    y[s*m + r - p] = sum of x[m - d*k // s] * w[k]."""
    out = arrays.run(by_phases, x, w, setup)[0]
    phase = min(max(phase, 0), int(np.prod(setup.stride)) - 1)
    r = np.unravel_index(phase, setup.stride)
    axes = list(zip(r, setup.kernel_size, setup.stride, setup.padding, setup.dilation,
                    setup.output_size))
    taps = [list(phase_taps(rj, k, s, d)) for rj, k, s, p, d, o in axes]
    outputs = [list(phase_outputs(rj, o, s, p)) for rj, k, s, p, d, o in axes]
    values = out[np.ix_(*outputs)]
    tap_cells = tuple(cell_of(k) for k in product(*taps))
    output_cells = tuple(cell_of(o) for o in product(*outputs))

    def listed(per_axis):
        return f"rows {per_axis[0]}, columns {per_axis[1]}" if setup.dims == 2 else \
            str(per_axis[0])

    if not values.size:
        made = "the output is shorter than the stride: no output is in this phase"
    elif not all(taps):
        made = "no tap lands on this phase: its outputs are 0 (the bias only)"
    else:
        made = f"so this phase is an ordinary convolution of x with those taps: {nested(values)}"
    said = (f"Phase r = {nested(r) if setup.dims == 2 else int(r[0])} of stride "
            f"{compact(setup.stride)}: the outputs o with (o + padding) mod stride = r, "
            f"{listed(outputs)}.",
            sentence(f"the taps k with dilation*k mod stride = r land on them: {listed(taps)}"),
            sentence(made))
    row = (grid("input", x[0], "input", "input x", 1.0),
           grid("kernel", w[0, 0], "kernel", "kernel w: this phase's taps", 1.6,
                marks=(Mark("highlight", tap_cells),)),
           grid("output", out, "output", "output y: this phase's outputs", 1.8,
                marks=(Mark("highlight", output_cells),)))
    return Scene(f"Phases: phase {phase + 1} of {int(np.prod(setup.stride))}, its outputs and "
                 f"the taps that make them", said, (row,),
                 roles=("input", "kernel", "output", "highlight"),
                 notes=("y[s·m + r − p] = sum over the taps k with d·k mod s = r of "
                        "x[m − ⌊d·k/s⌋]·w[k]: one ordinary convolution per phase r",),
                 facts=dict(output=out, r=r, taps=taps, outputs=outputs, values=values,
                            phases=int(np.prod(setup.stride))))

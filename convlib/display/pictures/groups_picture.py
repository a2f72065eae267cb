"""The groups picture: which input channels feed which output channels, which blocks of the
weight exist, and (given arrays) the input and output, one row per channel (chapter 05)."""
import numpy as np

from ... import arrays, scatter
from ..scene import Diagram, Grid, Scene, grid
from ..words import listing, nested, plain


def connections(in_channels, out_channels, groups):
    """Which weight joins input channel i to output channel j: (C_in, C_out) weight numbers.

    Input channel i feeds output channel j when both are in one group, i // (C_in/G) ==
    j // (C_out/G), through weight[i, j mod C_out/G] of the weight (C_in, C_out/G, *k) numbered
    1, 2, ... in raster order; 0 where no weight joins them.
    """
    per_in, per_out = in_channels // groups, out_channels // groups
    i, j = np.indices((in_channels, out_channels))
    return np.where(i // per_in == j // per_out, i * per_out + j % per_out + 1.0, 0.0)


def fed_by(joined):
    """'x0 and x1 feed y0 and y1', one phrase per set of outputs fed by the same inputs,
    from the (C_in, C_out) connections."""
    outputs = {}
    for j in range(joined.shape[1]):
        outputs.setdefault(tuple(np.flatnonzero(joined[:, j])), []).append(j)
    return [f"{listing(f'x{i}' for i in ins)} feed{'s' if len(ins) == 1 else ''} "
            f"{listing(f'y{j}' for j in outs)}" for ins, outs in outputs.items()]


def diagram(in_channels, out_channels, groups, joined):
    """Input channels left, output channels right, centred on each other; a band per group."""
    tall = max(in_channels, out_channels)
    per_in, per_out = in_channels // groups, out_channels // groups
    y_in = np.arange(in_channels) + (tall - in_channels) / 2
    y_out = np.arange(out_channels) + (tall - out_channels) / 2
    i, j = np.nonzero(joined)
    return Diagram("channels", tall, tuple((y, f"x{c}") for c, y in enumerate(y_in)),
                   tuple((y, f"y{c}") for c, y in enumerate(y_out)),
                   tuple((y_in[a], y_out[b]) for a, b in zip(i, j)),
                   tuple((y_in[g * per_in], y_out[g * per_out], y_out[(g + 1) * per_out - 1],
                          y_in[(g + 1) * per_in - 1]) for g in range(groups)))


def groups_scene(x, w, setup, numbers=True):
    """x (C_in, *i), w (C_in, C_out/groups, *k); numbers=False: only the channels matter (x and
    w are stand-ins), so the input and output are not drawn."""
    c_in, c_out, groups = setup.in_channels, setup.out_channels, setup.groups
    joined = connections(c_in, c_out, groups)
    per_in, per_out = c_in // groups, c_out // groups
    names = np.where(joined > 0, [[f"{(n - 1) // per_out},{(n - 1) % per_out}" for n in row]
                                  for row in joined.astype(int)], "")
    weights = Grid("weights", joined, np.where(joined > 0, "kernel", "empty").astype(object),
                   np.where(joined > 0, 0.45, 0.12), "weight[i, j]: x (row) to y (column)", 2.1,
                   texts=names,
                   side_names=(tuple(f"x{r}" for r in range(c_in)),
                               tuple(f"y{c}" for c in range(c_out))))
    row = (diagram(c_in, c_out, groups, joined), weights)
    kernel, said = "k, k", []
    links = int(np.count_nonzero(joined))
    out = None
    if numbers:
        out = arrays.run(scatter.scatter_add, x, w, setup)
        kernel = ", ".join(map(str, setup.kernel_size))
        panels = []
        for key, values, role, title in (("input", x, "input", "input x"),
                                         ("output", out, "output", "output y")):
            rows = values.reshape(len(values), -1)   # one row per channel, narrower when long
            panels.append(grid(key, rows, role, title, 0.8, aspect=min(1.0, 6 / rows.shape[1])))
        row = (panels[0], row[0], panels[1], row[1])
    said = [f"groups={groups}: {c_in} input channels, {c_out} output channels, weight shape "
            f"({c_in}, {per_out}, {kernel}).", "; ".join(fed_by(joined)) + "."]
    if numbers:
        said.append("Output: " + ", ".join(f"y{c} = {plain(v.item()) if v.size == 1 else nested(v)}"
                                           for c, v in enumerate(out)) + ".")
    said += [f"Weight shape (in_channels, out_channels/groups, *kernel_size) = ({c_in}, {per_out}, "
             f"{kernel}): each group joins {per_in} input(s) to {per_out} output(s).",
             f"{links} of {c_in * c_out} channel pairs are joined; the blank blocks are weights a "
             f"groups={groups} layer does not have."]
    caption = (-2, -1, 2) if numbers else (-2, -1)
    return Scene(f"Groups: {c_in} input channels, {c_out} output channels, groups={groups}",
                 tuple(said), (row,), roles=("input", "kernel", "output"),
                 caption=tuple(j % len(said) for j in caption), gap=0.7,
                 facts=dict(connections=joined, links=links, output=out))

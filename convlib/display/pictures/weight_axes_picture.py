"""The weight axes picture: which entries of a weight one output channel reads, in a transposed
convolution's weight (C_in, C_out/groups) and in an ordinary convolution's (C_out, C_in/groups),
one cell per kernel, and the one BatchNorm scale that multiplies them when it is folded in
(chapter 15)."""
import numpy as np

from ... import folding
from ..scene import Grid, Mark, Scene

# How deep a cell's colour is: the chosen channel's, its group's other channels', the rest's.
CHOSEN, GROUP, OTHER = 0.62, 0.3, 0.1
# Inches a weight's panel needs: its column title, "axis 1: output channels of a group", is 2.15
# wide at 9 points (tests/test_deploy.py measures it; scenes are computed without font metrics).
TITLE_ROOM = 2.35


def channel_grid(name, shape, groups, channel, transposed, title, side_names, axis_names):
    """One cell per kernel of a weight of `shape`, named after the output channel it feeds, the
    chosen channel's cells boxed, its axes titled `axis_names` (rows, columns)."""
    c_out, _, per_in, per_out = folding.channel_layout(shape, groups, transposed)
    feeds = np.zeros(shape[:2], dtype=int)   # the output channel each kernel feeds
    for o in range(c_out):
        feeds[folding.output_channel_entries(shape, o, groups, transposed)] = o
    group = feeds // per_out
    strength = np.where(feeds == channel, CHOSEN, np.where(group == channel // per_out, GROUP,
                                                           OTHER))
    rows, columns = folding.output_channel_entries(shape, channel, groups, transposed)
    box = Mark("highlight", ((rows.start, columns.start, rows.stop, columns.stop),))
    return Grid(name, feeds.astype(float), np.full(shape[:2], "kernel", dtype=object), strength,
                title, TITLE_ROOM, texts=np.vectorize(lambda o: f"y{o}")(feeds), marks=(box,),
                side_names=side_names, axis_names=axis_names), feeds == channel


def weight_axes_scene(x, w, setup, channel=0):
    """w (C_in, C_out/groups, *k) of a transposed convolution (x: a stand-in; only the channel
    counts matter): where output channel `channel` sits in its weight, in the weight of the
    ordinary convolution with the same channels, and in BatchNorm's scale."""
    c_in, c_out, g = setup.in_channels, setup.out_channels, setup.groups
    per_in, per_out = c_in // g, c_out // g
    group, column = divmod(channel, per_out)
    within = "" if g == 1 else " of a group"
    transposed, read = channel_grid(
        "transposed", (c_in, per_out), g, channel, True, "ConvTranspose2d weight", (
            tuple(f"{r}" for r in range(c_in)), tuple(f"{j}" for j in range(per_out))),
        ("axis 0: input channels", f"axis 1: output channels{within}"))
    ordinary, read_conv = channel_grid(
        "ordinary", (c_out, per_in), g, channel, False, "Conv2d weight", (
            tuple(f"{r}" for r in range(c_out)), tuple(f"{j}" for j in range(per_in))),
        ("axis 0: output channels", f"axis 1: input channels{within}"))
    scale = Grid("scale", np.arange(c_out, dtype=float)[None],
                 np.full((1, c_out), "output", dtype=object),
                 np.where(np.arange(c_out) == channel, CHOSEN, OTHER)[None], "BatchNorm scale",
                 1.4, texts=np.array([[f"y{o}" for o in range(c_out)]]),
                 marks=(Mark("highlight", ((0, channel, 1, channel + 1),)),))
    rows = f"{group * per_in}:{(group + 1) * per_in}"
    said = [f"in_channels={c_in}, out_channels={c_out}, groups={g}: output channel y{channel} "
            f"is column {column} of group {group}.",
            f"ConvTranspose2d weight ({c_in}, {per_out}, k, k): y{channel} reads "
            f"weight[{rows}, {column}], {per_in} kernel(s) down axis 0.",
            f"Conv2d weight ({c_out}, {per_in}, k, k): y{channel} reads weight[{channel}], "
            f"one row of axis 0.",
            f"Folding BatchNorm multiplies those kernels by scale[{channel}]."]
    said.append("Axis 1 is the output channel: scale.reshape(1, -1, 1, 1) fits." if g == 1 else
                f"Axis 1 has {per_out} of the {c_out} output channels: scale.reshape(1, -1, 1, 1)"
                + (" does not fit" if per_out > 1 else " broadcasts to a wrong shape")
                + f"; group {group}'s scales go to its rows.")
    return Scene(f"Weight axes: output channel y{channel} of {c_out}, groups={g}", tuple(said),
                 ((transposed, ordinary, scale),), roles=("kernel", "output", "highlight"),
                 caption=(1, 2, 4), size=(8.4, 4.8), gap=0.6,
                 facts=dict(transposed=read, ordinary=read_conv, group=group, column=column))

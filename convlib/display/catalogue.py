"""The chapters' explorers, each made by one function named after it (chapters import them from
convlib.explorers): a Spec (convlib.display.spec) over a picture's scene function
(convlib.display.pictures), run by the Explorer widget (convlib.display.widget).

    scatter_explorer(input=[[2, 4], [0, 1]], weight=[[3, 1], [1, 5]], stride=2)

Slider bounds come from convlib's formulas: output_padding < max(stride, dilation), padding
up to the largest that keeps the output non-empty, groups among the divisors of the channel
counts, and step or element within the picture's data (from the validated Setup).
"""
from math import gcd, prod

import numpy as np

from .. import arrays, shapes
from . import pictures
from .widget import Explorer
from .spec import Choice, Slider, Spec
from .registry import (EXPLORERS, SPATIAL, given_arrays, last_output, plain_data,  # noqa: F401
                       registered, sizes_of, spatial_bounds, spatial_controls)


@registered
def shapes_explorer(**params):
    """input_size, kernel_size, stride, padding, output_padding, dilation -> the input grid,
    the zero-inserted padded grid of the direct convolution, the output grid, the formulas."""
    def prepare(v):
        i, k = v["input_size"], v["kernel_size"]
        x, w = np.arange(1.0, i * i + 1).reshape(1, i, i), np.ones((1, 1, k, k))
        return x, w, shapes.validate(x.shape, w.shape, **{n: v[n] for n in SPATIAL})

    controls = {"input_size": Slider(1, 4, 3), "kernel_size": Slider(1, 4, 3),
                "stride": Slider(1, 3, 2), "padding": Slider(0, 3, 1),
                "output_padding": Slider(0, 2, 1), "dilation": Slider(1, 2, 1)}
    bounds = spatial_bounds(lambda v: ((v["input_size"],), (v["kernel_size"],)))
    return Explorer(Spec("shapes", controls, prepare, pictures.shapes_scene, bounds=bounds),
                    **params)


@registered
def matrix_explorer(input=None, weight=None, **params):
    """The convolution matrix C and Cᵀ as heatmaps; pick an output row or an input column.

    input, weight: 1-D or 2-D; without them, input_size and kernel_size sliders make
    x = 1, 2, ... and w = 1, 2, ... params: stride, padding, output_padding, pick, element.
    """
    controls = spatial_controls(stride=1, dilation=False)
    if input is None:
        controls = {"input_size": Slider(1, 3, 2), "kernel_size": Slider(1, 3, 2), **controls}

        def prepare(v):
            i, k = v["input_size"], v["kernel_size"]
            return given_arrays(np.arange(1.0, i * i + 1).reshape(i, i),
                                np.arange(1.0, k * k + 1).reshape(k, k))(v)
        sizes = lambda v: ((v["input_size"],), (v["kernel_size"],))  # noqa: E731
    else:
        prepare, sizes = given_arrays(input, weight), sizes_of(input, weight)
    controls.update(element=Slider(0, None, 0), pick=Choice(("output", "input"), "output"))

    def last_element(v, x, w, setup):
        return (x.size if v["pick"] == "input" else prod(setup.output_size)) - 1

    spec = Spec("matrix", controls, prepare, pictures.matrix_scene, picks=("pick", "element"),
                bounds=spatial_bounds(sizes), data_bounds=(("element", last_element),))
    return Explorer(spec, **params)


@registered
def scatter_explorer(input=((1, 2), (3, 4)), weight=np.ones((3, 3)), **params):
    """Scatter-add, one stamp per step, for input and weight (1-D or 2-D).
    params: stride, padding, output_padding, dilation, step."""
    count = int(np.size(arrays.as_numpy(input)[0]))
    controls = {**spatial_controls(), "step": Slider(0, None, (count + 1) // 2)}
    spec = Spec("scatter", controls, given_arrays(input, weight), pictures.scatter_scene,
                picks=("step",), play="step", bounds=spatial_bounds(sizes_of(input, weight)),
                data_bounds=(("step", lambda v, x, w, setup: x.size),))
    return Explorer(spec, **params)


@registered
def direct_explorer(input=((1, 2), (3, 4)), weight=np.arange(1, 10).reshape(3, 3), **params):
    """The zero-inserted, padded input with the flipped kernel sliding over it, one output per
    step. params: stride, padding, output_padding, dilation, step."""
    prepare = given_arrays(input, weight)
    controls = {**spatial_controls(), "step": Slider(0, None, 6)}
    spec = Spec("direct", controls, prepare, pictures.direct_scene, picks=("step",), play="step",
                bounds=spatial_bounds(sizes_of(input, weight)),
                data_bounds=(("step", last_output),))
    return Explorer(spec, **params)


@registered
def explain_explorer(input=None, weight=None, **params):
    """Choose an output element (flat index `element`): its inputs and kernel taps are
    highlighted and the sum written out. params: stride, padding, output_padding, dilation.

    Without input and weight: the 8x8 example (ones 4x4, weights 1..16, stride 2, padding 1).
    """
    if input is None:
        input, weight = np.ones((4, 4)), np.arange(1, 17).reshape(4, 4)
        params = {"stride": 2, "padding": 1, **params}
    prepare = given_arrays(input, weight)
    controls = {**spatial_controls(), "element": Slider(0, None, 1)}
    spec = Spec("explain", controls, prepare, pictures.explain_scene, picks=("element",),
                bounds=spatial_bounds(sizes_of(input, weight)),
                data_bounds=(("element", last_output),))
    return Explorer(spec, **params)


@registered
def groups_explorer(input=None, weight=None, **params):
    """Which input channels feed which output channels, and which blocks of the weight exist.

    input (C_in, *spatial) and weight (C_in, C_out/groups, *k), 1-D or 2-D: the output's numbers
    too; params: groups, stride, padding, output_padding, dilation. Without them, sliders for
    in_channels and out_channels; params: in_channels, out_channels, groups.
    """
    groups = Choice((), 2 if input is None else 1, kind="dropdown")
    if input is None:
        def prepare(v):
            c_in, c_out, g = v["in_channels"], v["out_channels"], v["groups"]
            shapes.validate_channels(c_in, c_in, c_out, g, "in_channels")
            x = np.arange(c_in * 9.0).reshape(c_in, 3, 3)   # stand-ins: only channels matter
            w = np.arange(c_in * c_out // g * 4.0).reshape(c_in, c_out // g, 2, 2)
            return x, w, shapes.validate(x.shape, w.shape, groups=g)

        controls = {"in_channels": Slider(1, 6, 4), "out_channels": Slider(1, 6, 4),
                    "groups": groups}
        bounds = (("groups", lambda v: shapes.divisors(gcd(v["in_channels"], v["out_channels"]))),)
        scene = lambda x, w, setup: pictures.groups_scene(x, w, setup, numbers=False)  # noqa
        return Explorer(Spec("groups", controls, prepare, scene, bounds=bounds), **params)
    x, w = (np.asarray(arrays.as_numpy(a)[0], dtype=float) for a in (input, weight))

    def prepare(v):
        setup = shapes.validate(x.shape, w.shape, groups=v["groups"],
                                            **{n: v[n] for n in SPATIAL})
        if setup.batched:
            raise ValueError(f"the groups picture takes one input (C_in, *spatial), not a batch: "
                             f"got input.shape={x.shape}; pass input[0]")
        return x, w, setup

    controls = {**spatial_controls(stride=1), "groups": groups}
    # weight (C_in, C_out/groups, *k): groups divides C_in (and C_out = its multiple)
    bounds = ((("groups", lambda v: shapes.divisors(w.shape[0])),)
              + spatial_bounds(lambda v: (x.shape[1:], w.shape[2:])))
    return Explorer(Spec("groups", controls, prepare, pictures.groups_scene, bounds=bounds),
                    **params)


@registered
def overlap_explorer(**params):
    """How many kernel stamps land on each output element (1-D and 2-D) for input_size,
    kernel_size, stride and dilation: uneven counts are the checkerboard."""
    def prepare(v):
        n, k = v["input_size"], v["kernel_size"]
        x, w = np.ones((1, n, n)), np.ones((1, 1, k, k))
        return x, w, shapes.validate(x.shape, w.shape, stride=v["stride"],
                                                 dilation=v["dilation"])

    controls = {"input_size": Slider(2, 5, 4), "kernel_size": Slider(1, 5, 3),
                "stride": Slider(1, 4, 2), "dilation": Slider(1, 3, 1)}
    return Explorer(Spec("overlap", controls, prepare, pictures.overlap_scene), **params)


@registered
def output_size_explorer(**params):
    """input_size, kernel_size, stride, padding, dilation and the output_size asked for: the
    sizes output_padding reaches, those forward(input, output_size=...) accepts, and the
    output_padding of the asked size or PyTorch's refusal (chapter 09). output_size goes from
    two below the smallest size (refused) to one past the largest size output_padding reaches
    (refused too): the sizes the picture shows."""
    def smallest(v):
        return shapes.smallest_output_size(*(v[n] for n in ("input_size", "kernel_size",
                                                             "stride", "padding", "dilation")))

    def prepare(v):
        x, w = np.arange(1.0, v["input_size"] + 1)[None], np.ones((1, 1, v["kernel_size"]))
        op = v["output_size"] - smallest(v)   # the layer the agreement line checks
        limit = shapes.output_padding_limit(v["stride"], v["dilation"])
        return x, w, shapes.validate(x.shape, w.shape, stride=v["stride"], padding=v["padding"],
                                     output_padding=op if 0 <= op < limit else 0,
                                     dilation=v["dilation"])

    controls = {"input_size": Slider(1, 4, 4), "kernel_size": Slider(1, 3, 3),
                "stride": Slider(1, 3, 2), "padding": Slider(0, 1, 1),
                "dilation": Slider(1, 3, 1), "output_size": Slider(1, None, 8)}
    bounds = (("padding", lambda v: shapes.largest_padding(v["input_size"], v["kernel_size"],
                                                           v["stride"], 0, v["dilation"])),
              ("output_size", lambda v: range(max(1, smallest(v) - 2), smallest(v)
                                              + shapes.output_padding_limit(v["stride"],
                                                                            v["dilation"]) + 1)))
    spec = Spec("output_size", controls, prepare, pictures.output_size_scene,
                picks=("output_size",), bounds=bounds, title="OutputSizeExplorer")
    return Explorer(spec, **params)


@registered
def frameworks_explorer(**params):
    """input_size, kernel_size, stride, dilation, padding, output_padding -> the full result of
    x = 1..input_size and w = 1..kernel_size, and the window PyTorch (padding, output_padding),
    Keras, JAX and ONNX Runtime (their 'same' and 'valid') each keep of it (chapter 12)."""
    def prepare(v):
        x = np.arange(1.0, v["input_size"] + 1)[None]
        w = np.arange(1.0, v["kernel_size"] + 1)[None, None]
        return x, w, shapes.validate(x.shape, w.shape, **{n: v[n] for n in SPATIAL})

    controls = {"input_size": Slider(1, 4, 4), "kernel_size": Slider(1, 3, 3),
                "stride": Slider(1, 3, 2), "dilation": Slider(1, 2, 1),
                "padding": Slider(0, 2, 1), "output_padding": Slider(0, 2, 1)}
    bounds = spatial_bounds(lambda v: ((v["input_size"],), (v["kernel_size"],)))
    return Explorer(Spec("frameworks", controls, prepare, pictures.frameworks_scene,
                         bounds=bounds), **params)


@registered
def phases_explorer(input=((1, 2), (3, 4)), weight=np.arange(1, 10).reshape(3, 3), **params):
    """One output phase at a time (chapter 13): its outputs, every s-th one, the kernel taps
    that land on them, and the ordinary convolution they make.
    params: stride, padding, output_padding, dilation, phase (0 .. stride**dims - 1)."""
    prepare = given_arrays(input, weight)
    controls = {**spatial_controls(), "phase": Slider(0, None, 0)}
    spec = Spec("phases", controls, prepare, pictures.phases_scene, picks=("phase",),
                play="phase", bounds=spatial_bounds(sizes_of(input, weight)),
                data_bounds=(("phase", lambda v, x, w, setup: prod(setup.stride) - 1),))
    return Explorer(spec, **params)


# The later chapters' explorers, in modules of their own; importing one registers it here.
from .design_explorers import receptive_field_explorer  # noqa: E402,F401  chapter 14's
from .deploy_explorers import weight_axes_explorer  # noqa: E402,F401  chapter 15's

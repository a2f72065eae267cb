"""The frameworks picture (chapter 12): one full result, and the window of it that PyTorch,
Keras, JAX and ONNX Runtime each keep, aligned by position; a refusal where a framework refuses."""
import numpy as np

from ... import arrays, scatter
from ... import frameworks as fw
from ..scene import Grid, Mark, Scene, shading
from ..words import nested, plain

FRAMEWORKS = {  # label -> the window it keeps, for the explorer's Setup (their 'same', 'valid')
    "PyTorch": fw.pytorch_window,    # the Setup's own padding and output_padding
    "Keras 'same'": lambda setup: fw.keras_window(setup, "same"),
    "Keras 'valid'": lambda setup: fw.keras_window(setup, "valid"),
    "JAX 'SAME'": lambda setup: fw.jax_window(setup, "SAME"),
    "JAX 'VALID'": lambda setup: fw.jax_window(setup, "VALID"),
    "ONNX SAME_UPPER": lambda setup: fw.onnx_window(setup, auto_pad="SAME_UPPER"),
    "ONNX SAME_LOWER": lambda setup: fw.onnx_window(setup, auto_pad="SAME_LOWER"),
}


def windows(full, setup):
    """{label: (start on the full result, the numbers it returns) or the reason it refuses}."""
    found = {}
    for label, window_of in FRAMEWORKS.items():
        try:
            crop = window_of(setup)
        except ValueError as error:
            found[label] = str(error)
            continue
        found[label] = (crop.before[0], fw.crop_spatial(full, crop.before, crop.after))
    return found


def frameworks_scene(x, w, setup):
    """x (1, i), w (1, 1, k): the full result (padding 0) on top, each framework's window under
    it at its place. Cells outside the full result hold only the bias (0 here), role 'bias
    only'; PyTorch's window is boxed; a refusing framework's row is dashes."""
    full = arrays.run(scatter.scatter_add, x, w, setup.uncropped())[0]
    found = windows(full, setup)
    kept = {label: v for label, v in found.items() if not isinstance(v, str)}
    low = min([0] + [start for start, _ in kept.values()])
    high = max([full.size] + [start + v.size for start, v in kept.values()])
    labels = ["full result"] + list(found)
    values = np.full((len(labels), high - low), np.nan)
    values[0, -low:full.size - low] = full
    bias_only, refused = [], []
    said = [f"Full result, {full.size} long: {nested(full)}."]
    for row, (label, v) in enumerate(found.items(), start=1):
        if isinstance(v, str):
            said.append(f"{label} refuses: {v}")
            refused.append(row)
            continue
        start, numbers = v
        values[row, start - low:start - low + numbers.size] = numbers
        outside = [j for j in range(start, start + numbers.size) if not 0 <= j < full.size]
        bias_only += [(row, j - low) for j in outside]
        after = full.size - start - numbers.size
        said.append(f"{label} keeps {numbers.size}: crops {start} at the start and {after} at "
                    f"the end" + (f" ({len(outside)} bias-only)." if outside else "."))
    roles = np.where(np.isnan(values), "empty", "output").astype(object)
    strength = shading(values)
    roles[0, -low:full.size - low], strength[0, -low:full.size - low] = "full result", 0.3
    for cell in bias_only:
        roles[cell], strength[cell] = "bias only", 0.3
    texts = np.array(["" if np.isnan(v) else plain(v) for v in values.ravel()], dtype=object)
    texts = texts.reshape(values.shape)
    texts[refused] = "\u2013"   # a dash in every cell: this framework refuses (the readout says why)
    start, numbers = kept["PyTorch"]
    pytorch = ((1, start - low, 2, start - low + numbers.size),)
    title = (f"boxed: PyTorch with padding={setup.padding[0]}, "
             f"output_padding={setup.output_padding[0]}; tinted: bias-only entries")
    grid = Grid("windows", values, roles, strength, title, 3.0,
                texts=texts, marks=(Mark("highlight", pytorch),), aspect=1.0,
                side_names=(tuple(labels), tuple(str(j) for j in range(low, high))))
    i, k, s, d = (v[0] for v in (setup.input_size, setup.kernel_size, setup.stride,
                                 setup.dilation))
    return Scene(f"Windows of one full result: input_size={i}, kernel_size={k}, stride={s}, "
                 f"dilation={d}",
                 tuple(said), ((grid,),), roles=("output", "highlight"), caption=(),
                 size=(8.4, 4.6), facts=dict(full=full, windows=found, first=low))

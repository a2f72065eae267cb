"""The explorers of chapter 14 (design: what one output sees, and where it sits), registered in
convlib.display.catalogue's EXPLORERS like every chapter explorer."""
import numpy as np

from .. import shapes
from . import pictures
from .registry import last_output, registered, spatial_bounds
from .spec import Slider, Spec
from .widget import Explorer


@registered
def receptive_field_explorer(**params):
    """10 inputs, Conv1d(kernel_size=3, stride=2, padding=1) down to 5, then a transposed layer
    (kernel_size, stride, padding, output_padding): where each entry sits in the input, and
    what output `element` sees (chapter 14)."""
    picture = pictures.receptive_field_picture
    down = picture.DOWN.output_size(picture.INPUTS)   # 5 entries

    def prepare(v):
        x = np.arange(down, dtype=float)[None] * 2     # the convolution's outputs sit at 2u
        w = np.ones((1, 1, v["kernel_size"]))
        return x, w, shapes.validate(x.shape, w.shape, stride=v["stride"], padding=v["padding"],
                                     output_padding=v["output_padding"])

    controls = {"kernel_size": Slider(1, 4, 3), "stride": Slider(1, 3, 2),
                "padding": Slider(0, 2, 1), "output_padding": Slider(0, 1, 1),
                "element": Slider(0, None, 5)}
    spec = Spec("receptive_field", controls, prepare, pictures.receptive_field_scene,
                picks=("element",), bounds=spatial_bounds(lambda v: ((down,),
                                                                    (v["kernel_size"],))),
                data_bounds=(("element", last_output),), title="ReceptiveFieldExplorer")
    return Explorer(spec, **params)

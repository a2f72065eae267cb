"""The pictures behind the explorers, one module each (NAME_picture.py holds NAME_scene): a pure
function from validated arrays and their Setup, trusted, to a Scene (convlib.display.scene) that
convlib.display.painter draws.

    x, w = one_channel([[1, 2], [3, 4]], [[1, 1], [1, 1]])
    setup = shapes.validate(x.shape, w.shape, stride=2)
    paint(scatter_scene(x, w, setup, step=4)).svg   # convlib.display.painter
"""
from .direct_picture import direct_scene
from .explain_picture import explain_scene
from .frameworks_picture import frameworks_scene
from .groups_picture import groups_scene
from .inputs import direct_input_grid, one_channel
from .matrix_picture import matrix_scene
from .output_size_picture import output_size_scene
from .overlap_picture import overlap_scene
from .phases_picture import phases_scene
from . import receptive_field_picture
from .receptive_field_picture import receptive_field_scene
from .scatter_picture import scatter_scene
from .shapes_picture import shapes_scene
from .weight_axes_picture import weight_axes_scene

__all__ = ["one_channel", "direct_input_grid", "shapes_scene", "matrix_scene",
           "scatter_scene", "direct_scene", "explain_scene", "groups_scene", "overlap_scene",
           "output_size_scene", "frameworks_scene", "phases_scene", "receptive_field_scene",
           "weight_axes_scene"]

"""The pictures behind the explorers, one module each: a pure function from validated arrays
and a Setup to a Scene (convlib.scene) that convlib.painter draws.

    x, w = one_channel([[1, 2], [3, 4]], [[1, 1], [1, 1]])
    setup = shapes.validate(x.shape, w.shape, stride=2)
    Painter().paint(scatter_scene(x, w, setup, step=4)).png()
"""
from .common import direct_input_grid, one_channel, roles_of, spatial
from .direct import direct_scene
from .explain import explain_scene
from .frameworks import frameworks_scene
from .groups import groups_scene
from .matrix import matrix_scene
from .output_size import output_size_scene
from .overlap import overlap_scene
from .phases import phases_scene
from .scatter import scatter_scene
from .shapes import shapes_scene

__all__ = ["one_channel", "roles_of", "direct_input_grid", "spatial", "shapes_scene",
           "matrix_scene", "scatter_scene", "direct_scene", "explain_scene", "groups_scene", "overlap_scene",
           "output_size_scene", "frameworks_scene", "phases_scene"]

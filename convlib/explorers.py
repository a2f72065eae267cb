"""The chapters' explorers, where a chapter imports them from: `from convlib.explorers import
scatter_explorer`.

They are made in the display layer, convlib.display.catalogue, which lists each in EXPLORERS
under the name a chapter's saved output records; the book build and the notebook tests make a
saved explorer again through that name, so no module path is stored in any chapter.
"""
from .display.catalogue import (EXPLORERS, direct_explorer, explain_explorer, frameworks_explorer,
                                 groups_explorer, matrix_explorer, output_size_explorer,
                                 overlap_explorer, phases_explorer, receptive_field_explorer,
                                 scatter_explorer, shapes_explorer, weight_axes_explorer)

__all__ = ["EXPLORERS", "direct_explorer", "explain_explorer", "frameworks_explorer",
           "groups_explorer", "matrix_explorer", "output_size_explorer", "overlap_explorer",
           "phases_explorer", "receptive_field_explorer", "scatter_explorer", "shapes_explorer",
           "weight_axes_explorer"]

"""convlib runs without PyTorch, and its pictures without any drawing library.

In a fresh interpreter where `import torch` fails (and, for the pictures, `import matplotlib` and
`import ipywidgets` too): every picture's scene is computed and is plain data, and every explorer
is built, moved, drawn and says that there is nothing to compare with.
"""
import subprocess
import sys
import textwrap

HIDE = """
import sys
for name in {names}:
    sys.modules[name] = None   # `import name` now raises ImportError
"""


def run_without(names, code):
    """Run `code` in a fresh Python where the modules `names` cannot be imported."""
    script = HIDE.format(names=names) + textwrap.dedent(code)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_picture_is_plain_data_without_torch_or_a_drawing_library():
    said = run_without(["torch", "matplotlib", "ipywidgets"], """
        import json
        import numpy as np
        from convlib import shapes
        from convlib.display import pictures
        from convlib.display.palette import COLORS, DRAWN_AS
        from convlib.display.scene import Grid, as_data

        def scene(function, x, w, picks={}, **params):
            return function(x, w, shapes.validate(x.shape, w.shape, **params), **picks)

        x2, w2 = pictures.one_channel(np.arange(1.0, 5).reshape(2, 2), np.ones((3, 3)))
        x1, w1 = pictures.one_channel(np.arange(1.0, 5), np.arange(1.0, 4))
        ones, kernel = np.ones((1, 4, 4)), np.ones((1, 1, 3, 3))
        channels, weight = np.ones((4, 3)), np.ones((4, 2, 3))
        scenes = {
            "shapes_scene": scene(pictures.shapes_scene, x2, w2, stride=2, padding=1),
            "matrix_scene": scene(pictures.matrix_scene, x2, w2, dict(pick="input")),
            "scatter_scene": scene(pictures.scatter_scene, x2, w2, dict(step=2), stride=2),
            "direct_scene": scene(pictures.direct_scene, x1, w1, dict(step=3), stride=2),
            "explain_scene": scene(pictures.explain_scene, x2, w2, dict(element=1), padding=1),
            "groups_scene": scene(pictures.groups_scene, channels, weight, groups=2),
            "overlap_scene": scene(pictures.overlap_scene, ones, kernel, stride=2),
            "output_size_scene": scene(pictures.output_size_scene, x1, w1,
                                       dict(output_size=99), stride=2),
            "frameworks_scene": scene(pictures.frameworks_scene, x1, w1, stride=2),
            "phases_scene": scene(pictures.phases_scene, x2, w2, dict(phase=3), stride=2),
            "receptive_field_scene": scene(pictures.receptive_field_scene,
                                           np.arange(0.0, 10, 2)[None], np.ones((1, 1, 3)),
                                           dict(element=4), stride=2, padding=1,
                                           output_padding=1),
            "weight_axes_scene": scene(pictures.weight_axes_scene, channels, weight,
                                       dict(channel=3), groups=2),
        }
        assert set(scenes) == {n for n in pictures.__all__ if n.endswith("_scene")}
        known = set(COLORS) | set(DRAWN_AS)
        for name, made in scenes.items():
            data = json.loads(json.dumps(as_data(made), allow_nan=False))
            for row in made.rows:
                for panel in row:
                    if isinstance(panel, Grid):
                        assert set(np.ravel(panel.roles)) <= known, (name, panel.name)
                        assert panel.roles.shape == panel.strength.shape == panel.values.shape
            print(name, data["kind"], len(data["sentences"]))
        print(scenes["output_size_scene"].sentences[4])
        """)
    assert said.count(" Scene ") == 12
    assert ("PyTorch: requested an output size of [99], but valid sizes range from [9] to [10] "
            "(for an input of torch.Size([4]))") in said


def test_every_explorer_works_without_torch():
    said = run_without(["torch"], """
        from convlib import explorers
        for name, make in explorers.EXPLORERS.items():
            explorer = make()
            for control in explorer.controls.values():
                if hasattr(control, "max"):    # each slider to its end and back
                    start = control.value
                    control.value = control.max
                    control.value = start
                assert explorer.message.value == "", (name, explorer.message.value)
                assert explorer.svg().startswith("<svg ")
            print(name, explorer.status.value)
        """)
    lines = said.splitlines()
    assert len(lines) == 12
    assert all(line.endswith("PyTorch is not installed: nothing to compare with") for line in lines)

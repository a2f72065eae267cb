"""The display layer: how convlib shows what the numerics compute, in three parts.

- The drawing kit, which knows nothing of convolution: `scene` (what a picture shows, as plain
  data), `words` (numbers and places as words), `palette` (a colour per role), `layout` (where
  the parts go) and `painter` (a scene as SVG). It imports no numerics module.
- `pictures/`: one scene function per picture, from validated arrays and their Setup (the
  numerics' own) to a scene.
- The explorers: `spec` (what an explorer is declared by), `settling` (the rules its values
  settle by, followed in the kernel, by `states` and on the book site), `widget` (the Explorer
  that runs a Spec as ipywidgets), `states` (every state of an explorer) and `catalogue` (the
  chapters' explorers; chapters import them as `convlib.explorers`).

No numerics module imports this package (tests/test_architecture.py). Nothing is imported
here, so a picture can be made without ipywidgets.
"""

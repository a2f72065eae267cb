"""The README's two commands are the ones CI runs, and its links lead somewhere."""
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
CI = (ROOT / ".ci" / "run").read_text().splitlines()
LAUNCH = " && .venv/bin/jupyter lab notebooks/00_index.ipynb"


def fenced(marker):
    """The command in the ```bash block right after the line `<!-- marker -->`."""
    match = re.search(rf"<!-- {marker} -->\n```bash\n(.+?)\n```", README)
    assert match, f"README has no command marked {marker}"
    return match.group(1)


def test_setup_command_is_ci_install_plus_launch():
    setup = fenced("setup")
    assert setup.endswith(LAUNCH)
    assert setup.removesuffix(LAUNCH) in CI, ".ci/run must install exactly what the README installs"


def test_test_command_is_what_ci_runs():
    assert fenced("test") in CI


def test_binder_links_open_files_that_exist():
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", README)
    assert links
    for link in links:
        urlpath = parse_qs(urlparse(link).query)["urlpath"][0]
        assert urlpath.startswith("lab/tree/")
        assert (ROOT / urlpath.removeprefix("lab/tree/")).exists(), link


def test_relative_links_resolve():
    for target in re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", README):
        assert (ROOT / target.split("#")[0]).exists(), target


def test_the_explorer_recipe_shows_convlibs_own_code():
    """The code blocks of "How to add an explorer" are the explain explorer and its picture."""
    import inspect

    from convlib import explorers
    from convlib.display.pictures.explain_picture import explain_scene

    recipe = README.split("### How to add an explorer")[1].split("\n## ")[0]
    blocks = re.findall(r"```python\n(.+?)```", recipe, re.S)
    assert len(blocks) == 2
    for block, function in zip(blocks, (explorers.explain_explorer, explain_scene)):
        source = [line.split("#")[0].strip() for line in inspect.getsource(function).splitlines()]
        for line in block.splitlines():
            code = line.split("#")[0].strip()
            assert not code or code in source, code

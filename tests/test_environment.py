"""The environment is what the README promises: pinned, CPU-only, the same for pip, conda and Binder."""
import importlib.metadata
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / ".ci"))
import environment  # noqa: E402  (.ci/environment.py generates the conda files from pyproject.toml)

CONDA_TO_PIP = {conda: pip for pip, conda in environment.CONDA_NAMES.items()}


def conda_pins(path):
    """{pip name: version} for the conda packages and the pip section of an environment file."""
    pins = {}
    for dep in yaml.safe_load(path.read_text())["dependencies"]:
        if isinstance(dep, dict):
            pins.update(dict(re.fullmatch(r"(.+)==(.+)", req).groups() for req in dep["pip"]))
        elif dep not in ("pip",) and not dep.startswith("python="):
            name, version = dep.split("=", 1)
            pins[CONDA_TO_PIP.get(name, name)] = version
    return pins


def test_conda_files_are_generated_from_pyproject():
    expected = environment.environment_yml()
    for target in environment.TARGETS:
        assert target.read_text() == expected, f"{target.relative_to(ROOT)} drifted: run python .ci/environment.py"


@pytest.mark.parametrize("path", environment.TARGETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_conda_files_name_the_pip_packages_at_the_pip_versions(path):
    pip = {**environment.pip_pins("textbook"), **environment.pip_pins("test")}
    assert conda_pins(path) == pip
    assert "pytorch-cpu" in path.read_text()
    assert "-e ." not in path.read_text(), "an editable install defeats repo2docker's layer cache"


def test_installed_versions_match_the_pins():
    for extra in ("textbook", "test"):
        for name, version in environment.pip_pins(extra).items():
            installed = importlib.metadata.version(name)
            assert installed.split("+")[0] == version, f"{name}: installed {installed}, pinned {version}"


def test_no_cuda_packages_are_installed():
    names = sorted(d.metadata["Name"] for d in importlib.metadata.distributions())
    assert not [n for n in names if n.lower().startswith("nvidia")], "the CPU-only install pulled CUDA packages"
    import torch

    assert torch.version.cuda is None


SETTINGS = ROOT / "jupyterlab-settings" / "overrides.json"   # the one source of them
INSTALLED_SETTINGS = "share/jupyter/lab/settings/overrides.json"   # under the environment's prefix


def test_postbuild_fails_fast_and_installs_convlib_without_deps():
    text = (ROOT / "binder" / "postBuild").read_text()
    lines = text.splitlines()
    assert lines[0].startswith("#!")
    assert next(l for l in lines[1:] if l.strip() and not l.startswith("#")) == "set -e"
    assert any("pip install --no-deps ." in l for l in lines)
    assert "cp " not in text, "the JupyterLab settings come with convlib's install, not a copy"


def test_a_plain_install_carries_every_subpackage_and_the_lab_settings(tmp_path):
    """Binder's postBuild installs convlib without -e: the wheel must hold every subpackage, and
    the JupyterLab settings for the environment's prefix.

    Built from a copy, so that no build/ folder left by an earlier build can fill the gaps."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "convlib", source / "convlib", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(SETTINGS.parent, source / SETTINGS.parent.name)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("convlib-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
        [data] = [name for name in shipped if name.endswith(f".data/data/{INSTALLED_SETTINGS}")]
        settings = archive.read(data)
    expected = {path.relative_to(source).as_posix() for path in (source / "convlib").rglob("*.py")}
    assert expected and expected <= shipped, sorted(expected - shipped)
    assert settings == SETTINGS.read_bytes()


def test_the_install_put_the_lab_settings_into_this_environment():
    """The README's command (pip install -e, as CI runs it) installed the settings where this
    environment's JupyterLab reads its overrides (reinstall after changing them)."""
    from jupyterlab.commands import get_app_dir

    installed = Path(sys.prefix, INSTALLED_SETTINGS)
    assert installed.parent == Path(get_app_dir(), "settings")
    assert installed.read_bytes() == SETTINGS.read_bytes()


def test_repo2docker_builds_from_the_binder_folder():
    repo2docker = shutil.which("repo2docker", path=str(Path(sys.executable).parent)) or shutil.which("repo2docker")
    assert repo2docker, "jupyter-repo2docker is pinned in the test extra"
    dockerfile = subprocess.run(
        [repo2docker, "--no-build", str(ROOT)], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "binder/environment.yml"' in dockerfile
    assert "RUN ./binder/postBuild" in dockerfile
    assert '--file "environment.yml"' not in dockerfile

"""The environment is what the README promises: pinned, CPU-only in CI, the same for pip, conda and
Binder, and a plain install carries all of convlib (tests/test_any_machine.py runs the chapters
from it)."""
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import warnings
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


def cuda_packages():
    """{name: bytes on disk} of the installed CUDA libraries: the nvidia-* and cuda-* packages
    that PyPI's Linux build of torch depends on."""
    found = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if re.match(r"(nvidia|cuda)[-_]", name.lower()):
            files = [f.locate() for f in dist.files or ()]
            found[name] = sum(f.stat().st_size for f in files if f.is_file())
    return found


def test_no_cuda_packages_are_installed():
    """CI's install budget: torch's CPU build, no CUDA libraries (.ci/run runs with CI=true).
    Elsewhere a CUDA build is what the README's install gets on Linux from PyPI, and the
    chapters run on it as well (on the CPU): the test passes and says what it found."""
    import torch

    found = cuda_packages()
    if os.environ.get("CI"):
        assert not found, f"the CPU-only install pulled CUDA packages: {sorted(found)}"
        assert torch.version.cuda is None
    elif found or torch.version.cuda:
        build = f"CUDA {torch.version.cuda}" if torch.version.cuda else "CPU"
        warnings.warn(f"torch {torch.__version__} is the {build} build, with {len(found)} CUDA "
                      f"packages ({sum(found.values()) / 1e9:.1f} GB). The textbook runs on the "
                      "CPU and needs none of them; the README says how to install the CPU-only "
                      "build. In CI (CI=true) this test fails.")


SETTINGS = ROOT / "binder" / "overrides.json"   # the one source of them
INSTALLED_SETTINGS = "share/jupyter/lab/settings/overrides.json"   # under the environment's prefix


def test_postbuild_fails_fast_and_installs_convlib_without_deps():
    text = (ROOT / "binder" / "postBuild").read_text()
    lines = text.splitlines()
    assert lines[0].startswith("#!")
    assert next(l for l in lines[1:] if l.strip() and not l.startswith("#")) == "set -e"
    assert any("pip install --no-deps ." in l for l in lines)
    assert "cp " not in text, "the JupyterLab settings come with convlib's install, not a copy"


def test_a_plain_install_carries_every_subpackage_its_data_and_the_lab_settings(wheel):
    """Binder's postBuild installs convlib without -e: the wheel must hold every subpackage, the
    data the chapters read (convlib/data/), and the JupyterLab settings for the environment's
    prefix."""
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
        [data] = [name for name in shipped if name.endswith(f".data/data/{INSTALLED_SETTINGS}")]
        settings = archive.read(data)
    expected = {path.relative_to(ROOT).as_posix() for path in (ROOT / "convlib").rglob("*")
                if path.is_file() and "__pycache__" not in path.parts}
    assert "convlib/data/bench_conv.json" in expected
    assert expected <= shipped, sorted(expected - shipped)
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

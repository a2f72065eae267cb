"""convlib as a plain install builds it, for the tests that check what a learner gets without the
repository (tests/test_environment.py, tests/test_any_machine.py)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIP = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """convlib's wheel, as a plain `pip install .` builds it (Binder's postBuild).

    Built from a copy, so that no build/ folder left by an earlier build can fill the gaps."""
    folder = tmp_path_factory.mktemp("wheel")
    source = folder / "source"
    shutil.copytree(ROOT / "convlib", source / "convlib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (source / "binder").mkdir(parents=True)
    shutil.copy(ROOT / "binder" / "overrides.json", source / "binder")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([*PIP, "wheel", "--no-deps", "--no-build-isolation", "-w", str(folder),
                    str(source)], check=True, capture_output=True, timeout=300)
    [built] = folder.glob("convlib-*.whl")
    return built


@pytest.fixture(scope="session")
def installed_alone(wheel, tmp_path_factory):
    """A folder holding convlib installed from its wheel (not editable, no repository beside it).
    First on PYTHONPATH, it comes before the editable install: setuptools' editable finder is
    appended to sys.meta_path, after the finder that searches sys.path."""
    target = tmp_path_factory.mktemp("site-packages")
    subprocess.run([*PIP, "install", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return target

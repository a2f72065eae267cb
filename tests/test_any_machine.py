"""Every chapter gives its committed outputs on another machine than the one that saved them.

A learner runs a chapter on an AMD laptop or an ARM Mac, a course hands out the notebook files
alone, CI runs on whichever CPU it gets. So each chapter is copied alone into an empty folder and
run by nbval, against its committed outputs, in a kernel whose convlib is installed from a built
wheel (no repository beside it), with every numerical library told to use other kernels than this
machine's best: float sums then come out in other last bits wherever the order of additions
matters, so a committed output that carries such bits fails here.
"""
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# The plainest kernels each library has, and one thread: the order of float additions changes in
# PyTorch's own loops, oneDNN's convolutions, MKL's matrix products (PyTorch's), NumPy's loops and
# OpenBLAS's matrix products (NumPy's).
OTHER_KERNELS = {"ATEN_CPU_CAPABILITY": "default", "OMP_NUM_THREADS": "1",
                 "OPENBLAS_NUM_THREADS": "1", "MKL_CBWR": "COMPATIBLE"}
if platform.machine() in ("x86_64", "AMD64"):
    OTHER_KERNELS |= {"ONEDNN_MAX_CPU_ISA": "SSE41", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
                      "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
                      "OPENBLAS_CORETYPE": "Sandybridge"}


def install_from_wheel(folder):
    """convlib built into a wheel from a copy of the package and installed (not editable) into
    `folder`, which then goes first on PYTHONPATH: no build/ left over can fill a gap."""
    source = folder / "source"
    shutil.copytree(ROOT / "convlib", source / "convlib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(folder),
                    str(source)], check=True, capture_output=True, timeout=300)
    [wheel] = folder.glob("convlib-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(folder / "site"), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return folder / "site"


def test_every_chapter_alone_from_the_wheel_on_other_kernels_gives_its_outputs(tmp_path):
    site = install_from_wheel(tmp_path / "wheel")
    env = {**os.environ, **OTHER_KERNELS, "PYTHONPATH": str(site)}
    copies = []
    for chapter in CHAPTERS:
        alone = tmp_path / chapter.stem
        alone.mkdir()
        copies.append(shutil.copy(chapter, alone))
    found = subprocess.run([sys.executable, "-c", "import convlib; print(convlib.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(found.stdout.strip()).is_relative_to(site), found.stdout   # not the checkout's

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
         "--nbval", "--nbval-current-env", f"--nbval-sanitize-with={ROOT / 'tests' / 'sanitize.cfg'}",
         *map(str, copies)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1200)
    failed = [line for line in run.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    assert run.returncode == 0, "\n".join(failed) + "\n" + run.stdout[-6000:]

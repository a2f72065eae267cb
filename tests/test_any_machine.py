"""Every chapter gives its committed outputs on another machine than the one that saved them.

A learner runs a chapter on an AMD laptop or an ARM Mac, a course hands out the notebook files
alone, a reader downloads one from the book site, CI runs on whichever CPU it gets. So each
chapter is copied alone into an empty folder and run by nbval, against its committed outputs, in a
kernel whose convlib is installed from the wheel (not editable, no repository beside it), with
every numerical library told to use other kernels than this machine's best: float sums then come
out in other last bits wherever the order of additions matters, so a committed output that
carries such bits fails here, and so does a chapter that reads a file of the repository.
"""
import os
import platform
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

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


def run_alone(chapter, site_packages, folder):
    """nbval's run of `chapter` copied alone into the empty `folder`, in a kernel whose convlib is
    the one installed in `site_packages` (a first cell, with no output, checks that and that
    nothing is beside the chapter), on the other kernels: the finished process."""
    nb = nbformat.read(chapter, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        "import convlib, os, pathlib\n"
        f"assert pathlib.Path(convlib.__file__).is_relative_to({str(site_packages)!r}), "
        "convlib.__file__\n"
        f"assert os.listdir() == [{chapter.name!r}], os.listdir()"))
    nbformat.write(nb, folder / chapter.name)
    env = {**os.environ, **OTHER_KERNELS, "PYTHONPATH": str(site_packages)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(folder),
         "--nbval", "--nbval-current-env", "--nbval-cell-timeout=300",
         f"--nbval-sanitize-with={ROOT / 'tests' / 'sanitize.cfg'}", chapter.name],
        cwd=folder, env=env, capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="module")
def runs_alone(installed_alone, tmp_path_factory, request):
    """{chapter name: its run alone, started at once}: two chapters at a time, one kernel each,
    so that both cores of a 2-core machine work while the tests wait."""
    test = "test_a_chapter_alone_on_other_kernels_gives_its_outputs"
    selected = [item.callspec.params["chapter"] for item in request.session.items
                if getattr(item, "originalname", "") == test]
    pool = ThreadPoolExecutor(2)
    try:
        yield {path.name: pool.submit(run_alone, path, installed_alone,
                                      tmp_path_factory.mktemp(path.stem))
               for path in selected}
    finally:   # a run stopped early (-x, Ctrl-C) starts no more chapters
        pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_a_chapter_alone_on_other_kernels_gives_its_outputs(chapter, runs_alone):
    run = runs_alone[chapter.name].result()
    failed = [line for line in run.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    assert run.returncode == 0, "\n".join(failed) + "\n" + run.stdout[-6000:]

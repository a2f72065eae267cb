"""The npm packages the book site takes files from, pinned, checked and fetched once.

    pyodide    CPython compiled to WebAssembly with its standard library: the page's Python, which
               runs the exercises' graders (convlib/grading) in a Web Worker
    axe-core   the accessibility rules the browser tests run over every page (not in the site)

Each is fetched with npm's own client (`npm pack NAME@VERSION`) into CACHE, once per machine, and
its tarball's sha256 must be the one written here before anything is taken from it. CACHE is
$CONVLIB_CACHE, else $XDG_CACHE_HOME/convlib, else ~/.cache/convlib: outside the repository, so a
fresh clone, CI's fresh .venv and every test build share one download.

    python book/npm_packages.py      fetch and check every package (prints where each is)
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGES = {   # name: (version, sha256 of the tarball npm packs)
    "pyodide": ("314.0.8", "9a52704e0ae5b07aaacb8e4fed9f1658e8024694a078695ea45ac79dee4cefcb"),
    "axe-core": ("4.14.1", "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"),
}
# What a page needs of Pyodide to start Python with its standard library (no packages of its own:
# the graders are plain Python); the rest of its tarball (types, maps, consoles) stays out.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json", "package.json")


def cache():
    """The folder the tarballs are kept in (see the module's docstring)."""
    if os.environ.get("CONVLIB_CACHE"):
        return Path(os.environ["CONVLIB_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "convlib"


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tarball(name):
    """The checked tarball of package `name` at its pinned version: from CACHE, or packed by npm
    into it first. A tarball whose sha256 is not the pinned one is refused, never used."""
    version, digest = PACKAGES[name]
    path = cache() / f"{name}-{version}.tgz"
    if not path.is_file():
        if shutil.which("npm") is None:
            raise RuntimeError(f"the book site needs npm to fetch {name}@{version} once: "
                               f"install Node.js's npm (Debian: apt-get install npm)")
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=path.parent) as folder:
            subprocess.run(["npm", "pack", f"{name}@{version}", "--silent",
                            "--pack-destination", folder], check=True, stdout=subprocess.DEVNULL)
            Path(folder, path.name).replace(path)
    found = sha256(path)
    if found != digest:
        raise RuntimeError(f"{path} has sha256 {found}, not the pinned {digest} of "
                           f"{name}@{version}: delete it to fetch it again")
    return path


def extract(name, files, folder):
    """Copy `files` (paths inside the package) of the checked tarball of `name` into `folder`."""
    checked, folder = tarball(name), Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(checked) as archive:
        for file in files:
            source = archive.extractfile(f"package/{file}")
            (folder / Path(file).name).write_bytes(source.read())
    return folder


def read(name, file):
    """The bytes of `file` (a path inside the package) of the checked tarball of `name`."""
    with tarfile.open(tarball(name)) as archive:
        return archive.extractfile(f"package/{file}").read()


if __name__ == "__main__":
    for package in PACKAGES:
        print(package, PACKAGES[package][0], tarball(package))
    sys.exit(0)

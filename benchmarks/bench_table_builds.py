"""The book site's explorer tables, built again and again beside busy processes: every build must
succeed and write the same bytes.

Issue 30: the table workers are forked after the build has measured text, and they once shared
the font file the parent had opened (its offset too); a build in a dozen failed with a FreeType
error, and a build could also write wrong widths without failing. This starts `busy` CPU-bound
processes (as .ci/under-load does), then builds every chapter explorer's table `builds` times
with `workers` worker processes (book/explorer_tables.py's `export`, in this one process, as the
book's build calls it), each build into a fresh folder. It prints each build's time and the
digest of its tables, and exits 1 at the first build that fails or writes other bytes than the
first build.

A build meets the race rarely (the workers inherit the parent's widths and load few glyphs): the
code before the fix passed 20 builds here too (6 December 2026). What catches the race every time
is tests/test_painter.py's test of forked processes measuring every glyph at once (it failed 3
runs of 3 before the fix); this benchmark shows that whole builds stay stable and identical.

    python benchmarks/bench_table_builds.py [builds] [workers] [busy]    (default 20 4 2)

About a minute a build on a 2-core machine beside two busy processes.
"""
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "book"), str(ROOT / ".ci")]
import explorer_tables  # noqa: E402


def digest(site):
    """One SHA-256 over every table's name and bytes."""
    folder = Path(site) / explorer_tables.FOLDER
    total = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        total.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return total.hexdigest(), len(list(folder.iterdir()))


def build(workers):
    """(seconds, digest, tables) of one build of every table into a fresh folder."""
    with tempfile.TemporaryDirectory() as site:
        start = time.monotonic()
        explorer_tables.export(site, workers=workers)
        return (time.monotonic() - start, *digest(site))


def main(builds=20, workers=4, busy=2):
    spinning = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
    first = None
    try:
        print(f"{builds} builds, {workers} workers, beside {busy} busy processes "
              f"(load {os.getloadavg()[0]:.1f} at the start, {os.cpu_count()} cores)", flush=True)
        for number in range(1, builds + 1):
            try:
                seconds, found, tables = build(workers)
            except Exception:
                traceback.print_exc()
                print(f"build {number} failed")
                return 1
            first = first or found
            print(f"build {number:>2}: {seconds:6.1f} s  {tables} tables  {found[:16]}  "
                  f"{'same' if found == first else 'DIFFERENT from build 1'}", flush=True)
            if found != first:
                return 1
        print(f"{builds} builds, all identical", flush=True)
        return 0
    finally:
        for process in spinning:
            process.kill()
            process.wait()


if __name__ == "__main__":
    sys.exit(main(*map(int, sys.argv[1:])))

"""How long each explorer takes per slider change in the kernel, from setting the value to the new
picture, readout and agreement line in the widgets, and how many bytes the kernel then sends.

Drives every explorer headlessly: each control in turn is moved through its range and back, as a
reader would drag it. Prints p50 and p95 milliseconds per change, the median and largest SVG
picture sent per step (bytes, UTF-8) and the median of everything a step changes (picture,
readout, agreement line), then the line `worst p95: <number> ms` (target: at most 50 ms on a
2-core machine; the pictures are SVG text, so no PNG encoder or glyph cache is involved). Each
change is timed cold: the painter's cache of grids and the explorer's agreement lines are
emptied first, so every change paints and compares from scratch. The figures are this run's:
the first line says when, on how many cores and under what load.

    python benchmarks/bench_widgets.py
"""
import datetime
import os
import time

import numpy as np

from convlib import explorers
from convlib.display import painter

EXPLORERS = explorers.EXPLORERS


def choices(control):
    """The values a reader can pick: a slider's range, a dropdown's or toggle's options."""
    if hasattr(control, "max"):
        return list(range(control.min, control.max + 1))
    return list(control.options)


def sent(explorer):
    """What the kernel sends the browser after a change, in bytes: the picture, and the
    picture with the readout and the agreement line."""
    picture = len(explorer.picture.value.encode())
    return picture, picture + len(explorer.readout.value.encode()) + len(
        explorer.status.value.encode())


def sweep(explorer, rounds=2):
    """Milliseconds per change and bytes sent: move each control through its values and back."""
    times, sizes = [], []
    for _ in range(rounds):
        for control in explorer.controls.values():
            start = control.value
            for value in choices(control)[:12] + [start]:
                if value == control.value:
                    continue
                painter.CELLS.clear()          # cold: nothing painted or compared before
                explorer.agreements.clear()
                begin = time.perf_counter()
                control.value = value          # the observer redraws
                times.append(1000 * (time.perf_counter() - begin))
                sizes.append(sent(explorer))
    return times, np.array(sizes)


def main():
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"{now}, {os.cpu_count()} cores, load average {load} (1, 5, 15 min)\n")
    print(f"{'explorer':<12}{'changes':>8}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'SVG p50 B':>11}{'SVG max B':>11}{'all p50 B':>11}")
    worst = 0.0
    for name, make in EXPLORERS.items():
        explorer = make()
        sweep(explorer, rounds=1)              # warm caches: fonts, torch
        times, sizes = sweep(explorer)
        p50, p95 = np.percentile(times, [50, 95])
        worst = max(worst, p95)
        print(f"{name:<12}{len(times):>8}{p50:>8.1f}{p95:>8.1f}{np.median(sizes[:, 0]):>11.0f}"
              f"{sizes[:, 0].max():>11}{np.median(sizes[:, 1]):>11.0f}")
    print(f"worst p95: {worst:.1f} ms")


if __name__ == "__main__":
    main()

"""How long each explorer takes per slider change, from setting the value to the PNG bytes.

Drives every explorer headlessly through a sweep: each control in turn is moved through its
range and back, as a reader would drag it. Prints p50 and p95 milliseconds per change and ends
with the line `worst p95: <number> ms` (target: at most 50 ms on a 2-core machine).

    python benchmarks/bench_widgets.py
"""
import time

import numpy as np

from convlib import widgets

EXPLORERS = widgets.EXPLORERS


def choices(control):
    """The values a reader can pick: a slider's range, a dropdown's or toggle's options."""
    if hasattr(control, "max"):
        return list(range(control.min, control.max + 1))
    return list(control.options)


def sweep(explorer, rounds=2):
    """Milliseconds per change: move each control through its values and back to its start."""
    times = []
    for _ in range(rounds):
        for control in explorer.controls.values():
            start = control.value
            for value in choices(control)[:12] + [start]:
                if value == control.value:
                    continue
                begin = time.perf_counter()
                control.value = value          # the observer redraws
                explorer.png()                 # the bytes a browser would get
                times.append(1000 * (time.perf_counter() - begin))
    return times


def main():
    print(f"{'explorer':<10}{'changes':>9}{'p50 ms':>9}{'p95 ms':>9}")
    worst = 0.0
    for name, make in EXPLORERS.items():
        explorer = make()
        sweep(explorer, rounds=1)              # warm caches: fonts, glyphs, torch
        times = sweep(explorer)
        p50, p95 = np.percentile(times, [50, 95])
        worst = max(worst, p95)
        print(f"{name:<10}{len(times):>9}{p50:>9.1f}{p95:>9.1f}")
    print(f"worst p95: {worst:.1f} ms")


if __name__ == "__main__":
    main()

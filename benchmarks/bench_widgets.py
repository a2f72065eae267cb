"""How long each explorer takes per slider change, from setting the value to the PNG bytes, and
whether the explorers' two speed tricks still pay against matplotlib's own path.

Drives every explorer headlessly through a sweep: each control in turn is moved through its
range and back, as a reader would drag it. Prints p50 and p95 milliseconds per change and the
line `worst p95: <number> ms` (target: at most 50 ms on a 2-core machine). Then times, on the
same machine in the same run, a typical picture's text drawn as Text artists against glyph
outlines (convlib.glyphs), and its PNG written by print_png against convlib.png_writer. The
figures are this run's: the first line says when, on how many cores and under what load.

    python benchmarks/bench_widgets.py
"""
import datetime
import io
import os
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from convlib import explorers, glyphs, png_writer

EXPLORERS = explorers.EXPLORERS


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


def median_ms(work, repeat=15):
    """Median milliseconds of `work()` after one warm-up call."""
    work()
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        work()
        times.append(1000 * (time.perf_counter() - begin))
    return float(np.median(times))


def text_figure(outlines):
    """A picture's worth of text: 100 cell numbers in a 10x10 grid and six caption lines, as
    Text artists (matplotlib's path) or as glyphs.Labels (one collection of cached outlines)."""
    figure = Figure(figsize=(8.4, 4.0), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.3, 0.3, 0.4, 0.6))
    ax.set_axis_off()
    ax.set_xlim(-0.5, 9.5), ax.set_ylim(9.5, -0.5)
    numbers = [f"{v:g}" for v in np.arange(100) * 1.5 - 20]
    places = [(j % 10, j // 10) for j in range(100)]
    lines = [f"caption line {j}: y[0, 1] = 12 = 1*5 + 1*7 and more words to draw" for j in range(6)]
    if outlines:
        glyphs.Labels(ax, ax.transData).show(places, numbers, 8)
        glyphs.Labels(figure, figure.dpi_scale_trans, "left", "baseline").show(
            [(0.1, 0.1 + 0.21 * j) for j in range(6)], lines, 9)
    else:
        for (x, y), text in zip(places, numbers):
            ax.text(x, y, text, ha="center", va="center", fontsize=8)
        for j, line in enumerate(lines):
            figure.text(0.1 / 8.4, (0.1 + 0.21 * j) / 4.0, line, fontsize=9)
    return figure


def tricks():
    """Each trick against matplotlib's path: (what, matplotlib ms, convlib's ms)."""
    results = []
    figures = {flag: text_figure(flag) for flag in (False, True)}
    results.append(("text: Text artists vs glyph outlines",
                    median_ms(figures[False].canvas.draw), median_ms(figures[True].canvas.draw)))
    figure = explorers.scatter_explorer().painter.figure
    figure.canvas.draw()
    rgba = np.asarray(figure.canvas.buffer_rgba())
    results.append(("PNG: print_png vs png_bytes",
                    median_ms(lambda: figure.canvas.print_png(io.BytesIO())),
                    median_ms(lambda: png_writer.png_bytes(rgba))))
    return results


def main():
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"{now}, {os.cpu_count()} cores, load average {load} (1, 5, 15 min)\n")
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
    print(f"\n{'speed trick':<40}{'matplotlib ms':>15}{'convlib ms':>12}")
    for what, slow, quick in tricks():
        print(f"{what:<40}{slow:>15.1f}{quick:>12.1f}")


if __name__ == "__main__":
    main()

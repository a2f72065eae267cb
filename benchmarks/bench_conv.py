"""Time convlib's four methods against a warmed-up torch.nn.functional.conv_transpose{1,2,3}d.

    .venv/bin/python benchmarks/bench_conv.py [--rounds 21] [--warmup 60] [--block 0.25]
                                              [--no-memory] [--save [FILE.json]]
                                              [--threads N] [--cases "2-D target" ...]

How it measures, so that the ratios are honest:
- PyTorch at its best: glibc's heap is kept warm for the whole process (MALLOC_TRIM_THRESHOLD_
  and MALLOC_MMAP_THRESHOLD_ raised: the script starts itself again with them when they are not
  set). Without that, each call's output is a fresh mmap that the call faults in page by page,
  and PyTorch runs 2-3x slower, which flatters convlib;
- warm-up: PyTorch's first CPU calls run 2-3x slower while oneDNN picks its kernels, so every
  function runs `warmup` times first (convlib's methods at most ~2 s' worth: they have nothing
  to pick, only caches and allocator to settle);
- interleaved in blocks: each round runs every function in turn, each for a block of calls
  lasting at least `block` seconds (0.25), so all see the same machine load. One call at a time
  is not enough: after a NumPy matrix product, OpenBLAS's threads keep spinning for about
  0.1 s and take a core from the PyTorch call that follows (measured: PyTorch 2-3x slower
  right after a NumPy method than in a run of its own calls; it flattered NumPy). A learner
  who runs one library at a time never sees that, so every block first outlasts the spin;
- best of `rounds`: the fastest call of each function (the least disturbed one) is its time;
  the spread is the range of the rounds' own fastest calls (median and slowest round printed);
- the ratio is method time / PyTorch time from the same run. On a busy machine the times move
  together; compare ratios, not times, between runs;
- multiply-adds (convlib.cost): scatter-add and PyTorch multiply every input by every tap,
  N * C_in * prod(i) * C_out/G * prod(k); the direct method multiplies every output window,
  inserted zeros and padding included, N * C_out * prod(o) * C_in/G * prod(k) (about s^d times
  more); phases every output by its phase's taps (the same as PyTorch's count for the k4 s2 p1
  cases); the matrix method one per stored entry of C per batch element.
  GFLOP/s = 2 * MACs / time;
- the limit: a plain float32 matrix product of the 2-D target's size in NumPy and in PyTorch
  (timed the same way) says how many GFLOP/s this machine gives each library right now;
- --threads N sets the thread count of both sides (PyTorch's OpenMP and NumPy's OpenBLAS)
  before they start; --threads 1 compares the algorithms without the two thread pools
  fighting over the cores of a busy machine;
- peak memory: in a fresh process, the growth of peak resident memory (VmHWM) during one call
  beyond what was resident before it (inputs included before). It counts workspace and output.

Targets (2-D case, float32, input 8x64x32x32, weight 64x64x4x4, stride 2, padding 1):
phases <= 1.3x PyTorch, scatter-add <= 1.5x, direct <= 4.5x (it multiplies the s^d - 1
inserted zeros too).
`--save` alone writes the run chapter 13 prints, convlib/data/bench_conv.json (it ships with the
package: convlib.timings); `--save FILE.json` writes it elsewhere.

Phases: met. On a quiet machine (2026-12-05, load 0.33; convlib/data/bench_conv.json): PyTorch
4.56 ms (235 GFLOP/s), phases 1.26x (5.73 ms, 187 GFLOP/s: NumPy's product alone, at the 280
GFLOP/s printed as the limit, would take 3.83 ms), scatter-add 2.57x, direct 5.75x; two runs
under load 1.2 gave phases 1.30x both. The phases method builds no im2col matrix: one gemm per
window tap for all phases, added in place (see convlib/phases.py); its copies in and out in two
threads measured no faster (OpenBLAS's spinning worker holds the second core). Scatter-add and
direct: not met. Scatter-add's adds are memory-bound and run on one core (splitting them over
two threads gained 2%, not worth the code); direct multiplies the inserted zeros, 4x the
products here, and runs at the product's rate.
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

# glibc reads these when the process starts: set them, then start again (32 MiB is the largest
# mmap threshold glibc accepts on 64-bit; larger values are ignored)
WARM_HEAP = {"MALLOC_TRIM_THRESHOLD_": str(2**30), "MALLOC_MMAP_THRESHOLD_": str(2**25)}
if any(os.environ.get(name) != value for name, value in WARM_HEAP.items()):
    os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, **WARM_HEAP})

if "--threads" in sys.argv:  # read by OpenMP and OpenBLAS when they start: before the imports
    THREADS = sys.argv[sys.argv.index("--threads") + 1]
    os.environ.update(OMP_NUM_THREADS=THREADS, OPENBLAS_NUM_THREADS=THREADS)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import convlib  # noqa: E402
from convlib import cost, matrix, shapes, timings  # noqa: E402

METHODS = {"phases": convlib.conv_transpose_phases, "scatter-add": convlib.conv_transpose_scatter,
           "direct": convlib.conv_transpose_direct, "matrix": convlib.conv_transpose_matrix}
TIMED = ["phases", "scatter-add", "direct"]

# name -> (input shape (N, C_in, *spatial), C_out, kernel_size, params, methods to time)
CASES = {
    "2-D target": ((8, 64, 32, 32), 64, 4, dict(stride=2, padding=1), TIMED),
    "1-D": ((8, 64, 1024), 64, 4, dict(stride=2, padding=1), TIMED),
    "3-D": ((2, 32, 16, 16, 16), 32, 4, dict(stride=2, padding=1), TIMED),
    "2-D groups=4 dilation=2": ((8, 64, 32, 32), 64, 3, dict(stride=2, padding=1,
                                output_padding=1, groups=4, dilation=2), TIMED),
    "2-D teaching size": ((1, 3, 16, 16), 8, 3, dict(stride=2, padding=1, output_padding=1),
                          TIMED + ["matrix"]),
}


def arguments(name, seed=0):
    """(x, w, params) for a case, float32 tensors."""
    shape, c_out, k, params, _ = CASES[name]
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=generator)
    w = torch.randn((shape[1], c_out // params.get("groups", 1)) + (k,) * (len(shape) - 2),
                    generator=generator)
    return x, w, params


def functions(name):
    """PyTorch's function first, then convlib's methods, each a call without arguments."""
    x, w, params = arguments(name)
    xn, wn = x.numpy(), w.numpy()
    torch_conv = getattr(F, f"conv_transpose{x.ndim - 2}d")
    calls = {"PyTorch": lambda: torch_conv(x, w, **params)}
    calls.update({m: (lambda m=m: METHODS[m](xn, wn, **params)) for m in CASES[name][4]})
    return calls


def multiply_adds(name, method):
    x, w, params = arguments(name)
    setup = shapes.validate(x.shape, w.shape, **params)
    if method == "matrix":
        conv = shapes.ConvSetup(setup.output_size, setup.kernel_size, setup.stride,
                                setup.padding, setup.dilation, setup.groups, setup.out_channels,
                                setup.in_channels)
        return setup.batch * matrix.matrix_entries(conv)
    view = {"direct": "direct", "phases": "phases"}.get(method, "transposed")
    return cost.multiply_adds(setup, view)


def warm_up(calls, times, budget=2.0):
    for name, f in calls.items():
        start = time.perf_counter()
        for j in range(times):
            f()
            if name != "PyTorch" and j >= 2 and time.perf_counter() - start > budget:
                break


def round_times(calls, rounds, block=0.25):
    """The fastest call of each function in each of `rounds` interleaved blocks, in seconds:
    {name: [one time per round]}; its min is the function's time.

    A block is at least 3 calls and at least `block` seconds of calls of one function.
    """
    times = {name: [] for name in calls}
    for _ in range(rounds):
        for name, f in calls.items():
            calls_made, block_start, best = 0, time.perf_counter(), float("inf")
            while calls_made < 3 or time.perf_counter() - block_start < block:
                start = time.perf_counter()
                f()
                best = min(best, time.perf_counter() - start)
                calls_made += 1
            times[name].append(best)
    return times


def matmul_limit(rounds, block):
    """GFLOP/s of a plain float32 product in NumPy and in PyTorch, timed like the cases: the
    phases method's one product per phase and image, (64 x 256) @ (256 x 1088), 32 times."""
    generator = torch.Generator().manual_seed(0)
    a, b = torch.randn(64, 256, generator=generator), torch.randn(256, 1088, generator=generator)
    an, bn = a.numpy(), b.numpy()
    out, outn = torch.empty(64, 1088), np.empty((64, 1088), np.float32)
    calls = {"NumPy": lambda: [np.matmul(an, bn, out=outn) for _ in range(32)],
             "PyTorch": lambda: [torch.matmul(a, b, out=out) for _ in range(32)]}
    warm_up(calls, 20)
    flops = 2 * 64 * 256 * 1088 * 32
    return {name: flops / min(t) / 1e9 for name, t in round_times(calls, rounds, block).items()}


def status(field):
    """A field of /proc/self/status in bytes (VmRSS: resident now, VmHWM: peak resident)."""
    with open("/proc/self/status") as file:
        for line in file:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024


def peak_here(name, method):
    """Run one call in this (fresh) process; print the growth of peak resident memory."""
    f = functions(name)[method]
    with open("/proc/self/clear_refs", "w") as file:
        file.write("5")  # reset VmHWM to the current resident size
    before = status("VmRSS")
    f()
    print(status("VmHWM") - before)


def peak_memory(name, method):
    """Peak memory of one call in a fresh process, in bytes (None if it cannot be measured)."""
    result = subprocess.run([sys.executable, __file__, "--peak", name, method],
                            capture_output=True, text=True)
    return int(result.stdout) if result.returncode == 0 and result.stdout.strip() else None


def matrix_refusal(name):
    """Why the matrix method is not run on a case (its C would be too large), or None."""
    entries = multiply_adds(name, "matrix") // CASES[name][0][0]
    if entries > matrix.MAX_MATRIX_ENTRIES:
        return (f"C would store {entries:,} non-zeros, more than convlib.matrix.MAX_MATRIX_ENTRIES"
                f" = {matrix.MAX_MATRIX_ENTRIES:,} (it raises ValueError)")
    return None


def load():
    """The 1-, 5- and 15-minute load averages (2 cores: above ~0.5 the machine is not quiet)."""
    with open("/proc/loadavg") as file:
        return [float(v) for v in file.read().split()[:3]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--block", type=float, default=0.25, help="seconds of calls per block")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--threads", type=int, help="threads for PyTorch and NumPy alike")
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--save", nargs="?", const=timings.saved_run_file(),
                        help="also write the results to this JSON file (alone: the saved run "
                             "chapter 13 prints)")
    parser.add_argument("--peak", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peak:
        return peak_here(*args.peak)
    run = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "torch": torch.__version__, "numpy": np.__version__,
           "threads": torch.get_num_threads(), "rounds": args.rounds, "block": args.block,
           "load_before": load(), "cases": {}}
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), numpy {np.__version__}"
          f", float32; warm-up {args.warmup} calls, best of {args.rounds} interleaved rounds of"
          f" {args.block} s blocks; load {run['load_before']}\n")
    run["matmul_gflops"] = matmul_limit(args.rounds, args.block)
    print("the limit, a float32 product (64x256 @ 256x1088): " + ", ".join(
        f"{name} {gflops:.0f} GFLOP/s" for name, gflops in run["matmul_gflops"].items()) + "\n")
    print(f"{'case':<24} {'method':<12} {'time':>9} {'median':>9} {'slowest':>9} {'ratio':>6} "
          f"{'multiply-adds':>14} {'GFLOP/s':>8} {'peak memory':>12}")
    for name in args.cases:
        shape, *_, methods = CASES[name]
        calls = functions(name)
        x, w, params = arguments(name)
        # timing a wrong answer would be pointless
        assert convlib.compare(x[:1], w, methods=methods, **params).agree
        warm_up(calls, args.warmup)
        rounds = round_times(calls, args.rounds, args.block)
        print(f"{name}: input {'x'.join(map(str, shape))}, weight "
              f"{'x'.join(map(str, w.shape))}, {params}")
        case = run["cases"][name] = {}
        for method, times in rounds.items():
            seconds = min(times)
            macs = multiply_adds(name, "scatter-add" if method == "PyTorch" else method)
            memory = None if args.no_memory else peak_memory(name, method)
            case[method] = {"ms": seconds * 1e3, "median_ms": statistics.median(times) * 1e3,
                            "slowest_ms": max(times) * 1e3,
                            "ratio": seconds / min(rounds["PyTorch"]), "multiply_adds": macs,
                            "gflops": 2 * macs / seconds / 1e9, "peak_memory": memory}
            memory = "" if memory is None else f"{memory / 2**20:9.1f} MiB"
            print(f"{'':<24} {method:<12} {seconds * 1e3:>7.2f}ms "
                  f"{case[method]['median_ms']:>7.2f}ms {case[method]['slowest_ms']:>7.2f}ms "
                  f"{case[method]['ratio']:>5.2f}x {macs / 1e6:>12.1f}M "
                  f"{case[method]['gflops']:>8.1f} {memory:>12}")
        if "matrix" not in methods and (why := matrix_refusal(name)):
            print(f"{'':<24} {'matrix':<12} not run: {why}")
    run["load_after"] = load()
    print(f"\nload {run['load_after']}")
    if args.save:
        with open(args.save, "w") as file:
            json.dump(run, file, indent=1)


if __name__ == "__main__":
    main()

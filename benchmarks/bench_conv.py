"""Time convlib's three methods against torch.nn.functional.conv_transpose{1,2,3}d.

    python benchmarks/bench_conv.py [--rounds 10]

Each case runs every method in turn, `rounds` times, and keeps each method's best time, so the
ratios compare runs made side by side on the same machine at the same load. Targets for the
2-D case (float32, batch 8, 64 -> 64 channels, 32x32, k=4, s=2, p=1): scatter-add within 2x of
PyTorch, direct within 3x. The direct method multiplies the s^d - 1 inserted zeros too, so it
does s^d times the arithmetic of the other two (4x in 2-D with stride 2).
"""
import argparse
import time

import numpy as np
import torch
import torch.nn.functional as F

import convlib

METHODS = {"scatter-add": convlib.conv_transpose_scatter, "direct": convlib.conv_transpose_direct,
           "matrix": convlib.conv_transpose_matrix}

# name, input shape (N, C_in, *spatial), C_out, kernel_size, params, methods to time
CASES = [
    ("2-D target", (8, 64, 32, 32), 64, 4, dict(stride=2, padding=1), ["scatter-add", "direct"]),
    ("1-D", (8, 64, 1024), 64, 4, dict(stride=2, padding=1), ["scatter-add", "direct"]),
    ("3-D", (2, 32, 16, 16, 16), 32, 4, dict(stride=2, padding=1), ["scatter-add", "direct"]),
    ("2-D groups=4, dilation=2", (8, 64, 32, 32), 64, 3,
     dict(stride=2, padding=1, output_padding=1, groups=4, dilation=2), ["scatter-add", "direct"]),
    ("2-D teaching size", (1, 3, 16, 16), 8, 3, dict(stride=2, padding=1, output_padding=1),
     ["scatter-add", "direct", "matrix"]),
]


def best_times(functions, rounds):
    """The fastest of `rounds` interleaved runs of each function, in seconds."""
    for f in functions.values():
        f()  # warm up: first-call allocations and caches
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(rounds):
        for name, f in functions.items():
            start = time.perf_counter()
            f()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def time_case(shape, out_channels, kernel_size, params, methods, rounds):
    dims = len(shape) - 2
    groups = params.get("groups", 1)
    x = torch.randn(shape)
    w = torch.randn((shape[1], out_channels // groups) + (kernel_size,) * dims)
    xn, wn = x.numpy(), w.numpy()
    torch_conv = getattr(F, f"conv_transpose{dims}d")
    functions = {"PyTorch": lambda: torch_conv(x, w, **params)}
    functions.update({m: (lambda m=m: METHODS[m](xn, wn, **params)) for m in methods})
    assert convlib.compare(x[:1], w, **params).agree  # timing a wrong answer would be pointless
    return best_times(functions, rounds)


def sparse_matrix_build(rounds):
    """Build time and memory of the sparse conv_matrix for a 1x128x128 input, 3x3 kernel."""
    w, shape = np.random.default_rng(0).standard_normal((1, 1, 3, 3)), (1, 128, 128)
    seconds = best_times({"build": lambda: convlib.conv_matrix(w, shape, padding=1,
                                                               sparse=True)}, rounds)["build"]
    c = convlib.conv_matrix(w, shape, padding=1, sparse=True)
    stored = c.data.nbytes + c.indices.nbytes + c.indptr.nbytes
    return seconds, c, stored


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), numpy {np.__version__}, "
          f"float32, best of {rounds} interleaved runs\n")
    print(f"{'case':<26} {'input':<20} {'PyTorch':>9} {'method':<12} {'time':>9} {'ratio':>7}")
    for name, shape, c_out, k, params, methods in CASES:
        times = time_case(shape, c_out, k, params, methods, rounds)
        for i, m in enumerate(methods):
            left = (f"{name:<26} {str(shape):<20} {times['PyTorch'] * 1e3:>7.2f}ms" if i == 0
                    else " " * 57)
            print(f"{left} {m:<12} {times[m] * 1e3:>7.2f}ms {times[m] / times['PyTorch']:>6.2f}x")
    print("\n(targets, 2-D case: scatter-add <= 2x, direct <= 3x)")
    seconds, c, stored = sparse_matrix_build(rounds)
    dense = c.shape[0] * c.shape[1] * c.dtype.itemsize
    print(f"\nsparse conv_matrix, input 1x128x128, 3x3 kernel, padding 1: shape {c.shape}, "
          f"{c.nnz} non-zeros\n  build {seconds * 1e3:.1f}ms, memory {stored / 2**20:.2f} MiB "
          f"(data + indices + indptr; dense would be {dense / 2**30:.1f} GiB)")


if __name__ == "__main__":
    main()

"""Answers to the exercises of chapter 11 (notebooks/11_checkerboards_in_training.ipynb)."""
import numpy as np

import convlib
from convlib.checkerboard import phase_means
from convlib.exercises import Worked, answer, any_order, flat, implement


def stamp_counts(kernel_size, stride, length=12):
    """How many stamps reach each output of a transposed convolution of ones with ones."""
    return convlib.conv_transpose_scatter(np.ones((1, length)), np.ones((1, 1, kernel_size)),
                                          stride=stride)[0]


@answer("11.1", hint="write the output position o of tap k of input i (stride 3, no padding); an "
                     "output of phase r gets one stamp for every tap k that can land on it")
def stamps_per_phase():
    counts = stamp_counts(5, 3)
    phases = [int(counts[6 + r]) for r in range(3)]  # phases 0, 1, 2, away from the border
    taps = [[k for k in range(5) if k % 3 == r] for r in range(3)]
    return Worked(phases,
                  f"Output o = 3i + k, so an output of phase r receives the taps k with k % 3 == "
                  f"r, one stamp each: phase 0 the taps {taps[0]}, phase 1 {taps[1]}, phase 2 "
                  f"{taps[2]}. So {phases}.")


@answer("11.2", accepts=any_order,
        hint="count the 5x5 windows, 2 apart, that cover a pixel along each axis (it depends on "
             "the pixel's phase), and multiply the two counts")
def gradient_values_kernel_5():
    ones = np.ones((1, 1, 8, 8))
    grad = convlib.conv_transpose_scatter(ones, np.full((1, 1, 5, 5), 1 / 25), stride=2,
                                          padding=2, output_padding=1)[0, 0, 4:-4, 4:-4]
    values = sorted({int(round(v)) for v in (25 * grad).ravel()})
    few, many = sorted({int(c) for c in stamp_counts(5, 2)[5:-5]})
    return Worked(values,
                  f"z.grad is the transposed convolution of ones: a pixel gets 1/25 from every "
                  f"window that covers it, so z.grad * 25 counts those windows. Windows 5 wide "
                  f"and 2 apart cover a pixel {many} or {few} times along an axis, depending on its "
                  f"phase; in 2-D the counts multiply: {many}*{many} = {many * many}, {many}*{few} "
                  f"= {many * few} (twice) and {few}*{few} = {few * few}. So {values}: a "
                  f"checkerboard, although kernel_size=5 is larger than kernel_size=3.")


@answer("11.3", accepts=flat,
        hint="write the output position o of tap k of input i (stride 3, padding 1), and list "
             "along one axis the taps that reach each o mod 3; a phase's gain adds the weights "
             "at its row taps and column taps")
def phase_gains_stride_3():
    w = np.arange(1.0, 17.0).reshape(4, 4)
    stride, padding = 3, 1
    taps = [[k for k in range(4) if (k - padding) % stride == r] for r in range(stride)]
    gains = [[float(w[np.ix_(rows, columns)].sum()) for columns in taps] for rows in taps]
    corner = w[np.ix_(taps[2], taps[2])].astype(int).ravel().tolist()
    return Worked(gains,
                  f"With stride=3, padding=1, output o = 3i + k - 1, so o mod 3 = (k - 1) mod 3: "
                  f"along each axis phase 0 receives the taps {taps[0]}, phase 1 {taps[1]}, "
                  f"phase 2 {taps[2]}. Phase (a, b) sums the weights at those rows and columns: "
                  f"(2, 2) gets {' + '.join(map(str, corner))} = {gains[2][2]:g}; all nine: "
                  f"{np.array(gains).astype(int).tolist()}. Phase 2 gets twice the taps of the "
                  f"others along each axis: on a flat input the phases differ, a checkerboard.")


def phase_cases(rng):
    return [(rng.integers(-9, 10, n).astype(float), s)
            for n, s in [(4, 2), (6, 2), (7, 2), (9, 3), (10, 4), (5, 1)]]


def phase_means_1d(y, s):
    """Phase r is every s-th entry from r on, y[r::s]; the result lists their means."""
    return [np.mean(y[r::s]) for r in range(s)]


def phase_means_1d_plain(y, s):
    """Phase r is every s-th entry from r on, y[r::s]; the result lists their means."""
    return [sum(y[r::s]) / len(y[r::s]) for r in range(s)]


@implement("11.4", cases=phase_cases, solution=phase_means_1d, plain=phase_means_1d_plain,
           hint="y[r::s] is phase r; take the mean of each for r = 0 .. s-1")
def phase_means_reference(y, s):
    return phase_means(y, s, border=0)

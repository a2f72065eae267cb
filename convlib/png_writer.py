"""A PNG file from an RGBA image array, written the quick way for flat-coloured pictures.

No filter search and zlib level 1: about the file size of matplotlib's print_png in a fraction of
its time. `benchmarks/bench_widgets.py` measures both in the same run and prints them.
"""
import struct
import zlib

import numpy as np


def png_bytes(rgba):
    """An RGBA image array as a PNG file: RGB rows, each behind filter byte 0, zlib level 1.

    The pictures are flat colours: skipping PNG's per-row filter search and deep compression
    gives a file of about the same size, sooner.
    """
    height, width = rgba.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 1:] = rgba[..., :3].reshape(height, -1)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))

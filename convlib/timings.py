"""The saved run of benchmarks/bench_conv.py: how fast the four methods were against PyTorch, on one
machine on one day, which chapter 13 prints (notebooks/13_in_training.ipynb).

The run ships inside the package (convlib/data/bench_conv.json: the wheel holds every file of it),
so a chapter copied out of the repository, or handed out alone, prints it wherever convlib is
installed.
"""
import json
from importlib import resources


def saved_run_file():
    """Where the saved run is: in the installed package (in the repository for an editable
    install, which is where `bench_conv.py --save` writes it)."""
    return resources.files("convlib") / "data" / "bench_conv.json"


def saved_run():
    """The saved run as bench_conv.py wrote it: its date, versions, threads and load, and for
    each case and method the best time, its ratio to PyTorch, multiply-adds and GFLOP/s."""
    return json.loads(saved_run_file().read_text())

"""Reading time of demo counties, openpyxl against calamine (issue 19); not a test.

    PYTHONPATH=$PWD python bench/reading.py [300 3000 10000] [--out /tmp/reading]

For each size: the raw reading of the workbook (readers.read_workbook) and the whole loading
(read_workspace: reading, typing, checks), each the best of three runs, with REPORTGEN_READER
set to openpyxl and then to the default reader.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportgen.authoring.demo import write_demo  # noqa: E402
from reportgen.loading import read_workspace, readers  # noqa: E402

READERS = ("openpyxl", "calamine")


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(folder: Path) -> dict[str, tuple[float, float]]:
    book = next(folder.glob("*.xlsx"))
    figures = {}
    for reader in READERS:
        os.environ[readers.READER_ENV] = reader
        figures[reader] = (best_of(3, lambda: readers.read_workbook(book)),
                           best_of(3, lambda: read_workspace(folder)))
    os.environ.pop(readers.READER_ENV)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[300, 3000, 10000])
    parser.add_argument("--out", type=Path, default=Path("/tmp/reportgen-reading"))
    args = parser.parse_args()
    print("| schools | read, openpyxl | read, calamine | load, openpyxl | load, calamine |")
    print("|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        folder = args.out / f"{size}"
        if not any(folder.glob("*.xlsx")):
            write_demo(folder, size, seed=2025)
        figures = measure(folder)
        (read_o, load_o), (read_c, load_c) = figures["openpyxl"], figures["calamine"]
        print(f"| {size:,} | {read_o:.2f} s | {read_c:.2f} s ({read_o / read_c:.1f}×) "
              f"| {load_o:.2f} s | {load_c:.2f} s ({load_o / load_c:.1f}×) |", flush=True)


if __name__ == "__main__":
    main()

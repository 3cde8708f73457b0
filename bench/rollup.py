"""Benchmark of ``reportgen rollup`` (issue 17): a province of many counties, one county per process.

Run from the repository root::

    .venv/bin/python bench/rollup.py            # 100 counties × 300 schools; writes the table into docs/rollup.md
    .venv/bin/python bench/rollup.py --quick    # 4 counties × 10 schools, proves the runner works

The counties are synthetic (``reportgen.authoring.demo.write_demo``, what ``reportgen demo`` runs),
each with its own name and seed, made before any timing. Measured in one run on one machine, as
real ``reportgen`` subprocesses (median of ``--repeat`` runs):

1. ``reportgen rollup`` of all counties with ``--jobs 2`` (one county per process, 2 cores) and with
   ``--jobs 1`` (all in one process): wall time, and the speed-up of the two processes;
2. ``reportgen analyze COUNTY --format json`` of a few counties, one command each (what a city office
   would otherwise run per county): the roll-up against that cost times the number of counties.

Nothing here fails on a slow figure; the results are printed and written between the markers
``<!-- rollup-bench:start -->`` and ``<!-- rollup-bench:end -->`` of the document.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import reportgen  # noqa: E402  (the runner of bench/run.py: wall time of a real subprocess)

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "rollup.md"
START_MARK = "<!-- rollup-bench:start -->"
END_MARK = "<!-- rollup-bench:end -->"
AS_OF = "2025-10-20"


def make_county(task: tuple[Path, int, int]) -> Path:
    from reportgen.authoring.demo import write_demo

    folder, index, schools = task
    write_demo(folder, schools, seed=index, region=f"模拟{index:03d}县")
    return folder


def make_counties(work: Path, count: int, schools: int) -> list[Path]:
    tasks = [(work / f"county{i:03d}", i, schools) for i in range(1, count + 1)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        return list(pool.map(make_county, tasks))


def median_seconds(args: list[object], repeat: int) -> float:
    return statistics.median(reportgen(*args).seconds for _ in range(repeat))


def measure(counties: list[Path], repeat: int, samples: int) -> dict[str, float]:
    rollup = ["rollup", *counties, "--format", "json", "--as-of", AS_OF]
    one = [median_seconds(["analyze", c, "--format", "json"], repeat) for c in counties[:samples]]
    return {"jobs2": median_seconds([*rollup, "--jobs", "2"], repeat),
            "jobs1": median_seconds([*rollup, "--jobs", "1"], repeat),
            "analyze_one": statistics.mean(one)}


def table(count: int, schools: int, m: dict[str, float]) -> str:
    separate = m["analyze_one"] * count
    rows = [
        (f"rollup, {count} counties × {schools} schools, --jobs 2", f"{m['jobs2']:.1f} s", f"{m['jobs2'] / count:.2f} s per county"),
        (f"rollup, {count} counties × {schools} schools, --jobs 1", f"{m['jobs1']:.1f} s", f"{m['jobs1'] / count:.2f} s per county"),
        ("speed-up of 2 processes (jobs 1 / jobs 2)", f"{m['jobs1'] / m['jobs2']:.2f}×", ""),
        ("one `analyze --format json` per county (mean)", f"{m['analyze_one']:.2f} s", f"× {count} = {separate:.0f} s"),
        ("rollup --jobs 2 / separate analyze commands", f"{m['jobs2'] / separate:.2f}", ""),
    ]
    lines = ["| measure | value | note |", "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return "\n".join([f"Measured by `bench/rollup.py` on {machine}; median of the runs, one run of the script.",
                      "", *lines])


def write_doc(doc: Path, text: str) -> None:
    old = doc.read_text(encoding="utf-8")
    if START_MARK in old and END_MARK in old:
        head, rest = old.split(START_MARK, 1)
        new = f"{head}{START_MARK}\n{text}\n{END_MARK}{rest.split(END_MARK, 1)[1]}"
    else:
        new = f"{old.rstrip()}\n\n{START_MARK}\n{text}\n{END_MARK}\n"
    doc.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 counties × 10 schools")
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--doc", type=Path, default=DOC)
    parser.add_argument("--work", type=Path, default=None, help="folder for the synthetic counties (default: a temporary one)")
    args = parser.parse_args()
    count, schools = (4, 10) if args.quick else (args.counties, args.schools)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        counties = make_counties(work, count, schools)
        result = measure(counties, args.repeat, samples=min(3, count))
    text = table(count, schools, result)
    print(text)
    write_doc(args.doc, text)


if __name__ == "__main__":
    main()

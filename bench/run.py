"""Benchmarks of ``reportgen`` measured in one run on one machine (issues 7 and 19).

Run from the repository root::

    .venv/bin/python bench/run.py            # full sizes; writes docs/performance.md
    .venv/bin/python bench/run.py --quick    # tiny sizes, proves the runner works (< 30 s)

What is measured (every build is a real ``reportgen`` subprocess on a synthetic county made
with ``reportgen demo``):

1. cold ``reportgen build --report all`` into a fresh output folder (no chart cache): wall time
   and peak memory: the largest sum of PSS over the command's processes (the build, its render
   workers and the forkserver they fork from), sampled from /proc every 20 ms in a separate,
   untimed run (``ru_maxrss`` would miss the workers, which are not the build's own children);
2. the floor: the same documents made by the most direct script — report models built once
   with the real builders outside the timing, then ``DocxTemplate(template).render(context)``
   and ``save`` with the charts drawn straight with matplotlib (no cache), in a fresh process
   so the floor pays for importing docxtpl and matplotlib as a script would;
3. a rebuild with no change, and after changing one cell (one school's 体育运动场馆面积,
   edited with openpyxl outside the timing);
4. ``reportgen --help`` start-up time (median);
5. a batch of counties in one command on every core (``--jobs 0``) against one by one;
6. time per school from the middle size to the largest (linear cost keeps it flat);
7. charts: the cold build of the middle size with native Word charts (the default) against
   ``图表: 图片`` (matplotlib PNGs), in the same run;
8. ``reportgen watch``: a warm watcher process; after one cell is saved (openpyxl, outside the
   timing), the time until the report file is replaced;
9. the import floor of issue 19: ``python -c "import pandas, lxml, docx, openpyxl"``, the
   least any build must spend before it reads a cell; cold builds are given as ratios to it.

Benchmarks are not tests: nothing here fails on a slow figure; the table says which targets
are met. The measured section of docs/performance.md is rewritten between the markers
``<!-- bench:start -->`` and ``<!-- bench:end -->``; the text around it is kept.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
START_MARK = "<!-- bench:start -->"
END_MARK = "<!-- bench:end -->"
EDITED_COLUMN = "体育运动场馆面积"
KEY_PACKAGES = ("reportgen", "pandas", "numpy", "openpyxl", "matplotlib", "docxtpl", "python-docx",
                "jinja2", "lxml", "typer")

# Targets on the 2-core project machine: issue 7's, and issue 19's stricter ones.
TARGET_COLD_S = 1.0            # all reports of the middle-size county, cold (issue 7: 3.0)
TARGET_IMPORT_RATIO = 2.5      # cold build / import floor, middle size
TARGET_FLOOR_RATIO = 1.3       # cold build / documents floor (issue 7)
TARGET_REBUILD_S = 0.5         # rebuild command after a one-cell change (issue 7)
TARGET_HELP_S = 0.1            # reportgen --help (issue 7: 0.5)
TARGET_SCALE_RATIO = 2.5       # scale size (10x the schools) / middle size (issue 7: 12)
TARGET_LARGEST_S = 8.0         # the largest county, cold
TARGET_LARGEST_MB = 1024       # … its peak memory
TARGET_WATCH_S = 0.3           # watch: report updated after a one-cell save
TARGET_BATCH_SPEEDUP = 1.8     # batch of counties on every core against one by one
IMPORT_FLOOR = "import pandas, lxml, docx, openpyxl"
WATCHED_REPORT = "*优质均衡*.docx"  # the report the edited column reaches


@dataclass(frozen=True)
class Plan:
    """The sizes one run measures."""

    sizes: tuple[int, ...]          # cold builds
    middle: int                     # the size the rebuild, target and scaling refer to
    scale: int                      # the size compared with the middle one (10x its schools)
    batch_count: int
    batch_schools: int
    repeat: int                     # runs per timing (the median is reported)
    help_runs: int
    memory_runs: bool = True        # sample memory in extra, untimed runs (else in the timed ones)
    floor_sizes: tuple[int, ...] = ()   # the documents floor is measured for these (default: all)

    def floored(self) -> tuple[int, ...]:
        return self.floor_sizes or self.sizes


FULL = Plan(sizes=(40, 300, 3000, 10000), middle=300, scale=3000, batch_count=20, batch_schools=300,
            repeat=3, help_runs=7, floor_sizes=(40, 300, 3000))
QUICK = Plan(sizes=(10, 20, 40), middle=20, scale=40, batch_count=2, batch_schools=10, repeat=1, help_runs=3,
             memory_runs=False, floor_sizes=(20,))


@dataclass
class Run:
    """One subprocess: wall time, its own max RSS (``wait4``), what it printed, and the peak
    memory of all its processes when sampled (``peak_mb``, 0 when not)."""

    seconds: float
    max_rss_mb: float
    stdout: str
    stderr: str
    peak_mb: float = 0.0


@dataclass
class Results:
    machine: dict[str, str] = field(default_factory=dict)
    cold: dict[int, list[Run]] = field(default_factory=dict)
    cold_one_process: list[Run] = field(default_factory=list)
    memory: dict[int, float] = field(default_factory=dict)      # peak MB of all processes, per size
    floor: dict[int, list[dict]] = field(default_factory=dict)
    rebuild_same: list[Run] = field(default_factory=list)
    rebuild_cell: list[Run] = field(default_factory=list)
    help: list[Run] = field(default_factory=list)
    batch_one_by_one: float = 0.0
    batch_all: Run | None = None
    batch_memory: float = 0.0
    cold_picture: list[Run] = field(default_factory=list)       # 图表: 图片, middle size
    watch_latency: list[float] = field(default_factory=list)    # save → report replaced
    import_floor: list[Run] = field(default_factory=list)       # python -c IMPORT_FLOOR


# ---------------------------------------------------------------- processes

def reportgen_command() -> list[str]:
    """The installed ``reportgen`` script beside this Python, else ``python -m reportgen``."""
    script = Path(sys.executable).parent / "reportgen"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "reportgen"]


def run_timed(command: list[str], cwd: Path | None = None, sample_memory: bool = False) -> Run:
    """Run a command to its end; wall time, and max RSS from ``wait4`` (it or any child).

    ``sample_memory``: also sample the PSS of its whole process tree (costs some CPU: do not
    use the time of such a run)."""
    peak = 0.0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd,
                                start_new_session=sample_memory)
        if sample_memory:
            peak = _sample_tree(proc)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        run = Run(seconds, usage.ru_maxrss / 1024, out.read().decode("utf-8", "replace"),
                  err.read().decode("utf-8", "replace"), peak)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {proc.returncode}:\n{run.stderr[-2000:]}")
    return run


def reportgen(*args: object, sample_memory: bool = False) -> Run:
    return run_timed([*reportgen_command(), *map(str, args)], sample_memory=sample_memory)


def _sample_tree(proc: subprocess.Popen, interval: float = 0.02) -> float:
    """Peak MB of the summed PSS of every process in the command's session, until it ends.

    The command runs in a session of its own, so its render workers and their forkserver are
    found by session id even though they are not its children."""
    peak = 0.0
    while True:
        try:
            finished = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            finished = True
        if finished:
            return peak
        peak = max(peak, sum(_pss_kb(pid) for pid in _session_members(proc.pid)) / 1024)
        time.sleep(interval)


def _session_members(sid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[3]) == sid:  # state, ppid, pgrp, session
                members.append(int(entry.name))
    return members


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def make_county(folder: Path, schools: int, seed: int = 2025) -> Path:
    if not folder.exists():
        reportgen("demo", folder, "--schools", schools, "--seed", seed)
    return folder


def cold_build(workspace: Path, out: Path, sample_memory: bool = False) -> Run:
    return reportgen("build", workspace, "--report", "all", "--out", _fresh(out), sample_memory=sample_memory)


def _fresh(folder: Path) -> Path:
    """An output folder with nothing in it (no reports, no chart or sheet cache)."""
    shutil.rmtree(folder, ignore_errors=True)
    return folder


# ---------------------------------------------------------------- the floor

def measure_floor(workspace: Path, out: Path) -> dict:
    """The floor in a fresh process (see ``floor_worker``)."""
    shutil.rmtree(out, ignore_errors=True)
    run = run_timed([sys.executable, str(Path(__file__).resolve()), "--floor-worker", str(workspace),
                     "--floor-out", str(out)])
    return json.loads(run.stdout.strip().splitlines()[-1])


def floor_worker(workspace: Path, out: Path) -> dict:
    """Build the report models (untimed), then render them the most direct way (timed)."""
    sys.path.insert(0, str(ROOT))
    from reportgen.analysis import analyze
    from reportgen.publish.build import template_path
    from reportgen.loading import load_workspace
    from reportgen.reports import build_reports, report_ids

    ws = load_workspace(workspace)
    analysis = analyze(ws)
    models = build_reports(report_ids(None), ws, analysis)
    out.mkdir(parents=True, exist_ok=True)

    start = time.perf_counter()
    from reportgen.render.docx import render_bytes
    from reportgen.render.native_charts import native_charts

    chart_seconds = 0.0
    for model in models:
        drawn = time.perf_counter()
        for spec in model.charts:  # the chart parts alone, timed on their own (render_bytes writes them again)
            native_charts(spec)
        chart_seconds += time.perf_counter() - drawn
        (out / model.filename).write_bytes(render_bytes(model, template_path(model.template)))
    total = time.perf_counter() - start - chart_seconds
    return {"seconds": total, "charts_seconds": chart_seconds,
            "files": [m.filename for m in models]}


def same_documents(a: Path, b: Path) -> bool:
    """Whether two .docx files hold the same document body (packaging aside)."""
    def body(path: Path) -> bytes:
        with zipfile.ZipFile(path) as package:
            return package.read("word/document.xml")
    return body(a) == body(b)


# ---------------------------------------------------------------- one-cell edit

def edit_one_cell(workspace: Path, factor: float) -> None:
    """Multiply the first school's 体育运动场馆面积 by ``factor`` (saved with openpyxl; 1.0 only re-saves)."""
    import openpyxl

    book_path = next(p for p in workspace.glob("*.xlsx") if not p.name.startswith(("~$", ".")))
    book = openpyxl.load_workbook(book_path)
    sheet = book["学校"]
    header = [str(c.value or "") for c in sheet[1]]
    column = next(i for i, text in enumerate(header, 1) if text.startswith(EDITED_COLUMN))
    cell = sheet.cell(row=2, column=column)
    if factor != 1.0:
        cell.value = round(float(cell.value) * factor, 1)
    book.save(book_path)


# ---------------------------------------------------------------- the machine

def machine() -> dict[str, str]:
    from importlib import metadata

    versions = []
    for name in KEY_PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": _memory(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": ", ".join(versions),
        "date": dt.date.today().isoformat(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


# ---------------------------------------------------------------- measuring

def measure(plan: Plan, work: Path, log) -> Results:
    results = Results(machine=machine())
    counties = {n: make_county(work / f"county-{n}", n) for n in plan.sizes}
    for n, workspace in counties.items():
        log(f"cold build, {n} schools")
        sampled = not plan.memory_runs
        results.cold[n] = [cold_build(workspace, work / f"out-{n}", sampled) for _ in range(plan.repeat)]
        results.memory[n] = (cold_build(workspace, work / f"out-{n}", sample_memory=True).peak_mb
                             if plan.memory_runs else max(r.peak_mb for r in results.cold[n]))
        if n in plan.floored():
            log(f"floor, {n} schools")
            results.floor[n] = [measure_floor(workspace, work / f"floor-{n}") for _ in range(plan.repeat)]
            _check_same_documents(results.floor[n][-1], work / f"out-{n}", work / f"floor-{n}", log)
    log("import floor")
    results.import_floor = [run_timed([sys.executable, "-c", IMPORT_FLOOR]) for _ in range(plan.help_runs)]
    log(f"cold build with --jobs 1, {plan.middle} schools")
    results.cold_one_process = [reportgen("build", counties[plan.middle], "--report", "all", "--out",
                                          _fresh(work / "out-jobs-1"), "--jobs", 1) for _ in range(plan.repeat)]
    _measure_rebuilds(plan, counties[plan.middle], work, results, log)
    _measure_picture_charts(plan, counties[plan.middle], work, results, log)
    _measure_watch(plan, work, results, log)
    log("reportgen --help")
    results.help = [reportgen("--help") for _ in range(plan.help_runs)]
    _measure_batch(plan, work, results, log)
    return results


def _check_same_documents(floor: dict, built: Path, direct: Path, log) -> None:
    for name in floor["files"]:
        if not same_documents(built / name, direct / name):
            log(f"  note: {name} differs between the build and the floor script")


def _measure_rebuilds(plan: Plan, workspace: Path, work: Path, results: Results, log) -> None:
    """Rebuilds after a cold build: unchanged, then after one-cell edits.

    The workbook is first saved once with openpyxl, as Excel would store it (shared strings);
    ``reportgen demo`` writes inline strings, which the first edit would convert in every sheet.
    """
    log(f"rebuilds, {plan.middle} schools")
    edited = work / f"county-{plan.middle}-edited"
    shutil.rmtree(edited, ignore_errors=True)
    shutil.copytree(workspace, edited)
    edit_one_cell(edited, 1.0)
    workspace, out = edited, work / f"out-{plan.middle}-edited"
    cold_build(workspace, out)
    for _ in range(plan.repeat):
        results.rebuild_same.append(reportgen("build", workspace, "--report", "all", "--out", out))
    for i in range(plan.repeat):
        edit_one_cell(workspace, 1.05)  # a new value each time: no chart or report can be reused
        results.rebuild_cell.append(reportgen("build", workspace, "--report", "all", "--out", out))


def _measure_picture_charts(plan: Plan, workspace: Path, work: Path, results: Results, log) -> None:
    log(f"cold build with 图表: 图片, {plan.middle} schools")
    pictures = work / f"county-{plan.middle}-pictures"
    shutil.rmtree(pictures, ignore_errors=True)
    shutil.copytree(workspace, pictures)
    settings = pictures / "reportgen.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\n图表: 图片\n", encoding="utf-8")
    results.cold_picture = [cold_build(pictures, work / f"out-{plan.middle}-pictures") for _ in range(plan.repeat)]


WATCHING = "继续监视中"


def _measure_watch(plan: Plan, work: Path, results: Results, log) -> None:
    """A ``reportgen watch`` process on the edited county; one-cell saves, each timed until the
    report it reaches is replaced (the watcher's first, cold build is not timed)."""
    log(f"watch, {plan.middle} schools")
    workspace, out = work / f"county-{plan.middle}-edited", work / f"out-{plan.middle}-watch"
    _fresh(out)
    log_file = work / "watch.log"
    with open(log_file, "w", encoding="utf-8") as sink:
        proc = subprocess.Popen([*reportgen_command(), "watch", str(workspace), "--out", str(out)],
                                stdout=sink, stderr=subprocess.STDOUT)
        try:
            _wait_for(lambda: log_file.read_text(encoding="utf-8").count(WATCHING) >= 1, 300)
            report = next(out.glob(WATCHED_REPORT))
            for _ in range(max(plan.repeat, 3)):
                before = _mtime(report)
                edit_one_cell(workspace, 1.05)
                saved = time.perf_counter()
                _wait_for(lambda: _mtime(report) not in (None, before), 120)
                results.watch_latency.append(time.perf_counter() - saved)
                time.sleep(0.2)  # let the watcher finish its other reports and print
        finally:
            proc.terminate()
            proc.wait()


def _mtime(path: Path) -> int | None:
    """The file's mtime, or None in the instant a publish has moved the old version away."""
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def _wait_for(condition, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("watch did not respond in time")
        time.sleep(0.002)


def _measure_batch(plan: Plan, work: Path, results: Results, log) -> None:
    log(f"batch of {plan.batch_count} counties of {plan.batch_schools} schools")
    counties = [make_county(work / f"batch-{plan.batch_schools}-{i:02d}", plan.batch_schools, seed=1000 + i)
                for i in range(plan.batch_count)]
    one_by_one = work / "batch-one-by-one"
    shutil.rmtree(one_by_one, ignore_errors=True)
    results.batch_one_by_one = sum(cold_build(ws, one_by_one / ws.name).seconds for ws in counties)
    together = work / "batch-together"
    shutil.rmtree(together, ignore_errors=True)
    command = ("build", *counties, "--report", "all", "--out", together, "--jobs", 0)
    results.batch_all = reportgen(*command, sample_memory=not plan.memory_runs)
    if plan.memory_runs:
        _fresh(together)
        results.batch_memory = reportgen(*command, sample_memory=True).peak_mb
    else:
        results.batch_memory = results.batch_all.peak_mb


# ---------------------------------------------------------------- reporting

def median(values: list[float]) -> float:
    return statistics.median(values)


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def table(plan: Plan, results: Results) -> list[tuple[str, str, str]]:
    """(measure, figure, target and verdict) rows."""
    cold = {n: median([r.seconds for r in runs]) for n, runs in results.cold.items()}
    middle = cold[plan.middle]
    rows = [*_cold_rows(plan, results, cold), *_floor_rows(plan, results, cold)]
    same = median([r.seconds for r in results.rebuild_same])
    cell = median([r.seconds for r in results.rebuild_cell])
    rows.append((f"rebuild, no change, {plan.middle} schools", f"{_s(same)} ({same / middle:.2f}× cold)", ""))
    rows.append((f"rebuild after one cell, {plan.middle} schools", f"{_s(cell)} ({cell / middle:.2f}× cold)",
                 _target(f"≤ {TARGET_REBUILD_S:g} s", cell <= TARGET_REBUILD_S)))
    picture = median([r.seconds for r in results.cold_picture])
    rows.append((f"cold build, {plan.middle} schools, 图表: 图片 (PNG pictures)",
                 f"{_s(picture)}; native charts / pictures = {middle / picture:.2f}×", ""))
    watch = median(results.watch_latency)
    rows.append((f"watch: one-cell save → report replaced, {plan.middle} schools "
                 f"(median of {len(results.watch_latency)})", f"{_s(watch)} ({watch / cell:.2f}× rebuild command)",
                 _target(f"≤ {TARGET_WATCH_S:g} s", watch <= TARGET_WATCH_S)))
    help_s = median([r.seconds for r in results.help])
    rows.append((f"reportgen --help (median of {len(results.help)})", _s(help_s),
                 _target(f"≤ {TARGET_HELP_S:g} s", help_s <= TARGET_HELP_S)))
    batch = results.batch_all.seconds
    speedup = results.batch_one_by_one / batch
    rows.append((f"batch of {plan.batch_count} × {plan.batch_schools} schools, --jobs 0 "
                 f"({os.cpu_count() or 1} cores)",
                 f"{_s(batch)} vs {_s(results.batch_one_by_one)} one by one: "
                 f"speed-up {speedup:.2f}×, peak {results.batch_memory:.0f} MB",
                 _target(f"≥ {TARGET_BATCH_SPEEDUP:g}×", speedup >= TARGET_BATCH_SPEEDUP)))
    return rows


def _cold_rows(plan: Plan, results: Results, cold: dict[int, float]) -> list[tuple[str, str, str]]:
    """Cold builds per size, against the import floor, the scaling and the largest county's limits."""
    imports = median([r.seconds for r in results.import_floor])
    rows = [(f"import floor: python -c \"{IMPORT_FLOOR}\" (median of {len(results.import_floor)})",
             _s(imports), "")]
    largest = max(plan.sizes)
    for n in plan.sizes:
        memory = results.memory[n]
        figure = f"{_s(cold[n])} ({cold[n] / imports:.2f}× import floor), peak {memory:.0f} MB"
        target = ""
        if n == plan.middle:
            ratio = cold[n] / imports
            target = _target(f"≤ {TARGET_COLD_S:g} s and ≤ {TARGET_IMPORT_RATIO:g}× import floor",
                             cold[n] <= TARGET_COLD_S and ratio <= TARGET_IMPORT_RATIO)
        elif n == largest and n != plan.scale:
            target = _target(f"≤ {TARGET_LARGEST_S:g} s, ≤ {TARGET_LARGEST_MB} MB",
                             cold[n] <= TARGET_LARGEST_S and memory <= TARGET_LARGEST_MB)
        rows.append((f"cold build, {n} schools", figure, target))
    one = median([r.seconds for r in results.cold_one_process])
    rows.append((f"cold build, {plan.middle} schools, --jobs 1 (one process)", _s(one), ""))
    per_school = {n: cold[n] / n * 1000 for n in (plan.middle, plan.scale)}
    ratio = cold[plan.scale] / cold[plan.middle]
    rows.append((f"time per school, {plan.middle} → {plan.scale} schools",
                 f"{per_school[plan.middle]:.1f} → {per_school[plan.scale]:.1f} ms; "
                 f"{plan.scale} / {plan.middle} schools = {ratio:.2f}×",
                 _target(f"≤ {TARGET_SCALE_RATIO:g}×", ratio <= TARGET_SCALE_RATIO)))
    return rows


def _floor_rows(plan: Plan, results: Results, cold: dict[int, float]) -> list[tuple[str, str, str]]:
    """The documents floor per size (the same .docx made by the most direct script)."""
    rows = []
    for n in plan.floored():
        floor = median([f["seconds"] for f in results.floor[n]])
        charts = median([f["charts_seconds"] for f in results.floor[n]])
        ratio = cold[n] / floor
        target = _target(f"≤ {TARGET_FLOOR_RATIO:g}×", ratio <= TARGET_FLOOR_RATIO) if n == plan.middle else ""
        rows.append((f"documents floor, {n} schools (charts {_s(charts)})",
                     f"{_s(floor)}; build / floor = {ratio:.2f}×", target))
    return rows


def _target(text: str, ok: bool) -> str:
    return f"{text}: {_verdict(ok)}"


def markdown(plan: Plan, results: Results, quick: bool) -> str:
    m = results.machine
    lines = [
        f"Measured {m['date']} with `.venv/bin/python bench/run.py{' --quick' if quick else ''}` "
        f"(median of {plan.repeat} run{'s' if plan.repeat > 1 else ''} each).",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory']}; {m['os']}",
        f"- Python {m['python']}; {m['packages']}",
        "",
        "| measure | figure | target |",
        "|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in table(plan, results)]
    return "\n".join(lines) + "\n"


def write_doc(path: Path, section: str) -> None:
    """Replace the measured section between the markers, keeping the text around it."""
    block = f"{START_MARK}\n{section}{END_MARK}"
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Performance\n\n"
    if START_MARK in text and END_MARK in text:
        head, rest = text.split(START_MARK, 1)
        tail = rest.split(END_MARK, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- command line

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmarks of reportgen (issues 7 and 19).")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: proves the runner works")
    parser.add_argument("--doc", type=Path, default=None,
                        help="Markdown file to write the table into (default: docs/performance.md, "
                             "none with --quick)")
    parser.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per timing")
    parser.add_argument("--floor-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--floor-out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.floor_worker:
        print(json.dumps(floor_worker(args.floor_worker, args.floor_out)))
        return 0
    plan = QUICK if args.quick else FULL
    if args.repeat:
        plan = Plan(**{**plan.__dict__, "repeat": args.repeat})
    doc = args.doc if args.doc is not None else (None if args.quick else DOC)
    work = args.work or Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    try:
        results = measure(plan, work, log)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    section = markdown(plan, results, args.quick)
    print(section)
    if doc is not None:
        write_doc(doc, section)
        log(f"written to {doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

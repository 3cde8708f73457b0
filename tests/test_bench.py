"""The benchmark runner works end to end on tiny counties (timings are not checked here)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_quick_runs_end_to_end(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nHand-written notes.\n\n<!-- bench:start -->\nSTALE TABLE\n<!-- bench:end -->\n\nAfter.\n",
                   encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--doc", str(doc),
                           "--work", str(tmp_path / "work")],
                          capture_output=True, text=True, timeout=900)  # a bound on a hang, not a speed target
    assert done.returncode == 0, done.stderr
    for measure in ("cold build, 10 schools", "cold build, 20 schools", "floor, 20 schools",
                    "rebuild after one cell, 20 schools", "reportgen --help", "batch of 2 × 10 schools",
                    "import floor", "× import floor", "time per school, 20 → 40 schools", "watch: one-cell save"):
        assert measure in done.stdout
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Performance\n\nHand-written notes.")
    assert text.rstrip().endswith("After.")
    assert "STALE TABLE" not in text
    assert "| cold build, 20 schools |" in text and "cores" in text
    assert "note:" not in done.stderr  # the floor script made the same documents as the build


def test_rollup_bench_quick_runs_end_to_end(tmp_path: Path) -> None:
    doc = tmp_path / "rollup.md"
    doc.write_text("# 市级汇总\n\nText.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "rollup.py"), "--quick", "--doc", str(doc),
                           "--work", str(tmp_path / "work")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "rollup, 4 counties × 10 schools, --jobs 2" in done.stdout and "speed-up of 2 processes" in done.stdout
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# 市级汇总\n\nText.") and "<!-- rollup-bench:end -->" in text

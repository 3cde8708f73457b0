"""Regeneration: deterministic builds, kept versions, 变更说明, and nothing lost when a build dies."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLE_DOCX
from docx import Document
from typer.testing import CliRunner

from reportgen.publish.build import CHANGE_NOTE, FIGURE_RECORD, HISTORY_DIR, atomic_write, build
from reportgen.cli.app import app
from reportgen.authoring.demo import write_demo
from reportgen.core.errors import OutputError


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("county") / "示例县2025"
    write_demo(folder, 40, seed=11)
    return folder


@pytest.fixture
def workspace(county, tmp_path) -> Path:
    copy = tmp_path / county.name
    shutil.copytree(county, copy)
    return copy


def docx_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.docx"))}


def set_cell(workspace: Path, sheet: str, key_column: str, key: str, column: str, value) -> int:
    """Change one cell in the workbook, as a person would in Excel; returns the Excel row."""
    path = next(workspace.glob("*.xlsx"))
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header = [str(c.value) for c in ws[1]]
    key_col = header.index(key_column) + 1
    col = next(i for i, h in enumerate(header, 1) if h.startswith(column))
    row = next(r for r in range(2, ws.max_row + 1) if str(ws.cell(r, key_col).value) == key)
    ws.cell(row, col).value = value
    book.save(path)
    return row


def test_two_builds_are_byte_identical(workspace, tmp_path):
    build(workspace, ["all"], tmp_path / "a")
    build(workspace, ["all"], tmp_path / "b")
    first, second = docx_files(tmp_path / "a"), docx_files(tmp_path / "b")
    assert len(first) == EXAMPLE_DOCX and "核对清单.docx" in first and first == second
    record_a = (tmp_path / "a" / FIGURE_RECORD).read_bytes()
    assert record_a == (tmp_path / "b" / FIGURE_RECORD).read_bytes()


def test_figure_record_lists_every_report_with_places(workspace, tmp_path):
    build(workspace, ["all"], tmp_path / "out")
    figures = json.loads((tmp_path / "out" / FIGURE_RECORD).read_text(encoding="utf-8"))["figures"]
    assert {f["report"] for f in figures} >= {"整改报告"}
    assert all({"id", "value", "text", "report", "section", "where"} <= f.keys() for f in figures)
    rate = [f for f in figures if f["id"] == "rectification.completion_rate"]
    assert rate and rate[0]["text"].endswith("%")


def test_rebuild_without_changes_says_so_and_keeps_files(workspace, tmp_path):
    out = tmp_path / "out"
    build(workspace, ["all"], out)
    before = docx_files(out)
    result = build(workspace, ["all"], out)
    assert result.changes == {"inputs": [], "figures": [], "verdicts": [], "texts": []}
    assert [p.name for p in result.written] == [CHANGE_NOTE]
    assert len(result.unchanged) == EXAMPLE_DOCX and not result.kept
    assert {k: v for k, v in docx_files(out).items() if k != CHANGE_NOTE} == before
    note = Document(out / CHANGE_NOTE)
    assert any("均无变化" in p.text for p in note.paragraphs)


def test_one_cell_correction_lists_the_cell_and_the_figures_it_moved(workspace, tmp_path):
    out = tmp_path / "out"
    build(workspace, ["all"], out)
    first = docx_files(out)
    school = _junior_school(workspace)
    row = set_cell(workspace, "学校", "学校标识码", school, "体育运动场馆面积", 1.0)
    result = build(workspace, ["all"], out)
    inputs = result.changes["inputs"]
    assert [(c["sheet"], c["row"], c["column"], c["new"]) for c in inputs] == [("学校", row, "体育运动场馆面积", 1)]
    ids = [c["id"] for c in result.changes["figures"]]
    assert ids, "a correction that moves no printed figure is suspicious for this cell"
    assert all("sports_area" in i or _is_verdict(i) for i in ids), ids
    assert not any(".primary." in i for i in ids), "a junior school's cell moved a primary figure"
    for moved in ("sports_area_per_student.cv", "sports_area_per_student.mean", f"school.{school}.sports_area_per_student"):
        assert any(i.endswith(moved) for i in ids), moved
    cv = next(c for c in result.changes["figures"] if c["id"].endswith("sports_area_per_student.cv"))
    assert cv["label"] == "初中生均体育运动场馆面积差异系数"
    assert any(p.startswith("优质均衡发展自评报告·二、资源配置·初中·") and p.endswith("初中资源配置指标校际差异系数")
               for p in cv["places"]), cv["places"]  # the table, by its caption
    # the previous versions are kept, the changed reports replaced
    kept = list((out / HISTORY_DIR).rglob("*.docx"))
    assert kept and all(first[p.name] == p.read_bytes() for p in kept)
    note = Document(out / CHANGE_NOTE)
    text = "\n".join(p.text for p in note.paragraphs) + "\n".join(
        c.text for t in note.tables for r in t.rows for c in r.cells)
    assert f"第{row}行" in text and "体育运动场馆面积" in text


def _is_verdict(fig_id: str) -> bool:
    """Figures that may move with one indicator value: pass counts, the composite coefficient,
    and the 履职 scores of points linked to the balance results (and the totals they feed)."""
    if fig_id.startswith("quality.junior."):
        return fig_id.rsplit(".", 1)[-1] in ("schools_ok", "schools_failing", "composite_cv")
    return fig_id.startswith("duty.") and fig_id.rsplit(".", 1)[-1] in ("score", "lost", "total", "final", "grade")


def _junior_school(workspace: Path) -> str:
    book = openpyxl.load_workbook(next(workspace.glob("*.xlsx")), read_only=True)
    rows = list(book["学校"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    kind = header.index("办学类型")
    return next(str(r[0]) for r in rows[1:] if r[kind] == "初级中学")


def test_killed_build_leaves_previous_reports_intact(workspace, tmp_path):
    out = tmp_path / "out"
    build(workspace, ["all"], out)
    before = docx_files(out)
    set_cell(workspace, "学校", "学校标识码", _junior_school(workspace), "体育运动场馆面积", 2.0)
    cmd = [sys.executable, "-m", "reportgen", "build", str(workspace), "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    staging = out / ".reportgen"
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if any(staging.glob("staging-*/*.docx")):  # first report rendered, others pending
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait()
    if proc.returncode == 0:
        pytest.skip("the build finished before it could be killed")
    assert docx_files(out) == before
    assert not list(out.glob(".*.tmp"))
    build(workspace, ["all"], out)  # the next build cleans the leftover staging folder
    assert not list(staging.glob("staging-*"))


def test_atomic_write_replaces_or_leaves_old(tmp_path):
    target = tmp_path / "x.json"
    atomic_write(target, b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["x.json"]
    (tmp_path / "taken").mkdir()  # a folder where the file should go: the rename must fail
    (tmp_path / "taken" / "inside").write_text("keep")
    with pytest.raises(OutputError, match="无法写入"):
        atomic_write(tmp_path / "taken", b"data")
    assert (tmp_path / "taken" / "inside").read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken", "x.json"]


def test_build_command_reports_bad_input_in_chinese(tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "县.xlsx").write_bytes(b"not a workbook")
    result = CliRunner().invoke(app, ["build", str(tmp_path / "bad")])
    assert result.exit_code == 1
    assert "不是有效的 Excel" in result.output and "Traceback" not in result.output


def test_template_needs_a_single_report(workspace, tmp_path):
    result = CliRunner().invoke(app, ["build", str(workspace), "--template", str(tmp_path / "t.docx")])
    assert result.exit_code == 1 and "--template 只能与单个 --report 一起使用" in result.output


def test_chart_cache_is_reused_and_safe_to_delete(workspace, tmp_path):
    from reportgen.publish.build import cache_dir

    settings = workspace / "reportgen.yaml"  # PNG pictures are cached; native charts need no cache
    settings.write_text(settings.read_text(encoding="utf-8") + "\n图表: 图片\n", encoding="utf-8")
    out = tmp_path / "out"
    build(workspace, ["all"], out)
    charts = sorted(cache_dir(out).rglob("*.png"))
    assert charts, "charts are cached by content hash"
    stamps = {p: p.stat().st_mtime_ns for p in charts}
    build(workspace, ["all"], out)
    assert {p: p.stat().st_mtime_ns for p in charts} == stamps, "unchanged charts are reused, not redrawn"
    reports = docx_files(out)
    shutil.rmtree(cache_dir(out))
    build(workspace, ["all"], out, clear_cache=True)
    assert docx_files(out) == reports, "a deleted cache changes nothing in the reports"


def test_data_warnings_are_shown_by_build(workspace, tmp_path):
    set_cell(workspace, "整改台账", "整改状态", "已完成", "销号日期", None)
    result = build(workspace, ["整改报告"], tmp_path / "out")
    assert any("销号日期" in w and "警告" in w for w in result.warnings)


def test_misspelt_text_section_is_a_warning_not_silently_dropped(workspace, tmp_path):
    set_cell(workspace, "文字材料", "章节", "下一步工作计划", "章节", "下一步计划")
    result = build(workspace, ["all"], tmp_path / "out")
    warning = next(w for w in result.warnings if "下一步计划" in w)
    assert "工作表「文字材料」" in warning and "没有报告使用这个章节名" in warning and "下一步工作计划" in warning
    assert not any("「主要做法」" in w for w in result.warnings)

"""reportgen watch: what counts as an input, when a change triggers a build, Ctrl-C, and the warm
engine's rebuilds (the same reports as a cold build, with the unchanged parts reused)."""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.core.errors import ReportgenError
from reportgen.authoring.demo import write_demo
from reportgen.publish import watch as watch_module
from reportgen.publish.build import BuildResult, build
from reportgen.publish.engine import Engine
from reportgen.core.schema import SHEETS
from reportgen.publish.watch import Watcher


def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "输出" / ".reportgen").mkdir(parents=True)
    (root / "某县.xlsx").write_bytes(b"one")
    (root / "reportgen.yaml").write_text("输出目录: 输出\n", encoding="utf-8")
    return root


def test_snapshot_holds_inputs_but_not_outputs_locks_or_hidden_files(tmp_path):
    root = workspace(tmp_path)
    (root / "输出" / "报告.docx").write_bytes(b"x")
    (root / "~$某县.xlsx").write_bytes(b"lock")
    (root / ".hidden").write_bytes(b"h")
    assert sorted(Watcher(root).snapshot()) == ["reportgen.yaml", "某县.xlsx"]


def test_a_saved_workbook_is_a_change_and_an_unchanged_one_is_not(tmp_path):
    root = workspace(tmp_path)
    watcher = Watcher(root, interval=0.001)
    watcher._seen = watcher.snapshot()
    assert not watcher.changed()
    (root / "输出" / "报告.docx").write_bytes(b"written by a build")
    assert not watcher.changed()
    book = root / "某县.xlsx"
    book.write_bytes(b"two!")
    os.utime(book, ns=(book.stat().st_mtime_ns + 10**9,) * 2)
    assert watcher.changed()


def test_run_builds_once_then_after_each_change(tmp_path, monkeypatch):
    root = workspace(tmp_path)
    builds = []
    result = BuildResult(root / "输出")

    def fake_build(ws, reports, out_dir, jobs, **warm):
        builds.append((ws, reports, jobs))
        if len(builds) == 1:  # the user saves the workbook after the first build
            (root / "某县.xlsx").write_bytes(b"saved again")
        return result

    monkeypatch.setattr("reportgen.publish.build.build", fake_build)
    events = []
    polls = iter(range(20))
    Watcher(root, ["all"], interval=0.001).run(events.append, stop=lambda: next(polls) >= 10)
    assert [e.result for e in events] == [result, result]
    assert builds[0] == (root, ["all"], 1)


def test_a_build_that_read_a_workbook_still_being_written_is_not_reported(tmp_path, monkeypatch):
    root = workspace(tmp_path)
    book = root / "某县.xlsx"
    outcomes = iter(["saved", "half-written", "saved"])

    def fake_build(self, reports=None):
        outcome = next(outcomes)
        if outcome == "half-written":  # the save goes on while the build reads
            book.write_bytes(b"the rest of the save")
            os.utime(book, ns=(book.stat().st_mtime_ns + 10**9,) * 2)
            raise ReportgenError("某县.xlsx：不是有效的 Excel 工作簿(.xlsx)，无法打开（BadZipFile）")
        return outcome

    monkeypatch.setattr(Engine, "build", fake_build)
    watcher = Watcher(root, interval=0.001)
    events = []
    polls = iter(range(40))

    def stop():
        count = next(polls)
        if count == 2:  # the user saves
            book.write_bytes(b"half")
        return len(events) >= 2 or count >= 30

    watcher.run(events.append, stop)
    assert [(e.result, e.error) for e in events] == [("saved", None), ("saved", None)]


def test_a_failed_build_is_reported_once_the_inputs_stay_unchanged(tmp_path, monkeypatch):
    root = workspace(tmp_path)
    failure = ReportgenError("缺少必需的工作表「学校」")
    outcomes = iter(["saved", failure])

    def fake_build(self, reports=None):
        outcome = next(outcomes)
        if isinstance(outcome, ReportgenError):
            raise outcome
        return outcome

    monkeypatch.setattr(Engine, "build", fake_build)
    events = []
    polls = iter(range(100))

    def stop():
        count = next(polls)
        if count == 2:  # a save that really is wrong
            (root / "某县.xlsx").write_bytes(b"no school sheet")
        return len(events) >= 2 or count >= 95

    Watcher(root, interval=0.001).run(events.append, stop)
    assert [e.error for e in events] == [None, failure]


def test_ctrl_c_ends_watch_with_a_chinese_line(tmp_path, monkeypatch):
    def interrupted(self, on_event, stop=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(watch_module.Watcher, "run", interrupted)
    result = CliRunner().invoke(app, ["watch", str(workspace(tmp_path))])
    assert result.exit_code == 0
    assert "已停止监视" in result.output and "Traceback" not in result.output


EDITED = "体育运动场馆面积"


def edit_one_school(book_path: Path, area: float) -> None:
    """Set the first school's 体育运动场馆面积, saved with openpyxl as a person's save would be."""
    book = openpyxl.load_workbook(book_path)
    header = [str(c.value or "") for c in book["学校"][1]]
    column = next(i for i, text in enumerate(header, 1) if text.startswith(EDITED))
    book["学校"].cell(row=2, column=column).value = area
    book.save(book_path)


@pytest.fixture(scope="module")
def warm_rebuild(tmp_path_factory):
    """A county watched by one engine: a first build, a one-cell correction, the warm rebuild;
    then a cold build of the corrected workbook into another folder."""
    root = tmp_path_factory.mktemp("warm") / "示例县"
    write_demo(root, 12, seed=7)
    book = next(root.glob("*.xlsx"))
    openpyxl.load_workbook(book).save(book)  # stored as Excel stores it, as after a person's first save
    engine = Engine(root, root / "warm")
    engine.build()
    first = engine.reused()
    edit_one_school(book, 4321.5)
    result = engine.build()
    cold = build(root, None, root / "cold", jobs=1)
    return engine, first, result, cold


def test_a_warm_rebuild_after_a_one_cell_edit_gives_the_cold_build_s_reports(warm_rebuild):
    engine, _, result, cold = warm_rebuild
    assert [p.name for p in result.written if p.name != "变更说明.docx"], "the correction changes a report"
    reports = sorted(p.name for p in cold.out_dir.glob("*.docx") if p.name != "变更说明.docx")
    assert len(reports) >= 4
    for name in reports:
        assert (engine.out_dir / name).read_bytes() == (cold.out_dir / name).read_bytes(), name
    assert recorded(engine.out_dir, "inputs") == recorded(cold.out_dir, "inputs")
    assert recorded(engine.out_dir, "figures") == recorded(cold.out_dir, "figures")
    changed = next(p for p in result.written if "优质均衡" in p.name)
    before = next(p for p in result.kept if p.name == changed.name)   # the first build's, in 历史版本
    assert body(changed) != body(before)


def recorded(out: Path, what: str):
    """What the build recorded in its state.json (the input cells, the figures)."""
    return json.loads((out / ".reportgen" / "state.json").read_text(encoding="utf-8"))[what]


def body(report: Path) -> bytes:
    with zipfile.ZipFile(report) as package:
        return package.read("word/document.xml")


def test_the_warm_rebuild_retypes_only_the_edited_sheet_and_reuses_rendered_rows(warm_rebuild):
    engine, first, _, _ = warm_rebuild
    assert first.get("typed reused", 0) == 0 and first["row"] > 0   # the first build makes everything
    counts = engine.reused()
    assert counts["typed"] == 1 and counts["typed reused"] >= 5      # only 学校 was typed again
    assert counts["row reused"] > counts.get("row", 0) > 0           # the edited school's rows were rendered
    keyed = [s for s in SHEETS if s.key]
    assert counts["inputs reused"] == len(keyed) - 2                 # all but 学校's and 班级's (named by school)
    assert counts["preschool reused"] == 1                           # the 学前 block reads no 学校 cell
    assert engine.builds == 2


def test_the_watcher_builds_with_one_engine(tmp_path, monkeypatch):
    root = workspace(tmp_path)
    watcher = Watcher(root, interval=0.001)
    engines = []
    monkeypatch.setattr(Engine, "build", lambda self, reports=None: engines.append(self) or "result")
    watcher.rebuild()
    watcher.rebuild()
    assert engines == [watcher.engine, watcher.engine]

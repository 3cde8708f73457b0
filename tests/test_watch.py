"""reportgen watch: what counts as an input, when a change triggers a build, and Ctrl-C."""
from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.publish import watch as watch_module
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

    def fake_build(ws, reports, out_dir, jobs):
        builds.append((ws, reports, jobs))
        if len(builds) == 1:  # the user saves the workbook after the first build
            (root / "某县.xlsx").write_bytes(b"saved again")
        return "result"

    monkeypatch.setattr("reportgen.publish.build.build", fake_build)
    events = []
    polls = iter(range(20))
    Watcher(root, ["all"], interval=0.001).run(events.append, stop=lambda: next(polls) >= 10)
    assert [e.result for e in events] == ["result", "result"]
    assert builds[0] == (root, ["all"], 1)


def test_ctrl_c_ends_watch_with_a_chinese_line(tmp_path, monkeypatch):
    def interrupted(self, on_event, stop=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(watch_module.Watcher, "run", interrupted)
    result = CliRunner().invoke(app, ["watch", str(workspace(tmp_path))])
    assert result.exit_code == 0
    assert "已停止监视" in result.output and "Traceback" not in result.output

"""整改台账 analysis and ``reportgen rectify status`` against a hand-counted ledger."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import minimal_sheets, write_book
from reportgen.analysis.rectification import (
    ledger_snapshot, newly_completed, rectification_summary, responsible_units, snapshot_changes,
)
from reportgen.cli.app import app
from reportgen.core.workspace import Workspace

D = dt.date
LEDGER_ROWS = [
    # 序号, 类别, 责任单位, 完成时限, 状态, 销号日期
    (1, "班额", "县教育局", D(2025, 6, 30), "已完成", D(2025, 6, 20)),
    (2, "班额", "县教育局", D(2025, 9, 30), "整改中", None),      # due on the as-of day: not overdue
    (3, "经费投入", "县财政局", D(2025, 9, 29), "整改中", None),   # one day late
    (4, "经费投入", "县财政局、县教育局", D(2025, 8, 31), "未启动", None),  # late and never started
    (5, "资源配置", "县教育局", D(2025, 10, 30), "未启动", None),  # due in 30 days
    (6, "资源配置", "县住建局", D(2025, 12, 31), "整改中", None),  # due later than the window
    (7, "教师队伍", "县人社局", D(2025, 3, 31), "长期坚持", None),  # never overdue
    (8, "教师队伍", "县教育局", D(2025, 5, 31), "已完成", D(2025, 5, 28)),
    (9, "学校管理", "县教育局", D(2025, 7, 31), "已完成", None),   # done without 销号日期
    (10, "学校管理", "县教育局", D(2025, 9, 1), "已完成", D(2025, 8, 15)),
]
AS_OF = D(2025, 9, 30)


def ledger_frame(rows=LEDGER_ROWS) -> pd.DataFrame:
    records = [{"序号": float(no), "问题类别": cat, "反馈问题": f"问题{no}", "整改措施": "措施一\n措施二",
                "责任单位": unit, "完成时限": deadline, "整改状态": state, "销号日期": closed, "_row": no + 1}
               for no, cat, unit, deadline, state, closed in rows]
    return Workspace.from_tables(tables={"整改台账": pd.DataFrame(records)}).ledger


def test_counts_and_completion_rate():
    s = rectification_summary(ledger_frame(), AS_OF)
    assert (s["total"], s["done"], s["in_progress"], s["not_started"], s["long_term"]) == (10, 4, 3, 2, 1)
    assert s["completion_rate"] == pytest.approx(0.4)


def test_overdue_excludes_due_today_done_and_long_term():
    s = rectification_summary(ledger_frame(), AS_OF)
    assert [(i["no"], i["days_late"]) for i in s["overdue"]] == [(3, 1), (4, 30)]


def test_due_within_window_includes_today():
    s = rectification_summary(ledger_frame(), AS_OF, within_days=30)
    assert [(i["no"], i["days_left"]) for i in s["due_soon"]] == [(2, 0), (5, 30)]
    assert [i["no"] for i in rectification_summary(ledger_frame(), AS_OF, within_days=29)["due_soon"]] == [2]


def test_boundary_moves_with_as_of():
    s = rectification_summary(ledger_frame(), D(2025, 10, 1))
    assert [i["no"] for i in s["overdue"]] == [2, 3, 4]


def test_inconsistent_rows_are_flagged_with_their_excel_row():
    s = rectification_summary(ledger_frame(), AS_OF)
    assert [(i["no"], i["row"]) for i in s["inconsistent"]] == [(4, 5), (9, 10)]
    assert "未启动" in s["inconsistent"][0]["reason"] and "销号日期" in s["inconsistent"][1]["reason"]


def test_units_are_split_and_grouped():
    assert responsible_units("县财政局、县教育局") == ["县财政局", "县教育局"]
    s = rectification_summary(ledger_frame(), AS_OF)
    units = {u["unit"]: u for u in s["by_unit"]}
    assert units["县教育局"]["total"] == 7 and units["县教育局"]["overdue"] == 1
    assert units["县财政局"]["total"] == 2 and units["县财政局"]["overdue"] == 2


def test_empty_ledger_has_no_rate_not_zero():
    s = rectification_summary(ledger_frame([]), AS_OF)
    assert s["total"] == 0 and s["completion_rate"] is None and s["completion_rate_reason"]


def test_closed_by_month_is_cumulative():
    s = rectification_summary(ledger_frame(), AS_OF)
    assert s["closed_by_month"] == [{"month": "2025-05", "closed": 1, "cumulative": 1},
                                    {"month": "2025-06", "closed": 1, "cumulative": 2},
                                    {"month": "2025-08", "closed": 1, "cumulative": 3}]


def test_snapshot_changes_and_newly_completed():
    before = ledger_snapshot(ledger_frame())
    rows = list(LEDGER_ROWS)
    rows[1] = (2, "班额", "县教育局", D(2025, 9, 30), "已完成", D(2025, 9, 28))
    after_frame = ledger_frame(rows[:-1])
    changes = snapshot_changes(before, ledger_snapshot(after_frame))
    assert changes[0] == {"no": 10, "kind": "删除", "fields": {}}
    assert changes[1]["no"] == 2 and changes[1]["fields"]["整改状态"] == ["整改中", "已完成"]
    assert newly_completed(before, after_frame) == [2]


def _ledger_sheet() -> list[list]:
    header = ["序号", "问题类别", "反馈问题", "整改措施", "责任单位", "完成时限", "整改状态", "销号日期"]
    return [header] + [[no, cat, f"问题{no}", "措施", unit, deadline, state, closed]
                       for no, cat, unit, deadline, state, closed in LEDGER_ROWS]


def test_status_command_prints_table_and_fails_on_overdue(tmp_path):
    sheets = minimal_sheets()
    sheets["整改台账"] = _ledger_sheet()
    write_book(tmp_path / "ws" / "县.xlsx", sheets)
    runner = CliRunner()
    result = runner.invoke(app, ["rectify", "status", str(tmp_path / "ws"), "--as-of", "2025-09-30"])
    assert result.exit_code == 0, result.output
    assert "问题总数10项：已完成4项，整改中3项，未启动2项，长期坚持1项；整改完成率40.00%" in result.output
    assert "逾期未完成（2项）" in result.output and "30天内到期（2项）" in result.output
    assert "第10行（序号9）：状态为已完成，但没有销号日期" in result.output
    failing = runner.invoke(app, ["rectify", "status", str(tmp_path / "ws"), "--as-of", "2025-09-30", "--fail-on-overdue"])
    assert failing.exit_code == 3
    clean = runner.invoke(app, ["rectify", "status", str(tmp_path / "ws"), "--as-of", "2025-01-01", "--fail-on-overdue"])
    assert clean.exit_code == 0 and "逾期未完成（0项）：无" in clean.output


def test_status_command_rejects_bad_date(tmp_path, minimal_workspace):
    result = CliRunner().invoke(app, ["rectify", "status", str(minimal_workspace), "--as-of", "明天"])
    assert result.exit_code == 2 and "--as-of 应为日期" in result.output


def test_ledger_items_carry_days_late_and_categories_every_state():
    s = rectification_summary(ledger_frame(), AS_OF)
    late = {i["no"]: i["days_late"] for i in s["items"]}
    assert late == {1: 0, 2: 0, 3: 1, 4: 30, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0}  # 8-31 → 9-30: 30 days
    by_category = {c["category"]: (c["total"], c["done"], c["in_progress"], c["not_started"], c["long_term"])
                   for c in s["categories"]}
    assert by_category == {"班额": (2, 1, 1, 0, 0), "经费投入": (2, 0, 1, 1, 0), "资源配置": (2, 0, 1, 1, 0),
                           "教师队伍": (2, 1, 0, 0, 1), "学校管理": (2, 2, 0, 0, 0)}
    assert s["states"] == ["已完成", "整改中", "未启动", "长期坚持"]
    assert s["closed_dates"] == ["2025-05-28", "2025-06-20", "2025-08-15"]  # item 9 has no 销号日期


def test_newly_completed_only_with_a_previous_ledger():
    assert rectification_summary(ledger_frame(), AS_OF)["newly_completed"] is None
    before = ledger_snapshot(ledger_frame())
    before[0]["整改状态"] = "整改中"          # item 1 was still open last time
    s = rectification_summary(ledger_frame(), AS_OF, previous=before)
    assert s["newly_completed"] == [1]

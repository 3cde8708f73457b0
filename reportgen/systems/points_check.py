"""The 测评点 sheet checked against the chosen 履职 scheme: missing, extra and renumbered points,
分值 that differ from the scheme, and 人工 points scored without a reason (all located warnings)."""
from __future__ import annotations

import math

from reportgen.core.errors import InputIssue
from reportgen.systems.indicators import BONUS_LEVEL1, DutySystem

SHEET = "测评点"
WARNING = "警告"


def check_points_sheet(ws, system: DutySystem) -> list[InputIssue]:
    """Every difference between the workbook's 测评点 sheet and ``system`` (nothing when the sheet is empty)."""
    frame = ws.points
    if frame.empty:
        return []
    file, sheet = ws.origin.get(SHEET, ("", SHEET))
    rows = [r for r in frame.to_dict("records") if r.get("一级指标") != BONUS_LEVEL1]
    bonus = {b.id for b in system.bonus}
    rows = [r for r in rows if _id(r.get("编号")) not in bonus]
    by_id = {p.id: p for p in system.points}
    by_text = {_text(p.text): p for p in system.points}
    seen: set[str] = set()
    out: list[InputIssue] = []

    def issue(row, column, value, expected):
        out.append(InputIssue(file, sheet, None if row is None else int(row), column, value, expected, WARNING))

    for r in rows:
        point_id, row = _id(r.get("编号")), r.get("_row")
        point = by_id.get(point_id)
        moved = by_text.get(_text(r.get("测评点")))
        if point is None and moved is not None:
            issue(row, "编号", point_id, f"该测评点在所选体系「{system.name}」中的编号为「{moved.id}」（编号变动），应改为「{moved.id}」")
            seen.add(moved.id)
            continue
        if point is None:
            issue(row, "编号", point_id, f"不是所选体系「{system.name}」的测评点（多出的测评点）；"
                                        "请用 reportgen init 按所选体系重新生成「测评点」工作表，或删除此行")
            continue
        seen.add(point.id)
        if moved is not None and moved.id != point.id:
            issue(row, "测评点", r.get("测评点"), f"该内容在所选体系中是测评点「{moved.id}」，而编号「{point_id}」是"
                                              f"「{point.text}」（编号变动）")
        sheet_max = r.get("分值")
        if isinstance(sheet_max, (int, float)) and not math.isclose(float(sheet_max), point.max_score):
            issue(row, "分值", sheet_max, f"所选体系中测评点{point.id}的分值为{point.max_score:g}分，计分按体系")
        if point.rule is None and r.get("自评得分") is not None and not _filled(r.get("得失分说明")) \
                and _below(r.get("自评得分"), point.max_score):
            issue(row, "得失分说明", None, f"测评点{point.id}由人工评分且未得满分，应写明得失分说明（扣分原因）")
    for point in system.points:
        if point.id not in seen:
            issue(None, "编号", point.id, f"缺少所选体系「{system.name}」的测评点{point.id}（{point.text}），按未填报处理")
    if rows and len(seen) * 2 < len(rows):
        out.insert(0, InputIssue(file, sheet, None, None, None,
                                 f"工作表中{len(rows)}个测评点只有{len(seen)}个属于所选体系「{system.name}」，"
                                 "可能是按其他指标体系填写的；请核对 reportgen.yaml 的「指标体系 › 履职评价」，"
                                 "或用 reportgen init 按所选体系重新生成「测评点」工作表", WARNING))
    return out


def _id(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _text(value: object) -> str:
    return "".join(str(value or "").split())


def _filled(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _below(score: object, max_score: float) -> bool:
    return isinstance(score, (int, float)) and not math.isnan(score) and score < max_score

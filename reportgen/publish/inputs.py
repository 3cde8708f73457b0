"""The input cells a build used, keyed by row identity, and the differences between two builds.

Rows are identified by what a person would name them by (学校标识码, 序号, 年度+学段…), so
inserting a row in Excel does not make every later row look changed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from reportgen.core.values import plain
from reportgen.core.workspace import Workspace

if TYPE_CHECKING:
    from reportgen.loading.memo import SheetMemo

ROW_KEYS: dict[str, tuple[str, ...]] = {
    "学校": ("学校标识码",),
    "班级": ("学校标识码", "年级", "班级"),
    "经费": ("年度", "学段"),
    "县级指标": ("指标",),
    "整改台账": ("序号",),
    "测评点": ("编号",),
    "文字材料": ("章节", "_n"),
}


def input_cells(ws: Workspace, memo: "SheetMemo | None" = None) -> dict[str, dict[str, dict]]:
    """sheet → row key → {column: value, "_row": Excel row}; 基本信息 as one row per key.
    With ``memo`` (a warm process), an unchanged sheet's cells are those of the last build."""
    cells = {"基本信息": {str(k): {"内容": plain(v)} for k, v in ws.info.items()}}
    for sheet, keys in ROW_KEYS.items():
        def make(frame: pd.DataFrame = ws.tables[sheet], keys: tuple[str, ...] = keys) -> dict[str, dict]:
            return _rows(frame, keys)
        cells[sheet] = make() if memo is None else memo.derived((sheet,), f"inputs:{sheet}", make)
    return cells


def _rows(frame: pd.DataFrame, keys: tuple[str, ...]) -> dict[str, dict]:
    if "_n" in keys:  # paragraphs: numbered within their section
        frame = frame.assign(_n=frame.groupby("章节").cumcount() + 1)
    records = frame.to_dict("records")
    out = {}
    for record in records:
        key = "|".join(str(plain(record[k])) for k in keys)
        out[key] = {c: plain(v) for c, v in record.items() if c != "_n"}
    return out


def input_changes(old: dict, new: dict) -> list[dict]:
    """Every changed cell: sheet, row key, Excel row, column, old and new value."""
    changes = []
    for sheet in new.keys() | old.keys():
        before, after = old.get(sheet, {}), new.get(sheet, {})
        for key in sorted(before.keys() | after.keys()):
            changes += _row_changes(sheet, key, before.get(key), after.get(key))
    return sorted(changes, key=lambda c: (c["sheet"], c["row"] or 0, c["column"]))


def _row_changes(sheet: str, key: str, before: dict | None, after: dict | None) -> list[dict]:
    row = (after or before or {}).get("_row")
    if before is None or after is None:
        kind = "新增行" if before is None else "删除行"
        return [{"sheet": sheet, "key": key, "row": row, "column": kind, "old": None, "new": None}]
    return [{"sheet": sheet, "key": key, "row": row, "column": c, "old": before.get(c), "new": after.get(c)}
            for c in after if c != "_row" and before.get(c) != after.get(c)]

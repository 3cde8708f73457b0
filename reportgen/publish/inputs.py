"""The input cells a build used, keyed by row identity, and the differences between two builds.

Rows are identified by what a person would name them by (学校标识码, 序号, 年度+学段…; the
``key`` of each sheet in ``reportgen.core.schema``), so inserting a row in Excel does not make
every later row look changed; each row also keeps the name a reader knows it by (``_name``:
the school's name, the 指标, the 年度·学段…) for the 变更说明.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from reportgen.core.schema import GRADE_NAMES, SHEETS, Sheet
from reportgen.core.values import plain
from reportgen.core.workspace import Workspace

if TYPE_CHECKING:
    from reportgen.loading.memo import SheetMemo

ROW, NAME, NUMBER = "_row", "_name", "_n"
# How a row is named when its key alone does not read well; other rows are named by their
# sheet's ``title`` column and key («某县第一小学，3301…») or by the key («教师平均工资收入»).
ROW_NAMES = {
    "班级": "{_school}，{_grade}{班级}",
    "经费": "{年度}年·{学段}",
    "整改台账": "序号{序号}",
    "测评点": "测评点{编号}",
    "文字材料": "{章节}第{_n}段",
}
_SCHOOL_SHEETS = ("学校", "幼儿园")  # where a 班级 row's 学校标识码 is named


def input_cells(ws: Workspace, memo: "SheetMemo | None" = None) -> dict[str, dict[str, dict]]:
    """sheet → row key → {column: value, "_row": Excel row, "_name": the row's name};
    基本信息 as one row per key. With ``memo`` (a warm process), the cells of a sheet whose
    inputs are unchanged (for 班级 also the schools naming its rows) are those of the last build."""
    cells = {"基本信息": {str(k): {"内容": plain(v), NAME: str(k)} for k, v in ws.info.items()}}
    keyed = [s for s in SHEETS if s.key and ws.tables.get(s.name) is not None]
    named = tuple(s.name for s in keyed if s.name in _SCHOOL_SHEETS)

    def schools() -> dict[str, str]:
        return {i: n for s in keyed if s.name in _SCHOOL_SHEETS for i, n in _titles(ws.tables[s.name], s).items()}

    for sheet in keyed:
        def make(sheet: Sheet = sheet) -> dict[str, dict]:
            return _rows(ws.tables[sheet.name], sheet, schools() if sheet.name == "班级" else {})
        needs = (sheet.name, *named) if sheet.name == "班级" else (sheet.name,)
        cells[sheet.name] = make() if memo is None else memo.derived(needs, f"inputs:{sheet.name}", make)
    return cells


def _titles(frame: pd.DataFrame, sheet: Sheet) -> dict[str, str]:
    return {str(plain(i)): str(plain(n)) for i, n in zip(frame[sheet.key[0]], frame[sheet.title])}


def _rows(frame: pd.DataFrame, sheet: Sheet, schools: dict[str, str]) -> dict[str, dict]:
    keys = sheet.key + ((NUMBER,) if sheet.numbered else ())
    if sheet.numbered:  # paragraphs: numbered within their section
        frame = frame.assign(**{NUMBER: frame.groupby(sheet.key[0]).cumcount() + 1})
    out = {}
    columns = [str(c) for c in frame.columns]
    for cells in zip(*(_plain_column(frame[c]) for c in frame.columns)):
        values = dict(zip(columns, cells))
        key = "|".join(str(values[k]) for k in keys)
        row = {c: v for c, v in values.items() if c != NUMBER}
        out[key] = {**row, NAME: row_name(sheet, values, schools)}
    return out


def _plain_column(column: pd.Series) -> list:
    """``plain`` of every value of ``column``; a float column converted in one pass (a county's
    班级 sheet has ~10⁵ rows)."""
    if column.dtype.kind == "f":
        return [None if v != v else (int(v) if v.is_integer() else v) for v in column.tolist()]
    if column.dtype.kind in "iub":
        return column.tolist()
    return [plain(v) for v in column.tolist()]


def row_name(sheet: Sheet, values: dict, schools: dict[str, str]) -> str:
    """The name a reader knows a row by: 「某县第一小学，2134260001」, 「2024年·小学」, 「序号3」…"""
    pattern = ROW_NAMES.get(sheet.name)
    if pattern:
        school, grade = str(values.get("学校标识码")), values.get("年级")
        extra = {"_school": schools.get(school, school),
                 "_grade": GRADE_NAMES.get(grade, grade) if isinstance(grade, int) else grade}
        return pattern.format(**{str(k): "" if v is None else v for k, v in {**values, **extra}.items()})
    key = "·".join(str(values.get(k)) for k in sheet.key)
    title = values.get(sheet.title) if sheet.title else None
    return f"{title}，{key}" if title else key


def input_changes(old: dict, new: dict) -> list[dict]:
    """Every changed cell: sheet, row key, row name, Excel row, column, old and new value."""
    changes = []
    for sheet in new.keys() | old.keys():
        before, after = old.get(sheet, {}), new.get(sheet, {})
        for key in sorted(before.keys() | after.keys()):
            changes += _row_changes(sheet, key, before.get(key), after.get(key))
    return sorted(changes, key=lambda c: (c["sheet"], c["row"] or 0, c["column"]))


def _row_changes(sheet: str, key: str, before: dict | None, after: dict | None) -> list[dict]:
    either = after or before or {}
    where = {"sheet": sheet, "key": key, "name": either.get(NAME) or key.replace("|", "·"), "row": either.get(ROW)}
    if before is None or after is None:
        return [{**where, "column": "新增行" if before is None else "删除行", "old": None, "new": None}]
    return [{**where, "column": c, "old": before.get(c), "new": after.get(c)}
            for c in after if c not in (ROW, NAME) and before.get(c) != after.get(c)]

"""Turning a raw sheet into a typed DataFrame with canonical columns, collecting every problem."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from reportgen.core.errors import InputIssue
from reportgen.core.schema import BASIC_INFO_KEYS, Column, Sheet
from reportgen.core.values import plain
from reportgen.loading import cells
from reportgen.loading.headers import HeaderMatch, UnitProblem, lookup_table, match_header, normalize, unit_factor
from reportgen.loading.cells import ERROR_HINT
from reportgen.loading.marks import mark_issues
from reportgen.loading.readers import RawSheet

ROW = "_row"
# Columns where a cell formatted as a percentage is read as shown (0.981 shown as 98.1% → 98.1).
_PERCENT_AS_SHOWN = {("县级指标", "值")}
_HEADER_SCAN = 10  # a title line or two may stand above the header row

_PARSERS: dict[str, Callable[[object], object]] = {
    "int": cells.parse_count,
    "number": cells.parse_amount,
    "money": cells.parse_amount,
    "date": cells.parse_date,
    "year": cells.parse_year,
    "grade": cells.parse_grade,
}
_NUMERIC = {"int", "number", "money", "year", "grade"}


@dataclass
class Located:
    """Issue factory for one raw sheet."""

    raw: RawSheet

    def issue(self, row: int | None, column: str | None, value: object, expected: str,
              severity: str = "错误") -> InputIssue:
        return InputIssue(self.raw.file, self.raw.sheet, row, column, value, expected, severity)


def complete_table(sheet: Sheet, frame: pd.DataFrame | None) -> pd.DataFrame:
    """Every declared column present (all-missing where absent) plus ``_row``; for in-memory use."""
    frame = pd.DataFrame() if frame is None else frame.copy()
    for col in sheet.columns:
        if col.name not in frame.columns:
            frame[col.name] = pd.Series([None] * len(frame), dtype=_dtype(col), index=frame.index)
        elif col.kind not in _NUMERIC:
            frame[col.name] = _objects(frame[col.name])
    if ROW not in frame.columns:
        frame[ROW] = range(2, len(frame) + 2)
    if "办学性质" in frame.columns:
        frame["办学性质"] = frame["办学性质"].where(frame["办学性质"].notna(), "公办")
    declared = [c.name for c in sheet.columns] + [ROW]
    return frame[declared + [c for c in frame.columns if c not in declared]]


def _objects(series: pd.Series) -> pd.Series:
    """Text, dates and choices as Python objects with ``None`` for empty (pandas 3 would use NaN)."""
    values = series.astype(object)
    return values.where(values.notna(), None)


def _dtype(col: Column) -> str:
    return "float64" if col.kind in _NUMERIC else "object"


def find_header(raw: RawSheet, sheet: Sheet) -> int | None:
    """Index into raw.rows of the row naming the most declared columns."""
    table = lookup_table(sheet)
    best, best_hits = None, 0
    for index, (_, values) in enumerate(raw.rows[:_HEADER_SCAN]):
        hits = sum(match_header(v, table)[0] is not None for v in values if v is not None)
        if hits > best_hits:
            best, best_hits = index, hits
    return best


def table_from_raw(sheet: Sheet, raw: RawSheet, issues: list[InputIssue]) -> pd.DataFrame:
    loc = Located(raw)
    header_index = find_header(raw, sheet)
    if header_index is None:
        issues.append(loc.issue(None, None, None, f"找不到表头行，应有列：{_required_names(sheet)}"))
        return complete_table(sheet, None)
    header_row, header = raw.rows[header_index]
    matches, extras = _match_columns(sheet, header, header_row, loc, issues)
    body = raw.rows[header_index + 1:]
    names = {m.position: m.column.header for m in matches} | dict(extras)
    issues += mark_issues(raw, header_row, names)
    percent = set(raw.marks.percent)
    covered = _merge_covered(raw)
    data = {m.column.name: _parse_column(m, body, loc, issues, percent, covered,
                                         (sheet.name, m.column.name) in _PERCENT_AS_SHOWN) for m in matches}
    for position, name in extras:
        data[name] = [_cell(values, position) for _, values in body]
        issues += [loc.issue(number, name, values[position], f"是 Excel 错误值（{ERROR_HINT}）；此列不参与计算", "警告")
                   for number, values in body if cells.is_error_value(_cell(values, position))]
    frame = pd.DataFrame(data, index=range(len(body)))
    frame[ROW] = [number for number, _ in body]
    return complete_table(sheet, frame)


def _match_columns(sheet: Sheet, header: tuple, header_row: int, loc: Located,
                   issues: list[InputIssue]) -> tuple[list[HeaderMatch], list[tuple[int, str]]]:
    table = lookup_table(sheet)
    matches: dict[str, HeaderMatch] = {}
    extras = []
    for position, text in enumerate(header):
        if cells.is_blank(text):
            continue
        column, unit = match_header(text, table)
        if column is None:
            extras.append((position, normalize(text)))
        elif column.name in matches:
            issues.append(loc.issue(header_row, str(text), text, f"与第{matches[column.name].position + 1}列重复，每列只能出现一次"))
        else:
            factor = _factor(column, unit, header_row, text, loc, issues)
            matches[column.name] = HeaderMatch(column, position, factor)
    _report_missing(sheet, matches, header, header_row, loc, issues)
    return list(matches.values()), extras


def _factor(column: Column, unit: str | None, row: int, text: object, loc: Located,
            issues: list[InputIssue]) -> float:
    try:
        return unit_factor(column, unit)
    except UnitProblem as problem:
        issues.append(loc.issue(row, column.name, text, str(problem)))
        return 1.0


def _report_missing(sheet: Sheet, matches: dict, header: tuple, row: int, loc: Located,
                    issues: list[InputIssue]) -> None:
    gaps = any(cells.is_blank(v) for v in header[: max((m.position for m in matches.values()), default=0)])
    hint = "；表头似有合并单元格或多行表头，请改为一行表头、每列一个名称" if gaps else ""
    for col in sheet.columns:
        if col.required and col.name not in matches:
            issues.append(loc.issue(row, col.name, None, f"缺少必填列「{col.header}」{hint}"))


def _cell(values: tuple, position: int) -> object:
    return values[position] if position < len(values) else None


def _merge_covered(raw: RawSheet) -> set[tuple[int, int]]:
    """Cells under a merged range other than its first: the merge is reported, not each of them."""
    return {(r, c) for r1, c1, r2, c2 in raw.marks.merged
            for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}


def _parse_column(match: HeaderMatch, body: list, loc: Located, issues: list[InputIssue],
                  percent: set[tuple[int, int]] = frozenset(), covered: set[tuple[int, int]] = frozenset(),
                  as_shown: bool = False) -> list:
    col = match.column
    parse = _parser(col)
    out = []
    for number, values in body:
        value = _cell(values, match.position)
        try:
            cells.check_cell(value, col.kind)
            parsed = parse(value)
            if parsed is not None and (number, match.position) in percent and col.kind in _NUMERIC:
                parsed = _percent_cell(parsed, number, col, loc, issues, as_shown)
        except cells.CellProblem as problem:
            issues.append(loc.issue(number, col.header, value, str(problem)))
            out.append(None)
            continue
        if parsed is None and col.required and (number, match.position) not in covered:
            issues.append(loc.issue(number, col.header, None, "必填项不能为空"))
        if parsed is not None and match.factor != 1.0:
            parsed = parsed * match.factor
        out.append(parsed)
    if col.kind in _NUMERIC:
        return [float("nan") if v is None else float(v) for v in out]
    return out


def _percent_cell(value: float, row: int, col: Column, loc: Located, issues: list[InputIssue],
                  as_shown: bool) -> float:
    """A cell formatted as a percentage stores 0.981 for 98.1%: where a percentage may stand,
    read what the person sees; elsewhere keep the stored value and say so."""
    shown = round(value * 100, 10)
    value = plain(value)
    if as_shown:
        issues.append(loc.issue(row, col.header, value, f"单元格为百分比格式（显示为{shown:g}%），按{shown:g}读取，单位应为%", "警告"))
        return shown
    issues.append(loc.issue(row, col.header, value, f"单元格为百分比格式（显示为{shown:g}%），此列不是百分比，按存储的数值{value:g}读取；"
                            "请把单元格格式改为“常规”或“数值”并核对", "警告"))
    return value


def _parser(col: Column) -> Callable[[object], object]:
    if col.kind == "enum":
        return lambda value: cells.parse_choice(value, col.choices)
    return _PARSERS.get(col.kind, cells.clean_text)


def _required_names(sheet: Sheet) -> str:
    return "、".join(c.name for c in sheet.columns if c.required)


def info_from_raw(sheet: Sheet, raw: RawSheet, issues: list[InputIssue]) -> dict[str, object]:
    """The 基本信息 key/value sheet: known keys typed, unknown keys kept as text."""
    frame = table_from_raw(sheet, raw, issues)
    known = {normalize(c.name): c for c in BASIC_INFO_KEYS}
    info: dict[str, object] = {}
    rows: dict[str, int] = {}
    loc = Located(raw)
    for key, value, row in zip(frame["项目"], frame["内容"], frame[ROW]):
        if key is None:
            continue
        name, _unit = _info_key(key, known)
        column = known.get(name)
        info[name] = _info_value(column, value, row, loc, issues) if column else cells.clean_text(value)
        rows[name] = int(row)
    for column in BASIC_INFO_KEYS:
        if not column.required or info.get(column.name) is not None:
            continue
        if column.name in rows:
            issues.append(loc.issue(rows[column.name], "内容", None, f"「{column.name}」未填写（{column.note}）"))
        else:
            issues.append(loc.issue(None, "项目", None, f"缺少「{column.name}」一项（{column.note}）"))
    return info


def _info_key(key: str, known: dict[str, Column]) -> tuple[str, str | None]:
    from reportgen.loading.headers import split_unit

    text = normalize(key)
    return (text, None) if text in known else split_unit(text)


def _info_value(column: Column, value: object, row: int, loc: Located, issues: list[InputIssue]) -> object:
    try:
        return _parser(column)(value)
    except cells.CellProblem as problem:
        issues.append(loc.issue(row, "内容", value, f"「{column.name}」{problem}"))
        return None

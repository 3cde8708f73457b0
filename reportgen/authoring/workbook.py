"""Writing a workspace workbook (.xlsx) or CSV folder from rows, using the declarations in schema.py.

Rows are ``dict[sheet name, list[dict[canonical column name, value]]]``. Every declared sheet and
column is written, in declaration order, with the header as ``Column.header`` (unit included).
The header row carries the help a person needs: a comment on each header, drop-down lists for
enumerations, bold text, a frozen pane. Rows are streamed (openpyxl write-only mode) so that a
county with thousands of schools and tens of thousands of classes writes in a few seconds.
"""
from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from reportgen.core.schema import BASIC_INFO_KEYS, SHEET_BY_NAME, SHEETS, Column, Sheet

Rows = list[dict[str, object]]
Sheets = Mapping[str, Rows]

_MAX_VALIDATED_ROW = 1_048_576  # drop-downs cover the whole column below the header
_WIDTH_SAMPLE_ROWS = 200
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_KIND_LABELS = {"int": "整数", "number": "数值", "money": "金额", "date": "日期，如 2025-09-30",
                "year": "年份，如 2025", "enum": "从下拉列表中选择", "grade": "年级"}
_INFO_KEY_BY_NAME = {c.name: c for c in BASIC_INFO_KEYS}


# ---------------------------------------------------------------- rows → cell values

def info_rows(info: Mapping[str, object] | None = None) -> Rows:
    """基本信息 as 项目/内容 rows: every declared key in order (empty when not given), then extra keys."""
    info = dict(info or {})
    rows = [{"项目": key.name, "内容": info.pop(key.name, None)} for key in BASIC_INFO_KEYS]
    return rows + [{"项目": name, "内容": value} for name, value in info.items()]


def sheet_columns(sheet: Sheet, rows: Rows) -> list[Column]:
    """Declared columns, then any extra keys found in the rows (kept as plain text columns)."""
    declared = list(sheet.columns)
    extra: dict[str, None] = {}
    for row in rows:
        extra.update((k, None) for k in row if k not in sheet.by_name)
    return declared + [Column(name) for name in extra]


def _info_key_label(name: object) -> object:
    """A 基本信息 key as written: the declared key with its unit, e.g. 国土面积(平方公里)."""
    key = _INFO_KEY_BY_NAME.get(name) if isinstance(name, str) else None
    return key.header if key else name


def _row_values(sheet: Sheet, columns: list[Column], row: Mapping[str, object]) -> list[object]:
    values = [row.get(c.name) for c in columns]
    if sheet.key_value:
        values[0] = _info_key_label(values[0])
    return values


def _sheet_rows(sheet: Sheet, sheets: Sheets) -> Rows:
    rows = list(sheets.get(sheet.name) or [])
    if sheet.key_value and not rows:
        return info_rows()
    return rows


def _check_sheet_names(sheets: Sheets) -> None:
    unknown = [name for name in sheets if name not in SHEET_BY_NAME]
    if unknown:
        raise ValueError(f"undeclared sheets: {unknown}; declared: {[s.name for s in SHEETS]}")


# ---------------------------------------------------------------- help texts

def column_help(column: Column) -> str:
    """The comment on a header: what the column means, its unit, whether required, allowed values."""
    lines = [f"{column.name}：{column.note}" if column.note else column.name]
    if column.unit:
        lines.append(f"单位：{column.unit}")
    lines.append("必填" if column.required else "选填，不填表示未报告（不按0计）")
    if column.choices:
        lines.append("可选值：" + "、".join(column.choices))
    elif column.kind in _KIND_LABELS:
        lines.append("填写：" + _KIND_LABELS[column.kind])
    return "\n".join(lines)


def _sheet_help(sheet: Sheet) -> str:
    return f"工作表「{sheet.name}」：{sheet.note}" if sheet.note else f"工作表「{sheet.name}」"


# ---------------------------------------------------------------- widths

def display_width(value: object) -> int:
    """Characters as Excel shows them: CJK and full-width characters count double; longest line."""
    if value is None:
        return 0
    text = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
    return max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in text.split("\n")),
               default=0)


def column_width(column: Column, rows: Rows, label: object = None) -> float:
    """A readable width from the header and the first rows' values, within sensible bounds."""
    sample = (row.get(column.name) for row in rows[:_WIDTH_SAMPLE_ROWS])
    widest = max([display_width(label or column.header), *map(display_width, sample)])
    return float(min(max(widest + 2, _MIN_WIDTH), _MAX_WIDTH))


# ---------------------------------------------------------------- xlsx

def write_workbook(sheets: Sheets, path: Path | str) -> Path:
    """Write every declared sheet to an .xlsx file; missing sheets get headers only."""
    from openpyxl import Workbook

    _check_sheet_names(sheets)
    path = Path(path)
    book = Workbook(write_only=True)
    for sheet in SHEETS:
        _write_sheet(book.create_sheet(sheet.name), sheet, _sheet_rows(sheet, sheets))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _write_sheet(ws, sheet: Sheet, rows: Rows) -> None:
    columns = sheet_columns(sheet, rows)
    _set_widths(ws, sheet, columns, rows)
    ws.freeze_panes = "A2"
    for validation in _drop_downs(columns):
        ws.data_validations.append(validation)
    ws.append(_header_cells(ws, sheet, columns))
    wrap = _wrap_style()
    for row in rows:
        ws.append(_data_cells(ws, _row_values(sheet, columns, row), wrap, sheet))


def _set_widths(ws, sheet: Sheet, columns: list[Column], rows: Rows) -> None:
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(columns, start=1):
        if sheet.key_value and index == 1:
            labelled = [{column.name: _info_key_label(r.get(column.name))} for r in rows]
            width = column_width(column, labelled)
        else:
            width = column_width(column, rows)
        ws.column_dimensions[get_column_letter(index)].width = width


def _header_cells(ws, sheet: Sheet, columns: list[Column]) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cells = []
    for index, column in enumerate(columns):
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font, cell.fill, cell.alignment = font, fill, align
        text = column_help(column)
        if index == 0:
            text = _sheet_help(sheet) + "\n\n" + text
        cell.comment = _comment(text)
        cells.append(cell)
    return cells


def _data_cells(ws, values: list[object], wrap, sheet: Sheet) -> list[object]:
    """Plain values, except multi-line text (wrapped) and 基本信息 keys (with a comment)."""
    from openpyxl.cell import WriteOnlyCell

    out: list[object] = []
    for index, value in enumerate(values):
        if isinstance(value, str) and "\n" in value:
            cell = WriteOnlyCell(ws, value=value)
            cell.alignment = wrap
            value = cell
        elif sheet.key_value and index == 0 and isinstance(value, str):
            value = _info_key_cell(ws, value)
        out.append(value)
    return out


def _info_key_cell(ws, label: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=label)
    key = next((k for k in BASIC_INFO_KEYS if k.header == label), None)
    if key is not None:
        cell.comment = _comment(column_help(key))
    return cell


def _wrap_style():
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical="top")


def _comment(text: str):
    from openpyxl.comments import Comment

    comment = Comment(text, "reportgen")
    lines = text.count("\n") + 1
    comment.width = 300
    comment.height = max(80, 20 * lines + 20)
    return comment


def _drop_downs(columns: list[Column]) -> Iterable:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for index, column in enumerate(columns, start=1):
        if not column.choices:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"',
                                    allow_blank=True, showDropDown=False)
        validation.error = f"请从下拉列表中选择：{'、'.join(column.choices)}"
        validation.errorTitle = f"「{column.name}」的值不在可选范围内"
        # 年级 may also be typed as 1…9, so its list is a suggestion, not a rule.
        validation.showErrorMessage = column.kind != "grade"
        validation.add(f"{letter}2:{letter}{_MAX_VALIDATED_ROW}")
        yield validation


# ---------------------------------------------------------------- csv

def write_csv_folder(sheets: Sheets, folder: Path | str, encoding: str = "utf-8") -> list[Path]:
    """One CSV per declared sheet (``学校.csv`` …), same headers as the workbook; returns the paths."""
    _check_sheet_names(sheets)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [_write_csv(sheet, _sheet_rows(sheet, sheets), folder / f"{sheet.name}.csv", encoding)
            for sheet in SHEETS]


def _write_csv(sheet: Sheet, rows: Rows, path: Path, encoding: str) -> Path:
    columns = sheet_columns(sheet, rows)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in columns])
        writer.writerows([_csv_text(v) for v in _row_values(sheet, columns, row)] for row in rows)
    return path


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- settings file

def default_settings_text(workbook_name: str | None) -> str:
    """The text of a new workspace's ``reportgen.yaml``, commented in Chinese.

    ``None`` is a CSV workspace: the 工作簿 line is left commented out.
    """
    workbook_line = f"工作簿: {workbook_name}" if workbook_name else "# 工作簿: 某县2025.xlsx"
    return f"""\
# reportgen 工作区设置
# 本文件与数据工作簿放在同一文件夹；“#”之后是说明，不影响设置。

# 数据工作簿的文件名（与本文件在同一文件夹）。
# 如改用 CSV，可删去此行，把 学校.csv、班级.csv 等文件放在本文件夹中。
{workbook_line}

# 评价所用的指标体系：填内置体系名，或工作区内 .yaml 文件的路径（如 本省优质均衡.yaml）。
指标体系:
  优质均衡: 优质均衡2017      # 县域义务教育优质均衡发展（教督〔2017〕6号）
  基本均衡: 基本均衡2012      # 县域义务教育基本均衡（教督〔2012〕3号）
  履职评价: 履职评价示例      # 履行教育职责评价的测评点

# 小学的最高年级：六三制地区填 6，五四制地区填 5。
小学最高年级: 6

# 生成的报告存放的文件夹（相对于本文件夹）。
输出目录: 输出

# 图表中文字体：可选，填字体文件路径或字体名；不填时使用内置字体。
# 图表字体: C:/Windows/Fonts/simhei.ttf
"""

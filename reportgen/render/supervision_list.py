"""督办清单: the open and overdue 整改 items as an Excel sheet ready to send (openpyxl).

One row per open item (整改中 · 未启动) under a frozen header with an auto filter, sized columns
and wrapped long texts; 完成时限 is a real Excel date. Text is always written as text (a problem
that starts with "=" stays text, never a formula). An existing file is never overwritten: the
write fails with a Chinese message and the old file stays as it was.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from reportgen.core.errors import OutputError

SHEET = "督办清单"
# (header, item key, width in characters, wrapped)
COLUMNS = (
    ("序号", "no", 6, False),
    ("问题类别", "category", 10, False),
    ("反馈问题", "problem", 48, True),
    ("责任单位", "unit", 22, True),
    ("责任人", "person", 10, False),
    ("完成时限", "deadline", 12, False),
    ("整改状态", "state", 10, False),
    ("是否逾期", "overdue", 9, False),
    ("逾期天数", "days_late", 9, False),
    ("整改进展", "progress", 40, True),
)
COUNTY_COLUMN = ("县（区）", "region", 12, False)


def columns(with_county: bool) -> tuple[tuple[str, str, int, bool], ...]:
    return (COUNTY_COLUMN, *COLUMNS) if with_county else COLUMNS


def write_supervision_list(items: list[dict], path: Path, as_of: dt.date, with_county: bool = False) -> Path:
    """Write ``items`` (from ``reportgen.analysis.rollup.open_items``, each with ``region`` when
    ``with_county``) to a new file ``path``; refuses when ``path`` exists."""
    check_target(path)
    book = _workbook(items, as_of, columns(with_county))
    _save_new(book, path)
    return path


def check_target(path: Path) -> None:
    """Refuse, before any work, a target that exists or is not an .xlsx file."""
    if path.exists():
        raise _exists(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"督办清单应保存为 .xlsx 文件，实际为「{path.name}」")


def _workbook(items: list[dict], as_of: dt.date, cols: tuple):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    _header(sheet, cols)
    for number, item in enumerate(items, start=2):
        _row(sheet, number, item, cols)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{_letter(len(cols))}{max(len(items) + 1, 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = f"统计日期：{as_of.isoformat()}　第 &P 页，共 &N 页"
    book.properties.title = f"督办清单（统计日期{as_of.isoformat()}）"
    return book


def _header(sheet, cols: tuple) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    for number, (title, _, width, _) in enumerate(cols, start=1):
        cell = sheet.cell(row=1, column=number, value=title)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[_letter(number)].width = width + 2


def _row(sheet, row: int, item: dict, cols: tuple) -> None:
    from openpyxl.styles import Alignment

    for number, (_, key, _, wrapped) in enumerate(cols, start=1):
        cell = sheet.cell(row=row, column=number)
        _put(cell, _value(key, item))
        cell.alignment = Alignment(wrap_text=wrapped, vertical="top")


def _value(key: str, item: dict) -> object:
    value = item.get(key)
    if key == "deadline" and value:
        return dt.date.fromisoformat(value)
    if key == "overdue":
        return "是" if value else "否"
    return value


def _put(cell, value: object) -> None:
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text starts with
    else:
        cell.value = value


def _exists(path: Path) -> OutputError:
    return OutputError(f"文件「{path}」已存在，为避免覆盖，督办清单没有写入；请换一个文件名，或先移走原文件")


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _save_new(book, path: Path) -> None:
    """Save beside ``path`` and link it into place: a file that appeared meanwhile is not replaced."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        book.save(tmp)
        os.link(tmp, path)
    except FileExistsError as exc:
        raise _exists(path) from exc
    except OSError as exc:
        raise OutputError(f"无法写入督办清单「{path}」：{exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)

"""Parsing one cell: numbers written as text, dates in the forms Chinese offices type them.

Each parser returns the parsed value or raises ``CellProblem`` with what was expected.
``None`` means an empty cell ("not reported"), never zero.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from reportgen.core.schema import GRADE_CODES, SENIOR_GRADE_CODES

EXCEL_EPOCH = dt.date(1899, 12, 30)
_MAX_ABS = 1e12  # larger magnitudes are typing errors, not data
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_GRADE_WORDS = {w: i for i, w in enumerate("一二三四五六七八九", 1)}
_GRADE_ALT = {"初一": 7, "初二": 8, "初三": 9}


EXCEL_ERRORS = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA")
ERROR_HINT = "公式出错或引用的数据缺失，请改正公式或直接填写数值"
EARLIEST_DATE = dt.date(1950, 1, 1)  # an earlier date is a small number in a date-formatted cell
_NUMERIC_KINDS = ("int", "number", "money", "year", "grade")


class CellProblem(ValueError):
    """A cell value that cannot be read as the column expects; the message says what was expected."""


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def is_error_value(value: object) -> bool:
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def check_cell(value: object, kind: str) -> None:
    """Problems any column shares: an Excel error value, a number shown as a date."""
    if is_error_value(value):
        raise CellProblem(f"是 Excel 错误值，不是有效数据（{ERROR_HINT}）")
    if isinstance(value, (dt.datetime, dt.date)) and (kind in _NUMERIC_KINDS or _as_date(value) < EARLIEST_DATE):
        serial = _excel_serial(value)
        raise CellProblem(f"单元格设成了日期格式：原数字为{serial}，显示为{_as_date(value).isoformat()}；"
                          "请把单元格格式改为“常规”或“数值”后重新输入" + ("" if kind in _NUMERIC_KINDS else "（如确为日期，请填写完整日期）"))


def _excel_serial(value: dt.date) -> str:
    """The number Excel stores for a date (1900 system, with its 1900-02-29 quirk)."""
    from openpyxl.utils.datetime import to_excel

    number = to_excel(value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time()))
    return f"{number:g}"


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def clean_text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number: 3401010001.0 → "3401010001"
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def parse_number(value: object) -> float | None:
    """A number from a cell: 1234, "1,234", " 56 ", full-width "１２３", "1 234.5"."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellProblem("应为数字")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        number = _number_from_text(value)
    else:
        raise CellProblem("应为数字")
    if not math.isfinite(number) or abs(number) > _MAX_ABS:
        raise CellProblem("数值超出合理范围")
    return number


def _number_from_text(text: str) -> float:
    normal = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if normal.startswith("="):
        raise CellProblem("应为数字，单元格是未计算的公式，请在Excel中打开并保存后再试")
    try:
        return float(normal)
    except ValueError:
        raise CellProblem("应为数字（不能包含文字，如“约”“-”）") from None


def parse_count(value: object) -> float | None:
    """A whole, non-negative number of people, classes, rooms..."""
    number = parse_number(value)
    if number is None:
        return None
    if number < 0:
        raise CellProblem("应为不小于0的整数")
    if not float(number).is_integer():
        raise CellProblem("应为整数")
    return number


def parse_amount(value: object) -> float | None:
    """A non-negative quantity (area, money)."""
    number = parse_number(value)
    if number is not None and number < 0:
        raise CellProblem("应为不小于0的数")
    return number


def parse_year(value: object) -> int | None:
    number = parse_number(value)
    if number is None:
        return None
    if not number.is_integer() or not 1900 <= number <= 2100:
        raise CellProblem("应为四位年份，如 2025")
    return int(number)


def parse_date(value: object) -> dt.date | None:
    """A date from an Excel date, an Excel serial number or text like 2025-06-30 / 2025年6月30日."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # Excel serial date (1954–2119)
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellProblem("应为日期，如 2025年6月30日")
    if isinstance(value, str):
        return _date_from_text(value)
    raise CellProblem("应为日期，如 2025年6月30日")


def _date_from_text(text: str) -> dt.date:
    normal = unicodedata.normalize("NFKC", text).strip()
    normal = normal.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} ", normal) else normal
    match = _DATE_TEXT.match(normal)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    raise CellProblem("应为日期，如 2025年6月30日 或 2025-06-30")


def parse_grade(value: object) -> int | None:
    """A grade as its code (schema.GRADE_CODES): 一年级…九年级, 初一…初三, 高一…高三, 1…12,
    or a kindergarten class 小班 · 中班 · 大班 · 混龄班."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        code = _GRADE_ALT.get(text, GRADE_CODES.get(text))
        if code is not None:
            return code
        word = text.removesuffix("年级")
        if word in _GRADE_WORDS:
            return _GRADE_WORDS[word]
        value = word
    try:
        number = parse_number(value)
    except CellProblem:
        number = None
    if number is not None and number.is_integer() and 1 <= number <= max(SENIOR_GRADE_CODES):
        return int(number)
    raise CellProblem("应为年级：一年级…九年级（或 1…9）、高一…高三（或 10…12），幼儿园为 小班、中班、大班、混龄班")


def parse_choice(value: object, choices: tuple[str, ...]) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    normal = unicodedata.normalize("NFKC", text).replace(" ", "")
    if normal in choices:
        return normal
    raise CellProblem(f"应为以下之一：{'、'.join(choices)}")

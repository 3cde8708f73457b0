"""How numbers, dates and changes are written in a report (one place for each rule)."""
from __future__ import annotations

from typing import Callable

import datetime as _dt
import math

from reportgen.core.values import cv_text

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Chinese numeral for 1–99 as used in headings and 一是/二是: 1 → 一, 12 → 十二, 20 → 二十."""
    if not 0 < n < 100:
        raise ValueError(f"cn_number takes 1–99, got {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def fixed(value: float, digits: int = 2) -> str:
    """A plain decimal with a fixed number of places, ``-0.00`` written as ``0.00``."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def count(value: float) -> str:
    """A count of schools, classes or people."""
    return str(int(round(value)))


def wan_yuan(value_wan: float, digits: int = 2) -> str:
    """An amount given in 万元: 亿元 from 1 亿 up, otherwise 万元 (66256.3 → 6.63亿元)."""
    if abs(value_wan) >= 1e4:
        return f"{fixed(value_wan / 1e4, digits)}亿元"
    return f"{fixed(value_wan, digits)}万元"


def yuan(value: float, digits: int = 2) -> str:
    return f"{fixed(value, digits)}元"


def percent(ratio: float, digits: int = 2) -> str:
    """A ratio as a percentage: 0.0540 → 5.40%."""
    return f"{fixed(ratio * 100, digits)}%"


def change(ratio: float, digits: int = 2) -> str:
    """A growth ratio as words chosen by sign: 增长5.40% / 下降1.20% / 持平."""
    shown = fixed(abs(ratio) * 100, digits)
    if float(shown) == 0:
        return "持平"
    return f"{'增长' if ratio > 0 else '下降'}{shown}%"


def coefficient(value: float, limit: float | None = None, digits: int = 3) -> str:
    """A 差异系数 with 3 decimals, more where rounding would hide a failure (0.5004 vs ≤0.50)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return cv_text(value, limit, digits)


def date_cn(day: _dt.date) -> str:
    """A date as 公文 write it: 2025年7月1日 (no zero padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def measures(items: list[str]) -> str:
    """Measures as one sentence run: 一是……；二是……。"""
    parts = [f"{cn_number(i)}是{text.rstrip('。；;，, ')}" for i, text in enumerate(items, 1)]
    return "；".join(parts) + "。" if parts else ""


def with_unit(unit: str) -> "Callable[[float], str]":
    """A format: the plain number followed by ``unit`` (1856.3 → "1856.3平方公里")."""
    return lambda value: f"{plain(value)}{unit}"


def plain(value: float, digits: int = 2) -> str:
    """A number with at most ``digits`` decimals and no trailing zeros: 4.20 → 4.2, 2000.0 → 2000."""
    text = fixed(value, digits)
    return text.rstrip("0").rstrip(".") if "." in text else text


def is_missing(value: object) -> bool:
    """None or NaN: a figure that was not reported or could not be computed."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def score(value: float) -> str:
    """A score as evaluation tables print it: 28.5, 3, 0.25 (at most two decimals)."""
    return plain(value, 2)


def enumerate_cn(items: list[str], limit: int | None = None, unit: str = "") -> str:
    """Items joined with 、; past ``limit`` the first ones then 等N{unit}: A、B、C等12所."""
    if limit is not None and len(items) > limit:
        return "、".join(items[:limit]) + f"等{len(items)}{unit}"
    return "、".join(items)

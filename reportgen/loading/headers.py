"""Matching a user's header to a declared column, and reading the unit it carries."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from reportgen.core.schema import UNIT_ALIASES, YUAN_PER, Column, Sheet

_UNIT_SUFFIX = re.compile(r"^(?P<name>.*?)[(\[【](?P<unit>[^()\[\]【】]*)[)\]】]$")


def normalize(text: object) -> str:
    """Fold full-width forms, drop every space and line break: ' 学校名称（万元） ' → '学校名称(万元)'."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", folded)


def split_unit(header: str) -> tuple[str, str | None]:
    """'教学仪器设备值(万元)' → ('教学仪器设备值', '万元'); no brackets → (header, None)."""
    match = _UNIT_SUFFIX.match(header)
    if not match or not match.group("name"):
        return header, None
    return match.group("name"), match.group("unit")


@dataclass(frozen=True)
class HeaderMatch:
    column: Column
    position: int
    factor: float  # multiply the cell by this to get the canonical unit


class UnitProblem(ValueError):
    """The header's unit is unknown or does not fit the column."""


def lookup_table(sheet: Sheet) -> dict[str, Column]:
    table = {}
    for col in sheet.columns:
        for name in (col.name, *col.aliases):
            table[normalize(name)] = col
    return table


def match_header(header: object, table: dict[str, Column]) -> tuple[Column | None, str | None]:
    """The declared column a header names (with or without its unit), and the unit written."""
    text = normalize(header)
    if text in table:
        return table[text], None
    name, unit = split_unit(text)
    return table.get(name), unit


def unit_factor(column: Column, written: str | None) -> float:
    """The factor from the header's unit to the column's canonical unit; raises UnitProblem."""
    if written is None or column.unit is None:
        return 1.0
    unit = UNIT_ALIASES.get(written)
    if unit is None:
        raise UnitProblem(f"不认识的单位「{written}」，应为「{column.unit}」")
    if unit == column.unit:
        return 1.0
    if unit in YUAN_PER and column.unit in YUAN_PER:
        return YUAN_PER[unit] / YUAN_PER[column.unit]
    raise UnitProblem(f"单位应为「{column.unit}」，表头写的是「{written}」")

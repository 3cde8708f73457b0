"""Looking up 县级指标 values by name, with the unit rules for ratios and money."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import pandas as pd

from reportgen.core.schema import YUAN_PER

PERCENT_UNITS = ("%", "％")


@dataclass(frozen=True)
class CountyValue:
    name: str
    value: float
    unit: str | None
    row: int

    def as_input(self) -> dict:
        return {"name": self.name, "value": self.value, "unit": self.unit, "row": self.row}


def normalize_name(name: object) -> str:
    """Names match ignoring spaces and full-width/half-width forms: 就近划片入学比例（小学） = …(小学)."""
    return "".join(unicodedata.normalize("NFKC", str(name)).split())


class County:
    """The 县级指标 sheet as a name → value lookup (first row wins; the loader reports duplicates)."""

    def __init__(self, frame: pd.DataFrame):
        self.values: dict[str, CountyValue] = {}
        for name, value, unit, row in zip(frame["指标"], frame["值"], frame["单位"], frame["_row"]):
            if name is None or value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            key = normalize_name(name)
            unit_text = str(unit).strip() if unit is not None and unit == unit and str(unit).strip() else None
            self.values.setdefault(key, CountyValue(str(name).strip(), float(value), unit_text, int(row)))

    def find(self, names: tuple[str, ...]) -> CountyValue | None:
        return next((self.values[k] for k in map(normalize_name, names) if k in self.values), None)


def as_ratio(item: CountyValue) -> tuple[float | None, str]:
    """A reported proportion as a ratio, and a note or problem.

    单位 % → value / 100. No unit: a value up to 1 is read as a decimal, above 1 as a percentage
    (the note says so). Any other unit cannot be a proportion: (None, problem).
    """
    if item.unit in PERCENT_UNITS:
        return item.value / 100, ""
    if item.unit is None:
        if item.value > 1:
            return item.value / 100, f"「{item.name}」未填写单位，按百分数读取"
        return item.value, ""
    return None, f"「{item.name}」的单位为「{item.unit}」，比例应以%或小数填写"


def as_rate(item: CountyValue) -> tuple[float | None, str]:
    """A growth rate as a ratio: 单位 % or no unit → percentage points (5.4 → 0.054)."""
    if item.unit in PERCENT_UNITS or item.unit is None:
        note = "" if item.unit else f"「{item.name}」未填写单位，按百分数读取"
        return item.value / 100, note
    return None, f"「{item.name}」的单位为「{item.unit}」，增长率应以%填写"


def in_unit(item: CountyValue, unit: str | None) -> tuple[float | None, str]:
    """The value in ``unit`` (money converts between 元/万元/亿元); a mismatch is a problem."""
    if unit is None or item.unit is None or item.unit == unit:
        return item.value, ""
    if item.unit in YUAN_PER and unit in YUAN_PER:
        return item.value * YUAN_PER[item.unit] / YUAN_PER[unit], ""
    return None, f"「{item.name}」的单位为「{item.unit}」，应为「{unit}」"


def missing(*groups: tuple[str, ...]) -> str:
    """The reason for values not reported; each group is a value's accepted names (first shown)."""
    return "「县级指标」工作表未填报" + "、".join(f"「{names[0]}」" for names in groups)

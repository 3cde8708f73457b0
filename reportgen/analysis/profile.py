"""The county profile (基本情况): schools per 办学类型, pupils, classes and teachers per section.

One place decides which 办学类型 are 义务教育学校: the profile counts them, and the class-size
analysis applies the 45/50 rule to their classes only (a 特殊教育学校's classes are counted
apart, standards §6), so the two always agree.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from reportgen.analysis.common import num
from reportgen.analysis.split import TYPE
from reportgen.analysis.types import ProfileBlock, SectionTotals

# 办学类型 counted as 义务教育学校, in the order the profile lists them.
COMPULSORY_TYPES = ("小学", "初级中学", "九年一贯制学校", "完全中学", "十二年一贯制学校", "小学教学点")
# Other schools the profile names after them ("另有特殊教育学校1所"); not under the class-size rule.
OTHER_TYPES = ("特殊教育学校",)
COMPULSORY_SECTIONS = ("小学", "初中")
# profile key → the 学校 column suffix summed per section (小学在校生数 …)
PEOPLE = {"pupils": "在校生数", "classes": "班级数", "teachers": "专任教师数"}
# 基本信息 figures the profile repeats, with their units.
INFO_FIGURES = {"国土面积": "平方公里", "户籍人口": "万人", "常住人口": "万人", "地区生产总值": "亿元",
                "一般公共预算收入": "亿元"}


def profile(schools: pd.DataFrame, info: Mapping[str, object]) -> ProfileBlock:
    """The ``profile`` block: counts of 义务教育学校 by type, and their pupils, classes, teachers."""
    types = schools[TYPE].value_counts()
    by_type = {t: int(types[t]) for t in COMPULSORY_TYPES + OTHER_TYPES if t in types}
    scope = schools[schools[TYPE].isin(COMPULSORY_TYPES)]
    block: ProfileBlock = {
        "compulsory_types": list(COMPULSORY_TYPES),
        "other_types": list(OTHER_TYPES),
        "schools": sum(n for t, n in by_type.items() if t in COMPULSORY_TYPES),
        "schools_by_type": by_type,
        "pupils": section_totals(scope, PEOPLE["pupils"]),
        "classes": section_totals(scope, PEOPLE["classes"]),
        "teachers": section_totals(scope, PEOPLE["teachers"]),
        "info": {k: _info_number(info.get(k)) for k in INFO_FIGURES},
        "all_schools": {key: section_totals(schools, suffix) for key, suffix in PEOPLE.items()},
    }
    return block


def section_totals(scope: pd.DataFrame, suffix: str) -> SectionTotals:
    """Sum of ``<section><suffix>`` per section over ``scope``; a section with no value is left out."""
    by_section: dict[str, float] = {}
    for section in COMPULSORY_SECTIONS:
        values = scope[f"{section}{suffix}"]
        if not values.isna().all():
            by_section[section] = float(values.sum())
    return {"total": sum(by_section.values()) if by_section else None, "by_section": by_section}


def _info_number(value: object) -> float | None:
    return num(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def in_compulsory_scope(school_types: pd.Series) -> pd.Series:
    """True for the schools whose classes fall under the class-size rule."""
    return school_types.isin(COMPULSORY_TYPES)

"""Approved relaxed standards (放宽标准) of 政府保障程度 items 3 and 4 (standards §1.2).

A school is judged against the relaxed standard only when it documents an exemption (学校 ›
豁免说明) and was built before the year the system names (学校 › 建校年份). A failing school
whose 豁免说明 no relaxed standard covers keeps its verdict, and the reason becomes a warning.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from reportgen.systems.indicators import Relaxation
from reportgen.analysis.common import text
from reportgen.analysis.split import ID, NAME, ROW

EXEMPTION, BUILT = "豁免说明", "建校年份"


def relaxed_schools(schools: pd.DataFrame, relaxation: Relaxation | None) -> pd.Series:
    """True for the schools the relaxed standard applies to."""
    if relaxation is None or EXEMPTION not in schools or BUILT not in schools:
        return pd.Series(False, index=schools.index, dtype=bool)
    documented = schools[EXEMPTION].map(lambda v: text(v) is not None)
    return (documented & schools[BUILT].map(relaxation.covers)).astype(bool)


def relaxed_standard(relaxation: Relaxation | None, values: str) -> str | None:
    """The relaxed standard as the trace and the item state it (None when there is none)."""
    if relaxation is None:
        return None
    return f"填写了「豁免说明」且{relaxation.built_before}年以前建校的学校，{values}"


def built_year(school: Mapping) -> int | None:
    year = school.get(BUILT)
    return int(year) if isinstance(year, (int, float)) and year == year else None


def exempted_entry(school: Mapping, standard: str) -> dict:
    """A school that misses the standard but meets the relaxed one it is approved for."""
    return {"id": school[ID], "name": school[NAME], "row": int(school[ROW]), "built": built_year(school),
            "standard": standard, "exemption": text(school.get(EXEMPTION))}


def exemption_note(school: Mapping, relaxation: Relaxation | None, relaxed: bool) -> dict | None:
    """For a failing school: why its 豁免说明 does not change the verdict (None when none is given
    or the relaxed standard was applied)."""
    if relaxed or text(school.get(EXEMPTION)) is None:
        return None
    return {"id": school[ID], "name": school[NAME], "row": int(school[ROW]),
            "reason": unrelaxed_reason(school, relaxation)}


def unrelaxed_reason(school: Mapping, relaxation: Relaxation | None) -> str:
    if relaxation is None:
        return "所选指标体系未规定该项的放宽标准"
    scope = f"{relaxation.built_before}年以前建校的学校"
    year = built_year(school)
    if year is None:
        return f"未填报建校年份，无法确认是否适用放宽标准（{scope}）"
    return f"建于{year}年，不在放宽标准的适用范围（{scope}）内"

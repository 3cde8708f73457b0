"""Schools in scope and the split of combined schools into sections (standards §1.1, §2.1).

A 九年一贯制, 完全中学 or 十二年一贯制 school counts as a separate 小学部 and/or 初中部 in the
county coefficient. Whole-school facilities are shared out by weighted enrolment: a section's
share is w_s·P_s / Σ_t w_t·P_t over the school's sections t (高中 included, then dropped).
Teachers are reported per section and are not split.
"""
from __future__ import annotations

import pandas as pd

from reportgen.systems.indicators import SPLIT_SECTIONS, Balance, Scope, Split

SECTION_KEYS = {"小学": "primary", "初中": "junior"}
SECTION_BY_KEY = {v: k for k, v in SECTION_KEYS.items()}
ID, NAME, TYPE, ROW = "学校标识码", "学校名称", "办学类型", "_row"
WHOLE_SUFFIX = "(全校)"


def pupils_column(section: str) -> str:
    return f"{section}在校生数"


def scope_exclusions(schools: pd.DataFrame, scope: Scope) -> pd.Series:
    """Why each school is out of scope (Chinese text), or None when it is in scope."""
    reason = pd.Series([None] * len(schools), index=schools.index, dtype=object)
    if scope.small_site_type is not None and scope.small_site_min_pupils is not None:
        total = school_pupils(schools, SPLIT_SECTIONS)
        small = (schools[TYPE] == scope.small_site_type) & (total < scope.small_site_min_pupils)
        reason[small] = [f"{scope.small_site_type}在校生{n:g}人，不足{scope.small_site_min_pupils:g}人，不参与计算"
                         for n in total[small]]
    if not scope.include_private:
        reason[schools["办学性质"] == "民办"] = "民办学校不参与计算"
    excluded = schools[TYPE].isin(scope.excluded_types)
    reason[excluded] = [f"{t}不参与计算" for t in schools.loc[excluded, TYPE]]
    return reason


def school_pupils(schools: pd.DataFrame, sections) -> pd.Series:
    """Pupils summed over ``sections`` (a missing section counts 0, all missing gives NaN)."""
    return schools[[pupils_column(s) for s in sections]].sum(axis=1, min_count=1)


def section_shares(schools: pd.DataFrame, split: Split) -> pd.DataFrame:
    """Each school's share of its whole-school facilities per section (columns 小学, 初中, 高中)."""
    weighted = {}
    for section in SPLIT_SECTIONS:
        weights = {t: split.weight(t, section) for t in schools[TYPE].dropna().unique()}
        weight = schools[TYPE].map(weights).astype(float).fillna(1.0)
        weighted[section] = schools[pupils_column(section)].fillna(0.0) * weight
    frame = pd.DataFrame(weighted, index=schools.index)
    return frame.div(frame.sum(axis=1).where(lambda d: d > 0), axis=0)


def section_frame(schools: pd.DataFrame, balance: Balance, section: str) -> pd.DataFrame:
    """One row per school (or school part) of ``section`` in scope, facilities already split.

    Columns: the school's own columns, split columns replaced by the section's share (the whole
    school's value kept as ``<column>(全校)``), plus ``pupils`` and ``share``.
    """
    in_scope = scope_exclusions(schools, balance.scope).isna()
    pupils = schools[pupils_column(section)]
    chosen = schools[in_scope & (pupils > 0)]
    share = section_shares(chosen, balance.split)[section]
    frame = chosen.copy()
    frame["pupils"] = pupils[chosen.index]
    frame["share"] = share
    for column in balance.split.columns:
        frame[column + WHOLE_SUFFIX] = chosen[column]
        frame[column] = chosen[column] * share
    return frame


def excluded_schools(schools: pd.DataFrame, scope: Scope) -> list[dict]:
    """Schools left out of a balance analysis, with the reason and their Excel row."""
    reason = scope_exclusions(schools, scope)
    out = schools.loc[reason.notna(), [ID, NAME, TYPE, ROW]]
    out = out.assign(reason=reason[out.index])
    return [{"id": r[ID], "name": r[NAME], "type": r[TYPE], "row": int(r[ROW]), "reason": r["reason"]}
            for r in out.to_dict("records")]

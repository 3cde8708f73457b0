"""The shared engine of 优质均衡 资源配置 and 基本均衡: indicator values per school and their 差异系数."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from reportgen.systems.indicators import SECTIONS, Balance, Indicator
from reportgen.analysis.coefficient import coefficient_table
from reportgen.analysis.common import all_ok, name_list, num, school_label
from reportgen.analysis.split import NAME, ROW, SECTION_KEYS, excluded_schools, section_frame


@dataclass(frozen=True)
class SectionBalance:
    """Everything computed for one section; kept for traces (``explain``)."""

    section: str
    balance: Balance
    frame: pd.DataFrame    # schools in scope, split (see split.section_frame)
    values: pd.DataFrame   # X_i per school (rows as frame) × indicator id
    table: pd.DataFrame    # mean, sd, cv per indicator id


def evaluate_section(schools: pd.DataFrame, balance: Balance, section: str) -> SectionBalance:
    frame = section_frame(schools, balance, section)
    values = indicator_values(frame, balance.indicators, section)
    return SectionBalance(section, balance, frame, values, coefficient_table(values, frame["pupils"]))


def balance_block(schools: pd.DataFrame, balance: Balance, summarise: Callable[[SectionBalance], dict]) -> dict:
    """Both sections summarised (keys primary, junior), the schools left out, and the overall verdict."""
    out: dict = {SECTION_KEYS[s]: summarise(evaluate_section(schools, balance, s)) for s in SECTIONS}
    out["excluded"] = excluded_schools(schools, balance.scope)
    out["ok"] = all_ok(out[SECTION_KEYS[s]]["ok"] for s in SECTIONS)
    return out


def indicator_values(frame: pd.DataFrame, indicators: tuple[Indicator, ...], section: str) -> pd.DataFrame:
    """X_i = factor × Σ numerator columns / pupils; NaN where any numerator is not reported."""
    data = {}
    for ind in indicators:
        columns = list(ind.columns(section))
        numerator = frame[columns].sum(axis=1, min_count=len(columns))
        data[ind.id] = ind.factor * numerator / frame["pupils"]
    return pd.DataFrame(data, index=frame.index, columns=[i.id for i in indicators])


def missing_reason(result: SectionBalance, ind: Indicator) -> str | None:
    """Why an indicator's coefficient is missing, naming the schools and columns; None if present."""
    if result.frame.empty:
        return f"没有纳入计算的{result.section}"
    gaps = result.values[ind.id].isna()
    if gaps.any():
        rows = result.frame[gaps]
        columns = "、".join(f"「{c}」" for c in ind.columns(result.section))
        names = [school_label(n, r) for n, r in zip(rows[NAME], rows[ROW])]
        return f"{len(names)}所学校未填报{columns}：{name_list(names)}"
    if num(result.table.at[ind.id, "mean"]) == 0:
        return "全县均值为0，差异系数无意义"
    return None


def indicator_summary(result: SectionBalance, ind: Indicator) -> dict:
    """The mean, SD and CV of one indicator, with the reason when they are missing."""
    row = result.table.loc[ind.id]
    reason = missing_reason(result, ind)
    gaps = bool(result.values[ind.id].isna().any())
    return {"label": ind.label, "short": ind.short or ind.label, "unit": ind.unit, "factor": ind.factor,
            "mean": None if gaps else num(row["mean"]), "sd": None if gaps else num(row["sd"]),
            "cv": None if reason else num(row["cv"]), "reason": reason}


def composite(cvs: list[float | None]) -> float | None:
    """The arithmetic mean of the single-indicator CVs; None when any is missing."""
    known = [c for c in cvs if c is not None]
    if not cvs or len(known) < len(cvs):
        return None
    return sum(known) / len(known)

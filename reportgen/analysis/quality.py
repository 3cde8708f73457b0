"""优质均衡 资源配置 (教督〔2017〕6号): seven indicators per school, the per-school rule and the
差异系数 of each indicator for 小学 and 初中 (standards §1.1)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from reportgen.systems.indicators import Balance, QualitySystem
from reportgen.analysis.balance import SectionBalance, balance_block, composite, indicator_summary
from reportgen.analysis.common import all_ok, flag, g, num, section_standard, text
from reportgen.core.values import cv_text
from reportgen.analysis.split import ID, NAME, ROW, SECTION_KEYS, TYPE


SECTION_NAMES = {"primary": "小学", "junior": "初中"}
Printed = tuple[str, float, str]  # (figure id, value, text as printed)


def cv_over_phrase(key: str, ind_id: str, entry: dict) -> tuple[str, tuple[Printed, ...]]:
    """"初中生均体育运动场馆面积差异系数0.504，超过0.45" for an indicator over its limit (the limit is
    the system's), with the figures it prints."""
    base = f"quality.{key}.{ind_id}"
    cv, limit = cv_text(entry["cv"], entry["cv_max"]), g(entry["cv_max"])
    phrase = f"{SECTION_NAMES[key]}{entry['label']}差异系数{cv}，超过{limit}"
    return phrase, ((f"{base}.cv", entry["cv"], cv), (f"{base}.cv_max", entry["cv_max"], limit))


def quality_balance(schools: pd.DataFrame, system: QualitySystem) -> dict:
    """The contract's ``quality_balance`` block: one entry per section plus the excluded schools."""
    return balance_block(schools, system.balance, quality_section)


def quality_section(result: SectionBalance) -> dict:
    balance, section = result.balance, result.section
    judged = per_school(result)
    indicators = {}
    for ind in balance.indicators:
        entry = indicator_summary(result, ind)
        limit = (balance.cv_max or {})[section]
        standard = section_standard(ind, section)
        entry.update({
            "cv_max": limit,
            "cv_ok": None if entry["cv"] is None else bool(entry["cv"] <= limit),
            "standard": standard,
            "floor": standard * balance.per_school.floor_ratio if balance.per_school else None,
            "schools_meeting": int(judged["met"][ind.id].sum()),
            "schools_below_floor": int(judged["below_floor"][ind.id].sum()),
            "schools_missing": int(result.values[ind.id].isna().sum()),
        })
        indicators[ind.id] = entry
    schools = school_records(result, judged)
    cv_ok = all_ok(e["cv_ok"] for e in indicators.values())
    schools_ok = all_ok(s["ok"] for s in schools)
    return {
        "section": section,
        "schools_in_scope": len(result.frame),
        "pupils": num(result.frame["pupils"].sum()),
        "indicators": indicators,
        "composite_cv": composite([e["cv"] for e in indicators.values()]),
        "cv_ok": cv_ok,
        "schools_ok": sum(s["ok"] is True for s in schools),
        "schools_failing": sum(s["ok"] is False for s in schools),
        "schools_undetermined": sum(s["ok"] is None for s in schools),
        "per_school_ok": schools_ok,
        "ok": all_ok([cv_ok, schools_ok]),
        "schools": schools,
    }


def per_school(result: SectionBalance) -> dict[str, pd.DataFrame | pd.Series]:
    """Which indicators each school meets, which fall below the floor, and the verdict.

    A school passes when at least ``min_met`` indicators reach the standard and none of the
    others is below ``floor_ratio`` × standard. A missing value leaves the verdict open (None)
    unless the school fails whatever the missing value turns out to be.
    """
    balance: Balance = result.balance
    standards = pd.Series({i.id: section_standard(i, result.section) for i in balance.indicators}, dtype=float)
    values = result.values
    known = values.notna()
    met = values.ge(standards, axis=1) & known
    rule = balance.per_school
    floor = standards * (rule.floor_ratio if rule else 0.0)
    below_floor = values.lt(floor, axis=1) & known
    n_met, n_unknown = met.sum(axis=1), (~known).sum(axis=1)
    min_met = rule.min_met if rule else len(standards)
    fails = below_floor.any(axis=1) | (n_met + n_unknown < min_met)
    passes = ~fails & (n_unknown == 0) & (n_met >= min_met)
    ok = pd.Series([None] * len(values), index=values.index, dtype="object")
    ok[passes] = True
    ok[fails] = False
    return {"met": met, "below_floor": below_floor, "known": known, "ok": ok}


def school_records(result: SectionBalance, judged: dict) -> list[dict]:
    frame, values = result.frame, result.values
    ids = np.array(values.columns)
    met, known, below = (judged[k].to_numpy() for k in ("met", "known", "below_floor"))
    plain = values.astype(object).where(values.notna(), None).to_dict("records")
    key = SECTION_KEYS[result.section]
    out = []
    for i, (school, vals) in enumerate(zip(frame.to_dict("records"), plain)):
        out.append({
            "id": school[ID], "name": school[NAME], "type": school[TYPE], "row": int(school[ROW]),
            "section": key, "pupils": float(school["pupils"]), "share": num(school["share"]),
            "values": vals, "met": int(met[i].sum()), "ok": flag(judged["ok"].iat[i]),
            "failed": list(ids[known[i] & ~met[i]]), "below_floor": list(ids[below[i]]),
            "missing": list(ids[~known[i]]), "exemption": text(school.get("豁免说明")),
        })
    return out

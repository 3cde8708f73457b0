"""Funding tests (standards §5): 两个只增不减 per level, 三个增长 (all three growths) where data allow.

Spending E_t is 一般公共预算教育支出 (万元); per-pupil spending is E_t × 10000 / N_t (元).
Growth compares a year with the year before; a year without its predecessor has no growth.

A year whose total (合计) per-pupil spending falls while every level's rises is a mix effect; its
change is split exactly into the levels' own growth, the shift of pupils between levels and the
spending the 合计 row holds beyond the levels (``mix_effect``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from reportgen.systems.indicators import THREE_GROWTH_FIGURES, DutySystem
from reportgen.core.schema import LEVELS
from reportgen.analysis.common import all_ok, change, flag, num, pct
from reportgen.analysis.county import County, as_rate, in_unit, missing

TOTAL = "合计"
YUAN_PER_WAN = 1e4


def funding_rows(funding: pd.DataFrame) -> pd.DataFrame:
    """Every (year, level) with spending, pupils, per-pupil spending and growth on the year before."""
    rows = funding.rename(columns={"年度": "year", "学段": "level", "一般公共预算教育支出": "spending",
                                   "在校生数": "pupils"})[["year", "level", "spending", "pupils", "_row"]]
    rows = rows.dropna(subset=["year", "level"]).copy()
    rows["year"] = rows["year"].astype(int)
    rows["per_pupil"] = rows["spending"] * YUAN_PER_WAN / rows["pupils"].where(rows["pupils"] > 0)
    before = rows[["year", "level", "spending", "per_pupil"]].assign(year=rows["year"] + 1)
    rows = rows.merge(before, on=["year", "level"], how="left", suffixes=("", "_before"))
    rows["spending_growth"] = rows["spending"] / rows["spending_before"].where(rows["spending_before"] > 0) - 1
    rows["per_pupil_growth"] = rows["per_pupil"] / rows["per_pupil_before"].where(rows["per_pupil_before"] > 0) - 1
    order = {level: i for i, level in enumerate(LEVELS)}
    return rows.sort_values(["level", "year"], key=lambda s: s.map(order) if s.name == "level" else s)


def funding(funding_table: pd.DataFrame, county: County, duty: DutySystem, year: int | None,
            training_item: dict | None) -> dict:
    """The contract's ``funding`` block plus per-level tests, the evaluation year and 三个增长."""
    rows = funding_rows(funding_table)
    years = sorted(rows["year"].unique().tolist())
    current = year if year in years else (years[-1] if years else None)
    by_level = {str(level): [_year_entry(r) for r in part.to_dict("records")]
                for level, part in rows.groupby("level", sort=False)}
    tests = {level: two_no_decrease(entries) for level, entries in by_level.items()}
    total = tests.get(TOTAL) or _no_total(by_level)
    return {
        "years": [int(y) for y in years],
        "evaluation_year": current,
        "by_level": by_level,
        "two_no_decrease": total,
        "two_no_decrease_by_level": tests,
        "current": _current(by_level.get(TOTAL, []), current),
        "three_growth": three_growth(county, duty, by_level.get(TOTAL, []), current),
        "mix_effects": [m for y in years if (m := mix_effect(by_level, int(y))) is not None],
        "training_budget": training_item,
    }


def _year_entry(r: dict) -> dict:
    reason = None
    if num(r["spending_before"]) is None:
        reason = f"缺少{r['year'] - 1}年度数据，无法计算增长"
    elif num(r["per_pupil"]) is None or num(r["per_pupil_before"]) is None:
        reason = "未填报在校生数，无法计算生均支出增长"
    return {"year": int(r["year"]), "row": int(r["_row"]), "spending": num(r["spending"]),
            "pupils": num(r["pupils"]), "per_pupil": num(r["per_pupil"]),
            "spending_growth": num(r["spending_growth"]), "per_pupil_growth": num(r["per_pupil_growth"]),
            "reason": reason}


def two_no_decrease(entries: list[dict]) -> dict:
    """两个只增不减 over the years of one level: which years fall, and whether each test holds."""
    spending = [e for e in entries if e["spending_growth"] is not None]
    per_pupil = [e for e in entries if e["per_pupil_growth"] is not None]
    spending_fail = [e["year"] for e in spending if e["spending_growth"] < 0]
    per_pupil_fail = [e["year"] for e in per_pupil if e["per_pupil_growth"] < 0]
    return {
        "spending_ok": None if not spending else not spending_fail,
        "per_pupil_ok": None if not per_pupil else not per_pupil_fail,
        "failing_years": sorted(set(spending_fail) | set(per_pupil_fail)),
        "spending_failing_years": spending_fail,
        "per_pupil_failing_years": per_pupil_fail,
        "reason": None if spending else "经费工作表中没有相邻两个年度的数据，无法判断只增不减",
    }


def _no_total(by_level: dict) -> dict:
    return {"spending_ok": None, "per_pupil_ok": None, "failing_years": [], "spending_failing_years": [],
            "per_pupil_failing_years": [],
            "reason": f"经费工作表中没有学段为「{TOTAL}」的行" if by_level else "未填报经费工作表"}


def _current(entries: list[dict], year: int | None) -> dict:
    """The evaluation year's two tests (what a 履职评价 测评点 scores)."""
    entry = next((e for e in entries if e["year"] == year), None)
    if entry is None:
        return {"year": year, "spending_ok": None, "per_pupil_ok": None,
                "spending_growth": None, "per_pupil_growth": None,
                "reason": f"经费工作表中没有{year}年度「{TOTAL}」的数据" if year else "未填报经费工作表"}
    growth, per_pupil = entry["spending_growth"], entry["per_pupil_growth"]
    return {"year": year, "spending_growth": growth, "per_pupil_growth": per_pupil,
            "spending_ok": None if growth is None else bool(growth >= 0),
            "per_pupil_ok": None if per_pupil is None else bool(per_pupil >= 0),
            "reason": entry["reason"]}


def mix_effect(by_level: dict[str, list[dict]], year: int) -> dict | None:
    """Why the total per-pupil spending of ``year`` fell although every level's rose, or None.

    With N pupils in all, a level's share s = N_level / N, its per-pupil spending p and the
    spending of 合计 beyond the levels r (元 per pupil), the total per-pupil change splits exactly
    into ``within`` = Σ s₀·(p₁ − p₀) (the levels' own growth), ``structure`` = Σ (s₁ − s₀)·p₁ (pupils
    moving between levels) and ``unassigned`` = r₁ − r₀. The split is ``proven`` only when the
    levels' pupils add up to 合计's in both years; ``main`` is then the larger falling part, and
    ``named`` the levels that pulled the structure down (share up and below the levels' average,
    else any level that lowered it).
    """
    def at(level: str, y: int) -> dict | None:
        return next((e for e in by_level.get(level, []) if e["year"] == y), None)

    total, before = at(TOTAL, year), at(TOTAL, year - 1)
    if total is None or before is None or total["per_pupil_growth"] is None or total["per_pupil_growth"] >= 0:
        return None
    found = {lv: (at(lv, year - 1), at(lv, year)) for lv in by_level if lv != TOTAL}
    told = [lv for lv, pair in found.items() if pair != (None, None)]
    pairs = {lv: (b, n) for lv, (b, n) in found.items() if b is not None and n is not None}
    if not pairs or len(pairs) < len(told) or any(n["per_pupil_growth"] is None or n["per_pupil_growth"] <= 0
                                                  for _, n in pairs.values()):
        return None
    levels = list(pairs)
    out = {"year": year, "per_pupil_growth": total["per_pupil_growth"], "levels": levels,
           "per_pupil_change": total["per_pupil"] - before["per_pupil"]}
    if any(round(sum(pairs[lv][i]["pupils"] for lv in levels)) != round(t["pupils"]) for i, t in enumerate((before, total))):
        return {**out, "proven": False}
    return {**out, "proven": True, **_split(pairs, before, total)}


def _split(pairs: dict[str, tuple[dict, dict]], before: dict, total: dict) -> dict:
    """The exact three-part split of the total per-pupil change (see ``mix_effect``)."""
    shares = {lv: (b["pupils"] / before["pupils"], n["pupils"] / total["pupils"]) for lv, (b, n) in pairs.items()}
    unassigned = [t["spending"] - sum(pair[i]["spending"] for pair in pairs.values())
                  for i, t in enumerate((before, total))]
    average = sum(n["spending"] for _, n in pairs.values()) * YUAN_PER_WAN / total["pupils"]
    pull = {lv: (s1 - s0) * (pairs[lv][1]["per_pupil"] - average) for lv, (s0, s1) in shares.items()}
    parts = {"within": sum(shares[lv][0] * (n["per_pupil"] - b["per_pupil"]) for lv, (b, n) in pairs.items()),
             "structure": sum((s1 - s0) * pairs[lv][1]["per_pupil"] for lv, (s0, s1) in shares.items()),
             "unassigned": (unassigned[1] * YUAN_PER_WAN / total["pupils"]
                            - unassigned[0] * YUAN_PER_WAN / before["pupils"])}
    falling = sorted((k for k in ("structure", "unassigned") if parts[k] < 0), key=lambda k: parts[k])
    rose = [lv for lv, (s0, s1) in shares.items() if pull[lv] < 0 and s1 > s0]
    named = sorted(rose or [lv for lv in shares if pull[lv] < 0], key=lambda lv: pull[lv])
    return {**parts, "main": falling[0] if falling else None, "falling": falling,
            "shares": {lv: list(s) for lv, s in shares.items()}, "named": named,
            "unassigned_spending": unassigned, "levels_per_pupil": average}


def three_growth(county: County, duty: DutySystem, total: list[dict], year: int | None) -> dict:
    """三个增长 (教育法): 教育财政拨款 growth above 财政经常性收入 growth; 生均教育费用 growing (the 经费
    sheet's 合计 per pupil in the evaluation year); 教师工资 and 生均公用经费 growing (县级指标)."""
    keys = duty.funding_keys
    growths = {key: _growth(county, keys, name) for key, name in GROWTH_FIGURES}
    entry = next((e for e in total if e["year"] == year), None)
    per_pupil = entry["per_pupil_growth"] if entry else None
    parts = [_appropriation_part(growths), _per_pupil_part(entry, year), _pay_part(growths)]
    return {**{key: value for key, (value, _) in growths.items()}, "per_pupil_growth": per_pupil,
            "ok": all_ok(p["ok"] for p in parts), "reason": "；".join(p["reason"] for p in parts), "parts": parts}


# result key → the 县级指标 figure (see systems.indicators.THREE_GROWTH_FIGURES)
GROWTH_FIGURES = tuple(zip(("appropriation_growth", "revenue_growth", "salary_growth", "public_funds_growth"),
                           THREE_GROWTH_FIGURES))


def _part(part_id: str, label: str, ok: bool | None, reason: str) -> dict:
    return {"id": part_id, "label": label, "ok": flag(ok), "reason": reason}


def _appropriation_part(growths: dict) -> dict:
    label = "教育财政拨款增长高于财政经常性收入增长"
    (appropriation, a_note), (revenue, r_note) = growths["appropriation_growth"], growths["revenue_growth"]
    if appropriation is None or revenue is None:
        return _part("appropriation", label, None, "；".join(n for v, n in ((appropriation, a_note), (revenue, r_note))
                                                           if v is None))
    ok = appropriation > revenue
    notes = [n for n in (a_note, r_note) if n]
    reason = (f"教育财政拨款增长{pct(appropriation)}，{'高于' if ok else '未高于'}财政经常性收入增长{pct(revenue)}"
              + (f"（{'；'.join(notes)}）" if notes else ""))
    return _part("appropriation", label, ok, reason)


def _per_pupil_part(entry: dict | None, year: int | None) -> dict:
    label = "生均教育费用逐步增长"
    if entry is None or entry["per_pupil_growth"] is None:
        why = entry["reason"] if entry else (f"经费工作表中没有{year}年度「{TOTAL}」的数据" if year else "未填报经费工作表")
        return _part("per_pupil", label, None, f"生均一般公共预算教育支出增长无法计算（{why}）")
    growth = entry["per_pupil_growth"]
    ok = growth > 0
    return _part("per_pupil", label, ok, f"{year}年生均一般公共预算教育支出比上年{change(growth)}"
                                         + ("" if ok else "，未实现逐步增长"))


def _pay_part(growths: dict) -> dict:
    label = "教师工资和生均公用经费逐步增长"
    found = [(name, *growths[key]) for key, name in GROWTH_FIGURES[2:]]
    gaps = [note for _, value, note in found if value is None]
    if gaps:
        return _part("pay", label, None, "；".join(gaps))
    ok = all(value > 0 for _, value, _ in found)
    said = "，".join(f"{name}比上年{change(value)}" for name, value, _ in found)
    notes = [note for _, _, note in found if note]
    return _part("pay", label, ok, said + ("" if ok else "，未实现逐步增长") + (f"（{'；'.join(notes)}）" if notes else ""))


def _growth(county: County, keys: dict, name: str) -> tuple[float | None, str]:
    """A figure's growth: its rate (「…增长率」) or this year's amount over last year's. A system that
    configures 三个增长 but not this figure reads it by its own names."""
    if not keys:
        return None, "所选履职评价指标体系未配置「经费 › 三个增长」"
    rate_names = keys.get(f"{name}增长率", (f"{name}增长率",))
    rate = county.find(rate_names)
    if rate is not None:
        return as_rate(rate)
    now_names, before_names = keys.get(name, (name,)), keys.get(f"上年{name}", (f"上年{name}",))
    now, before = county.find(now_names), county.find(before_names)
    before_value, _ = (None, "") if before is None or now is None else in_unit(before, now.unit)
    if now is None or before_value is None or before_value <= 0:
        return None, missing(rate_names) + f"（或「{now_names[0]}」和「{before_names[0]}」）"
    return float(np.float64(now.value) / before_value - 1), ""

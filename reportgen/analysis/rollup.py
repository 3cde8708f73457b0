"""A city's roll-up of several counties after a 回访督导 (issue 17; shared/spec/analysis-json.md ``rollup``).

Pure functions. Each county's analysis (``analyze(ws)``, its ``rectification`` block judged on the
roll-up's date) and its open ledger items become a *county digest* (``county_digest``); ``rollup``
puts the digests side by side: each county's 整改完成率 against the city's target, overdue and open
items, the indicators still failing; the 共性问题 (a failing indicator, or open items of one ledger
category, found in at least ``shared_min`` counties), each county's 个性问题, the ranking, and the
counties that could not be included with their errors. The result alone is enough to write the
city's 回访督导情况报告 and its annex.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from reportgen.analysis.common import g, pct
from reportgen.analysis.rectification import OPEN_STATES, _item

SECTIONS = {"primary": "小学", "junior": "初中"}
RESOURCES = "资源配置"
# Guarantee items whose problems a city reports together with the ledger's 班额 problems
# (seed 002: "大班额大校额尚未完全化解").
_ITEM_CATEGORIES = {"class_size": "班额", "school_size": "班额"}
_PRESCHOOL = {"gross_enrolment": "学前三年毛入园率", "inclusive_coverage": "普惠性幼儿园覆盖率",
              "public_share": "公办园在园幼儿占比"}
_COUNTS = ("total", "done", "in_progress", "not_started", "long_term", "completion_rate", "completion_rate_reason")


# ---------------------------------------------------------------- one county

def open_items(ledger: pd.DataFrame, as_of: dt.date) -> list[dict]:
    """Every ledger item still open (整改中 · 未启动) on ``as_of``, by 序号, overdue or not."""
    rows = ledger[ledger["整改状态"].isin(OPEN_STATES)].sort_values("序号")
    return [_open_item(row, as_of) for _, row in rows.iterrows()]


def _open_item(row: pd.Series, as_of: dt.date) -> dict:
    item = _item(row, as_of)
    return {**item, "overdue": item["days_late"] > 0, "person": row["责任人"],
            "progress": row["整改进展"], "source": row["问题来源"]}


def county_digest(analysis: dict, items: list[dict], workspace: str) -> dict:
    """What the roll-up keeps of one county: ledger counts, open items, failing indicators, CVs."""
    rect = analysis["rectification"]
    failed = failing_indicators(analysis)
    return {
        "region": analysis["region"], "year": analysis["year"], "workspace": workspace,
        "as_of": rect["as_of"], **{key: rect[key] for key in _COUNTS},
        "overdue": len(rect["overdue"]), "open": len(items),
        "categories": _categories(rect["categories"], items),
        "open_items": items,
        "indicators_failed": len(failed), "failed_indicators": failed,
        "quality": quality_cvs(analysis.get("quality_balance") or {}),
    }


def _categories(categories: list[dict], items: list[dict]) -> list[dict]:
    return [{**c, "open": sum(i["category"] == c["category"] for i in items)} for c in categories]


def quality_cvs(quality: dict) -> dict:
    """Per section: each 优质均衡 indicator's CV against its limit, and the per-school passes."""
    return {section: {
        "composite_cv": block.get("composite_cv"),
        "indicators": {key: {"label": ind["label"], "cv": ind["cv"], "cv_max": ind.get("cv_max"),
                             "cv_ok": ind.get("cv_ok")} for key, ind in block["indicators"].items()},
        "schools_in_scope": block.get("schools_in_scope"), "schools_ok": block.get("schools_ok"),
        "schools_failing": block.get("schools_failing"), "ok": block.get("ok"),
    } for section, block in quality.items() if section in SECTIONS and block}


# ---------------------------------------------------------------- failing indicators

def failing_indicators(analysis: dict) -> list[dict]:
    """Every indicator the county still fails: ``id`` (stable across counties), ``category``,
    ``label``, ``value``, ``limit`` and a Chinese ``reason``."""
    return [
        *quality_failures(analysis.get("quality_balance") or {}),
        *item_failures(analysis.get("guarantee") or [], "guarantee", "政府保障程度"),
        *item_failures(analysis.get("education_quality") or [], "education_quality", "教育质量"),
        *item_failures([analysis["social_recognition"]] if analysis.get("social_recognition") else [],
                       "social", "社会认可度"),
        *veto_failures(analysis.get("vetoes") or []),
        *funding_failures(analysis.get("funding") or {}),
        *preschool_failures(analysis.get("preschool")),
    ]


def quality_failures(quality: dict) -> list[dict]:
    found = []
    for section, name in SECTIONS.items():
        block = quality.get(section)
        if not block:
            continue
        for key, ind in block["indicators"].items():
            if ind.get("cv_ok") is False:
                found.append(_failure(f"quality.{section}.{key}.cv", RESOURCES, f"{name}{ind['label']}差异系数",
                                      ind["cv"], ind["cv_max"], f"差异系数为{g(ind['cv'])}，高于{g(ind['cv_max'])}"))
        if block.get("per_school_ok") is False:
            failing = [s["name"] for s in block.get("schools", []) if s.get("ok") is False]
            found.append({**_failure(f"quality.{section}.schools", RESOURCES, f"{name}校际资源配置逐校达标",
                                     block["schools_failing"], None,
                                     f"{block['schools_failing']}所{name}资源配置未达到逐校要求"),
                          "schools": failing})
    return found


def item_failures(items: list[dict], prefix: str, category: str) -> list[dict]:
    return [_failure(f"{prefix}.{i['id']}", _ITEM_CATEGORIES.get(i["id"], category), i["label"],
                     i.get("value"), i.get("standard"), i.get("reason"))
            for i in items if i.get("status") == "未达标"]


def veto_failures(vetoes: list[dict]) -> list[dict]:
    return [_failure(f"veto.{v['id']}", "否决情形", v["label"], v.get("value"), None, v.get("reason"))
            for v in vetoes if v.get("triggered")]


def funding_failures(funding: dict) -> list[dict]:
    found = []
    rule = funding.get("two_no_decrease") or {}
    for key, label in (("spending", "一般公共预算教育支出逐年只增不减"),
                       ("per_pupil", "按在校学生人数平均的一般公共预算教育支出逐年只增不减")):
        if rule.get(f"{key}_ok") is False:
            years = rule.get(f"{key}_failing_years") or []
            found.append(_failure(f"funding.{key}", "经费投入", label, years, None,
                                  f"{'、'.join(f'{y}年' for y in years)}低于上年"))
    growth = funding.get("three_growth") or {}
    if growth.get("ok") is False:
        failed = "；".join(p["label"] for p in growth.get("parts") or [] if p["ok"] is False)
        found.append(_failure("funding.three_growth", "经费投入", failed or "三个增长",
                              growth.get("appropriation_growth"), growth.get("revenue_growth"), growth.get("reason")))
    return found


def preschool_failures(preschool: dict | None) -> list[dict]:
    if not preschool:
        return []
    return [_failure(f"preschool.{key}", "学前教育", label, preschool.get(key), preschool.get(f"{key}_min"),
                     f"{label}为{pct(preschool[key])}，低于{pct(preschool[f'{key}_min'])}")
            for key, label in _PRESCHOOL.items() if preschool.get(f"{key}_ok") is False]


def _failure(key: str, category: str, label: str, value: object, limit: object, reason: str | None) -> dict:
    return {"id": key, "category": category, "label": label, "value": value, "limit": limit, "reason": reason}


# ---------------------------------------------------------------- the city

def rollup(digests: list[dict], excluded: list[dict], as_of: dt.date, target: float,
           shared_min: int, city: dict | None = None) -> dict:
    """The roll-up of the included counties' digests (in the given order) and the excluded ones."""
    counties, duplicates = _distinct(digests)
    excluded = [*excluded, *duplicates]
    counties = [{**c, "completion_ok": _meets(c["completion_rate"], target)} for c in counties]
    ranks = ranking(counties)
    rank_of = {r["region"]: r["rank"] for r in ranks}
    counties = [{**c, "rank": rank_of[c["region"]]} for c in counties]
    common = common_problems(counties, shared_min)
    return {
        "as_of": as_of.isoformat(),
        "target": {"completion_rate": target, "shared_min": shared_min},
        "city": {**(city or {}), **city_totals(counties, excluded)},
        "counties": counties,
        "ranking": ranks,
        "common_problems": common,
        "individual_problems": individual_problems(counties, common),
        "excluded": excluded,
        "complete": not excluded,
    }


def _distinct(digests: list[dict]) -> tuple[list[dict], list[dict]]:
    """The first digest of each region; a second one of the same region is excluded, not merged."""
    seen: dict[str, str] = {}
    kept, dropped = [], []
    for d in digests:
        if d["region"] in seen:
            message = f"地区名称「{d['region']}」与工作区「{seen[d['region']]}」相同，同一个县（区）只汇总一次"
            dropped.append({"workspace": d["workspace"], "region": d["region"], "errors": [{"message": message}]})
        else:
            seen[d["region"]] = d["workspace"]
            kept.append(d)
    return kept, dropped


def _meets(rate: float | None, target: float) -> bool | None:
    return None if rate is None else rate >= target


def ranking(counties: list[dict]) -> list[dict]:
    """Counties by 整改完成率 (highest first), then fewer overdue items, then fewer failing
    indicators; equal keys share a rank. A county without a ledger comes last."""
    def key(c: dict) -> tuple:
        rate = c["completion_rate"]
        return (rate is None, -(rate or 0.0), c["overdue"], c["indicators_failed"])

    ordered = sorted(counties, key=key)
    ranks: list[dict] = []
    previous = None
    for position, c in enumerate(ordered, start=1):
        rank = ranks[-1]["rank"] if previous == key(c) else position
        previous = key(c)
        ranks.append({"rank": rank, "region": c["region"], "completion_rate": c["completion_rate"],
                      "completion_ok": c["completion_ok"], "overdue": c["overdue"], "open": c["open"],
                      "indicators_failed": c["indicators_failed"]})
    return ranks


def city_totals(counties: list[dict], excluded: list[dict]) -> dict:
    total, done = sum(c["total"] for c in counties), sum(c["done"] for c in counties)
    return {
        "total": total, "done": done,
        "completion_rate": done / total if total else None,
        "completion_rate_reason": None if total else "纳入汇总的县（区）整改台账均为空",
        "overdue": sum(c["overdue"] for c in counties), "open": sum(c["open"] for c in counties),
        "counties_included": len(counties), "counties_excluded": len(excluded),
        "counties_meeting_target": [c["region"] for c in counties if c["completion_ok"]],
        "counties_below_target": [c["region"] for c in counties if c["completion_ok"] is False],
        "counties_without_ledger": [c["region"] for c in counties if c["completion_ok"] is None],
    }


# ---------------------------------------------------------------- 共性问题 and 个性问题

def common_problems(counties: list[dict], shared_min: int) -> list[dict]:
    """Problems found in at least ``shared_min`` counties, grouped by category (in first-seen
    order): failing indicators by id, and open ledger items by their 问题类别; counties named."""
    indicators = _indicator_counties(counties)
    ledger = _ledger_counties(counties)
    groups: dict[str, dict] = {}
    for key, (first, regions) in indicators.items():
        if len(regions) >= shared_min:
            _group(groups, first["category"])["indicators"].append(
                {"id": key, "label": first["label"], "counties": regions})
    for category, by_region in ledger.items():
        if len(by_region) >= shared_min:
            _group(groups, category)["open_items"] = [
                {"region": region, "count": len(items), "problems": [i["problem"] for i in items]}
                for region, items in by_region.items()]
    order = {region: n for n, region in enumerate(c["region"] for c in counties)}
    for group in groups.values():
        named = {r for i in group["indicators"] for r in i["counties"]} | {o["region"] for o in group["open_items"]}
        group["counties"] = sorted(named, key=order.__getitem__)
    return list(groups.values())


def _group(groups: dict[str, dict], category: str) -> dict:
    return groups.setdefault(category, {"category": category, "counties": [], "indicators": [], "open_items": []})


def _indicator_counties(counties: list[dict]) -> dict[str, tuple[dict, list[str]]]:
    found: dict[str, tuple[dict, list[str]]] = {}
    for c in counties:
        for ind in c["failed_indicators"]:
            found.setdefault(ind["id"], (ind, []))[1].append(c["region"])
    return found


def _ledger_counties(counties: list[dict]) -> dict[str, dict[str, list[dict]]]:
    found: dict[str, dict[str, list[dict]]] = {}
    for c in counties:
        for item in c["open_items"]:
            found.setdefault(item["category"], {}).setdefault(c["region"], []).append(item)
    return found


def individual_problems(counties: list[dict], common: list[dict]) -> list[dict]:
    """Per county: its failing indicators and open items that are not 共性问题."""
    shared_ids = {i["id"] for g in common for i in g["indicators"]}
    shared_categories = {g["category"] for g in common if g["open_items"]}
    return [{"region": c["region"],
             "indicators": [i for i in c["failed_indicators"] if i["id"] not in shared_ids],
             "open_items": [i for i in c["open_items"] if i["category"] not in shared_categories]}
            for c in counties]

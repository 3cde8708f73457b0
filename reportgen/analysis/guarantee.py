"""政府保障程度, 教育质量, 社会认可度 items and the vetoes (standards §1.2–1.5).

Every item the workbook can decide is decided; an item that needs a person's statement, or
whose data are missing, is 待说明 with the reason — never passed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from reportgen.systems.indicators import ROOM_MINIMA, Condition, Item, QualitySystem, Relaxation, Veto
from reportgen.analysis.common import FAIL, PASS, PENDING, g, name_list, pct, school_label, text
from reportgen.analysis.county import County, as_ratio, in_unit, missing
from reportgen.analysis.exemptions import (exempted_entry, exemption_note, relaxed_schools,
                                          relaxed_standard)
from reportgen.analysis.split import ID, NAME, ROW, TYPE, school_pupils
from reportgen.analysis.statements import UNSTATED_REASON, stated_verdict

NARRATIVE_REASON = UNSTATED_REASON  # an item that needs a statement and has none


@dataclass(frozen=True)
class Context:
    """What the item checks read: the schools, the county values and the size results."""

    schools: pd.DataFrame
    county: County
    system: QualitySystem
    class_size: Mapping[str, Any]
    school_size: Mapping[str, Any]
    statements: pd.DataFrame | None = None   # the 情况说明 sheet (items a person states)


def evaluate_items(items: tuple[Item, ...], ctx: Context) -> list[dict]:
    return [evaluate_item(item, ctx) for item in items]


def evaluate_item(item: Item, ctx: Context) -> dict:
    base: dict[str, Any] = {"number": item.number, "id": item.id, "label": item.label, "note": item.note,
            "conditions": [], "details": []}
    if item.check == "说明":
        return {**base, "check": "说明", **stated_item(item, ctx.statements)}
    if item.check == "县级":
        conditions = [evaluate_condition(c, ctx.county) for c in item.conditions]
        result = {**base, "check": "县级", **combine(conditions), "conditions": conditions}
    else:
        result = {**base, "check": item.check, **SCHOOL_CHECKS[item.check](item, ctx)}
    return with_stated_part(result, item, ctx.statements) if item.stated_part else result


def stated_item(item: Item, statements: pd.DataFrame | None) -> dict:
    """An item only a person can state (计算: 说明): the verdict stated in 情况说明, else 待说明."""
    return stated_verdict(statements, item.statement_names) or {
        "status": PENDING, "value": None, "standard": None, "reason": NARRATIVE_REASON}


def worst(statuses) -> str:
    """One status for several: 未达标 wins, then 待说明, else 达标."""
    return FAIL if FAIL in statuses else PENDING if PENDING in statuses else PASS


def with_stated_part(result: dict, item: Item, statements: pd.DataFrame | None) -> dict:
    """An item whose other half (说明项) the county states: 未达标 if either half fails, 达标 only when
    the figures pass and the statement says 达标 (or 不适用), else 待说明."""
    said = stated_verdict(statements, item.statement_names)
    held = None if said is None else said["status"] != FAIL
    part = {"label": item.stated_part, "status": PENDING if said is None else PASS if held else FAIL,
            "reason": f"「{item.stated_part}」{UNSTATED_REASON}" if said is None else said["reason"]}
    out = {**result, "status": worst((result["status"], part["status"])), "reason": f"{result['reason']}；{part['reason']}", "stated_part": part}
    return {**out, "statement": said["statement"]} if said else out


def combine(conditions: list[dict]) -> dict:
    """One status for several conditions: 未达标 wins, then 待说明, else 达标."""
    single = len(conditions) == 1
    return {"status": worst([c["status"] for c in conditions]),
            "value": conditions[0]["value"] if single else [c["value"] for c in conditions],
            "standard": "；".join(c["standard"] for c in conditions),
            "reason": "；".join(dict.fromkeys(c["reason"] for c in conditions))}


# ---------------------------------------------------------------- 县级指标 conditions

def evaluate_condition(cond: Condition, county: County) -> dict:
    return {"县级数值": _county_value, "县级比例": _county_ratio, "县级比较": _county_compare}[cond.kind](cond, county)


def _result(cond: Condition, value: float | None, standard: str, status: str, reason: str,
            inputs: list) -> dict:
    return {"label": cond.label, "value": value, "standard": standard, "status": status,
            "reason": reason, "inputs": [i.as_input() for i in inputs]}


def _pending(cond: Condition, standard: str, reason: str, inputs: list | None = None) -> dict:
    return _result(cond, None, standard, PENDING, reason, inputs or [])


def _minimum(cond: Condition) -> float:
    """The condition's lower bound (the system file requires one for these checks)."""
    if cond.at_least is None:
        raise TypeError(f"condition {cond.label} has no lower bound")
    return cond.at_least


def _county_value(cond: Condition, county: County) -> dict:
    unit = cond.unit or ""
    at_least = _minimum(cond)
    standard = f"≥{g(at_least)}{unit}"
    item = county.find(cond.names)
    if item is None:
        return _pending(cond, standard, missing(cond.names))
    value, problem = in_unit(item, cond.unit)
    if value is None:
        return _pending(cond, standard, problem, [item])
    ok = value >= at_least
    verdict = "不低于" if ok else "低于"
    reason = f"{cond.label}为{g(value)}{unit}，{verdict}{g(at_least)}{unit}"
    return _result(cond, value, standard, PASS if ok else FAIL, reason, [item])


def _county_ratio(cond: Condition, county: County) -> dict:
    at_least = _minimum(cond)
    standard = "100%" if at_least >= 1 else f"≥{pct(at_least)}"
    if cond.names:
        item = county.find(cond.names)
        if item is None:
            return _pending(cond, standard, missing(cond.names))
        value, note = as_ratio(item)
        inputs = [item]
        if value is None:
            return _pending(cond, standard, note, inputs)
    else:
        top, bottom = county.find(cond.numerator), county.find(cond.denominator)
        gaps = [names for names, v in ((cond.numerator, top), (cond.denominator, bottom)) if v is None]
        if top is None or bottom is None:
            return _pending(cond, standard, missing(*gaps))
        inputs = [top, bottom]
        if top.unit and bottom.unit and top.unit != bottom.unit:
            top_value, problem = in_unit(top, bottom.unit)
            if top_value is None:
                return _pending(cond, standard, problem, inputs)
        else:
            top_value = top.value
        if bottom.value == 0:
            return _pending(cond, standard, f"「{bottom.name}」为0，无法计算比例", inputs)
        value, note = top_value / bottom.value, ""
    ok = value >= at_least
    return _result(cond, value, standard, PASS if ok else FAIL, _ratio_reason(cond.label, value, at_least, ok)
                   + (f"（{note}）" if note else ""), inputs)


def _ratio_reason(label: str, value: float, at_least: float, ok: bool) -> str:
    """An item that must reach the whole (100%) says so: "达到100%", not "不低于100.00%"."""
    if at_least >= 1:
        return f"{label}达到100%" if ok else f"{label}为{pct(value)}，未达到100%"
    return f"{label}为{pct(value)}，{'不低于' if ok else '低于'}{pct(at_least)}"


def _county_compare(cond: Condition, county: County) -> dict:
    other_name = cond.at_least_names[0]
    standard = f"≥{other_name}"
    item, other = county.find(cond.names), county.find(cond.at_least_names)
    gaps = [names for names, v in ((cond.names, item), (cond.at_least_names, other)) if v is None]
    if item is None or other is None:
        return _pending(cond, standard, missing(*gaps))
    value, problem = in_unit(item, other.unit)
    if value is None:
        return _pending(cond, standard, problem, [item, other])
    ok = value >= other.value
    unit = other.unit or ""
    reason = (f"{cond.label}为{g(value)}{unit}，{'不低于' if ok else '低于'}"
              f"{other.name}{g(other.value)}{unit}")
    return _result(cond, value, standard, PASS if ok else FAIL, reason, [item, other])


# ---------------------------------------------------------------- checks on school data

def music_art_rooms(item: Item, ctx: Context) -> dict:
    """Rooms ≥ ceil(classes / N) for music and for art, and the smallest room at least the minimum
    (the relaxed minimum for a school the 放宽标准 applies to)."""
    p = item.params
    relaxation: Relaxation | None = p.get("relaxed")
    schools = ctx.schools[ctx.schools[TYPE].isin(p["types"])]
    relaxed = relaxed_schools(schools, relaxation)
    need = np.ceil(schools[["小学班级数", "初中班级数"]].sum(axis=1, min_count=1) / p["classes_per_room"])
    problems: dict[object, list[str]] = {}
    spared: dict[object, list[str]] = {}    # relaxed minima a school meets while missing the standard
    unknown = need.isna()
    for subject in ("音乐", "美术"):
        rooms, area = schools[f"{subject}专用教室数"], schools[f"{subject}专用教室最小面积"]
        for index in schools.index[rooms < need]:
            problems.setdefault(index, []).append(f"{subject}专用教室{g(rooms[index])}间，应配{g(need[index])}间")
        _room_areas(subject, rooms, area, p, relaxation, relaxed, problems, spared)
        unknown |= rooms.isna() | ((rooms > 0) & area.isna())
    failing = schools.loc[[i for i in schools.index if i in problems]]
    details = _school_details(failing, ["；".join(problems[i]) for i in failing.index], relaxed)
    exempted = [exempted_entry(schools.loc[i], "，".join(spared[i])) for i in schools.index
                if i in spared and i not in problems]
    standard = (f"每{g(p['classes_per_room'])}个班级音乐、美术专用教室各1间以上；音乐≥{g(p['music_min_area'])}平方米，"
                f"美术≥{g(p['art_min_area'])}平方米")
    open_rows = schools[unknown & ~schools.index.isin(failing.index)]
    open_names = [school_label(n, r) for n, r in zip(open_rows[NAME], open_rows[ROW])]
    return {**_school_verdict(len(details), details, open_names, standard,
                              fail_text=f"{len(details)}所学校音乐、美术专用教室未达标",
                              pass_text=f"{len(schools)}所小学、初中音乐、美术专用教室均达标",
                              open_text="未填报班级数或音乐、美术专用教室数据", exempted=exempted),
            "relaxed_standard": _rooms_relaxed_standard(relaxation),
            "exemption_notes": [note for r, i in zip(failing.to_dict("records"), failing.index)
                                if (note := exemption_note(r, relaxation, bool(relaxed[i])))]}


def _room_areas(subject: str, rooms: pd.Series, area: pd.Series, params: dict, relaxation: Relaxation | None,
                relaxed: pd.Series, problems: dict, spared: dict) -> None:
    """The smallest room of ``subject`` against the standard area, or the relaxed one where it applies."""
    key = f"{subject}教室最小面积"
    standard = params[ROOM_MINIMA[key]]
    minimum = pd.Series(float(standard), index=area.index)
    if relaxation is not None and key in relaxation.values:
        minimum[relaxed] = relaxation.values[key]
    small = (rooms > 0) & (area < standard)
    for index in area.index[small & (area < minimum)]:
        named = "放宽标准" if minimum[index] < standard else ""
        problems.setdefault(index, []).append(
            f"{subject}专用教室最小面积{g(area[index])}平方米，低于{named}{g(minimum[index])}平方米")
    for index in area.index[small & (area >= minimum)]:
        spared.setdefault(index, []).append(f"{subject}专用教室不小于{g(minimum[index])}平方米")


def _rooms_relaxed_standard(relaxation: Relaxation | None) -> str | None:
    values = "，".join(f"{key.removesuffix('教室最小面积')}≥{g(v)}平方米"
                      for key, v in (relaxation.values if relaxation else {}).items())
    return relaxed_standard(relaxation, f"专用教室面积{values}")


def school_size_item(item: Item, ctx: Context) -> dict:
    block = ctx.school_size
    over = block["over_limit"]
    limits = ctx.system.school_size.caps
    standard = "；".join(f"{t}≤{g(v)}人" for t, v in limits.items())
    details = [{"id": s["id"], "name": s["name"], "row": s["row"], "relaxed": s.get("relaxed", False),
                "problem": f"义务教育阶段在校生{g(s['pupils'])}人，超过{'放宽标准' if s.get('relaxed') else ''}"
                           f"{g(s['limit'])}人",
                "exemption": s.get("exemption")} for s in over]
    unknown = block["schools_unknown"]
    return {**_school_verdict(len(over), details, [f"{unknown}所学校"] if unknown else [], standard,
                              fail_text=f"{len(over)}所学校超规模办学", pass_text="全县无超规模办学学校",
                              open_text="未填报在校生数", exempted=block.get("exempted") or []),
            "relaxed_standard": block.get("relaxed_standard"), "exemption_notes": block.get("exemption_notes") or []}


def class_size_item(item: Item, ctx: Context) -> dict:
    result = ctx.class_size
    standards = result["bands"]["standard"]
    standard = f"小学≤{g(standards['小学'])}人，初中≤{g(standards['初中'])}人"
    if not result["available"]:
        return {"status": PENDING, "value": None, "standard": standard, "reason": result["reason"]}
    over = result["primary"]["over_standard"] + result["junior"]["over_standard"]
    if over:
        reason = (f"小学{result['primary']['over_standard']}个班级超过{g(standards['小学'])}人，"
                  f"初中{result['junior']['over_standard']}个班级超过{g(standards['初中'])}人")
    else:
        reason = "全县所有班级均不超过标准班额"
    return {"status": FAIL if over else PASS, "value": over, "standard": standard, "reason": reason,
            "details": _class_size_details(result["schools"])}


def _class_size_details(sections: list[dict]) -> list[dict]:
    """One entry per school: a 九年一贯制 school with classes over the standard in both sections
    is one school (its sections' counts named together), so "等N所" counts schools."""
    by_school: dict[str, list[dict]] = {}
    for s in sections:
        if s["over_standard"]:
            by_school.setdefault(s["id"], []).append(s)
    words = {"primary": "小学", "junior": "初中"}
    details = []
    for parts in by_school.values():
        parts = sorted(parts, key=lambda p: list(words).index(p["section"]) if p["section"] in words else 2)
        counts = "、".join(f"{words.get(p['section'], '')}{p['over_standard']}个" for p in parts) if len(parts) > 1 \
            else f"{parts[0]['over_standard']}个"
        details.append({"id": parts[0]["id"], "name": parts[0]["name"], "row": None,
                        "problem": f"{counts}班级超过标准班额"})
    return details


def small_school_funding(item: Item, ctx: Context) -> dict:
    """Schools below N pupils in the named scopes; 达标 needs the county to report them all funded as N."""
    p = item.params
    schools = ctx.schools
    in_scope = pd.Series(False, index=schools.index)
    for school_type, area in p["scopes"]:
        match = schools[TYPE] == school_type
        in_scope |= match & (schools["城乡分类"] == area) if area else match
    pupils = school_pupils(schools, ("小学", "初中"))
    small = schools[in_scope & (pupils < p["below"])]
    standard = f"不足{g(p['below'])}名学生的学校按{g(p['below'])}名学生核定公用经费"
    details = [{"id": r[ID], "name": r[NAME], "row": int(r[ROW]),
                "problem": f"在校生{g(n)}人，按{g(p['below'])}人核定"} for r, n in
               zip(small.to_dict("records"), pupils[small.index])]
    if small.empty:
        return {"status": PASS, "value": 0, "standard": standard, "details": [],
                "reason": f"全县无不足{g(p['below'])}名学生的村小学和教学点"}
    funded = ctx.county.find(p["names"])
    base = f"全县不足{g(p['below'])}名学生的村小学和教学点{len(small)}所"
    if funded is None:
        return {"status": PENDING, "value": len(small), "standard": standard, "details": details,
                "reason": f"{base}，{missing(p['names'])}，需说明是否均按{g(p['below'])}名学生核定公用经费"}
    ok = funded.value >= len(small)
    reason = f"{base}，按{g(p['below'])}名学生核定公用经费的{g(funded.value)}所"
    return {"status": PASS if ok else FAIL, "value": len(small), "standard": standard, "details": details,
            "reason": reason, "conditions": [{"label": funded.name, "value": funded.value, "inputs": [funded.as_input()]}]}


def school_ratio(item: Item, ctx: Context) -> dict:
    """Every school in scope: 分子 / 分母 from the 学校 sheet at least the minimum. Without the
    schools' figures the county total decides only a failure (a total below the minimum means
    some school is below it) or a reported count of schools below it; otherwise 待说明."""
    p = item.params
    schools = ctx.schools[ctx.schools[TYPE].isin(p["types"])]
    top, bottom = (_school_column(schools, p[k]) for k in ("numerator", "denominator"))
    county = evaluate_condition(p["county"], ctx.county)
    minimum = pct(p["at_least"])
    standard = f"每所学校≥{minimum}"
    if top.isna().all() and bottom.isna().all():
        return {**_county_only(p, ctx.county, county, standard), "conditions": [county]}
    share = top / bottom.where(bottom > 0)
    below = schools[share < p["at_least"]]
    details = _school_details(below, [f"{p['label']}为{pct(share[i])}" for i in below.index])
    named = [f"{r[NAME]}（{pct(share[i])}）" for i, r in below.iterrows()]
    open_rows = schools[share.isna()]
    verdict = _school_verdict(len(details), details,
                              [school_label(n, r) for n, r in zip(open_rows[NAME], open_rows[ROW])], standard,
                              fail_text=f"{len(details)}所学校{p['label']}低于{minimum}：{name_list(named)}",
                              pass_text=f"{len(schools)}所学校{p['label']}均不低于{minimum}",
                              open_text=f"未填报「{p['numerator']}」或「{p['denominator']}」")
    return {**verdict, "conditions": [county], "columns": [p["numerator"], p["denominator"]]}


def _school_column(schools: pd.DataFrame, column: str) -> pd.Series:
    return schools[column] if column in schools.columns else pd.Series(np.nan, index=schools.index)


def _county_only(p: dict, county: County, total: dict, standard: str) -> dict:
    count = county.find(p["names"]) if p["names"] else None
    if count is not None:
        ok = count.value == 0
        return {"status": PASS if ok else FAIL, "value": count.value, "standard": standard, "details": [],
                "reason": f"{count.name}为{g(count.value)}所"}
    if total["status"] == FAIL:
        return {"status": FAIL, "value": None, "standard": standard, "details": [],
                "reason": f"全县合计{total['reason']}，至少有1所学校低于{pct(p['at_least'])}"}
    asked = f"「学校」工作表未填报各校「{p['numerator']}」「{p['denominator']}」"
    if p["names"]:
        asked += f"，「县级指标」工作表也未填报「{p['names'][0]}」"
    return {"status": PENDING, "value": None, "standard": standard, "details": [],
            "reason": f"全县合计{total['reason']}；{asked}，不能判断所有学校是否均不低于{pct(p['at_least'])}"}


SCHOOL_CHECKS = {"专用教室": music_art_rooms, "学校规模": school_size_item, "班额": class_size_item,
                 "小规模学校经费": small_school_funding, "学校比例": school_ratio}


def _school_details(rows: pd.DataFrame, problems: list[str], relaxed: pd.Series | None = None) -> list[dict]:
    """A failing school each; ``relaxed``: whether it was judged against a relaxed standard (none by default)."""
    return [{"id": r[ID], "name": r[NAME], "row": int(r[ROW]), "problem": problem,
             "relaxed": bool(relaxed[i]) if relaxed is not None else False,
             "exemption": text(r.get("豁免说明"))}
            for i, r, problem in zip(rows.index, rows.to_dict("records"), problems)]


def _school_verdict(failing: int, details: list, open_names: list[str], standard: str, *,
                    fail_text: str, pass_text: str, open_text: str, exempted: list[dict] | None = None) -> dict:
    """The item's verdict; ``exempted``: schools that meet only the relaxed standard they are approved for."""
    if failing:
        status, reason = FAIL, fail_text
    elif open_names:
        status, reason = PENDING, f"{open_text}：{name_list(open_names)}"
    else:
        status, reason = PASS, pass_text
    return {"status": status, "value": failing, "standard": standard, "reason": reason,
            "details": details, "exempted": exempted or []}


# ---------------------------------------------------------------- vetoes

def evaluate_vetoes(vetoes: tuple[Veto, ...], county: County) -> list[dict]:
    return [evaluate_veto(v, county) for v in vetoes]


def evaluate_veto(veto: Veto, county: County) -> dict:
    """存在 when any of the veto's figures is above 0, 未发生 only when all are reported 0, else 待说明."""
    found = [(names, county.find(names)) for names in veto.figures]
    reported = [item for _, item in found if item is not None]
    gaps = [names for names, item in found if item is None]
    above = [item for item in reported if item.value > 0]
    base = {"id": veto.id, "label": veto.label, "action": veto.action,
            "inputs": [item.as_input() for item in reported]}
    if above:
        return {**base, "status": "存在", "triggered": True, "value": sum(i.value for i in above),
                "reason": "、".join(f"{i.name}为{g(i.value)}" for i in above)}
    if gaps or not veto.figures:
        reason = missing(*gaps) if gaps else NARRATIVE_REASON
        return {**base, "status": PENDING, "triggered": None, "value": None, "reason": reason}
    return {**base, "status": "未发生", "triggered": False, "value": 0.0,
            "reason": "、".join(f"{i.name}为0" for i in reported)}

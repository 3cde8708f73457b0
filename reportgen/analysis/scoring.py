"""履行教育职责评价 scoring (standards §4).

Each 测评点 gets the user's 自评得分 or, where the indicator system links it to a computed
result, a proposed score with its reason ("2所学校超规模办学，扣2分"). Points marked 适用=否
drop out and the total is handled as the system says (按比例折算 / 不计入 / 计满分). 加分 is
capped; 一票否决 sets the lowest grade and each 降一等 lowers the grade by one band.
"""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from reportgen.systems.indicators import BONUS_LEVEL1, DutyPoint, DutySystem, duty_point_rows
from reportgen.analysis.common import PASS, PENDING, change, g, num, text
from reportgen.analysis.quality import cv_over_phrase
from reportgen.analysis.scheme_rules import _ROUND, Figures, Measure, propose, score_rule

__all__ = ["Measure", "propose", "measures", "score_point", "score_duty", "sheet_rows", "grade_for", "apply_vetoes"]


# ---------------------------------------------------------------- measures from the analysis

def measures(result: dict) -> dict[str, Measure]:
    """Every 依据 a 测评点 may name, computed from the rest of the analysis result."""
    out = {**_size_measures(result), **_funding_measures(result), **_balance_measures(result)}
    for prefix, key in (("政府保障程度", "guarantee"), ("教育质量", "education_quality")):
        for item in result.get(key, []):
            out[f"{prefix}.{item['id']}"] = _item_measure(item)
    if result.get("social_recognition"):
        out["社会认可度"] = _item_measure(result["social_recognition"])
    return out


def _item_measure(item: dict) -> Measure:
    if item["status"] == PENDING:
        return Measure(reason=item["reason"])
    return Measure(ok=item["status"] == PASS, phrase=item["reason"])


def _counted(n: int | None, some: str, none: str, reason: str | None = None) -> Measure:
    if n is None:
        return Measure(reason=reason)
    return Measure(count=n, phrase=some.format(n=n) if n else none)


def _size_measures(result: dict) -> dict[str, Measure]:
    over = len(result["school_size"]["over_limit"])
    out = {"学校规模.超规模学校数": _counted(over, "{n}所学校超规模办学", "全县无超规模办学学校")}
    cs = result["class_size"]
    bands = cs["bands"]
    if not cs["available"]:
        return out | {name: Measure(reason=cs["reason"]) for name in
                      ("班额.超标准班额数", "班额.大班额数", "班额.超大班额数", "班额.大班额及以上数")}
    total = {k: cs["primary"][k] + cs["junior"][k] for k in ("over_standard", "large_56_65", "huge_66_plus")}
    large = f"{g(bands['large_min'])}～{g(bands['large_max'])}人大班额"
    huge = f"{g(bands['huge_min'])}人及以上超大班额"
    return out | {
        "班额.超标准班额数": _counted(total["over_standard"], "{n}个班级超过标准班额", "全县无超过标准班额的班级"),
        "班额.大班额数": _counted(total["large_56_65"], "{n}个" + large, "全县无" + large),
        "班额.超大班额数": _counted(total["huge_66_plus"], "{n}个" + huge, "全县无" + huge),
        "班额.大班额及以上数": _counted(total["large_56_65"] + total["huge_66_plus"],
                                   "{n}个" + f"{g(bands['large_min'])}人及以上大班额",
                                   f"全县无{g(bands['large_min'])}人及以上大班额"),
    }


def _funding_measures(result: dict) -> dict[str, Measure]:
    current = result["funding"]["current"]
    year = current["year"]

    def test(ok: bool | None, growth: float | None, what: str) -> Measure:
        if ok is None or growth is None:
            return Measure(reason=current["reason"] or f"无法计算{year}年度{what}增长")
        return Measure(ok=ok, phrase=f"{year}年{what}比上年{change(growth)}")

    spending = test(current["spending_ok"], current["spending_growth"], "一般公共预算教育支出")
    per_pupil = test(current["per_pupil_ok"], current["per_pupil_growth"], "生均一般公共预算教育支出")
    both = (Measure(ok=spending.ok and per_pupil.ok, phrase=f"{spending.phrase}，{per_pupil.phrase}")
            if spending.known and per_pupil.known else Measure(reason=spending.reason or per_pupil.reason))
    three = result["funding"]["three_growth"]
    return {
        "经费.一般公共预算教育支出只增不减": spending,
        "经费.生均一般公共预算教育支出只增不减": per_pupil,
        "经费.两个只增不减": both,
        "经费.三个增长": Measure(reason=three["reason"]) if three["ok"] is None else Measure(ok=three["ok"], phrase=three["reason"]),
    }


def _balance_measures(result: dict) -> dict[str, Measure]:
    quality = result["quality_balance"]
    sections = [quality[k] for k in ("primary", "junior")]
    over = [cv_over_phrase(k, i, e) for k in ("primary", "junior")
            for i, e in quality[k]["indicators"].items() if e["cv_ok"] is False]
    unknown = sum(e["cv_ok"] is None and s["schools_in_scope"] > 0 for s in sections for e in s["indicators"].values())
    cv = (Measure(reason="部分指标差异系数因数据缺失无法计算") if unknown and not over
          else Measure(count=len(over), phrase="；".join(p for p, _ in over) or "小学、初中各项指标差异系数均达到标准",
                       figures=tuple(f for _, figures in over for f in figures)))
    failing = sum(s["schools_failing"] for s in sections)
    open_ = sum(s["schools_undetermined"] for s in sections)
    schools = (Measure(reason=f"{open_}所学校因数据缺失无法判断") if open_ and not failing
               else _counted(failing, "{n}所学校资源配置未达到每校达标要求", "所有学校资源配置均达到每校达标要求"))
    basic = result["basic_balance"]
    basic_ok = basic["ok"]
    phrase = "；".join(f"{s['section']}综合差异系数{s['composite_cv']:.3f}" for s in
                      (basic["primary"], basic["junior"]) if s["composite_cv"] is not None)
    return {"优质均衡.差异系数超标项数": cv, "优质均衡.资源配置未达标学校数": schools,
            "基本均衡.综合差异系数": Measure(reason="综合差异系数因数据缺失无法计算") if basic_ok is None
            else Measure(ok=basic_ok, phrase=phrase)}


# ---------------------------------------------------------------- one point

def score_point(row: dict, point: DutyPoint | None, found: Figures) -> dict:
    max_score = point.max_score if point else row["max_score"]
    out = {"id": row["id"], "level1": row["level1"], "level2": row["level2"], "text": row["text"],
           "max_score": max_score, "row": row["row"], "applicable": row["applicable"],
           "criteria": point.criteria if point else "", "in_system": point is not None,
           "measure": point.rule.measure if point and point.rule else None,
           "user_score": row["user_score"], "user_reason": row["user_reason"],
           "proposed_score": None, "proposed_reason": None, "warnings": []}
    measure = found.get(point.rule.measure) if point and point.rule and point.rule.measure else None
    if point and point.rule and point.rule.spec is not None:
        out["proposed_score"], out["proposed_reason"] = score_rule(point.rule, max_score, found)
    elif point and point.rule:
        out["proposed_score"], out["proposed_reason"] = propose(point.rule, max_score, measure)
    if not row["applicable"]:
        return {**out, "score": None, "computed": False, "status": "不适用",
                "reason": row["user_reason"] or "无此项工作任务，不计分", "reason_figures": []}
    chosen = _choose(out, max_score)
    return {**out, **chosen, "reason_figures": _reason_figures(measure, chosen["reason"], out["proposed_reason"])}


def _reason_figures(measure: Measure | None, reason: str | None, proposed: str | None) -> list[dict]:
    """The figures the printed reason states, when it is the computed one (not the county's words)."""
    if measure is None or not measure.figures or reason is None or reason != proposed \
            or not reason.startswith(measure.phrase):
        return []
    return [{"id": i, "value": v, "text": t} for i, v, t in measure.figures]


def _choose(out: dict, max_score: float) -> dict:
    user, proposed = out["user_score"], out["proposed_score"]
    if user is not None:
        if user > max_score or user < 0:
            out["warnings"].append(f"测评点{out['id']}：自评得分{g(user)}超出0～{g(max_score)}分，按{g(min(max(user, 0), max_score))}分计")
            user = min(max(user, 0.0), max_score)
        if proposed is not None and not math.isclose(user, proposed):
            out["warnings"].append(f"测评点{out['id']}：自评得分{g(user)}分与数据计算的建议得分{g(proposed)}分不一致"
                                   f"（{out['proposed_reason']}）")
        reason = out["user_reason"] or (out["proposed_reason"] if proposed is not None and math.isclose(user, proposed) else None)
        return {"score": user, "computed": False, "status": "自评", "reason": reason}
    if proposed is not None:
        return {"score": proposed, "computed": True, "status": "计算", "reason": out["proposed_reason"]}
    why = f"（{out['proposed_reason']}）" if out["measure"] else ""
    return {"score": None, "computed": False, "status": "待填报", "reason": f"待填写自评得分{why}"}


# ---------------------------------------------------------------- the whole sheet

def sheet_rows(points: pd.DataFrame, system: DutySystem) -> tuple[list[dict], list[dict], list[str]]:
    """The 测评点 sheet as (scored rows, bonus rows, warnings); the system's points when empty."""
    records = points.to_dict("records") if not points.empty else [
        {**r, "_row": None} for r in duty_point_rows(system)]
    bonus_ids = {b.id for b in system.bonus}
    rows: list[dict] = []
    bonus: list[dict] = []
    warnings: list[str] = []
    for r in records:
        row: dict[str, Any] = {"id": _point_id(r["编号"]), "level1": r.get("一级指标"), "level2": r.get("二级指标"),
               "text": r.get("测评点"), "max_score": num(r.get("分值")), "row": r.get("_row"),
               "user_score": num(r.get("自评得分")), "user_reason": text(r.get("得失分说明")),
               "applicable": r.get("适用") != "否"}
        if row["row"] is not None:
            row["row"] = int(row["row"])
        (bonus if row["id"] in bonus_ids or row["level1"] == BONUS_LEVEL1 else rows).append(row)
    present = {r["id"] for r in rows}
    for point in system.points:
        if point.id not in present:
            warnings.append(f"「测评点」工作表缺少测评点{point.id}（{point.text}），按未填报处理")
            rows.append({"id": point.id, "level1": point.level1, "level2": point.level2, "text": point.text,
                         "max_score": point.max_score, "row": None, "user_score": None,
                         "user_reason": None, "applicable": True})
    return rows, bonus, warnings


def score_duty(points: pd.DataFrame, system: DutySystem, found: Figures | dict[str, Measure],
               vetoes: list[dict]) -> dict:
    """The ``duty_scoring`` block: every point, domain subtotals, total, bonus, vetoes, grade."""
    found = found if isinstance(found, Figures) else Figures(named=found)
    rows, bonus_rows, warnings = sheet_rows(points, system)
    scored = [score_point(r, system.point(r["id"]), found) for r in rows]
    for p in scored:
        warnings += p.pop("warnings")
        if not p["in_system"]:
            warnings.append(f"测评点{p['id']}不在所选指标体系「{system.name}」中，按工作表的分值计入")
        elif _sheet_max(rows, p["id"]) not in (None, p["max_score"]):
            warnings.append(f"测评点{p['id']}：工作表中的分值与指标体系不同，按指标体系的{g(p['max_score'])}分计")
    totals = _totals(scored, system)
    bonus = _bonus(bonus_rows, system, warnings)
    final = round(totals["total"] + bonus["bonus"], _ROUND)
    grade_before = grade_for(final, system.grades)
    grade = apply_vetoes(grade_before, vetoes, system.grades)
    return {
        "system": system.name, "full_marks": system.total, "not_applicable_mode": system.not_applicable,
        "points": scored, "domains": _domains(scored, system), **totals, **bonus,
        "final": final, "grade_before_vetoes": grade_before, "grade": grade, "vetoes": vetoes,
        "vetoes_pending": [v["id"] for v in vetoes if v["triggered"] is None],
        "warnings": warnings,
    }


def _totals(scored: list[dict], system: DutySystem) -> dict:
    applicable = [p for p in scored if p["applicable"]]
    skipped = [p for p in scored if not p["applicable"]]
    applicable_max = sum(p["max_score"] for p in applicable)
    raw = round(sum(p["score"] or 0.0 for p in applicable), _ROUND)
    mode = system.not_applicable
    if mode == "按比例折算":
        total = raw * system.total / applicable_max if applicable_max else 0.0
    elif mode == "计满分":
        total = raw + sum(p["max_score"] for p in skipped)
    else:
        total = raw
    missing = [p["id"] for p in applicable if p["score"] is None]
    return {"applicable_max": applicable_max, "raw_total": raw, "total": round(total, _ROUND),
            "complete": not missing, "missing": missing,
            "computed_points": [p["id"] for p in scored if p["computed"]],
            "not_applicable": [p["id"] for p in skipped]}


def _domains(scored: list[dict], system: DutySystem) -> list[dict]:
    out = []
    names = [d.name for d in system.domains] + [p["level1"] for p in scored if p["level1"] not in
                                                 {d.name for d in system.domains}]
    for name in dict.fromkeys(names):
        own = [p for p in scored if p["level1"] == name]
        applicable = [p for p in own if p["applicable"]]
        out.append({"name": name, "max_score": sum(p["max_score"] for p in own),
                    "applicable_max": sum(p["max_score"] for p in applicable),
                    "score": round(sum(p["score"] or 0.0 for p in applicable), _ROUND),
                    "complete": all(p["score"] is not None for p in applicable),
                    "points": [p["id"] for p in own]})
    return out


def _bonus(rows: list[dict], system: DutySystem, warnings: list[str]) -> dict:
    items = []
    for r in rows:
        item = next((b for b in system.bonus if b.id == r["id"]), None)
        cap = item.max_score if item else r["max_score"] or 0.0
        claimed = r["user_score"] if r["applicable"] else None
        if claimed is not None and claimed > cap:
            warnings.append(f"加分项目{r['id']}：申请加分{g(claimed)}分超过上限{g(cap)}分，按{g(cap)}分计")
        score = None if claimed is None else min(max(claimed, 0.0), cap)
        items.append({"id": r["id"], "text": r["text"] or (item.label if item else ""), "max_score": cap,
                      "score": score, "reason": r["user_reason"], "row": r["row"]})
    claimed = round(sum(i["score"] or 0.0 for i in items), _ROUND)
    bonus = min(claimed, system.bonus_cap)
    if claimed > system.bonus_cap:
        warnings.append(f"申请加分合计{g(claimed)}分，超过加分上限{g(system.bonus_cap)}分，按{g(system.bonus_cap)}分计")
    return {"bonus": bonus, "bonus_claimed": claimed, "bonus_cap": system.bonus_cap, "bonus_items": items}


def grade_for(score: float, grades: tuple[tuple[str, float], ...]) -> str:
    """The band of a score: the first grade (highest first) whose minimum the score reaches."""
    return next(name for name, minimum in grades if score >= minimum)


def apply_vetoes(grade: str, vetoes: list[dict], grades: tuple[tuple[str, float], ...]) -> str:
    """一票否决 → the lowest grade; each triggered 降一等 → one band lower."""
    names = [name for name, _ in grades]
    if any(v["triggered"] and v["action"] == "一票否决" for v in vetoes):
        return names[-1]
    steps = sum(bool(v["triggered"]) and v["action"] == "降一等" for v in vetoes)
    return names[min(names.index(grade) + steps, len(names) - 1)]


def _sheet_max(rows: list[dict], point_id: str) -> float | None:
    return next((r["max_score"] for r in rows if r["id"] == point_id), None)


def _point_id(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""

"""The counts and plain values the reports print, each with how it is obtained (for ``--explain``).

``derived_figures(result)`` maps a figure id to a ``Derived``: the value as in the result, the
sheet it comes from and the lines of working. The rich traces of ``trace.py`` (差异系数,
per-school values, class sizes, funding, items, 测评点) recompute from the workspace; these
figures are read off the result, so the working names the rule and the entries counted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from reportgen.core.vocabulary import SCHOOL_VERDICTS
from reportgen.analysis.common import g
from reportgen.analysis.counts import SPLIT_TYPES
from reportgen.analysis.profile import INFO_FIGURES, PEOPLE

SECTIONS = {"primary": "小学", "junior": "初中"}
ITEM_AREAS = {"guarantee": ("guarantee", "政府保障程度"), "quality": ("education_quality", "教育质量")}
STATUS_WORDS = ("达标", "未达标", "待说明")
LEDGER_KEYS = {"done": "已完成", "in_progress": "整改中", "not_started": "未启动", "long_term": "长期坚持"}
_NAMED = 40  # at most this many names listed in one working


@dataclass(frozen=True)
class Derived:
    value: object
    sheet: str                       # the sheet the figure comes from ("" when from other figures)
    lines: tuple[str, ...] = field(default=())


def derived_figures(result: Mapping[str, Any]) -> dict[str, Derived]:
    """Every derived figure id of ``result`` with its working."""
    out: dict[str, Derived] = {}
    for part in (_profile, _quality, _items, _vetoes, _funding, _duty, _rectification, _school_size):
        out.update(part(result))
    return out


def _names(names: list[str]) -> str:
    shown = "、".join(names[:_NAMED])
    return (shown + f"等{len(names)}个") if len(names) > _NAMED else (shown or "无")


# ---------------------------------------------------------------- profile

def _profile(result: Mapping[str, Any]) -> Iterator[tuple[str, Derived]]:
    p = result["profile"]
    types = "、".join(p["compulsory_types"])
    others = "、".join(p["other_types"])
    by_type = [f"{t}{n}所" for t, n in p["schools_by_type"].items() if t in p["compulsory_types"]]
    yield "profile.schools", Derived(p["schools"], "学校", (
        f"规则：办学类型为{types}的学校计为义务教育学校（{others}另列，不计入）",
        f"各类型：{'、'.join(by_type) or '无'}"))
    for school_type, n in p["schools_by_type"].items():
        yield f"profile.schools.{school_type}", Derived(n, "学校", (f"规则：「办学类型」为「{school_type}」的学校数",))
    excluded = result["class_size"].get("excluded_classes") or {}
    for key, suffix in PEOPLE.items():
        totals, everyone = p[key], p["all_schools"][key]
        lines = [f"规则：义务教育学校（{types}）的「小学{suffix}」与「初中{suffix}」之和",
                 "各学段：" + ("、".join(f"{s}{g(v)}" for s, v in totals["by_section"].items()) or "未填报")]
        if everyone["total"] is not None and everyone["total"] != totals["total"]:
            lines.append(f"含{others}在内的全部学校合计为{g(everyone['total'])}（不计入本数）")
        if key == "classes" and excluded:
            lines.append("班额统计同一口径：" + "、".join(f"{t}的{n}个班级" for t, n in excluded.items())
                         + "不适用标准班额，不计入班额统计")
        yield f"profile.{key}", Derived(totals["total"], "学校", tuple(lines))
        for section, value in totals["by_section"].items():
            yield f"profile.{key}.{section}", Derived(value, "学校", (
                f"规则：义务教育学校「{section}{suffix}」列之和（{others}不计入）",))
    for key, value in p["info"].items():
        if value is not None:
            yield f"profile.{key}", Derived(value, "基本信息", (f"「基本信息」工作表「{key}」（{INFO_FIGURES[key]}）",))


# ---------------------------------------------------------------- 资源配置

def _quality(result: Mapping[str, Any]) -> Iterator[tuple[str, Derived]]:
    quality, tallies = result["quality_balance"], result["counts"]["quality"]
    excluded = quality.get("excluded") or []
    yield "quality.excluded", Derived(len(excluded), "学校", (
        "规则：按评估办法不参与资源配置计算的学校", *[f"  第{s['row']}行 {s['name']}：{s['reason']}" for s in excluded]))
    for key, section in SECTIONS.items():
        yield from _quality_section(key, section, quality[key], tallies[key])


def _quality_section(key: str, section: str, block: Mapping[str, Any],
                     tally: Mapping[str, Any]) -> Iterator[tuple[str, Derived]]:
    base, indicators, schools = f"quality.{key}", block["indicators"], block["schools"]
    over = [e["label"] for e in indicators.values() if e.get("cv_ok") is False]
    unknown = [e["label"] for e in indicators.values() if e.get("cv") is None]
    by_verdict = {v: [s["name"] for s in schools if s.get("ok") is v] for v in (True, False, None)}
    parts = [s["name"] for s in schools if s.get("type") in SPLIT_TYPES]
    yield f"{base}.indicators", Derived(tally["indicators"], "", (
        f"规则：所选优质均衡指标体系的{section}资源配置指标数", "指标：" + _names([e["label"] for e in indicators.values()])))
    yield f"{base}.cv_over", Derived(tally["cv_over"], "学校", ("规则：差异系数超过标准的指标数", "指标：" + _names(over)))
    yield f"{base}.cv_unknown", Derived(tally["cv_unknown"], "学校", ("规则：因数据缺失无法计算差异系数的指标数",
                                                                     "指标：" + _names(unknown)))
    yield f"{base}.split_parts", Derived(tally["split_parts"], "学校", (
        f"规则：纳入{section}计算的一贯制学校、完全中学的{section}部数", "学校：" + _names(parts)))
    yield f"{base}.schools_in_scope", Derived(block["schools_in_scope"], "学校", (
        f"规则：参与计算且{section}在校生数大于0的学校（一贯制学校的{section}部单独计）",))
    yield f"{base}.pupils", Derived(block["pupils"], "学校", (f"规则：纳入计算的学校「{section}在校生数」之和",))
    for field_id, verdict, rule in (("schools_ok", True, "达到每校资源配置要求"), ("schools_failing", False, "未达到每校资源配置要求"),
                                    ("schools_undetermined", None, "因数据不全无法判断")):
        yield f"{base}.{field_id}", Derived(block[field_id], "学校", (f"规则：{rule}的学校数",
                                                                      "学校：" + _names(by_verdict[verdict])))
    for ind_id, e in indicators.items():
        below = [s["name"] for s in schools if ind_id in s["failed"]]
        yield f"{base}.{ind_id}.schools_below", Derived(tally["schools_below"][ind_id], "学校", (
            f"规则：「{e['label']}」未达到标准值{g(e['standard'])}{e.get('unit') or ''}的学校数", "学校：" + _names(below)))
        yield f"{base}.{ind_id}.standard", Derived(e["standard"], "", (f"「{e['label']}」{section}标准值（指标体系文件）",))
        yield f"{base}.{ind_id}.cv_max", Derived(e["cv_max"], "", (f"{section}差异系数标准上限（指标体系文件）",))
    for s in schools:
        yield f"{base}.school.{s['id']}.pupils", Derived(s["pupils"], "学校", (
            f"{s['name']}（第{s['row']}行）「{section}在校生数」",))
        yield f"{base}.school.{s['id']}.met", _school_met(s, section, indicators)


def _school_met(school: Mapping[str, Any], section: str, indicators: Mapping[str, Any]) -> Derived:
    """A school's 资源配置达标项数 and its verdict on the per-school rule of the chosen system."""
    def named(ids: list[str]) -> str:
        return _names([indicators[i]["label"] for i in ids if i in indicators])

    verdict = SCHOOL_VERDICTS[school.get("ok")]
    return Derived(school["met"], "学校", (
        f"规则：{school['name']}（第{school['row']}行）{section}资源配置指标中达到标准值的项数；"
        "每校达标要求（至少达标项数、其余项不低于标准的比例）见所选优质均衡指标体系",
        "未达到标准值：" + named(school.get("failed") or []),
        "低于标准值下限：" + named(school.get("below_floor") or []),
        "数据缺失：" + named(school.get("missing") or []),
        f"结论：{verdict}"))


# ---------------------------------------------------------------- items and vetoes

def _items(result: Mapping[str, Any]) -> Iterator[tuple[str, Derived]]:
    for prefix, (key, heading) in ITEM_AREAS.items():
        items = result[key]
        tally = result["counts"][key]
        yield f"{prefix}.items", Derived(tally["items"], "", (f"规则：{heading}的指标项数（指标体系文件）",))
        for word in STATUS_WORDS:
            numbers = [str(i.get("number") or n) for n, i in enumerate(items, 1) if i["status"] == word]
            yield f"{prefix}.{word}", Derived(tally[word], "县级指标", (
                f"规则：{heading}中结论为「{word}」的项数", f"项目：第{'、'.join(numbers) or '—'}项"))


def _vetoes(result: Mapping[str, Any]) -> Iterator[tuple[str, Derived]]:
    tally = result["counts"]["vetoes"]
    for key, flag, rule in (("triggered", True, "存在"), ("pending", None, "尚待说明")):
        names = [v["label"] for v in result["vetoes"] if v.get("triggered") is flag]
        yield f"vetoes.{key}", Derived(tally[key], "县级指标", (f"规则：{rule}的不予认定情形数", "情形：" + _names(names)))


def _funding(result: Mapping[str, Any]) -> Iterator[tuple[str, Derived]]:
    three = result["funding"].get("three_growth") or {}
    for key, label in (("appropriation_growth", "教育财政拨款增长率"), ("revenue_growth", "财政经常性收入增长率"),
                       ("salary_growth", "教师平均工资收入增长率"), ("public_funds_growth", "生均公用经费增长率")):
        if key in three:
            yield f"funding.{key}", Derived(three[key], "县级指标", (
                f"{label}（三个增长）", f"结论：{three.get('reason') or '—'}"))
    for mix in result["funding"].get("mix_effects") or []:
        if mix["proven"]:
            yield from _mix_figures(mix)


MIX_PARTS = {"within": "各学段生均增长", "structure": "学段结构变化（各学段在校生占比的变化）",
             "unassigned": "未列入各学段的一般公共预算教育支出的变化"}
MIX_FORMULAS = {"within": "公式：Σ 上年在校生占比 ×（本年生均 − 上年生均）",
                "structure": "公式：Σ（本年在校生占比 − 上年在校生占比）× 本年生均",
                "unassigned": "公式：本年 − 上年的（未列入各学段的支出 × 10000 ÷「合计」在校生数）"}


def _mix_figures(mix: Mapping[str, Any]) -> Iterator[tuple[str, Derived]]:
    """The split of a year's fall in total per-pupil spending (analysis/funding.py ``mix_effect``)."""
    y, base = mix["year"], f"funding.mix.{mix['year']}"
    split = "".join(f"{' − ' if mix[k] < 0 else ' + ' if i else ''}{g(round(abs(mix[k]), 2))}"
                    for i, k in enumerate(MIX_PARTS))
    rule = (f"{y}年「合计」生均一般公共预算教育支出比上年减少{g(round(-mix['per_pupil_change'], 2))}元，"
            f"而各学段生均均有增长；变化 = 各学段生均增长 + 学段结构变化 + 未列入各学段支出的变化 = {split}（元）")
    for key, label in MIX_PARTS.items():
        yield f"{base}.{key}", Derived(mix[key], "经费", (f"{label}对生均支出的影响（元）", MIX_FORMULAS[key], rule))
    for i, when in enumerate(("before", "now")):
        year = y - 1 + i
        yield f"{base}.unassigned_spending.{when}", Derived(mix["unassigned_spending"][i], "经费", (
            f"规则：{year}年「合计」一般公共预算教育支出减去各学段（{'、'.join(mix['levels'])}）之和（万元）",))
        for level, shares in mix["shares"].items():
            yield f"{base}.share.{when}.{level}", Derived(shares[i], "经费", (
                f"规则：{year}年{level}在校生数 ÷「合计」在校生数",))


# ---------------------------------------------------------------- 测评点

def _duty(result: Mapping[str, Any]) -> Iterator[tuple[str, Derived]]:
    scoring, tally = result["duty_scoring"], result["counts"]["duty"]
    yield "duty.points", Derived(tally["points"], "测评点", ("规则：履职评价测评点数（不含加分项目）",))
    yield "duty.not_applicable", Derived(tally["not_applicable"], "测评点", (
        "规则：「适用」为「否」的测评点数", "测评点：" + _names(list(scoring.get("not_applicable") or []))))
    yield "duty.missing", Derived(tally["missing"], "测评点", (
        "规则：未填写自评得分且不能由数据计算的测评点数", "测评点：" + _names(list(scoring.get("missing") or []))))
    yield "duty.full_marks", Derived(scoring["full_marks"], "", ("履职评价指标体系的满分（指标体系文件）",))
    for p in scoring["points"]:
        yield f"duty.point.{p['id']}.max", Derived(p["max_score"], "测评点", (f"测评点{p['id']}的分值",))
        if p["id"] in tally["lost"]:
            yield f"duty.point.{p['id']}.lost", Derived(tally["lost"][p["id"]], "测评点", (
                f"扣分 = 分值 − 得分 = {g(p['max_score'])} − {g(p['score'])}", f"依据：{p.get('reason') or '—'}"))
    for d in scoring["domains"]:
        points = "、".join(str(i) for i in d["points"])
        yield f"duty.domain.{d['name']}.score", Derived(d["score"], "测评点", (f"规则：测评点{points}的得分之和",))
        yield f"duty.domain.{d['name']}.max", Derived(d["max_score"], "测评点", (f"规则：测评点{points}的分值之和",))
    for b in scoring.get("bonus_items") or []:
        yield f"duty.bonus.{b['id']}", Derived(b.get("score"), "测评点", (
            f"加分项目{b['id']}申请加分", f"说明：{b.get('reason') or '—'}"))
        yield f"duty.bonus.{b['id']}.max", Derived(b["max_score"], "测评点", (f"加分项目{b['id']}的分值",))


# ---------------------------------------------------------------- 整改台账

def _rectification(result: Mapping[str, Any]) -> Iterator[tuple[str, Derived]]:
    r = result["rectification"]
    as_of = f"统计日期：{r['as_of']}（成文日期，未填时为评价年度12月31日）"
    yield "rectification.total", Derived(r["total"], "整改台账", ("规则：整改台账的问题数",))
    for key, state in LEDGER_KEYS.items():
        numbers = [str(i["no"]) for i in r["items"] if i["state"] == state]
        yield f"rectification.{key}", Derived(r[key], "整改台账", (
            f"规则：「整改状态」为「{state}」的问题数", f"问题：{'、'.join(numbers) or '无'}"))
    late = [f"问题{o['no']}（完成时限{o['deadline']}，逾期{o['days_late']}天）" for o in r["overdue"]]
    yield "rectification.overdue", Derived(len(r["overdue"]), "整改台账", (
        "规则：状态为整改中或未启动、完成时限早于统计日期的问题数", as_of, "问题：" + _names(late)))
    yield "rectification.units", Derived(len(r["by_unit"]), "整改台账", (
        "规则：「责任单位」的个数（联合责任单位分别计数）", "单位：" + _names([u["unit"] for u in r["by_unit"]])))
    yield "rectification.categories", Derived(len(r["categories"]), "整改台账", (
        "规则：「问题类别」的个数", "类别：" + _names([c["category"] for c in r["categories"]])))
    if r["newly_completed"] is not None:
        yield "rectification.newly_completed", Derived(len(r["newly_completed"]), "整改台账", (
            "规则：本次为已完成、上次报告的台账中不是已完成的问题数",
            f"问题：{'、'.join(map(str, r['newly_completed'])) or '无'}"))
    for c in r["categories"]:
        for key in ("total", *LEDGER_KEYS):
            state = "" if key == "total" else f"且「整改状态」为「{LEDGER_KEYS[key]}」"
            yield f"rectification.{c['category']}.{key}", Derived(c[key], "整改台账", (
                f"规则：「问题类别」为「{c['category']}」{state}的问题数",))
    for item in r["items"]:
        yield f"rectification.item.{item['no']}.days_late", Derived(item["days_late"], "整改台账", (
            f"问题{item['no']}（第{item['row']}行）：状态{item['state']}，完成时限{item['deadline'] or '未填'}",
            "规则：整改中或未启动且完成时限早于统计日期时，逾期天数 = 统计日期 − 完成时限；否则为0", as_of))


def _school_size(result: Mapping[str, Any]) -> Iterator[tuple[str, Derived]]:
    for s in result["school_size"]["over_limit"]:
        yield f"school_size.{s['id']}.pupils", Derived(s["pupils"], "学校", (
            f"{s['name']}（第{s['row']}行，{s['type']}）义务教育阶段在校生数 = 小学在校生数 + 初中在校生数",
            f"上限：{g(s['limit'])}人"))

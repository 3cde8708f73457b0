"""``explain``: where a computed figure came from — sheet rows, columns, weights, formula, result.

Figure ids follow the result's structure, e.g.::

    quality.junior.sports_area_per_student.cv
    quality.primary.schools.3401010001.teaching_area_per_student
    basic.primary.composite_cv
    funding.合计.2025.per_pupil_growth
    class_size.primary.over_standard
    guarantee.teacher_rotation          duty.24          duty.total
    schemes.<方案名称>.verdict            schemes.<方案名称>.sections.差异程度

The working is recomputed from the workspace with the systems the result names, so the
numbers shown are the very numbers analysed.
"""
from __future__ import annotations

import difflib
import math
from typing import Any, Mapping

import pandas as pd

from reportgen.core.errors import ReportgenError
from reportgen.systems.indicators import Balance, BasicSystem, Indicator, QualitySystem
from reportgen.analysis.balance import SectionBalance, evaluate_section
from reportgen.analysis.catalog import derived_figures
from reportgen.analysis.class_size import classify_classes, scoped_classes
from reportgen.analysis.common import g, section_standard, system_of
from reportgen.analysis.labels import SCHOOL_FIGURES, figure_label
from reportgen.analysis.scheme_trace import scheme_figure_ids
from reportgen.analysis.split import ID, NAME, ROW, SECTION_BY_KEY, TYPE, WHOLE_SUFFIX, pupils_column
from reportgen.analysis.trace_preschool import preschool_figure_ids, preschool_trace, senior_trace

_LISTED = 200  # at most this many classes listed in one trace
BALANCE_FIELDS = ("cv", "mean", "sd", "schools_meeting")
FUNDING_FIELDS = ("spending", "per_pupil", "spending_growth", "per_pupil_growth")
CLASS_FIELDS = ("classes", "over_standard", "large_56_65", "huge_66_plus", "graduating_over_standard",
                "graduating_large_56_65", "graduating_huge_66_plus")
DUTY_TOTALS = ("total", "final", "grade", "bonus")


def explain(ws, result: Mapping[str, Any], figure_id: str) -> str:
    """The working behind one figure of ``result`` (Chinese text); unknown ids list close ones.

    Accepts the ids of the figure record (数字记录.json) as the reports write them, e.g.
    ``duty.point.24.score``, ``quality.junior.school.<标识码>.pupils``, ``profile.pupils``.
    """
    shown = figure_id.strip()
    parts = canonical_id(shown, result).split(".")
    handler = _HANDLERS.get(parts[0])
    text = handler(ws, result, parts[1:]) if handler else None
    if text is None:
        text = _derived_text(ws, result, ".".join(parts))
    if text is None:
        raise ReportgenError(_unknown(shown, figure_ids(result)))
    return f"【{shown}】{figure_label(shown, result)}\n{text}"


def canonical_id(figure_id: str, result: Mapping[str, Any]) -> str:
    """The trace id of a figure id as the reports record it (the two spellings name one figure)."""
    parts = figure_id.split(".")
    if len(parts) == 5 and parts[0] == "quality" and parts[2] == "school" and parts[4] not in SCHOOL_FIGURES:
        return ".".join(["quality", parts[1], "schools", *parts[3:]])
    if len(parts) == 4 and parts[:2] == ["duty", "point"] and parts[3] == "score":
        return f"duty.{parts[2]}"
    if figure_id in ("recognition.value", "item.social_recognition"):
        return "social_recognition"
    if len(parts) == 2 and parts[0] in ("item", "quality"):
        for key in (("guarantee", "education_quality") if parts[0] == "item" else ("education_quality",)):
            if any(i["id"] == parts[1] for i in result[key]):
                return f"{key}.{parts[1]}"
    return figure_id


def _derived_text(ws, result: Mapping[str, Any], figure_id: str) -> str | None:
    if _DERIVED[0] is not result:
        _DERIVED[:] = [result, derived_figures(result)]
    figure = _DERIVED[1].get(figure_id)
    if figure is None:
        return None
    lines = [f"数值：{_f(figure.value) if isinstance(figure.value, (int, float)) else figure.value}", *figure.lines]
    if figure.sheet:
        lines.append(f"数据：{ws.where(figure.sheet)}")
    return "\n".join(lines)


def explainable(result: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every id ``explain`` accepts, in the reports' spelling where they have one, with its Chinese name."""
    ids = dict.fromkeys(figure_ids(result) + list(derived_figures(result)) + _record_spellings(result))
    return [(i, figure_label(i, result)) for i in ids]


def _record_spellings(result: Mapping[str, Any]) -> list[str]:
    """The figure-record spellings of ids whose trace id differs (see ``canonical_id``)."""
    ids = [f"quality.{key}.school.{s['id']}.{ind}" for key in ("primary", "junior")
           for s in result["quality_balance"][key]["schools"] for ind in s["values"]]
    ids += [f"duty.point.{p['id']}.score" for p in result["duty_scoring"]["points"]]
    ids += [f"item.{i['id']}" for key in ("guarantee", "education_quality") for i in result[key]]
    ids += [f"quality.{i['id']}" for i in result["education_quality"]]
    return ids + ["item.social_recognition", "recognition.value"]


def figure_ids(result: Mapping[str, Any]) -> list[str]:
    """Every figure id the traces of this module accept for this result (see also ``explainable``)."""
    ids: list[str] = []
    for key in ("primary", "junior"):
        section = result["quality_balance"][key]
        for ind in section["indicators"]:
            ids += [f"quality.{key}.{ind}.{f}" for f in BALANCE_FIELDS]
        ids.append(f"quality.{key}.composite_cv")
        ids += [f"quality.{key}.schools.{s['id']}.{ind}" for s in section["schools"] for ind in s["values"]]
        for ind in result["basic_balance"][key]["indicators"]:
            ids += [f"basic.{key}.{ind}.{f}" for f in BALANCE_FIELDS[:3]]
        ids.append(f"basic.{key}.composite_cv")
        ids += [f"class_size.{key}.{f}" for f in CLASS_FIELDS]
    ids.append("school_size.over_limit")
    for level, entries in result["funding"]["by_level"].items():
        ids += [f"funding.{level}.{e['year']}.{f}" for e in entries for f in FUNDING_FIELDS]
    ids += ["funding.two_no_decrease", "funding.three_growth"]
    ids += [f"guarantee.{i['id']}" for i in result["guarantee"]]
    ids += [f"education_quality.{i['id']}" for i in result["education_quality"]]
    ids += ["social_recognition"] + [f"vetoes.{v['id']}" for v in result["vetoes"]]
    ids += [f"duty.{p['id']}" for p in result["duty_scoring"]["points"]]
    ids += [f"duty.{t}" for t in DUTY_TOTALS] + ["rectification.completion_rate"]
    ids += scheme_figure_ids(result.get("schemes", {}))
    return ids + preschool_figure_ids(result)


def _unknown(figure_id: str, ids: list[str]) -> str:
    close = difflib.get_close_matches(figure_id, ids, n=6, cutoff=0.6)
    prefix = figure_id.rsplit(".", 1)[0] + "."
    close += [i for i in ids if i.startswith(prefix) and i not in close][: 8 - len(close)]
    hint = "；相近的编号：" + "、".join(close) if close else "；编号形如 quality.junior.sports_area_per_student.cv"
    return f"没有编号为「{figure_id}」的数字{hint}"


def _f(value: Any) -> str:
    """A number as the working shows it: integers plain, decimals to 6 places."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "（未填报）"
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- balance (quality, basic)

def _section_result(ws, result: dict, kind: str, key: str) -> SectionBalance:
    """The section recomputed for a trace; kept for the next trace of the same workspace."""
    name = result["systems"][kind]["selected"]
    cached = _SECTIONS.get("ws")
    if cached is not ws:
        _SECTIONS.clear()
        _SECTIONS["ws"] = ws
    found = _SECTIONS.get((kind, name, key))
    if found is None:
        found = _SECTIONS[(kind, name, key)] = _evaluate(ws, kind, name, key)
    return found


# The last workspace traced and its recomputed sections (walking every figure of a report
# would otherwise re-read the system file and recompute a section per school figure).
_SECTIONS: dict[object, Any] = {}
_DERIVED: list[Any] = [None, {}]    # [result, derived_figures(result)]


def _evaluate(ws, kind: str, name: str, key: str) -> SectionBalance:
    balance = (system_of(kind, QualitySystem, name, ws.root).balance if kind == "quality"
               else system_of(kind, BasicSystem, name, ws.root).balance)
    return evaluate_section(ws.schools, balance, SECTION_BY_KEY[key])


def _balance_trace(kind: str):
    block = "quality_balance" if kind == "quality" else "basic_balance"

    def handler(ws, result: dict, parts: list[str]) -> str | None:
        if len(parts) < 2 or parts[0] not in SECTION_BY_KEY:
            return None
        summary = result[block][parts[0]]
        if parts[1] == "composite_cv" and len(parts) == 2:
            return _composite_text(summary, kind)
        if parts[1] == "schools" and len(parts) == 4:
            sb = _section_result(ws, result, kind, parts[0])
            return _school_value_text(ws, sb, parts[2], parts[3])
        if len(parts) == 3 and parts[1] in summary["indicators"] and parts[2] in BALANCE_FIELDS:
            if parts[2] == "schools_meeting" and kind != "quality":
                return None
            sb = _section_result(ws, result, kind, parts[0])
            ind = next(i for i in sb.balance.indicators if i.id == parts[1])
            if parts[2] == "schools_meeting":
                return _meeting_text(ws, sb, ind, summary["indicators"][ind.id])
            return _coefficient_text(ws, sb, ind, summary["indicators"][ind.id])
        return None

    return handler


def _composite_text(summary: dict, kind: str) -> str:
    cvs = [(e["label"], e["cv"]) for e in summary["indicators"].values()]
    lines = [f"{summary['section']}综合差异系数 = 各项指标差异系数的算术平均值（{len(cvs)}项）"]
    lines += [f"  {label}：{_f(cv)}" for label, cv in cvs]
    value = summary["composite_cv"]
    if value is None:
        lines.append("结果：缺少部分指标的差异系数，无法计算综合差异系数")
    else:
        lines.append(f"结果：({' + '.join(_f(c) for _, c in cvs)}) ÷ {len(cvs)} = {_f(value)}")
    if kind == "basic" and value is not None:
        verdict = "达标" if summary["ok"] else "未达标"
        lines.append(f"标准：综合差异系数 ≤ {_f(summary['composite_max'])}，{verdict}")
    return "\n".join(lines)


def _formula(ind: Indicator, section: str) -> str:
    columns = " + ".join(ind.columns(section))
    factor = "" if ind.factor == 1 else f"{g(ind.factor)} × "
    return f"X_i = {factor}（{columns}）÷ P_i（P_i = {pupils_column(section)}）"


def _split_text(balance: Balance) -> str:
    weights = "；".join(f"{t} " + ":".join(w) + " = " + ":".join(g(v) for v in w.values())
                        for t, w in balance.split.weights.items())
    return (f"跨学段学校的{'、'.join(balance.split.columns)}按加权学生数分摊到学段（{weights}），"
            "教师按学段填报，不分摊")


def _coefficient_text(ws, sb: SectionBalance, ind: Indicator, summary: dict) -> str:
    frame, x = sb.frame, sb.values[ind.id]
    pupils = frame["pupils"]
    total = pupils.sum()
    lines = [f"{sb.section}「{ind.label}」差异系数",
             f"范围：纳入计算的{sb.section}{len(frame)}所（含跨学段学校的{sb.section}部）",
             f"数据：{ws.where('学校')}，列{'、'.join('「' + c + '」' for c in ind.columns(sb.section))}"
             f"和「{pupils_column(sb.section)}」",
             f"公式：{_formula(ind, sb.section)}；x̄ = Σ P_i·X_i ÷ P；S = √(Σ (P_i/P)·(X_i − x̄)²)；差异系数 = S ÷ x̄",
             _split_text(sb.balance), "各校："]
    if frame.empty:
        return "\n".join(lines + ["  （没有纳入计算的学校）"])
    mean = summary["mean"]
    for (_, school), xi in zip(frame.iterrows(), x):
        inputs = "，".join(_input_text(school, c, ind.per_section[i])
                          for i, c in enumerate(ind.columns(sb.section)))
        weight = school["pupils"] / total
        tail = "" if mean is None or math.isnan(xi) else \
            f"，P_i/P = {_f(weight)}，(P_i/P)(X_i − x̄)² = {_f(weight * (xi - mean) ** 2)}"
        lines.append(f"  第{int(school[ROW])}行 {school[NAME]}：P_i = {_f(school['pupils'])}，{inputs}，"
                     f"X_i = {_f(xi)}{tail}")
    if summary["cv"] is None:
        lines.append(f"结果：无法计算（{summary['reason']}）")
        return "\n".join(lines)
    variance = summary["sd"] ** 2
    lines += [f"合计：P = {_f(total)}，Σ P_i·X_i = {_f((pupils * x).sum())}，x̄ = Σ P_i·X_i ÷ P = {_f(mean)}",
              f"Σ (P_i/P)(X_i − x̄)² = {_f(variance)}，S = √{_f(variance)} = {_f(summary['sd'])}",
              f"差异系数 = S ÷ x̄ = {_f(summary['sd'])} ÷ {_f(mean)} = {_f(summary['cv'])}"]
    if "cv_max" in summary:
        verdict = "达标" if summary["cv_ok"] else "未达标"
        lines.append(f"标准：差异系数 ≤ {_f(summary['cv_max'])}，{verdict}")
    return "\n".join(lines)


def _input_text(school: pd.Series, column: str, per_section: bool) -> str:
    whole = school.get(column + WHOLE_SUFFIX)
    if per_section or whole is None:
        return f"{column} = {_f(school[column])}"
    share = school["share"]
    if share == 1:
        return f"{column} = {_f(school[column])}"
    return f"{column} = 全校{_f(whole)} × 分摊比例{_f(share)} = {_f(school[column])}"


def _meeting_text(ws, sb: SectionBalance, ind: Indicator, summary: dict) -> str:
    standard = section_standard(ind, sb.section)
    x = sb.values[ind.id]
    meeting = sb.frame[x >= standard]
    short = sb.frame[x < standard]
    lines = [f"{sb.section}「{ind.label}」达到标准（≥{_f(standard)}{ind.unit}）的学校数 = {len(meeting)}",
             f"公式：{_formula(ind, sb.section)}，X_i ≥ {_f(standard)} 为达到标准",
             f"数据：{ws.where('学校')}", f"未达到标准的学校（{len(short)}所）："]
    lines += [f"  第{int(r[ROW])}行 {r[NAME]}：X_i = {_f(v)}" for (_, r), v in zip(short.iterrows(), x[short.index])]
    gaps = sb.frame[x.isna()]
    if not gaps.empty:
        lines.append(f"数据缺失、无法判断的学校（{len(gaps)}所）：" + "、".join(gaps[NAME]))
    return "\n".join(lines)


def _school_value_text(ws, sb: SectionBalance | None, school_id: str, indicator_id: str) -> str | None:
    if sb is None:
        return None
    ind = next((i for i in sb.balance.indicators if i.id == indicator_id), None)
    rows = sb.frame[sb.frame[ID] == school_id]
    if ind is None or rows.empty:
        return None
    school = rows.iloc[0]
    value = sb.values.loc[rows.index[0], ind.id]
    row = int(school[ROW])
    lines = [f"{school[NAME]}（{school[TYPE]}，{sb.section}部分）「{ind.label}」 = {_f(value)}{ind.unit}",
             f"数据：{ws.where('学校', row)}",
             f"  {pupils_column(sb.section)}（P）= {_f(school['pupils'])}"]
    for i, column in enumerate(ind.columns(sb.section)):
        lines.append(f"  {_input_text(school, column, ind.per_section[i])}")
    if not all(ind.per_section) and school["share"] != 1:
        lines.append("  " + _share_text(school, sb))
    lines.append(f"公式：{_formula(ind, sb.section)}")
    if ind.standard:
        standard = ind.standard[sb.section]
        verdict = "未填报，无法判断" if math.isnan(value) else ("达到标准" if value >= standard else "未达到标准")
        lines.append(f"标准：≥{_f(standard)}{ind.unit}，{verdict}")
        if sb.balance.per_school:
            floor = standard * sb.balance.per_school.floor_ratio
            lines.append(f"每校达标底线：标准的{g(sb.balance.per_school.floor_ratio * 100)}% = {_f(floor)}{ind.unit}")
    if school.get("豁免说明"):
        lines.append(f"豁免说明：{school['豁免说明']}")
    return "\n".join(lines)


def _share_text(school: pd.Series, sb: SectionBalance) -> str:
    parts, own = [], ""
    for section in ("小学", "初中", "高中"):
        pupils = school.get(pupils_column(section))
        if pupils is None or math.isnan(pupils) or pupils == 0:
            continue
        weight = sb.balance.split.weight(school[TYPE], section)
        term = f"{g(weight)}×{_f(pupils)}"
        parts.append(term)
        if section == sb.section:
            own = term
    return f"分摊比例 = {own} ÷ ({' + '.join(parts)}) = {_f(school['share'])}（{school[TYPE]}按加权学生数分摊）"


# ---------------------------------------------------------------- class and school size

def _class_trace(ws, result: dict, parts: list[str]) -> str | None:
    if len(parts) == 2 and parts[0] == "senior":
        return senior_trace(ws, result, parts[1])
    if len(parts) != 2 or parts[0] not in SECTION_BY_KEY or parts[1] not in CLASS_FIELDS:
        return None
    block = result["class_size"]
    section = SECTION_BY_KEY[parts[0]]
    value = block[parts[0]].get(parts[1])
    if not block["available"]:
        return f"{section}{parts[1]}：{block['reason']}"
    bands = block["bands"]
    system = system_of("quality", QualitySystem, result["systems"]["quality"]["selected"], ws.root)
    scoped, excluded = scoped_classes(ws.classes, ws.schools)
    table = classify_classes(scoped, system.class_size, bands["highest_primary_grade"])
    table = table[table["section"] == section]
    field = parts[1]
    rule = {
        "classes": "全部班级",
        "over_standard": f"学生数 > {g(bands['standard'][section])}人",
        "large_56_65": f"{g(bands['large_min'])}人 ≤ 学生数 ≤ {g(bands['large_max'])}人（大班额）",
        "huge_66_plus": f"学生数 ≥ {g(bands['huge_min'])}人（超大班额）",
    }
    base = field.replace("graduating_", "")
    chosen = table if base == "classes" else table[table[base]]
    if field.startswith("graduating_"):
        chosen = chosen[chosen["graduating"]]
    grades = f"{section}为{'1' if section == '小学' else bands['highest_primary_grade'] + 1}～" \
             f"{bands['highest_primary_grade'] if section == '小学' else 9}年级"
    lines = [f"{section}{_CLASS_LABELS[field]} = {_f(value)}",
             f"数据：{ws.where('班级')}，列「学校标识码」「年级」「学生数」；{grades}"
             f"（小学最高年级 {bands['highest_primary_grade']}）",
             f"规则：{rule[base]}" + ("，且为毕业年级" if field.startswith("graduating_") else "")]
    if excluded:
        lines.append("不计入：" + "、".join(f"{t}的{n}个班级" for t, n in excluded.items())
                     + "（非义务教育学校，不适用标准班额；与基本情况的口径一致）")
    if base != "classes":
        names = ws.schools.set_index(ID)[NAME]
        listed = chosen.head(_LISTED)
        lines.append(f"符合条件的班级（{len(chosen)}个）：")
        lines += [f"  第{int(r[ROW])}行 {names.get(r[ID], r[ID])} {int(r['grade'])}年级：{_f(r['size'])}人"
                  for r in listed.to_dict("records")]
        if len(chosen) > _LISTED:
            lines.append(f"  ……其余{len(chosen) - _LISTED}个略")
    return "\n".join(lines)


_CLASS_LABELS = {"classes": "班级数", "over_standard": "超过标准班额的班级数", "large_56_65": "大班额班级数",
                 "huge_66_plus": "超大班额班级数", "graduating_over_standard": "毕业年级超过标准班额的班级数",
                 "graduating_large_56_65": "毕业年级大班额班级数", "graduating_huge_66_plus": "毕业年级超大班额班级数"}


def _school_size_trace(ws, result: dict, parts: list[str]) -> str | None:
    if parts != ["over_limit"]:
        return None
    block = result["school_size"]
    limits = "；".join(f"{t} {g(v)}人" for t, v in block["limits"].items())
    lines = [f"超规模学校数 = {len(block['over_limit'])}",
             f"数据：{ws.where('学校')}，列「办学类型」「小学在校生数」「初中在校生数」",
             f"规则：义务教育阶段在校生数（小学 + 初中）超过上限（{limits}）",
             f"核查学校{block['schools_checked']}所"]
    if block.get("relaxed_standard"):
        lines.append(f"放宽标准：{block['relaxed_standard']}")
    lines += [f"  第{s['row']}行 {s['name']}（{s['type']}）：{_f(s['pupils'])}人 > {_f(s['limit'])}人"
              + ("（放宽标准）" if s.get("relaxed") else "") for s in block["over_limit"]]
    lines += _exempted_lines(block.get("exempted") or [])
    return "\n".join(lines)


def _exempted_lines(exempted: list[dict]) -> list[str]:
    """Schools the approved relaxed standard judges 达标 (they are not counted as failing)."""
    lines = [f"经批准按放宽标准认定达标、不计入的学校（{len(exempted)}所）："] if exempted else []
    return lines + [f"  第{s['row']}行 {s['name']}：建于{s['built']}年，按放宽标准（{s['standard']}）认定达标"
                    f"（豁免说明：{s['exemption']}）" for s in exempted]


# ---------------------------------------------------------------- funding

def _funding_trace(ws, result: dict, parts: list[str]) -> str | None:
    block = result["funding"]
    if parts == ["three_growth"]:
        t = block["three_growth"]
        return "\n".join([
            "三个增长：教育财政拨款增长高于财政经常性收入增长；生均教育费用逐步增长；教师工资和生均公用经费逐步增长",
            f"数据：{ws.where('县级指标')}；生均教育费用：{ws.where('经费')}（学段「合计」）",
            f"教育财政拨款增长率 = {_f(t['appropriation_growth'])}，财政经常性收入增长率 = {_f(t['revenue_growth'])}",
            f"生均一般公共预算教育支出增长率 = {_f(t.get('per_pupil_growth'))}",
            f"教师平均工资收入增长率 = {_f(t.get('salary_growth'))}，生均公用经费增长率 = {_f(t.get('public_funds_growth'))}",
            *(f"  {p['label']}：{'达标' if p['ok'] else '未达标' if p['ok'] is False else '待说明'}"
              for p in t.get("parts") or []),
            f"结果：{t['reason']}"])
    if parts == ["two_no_decrease"]:
        t = block["two_no_decrease"]
        lines = ["两个只增不减（学段「合计」）：一般公共预算教育支出逐年只增不减，生均一般公共预算教育支出逐年只增不减",
                 f"数据：{ws.where('经费')}"]
        lines += [f"  {e['year']}年（第{e['row']}行）：支出{_f(e['spending'])}万元，增长{_f(e['spending_growth'])}；"
                  f"生均{_f(e['per_pupil'])}元，增长{_f(e['per_pupil_growth'])}" for e in block["by_level"].get("合计", [])]
        lines.append(f"未实现的年度：{'、'.join(map(str, t['failing_years'])) or '无'}")
        return "\n".join(lines)
    if len(parts) != 3 or parts[0] not in block["by_level"] or parts[2] not in FUNDING_FIELDS:
        return None
    level, field = parts[0], parts[2]
    entries = {str(e["year"]): e for e in block["by_level"][level]}
    if parts[1] not in entries:
        return None
    entry = entries[parts[1]]
    before = entries.get(str(entry["year"] - 1))
    lines = [f"{level} {entry['year']}年 {_FUNDING_LABELS[field]} = {_f(entry[field])}"]
    for e in (before, entry):
        if e is not None:
            lines.append(f"数据：{ws.where('经费', e['row'])}：{e['year']}年 一般公共预算教育支出 {_f(e['spending'])}万元，"
                         f"在校生数 {_f(e['pupils'])}人")
    lines.append("公式：生均一般公共预算教育支出（元）= 一般公共预算教育支出（万元）× 10000 ÷ 在校生数；"
                 "增长率 = 本年 ÷ 上年 − 1")
    if field == "per_pupil":
        lines.append(f"计算：{_f(entry['spending'])} × 10000 ÷ {_f(entry['pupils'])} = {_f(entry['per_pupil'])}")
    elif field.endswith("growth"):
        base = "spending" if field == "spending_growth" else "per_pupil"
        if before is None or entry[field] is None:
            lines.append(f"结果：无法计算（{entry['reason'] or '缺少上年数据'}）")
        else:
            lines.append(f"计算：{_f(entry[base])} ÷ {_f(before[base])} − 1 = {_f(entry[field])}"
                         f"（{'未减少' if entry[field] >= 0 else '减少，未实现只增不减'}）")
    return "\n".join(lines)


_FUNDING_LABELS = {"spending": "一般公共预算教育支出（万元）", "per_pupil": "生均一般公共预算教育支出（元）",
                   "spending_growth": "一般公共预算教育支出增长率", "per_pupil_growth": "生均一般公共预算教育支出增长率"}


# ---------------------------------------------------------------- items, vetoes, duty, rectification

def _item_text(ws, item: dict) -> str:
    lines = [f"{item['label']}", f"标准：{item.get('standard') or '—'}"]
    lines += [f"放宽标准：{item['relaxed_standard']}"] if item.get("relaxed_standard") else []
    lines.append(f"结论：{item['status']}；{item['reason']}")
    sources = {s["row"]: s for cond in item.get("conditions", []) for s in cond.get("inputs", [])}
    for source in sources.values():
        unit = source["unit"] or ""
        lines.append(f"数据：{ws.where('县级指标', source['row'])}：{source['name']} = {_f(source['value'])}{unit}")
    if item.get("columns"):
        lines.append(f"数据：{ws.where('学校')}，各校「{'」÷「'.join(item['columns'])}」")
    for detail in item.get("details", [])[:_LISTED]:
        where = f"第{detail['row']}行 " if detail.get("row") else ""
        exemption = f"（豁免说明：{detail['exemption']}）" if detail.get("exemption") else ""
        lines.append(f"  {where}{detail['name']}：{detail['problem']}{exemption}")
    lines += _exempted_lines(item.get("exempted") or [])
    lines += [f"  第{n['row']}行 {n['name']}：豁免说明未改变结论（{n['reason']}）" for n in item.get("exemption_notes") or []]
    if item.get("note"):
        lines.append(f"说明：{item['note']}")
    return "\n".join(lines)


def _items_trace(key: str):
    def handler(ws, result: dict, parts: list[str]) -> str | None:
        if len(parts) != 1:
            return None
        item = next((i for i in result[key] if i["id"] == parts[0]), None)
        return None if item is None else _item_text(ws, item)
    return handler


def _social_trace(ws, result: dict, parts: list[str]) -> str | None:
    return _item_text(ws, result["social_recognition"]) if not parts else None


def _veto_trace(ws, result: dict, parts: list[str]) -> str | None:
    veto = next((v for v in result["vetoes"] if [v["id"]] == parts), None)
    if veto is None:
        return None
    lines = [veto["label"], f"结论：{veto['status']}；{veto['reason']}"]
    lines += [f"数据：{ws.where('县级指标', s['row'])}：{s['name']} = {_f(s['value'])}" for s in veto["inputs"]]
    return "\n".join(lines)


def _duty_trace(ws, result: dict, parts: list[str]) -> str | None:
    block = result["duty_scoring"]
    if len(parts) != 1:
        return None
    if parts[0] in DUTY_TOTALS:
        return _duty_total_text(block, parts[0])
    point = next((p for p in block["points"] if p["id"] == parts[0]), None)
    if point is None:
        return None
    lines = [f"测评点{point['id']}：{point['text']}（{_f(point['max_score'])}分）",
             f"评分细则：{point['criteria'] or '—'}"]
    if point["row"]:
        lines.append(f"数据：{ws.where('测评点', point['row'])}")
    if point["measure"]:
        lines.append(f"计算依据：{point['measure']}；建议得分：{_f(point['proposed_score'])}（{point['proposed_reason']}）")
    if point["user_score"] is not None:
        lines.append(f"自评得分：{_f(point['user_score'])}" + (f"（{point['user_reason']}）" if point["user_reason"] else ""))
    lines.append(f"结果：{point['status']}，得分 {_f(point['score'])}；{point['reason'] or ''}")
    return "\n".join(lines)


def _duty_total_text(block: dict, field: str) -> str:
    mode = block["not_applicable_mode"]
    lines = [f"测评点合计得分 {_f(block['raw_total'])}，适用测评点满分 {_f(block['applicable_max'])}，"
             f"不适用测评点：{'、'.join(block['not_applicable']) or '无'}（{mode}）"]
    if mode == "按比例折算" and block["not_applicable"]:
        lines.append(f"折算：{_f(block['raw_total'])} ÷ {_f(block['applicable_max'])} × {_f(block['full_marks'])} = {_f(block['total'])}")
    lines.append(f"自评得分 = {_f(block['total'])}")
    lines.append(f"加分：申请{_f(block['bonus_claimed'])}分，上限{_f(block['bonus_cap'])}分，计{_f(block['bonus'])}分")
    lines.append(f"最终得分 = {_f(block['total'])} + {_f(block['bonus'])} = {_f(block['final'])}")
    vetoes = [v for v in block["vetoes"] if v["triggered"]]
    lines.append(f"按得分等级：{block['grade_before_vetoes']}；"
                 + (f"否决/降等：{'、'.join(v['label'] + '（' + v['action'] + '）' for v in vetoes)}；" if vetoes else "")
                 + f"最终等级：{block['grade']}")
    if not block["complete"]:
        lines.append(f"注意：测评点{'、'.join(block['missing'])}尚未填写自评得分，得分未完整")
    return "\n".join(lines)


def _schemes_trace(ws, result: dict, parts: list[str]) -> str | None:
    from reportgen.analysis.scheme_trace import scheme_text

    rest = ".".join(parts)
    name = max((n for n in result.get("schemes", {}) if rest.startswith(n + ".")), key=len, default=None)
    return None if name is None else scheme_text(ws, result["schemes"][name], rest[len(name) + 1:].split(".", 1))


def _rectification_trace(ws, result: dict, parts: list[str]) -> str | None:
    if parts != ["completion_rate"]:
        return None
    r = result["rectification"]
    value = r["completion_rate"]
    return "\n".join([f"整改完成率 = 已完成 ÷ 问题总数 = {r['done']} ÷ {r['total']} = {_f(value)}",
                      f"数据：{ws.where('整改台账')}，列「整改状态」；截至{r['as_of']}"])


_HANDLERS = {
    "quality": _balance_trace("quality"), "basic": _balance_trace("basic"),
    "class_size": _class_trace, "school_size": _school_size_trace, "funding": _funding_trace,
    "guarantee": _items_trace("guarantee"), "education_quality": _items_trace("education_quality"),
    "social_recognition": _social_trace, "vetoes": _veto_trace, "duty": _duty_trace,
    "rectification": _rectification_trace, "preschool": preschool_trace, "schemes": _schemes_trace,
}

"""A Chinese name for each figure id, so a 变更说明 reads "初中生均体育运动场馆面积差异系数", not an id,
and ``analyze --explain --list`` names every id it accepts.

Names come from the analysis (indicator labels, school names, 测评点 texts, item labels); an id
no rule knows keeps the id itself as its name.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from reportgen.analysis.scheme_trace import scheme_label

SECTIONS = {"primary": "小学", "junior": "初中"}
COMBINED = ("九年一贯制学校", "完全中学", "十二年一贯制学校")
STATS = {
    "cv": "差异系数", "cv_max": "差异系数标准", "mean": "县域均值", "sd": "标准差", "standard": "标准值",
    "schools_meeting": "达标学校数", "schools_below": "低于85%的学校数",
}
SECTION_FIGURES = {
    "composite_cv": "综合差异系数", "schools_ok": "达到每校达标要求的学校数", "schools_failing": "未达到每校达标要求的学校数",
    "schools_in_scope": "纳入计算的学校数", "pupils": "在校生数", "cv_over": "差异系数超标的指标数",
    "classes": "班级数", "over_standard": "超过标准班额的班级数", "graduating_over_standard": "毕业年级超标准班额班级数",
    "large_56_65": "大班额班级数", "huge_66_plus": "超大班额班级数",
    "graduating_large_56_65": "毕业年级大班额班级数", "graduating_huge_66_plus": "毕业年级超大班额班级数",
    "indicators": "资源配置指标数", "cv_unknown": "差异系数无法计算的指标数", "split_parts": "一贯制学校学段部数",
    "schools_undetermined": "因数据不全无法判断的学校数",
}
SCHOOL_FIGURES = {"pupils": "在校生数", "met": "资源配置达标项数"}
BASIC_STATS = {"cv": "差异系数", "mean": "县域均值", "sd": "标准差"}
PROFILE = {"schools": "学校数", "classes": "班级数", "pupils": "在校生数", "teachers": "专任教师数"}
COUNTS = {"达标": "达标项数", "未达标": "未达标项数", "待说明": "待说明项数", "items": "指标项数"}
AREAS = {"guarantee": "政府保障程度", "quality": "教育质量", "education_quality": "教育质量"}
FUNDING = {"spending": "一般公共预算教育支出", "per_pupil": "生均一般公共预算教育支出",
           "appropriation_growth": "教育财政拨款增长率", "revenue_growth": "财政经常性收入增长率",
           "salary_growth": "教师平均工资收入增长率", "public_funds_growth": "生均公用经费增长率",
           "spending_growth": "一般公共预算教育支出增长率", "per_pupil_growth": "生均一般公共预算教育支出增长率"}
RECTIFICATION = {"total": "整改问题总数", "done": "已完成整改问题数", "in_progress": "整改中问题数",
                 "not_started": "未启动问题数", "long_term": "长期坚持问题数", "completion_rate": "整改完成率",
                 "overdue": "逾期问题数", "categories": "问题类别数", "newly_completed": "较上次新增完成问题数",
                 "units": "整改责任单位数"}
DUTY = {"total": "自评得分", "final": "最终得分", "bonus": "加分", "full_marks": "满分", "points": "测评点数",
        "grade": "自评等级", "not_applicable": "不适用测评点数", "missing": "未填写自评得分的测评点数"}
OTHERS = {"recognition.value": "社会认可度", "item.social_recognition": "社会认可度", "social_recognition": "社会认可度",
          "quality.excluded": "不参与资源配置计算的学校数", "vetoes.triggered": "存在的不予认定情形数",
          "vetoes.pending": "尚待说明的不予认定情形数", "school_size.over_limit": "超规模学校数",
          "funding.two_no_decrease": "两个只增不减", "funding.three_growth": "三个增长"}
POINT = {"score": "得分", "max": "分值", "lost": "扣分"}


def figure_label(fig_id: str, analysis: Mapping[str, Any]) -> str:
    """The Chinese name of a figure id; the id itself when no rule knows it."""
    if fig_id in OTHERS:
        return OTHERS[fig_id]
    parts = fig_id.split(".")
    for rule in _RULES:
        label = rule(parts, analysis)
        if label:
            return label
    return fig_id


def _quality(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    if parts[0] != "quality" or len(parts) < 3 or parts[1] not in SECTIONS:
        return None
    section = SECTIONS[parts[1]]
    block = (analysis.get("quality_balance") or {}).get(parts[1]) or {}
    labels = {i: d.get("label", i) for i, d in (block.get("indicators") or {}).items()}
    if parts[2] in ("school", "schools") and len(parts) == 5:
        name = _school_name(block, parts[3], section)
        return f"{name}{labels.get(parts[4]) or SCHOOL_FIGURES.get(parts[4], parts[4])}"
    if len(parts) == 4 and parts[2] in labels and parts[3] in STATS:
        return f"{section}{labels[parts[2]]}{STATS[parts[3]]}"
    if len(parts) == 3 and parts[2] in SECTION_FIGURES:
        return f"{section}{SECTION_FIGURES[parts[2]]}"
    return None


def _basic(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    if parts[0] != "basic" or len(parts) < 3 or parts[1] not in SECTIONS:
        return None
    block = (analysis.get("basic_balance") or {}).get(parts[1]) or {}
    labels = {i: d.get("label", i) for i, d in (block.get("indicators") or {}).items()}
    if len(parts) == 3 and parts[2] == "composite_cv":
        return f"基本均衡{SECTIONS[parts[1]]}综合差异系数"
    if len(parts) == 4 and parts[2] in labels and parts[3] in BASIC_STATS:
        return f"基本均衡{SECTIONS[parts[1]]}{labels[parts[2]]}{BASIC_STATS[parts[3]]}"
    return None


SENIOR = {"large_share": "56～65人大班额占比", "huge_share": "超大班额占比", "large_or_huge_share": "大班额及以上占比"}


def _class_size(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    if parts[0] == "class_size" and len(parts) == 3 and parts[1] in SECTIONS:
        return f"{SECTIONS[parts[1]]}{SECTION_FIGURES.get(parts[2], parts[2])}"
    if parts[0] == "class_size" and len(parts) == 3 and parts[1] == "senior":
        return f"普通高中{SENIOR.get(parts[2]) or SECTION_FIGURES.get(parts[2], parts[2])}"
    return None


PRESCHOOL = {"gross_enrolment_rate": "学前三年毛入园率", "inclusive_coverage": "普惠性幼儿园覆盖率",
             "public_share": "公办园在园幼儿占比", "kindergartens": "幼儿园数", "children": "在园幼儿数",
             "eligible_children": "学前三年适龄儿童数", "teachers": "幼儿园专任教师数",
             "certified_teachers": "幼儿园持证专任教师数", "children_per_teacher": "每名专任教师在园幼儿数",
             "certified_rate": "幼儿园专任教师持证率", "public_children": "公办园在园幼儿数",
             "inclusive_private_children": "普惠性民办园在园幼儿数",
             "non_inclusive_private_children": "非普惠性民办园在园幼儿数",
             "failing_kindergartens": "未达到逐园标准的幼儿园数", "social_recognition": "学前教育社会认可度",
             "classes": "幼儿园班级数", "oversize_classes": "超过标准班额的班级数", "over_standard": "超过标准班额的班级数",
             "compliance_rate": "幼儿园班额达标率", "standard": "标准班额"}
PRESCHOOL_AREAS = {"guarantee": "学前政府保障情况", "quality": "学前保教质量保障"}


def _preschool(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    if parts[0] != "preschool" or len(parts) < 2:
        return None
    block = analysis.get("preschool") or {}
    key, rest = parts[1], parts[2:]
    if not rest:
        return PRESCHOOL[key[:-4]] + "标准" if key.endswith("_min") and key[:-4] in PRESCHOOL else PRESCHOOL.get(key)
    if key == "by_ownership" and len(rest) == 2:
        return f"{rest[0]}园{PRESCHOOL.get(rest[1], rest[1])}"
    if key == "class_size":
        return f"幼儿园{rest[0]}{PRESCHOOL.get(rest[-1], rest[-1])}" if len(rest) == 2 else PRESCHOOL.get(rest[0])
    if key in PRESCHOOL_AREAS and len(rest) == 1:
        item = next((i for i in block.get(key) or [] if i["id"] == rest[0]), None)
        return _short(item["label"]) if item else f"{PRESCHOOL_AREAS[key]}{COUNTS.get(rest[0], rest[0])}"
    if key == "kindergartens":
        kg = by_id(block.get("kindergarten_list") or []).get(rest[0])
        name = kg["name"] if kg else rest[0]
        if len(rest) == 1:
            return name
        item = next((i for i in (block.get("guarantee") or []) + (block.get("quality") or []) if i["id"] == rest[1]), None)
        measure = re.split("[≥≤]", item["standard"])[0] if item and item.get("standard") else None
        return f"{name}{measure or PRESCHOOL.get(rest[1], rest[1])}"
    return None


def _profile(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    if parts[0] != "profile":
        return None
    if len(parts) == 2:
        return f"全县{PROFILE.get(parts[1], parts[1])}"
    return f"{parts[2]}{PROFILE.get(parts[1], parts[1])}"


def _veto(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    if parts[0] != "vetoes" or len(parts) != 2:
        return None
    return next((f"不予认定情形「{_short(v['label'])}」" for v in analysis.get("vetoes") or [] if v["id"] == parts[1]), None)


MIX = {"within": "各学段生均增长对生均一般公共预算教育支出的影响", "structure": "学段结构变化对生均一般公共预算教育支出的影响",
       "unassigned": "未列入各学段支出的变化对生均一般公共预算教育支出的影响"}


def _funding(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    if parts[:2] == ["funding", "mix"] and len(parts) >= 4 and parts[2].isdigit():
        return _mix_label(int(parts[2]), parts[3:])
    if parts[0] == "funding" and len(parts) == 2 and parts[1] in FUNDING:
        return FUNDING[parts[1]]
    if parts[0] == "funding" and len(parts) == 4 and parts[3] in FUNDING:
        level = "" if parts[1] == "合计" else parts[1]
        return f"{parts[2]}年{level}{FUNDING[parts[3]]}"
    return None


def _mix_label(year: int, rest: list[str]) -> str | None:
    shown = year - 1 if rest[1:2] == ["before"] else year
    if len(rest) == 1:
        return f"{year}年{MIX[rest[0]]}" if rest[0] in MIX else None
    if rest[0] == "unassigned_spending":
        return f"{shown}年未列入各学段的一般公共预算教育支出"
    if rest[0] == "share" and len(rest) == 3:
        return f"{shown}年{rest[2]}在校生占比"
    return None


def _duty(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    if parts[0] != "duty":
        return None
    if len(parts) == 2:
        return DUTY.get(parts[1]) or (f"测评点{parts[1]}得分" if parts[1] in _point_ids(analysis) else None)
    if parts[1] == "bonus" and len(parts) in (3, 4):
        return f"加分项目{parts[2]}{'分值' if parts[3:] == ['max'] else '申请加分'}"
    if parts[1] == "point" and len(parts) == 4:
        return f"测评点{parts[2]}{POINT.get(parts[3], parts[3])}"
    if parts[1] == "domain" and len(parts) == 4:
        return f"{parts[2]}{'自评得分' if parts[3] == 'score' else '分值'}"
    return None


def _point_ids(analysis: Mapping[str, Any]) -> set[str]:
    return {str(p["id"]) for p in (analysis.get("duty_scoring") or {}).get("points") or []}


def _rectification(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    if parts[0] != "rectification":
        return None
    if len(parts) == 2:
        return RECTIFICATION.get(parts[1])
    if parts[1] == "item" and len(parts) == 4:
        return f"问题{parts[2]}{'逾期天数' if parts[3] == 'days_late' else parts[3]}"
    return f"{parts[1]}方面{RECTIFICATION.get(parts[2], parts[2])}"


def _school_size(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    if parts[0] != "school_size":
        return None
    if parts[1] == "over_limit":
        return "超规模学校数"
    over = (analysis.get("school_size") or {}).get("over_limit") or []
    name = next((s["name"] for s in over if s["id"] == parts[1]), parts[1])
    return f"{name}在校生数"


def _items(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    if len(parts) != 2 or parts[0] not in ("guarantee", "item", "quality", "education_quality"):
        return None
    if parts[1] in COUNTS and parts[0] in AREAS:
        return f"{AREAS[parts[0]]}{COUNTS[parts[1]]}"
    items = (analysis.get("guarantee") or []) + (analysis.get("education_quality") or [])
    if parts[0] == "education_quality":
        items = analysis.get("education_quality") or []
    label = next((i["label"] for i in items if i.get("id") == parts[1]), None)
    return f"「{_short(label)}」" if label else None


def _short(text: str, limit: int = 24) -> str:
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _school_name(block: dict, school_id: str, section: str) -> str:
    """The school's name; a combined school's part is named 某校小学部 / 某校初中部."""
    school = by_id(block.get("schools") or []).get(school_id)
    if school is None:
        return school_id
    return school["name"] + (f"{section}部" if school.get("type") in COMBINED else "")


_INDEXES: dict[int, tuple[list, int, dict]] = {}   # id(list) → (the list, its length, its index)


def by_id(items: list[dict]) -> dict[Any, dict]:
    """``{item["id"]: item}`` (the first of each id), built once per list: naming every figure of
    a 10,000-school county looks schools up ~10⁵ times, which a scan per lookup makes quadratic."""
    cached = _INDEXES.get(id(items))
    if cached is not None and cached[0] is items and cached[1] == len(items):
        return cached[2]
    index: dict[Any, dict] = {}
    for item in items:
        index.setdefault(item.get("id"), item)
    if len(_INDEXES) > 8:
        _INDEXES.clear()
    _INDEXES[id(items)] = (items, len(items), index)
    return index


def _scheme(parts: list[str], analysis: Mapping[str, Any]) -> str | None:
    return scheme_label(parts, analysis.get("schemes") or {})


_RULES = (_profile, _quality, _basic, _class_size, _funding, _duty, _rectification, _school_size, _items, _veto,
          _scheme, _preschool)

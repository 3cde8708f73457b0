"""Class size (班额) and school size (校额), standards §6.

Grades 1..highest_primary_grade are 小学, the rest 初中. A class is over the standard above
the section's standard size, 大班额 within the large band and 超大班额 from the huge minimum
up (a class of exactly the minimum counts). Classes of the graduating grade are counted
separately: they leave next year, so the projection for next year is the count without them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from reportgen.systems.indicators import SECTIONS, ClassSizeRule, SchoolSizeRule
from reportgen.core.schema import COMPULSORY_GRADE_CODES, GRADES, SENIOR_GRADE_CODES
from reportgen.analysis.common import g, text
from reportgen.analysis.exemptions import (built_year, exempted_entry, exemption_note, relaxed_schools,
                                          relaxed_standard)
from reportgen.analysis.profile import in_compulsory_scope
from reportgen.analysis.types import ClassSizeBlock
from reportgen.analysis.split import ID, NAME, ROW, SECTION_KEYS, TYPE, school_pupils

LAST_GRADE = len(GRADES)
COMPULSORY = ("小学", "初中")
_FLAGS = ("over_standard", "large_56_65", "huge_66_plus")


def classify_classes(classes: pd.DataFrame, rule: ClassSizeRule, highest_primary_grade: int) -> pd.DataFrame:
    """The 义务教育 班级 rows (grades 1–9) with section, graduating flag and the three oversize flags."""
    classes = classes[classes["年级"].isin(COMPULSORY_GRADE_CODES)]
    grade = classes["年级"]
    size = classes["学生数"]
    primary = grade <= highest_primary_grade
    section = pd.Series(np.where(primary, "小学", "初中"), index=classes.index)
    standard = section.map(rule.standard)
    known = size.notna()
    return pd.DataFrame({
        ID: classes[ID], "grade": grade, "size": size, ROW: classes[ROW], "section": section,
        "graduating": np.where(primary, grade == highest_primary_grade, grade == LAST_GRADE),
        "known": known,
        "over_standard": known & (size > standard),
        "large_56_65": known & (size >= rule.large_min) & (size <= rule.large_max),
        "huge_66_plus": known & (size >= rule.huge_min),
    }, index=classes.index)


def class_size(classes: pd.DataFrame, schools: pd.DataFrame, rule: ClassSizeRule,
               highest_primary_grade: int) -> ClassSizeBlock:
    """The contract's ``class_size`` block, with per-school counts and a next-year projection."""
    bands = {"standard": dict(rule.standard), "large_min": rule.large_min, "large_max": rule.large_max,
             "huge_min": rule.huge_min, "highest_primary_grade": highest_primary_grade}
    compulsory = classes[classes["年级"].isin(COMPULSORY_GRADE_CODES)]
    senior = senior_class_size(classes, schools, rule)
    if compulsory.empty:
        reason = "未填报「班级」工作表，无法统计班额"
        return {"available": False, "reason": reason, "bands": bands, "schools": [], "excluded_classes": {},
                "distribution": {s: {} for s in SECTIONS}, "primary": _empty_section("小学", rule, reason),
                "junior": _empty_section("初中", rule, reason), "senior": senior}
    scoped, excluded = scoped_classes(compulsory, schools)
    table = classify_classes(scoped, rule, highest_primary_grade)
    sections = {SECTION_KEYS[s]: _section_counts(table[table["section"] == s], s, rule) for s in SECTIONS}
    return {"available": True, "reason": None, "bands": bands, "schools": _school_counts(table, schools),
            "primary": sections["primary"], "junior": sections["junior"],
            "excluded_classes": excluded, "distribution": size_distribution(table), "senior": senior}


def scoped_classes(classes: pd.DataFrame, schools: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """The classes under the class-size rule, and the number left out per 办学类型.

    A class of a school whose 办学类型 is not an 义务教育学校 (e.g. 特殊教育学校) is left out,
    as the county profile leaves the school out; a class of an unknown school stays in.
    """
    outside = schools.loc[~in_compulsory_scope(schools[TYPE]) & schools[TYPE].notna(), [ID, TYPE]]
    if outside.empty:
        return classes, {}
    types = classes[ID].map(outside.drop_duplicates(ID).set_index(ID)[TYPE])
    out = types.notna()
    counts = types[out].value_counts()
    return classes[~out], {str(t): int(n) for t, n in counts.items()}


def size_distribution(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Number of classes of each size (pupils, rounded), per section, for the distribution chart."""
    known = table["known"].to_numpy()
    sizes = pd.Series(table["size"].to_numpy()[known].round().astype(int))
    sections = table["section"].to_numpy()[known]
    out: dict[str, dict[str, int]] = {s: {} for s in SECTIONS}
    counted = sizes.groupby(sections).value_counts().sort_index()
    for (section, size), n in zip(counted.index.tolist(), counted.to_numpy()):
        out[str(section)][str(size)] = int(n)
    return out


SENIOR_TYPES = ("高级中学", "完全中学", "十二年一贯制学校")


def senior_classes(classes: pd.DataFrame, schools: pd.DataFrame) -> pd.DataFrame:
    """The 普通高中 班级 rows: grades 高一–高三 of schools with a senior section."""
    ids = schools.loc[schools[TYPE].isin(SENIOR_TYPES), ID]
    return classes[classes["年级"].isin(SENIOR_GRADE_CODES) & classes[ID].isin(ids)]


def senior_class_size(classes: pd.DataFrame, schools: pd.DataFrame, rule: ClassSizeRule) -> dict:
    """普通高中 班额 (standards §10): counts over the standard, 56–65 and ≥66, and their shares of
    all senior classes (``large_share`` 56–65 only, as the contract's example; ``large_or_huge_share``
    = 56 and more, as the seeds print "56人以上大班额占比")."""
    base = {"standard": rule.senior_standard, "large_min": rule.large_min, "huge_min": rule.huge_min}
    rows = senior_classes(classes, schools)
    sizes = rows["学生数"].dropna()
    reason = ("所选优质均衡指标体系的「班额」未设「普通高中标准」" if rule.senior_standard is None else
              None if len(sizes) else "「班级」工作表中没有普通高中（高一至高三）班级")
    if reason:
        return {**base, "classes": None, "reason": reason, **{k: None for k in _FLAGS},
                "large_share": None, "huge_share": None, "large_or_huge_share": None, "schools": []}
    counts = {"over_standard": int((sizes > rule.senior_standard).sum()),
              "large_56_65": int(((sizes >= rule.large_min) & (sizes <= rule.large_max)).sum()),
              "huge_66_plus": int((sizes >= rule.huge_min).sum())}
    total = len(sizes)
    per_school = rows.groupby(ID)["学生数"].agg(["size", "max"])
    return {**base, "classes": total, "reason": None, "classes_unknown_size": int(rows["学生数"].isna().sum()),
            **counts, "large_share": counts["large_56_65"] / total, "huge_share": counts["huge_66_plus"] / total,
            "large_or_huge_share": (counts["large_56_65"] + counts["huge_66_plus"]) / total,
            "max_size": float(sizes.max()),
            "schools": [{"id": sid, "classes": int(r["size"]), "max_size": num_or_none(r["max"])}
                        for sid, r in per_school.iterrows()]}


def num_or_none(value: float) -> float | None:
    return None if value != value else float(value)


def _empty_section(section: str, rule: ClassSizeRule, reason: str) -> dict:
    return {"section": section, "standard": rule.standard[section], "classes": None, "reason": reason,
            **{k: None for k in _FLAGS}, "graduating_over_standard": None}


def _section_counts(table: pd.DataFrame, section: str, rule: ClassSizeRule) -> dict:
    totals = table[list(_FLAGS)].sum()
    leaving = table.loc[table["graduating"], list(_FLAGS)].sum()
    counts = {k: int(totals[k]) for k in _FLAGS}
    graduating = {f"graduating_{k}": int(leaving[k]) for k in _FLAGS}
    over_schools = table.loc[table["over_standard"], ID].nunique()
    classes = len(table)
    return {
        "section": section, "standard": rule.standard[section], "classes": classes,
        "classes_unknown_size": int((~table["known"]).sum()), "reason": None,
        **counts, "large_or_huge": counts["large_56_65"] + counts["huge_66_plus"],
        "large_share": (counts["large_56_65"] + counts["huge_66_plus"]) / classes if classes else None,
        **graduating,
        "next_year": {k: counts[k] - graduating[f"graduating_{k}"] for k in _FLAGS},
        "schools_over_standard": int(over_schools),
        "max_size": float(table["size"].max()) if table["known"].any() else None,
    }


def _school_counts(table: pd.DataFrame, schools: pd.DataFrame) -> list[dict]:
    """Per school and section, only where some class is over the standard."""
    flagged = table.assign(graduating_over_standard=table["graduating"] & table["over_standard"])
    grouped = flagged.groupby([ID, "section"], sort=True).agg(
        classes=("size", "size"), over_standard=("over_standard", "sum"),
        large_56_65=("large_56_65", "sum"), huge_66_plus=("huge_66_plus", "sum"),
        graduating_over_standard=("graduating_over_standard", "sum"), max_size=("size", "max"))
    grouped = grouped[grouped["over_standard"] > 0].reset_index()
    names = schools.set_index(ID)[NAME]
    grouped["name"] = grouped[ID].map(names)
    return [{"id": r[ID], "name": text(r["name"]) or r[ID], "section": SECTION_KEYS[r["section"]],
             "classes": int(r["classes"]), "over_standard": int(r["over_standard"]),
             "large_56_65": int(r["large_56_65"]), "huge_66_plus": int(r["huge_66_plus"]),
             "graduating_over_standard": int(r["graduating_over_standard"]),
             "max_size": float(r["max_size"])} for r in grouped.to_dict("records")]


def school_size(schools: pd.DataFrame, rule: SchoolSizeRule) -> dict:
    """Schools whose 义务教育 enrolment (小学 + 初中) exceeds the cap for their type.

    A school the relaxed standard (放宽标准) applies to is judged against its relaxed cap: within it,
    it is listed under ``exempted`` instead of ``over_limit``."""
    national = schools[TYPE].map(rule.caps)
    relaxed_caps = rule.relaxed.values if rule.relaxed else {}
    relaxed = relaxed_schools(schools, rule.relaxed) & schools[TYPE].isin(relaxed_caps)
    cap = national.where(~relaxed, schools[TYPE].map(relaxed_caps))
    pupils = school_pupils(schools, COMPULSORY)
    checked = national.notna()
    over = checked & (pupils > cap)
    exempted = relaxed & (pupils > national) & ~over
    records = schools.assign(pupils=pupils, limit=cap, relaxed=relaxed).to_dict("index")
    return {
        "limits": dict(rule.caps),
        "relaxed_standard": relaxed_standard(rule.relaxed, "上限为" + "；".join(f"{t}{g(v)}人" for t, v in relaxed_caps.items())),
        "schools_checked": int(checked.sum()),
        "schools_unknown": int((checked & pupils.isna()).sum()),
        "over_limit": [_over_limit(records[i]) for i in schools.index[over]],
        "exempted": [{**exempted_entry(records[i], f"义务教育阶段规模不超过{g(records[i]['limit'])}人"),
                      "type": records[i][TYPE], "pupils": float(records[i]["pupils"]), "limit": float(national[i]),
                      "relaxed_limit": float(records[i]["limit"])} for i in schools.index[exempted]],
        "exemption_notes": [note for i in schools.index[over]
                            if (note := exemption_note(records[i], rule.relaxed, bool(relaxed[i])))],
    }


def _over_limit(r: dict) -> dict:
    return {"id": r[ID], "name": r[NAME], "type": r[TYPE], "row": int(r[ROW]), "pupils": float(r["pupils"]),
            "limit": float(r["limit"]), "relaxed": bool(r["relaxed"]), "built": built_year(r),
            "exemption": text(r.get("豁免说明"))}

"""Plausibility checks: values that parse but are almost certainly typing slips (warnings).

The bands below are the validator's heuristics for catching unit slips and missing decimal
points, not 督导 standards (those live in the indicator-system YAML files). A warning never
changes a value: the analysis uses the value as read, and the message says what looks wrong.
"""
from __future__ import annotations

import math

import pandas as pd

from reportgen.core.schema import COMPULSORY_GRADE_CODES, SCHOOLS
from reportgen.core.values import plain
from reportgen.loading.frames import ROW

# A per-pupil figure this many times the county median (or its inverse) is almost always a slip.
PER_PUPIL_BAND = 10.0
# 经费 from one year to the next beyond this factor (up or down) is not a budget change.
FUNDING_JUMP = 3.0
# A slip factor "explains" a ratio when the two are within this factor of each other.
SLIP_MATCH = 3.0
# 在校生数 may differ from the sum of its classes by this many pupils (or this share) without a word.
ENROLMENT_TOLERANCE_PUPILS = 5.0
ENROLMENT_TOLERANCE_SHARE = 0.02
# The fewest schools that make a county median worth comparing with.
MEDIAN_MIN_SCHOOLS = 5

PER_PUPIL_COLUMNS = ("教学及辅助用房面积", "体育运动场馆面积", "教学仪器设备值", "图书册数")
_PUPILS = ("小学在校生数", "初中在校生数", "高中在校生数")
_PERCENT_UNITS = ("%", "％")
_GRADES_JUNIOR = 9
_YUAN_PER_WAN = 1e4


def _slips(column: str) -> tuple[tuple[float, str, str], ...]:
    """(factor, reading when the value is that much too large, … too small) for one column."""
    decimal = (10.0, "可能漏了小数点（约大了10倍）", "可能多点了小数点（约小了10倍）")
    if column == "教学仪器设备值":
        return ((_YUAN_PER_WAN, "约大了10000倍，请核对单位（此列为元）", "可能把万元数填进了元的列（约小了10000倍）"),
                decimal)
    if column == "一般公共预算教育支出":
        return ((_YUAN_PER_WAN, "可能把元数填进了万元的列（约大了10000倍）", "可能把万元数按亿元或更大单位填写（约小了10000倍）"),)
    return (decimal, (100.0, "可能漏了小数点（约大了100倍）", "可能多点了小数点（约小了100倍）"))


def slip_reading(ratio: float, column: str) -> str:
    """The slip that explains ``ratio`` (value / plausible value), or a general reading."""
    for factor, too_big, too_small in _slips(column):
        for target, text in ((factor, too_big), (1 / factor, too_small)):
            if abs(math.log(ratio / target)) <= math.log(SLIP_MATCH):
                return text
    return "可能是单位填错或漏了小数点"


def per_pupil_outliers(tables: dict[str, pd.DataFrame], issues, settings=None) -> None:
    schools = issues.clean(tables, "学校")
    pupils = schools[list(_PUPILS)].fillna(0).sum(axis=1)
    for column in PER_PUPIL_COLUMNS:
        per_pupil = (schools[column] / pupils).where(pupils > 0)
        known = per_pupil[per_pupil > 0]
        if len(known) < MEDIAN_MIN_SCHOOLS:
            continue
        median = float(known.median())
        ratios = known / median
        for index, ratio in ratios[(ratios >= PER_PUPIL_BAND) | (ratios <= 1 / PER_PUPIL_BAND)].items():
            row = schools.loc[index]
            issues.add("学校", int(row[ROW]), column, plain(row[column]),
                           f"生均{_per_pupil(known[index], column)}，是全县学校生均中位数（{_per_pupil(median, column)}）的"
                           f"{_times(ratio)}；{slip_reading(ratio, column)}；此数用于生均指标、差异系数和达标判断", "警告")


def funding_jumps(tables: dict[str, pd.DataFrame], issues, settings=None) -> None:
    funding = issues.clean(tables, "经费").dropna(subset=["年度", "学段", "一般公共预算教育支出"])
    for level, rows in funding.sort_values("年度").groupby("学段", sort=False):
        previous = None
        for _, row in rows.iterrows():
            amount = row["一般公共预算教育支出"]
            if previous is not None and previous["年度"] == row["年度"] - 1 and previous["一般公共预算教育支出"] > 0 and amount > 0:
                ratio = amount / previous["一般公共预算教育支出"]
                if ratio >= FUNDING_JUMP or ratio <= 1 / FUNDING_JUMP:
                    issues.add("经费", int(row[ROW]), "一般公共预算教育支出", plain(amount),
                               f"{int(row['年度'])}年{level}是上年（第{int(previous[ROW])}行，{plain(previous['一般公共预算教育支出'])}万元）的"
                               f"{_times(ratio)}；{slip_reading(ratio, '一般公共预算教育支出')}；"
                               "此数影响经费增长、生均支出等数字", "警告")
            previous = row


def percent_fractions(tables: dict[str, pd.DataFrame], issues, settings=None) -> None:
    """单位 % with a value up to 1 (not a percentage-formatted cell: those are read as shown)."""
    county = issues.clean(tables, "县级指标")
    for row in county.to_dict("records"):
        unit = str(row["单位"]).strip() if row["单位"] else ""
        value = row["值"]
        if unit in _PERCENT_UNITS and 0 < value <= 1:
            issues.add("县级指标", int(row[ROW]), "值", plain(value),
                       f"单位为%，按{plain(value)}%读取；如本意是{plain(round(value * 100, 10))}%，请填写{plain(round(value * 100, 10))}", "警告")


def enrolment_against_classes(tables: dict[str, pd.DataFrame], issues, settings=None) -> None:
    every = tables["班级"]
    classes = issues.clean(tables, "班级")
    tainted = set(every.loc[~every.index.isin(classes.index), "学校标识码"].dropna())  # a class row in error
    classes = classes.dropna(subset=["学校标识码", "年级"])
    classes = classes[classes["年级"].isin(COMPULSORY_GRADE_CODES)]  # kindergartens and 高中 are not in 在校生数 by section
    if classes.empty:
        return
    # classes under an id 学校 lacks are one root error; their school then only seems to lack classes
    orphans = not set(classes["学校标识码"]) <= set(tables["学校"]["学校标识码"].dropna())
    highest = getattr(settings, "highest_primary_grade", 6)
    section = classes["年级"].map(lambda g: "小学" if g <= highest else "初中" if g <= _GRADES_JUNIOR else None)
    groups = classes.assign(_section=section).groupby(["学校标识码", "_section"])["学生数"]
    pupils, counts = groups.sum(min_count=1).to_dict(), groups.size().to_dict()
    with_classes = {sid for sid, _ in counts}
    for school in issues.clean(tables, "学校").to_dict("records"):
        sid = school["学校标识码"]
        if sid in tainted:
            continue
        for sec in ("小学", "初中"):
            enrolled = school[f"{sec}在校生数"]
            if (sid, sec) in counts:
                _compare_sums(school, sec, float(pupils[(sid, sec)]), int(counts[(sid, sec)]), issues)
            elif enrolled > 0 and sid not in with_classes and not orphans:
                issues.add("学校", int(school[ROW]), f"{sec}在校生数", plain(enrolled),
                           f"有{sec}在校生，但「班级」表中没有这所学校的班级（其他学校已填报班级）；"
                           "最大班额、大班额等数字将不含这所学校", "警告")
                break


def _compare_sums(school: dict, sec: str, in_classes: float, count: int, issues) -> None:
    enrolled = school[f"{sec}在校生数"]
    tolerance = max(ENROLMENT_TOLERANCE_PUPILS, ENROLMENT_TOLERANCE_SHARE * in_classes)
    if enrolled == enrolled and abs(enrolled - in_classes) > tolerance:
        issues.add("学校", int(school[ROW]), f"{sec}在校生数", plain(enrolled),
                   f"与「班级」表中这所学校{sec}各班学生数之和（{plain(in_classes)}人，{count}个班）相差"
                   f"{plain(abs(enrolled - in_classes))}人；请核对（常见原因：数字顺序打错、漏填班级）", "警告")
    declared = school[f"{sec}班级数"]
    if declared == declared and declared != count:
        issues.add("学校", int(school[ROW]), f"{sec}班级数", plain(declared),
                   f"「班级」表中这所学校有{count}个{sec}班级，与此数不同；请核对", "警告")


def empty_classes(tables: dict[str, pd.DataFrame], issues, settings=None) -> None:
    classes = issues.clean(tables, "班级")
    for _, row in classes[classes["学生数"] == 0].iterrows():
        issues.add("班级", int(row[ROW]), "学生数", 0, "班级学生数为0；没有学生的班级请删除此行，否则会计入班级数", "警告")


def physical_bounds(tables: dict[str, pd.DataFrame], issues, settings=None) -> None:
    """More classes than pupils cannot be (teacher subsets over the total are a rule in rules.py)."""
    schools = issues.clean(tables, "学校")
    for sec in ("小学", "初中"):
        classes, pupils = schools[f"{sec}班级数"], schools[f"{sec}在校生数"]
        for _, row in schools[(pupils > 0) & (classes > pupils)].iterrows():
            issues.add("学校", int(row[ROW]), f"{sec}班级数", plain(row[f"{sec}班级数"]),
                       f"班级数多于{sec}在校生数（{plain(row[f'{sec}在校生数'])}人），请核对两列是否填反或多打了数字")


def _per_pupil(value: float, column: str) -> str:
    unit = SCHOOLS.column(column).unit or ""
    return f"{value:.4g}{unit}"


def _times(ratio: float) -> str:
    if ratio < 1:
        return f"约1/{1 / ratio:,.0f}"
    return f"{ratio:,.0f}倍" if ratio >= 100 else f"{ratio:.1f}倍"


PLAUSIBILITY_RULES = (per_pupil_outliers, funding_jumps, percent_fractions, enrolment_against_classes,
                      empty_classes, physical_bounds)

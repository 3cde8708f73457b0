"""The consistency check: numbers a person wrote against the figures the analysis computes.

Every sentence of 文字材料.内容, 整改台账.整改进展, 测评点.得失分说明 and 情况说明.说明 is read for
phrases that state a computed quantity ("共785个教学班", "专任教师2230人", "骨干教师占24%"…; the
table ``QUANTITIES``); a number that differs from the analysis, at the precision the person wrote
it, is a finding. A 整改台账 item marked 已完成 whose problem concerns an indicator that still fails
(``LEDGER_RULES``) is a finding too. Findings are reported, never applied: the reports print the
person's text as written. Pure: a workspace and its analysis in, findings out.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping

from reportgen.core.vocabulary import DONE_STATE, FAIL
from reportgen.analysis.common import text
from reportgen.analysis.quality import cv_over_phrase

ROW = "_row"  # the Excel row number column of every table (loading.frames.ROW)

# sheet → the column a person writes numbers in
TEXT_SOURCES: tuple[tuple[str, str], ...] = (
    ("文字材料", "内容"), ("整改台账", "整改进展"), ("测评点", "得失分说明"), ("情况说明", "说明"))

_NUM = r"(?P<n>\d+(?:\.\d+)?)"
_SENTENCE = re.compile(r"[。；;！？!?\n]")
_CLAUSE = re.compile(r"[，,：:]")
# words that make a number a target, a bound or a part rather than the stated whole
_TARGET = re.compile(r"不低于|不少于|不超过|不高于|力争|确保|目标|计划|预计|争取")
_APPROX_BEFORE = ("约", "近", "超过", "逾", "将近", "大约")
_APPROX_AFTER = ("余", "多", "以上", "左右", "以下")
# a qualifier before a head count means a part of the staff or pupils, not the whole
_PART = re.compile(r"体育|艺术|音乐|美术|音体美|骨干|乡村|农村|城区|镇区|新|特岗|交流|民办|幼儿园|学前|高中|"
                   r"特殊教育学校|随迁|残疾|寄宿|招聘|补充|毕业|起始")
_SECTIONS = ("小学", "初中")
LEDGER_COLUMN = "整改状态"


@dataclass(frozen=True)
class Finding:
    sheet: str
    row: int | None
    column: str
    text: str          # the sentence as written
    stated: str        # what the person wrote (the number, or the ledger state)
    computed: str      # what the data give, in words
    figure: str = ""   # the figure id (``analyze --explain``), when there is one

    @property
    def place(self) -> str:
        return f"工作表「{self.sheet}」" + (f"第{self.row}行" if self.row else "") + f"列「{self.column}」"

    def __str__(self) -> str:
        figure = f"（数字编号 {self.figure}）" if self.figure else ""
        if self.column == LEDGER_COLUMN:
            return (f"核对：{self.place}：{self.stated}（反馈问题：{self.text}），但数据显示{self.computed}。"
                    "请核对整改状态")
        return (f"核对：{self.place}写「{self.text}」，其中{self.stated}，数据计算结果为{self.computed}{figure}。"
                "报告照原文印出，请核对后修改原文")


@dataclass(frozen=True)
class Quantity:
    """A computed quantity and the phrases that state it."""
    name: str
    patterns: tuple[str, ...]
    value: Callable[[Mapping[str, Any], str | None, bool], list[tuple[float, str, str]]]
    percent: bool = False
    context: str = ""          # a word the sentence must contain
    headcount: bool = False    # a whole count: a qualifier before it means a part (skipped)


def _people(key: str, noun: str, unit: str) -> Callable:
    """profile.<key> for 义务教育学校; with no 义务教育 in the sentence, all schools agree too."""
    def values(analysis: Mapping[str, Any], section: str | None, compulsory: bool) -> list[tuple[float, str, str]]:
        profile = analysis["profile"]
        own, everyone = (_count(profile[key], section), _count(profile["all_schools"][key], section))
        if own is None:
            return []
        shown = f"义务教育学校{section or ''}{noun}{_g(own)}{unit}"
        if everyone is not None and everyone != own:
            shown += f"（含{'、'.join(profile['other_types'])}在内的全部学校为{_g(everyone)}{unit}）"
        out = [(own, shown, f"profile.{key}.{section}" if section else f"profile.{key}")]
        if not compulsory and everyone is not None:
            out.append((everyone, shown, ""))
        return out
    return values


def _count(figures: Mapping[str, Any], section: str | None) -> float | None:
    return figures["by_section"].get(section) if section else figures["total"]


def _plain(path: tuple, unit: str, label: str, fid: str, percent: bool = False) -> Callable:
    def values(analysis: Mapping[str, Any], section: str | None, compulsory: bool) -> list[tuple[float, str, str]]:
        value = _dig(analysis, path)
        if value is None:
            return []
        return [(value, f"{label}{stated_value(value, percent)}{'' if percent else unit}", fid)]
    return values


def _item(block: str, item_id: str, condition: int, label: str, unit: str = "", percent: bool = False) -> Callable:
    """One condition of a 政府保障程度 / 教育质量 item (its value as the analysis holds it)."""
    def values(analysis: Mapping[str, Any], section: str | None, compulsory: bool) -> list[tuple[float, str, str]]:
        for item in analysis.get(block) or []:
            conditions = item.get("conditions") or []
            if item["id"] == item_id and len(conditions) > condition and conditions[condition].get("value") is not None:
                value = conditions[condition]["value"]
                shown = f"{stated_value(value, percent)}{'' if percent else unit}"
                return [(value, f"{label}{shown}", f"{block}.{item_id}")]
        return []
    return values


def _item_value(block: str, item_id: str, label: str, unit: str) -> Callable:
    def values(analysis: Mapping[str, Any], section: str | None, compulsory: bool) -> list[tuple[float, str, str]]:
        for item in analysis.get(block) or []:
            if item["id"] == item_id and isinstance(item.get("value"), (int, float)):
                return [(item["value"], f"{label}{_g(item['value'])}{unit}", f"{block}.{item_id}")]
        return []
    return values


QUANTITIES: tuple[Quantity, ...] = (
    Quantity("义务教育学校数", (rf"义务教育学校(?:共有|共|有)?{_NUM}所", rf"{_NUM}所义务教育学校"),
             _plain(("profile", "schools"), "所", "义务教育学校", "profile.schools")),
    Quantity("在校生数", (rf"在校(?:学)?生(?:共有|共|总数|人数)?{_NUM}(?:人|名)", rf"{_NUM}名在校(?:学)?生"),
             _people("pupils", "在校生", "人"), headcount=True),
    Quantity("教学班数", (rf"教学班(?:共有|共|总数)?{_NUM}个", rf"{_NUM}个教学班"),
             _people("classes", "教学班", "个"), headcount=True),
    Quantity("专任教师数", (rf"专任教师(?:共有|共|总数|人数)?{_NUM}(?:人|名)", rf"{_NUM}名专任教师"),
             _people("teachers", "专任教师", "人"), headcount=True),
    Quantity("超过标准班额的班级数", (rf"{_NUM}个(?:教学)?班(?:级)?超过(?:国家)?(?:规定|标准)?(?:的)?(?:标准)?班额",
                             rf"超(?:过)?(?:国家)?(?:标准)?班额(?:的)?(?:班级)?{_NUM}个"),
             _item_value("guarantee", "class_size", "超过标准班额的班级", "个")),
    Quantity("整改完成率", (rf"整改完成率(?:为|达到|达)?{_NUM}%",),
             _plain(("rectification", "completion_rate"), "", "整改完成率", "rectification.completion_rate", True),
             percent=True),
    Quantity("交流轮岗教师比例", (rf"交流轮岗(?:的)?教师(?:人数|数)?占[^，,；。]*?{_NUM}%",),
             _item("guarantee", "teacher_rotation", 0, "交流轮岗教师占符合交流条件教师的", percent=True),
             percent=True),
    Quantity("骨干教师占交流轮岗教师比例", (rf"骨干教师(?:占|比例为|比例|所占比例为)?{_NUM}%",),
             _item("guarantee", "teacher_rotation", 1, "交流轮岗教师中骨干教师占", percent=True),
             percent=True, context="交流"),
    Quantity("教师培训经费比例", (rf"公用经费预算(?:总额)?的{_NUM}%",),
             _item("education_quality", "training_budget", 0, "教师培训经费占公用经费预算总额的", percent=True),
             percent=True, context="培训"),
    Quantity("初中三年巩固率", (rf"巩固率(?:为|达到|提高到|提升到|达)?{_NUM}%",),
             _item("education_quality", "consolidation_rate", 0, "初中三年巩固率", percent=True), percent=True),
    Quantity("残疾儿童少年入学率", (rf"残疾儿童少年入学率(?:为|达到|提高到|提升到|达)?{_NUM}%",),
             _item("education_quality", "disabled_enrolment", 0, "残疾儿童少年入学率", percent=True), percent=True),
    Quantity("教师平均工资收入", (rf"教师(?:年)?平均工资(?:收入)?(?:为|达到|达)?{_NUM}万元",),
             _item("guarantee", "teacher_salary", 0, "教师平均工资收入", "万元")),
)


def _g(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def stated_value(value: float, percent: bool = False) -> str:
    """A computed value as a finding or the 变更说明 shows it: 776, 11.86, 55.00%."""
    return f"{value * 100:.2f}%" if percent else _g(value)


def _dig(data: Any, path: tuple) -> Any:
    for key in path:
        if not isinstance(data, Mapping) or key not in data:
            return None
        data = data[key]
    return data


# ---------------------------------------------------------------- written numbers

@dataclass(frozen=True)
class Statement:
    """A phrase of person-written text that states a computed quantity, with the values the
    analysis gives it (any of them agrees; the first is the one a report means)."""
    sheet: str
    row: int | None
    column: str
    sentence: str
    clause: str        # the part of the sentence between commas that holds the number
    quantity: str      # the quantity's name (``QUANTITIES``)
    written: str       # the number as written
    key: str           # the quantity in its reading (section, 义务教育 or not): ``quantity_key``
    values: tuple[float, ...]
    computed: str      # what the data give, in words
    figure: str = ""   # the figure id (``analyze --explain``), when there is one
    percent: bool = False

    @property
    def agrees(self) -> bool:
        return any(_agrees(self.written, value, self.percent) for value in self.values)


def check_consistency(ws, analysis: Mapping[str, Any]) -> list[Finding]:
    """Every contradiction between what a person wrote and what the data give."""
    return list(_written_numbers(ws, analysis)) + list(_closed_but_failing(ws, analysis))


def _written_numbers(ws, analysis: Mapping[str, Any]) -> Iterator[Finding]:
    for s in stated_quantities(ws, analysis):
        if not s.agrees:
            stated = f"{s.quantity}写为{s.written}{'%' if s.percent else ''}"
            yield Finding(s.sheet, s.row, s.column, s.sentence, stated, s.computed, s.figure)


def stated_quantities(ws, analysis: Mapping[str, Any]) -> Iterator[Statement]:
    """Every statement of a computed quantity in the person-written columns (``TEXT_SOURCES``),
    agreeing with the data or not; targets, approximations and parts of a whole are no statements."""
    for sheet, column in TEXT_SOURCES:
        frame = ws.tables.get(sheet)
        if frame is None or column not in frame.columns:
            continue
        for _, record in frame.iterrows():
            written = text(record.get(column))
            if written:
                row = int(record[ROW]) if ROW in record and not _missing(record[ROW]) else None
                for sentence in filter(None, (s.strip() for s in _SENTENCE.split(written))):
                    yield from _sentence_statements(sheet, row, column, sentence, analysis)


def _missing(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _sentence_statements(sheet: str, row: int | None, column: str, sentence: str,
                         analysis: Mapping[str, Any]) -> Iterator[Statement]:
    compulsory = "义务教育" in sentence
    for clause in _CLAUSE.split(sentence):
        for quantity in QUANTITIES:
            if quantity.context and quantity.context not in sentence:
                continue
            for pattern in quantity.patterns:
                for match in re.finditer(pattern, clause):
                    section = _reading(quantity, clause, match)
                    candidates = [] if section is None else quantity.value(analysis, section or None, compulsory)
                    if candidates:
                        _, computed, fid = candidates[0]
                        yield Statement(sheet, row, column, sentence, clause, quantity.name, match.group("n"),
                                        quantity_key(quantity, section or None, compulsory),
                                        tuple(v for v, _, _ in candidates), computed, fid, quantity.percent)


def _reading(quantity: Quantity, clause: str, match: re.Match) -> str | None:
    """The section a stated number is about ("" for the whole county), or None when the phrase
    states no computed quantity (a target, an approximation, a part of the whole)."""
    before, after = clause[:match.start("n")], clause[match.end("n"):]
    if _TARGET.search(clause[:match.start()] + match.group(0)) or before.endswith(_APPROX_BEFORE) \
            or after.startswith(_APPROX_AFTER):
        return None
    head = clause[:match.start()] + match.group(0)[:match.start("n") - match.start()]
    if quantity.headcount and _PART.search(head):
        return None
    sections = [s for s in _SECTIONS if s in head]
    return sections[0] if len(sections) == 1 else ""


def quantity_key(quantity: Quantity, section: str | None, compulsory: bool) -> str:
    """A quantity in one reading: 「教学班数·小学·义务教育」."""
    return "·".join([quantity.name, section or "全县"] + (["义务教育"] if compulsory else []))


def quantity_values(analysis: Mapping[str, Any]) -> dict[str, list[float]]:
    """The values every quantity takes in every reading: what person-written text is checked
    against, kept by the build so the next one can tell a sentence its figure has moved."""
    out = {}
    for quantity in QUANTITIES:
        for section in (None, *_SECTIONS):
            for compulsory in (False, True):
                values = [v for v, _, _ in quantity.value(analysis, section, compulsory)]
                if values:
                    out[quantity_key(quantity, section, compulsory)] = values
    return out


def _agrees(written: str, value: float, percent: bool) -> bool:
    """Equal at the precision the person wrote (11.8% agrees with 11.84%)."""
    decimals = len(written.split(".")[1]) if "." in written else 0
    computed = value * 100 if percent else value
    return round(computed + 0.0, decimals) == round(float(written), decimals) or \
        f"{computed:.{decimals}f}" == f"{float(written):.{decimals}f}"


# ---------------------------------------------------------------- 已完成 items still failing

@dataclass(frozen=True)
class LedgerRule:
    """A 整改台账 problem about an indicator: words in 反馈问题 → the indicator's current verdict."""
    words: tuple[str, ...]
    failing: Callable[[Mapping[str, Any]], str | None]   # what still fails, in words; None when met


def _guarantee_failing(item_id: str) -> Callable[[Mapping[str, Any]], str | None]:
    def failing(analysis: Mapping[str, Any]) -> str | None:
        for item in analysis.get("guarantee") or []:
            if item["id"] == item_id and item["status"] == FAIL:
                names = "、".join(dict.fromkeys(d["name"] for d in item.get("details") or []))
                return f"政府保障程度第{item['number']}项仍未达标：{item['reason']}" + (f"（{names}）" if names else "")
        return None
    return failing


def _indicator_failing(indicator: str) -> Callable[[Mapping[str, Any]], str | None]:
    """A 资源配置 indicator fails while a school is below the floor or its 差异系数 is over the limit."""
    def failing(analysis: Mapping[str, Any]) -> str | None:
        parts = []
        for key, section in (("primary", "小学"), ("junior", "初中")):
            block = (analysis.get("quality_balance") or {}).get(key) or {}
            figures = (block.get("indicators") or {}).get(indicator)
            if not figures:
                continue
            below = [s["name"] for s in block.get("schools") or [] if indicator in (s.get("below_floor") or [])]
            if below:
                parts.append(f"{section}{len(below)}所学校{figures['label']}低于标准的85%（{'、'.join(below)}）")
            if figures.get("cv_ok") is False:
                parts.append(cv_over_phrase(key, indicator, figures)[0])
        return "；".join(parts) or None
    return failing


LEDGER_RULES: tuple[LedgerRule, ...] = (
    LedgerRule(("专用教室",), _guarantee_failing("music_art_rooms")),
    LedgerRule(("超过标准上限", "超规模", "规模超过"), _guarantee_failing("school_size")),
    LedgerRule(("班额",), _guarantee_failing("class_size")),
    LedgerRule(("体育、艺术专任教师", "体育、艺术教师", "体艺教师", "音体美教师", "音乐、美术课"),
               _indicator_failing("pe_art_teachers_per100")),
    LedgerRule(("骨干教师总量", "骨干教师数", "拥有县级以上骨干教师"), _indicator_failing("backbone_teachers_per100")),
    LedgerRule(("体育运动场", "运动场地"), _indicator_failing("sports_area_per_student")),
    LedgerRule(("教学及辅助用房",), _indicator_failing("teaching_area_per_student")),
    LedgerRule(("仪器设备",), _indicator_failing("equipment_value_per_student")),
    LedgerRule(("多媒体教室",), _indicator_failing("multimedia_rooms_per100")),
    LedgerRule(("交流轮岗",), _guarantee_failing("teacher_rotation")),
    LedgerRule(("工资收入",), _guarantee_failing("teacher_salary")),
)


def _closed_but_failing(ws, analysis: Mapping[str, Any]) -> Iterator[Finding]:
    ledger = ws.tables.get("整改台账")
    if ledger is None or LEDGER_COLUMN not in ledger.columns:
        return
    for _, record in ledger.iterrows():
        problem = text(record.get("反馈问题")) or ""
        if text(record.get(LEDGER_COLUMN)) != DONE_STATE or not problem:
            continue
        still = [s for s in (rule.failing(analysis) for rule in LEDGER_RULES
                             if any(w in problem for w in rule.words)) if s]
        if still:
            number = record.get("序号")
            label = f"问题{_g(number)}" if isinstance(number, (int, float)) and not _missing(number) else "该问题"
            yield Finding("整改台账", int(record[ROW]), LEDGER_COLUMN, problem, f"{label}标为「{DONE_STATE}」",
                          "；".join(dict.fromkeys(still)))


def check_workspace(ws) -> list[Finding]:
    """The check on a loaded workspace (analysis included)."""
    from reportgen.analysis import analyze

    return check_consistency(ws, analyze(ws))


def consistency_lines(ws) -> list[str]:
    """The findings as ``validate`` prints them; a workspace the analysis refuses gets one line."""
    from reportgen.core.errors import ReportgenError

    try:
        return [str(f) for f in check_workspace(ws)]
    except ReportgenError as exc:
        return [f"提示：数据未能计算，未做数字核对：{exc}"]

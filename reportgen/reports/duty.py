"""履行教育职责自评报告 (standards §4), built from the analysis' ``duty_scoring`` and friends.

Layout: opening (评价通知, N个测评点, 自评得分X分, 另申请加分Y分) · 一、基本情况 · 二、主要做法及成效
(one （一） part per 一级指标 with 分值 and 自评得分: the user's paragraphs, then computed facts —
funding growth, class sizes, resource balance, item results — with their charts) ·
三、上年度反馈问题整改情况 (the ledger) · 四、存在问题 · 五、下一步工作计划 · signature ·
附件 自评得分表 (every 测评点, computed points marked).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from reportgen.core.vocabulary import LEDGER_STATES, PENDING
from reportgen.reports import numbers as fmt
from reportgen.reports.common import (Captions, attachment_marks, class_size_chart, county_profile,
                                      or_placeholder, placeholder, signature, stated, title_text, user_text)
from reportgen.reports.evidence import (balance_evidence, class_size_evidence, funding_evidence, ledger_chart_data,
                                        mix_effect_evidence, mix_effect_years, per_level_funding_evidence,
                                        preschool_evidence, school_size_evidence, senior_class_size_evidence)
from reportgen.reports.figures import FigureBook
from reportgen.reports.model import (Attachment, Chart, Column, ReportModel, Section, Table, paragraphs)

if TYPE_CHECKING:
    from reportgen.core.workspace import Workspace

REPORT = "履职自评"
TEMPLATE = "履行教育职责自评报告.docx"
BODY_LIMIT = 5000            # 字: the published self-report is at most 5000 字 (standards §4)
FUNDING_YEARS_SHOWN = 5
TOTAL_LEVEL = "合计"
OVERDUE_NAMED = 5
# Which computed facts a 一级指标 part carries, by the prefix of its points' 计算依据. A county-wide
# topic is told once, under the first part that scores it; "items" are told part by part.
TOPICS = (("funding", ("经费.", "funding.")), ("school_size", ("学校规模.",)), ("class_size", ("班额.", "class_size.")),
          ("preschool", ("学前.", "preschool.")),
          ("balance", ("优质均衡.", "基本均衡.")), ("items", ("政府保障程度.", "教育质量.", "社会认可度")))
PER_PART_TOPICS = ("items",)


def build_model(ws: "Workspace", analysis: dict) -> ReportModel:
    book = FigureBook(REPORT)
    captions = Captions()
    scoring = analysis["duty_scoring"]
    marks = attachment_marks(["自评得分表"])
    unit = str(ws.info.get("报告单位") or ws.region)
    head = f"{unit}{ws.year or ''}年度"
    with book.under("前言"):
        opening = paragraphs(_opening(ws, analysis, scoring, book))
    with book.under("一、基本情况"):
        basic = or_placeholder(county_profile(ws, analysis, book) + user_text(ws, "基本情况"), "基本情况")
    with book.under("二、主要做法及成效"):
        intro = user_text(ws, "主要做法", "主要做法及成效") + [_domain_summary(scoring, book)]
        practice = Section("二、主要做法及成效", (*paragraphs(intro), _score_chart(scoring, captions, book)),
                           tuple(_practice(ws, analysis, scoring, captions, book)), key="practice")
    with book.under("三、上年度反馈问题整改情况"):
        rectification = _rectification(ws, analysis, captions, book)
    with book.under("四、存在问题"):
        problems = _problems(ws, scoring, book)
    plans = or_placeholder(user_text(ws, "下一步工作计划"), "下一步工作计划")
    with book.under("附件"):
        attachment = _points_table(marks[0], scoring, book)
    sections = (Section("一、基本情况", paragraphs(basic), key="basic"), practice, rectification,
                Section("四、存在问题", paragraphs(problems), key="problems"),
                Section("五、下一步工作计划", paragraphs(plans, keep_last=True), key="plans"))
    filename = f"{ws.region}{ws.year or ''}年度履行教育职责自评报告.docx"
    model = ReportModel(REPORT, f"{head}履行教育职责自评报告", filename, TEMPLATE, opening=opening,
                        sections=sections, attachments=(attachment,), meta=signature(ws),
                        figures=tuple(book.records()), printed_title=title_text(head, "履行教育职责自评报告"))
    warnings = list(scoring.get("warnings") or [])
    length = body_length(model)
    if length > BODY_LIMIT:
        warnings.append(f"履行教育职责自评报告正文约{length}字，超过{BODY_LIMIT}字，请精简「文字材料」")
    return replace(model, warnings=tuple(warnings))


def body_length(model: ReportModel) -> int:
    """Characters of the body text (title, headings and paragraphs, not the 附件 table), spaces excluded."""
    return sum(len("".join(line.split())) for line in model.text().splitlines())


# ---------------------------------------------------------------- opening

def _opening(ws, analysis: dict, scoring: dict, book: FigureBook) -> list[str]:
    notice = ws.info.get("评价通知") or placeholder("评价通知")
    system = analysis.get("systems", {}).get("duty", {}).get("name") or scoring.get("system")
    n = book.put("duty.points", len(scoring["points"]), fmt.count)
    sentence = f"根据{notice}要求，{ws.region}对照《{system}》{n}个测评点开展了自评"
    skipped = scoring.get("not_applicable") or []
    if skipped:
        sentence += f"（其中{book.put('duty.not_applicable', len(skipped), fmt.count)}个测评点无此项工作任务，不计分）"
    total = book.put("duty.total", scoring["total"], fmt.score)
    sentence += f"，自评得分{total}分"
    if scoring.get("bonus"):
        sentence += f"，另申请加分{book.put('duty.bonus', scoring['bonus'], fmt.score)}分"
    sentence += f"，合计{book.put('duty.final', scoring['final'], fmt.score)}分，自评等级为{scoring['grade']}。"
    deductions = [f"第{p['id']}测评点因{_fact(p, book)}，扣{_lost(p, book)}分" for p in _deducted(scoring)]
    if deductions:
        sentence += f"其中，{'；'.join(deductions)}。"
    if scoring.get("missing"):
        sentence += f"另有{book.put('duty.missing', len(scoring['missing']), fmt.count)}个测评点尚未填写自评得分，未计入总分。"
    triggered = [v for v in scoring.get("vetoes") or [] if v.get("triggered")]
    if triggered:
        sentence += f"经自查，存在{'、'.join(v['label'] for v in triggered)}情形（{'、'.join(v['action'] for v in triggered)}）。"
    return [sentence] + user_text(ws, "前言", "总体情况") + ["现将自评情况报告如下。"]


# ---------------------------------------------------------------- 二、主要做法及成效

def _domain_figures(d: dict, book: FigureBook, where: str = "sentence") -> tuple[str, str]:
    """(score, full marks) of one 一级指标 as printed."""
    base = f"duty.domain.{d['name']}"
    return (book.put(f"{base}.score", d["score"], fmt.score, where),
            book.put(f"{base}.max", d["max_score"], fmt.score, where))


def _domain_summary(scoring: dict, book: FigureBook) -> str:
    parts = []
    for d in scoring["domains"]:
        score, full = _domain_figures(d, book)
        parts.append(f"{d['name']}{score}分（分值{full}分）")
    return f"各一级指标自评得分为：{'；'.join(parts)}。"


def _score_chart(scoring: dict, captions: Captions, book: FigureBook) -> Chart:
    domains = scoring["domains"]
    labels = ["/".join(_domain_figures(d, book, "chart:scores")) for d in domains]
    data = {"labels": [d["name"] for d in domains], "full": [d["max_score"] for d in domains],
            "score": [d["score"] for d in domains], "value_labels": labels}
    return captions.chart("chart_scores", "point_scores", "各一级指标自评得分", data)


def _practice(ws, analysis: dict, scoring: dict, captions: Captions, book: FigureBook) -> list[Section]:
    points = {p["id"]: p for p in scoring["points"]}
    used: set[str] = set()
    parts = []
    for index, domain in enumerate(scoring["domains"], 1):
        name = domain["name"]
        own = [points[i] for i in domain["points"] if i in points]
        level2 = list(dict.fromkeys(p["level2"] for p in own if p.get("level2")))
        with book.under(f"二、主要做法及成效·{name}"):
            topics = [t for t in _topics(own) if t not in used]
            used.update(t for t in topics if t not in PER_PART_TOPICS)
            facts, figures = [], []
            for topic in topics:
                more, charts = TOPIC_BUILDERS[topic](ws, analysis, own, captions, book)
                facts += more
                figures += charts
            texts = or_placeholder(user_text(ws, name, *level2) + facts, f"{name}主要做法及成效")
            score, full = _domain_figures(domain, book)
            parts.append(Section(f"（{fmt.cn_number(index)}）{name}（分值{full}分，自评得分{score}分）",
                                 (*paragraphs(texts), *figures), level=2, key=f"domain.{name}"))
    return parts


def _topics(points: list[dict]) -> list[str]:
    measures = [p.get("measure") or "" for p in points]
    return [topic for topic, prefixes in TOPICS if any(m.startswith(prefixes) for m in measures)]


def _funding_facts(ws, analysis: dict, points, captions: Captions, book: FigureBook) -> tuple[list[str], list[Chart]]:
    """The latest year's spending, then by level, 三个增长 and the earlier years that fell."""
    block = analysis.get("funding") or {}
    entries = (block.get("by_level") or {}).get(TOTAL_LEVEL) or []
    facts = funding_evidence(analysis, book)
    if not facts:
        return [], []
    mixes = mix_effect_years(analysis)
    facts += per_level_funding_evidence(analysis, book)
    if entries[-1]["year"] in mixes:
        facts.append(mix_effect_evidence(mixes[entries[-1]["year"]], analysis, book))
    facts += _three_growth(block.get("three_growth") or {}, book) + _falling_years(block, entries, mixes, analysis, book)
    return facts, [_funding_chart(entries, captions, book)]


def _three_growth(three: dict, book: FigureBook) -> list[str]:
    """三个增长 in figures: 拨款 against 经常性收入, then 教师工资 and 生均公用经费 (the 生均教育费用
    growth is the per-pupil change the funding paragraph already gives)."""
    parts = {p["id"]: p for p in three.get("parts") or []}
    clauses = []
    if (parts.get("appropriation") or {}).get("ok") is not None:
        a = book.put("funding.appropriation_growth", three["appropriation_growth"], fmt.percent)
        r = book.put("funding.revenue_growth", three["revenue_growth"], fmt.percent)
        clauses.append(f"教育财政拨款增长{a}，{'高于' if parts['appropriation']['ok'] else '未高于'}财政经常性收入增长{r}")
    if (parts.get("pay") or {}).get("ok") is not None:
        s = book.put("funding.salary_growth", three["salary_growth"], fmt.change)
        p = book.put("funding.public_funds_growth", three["public_funds_growth"], fmt.change)
        clauses.append(f"教师平均工资收入比上年{s}，生均公用经费比上年{p}")
    return ["；".join(clauses) + "。"] if clauses else []


def _growth(e: dict, key: str, book: FigureBook, where: str = "sentence") -> str:
    """A year's change of spending (key "spending") or spending per pupil ("per_pupil"), as printed."""
    return book.put(f"funding.{TOTAL_LEVEL}.{e['year']}.{key}_growth", e[f"{key}_growth"], fmt.change, where)


def _falling_years(block: dict, entries: list[dict], mixes: dict[int, dict], analysis: dict,
                   book: FigureBook) -> list[str]:
    """Years before the latest in which spending or spending per pupil fell, with the change (and,
    for a fall in spending per pupil while every level's rose, what the levels' figures prove)."""
    test = block.get("two_no_decrease") or {}
    by_year = {e["year"]: e for e in entries[:-1]}
    facts = []
    for key, label in (("spending", "一般公共预算教育支出"), ("per_pupil", "按在校学生人数平均的一般公共预算教育支出")):
        for y in test.get(f"{key}_failing_years") or []:
            if key == "per_pupil" and y in by_year and y in mixes:
                facts.append(mix_effect_evidence(mixes[y], analysis, book))
            elif y in by_year:
                facts.append(f"{y}年{label}比上年{_growth(by_year[y], key, book)}。")
    return facts


def _funding_chart(entries: list[dict], captions: Captions, book: FigureBook) -> Chart:
    shown = entries[-FUNDING_YEARS_SHOWN:]

    def labels(key: str) -> list[str]:
        return ["" if e.get(f"{key}_growth") is None else _growth(e, key, book, "chart:funding") for e in shown]

    data = {"years": [e["year"] for e in shown], "spending": [e["spending"] for e in shown],
            "per_pupil": [e.get("per_pupil") for e in shown],
            "spending_labels": labels("spending"), "per_pupil_labels": labels("per_pupil"),
            "spending_title": "一般公共预算教育支出（万元）", "per_pupil_title": "生均一般公共预算教育支出（元）"}
    first, last = shown[0]["year"], shown[-1]["year"]
    return captions.chart("chart_funding", "funding", f"{first}—{last}年一般公共预算教育支出", data)


def _class_size_facts(ws, analysis: dict, points, captions: Captions, book: FigureBook) -> tuple[list[str], list[Chart]]:
    facts = class_size_evidence(analysis, book) + senior_class_size_evidence(analysis, book)
    return facts, class_size_chart(ws, analysis, captions)


def _preschool_facts(ws, analysis: dict, points, captions: Captions, book: FigureBook) -> tuple[list[str], list[Chart]]:
    return preschool_evidence(analysis, book), []


def _school_size_facts(ws, analysis: dict, points, captions: Captions, book: FigureBook) -> tuple[list[str], list[Chart]]:
    return school_size_evidence(analysis, book), []


def _balance_facts(ws, analysis: dict, points, captions: Captions, book: FigureBook) -> tuple[list[str], list[Chart]]:
    return balance_evidence(analysis, book), []


def _item_facts(ws, analysis: dict, points, captions: Captions, book: FigureBook) -> tuple[list[str], list[Chart]]:
    items = {f"政府保障程度.{i['id']}": i for i in analysis.get("guarantee") or []}
    items.update({f"教育质量.{i['id']}": i for i in analysis.get("education_quality") or []})
    if analysis.get("social_recognition"):
        items["社会认可度"] = analysis["social_recognition"]
    linked = [items[p["measure"]] for p in points if p.get("measure") in items]
    known = [i for i in linked if i["status"] != PENDING and i.get("reason")]
    if not known:
        return [], []
    reasons = [book.put(f"item.{i['id']}", i.get("value"), stated(i)) for i in known]
    return [f"经数据核算，{'；'.join(reasons)}。"], []


TOPIC_BUILDERS = {"funding": _funding_facts, "school_size": _school_size_facts, "class_size": _class_size_facts,
                  "balance": _balance_facts, "items": _item_facts, "preschool": _preschool_facts}


# ---------------------------------------------------------------- 三、上年度反馈问题整改情况

RECTIFICATION_HEADING = "三、上年度反馈问题整改情况"


def _rectification(ws, analysis: dict, captions: Captions, book: FigureBook) -> Section:
    s = analysis.get("rectification") or {}
    texts = user_text(ws, "上年度反馈问题整改情况", "整改情况", "整改总体情况")
    if not s.get("total"):
        return Section(RECTIFICATION_HEADING, paragraphs(or_placeholder(texts, "上年度反馈问题整改情况")),
                       key="rectification")
    as_of = fmt.date_cn(dt.date.fromisoformat(s["as_of"])) if s.get("as_of") else ""
    total = book.put("rectification.total", s["total"], fmt.count)
    states = "，".join(f"{label}{book.put(f'rectification.{key}', s[key], fmt.count)}个"
                      for label, key in LEDGER_STATES.items() if s.get(key))
    rate = book.put("rectification.completion_rate", s["completion_rate"], fmt.percent)
    facts = [f"上年度督导反馈问题{total}个，截至{as_of}，{states}，整改完成率{rate}。"]
    if s.get("categories"):
        cats = "、".join(_category_text(c, book) for c in s["categories"])
        facts.append(f"按问题类别，{cats}。")
    overdue = s.get("overdue") or []
    if overdue:
        named = [f"第{o['no']}项（{o['unit']}，完成时限{fmt.date_cn(dt.date.fromisoformat(o['deadline']))}）"
                 for o in overdue if o.get("deadline")]
        facts.append(f"已超过完成时限尚未完成的问题{book.put('rectification.overdue', len(overdue), fmt.count)}个："
                     f"{fmt.enumerate_cn(named, OVERDUE_NAMED, '个')}。")
    return Section(RECTIFICATION_HEADING, (*paragraphs(texts + facts), _ledger_chart(s, captions)),
                   key="rectification")


def _category_text(c: dict, book: FigureBook) -> str:
    base = f"rectification.{c['category']}"
    return (f"{c['category']}{book.put(base + '.total', c['total'], fmt.count)}个"
            f"（已完成{book.put(base + '.done', c['done'], fmt.count)}个）")


def _ledger_chart(s: dict, captions: Captions) -> Chart:
    return captions.chart("chart_ledger", "ledger_status", "上年度反馈问题整改状态（按问题类别）", ledger_chart_data(s))


# ---------------------------------------------------------------- 四、存在问题

def _deducted(scoring: dict) -> list[dict]:
    """Points that lost marks, computed or typed by the county (with their 得失分说明)."""
    return [p for p in scoring["points"] if p.get("score") is not None and p["score"] < p["max_score"]]


def _lost(point: dict, book: FigureBook) -> str:
    return book.put(f"duty.point.{point['id']}.lost", point["max_score"] - point["score"], fmt.score)


def _problems(ws, scoring: dict, book: FigureBook) -> list[str]:
    problems = []
    for p in _deducted(scoring):
        fact = _fact(p, book) if p.get("reason") else placeholder(f"测评点{p['id']}失分原因")
        problems.append(f"{fact}（测评点{p['id']}扣{_lost(p, book)}分）。")
    for v in scoring.get("vetoes") or []:
        if v.get("triggered"):
            problems.append(f"{v['label']}：{v.get('reason')}（{v['action']}）。")
    return or_placeholder(problems + user_text(ws, "存在问题"), "存在问题")


def _fact(point: dict, book: FigureBook, where: str = "sentence") -> str:
    """A point's reason without its scoring tail, the figures it states recorded."""
    return book.mark(_fact_of(point["reason"]), point.get("reason_figures"), where)


def _fact_of(reason: str | None) -> str:
    """A point's reason without its scoring tail: "2所学校超规模办学，扣2分" → "2所学校超规模办学"."""
    if not reason:
        return placeholder("失分原因")
    head, _, tail = reason.rpartition("，")
    return head if head and (tail.startswith(("扣", "每项扣")) or tail == "得满分") else reason


# ---------------------------------------------------------------- 附件 自评得分表

POINT_COLUMNS = (Column("编号", 8), Column("一级指标", 14, left=True), Column("二级指标", 12, left=True),
                 Column("测评点", 28, left=True), Column("评分细则", 30, left=True), Column("分值", 9),
                 Column("自评\n得分", 10), Column("来源", 10), Column("得失分说明", 35, left=True))


def _points_table(mark: dict, scoring: dict, book: FigureBook) -> Attachment:
    where = "table:points"
    rows = []
    for p in scoring["points"]:  # 一级、二级指标 on every row, so a page break never leaves a row unnamed
        score = "—" if p.get("score") is None else book.put(f"duty.point.{p['id']}.score", p["score"], fmt.score, where)
        rows.append((p["id"], p["level1"], p.get("level2") or "", p["text"], p.get("criteria") or "",
                     book.put(f"duty.point.{p['id']}.max", p["max_score"], fmt.score, where),
                     score, p["status"], book.mark(p.get("reason") or "", p.get("reason_figures"), where)))
    for b in scoring.get("bonus_items") or []:
        score = "—" if b.get("score") is None else book.put(f"duty.bonus.{b['id']}", b["score"], fmt.score, where)
        rows.append((b["id"], "加分项目", "", b["text"], b.get("criteria") or "",
                     book.put(f"duty.bonus.{b['id']}.max", b["max_score"], fmt.score, where),
                     score, "申请" if b.get("score") is not None else "", b.get("reason") or ""))
    note = "注：来源为“计算”的测评点由工作簿数据按评分细则计算得分；“自评”为填报人自评得分。"
    if scoring.get("not_applicable"):
        note += f"“不适用”的测评点无此项工作任务，不计分，总分按{scoring['not_applicable_mode']}。"
    bonus = book.put("duty.bonus", scoring.get("bonus") or 0, fmt.score, where)
    total = ("合计", book.put("duty.full_marks", scoring["full_marks"], fmt.score, where),
             book.put("duty.total", scoring["total"], fmt.score, where), "",
             f"另申请加分{bonus}分，合计{book.put('duty.final', scoring['final'], fmt.score, where)}分，"
             f"自评等级{scoring['grade']}")
    table = Table("points", POINT_COLUMNS, tuple(rows), name=mark["title"], total=total, total_span=5, note=note,
                  small=True)
    return Attachment(mark["mark"], mark["title"], (table,))

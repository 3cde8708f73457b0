"""整改报告: the county's answer to inspectors' feedback, problem by problem (standards §7).

Structure: preamble (who inspected, when, how many problems, progress) · 一、组织领导与责任落实 ·
二、逐项整改情况 (per category; per problem: 问题N, 整改措施 一是…二是…, 整改进展, computed
evidence for the category) · 三、长效机制与下一步 · signature · 附件 整改台账.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from reportgen.analysis.rectification import ledger_snapshot, newly_completed
from reportgen.core.vocabulary import LEDGER_STATES
from reportgen.core.workspace import Workspace
from reportgen.reports import numbers as fmt
from reportgen.reports.common import region_level
from reportgen.reports.evidence import evidence_for
from reportgen.reports.figures import FigureBook
from reportgen.reports.model import (
    Attachment,
    Block,
    Chart,
    Column,
    Paragraph,
    ReportModel,
    Section,
    Table,
    paragraphs,
)

REPORT = "整改报告"
TEMPLATE = "整改报告.docx"
PLACEHOLDER = "【待补充：{}】"
USES_HISTORY = True  # build_model takes the previous build's ledger snapshot


def build_model(ws: Workspace, analysis: dict, previous_ledger: list[dict] | None = None) -> ReportModel:
    summary = analysis["rectification"]  # judged on analysis.as_of_date: 成文日期, else 31 December
    as_of = dt.date.fromisoformat(summary["as_of"])
    book = FigureBook(REPORT)
    title = _title(ws)
    opening: tuple[Block, ...] = (*paragraphs(_preamble(ws, summary, as_of, book, previous_ledger)), *_charts(summary, ws.ledger))
    sections = (
        Section("一、组织领导与责任落实", paragraphs(_user_text(ws, "组织领导", "组织领导与责任落实")),
                key="organisation"),
        Section("二、逐项整改情况", (), tuple(_categories(ws, analysis, as_of, book)), key="categories"),
        Section("三、长效机制与下一步",
                paragraphs(_user_text(ws, "长效机制", "长效机制与下一步") + ws.text_for("下一步工作计划"),
                           keep_last=True), key="mechanisms"),
    )
    attachment_title = f"{ws.region}整改台账"
    ledger = Table("ledger", LEDGER_COLUMNS, _ledger_rows(ws.ledger), name=attachment_title, small=True)
    meta = {"unit": str(ws.info.get("报告单位") or PLACEHOLDER.format("报告单位")), "date": fmt.date_cn(as_of)}
    filename = f"{ws.region}{ws.year or ''}年整改报告.docx"
    return ReportModel(REPORT, title, filename, TEMPLATE, opening=opening, sections=sections,
                       attachments=(Attachment("附件", attachment_title, (ledger,)),), meta=meta,
                       figures=tuple(book.records()))


def _title(ws: Workspace) -> str:
    custom = ws.info.get("整改报告标题")
    if custom:
        return str(custom)
    sources = [s for s in ws.ledger["问题来源"] if s]
    source = max(set(sources), key=sources.count) if sources else "督导反馈问题"
    return f"{ws.region}关于{source}整改情况的报告"


def _preamble(ws: Workspace, s: dict, as_of: dt.date, book: FigureBook,
              previous: list[dict] | None) -> list[str]:
    with book.under("前言"):
        paragraphs = [_feedback_sentence(ws, s, book)]
        paragraphs += ws.text_for("整改总体情况")
        paragraphs.append(_progress_sentence(ws, s, as_of, book, previous))
    return paragraphs


def _feedback_sentence(ws: Workspace, s: dict, book: FigureBook) -> str:
    who = ws.info.get("督导单位") or PLACEHOLDER.format("督导单位")
    when = _day(ws.info.get("督导时间"), "督导时间")
    back = _day(ws.info.get("反馈时间"), "反馈时间")
    areas = book.put("rectification.categories", len(s["categories"]), fmt.count)
    total = book.put("rectification.total", s["total"], fmt.count)
    return (f"{when}，{who}对我{region_level(ws)}进行了督导检查，并于{back}反馈了督导意见，"
            f"共指出{areas}个方面{total}个问题。")


def _progress_sentence(ws: Workspace, s: dict, as_of: dt.date, book: FigureBook,
                       previous: list[dict] | None) -> str:
    parts = [f"{label}{book.put(f'rectification.{key}', s[key], fmt.count)}项"
             for label, key in (("已完成整改", "done"), ("正在整改", "in_progress"), ("尚未启动", "not_started"),
                                ("需长期坚持", "long_term")) if s[key]]
    rate = "—" if s["completion_rate"] is None else book.put("rectification.completion_rate", s["completion_rate"], fmt.percent)
    total = book.put("rectification.total", s["total"], fmt.count)
    sentence = f"截至{fmt.date_cn(as_of)}，{total}个问题中{'，'.join(parts)}，整改完成率{rate}。"
    if s["overdue"]:
        late = book.put("rectification.overdue", len(s["overdue"]), fmt.count)
        sentence += f"其中{late}项已超过完成时限尚未完成。"
    if previous is not None:
        new = book.put("rectification.newly_completed", len(newly_completed(previous, ws.ledger)), fmt.count)
        sentence += f"较上次报告新增完成{new}项。"
    return sentence


def _day(value: object, label: str) -> str:
    return fmt.date_cn(value) if isinstance(value, dt.date) else PLACEHOLDER.format(label)


def _user_text(ws: Workspace, section: str, heading: str) -> list[str]:
    return ws.text_for(section) or [PLACEHOLDER.format(heading)]


def _categories(ws: Workspace, analysis: dict, as_of: dt.date, book: FigureBook) -> list[Section]:
    ledger = ws.ledger.sort_values("序号")
    groups = []
    for index, (category, rows) in enumerate(ledger.groupby("问题类别", sort=False), start=1):
        heading = f"（{fmt.cn_number(index)}）{category}方面"
        with book.under(f"二、逐项整改情况·{category}"):
            evidence = evidence_for(category, analysis, book)
        problems = [block for _, row in rows.iterrows() for block in _problem(row, as_of)]
        groups.append(Section(heading, (*problems, *paragraphs(evidence)), level=2, key=f"category.{category}"))
    return groups


def _problem(row: pd.Series, as_of: dt.date) -> tuple[Paragraph, ...]:
    measures = [m.strip() for m in str(row["整改措施"] or "").splitlines() if m.strip()]
    return (Paragraph(f"问题{int(row['序号'])}：{row['反馈问题']}", "heading3"),
            Paragraph("整改措施：" + (fmt.measures(measures) if measures else PLACEHOLDER.format("整改措施"))),
            Paragraph("整改进展：" + _progress(row, as_of)))


def _progress(row: pd.Series, as_of: dt.date) -> str:
    state, deadline, closed = row["整改状态"], row["完成时限"], row["销号日期"]
    note = str(row["整改进展"] or "").strip()
    if state == "已完成":
        head = "已整改完成" + (f"，{fmt.date_cn(closed)}销号" if closed else "") + "。"
    elif state == "长期坚持":
        head = "已建立长效机制，需长期坚持。"
    else:
        head = ("正在整改" if state == "整改中" else "尚未启动") + f"，完成时限为{fmt.date_cn(deadline)}"
        head += f"，已逾期{(as_of - deadline).days}天。" if deadline < as_of else "。"
    return head + (note if note.endswith(("。", "！", "；")) or not note else note + "。")


LEDGER_COLUMNS = (Column("序号", 9), Column("问题类别", 18, left=True), Column("反馈问题", 47, left=True),
                  Column("责任单位", 26, left=True), Column("完成时限", 20), Column("整改\n状态", 14),
                  Column("销号日期", 22))


def _ledger_rows(ledger: pd.DataFrame) -> tuple[tuple[str, ...], ...]:
    rows = []
    for item in ledger_snapshot(ledger):
        closed = item.get("销号日期")
        rows.append((str(item["序号"]), item["问题类别"], item["反馈问题"], item["责任单位"] or "",
                     _iso_cn(item["完成时限"]), item["整改状态"], _iso_cn(closed) if closed else ""))
    return tuple(rows)


def _iso_cn(text: str | None) -> str:
    return fmt.date_cn(dt.date.fromisoformat(text)) if text else ""


def _charts(s: dict, ledger: pd.DataFrame) -> tuple[Chart, ...]:
    if not s["total"]:
        return ()
    status = Chart("chart_status", "ledger_status", "图1 整改问题按类别和状态分布", {
        "statuses": list(LEDGER_STATES),
        "categories": [c["category"] for c in s["categories"]],
        "by_category": [[int(((ledger["问题类别"] == c["category"]) & (ledger["整改状态"] == st)).sum())
                         for st in LEDGER_STATES] for c in s["categories"]],
    })
    closed = sorted(d.isoformat() for d, st in zip(ledger["销号日期"], ledger["整改状态"]) if d and st == "已完成")
    timeline = Chart("chart_timeline", "ledger_timeline", "图2 已完成整改问题累计数", {
        "dates": closed, "total": s["total"], "total_label": "问题总数"})
    return (status, timeline) if closed else (status,)

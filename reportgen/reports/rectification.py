"""整改报告: the county's answer to inspectors' feedback, problem by problem (standards §7).

Structure: preamble (who inspected, when, how many problems, progress) · 一、组织领导与责任落实 ·
二、逐项整改情况 (per category; per problem: 问题N, 整改措施 一是…二是…, 整改进展, computed
evidence for the category) · 三、长效机制与下一步 · signature · 附件 整改台账.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from reportgen.analysis.rectification import ledger_snapshot
from reportgen.core.workspace import Workspace
from reportgen.reports import numbers as fmt
from reportgen.reports.common import or_placeholder, region_level, signature, title_text, user_text
from reportgen.reports.evidence import evidence_for, ledger_chart_data
from reportgen.reports.figures import FigureBook
from reportgen.reports.model import (Attachment, Block, Chart, Column, Paragraph, ReportModel, Section,
                                     Table, paragraphs)

REPORT = "整改报告"
TEMPLATE = "整改报告.docx"
PLACEHOLDER = "【待补充：{}】"


def build_model(ws: Workspace, analysis: dict) -> ReportModel:
    summary = analysis["rectification"]  # judged on analysis.as_of_date: 成文日期, else 31 December
    as_of = dt.date.fromisoformat(summary["as_of"])
    book = FigureBook(REPORT)
    title, printed_title = _title(ws)
    opening: tuple[Block, ...] = (*paragraphs(_preamble(ws, summary, as_of, book)), *_charts(summary))
    sections = (
        Section("一、组织领导与责任落实", paragraphs(_organisation(ws, summary, book)), key="organisation"),
        Section("二、逐项整改情况", (), tuple(_categories(ws, analysis, as_of, book)), key="categories"),
        Section("三、长效机制与下一步",
                paragraphs(or_placeholder(user_text(ws, "长效机制", "长效机制与下一步", "下一步工作计划"),
                                          "长效机制与下一步"), keep_last=True), key="mechanisms"),
    )
    attachment_title = f"{ws.region}整改台账"
    ledger = Table("ledger", LEDGER_COLUMNS, _ledger_rows(ws.ledger), name=attachment_title, small=True)
    meta = {**signature(ws, addressee=ws.info.get("督导单位")), "date": fmt.date_cn(as_of)}
    filename = f"{ws.region}{ws.year or ''}年整改报告.docx"
    return ReportModel(REPORT, title, filename, TEMPLATE, opening=opening, sections=sections,
                       attachments=(Attachment("附件", attachment_title, (ledger,)),), meta=meta,
                       figures=tuple(book.records()), printed_title=printed_title)


def _title(ws: Workspace) -> tuple[str, str]:
    """The title, and the title as printed (broken between its parts when it is long)."""
    custom = ws.info.get("整改报告标题")
    if custom:
        return str(custom), str(custom)
    sources = [s for s in ws.ledger["问题来源"] if s]
    source = max(set(sources), key=sources.count) if sources else "督导反馈问题"
    parts = (ws.region, f"关于{source}", "整改情况的报告")
    return "".join(parts), title_text(*parts)


def _preamble(ws: Workspace, s: dict, as_of: dt.date, book: FigureBook) -> list[str]:
    with book.under("前言"):
        paragraphs = [_feedback_sentence(ws, s, book)]
        paragraphs += ws.text_for("整改总体情况")
        paragraphs.append(_progress_sentence(s, as_of, book))
    return paragraphs


def _feedback_sentence(ws: Workspace, s: dict, book: FigureBook) -> str:
    who = ws.info.get("督导单位") or PLACEHOLDER.format("督导单位")
    when = _day(ws.info.get("督导时间"), "督导时间")
    back = _day(ws.info.get("反馈时间"), "反馈时间")
    areas = book.put("rectification.categories", len(s["categories"]), fmt.count)
    total = book.put("rectification.total", s["total"], fmt.count)
    return (f"{when}，{who}对我{region_level(ws)}进行了督导检查，并于{back}反馈了督导意见，"
            f"共指出{areas}个方面{total}个问题。")


def _progress_sentence(s: dict, as_of: dt.date, book: FigureBook) -> str:
    parts = [f"{label}{book.put(f'rectification.{key}', s[key], fmt.count)}项"
             for label, key in (("已完成整改", "done"), ("正在整改", "in_progress"), ("尚未启动", "not_started"),
                                ("需长期坚持", "long_term")) if s[key]]
    rate = "—" if s["completion_rate"] is None else book.put("rectification.completion_rate", s["completion_rate"], fmt.percent)
    total = book.put("rectification.total", s["total"], fmt.count)
    sentence = f"截至{fmt.date_cn(as_of)}，{total}个问题中{'，'.join(parts)}，整改完成率{rate}。"
    if s["overdue"]:
        late = book.put("rectification.overdue", len(s["overdue"]), fmt.count)
        sentence += f"其中{late}项已超过完成时限尚未完成。"
    if s["newly_completed"] is not None:  # there was an earlier report to compare with
        new = book.put("rectification.newly_completed", len(s["newly_completed"]), fmt.count)
        sentence += f"较上次报告新增完成{new}项。"
    return sentence


def _day(value: object, label: str) -> str:
    return fmt.date_cn(value) if isinstance(value, dt.date) else PLACEHOLDER.format(label)


ORGANISATION_SECTIONS = ("整改组织领导", "整改工作组织")
ORGANISATION_PROMPT = "整改组织领导（领导小组、整改工作方案、整改台账、清单管理、对账销号）"


def _organisation(ws: Workspace, s: dict, book: FigureBook) -> list[str]:
    """The 整改 set-up as the county wrote it (its own 文字材料 section, not the 履职 report's
    组织领导), then what the ledger shows of it."""
    with book.under("一、组织领导与责任落实"):
        facts = []
        if s["total"]:
            total = book.put("rectification.total", s["total"], fmt.count)
            units = book.put("rectification.units", len(s.get("by_unit") or []), fmt.count)
            facts.append(f"整改台账逐项列出反馈问题{total}个，涉及责任单位{units}个。")
    return or_placeholder(user_text(ws, *ORGANISATION_SECTIONS), ORGANISATION_PROMPT) + facts


def _categories(ws: Workspace, analysis: dict, as_of: dt.date, book: FigureBook) -> list[Section]:
    ledger = ws.ledger.sort_values("序号")
    items = {item["no"]: item for item in analysis["rectification"]["items"]}
    groups, number = [], 0
    for index, (category, rows) in enumerate(ledger.groupby("问题类别", sort=False), start=1):
        heading = f"（{fmt.cn_number(index)}）{category}方面"
        with book.under(f"二、逐项整改情况·{category}"):
            evidence = evidence_for(str(category), analysis, book)
        problems: list[Paragraph] = []
        for _, row in rows.iterrows():
            number += 1
            problems += _problem(row, number, items[int(row["序号"])], book)
        groups.append(Section(heading, (*problems, *paragraphs(evidence)), level=2, key=f"category.{category}"))
    return groups


def _problem(row: pd.Series, number: int, item: dict, book: FigureBook) -> tuple[Paragraph, ...]:
    """问题一、问题二… in reading order (the ledger's 序号 stands in the 附件 台账)."""
    measures = [m.strip() for m in str(row["整改措施"] or "").splitlines() if m.strip()]
    return (Paragraph(f"问题{fmt.cn_number(number)}：{row['反馈问题']}", "heading3"),
            Paragraph("整改措施：" + (fmt.measures(measures) if measures else PLACEHOLDER.format("整改措施"))),
            Paragraph("整改进展：" + _progress(row, item, book)))


def _progress(row: pd.Series, item: dict, book: FigureBook) -> str:
    state, deadline, closed = row["整改状态"], row["完成时限"], row["销号日期"]
    note = str(row["整改进展"] or "").strip()
    if state == "已完成":
        head = "已整改完成" + (f"，{fmt.date_cn(closed)}销号" if closed else "") + "。"
    elif state == "长期坚持":
        head = "已建立长效机制，需长期坚持。"
    else:
        head = ("正在整改" if state == "整改中" else "尚未启动") + f"，完成时限为{fmt.date_cn(deadline)}"
        late = item["days_late"]
        days = book.put(f"rectification.item.{item['no']}.days_late", late, fmt.count) if late else ""
        head += f"，已逾期{days}天。" if late else "。"
    return head + (note if note.endswith(("。", "！", "；")) or not note else note + "。")


LEDGER_COLUMNS = (Column("序号", 8), Column("问题\n类别", 11, left=True), Column("反馈问题", 25, left=True),
                  Column("整改措施", 30, left=True), Column("责任单位\n责任人", 18, left=True),
                  Column("完成时限", 14), Column("整改状态", 14), Column("整改进展", 20, left=True),
                  Column("佐证材料", 16, left=True))


def _ledger_rows(ledger: pd.DataFrame) -> tuple[tuple[str, ...], ...]:
    """Every column a 督导 office reads in a 整改台账 (standards §7); 销号日期 under the state."""
    rows = []
    for item in ledger_snapshot(ledger):
        closed = item.get("销号日期")
        responsible = "\n".join(str(v) for v in (item.get("责任单位"), item.get("责任人")) if v)
        state = item["整改状态"] + (f"\n{_iso_cn(closed)}销号" if closed else "")
        measures = [m.strip() for m in str(item.get("整改措施") or "").splitlines() if m.strip()]
        rows.append((str(item["序号"]), item["问题类别"], item["反馈问题"], fmt.measures(measures), responsible,
                     _iso_cn(item["完成时限"]), state, str(item.get("整改进展") or ""),
                     str(item.get("佐证材料") or "")))
    return tuple(rows)


def _iso_cn(text: str | None) -> str:
    return fmt.date_cn(dt.date.fromisoformat(text)) if text else ""


def _charts(s: dict) -> tuple[Chart, ...]:
    if not s["total"]:
        return ()
    status = Chart("chart_status", "ledger_status", "图1 整改问题按类别和状态分布", ledger_chart_data(s))
    closed = s["closed_dates"]
    timeline = Chart("chart_timeline", "ledger_timeline", "图2 已完成整改问题累计数", {
        "dates": closed, "total": s["total"], "total_label": "问题总数"})
    return (status, timeline) if closed else (status,)

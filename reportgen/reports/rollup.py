"""回访督导情况报告: the city's report on a 回访督导 of several counties, from the roll-up result.

Not a per-county report (it is not in the report registry): ``reportgen rollup`` builds it from
``reportgen.analysis.rollup.rollup``'s result (the same dict it writes as 回访督导汇总.json) and
publishes it next to the JSON (``reportgen.publish.rollup.write_report``).

Structure (seed 002): opening (督导名称, date, counties; counties that could not be included) ·
一、整改总体情况 (counties at or above the completion target named together, those below with
their rates; overdue items; ranking table; charts) · 二、共性问题 (per category, counties named) ·
三、个性问题 (per county) · 四、下一步工作要求 (the city's text, else 【待补充】) · 署名/成文日期 ·
附件 each county's open items. Generated sentences state computed facts only; every number goes
through ``FigureBook.put`` with a ``rollup.…`` id (explained by the JSON, not by ``analyze --explain``,
which is per workspace).
"""
from __future__ import annotations

import datetime as dt

from reportgen.core.city_settings import NEXT_STEPS
from reportgen.reports import numbers as fmt
from reportgen.reports.common import Captions, placeholder, stated, title_text
from reportgen.reports.figures import FigureBook
from reportgen.reports.model import Attachment, Block, Chart, Column, Paragraph, ReportModel, Section, Table, paragraphs

REPORT = "回访督导情况报告"
TEMPLATE = "回访督导情况报告.docx"
FILENAME = "回访督导情况报告.docx"
ATTACHMENT_TITLE = "各县（区）未完成整改问题清单"
SECTIONS = {"primary": "小学", "junior": "初中"}


def build_rollup_model(result: dict) -> ReportModel:
    """The report model of one roll-up result (``reportgen.analysis.rollup.rollup``)."""
    settings = result["city"].get("settings") or {}
    book, captions = FigureBook(REPORT), Captions()
    title, printed = _title(result["city"].get("name"), settings.get("inspection"))
    with book.under("前言"):
        opening = paragraphs(_opening(result, settings, book))
    sections = (
        Section("一、整改总体情况", _overall(result, book, captions), key="overall"),
        Section("二、共性问题", _common(result, book), key="common"),
        Section("三、个性问题", (), tuple(_individual(result, book)), key="individual"),
        Section("四、下一步工作要求",
                paragraphs(list(settings.get("next_steps") or ()) or [placeholder(NEXT_STEPS)], keep_last=True),
                key="next_steps"),
    )
    with book.under(f"附件 {ATTACHMENT_TITLE}"):
        annex = Attachment("附件", ATTACHMENT_TITLE, _annex(result, book))
    return ReportModel(REPORT, title, FILENAME, TEMPLATE, opening=opening, sections=sections,
                       attachments=(annex,), meta=_meta(settings), figures=tuple(book.records()),
                       printed_title=printed)


def _title(city: str | None, inspection: str | None) -> tuple[str, str]:
    parts = (city or "", f"关于{inspection}情况的报告" if inspection else "回访督导情况报告")
    return "".join(parts), title_text(*parts)


def _meta(settings: dict) -> dict[str, str]:
    """主送机关, 署名 and 成文日期 from the city settings (【待补充】 where not set)."""
    to, day = settings.get("addressee"), settings.get("written_date")
    return {"addressee": f"{to.rstrip('：:')}：" if to else f"{placeholder('主送机关')}：",
            "unit": settings.get("signer") or placeholder("署名"),
            "date": fmt.date_cn(dt.date.fromisoformat(day)) if day else placeholder("成文日期")}


def _rate(value: float | None) -> str:
    return "—" if value is None else fmt.percent(value)


def _target(value: float) -> str:
    return f"{fmt.plain(value * 100)}%"


def _fid(region: str, *parts: object) -> str:
    """A roll-up figure id: ``rollup.<county>.<what>`` (``rollup.甲县.completion_rate``)."""
    return ".".join(("rollup", region, *map(str, parts)))


def _item_id(region: str, item: dict) -> str:
    return _fid(region, "item", item["no"], "days_late")


def _names(regions: list[str]) -> str:
    return "、".join(regions)


# ---------------------------------------------------------------- opening

def _opening(result: dict, settings: dict, book: FigureBook) -> list[str]:
    city, counties = result["city"], result["counties"]
    day = settings.get("inspection_date")
    when = fmt.date_cn(dt.date.fromisoformat(day)) if day else placeholder("督导日期")
    who = city.get("name") or placeholder("市级名称")
    what = settings.get("inspection") or placeholder("督导名称")
    n = book.put("rollup.city.counties_included", city["counties_included"], fmt.count)
    texts = [f"{when}，{who}开展{what}，对{_names([c['region'] for c in counties])}{n}个县（区）"
             "前期反馈问题的整改情况进行了督导检查。"]
    texts += [_excluded_sentence(result, book)] if result["excluded"] else []
    as_of = fmt.date_cn(dt.date.fromisoformat(result["as_of"]))
    total = book.put("rollup.city.total", city["total"], fmt.count)
    done = book.put("rollup.city.done", city["done"], fmt.count)
    rate = book.put("rollup.city.completion_rate", city["completion_rate"], _rate)
    texts.append(f"截至{as_of}，纳入汇总的县（区）共有反馈问题{total}个，已完成整改{done}个，整改完成率{rate}。")
    return texts


def _excluded_sentence(result: dict, book: FigureBook) -> str:
    parts = [f"{c['region']}（{book.put(_fid(c['region'], 'errors'), len(c['errors']), fmt.count)}处错误）"
             for c in result["excluded"]]
    n = book.put("rollup.city.counties_excluded", result["city"]["counties_excluded"], fmt.count)
    return (f"另有{n}个县（区）的工作区数据有误，未能纳入本次汇总：{'、'.join(parts)}。"
            "本报告的数字不含其情况，错误明细见汇总结果（回访督导汇总.json）。")


# ---------------------------------------------------------------- 一、整改总体情况

def _overall(result: dict, book: FigureBook, captions: Captions) -> tuple[Block, ...]:
    with book.under("一、整改总体情况"):
        texts = _target_sentences(result, book) + _overdue_sentences(result, book)
        table = _ranking_table(result, book, captions)
    charts = [_rate_chart(result, captions), *_cv_charts(result, captions)]
    return (*paragraphs(texts, keep_last=True), table, *charts)


def _target_sentences(result: dict, book: FigureBook) -> list[str]:
    target = book.put("rollup.target.completion_rate", result["target"]["completion_rate"], _target)
    by_region = {c["region"]: c for c in result["counties"]}
    city, texts = result["city"], []
    if city["counties_meeting_target"]:
        rates = "、".join(_county_rate(by_region[r], book) for r in city["counties_meeting_target"])
        texts.append(f"{_names(city['counties_meeting_target'])}问题整改完成率达到{target}以上（{rates}）。")
    if city["counties_below_target"]:
        rates = "、".join(_county_rate(by_region[r], book) for r in city["counties_below_target"])
        texts.append(f"{_names(city['counties_below_target'])}问题整改完成率未达到{target}（{rates}）。")
    if city["counties_without_ledger"]:
        texts.append(f"{_names(city['counties_without_ledger'])}整改台账为空，未计算整改完成率。")
    return texts


def _county_rate(county: dict, book: FigureBook) -> str:
    region = county["region"]
    return f"{region}{book.put(_fid(region, 'completion_rate'), county['completion_rate'], _rate)}"


def _overdue_sentences(result: dict, book: FigureBook) -> list[str]:
    city = result["city"]
    open_ = book.put("rollup.city.open", city["open"], fmt.count)
    if not city["open"]:
        return [f"纳入汇总的县（区）未完成整改的问题{open_}个。"]
    late = [c for c in result["counties"] if c["overdue"]]
    overdue = book.put("rollup.city.overdue", city["overdue"], fmt.count)
    sentence = f"尚未完成整改的问题共{open_}个，其中超过完成时限的{overdue}个"
    if late:
        sentence += "（" + "、".join(
            f"{c['region']}{book.put(_fid(c['region'], 'overdue'), c['overdue'], fmt.count)}个" for c in late) + "）"
    return [sentence + "。各县（区）排名见表1，未完成整改的问题见附件。"]


RANKING_COLUMNS = (Column("名次", 12), Column("县（区）", 26, left=True), Column("问题\n总数", 16),
                   Column("已完成", 16), Column("整改\n完成率", 22), Column("未完成", 16),
                   Column("逾期\n问题", 16), Column("未达标\n指标", 18))


def _ranking_table(result: dict, book: FigureBook, captions: Captions) -> Table:
    by_region = {c["region"]: c for c in result["counties"]}
    rows = []
    for r in result["ranking"]:
        c, region = by_region[r["region"]], r["region"]

        def put(key: str, value: object, f=fmt.count) -> str:
            return book.put(_fid(region, key), value, f, where="table:ranking")

        rows.append((str(r["rank"]), region, put("total", c["total"]), put("done", c["done"]),
                     put("completion_rate", c["completion_rate"], _rate), put("open", c["open"]),
                     put("overdue", c["overdue"]), put("indicators_failed", c["indicators_failed"])))
    return Table("ranking", RANKING_COLUMNS, tuple(rows), caption=captions.table("各县（区）整改情况排名"),
                 keep_together=True)


def _rate_chart(result: dict, captions: Captions) -> Chart:
    target = result["target"]["completion_rate"]
    counties = result["counties"]
    return captions.chart("chart_completion", "county_rates", "各县（区）整改完成率", {
        "labels": [c["region"] for c in counties],
        "values": [None if c["completion_rate"] is None else c["completion_rate"] * 100 for c in counties],
        "value_labels": [_rate(c["completion_rate"]) for c in counties],
        "limit": target * 100, "limit_label": f"要求{_target(target)}", "xlabel": "整改完成率（%）", "xmax": 100})


def _cv_charts(result: dict, captions: Captions) -> list[Chart]:
    """Per section, each county's 差异系数 of every indicator against the limit."""
    charts = []
    for section, name in SECTIONS.items():
        rows = [(c["region"], c["quality"][section]["indicators"]) for c in result["counties"]
                if section in (c.get("quality") or {})]
        limits = {ind["cv_max"] for _, inds in rows for ind in inds.values() if ind.get("cv_max") is not None}
        if not rows or len(limits) != 1:
            continue
        (limit,) = limits
        charts.append(captions.chart(f"chart_cv_{section}", "county_cv", f"各县（区）{name}各项指标差异系数", {
            "counties": [region for region, _ in rows],
            "values": [[ind["cv"] for ind in inds.values()] for _, inds in rows],
            "limit": limit, "limit_label": f"标准≤{fmt.plain(limit)}", "xlabel": "差异系数"}))
    return charts


# ---------------------------------------------------------------- 二、共性问题

def _common(result: dict, book: FigureBook) -> tuple[Block, ...]:
    groups = result["common_problems"]
    n = result["target"]["shared_min"]
    with book.under("二、共性问题"):
        shared = book.put("rollup.target.shared_min", n, fmt.count)
        if not groups:
            return paragraphs([f"没有在{shared}个及以上县（区）同时存在的未达标指标或未完成整改的问题类别。"])
        texts = [f"以下问题在{shared}个及以上县（区）同时存在（按问题类别归并）："]
        texts += [_common_group(i, g, book) for i, g in enumerate(groups, start=1)]
    return paragraphs(texts)


def _common_group(index: int, group: dict, book: FigureBook) -> str:
    category = group["category"]
    parts = []
    if group["indicators"]:
        parts.append("未达到要求的指标有" + "、".join(f"{i['label']}（{_names(i['counties'])}）"
                                                for i in group["indicators"]))
    if group["open_items"]:
        counts = "、".join(
            f"{o['region']}{book.put(_fid(o['region'], 'open', category), o['count'], fmt.count)}个"
            for o in group["open_items"])
        parts.append(f"{category}类问题尚未完成整改（{counts}）")
    return f"{fmt.cn_number(index)}是{category}方面（{_names(group['counties'])}）：{'；'.join(parts)}。"


# ---------------------------------------------------------------- 三、个性问题

def _individual(result: dict, book: FigureBook) -> list[Section]:
    sections = []
    for index, county in enumerate(result["individual_problems"], start=1):
        region = county["region"]
        with book.under(f"三、个性问题·{region}"):
            texts = [_indicator_text(region, i, book) for i in county["indicators"]]
            texts += [_open_item_text(region, i, book) for i in county["open_items"]]
        texts = texts or ["没有共性问题以外的未达标指标和未完成整改的问题。"]
        sections.append(Section(f"（{fmt.cn_number(index)}）{region}", paragraphs(texts), level=2,
                                key=f"individual.{region}"))
    return sections


def _indicator_text(region: str, indicator: dict, book: FigureBook) -> str:
    """"<indicator>：<the analysis' statement of its result>。" (the statement holds its numbers)."""
    reason = {**indicator, "reason": str(indicator.get("reason") or "未达标").rstrip("。")}
    return f"{indicator['label']}：{book.put(_fid(region, indicator['id']), indicator['value'], stated(reason))}。"


def _open_item_text(region: str, item: dict, book: FigureBook) -> str:
    deadline = fmt.date_cn(dt.date.fromisoformat(item["deadline"])) if item.get("deadline") else "未填写"
    text = f"{item['category']}：{item['problem']}（{item['state']}，完成时限{deadline}"
    if item["overdue"]:
        text += f"，已逾期{book.put(_item_id(region, item), item['days_late'], fmt.count)}天"
    return text + "）。"


# ---------------------------------------------------------------- 附件

ANNEX_COLUMNS = (Column("县（区）", 16, left=True), Column("序号", 9), Column("问题\n类别", 14, left=True),
                 Column("反馈问题", 38, left=True), Column("责任单位", 22, left=True), Column("完成时限", 26),
                 Column("整改\n状态", 14), Column("逾期\n天数", 12))


def _annex(result: dict, book: FigureBook) -> tuple[Block, ...]:
    rows = []
    for county in result["counties"]:
        region = county["region"]
        for item in county["open_items"]:
            late = book.put(_item_id(region, item), item["days_late"], fmt.count,
                            where="table:open_items") if item["overdue"] else "—"
            deadline = fmt.date_cn(dt.date.fromisoformat(item["deadline"])) if item.get("deadline") else ""
            rows.append((region, str(item["no"]), item["category"], item["problem"], item.get("unit") or "",
                         deadline, item["state"], late))
    if not rows:
        return (Paragraph("纳入汇总的县（区）没有未完成整改的问题。"),)
    return (Table("open_items", ANNEX_COLUMNS, tuple(rows), name=ATTACHMENT_TITLE, small=True),)

"""县域义务教育优质均衡发展自评报告 (教督〔2017〕6号), built from the analysis (standards §1).

Layout: opening · 一、基本情况 · 二、资源配置 (（一）小学 （二）初中: scope, 差异系数, the per-school
rule, a table of the 7 indicators, the schools that fail, two charts) · 三、政府保障程度 (15 items)
· 四、教育质量 (9 items) · 五、社会认可度 · 六、存在问题 · 七、下一步工作计划 · signature ·
附件1/2 学校资源配置明细表 (every school in scope, unmet values marked).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from reportgen.core.vocabulary import FAIL, PENDING, SCHOOL_VERDICTS
from reportgen.reports import numbers as fmt
from reportgen.reports.common import (Captions, attachment_marks, class_size_chart, county_profile,
                                      or_placeholder, placeholder, signature, stated, title_text, user_text)
from reportgen.reports.evidence import COMPULSORY_LEVELS, per_level_funding_evidence, status_counts
from reportgen.reports.figures import FigureBook
from reportgen.reports.model import (Attachment, Block, Chart, Column, ReportModel, Section, Table,
                                     paragraphs)

if TYPE_CHECKING:
    from reportgen.core.workspace import Workspace

REPORT = "优质均衡"
TEMPLATE = "优质均衡发展自评报告.docx"
SECTIONS = (("primary", "小学"), ("junior", "初中"))
SCHOOLS_NAMED = 10          # schools named in a sentence before "等N所，详见附件"
WEAKEST_SHOWN = 2           # indicators in the per-school chart
VALUE_MARK = "*"
PER_HUNDRED = 100           # 倍数 of the "per 100 pupils" indicators


def build_model(ws: "Workspace", analysis: dict) -> ReportModel:
    book = FigureBook(REPORT)
    captions = Captions()
    system = _system(ws)
    qb = analysis["quality_balance"]
    sections = [(key, name, qb[key]) for key, name in SECTIONS if qb.get(key, {}).get("schools_in_scope")]
    marks = attachment_marks([f"{name}学校资源配置情况明细表" for _, name, _ in sections])
    guarantee, quality = analysis.get("guarantee") or [], analysis.get("education_quality") or []
    recognition = analysis.get("social_recognition")
    with book.under("前言"):
        opening = _opening(ws, system, sections, guarantee, quality, recognition, analysis.get("vetoes"), book)
    with book.under("一、基本情况"):
        basic = or_placeholder(county_profile(ws, analysis, book) + user_text(ws, "基本情况"), "基本情况")
    with book.under("二、资源配置"):
        resource = Section("二、资源配置", paragraphs(_resource_intro(ws, qb, book)), tuple(
            _section(ws, i, key, name, block, system, captions, book, mark["mark"])
            for i, ((key, name, block), mark) in enumerate(zip(sections, marks), 1)), key="resource")
    with book.under("三、政府保障程度"):
        guarantee_part = _status_part("guarantee", "三、政府保障程度", guarantee, ws, captions, book,
                                      class_size_chart(ws, analysis, captions),
                                      per_level_funding_evidence(analysis, book, COMPULSORY_LEVELS))
    with book.under("四、教育质量"):
        quality_part = _status_part("quality", "四、教育质量", quality, ws, captions, book)
    with book.under("五、社会认可度"):
        recognition_part = _recognition(ws, recognition, book)
    with book.under("六、存在问题"):
        problems = _problems(ws, sections, guarantee, quality, recognition, analysis.get("vetoes"), book)
    plans = or_placeholder(user_text(ws, "下一步工作计划"), "下一步工作计划")
    with book.under("附件"):
        attachments = tuple(_attachment(mark, key, block, book) for mark, (key, _, block) in zip(marks, sections))
    body = (
        Section("一、基本情况", paragraphs(basic), key="basic"),
        resource, guarantee_part, quality_part,
        Section("五、社会认可度", paragraphs(recognition_part), key="recognition"),
        Section("六、存在问题", paragraphs(problems), key="problems"),
        Section("七、下一步工作计划", paragraphs(plans, keep_last=True), key="plans"),
    )
    filename = f"{ws.region}{ws.year or ''}年县域义务教育优质均衡发展自评报告.docx"
    return ReportModel(REPORT, f"{ws.region}县域义务教育优质均衡发展自评报告", filename, TEMPLATE,
                       opening=paragraphs(opening), sections=body, attachments=attachments, meta=signature(ws),
                       figures=tuple(book.records()), warnings=tuple(exemption_warnings(ws, guarantee)),
                       printed_title=title_text(ws.region, "县域义务教育优质均衡发展自评报告"))


def _system(ws: "Workspace"):
    from reportgen.systems.indicators import load_system

    return load_system("quality", ws.settings.systems["quality"], ws.root)


# ---------------------------------------------------------------- opening

def _opening(ws, system, sections, guarantee, quality, recognition, vetoes, book) -> list[str]:
    first = (f"根据《{system.name}》（{system.document}）要求，{ws.region}对照资源配置、政府保障程度、教育质量、"
             f"社会认可度四个方面的评估指标开展了自评。")
    parts = []
    for key, name, block in sections:
        parts.append(f"{name}{_cv_summary(key, block, book)}，{_school_rule_summary(key, block, book)}")
    for part, heading, items in (("guarantee", "政府保障程度", guarantee), ("quality", "教育质量", quality)):
        if items:
            total, shown = status_counts(part, items, book)
            parts.append(f"{heading}{total}项指标中{shown}")
    if recognition:
        parts.append(_recognition_fact(recognition, book))
    result = f"自评结果：{'；'.join(parts)}。" if parts else ""
    veto = _veto_summary(vetoes, book)
    return [first + result + veto] + user_text(ws, "前言", "总体情况") + ["现将自评情况报告如下。"]


def _cv_summary(key: str, block: dict, book: FigureBook) -> str:
    indicators = block["indicators"]
    over = [i for i in indicators.values() if i.get("cv_ok") is False]
    unknown = [i for i in indicators.values() if i.get("cv") is None]
    n = book.put(f"quality.{key}.indicators", len(indicators), fmt.count)
    limit = _limit_text(indicators)
    if over:
        k = book.put(f"quality.{key}.cv_over", len(over), fmt.count)
        return f"{n}项指标中有{k}项校际差异系数超过{limit}"
    if unknown:
        k = book.put(f"quality.{key}.cv_unknown", len(unknown), fmt.count)
        return f"{n}项指标中有{k}项校际差异系数无法计算，其余均不超过{limit}"
    return f"{n}项指标校际差异系数均不超过{limit}"


def _limit_text(indicators: dict) -> str:
    first = next(iter(indicators.values()))
    return fmt.fixed(first["cv_max"], 2)


def _school_rule_summary(key: str, block: dict, book: FigureBook) -> str:
    total = book.put(f"quality.{key}.schools_in_scope", block["schools_in_scope"], fmt.count)
    ok = book.put(f"quality.{key}.schools_ok", block["schools_ok"], fmt.count)
    text = f"{total}所学校中{ok}所达到每校资源配置要求"
    if block.get("schools_undetermined"):
        open_ = book.put(f"quality.{key}.schools_undetermined", block["schools_undetermined"], fmt.count)
        text += f"、{open_}所因数据不全无法判断"
    return text


def _recognition_fact(item: dict, book: FigureBook) -> str:
    if item["status"] == PENDING:
        return "社会认可度待说明"
    return book.put("recognition.value", item.get("value"), stated(item))


def _veto_summary(vetoes: list[dict] | None, book: FigureBook) -> str:
    if not vetoes:
        return ""
    found = [v for v in vetoes if v.get("triggered")]
    open_ = [v for v in vetoes if v.get("triggered") is None]
    if found:
        n = book.put("vetoes.triggered", len(found), fmt.count)
        return f"经自查，存在{n}项不予认定情形：{'、'.join(v['label'] for v in found)}。"
    if open_:
        n = book.put("vetoes.pending", len(open_), fmt.count)
        return f"{n}项不予认定情形尚待说明。"
    return "经自查，未发现不予认定情形。"





# ---------------------------------------------------------------- 资源配置

def _resource_intro(ws, qb: dict, book: FigureBook) -> list[str]:
    excluded = qb.get("excluded") or []
    paragraphs = user_text(ws, "资源配置")
    if excluded:
        n = book.put("quality.excluded", len(excluded), fmt.count)
        names = [f"{s['name']}（{s['reason']}）" for s in excluded]
        paragraphs.insert(0, f"按照评估办法，以下{n}所学校不参与资源配置指标计算：{fmt.enumerate_cn(names, SCHOOLS_NAMED, '所')}。")
    return paragraphs


def _section(ws, index: int, key: str, name: str, block: dict, system, captions: Captions,
             book: FigureBook, mark: str) -> Section:
    with book.under(f"二、资源配置·{name}"):
        rule = system.balance.per_school
        sentences = [_scope_sentence(key, name, block, book), _cv_sentence(key, name, block, book),
                     _rule_sentence(key, block, rule, book)]
        table = Table(f"{key}_indicators", INDICATOR_COLUMNS, _indicator_rows(key, block, book),
                      caption=captions.table(f"{ws.region}{name}资源配置指标校际差异系数"),
                      note="注：县域均值为全县资源总量除以在校生总数；差异系数按学校在校生数加权计算。",
                      keep_together=True)
        findings = _failing_schools(key, block, rule.floor_ratio if rule else 0.0, book, mark)
        charts = [_cv_chart(key, name, block, captions, book), _values_chart(key, name, block, captions)]
    blocks: tuple[Block, ...] = (*paragraphs([p for p in sentences if p]), table, *paragraphs(findings),
                                 *[c for c in charts if c])
    return Section(f"（{fmt.cn_number(index)}）{name}", blocks, level=2, key=key)


INDICATOR_COLUMNS = (Column("指标", 44, left=True), Column("县域\n均值", 20), Column("标准值", 16),
                     Column("达标\n学校数", 16), Column("差异\n系数", 18), Column("差异系数\n标准", 22),
                     Column("结论", 20))


def _scope_sentence(key: str, name: str, block: dict, book: FigureBook) -> str:
    schools = block["schools"]
    from reportgen.analysis.counts import SPLIT_TYPES  # counted by section (小学部/初中部)

    parts = [s for s in schools if s.get("type") in SPLIT_TYPES]
    total = book.put(f"quality.{key}.schools_in_scope", block["schools_in_scope"], fmt.count)
    pupils = book.put(f"quality.{key}.pupils", block.get("pupils") or sum(s["pupils"] for s in schools), fmt.count)
    sentence = f"全县纳入{name}资源配置计算的学校{total}所"
    if parts:
        types = "、".join(t for t in SPLIT_TYPES if any(s["type"] == t for s in parts))
        n = book.put(f"quality.{key}.split_parts", len(parts), fmt.count)
        sentence += f"（含{types}的{name}部{n}个）"
    return sentence + f"，在校生{pupils}人。"


def _cv_sentence(key: str, name: str, block: dict, book: FigureBook) -> str:
    indicators = block["indicators"]
    limit = _limit_text(indicators)
    over = [(i, e) for i, e in indicators.items() if e.get("cv_ok") is False]
    unknown = [(i, e) for i, e in indicators.items() if e.get("cv") is None]
    known = [(i, e) for i, e in indicators.items() if e.get("cv") is not None]
    sentences = []
    if over:
        listed = "、".join(f"{e['label']}{_cv(key, i, e, book)}" for i, e in over)
        n = book.put(f"quality.{key}.cv_over", len(over), fmt.count)
        sentences.append(f"{n}项指标的校际差异系数超过{limit}：{listed}")
    elif known:
        worst_id, worst = max(known, key=lambda p: p[1]["cv"])
        scope = "各" if unknown else f"{book.put(f'quality.{key}.indicators', len(indicators), fmt.count)}项"
        sentences.append(f"{scope}指标校际差异系数均不超过{limit}，"
                         f"最大的是{worst['label']}，为{_cv(key, worst_id, worst, book)}")
    for i, e in unknown:
        sentences.append(f"{e['label']}的差异系数无法计算（{e.get('reason') or '数据不全'}）")
    composite = block.get("composite_cv")
    if composite is not None:
        n = book.put(f"quality.{key}.indicators", len(indicators), fmt.count)
        sentences.append(f"{n}项指标差异系数的平均值为{book.put(f'quality.{key}.composite_cv', composite, fmt.coefficient)}")
    return f"{name}" + "；".join(sentences) + "。" if sentences else ""


def _cv(key: str, ind_id: str, entry: dict, book: FigureBook, where: str = "sentence") -> str:
    return book.put(f"quality.{key}.{ind_id}.cv", entry["cv"],
                    lambda v: fmt.coefficient(v, entry.get("cv_max")), where)


def _rule_sentence(key: str, block: dict, rule, book: FigureBook) -> str:
    if rule is None:
        return ""
    ratio = fmt.percent(rule.floor_ratio, 0)
    ok = book.put(f"quality.{key}.schools_ok", block["schools_ok"], fmt.count)
    failing = book.put(f"quality.{key}.schools_failing", block["schools_failing"], fmt.count)
    text = (f"对照“每所学校至少{rule.min_met}项指标达到要求、其余指标不低于要求的{ratio}”的标准，"
            f"{ok}所学校达到要求，{failing}所学校未达到要求")
    if block.get("schools_undetermined"):
        text += f"，{book.put(f'quality.{key}.schools_undetermined', block['schools_undetermined'], fmt.count)}所学校因数据不全无法判断"
    return text + "。"


def _indicator_rows(key: str, block: dict, book: FigureBook) -> tuple[tuple[str, ...], ...]:
    rows = []
    where = f"table:{key}_indicators"
    for ind_id, e in block["indicators"].items():
        base = f"quality.{key}.{ind_id}"
        rows.append((
            f"{e['label']}（{e['unit']}）" if e.get("unit") else e["label"],
            "—" if e.get("mean") is None else book.put(f"{base}.mean", e["mean"], lambda v: fmt.fixed(v, 2), where),
            _standard(key, ind_id, e, book, where),
            book.put(f"{base}.schools_meeting", e["schools_meeting"], fmt.count, where),
            "—" if e.get("cv") is None else _cv(key, ind_id, e, book, where),
            book.put(f"{base}.cv_max", e["cv_max"], lambda v: fmt.fixed(v, 2), where),
            {True: "达到", False: "未达到", None: "无法计算"}[e.get("cv_ok")],
        ))
    return tuple(rows)


def _standard(key: str, ind_id: str, entry: dict, book: FigureBook, where: str = "sentence") -> str:
    return book.put(f"quality.{key}.{ind_id}.standard", entry["standard"], fmt.plain, where)


def _indicator_failures(key: str, block: dict, book: FigureBook) -> str:
    """Per indicator, the schools below its standard (whether or not they pass the per-school rule)."""
    parts = []
    for ind_id, e in block["indicators"].items():
        names = [s["name"] for s in block["schools"] if ind_id in s["failed"]]
        if names:
            n = book.put(f"quality.{key}.{ind_id}.schools_below", len(names), fmt.count)
            shown = "、".join(names[:SCHOOLS_NAMED]) + ("等" if len(names) > SCHOOLS_NAMED else "")
            parts.append(f"{e['label']}{n}所（{shown}）")
    return f"各指标未达到标准值的学校：{'；'.join(parts)}。" if parts else "各校各项指标均达到标准值。"


def _failing_schools(key: str, block: dict, floor_ratio: float, book: FigureBook, mark: str) -> list[str]:
    indicators = block["indicators"]
    failing = [s for s in block["schools"] if s.get("ok") is False]
    undetermined = [s for s in block["schools"] if s.get("ok") is None]
    paragraphs = [_indicator_failures(key, block, book)]
    if failing:
        described = [f"{s['name']}（{_school_problems(key, s, indicators, floor_ratio, book)}）" for s in failing]
        n = book.put(f"quality.{key}.schools_failing", len(failing), fmt.count)
        tail = f"，详见{mark}" if len(failing) > SCHOOLS_NAMED else ""
        paragraphs.append(f"未达到每校要求的{n}所学校是：{'；'.join(described[:SCHOOLS_NAMED])}"
                          f"{'等' if len(failing) > SCHOOLS_NAMED else ''}{tail}。")
    if undetermined:
        n = book.put(f"quality.{key}.schools_undetermined", len(undetermined), fmt.count)
        names = [f"{s['name']}（未填报{'、'.join(indicators[i]['label'] for i in s['missing'])}）" for s in undetermined]
        paragraphs.append(f"因数据不全无法判断的{n}所学校是：{fmt.enumerate_cn(names, SCHOOLS_NAMED, '所')}。")
    return paragraphs


def _school_problems(key: str, school: dict, indicators: dict, floor_ratio: float, book: FigureBook) -> str:
    parts = []
    for ind_id in school["failed"]:
        e = indicators[ind_id]
        value = book.put(f"quality.{key}.school.{school['id']}.{ind_id}", school["values"][ind_id],
                         lambda v: _value_text(ind_id, v))
        unit = e.get("unit") or ""
        standard = f"{_standard(key, ind_id, e, book)}{unit}"
        verdict = f"低于标准{standard}的{fmt.percent(floor_ratio, 0)}" if ind_id in school.get("below_floor", []) \
            else f"未达到标准{standard}"
        parts.append(f"{e['label']}{value}{unit}，{verdict}")
    return "；".join(parts + _exemption(school))


def _exemption(entry: dict) -> list[str]:
    """The school's 豁免说明 as one part of its description (none when not given)."""
    exemption = entry.get("exemption")
    return [f"豁免说明：{exemption.strip()}"] if isinstance(exemption, str) and exemption.strip() else []


def _value_format(ind_id: str) -> Callable[[float], str]:
    return lambda value: _value_text(ind_id, value)


def _value_text(ind_id: str, value: float) -> str:
    """A per-school value: 元 as whole numbers, everything else with two decimals."""
    return fmt.fixed(value, 0 if ind_id == "equipment_value_per_student" else 2)


def _cv_chart(key: str, name: str, block: dict, captions: Captions, book: FigureBook) -> Chart | None:
    indicators = block["indicators"]
    if all(e.get("cv") is None for e in indicators.values()):
        return None
    limit = next(iter(indicators.values()))["cv_max"]
    data = {
        "labels": [e["short"] for i, e in indicators.items()],
        "values": [e.get("cv") for e in indicators.values()],
        "value_labels": ["" if e.get("cv") is None else _cv(key, i, e, book, f"chart:cv_{key}")
                         for i, e in indicators.items()],
        "limit": limit,
        "limit_label": f"上限{fmt.fixed(limit, 2)}",
    }
    return captions.chart(f"chart_cv_{key}", "cv_bars", f"{name}资源配置各指标校际差异系数", data)


def _values_chart(key: str, name: str, block: dict, captions: Captions) -> Chart | None:
    schools, indicators = block["schools"], block["indicators"]
    if not schools:
        return None
    weakest = sorted(indicators, key=lambda i: (-(block["schools_in_scope"] - indicators[i]["schools_meeting"]),
                                                _relative_mean(indicators[i])))[:WEAKEST_SHOWN]
    panels = []
    for ind_id in weakest:
        e = indicators[ind_id]
        values = sorted(round(s["values"][ind_id], 4) for s in schools if s["values"].get(ind_id) is not None)
        panels.append({"label": f"{e['short']}（{e['unit']}）", "unit": "",
                       "standard": e["standard"], "floor": e.get("floor"), "values": values})
    return captions.chart(f"chart_values_{key}", "school_values",
                          f"{name}各校{'、'.join(indicators[i]['short'] for i in weakest)}与标准值", {"panels": panels})


def _relative_mean(entry: dict) -> float:
    mean = entry.get("mean")
    return float("inf") if mean is None or not entry.get("standard") else mean / entry["standard"]


# ---------------------------------------------------------------- 政府保障程度 / 教育质量

STATUS_COLUMNS = (Column("序号", 10), Column("指标", 56, left=True), Column("本县情况", 46, left=True),
                  Column("标准", 28, left=True), Column("结论", 16))


def _status_part(part: str, heading: str, items: list[dict], ws, captions: Captions, book: FigureBook,
                 charts: list[Chart] | None = None, facts: list[str] | None = None) -> Section:
    """The items table, its findings and computed ``facts`` (经费 by level), the county's texts, ``charts``."""
    name = heading.split("、", 1)[-1]
    if not items:
        return Section(heading, paragraphs([placeholder(name)]), key=part)
    total, shown = status_counts(part, items, book)
    intro = f"对照{name}{total}项指标自评，{shown}。"
    rows = tuple((str(i.get("number") or n), i["label"],
                  book.put(f"{part}.{i['id']}", i.get("value"), stated(i, "—"), f"table:{part}"),
                  i.get("standard") or "—", i["status"]) for n, i in enumerate(items, 1))
    findings = [_item_finding(i) for i in items if i["status"] == FAIL]
    findings += [_exempted_finding(i, school) for i in items for school in i.get("exempted") or []]
    findings += [_stated_finding(i) for i in items if (i.get("statement") or {}).get("text") and i["status"] != FAIL]
    findings += facts or []
    pending = [str(i.get("number") or n) for n, i in enumerate(items, 1) if i["status"] == PENDING]
    if pending:
        findings.append(placeholder(f"第{'、'.join(pending)}项的达标情况和说明（填写在“情况说明”工作表）"))
    findings += user_text(ws, name)
    table = Table(part, STATUS_COLUMNS, rows, caption=captions.table(f"{ws.region}{name}指标自评情况"),
                  note="注：“待说明”表示该项不能由工作簿数据判断，或所需数据未填报。")
    return Section(heading, (*paragraphs([intro], "keep_next"), table, *paragraphs(findings), *(charts or [])),
                   key=part)


def _stated_finding(item: dict) -> str:
    """An item the county states in 情况说明, in its own words."""
    said = item["statement"]["text"].rstrip("。")
    return f"第{item.get('number')}项（{item['label']}）：{said}。"


def _item_finding(item: dict) -> str:
    text = f"第{item.get('number')}项未达标：{item.get('reason') or item['label']}"
    details = item.get("details") or []
    if details:
        named = [f"{d['name']}（{'；'.join([d['problem'], *_exemption(d)])}）" for d in details]
        text += f"，涉及{fmt.enumerate_cn(named, SCHOOLS_NAMED, '所')}"
    return text + "。"


def _exempted_finding(item: dict, school: dict) -> str:
    """A school the approved relaxed standard (放宽标准) judges 达标, in the county's voice."""
    exemption = "".join(f"（{part}）" for part in _exemption(school))
    return (f"第{item.get('number')}项：{school['name']}建于{school['built']}年，经批准按放宽标准"
            f"（{school['standard']}）认定，达标{exemption}。")


def _recognition(ws, item: dict | None, book: FigureBook) -> list[str]:
    lines = []
    if item and item["status"] != PENDING:
        lines.append(book.put("recognition.value", item.get("value"), stated(item)) + "。")
    elif item:
        lines.append(f"社会认可度待说明：{item.get('reason')}。")
    return or_placeholder(lines + user_text(ws, "社会认可度"), "社会认可度")


# ---------------------------------------------------------------- 存在问题

def _problems(ws, sections, guarantee, quality, recognition, vetoes, book: FigureBook) -> list[str]:
    problems = []
    for key, name, block in sections:
        for ind_id, e in block["indicators"].items():
            if e.get("cv_ok") is False:
                problems.append(f"{name}{e['label']}校际差异系数为{_cv(key, ind_id, e, book)}，"
                                f"超过{fmt.fixed(e['cv_max'], 2)}。")
        if block.get("schools_failing"):
            n = book.put(f"quality.{key}.schools_failing", block["schools_failing"], fmt.count)
            problems.append(f"{name}有{n}所学校资源配置未达到每校要求。")
    for heading, items in (("政府保障程度", guarantee), ("教育质量", quality)):
        for item in items:
            if item["status"] == FAIL:
                problems.append(f"{heading}第{item.get('number')}项未达标：{item.get('reason') or item['label']}。")
    if recognition and recognition["status"] == FAIL:
        problems.append(f"{recognition.get('reason')}。")
    for veto in vetoes or []:
        if veto.get("triggered"):
            problems.append(f"存在不予认定情形：{veto['label']}（{veto.get('reason')}）。")
    return or_placeholder(problems + user_text(ws, "存在问题"), "存在问题")


# ---------------------------------------------------------------- 附件

def _attachment(mark: dict, key: str, block: dict, book: FigureBook) -> Attachment:
    """Every school in scope with its values; the columns follow the indicator system."""
    indicators = block["indicators"]
    where = f"table:{key}_schools"
    rows = []
    for n, school in enumerate(block["schools"], 1):
        values = []
        for ind_id in indicators:
            value = school["values"].get(ind_id)
            if value is None:
                values.append("—")
                continue
            text = book.put(f"quality.{key}.school.{school['id']}.{ind_id}", value, _value_format(ind_id), where)
            values.append(text + (VALUE_MARK if ind_id in school["failed"] else ""))
        rows.append((str(n), school["name"],
                     book.put(f"quality.{key}.school.{school['id']}.pupils", school["pupils"], fmt.count, where),
                     *values, str(school["met"]), SCHOOL_VERDICTS[school.get("ok")]))
    columns = (Column("序号", 8), Column("学校名称", 30, left=True), Column("在校\n生数", 12),
               *[Column(_indicator_header(e), 12) for e in indicators.values()],
               Column("达标\n项数", 10), Column("结论", 12))
    standard = ("", "标准值", "", *[_standard(key, i, e, book, where) for i, e in indicators.items()], "", "")
    table = Table(f"{key}_schools", columns, tuple(rows), name=mark["title"], head_rows=(standard,), small=True,
                  note=f"注：带“{VALUE_MARK}”的数值未达到标准值；“—”表示未填报；达标项数为达到标准值的指标数。")
    return Attachment(mark["mark"], mark["title"], (table,))


def _indicator_header(entry: dict) -> str:
    """Short name and unit per pupil, e.g. "体育艺术专任教师\n(人/百生)", "生均体育运动场馆\n(㎡)"."""
    unit = {"平方米": "㎡"}.get(entry.get("unit") or "", entry.get("unit") or "")
    if unit and entry.get("factor") == PER_HUNDRED:
        unit += "/百生"
    return f"{entry['short']}\n({unit})" if unit else entry["short"]


def exemption_warnings(ws, items: list[dict]) -> list[str]:
    """The items' exemption notes as located warnings (学校 sheet, row, 豁免说明); ``validate`` and
    ``build`` print them as they print the other report hints."""
    return [f"{ws.where('学校', note['row'], '豁免说明')}：{note['name']}填写了豁免说明，但不适用经批准的"
            f"放宽标准（{note['reason']}），第{item.get('number')}项仍按标准认定为未达标"
            for item in items for note in item.get("exemption_notes") or []]

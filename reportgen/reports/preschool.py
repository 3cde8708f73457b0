"""县域学前教育普及普惠发展自评报告 (教育部 2020 办法, standards §9), built from ``analysis["preschool"]``.

Layout: opening (the three rates, the item counts, 社会认可度 and the verdict) · 一、基本情况
(kindergartens and children by 办园性质, teachers) · 二、普及普惠水平 (the three rates against their
minimums: sentences, a table, a chart) · 三、政府保障情况 (items table, findings) · 四、幼儿园保教质量
保障情况 (items table, 班额达标率 by grade, every kindergarten failing a per-kindergarten standard) ·
五、社会认可度 · 六、存在问题 · 七、下一步工作计划 · signature · 附件 幼儿园情况明细表 (one row per
kindergarten, one column per per-kindergarten standard, failing values marked).

Built only when the workspace has kindergartens (``unavailable`` says why not otherwise).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.core.vocabulary import FAIL, PASS, PENDING
from reportgen.reports import numbers as fmt
from reportgen.reports.common import (
    Captions,
    attachment_marks,
    or_placeholder,
    placeholder,
    signature,
    stated,
    title_text,
    user_text,
)
from reportgen.reports.evidence import PRESCHOOL_LEVELS, per_level_funding_evidence
from reportgen.reports.figures import FigureBook
from reportgen.reports.model import Attachment, Block, Chart, Column, ReportModel, Section, Table, paragraphs

if TYPE_CHECKING:
    from reportgen.core.workspace import Workspace

REPORT = "学前普惠"
TEMPLATE = "学前教育普及普惠发展自评报告.docx"
DOCUMENT = "县域学前教育普及普惠发展自评报告"
RATES = (("gross_enrolment_rate", "学前三年毛入园率"), ("inclusive_coverage", "普惠性幼儿园覆盖率"),
         ("public_share", "公办园在园幼儿占比"))
OWNERSHIP = ("公办", "普惠性民办", "非普惠性民办")
VALUE_MARK = "*"
NOT_CHECKED = "/"
VERDICTS = {"通过": "达到县域学前教育普及普惠督导评估标准",
            "未通过": "尚未达到县域学前教育普及普惠督导评估标准",
            "待定": "部分指标尚待说明，暂不能作出是否达到县域学前教育普及普惠督导评估标准的结论"}
# 文字材料 sections of this report (a county writes them apart from the 义务教育 reports' ones).
TEXTS = {"opening": ("学前前言",), "basic": ("学前基本情况",), "rates": ("学前普及普惠水平",),
         "guarantee": ("学前政府保障情况",), "quality": ("学前保教质量",), "recognition": ("学前社会认可度",),
         "problems": ("学前存在问题",), "plans": ("学前下一步工作计划",)}


def unavailable(ws: "Workspace", analysis: dict) -> str | None:
    """Why this report cannot be built for the workspace (no 幼儿园 sheet), else None."""
    block = analysis.get("preschool") or {}
    return None if block.get("available") else (block.get("reason") or "未填报「幼儿园」工作表")


def build_model(ws: "Workspace", analysis: dict) -> ReportModel:
    block = analysis["preschool"]
    book = FigureBook(REPORT)
    captions = Captions()
    marks = attachment_marks(["幼儿园情况明细表"])
    per_kg = _per_kindergarten_items(ws)
    with book.under("前言"):
        opening = _opening(ws, block, book)
    with book.under("一、基本情况"):
        basic = _basic(ws, block, captions, book)
    with book.under("二、普及普惠水平"):
        rates = _rates(ws, block, captions, book)
    with book.under("三、政府保障情况"):
        guarantee = _items_section("三、政府保障情况", "guarantee", block["guarantee"], ws, captions, book,
                                   per_level_funding_evidence(analysis, book, PRESCHOOL_LEVELS))
    with book.under("四、幼儿园保教质量保障情况"):
        quality = _items_section("四、幼儿园保教质量保障情况", "quality", block["quality"], ws, captions, book,
                                 _class_sizes(block, book) + _failing(block, per_kg, book, marks[0]["mark"]))
    with book.under("五、社会认可度"):
        recognition = _recognition(ws, block["social_recognition"], book)
    with book.under("六、存在问题"):
        problems = _problems(ws, block, book)
    plans = or_placeholder(user_text(ws, *TEXTS["plans"]), "学前下一步工作计划")
    with book.under("附件"):
        attachment = _annex(marks[0], block, per_kg, book)
    sections = (basic, rates, guarantee, quality,
                Section("五、社会认可度", paragraphs(recognition), key="recognition"),
                Section("六、存在问题", paragraphs(problems), key="problems"),
                Section("七、下一步工作计划", paragraphs(plans, keep_last=True), key="plans"))
    return ReportModel(REPORT, f"{ws.region}{DOCUMENT}", f"{ws.region}{ws.year or ''}年{DOCUMENT}.docx", TEMPLATE,
                       opening=paragraphs(opening), sections=sections, attachments=(attachment,),
                       meta=signature(ws), figures=tuple(book.records()),
                       printed_title=title_text(ws.region, DOCUMENT))


def _per_kindergarten_items(ws: "Workspace") -> list:
    """The 园指标 items of the chosen 学前 system judged kindergarten by kindergarten (口径 每园)."""
    from reportgen.systems.indicators import load_system

    system = load_system("preschool", ws.settings.system("preschool"), ws.root)
    return [i for i in getattr(system, "items", ()) if i.check == "园指标" and i.params["scope"] == "每园"]


# ---------------------------------------------------------------- figures

def _rate(block: dict, key: str, book: FigureBook, where: str = "sentence") -> str:
    return book.put(f"preschool.{key}", block[key], fmt.percent, where)


def _minimum(block: dict, key: str, book: FigureBook, where: str = "sentence") -> str:
    return book.put(f"preschool.{key}_min", block[f"{key}_min"], lambda v: fmt.percent(v, 0), where)


def _count(fig_id: str, value, book: FigureBook, where: str = "sentence") -> str:
    return book.put(f"preschool.{fig_id}", value, fmt.count, where)


def _verdict_word(ok: bool | None) -> str:
    return {True: "达到", False: "未达到", None: "无法判断是否达到"}[ok]


# ---------------------------------------------------------------- opening

def _opening(ws, block: dict, book: FigureBook) -> list[str]:
    system = block["system"]
    source = system["document"] if "《" in system["document"] else f"《{system['name']}》（{system['document']}）"
    first = (f"根据{source}要求，{ws.region}对照普及普惠水平、政府保障情况、"
             f"幼儿园保教质量保障情况、社会认可度四个方面开展了自评。")
    parts = [_rate_fact(block, key, label, book) for key, label in RATES]
    for area, heading in (("guarantee", "政府保障情况"), ("quality", "幼儿园保教质量保障情况")):
        total, shown = _status_counts(area, block[area], book)
        parts.append(f"{heading}{total}项指标中{shown}")
    recognition = block["social_recognition"]
    if recognition["status"] != PENDING:
        parts.append(book.put("preschool.social_recognition", recognition.get("value"), stated(recognition)))
    result = f"自评结果：{'；'.join(parts)}。自评认为，{ws.region}{VERDICTS[block['verdict']]}。"
    return [first + result] + user_text(ws, *TEXTS["opening"]) + ["现将自评情况报告如下。"]


def _rate_fact(block: dict, key: str, label: str, book: FigureBook) -> str:
    if block[key] is None:
        return f"{label}无法计算"
    return f"{label}{_rate(block, key, book)}，{_verdict_word(block[f'{key}_ok'])}{_minimum(block, key, book)}的标准"


def _status_counts(area: str, items: list[dict], book: FigureBook) -> tuple[str, str]:
    total = _count(f"{area}.items", len(items), book)
    counts = [(s, sum(1 for i in items if i["status"] == s)) for s in (PASS, FAIL, PENDING)]
    return total, "、".join(f"{s}{_count(f'{area}.{s}', n, book)}项" for s, n in counts if n)


# ---------------------------------------------------------------- 一、基本情况

OWNER_COLUMNS = (Column("办园性质", 40, left=True), Column("幼儿园数（所）", 36), Column("在园幼儿数（人）", 40),
                 Column("在园幼儿占比", 40))


def _basic(ws, block: dict, captions: Captions, book: FigureBook) -> Section:
    owners = [(o, block["by_ownership"][o]) for o in OWNERSHIP if o in block["by_ownership"]]
    parts = "、".join(f"{o}园{_count(f'by_ownership.{o}.kindergartens', p['kindergartens'], book)}所"
                      for o, p in owners)
    children = "、".join(f"{o}园{_count(f'by_ownership.{o}.children', p['children'], book)}人" for o, p in owners)
    sentences = [f"全县共有幼儿园{_count('kindergartens', block['kindergartens'], book)}所，其中{parts}；"
                 f"在园幼儿{_count('children', block['children'], book)}人，其中{children}。"]
    if block["eligible_children"] is not None:
        sentences.append(f"全县学前三年适龄儿童{_count('eligible_children', block['eligible_children'], book)}人。")
    sentences.append(_teachers(block, book))
    table = Table("ownership", OWNER_COLUMNS, _owner_rows(block, owners, book),
                  caption=captions.table(f"{ws.region}幼儿园和在园幼儿数（按办园性质）"),
                  total=("合计", _count("kindergartens", block["kindergartens"], book, "table:ownership"),
                         _count("children", block["children"], book, "table:ownership"), "100.00%"),
                  keep_together=True)
    texts = user_text(ws, *TEXTS["basic"])
    return Section("一、基本情况", (*paragraphs(sentences, "keep_next"), table, *paragraphs(texts)), key="basic")


def _owner_rows(block: dict, owners: list, book: FigureBook) -> tuple[tuple[str, ...], ...]:
    where = "table:ownership"
    total = block["children"] or 0
    return tuple((f"{o}园", _count(f"by_ownership.{o}.kindergartens", p["kindergartens"], book, where),
                  _count(f"by_ownership.{o}.children", p["children"], book, where),
                  fmt.percent(p["children"] / total) if total and p["children"] is not None else "—")
                 for o, p in owners)


def _teachers(block: dict, book: FigureBook) -> str:
    if block["teachers"] is None:
        return "幼儿园专任教师数未填报。"
    text = f"全县幼儿园专任教师{_count('teachers', block['teachers'], book)}人"
    if block["certified_teachers"] is not None:
        text += f"，其中持证专任教师{_count('certified_teachers', block['certified_teachers'], book)}人"
    if block["children_per_teacher"] is not None:
        ratio = book.put("preschool.children_per_teacher", block["children_per_teacher"], lambda v: fmt.fixed(v, 1))
        text += f"，每名专任教师对应在园幼儿{ratio}人"
    if block["certified_rate"] is not None:
        text += f"，专任教师持证率{book.put('preschool.certified_rate', block['certified_rate'], fmt.percent)}"
    return text + "。"


# ---------------------------------------------------------------- 二、普及普惠水平

RATE_COLUMNS = (Column("指标", 50, left=True), Column("计算方法", 56, left=True), Column("本县", 20),
                Column("标准", 16), Column("结论", 16))
FORMULAS = {"gross_enrolment_rate": "在园幼儿数÷学前三年适龄儿童数",
            "inclusive_coverage": "（公办园+普惠性民办园）在园幼儿数÷在园幼儿数",
            "public_share": "公办园在园幼儿数÷在园幼儿数"}


def _rates(ws, block: dict, captions: Captions, book: FigureBook) -> Section:
    sentences = [_rate_sentence(block, key, label, book) for key, label in RATES]
    rows = tuple((label, FORMULAS[key], "—" if block[key] is None else _rate(block, key, book, "table:rates"),
                  "≥" + _minimum(block, key, book, "table:rates"),
                  {True: PASS, False: FAIL, None: PENDING}[block[f"{key}_ok"]]) for key, label in RATES)
    table = Table("rates", RATE_COLUMNS, rows, caption=captions.table(f"{ws.region}学前教育普及普惠水平"),
                  keep_together=True)
    blocks: tuple[Block, ...] = (*paragraphs(sentences[:-1]), *paragraphs(sentences[-1:], "keep_next"), table,
              _rate_chart(block, captions, book), *paragraphs(user_text(ws, *TEXTS["rates"])))
    return Section("二、普及普惠水平", blocks, key="rates")


def _rate_sentence(block: dict, key: str, label: str, book: FigureBook) -> str:
    if block[key] is None:
        reason = block.get("eligible_children_reason") or "在园幼儿数未填报"
        return f"{label}无法计算（{reason}），{placeholder(label)}。"
    parts = {"gross_enrolment_rate": lambda: (f"全县在园幼儿{_count('children', block['children'], book)}人，学前三年"
                                              f"适龄儿童{_count('eligible_children', block['eligible_children'], book)}人"),
             "inclusive_coverage": lambda: (f"公办园和普惠性民办园在园幼儿"
                                            f"{_count('public_children', block['public_children'], book)}人、"
                                            f"{_count('inclusive_private_children', block['inclusive_private_children'], book)}人"),
             "public_share": lambda: f"公办园在园幼儿{_count('public_children', block['public_children'], book)}人"}
    return (f"{parts[key]()}，{label}为{_rate(block, key, book)}，"
            f"{_verdict_word(block[f'{key}_ok'])}不低于{_minimum(block, key, book)}的标准。")


def _rate_chart(block: dict, captions: Captions, book: FigureBook) -> Chart:
    where = "chart:rates"
    data = {"labels": [label for _, label in RATES],
            "values": [None if block[k] is None else block[k] * 100 for k, _ in RATES],
            "minimums": [block[f"{k}_min"] * 100 for k, _ in RATES],
            "value_labels": ["无法计算" if block[k] is None else _rate(block, k, book, where) for k, _ in RATES],
            "minimum_labels": [f"标准{_minimum(block, k, book, where)}" for k, _ in RATES]}
    return captions.chart("chart_rates", "rate_bars", "学前教育普及普惠水平与标准", data)


# ---------------------------------------------------------------- 三、四、 items

STATUS_COLUMNS = (Column("序号", 10), Column("指标", 56, left=True), Column("本县情况", 50, left=True),
                  Column("标准", 26, left=True), Column("结论", 14))


def _items_section(heading: str, area: str, items: list[dict], ws, captions: Captions, book: FigureBook,
                   more: list[str] | None = None) -> Section:
    name = heading.split("、", 1)[-1]
    total, shown = _status_counts(area, items, book)
    intro = f"对照{name}{total}项指标自评，{shown}。"
    where = f"table:{area}"
    rows = tuple((str(n), i["label"], book.put(f"preschool.{area}.{i['id']}", i.get("value"), stated(i, "—"), where),
                  i.get("standard") or "—", i["status"]) for n, i in enumerate(items, 1))
    table = Table(area, STATUS_COLUMNS, rows, caption=captions.table(f"{ws.region}{name}指标自评情况"),
                  note="注：“待说明”表示该项不能由工作簿数据判断，须在“情况说明”工作表中说明。")
    findings = [f"第{n}项未达标：{i.get('reason') or i['label']}。" for n, i in enumerate(items, 1) if i["status"] == FAIL]
    pending = [str(n) for n, i in enumerate(items, 1) if i["status"] == PENDING]
    if pending:
        findings.append(placeholder(f"第{'、'.join(pending)}项的达标情况和说明（填写在“情况说明”工作表）"))
    texts = user_text(ws, *TEXTS[area])
    return Section(heading, (*paragraphs([intro], "keep_next"), table, *paragraphs(findings + (more or []) + texts)),
                   key=area)


def _class_sizes(block: dict, book: FigureBook) -> list[str]:
    sizes = block["class_size"]
    if sizes["compliance_rate"] is None:
        return [f"幼儿园班额达标率无法计算（{sizes['reason']}）。"]
    grades = "、".join(
        f"{grade}{_count(f'class_size.{grade}.classes', part['classes'], book)}个（标准"
        f"{_count(f'class_size.{grade}.standard', part['standard'], book)}人，超标"
        f"{_count(f'class_size.{grade}.over_standard', part['over_standard'], book)}个）"
        for grade, part in sizes["by_grade"].items() if part["classes"])
    rate = book.put("preschool.class_size.compliance_rate", sizes["compliance_rate"], fmt.percent)
    return [f"全县幼儿园班级{_count('class_size.classes', sizes['classes'], book)}个，其中{grades}；超过标准班额的"
            f"班级{_count('class_size.over_standard', sizes['over_standard'], book)}个，班额达标率{rate}。"]


def _failing(block: dict, per_kg: list, book: FigureBook, mark: str) -> list[str]:
    """Every kindergarten failing a per-kindergarten standard, each with what it fails (all named)."""
    failing = block["failing_kindergartens"]
    if not failing:
        return ["各幼儿园均达到逐园标准（标准班额及逐园考核的办园条件指标）。"]
    measures = {i.id: i.params["measure"] for i in per_kg}
    described = [f"{k['name']}（{'；'.join(_failure_text(k, f, measures, book) for f in k['failed'])}）"
                 for k in failing]
    n = _count("failing_kindergartens", len(failing), book)
    return [f"未达到逐园标准的幼儿园{n}所：{'；'.join(described)}，详见{mark}。"]


def _failure_text(kg: dict, failure: dict, measures: dict, book: FigureBook) -> str:
    measure = measures.get(failure["id"])
    if measure is not None:
        unit = _unit(measure)
        value = book.put(f"preschool.kindergartens.{kg['id']}.{failure['id']}", failure["value"], _value_format(unit))
        return f"{measure}{value}{unit}，未达到{failure['standard']}{unit}的标准"
    over = _count(f"kindergartens.{kg['id']}.oversize_classes", kg["oversize_classes"], book)
    return f"{over}个班级超过标准班额"


UNITS = {"生均公用经费": "元", "专任教师持证率": "", "每名专任教师在园幼儿数": "人"}


def _unit(measure: str) -> str:
    return UNITS.get(measure, "平方米" if measure.startswith("生均") and measure.endswith("面积") else "")


def _value_format(unit: str):
    return (lambda v: fmt.fixed(v, 0)) if unit == "元" else (lambda v: fmt.fixed(v, 2))


def _recognition(ws, item: dict, book: FigureBook) -> list[str]:
    if item["status"] == PENDING:
        lines = [f"社会认可度待说明：{item.get('reason')}。"]
    else:
        lines = [book.put("preschool.social_recognition", item.get("value"), stated(item)) + "。"]
    return lines + user_text(ws, *TEXTS["recognition"])


# ---------------------------------------------------------------- 六、存在问题

def _problems(ws, block: dict, book: FigureBook) -> list[str]:
    problems = [f"{label}为{_rate(block, key, book)}，低于{_minimum(block, key, book)}的标准。"
                for key, label in RATES if block[f"{key}_ok"] is False]
    for area, heading in (("guarantee", "政府保障情况"), ("quality", "保教质量保障")):
        problems += [f"{heading}：{i.get('reason') or i['label']}。" for i in block[area] if i["status"] == FAIL]
    if block["failing_kindergartens"]:
        n = _count("failing_kindergartens", len(block["failing_kindergartens"]), book)
        problems.append(f"{n}所幼儿园未达到逐园标准。")
    if block["social_recognition"]["status"] == FAIL:
        problems.append(f"{block['social_recognition'].get('reason')}。")
    return or_placeholder(problems + user_text(ws, *TEXTS["problems"]), "学前存在问题")


# ---------------------------------------------------------------- 附件

def _annex(mark: dict, block: dict, per_kg: list, book: FigureBook) -> Attachment:
    """One row per kindergarten: 办园性质, children, classes, the classes over the standard and the
    value of each per-kindergarten standard (``*`` where it fails, ``/`` where it does not apply)."""
    where = "table:kindergartens"
    units = {i.id: _unit(i.params["measure"]) for i in per_kg}
    rows = []
    for n, kg in enumerate(block["kindergarten_list"], 1):
        failed = {f["id"] for f in kg["failed"]}
        cells = [_annex_value(kg, item.id, failed, units, book, where) for item in per_kg]
        over = _count(f"kindergartens.{kg['id']}.oversize_classes", kg["oversize_classes"], book, where)
        rows.append((str(n), kg["name"], kg["ownership"],
                     "—" if kg["children"] is None else _count(f"kindergartens.{kg['id']}.children", kg["children"], book, where),
                     "—" if kg["classes"] is None else _count(f"kindergartens.{kg['id']}.classes", kg["classes"], book, where),
                     over + (VALUE_MARK if kg["oversize_classes"] else ""), *cells,
                     "未达标" if kg["failed"] else "达标"))
    columns = (Column("序号", 8), Column("幼儿园名称", 34, left=True), Column("办园性质", 18), Column("在园\n幼儿数", 12),
               Column("班级数", 10), Column("超标准\n班额班数", 12),
               *[Column(_header(i, units[i.id]), 14) for i in per_kg], Column("结论", 12))
    standards = ("", "标准", "", "", "", "", *[_bound(i.params) for i in per_kg], "")
    table = Table("kindergartens", columns, tuple(rows), name=mark["title"], head_rows=(standards,), small=True,
                  note=f"注：带“{VALUE_MARK}”的数值未达到标准；“{NOT_CHECKED}”表示该项不考核此类幼儿园；"
                       "“—”表示未填报。")
    return Attachment(mark["mark"], mark["title"], (table,))


def _annex_value(kg: dict, item_id: str, failed: set, units: dict, book: FigureBook, where: str) -> str:
    if item_id not in kg["values"]:
        return NOT_CHECKED
    value = kg["values"][item_id]
    if value is None:
        return "—"
    text = book.put(f"preschool.kindergartens.{kg['id']}.{item_id}", value, _value_format(units[item_id]), where)
    return text + (VALUE_MARK if item_id in failed else "")


OWNER_SHORT = {"公办": "公办园", "普惠性民办": "普惠园", "非普惠性民办": "非普惠园"}


def _header(item, unit: str) -> str:
    """"生均室外游戏场地\n(㎡)"; an item checked on one 办园性质 only is named after it ("公办园生均公用经费")."""
    measure = item.params["measure"]
    owners = item.params["ownership"]
    head = OWNER_SHORT.get(owners[0], owners[0]) if len(owners) == 1 else ""
    short = measure.removesuffix("面积") if unit == "平方米" else measure
    return f"{head}{short}\n({'㎡' if unit == '平方米' else unit})" if unit else f"{head}{short}"


def _bound(params: dict) -> str:
    value = params["at_least"] if params["at_least"] is not None else params["at_most"]
    return ("≥" if params["at_least"] is not None else "≤") + fmt.plain(value)

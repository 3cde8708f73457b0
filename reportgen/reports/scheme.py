"""评估方案自评报告: one self-evaluation report per chosen 评估方案 (docs/schemes.md), from ``schemes.<名称>``.

Layout: opening (评价通知, 对照《方案》N个测评点, 自评得分X分, 另申请加分Y分, every deduction
"第k测评点因…，扣a分", the verdict with the rule that failed) · 一、基本情况 · one part per 一级指标
with 分值 and 自评得分 (二级 as （一）…: the user's paragraphs, then each deduction and each point
still to be scored) · 合格条件和一票否决 (each rule met or failed by how much, each veto) ·
存在问题 · 下一步工作计划 · signature · 附件 自评得分表 (every 测评点).

Every number is a ``schemes.<名称>.…`` figure (analysis/scheme_trace.py explains them).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.core.errors import ReportgenError
from reportgen.reports import numbers as fmt
from reportgen.reports.common import (
    attachment_marks,
    county_profile,
    or_placeholder,
    placeholder,
    signature,
    title_text,
    user_text,
)
from reportgen.reports.duty import _fact_of
from reportgen.reports.figures import FigureBook
from reportgen.reports.model import Attachment, Column, ReportModel, Section, Table, paragraphs

if TYPE_CHECKING:
    from reportgen.core.workspace import Workspace
    from reportgen.systems.schemes import Node, Scheme

REPORT = "评估方案自评"
TEMPLATE = "评估方案自评报告.docx"
NAME_SUFFIXES = ("督导评估方案", "督导评估", "评估方案", "评价指标体系", "指标体系")
PASSED, FAILED = "合格", "不合格"
NONE_CHOSEN = ("reportgen.yaml 的「指标体系 › 评估方案」未选择评估方案，无法生成评估方案自评报告；"
               "请填写内置方案名（如 均衡发展合格县示例、基本均衡2012）或工作区内方案文件的路径")


def build_models(ws: "Workspace", analysis: dict) -> list[ReportModel]:
    """One report per 评估方案 chosen in reportgen.yaml, in the order chosen (none when none is)."""
    return [scheme_model(ws, analysis, scheme) for scheme in chosen_schemes(ws)]


def build_model(ws: "Workspace", analysis: dict) -> ReportModel:
    """The report of the first chosen 评估方案."""
    models = build_models(ws, analysis)
    if not models:
        raise ReportgenError(NONE_CHOSEN)
    return models[0]


def chosen_schemes(ws: "Workspace") -> list["Scheme"]:
    from reportgen.systems.indicators import load_system
    from reportgen.systems.schemes import Scheme

    schemes = [load_system("scheme", name, ws.root) for name in ws.settings.schemes]
    return [s for s in {s.name: s for s in schemes}.values() if isinstance(s, Scheme)]


def report_kind(scheme: "Scheme") -> str:
    """The report's name after the county's: the scheme's 报告名称, else its 名称 made into one
    (义务教育均衡发展合格县督导评估方案（示例） → 义务教育均衡发展合格县自评报告)."""
    if scheme.report_title:
        return scheme.report_title
    name = scheme.name.split("（")[0].removeprefix("县域")
    for suffix in NAME_SUFFIXES:
        name = name.removesuffix(suffix)
    return f"{name}自评报告"


class _Scored:
    """One scheme's tree and its ``schemes.<名称>`` block, printing figures under its ids."""

    def __init__(self, scheme: "Scheme", block: dict, book: FigureBook):
        self.scheme, self.block, self.book = scheme, block, book
        self.base = f"schemes.{scheme.name}"
        self.points = {p["id"]: p for p in block["points"]}

    def put(self, key: str, value, form=fmt.score, where: str = "sentence") -> str:
        return self.book.put(f"{self.base}.{key}", value, form, where)

    def section_figures(self, node: "Node") -> str:
        """分值N分，自评得分M分 of a section (or of a 测评点 standing at the top of the tree)."""
        if node.leaf:
            point = self.points.get(node.id) or {"score": None}
            full = f"分值{self.put(f'points_max.{node.id}', node.max_score)}分"
            if point["score"] is None:
                return f"{full}，尚未评分"
            return f"{full}，自评得分{self.put(f'points.{node.id}', point['score'])}分"
        s = self.block["sections"][node.name]
        return (f"分值{self.put(f'sections_max.{node.name}', s['max'])}分，"
                f"自评得分{self.put(f'sections.{node.name}', s['score'])}分")

    def deducted(self) -> list[dict]:
        return [p for p in self.block["points"] if p["score"] is not None and p["score"] < p["max_score"]]

    def missing(self) -> list[dict]:
        return [p for p in self.block["points"] if p["score"] is None and p["status"] != "不适用"]

    def deduction(self, point: dict) -> str:
        """第k测评点因…，扣a分 (the point's reason without its scoring tail)."""
        fact = _fact_of(point["reason"]) if point.get("reason") else placeholder(f"第{point['id']}测评点失分原因")
        fact = self.put(f"points.{point['id']}", point["score"], lambda _: fact)
        lost = self.put(f"points_lost.{point['id']}", point["max_score"] - point["score"])
        return f"第{point['id']}测评点因{fact}，扣{lost}分"

    def to_score(self, point: dict) -> str:
        return placeholder(f"第{point['id']}测评点「{point['text']}」的自评得分和得失分说明")


def scheme_model(ws: "Workspace", analysis: dict, scheme: "Scheme") -> ReportModel:
    book = FigureBook(REPORT)
    s = _Scored(scheme, analysis["schemes"][scheme.name], book)
    kind = report_kind(scheme)
    marks = attachment_marks([f"{scheme.name}自评得分表"])
    with book.under("前言"):
        opening = paragraphs(_opening(ws, s))
    with book.under("一、基本情况"):
        basic = or_placeholder(county_profile(ws, analysis, book) + user_text(ws, "基本情况"), "基本情况")
    sections = [Section("一、基本情况", paragraphs(basic), key="basic")]
    for node in scheme.tree:
        number = fmt.cn_number(len(sections) + 1)
        with book.under(f"{number}、{node.name}"):
            sections.append(_part(ws, s, node, f"{number}、", 1))
    closing = (("合格条件和一票否决情况", "findings", lambda: _findings(s)),
               ("存在问题", "problems", lambda: _problems(ws, s)),
               ("下一步工作计划", "plans", lambda: or_placeholder(user_text(ws, "下一步工作计划"), "下一步工作计划")))
    for heading, key, texts in closing:
        heading = f"{fmt.cn_number(len(sections) + 1)}、{heading}"
        with book.under(heading):
            sections.append(Section(heading, paragraphs(texts(), keep_last=key == "plans"), key=key))
    with book.under("附件"):
        attachment = _points_table(marks[0], s)
    return ReportModel(REPORT, f"{ws.region}{kind}", f"{ws.region}{kind}.docx", TEMPLATE, opening=opening,
                       sections=tuple(sections), attachments=(attachment,), meta=signature(ws),
                       figures=tuple(book.records()), warnings=tuple(s.block.get("warnings") or ()),
                       printed_title=title_text(ws.region, kind))


# ---------------------------------------------------------------- opening

def _opening(ws, s: _Scored) -> list[str]:
    block = s.block
    notice = ws.info.get("评价通知") or placeholder("评价通知")
    document = f"（{s.scheme.document}）" if s.scheme.document else ""
    n = s.put("point_count", len(block["points"]), fmt.count)
    sentence = (f"根据{notice}要求，{ws.region}对照《{block['name']}》{document}{n}个测评点进行了认真的自查自评，"
                f"自评得分{s.put('total', block['total'])}分")
    if block["bonus"]:
        sentence += f"，另申请加分{s.put('bonus', block['bonus'])}分，合计{s.put('final', block['final'])}分"
    if block["grade"]:
        sentence += f"，自评等级为{s.put('grade', block['grade'], str)}"
    sentence += "。"
    deductions = [s.deduction(p) for p in s.deducted()]
    if deductions:
        sentence += f"其中，{'；'.join(deductions)}。"
    if block["missing"]:
        sentence += f"另有{s.put('missing_count', len(block['missing']), fmt.count)}个测评点尚未评分，未计入总分。"
    return [sentence, _verdict_sentence(s)] + user_text(ws, "前言", "总体情况") + ["现将自评情况报告如下。"]


def _verdict_sentence(s: _Scored) -> str:
    """The verdict with its grounds: each failed rule (by how much) and each triggered veto."""
    block = s.block
    verdict = s.put("verdict", block["verdict"], str)
    failures = [_rule_failure(s, i, r) for i, r in enumerate(block["pass_rules"], 1) if r["state"] == FAILED]
    failures += [f"存在「{v['name']}」情形（{_veto_reason(s, v)}），一票否决"
                 for v in block["vetoes"] if v["state"] == "triggered" and v["effect"] == FAILED]
    if failures:
        return f"对照合格条件，{'；'.join(failures)}，自评结论为{verdict}。"
    if block["verdict"] == PASSED:
        return f"对照合格条件，各项合格条件均已达到，未发生一票否决情形，自评结论为{verdict}。"
    return f"因部分测评点、合格条件或一票否决事项尚待补充说明（见本报告“合格条件和一票否决情况”），自评结论暂为{verdict}。"


def _rule_failure(s: _Scored, index: int, rule: dict) -> str:
    """差异程度得分24分，低于合格要求26分 / 初中综合差异系数为0.58，高于0.55."""
    if rule["condition"]:
        return f"{rule['label']}未达到（{_rule_reason(s, index, rule)}）"
    scope = rule["scope"] if rule["scope"] in ("总分", "最终得分") else f"{rule['scope']}得分"
    return (f"{scope}{s.put(f'pass_rules_score.{index}', rule['score'])}分，低于合格要求"
            f"{s.put(f'pass_rules_minimum.{index}', rule['at_least'])}分")


def _rule_reason(s: _Scored, index: int, rule: dict) -> str:
    """A condition rule's finding as the analysis states it ("初中综合差异系数为0.58，高于0.55")."""
    return s.put(f"pass_rules.{index}", rule["state"], lambda _: rule["reason"] or "")


def _veto_reason(s: _Scored, veto: dict) -> str:
    return s.put(f"vetoes.{veto['id']}", veto["state"], lambda _: veto["reason"] or "")


# ---------------------------------------------------------------- one part per 一级指标

def _part(ws, s: _Scored, node: "Node", prefix: str, level: int) -> Section:
    """A 一级 (level 1) or 二级 (level 2) part: its heading with 分值 and 自评得分, the user's text,
    then what its points say; a 一级 part's inner children become （一）… parts."""
    heading = f"{prefix}{node.name}（{s.section_figures(node)}）"
    inner = [c for c in node.children if not c.leaf] if level == 1 else []
    own = [c for c in node.children if c.leaf] if inner else [n for n in node.walk() if n.leaf]
    texts = user_text(ws, node.name) + _point_facts(s, own)
    if not inner:
        texts = or_placeholder(texts, f"{node.name}主要做法及成效")
    children = tuple(_part(ws, s, child, f"（{fmt.cn_number(i)}）", 2) for i, child in enumerate(inner, 1))
    return Section(heading, paragraphs(texts), children, level=level, key=f"scheme.{node.id}")


def _point_facts(s: _Scored, leaves: list["Node"]) -> list[str]:
    facts = []
    for leaf in leaves:
        point = s.points.get(leaf.id)
        if point is None or point["status"] == "不适用":
            continue
        if point["score"] is None:
            facts.append(s.to_score(point))
        elif point["score"] < point["max_score"]:
            facts.append(f"{s.deduction(point)}。")
    return facts


# ---------------------------------------------------------------- 合格条件和一票否决

def _findings(s: _Scored) -> list[str]:
    out = [_rule_line(s, i, r) for i, r in enumerate(s.block["pass_rules"], 1)]
    out += [_veto_line(s, v) for v in s.block["vetoes"]]
    return or_placeholder(out, "合格条件和一票否决情况") + [_verdict_sentence(s)]


def _rule_line(s: _Scored, index: int, rule: dict) -> str:
    label = f"合格条件“{rule['label']}”"
    if rule["condition"]:
        words = {PASSED: "已达到", FAILED: "未达到"}.get(rule["state"])
        if words is None:
            return f"{label}：{placeholder('我县' + rule['label'] + '的情况（' + rule['reason'] + '）')}"
        return f"{label}：{_rule_reason(s, index, rule)}，{words}。"
    score = s.put(f"pass_rules_score.{index}", rule["score"])
    minimum = s.put(f"pass_rules_minimum.{index}", rule["at_least"])
    scope = rule["scope"] if rule["scope"] in ("总分", "最终得分") else f"{rule['scope']}得分"
    if rule["state"] == PASSED:
        return f"{label}：{scope}{score}分，达到合格要求{minimum}分。"
    if rule["state"] == FAILED:
        short = s.put(f"pass_rules_shortfall.{index}", rule["shortfall"])
        return f"{label}：{scope}{score}分，低于合格要求{minimum}分，差{short}分，未达到。"
    return f"{label}：{scope}暂为{score}分，尚有测评点未评分，{placeholder('我县' + rule['scope'] + '未评分测评点的自评得分')}"


def _veto_line(s: _Scored, veto: dict) -> str:
    label = f"一票否决“{veto['name']}”"
    if veto["state"] == "pending":
        return f"{label}：{placeholder('我县是否存在该情形（' + veto['reason'] + '）')}"
    reason = _veto_reason(s, veto)
    effect = "一票否决" if veto["effect"] == FAILED else "降一等"
    return f"{label}：{reason}，{'存在该情形（' + effect + '）' if veto['state'] == 'triggered' else '未发生该情形'}。"


# ---------------------------------------------------------------- 存在问题

def _problems(ws, s: _Scored) -> list[str]:
    problems = [f"{s.deduction(p)}。" for p in s.deducted()]
    problems += [f"未达到合格条件：{_rule_failure(s, i, r)}。"
                 for i, r in enumerate(s.block["pass_rules"], 1) if r["state"] == FAILED]
    return or_placeholder(problems + user_text(ws, "存在问题"), "存在问题")


# ---------------------------------------------------------------- 附件 自评得分表

POINT_COLUMNS = (Column("编号", 9), Column("一级指标", 14, left=True), Column("二级指标", 14, left=True),
                 Column("测评点", 30, left=True), Column("评分细则", 30, left=True), Column("分值", 9),
                 Column("自评\n得分", 10), Column("得失分说明", 40, left=True))


def _points_table(mark: dict, s: _Scored) -> Attachment:
    where = "table:points"
    rows = []
    for leaf, above in s.scheme.leaves():  # 一级、二级指标 on every row: a page break never leaves a row unnamed
        p = s.points.get(leaf.id) or {"score": None, "status": "待填报", "reason": "测评点工作表中没有该测评点"}
        score = "—" if p["score"] is None else s.put(f"points.{leaf.id}", p["score"], fmt.score, where)
        reason = "不适用" if p["status"] == "不适用" else p.get("reason") or ("待填报" if p["score"] is None else "")
        rows.append((leaf.id, above[0].name if above else "", " › ".join(a.name for a in above[1:]), leaf.name,
                     leaf.criteria, s.put(f"points_max.{leaf.id}", leaf.max_score, fmt.score, where), score, reason))
    for b in s.block["bonus_items"]:
        node = next((n for n in s.scheme.bonus if n.id == b["id"]), None)
        score = "—" if b.get("score") is None else s.put(f"bonus_items.{b['id']}", b["score"], fmt.score, where)
        rows.append((b["id"], "加分项目", "", b["text"], node.criteria if node else "",
                     s.put(f"bonus_items_max.{b['id']}", b["max_score"], fmt.score, where), score, b.get("reason") or ""))
    block = s.block
    summary = f"另申请加分{s.put('bonus', block['bonus'], fmt.score, where)}分，合计{s.put('final', block['final'], fmt.score, where)}分，" \
              f"自评结论{s.put('verdict', block['verdict'], str, where)}"
    total = ("合计", s.put("max", block["max"], fmt.score, where), s.put("total", block["total"], fmt.score, where), summary)
    note = "注：自评得分为“—”的测评点尚未评分，未计入合计。" if s.missing() else None
    table = Table("points", POINT_COLUMNS, tuple(rows), name=mark["title"], total=total, total_span=5, note=note,
                  small=True)
    return Attachment(mark["mark"], mark["title"], (table,))

"""Scored evaluation schemes (督导评估方案, 履职评价) as data: the scheme language (docs/schemes.md).

A scheme is an indicator tree of any depth (each node 编号, 名称, 分值; leaves a 评分 rule), 加分
items under a cap, 一票否决 conditions with their effect (不合格 | 降等), 合格条件 over the total or
any subtree, and grade bands. Rules and conditions name figures of the analysis result by id
(``basic_balance.primary.composite_cv``, ``学校规模.超规模学校数``), 县级指标 values or 情况说明
statements; no threshold is written in code.

The file is read with line numbers kept; every problem found is collected and raised at once as
one ``IndicatorSystemError`` naming the file, the line and the key.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from reportgen.core.errors import IndicatorSystemError

SCHEME_KINDS = ("评估方案", "履职评价")
COMPARATORS = {"不低于": ">=", "不高于": "<=", "高于": ">", "低于": "<", "大于": ">", "小于": "<", "等于": "=="}
STATEMENT_STATES = ("达标", "未达标")
VETO_EFFECTS = ("不合格", "降等")
RULE_KINDS = ("达标得分", "按项扣分", "有则扣分", "分档扣分", "条件为零", "人工")
MANUAL = "人工"
TOTAL_SCOPES = ("总分", "最终得分")   # 总分 = sum of the tree; 最终得分 = 总分 + 加分
NOT_APPLICABLE_MODES = ("按比例折算", "不计入", "计满分")
# First segments of a figure path into the analysis result (a path may go as deep as the result).
RESULT_ROOTS = ("quality_balance", "basic_balance", "class_size", "school_size", "funding", "guarantee",
                "education_quality", "social_recognition", "vetoes", "preschool", "rectification")


# ---------------------------------------------------------------- typed scheme

@dataclass(frozen=True)
class Condition:
    """A test: a figure compared with a number, a 县级指标 value, a 情况说明 statement, or all/any of several."""

    kind: str                               # 数据 | 县级指标 | 情况说明 | 全部 | 任一
    ref: str = ""                           # figure id, 县级指标 name or 情况说明 item
    op: str | None = None                   # >= <= > < == ; None: the figure's own pass/fail
    value: float | None = None
    label: str = ""
    parts: tuple["Condition", ...] = ()
    stated: str = "达标"                    # 情况说明: the 结论 that makes the condition hold


@dataclass(frozen=True)
class Rule:
    """How a leaf is scored (方式 one of RULE_KINDS)."""

    kind: str
    figure: str = ""                        # 数据 (按项扣分, 有则扣分, 分档扣分, 达标得分 shorthand)
    condition: Condition | None = None      # 条件 (达标得分, 条件为零)
    per_item: float | None = None           # 每项扣 (按项扣分) / 每档扣 (分档扣分)
    max_deduction: float | None = None      # 最多扣
    deduction: float | None = None          # 扣 (有则扣分)
    fail_score: float = 0.0                 # 未达标得分 (达标得分)
    base: float | None = None               # 基准 (分档扣分)
    step: float | None = None               # 每超 (分档扣分)
    above: bool = True                      # 方向: 高于 (default) | 低于
    wording: str = ""                       # 说法: how the figure reads, "{值}" standing for it

    @property
    def manual(self) -> bool:
        return self.kind == MANUAL


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    max_score: float
    criteria: str = ""
    rule: Rule | None = None                # leaves only; None on a leaf means 人工
    children: tuple["Node", ...] = ()

    @property
    def leaf(self) -> bool:
        return not self.children

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Veto:
    id: str
    name: str
    condition: Condition
    effect: str                             # 不合格 | 降等


@dataclass(frozen=True)
class PassRule:
    """A 合格条件: a score (总分, 最终得分 or a subtree) at least a minimum, or a condition that must hold."""

    scope: str                              # 总分 | 最终得分 | a node 编号 or 名称; "" with a condition
    at_least: float | None
    label: str
    condition: Condition | None = None


@dataclass(frozen=True)
class Scheme:
    source: str
    kind: str                               # 评估方案 | 履职评价
    name: str
    document: str
    total: float
    bonus_cap: float
    not_applicable: str
    tree: tuple[Node, ...]
    bonus: tuple[Node, ...]
    vetoes: tuple[Veto, ...]
    pass_rules: tuple[PassRule, ...]
    grades: tuple[tuple[str, float], ...]   # (name, minimum), highest first; may be empty
    funding_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    report_title: str = ""                  # 报告名称: the self-report's kind, e.g. 义务教育基本均衡发展自评报告

    def leaves(self) -> list[tuple[Node, tuple[Node, ...]]]:
        """Every scored leaf with its ancestors (root first)."""
        out: list[tuple[Node, tuple[Node, ...]]] = []

        def visit(node: Node, above: tuple[Node, ...]) -> None:
            if node.leaf:
                out.append((node, above))
            for child in node.children:
                visit(child, above + (node,))
        for root in self.tree:
            visit(root, ())
        return out

    def find(self, key: str) -> Node | None:
        """A node of the tree by 编号 or 名称."""
        return next((n for root in self.tree for n in root.walk() if key in (n.id, n.name)), None)


# ---------------------------------------------------------------- YAML with line numbers

class _Map(dict):
    line = 0
    lines: dict

    def at(self, key: object) -> int:
        return self.lines.get(key, self.line)


class _Seq(list):
    line = 0
    lines: list


def parse_located(label: str, text: str) -> Any:
    """YAML → _Map/_Seq/scalars, each mapping and list remembering the line of every entry."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader, node):
        out = _Map()
        out.line, out.lines = node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            out[key] = loader.construct_object(value_node, deep=True)
            out.lines[key] = key_node.start_mark.line + 1
        return out

    def sequence(loader, node):
        out = _Seq(loader.construct_object(n, deep=True) for n in node.value)
        out.line, out.lines = node.start_mark.line + 1, [n.start_mark.line + 1 for n in node.value]
        return out

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else "无法解析"
        raise IndicatorSystemError(f"指标体系文件「{label}」格式不正确（{where}），请检查缩进和冒号") from exc


class _Reader:
    """Typed access to located YAML; problems are collected, not raised one by one."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[str] = []

    def fail(self, line: int, path: str, problem: str) -> None:
        self.problems.append(f"第{line}行「{path or '（顶层）'}」{problem}")

    def raise_if_any(self) -> None:
        if self.problems:
            lines = "\n".join(f"  {i}. {p}" for i, p in enumerate(self.problems, 1))
            raise IndicatorSystemError(f"指标体系文件「{self.file}」有{len(self.problems)}处问题：\n{lines}")

    def keys(self, node: Any, path: str, allowed: tuple[str, ...]) -> bool:
        if not isinstance(node, dict):
            self.fail(getattr(node, "line", 0), path, "应为“键: 值”的形式")
            return False
        for key in node:
            if key not in allowed:
                self.fail(node.at(key), join(path, key), f"不是可用的项，可用的项有：{'、'.join(allowed)}")
        return True

    def get(self, node: _Map, key: str, path: str, required: bool) -> Any:
        value = node.get(key)
        if value is None and required:
            self.fail(node.line, join(path, key), "缺失")
        return value

    def text(self, node: _Map, key: str, path: str, required: bool = True) -> str | None:
        value = self.get(node, key, path, required)
        problem = text_problem(value)
        if problem:
            self.fail(node.at(key), join(path, key), problem)
        return None if value is None or problem else str(value).strip()

    def number(self, node: _Map, key: str, path: str, required: bool = True,
               minimum: float | None = 0.0) -> float | None:
        value = self.get(node, key, path, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(node.at(key), join(path, key), f"应为数值，实际为「{value}」")
            return None
        if minimum is not None and value < minimum:
            self.fail(node.at(key), join(path, key), f"应不小于{minimum:g}，实际为{value:g}")
        return float(value)

    def choice(self, node: _Map, key: str, path: str, choices: tuple[str, ...],
               required: bool = True) -> str | None:
        value = self.text(node, key, path, required)
        if value is not None and value not in choices:
            self.fail(node.at(key), join(path, key), f"应为 {'、'.join(choices)} 之一，实际为「{value}」")
            return None
        return value

    def items(self, node: _Map, key: str, path: str, required: bool = True) -> list[tuple[Any, str]]:
        value = self.get(node, key, path, required)
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            self.fail(node.at(key), join(path, key), "应为列表（每项以“- ”开头），且至少一项")
            return []
        return [(item, f"{join(path, key)} › 第{i + 1}项{_named(item)}") for i, item in enumerate(value)]


def _named(item: object) -> str:
    """（编号 6.1） after a list position, so a message names the indicator, not only its place."""
    if isinstance(item, dict) and isinstance(item.get("编号"), (str, int, float)) and not isinstance(item.get("编号"), bool):
        return f"（编号{item['编号']}）"
    return ""


def text_problem(value: object) -> str | None:
    """Why a YAML value is not a piece of text, or None."""
    return f"应为文字，实际为「{value}」" if isinstance(value, (dict, list, bool)) else None


def join(path: str, key: object) -> str:
    return f"{path} › {key}" if path else str(key)


# ---------------------------------------------------------------- reading a scheme

_TOP_KEYS = ("体系", "名称", "文号", "报告名称", "总分", "加分上限", "不适用测评点", "等级", "指标", "加分项目",
             "一票否决", "合格条件", "经费")
_NODE_KEYS = ("编号", "名称", "分值", "评分细则", "评分", "指标")


def read_scheme(label: str, raw: Any, source: str, known_figure) -> Scheme:
    """Type a parsed scheme file; ``known_figure(id)`` tells whether a figure id exists."""
    r = _Reader(label)
    if not r.keys(raw, "", _TOP_KEYS):
        r.raise_if_any()
    kind = r.choice(raw, "体系", "", SCHEME_KINDS) or SCHEME_KINDS[0]
    total = r.number(raw, "总分", "") or 0.0
    ctx = _Context(r, known_figure)
    tree = tuple(n for n in (_node(ctx, item, where) for item, where in r.items(raw, "指标", "")) if n)
    if tree and not math.isclose(sum(n.max_score for n in tree), total, abs_tol=1e-9):
        r.fail(raw.at("指标"), "指标", f"各项分值合计为{sum(n.max_score for n in tree):g}分，与「总分」{total:g}分不符")
    bonus = tuple(n for n in (_node(ctx, item, where) for item, where in r.items(raw, "加分项目", "", False)) if n)
    _check_unique_ids(r, raw, tree + bonus)
    scheme = Scheme(
        source=source, kind=kind, name=r.text(raw, "名称", "") or label,
        document=r.text(raw, "文号", "", required=False) or "", total=total,
        report_title=r.text(raw, "报告名称", "", required=False) or "",
        bonus_cap=r.number(raw, "加分上限", "", required=False) or 0.0,
        not_applicable=r.choice(raw, "不适用测评点", "", NOT_APPLICABLE_MODES, required=False) or NOT_APPLICABLE_MODES[0],
        tree=tree, bonus=bonus, vetoes=_vetoes(ctx, raw), pass_rules=(), grades=_grades(r, raw),
        funding_keys=_funding_keys(r, raw))
    scheme = _with_pass_rules(ctx, raw, scheme)
    r.raise_if_any()
    return scheme


@dataclass
class _Context:
    r: _Reader
    known_figure: Any


def _node(ctx: _Context, raw: Any, path: str) -> Node | None:
    r = ctx.r
    if not r.keys(raw, path, _NODE_KEYS):
        return None
    max_score = r.number(raw, "分值", path) or 0.0
    children = tuple(n for n in (_node(ctx, item, where) for item, where in r.items(raw, "指标", path, False)) if n)
    if children and not math.isclose(sum(c.max_score for c in children), max_score, abs_tol=1e-9):
        r.fail(raw.at("分值"), join(path, "分值"),
               f"为{max_score:g}分，但所属下级指标分值合计为{sum(c.max_score for c in children):g}分")
    rule = None
    if raw.get("评分") is not None:
        if children:
            r.fail(raw.at("评分"), join(path, "评分"), "只能写在末级指标（没有下级「指标」的项）上")
        else:
            rule = _rule(ctx, raw["评分"], join(path, "评分"), max_score)
    return Node(id=r.text(raw, "编号", path) or "", name=r.text(raw, "名称", path) or "",
                max_score=max_score, criteria=r.text(raw, "评分细则", path, required=False) or "",
                rule=rule, children=children)


_RULE_KEYS = {"达标得分": ("数据", "条件", "未达标得分"), "按项扣分": ("数据", "每项扣", "最多扣"),
              "有则扣分": ("数据", "扣"), "分档扣分": ("数据", "基准", "每超", "每档扣", "方向", "最多扣"),
              "条件为零": ("条件",), "人工": ()}


def _rule(ctx: _Context, raw: Any, path: str, max_score: float) -> Rule | None:
    r = ctx.r
    if not isinstance(raw, dict):
        r.fail(getattr(raw, "line", 0), path, "应为“键: 值”的形式，如 {方式: 按项扣分, 数据: 学校规模.超规模学校数, 每项扣: 1}")
        return None
    kind = r.choice(raw, "方式", path, RULE_KINDS)
    if kind is None:
        return None
    r.keys(raw, path, ("方式", "说法") + _RULE_KEYS[kind])
    figure = ""
    if "数据" in _RULE_KEYS[kind] and (kind != "达标得分" or "条件" not in raw):
        figure = _figure(ctx, raw, "数据", path) or ""
        if kind in ("按项扣分", "有则扣分", "分档扣分") and ctx.known_figure(figure) == "pass":
            r.fail(raw.at("方式"), join(path, "方式"), f"「{kind}」需要计数或数值类的数据，「{figure}」只有达标与否")
    condition = None
    if kind in ("达标得分", "条件为零") and (kind == "条件为零" or "条件" in raw):
        condition = _condition(ctx, raw.get("条件"), join(path, "条件"), raw.at("条件"))
    number = lambda key, required=False: r.number(raw, key, path, required)  # noqa: E731
    above = r.choice(raw, "方向", path, ("高于", "低于"), required=False) != "低于"
    return Rule(kind=kind, figure=figure, condition=condition,
                per_item=number("每项扣", kind == "按项扣分") if kind != "分档扣分" else number("每档扣", True),
                max_deduction=number("最多扣"), deduction=number("扣", kind == "有则扣分"),
                fail_score=number("未达标得分") or 0.0, base=number("基准", kind == "分档扣分") if kind == "分档扣分" else None,
                step=_positive(r, raw, "每超", path) if kind == "分档扣分" else None, above=above,
                wording=r.text(raw, "说法", path, required=False) or "")


def _positive(r: _Reader, raw: _Map, key: str, path: str) -> float | None:
    value = r.number(raw, key, path)
    if value is not None and value <= 0:
        r.fail(raw.at(key), join(path, key), "应大于0")
    return value


def _figure(ctx: _Context, raw: _Map, key: str, path: str) -> str | None:
    figure = ctx.r.text(raw, key, path)
    if figure is not None and not ctx.known_figure(figure):
        ctx.r.fail(raw.at(key), join(path, key),
                   f"「{figure}」不是分析结果中的数据：应为命名的结果（如 学校规模.超规模学校数），"
                   f"或以 {'、'.join(RESULT_ROOTS)} 开头的数据路径")
        return None
    return figure


_CONDITION_KEYS = ("数据", "县级指标", "情况说明", "结论", "全部", "任一", "名称") + tuple(COMPARATORS)


def _condition(ctx: _Context, raw: Any, path: str, line: int) -> Condition | None:
    r = ctx.r
    if raw is None:
        r.fail(line, path, "缺失")
        return None
    if not r.keys(raw, path, _CONDITION_KEYS):
        return None
    sources = [k for k in ("数据", "县级指标", "情况说明", "全部", "任一") if k in raw]
    if len(sources) != 1:
        r.fail(raw.line, path, "应恰好写一项：数据、县级指标、情况说明、全部 或 任一")
        return None
    kind = sources[0]
    label = r.text(raw, "名称", path, required=False) or ""
    if kind in ("全部", "任一"):
        parts = tuple(c for c in (_condition(ctx, item, where, getattr(item, "line", raw.at(kind)))
                                  for item, where in r.items(raw, kind, path)) if c)
        return Condition(kind, label=label, parts=parts)
    ops = [k for k in COMPARATORS if k in raw]
    if len(ops) > 1:
        r.fail(raw.line, path, f"只能写一个比较（{'、'.join(ops)} 同时出现）")
    op = COMPARATORS[ops[0]] if ops else None
    value = r.number(raw, ops[0], path, minimum=None) if ops else None
    if kind == "情况说明":
        if ops:
            r.fail(raw.at(ops[0]), join(path, ops[0]), "情况说明条件不比较数值，结论为「达标」即成立")
        wanted = r.choice(raw, "结论", path, STATEMENT_STATES, required=False) or STATEMENT_STATES[0]
        return Condition(kind, ref=r.text(raw, kind, path) or "", label=label, stated=wanted)
    if "结论" in raw:
        r.fail(raw.at("结论"), join(path, "结论"), "只用于「情况说明」条件")
    if kind == "县级指标" and op is None:
        r.fail(raw.line, path, f"县级指标条件应写一个比较，如 大于: 0（可用的比较：{'、'.join(COMPARATORS)}）")
    ref = _figure(ctx, raw, "数据", path) if kind == "数据" else r.text(raw, kind, path)
    return Condition(kind, ref=ref or "", op=op, value=value, label=label)


def _vetoes(ctx: _Context, raw: _Map) -> tuple[Veto, ...]:
    r, out = ctx.r, []
    for item, where in r.items(raw, "一票否决", "", required=False):
        if not r.keys(item, where, ("编号", "名称", "条件", "效果")):
            continue
        condition = _condition(ctx, item.get("条件"), join(where, "条件"), item.at("条件"))
        effect = r.choice(item, "效果", where, VETO_EFFECTS, required=False) or VETO_EFFECTS[0]
        if condition is not None:
            out.append(Veto(r.text(item, "编号", where) or "", r.text(item, "名称", where) or "", condition, effect))
    return tuple(out)


def _with_pass_rules(ctx: _Context, raw: _Map, scheme: Scheme) -> Scheme:
    r, rules = ctx.r, []
    for item, where in r.items(raw, "合格条件", "", required=False):
        if not r.keys(item, where, ("范围", "不低于", "名称", "条件")):
            continue
        if "条件" in item:
            condition = _condition(ctx, item["条件"], join(where, "条件"), item.at("条件"))
            if "范围" in item or "不低于" in item:
                r.fail(item.line, where, "应写「条件」，或写「范围」和「不低于」，二者选一")
            elif condition is not None:
                rules.append(PassRule("", None, r.text(item, "名称", where) or condition.label or where, condition))
            continue
        scope = r.text(item, "范围", where) or TOTAL_SCOPES[0]
        at_least = r.number(item, "不低于", where) or 0.0
        node = scheme.find(scope)
        if scope not in TOTAL_SCOPES and node is None:
            r.fail(item.at("范围"), join(where, "范围"),
                   f"「{scope}」既不是 {'、'.join(TOTAL_SCOPES)}，也不是本方案中指标的编号或名称")
            continue
        name = scope if node is None else node.name
        label = r.text(item, "名称", where, required=False) or f"{name}得分不低于{at_least:g}分"
        rules.append(PassRule(scope, at_least, label))
    return Scheme(**{**scheme.__dict__, "pass_rules": tuple(rules)})


def _grades(r: _Reader, raw: _Map) -> tuple[tuple[str, float], ...]:
    grades = []
    for item, where in r.items(raw, "等级", "", required=False):
        if r.keys(item, where, ("名称", "最低分")):
            grades.append((r.text(item, "名称", where) or "", r.number(item, "最低分", where) or 0.0))
    minima = [m for _, m in grades]
    if grades and (minima != sorted(minima, reverse=True) or len(set(minima)) != len(minima)):
        r.fail(raw.at("等级"), "等级", "应按最低分从高到低排列，且最低分互不相同")
    elif grades and minima[-1] > 0:
        r.fail(raw.at("等级"), "等级", "最后一个等级的最低分应为0，使任何得分都有等级")
    return tuple(grades)


def _check_unique_ids(r: _Reader, raw: _Map, nodes: tuple[Node, ...]) -> None:
    ids = [n.id for root in nodes for n in root.walk()]
    for duplicate in dict.fromkeys(i for i in ids if ids.count(i) > 1):
        r.fail(raw.at("指标"), "指标", f"中的编号「{duplicate}」重复（编号在指标和加分项目中应唯一）")


def _funding_keys(r: _Reader, raw: _Map) -> dict[str, tuple[str, ...]]:
    node = raw.get("经费")
    growth = node.get("三个增长") if isinstance(node, dict) else None
    if node is not None and not isinstance(growth, dict):
        r.fail(raw.at("经费"), "经费", "应包含「三个增长」下的各项县级指标名称")
        return {}
    return {str(k): tuple(v if isinstance(v, list) else [v]) for k, v in (growth or {}).items()}

"""Figures, conditions and scoring rules of the scheme language (systems/schemes.py), evaluated.

A figure id is either a named result (``学校规模.超规模学校数``, computed in scoring.measures) or a
path into the analysis result (``basic_balance.primary.composite_cv``; a list element is chosen
by its ``id``, ``[字段=值]`` keeps the matching elements of a list, a list counts its elements).
Every evaluation gives a value with the phrase that states it, or None with the reason.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass

from reportgen.analysis.common import PASS, PENDING, g
from reportgen.analysis.county import as_ratio
from reportgen.systems.indicators import ScoringRule
from reportgen.systems.schemes import STATEMENT_STATES, Condition, Rule

_ROUND = 10  # scores are sums of decimal points: round away binary noise (2.3000000000000003)
_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq}
_OP_WORDS = {">=": "不低于", "<=": "不高于", ">": "高于", "<": "低于", "==": "等于"}
_NOT_WORDS = {">=": "低于", "<=": "高于", ">": "不高于", "<": "不低于", "==": "不等于"}


@dataclass(frozen=True)
class Measure:
    """A computed result a rule can use: a count, a pass/fail or a number, with its phrase."""

    count: int | None = None
    ok: bool | None = None
    phrase: str = ""
    reason: str | None = None   # why it could not be computed
    value: float | None = None
    figures: tuple[tuple[str, float, str], ...] = ()   # (figure id, value, text) printed in ``phrase``, in order

    @property
    def known(self) -> bool:
        return self.count is not None or self.ok is not None or self.value is not None

    @property
    def number(self) -> float | None:
        return float(self.count) if self.count is not None else self.value


@dataclass(frozen=True)
class Test:
    """A condition's outcome: holds True/False, or None (待说明) with the reason."""

    holds: bool | None
    phrase: str


class Figures:
    """Resolves figure ids against the analysis result, the named measures, 县级指标 and 情况说明."""

    def __init__(self, result: dict | None = None, named: dict[str, Measure] | None = None,
                 county=None, statements: dict[str, str] | None = None):
        self.result, self.named = result or {}, named or {}
        self.county, self.statements = county, statements or {}

    def get(self, figure: str) -> Measure | None:
        if figure in self.named:
            return self.named[figure]
        if not self.result:
            return None
        found, reason = resolve(self.result, figure)
        return _as_measure(found, reason, figure)

    def county_value(self, name: str, ratio: bool = False) -> Measure:
        """A 县级指标 value; ``ratio``: read as a proportion (单位 %, or a bare value above 1 as percent)."""
        item = self.county.find((name,)) if self.county is not None else None
        if item is None:
            return Measure(reason=f"「县级指标」工作表未填报「{name}」")
        if not ratio:
            return Measure(value=float(item.value), phrase=f"{item.name}为{g(item.value)}")
        value, problem = as_ratio(item)
        if value is None:
            return Measure(reason=problem)
        return Measure(value=value, phrase=f"{item.name}为{percent(value)}")

    def statement(self, item: str) -> str | None:
        return self.statements.get(item)


def resolve(result: dict, figure: str) -> tuple[object, str | None]:
    """The value at a figure path, or (None, why)."""
    node: object = result
    for segment in figure.split("."):
        segment, wanted = _filter(segment)
        if isinstance(node, dict) and segment in node:
            node = node[segment]
        elif isinstance(node, list) and any(isinstance(e, dict) and str(e.get("id")) == segment for e in node):
            node = next(e for e in node if isinstance(e, dict) and str(e.get("id")) == segment)
        else:
            return None, f"分析结果中没有数据「{figure}」（找不到「{segment}」）"
        if wanted is not None:
            if not isinstance(node, list):
                return None, f"数据「{figure}」中「{segment}」不是列表，不能筛选"
            node = [e for e in node if isinstance(e, dict) and _plain(e.get(wanted[0])) == wanted[1]]
    return node, None


def _filter(segment: str) -> tuple[str, tuple[str, str] | None]:
    if not segment.endswith("]") or "[" not in segment:
        return segment, None
    name, _, test = segment[:-1].partition("[")
    key, _, value = test.partition("=")
    return name, (key.strip(), value.strip())


def _plain(value: object) -> str:
    return {True: "true", False: "false", None: "null"}.get(value, str(value)) if isinstance(value, (bool, type(None))) \
        else g(value) if isinstance(value, float) else str(value)


def _as_measure(found: object, reason: str | None, figure: str) -> Measure:
    if reason is not None:
        return Measure(reason=reason)
    if isinstance(found, list):
        return Measure(count=len(found), phrase=f"{figure}共{len(found)}项")
    if isinstance(found, bool):
        return Measure(ok=found, phrase=f"{figure}{'达标' if found else '未达标'}")
    if isinstance(found, (int, float)) and not (isinstance(found, float) and math.isnan(found)):
        return Measure(value=float(found), phrase=f"{figure}为{g(found)}")
    if isinstance(found, dict) and "status" in found:
        if found["status"] == PENDING:
            return Measure(reason=found.get("reason"))
        return Measure(ok=found["status"] == PASS, phrase=found.get("reason") or "")
    if isinstance(found, dict) and "ok" in found:
        ok = found["ok"]
        return Measure(reason=found.get("reason") or f"数据「{figure}」无法计算") if ok is None else \
            Measure(ok=bool(ok), phrase=found.get("reason") or f"{figure}{'达标' if ok else '未达标'}")
    return Measure(reason=f"数据「{figure}」无法计算（数据缺失）")


# ---------------------------------------------------------------- conditions

def test(condition: Condition, figures: Figures) -> Test:
    """Whether a condition holds (None: cannot be told yet), with the phrase stating why."""
    if condition.kind in ("全部", "任一"):
        return _combine(condition, [test(c, figures) for c in condition.parts])
    if condition.kind == "情况说明":
        stated = figures.statement(condition.ref)
        label = condition.label or condition.ref
        if stated not in STATEMENT_STATES:
            return Test(None, f"「情况说明」尚未说明「{label}」（待说明）")
        return Test(stated == condition.stated, f"{label}：{stated}（情况说明）")
    found: Measure | None
    if condition.kind == "县级指标":
        found = figures.county_value(condition.ref, ratio=condition.value is not None and 0 < condition.value <= 1)
    else:
        found = figures.get(condition.ref)
    if found is None or not found.known:
        return Test(None, (found.reason if found else None) or f"无法取得数据「{condition.ref}」")
    return _compare(condition, found)


def _compare(condition: Condition, found: Measure) -> Test:
    label = condition.label
    if condition.op is None:
        holds = found.ok if found.ok is not None else found.number == 0
        return Test(holds, found.phrase)
    value = condition.value
    if found.number is None or value is None:
        return Test(None, f"{label or condition.ref}只有达标与否，不能与数值比较")
    holds = _OPS[condition.op](round(found.number, _ROUND), value)
    phrase = f"{label}为{g(found.number)}" if label else found.phrase
    words = _OP_WORDS if holds else _NOT_WORDS
    ratio = condition.kind == "县级指标" and 0 < value <= 1
    return Test(holds, f"{phrase}，{words[condition.op]}{percent(value) if ratio else g(value)}")


def percent(ratio: float) -> str:
    """0.035 → 3.5%, full precision of the entry kept, binary noise dropped."""
    return f"{g(round(ratio * 100, 6))}%"


def _combine(condition: Condition, parts: list[Test]) -> Test:
    want_all = condition.kind == "全部"
    decisive = [t for t in parts if t.holds is (not want_all)]
    if decisive:
        return Test(not want_all, "；".join(t.phrase for t in decisive))
    if any(t.holds is None for t in parts):
        return Test(None, "；".join(t.phrase for t in parts if t.holds is None))
    return Test(want_all, "；".join(t.phrase for t in parts))


# ---------------------------------------------------------------- scoring rules

def propose(rule: ScoringRule, max_score: float, found: Measure | None) -> tuple[float | None, str]:
    """The proposed score of a computed 测评点 over one measure and its reason, or (None, why not)."""
    if found is None:
        return None, f"无法取得计算依据「{rule.measure}」"
    if not found.known:
        return None, found.reason or "数据不足"
    if rule.rule == "达标得分":
        ok = found.ok if found.ok is not None else found.number == 0
        deduction = 0.0 if ok else max_score - rule.fail_score
    elif rule.rule == "每项扣分":
        deduction = (found.number or 0.0) * (rule.per_item or 0.0)
        if rule.max_deduction is not None:
            deduction = min(deduction, rule.max_deduction)
    else:
        deduction = (rule.deduction or 0.0) if found.number else 0.0
    return _scored(max_score, deduction, found.phrase)


def _scored(max_score: float, deduction: float, phrase: str) -> tuple[float, str]:
    deduction = round(min(max(deduction, 0.0), max_score), _ROUND)
    tail = f"扣{g(deduction)}分" if deduction else "得满分"
    return round(max_score - deduction, _ROUND), f"{phrase}，{tail}" if phrase else tail


class _Worded:
    """Figures whose rule figure is phrased by the rule's 说法 ("{值}所小学资源配置未达标")."""

    def __init__(self, figures, rule: Rule):
        self.figures, self.rule = figures, rule

    def get(self, figure: str) -> Measure | None:
        found = self.figures.get(figure)
        if found is None or figure != self.rule.figure or found.number is None:
            return found
        return Measure(count=found.count, ok=found.ok, value=found.value,
                       phrase=self.rule.wording.replace("{值}", g(found.number)))

    def __getattr__(self, name):
        return getattr(self.figures, name)


def score_rule(point: ScoringRule, max_score: float, figures) -> tuple[float | None, str]:
    """The proposed score of a leaf under its scheme rule (``point.spec``), or (None, why not)."""
    rule: Rule = point.spec
    figures = _Worded(figures, rule) if rule.wording else figures
    if rule.condition is not None:
        outcome = test(rule.condition, figures)
        if outcome.holds is None:
            return None, outcome.phrase
        if rule.kind == "条件为零":
            return _scored(max_score, max_score if outcome.holds else 0.0, outcome.phrase)
        return _scored(max_score, 0.0 if outcome.holds else max_score - rule.fail_score, outcome.phrase)
    found = figures.get(rule.figure)
    if rule.kind != "分档扣分":
        return propose(point, max_score, found)
    if found is None or found.number is None:
        return None, (found.reason if found else None) or f"无法取得计算依据「{rule.figure}」"
    base, step, per_step = rule.base or 0.0, rule.step or 1.0, rule.per_item or 0.0  # required for 分档扣分
    excess = (found.number - base) if rule.above else (base - found.number)
    steps = math.ceil(round(excess / step, 6)) if excess > 0 else 0
    deduction = steps * per_step
    if rule.max_deduction is not None:
        deduction = min(deduction, rule.max_deduction)
    side = "超过" if rule.above else "低于"
    phrase = f"{found.phrase}（{side}{g(base)}共{steps}档，每档扣{g(per_step)}分）" if steps else found.phrase
    return _scored(max_score, deduction, phrase)

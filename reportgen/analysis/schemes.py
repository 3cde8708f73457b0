"""Scoring a scheme (systems/schemes.py): section scores, vetoes, pass rules, verdict, grade.

The leaves, totals and 加分 are scored by scoring.score_duty on the scheme's 履职 view (so a 履职
scheme and any 督导评估方案 score their 测评点 the same way); this module adds what a scheme says on
top: the score of every subtree, each 一票否决 (triggered | clear | pending, with its reason), each
合格条件 (met | failed by how much | pending), the verdict (合格 | 不合格 | 待定) and the grade.
"""
from __future__ import annotations

import pandas as pd

from reportgen.analysis.common import g
from reportgen.analysis.scheme_rules import _ROUND, Figures, test
from reportgen.analysis.scoring import apply_vetoes, grade_for, score_duty
from reportgen.systems.indicators import duty_view
from reportgen.systems.schemes import TOTAL_SCOPES, Node, PassRule, Scheme

PASSED, FAILED, UNDECIDED = "合格", "不合格", "待定"
TRIGGERED, CLEAR, PENDING_STATE = "triggered", "clear", "pending"
_STATE_WORDS = {TRIGGERED: "存在", CLEAR: "未发生", PENDING_STATE: "待说明"}


def statements(ws) -> dict[str, str]:
    """情况说明 rows (指标 → 结论) when the workspace has that sheet; otherwise none (all 待说明)."""
    frame = ws.tables.get("情况说明")
    if frame is None or frame.empty or not {"指标", "结论"} <= set(frame.columns):
        return {}
    return {str(r["指标"]).strip(): str(r["结论"]).strip() for r in frame.to_dict("records")
            if isinstance(r.get("指标"), str) and isinstance(r.get("结论"), str)}


def score_scheme(scheme: Scheme, points: pd.DataFrame, figures: Figures, scored: dict | None = None) -> dict:
    """The ``schemes.<name>`` block; ``scored`` is the scheme's score_duty block when already computed."""
    block = scored or score_duty(points, duty_view(scheme), figures, [])
    leaves = {p["id"]: p for p in block["points"]}
    sections = {n.name: _section(n, leaves, depth) for depth, n in _inner_nodes(scheme.tree)}
    vetoes = [_veto(v, figures) for v in scheme.vetoes]
    rules = [_pass_rule(rule, scheme, block, leaves, figures) for rule in scheme.pass_rules]
    grade_before = grade_for(block["final"], scheme.grades) if scheme.grades else None
    grade = apply_vetoes(grade_before or "", [{"triggered": v["state"] == TRIGGERED,
                                         "action": "一票否决" if v["effect"] == FAILED else "降一等"}
                                        for v in vetoes], scheme.grades) if scheme.grades else None
    failed = [_failure(r) for r in rules if r["state"] == FAILED]
    failed += [f"一票否决：{v['name']}（{v['reason']}）" for v in vetoes if v["state"] == TRIGGERED and v["effect"] == FAILED]
    return {
        "name": scheme.name, "source": scheme.source, "document": scheme.document,
        "total": block["total"], "max": scheme.total, "bonus": block["bonus"], "bonus_cap": scheme.bonus_cap,
        "final": block["final"], "complete": block["complete"], "missing": block["missing"],
        "sections": sections,
        "points": [{k: p[k] for k in ("id", "text", "max_score", "score", "status", "reason")} for p in block["points"]],
        "bonus_items": block["bonus_items"],
        "vetoes": vetoes, "pass_rules": rules,
        "verdict": _verdict(scheme, rules, vetoes, failed, grade, block["complete"]),
        "grade_before_vetoes": grade_before, "grade": grade, "failed_rules": failed,
        "pending": _pending(rules, vetoes, block), "warnings": block["warnings"],
    }


def _inner_nodes(tree: tuple[Node, ...], depth: int = 1):
    for node in tree:
        if not node.leaf:
            yield depth, node
            yield from _inner_nodes(node.children, depth + 1)


def _subtree(node: Node, leaves: dict[str, dict]) -> list[dict]:
    return [leaves[n.id] for n in node.walk() if n.leaf and n.id in leaves]


def _section(node: Node, leaves: dict[str, dict], depth: int) -> dict:
    own = [p for p in _subtree(node, leaves) if p["status"] != "不适用"]
    return {"id": node.id, "level": depth, "max": node.max_score,
            "score": round(sum(p["score"] or 0.0 for p in own), _ROUND),
            "complete": all(p["score"] is not None for p in own),
            "missing": [p["id"] for p in own if p["score"] is None],
            "points": [p["id"] for p in _subtree(node, leaves)]}


def _veto(veto, figures: Figures) -> dict:
    outcome = test(veto.condition, figures)
    state = {True: TRIGGERED, False: CLEAR, None: PENDING_STATE}[outcome.holds]
    return {"id": veto.id, "name": veto.name, "effect": veto.effect, "state": state,
            "status": _STATE_WORDS[state], "reason": outcome.phrase}


def _failure(rule: dict) -> str:
    if rule["condition"]:
        return f"{rule['label']}（{rule['reason']}）"
    return f"{rule['label']}（实得{g(rule['score'])}分，差{g(rule['shortfall'])}分）"


def _pass_rule(rule: PassRule, scheme: Scheme, block: dict, leaves: dict[str, dict], figures: Figures) -> dict:
    """A 合格条件: met, failed (with the shortfall) or pending (scores still missing could decide it)."""
    if rule.condition is not None:
        outcome = test(rule.condition, figures)
        state = {True: PASSED, False: FAILED, None: UNDECIDED}[outcome.holds]
        return {"label": rule.label, "scope": None, "at_least": None, "score": None, "state": state,
                "shortfall": None, "condition": True, "reason": outcome.phrase}
    if rule.scope in TOTAL_SCOPES:
        score = block["total"] if rule.scope == TOTAL_SCOPES[0] else block["final"]
        open_max = sum(leaves[i]["max_score"] for i in block["missing"])
    else:
        node = scheme.find(rule.scope)
        assert node is not None, rule.scope  # the parser checked every scope names a node
        section = _section(node, leaves, 0)
        score, open_max = section["score"], sum(leaves[i]["max_score"] for i in section["missing"])
    shortfall = round(max(rule.at_least - score, 0.0), _ROUND)
    state = PASSED if score >= rule.at_least else FAILED if score + open_max < rule.at_least else UNDECIDED
    return {"label": rule.label, "scope": rule.scope, "at_least": rule.at_least, "score": score,
            "state": state, "shortfall": shortfall if state == FAILED else 0.0, "condition": False,
            "reason": f"{rule.scope}{'' if rule.scope in TOTAL_SCOPES else '得分'}{g(score)}分"}


def _verdict(scheme: Scheme, rules: list[dict], vetoes: list[dict], failed: list[str],
             grade: str | None, complete: bool) -> str:
    """不合格 when a rule fails or a 不合格 veto holds; 待定 while anything could still change it."""
    if failed:
        return FAILED
    if not rules and scheme.grades and grade == scheme.grades[-1][0] and complete:
        return FAILED
    blocking = [v for v in vetoes if v["effect"] == FAILED and v["state"] == PENDING_STATE]
    if blocking or any(r["state"] == UNDECIDED for r in rules) or not complete:
        return UNDECIDED
    return PASSED


def _pending(rules: list[dict], vetoes: list[dict], block: dict) -> list[str]:
    """What keeps the verdict open, in words."""
    out = [f"一票否决「{v['name']}」待说明：{v['reason']}" for v in vetoes if v["state"] == PENDING_STATE]
    out += [f"{r['label']}尚待评定（{r['reason']}）" for r in rules if r["state"] == UNDECIDED]
    if block["missing"]:
        out.append(f"测评点{'、'.join(block['missing'])}尚未评分")
    return out

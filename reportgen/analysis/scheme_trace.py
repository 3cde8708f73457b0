"""``explain`` for the figures of a scored scheme: ``schemes.<名称>.<total|final|bonus|verdict|grade>``,
``schemes.<名称>.sections.<指标名称>``, ``.points.<编号>``, ``.vetoes.<编号>``, ``.pass_rules.<序号>``."""
from __future__ import annotations

from reportgen.analysis.common import g

TOTALS = ("total", "final", "bonus", "verdict", "grade")


def scheme_figure_ids(schemes: dict) -> list[str]:
    ids: list[str] = []
    for name, block in schemes.items():
        ids += [f"schemes.{name}.{t}" for t in TOTALS]
        ids += [f"schemes.{name}.sections.{s}" for s in block["sections"]]
        ids += [f"schemes.{name}.points.{p['id']}" for p in block["points"]]
        ids += [f"schemes.{name}.vetoes.{v['id']}" for v in block["vetoes"]]
        ids += [f"schemes.{name}.pass_rules.{i}" for i in range(1, len(block["pass_rules"]) + 1)]
    return ids


def scheme_text(ws, block: dict, parts: list[str]) -> str | None:
    """The working behind one scheme figure, or None for an unknown id."""
    if len(parts) == 1 and parts[0] in TOTALS:
        return _totals(block)
    if len(parts) != 2:
        return None
    kind, key = parts
    if kind == "sections" and key in block["sections"]:
        return _section(block, key)
    if kind == "points":
        point = next((p for p in block["points"] if p["id"] == key), None)
        return None if point is None else (f"{block['name']} 第{point['id']}项：{point['text']}（{g(point['max_score'])}分）\n"
                                           f"结果：{point['status']}，得分 {_score(point['score'])}；{point['reason'] or ''}")
    if kind == "vetoes":
        veto = next((v for v in block["vetoes"] if v["id"] == key), None)
        return None if veto is None else f"一票否决：{veto['name']}（效果：{veto['effect']}）\n结论：{veto['status']}；{veto['reason']}"
    if kind == "pass_rules" and key.isdigit() and 1 <= int(key) <= len(block["pass_rules"]):
        return _rule(block["pass_rules"][int(key) - 1])
    return None


def _score(value) -> str:
    return "（未评分）" if value is None else g(value)


def _section(block: dict, name: str) -> str:
    section = block["sections"][name]
    own = [p for p in block["points"] if p["id"] in _leaf_ids(block, section)]
    lines = [f"{name}（编号{section['id']}，{g(section['max'])}分）= 所属末级指标得分之和 = {_score(section['score'])}"]
    if section["missing"]:
        lines.append(f"尚未评分：{'、'.join(section['missing'])}")
    return "\n".join(lines + [f"  {p['id']} {p['text']}：{_score(p['score'])}" for p in own])


def _leaf_ids(block: dict, section: dict) -> set[str]:
    return set(section.get("points", ())) or {p["id"] for p in block["points"]}


def _rule(rule: dict) -> str:
    words = {"合格": "满足", "不合格": "未满足", "待定": "尚待评定"}[rule["state"]]
    tail = f"，差{g(rule['shortfall'])}分" if rule["state"] == "不合格" and not rule["condition"] else ""
    return f"合格条件：{rule['label']}\n结论：{words}（{rule['reason']}{tail}）"


def _totals(block: dict) -> str:
    lines = [f"{block['name']}：总分 {g(block['total'])}（满分{g(block['max'])}）"
             f" + 加分 {g(block['bonus'])}（上限{g(block['bonus_cap'])}）= {g(block['final'])}"]
    lines += [_rule(r).replace("\n", "；") for r in block["pass_rules"]]
    lines += [f"一票否决「{v['name']}」：{v['status']}（{v['reason']}）" for v in block["vetoes"]]
    lines.append(f"结论：{block['verdict']}" + (f"；等级：{block['grade']}" if block["grade"] else ""))
    lines += [f"未通过：{f}" for f in block["failed_rules"]] + [f"待定：{p}" for p in block["pending"]]
    return "\n".join(lines)

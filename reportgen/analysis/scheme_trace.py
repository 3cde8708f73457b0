"""``explain`` for the figures of a scored scheme: ``schemes.<名称>.<total|final|bonus|verdict|grade|max|point_count>``,
``schemes.<名称>.sections.<指标名称>`` (and ``sections_max``), ``.points.<编号>`` (and ``points_max``,
``points_lost``), ``.bonus_items.<编号>`` (and ``bonus_items_max``), ``.vetoes.<编号>``,
``.pass_rules.<序号>`` (and ``pass_rules_score``, ``pass_rules_minimum``, ``pass_rules_shortfall``)."""
from __future__ import annotations

from reportgen.analysis.common import g

TOTALS = ("total", "final", "bonus", "verdict", "grade", "max", "point_count", "missing_count")
# Companion figures of a section, a point, a 加分 item and a 合格条件, explained as their main figure.
COMPANIONS = {"sections_max": "sections", "points_max": "points", "points_lost": "points",
              "bonus_items_max": "bonus_items", "pass_rules_score": "pass_rules",
              "pass_rules_minimum": "pass_rules", "pass_rules_shortfall": "pass_rules"}


def scheme_figure_ids(schemes: dict) -> list[str]:
    ids: list[str] = []
    for name, block in schemes.items():
        ids += [f"schemes.{name}.{t}" for t in TOTALS]
        keys = {"sections": list(block["sections"]), "points": [p["id"] for p in block["points"]],
                "bonus_items": [b["id"] for b in block["bonus_items"]], "vetoes": [v["id"] for v in block["vetoes"]],
                "pass_rules": [str(i) for i in range(1, len(block["pass_rules"]) + 1)]}
        for kind in (*keys, *COMPANIONS):
            ids += [f"schemes.{name}.{kind}.{key}" for key in keys[COMPANIONS.get(kind, kind)]]
    return ids


def scheme_text(ws, block: dict, parts: list[str]) -> str | None:
    """The working behind one scheme figure, or None for an unknown id."""
    if len(parts) == 1 and parts[0] in TOTALS:
        return _totals(block)
    if len(parts) != 2:
        return None
    kind, key = COMPANIONS.get(parts[0], parts[0]), parts[1]
    if kind == "bonus_items":
        item = next((b for b in block["bonus_items"] if b["id"] == key), None)
        return None if item is None else (f"{block['name']} 加分项目{item['id']}：{item['text']}（最多{g(item['max_score'])}分）\n"
                                          f"申请加分 {_score(item.get('score'))}；{item.get('reason') or ''}")
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
             f" + 加分 {g(block['bonus'])}（上限{g(block['bonus_cap'])}）= {g(block['final'])}",
             f"测评点（末级指标）共{len(block['points'])}个，尚未评分{len(block['missing'])}个"]
    lines += [_rule(r).replace("\n", "；") for r in block["pass_rules"]]
    lines += [f"一票否决「{v['name']}」：{v['status']}（{v['reason']}）" for v in block["vetoes"]]
    lines.append(f"结论：{block['verdict']}" + (f"；等级：{block['grade']}" if block["grade"] else ""))
    lines += [f"未通过：{f}" for f in block["failed_rules"]] + [f"待定：{p}" for p in block["pending"]]
    return "\n".join(lines)


# ---------------------------------------------------------------- Chinese names (analysis/labels.py)

_TOTAL_LABELS = {"total": "自评得分", "final": "最终得分（含加分）", "bonus": "加分", "verdict": "自评结论",
                 "grade": "自评等级", "max": "满分", "point_count": "测评点数",
                 "missing_count": "尚未评分测评点数"}
_KIND_LABELS = {"sections": "{}得分", "sections_max": "{}分值", "points": "测评点{}得分", "points_max": "测评点{}分值",
                "points_lost": "测评点{}扣分", "bonus_items": "加分项目{}加分", "bonus_items_max": "加分项目{}分值",
                "vetoes": "一票否决「{}」", "pass_rules": "合格条件{}结论", "pass_rules_score": "合格条件{}实得分",
                "pass_rules_minimum": "合格条件{}要求分", "pass_rules_shortfall": "合格条件{}差分"}


def scheme_label(parts: list[str], schemes: dict) -> str | None:
    """The Chinese name of a ``schemes.…`` figure id split at its dots."""
    if len(parts) < 3 or parts[0] != "schemes":
        return None
    rest = ".".join(parts[1:])
    name = max((n for n in schemes if rest.startswith(n + ".")), key=len, default=None)
    if name is None:
        return None
    kind, _, key = rest[len(name) + 1:].partition(".")
    if not key:
        return f"{name}{_TOTAL_LABELS[kind]}" if kind in _TOTAL_LABELS else None
    if kind == "vetoes":
        key = next((v["name"] for v in schemes[name]["vetoes"] if v["id"] == key), key)
    return f"{name}{_KIND_LABELS[kind].format(key)}" if kind in _KIND_LABELS else None

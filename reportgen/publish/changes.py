"""变更说明: which inputs changed between two builds and which printed figures they moved."""
from __future__ import annotations

from reportgen.reports.model import ReportModel
from reportgen.core.values import shown
from reportgen.core.workspace import Workspace

CHANGE_TEMPLATE = "变更说明.docx"


def figure_changes(old: list[dict], new: list[dict]) -> list[dict]:
    """Figures whose printed value changed, appeared or disappeared, with every place they stand."""
    before, after = _by_id(old), _by_id(new)
    changed = []
    for fig_id in sorted(before.keys() | after.keys()):
        was, now = before.get(fig_id), after.get(fig_id)
        if was and now and was[0]["value"] == now[0]["value"] and was[0]["text"] == now[0]["text"]:
            continue
        places = now or was
        changed.append({
            "id": fig_id,
            "label": places[0].get("label") or fig_id,
            "old": was[0]["text"] if was else None,
            "new": now[0]["text"] if now else None,
            "old_value": was[0]["value"] if was else None,
            "new_value": now[0]["value"] if now else None,
            "places": sorted({_place(p) for p in places}),
        })
    return changed


def _by_id(figures: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for fig in figures:
        grouped.setdefault(fig["id"], []).append(fig)
    return grouped


# How places are named in a 变更说明: report ids and the builders' table and chart keys.
REPORT_NAMES = {"履职自评": "履行教育职责自评报告", "优质均衡": "优质均衡发展自评报告", "整改报告": "整改报告"}
PLACE_NAMES = {
    "sentence": "正文",
    "table:points": "自评得分表", "table:guarantee": "政府保障程度表", "table:quality": "教育质量表",
    "table:primary_indicators": "小学资源配置指标表", "table:junior_indicators": "初中资源配置指标表",
    "table:primary_schools": "小学学校明细表", "table:junior_schools": "初中学校明细表",
    "chart:cv_primary": "小学差异系数图", "chart:cv_junior": "初中差异系数图",
    "chart:funding": "经费投入图", "chart:scores": "测评点得分图",
}


def _place(fig: dict) -> str:
    where = PLACE_NAMES.get(fig["where"], fig["where"].replace("table:", "表：").replace("chart:", "图："))
    report = REPORT_NAMES.get(fig["report"], fig["report"])
    return "·".join(p for p in (report, fig["section"], where) if p)


def input_line(change: dict) -> str:
    row = f"第{change['row']}行" if change["row"] else ""
    key = f"（{change['key']}）" if change["key"] else ""
    if change["column"] in ("新增行", "删除行"):
        return f"工作表「{change['sheet']}」{row}{key}：{change['column']}"
    return (f"工作表「{change['sheet']}」{row}{key}列「{change['column']}」："
            f"{shown(change['old'])} → {shown(change['new'])}")


def figure_line(change: dict) -> str:
    if change["old"] is None:
        what = f"新出现：{change['new']}"
    elif change["new"] is None:
        what = f"不再出现（原为{change['old']}）"
    else:
        what = f"{change['old']} → {change['new']}"
    return f"{_name(change)}：{what}；位置：{'；'.join(change['places'])}"


def _name(change: dict) -> str:
    label = change.get("label") or change["id"]
    return label if label == change["id"] else f"{label}（{change['id']}）"


def change_text(changes: dict) -> str:
    """The terminal form of the 变更说明."""
    if not changes["inputs"] and not changes["figures"]:
        return "变更说明：与上次生成相比，输入数据和报告中的数字均无变化。"
    lines = [f"变更说明：输入数据有{len(changes['inputs'])}处变化，报告中有{len(changes['figures'])}个数字随之变化。"]
    lines += ["输入变化："] + [f"  {input_line(c)}" for c in changes["inputs"]]
    lines += ["数字变化："] + [f"  {figure_line(c)}" for c in changes["figures"]]
    return "\n".join(lines)


def change_note_model(ws: Workspace, changes: dict) -> ReportModel:
    """The 变更说明 as a short document; it quotes other reports' figures and records none of its own."""
    title = f"{ws.region}{ws.year or ''}年督导报告数据变更说明"
    context = {
        "title": title,
        "summary": (change_text(changes).splitlines()[0].removeprefix("变更说明：")),
        "input_changes": [input_line(c) for c in changes["inputs"]],
        "figure_changes": [{"id": _name(c), "old": c["old"] or "（无）", "new": c["new"] or "（不再出现）",
                            "places": "；".join(c["places"])} for c in changes["figures"]],
        "unit": ws.info.get("报告单位") or "【待补充：报告单位】",
        "date": _date(ws),
    }
    return ReportModel("变更说明", title, "变更说明.docx", CHANGE_TEMPLATE, context)


def _date(ws: Workspace) -> str:
    """The note carries the reports' 成文日期, so the same data give the same bytes."""
    from reportgen.reports.numbers import date_cn

    day = ws.info.get("成文日期")
    return date_cn(day) if hasattr(day, "year") else "【待补充：成文日期】"


def result_lines(result, show=str) -> list[str]:
    """What one build did, a line each (written, unchanged, kept, warnings, then the 变更说明);
    ``show`` turns a path into its displayed form (the CLI shows paths, the web page names)."""
    lines = [f"已生成：{show(p)}" for p in result.written]
    lines += [f"无变化：{show(p)}" for p in result.unchanged]
    lines += [f"旧版本已保留：{show(p)}" for p in result.kept]
    lines += [f"提示：{w}" for w in result.warnings]
    if result.changes is None:
        lines.append("首次生成：下次修改数据后重新生成时，将给出变更说明。")
    else:
        lines += change_text(result.changes).splitlines()
    return lines

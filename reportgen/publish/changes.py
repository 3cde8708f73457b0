"""变更说明: which inputs changed between two builds and which printed figures they moved."""
from __future__ import annotations

from reportgen.reports.model import Column, ReportModel, Section, Table, paragraphs
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


def _place(fig: dict) -> str:
    """Where a figure stands, as a reader finds it: report · section · table or chart title."""
    from reportgen.reports import report_title

    where = fig.get("place") or fig["where"].replace("table:", "表：").replace("chart:", "图：")
    return "·".join(p for p in (report_title(fig["report"]), fig["section"], where) if p)


def input_line(change: dict) -> str:
    """「工作表「学校」第12行（城关第一小学，3301…）列「…」：old → new」: the row by its number and name."""
    row = f"第{change['row']}行" if change["row"] else ""
    name = change.get("name") or change["key"]
    key = f"（{name}）" if name else ""
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


def verdict_line(change: dict) -> str:
    """「某县第一初级中学：资源配置达标项数 5 → 6，由未达标变为达标」, a list member entering or
    leaving a list, with the figure id ``analyze --explain`` accepts."""
    figure = f"（数字编号 {change['id']}）" if change["id"] else ""
    if change["kind"] == "list":
        return f"{change['member']}{'列入' if change['entered'] else '不再列入'}{change['label']}{figure}"
    if change["appeared"] or change["gone"]:
        side = "new" if change["appeared"] else "old"
        state = "，".join(str(change[k]) for k in (f"{side}_value", side, f"{side}_figure") if change[k])
        return f"{change['label']}：{'新出现' if change['appeared'] else '不再出现'}（{state or '无结论'}）{figure}"
    return _moved_verdict(change)


def _moved_verdict(change: dict) -> str:
    """A verdict in both builds: its count or score old → new, the verdict word, the measured figure."""
    line = change["label"]
    if change["old_value"] != change["new_value"]:
        line += f" {change['old_value'] or '无'} → {change['new_value'] or '无'}"
    if change["old"] != change["new"]:
        line += f"{'，' if line != change['label'] else '：'}由{change['old'] or '无结论'}变为{change['new'] or '无结论'}"
    elif change["new"]:
        line += f"，仍为{change['new']}"
    notes = [f"{change['old_figure'] or '无'} → {change['new_figure'] or '无'}"] \
        if change["old_figure"] != change["new_figure"] else []
    notes += [f"数字编号 {change['id']}"] if change["id"] else []
    return line + (f"（{'，'.join(notes)}）" if notes else "")


def text_line(change: dict) -> str:
    """「文字材料第4行「…共785个教学班」写有教学班数，该数已由776变为781，请核对」."""
    row = f"第{change['row']}行" if change["row"] else ""
    column = "" if change["sheet"] == "文字材料" else f"「{change['column']}」"
    sentence, clause = change["sentence"], change["clause"]
    excerpt = ("" if sentence.startswith(clause) else "…") + clause + ("" if sentence.endswith(clause) else "…")
    figure = f"（数字编号 {change['figure']}）" if change["figure"] else ""
    return (f"{change['sheet']}{row}{column}「{excerpt}」写有{change['quantity']}，"
            f"该数已由{change['old']}变为{change['new']}{figure}，请核对（报告照原文印出，原文未作改动）")


def _counts(changes: dict) -> str:
    parts = [f"输入数据有{len(changes['inputs'])}处变化", f"报告中有{len(changes['figures'])}个数字随之变化"]
    if changes.get("verdicts"):
        parts.append(f"{len(changes['verdicts'])}项判定结论变化")
    if changes.get("texts"):
        parts.append(f"{len(changes['texts'])}处人工撰写的文字写有已变化的数字，请核对")
    return "，".join(parts) + "。"


def change_text(changes: dict) -> str:
    """The terminal form of the 变更说明."""
    if not any(changes.get(k) for k in ("inputs", "figures", "verdicts", "texts")):
        return "变更说明：与上次生成相比，输入数据和报告中的数字均无变化。"
    lines = ["变更说明：" + _counts(changes)]
    for heading, key, line in _PARTS:
        if changes.get(key) or key in ("inputs", "figures"):
            lines += [f"{heading}："] + [f"  {line(c)}" for c in changes.get(key) or []]
    return "\n".join(lines)


CHANGE_COLUMNS = (Column("数字", 44, left=True), Column("原值", 22), Column("新值", 22),
                  Column("出现位置", 68, left=True))
_PARTS = (("输入变化", "inputs", input_line), ("数字变化", "figures", figure_line),
          ("判定结论变化", "verdicts", verdict_line), ("需核对的文字", "texts", text_line))
_HEADINGS = {"inputs": "输入数据的变化", "figures": "报告中随之变化的数字", "verdicts": "判定结论的变化",
             "texts": "写有已变化数字的人工撰写文字"}
_NUMERALS = "一二三四五六七八九"


def change_note_model(ws: Workspace, changes: dict) -> ReportModel:
    """The 变更说明 as a short document; it quotes other reports' figures and records none of its own."""
    title = f"{ws.region}{ws.year or ''}年督导报告数据变更说明"
    summary = change_text(changes).splitlines()[0].removeprefix("变更说明：")
    sections = []
    for _, key, line in _PARTS:
        if not changes.get(key):
            continue
        heading = f"{_NUMERALS[len(sections)]}、{_HEADINGS[key]}"
        if key == "figures":
            rows = tuple((_name(c), c["old"] or "（无）", c["new"] or "（不再出现）", "；".join(c["places"]))
                         for c in changes["figures"])
            blocks: tuple = (Table("figure_changes", CHANGE_COLUMNS, rows, small=True),)
        else:
            blocks = paragraphs([line(c) for c in changes[key]])
        sections.append(Section(heading, blocks, key=key))
    from reportgen.reports.common import signed

    meta = signed(ws)
    return ReportModel("变更说明", title, "变更说明.docx", CHANGE_TEMPLATE, opening=paragraphs([summary]),
                       sections=tuple(sections), meta=meta)


def result_lines(result, show=str) -> list[str]:
    """What one build did, a line each (written, unchanged, kept, warnings, then the 变更说明);
    ``show`` turns a path into its displayed form (the CLI shows paths, the web page names)."""
    lines = [f"已生成：{show(p)}" for p in result.written]
    lines += [f"无变化：{show(p)}" for p in result.unchanged]
    lines += [f"旧版本已保留：{show(p)}" for p in result.kept]
    lines += [f"提示：{w}" for w in result.warnings]
    lines += [f"说明：{n}" for n in getattr(result, "notes", [])]
    if result.changes is None:
        lines.append("首次生成：下次修改数据后重新生成时，将给出变更说明。")
    else:
        lines += change_text(result.changes).splitlines()
    return lines

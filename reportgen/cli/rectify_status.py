"""The terminal view of the 整改台账 (``reportgen rectify status``)."""
from __future__ import annotations

import datetime as dt

from reportgen.analysis.rectification import STATES
from reportgen.reports.numbers import date_cn, percent
from reportgen.cli.textable import table
from reportgen.core.values import shown

_STATE_LABELS = list(STATES)  # 已完成 整改中 未启动 长期坚持


def status_text(region: str, summary: dict, changes: list[dict] | None) -> str:
    as_of = dt.date.fromisoformat(summary["as_of"])
    parts = [_headline(region, summary, as_of), _units(summary)]
    parts.append(_items(f"逾期未完成（{len(summary['overdue'])}项）", summary["overdue"], late=True))
    parts.append(_items(f"{summary['within_days']}天内到期（{len(summary['due_soon'])}项）", summary["due_soon"], late=False))
    if summary["inconsistent"]:
        lines = [f"第{i['row']}行（序号{i['no']}）：{i['reason']}" for i in summary["inconsistent"]]
        parts.append(f"需要核对的台账行（{len(lines)}处）\n" + "\n".join(lines))
    if changes is not None:
        parts.append(_changes(changes))
    return "\n\n".join(p for p in parts if p)


def _headline(region: str, s: dict, as_of: dt.date) -> str:
    counts = "，".join(f"{label}{s[key]}项" for label, key in STATES.items())
    rate = "—" if s["completion_rate"] is None else percent(s["completion_rate"])
    return (f"{region}整改台账（统计日期：{date_cn(as_of)}）\n"
            f"问题总数{s['total']}项：{counts}；整改完成率{rate}")


def _units(s: dict) -> str:
    header = ["责任单位", "问题数", *_STATE_LABELS, "逾期"]
    rows = [[u["unit"], u["total"], *(u[STATES[k]] for k in _STATE_LABELS), u["overdue"]] for u in s["by_unit"]]
    return "按责任单位\n" + table(header, rows) if rows else ""


def _items(title: str, items: list[dict], late: bool) -> str:
    if not items:
        return f"{title}：无"
    header = ["序号", "完成时限", "逾期天数" if late else "剩余天数", "责任单位", "状态", "反馈问题"]
    rows = [[i["no"], i["deadline"], i["days_late"] if late else i["days_left"], i["unit"], i["state"], i["problem"]]
            for i in items]
    return f"{title}\n" + table(header, rows, limit=36)


def _changes(changes: list[dict]) -> str:
    if not changes:
        return "与上次生成报告时的台账相比：没有变化"
    lines = []
    for c in changes:
        fields = "；".join(f"{k}：{shown(a)} → {shown(b)}" for k, (a, b) in c["fields"].items())
        lines.append(f"序号{c['no']}：{c['kind']}" + (f"（{fields}）" if fields else ""))
    return "与上次生成报告时的台账相比：\n" + "\n".join(lines)


def export_supervision_list(ledger, as_of: dt.date, path) -> int:
    """Write the 督办清单 of one county's open items to a new file; the number of items."""
    from reportgen.analysis.rollup import open_items
    from reportgen.render.supervision_list import write_supervision_list

    items = open_items(ledger, as_of)
    write_supervision_list(items, path, as_of)
    return len(items)

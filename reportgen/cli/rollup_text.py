"""The terminal summary of ``reportgen rollup`` (Chinese), from the roll-up result alone."""
from __future__ import annotations

import datetime as dt

from reportgen.cli.textable import table
from reportgen.reports.numbers import date_cn, percent


def rollup_text(result: dict) -> str:
    parts = [headline(result), ranking_table(result), common_text(result), individual_text(result)]
    return "\n\n".join(p for p in parts if p)


def _rate(rate: float | None) -> str:
    return "—" if rate is None else percent(rate)


def headline(result: dict) -> str:
    city, target = result["city"], result["target"]["completion_rate"]
    name = city.get("name") or "（未设置市级名称）"
    lines = [f"{name}回访督导汇总（统计日期：{date_cn(dt.date.fromisoformat(result['as_of']))}；"
             f"整改完成率要求：{percent(target, 0)}）",
             f"纳入汇总{city['counties_included']}个县（区）" +
             (f"，{city['counties_excluded']}个未能纳入" if city["counties_excluded"] else ""),
             f"问题总数{city['total']}项，已完成{city['done']}项，整改完成率{_rate(city['completion_rate'])}；"
             f"未完成{city['open']}项，其中逾期{city['overdue']}项"]
    if city["counties_meeting_target"]:
        lines.append(f"整改完成率达到{percent(target, 0)}：{'、'.join(city['counties_meeting_target'])}")
    if city["counties_below_target"]:
        lines.append(f"整改完成率未达到{percent(target, 0)}：{'、'.join(city['counties_below_target'])}")
    if city["counties_without_ledger"]:
        lines.append(f"整改台账为空：{'、'.join(city['counties_without_ledger'])}")
    return "\n".join(lines)


def ranking_table(result: dict) -> str:
    target = percent(result["target"]["completion_rate"], 0)
    by_region = {c["region"]: c for c in result["counties"]}
    header = ["排名", "县（区）", "问题数", "已完成", "整改完成率", f"达到{target}", "未完成", "逾期", "未达标指标"]
    rows = []
    for r in result["ranking"]:
        c = by_region[r["region"]]
        met = {True: "是", False: "否", None: "—"}[r["completion_ok"]]
        rows.append([r["rank"], r["region"], c["total"], c["done"], _rate(r["completion_rate"]), met,
                     r["open"], r["overdue"], r["indicators_failed"]])
    return "排名\n" + table(header, rows)


def common_text(result: dict) -> str:
    if not result["common_problems"]:
        return f"共性问题（{result['target']['shared_min']}个及以上县（区）存在）：无"
    lines = [f"共性问题（{result['target']['shared_min']}个及以上县（区）存在）"]
    for group in result["common_problems"]:
        lines.append(f"【{group['category']}】{'、'.join(group['counties'])}")
        lines += [f"  未达标：{i['label']}（{'、'.join(i['counties'])}）" for i in group["indicators"]]
        if group["open_items"]:
            counts = "、".join(f"{o['region']}{o['count']}项" for o in group["open_items"])
            lines.append(f"  未完成整改：{counts}")
    return "\n".join(lines)


def individual_text(result: dict) -> str:
    lines = ["个性问题"]
    for county in result["individual_problems"]:
        found = [f"未达标：{i['label']}" for i in county["indicators"]]
        found += [f"未完成整改（{i['category']}）：{i['problem']}" for i in county["open_items"]]
        lines.append(f"【{county['region']}】" + ("无" if not found else ""))
        lines += [f"  {line}" for line in found]
    return "\n".join(lines)

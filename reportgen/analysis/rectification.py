"""整改台账: completion rate, overdue and due-soon items, inconsistencies, progress over time.

Pure functions over the loaded 整改台账 DataFrame (standards §7). "Overdue" means 完成时限 is
before the as-of date and the item is not 已完成; an item due on the as-of date is not overdue.
长期坚持 items have no end and are never overdue.
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from reportgen.core.values import plain
from reportgen.analysis.types import CategoryCounts, LedgerItem, RectificationBlock

from reportgen.core.vocabulary import LEDGER_STATES as STATES
from reportgen.core.vocabulary import OPEN_STATES
_UNIT_SPLIT = re.compile(r"[、,，;；/]+")


def rectification_summary(ledger: pd.DataFrame, as_of: dt.date, within_days: int = 30,
                          previous: list[dict] | None = None) -> RectificationBlock:
    """The contract's ``rectification`` block plus details for the status table and the report.

    ``previous`` is the ledger snapshot of the previous report (``ledger_snapshot``), given by
    the caller; without it ``newly_completed`` is None (nothing to compare with).
    """
    total = len(ledger)
    counts = state_counts(ledger)
    return {
        "as_of": as_of.isoformat(),
        "total": total,
        "done": counts["done"], "in_progress": counts["in_progress"],
        "not_started": counts["not_started"], "long_term": counts["long_term"],
        "completion_rate": counts["done"] / total if total else None,
        "completion_rate_reason": None if total else "整改台账为空",
        "categories": _categories(ledger),
        "overdue": [_item(row, as_of) for _, row in overdue_items(ledger, as_of).iterrows()],
        "due_soon": [_item(row, as_of) for _, row in due_items(ledger, as_of, within_days).iterrows()],
        "within_days": within_days,
        "inconsistent": inconsistencies(ledger, as_of),
        "by_unit": by_unit(ledger, as_of),
        "closed_by_month": closed_by_month(ledger),
        "states": list(STATES),
        "items": [ledger_item(row, as_of) for _, row in ledger.sort_values("序号").iterrows()],
        "closed_dates": closed_dates(ledger),
        "newly_completed": None if previous is None else newly_completed(previous, ledger),
    }


def state_counts(ledger: pd.DataFrame) -> dict[str, int]:
    """Items per state, keyed done / in_progress / not_started / long_term."""
    return {key: int((ledger["整改状态"] == state).sum()) for state, key in STATES.items()}


def days_late(deadline: dt.date | None, state: str, as_of: dt.date) -> int:
    """Days past 完成时限 of an open item on ``as_of``; 0 when not overdue (or 已完成, 长期坚持)."""
    if state not in OPEN_STATES or deadline is None or deadline >= as_of:
        return 0
    return (as_of - deadline).days


def ledger_item(row: pd.Series, as_of: dt.date) -> LedgerItem:
    """One ledger row as the reports print it: state, dates and days overdue."""
    deadline, closed = row["完成时限"], row["销号日期"]
    return {"no": int(row["序号"]), "row": int(row["_row"]), "category": row["问题类别"],
            "state": row["整改状态"], "deadline": deadline.isoformat() if deadline else None,
            "closed": closed.isoformat() if closed else None,
            "days_late": days_late(deadline, row["整改状态"], as_of)}


def closed_dates(ledger: pd.DataFrame) -> list[str]:
    """销号日期 of the 已完成 items, sorted (ISO), for the cumulative chart."""
    return sorted(d.isoformat() for d, s in zip(ledger["销号日期"], ledger["整改状态"]) if d and s == "已完成")


def overdue_items(ledger: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    open_rows = ledger[ledger["整改状态"].isin(OPEN_STATES)]
    late = open_rows["完成时限"].map(lambda d: d is not None and d < as_of).astype(bool)
    return open_rows.loc[late].sort_values("序号")


def due_items(ledger: pd.DataFrame, as_of: dt.date, within_days: int) -> pd.DataFrame:
    last = as_of + dt.timedelta(days=within_days)
    open_rows = ledger[ledger["整改状态"].isin(OPEN_STATES)]
    due = open_rows["完成时限"].map(lambda d: d is not None and as_of <= d <= last).astype(bool)
    return open_rows.loc[due].sort_values(["完成时限", "序号"])


def _item(row: pd.Series, as_of: dt.date) -> dict:
    deadline = row["完成时限"]
    return {
        "no": int(row["序号"]),
        "deadline": deadline.isoformat() if deadline else None,
        "days_late": days_late(deadline, row["整改状态"], as_of),
        "days_left": (deadline - as_of).days if deadline and deadline >= as_of else None,
        "unit": row["责任单位"],
        "state": row["整改状态"],
        "category": row["问题类别"],
        "problem": row["反馈问题"],
        "row": int(row["_row"]),
    }


def inconsistencies(ledger: pd.DataFrame, as_of: dt.date) -> list[dict]:
    """Rows whose state contradicts their dates, each with the Excel row and a Chinese reason."""
    found = []
    for _, row in ledger.iterrows():
        for reason in _row_problems(row, as_of):
            found.append({"no": int(row["序号"]), "row": int(row["_row"]), "reason": reason})
    return found


def _row_problems(row: pd.Series, as_of: dt.date) -> list[str]:
    state, deadline, closed = row["整改状态"], row["完成时限"], row["销号日期"]
    problems = []
    if state == "未启动" and deadline is not None and deadline < as_of:
        problems.append(f"完成时限{deadline.isoformat()}已过，状态仍为未启动")
    if state == "已完成" and closed is None:
        problems.append("状态为已完成，但没有销号日期")
    if state != "已完成" and closed is not None:
        problems.append(f"有销号日期{closed.isoformat()}，但状态为{state}")
    if closed is not None and closed > as_of:
        problems.append(f"销号日期{closed.isoformat()}晚于统计日期{as_of.isoformat()}")
    return problems


def responsible_units(text: object) -> list[str]:
    """'县教育局、县财政局' → ['县教育局', '县财政局']: an item counts for each unit named."""
    return [u.strip() for u in _UNIT_SPLIT.split(str(text or "")) if u.strip()] or ["（未填写）"]


def by_unit(ledger: pd.DataFrame, as_of: dt.date) -> list[dict]:
    late = set(overdue_items(ledger, as_of)["序号"])
    table: dict[str, dict] = {}
    for _, row in ledger.iterrows():
        for unit in responsible_units(row["责任单位"]):
            entry = table.setdefault(unit, {"unit": unit, "total": 0, **{k: 0 for k in STATES.values()}, "overdue": 0})
            entry["total"] += 1
            entry[STATES[row["整改状态"]]] += 1
            entry["overdue"] += row["序号"] in late
    return sorted(table.values(), key=lambda e: (-e["total"], e["unit"]))


def _categories(ledger: pd.DataFrame) -> list[CategoryCounts]:
    """Problem categories in the order they first appear in the ledger, with counts."""
    order = list(dict.fromkeys(ledger.sort_values("序号")["问题类别"]))
    out: list[CategoryCounts] = []
    for category in order:
        rows = ledger[ledger["问题类别"] == category]
        n = state_counts(rows)
        out.append({"category": category, "total": len(rows), "done": n["done"], "in_progress": n["in_progress"],
                    "not_started": n["not_started"], "long_term": n["long_term"]})
    return out


def closed_by_month(ledger: pd.DataFrame) -> list[dict]:
    """Completed items per month of 销号日期, with the running total (for the progress chart)."""
    closed = [d for d, s in zip(ledger["销号日期"], ledger["整改状态"]) if d is not None and s == "已完成"]
    months = pd.Series([f"{d.year}-{d.month:02d}" for d in closed], dtype="object").value_counts().sort_index()
    running = months.cumsum()
    return [{"month": str(m), "closed": int(n), "cumulative": int(c)}
            for (m, n), c in zip(months.items(), running.to_numpy())]


def newly_completed(previous: list[dict], ledger: pd.DataFrame) -> list[int]:
    """序号 of items 已完成 now that were not 已完成 in a previous ledger snapshot."""
    before = {int(item["序号"]): item["整改状态"] for item in previous}
    done_now = ledger[ledger["整改状态"] == "已完成"]["序号"].astype(int)
    return sorted(no for no in done_now if before.get(no) != "已完成")


def ledger_snapshot(ledger: pd.DataFrame) -> list[dict]:
    """The ledger as plain JSON rows, kept with each build (history; nothing is lost)."""
    columns = [c for c in ledger.columns if c != "_row"]
    rows = []
    for _, row in ledger.sort_values("序号").iterrows():
        rows.append({c: plain(row[c]) for c in columns})
    return rows


def snapshot_changes(previous: list[dict], current: list[dict]) -> list[dict]:
    """What changed between two ledger snapshots: added, removed and changed items by 序号."""
    old = {int(r["序号"]): r for r in previous}
    new = {int(r["序号"]): r for r in current}
    changes = [{"no": no, "kind": "新增", "fields": {}} for no in sorted(new.keys() - old.keys())]
    changes += [{"no": no, "kind": "删除", "fields": {}} for no in sorted(old.keys() - new.keys())]
    for no in sorted(old.keys() & new.keys()):
        fields = {k: [old[no].get(k), new[no].get(k)] for k in new[no] if old[no].get(k) != new[no].get(k)}
        if fields:
            changes.append({"no": no, "kind": "修改", "fields": fields})
    return changes

"""The shared words of the supervision work, in one place: ledger states and verdicts.

The workbook's drop-downs, the analysis, the reports and the terminal all use these; a new
state or verdict word is added here only.
"""
from __future__ import annotations

# 整改台账.整改状态 → the key of its count in the analysis (rectification.done, …), in report order.
LEDGER_STATES: dict[str, str] = {"已完成": "done", "整改中": "in_progress", "未启动": "not_started",
                                 "长期坚持": "long_term"}
DONE_STATE = "已完成"
LONG_TERM_STATE = "长期坚持"
OPEN_STATES: tuple[str, ...] = ("整改中", "未启动")   # can be overdue

# An item's or indicator's verdict.
PASS, FAIL, PENDING = "达标", "未达标", "待说明"
# A school's verdict on the per-school rule (None = data incomplete).
SCHOOL_VERDICTS: dict[bool | None, str] = {True: PASS, False: FAIL, None: "待定"}

"""情况说明: the verdict a person states for an item the workbook's data cannot decide.

One row per item (``指标`` = the item's name as ``reportgen init`` writes it, or its id), with
``结论`` 达标 · 未达标 · 不适用, ``说明`` (the county's own words) and ``佐证材料``. An item with no
row, or no 结论, stays 待说明.
"""
from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from reportgen.core.vocabulary import FAIL, PASS
from reportgen.analysis.common import text

SHEET = "情况说明"
NOT_APPLICABLE = "不适用"
VERDICTS = {"达标": PASS, "未达标": FAIL, NOT_APPLICABLE: NOT_APPLICABLE}
UNSTATED_REASON = "尚未在「情况说明」工作表填写结论和说明"


def stated_verdict(statements: pd.DataFrame | None, names: tuple[str, ...]) -> dict[str, Any] | None:
    """The item's stated verdict (the first row whose 指标 is one of ``names``), or None when unstated."""
    if statements is None or statements.empty or "指标" not in statements.columns:
        return None
    wanted = {n.strip() for n in names if n}
    for record in statements.to_dict("records"):
        verdict = VERDICTS.get(text(record.get("结论")) or "")
        if (text(record.get("指标")) or "").strip() in wanted and verdict:
            return _verdict(record, verdict)
    return None


def _verdict(record: Mapping[Any, Any], verdict: str) -> dict[str, Any]:
    said = text(record.get("说明"))
    row = record.get("_row")
    return {"status": verdict, "value": None, "standard": None,
            "reason": said or f"「{SHEET}」第{row}行结论为{text(record.get('结论'))}",
            "statement": {"row": int(row) if row is not None else None, "text": said,
                          "evidence": text(record.get("佐证材料"))}}

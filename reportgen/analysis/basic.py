"""基本均衡 (教督〔2012〕3号): eight 差异系数 and the composite against 0.65 / 0.55 (standards §3)."""
from __future__ import annotations

import pandas as pd

from reportgen.systems.indicators import BasicSystem
from reportgen.analysis.balance import SectionBalance, balance_block, composite, indicator_summary
from reportgen.analysis.common import num


def basic_balance(schools: pd.DataFrame, system: BasicSystem) -> dict:
    """The contract's ``basic_balance`` block: composite coefficient per section against its limit."""
    return balance_block(schools, system.balance, basic_section)


def basic_section(result: SectionBalance) -> dict:
    indicators = {ind.id: indicator_summary(result, ind) for ind in result.balance.indicators}
    value = composite([e["cv"] for e in indicators.values()])
    limit = (result.balance.composite_max or {})[result.section]
    missing = [e["label"] for e in indicators.values() if e["cv"] is None]
    return {
        "section": result.section,
        "schools_in_scope": len(result.frame),
        "pupils": num(result.frame["pupils"].sum()),
        "indicators": indicators,
        "composite_cv": value,
        "composite_max": limit,
        "ok": None if value is None else bool(value <= limit),
        "reason": f"缺少差异系数：{'、'.join(missing)}" if missing else None,
    }

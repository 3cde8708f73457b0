"""The short summary ``reportgen validate`` prints for a workspace that passed."""
from __future__ import annotations

from reportgen.core.workspace import Workspace


def workspace_summary(ws: Workspace) -> str:
    schools = ws.schools
    by_type = schools["办学类型"].value_counts()
    types = "，".join(f"{name}{count}所" for name, count in by_type.items())
    years = sorted(int(y) for y in ws.funding["年度"].dropna().unique())
    year_text = f"{years[0]}—{years[-1]}年（{len(years)}个年度）" if years else "无"
    ledger = ws.ledger["整改状态"].value_counts()
    ledger_text = "，".join(f"{k}{v}项" for k, v in ledger.items()) or "无"
    lines = [
        f"地区：{ws.region}　评价年度：{ws.year}",
        f"学校：共{len(schools)}所（{types}）",
        f"班级：{len(ws.classes)}个",
        f"经费：{year_text}",
        f"整改台账：{len(ws.ledger)}项（{ledger_text}）",
        f"测评点：{len(ws.points)}个",
    ]
    return "\n".join(lines)

"""The reports reportgen builds, by the name used on the command line."""
from __future__ import annotations

from importlib import import_module

from reportgen.core.errors import ReportgenError

# report id → module with build_model(ws, analysis) -> ReportModel
REPORTS: dict[str, str] = {
    "履职自评": "reportgen.reports.duty",
    "优质均衡": "reportgen.reports.quality",
    "整改报告": "reportgen.reports.rectification",
}
ALIASES: dict[str, str] = {
    "履行教育职责自评报告": "履职自评", "履职": "履职自评", "duty": "履职自评",
    "优质均衡发展自评报告": "优质均衡", "quality": "优质均衡",
    "整改": "整改报告", "rectification": "整改报告",
}


def report_ids(names: list[str] | None) -> list[str]:
    """Resolve command-line names (or 'all') to report ids, in the canonical order."""
    if not names or "all" in names:
        return list(REPORTS)
    ids = []
    for name in names:
        rid = ALIASES.get(name, name)
        if rid not in REPORTS:
            raise ReportgenError(f"不认识的报告「{name}」，可选：{'、'.join(REPORTS)} 或 all")
        ids.append(rid)
    return list(dict.fromkeys(ids))


def build_report(report_id: str, ws, analysis: dict, previous_state: dict | None):
    """Build one report model; builders that compare with the last build get its state."""
    module = import_module(REPORTS[report_id])
    if getattr(module, "USES_HISTORY", False):
        from reportgen.analysis.rectification import ledger_snapshot
        from reportgen.publish.history import earlier_ledger

        return module.build_model(ws, analysis, earlier_ledger(previous_state, ledger_snapshot(ws.ledger)))
    return module.build_model(ws, analysis)

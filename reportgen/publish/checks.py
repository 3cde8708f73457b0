"""The checks a build makes beyond loading, run without rendering: ``validate`` calls this so
that it reports everything ``build`` would (unused 文字材料 sections, report warnings)."""
from __future__ import annotations


def report_warnings(ws) -> list[str]:
    """Warnings of analysing and modelling every report (nothing is rendered or written)."""
    from reportgen.analysis import analyze
    from reportgen.reports import REGISTRY, workspace_models

    analysis = analyze(ws)
    models, _ = workspace_models(list(REGISTRY), ws, analysis)
    from reportgen.analysis.consistency import consistency_lines

    warnings = [str(issue) for issue in ws.unused_texts()] + list(dict.fromkeys(w for m in models for w in m.warnings))
    return warnings + consistency_lines(ws)  # numbers a person wrote that the data contradict

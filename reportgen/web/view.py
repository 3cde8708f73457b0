"""What the workspace page shows: validation rows, the analysis at a glance, the reports."""
from __future__ import annotations

from pathlib import Path

from reportgen.core.errors import ReportgenError
from reportgen.web import files, preview


def workspace_view(name: str, folder: Path) -> dict:
    view = {"name": name, "issues": [], "errors": 0, "warnings": 0, "summary": None, "problem": None}
    try:
        view.update(_checked(folder))
    except ReportgenError as exc:
        view["problem"] = str(exc)
    view["reports"] = report_rows(folder)
    view["preview_missing"] = preview.missing_tools()
    return view


def _checked(folder: Path) -> dict:
    from reportgen.loading import read_workspace
    from reportgen.publish.build import cache_dir

    ws, issues = read_workspace(folder, sheet_cache=cache_dir(files.output_folder(folder)) / "sheets")
    errors = sum(1 for i in issues if i.is_error)
    return {"issues": [issue_row(i) for i in issues], "errors": errors,
            "warnings": len(issues) - errors, "summary": None if errors else _summary(ws)}


def issue_row(issue) -> dict:
    """One validation row as the table shows it."""
    return {"file": issue.file, "sheet": issue.sheet or "", "row": "" if issue.row is None else issue.row,
            "column": issue.column or "", "value": "" if issue.value is None else str(issue.value),
            "expected": issue.expected, "severity": issue.severity}


def _summary(ws) -> str:
    from reportgen.analysis import analyze, summary_text

    return summary_text(analyze(ws))


def report_rows(folder: Path) -> list[dict]:
    """Each .docx in the output folder, with its PDF when one lies beside it."""
    offered = files.offered_files(folder)
    names = {p.name for p in offered}
    return [{"docx": p.name, "pdf": p.with_suffix(".pdf").name if p.with_suffix(".pdf").name in names else None}
            for p in offered if p.suffix == ".docx"]

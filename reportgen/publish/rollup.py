"""``reportgen rollup``: read every county workspace with the same loader and analysis, one county
per process, and roll them up (``reportgen.analysis.rollup``).

A county whose workspace cannot be read or analysed is not fatal: it is listed in ``excluded``
with its errors and the others are rolled up. Writing the result: ``write_result`` keeps a
previous result that would change in ``历史版本/<time>/`` (as ``reportgen build`` does); ``write_report`` does the same for the 回访督导情况报告 (.docx).
"""
from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from reportgen.core.city_settings import CitySettings
from reportgen.core.errors import InputErrors, InputIssue, ReportgenError
from reportgen.publish.pool import worker_count

RESULT_FILE = "回访督导汇总.json"


def roll_up(workspaces: list[Path], as_of: dt.date, settings: CitySettings, jobs: int = 0) -> dict:
    """The roll-up of ``workspaces`` (in the given order) judged on ``as_of``."""
    import reportgen.analysis  # noqa: F401  (imported once here, inherited by forked workers)
    import reportgen.loading  # noqa: F401
    from reportgen.analysis.rollup import rollup

    tasks = [(str(path), as_of) for path in workspaces]
    workers = min(worker_count(jobs), len(tasks))
    if workers <= 1:
        outcomes = [county_outcome(task) for task in tasks]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(county_outcome, tasks))
    digests = [body for kind, body in outcomes if kind == "included"]
    excluded = [body for kind, body in outcomes if kind == "excluded"]
    city = {"name": settings.city, "settings": settings.as_json()}
    return rollup(digests, excluded, as_of, settings.completion_target, settings.shared_min, city)


def county_outcome(task: tuple[str, dt.date]) -> tuple[str, dict]:
    """("included", digest) or ("excluded", {workspace, region, errors}) for one workspace."""
    from reportgen.analysis import analyze
    from reportgen.analysis.rectification import rectification_summary
    from reportgen.analysis.rollup import county_digest, open_items
    from reportgen.loading import read_workspace

    path, as_of = task
    ws = None
    try:
        ws, issues = read_workspace(path)
        if any(i.is_error for i in issues):
            raise InputErrors(issues)
        analysis = analyze(ws)
    except ReportgenError as exc:
        region = (ws.region if ws is not None else "") or Path(path).name
        return "excluded", {"workspace": path, "region": region, "errors": error_list(exc)}
    analysis["rectification"] = rectification_summary(ws.ledger, as_of)
    digest = county_digest(analysis, open_items(ws.ledger, as_of), path)
    return "included", {**digest, "warnings": [str(i) for i in issues]}


def error_list(exc: ReportgenError) -> list[dict]:
    """The errors of a county that could not be included, each with its Chinese ``message``."""
    if isinstance(exc, InputErrors):
        return [_issue(i) for i in exc.errors]
    return [{"message": str(exc)}]


def _issue(issue: InputIssue) -> dict:
    return {"message": str(issue), "file": issue.file, "sheet": issue.sheet, "row": issue.row,
            "column": issue.column, "value": None if issue.value is None else str(issue.value),
            "expected": issue.expected}


def result_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=1, allow_nan=False, default=str)


def write_result(result: dict, out: Path) -> tuple[Path, Path | None, bool]:
    """Write ``回访督导汇总.json`` into ``out``: (path, where the previous version was kept or None,
    whether the file changed). An identical previous result is left as it is."""
    return publish_file(out / RESULT_FILE, result_json(result).encode("utf-8"), out)


def write_report(result: dict, out: Path, template: Path | None = None) -> tuple[Path, Path | None, bool]:
    """Render the 回访督导情况报告 (``reportgen.reports.rollup``) into ``out`` beside the JSON,
    the same way: atomic, a previous different version kept in ``历史版本/<time>/``."""
    from reportgen.render.docx import default_template, render_bytes
    from reportgen.reports.rollup import build_rollup_model

    model = build_rollup_model(result)
    data = render_bytes(model, template or default_template(model.template))
    return publish_file(out / model.filename, data, out)


def publish_file(target: Path, data: bytes, out: Path) -> tuple[Path, Path | None, bool]:
    """Write ``data`` to ``target`` atomically unless it already holds them; a previous different
    file moves to ``out/历史版本/<its modification time>/``."""
    from reportgen.publish.build import HISTORY_DIR, _keep_previous, atomic_write

    if target.is_file() and target.read_bytes() == data:
        return target, None, False
    kept = None
    if target.exists():
        stamp = dt.datetime.fromtimestamp(target.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
        kept = _keep_previous(target, out / HISTORY_DIR / stamp)
    atomic_write(target, data)
    return target, kept, True

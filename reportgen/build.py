"""``reportgen build``: load → analyse → report models → render → atomic, versioned outputs.

Nothing is lost: every report is rendered into a staging folder first; only when all of them
succeed are they moved into place (``os.replace``, atomic on one file system), and a report
that would change is first moved to ``历史版本/<time>/``. A build that fails or is killed
leaves the previous reports as they were. See ``reportgen.history`` for the folder layout.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError, ReportgenError
from .history import STATE_DIR, ledger_history, load_state, state_path

FIGURE_RECORD = "数字记录.json"
CHANGE_NOTE = "变更说明.docx"
HISTORY_DIR = "历史版本"


@dataclass
class BuildResult:
    out_dir: Path
    written: list[Path] = field(default_factory=list)     # new or changed reports
    unchanged: list[Path] = field(default_factory=list)   # byte-identical to the previous build
    kept: list[Path] = field(default_factory=list)        # previous versions moved to 历史版本
    changes: dict | None = None                           # None on a first build
    warnings: list[str] = field(default_factory=list)


def build(workspace: Path, reports: list[str] | None = None, out_dir: Path | None = None,
          template: Path | None = None, clear_cache: bool = False, jobs: int = 1) -> BuildResult:
    """Build the reports of one workspace; ``jobs`` processes render them (0 = one per core)."""
    from .reports import report_ids

    ids = report_ids(reports)
    if template is not None and len(ids) != 1:
        raise ReportgenError("--template 只能与单个 --report 一起使用（每种报告有各自的模板）")
    from .pool import RenderPool

    pool = RenderPool.start(jobs)  # first: its workers import the render layer while we load
    try:
        result = _build(workspace, ids, out_dir, template, clear_cache, pool)
    except BaseException:
        if pool is not None:
            pool.close(finish=False)
        raise
    if pool is not None:
        pool.close()
    return result


def _build(workspace: Path, ids: list[str], out_dir: Path | None, template: Path | None,
           clear_cache: bool, pool) -> BuildResult:
    from .analysis import analyze
    from .loading import load_workspace
    from .reports import build_report

    ws = load_workspace(workspace)
    out = Path(out_dir) if out_dir else ws.root / ws.settings.output_dir
    if clear_cache:
        shutil.rmtree(cache_dir(out), ignore_errors=True)
    analysis = analyze(ws)
    previous = load_state(out)
    models = [build_report(rid, ws, analysis, previous) for rid in ids]
    return publish(ws, models, out, previous, template, pool)


def publish(ws, models: list, out: Path, previous: dict | None, template: Path | None = None,
            pool=None) -> BuildResult:
    """Render the models into a staging folder, then move everything into place at once."""
    from .analysis.rectification import ledger_snapshot
    from .inputs import input_cells

    result = BuildResult(out)
    out.mkdir(parents=True, exist_ok=True)
    staging = _fresh_staging(out)
    try:
        staged = _render_all(ws, models, staging, out, template, pool)
        state = {
            "inputs": input_cells(ws),
            "figures": [f for m in models for f in m.figures],
            "ledger": ledger_snapshot(ws.ledger),
            "reports": {m.filename: _digest(staged[m.filename]) for m in models},
        }
        if previous is not None:
            result.changes = compare_builds(previous, state)
            staged[CHANGE_NOTE] = _render_change_note(ws, result.changes, staging, pool)
        state["ledger_history"] = ledger_history(previous, state["ledger"])
        _commit(staged, out, previous, result)
        _write_json(out / FIGURE_RECORD, {"figures": state["figures"]})
        _write_json(state_path(out), {**state, "built_at": dt.datetime.now().isoformat(timespec="seconds")})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.warnings = [str(issue) for issue in ws.warnings] + [w for m in models for w in m.warnings]
    return result


def cache_dir(out: Path) -> Path:
    """Charts by content hash: safe to delete at any time, rebuilt on demand."""
    return out / STATE_DIR / "cache"


def _fresh_staging(out: Path) -> Path:
    base = out / STATE_DIR
    for stale in base.glob("staging-*"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    staging = base / f"staging-{os.getpid()}"
    staging.mkdir(parents=True)
    return staging


def _render_all(ws, models: list, staging: Path, out: Path, template: Path | None, pool) -> dict[str, Path]:
    jobs = [(model, template or template_path(model.template), staging / model.filename, _chart_font(ws),
             cache_dir(out)) for model in models]
    if pool is not None:
        pool.render_reports(jobs)
    else:
        from .render.charts import ChartCache
        from .render.docx import render_report

        for model, template_file, path, font, folder in jobs:
            render_report(model, template_file, path, chart_cache=ChartCache(folder), chart_font=font)
    return {model.filename: path for model, _, path, _, _ in jobs}


def _chart_font(ws) -> str | None:
    """The settings' 图表字体 (a file path relative to the workspace, or a family name)."""
    font = ws.settings.chart_font
    if font and (ws.root / font).is_file():
        return str(ws.root / font)
    return font


def template_path(name: str) -> Path:
    """A default template shipped inside the package."""
    from importlib.resources import files

    path = Path(str(files("reportgen") / "templates_docx" / name))
    if not path.is_file():
        raise ReportgenError(f"找不到内置模板「{name}」，安装可能不完整，请重新安装 reportgen")
    return path


def _commit(staged: dict[str, Path], out: Path, previous: dict | None, result: BuildResult) -> None:
    stamp = _history_stamp(previous)
    for name, path in staged.items():
        target = out / name
        if target.exists() and target.read_bytes() == path.read_bytes():
            result.unchanged.append(target)
            continue
        if target.exists():
            result.kept.append(_keep_previous(target, out / HISTORY_DIR / stamp))
        os.chmod(path, 0o666 & ~_umask())  # staged files are private temporaries
        os.replace(path, target)
        result.written.append(target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _keep_previous(target: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / target.name
    if kept.exists():  # a second change within the same stamp: never overwrite a kept version
        kept = folder / f"{target.stem}-{len(list(folder.glob(target.stem + '*')))}{target.suffix}"
    os.replace(target, kept)
    return kept


def _history_stamp(previous: dict | None) -> str:
    """Old versions are filed under the time the previous build was made."""
    built = (previous or {}).get("built_at") or dt.datetime.now().isoformat(timespec="seconds")
    return built.replace(":", "").replace("-", "").replace("T", "-")


def _write_json(path: Path, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    atomic_write(path, text.encode("utf-8"))


def atomic_write(path: Path, data: bytes) -> None:
    """Write beside the target, flush to disk, then rename over it: readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"无法写入 {path}：{exc.strerror or exc}") from exc


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare_builds(previous: dict, current: dict) -> dict:
    from .changes import figure_changes
    from .inputs import input_changes

    return {
        "inputs": input_changes(previous.get("inputs", {}), current["inputs"]),
        "figures": figure_changes(previous.get("figures", []), current["figures"]),
    }


def _render_change_note(ws, changes: dict, staging: Path, pool=None) -> Path:
    from .changes import change_note_model

    model = change_note_model(ws, changes)
    path = staging / CHANGE_NOTE
    if pool is not None:
        pool.render_reports([(model, template_path(model.template), path, None, None)])
    else:
        from .render.docx import render_report

        render_report(model, template_path(model.template), path)
    return path

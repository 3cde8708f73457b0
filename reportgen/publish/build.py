"""``reportgen build``: load → analyse → report models → render → atomic, versioned outputs.

Nothing is lost: one build at a time holds the output folder's lock (``publish.lock``); every
report, 数字记录.json and state.json is written into a staging folder first; only when all of
them succeed are they moved into place as one transaction (``publish.journal``), and a report
that would change is first moved to ``历史版本/<time>/`` (never over another kept version). A
build that fails or is killed leaves the previous reports as they were; the next build finishes
or undoes a transaction a kill cut short. File names come from ``publish.names`` (sanitised,
checked to lie inside the output folder). See ``reportgen.publish.history`` for the layout.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.core.errors import ReportgenError
from reportgen.publish.fs import atomic_write, output_error, remove_quietly  # noqa: F401 - atomic_write re-exported
from reportgen.publish.history import STATE_DIR, STATE_FILE, ledger_history, load_state
from reportgen.publish.interrupt import note_published, uninterrupted
from reportgen.publish.journal import Move, backup_path, commit, recover
from reportgen.publish.lock import output_lock
from reportgen.publish.names import check_region, free_name, safe_filename

FIGURE_RECORD = "数字记录.json"
VERDICT_RECORD = "判定记录.json"   # the verdicts of the build (``reportgen.analysis.verdicts``)
CHANGE_NOTE = "变更说明.docx"
HISTORY_DIR = "历史版本"

if TYPE_CHECKING:
    from reportgen.publish.engine import WarmState


@dataclass
class BuildResult:
    out_dir: Path
    written: list[Path] = field(default_factory=list)     # new or changed reports
    unchanged: list[Path] = field(default_factory=list)   # byte-identical to the previous build
    kept: list[Path] = field(default_factory=list)        # previous versions moved to 历史版本
    changes: dict | None = None                           # None on a first build
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)        # chart font, PDF font substitutions
    pdf_error: str | None = None                          # --pdf asked and PDFs could not be made


def build(workspace: Path, reports: list[str] | None = None, out_dir: Path | None = None,
          template: Path | None = None, clear_cache: bool = False, jobs: int = 1, pdf: bool = False,
          force: bool = False, warm: "WarmState | None" = None) -> BuildResult:
    """Build the reports of one workspace; ``jobs`` processes render them (0 = one per core).

    ``warm``: what a long-lived process keeps between builds (``reportgen.publish.engine``); the
    reports are the same with or without it.
    """
    from reportgen.reports import report_ids

    ids = report_ids(reports)
    if template is not None and len(ids) != 1:
        raise ReportgenError("--template 只能与单个 --report 一起使用（每种报告有各自的模板）")
    if template is not None and not Path(template).is_file():
        raise ReportgenError(f"找不到模板文件「{template}」（--template 应为一个 .docx 文件）")
    from reportgen.publish.pool import RenderPool

    pool = RenderPool.start(jobs, _wants_pictures(workspace))  # first: its workers import while we load
    try:
        result = _build(workspace, ids, out_dir, template, clear_cache, pool, pdf, force, warm)
    except OSError as exc:
        if pool is not None:
            pool.close(finish=False)
        raise output_error(exc) from exc
    except BaseException:
        if pool is not None:
            pool.close(finish=False)
        raise
    if pool is not None:
        pool.close()
    return result


def _wants_pictures(workspace: Path) -> bool:
    """Whether the workspace's charts are PNG pictures (图表: 图片); the workspace is a folder or its
    workbook (``loading.locate``, not imported here: it brings pandas, which the pool must not wait
    for). A workspace or settings error is the build's to report."""
    from reportgen.core.settings import load_settings

    path = Path(workspace)
    try:
        return load_settings(path.parent if path.is_file() else path).charts == "picture"
    except ReportgenError:
        return False


def _build(workspace: Path, ids: list[str], out_dir: Path | None, template: Path | None,
           clear_cache: bool, pool, pdf: bool = False, force: bool = False,
           warm: "WarmState | None" = None) -> BuildResult:
    from reportgen.loading import locate
    from reportgen.core.settings import load_settings

    root, _ = locate(Path(workspace))
    out = Path(out_dir) if out_dir else root / load_settings(root).output_dir
    try:
        return _build_locked(workspace, ids, out, template, clear_cache, pool, pdf, force, warm)
    except OSError as exc:
        raise output_error(exc, exc.filename or out) from exc


def _build_locked(workspace: Path, ids: list[str], out: Path, template: Path | None, clear_cache: bool,
                  pool, pdf: bool = False, force: bool = False, warm: "WarmState | None" = None) -> BuildResult:
    from reportgen.analysis import analyze
    from reportgen.analysis.consistency import stated_quantities
    from reportgen.analysis.rectification import ledger_snapshot
    from reportgen.analysis.verdicts import verdict_record
    from reportgen.loading import load_workspace
    from reportgen.publish.history import earlier_ledger
    from reportgen.reports import REGISTRY, workspace_models
    from reportgen.reports.checklist import checklist_model

    with output_lock(out / STATE_DIR):
        notes = _tidy(out)
        if clear_cache:
            shutil.rmtree(cache_dir(out), ignore_errors=True)
        ws = load_workspace(workspace, sheet_cache=cache_dir(out) / "sheets", memo=None if warm is None else warm.sheets)
        previous = load_state(out, notes) if warm is None else warm.ahead.load(out, notes)
        analysis = analyze(ws, previous_ledger=earlier_ledger(previous, ledger_snapshot(ws.ledger)),
                           memo=None if warm is None else warm.sheets)
        models, skipped = workspace_models(ids, ws, analysis)
        _name_figures(models, analysis, previous)
        checks = checklist_model(ws, analysis)  # 核对清单: what a person wrote that the data contradict
        models += [checks] if template is None else []
        result = publish(ws, models, out, previous, template, pool, reuse=not clear_cache, pdf=pdf, force=force,
                         verdicts=verdict_record(analysis), statements=list(stated_quantities(ws, analysis)),
                         warm=warm)
    result.warnings = notes + result.warnings + skipped + ([] if template is None else list(checks.warnings))
    if set(ids) == set(REGISTRY):  # with every report built, an unread section is a misspelling
        result.warnings += [str(issue) for issue in ws.unused_texts()]
    result.warnings += skipped
    return result


def _name_figures(models: list, analysis: dict, previous: dict | None = None) -> None:
    """Give every recorded figure its Chinese name and the name of its place (table or chart
    title), kept in the record for the next 变更说明; figures of a ``previous`` build recorded
    without a name (by an earlier version) are named too, so none is listed by its id."""
    from reportgen.reports.figure_labels import figure_label

    names: dict[str, str] = {}
    for model in models:
        places = model.place_names()
        for figure in model.figures:
            figure["label"] = names.setdefault(figure["id"], figure_label(figure["id"], analysis))
            figure["place"] = places.get(figure["where"], figure["where"])
    for figure in (previous or {}).get("figures") or []:
        if not figure.get("label") or figure["label"] == figure["id"]:
            figure["label"] = names.get(figure["id"]) or figure_label(figure["id"], analysis)


def publish(ws, models: list, out: Path, previous: dict | None, template: Path | None = None,
            pool=None, reuse: bool = True, pdf: bool = False, force: bool = False, verdicts: dict | None = None,
            statements: list | None = None, warm: "WarmState | None" = None) -> BuildResult:
    """Render the models into a staging folder, then move everything into place at once.

    ``verdicts`` (the analysis' verdict record) is kept for the next build's 变更说明, which also
    names the ``statements`` (person-written numbers, ``consistency.stated_quantities``) whose
    computed value moved.

    A report whose model, template and renderer are those of the file already in ``out`` is
    not rendered again (``reuse``; see ``reportgen.publish.reuse``): the file is kept as it is.
    ``warm``: tables and rows this process rendered before, input cells of unchanged sheets.
    """
    from reportgen.analysis.rectification import ledger_snapshot
    from reportgen.publish.inputs import input_cells

    check_region(ws.region)
    models = [replace(m, filename=safe_filename(m.filename)) for m in models]
    result = BuildResult(out)
    out.mkdir(parents=True, exist_ok=True)
    staging = _fresh_staging(out)
    try:
        renders = _Renders(out, previous if reuse else None, pool, None if warm is None else warm.pieces)
        staged = _render_all(ws, models, staging, out, template, renders)  # goes on in the pool's workers
        if any(model.charts for model in models):
            from reportgen.render.fonts import chart_font_note

            result.notes.append(chart_font_note(_chart_font(ws)))
        state = {
            "inputs": input_cells(ws, None if warm is None else warm.sheets),
            "figures": [f for m in models for f in m.figures],
            "ledger": ledger_snapshot(ws.ledger),
            "verdicts": verdicts or {},
        }
        if previous is not None:
            result.changes = compare_builds(previous, state, statements or [])
            staged[CHANGE_NOTE] = _render_change_note(ws, result.changes, staging, renders)
        renders.finish()
        if not force:  # a report edited since the last build is refreshed, its edits kept
            from reportgen.publish.refresh import refresh_edited

            result.notes += refresh_edited(staged, models, out, previous)
        if pdf:
            _stage_pdfs(staged, staging, out, result)
        state["reports"] = {m.filename: renders.record[m.filename]["file"] for m in models}
        state["ledger_history"] = ledger_history(previous, state["ledger"])
        state["rendered"] = renders.record
        state["built_at"] = dt.datetime.now().isoformat(timespec="seconds")
        staged[FIGURE_RECORD] = _stage_json(staging / FIGURE_RECORD, {"figures": state["figures"]})
        if verdicts:
            staged[VERDICT_RECORD] = _stage_json(staging / VERDICT_RECORD, verdicts)
        staged[f"{STATE_DIR}/{STATE_FILE}"] = _stage_json(staging / STATE_FILE, state, compact=True)
        with uninterrupted():
            _commit(staged, out, previous, result)
            note_published(out)
        if not pdf:
            _retire_stale_pdfs(result, out, previous)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.warnings = [str(issue) for issue in ws.warnings] + [w for m in models for w in m.warnings]
    return result


def _stage_pdfs(staged: dict[str, Path], staging: Path, out: Path, result: BuildResult) -> None:
    """A PDF of every report and of the 变更说明, published with them; a failure keeps the reports."""
    from reportgen.render.pdf import stage_pdfs

    try:
        result.notes.append(stage_pdfs(staged, staging, out))
    except ReportgenError as exc:
        result.pdf_error = str(exc)


def _retire_stale_pdfs(result: BuildResult, out: Path, previous: dict | None) -> None:
    """A report replaced without --pdf: its old PDF no longer matches it and goes to 历史版本 too."""
    for report in list(result.written):
        stale = report.with_suffix(".pdf")
        if report.suffix == ".docx" and stale.is_file():
            result.kept.append(_keep_previous(stale, out / HISTORY_DIR / _history_stamp(previous)))


def _keep_previous(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder`` (历史版本/<time>) under a name no kept version has."""
    folder.mkdir(parents=True, exist_ok=True)
    target = free_name(folder, path.name)
    os.replace(path, target)
    return target


def cache_dir(out: Path) -> Path:
    """Charts and workbook sheets by content hash: safe to delete at any time, rebuilt on demand."""
    return out / STATE_DIR / "cache"


def _tidy(out: Path) -> list[str]:
    """With the lock held: finish or undo a publish a killed build left, remove its temporaries."""
    notes = [note for note in [recover(out, out / STATE_DIR)] if note]
    for stale in (out / STATE_DIR).glob("staging-*"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    temporaries = (cache_dir(out).glob("*.tmp"), cache_dir(out).glob("*/*.tmp"), out.glob(".*.tmp"),
                   (out / STATE_DIR).glob(".*.tmp"))
    for stale in (path for found in temporaries for path in found):
        remove_quietly(stale)
    return notes


def _fresh_staging(out: Path) -> Path:
    staging = out / STATE_DIR / f"staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def _render_all(ws, models: list, staging: Path, out: Path, template: Path | None, renders: "_Renders") -> dict[str, Path]:
    font = _chart_font(ws)
    return renders.run([(model, template or template_path(model.template), staging / model.filename, font,
                         cache_dir(out), ws.settings.charts) for model in models])


class _Renders:
    """Renders jobs ``(model, template, staging path, font, chart cache folder or None, chart mode)``, on
    the pool when there is one (``run`` returns while the workers render; ``finish`` waits),
    and reuses the current file of a job whose model is unchanged."""

    def __init__(self, out: Path, previous: dict | None, pool, pieces=None):
        self.out = out
        self.previous = previous
        self.pool = pool
        self.pieces = pieces   # used when rendering in this process
        self.record: dict[str, dict] = {}   # file name → {"model": digest, "file": digest}
        self._staged: dict[str, Path] = {}
        self._running: list = []

    def run(self, jobs: list[tuple]) -> dict[str, Path]:
        from reportgen.publish.reuse import model_digest, still_current

        staged, todo = {}, []
        for job in jobs:
            model, template_file, path, font, _, charts = job
            digest = model_digest(model, template_file, font, charts)
            target = self.out / model.filename
            if still_current(self.previous, target, digest):
                staged[model.filename] = target
            else:
                staged[model.filename] = path
                todo.append(job)
            self.record[model.filename] = {"model": digest}
        self._render(todo)
        self._staged.update(staged)
        return staged

    def finish(self) -> None:
        """Wait for every render (re-raising the first failure), then record the files' digests."""
        from reportgen.publish.reuse import file_digest

        for rendering in self._running:
            rendering.wait()
        for name, path in self._staged.items():
            self.record[name]["file"] = file_digest(path)

    def _render(self, jobs: list[tuple]) -> None:
        if not jobs:
            return
        if self.pool is not None:
            self._running.append(self.pool.start_reports(jobs))
            return
        from reportgen.render.charts import ChartCache
        from reportgen.render.docx import render_report

        for model, template_file, path, font, folder, charts in jobs:
            cache = ChartCache(folder) if folder else None
            render_report(model, template_file, path, chart_cache=cache, chart_font=font, charts=charts,
                          pieces=self.pieces)


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
    """Move the changed files into place as one transaction (``reportgen.publish.journal``)."""
    history = out / HISTORY_DIR / _history_stamp(previous)
    moves, reserved = [], set()
    for name, path in staged.items():
        target = out / name
        if path == target or (target.is_file() and _same_bytes(target, path)):
            if not name.endswith(".json"):
                result.unchanged.append(target)
            continue
        os.chmod(path, 0o666 & ~_umask())  # staged files are private temporaries
        backup = kept = None
        if target.exists():
            kept = name.endswith(".docx")
            backup = free_name(history, target.name, reserved) if kept else backup_path(out / STATE_DIR, target.name)
        moves.append(Move(name, _rel(path, out), None if backup is None else _rel(backup, out), bool(kept)))
        if not name.endswith(".json"):
            result.written.append(target)
            if kept:
                result.kept.append(backup)
    commit(out, out / STATE_DIR, moves)


def _rel(path: Path, out: Path) -> str:
    return os.path.relpath(path, out)


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def _json_text(data: dict, compact: bool) -> str:
    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))

    if compact:
        return dump(data)
    parts = []
    for key in sorted(data):
        value = data[key]
        body = ("[\n" + ",\n".join(dump(v) for v in value) + "\n]") if isinstance(value, list) and value else dump(value)
        parts.append(f"{dump(key)}: {body}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _history_stamp(previous: dict | None) -> str:
    """Old versions are filed under the time the previous build was made."""
    built = (previous or {}).get("built_at") or dt.datetime.now().isoformat(timespec="seconds")
    return built.replace(":", "").replace("-", "").replace("T", "-")


def _stage_json(path: Path, data: dict, compact: bool = False) -> Path:
    """For people one entry of each list per line; ``compact`` for the build's own state. Both use
    the C encoder (an indented dump runs in Python: 1.5 s for the 13 MB record of 3,000 schools)."""
    text = _json_text(data, compact)
    with open(path, "wb") as handle:
        handle.write(text.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    return path


def compare_builds(previous: dict, current: dict, statements: list | None = None) -> dict:
    """What changed since ``previous``: input cells, printed figures, verdicts (a school's
    达标项数, an item's 达标/未达标, list members) and person-written sentences whose figure moved."""
    from reportgen.analysis.verdicts import moved_statements, verdict_changes
    from reportgen.publish.changes import figure_changes
    from reportgen.publish.inputs import input_changes

    old_verdicts, new_verdicts = previous.get("verdicts"), current.get("verdicts")
    return {
        "inputs": input_changes(previous.get("inputs", {}), current["inputs"]),
        "figures": figure_changes(previous.get("figures", []), current["figures"]),
        "verdicts": verdict_changes(old_verdicts, new_verdicts) if new_verdicts else [],
        "texts": moved_statements(old_verdicts, statements or []),
    }


def _render_change_note(ws, changes: dict, staging: Path, renders: _Renders) -> Path:
    from reportgen.publish.changes import change_note_model

    model = change_note_model(ws, changes)
    return renders.run([(model, template_path(model.template), staging / CHANGE_NOTE, None, None, "native")])[CHANGE_NOTE]

"""Building several workspaces in one command, in parallel processes when asked."""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from reportgen.core.errors import ReportgenError
from reportgen.publish.pool import worker_count


def build_many(workspaces: list[Path], reports: list[str], out: Path | None, template: Path | None,
               jobs: int = 1, clear_cache: bool = False, pdf: bool = False,
               force: bool = False) -> list[tuple[Path, object]]:
    """(workspace, BuildResult or the ReportgenError it raised) for each workspace, in order."""
    if len(workspaces) == 1:  # one workspace: its charts and reports are rendered on ``jobs`` processes
        from reportgen.publish.build import build

        return [(workspaces[0], build(workspaces[0], reports, out, template, clear_cache, jobs, pdf, force))]
    # several: one process per workspace, each rendering in-process (no pools inside pools)
    tasks = [(ws, reports, _out_for(ws, out), template, clear_cache, 1, pdf, force) for ws in workspaces]
    workers = min(worker_count(jobs), len(tasks))
    if workers <= 1:
        return [(t[0], _build_one(t)) for t in tasks]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(zip(workspaces, pool.map(_build_one, tasks)))


def _out_for(workspace: Path, out: Path | None) -> Path | None:
    return None if out is None else out / Path(workspace).resolve().name


def _build_one(task: tuple) -> object:
    from reportgen.publish.build import build

    try:
        return build(*task)
    except ReportgenError as exc:
        return exc

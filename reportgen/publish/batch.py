"""Building several workspaces in one command, in parallel processes when asked."""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from reportgen.core.errors import ReportgenError
from reportgen.publish.pool import stop_workers, worker_count


def build_many(workspaces: list[Path], reports: list[str], out: Path | None, template: Path | None,
               jobs: int = 1, clear_cache: bool = False, pdf: bool = False,
               force: bool = False) -> list[tuple[Path, object]]:
    """(workspace, BuildResult or the ReportgenError it raised) for each workspace, in order."""
    if len(workspaces) == 1:  # one workspace: its charts and reports are rendered on ``jobs`` processes
        from reportgen.publish.build import build

        return [(workspaces[0], build(workspaces[0], reports, out, template, clear_cache, jobs, pdf, force))]
    # several: one process per workspace, each rendering in-process (no pools inside pools)
    folders = output_folders(workspaces, out)
    tasks = [(ws, reports, folder, template, clear_cache, 1, pdf, force) for ws, folder in zip(workspaces, folders)]
    workers = min(worker_count(jobs), len(tasks))
    if workers <= 1:
        return [(t[0], _build_one(t)) for t in tasks]
    from reportgen.publish.orphans import die_with_parent, mark_parent

    mark_parent()
    pool = ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent)
    try:
        outcomes = list(zip(workspaces, pool.map(_build_one, tasks)))
    except BaseException:
        stop_workers(pool)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return outcomes


def output_folders(workspaces: list[Path], out: Path | None) -> list[Path | None]:
    """A distinct subfolder of ``out`` per workspace: its folder name (region and year, as
    ``某县2025``), prefixed by the parent folder's name when two are equal, then numbered."""
    if out is None:
        return [None] * len(workspaces)
    from reportgen.publish.names import safe_part

    paths = [Path(ws).resolve() for ws in workspaces]
    plain = [safe_part(_stem(p)) or "工作区" for p in paths]
    names = [f"{safe_part(path.parent.name)}-{name}" if plain.count(name) > 1 and safe_part(path.parent.name)
             else name for path, name in zip(paths, plain)]
    seen: dict[str, int] = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        result.append(out / (name if seen[name] == 1 else f"{name}-{seen[name]}"))
    return result


def _stem(path: Path) -> str:
    return path.stem if path.suffix.lower() in (".xlsx", ".csv") else path.name


def _build_one(task: tuple) -> object:
    from reportgen.publish.build import build

    try:
        return build(*task)
    except ReportgenError as exc:
        return exc

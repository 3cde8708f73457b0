"""Rendering on every core: worker processes that draw charts and render reports.

A cold build spends most of its time in matplotlib and docxtpl, each chart and each report
independent of the others. ``RenderPool`` starts its workers when the build starts, so that
importing matplotlib and docxtpl (≈0.5 s) happens while the parent reads the workbook and
analyses it; by the time the report models exist the workers are ready.

On POSIX the workers are forked from a ``forkserver`` that has already imported the render
layer (one import for all workers, and never a fork of the parent, which may hold threads);
elsewhere they are spawned and import it themselves. Workers write charts into the build's
chart cache and reports into the staging folder, so the parent only waits. Every result is the
same as a serial build's: a worker runs exactly the code the parent would.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

# Imported by the forkserver before it forks any worker; matplotlib (≈0.35 s) only for PNG charts.
_PRELOAD = ["reportgen.publish.orphans", "reportgen.publish.pool", "reportgen.render.charts", "reportgen.render.docx",
            "reportgen.render.native_charts", "pptx.chart.xmlwriter", "pptx.chart.data", "xlsxwriter",
            "docxtpl", "docx", "jinja2.sandbox"]
_PICTURE_PRELOAD = ["matplotlib.figure", "matplotlib.backends.backend_agg"]


def worker_count(jobs: int) -> int:
    """Processes for ``jobs`` (0 = one per core)."""
    return max(1, jobs or os.cpu_count() or 1)


class RenderPool:
    """A process pool for charts and reports; ``None`` from ``start`` means render in-process."""

    def __init__(self, executor: ProcessPoolExecutor):
        self._executor = executor

    @classmethod
    def start(cls, jobs: int, pictures: bool = False) -> "RenderPool | None":
        """Workers for ``jobs``; ``pictures``: the charts are PNGs, so the workers load matplotlib too."""
        workers = worker_count(jobs)
        if workers < 2:
            return None
        context = _context(pictures)
        from reportgen.publish.orphans import mark_parent

        mark_parent()
        try:
            executor = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm_up,
                                           initargs=(pictures,))
            if context.get_start_method() == "forkserver":
                from multiprocessing import forkserver

                forkserver.ensure_running()  # imports _PRELOAD now; workers fork from it when needed
            else:  # spawned workers import for themselves: start them now
                for _ in range(workers):
                    executor.submit(_ready)
        except (OSError, ValueError):  # no process support here: render in the parent
            return None
        return cls(executor)

    def start_reports(self, jobs: list[tuple]) -> "Rendering":
        """Start rendering ``(model, template, out_path, font, chart cache folder or None, chart mode)`` jobs
        and return at once; ``Rendering.wait()`` waits for them.

        Each distinct chart is drawn once, into the cache, by whichever worker is free (charts
        of the reports with the most charts first); a report is rendered as soon as its own
        charts are in the cache. A thread of this process does the scheduling, so the caller
        can go on with its own work meanwhile.
        """
        return Rendering(self, jobs)

    def _render_all(self, jobs: list[tuple]) -> None:
        try:
            self._render_in_workers(jobs)
        except BrokenProcessPool:  # a worker died (or could not start): finish in this process
            for job in jobs:
                _render(*job)

    def _render_in_workers(self, jobs: list[tuple]) -> None:
        charts: dict[str, Future] = {}
        waiting = []
        for job in sorted(jobs, key=lambda j: -len(j[0].charts)):
            model, _, _, font, folder, mode = job
            needs = []
            for spec in (model.charts if folder and mode == "picture" else ()):
                key = _spec_identity(spec, font)
                if key not in charts:
                    charts[key] = self._executor.submit(_draw_chart, spec, font, str(folder))
                needs.append(charts[key])
            waiting.append((job, needs))
        self._run_when_ready(waiting)

    def _run_when_ready(self, waiting: list[tuple[tuple, list[Future]]]) -> None:
        rendering = []
        while waiting:
            ready = [i for i, (_, needs) in enumerate(waiting) if all(f.done() for f in needs)]
            for i in ready:
                job, needs = waiting[i]
                for future in needs:
                    future.result()  # a chart that failed fails the build, as in-process
                rendering.append(self._executor.submit(_render, *job))
            waiting = [item for i, item in enumerate(waiting) if i not in ready]
            if waiting:
                wait({f for _, needs in waiting for f in needs if not f.done()}, return_when=FIRST_COMPLETED)
        wait(rendering)
        for future in rendering:
            future.result()  # re-raise the first failure (a TemplateError reaches the user as is)

    def close(self, finish: bool = True) -> None:
        """Stop the workers; ``finish=False`` ends them at once (a build that failed or was interrupted)."""
        if not finish:
            stop_workers(self._executor)
        self._executor.shutdown(wait=finish, cancel_futures=True)


class Rendering:
    """Jobs being rendered by a pool; ``wait`` re-raises what failed (a TemplateError as is)."""

    def __init__(self, pool: RenderPool, jobs: list[tuple]):
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(pool, jobs), name="reportgen-render", daemon=True)
        self._thread.start()

    def _run(self, pool: RenderPool, jobs: list[tuple]) -> None:
        try:
            pool._render_all(jobs)
        except BaseException as exc:  # handed to the caller's thread by wait()
            self._error = exc

    def wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


def stop_workers(executor: ProcessPoolExecutor) -> None:
    """Kill an executor's worker processes now (they hold nothing that must be finished)."""
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        try:
            process.kill()
            process.join(timeout=2)
        except (OSError, ValueError, AttributeError):
            pass


def _spec_identity(spec, font: str | None) -> str:
    """Which specs are the same chart (the parent does not import matplotlib to hash fonts)."""
    return json.dumps([spec.kind, spec.data, font], ensure_ascii=False, sort_keys=True, default=str)


def _context(pictures: bool):
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD + (_PICTURE_PRELOAD if pictures else []))
        return context
    return multiprocessing.get_context("spawn")


# ---------------------------------------------------------------- in the workers

def _ready() -> None:
    """A first task, so that spawned workers start (and warm up) at once."""


def _warm_up(pictures: bool) -> None:
    """Each worker's first act: die with the build, import the render layer (done when
    preloaded), and for PNG charts matplotlib with the chart font registered."""
    from reportgen.publish.orphans import die_with_parent

    die_with_parent()
    import docxtpl  # noqa: F401

    from reportgen.render import docx  # noqa: F401

    if pictures:
        from matplotlib.backends import backend_agg  # noqa: F401
        from matplotlib import figure  # noqa: F401
        from reportgen.render.charts import resolve_font

        resolve_font(None)


def _draw_chart(spec, font: str | None, cache_folder: str) -> None:
    from reportgen.render.charts import ChartCache

    ChartCache(cache_folder).png(spec, font)


def _render(model, template, out_path, font: str | None, cache_folder: str | None, charts: str = "native") -> None:
    from reportgen.render.charts import ChartCache
    from reportgen.render.docx import render_report

    cache = ChartCache(cache_folder) if cache_folder else None
    render_report(model, template, out_path, chart_cache=cache, chart_font=font, charts=charts)

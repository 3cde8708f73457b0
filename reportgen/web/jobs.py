"""Report builds started from the page: one background thread per build, one build per workspace.

A second click (or a second tab) while a workspace builds gets the running build back instead
of starting another, so two builds never write into the same output folder at once. Each
workspace keeps one warm ``Engine`` (``reportgen.publish.engine``, as ``reportgen watch`` does),
so a build after a correction reuses the sheets, systems and rendered pieces that did not change.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.core.errors import InputErrors, ReportgenError
from reportgen.publish.engine import Engine

RUNNING, DONE, FAILED = "正在生成", "已完成", "生成失败"


@dataclass
class BuildJob:
    workspace: str
    started: float = field(default_factory=time.monotonic)
    state: str = RUNNING
    finished: float | None = None
    lines: list[str] = field(default_factory=list)   # what was written, kept, changed; or the errors

    def status(self) -> dict:
        end = self.finished if self.finished is not None else time.monotonic()
        return {"workspace": self.workspace, "state": self.state, "done": self.state != RUNNING,
                "seconds": round(end - self.started, 1), "lines": list(self.lines)}


class BuildJobs:
    """The builds of one server: at most one running per workspace, each with its engine."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._current: dict[str, BuildJob] = {}
        self._engines: dict[str, Engine] = {}

    def start(self, name: str, folder: Path) -> BuildJob:
        with self._guard:
            job = self._current.get(name)
            if job is not None and job.state == RUNNING:
                return job
            job = self._current[name] = BuildJob(name)
        threading.Thread(target=self._run, args=(job, folder), name=f"build-{name}", daemon=True).start()
        return job

    def get(self, name: str) -> BuildJob | None:
        with self._guard:
            return self._current.get(name)

    def engine(self, name: str, folder: Path) -> Engine:
        """The warm engine of workspace ``name`` (a new one if its folder is another)."""
        with self._guard:
            engine = self._engines.get(name)
            if engine is None or engine.workspace != Path(folder):
                engine = self._engines[name] = Engine(Path(folder))
            return engine

    def _run(self, job: BuildJob, folder: Path) -> None:
        try:
            job.lines = result_lines(self.engine(job.workspace, folder).build())
            job.state = DONE
        except ReportgenError as exc:
            job.lines = error_lines(exc)
            job.state = FAILED
        except Exception as exc:  # a bug must not leave the page waiting forever
            job.lines = [f"内部错误：{type(exc).__name__}: {exc}"]
            job.state = FAILED
        finally:
            job.finished = time.monotonic()


def result_lines(result) -> list[str]:
    from reportgen.publish.changes import result_lines as lines

    return lines(result, show=lambda p: p.name if p.parent == result.out_dir else f"{p.parent.name}/{p.name}")


def error_lines(exc: ReportgenError) -> list[str]:
    issues = [str(i) for i in exc.issues] if isinstance(exc, InputErrors) else []
    return issues + [f"错误：{exc}"]

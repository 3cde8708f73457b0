"""A warm process that rebuilds a workspace's reports whenever its inputs are saved.

``Watcher`` polls the size and modification time of every input file of a workspace (the
workbook, CSV files, ``reportgen.yaml``, templates: everything in the workspace folder except
the output folder, hidden files and Office lock files ``~$…``); when a save has settled (two
polls in a row see the same files) it builds with its warm ``Engine`` (``publish/engine.py``),
in this process: the imports stay loaded, unchanged sheets are not read or typed again, indicator
systems are not parsed again, unchanged tables and rows are not rendered again, and a report
whose model is unchanged is not rendered at all (``publish/reuse.py``).

Polling needs no dependency and works on network drives, where file-change notifications
often do not arrive; at the default 20 ms interval a poll costs a few ``stat`` calls (a build
starts some 30 ms after a save ends: half a poll to see it, one poll to see it has settled).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from reportgen.core.errors import ReportgenError
from reportgen.publish.engine import Engine

POLL_SECONDS = 0.02
GRACE_POLLS = 25     # a failed build is reported after this many polls without a change (0.5 s)
LOCK_PREFIX = "~$"

Snapshot = dict[str, tuple[int, int]]   # relative path → (mtime_ns, size)


@dataclass
class WatchEvent:
    """One build of the watcher: its result, or the error that stopped it; how long it took."""

    result: object | None
    error: ReportgenError | None
    seconds: float


class Watcher:
    """Rebuilds ``workspace`` when its inputs change; ``run`` loops until interrupted."""

    def __init__(self, workspace: Path, reports: list[str] | None = None, out_dir: Path | None = None,
                 interval: float = POLL_SECONDS):
        self.workspace = Path(workspace)
        self.reports = reports
        self.out_dir = out_dir
        self.interval = interval
        self.engine = Engine(self.workspace, out_dir)
        self._seen: Snapshot = {}

    def output_folder(self) -> Path:
        if self.out_dir is not None:
            return Path(self.out_dir)
        from reportgen.core.settings import load_settings

        try:
            return self.workspace / load_settings(self.workspace).output_dir
        except ReportgenError:
            return self.workspace / "输出"

    def snapshot(self) -> Snapshot:
        """The inputs as they are now (the output folder and lock or hidden files left out)."""
        skip = self.output_folder().resolve()
        found: Snapshot = {}
        for path in sorted(self.workspace.rglob("*")):
            relative = path.relative_to(self.workspace)
            if any(part.startswith((".", LOCK_PREFIX)) for part in relative.parts):
                continue
            if path.resolve() == skip or skip in path.resolve().parents:
                continue
            try:
                stat = path.stat()
            except OSError:  # removed while we looked
                continue
            if path.is_file():
                found[str(relative)] = (stat.st_mtime_ns, stat.st_size)
        return found

    def rebuild(self) -> WatchEvent:
        """Build now (remembering the inputs as they were when the build started)."""
        self._seen = self.snapshot()
        start = time.perf_counter()
        try:
            result = self.engine.build(self.reports)
        except ReportgenError as exc:
            return WatchEvent(None, exc, time.perf_counter() - start)
        return WatchEvent(result, None, time.perf_counter() - start)

    def changed(self) -> bool:
        """Whether the inputs differ from the last build's and have stopped changing."""
        now = self.snapshot()
        if now == self._seen:
            return False
        time.sleep(self.interval)
        return self.snapshot() == now   # still being written: look again at the next poll

    def run(self, on_event: Callable[[WatchEvent], None], stop: Callable[[], bool] = lambda: False) -> None:
        """Build once, then after every settled change, until ``stop()`` (or Ctrl-C).

        A failed build is reported only once the inputs have stayed as it read them for
        ``GRACE_POLLS`` polls: Excel may pause while writing a workbook long enough to look
        settled, and a build that read half a save ("not a valid workbook") is followed by the
        build of the whole save instead."""
        on_event(self.rebuild())
        failed: WatchEvent | None = None
        quiet = 0
        while not stop():
            if self.changed():
                event = self.rebuild()
                failed, quiet = (event, 0) if event.error is not None else (None, 0)
                if failed is None:
                    on_event(event)
                continue
            if failed is not None and self.snapshot() == self._seen:
                quiet += 1
                if quiet >= GRACE_POLLS:
                    on_event(failed)
                    failed = None
            time.sleep(self.interval)

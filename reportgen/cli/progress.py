"""A progress line on stderr for work that may take more than a second.

It appears only after ``delay`` seconds, only when stderr is a terminal and ``--quiet`` was not
given, shows the elapsed time, and is erased when the work is done (so no output changes).
"""
from __future__ import annotations

import sys
import threading
import time

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Progress:
    def __init__(self, label: str, quiet: bool = False, stream=None, delay: float = 1.0, tick: float = 0.2):
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.shown = not quiet and _is_terminal(self.stream)
        self.delay = delay
        self.tick = tick
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._wrote = False

    def __enter__(self) -> "Progress":
        if self.shown:
            self._thread = threading.Thread(target=self._run, name="progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
        if self._wrote:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _run(self) -> None:
        start = time.monotonic()
        if self._done.wait(self.delay):
            return
        frame = 0
        while not self._done.is_set():
            self.stream.write(f"\r{FRAMES[frame % len(FRAMES)]} {line(self.label, time.monotonic() - start)}\033[K")
            self.stream.flush()
            self._wrote = True
            frame += 1
            self._done.wait(self.tick)


def line(label: str, seconds: float) -> str:
    """The progress text: ``正在生成报告……已用 3 秒``."""
    return f"{label}……已用 {int(seconds)} 秒"


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())

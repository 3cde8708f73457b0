"""One build at a time per output folder: an OS file lock held for the whole build.

The lock is released by the operating system when the process ends, however it ends, so a
killed build never blocks the next one. A second build waits up to ``LOCK_WAIT_SECONDS``
(``REPORTGEN_LOCK_WAIT`` overrides it), then says that another build is running.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

from reportgen.core.errors import OutputError

LOCK_FILE = "lock"
LOCK_WAIT_SECONDS = 10.0
_POLL = 0.1


@contextmanager
def output_lock(state_dir: Path):
    """Hold the lock of the output folder whose state folder is ``state_dir``."""
    state_dir.mkdir(parents=True, exist_ok=True)
    handle = open(state_dir / LOCK_FILE, "a+b")
    try:
        _acquire(handle, state_dir.parent)
        yield
    finally:
        handle.close()  # closing releases the lock


def _acquire(handle, out: Path) -> None:
    deadline = time.monotonic() + _wait_seconds()
    while not _try_lock(handle):
        if time.monotonic() >= deadline:
            raise OutputError(f"另一个 reportgen 正在向「{out}」生成报告，请等它结束后再试"
                              "（或用 --out 指定其他输出文件夹）")
        time.sleep(_POLL)


def _wait_seconds() -> float:
    try:
        return float(os.environ.get("REPORTGEN_LOCK_WAIT", LOCK_WAIT_SECONDS))
    except ValueError:
        return LOCK_WAIT_SECONDS


def _try_lock(handle) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False

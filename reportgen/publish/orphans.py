"""Helper processes never outlive the build: each one dies with the process that started it.

On Linux the kernel does it (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); elsewhere a daemon thread
polls the parent's pid. Importing this module in the forkserver (it is preloaded there) arms
it when the forkserver's parent is the build that marked itself in ``PARENT_ENV``; workers
call ``die_with_parent`` in their initializer. Workers also ignore SIGINT: Ctrl-C reaches the
whole process group, and only the build itself answers it (no worker tracebacks).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

PARENT_ENV = "REPORTGEN_BUILD_PID"
_PR_SET_PDEATHSIG = 1
_POLL_SECONDS = 0.5


def mark_parent() -> None:
    """Called by the build before it starts helpers: children recognise their parent by this."""
    os.environ[PARENT_ENV] = str(os.getpid())


def die_with_parent(ignore_interrupt: bool = True) -> None:
    """Make this process end when its parent ends; optionally leave Ctrl-C to the parent."""
    if ignore_interrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    if sys.platform.startswith("linux") and _prctl_deathsig():
        if os.getppid() != parent:  # the parent died before the call
            os._exit(1)
        return
    threading.Thread(target=_watch, args=(parent,), name="reportgen-parent-watch", daemon=True).start()


def _prctl_deathsig() -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_POLL_SECONDS)
    os._exit(1)


def _arm_forkserver() -> None:
    """In a forkserver started by a build: leave Ctrl-C to the build (the forkserver ignores it
    only once its preloading is done) and die with the build (prctl only: no threads here)."""
    if os.environ.get(PARENT_ENV) == str(os.getppid()) and "multiprocessing.forkserver" in sys.modules:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if sys.platform.startswith("linux"):
            _prctl_deathsig()


_arm_forkserver()

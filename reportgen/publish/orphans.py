"""Helper processes never outlive the build: each one dies with the process that started it.

On Linux the kernel does it (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); in every worker a daemon
thread also polls the build's pid (from ``PARENT_ENV``), which covers other systems and a worker
whose forkserver died before the worker armed its own signal. Importing this module in the forkserver (it is preloaded there) arms
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
    if sys.platform.startswith("linux"):
        _prctl_deathsig()
    build = os.environ.get(PARENT_ENV, "")
    if build.isdigit() and int(build) != os.getpid():  # also covers a parent that died before prctl
        threading.Thread(target=_watch, args=(int(build),), name="reportgen-build-watch", daemon=True).start()


def _prctl_deathsig() -> bool:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(build: int) -> None:
    """End this process once the build process ``build`` no longer exists."""
    while True:
        try:
            os.kill(build, 0)
        except ProcessLookupError:
            os._exit(1)
        except OSError:
            pass  # exists, owned by someone else (cannot happen for our own parent)
        time.sleep(_POLL_SECONDS)


def _arm_forkserver() -> None:
    """In a forkserver started by a build: leave Ctrl-C to the build (the forkserver ignores it
    only once its preloading is done) and die with the build (prctl only: no threads here)."""
    if os.environ.get(PARENT_ENV) == str(os.getppid()) and "multiprocessing.forkserver" in sys.modules:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if sys.platform.startswith("linux"):
            _prctl_deathsig()


_arm_forkserver()

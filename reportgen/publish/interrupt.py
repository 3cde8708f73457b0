"""Ctrl-C and SIGTERM: one Chinese line, exit 130/143, and the truth about the output folder.

The command line installs ``install_handlers``: a signal raises ``Interrupted`` in the main
thread, except inside ``uninterrupted()`` (the commit of a publish), where it is held until the
block ends, so that a publish is never cut in half by a signal this process can catch.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

EXIT_CODES = {signal.SIGINT: 130, getattr(signal, "SIGTERM", signal.SIGINT): 143}


class Interrupted(KeyboardInterrupt):
    """The user (Ctrl-C) or the system (SIGTERM) asked the build to stop."""

    def __init__(self, signum: int, published: bool = False):
        super().__init__(signum)
        self.signum = signum
        self.published = published  # the signal came during a commit, which was completed first

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.signum, 130)


_held: list[int] = []
_depth = [0]
published: list = []  # output folders this process has published into (for a truthful message)


def note_published(out) -> None:
    published.append(out)


def install_handlers() -> None:
    """Route SIGINT and SIGTERM to ``Interrupted`` (main thread only; a no-op elsewhere)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in EXIT_CODES:
        signal.signal(signum, _on_signal)


def _on_signal(signum, frame) -> None:
    if _depth[0]:
        _held.append(signum)
        return
    raise Interrupted(signum)


@contextmanager
def uninterrupted():
    """Hold SIGINT/SIGTERM until the block is done, then raise ``Interrupted(published=True)``."""
    _depth[0] += 1
    try:
        yield
    finally:
        _depth[0] -= 1
    if not _depth[0] and _held:
        signum = _held[0]
        _held.clear()
        raise Interrupted(signum, published=True)

"""A warm build engine: one workspace's builds in a long-lived process, reusing what is unchanged.

``reportgen watch`` and the web page (``reportgen serve``) keep one ``Engine`` per workspace. Its
builds are ordinary ``build`` calls (same checks, same atomic publish, the same bytes as a cold
``reportgen build``) that also get the engine's ``WarmState``:

* loading (``loading/memo.py``): unchanged sheets are neither read, decoded nor typed and
  checked cell by cell again (rules across sheets always run);
* indicator systems: parsed once per file text (``systems.indicators.load_system``);
* rendering (``render/pieces.py``): a table, a table row or a native chart's parts that say what
  they said in an earlier render are copied instead of being written again;
* publishing: the input cells of unchanged sheets are not collected again; the state a build
  wrote is parsed in the background while the process waits for the next save (``StateAhead``);
  a report whose model is unchanged is not rendered at all and an unchanged file is not written
  (``publish/reuse.py``, as in every build).

Rendering stays in this process (``jobs=1``): the pieces live here, and on a one-cell correction
a process pool would cost more than it saves. One build at a time per engine (a lock); the
output folder's lock still keeps other processes out.
"""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.loading.memo import SheetMemo
from reportgen.render.pieces import RenderPieces


class StateAhead:
    """The state.json a build wrote, read by a background thread before the next build needs it
    (as ``history.load_state`` reads it; used once, and only while the file is the one read)."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._found: tuple[Path, tuple, dict] | None = None

    def prefetch(self, out: Path) -> None:
        self._found = None
        self._thread = threading.Thread(target=self._read, args=(out,), name="reportgen-state", daemon=True)
        self._thread.start()

    def _read(self, out: Path) -> None:
        from reportgen.publish.history import load_state

        before = _identity(out)
        state = load_state(out)
        if state is not None and before is not None and _identity(out) == before:
            self._found = (out, before, state)

    def load(self, out: Path, notes: list[str]) -> dict | None:
        """The previous build's state: the one read ahead if the file is still that one."""
        from reportgen.publish.history import load_state

        if self._thread is not None:
            self._thread.join()
        found, self._found, self._thread = self._found, None, None
        if found is not None and found[0] == out and found[1] == _identity(out):
            return found[2]
        return load_state(out, notes)


def _identity(out: Path) -> tuple | None:
    from reportgen.publish.history import state_path

    try:
        stat = state_path(out).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


@dataclass
class WarmState:
    """What is kept between builds: the sheets, the rendered pieces, the state read ahead."""

    sheets: SheetMemo = field(default_factory=SheetMemo)
    pieces: RenderPieces = field(default_factory=RenderPieces)
    ahead: StateAhead = field(default_factory=StateAhead)


class Engine:
    """The builds of one workspace (into ``out_dir``, or the folder its settings name)."""

    def __init__(self, workspace: Path, out_dir: Path | None = None):
        self.workspace = Path(workspace)
        self.out_dir = out_dir
        self.state = WarmState()
        self.builds = 0
        self._lock = threading.Lock()

    def build(self, reports: list[str] | None = None, **options):
        """``publish.build.build`` with the warm state; ``options`` as it takes them (not ``jobs``)."""
        from reportgen.publish.build import build

        with self._lock:
            self.state.sheets.start()
            self.state.pieces.start()
            result = build(self.workspace, reports, self.out_dir, jobs=1, warm=self.state, **options)
            self.builds += 1
            self.state.ahead.prefetch(result.out_dir)
            return result

    def reused(self) -> dict[str, int]:
        """What the last build reused and made: ``"typed reused"``/``"typed"`` sheets, ``"inputs
        reused"`` sheets' input cells, ``"table reused"``/``"table"`` and ``"row reused"``/``"row"``
        rendered pieces."""
        counts: Counter[str] = Counter(self.state.sheets.counts)
        counts.update(self.state.pieces.counts)
        return dict(counts)

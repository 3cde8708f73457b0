"""A warm build engine: one workspace's builds in a long-lived process, reusing what is unchanged.

``reportgen watch`` and the web page (``reportgen serve``) keep one ``Engine`` per workspace. Its
builds are ordinary ``build`` calls (same checks, same atomic publish, the same bytes as a cold
``reportgen build``) that also get the engine's ``WarmState``:

* loading (``loading/memo.py``): unchanged sheets are neither read, decoded nor typed and
  checked cell by cell again (rules across sheets always run);
* indicator systems: parsed once per file text (``systems.indicators.load_system``);
* rendering (``render/pieces.py``): a table, or a table row, that says what it said in an earlier
  render is copied instead of being built again with python-docx;
* publishing: a report whose model is unchanged is not rendered at all and an unchanged file is
  not written (``publish/reuse.py``, as in every build).

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


@dataclass
class WarmState:
    """What is kept between builds: the sheets and the rendered pieces."""

    sheets: SheetMemo = field(default_factory=SheetMemo)
    pieces: RenderPieces = field(default_factory=RenderPieces)


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
            self.state.sheets.counts.clear()
            self.state.pieces.start()
            result = build(self.workspace, reports, self.out_dir, jobs=1, warm=self.state, **options)
            self.builds += 1
            return result

    def reused(self) -> dict[str, int]:
        """What the last build reused and made: ``"typed reused"``/``"typed"`` sheets,
        ``"table reused"``/``"table"`` and ``"row reused"``/``"row"`` rendered pieces."""
        counts: Counter[str] = Counter(self.state.sheets.counts)
        counts.update(self.state.pieces.counts)
        return dict(counts)

"""Rendered pieces of Word XML kept between renders by a long-lived process (``reportgen watch``,
the web page; see ``reportgen.publish.engine``).

A generated table (``w:tbl``) and each of its rows (``w:tr``) are functions of what the model says
of them alone: their bookmarks carry id 0 until ``bound.number_anchors`` numbers the finished
document, and widths come from the model's columns. So a table, or a row, whose content was
rendered before is copied from that rendering instead of being built again with python-docx
(the slow part of rendering: ~2 ms a row). A copy is made of a pristine element, never of one
placed in a document, so what a document does to its elements does not reach the next render.

``start`` begins a build: entries the previous build did not use are dropped, so the memory
holds about two builds' pieces.
"""
from __future__ import annotations

import copy
from collections import Counter
from typing import Hashable


class RenderPieces:
    """Pristine elements by content key; ``counts`` says what was reused (``"table reused"``,
    ``"row reused"``) and built (``"table"``, ``"row"``) since ``start``."""

    def __init__(self) -> None:
        self._pieces: dict[Hashable, object] = {}
        self._used: set[Hashable] = set()
        self.counts: Counter[str] = Counter()

    def start(self) -> None:
        if self._used:
            self._pieces = {key: piece for key, piece in self._pieces.items() if key in self._used}
        self._used = set()
        self.counts = Counter()

    def get(self, kind: str, key: Hashable):
        """A copy of the ``kind`` piece made for ``key`` before, or None."""
        piece = self._pieces.get((kind, key))
        if piece is None:
            return None
        self._used.add((kind, key))
        self.counts[f"{kind} reused"] += 1
        return copy.deepcopy(piece)

    def keep(self, kind: str, key: Hashable, element) -> None:
        """Remember a pristine copy of ``element`` (just built) for ``key``."""
        self._pieces[(kind, key)] = copy.deepcopy(element)
        self._used.add((kind, key))
        self.counts[kind] += 1

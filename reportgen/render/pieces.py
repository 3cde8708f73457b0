"""Rendered pieces of Word XML kept between renders by a long-lived process (``reportgen watch``,
the web page; see ``reportgen.publish.engine``).

A generated table (``w:tbl``) and each of its rows (``w:tr``) are functions of what the model says
of them alone: their bookmarks carry id 0 until ``bound.number_anchors`` numbers the finished
document, and widths come from the model's columns. So a table, or a row, whose content was
rendered before is copied from that rendering instead of being built again with python-docx
(the slow part of rendering: ~2 ms a row). A copy is made of a pristine element, never of one
placed in a document, so what a document does to its elements does not reach the next render.
A native chart's parts (chart XML and embedded workbook: immutable bytes) are kept by chart.

``start`` begins a build: entries the previous build did not use are dropped, so the memory
holds about two builds' pieces.
"""
from __future__ import annotations

import copy
from collections import Counter
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")


class RenderPieces:
    """Pristine elements and immutable values by content key; ``counts`` says what was reused
    (``"table reused"``, ``"row reused"``, ``"chart reused"``) and made (``"table"``…) since ``start``."""

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
        """A copy of the ``kind`` element made for ``key`` before, or None."""
        piece = self._recall(kind, key)
        return None if piece is None else copy.deepcopy(piece)

    def keep(self, kind: str, key: Hashable, element) -> None:
        """Remember a pristine copy of ``element`` (just built) for ``key``."""
        self._remember(kind, key, copy.deepcopy(element))

    def value(self, kind: str, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, an immutable value (bytes, frozen dataclasses), made once per ``key``."""
        known = self._recall(kind, key)
        if known is not None:
            return known  # type: ignore[return-value]
        made = make()
        self._remember(kind, key, made)
        return made

    def _recall(self, kind: str, key: Hashable) -> object | None:
        piece = self._pieces.get((kind, key))
        if piece is not None:
            self._used.add((kind, key))
            self.counts[f"{kind} reused"] += 1
        return piece

    def _remember(self, kind: str, key: Hashable, piece: object) -> None:
        self._pieces[(kind, key)] = piece
        self._used.add((kind, key))
        self.counts[kind] += 1

"""Warm loading state of one workspace, kept between builds by a long-lived process (``reportgen
watch``, the web page; see ``reportgen.publish.engine``).

* ``raw``: the raw sheets of the last read by content key (``SheetCache`` consults it before its
  folder), so an unchanged sheet is neither read nor decoded again and stays the *same* object;
* ``typed``: the typed table of each sheet with the issues typing it found. A sheet whose raw rows
  are those of the last build (the same object, or equal rows for a CSV workspace) is not typed
  and checked cell by cell again. Callers get a copy, so nothing a build does to a table reaches
  the next build.

Rules across rows and sheets (``rules.check_all``) always run: they are cheap, and most of them
read the 学校 sheet, which a correction usually touches.
"""
from __future__ import annotations

import copy
from collections import Counter
from typing import Callable, TypeVar

from reportgen.core.errors import InputIssue
from reportgen.core.schema import Sheet
from reportgen.loading.readers import RawSheet

T = TypeVar("T")


class SheetMemo:
    """Raw sheets by content key and typed sheets by name; ``counts`` says what was reused."""

    def __init__(self) -> None:
        self.raw: dict[tuple[str, str], RawSheet] = {}    # (content key, file name) → raw sheet
        self._typed: dict[str, tuple[RawSheet, object, tuple[InputIssue, ...]]] = {}
        self.counts: Counter[str] = Counter()            # "typed reused" / "typed" per build

    def typed(self, sheet: Sheet, raw: RawSheet, issues: list[InputIssue],
              make: Callable[[list[InputIssue]], T]) -> T:
        """``make(issues)`` for this raw sheet, or a copy of what it gave for the same rows."""
        entry = self._typed.get(sheet.name)
        if entry is not None and (entry[0] is raw or entry[0] == raw):
            self.counts["typed reused"] += 1
            issues += entry[2]
            return _copy(entry[1])  # type: ignore[return-value]
        self.counts["typed"] += 1
        found: list[InputIssue] = []
        value = make(found)
        self._typed[sheet.name] = (raw, value, tuple(found))
        issues += found
        return _copy(value)


def _copy(value: T) -> T:
    """A table (DataFrame) or the 基本信息 dict, copied so that a build cannot change the memo."""
    return copy.copy(value) if isinstance(value, dict) else value.copy()  # type: ignore[attr-defined]

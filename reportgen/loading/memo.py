"""Warm loading state of one workspace, kept between builds by a long-lived process (``reportgen
watch``, the web page; see ``reportgen.publish.engine``).

* ``raw``: the raw sheets of the last read by content key (``SheetCache`` consults it before its
  folder), so an unchanged sheet is neither read nor decoded again and stays the *same* object;
* ``typed``: the typed table of each sheet with the issues typing it found. A sheet whose raw rows
  are those of the last build (the same object, or equal rows for a CSV workspace) is not typed
  and checked cell by cell again. Callers get a copy, so nothing a build does to a table reaches
  the next build;
* ``derived``: what later stages compute from some typed sheets alone (the input cells a build
  records, the 学前 analysis), kept while those sheets are unchanged.

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
        self._current: dict[str, RawSheet] = {}          # the sheets this build typed or reused
        self._derived: dict[str, tuple[tuple, object]] = {}   # what → (sheets and extra, value)
        self.counts: Counter[str] = Counter()            # "typed reused" / "typed" per build

    def start(self) -> None:
        """A build begins: nothing is current until it is typed or reused again."""
        self._current = {}
        self.counts = Counter()

    def typed(self, sheet: Sheet, raw: RawSheet, issues: list[InputIssue],
              make: Callable[[list[InputIssue]], T]) -> T:
        """``make(issues)`` for this raw sheet, or a copy of what it gave for the same rows."""
        entry = self._typed.get(sheet.name)
        if entry is not None and (entry[0] is raw or entry[0] == raw):
            self.counts["typed reused"] += 1
            self._current[sheet.name] = entry[0]
            issues += entry[2]
            return _copy(entry[1])  # type: ignore[return-value]
        self.counts["typed"] += 1
        found: list[InputIssue] = []
        value = make(found)
        self._typed[sheet.name] = (raw, value, tuple(found))
        self._current[sheet.name] = raw
        issues += found
        return _copy(value)

    def derived(self, sheets: tuple[str, ...], what: str, make: Callable[[], T], extra: tuple = ()) -> T:
        """``make()`` (a pure function of the typed ``sheets`` and the objects ``extra``), or its
        result in an earlier build from the same sheets and the same ``extra`` objects. Callers do
        not change what they get."""
        current = tuple(self._current.get(sheet) for sheet in sheets)
        if any(token is None for token in current):   # not read in this build: nothing to key by
            return make()
        tokens = current + extra
        kept = self._derived.get(what)
        if kept is not None and len(kept[0]) == len(tokens) and all(a is b for a, b in zip(kept[0], tokens)):
            self.counts[f"{what.split(':')[0]} reused"] += 1
            return kept[1]  # type: ignore[return-value]
        value = make()
        self._derived[what] = (tokens, value)
        return value


def _copy(value: T) -> T:
    """A table (DataFrame) or the 基本信息 dict, copied so that a build cannot change the memo."""
    return copy.copy(value) if isinstance(value, dict) else value.copy()  # type: ignore[attr-defined]

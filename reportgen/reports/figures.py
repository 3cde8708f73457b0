"""The figure record: every number a report prints, with where it came from and where it stands.

Report builders never format a computed number by hand: they call ``FigureBook.put`` which
formats it, remembers (id, value, text, report, section, where) and returns the text
marked as a figure reference (``reportgen.reports.model.figure_ref``), so a renderer can anchor it. The
build writes the record beside the reports and compares it with the previous one (变更说明).
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, TypeVar

from reportgen.reports.model import figure_ref, plain_text


@dataclass(frozen=True)
class FigureUse:
    id: str          # stable figure id, e.g. "quality.junior.sports_area_per_student.cv"
    value: object    # the full-precision value (number, bool or text)
    text: str        # as printed
    report: str      # report name, e.g. "优质均衡发展自评报告"
    section: str     # heading under which it stands
    where: str       # "sentence", "table:<name>", "chart:<name>"

    def as_dict(self) -> dict:
        # Built by hand: dataclasses.asdict deep-copies and is the slow part of a 3,000-school record.
        value = None if isinstance(self.value, float) and math.isnan(self.value) else self.value
        return {"id": self.id, "value": value, "text": self.text, "report": self.report,
                "section": self.section, "where": self.where}


V = TypeVar("V", bound=Any)


class FigureBook:
    """Collects every figure one report prints."""

    def __init__(self, report: str):
        self.report = report
        self.section = ""
        self.uses: list[FigureUse] = []

    @contextmanager
    def under(self, section: str) -> Iterator[None]:
        outer, self.section = self.section, section
        try:
            yield
        finally:
            self.section = outer

    def put(self, fig_id: str, value: V, fmt: Callable[[V], str] = str,
            where: str = "sentence") -> str:
        text = plain_text(fmt(value))  # a figure printed inside another is anchored as the outer one
        self.uses.append(FigureUse(fig_id, _plain(value), text, self.report, self.section, where))
        return figure_ref(fig_id, text)

    def mark(self, text: str, figures: list[dict] | None, where: str = "sentence") -> str:
        """``text`` written by the analysis with each of its ``figures`` ({id, value, text}, in the order
        they stand) recorded and marked where it stands; a figure not found in ``text`` is skipped."""
        out, rest = "", text
        for figure in figures or ():
            head, found, tail = rest.partition(figure["text"])
            if found:
                out += head + self.put(figure["id"], figure["value"], lambda _: found, where)
                rest = tail
        return out + rest

    def records(self) -> list[dict]:
        return [u.as_dict() for u in self.uses]


def _plain(value: object) -> object:
    """numpy scalars → Python numbers, so records serialise as JSON."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value

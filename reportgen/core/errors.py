"""The one exception family reportgen raises for anything a user can fix.

The CLI is the only place that turns these into exit codes; everything below it raises.
"""
from __future__ import annotations

from dataclasses import dataclass


class ReportgenError(Exception):
    """Base of every error a user can act on; ``str()`` is a Chinese message."""


@dataclass(frozen=True)
class InputIssue:
    """One located problem in the user's data (file, sheet, Excel row, column, value, expectation)."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: object
    expected: str
    severity: str = "错误"  # "错误" stops the run; "警告" is reported and the run goes on

    @property
    def is_error(self) -> bool:
        return self.severity == "错误"

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"列「{self.column}」")
        shown = "" if self.value is None else f"：值「{_short(self.value)}」"
        return f"[{self.severity}] {'，'.join(where)}{shown}，{self.expected}"


def _short(value: object, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class InputErrors(ReportgenError):
    """Every problem found in one pass over a workspace (lazy validation)."""

    def __init__(self, issues: list[InputIssue]):
        self.issues = list(issues)
        errors = [i for i in self.issues if i.is_error]
        super().__init__(f"数据检查发现 {len(errors)} 个错误")

    def __reduce__(self):  # survive pickling between processes (batch builds)
        return (type(self), (self.issues,))

    @property
    def errors(self) -> list[InputIssue]:
        return [i for i in self.issues if i.is_error]


class WorkspaceError(ReportgenError):
    """The workspace itself cannot be used: missing folder, unreadable or non-Excel file, bad settings."""


class IndicatorSystemError(ReportgenError):
    """An indicator-system file is malformed."""


class TemplateError(ReportgenError):
    """A Word template cannot be rendered (missing variables, syntax, forbidden access)."""


class OutputError(ReportgenError):
    """An output cannot be written where asked."""

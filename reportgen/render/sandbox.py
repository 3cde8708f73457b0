"""The Jinja sandbox untrusted Word templates render in: plain data only, no files, no side effects."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment


def sandboxed_environment() -> "Environment":
    """A Jinja environment for untrusted templates: plain data only, no files, no side effects."""
    from jinja2 import FunctionLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class ReportSandbox(ImmutableSandboxedEnvironment):
        def is_safe_attribute(self, obj, attr, value):  # noqa: D401 - jinja hook
            return super().is_safe_attribute(obj, attr, value) and isinstance(obj, _readable_types())

    return ReportSandbox(loader=FunctionLoader(_no_template_files), undefined=StrictUndefined,
                         autoescape=True, keep_trailing_newline=True)


def _no_template_files(name: str) -> None:
    """Templates may not include, import or extend files: every name is 'not found'."""
    return None


def _readable_types() -> tuple[type, ...]:
    import datetime as dt

    from jinja2.runtime import LoopContext
    from jinja2.utils import Cycler, Joiner, Namespace

    return (str, int, float, bool, type(None), list, tuple, dict, dt.date, dt.datetime,
            LoopContext, Cycler, Joiner, Namespace)

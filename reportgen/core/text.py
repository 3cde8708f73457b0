"""One rule for control characters in user text that reaches a file name or a chart: removed."""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def strip_control(text: str) -> str:
    """``text`` without control characters (C0, DEL and C1)."""
    return text if text.isprintable() else _CONTROL.sub("", text)


def strip_control_deep(value: object) -> object:
    """``value`` with ``strip_control`` applied to every string inside lists and dicts."""
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, dict):
        return {k: strip_control_deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(strip_control_deep(v) for v in value)
    return value

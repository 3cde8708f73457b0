"""Small helpers shared by the analysis modules: JSON-ready numbers, statuses, lists of names."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, TypeVar

from reportgen.systems.indicators import Indicator, System, load_system

from reportgen.core.vocabulary import FAIL, PASS, PENDING  # noqa: F401 (re-exported)
_SHOWN = 5


def num(value: Any) -> float | None:
    """A float for JSON, None for missing (NaN / None)."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def text(value: object) -> str | None:
    """A text cell for JSON: None for empty or missing (None / NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value).strip() or None


def flag(value: object) -> bool | None:
    """A JSON bool, None when undetermined (None / NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return bool(value)


def status_of(ok: bool | None) -> str:
    return PENDING if ok is None else (PASS if ok else FAIL)


def all_ok(values) -> bool | None:
    """False if any is False, None if any is undetermined, else True."""
    values = list(values)
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def g(value: float) -> str:
    """A number without trailing zeros, for reasons: 2.0 → 2, 0.5 → 0.5."""
    return f"{round(value, 6):g}"


def pct(ratio: float) -> str:
    """A ratio as a percentage in reasons: 0.085 → 8.50%."""
    return f"{ratio * 100:.2f}%"


def change(ratio: float) -> str:
    """A growth ratio in words: 0.054 → 增长5.40%, -0.012 → 下降1.20%."""
    return f"{'增长' if ratio >= 0 else '下降'}{abs(ratio) * 100:.2f}%"


def name_list(names: list[str], limit: int = _SHOWN) -> str:
    """The first few names joined with 、 and 等N所 when there are more."""
    shown = "、".join(names[:limit])
    return shown + (f"等{len(names)}所" if len(names) > limit else "")


def school_label(name: object, row: Any) -> str:
    return f"{name}（第{int(row)}行）"


S = TypeVar("S", bound=System)


def section_standard(ind: Indicator, section: str) -> float:
    """An 优质均衡 indicator's standard for ``section`` (the system file requires one)."""
    if ind.standard is None:
        raise TypeError(f"indicator {ind.id} has no standard")
    return ind.standard[section]


def system_of(kind: str, cls: type[S], name: str, root: Path | str | None) -> S:
    """The indicator system of ``kind`` typed as ``cls`` (load_system returns the union)."""
    system = load_system(kind, name, root)
    if not isinstance(system, cls):
        raise TypeError(f"{kind} system {name!r} is a {type(system).__name__}, not {cls.__name__}")
    return system

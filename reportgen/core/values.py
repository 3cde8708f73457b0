"""Cell values as plain JSON-ready Python values, and as a person reads them in a change list."""
from __future__ import annotations

import datetime as dt
import math


def plain(value: object) -> object:
    """NaN → None, whole floats → int (2.0 → 2), dates → ISO text, numpy scalars → Python."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    item = getattr(value, "item", None)
    return plain(item()) if callable(item) else value


def shown(value: object) -> str:
    """A value in an old → new line: empty shown as 空, line breaks as ／."""
    return "空" if value in (None, "") else str(value).replace("\n", "／")


def cv_text(value: float, limit: float | None = None, digits: int = 3) -> str:
    """A 差异系数 with 3 decimals, more where rounding would hide a failure (0.5004 vs ≤0.50)."""
    shown = f"{value:.{digits}f}"
    while limit is not None and value > limit and float(shown) <= limit and digits < 10:
        digits += 1
        shown = f"{value:.{digits}f}"
    return shown

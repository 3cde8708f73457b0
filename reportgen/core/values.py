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

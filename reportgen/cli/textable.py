"""Plain-text tables for the terminal, aligned by display width (a Chinese character is two columns)."""
from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, limit: int) -> str:
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1 and used + w + width(text[len(out) + 1:]) > limit:
            return out + "…"
        out, used = out + ch, used + w
    return out


def table(header: list[str], rows: list[list[object]], limit: int = 40) -> str:
    """Columns padded to their widest cell; cells longer than ``limit`` are clipped with …."""
    cells = [[clip(str(c), limit) for c in row] for row in [header, *rows]]
    widths = [max(width(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)

"""Output file names from user data (地区名称, 年度): sanitised, bounded, and kept inside the output folder.

One rule for control characters everywhere (file names, chart text): they are removed.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from reportgen.core.errors import OutputError
from reportgen.core.text import strip_control

# Path separators and the characters Windows refuses in a name.
_FORBIDDEN = re.compile(r'[/\\:*?"<>|]')
MAX_NAME_BYTES = 200  # below every file system's 255-byte limit, leaving room for "-12" and ".tmp"
_KEPT_TAIL = 24  # characters at the end of a long name that are kept ("2025年…自评报告")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_part(text: str) -> str:
    """One path component from user text: no separators, no control characters, no leading or
    trailing dots and spaces, never "." or ".."; "" when nothing usable is left."""
    part = _FORBIDDEN.sub("", strip_control(str(text))).strip(" .\u3000")
    return "" if part.upper() in _RESERVED else part


def safe_filename(name: str) -> str:
    """``name`` (a report's file name) as a single safe component, its stem cut to ``MAX_NAME_BYTES``."""
    stem, suffix = os.path.splitext(safe_part(name))
    if len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:  # cut the region, keep the report's kind
        head, tail = stem[:-_KEPT_TAIL], "…" + stem[-_KEPT_TAIL:]
        while head and len((head + tail + suffix).encode("utf-8")) > MAX_NAME_BYTES:
            head = head[:-1]
        stem = head + tail
    stem = stem.rstrip(" .")
    if not stem:
        raise OutputError(f"无法用「{_shown(name)}」作文件名：去掉路径符号和控制字符后没有剩下可用的文字。"
                          "请在工作簿「基本信息」表中把「地区名称」改为县（市、区）的名称，如 某某县")
    return stem + suffix


def check_region(region: str) -> None:
    """A clear error when 地区名称 cannot name a file (only separators, dots or control characters)."""
    if not safe_part(region):
        raise OutputError(f"地区名称「{_shown(region)}」不能用作报告文件名（只有路径符号、点或控制字符）。"
                          "请在工作簿「基本信息」表中把「地区名称」改为县（市、区）的名称，如 某某县")


def inside(out: Path, path: Path) -> Path:
    """``path`` after checking that it lies inside the output folder ``out`` (else OutputError)."""
    root = Path(os.path.realpath(out))
    real = Path(os.path.realpath(path))
    if real != root and root not in real.parents:
        raise OutputError(f"拒绝写入输出文件夹以外的位置：{path}（输出文件夹为 {out}）")
    return path


def _shown(text: str, limit: int = 40) -> str:
    text = strip_control(str(text))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def free_name(folder: Path, name: str, reserved: set[Path] | None = None) -> Path:
    """``folder/name``, or ``name-2``, ``name-3``… : the first that neither exists nor is reserved
    (a kept version never overwrites another, even across numbering gaps)."""
    reserved = reserved if reserved is not None else set()
    stem, suffix = os.path.splitext(name)
    candidate, number = folder / name, 1
    while candidate.exists() or candidate in reserved:
        number += 1
        candidate = folder / f"{stem}-{number}{suffix}"
    reserved.add(candidate)
    return candidate

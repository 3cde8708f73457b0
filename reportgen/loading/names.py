"""Names that must match something the tool knows: settings keys, sheet names, 县级指标 names
read by the chosen indicator systems, 测评点 编号/分值 of the chosen 履职 system.

A name that matches nothing is never an error the run stops on by itself (``--strict`` makes
it one): it is a warning naming the nearest known names, so that a typo does not silently
fall back to a default or drop a value.
"""
from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path

import pandas as pd

from reportgen.core.errors import InputIssue
from reportgen.core.settings import KNOWN_KEYS, SETTINGS_FILE, Settings
from reportgen.loading.headers import normalize

_CLOSE = 0.6  # difflib similarity for "did you mean"
_CLOSE_SHOWN = 3
_NAME_FIELDS = ("eligible_names", "names", "numerator", "denominator", "at_least_names", "figures")


def nearest(name: str, known: list[str], n: int = _CLOSE_SHOWN) -> list[str]:
    return difflib.get_close_matches(name, known, n=n, cutoff=_CLOSE)


def _did_you_mean(name: str, known: list[str]) -> str:
    close = nearest(name, known)
    return f"；是否应为「{'」或「'.join(close)}」？" if close else ""


# ---------------------------------------------------------------- settings

def settings_issues(root: Path, settings: Settings) -> list[InputIssue]:
    """Keys of reportgen.yaml that no setting reads (a typo would silently keep the default)."""
    lines = _lines(root / SETTINGS_FILE)
    return [InputIssue(SETTINGS_FILE, None, _line_of(lines, key), None, settings.extra[key],
                       f"不认识的设置项「{key}」，此项不起作用{_did_you_mean(str(key), list(KNOWN_KEYS))}"
                       f"（可用的设置项：{'、'.join(KNOWN_KEYS)}）", "警告")
            for key in settings.extra]


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _line_of(lines: list[str], key: str) -> int | None:
    return next((n for n, line in enumerate(lines, 1) if line.strip().startswith(f"{key}:")), None)


# ---------------------------------------------------------------- sheets

def renamed_sheet(name: str, present: list[str]) -> str:
    """A hint when a workbook sheet looks like ``name`` renamed (学校 → 学校名单)."""
    close = [p for p in present if name in p or p in name] or nearest(name, present, 1)
    return f"；工作簿中有工作表「{close[0]}」，如是改了名，请改回「{name}」" if close else ""


# ---------------------------------------------------------------- 县级指标

def _flat(values: tuple) -> list[str]:
    """The names of a name field: a tuple of names, or of name tuples (a veto's figures)."""
    return [n for v in values for n in ((v,) if isinstance(v, str) else v if isinstance(v, tuple) else ())
            if isinstance(n, str)]


def county_names_read(systems: list) -> list[str]:
    """Every 县级指标 name the chosen systems read (conditions, vetoes, item parameters, 经费 keys)."""
    names: list[str] = []

    def walk(node) -> None:
        if dataclasses.is_dataclass(node):
            for f in dataclasses.fields(node):
                value = getattr(node, f.name)
                if f.name in _NAME_FIELDS and isinstance(value, tuple):
                    names.extend(_flat(value))
                else:
                    walk(value)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "names" and isinstance(value, tuple):
                    names.extend(value)
                else:
                    walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    for system in systems:
        walk(system)
        for value in getattr(system, "funding_keys", {}).values():
            names.extend(value)
    return list(dict.fromkeys(names))


def county_name_issues(county: pd.DataFrame, read: list[str], where) -> list[InputIssue]:
    """县级指标 rows no chosen system reads: a misspelt name would leave its item 未填报."""
    known = {normalize(n) for n in read}
    found = []
    for name, row in zip(county["指标"], county["_row"]):
        if name is None or normalize(name) in known:
            continue
        close = nearest(str(name), read)
        hint = f"最接近的名称：{'、'.join(close)}" if close else f"所选指标体系读取的名称：{'、'.join(read)}"
        found.append(where(int(row), "指标", name, f"所选指标体系不读取这个指标名称，此行不会用于任何计算；{hint}"))
    return found



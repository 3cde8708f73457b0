"""The city's own settings for a roll-up of several counties (``reportgen rollup --settings FILE``).

A small YAML file of the city's design, for example ``回访督导.yaml``::

    市级名称: 某某市
    督导名称: 2025年县域义务教育优质均衡发展创建回访督导
    督导日期: 2025-10-20            # also the default 统计日期 of the roll-up
    署名: 某某市人民政府教育督导委员会办公室
    成文日期: 2025-10-28
    整改完成率要求: 80%             # 0.8 or 80% (default 80%)
    共性问题县数: 2                 # a problem found in this many counties is a 共性问题 (default 2)
    主送机关: 各县（区）人民政府教育督导室
    下一步工作要求: |               # the report's 四、下一步工作要求, one paragraph a line
      ……

Every key is optional. Nothing else is typed for a roll-up: the counties' data come from their
own workspaces.
"""
from __future__ import annotations

from typing import Any

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportgen.core.errors import WorkspaceError

# The share of feedback problems a county must have rectified by a 回访督导: the city report of
# seed 002 judges "问题整改达到80%以上"; a city's settings file may choose another.
DEFAULT_COMPLETION_TARGET = 0.8
DEFAULT_SHARED_MIN = 2

_TEXT_KEYS = {"市级名称": "city", "督导名称": "inspection", "署名": "signer", "主送机关": "addressee"}
_DATE_KEYS = {"督导日期": "inspection_date", "成文日期": "written_date"}
NEXT_STEPS = "下一步工作要求"
_KNOWN = (*_TEXT_KEYS, *_DATE_KEYS, "整改完成率要求", "共性问题县数", NEXT_STEPS)


@dataclass(frozen=True)
class CitySettings:
    city: str | None = None
    inspection: str | None = None
    inspection_date: dt.date | None = None
    signer: str | None = None
    written_date: dt.date | None = None
    completion_target: float = DEFAULT_COMPLETION_TARGET
    shared_min: int = DEFAULT_SHARED_MIN
    addressee: str | None = None
    next_steps: tuple[str, ...] = ()     # the city's own paragraphs for 下一步工作要求

    def as_json(self) -> dict:
        return {
            "city": self.city, "inspection": self.inspection,
            "inspection_date": self.inspection_date.isoformat() if self.inspection_date else None,
            "signer": self.signer,
            "written_date": self.written_date.isoformat() if self.written_date else None,
            "completion_target": self.completion_target, "shared_min": self.shared_min,
            "addressee": self.addressee, "next_steps": list(self.next_steps),
        }


def load_city_settings(path: Path | None) -> CitySettings:
    """The settings in ``path`` (defaults when None); every problem in the file at once."""
    if path is None:
        return CitySettings()
    raw = _read_yaml(path)
    problems: list[str] = []
    unknown = [str(k) for k in raw if k not in _KNOWN]
    if unknown:
        problems.append(f"不认识的项「{'、'.join(unknown)}」，可用的项有：{'、'.join(_KNOWN)}")
    values: dict[str, Any] = {_TEXT_KEYS[k]: str(v).strip() for k, v in raw.items() if k in _TEXT_KEYS and v}
    for key, name in _DATE_KEYS.items():
        if raw.get(key) is not None:
            values[name] = _date(raw[key], key, problems)
    if raw.get("整改完成率要求") is not None:
        values["completion_target"] = _share(raw["整改完成率要求"], problems)
    if raw.get("共性问题县数") is not None:
        values["shared_min"] = _count(raw["共性问题县数"], problems)
    if raw.get(NEXT_STEPS) is not None:
        values["next_steps"] = _paragraphs(raw[NEXT_STEPS])
    if problems:
        raise WorkspaceError(f"设置文件「{path}」有{len(problems)}处问题：" + "；".join(problems))
    return CitySettings(**values)


def _read_yaml(path: Path) -> dict:
    from reportgen.core.settings import read_mapping

    if not path.is_file():
        raise WorkspaceError(f"找不到设置文件「{path}」，请检查路径")
    return read_mapping(path)


def _date(value: object, key: str, problems: list[str]) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    from reportgen.loading.cells import CellProblem, parse_date

    try:
        return parse_date(str(value))
    except CellProblem:
        problems.append(f"「{key}」应为日期，如 2025-10-20，实际为「{value}」")
        return None


def _share(value: object, problems: list[str]) -> float:
    """0.8, 80% or "80%" → 0.8; anything else outside (0, 1] is a problem."""
    text = str(value).strip()
    try:
        share = float(text[:-1]) / 100 if text.endswith(("%", "％")) else float(text)
    except ValueError:
        share = -1.0
    if not 0 < share <= 1:
        problems.append(f"「整改完成率要求」应为0到1之间的比例或百分数，如 0.8 或 80%，实际为「{value}」")
        return DEFAULT_COMPLETION_TARGET
    return share


def _paragraphs(value: object) -> tuple[str, ...]:
    """A text (one paragraph a line) or a list of texts → the non-empty paragraphs."""
    texts = value if isinstance(value, list) else [value]
    return tuple(line.strip() for text in texts for line in str(text).splitlines() if line.strip())


def _count(value: object, problems: list[str]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    problems.append(f"「共性问题县数」应为不小于1的整数，实际为「{value}」")
    return DEFAULT_SHARED_MIN

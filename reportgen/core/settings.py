"""The workspace settings file ``reportgen.yaml``: which workbook, which indicator systems, output folder."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.core.errors import WorkspaceError

SETTINGS_FILE = "reportgen.yaml"

# Chinese key in the file → field name.
_KEYS = {
    "工作簿": "workbook",
    "小学最高年级": "highest_primary_grade",
    "输出目录": "output_dir",
    "图表字体": "chart_font",
    "图表": "charts",
}
# 图表: how charts go into the reports (native Word charts with their data, or PNG pictures).
CHART_MODES = {"原生": "native", "图片": "picture"}
# Systems a workspace may choose that older settings files do not name (not in Settings.systems
# unless chosen, so such a workspace behaves as before).
LATER_SYSTEM_DEFAULTS = {"preschool": "学前普及普惠2020"}
_SYSTEM_KEYS = {"优质均衡": "quality", "基本均衡": "basic", "履职评价": "duty", "学前普及普惠": "preschool"}
SCHEMES_KEY = "评估方案"  # under 指标体系: one scheme name or a list (systems/schemes.py)
KNOWN_KEYS: tuple[str, ...] = (*_KEYS, "指标体系")  # unknown keys are kept in ``extra`` and warned about


@dataclass(frozen=True)
class Settings:
    workbook: str | None = None
    systems: dict[str, str] = field(default_factory=lambda: {
        "quality": "优质均衡2017", "basic": "基本均衡2012", "duty": "履职评价示例"})
    highest_primary_grade: int = 6
    output_dir: str = "输出"
    chart_font: str | None = None  # a font file path or family; default: the bundled CJK font
    charts: str = "native"         # 图表: 原生 (Word charts, editable) or 图片 (PNG pictures)
    schemes: tuple[str, ...] = ()  # further scored schemes (指标体系 › 评估方案)
    extra: dict[str, object] = field(default_factory=dict)

    def system(self, kind: str) -> str:
        """The system chosen for ``kind``; kinds added later default to their built-in system."""
        return self.systems.get(kind) or LATER_SYSTEM_DEFAULTS[kind]


def load_settings(root: Path) -> Settings:
    """Read ``reportgen.yaml`` in a workspace folder; defaults when it is absent."""
    path = root / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    return _settings_from(read_mapping(path), path.name)


def read_mapping(path: Path) -> dict:
    """A YAML settings file as a mapping (also the city settings of ``reportgen rollup``)."""
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"{path.name}：设置文件格式不正确（{_yaml_reason(exc)}），请检查缩进和冒号") from exc
    if not isinstance(raw, dict):
        raise WorkspaceError(f"{path.name}：设置文件应为“键: 值”的形式")
    return raw


def _chart_mode(value: object, name: str) -> str:
    mode = CHART_MODES.get(str(value).strip())
    if mode is None:
        raise WorkspaceError(f"{name}：「图表」应为「原生」或「图片」，实际为「{value}」")
    return mode


def _settings_from(raw: dict, name: str) -> Settings:
    values: dict[str, Any] = {}
    extra = {}
    systems = dict(Settings().systems)
    for key, value in raw.items():
        if key == "指标体系":
            if isinstance(value, dict) and SCHEMES_KEY in value:
                value = dict(value)
                values["schemes"] = _schemes_from(value.pop(SCHEMES_KEY), name)
            systems.update(_systems_from(value, name))
        elif key in _KEYS:
            values[_KEYS[key]] = value
        else:
            extra[str(key)] = value
    if "charts" in values:
        values["charts"] = _chart_mode(values["charts"], name)
    grade = values.get("highest_primary_grade", 6)
    if grade not in (5, 6):
        raise WorkspaceError(f"{name}：「小学最高年级」应为 5 或 6，实际为「{grade}」")
    return Settings(systems=systems, extra=extra, **values)


def _systems_from(value: object, name: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise WorkspaceError(f"{name}：「指标体系」下应分行填写 优质均衡、基本均衡、履职评价")
    unknown = [k for k in value if k not in _SYSTEM_KEYS]
    if unknown:
        raise WorkspaceError(f"{name}：「指标体系」中有不认识的项「{'、'.join(map(str, unknown))}」，"
                             f"应为 {'、'.join(_SYSTEM_KEYS)}、{SCHEMES_KEY}")
    return {_SYSTEM_KEYS[k]: str(v) for k, v in value.items()}


def _schemes_from(value: object, name: str) -> tuple[str, ...]:
    names = value if isinstance(value, list) else [value]
    if not names or any(not isinstance(v, str) or not v.strip() for v in names):
        raise WorkspaceError(f"{name}：「指标体系 › {SCHEMES_KEY}」应为一个方案名称（或文件路径），或名称列表")
    return tuple(str(v).strip() for v in names)


def _yaml_reason(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f"第{mark.line + 1}行" if mark is not None else "无法解析"

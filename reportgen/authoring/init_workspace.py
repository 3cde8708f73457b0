"""``reportgen init``: a new, empty workspace with every sheet, header and help, ready to fill in."""
from __future__ import annotations

from pathlib import Path

from reportgen.core.errors import WorkspaceError
from reportgen.core.settings import SETTINGS_FILE
from reportgen.authoring.workbook import default_settings_text, info_rows, write_workbook

DUTY_SYSTEM = "履职评价示例"
QUALITY_SYSTEM = "优质均衡2017"


def require_empty_folder(folder: Path) -> None:
    """Refuse to write into a folder that already holds files (never overwrite a user's data)."""
    if folder.exists() and not folder.is_dir():
        raise WorkspaceError(f"「{folder}」已存在且不是文件夹，请换一个工作区文件夹名")
    if folder.is_dir() and any(folder.iterdir()):
        raise WorkspaceError(f"文件夹「{folder}」不是空的，为避免覆盖已有文件，请指定一个新的或空的文件夹")


def workbook_name(region: str | None) -> str:
    """某县教育督导数据.xlsx, or 教育督导数据.xlsx when the region is not known yet."""
    return f"{region or ''}教育督导数据.xlsx"


def blank_sheets(region: str | None, duty_system: str = DUTY_SYSTEM) -> dict[str, list[dict]]:
    """Rows of an empty workbook: the 基本信息 keys (region filled when given) and the 测评点 list."""
    info = {"地区名称": region} if region else {}
    return {"基本信息": info_rows(info), "测评点": duty_points(duty_system), "情况说明": stated_items(QUALITY_SYSTEM)}


def stated_items(system: str) -> list[dict]:
    """情况说明 rows, one per 政府保障程度 / 教育质量 item (or 说明项 of an item) a person must state,
    结论 left empty."""
    from reportgen.systems.indicators import load_system

    quality = load_system("quality", system)
    return [{"指标": item.statement_names[0]} for item in (*quality.guarantee, *quality.education_quality)
            if item.needs_statement]


def duty_points(system: str) -> list[dict]:
    """测评点 rows of the 履职 indicator system (built-in name or path), 自评得分 left empty."""
    try:
        from reportgen.systems.indicators import duty_point_rows, load_system
    except ImportError:  # the indicator module is optional for writing a workbook
        return []
    return [dict(row) for row in duty_point_rows(load_system("duty", system))]


def init_workspace(folder: Path, region: str | None = None) -> list[Path]:
    """Write an empty workspace into ``folder`` (created if needed); returns the files written."""
    folder = Path(folder)
    require_empty_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = workbook_name(region)
    book = write_workbook(blank_sheets(region), folder / name)
    settings = folder / SETTINGS_FILE
    settings.write_text(default_settings_text(name), encoding="utf-8")
    return [book, settings]

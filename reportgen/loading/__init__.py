"""Load a workspace folder (or one workbook) into a typed, validated ``Workspace``.

Every problem is collected in one pass and raised together as ``InputErrors``.
"""
from __future__ import annotations

import gc
from dataclasses import replace
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, cast

from reportgen.core.errors import InputErrors, InputIssue, WorkspaceError
from reportgen.core.schema import SHEETS, Sheet
from reportgen.core.settings import Settings, load_settings
from reportgen.core.workspace import Workspace
from reportgen.loading.frames import complete_table, info_from_raw, table_from_raw
from reportgen.loading.headers import normalize
from reportgen.loading.readers import RawSheet, read_csv_folder, read_workbook
from reportgen.loading.names import (county_name_issues, county_names_read,
                                     renamed_sheet, settings_issues)
from reportgen.loading.rules import check_all

if TYPE_CHECKING:
    from reportgen.loading.memo import SheetMemo

__all__ = ["load_workspace", "read_workspace"]


def load_workspace(path: str | Path, sheet_cache: Path | None = None, strict: bool = False,
                   memo: "SheetMemo | None" = None) -> Workspace:
    """Load and validate; raises ``InputErrors`` when any error is found (warnings ride along).

    ``sheet_cache``: a folder where the rows of each sheet are kept by content (see
    ``sheet_cache.py``), so that a workbook loaded again re-reads only the sheets that changed.
    ``strict``: every warning counts as an error.
    ``memo``: the warm state of a long-lived process (``memo.py``): unchanged sheets are not read
    or typed again.
    """
    workspace, issues = read_workspace(path, sheet_cache, strict, memo)
    if any(i.is_error for i in issues):
        raise InputErrors(issues)
    return workspace


def read_workspace(path: str | Path, sheet_cache: Path | None = None, strict: bool = False,
                   memo: "SheetMemo | None" = None) -> tuple[Workspace, list[InputIssue]]:
    """Load without raising for data errors: the workspace as far as readable, and every issue
    (cells, rules, plausibility, names); ``strict`` turns every warning into an error."""
    root, workbook = locate(Path(path))
    settings = load_settings(root)
    issues: list[InputIssue] = settings_issues(root, settings)
    with _no_gc_pauses():
        raws, others = _read_sheets(root, workbook, settings, sheet_cache, memo)
        info, tables, origin = _type_sheets(raws, root, workbook, issues, others, memo)
    issues += check_all(tables, origin, issues, settings)
    issues += system_name_issues(root, settings, tables, origin)
    if strict:
        issues = [replace(i, severity="错误") for i in issues]
    issues.sort(key=_reading_order)
    workspace = Workspace(root, settings, info, tables, origin, tuple(i for i in issues if not i.is_error))
    return workspace, issues


_SHEET_ORDER = {s.name: i for i, s in enumerate(SHEETS)}


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Reading creates rows by the hundred thousand and almost no reference cycles; the cyclic
    collector would scan the growing heap again and again (≈12 % of loading 3,000 schools)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _reading_order(issue: InputIssue) -> tuple:
    """Issues as a person fixes them: sheet by sheet, top to bottom."""
    return (_SHEET_ORDER.get(issue.sheet or "", -1), issue.row or 0)


def locate(path: Path) -> tuple[Path, Path | None]:
    """The workspace folder and its workbook (None for a CSV workspace)."""
    if not path.exists():
        raise WorkspaceError(f"找不到工作区「{path}」，请检查路径")
    if path.is_file():
        if path.suffix.lower() != ".xlsx":
            raise WorkspaceError(f"{path.name}：请提供 Excel 工作簿(.xlsx)或工作区文件夹")
        return path.parent, path
    settings = load_settings(path)
    if settings.workbook:
        book = path / settings.workbook
        if not book.is_file():
            raise WorkspaceError(f"reportgen.yaml 指定的工作簿「{settings.workbook}」在 {path} 中不存在")
        return path, book
    books = sorted(p for p in path.glob("*.xlsx") if not p.name.startswith(("~$", ".")))
    if len(books) > 1:
        raise WorkspaceError(f"{path} 中有多个工作簿（{'、'.join(p.name for p in books)}），"
                             "请在 reportgen.yaml 中用「工作簿:」指定一个")
    if books:
        return path, books[0]
    if not any(path.glob("*.csv")):
        raise WorkspaceError(f"{path} 中没有 Excel 工作簿(.xlsx)，也没有按工作表命名的 CSV 文件（如 学校.csv）")
    return path, None


def system_name_issues(root: Path, settings: Settings, tables: dict, origin: dict) -> list[InputIssue]:
    """县级指标 names against the chosen systems (a system that does not load is reported by the
    analysis that needs it; the 测评点 sheet is checked against the scheme by systems/points_check.py)."""
    from reportgen.core.errors import ReportgenError
    from reportgen.systems.indicators import load_system

    try:
        systems = {kind: load_system(kind, name, root) for kind, name in settings.systems.items()}
        if tables["幼儿园"].shape[0]:  # the 学前 system is read only where there are kindergartens
            systems["preschool"] = load_system("preschool", settings.system("preschool"), root)
    except ReportgenError:
        return []

    def where(sheet: str):
        file, name = origin.get(sheet, ("", sheet))
        return lambda row, column, value, expected: InputIssue(file, name, row, column, value, expected, "警告")

    issues = county_name_issues(tables["县级指标"], county_names_read(list(systems.values())), where("县级指标"))
    if "duty" in systems:
        from types import SimpleNamespace

        from reportgen.systems.points_check import check_points_sheet

        issues += check_points_sheet(SimpleNamespace(points=tables["测评点"], origin=origin), systems["duty"])
    return issues


def _read_sheets(root: Path, workbook: Path | None, settings: Settings, sheet_cache: Path | None = None,
                 memo: "SheetMemo | None" = None) -> tuple[dict[str, RawSheet], list[str]]:
    """The declared sheets found, and the names of the other sheets (for renamed-sheet hints)."""
    names = [s.name for s in SHEETS]
    if workbook is None:
        return read_csv_folder(root, names), sorted(p.stem for p in root.glob("*.csv") if p.stem not in names)
    if sheet_cache is None:
        raws = read_workbook(workbook)
    else:
        from reportgen.loading.sheet_cache import SheetCache

        raws = SheetCache(sheet_cache, None if memo is None else memo.raw).read_workbook(workbook, read_workbook)
    by_normal = {normalize(name): raw for name, raw in raws.items()}
    declared = {normalize(name) for name in names}
    others = [name for name in raws if normalize(name) not in declared]
    return {name: by_normal[normalize(name)] for name in names if normalize(name) in by_normal}, others


def _type_sheets(raws: dict[str, RawSheet], root: Path, workbook: Path | None,
                 issues: list[InputIssue], others: list[str], memo: "SheetMemo | None" = None):
    file = workbook.name if workbook else root.name
    info: dict[str, object] = {}
    tables = {}
    origin = {}
    for sheet in SHEETS:
        raw = raws.get(sheet.name)
        origin[sheet.name] = (raw.file if raw else file, sheet.name)
        if raw is None:
            _missing_sheet(sheet, file, issues, others)
        elif raw.hidden:
            issues.append(InputIssue(raw.file, sheet.name, None, None, None, "该工作表处于隐藏状态，仍按正常数据读取", "警告"))
        typing = info_from_raw if sheet.key_value else table_from_raw
        if raw is None:
            typed: object = {} if sheet.key_value else complete_table(sheet, None)
        elif memo is None:
            typed = typing(sheet, raw, issues)
        else:
            typed = memo.typed(sheet, raw, issues, lambda found: typing(sheet, raw, found))
        if sheet.key_value:
            info = cast(dict, typed)
        else:
            tables[sheet.name] = typed
    return info, tables, origin


def _missing_sheet(sheet: Sheet, file: str, issues: list[InputIssue], others: list[str]) -> None:
    """A missing required sheet is one error (not one per row that needs it); an optional
    sheet missing while a similar name is present is a warning (its data would be ignored)."""
    hint = renamed_sheet(sheet.name, others)
    if sheet.required:
        issues.append(InputIssue(file, sheet.name, None, None, None,
                                 f"缺少必需的工作表「{sheet.name}」（{sheet.note}）{hint}"))
    elif hint:
        issues.append(InputIssue(file, sheet.name, None, None, None,
                                 f"没有工作表「{sheet.name}」，按未填报处理{hint}", "警告"))

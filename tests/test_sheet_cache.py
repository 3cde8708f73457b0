"""The per-sheet cache never changes what is loaded, and re-reads only the sheets that changed."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import minimal_sheets, school_row, write_book
from reportgen.authoring.demo import write_demo
from reportgen.loading import calamine_reader, read_workspace, readers


def assert_same_load(a, b) -> None:
    (ws_a, issues_a), (ws_b, issues_b) = a, b
    assert ws_a.info == ws_b.info and ws_a.origin == ws_b.origin
    assert list(ws_a.tables) == list(ws_b.tables)
    for name in ws_a.tables:
        pd.testing.assert_frame_equal(ws_a.tables[name], ws_b.tables[name], check_exact=True)
    assert issues_a == issues_b and ws_a.warnings == ws_b.warnings


def sheets_read(monkeypatch) -> list[str]:
    """Names of the sheets openpyxl or calamine is asked to read from now on."""
    names: list[str] = []
    real = readers._raw_sheet
    monkeypatch.setattr(readers, "_raw_sheet", lambda file, name, ws: names.append(name) or real(file, name, ws))
    fast = calamine_reader._exact_sheet
    monkeypatch.setattr(calamine_reader, "_exact_sheet",
                        lambda file, name, *rest: names.append(name) or fast(file, name, *rest))
    return names


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """Text numbers, a bad cell, dates as dates and as text, a hidden sheet, a timedelta."""
    sheets = minimal_sheets([school_row("3401010001", pupils="1,234"), school_row("3401010002", pupils="约500"),
                             school_row("3401010003", books=12000.5)])
    sheets["基本信息"].append(["反馈时间", dt.datetime(2024, 11, 5, 9, 30)])
    sheets["基本信息"].append(["备注时长", dt.timedelta(hours=2)])
    sheets["笔记"] = [["随手记", dt.time(8, 15)], [None, None], ["第二行", True]]
    path = write_book(tmp_path / "ws" / "测试县2025.xlsx", sheets)
    book = openpyxl.load_workbook(path)
    book["笔记"].sheet_state = "hidden"
    book.save(path)
    return path.parent


def test_cached_and_uncached_loads_are_equal(messy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    plain = read_workspace(messy)
    assert any(i.is_error for i in plain[1]), "the fixture has a bad cell"
    assert_same_load(plain, read_workspace(messy, cache))   # fills the cache
    read = sheets_read(monkeypatch)
    assert_same_load(plain, read_workspace(messy, cache))   # every sheet from the cache
    assert read == []
    assert len(list(cache.glob("*.json"))) == 4


def test_one_cell_edit_rereads_only_its_sheet(tmp_path, monkeypatch):
    workspace = tmp_path / "示例县2025"
    write_demo(workspace, 12, seed=3)
    book_path = next(workspace.glob("*.xlsx"))
    openpyxl.load_workbook(book_path).save(book_path)  # stored as Excel stores it (shared strings)
    cache = tmp_path / "cache"
    read_workspace(workspace, cache)
    book = openpyxl.load_workbook(book_path)
    header = [c.value for c in book["学校"][1]]
    column = next(i for i, h in enumerate(header, 1) if str(h).startswith("体育运动场馆面积"))
    book["学校"].cell(2, column).value = 4321.5
    book.save(book_path)
    read = sheets_read(monkeypatch)
    cached = read_workspace(workspace, cache)
    assert read == ["学校"]
    assert cached[0].schools["体育运动场馆面积"].iloc[0] == 4321.5
    assert_same_load(read_workspace(workspace), cached)
    assert len(list(cache.glob("*.json"))) == len(book.sheetnames)  # the old 学校 entry is gone


def test_a_damaged_cache_is_only_slower(messy, tmp_path):
    cache = tmp_path / "cache"
    read_workspace(messy, cache)
    for entry in cache.glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert_same_load(read_workspace(messy), read_workspace(messy, cache))
    shutil.rmtree(cache)
    assert_same_load(read_workspace(messy), read_workspace(messy, cache))

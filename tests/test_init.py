"""``init_workspace``: a new, empty workspace, never written over existing files."""
from __future__ import annotations

import openpyxl
import pytest

from reportgen.core.errors import WorkspaceError
from reportgen.systems.indicators import duty_point_rows, load_system
from reportgen.authoring.init_workspace import init_workspace
from reportgen.loading import read_workspace
from reportgen.core.schema import BASIC_INFO_KEYS, SHEETS
from reportgen.core.settings import load_settings


def test_writes_the_workbook_and_settings(tmp_path):
    folder = tmp_path / "某县2025"
    written = init_workspace(folder, region="某县")
    assert [p.name for p in written] == ["某县教育督导数据.xlsx", "reportgen.yaml"]
    assert all(p.is_file() for p in written)
    assert load_settings(folder).workbook == "某县教育督导数据.xlsx"
    book = openpyxl.load_workbook(written[0])
    assert book.sheetnames == [s.name for s in SHEETS]
    for sheet in SHEETS:
        assert [c.value for c in book[sheet.name][1]] == [c.header for c in sheet.columns]


def test_basic_info_keys_prefilled_region_filled_when_given(tmp_path):
    book = openpyxl.load_workbook(init_workspace(tmp_path / "a", region="某县")[0])
    info = dict(book["基本信息"].iter_rows(min_row=2, values_only=True))
    assert list(info) == [k.header for k in BASIC_INFO_KEYS]
    assert info["地区名称"] == "某县"
    assert all(v is None for k, v in info.items() if k != "地区名称")
    blank = openpyxl.load_workbook(init_workspace(tmp_path / "b")[0])
    assert all(v is None for _, v in blank["基本信息"].iter_rows(min_row=2, values_only=True))


def test_points_sheet_prefilled_from_the_duty_system(tmp_path):
    book = openpyxl.load_workbook(init_workspace(tmp_path / "w")[0])
    rows = list(book["测评点"].iter_rows(min_row=2, values_only=True))
    expected = duty_point_rows(load_system("duty", "履职评价示例"))
    assert len(rows) == len(expected) > 30
    header = [c.value for c in book["测评点"][1]]
    first = dict(zip(header, rows[0]))
    assert first["编号"] == expected[0]["编号"] and first["分值"] == expected[0]["分值"]
    assert all(dict(zip(header, r))["自评得分"] is None for r in rows)  # the user scores


def test_blank_workspace_reads_and_asks_for_the_missing_basics(tmp_path):
    folder = tmp_path / "w"
    init_workspace(folder, region="某县")
    workspace, issues = read_workspace(folder)
    errors = [str(i) for i in issues if i.is_error]
    assert errors and all("基本信息" in e or "学校" in e for e in errors)
    assert any("「评价年度」未填写" in e for e in errors)
    assert any("没有学校数据" in e for e in errors)
    assert len(workspace.points) > 30


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    folder = tmp_path / "w"
    folder.mkdir()
    (folder / "旧数据.xlsx").write_bytes(b"keep me")
    with pytest.raises(WorkspaceError, match="不是空的"):
        init_workspace(folder)
    assert (folder / "旧数据.xlsx").read_bytes() == b"keep me"
    assert sorted(p.name for p in folder.iterdir()) == ["旧数据.xlsx"]


def test_refuses_a_path_that_is_a_file(tmp_path):
    path = tmp_path / "文件"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="不是文件夹"):
        init_workspace(path)


def test_accepts_an_existing_empty_folder(tmp_path):
    folder = tmp_path / "空"
    folder.mkdir()
    assert len(init_workspace(folder)) == 2
    assert (folder / "reportgen.yaml").is_file()

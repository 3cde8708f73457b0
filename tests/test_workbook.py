"""The workbook writer: every declared sheet and header, with the help a person filling it in needs."""
from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest
import yaml

from reportgen.authoring.demo import synthetic_county
from reportgen.core.schema import BASIC_INFO_KEYS, SHEETS, SHEET_BY_NAME
from reportgen.core.settings import Settings, _settings_from, load_settings
from reportgen.authoring.workbook import (column_help, default_settings_text, display_width, info_rows,
                                write_csv_folder, write_workbook)

ENUM_COLUMNS = {(s.name, c.name): c.choices for s in SHEETS for c in s.columns if c.choices}


@pytest.fixture(scope="module")
def blank_book(tmp_path_factory) -> openpyxl.Workbook:
    path = write_workbook({}, tmp_path_factory.mktemp("blank") / "空白.xlsx")
    return openpyxl.load_workbook(path)


def headers(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def test_every_sheet_in_declared_order_with_unit_headers(blank_book):
    assert blank_book.sheetnames == [s.name for s in SHEETS]
    for sheet in SHEETS:
        assert headers(blank_book[sheet.name]) == [c.header for c in sheet.columns]
    assert "教学及辅助用房面积(平方米)" in headers(blank_book["学校"])
    assert "一般公共预算教育支出(万元)" in headers(blank_book["经费"])


def test_every_header_has_a_comment_explaining_it(blank_book):
    for sheet in SHEETS:
        for cell, column in zip(blank_book[sheet.name][1], sheet.columns):
            text = cell.comment.text
            assert column.name in text
            assert ("必填" if column.required else "选填") in text
            if column.note:
                assert column.note in text
            if column.unit:
                assert f"单位：{column.unit}" in text
            for choice in column.choices:
                assert choice in text
    assert "一行一所学校" in blank_book["学校"]["A1"].comment.text  # the sheet's own note


def test_enumeration_columns_have_drop_down_lists(blank_book):
    found = {}
    for sheet in SHEETS:
        ws = blank_book[sheet.name]
        for validation in ws.data_validations.dataValidation:
            assert validation.type == "list"
            letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
            column = sheet.columns[openpyxl.utils.column_index_from_string(letter) - 1]
            found[(sheet.name, column.name)] = tuple(validation.formula1.strip('"').split(","))
            assert str(validation.sqref).startswith(f"{letter}2:")
    assert found == ENUM_COLUMNS
    assert found[("学校", "办学类型")][:3] == ("小学", "初级中学", "九年一贯制学校")
    assert found[("整改台账", "整改状态")] == ("已完成", "整改中", "未启动", "长期坚持")
    assert found[("测评点", "适用")] == ("是", "否")


def test_grade_list_accepts_digits_other_lists_are_strict(blank_book):
    rules = {str(v.sqref): v.showErrorMessage for v in blank_book["班级"].data_validations.dataValidation}
    assert rules == {"B2:B1048576": False}  # 年级 may be typed as 1…9
    assert all(v.showErrorMessage for v in blank_book["学校"].data_validations.dataValidation)


def test_header_row_frozen_bold_and_columns_sized(blank_book):
    for sheet in SHEETS:
        ws = blank_book[sheet.name]
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1])
        for index, column in enumerate(sheet.columns, start=1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(index)].width
            assert min(display_width(column.header) + 2, 60) <= width <= 60


def test_basic_info_is_prefilled_with_the_declared_keys(blank_book):
    ws = blank_book["基本信息"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [k.header for k in BASIC_INFO_KEYS]
    assert all(r[1] is None for r in rows)
    assert "国土面积(平方公里)" in [r[0] for r in rows]
    assert "如 2025" in ws["A4"].comment.text  # 评价年度 explained on its key


def test_rows_are_written_under_their_headers(tmp_path):
    sheets = {
        "基本信息": info_rows({"地区名称": "某县", "评价年度": 2025, "成文日期": dt.date(2025, 7, 1), "备注": "自定义项"}),
        "经费": [{"年度": 2025, "学段": "合计", "一般公共预算教育支出": 65000.5, "在校生数": 43000}],
        "整改台账": [{"序号": 1, "反馈问题": "问题", "整改措施": "措施一\n措施二", "完成时限": dt.date(2025, 9, 30),
                   "整改状态": "整改中", "自加列": "保留"}],
    }
    book = openpyxl.load_workbook(write_workbook(sheets, tmp_path / "b.xlsx"))
    info = {r[0]: r[1] for r in book["基本信息"].iter_rows(min_row=2, values_only=True)}
    assert info["地区名称"] == "某县" and info["评价年度"] == 2025 and info["备注"] == "自定义项"
    assert info["成文日期"] == dt.datetime(2025, 7, 1)
    assert list(book["经费"].iter_rows(min_row=2, values_only=True)) == [(2025, "合计", 65000.5, 43000)]
    ledger = book["整改台账"]
    assert headers(ledger)[-1] == "自加列"
    row = dict(zip(headers(ledger), next(ledger.iter_rows(min_row=2, values_only=True))))
    assert row["整改措施"] == "措施一\n措施二" and row["自加列"] == "保留"
    assert row["完成时限"] == dt.datetime(2025, 9, 30)
    assert ledger["E2"].alignment.wrap_text


def test_undeclared_sheet_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError, match="学生"):
        write_workbook({"学生": []}, tmp_path / "x.xlsx")
    with pytest.raises(ValueError):
        write_csv_folder({"学生": []}, tmp_path)


def test_column_help_lists_choices_and_requirement():
    text = column_help(SHEET_BY_NAME["学校"].column("办学性质"))
    assert "留空视为公办" in text and "选填" in text and "公办、民办" in text
    assert "单位：元" in column_help(SHEET_BY_NAME["学校"].column("教学仪器设备值"))


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_csv_folder_has_one_file_per_sheet_with_the_same_headers(tmp_path, encoding):
    sheets = {"整改台账": [{"序号": 1, "整改措施": "一\n二", "完成时限": dt.date(2025, 6, 30), "整改状态": "已完成"}],
              "学校": [{"学校标识码": "2134260001", "教学仪器设备值": 684900.0}]}
    paths = write_csv_folder(sheets, tmp_path, encoding=encoding)
    assert [p.name for p in paths] == [f"{s.name}.csv" for s in SHEETS]
    for sheet, path in zip(SHEETS, paths):
        with path.open(encoding=encoding, newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == [c.header for c in sheet.columns]
    with (tmp_path / "整改台账.csv").open(encoding=encoding, newline="") as handle:
        row = dict(zip(*list(csv.reader(handle))))
    assert row["整改措施"] == "一\n二" and row["完成时限"] == "2025-06-30" and row["销号日期"] == ""
    with (tmp_path / "学校.csv").open(encoding=encoding, newline="") as handle:
        assert dict(zip(*list(csv.reader(handle))))["教学仪器设备值(元)"] == "684900"
    with (tmp_path / "基本信息.csv").open(encoding=encoding, newline="") as handle:
        assert [r[0] for r in csv.reader(handle)][1:] == [k.header for k in BASIC_INFO_KEYS]


def test_default_settings_text_is_valid_commented_settings(tmp_path):
    text = default_settings_text("某县2025.xlsx")
    assert text.startswith("# reportgen 工作区设置")
    assert "五四制" in text and "内置体系名" in text
    (tmp_path / "reportgen.yaml").write_text(text, encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings == Settings(workbook="某县2025.xlsx")
    assert settings.systems == {"quality": "优质均衡2017", "basic": "基本均衡2012", "duty": "履职评价示例"}
    assert settings.highest_primary_grade == 6 and settings.output_dir == "输出"


def test_settings_text_for_a_csv_workspace_names_no_workbook():
    settings = _settings_from(yaml.safe_load(default_settings_text(None)), "reportgen.yaml")
    assert settings.workbook is None


def test_a_large_county_writes_in_a_few_seconds(tmp_path):
    sheets = synthetic_county(3000, seed=7)
    assert len(sheets["班级"]) > 50_000
    path = write_workbook(sheets, tmp_path / "大县.xlsx")
    assert path.stat().st_size > 1_000_000
    book = openpyxl.load_workbook(path, read_only=True)
    assert sum(1 for _ in book["班级"].iter_rows(values_only=True)) == len(sheets["班级"]) + 1
    book.close()


def test_display_width_counts_cjk_double_and_longest_line():
    assert display_width("ab") == 2
    assert display_width("学校") == 4
    assert display_width("一\n二三") == 4
    assert display_width(dt.date(2025, 1, 2)) == 10
    assert display_width(None) == 0

"""Loading and validation: every rule with a deliberately bad workbook, all problems in one run."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from conftest import SCHOOL_HEADER, minimal_sheets, school_row, write_book
from reportgen.core.errors import InputErrors, WorkspaceError
from reportgen.loading import load_workspace, read_workspace

pytestmark = pytest.mark.usefixtures("each_reader")  # every test with both .xlsx readers


def issues_of(tmp_path: Path, sheets: dict) -> list:
    write_book(tmp_path / "ws" / "县.xlsx", sheets)
    _, issues = read_workspace(tmp_path / "ws")
    return issues


def errors_of(tmp_path: Path, sheets: dict) -> list:
    return [i for i in issues_of(tmp_path, sheets) if i.is_error]


def test_minimal_workspace_loads_with_units_converted(minimal_workspace):
    ws = load_workspace(minimal_workspace)
    assert ws.region == "测试县" and ws.year == 2025
    assert ws.info["成文日期"] == dt.date(2025, 7, 1)
    assert len(ws.schools) == 3
    # 教学仪器设备值 given in 万元 is stored in 元
    assert ws.schools["教学仪器设备值"].iloc[0] == pytest.approx(125 * 10_000)
    assert list(ws.schools["_row"]) == [2, 3, 4]
    # an optional sheet that is absent is an empty table with every declared column
    assert ws.classes.empty and "学生数" in ws.classes.columns
    # a blank optional cell is "not reported", never zero
    assert math.isnan(ws.schools["计算机台数"].iloc[0])


def test_headers_tolerate_spaces_fullwidth_brackets_and_aliases(tmp_path):
    sheets = minimal_sheets()
    header = list(SCHOOL_HEADER)
    header[0] = " 学校代码 "
    header[9] = "教学仪器设备值（元）"
    header[7] = "教学及辅助用房面积 （平方米）"
    sheets["学校"] = [header, *sheets["学校"][1:]]
    write_book(tmp_path / "ws" / "县.xlsx", sheets)
    ws = load_workspace(tmp_path / "ws")
    assert ws.schools["学校标识码"].iloc[0] == "3401010001"
    assert ws.schools["教学仪器设备值"].iloc[0] == pytest.approx(125)  # (元): no conversion
    assert ws.schools["教学及辅助用房面积"].iloc[0] == 2500


def test_numbers_written_as_text_are_read(tmp_path):
    rows = [school_row("3401010001", pupils="1,234"), school_row("3401010002", pupils=" 56 "),
            school_row("3401010003", pupils="１２３")]
    write_book(tmp_path / "ws" / "县.xlsx", minimal_sheets(rows))
    ws = load_workspace(tmp_path / "ws")
    assert list(ws.schools["小学在校生数"]) == [1234, 56, 123]


def test_unknown_unit_is_an_error(tmp_path):
    sheets = minimal_sheets()
    sheets["学校"][0] = [h if not h.startswith("教学仪器") else "教学仪器设备值(千元)" for h in SCHOOL_HEADER]
    errors = errors_of(tmp_path, sheets)
    assert any("千元" in str(e) and e.sheet == "学校" and e.row == 1 for e in errors)


def test_ten_mistakes_are_ten_located_errors_in_one_run(tmp_path):
    rows = [
        school_row("3401010001", pupils="约3800"),                  # 1 text that is not a number
        school_row("3401010002", books="-"),                        # 2 a dash is not a number
        school_row("3401010003", 办学类型="小学校"),                  # 3 unknown enumeration
        school_row("3401010004", 初中在校生数=200),                    # 4 a 小学 with junior pupils
        school_row("3401010004"),                                   # 5 duplicate id
        school_row("3401010006", pupils=-5),                        # 6 negative number
        school_row("3401010007", 学校名称=None),                      # 7 required cell empty
        school_row("3401010008", 小学专任教师数=0),                    # 8 pupils without teachers
        school_row("3401010009", 小学县级以上骨干教师数=99),            # 9 more backbone teachers than teachers
    ]
    sheets = minimal_sheets(rows)
    sheets["经费"].append([2023, "合计", "六万", 52000])            # 10 funding amount as words
    errors = errors_of(tmp_path, sheets)
    assert len(errors) == 10, "\n".join(map(str, errors))
    located = {(e.sheet, e.row) for e in errors}
    assert located == {("学校", r) for r in range(2, 11)} | {("经费", 4)}
    text = str(errors[0])
    assert "县.xlsx" in text and "工作表「学校」" in text and "第2行" in text and "约3800" in text and "应为数字" in text


def test_load_workspace_raises_all_errors_together(tmp_path):
    rows = [school_row("3401010001", pupils="abc"), school_row("3401010002", books="x")]
    write_book(tmp_path / "ws" / "县.xlsx", minimal_sheets(rows))
    with pytest.raises(InputErrors) as caught:
        load_workspace(tmp_path / "ws")
    assert len(caught.value.errors) == 2


@pytest.mark.parametrize("school_type, field, value, expected", [
    ("九年一贯制学校", "初中在校生数", None, "应有初中在校生"),
    ("初级中学", "小学在校生数", 300, "不应有小学在校生"),
])
def test_sections_must_fit_school_type(tmp_path, school_type, field, value, expected):
    row = school_row("3401010001", 办学类型=school_type, **{field: value})
    errors = errors_of(tmp_path, minimal_sheets([row]))
    assert any(expected in e.expected and e.row == 2 for e in errors), errors


def test_school_in_scope_needs_pupils(tmp_path):
    row = school_row("3401010001", pupils=0)
    errors = errors_of(tmp_path, minimal_sheets([row]))
    assert [(e.row, e.column, e.expected) for e in errors] == [(2, "小学在校生数", "小学应有小学在校生（大于0）")]


def test_section_teacher_counts_required_where_section_exists(tmp_path):
    row = school_row("3401010001", 小学体育艺术专任教师数=None)
    errors = errors_of(tmp_path, minimal_sheets([row]))
    assert [(e.column, e.row) for e in errors] == [("小学体育艺术专任教师数", 2)]


def test_classes_of_unknown_school_are_errors(tmp_path):
    sheets = minimal_sheets()
    sheets["班级"] = [["学校标识码", "年级", "班级", "学生数"], ["3401010001", "一年级", "1班", 45],
                     ["9999999999", 3, "1班", 40], ["3401010001", "十年级", "2班", 40]]
    errors = errors_of(tmp_path, sheets)
    assert {(e.row, e.column) for e in errors} == {(3, "学校标识码"), (4, "年级")}


def test_classes_grade_forms(tmp_path):
    sheets = minimal_sheets()
    sheets["班级"] = [["学校标识码", "年级", "班级", "学生数"], ["3401010001", "一年级", "1班", 45],
                     ["3401010001", 6, "2班", 40], ["3401010001", "初一", "3班", 40]]
    write_book(tmp_path / "ws" / "县.xlsx", sheets)
    assert list(load_workspace(tmp_path / "ws").classes["年级"]) == [1, 6, 7]


def test_duplicate_keys_in_every_keyed_sheet(tmp_path):
    sheets = minimal_sheets()
    sheets["经费"].append([2025, "合计", 64000, 51000])
    sheets["测评点"] = [["编号", "一级指标", "测评点", "分值", "自评得分"], ["1", "A", "x", 5, 6], ["1", "A", "y", 5, 4]]
    sheets["整改台账"] = [["序号", "问题类别", "反馈问题", "整改措施", "责任单位", "完成时限", "整改状态"],
                       [1, "班额", "大班额", "扩班", "教育局", "2025-06-30", "已完成"],
                       [1, "班额", "大班额", "扩班", "教育局", "2025/6/30", "整改中"]]
    errors = errors_of(tmp_path, sheets)
    found = {(e.sheet, e.row, e.expected[:6]) for e in errors}
    assert ("经费", 4, "与第3行重复") in found
    assert ("测评点", 3, "与第2行重复") in found
    assert ("测评点", 2, "不应超过分值") in found
    assert ("整改台账", 3, "与第2行重复") in found


def test_completed_ledger_item_without_closing_date_is_a_warning(tmp_path):
    sheets = minimal_sheets()
    sheets["整改台账"] = [["序号", "问题类别", "反馈问题", "整改措施", "责任单位", "完成时限", "整改状态"],
                       [1, "班额", "大班额", "扩班", "教育局", "2025年6月30日", "已完成"]]
    issues = issues_of(tmp_path, sheets)
    assert [(i.severity, i.column) for i in issues] == [("警告", "销号日期")]


def test_missing_required_sheet_and_column(tmp_path):
    sheets = minimal_sheets()
    del sheets["经费"]
    sheets["学校"] = [[h for h in SCHOOL_HEADER if h != "学校名称"], *[r[:1] + r[2:] for r in sheets["学校"][1:]]]
    errors = errors_of(tmp_path, sheets)
    messages = [str(e) for e in errors]
    assert any("缺少必需的工作表「经费」" in m for m in messages)
    assert any("缺少必填列「学校名称」" in m for m in messages)


def test_title_row_above_header_and_trailing_blank_rows(tmp_path):
    sheets = minimal_sheets()
    sheets["学校"] = [["测试县学校基本情况表"], *sheets["学校"], [None] * 5, [None, "  "]]
    write_book(tmp_path / "ws" / "县.xlsx", sheets)
    ws = load_workspace(tmp_path / "ws")
    assert len(ws.schools) == 3 and list(ws.schools["_row"]) == [3, 4, 5]


def test_merged_header_cells_give_a_clear_error(tmp_path):
    sheets = minimal_sheets()
    header = list(SCHOOL_HEADER)
    header[1] = None  # what a merged cell leaves behind
    sheets["学校"][0] = header
    errors = errors_of(tmp_path, sheets)
    assert any("缺少必填列「学校名称」" in str(e) and "合并单元格" in str(e) for e in errors)


@pytest.mark.parametrize("content, expected", [
    (b"\xd0\xcf\x11\xe0" + b"\0" * 600, "密码"),
    (b"this is not a workbook", "不是有效的 Excel"),
    (b"PK\x03\x04broken zip", "不是有效的 Excel"),
])
def test_unreadable_workbooks_are_workspace_errors(tmp_path, content, expected):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "县.xlsx").write_bytes(content)
    with pytest.raises(WorkspaceError, match=expected):
        load_workspace(tmp_path / "ws")


def test_missing_workspace_and_empty_folder(tmp_path):
    with pytest.raises(WorkspaceError, match="找不到工作区"):
        load_workspace(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(WorkspaceError, match="没有 Excel 工作簿"):
        load_workspace(tmp_path / "empty")


def test_csv_workspace_in_gbk(tmp_path):
    folder = tmp_path / "csvws"
    folder.mkdir()
    for name, rows in minimal_sheets().items():
        text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
        (folder / f"{name}.csv").write_bytes(text.encode("gbk"))
    ws = load_workspace(folder)
    assert ws.region == "测试县" and len(ws.schools) == 3
    assert ws.origin["学校"] == ("学校.csv", "学校")


def test_hidden_sheet_is_read_with_a_warning(tmp_path):
    import openpyxl

    path = write_book(tmp_path / "ws" / "县.xlsx", minimal_sheets())
    book = openpyxl.load_workbook(path)
    book["学校"].sheet_state = "hidden"
    book.save(path)
    ws, issues = read_workspace(tmp_path / "ws")
    assert len(ws.schools) == 3
    assert [i.sheet for i in issues if "隐藏" in i.expected] == ["学校"]


def test_blank_required_info_and_empty_school_sheet(tmp_path):
    sheets = minimal_sheets()
    sheets["基本信息"] = [["项目", "内容"], ["地区名称", "测试县"], ["评价年度", None]]
    sheets["学校"] = [SCHOOL_HEADER]
    errors = errors_of(tmp_path, sheets)
    assert [(e.sheet, e.row, e.expected[:9]) for e in errors] == [
        ("基本信息", 3, "「评价年度」未填写"), ("学校", None, "工作表中没有学校数")]


"""Issue 12: nothing wrong gets in silently. Each mistake is built into a copy of the example
workspace with openpyxl and must give a located message (sheet, Excel row, column)."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from reportgen.cli.app import app
from reportgen.loading import read_workspace

pytestmark = pytest.mark.usefixtures("each_reader")  # every test with both .xlsx readers

BOOK = "某县2025.xlsx"


def copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / "某县2025"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("输出"))
    return folder


def column(sheet, name: str) -> int:
    """1-based index of the header that starts with ``name`` (units follow in brackets)."""
    for cell in sheet[1]:
        if str(cell.value or "").startswith(name):
            return cell.column
    raise KeyError(name)


def row_of(sheet, col: str, value) -> int:
    index = column(sheet, col)
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, index).value == value)


# ---------------------------------------------------------------- the mistakes, one function each

def yuan_in_wan_column(book):
    sheet = book["经费"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == 2025 and sheet.cell(r, 2).value == "合计")
    sheet.cell(row, 3).value = round(sheet.cell(row, 3).value * 10000, 2)
    return "经费", row, "一般公共预算教育支出", "可能把元数填进了万元的列"


def percent_format_fraction(book):
    sheet = book["县级指标"]
    row = row_of(sheet, "指标", "初中三年巩固率")
    sheet.cell(row, 2).value = 0.981
    sheet.cell(row, 2).number_format = "0.0%"
    return "县级指标", row, "值", "按98.1读取"


def fraction_with_percent_unit(book):
    sheet = book["县级指标"]
    row = row_of(sheet, "指标", "残疾儿童少年入学率")
    sheet.cell(row, 2).value = 0.964
    return "县级指标", row, "值", "如本意是96.4%，请填写96.4"


def percent_format_elsewhere(book):
    sheet = book["学校"]
    sheet.cell(8, column(sheet, "网络多媒体教室数")).number_format = "0%"
    return "学校", 8, "网络多媒体教室数", "此列不是百分比，按存储的数值"


def equipment_in_wan(book):
    sheet = book["学校"]
    col = column(sheet, "教学仪器设备值")
    sheet.cell(3, col).value = round(sheet.cell(3, col).value / 10000, 4)
    return "学校", 3, "教学仪器设备值", "可能把万元数填进了元的列"


def missing_decimal_point(book):
    sheet = book["学校"]
    col = column(sheet, "教学及辅助用房面积")
    sheet.cell(4, col).value = round(sheet.cell(4, col).value * 100, 2)
    return "学校", 4, "教学及辅助用房面积", "漏了小数点"


def enrolment_digits_swapped(book):
    sheet = book["学校"]
    col = column(sheet, "小学在校生数")
    sheet.cell(3, col).value = 1970  # 1790 typed with two digits swapped
    return "学校", 3, "小学在校生数", "各班学生数之和（1790人"


def merged_school_column(book):
    book["班级"].merge_cells("A10:A13")
    return "班级", 10, "学校标识码", "合并单元格"


def merged_ledger_cells(book):
    book["整改台账"].merge_cells("B2:B9")
    return "整改台账", 2, "问题来源", "其余7个单元格会被读作空白"


def school_without_classes(book):
    sheet = book["班级"]
    rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "2134260001"]
    sheet.delete_rows(rows[0], len(rows))
    return "学校", 2, "小学在校生数", "「班级」表中没有这所学校的班级"


def class_of_zero(book):
    book["班级"].cell(5, 4).value = 0
    return "班级", 5, "学生数", "班级学生数为0"


def uncached_formula(book):
    sheet = book["学校"]
    sheet.cell(5, column(sheet, "图书册数")).value = "=1000*30"
    return "学校", 5, "图书册数", "请在 Excel/WPS 中打开并保存"


def number_in_date_cell(book):
    sheet = book["整改台账"]
    cell = sheet.cell(3, column(sheet, "完成时限"))
    cell.value = 123
    cell.number_format = "yyyy-mm-dd"
    return "整改台账", 3, "完成时限", "原数字为123"


def number_in_date_text_cell(book):
    cell = book["班级"].cell(7, 3)
    cell.value = 3
    cell.number_format = "m/d/yy"
    return "班级", 7, "班级", "原数字为3"


def error_value_as_name(book):
    book["学校"].cell(6, 2).value = "#N/A"
    return "学校", 6, "学校名称", "Excel 错误值"


def misspelt_county_name(book):
    sheet = book["县级指标"]
    row = row_of(sheet, "指标", "教师平均工资收入")
    sheet.cell(row, 1).value = "教师年平均工资"
    return "县级指标", row, "指标", "最接近的名称：教师平均工资收入"


def points_of_another_system(book):
    sheet = book["测评点"]
    sheet.cell(2, column(sheet, "分值")).value = 7
    return "测评点", 2, "分值", "分值为3分"


def mistyped_school_id(book):
    book["学校"].cell(2, 1).value = "2134260091"
    return "班级", 2, "学校标识码", "共48行班级使用它"


def renamed_sheet(book):
    book["班级"].title = "班级信息"
    return "班级", None, None, "工作簿中有工作表「班级信息」"


def hidden_rows(book):
    book["学校"].row_dimensions[7].hidden = True
    return "学校", 7, None, "被隐藏但有数据"


def hidden_column(book):
    sheet = book["学校"]
    letter = openpyxl.utils.get_column_letter(column(sheet, "图书册数"))
    sheet.column_dimensions[letter].hidden = True
    return "学校", None, "图书册数", "此列被隐藏但有数据"


def more_classes_than_pupils(book):
    sheet = book["学校"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 3).value == "小学教学点")
    sheet.cell(row, column(sheet, "小学班级数")).value = 500
    return "学校", row, "小学班级数", "班级数多于小学在校生数"


CASES = [yuan_in_wan_column, percent_format_fraction, fraction_with_percent_unit, percent_format_elsewhere, equipment_in_wan,
         missing_decimal_point, enrolment_digits_swapped, merged_school_column, merged_ledger_cells,
         school_without_classes, class_of_zero, uncached_formula, number_in_date_cell, number_in_date_text_cell, error_value_as_name,
         misspelt_county_name, points_of_another_system, mistyped_school_id, renamed_sheet, hidden_rows,
         hidden_column, more_classes_than_pupils]


def build_case(tmp_path: Path, *mistakes) -> tuple[Path, list[tuple]]:
    folder = copy_example(tmp_path)
    book = openpyxl.load_workbook(folder / BOOK)
    expected = [mistake(book) for mistake in mistakes]
    book.save(folder / BOOK)
    return folder, expected


def find(issues, sheet, row, col, text):
    return [i for i in issues if i.sheet == sheet and i.row == row
            and (col is None or (i.column or "").startswith(col)) and text in str(i)]


@pytest.mark.parametrize("mistake", CASES, ids=[c.__name__ for c in CASES])
def test_each_mistake_is_reported_at_its_cell(tmp_path, mistake):
    folder, [(sheet, row, col, text)] = build_case(tmp_path, mistake)
    _, issues = read_workspace(folder)
    assert find(issues, sheet, row, col, text), "\n".join(map(str, issues))
    message = str(find(issues, sheet, row, col, text)[0])
    assert f"工作表「{sheet}」" in message
    assert row is None or f"第{row}行" in message
    assert col is None or f"列「{col}" in message


def test_merged_cells_are_one_error_not_one_per_covered_cell(tmp_path):
    folder, _ = build_case(tmp_path, merged_school_column)
    _, issues = read_workspace(folder)
    assert [(i.sheet, i.row, i.column) for i in issues if i.is_error] == [("班级", 10, "学校标识码")]


def test_percent_formatted_cell_is_read_as_shown(tmp_path):
    folder, _ = build_case(tmp_path, percent_format_fraction)
    ws, _ = read_workspace(folder)
    assert ws.county_value("初中三年巩固率") == pytest.approx(98.1)


def test_mistyped_id_is_one_root_error_not_one_per_class(tmp_path):
    folder, _ = build_case(tmp_path, mistyped_school_id)
    _, issues = read_workspace(folder)
    class_errors = [i for i in issues if i.sheet == "班级" and i.is_error]
    assert len(class_errors) == 1
    assert "第2—49行，共48行班级使用它" in str(class_errors[0])
    assert "相近的「2134260091」" in str(class_errors[0])
    assert not [i for i in issues if "没有这所学校的班级" in str(i)]  # a follow-on of the same root


def test_settings_typo_names_the_nearest_key(tmp_path):
    folder = copy_example(tmp_path)
    settings = folder / "reportgen.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("小学最高年级: 6", "小学最高年纪: 5"), encoding="utf-8")
    _, issues = read_workspace(folder)
    [issue] = [i for i in issues if i.file == "reportgen.yaml"]
    line = settings.read_text(encoding="utf-8").splitlines().index("小学最高年纪: 5") + 1
    assert issue.row == line
    assert str(issue).startswith(f"[警告] reportgen.yaml，第{line}行：值「5」，不认识的设置项「小学最高年纪」")
    assert "是否应为「小学最高年级」" in str(issue)


def test_validate_reports_an_unused_text_section_like_build(tmp_path):
    folder = copy_example(tmp_path)
    book = openpyxl.load_workbook(folder / BOOK)
    book["文字材料"].cell(2, 1).value = "组织领道"
    book.save(folder / BOOK)
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "工作表「文字材料」，第2行，列「章节」：值「组织领道」，没有报告使用这个章节名" in result.output
    strict = CliRunner().invoke(app, ["validate", "--strict", str(folder)])
    assert strict.exit_code == 1 and "检查未通过：" in strict.output
    assert any(line.startswith("[错误]") and "组织领道" in line for line in strict.output.splitlines())


def test_strict_turns_warnings_into_errors(tmp_path):
    folder, _ = build_case(tmp_path, class_of_zero)
    assert CliRunner().invoke(app, ["validate", str(folder)]).exit_code == 0
    result = CliRunner().invoke(app, ["validate", "--strict", str(folder)])
    assert result.exit_code == 1
    assert "[错误] 某县2025.xlsx，工作表「班级」，第5行，列「学生数」：值「0」，班级学生数为0" in result.output


def test_every_mistake_at_once_is_reported_in_one_run(tmp_path):
    cases = [c for c in CASES if c not in (school_without_classes, mistyped_school_id, renamed_sheet)]
    folder, expected = build_case(tmp_path, *cases)
    _, issues = read_workspace(folder)
    missing = [e for e in expected if not find(issues, *e)]
    assert not missing, "\n".join(map(str, issues))
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "检查未通过" in result.output


def test_the_example_gives_no_warning_but_its_planted_contradictions():
    """The example carries five contradictions on purpose (issue 14: 785/776, 2253/2230, 24%/25%,
    问题5, 问题6); the consistency check's lines are the only warnings."""
    result = CliRunner().invoke(app, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "检查通过：0 个错误，5 个警告。" in result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("[")]
    assert len(warnings) == 5 and all(line.startswith("[提示] 核对：") for line in warnings), warnings


def test_sheet_marks_survive_the_sheet_cache(tmp_path):
    folder, [(sheet, row, col, text)] = build_case(tmp_path, merged_ledger_cells)
    cache = tmp_path / "cache"
    first = read_workspace(folder, sheet_cache=cache)[1]
    again = read_workspace(folder, sheet_cache=cache)[1]
    assert any(cache.iterdir())
    assert find(again, sheet, row, col, text) and list(map(str, first)) == list(map(str, again))


def test_build_strict_refuses_a_workspace_with_warnings(tmp_path):
    folder, _ = build_case(tmp_path, class_of_zero)
    result = CliRunner().invoke(app, ["build", "--strict", str(folder), "--jobs", "1"])
    assert result.exit_code == 1
    assert "工作表「班级」，第5行，列「学生数」" in result.output and "未生成报告" in result.output
    assert not (folder / "输出").exists()

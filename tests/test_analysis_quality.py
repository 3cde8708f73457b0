"""优质均衡 资源配置 and 基本均衡, hand-computed; the worked example through the real loader."""
from __future__ import annotations

import math

import pytest

import openpyxl
from fixtures.analysis_frames import school, workspace
from reportgen.analysis import analyze, explain
from reportgen.analysis.basic import basic_balance
from reportgen.analysis.quality import quality_balance
from reportgen.systems.indicators import load_system
from reportgen.loading import load_workspace

QUALITY = load_system("quality", "优质均衡2017")
BASIC = load_system("basic", "基本均衡2012")


def test_values_per_school_and_weighted_coefficient():
    ws = workspace([school("0000000001", primary=100, 体育运动场馆面积=800.0),
                    school("0000000002", primary=300, 体育运动场馆面积=3000.0)])
    primary = quality_balance(ws.schools, QUALITY)["primary"]
    sports = primary["indicators"]["sports_area_per_student"]
    # X = 8 and 10; x̄ = 3800/400 = 9.5; S² = 0.25·2.25 + 0.75·0.25 = 0.75
    assert [s["values"]["sports_area_per_student"] for s in primary["schools"]] == [8.0, 10.0]
    assert sports["mean"] == pytest.approx(9.5)
    assert sports["cv"] == pytest.approx(math.sqrt(0.75) / 9.5)
    assert (sports["cv_max"], sports["cv_ok"], sports["standard"], sports["schools_meeting"]) == (0.5, True, 7.5, 2)
    assert primary["schools_in_scope"] == 2 and primary["pupils"] == 400
    cvs = [e["cv"] for e in primary["indicators"].values()]
    assert primary["composite_cv"] == pytest.approx(sum(cvs) / 7)


def test_high_coefficient_fails_against_section_limit():
    ws = workspace([school("0000000001", "初级中学", junior=100, 教学仪器设备值=1e5),
                    school("0000000002", "初级中学", junior=100, 教学仪器设备值=1e6)])
    junior = quality_balance(ws.schools, QUALITY)["junior"]
    entry = junior["indicators"]["equipment_value_per_student"]
    assert entry["cv"] == pytest.approx(4500 / 5500)  # values 1000 and 10000: S = 4500, x̄ = 5500
    assert entry["cv_max"] == 0.45 and entry["cv_ok"] is False
    assert junior["cv_ok"] is False and junior["ok"] is False


def test_per_school_rule():
    ws = workspace([
        school("0000000001"),                                            # all 7 met
        school("0000000002", 体育运动场馆面积=7.5 * 0.85 * 100),             # 6 met, the 7th exactly at 85%
        school("0000000003", 体育运动场馆面积=7.5 * 0.84 * 100),             # 6 met, the 7th below 85%
        school("0000000004", 体育运动场馆面积=700.0, 教学及辅助用房面积=440.0),  # 5 met
    ])
    schools = quality_balance(ws.schools, QUALITY)["primary"]["schools"]
    assert [s["ok"] for s in schools] == [True, True, False, False]
    assert [s["met"] for s in schools] == [7, 6, 6, 5]
    assert schools[1]["failed"] == ["sports_area_per_student"] and schools[1]["below_floor"] == []
    assert schools[2]["below_floor"] == ["sports_area_per_student"]
    assert schools[3]["failed"] == ["teaching_area_per_student", "sports_area_per_student"]


def test_exact_standard_counts_as_met():
    ws = workspace([school("0000000001", 教学及辅助用房面积=450.0)])
    entry = quality_balance(ws.schools, QUALITY)["primary"]["schools"][0]
    assert entry["values"]["teaching_area_per_student"] == 4.5 and entry["met"] == 7


def test_missing_value_is_null_with_reason_never_zero():
    ws = workspace([school("0000000001"), school("0000000002", 网络多媒体教室数=float("nan"))])
    primary = quality_balance(ws.schools, QUALITY)["primary"]
    entry = primary["indicators"]["multimedia_rooms_per100"]
    assert entry["cv"] is None and entry["mean"] is None
    assert "学校002（第3行）" in entry["reason"] and "网络多媒体教室数" in entry["reason"]
    assert primary["composite_cv"] is None
    assert primary["schools"][1]["values"]["multimedia_rooms_per100"] is None
    assert primary["schools"][1]["ok"] is None and primary["schools"][1]["missing"] == ["multimedia_rooms_per100"]


def test_missing_value_cannot_save_a_failing_school():
    ws = workspace([school("0000000001", 网络多媒体教室数=float("nan"), 体育运动场馆面积=100.0)])
    assert quality_balance(ws.schools, QUALITY)["primary"]["schools"][0]["ok"] is False


def test_empty_section():
    ws = workspace([school("0000000001")])
    junior = quality_balance(ws.schools, QUALITY)["junior"]
    assert junior["schools_in_scope"] == 0 and junior["composite_cv"] is None
    assert junior["indicators"]["sports_area_per_student"]["reason"] == "没有纳入计算的初中"


def test_basic_balance_composite_and_limit():
    ws = workspace([school("0000000001", primary=100, 图书册数=1000.0),
                    school("0000000002", primary=100, 图书册数=3000.0)])
    primary = basic_balance(ws.schools, BASIC)["primary"]
    books = primary["indicators"]["books_per_student"]
    assert books["cv"] == pytest.approx(0.5)  # values 10 and 30: x̄ 20, S 10
    assert list(primary["indicators"]) == ["teaching_area_per_student", "sports_area_per_student",
                                           "equipment_value_per_student", "computers_per100", "books_per_student",
                                           "teacher_student_ratio", "high_degree_teachers_per_student",
                                           "senior_title_teachers_per_student"]
    assert primary["composite_cv"] == pytest.approx(0.5 / 8)
    assert (primary["composite_max"], primary["ok"]) == (0.65, True)


def write_worked_example(folder):
    """The published 生均图书册数 example as a real workbook, headers with units as a user writes them."""
    book = openpyxl.Workbook()
    info = book.active
    info.title = "基本信息"
    for row in (["项目", "内容"], ["地区名称", "例县"], ["评价年度", 2025]):
        info.append(row)
    schools = book.create_sheet("学校")
    schools.append(["学校标识码", "学校名称", "办学类型", "小学在校生数(人)", "教学及辅助用房面积(平方米)",
                    "体育运动场馆面积(平方米)", "教学仪器设备值(万元)", "网络多媒体教室数(间)", "图书册数(册)",
                    "小学专任教师数", "小学高于规定学历教师数", "小学县级以上骨干教师数", "小学体育艺术专任教师数"])
    for i, (pupils, books) in enumerate(zip([45, 37, 89, 76, 55], [279, 137, 935, 160, 402]), 1):
        schools.append([f"34010100{i:02d}", f"小学{i}", "小学", pupils, pupils * 5, pupils * 8, pupils * 0.25,
                        2, books, 5, 4, 1, 1])
    funding = book.create_sheet("经费")
    funding.append(["年度", "学段", "一般公共预算教育支出(万元)", "在校生数"])
    funding.append([2024, "合计", 1000, 300])
    funding.append([2025, "合计", 1100, 302])
    folder.mkdir()
    book.save(folder / "例县2025.xlsx")
    return folder


def test_worked_example_through_the_loader(tmp_path):
    ws = load_workspace(write_worked_example(tmp_path / "例县"))
    result = analyze(ws)
    books = result["basic_balance"]["primary"]["indicators"]["books_per_student"]
    assert round(books["cv"], 6) == 0.515257
    assert round(books["mean"], 6) == 6.334437
    text = explain(ws, result, "basic.primary.books_per_student.cv")
    assert "0.515257" in text and "第2行" in text and "图书册数" in text and "例县2025.xlsx" in text
    assert result["quality_balance"]["primary"]["indicators"]["equipment_value_per_student"]["mean"] == \
        pytest.approx(2500.0)  # 0.25 万元 per pupil read as 2500 元

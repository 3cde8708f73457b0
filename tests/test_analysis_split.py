"""Splitting combined schools and the scope of balance analyses (standards §1.1, §2.1)."""
from __future__ import annotations

import pytest

from fixtures.analysis_frames import school, workspace
from reportgen.analysis.split import excluded_schools, scope_exclusions, section_frame, section_shares
from reportgen.systems.indicators import load_system

QUALITY = load_system("quality", "优质均衡2017").balance
BASIC = load_system("basic", "基本均衡2012").balance


def test_published_split_example():
    ws = workspace([school("0000000001", "九年一贯制学校", primary=166, junior=210, 图书册数=23226)])
    primary = section_frame(ws.schools, QUALITY, "小学")
    junior = section_frame(ws.schools, QUALITY, "初中")
    assert round(primary["图书册数"].iloc[0], 2) == 9711.63
    assert round(junior["图书册数"].iloc[0], 2) == 13514.37
    assert primary["图书册数(全校)"].iloc[0] == 23226
    assert primary["share"].iloc[0] == pytest.approx(166 / 397)


def test_complete_middle_school_keeps_only_its_junior_share():
    ws = workspace([school("0000000002", "完全中学", junior=500, senior=600, 教学及辅助用房面积=12200.0)])
    assert section_frame(ws.schools, QUALITY, "小学").empty
    junior = section_frame(ws.schools, QUALITY, "初中")
    assert junior["教学及辅助用房面积"].iloc[0] == pytest.approx(12200 * 500 / (500 + 1.2 * 600))


def test_twelve_year_school_weights():
    ws = workspace([school("0000000003", "十二年一贯制学校", primary=300, junior=200, senior=100)])
    shares = section_shares(ws.schools, QUALITY.split).iloc[0]
    denominator = 300 + 1.1 * 200 + 1.32 * 100
    assert shares["小学"] == pytest.approx(300 / denominator)
    assert shares["初中"] == pytest.approx(1.1 * 200 / denominator)
    assert shares["高中"] == pytest.approx(1.32 * 100 / denominator)


def test_teachers_are_taken_per_section_not_split():
    ws = workspace([school("0000000004", "九年一贯制学校", primary=166, junior=210,
                           小学高于规定学历教师数=11, 初中高于规定学历教师数=17)])
    assert section_frame(ws.schools, QUALITY, "小学")["小学高于规定学历教师数"].iloc[0] == 11
    assert section_frame(ws.schools, QUALITY, "初中")["初中高于规定学历教师数"].iloc[0] == 17


def test_single_section_school_keeps_everything():
    ws = workspace([school("0000000005", "小学", primary=300, 图书册数=9000)])
    frame = section_frame(ws.schools, QUALITY, "小学")
    assert frame["图书册数"].iloc[0] == 9000 and frame["share"].iloc[0] == 1


def test_quality_scope_exclusions():
    ws = workspace([
        school("0000000010", "小学"),
        school("0000000011", "特殊教育学校"),
        school("0000000012", "职业学校", junior=100),
        school("0000000013", "小学教学点", primary=49),
        school("0000000014", "小学教学点", primary=50),
        school("0000000015", "小学", 办学性质="民办"),
    ])
    reasons = scope_exclusions(ws.schools, QUALITY.scope).tolist()
    assert reasons[0] is None and reasons[4] is None and reasons[5] is None
    assert "特殊教育学校" in reasons[1] and "职业学校" in reasons[2]
    assert "不足50人" in reasons[3]
    assert list(section_frame(ws.schools, QUALITY, "小学")["学校标识码"]) == ["0000000010", "0000000014", "0000000015"]
    excluded = excluded_schools(ws.schools, QUALITY.scope)
    assert [e["id"] for e in excluded] == ["0000000011", "0000000012", "0000000013"]
    assert excluded[0]["row"] == 3


def test_basic_scope_excludes_private_schools_and_teaching_points():
    ws = workspace([school("0000000020"), school("0000000021", "小学教学点", primary=80),
                    school("0000000022", 办学性质="民办")])
    assert list(section_frame(ws.schools, BASIC, "小学")["学校标识码"]) == ["0000000020"]
    reasons = scope_exclusions(ws.schools, BASIC.scope).tolist()
    assert reasons[2] == "民办学校不参与计算"

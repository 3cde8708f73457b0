"""The county profile, the class-size scope and the tallies of the analysis, on hand-counted data."""
from __future__ import annotations

import pytest

from fixtures.analysis_frames import school, workspace
from reportgen.analysis import analyze
from reportgen.analysis.counts import duty_counts, item_counts, quality_section_counts, veto_counts


def classes_of(sid: str, grade: int, sizes: list[int]) -> list[dict]:
    return [{"学校标识码": sid, "年级": grade, "学生数": n} for n in sizes]


@pytest.fixture(scope="module")
def county():
    schools = [
        school("0000000001", "小学", primary=400.0, 小学班级数=10, 小学专任教师数=25),
        school("0000000002", "小学", primary=300.0, 小学班级数=7, 小学专任教师数=20),
        school("0000000003", "初级中学", junior=500.0, 初中班级数=10, 初中专任教师数=40),
        school("0000000004", "九年一贯制学校", primary=200.0, junior=100.0, 小学班级数=5, 初中班级数=2,
               小学专任教师数=15, 初中专任教师数=10),
        school("0000000005", "特殊教育学校", primary=30.0, junior=12.0, 小学班级数=3, 初中班级数=2,
               小学专任教师数=8, 初中专任教师数=4),
    ]
    classes = (classes_of("0000000001", 1, [46, 40, 57]) + classes_of("0000000003", 7, [51, 66])
               + classes_of("0000000004", 8, [50])
               # the 特殊教育学校's classes are small but would count under the 45/50 rule if not left out
               + classes_of("0000000005", 2, [46, 47]) + classes_of("0000000005", 8, [52]))
    ws = workspace(schools, classes, info={"地区名称": "测试县", "评价年度": 2025, "国土面积": 1200.5})
    return ws, analyze(ws)


def test_profile_counts_compulsory_schools_by_type(county):
    _, result = county
    p = result["profile"]
    assert p["schools"] == 4                      # 2 小学 + 1 初级中学 + 1 九年一贯制; 特殊教育 apart
    assert p["schools_by_type"] == {"小学": 2, "初级中学": 1, "九年一贯制学校": 1, "特殊教育学校": 1}
    assert p["pupils"] == {"total": 1500.0, "by_section": {"小学": 900.0, "初中": 600.0}}
    assert p["classes"] == {"total": 34.0, "by_section": {"小学": 22.0, "初中": 12.0}}
    assert p["teachers"] == {"total": 110.0, "by_section": {"小学": 60.0, "初中": 50.0}}
    assert p["all_schools"]["classes"]["total"] == 39.0   # 34 + the 5 classes of the 特殊教育学校
    assert p["info"]["国土面积"] == 1200.5 and p["info"]["户籍人口"] is None


def test_class_size_leaves_the_special_school_out_like_the_profile(county):
    _, result = county
    sizes = result["class_size"]
    assert sizes["excluded_classes"] == {"特殊教育学校": 3}
    assert sizes["primary"]["classes"] == 3 and sizes["junior"]["classes"] == 3
    assert sizes["primary"]["over_standard"] == 2     # 46, 57 > 45 (the special school's 46, 47 not counted)
    assert sizes["junior"]["over_standard"] == 2      # 51, 66 > 50; a class of exactly 50 is not over
    assert sizes["junior"]["huge_66_plus"] == 1 and sizes["primary"]["large_56_65"] == 1
    assert sizes["distribution"] == {"小学": {"40": 1, "46": 1, "57": 1}, "初中": {"50": 1, "51": 1, "66": 1}}


def test_counts_block(county):
    _, result = county
    c = result["counts"]
    assert c["guarantee"]["items"] == len(result["guarantee"])
    assert sum(c["guarantee"][s] for s in ("达标", "未达标", "待说明")) == c["guarantee"]["items"]
    assert c["quality"]["primary"]["split_parts"] == 1          # the 九年一贯制 school's 小学部
    assert c["duty"]["points"] == len(result["duty_scoring"]["points"])


def test_quality_section_counts_by_hand():
    block = {"indicators": {"a": {"cv": 0.6, "cv_ok": False}, "b": {"cv": None, "cv_ok": None},
                            "c": {"cv": 0.2, "cv_ok": True}},
             "schools": [{"type": "小学", "failed": ["a"]}, {"type": "九年一贯制学校", "failed": ["a", "c"]},
                         {"type": "完全中学", "failed": []}]}
    assert quality_section_counts(block) == {"indicators": 3, "cv_over": 1, "cv_unknown": 1, "split_parts": 2,
                                             "schools_below": {"a": 2, "b": 0, "c": 1}}


def test_item_veto_and_duty_counts_by_hand():
    items = [{"status": "达标"}, {"status": "未达标"}, {"status": "达标"}, {"status": "待说明"}]
    assert item_counts(items) == {"items": 4, "达标": 2, "未达标": 1, "待说明": 1}
    assert veto_counts([{"triggered": True}, {"triggered": None}, {"triggered": False}]) == \
        {"triggered": 1, "pending": 1}
    scoring = {"points": [{"id": "1", "max_score": 3.0, "score": 1.5}, {"id": "2", "max_score": 2.0, "score": None},
                          {"id": "3", "max_score": 4.0, "score": 4.0}],
               "not_applicable": [], "missing": ["2"]}
    assert duty_counts(scoring) == {"points": 3, "not_applicable": 0, "missing": 1, "lost": {"1": 1.5, "3": 0.0}}


def test_example_profile_and_class_size_agree(example_analysis):
    """Issue 14: 基本情况 said 491/285 classes, the 班额 sentences 497/288 (the 特殊教育学校's 9 classes)."""
    p, sizes = example_analysis["profile"], example_analysis["class_size"]
    assert p["classes"]["by_section"] == {"小学": 491.0, "初中": 285.0}
    assert (sizes["primary"]["classes"], sizes["junior"]["classes"]) == (491, 285)
    assert sizes["excluded_classes"] == {"特殊教育学校": 9}
    assert p["schools"] == 41 and p["schools_by_type"]["特殊教育学校"] == 1

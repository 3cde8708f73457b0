"""Class size bands, graduating classes, next-year projection and school size caps (standards §6)."""
from __future__ import annotations

import pandas as pd
import pytest

from fixtures.analysis_frames import school, workspace
from reportgen.analysis.class_size import class_size, classify_classes, school_size
from reportgen.systems.indicators import load_system

QUALITY = load_system("quality", "优质均衡2017")
RULE = QUALITY.class_size


def classes(*rows: tuple[str, int, float]) -> list[dict]:
    return [{"学校标识码": sid, "年级": grade, "班级": f"{i}班", "学生数": size}
            for i, (sid, grade, size) in enumerate(rows, 1)]


def analyse(rows: list[dict], highest: int = 6, schools=None) -> dict:
    ws = workspace(schools or [school("0000000001"), school("0000000002", "初级中学")], rows)
    return class_size(ws.classes, ws.schools, RULE, highest)


@pytest.mark.parametrize("size, over, large, huge", [
    (45, False, False, False), (46, True, False, False), (55, True, False, False),
    (56, True, True, False), (65, True, True, False), (66, True, False, True), (80, True, False, True)])
def test_primary_bands(size, over, large, huge):
    table = classify_classes(workspace([school("0000000001")], classes(("0000000001", 3, size))).classes, RULE, 6)
    assert table[["over_standard", "large_56_65", "huge_66_plus"]].iloc[0].tolist() == [over, large, huge]


def test_junior_standard_is_fifty():
    result = analyse(classes(("0000000002", 7, 50), ("0000000002", 8, 51)))
    assert result["junior"]["over_standard"] == 1 and result["junior"]["standard"] == 50
    assert result["primary"]["classes"] == 0


def test_counts_graduating_and_next_year():
    result = analyse(classes(
        ("0000000001", 1, 40), ("0000000001", 2, 47), ("0000000001", 6, 58), ("0000000001", 6, 70),
        ("0000000002", 9, 52), ("0000000002", 7, 66)))
    primary, junior = result["primary"], result["junior"]
    assert (primary["classes"], primary["over_standard"], primary["large_56_65"], primary["huge_66_plus"]) == (4, 3, 1, 1)
    assert (primary["graduating_over_standard"], primary["graduating_large_56_65"], primary["graduating_huge_66_plus"]) == (2, 1, 1)
    assert primary["next_year"] == {"over_standard": 1, "large_56_65": 0, "huge_66_plus": 0}
    assert primary["large_or_huge"] == 2 and primary["large_share"] == 0.5 and primary["max_size"] == 70
    assert (junior["over_standard"], junior["graduating_over_standard"], junior["huge_66_plus"]) == (2, 1, 1)
    assert junior["next_year"]["over_standard"] == 1
    by_school = {(s["id"], s["section"]): s for s in result["schools"]}
    assert by_school[("0000000001", "primary")]["over_standard"] == 3
    assert by_school[("0000000001", "primary")]["name"] == "学校001"
    assert by_school[("0000000002", "junior")]["graduating_over_standard"] == 1


def test_five_four_system_moves_grade_six_to_junior():
    rows = classes(("0000000001", 5, 46), ("0000000002", 6, 49))
    six = analyse(rows, highest=6)
    five = analyse(rows, highest=5)
    assert six["primary"]["classes"] == 2 and six["primary"]["over_standard"] == 2
    assert five["primary"]["classes"] == 1 and five["junior"]["classes"] == 1
    assert five["junior"]["over_standard"] == 0 and five["primary"]["graduating_over_standard"] == 1


def test_no_classes_sheet_is_missing_not_zero():
    result = analyse([])
    assert result["available"] is False and "班级" in result["reason"]
    assert result["primary"]["over_standard"] is None and result["junior"]["classes"] is None


def test_vectorised_on_many_classes():
    rows = pd.DataFrame({"学校标识码": ["0000000001"] * 60000, "年级": [1 + i % 9 for i in range(60000)],
                         "班级": "1班", "学生数": [40 + i % 30 for i in range(60000)]})
    ws = workspace([school("0000000001", "九年一贯制学校", primary=600, junior=300)], rows.to_dict("records"))
    result = class_size(ws.classes, ws.schools, RULE, 6)
    assert result["primary"]["classes"] + result["junior"]["classes"] == 60000
    sizes = rows["学生数"]
    assert result["primary"]["huge_66_plus"] + result["junior"]["huge_66_plus"] == int((sizes >= 66).sum())


def test_school_size_caps():
    ws = workspace([
        school("0000000001", primary=2000), school("0000000002", primary=2001),
        school("0000000003", "九年一贯制学校", primary=1500, junior=1000),
        school("0000000004", "九年一贯制学校", primary=1500, junior=1001),
        school("0000000005", "完全中学", junior=1900, senior=3000),
        school("0000000006", "特殊教育学校", primary=3000)])
    result = school_size(ws.schools, QUALITY.school_size)
    assert [(s["id"], s["pupils"], s["limit"]) for s in result["over_limit"]] == [
        ("0000000002", 2001, 2000), ("0000000004", 2501, 2500)]
    assert result["schools_checked"] == 5 and result["over_limit"][0]["row"] == 3

"""Chinese names of figure ids, as the 变更说明 prints them."""
from __future__ import annotations

import pytest

from reportgen.reports.figure_labels import figure_label


@pytest.mark.parametrize("fig_id, label", [
    ("quality.junior.sports_area_per_student.cv", "初中生均体育运动场馆面积差异系数"),
    ("quality.primary.composite_cv", "小学综合差异系数"),
    ("funding.合计.2025.per_pupil_growth", "2025年生均一般公共预算教育支出增长率"),
    ("funding.小学.2024.spending", "2024年小学一般公共预算教育支出"),
    ("duty.point.22.score", "测评点22得分"),
    ("duty.total", "自评得分"),
    ("rectification.completion_rate", "整改完成率"),
    ("rectification.班额.done", "班额方面已完成整改问题数"),
    ("class_size.primary.large_56_65", "小学大班额班级数"),
    ("profile.schools.小学", "小学学校数"),
    ("guarantee.达标", "政府保障程度达标项数"),
    ("something.unknown", "something.unknown"),
])
def test_labels(fig_id, label, example_analysis):
    assert figure_label(fig_id, example_analysis) == label


def test_school_figures_are_named_after_the_school_or_its_part(example_analysis):
    schools = example_analysis["quality_balance"]["junior"]["schools"]
    plain = next(s for s in schools if s["type"] == "初级中学")
    combined = next(s for s in schools if s["type"] == "九年一贯制学校")
    label = figure_label(f"quality.junior.school.{plain['id']}.sports_area_per_student", example_analysis)
    assert label == f"{plain['name']}生均体育运动场馆面积"
    label = figure_label(f"quality.junior.school.{combined['id']}.pupils", example_analysis)
    assert label == f"{combined['name']}初中部在校生数"

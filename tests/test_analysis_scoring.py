"""履职评价 scoring: computed deductions, user scores, 不适用 rescaling, 加分, vetoes, grade bands."""
from __future__ import annotations

import pytest

from fixtures.analysis_frames import workspace
from reportgen.analysis.scoring import Measure, apply_vetoes, grade_for, propose, score_duty
from reportgen.systems.indicators import ScoringRule, load_system

DUTY = load_system("duty", "履职评价示例")
GRADES = DUTY.grades

SMALL = """\
体系: 履职评价
名称: 测试体系
总分: 100
不适用测评点: {mode}
加分上限: 3
等级:
  - {{名称: 优秀, 最低分: 90}}
  - {{名称: 良好, 最低分: 80}}
  - {{名称: 合格, 最低分: 65}}
  - {{名称: 不合格, 最低分: 0}}
一级指标:
  - 名称: 甲
    分值: 100
    二级指标:
      - 名称: 乙
        分值: 100
        测评点:
          - {{编号: "1", 测评点: 校额, 分值: 2, 计算: {{依据: 学校规模.超规模学校数, 规则: 每项扣分, 每项扣: 1}}}}
          - {{编号: "2", 测评点: 班额, 分值: 3, 计算: {{依据: 班额.超标准班额数, 规则: 有则扣分, 扣: 1}}}}
          - {{编号: "3", 测评点: 工资, 分值: 5, 计算: {{依据: 政府保障程度.teacher_salary, 规则: 达标得分}}}}
          - {{编号: "4", 测评点: 人工, 分值: 90}}
加分项目:
  - {{编号: 加1, 名称: 表彰, 分值: 2}}
  - {{编号: 加2, 名称: 推广, 分值: 2}}
否决与降等:
  - {{编号: v1, 名称: 事故, 处理: 一票否决, 县级指标: 事故数}}
  - {{编号: v2, 名称: 事件, 处理: 降一等, 县级指标: 事件数}}
"""


def small_system(tmp_path, mode: str = "按比例折算"):
    path = tmp_path / f"测试{mode}.yaml"
    path.write_text(SMALL.format(mode=mode), encoding="utf-8")
    return load_system("duty", path.name, tmp_path)


def sheet(*rows: tuple) -> list[dict]:
    """(编号, 分值, 自评得分, 适用) rows of the 测评点 sheet."""
    return [{"编号": i, "一级指标": "加分项目" if i.startswith("加") else "甲", "二级指标": "乙", "测评点": f"点{i}",
             "分值": m, "自评得分": s, "得失分说明": None, "适用": a} for i, m, s, a in rows]


FOUND = {"学校规模.超规模学校数": Measure(count=2, phrase="2所学校超规模办学"),
         "班额.超标准班额数": Measure(count=0, phrase="全县无超过标准班额的班级"),
         "政府保障程度.teacher_salary": Measure(ok=True, phrase="教师平均工资收入不低于公务员")}


def score(system, rows, found=FOUND, vetoes=()):
    return score_duty(workspace(points=rows).points, system, found, list(vetoes))


def test_per_item_deduction_down_to_zero():
    rule = ScoringRule("学校规模.超规模学校数", "每项扣分", per_item=1.0)
    assert propose(rule, 3, Measure(count=2, phrase="2所学校超规模办学")) == (1.0, "2所学校超规模办学，扣2分")
    assert propose(rule, 3, Measure(count=5, phrase="5所学校超规模办学")) == (0.0, "5所学校超规模办学，扣3分")
    assert propose(rule, 3, Measure(count=0, phrase="全县无超规模办学学校")) == (3.0, "全县无超规模办学学校，得满分")


def test_decimal_deductions_have_no_binary_noise():
    rule = ScoringRule("班额.超标准班额数", "每项扣分", per_item=0.1)
    assert propose(rule, 3, Measure(count=7, phrase="7个班级超过标准班额")) == (2.3, "7个班级超过标准班额，扣0.7分")


def test_once_deduction_and_cap():
    assert propose(ScoringRule("x", "有则扣分", deduction=1.0), 2, Measure(count=2, phrase="2所学校超规模办学")) == \
        (1.0, "2所学校超规模办学，扣1分")
    capped = ScoringRule("x", "每项扣分", per_item=1.0, max_deduction=1.5)
    assert propose(capped, 4, Measure(count=3, phrase="p"))[0] == 2.5


def test_pass_rule_and_unknown_measure():
    rule = ScoringRule("政府保障程度.teacher_salary", "达标得分")
    assert propose(rule, 5, Measure(ok=False, phrase="教师平均工资收入低于公务员")) == (0.0, "教师平均工资收入低于公务员，扣5分")
    assert propose(ScoringRule("x", "达标得分", fail_score=2.0), 5, Measure(ok=False, phrase="p"))[0] == 2.0
    assert propose(rule, 5, Measure(reason="「县级指标」工作表未填报「教师平均工资收入」")) == \
        (None, "「县级指标」工作表未填报「教师平均工资收入」")


def test_computed_points_and_user_scores(tmp_path):
    system = small_system(tmp_path)
    result = score(system, sheet(("1", 2, None, "是"), ("2", 3, None, "是"), ("3", 5, None, "是"), ("4", 90, 80, "是")))
    points = {p["id"]: p for p in result["points"]}
    assert (points["1"]["score"], points["1"]["computed"], points["1"]["reason"]) == (0.0, True, "2所学校超规模办学，扣2分")
    assert (points["2"]["score"], points["3"]["score"]) == (3.0, 5.0)
    assert (points["4"]["score"], points["4"]["computed"]) == (80.0, False)
    assert (result["raw_total"], result["total"], result["grade"]) == (88.0, 88.0, "良好")
    assert result["complete"] is True and result["computed_points"] == ["1", "2", "3"]


def test_user_score_wins_but_disagreement_is_reported(tmp_path):
    system = small_system(tmp_path)
    result = score(system, sheet(("1", 2, 2, "是"), ("2", 3, None, "是"), ("3", 5, None, "是"), ("4", 90, 90, "是")))
    point = result["points"][0]
    assert (point["score"], point["computed"], point["proposed_score"]) == (2.0, False, 0.0)
    assert any("不一致" in w for w in result["warnings"])


def test_missing_scores_are_listed(tmp_path):
    result = score(small_system(tmp_path), sheet(("1", 2, None, "是"), ("2", 3, None, "是"), ("3", 5, None, "是"),
                                                  ("4", 90, None, "是")))
    assert result["complete"] is False and result["missing"] == ["4"]
    assert result["points"][3]["status"] == "待填报"


@pytest.mark.parametrize("mode, expected", [("按比例折算", 88 / 95 * 100), ("不计入", 88.0), ("计满分", 93.0)])
def test_not_applicable_points(tmp_path, mode, expected):
    system = small_system(tmp_path, mode)
    result = score(system, sheet(("1", 2, None, "是"), ("2", 3, None, "是"), ("3", 5, None, "否"), ("4", 90, 85, "是")))
    # point 1 scores 0 (2 schools over size), point 2 scores 3: raw 0 + 3 + 85 = 88 over 95 applicable
    assert result["raw_total"] == 88.0 and result["applicable_max"] == 95.0
    assert result["total"] == pytest.approx(expected)
    assert result["not_applicable"] == ["3"] and result["points"][2]["status"] == "不适用"
    assert result["points"][2]["score"] is None


def test_bonus_is_capped_per_item_and_in_total(tmp_path):
    system = small_system(tmp_path)
    rows = sheet(("1", 2, 2, "是"), ("2", 3, 3, "是"), ("3", 5, 5, "是"), ("4", 90, 80, "是"),
                 ("加1", 2, 5, "是"), ("加2", 2, 2, "是"))
    result = score(system, rows)
    assert [b["score"] for b in result["bonus_items"]] == [2.0, 2.0]
    assert (result["bonus_claimed"], result["bonus"], result["final"]) == (4.0, 3.0, 93.0)
    assert result["grade"] == "优秀" and len([w for w in result["warnings"] if "加分" in w]) == 2


def test_empty_sheet_uses_the_system_points(tmp_path):
    result = score(small_system(tmp_path), [])
    assert [p["id"] for p in result["points"]] == ["1", "2", "3", "4"]
    assert result["missing"] == ["4"] and result["bonus_items"][0]["score"] is None


def test_points_missing_from_the_sheet_are_warned(tmp_path):
    result = score(small_system(tmp_path), sheet(("1", 2, None, "是"), ("4", 90, 90, "是")))
    assert {p["id"] for p in result["points"]} == {"1", "2", "3", "4"}
    assert sum("缺少测评点" in w for w in result["warnings"]) == 2


@pytest.mark.parametrize("value, grade", [(100, "优秀"), (90, "优秀"), (89.99, "良好"), (80, "良好"),
                                          (79.5, "合格"), (65, "合格"), (64.99, "不合格"), (0, "不合格")])
def test_grade_bands(value, grade):
    assert grade_for(value, GRADES) == grade


def test_vetoes_set_or_lower_the_grade():
    veto = {"action": "一票否决", "triggered": True}
    lower = {"action": "降一等", "triggered": True}
    calm = {"action": "一票否决", "triggered": False}
    assert apply_vetoes("优秀", [veto], GRADES) == "不合格"
    assert apply_vetoes("优秀", [lower], GRADES) == "良好"
    assert apply_vetoes("合格", [lower, lower], GRADES) == "不合格"
    assert apply_vetoes("优秀", [calm, {"action": "降一等", "triggered": None}], GRADES) == "优秀"


def test_builtin_example_totals_100_and_links_computed_results():
    assert sum(p.max_score for p in DUTY.points) == 100
    linked = [p for p in DUTY.points if p.rule]
    assert {p.rule.measure for p in linked} >= {"学校规模.超规模学校数", "经费.一般公共预算教育支出只增不减",
                                               "政府保障程度.teacher_salary", "教育质量.training_budget",
                                               "政府保障程度.teacher_rotation", "优质均衡.差异系数超标项数",
                                               "班额.超标准班额数"}


def test_coefficient_deduction_names_each_indicator_with_its_value_and_limit(example_analysis):
    import copy

    from reportgen.analysis.scoring import measures

    result = copy.deepcopy(example_analysis)
    primary = result["quality_balance"]["primary"]["indicators"]["teaching_area_per_student"]
    primary.update(cv=0.50039, cv_max=0.5, cv_ok=False)   # rounds to 0.500: printed with the digit that fails
    found = measures(result)["优质均衡.差异系数超标项数"]
    assert found.count == 2
    assert found.phrase == (f"小学{primary['label']}差异系数0.5004，超过0.5；"
                            "初中生均体育运动场馆面积差异系数0.504，超过0.45")
    assert [f[0] for f in found.figures] == [
        "quality.primary.teaching_area_per_student.cv", "quality.primary.teaching_area_per_student.cv_max",
        "quality.junior.sports_area_per_student.cv", "quality.junior.sports_area_per_student.cv_max"]
    scoring = score_duty(workspace().points, DUTY, measures(result), [])
    [point] = [p for p in scoring["points"] if p["measure"] == "优质均衡.差异系数超标项数"]
    assert point["reason"] == f"{found.phrase}，扣2分"
    assert [(f["id"], f["text"]) for f in point["reason_figures"]] == [(i, t) for i, _, t in found.figures]


def test_coefficients_within_limits_and_a_county_reason_carry_no_figures(example_analysis):
    import copy

    from reportgen.analysis.scoring import measures

    result = copy.deepcopy(example_analysis)
    result["quality_balance"]["junior"]["indicators"]["sports_area_per_student"]["cv_ok"] = True
    found = measures(result)["优质均衡.差异系数超标项数"]
    assert (found.count, found.phrase, found.figures) == (0, "小学、初中各项指标差异系数均达到标准", ())
    [point] = [p for p in example_analysis["duty_scoring"]["points"] if p["measure"] == "优质均衡.差异系数超标项数"]
    rows = [{"编号": point["id"], "一级指标": "甲", "二级指标": "乙", "测评点": "均衡", "分值": point["max_score"],
             "自评得分": point["max_score"] - 1, "得失分说明": "县里自己的说明", "适用": None}]
    scored = score_duty(workspace(points=rows).points, DUTY, measures(example_analysis), [])
    mine = next(p for p in scored["points"] if p["id"] == point["id"])
    assert mine["reason"] == "县里自己的说明" and mine["reason_figures"] == []

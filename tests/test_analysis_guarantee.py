"""政府保障程度, 教育质量, 社会认可度 items and vetoes: computed where the data allow, 待说明 otherwise."""
from __future__ import annotations

import pandas as pd
import pytest

from fixtures.analysis_frames import county_rows, school, workspace
from reportgen.analysis.class_size import class_size, school_size
from reportgen.analysis.county import County, as_ratio
from reportgen.analysis.guarantee import Context, evaluate_item, evaluate_vetoes
from reportgen.systems.indicators import load_system

QUALITY = load_system("quality", "优质均衡2017")
ITEMS = {i.id: i for i in QUALITY.guarantee + QUALITY.education_quality + (QUALITY.social_recognition,)}


def judge(item_id: str, schools=(), county: dict | None = None, classes=(), statements=()) -> dict:
    ws = workspace(list(schools) or [school("0000000001")], list(classes), county=county_rows(county or {}))
    sizes = class_size(ws.classes, ws.schools, QUALITY.class_size, 6)
    said = pd.DataFrame([{**r, "_row": n} for n, r in enumerate(statements, 2)],
                        columns=["指标", "结论", "说明", "佐证材料", "_row"])
    ctx = Context(ws.schools, County(ws.county), QUALITY, sizes, school_size(ws.schools, QUALITY.school_size), said)
    return evaluate_item(ITEMS[item_id], ctx)


def test_item_lists_are_complete():
    assert [i.number for i in QUALITY.guarantee] == list(range(1, 16))
    assert [i.number for i in QUALITY.education_quality] == list(range(1, 10))


@pytest.mark.parametrize("item_id", ["school_layout", "unified_standards", "staffing_allocation", "workload"])
def test_narrative_items_wait_for_a_statement(item_id):
    result = judge(item_id)
    assert result["status"] == "待说明" and result["reason"]


@pytest.mark.parametrize("item_id", ["teacher_salary", "training_hours", "teacher_rotation", "teacher_certification",
                                     "nearby_enrolment", "quota_allocation", "migrant_children", "consolidation_rate",
                                     "disabled_enrolment", "training_budget", "social_recognition",
                                     "special_school_funding"])
def test_missing_county_values_are_never_passed(item_id):
    result = judge(item_id)
    assert result["status"] == "待说明" and "县级指标" in result["reason"]


@pytest.mark.parametrize("value, unit, status", [(95.0, "%", "达标"), (94.99, "%", "未达标"), (0.95, None, "达标"),
                                                 (96.0, None, "达标"), (0.9, None, "未达标"), (95.0, "人", "待说明")])
def test_county_ratio_units(value, unit, status):
    assert judge("consolidation_rate", county={"初中三年巩固率": (value, unit)})["status"] == status


def test_percent_without_unit_is_noted():
    ratio, note = as_ratio(next(iter(County(workspace(county=county_rows({"社会认可度": (91.0, None)})).county).values.values())))
    assert ratio == pytest.approx(0.91) and "按百分数读取" in note


def test_rotation_needs_both_ratios():
    county = {"交流轮岗教师数": (12, "人"), "符合交流条件教师数": (100, "人"), "交流轮岗骨干教师数": (2, "人")}
    result = judge("teacher_rotation", county=county)
    assert result["status"] == "未达标" and result["value"] == [pytest.approx(0.12), pytest.approx(2 / 12)]
    assert "骨干教师占交流轮岗教师比例为16.67%，低于20.00%" in result["reason"]
    county["交流轮岗骨干教师数"] = (3, "人")
    assert judge("teacher_rotation", county=county)["status"] == "达标"
    del county["符合交流条件教师数"]
    assert judge("teacher_rotation", county=county)["status"] == "待说明"


def test_training_budget_without_school_figures_is_not_proved_by_the_county_total():
    """教育质量 4 says 所有学校: a county total of 5% or more proves nothing for each school (issue 14)."""
    county = {"教师培训经费": (50.0, "万元"), "公用经费预算总额": (1000.0, "万元")}
    result = judge("training_budget", county=county)
    assert result["status"] == "待说明"
    assert result["reason"].startswith("全县合计教师培训经费占公用经费预算总额比例为5.00%，不低于5.00%；")
    assert "各校「教师培训经费」「公用经费预算总额」" in result["reason"]
    assert result["conditions"][0]["value"] == pytest.approx(0.05)     # the total stays the item's figure
    county["教师培训经费"] = (499000.0, "元")  # converted to 万元 before dividing; a total below 5% fails
    result = judge("training_budget", county=county)
    assert result["status"] == "未达标" and result["conditions"][0]["value"] == pytest.approx(0.0499)
    assert "至少有1所学校低于5.00%" in result["reason"]
    county["教师培训经费不足5%的学校数"] = (0, "所")
    assert judge("training_budget", county={**county, "教师培训经费": (60.0, "万元")})["status"] == "达标"
    assert judge("training_budget", county={**county, "教师培训经费不足5%的学校数": (2, "所")})["status"] == "未达标"


def test_training_budget_is_judged_school_by_school():
    schools = [school("0000000001", 公用经费预算总额=20.0, 教师培训经费=1.2),
               school("0000000002", 公用经费预算总额=10.0, 教师培训经费=0.42),
               school("0000000003", "小学教学点", 公用经费预算总额=2.0, 教师培训经费=0.0)]   # out of scope
    county = {"教师培训经费": (100.0, "万元"), "公用经费预算总额": (1000.0, "万元")}          # total 10%
    result = judge("training_budget", schools, county)
    assert result["status"] == "未达标" and result["value"] == 1
    assert result["reason"] == "1所学校教师培训经费占公用经费预算总额比例低于5.00%：学校002（4.20%）"
    assert result["details"][0]["problem"] == "教师培训经费占公用经费预算总额比例为4.20%"
    schools[1]["教师培训经费"] = 0.5
    assert judge("training_budget", schools, county)["status"] == "达标"
    schools[1]["教师培训经费"] = None
    pending = judge("training_budget", schools, county)
    assert pending["status"] == "待说明" and "学校002（第3行）" in pending["reason"]


@pytest.mark.parametrize("item_id, half, county", [
    ("teacher_salary", "按规定足额核定教师绩效工资总量",
     {"教师平均工资收入": (11.86, "万元"), "公务员平均工资收入": (11.52, "万元")}),
    ("quota_allocation", "优质高中招生名额分配向农村初中倾斜", {"优质高中名额分配比例": (56.0, "%")}),
    ("migrant_children", "留守儿童关爱体系健全", {"随迁子女公办就读比例": (92.3, "%")}),
])
def test_items_with_a_stated_half_need_both_halves(item_id, half, county):
    """政府保障程度 8, 14, 15: the figure alone no longer passes (issue 14)."""
    unstated = judge(item_id, county=county)
    assert unstated["status"] == "待说明" and f"「{half}」尚未在「情况说明」工作表填写结论和说明" in unstated["reason"]
    said = [{"指标": half, "结论": "达标", "说明": "我县已落实", "佐证材料": "文件"}]
    passed = judge(item_id, county=county, statements=said)
    assert passed["status"] == "达标" and passed["reason"].endswith("；我县已落实")
    assert passed["statement"]["text"] == "我县已落实" and passed["stated_part"]["status"] == "达标"
    assert judge(item_id, county=county, statements=[{**said[0], "结论": "未达标"}])["status"] == "未达标"
    assert judge(item_id, county={}, statements=said)["status"] == "待说明"


def test_a_failing_figure_fails_whatever_the_statement():
    county = {"教师平均工资收入": (115000.0, "元"), "公务员平均工资收入": (11.52, "万元")}
    said = [{"指标": "按规定足额核定教师绩效工资总量", "结论": "达标", "说明": "已足额核定"}]
    result = judge("teacher_salary", county=county, statements=said)
    assert result["status"] == "未达标" and result["value"] == pytest.approx(11.5)
    assert judge("teacher_salary", county=county)["status"] == "未达标"


def test_special_school_funding_floor():
    assert judge("special_school_funding", county={"特殊教育学校生均公用经费": (6000, "元")})["status"] == "达标"
    assert judge("special_school_funding", county={"特殊教育学校生均公用经费": (0.59, "万元")})["status"] == "未达标"


def test_music_and_art_rooms():
    schools = [school("0000000001", 小学班级数=12),
               school("0000000002", 小学班级数=13),                       # needs 2 rooms of each
               school("0000000003", 小学班级数=6, 音乐专用教室最小面积=95.9),
               school("0000000004", 小学班级数=6, 美术专用教室数=0, 美术专用教室最小面积=None)]
    result = judge("music_art_rooms", schools)
    assert result["status"] == "未达标" and result["value"] == 3
    problems = {d["id"]: d["problem"] for d in result["details"]}
    assert problems["0000000002"] == "音乐专用教室1间，应配2间；美术专用教室1间，应配2间"
    assert problems["0000000003"] == "音乐专用教室最小面积95.9平方米，低于96平方米"
    assert problems["0000000004"] == "美术专用教室0间，应配1间"
    assert judge("music_art_rooms", schools[:1])["status"] == "达标"


def test_music_rooms_unknown_is_pending():
    result = judge("music_art_rooms", [school("0000000001", 音乐专用教室数=None)])
    assert result["status"] == "待说明" and "学校001（第2行）" in result["reason"]


def test_school_size_and_class_size_items():
    assert judge("school_size", [school("0000000001", primary=2001)])["status"] == "未达标"
    assert judge("class_size")["status"] == "待说明"  # no 班级 sheet
    rows = [{"学校标识码": "0000000001", "年级": 1, "班级": "1班", "学生数": 46}]
    result = judge("class_size", classes=rows)
    assert (result["status"], result["value"]) == ("未达标", 1)
    rows[0]["学生数"] = 45
    assert judge("class_size", classes=rows)["status"] == "达标"


def test_small_school_funding():
    schools = [school("0000000001", primary=300), school("0000000002", "小学教学点", primary=40),
               school("0000000003", primary=80, 城乡分类="乡村"), school("0000000004", primary=80, 城乡分类="城区")]
    pending = judge("small_school_funding", schools)
    assert pending["status"] == "待说明" and pending["value"] == 2
    assert {d["id"] for d in pending["details"]} == {"0000000002", "0000000003"}
    county = {"按100名学生核定公用经费的学校数": (2, "所")}
    assert judge("small_school_funding", schools, county)["status"] == "达标"
    county = {"按100名学生核定公用经费的学校数": (1, "所")}
    assert judge("small_school_funding", schools, county)["status"] == "未达标"
    assert judge("small_school_funding", schools[:1])["status"] == "达标"


def test_unfilled_posts_veto_reads_all_its_figures():
    """有编不补 and 长期聘用编外教师 both count (issue 14): any above 0 exists, all 0 is 未发生."""
    def veto(values: dict) -> dict:
        county = County(workspace(county=county_rows(values)).county)
        return next(v for v in evaluate_vetoes(QUALITY.vetoes, county) if v["id"] == "unfilled_posts")
    only_hired = veto({"长期聘用编外教师数": (0, "人")})
    assert only_hired["status"] == "待说明" and only_hired["reason"] == "「县级指标」工作表未填报「有编不补人数」"
    exists = veto({"有编不补人数": (3, "人")})
    assert exists["status"] == "存在" and exists["reason"] == "有编不补人数为3" and exists["value"] == 3
    none = veto({"空编未补人数": (0, "人"), "长期聘用编外教师数": (0, "人")})
    assert none["status"] == "未发生" and none["reason"] == "空编未补人数为0、长期聘用编外教师数为0"
    assert len(none["inputs"]) == 2


def test_vetoes():
    county = County(workspace(county=county_rows({"以考试方式招生学校数": (0, "所"), "违规择校事件数": (2, "起")})).county)
    result = {v["id"]: v for v in evaluate_vetoes(QUALITY.vetoes, county)}
    assert result["exam_admission"]["status"] == "未发生" and result["exam_admission"]["triggered"] is False
    assert result["school_choice"]["status"] == "存在" and result["school_choice"]["triggered"] is True
    assert result["key_schools"]["status"] == "待说明" and result["key_schools"]["triggered"] is None


def test_county_names_match_across_bracket_widths():
    county = {"就近划片入学比例（小学）": (100, "%"), "就近划片入学比例(初中)": (95, "%")}
    assert judge("nearby_enrolment", county=county)["status"] == "达标"


def test_class_size_item_counts_a_nine_year_school_once(example_analysis):
    """政府保障程度 item 5: 28 school sections over the standard are 26 schools (issue 14)."""
    item = next(i for i in example_analysis["guarantee"] if i["id"] == "class_size")
    assert len(item["details"]) == 26 and len({d["id"] for d in item["details"]}) == 26
    nine_year = next(d for d in item["details"] if d["name"] == "某县育才九年一贯制学校")
    assert nine_year["problem"] == "小学4个、初中2个班级超过标准班额"


def test_an_item_that_must_reach_the_whole_says_100_percent(example_analysis):
    item = next(i for i in example_analysis["guarantee"] if i["id"] == "teacher_certification")
    assert item["reason"] == "教师资格证持证率达到100%" and item["standard"] == "100%"
    nearby = next(i for i in example_analysis["guarantee"] if i["id"] == "nearby_enrolment")
    assert nearby["reason"] == "小学就近划片入学比例达到100%；初中就近划片入学比例为97.60%，不低于95.00%"


def test_explaining_the_training_item_names_the_school_columns(example_ws, example_analysis):
    from reportgen.analysis.trace import explain

    text = explain(example_ws, example_analysis, "education_quality.training_budget")
    assert "结论：达标；40所学校教师培训经费占公用经费预算总额比例均不低于5.00%" in text
    assert "工作表「学校」，各校「教师培训经费」÷「公用经费预算总额」" in text

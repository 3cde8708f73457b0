"""优质均衡发展自评报告 on the example county: read the .docx back and check it against the analysis."""
from __future__ import annotations

import copy
import dataclasses

import pytest

from conftest import report_fixtures
from reportgen.reports import numbers as fmt
from reportgen.reports import quality

SECTIONS = (("primary", "小学"), ("junior", "初中"))


model, rendered, doc = report_fixtures(quality)


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def headings(doc, *style_ids: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.style_id in style_ids]


def matches_rounded(text: str, value: float) -> bool:
    """A printed number equals the full-precision value rounded to the digits printed."""
    digits = len(text.split(".", 1)[1]) if "." in text else 0
    return float(text) == round(value, digits)


def test_title_and_headings_in_order(doc, model):
    assert texts(doc)[0] == model.title == "某县县域义务教育优质均衡发展自评报告"
    assert headings(doc, "Heading1", "Heading2") == [
        "一、基本情况", "二、资源配置", "（一）小学", "（二）初中", "三、政府保障程度", "四、教育质量",
        "五、社会认可度", "六、存在问题", "七、下一步工作计划"]


def test_opening_states_the_results_of_each_area(doc, analysis):
    opening = texts(doc)[2]  # after the title and the 主送机关
    assert "《县域义务教育优质均衡发展督导评估办法》（教督〔2017〕6号）" in opening
    for key, name in SECTIONS:
        block = analysis["quality_balance"][key]
        assert f"{name}" in opening
        assert f"{block['schools_in_scope']}所学校中{block['schools_ok']}所达到每校资源配置要求" in opening
    statuses = [i["status"] for i in analysis["guarantee"]]
    assert f"政府保障程度{len(statuses)}项指标中达标{statuses.count('达标')}项" in opening
    assert analysis["social_recognition"]["reason"] in opening


@pytest.mark.parametrize("index,key", [(0, "primary"), (1, "junior")])
def test_resource_table_equals_the_analysis_rounded_to_printed_digits(doc, analysis, index, key):
    block = analysis["quality_balance"][key]
    table = doc.tables[index]
    rows = table.rows[1:]
    assert len(rows) == len(block["indicators"]) == 7
    for row, (ind_id, e) in zip(rows, block["indicators"].items()):
        name, mean, standard, meeting, cv, cv_max, result = (c.text for c in row.cells)
        assert name.startswith(e["label"])
        assert matches_rounded(mean, e["mean"]) and len(mean.split(".")[1]) == 2
        assert float(standard) == e["standard"]
        assert int(meeting) == e["schools_meeting"]
        assert matches_rounded(cv, e["cv"]) and len(cv.split(".")[1]) >= 3
        assert float(cv_max) == e["cv_max"]
        assert result == ("达到" if e["cv_ok"] else "未达到")


def test_a_failing_coefficient_is_named_in_the_text_and_the_problems(doc, analysis):
    body = "\n".join(texts(doc))
    failing = [(name, e) for key, name in SECTIONS
               for e in analysis["quality_balance"][key]["indicators"].values() if e["cv_ok"] is False]
    assert failing, "the example county is built with one coefficient over its limit"
    for name, e in failing:
        assert f"{name}{e['label']}校际差异系数为{fmt.coefficient(e['cv'], e['cv_max'])}，超过{fmt.fixed(e['cv_max'], 2)}" in body


def test_failing_schools_are_named_with_their_values(doc, analysis):
    body = "\n".join(texts(doc))
    for key, name in SECTIONS:
        block = analysis["quality_balance"][key]
        for ind_id, e in block["indicators"].items():
            below = sum(ind_id in s["failed"] for s in block["schools"])
            assert (f"{e['label']}{below}所（" in body) == (below > 0)
        for school in (s for s in block["schools"] if s["ok"] is False):
            assert school["name"] in body
            for ind_id in school["failed"]:
                value = school["values"][ind_id]
                shown = fmt.fixed(value, 0 if ind_id == "equipment_value_per_student" else 2)
                assert f"{block['indicators'][ind_id]['label']}{shown}" in body


@pytest.mark.parametrize("offset,key", [(-2, "primary"), (-1, "junior")])
def test_appendix_has_one_row_per_school_with_unmet_values_marked(doc, analysis, offset, key):
    block = analysis["quality_balance"][key]
    table = doc.tables[offset]
    assert table.rows[1].cells[1].text == "标准值"
    rows = table.rows[2:]
    assert len(rows) == block["schools_in_scope"] == len(block["schools"])
    for row, school in zip(rows, block["schools"]):
        cells = [c.text for c in row.cells]
        assert cells[1] == school["name"]
        assert int(cells[2]) == round(school["pupils"])
        for cell, ind_id in zip(cells[3:10], block["indicators"]):
            assert cell.endswith("*") == (ind_id in school["failed"])
            assert matches_rounded(cell.rstrip("*"), school["values"][ind_id])
        assert int(cells[10]) == school["met"]
        assert cells[11] == {True: "达标", False: "未达标", None: "待定"}[school["ok"]]


def test_guarantee_and_quality_tables_list_every_item(doc, analysis):
    for table_index, items in ((2, analysis["guarantee"]), (3, analysis["education_quality"])):
        rows = doc.tables[table_index].rows[1:]
        assert [r.cells[4].text for r in rows] == [i["status"] for i in items]
        assert [r.cells[1].text for r in rows] == [i["label"] for i in items]


def test_attachments_start_on_new_pages_with_their_marks(doc):
    marks = [p for p in doc.paragraphs if p.style.style_id == "AttachmentMark"]
    assert [p.text for p in marks] == ["附件1", "附件2"]
    assert all(p.style.paragraph_format.page_break_before for p in marks)
    note = next(p for p in doc.paragraphs if p.style.style_id == "AttachmentNote")
    assert note.text == "附件：1.小学学校资源配置情况明细表\n2.初中学校资源配置情况明细表"


def test_pictures_one_per_chart(doc, model):
    from reportgen.render.native_charts import native_charts

    figures = [p for p in doc.paragraphs if p.style.style_id == "Figure"]
    assert len(figures) == len(model.charts) == 5
    # native charts: one inline chart per panel (funding and school values have two)
    assert len(doc.inline_shapes) == sum(len(native_charts(c)) for c in model.charts)
    captions = [p.text for p in doc.paragraphs if p.style.style_id == "FigureCaption"]
    assert captions == [c.caption for c in model.charts]
    assert [c.split(" ")[0] for c in captions] == [f"图{i}" for i in range(1, 6)]


def test_every_number_is_recorded(model):
    ids = {f["id"] for f in model.figures}
    assert {"quality.junior.sports_area_per_student.cv", "quality.primary.schools_ok", "profile.schools"} <= ids
    assert all(f["report"] == "优质均衡" and f["section"] for f in model.figures)


def test_missing_narrative_becomes_placeholders(ws, analysis):
    bare = dataclasses.replace(ws, tables={**ws.tables, "文字材料": ws.texts.iloc[0:0]})
    model = quality.build_model(bare, analysis)
    assert model.section("plans").paragraphs() == ["【待补充：下一步工作计划】"]
    assert not any("【待补充" in p for p in model.section("problems").paragraphs())  # computed problems remain


def test_long_lists_of_failing_schools_refer_to_the_appendix(ws, analysis):
    crowded = copy.deepcopy(analysis)
    block = crowded["quality_balance"]["primary"]
    for school in block["schools"]:
        school["ok"], school["failed"] = False, ["sports_area_per_student"]
    block["schools_failing"] = len(block["schools"])
    findings = quality.build_model(ws, crowded).section("primary").paragraphs()[3:]
    by_indicator, by_school = findings[:2]
    assert by_indicator == (f"各指标未达到标准值的学校：生均体育运动场馆面积{len(block['schools'])}所（"
                            + "、".join(s["name"] for s in block["schools"][:quality.SCHOOLS_NAMED]) + "等）。")
    assert by_school.startswith(f"未达到每校要求的{len(block['schools'])}所学校是：")
    assert by_school.endswith("等，详见附件1。")
    assert by_school.count("生均体育运动场馆面积") == quality.SCHOOLS_NAMED




def test_guarantee_part_states_compulsory_funding_by_level(doc, model, analysis):
    rows = analysis["funding"]["by_level"]
    primary, junior = rows["小学"][-1], rows["初中"][-1]
    sentence = (f"2025年普通小学、普通初中一般公共预算教育支出分别为{fmt.wan_yuan(primary['spending'])}、"
                f"{fmt.wan_yuan(junior['spending'])}，分别比上年增长{fmt.percent(primary['spending_growth'])}、"
                f"{fmt.percent(junior['spending_growth'])}；生均一般公共预算教育支出分别为{fmt.yuan(primary['per_pupil'])}、"
                f"{fmt.yuan(junior['per_pupil'])}，分别比上年增长{fmt.percent(primary['per_pupil_growth'])}、"
                f"{fmt.percent(junior['per_pupil_growth'])}。")
    assert sentence.endswith("生均一般公共预算教育支出分别为12305.00元、16050.00元，分别比上年增长3.97%、4.29%。")
    found = texts(doc)
    at = found.index(sentence)
    assert found.index("三、政府保障程度") < at < found.index("四、教育质量")
    assert "幼儿园" not in sentence and "普通高中" not in sentence
    guarantee = {f["id"] for f in model.figures if f["section"] == "三、政府保障程度"}
    assert {"funding.小学.2025.per_pupil_growth", "funding.初中.2025.spending"} <= guarantee


def test_items_with_a_stated_half_quote_the_county_and_training_is_judged_per_school(doc):
    """政府保障程度 8, 14, 15 pass on both halves, the county's statement quoted; 教育质量 4 per school (issue 14)."""
    body = "\n".join(texts(doc))
    assert "第8项（全县义务教育学校教师平均工资收入水平不低于当地公务员平均工资收入水平，按规定足额核定教师绩效工资总量）：" \
           "我县将义务教育学校绩效工资总量按不低于当地公务员规范后津贴补贴平均水平核定，纳入年度财政预算足额拨付。" in body
    assert "第15项（留守儿童关爱体系健全，" in body and "第14项（全县优质高中招生名额分配比例不低于50%，并向农村初中倾斜）：" in body
    assert body.count("【待补充：第1、2、10项的达标情况和说明（填写在“情况说明”工作表）】") == 1
    assert "该项需由县级人民政府提供" not in body
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "40所学校教师培训经费占公用经费预算总额比例均不低于5.00%" in cells
    assert any(c.startswith("教师平均工资收入为11.86万元，不低于公务员平均工资收入11.52万元；我县将") for c in cells)

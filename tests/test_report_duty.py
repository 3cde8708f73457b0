"""履行教育职责自评报告 on the example county, read back from the .docx, plus the shared builder pieces."""
from __future__ import annotations

import dataclasses

import pandas as pd

from reportgen.reports import duty
from conftest import report_fixtures
from reportgen.reports import numbers as fmt
from reportgen.reports.common import attachment_marks, title_text
from reportgen.reports.model import attachment_list



model, rendered, doc = report_fixtures(duty)


def body(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def test_title_and_headings_in_order(doc, model, analysis):
    assert doc.paragraphs[0].text == "某县人民政府2025年度\n履行教育职责自评报告"
    assert model.title == "某县人民政府2025年度履行教育职责自评报告"
    parts = [f"（{fmt.cn_number(i)}）{d['name']}（分值{fmt.score(d['max_score'])}分，自评得分{fmt.score(d['score'])}分）"
             for i, d in enumerate(analysis["duty_scoring"]["domains"], 1)]
    assert [p.text for p in doc.paragraphs if p.style.style_id in ("Heading1", "Heading2")] == [
        "一、基本情况", "二、主要做法及成效", *parts, "三、上年度反馈问题整改情况", "四、存在问题", "五、下一步工作计划"]


def test_opening_cites_the_notice_and_the_self_assessment(doc, ws, analysis):
    scoring = analysis["duty_scoring"]
    opening = doc.paragraphs[2].text  # after the title and the 主送机关
    assert opening.startswith(f"根据{ws.info['评价通知']}要求")
    assert (f"对照《{scoring['system']}》{len(scoring['points'])}个测评点开展了自评，自评得分{fmt.score(scoring['total'])}分，"
            f"另申请加分{fmt.score(scoring['bonus'])}分") in opening
    assert f"自评等级为{scoring['grade']}" in opening


def test_basic_information_counts_schools_by_type(doc, ws):
    types = ws.schools["办学类型"].value_counts()
    assert f"其中小学{types['小学']}所、初级中学{types['初级中学']}所" in body(doc)


def test_funding_and_class_size_facts_carry_the_analysis_numbers(doc, analysis):
    text = body(doc)
    current = analysis["funding"]["current"]
    assert f"{current['year']}年全县一般公共预算教育支出" in text
    assert f"比上年{fmt.change(current['spending_growth'])}" in text
    assert f"比上年{fmt.change(current['per_pupil_growth'])}" in text
    for key, name in (("primary", "小学"), ("junior", "初中")):
        block = analysis["class_size"][key]
        standard = int(block["standard"])
        assert f"{name}共有班级{block['classes']}个，超过{standard}人标准班额的{block['over_standard']}个" in text


def test_rectification_section_counts_the_ledger(doc, analysis):
    s = analysis["rectification"]
    text = body(doc)
    assert f"上年度督导反馈问题{s['total']}个" in text
    assert f"整改完成率{fmt.percent(s['completion_rate'])}" in text
    assert f"已超过完成时限尚未完成的问题{len(s['overdue'])}个" in text


def test_problems_state_each_deduction_computed_or_typed(doc, analysis):
    text = body(doc)
    lost = [p for p in analysis["duty_scoring"]["points"] if p["score"] is not None and p["score"] < p["max_score"]]
    assert any(p["computed"] for p in lost) and any(not p["computed"] for p in lost)
    for p in lost:
        assert f"（测评点{p['id']}扣{fmt.score(p['max_score'] - p['score'])}分）" in text


def test_opening_names_each_deduction_as_the_seeds_do(doc, analysis):
    opening = doc.paragraphs[2].text  # after the title and the 主送机关
    lost = [p for p in analysis["duty_scoring"]["points"] if p["score"] is not None and p["score"] < p["max_score"]]
    assert "其中，第" in opening
    for p in lost:
        assert f"第{p['id']}测评点因" in opening and f"扣{fmt.score(p['max_score'] - p['score'])}分" in opening
    assert "第3测评点因3项上年度反馈问题逾期未完成整改，扣1.5分" in opening


def test_score_table_lists_every_point_and_marks_computed_ones(doc, analysis):
    scoring = analysis["duty_scoring"]
    table = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    points = rows[1:1 + len(scoring["points"])]
    bonus = rows[1 + len(scoring["points"]):-1]
    assert [r[0] for r in points] == [p["id"] for p in scoring["points"]]
    assert [r[0] for r in bonus] == [b["id"] for b in scoring["bonus_items"]]
    assert {r[0] for r in points if r[7] == "计算"} == set(scoring["computed_points"])
    for row, p in zip(points, scoring["points"]):
        assert row[1] == p["level1"] and row[2] == (p["level2"] or "")  # on every row (page breaks)
        assert row[4] == (p["criteria"] or "")
        assert float(row[5]) == p["max_score"]
        assert row[6] == fmt.score(p["score"])
    total = rows[-1]
    assert total[0] == "合计" and fmt.score(scoring["total"]) in total
    assert f"合计{fmt.score(scoring['final'])}分" in total[-1]


def test_attachment_mark_and_note_follow_gbt9704_for_a_single_attachment(doc):
    assert [p.text for p in doc.paragraphs if p.style.style_id == "AttachmentMark"] == ["附件"]
    assert [p.text for p in doc.paragraphs if p.style.style_id == "AttachmentNote"] == ["附件：自评得分表"]
    assert [p.text for p in doc.paragraphs if p.style.style_id in ("Signature", "SignDate")] == [
        "某县人民政府", "2025年10月20日"]


def test_pictures_one_per_chart(doc, model):
    from reportgen.render.native_charts import native_charts

    figures = [p for p in doc.paragraphs if p.style.style_id == "Figure"]
    assert len(figures) == len(model.charts) == 4
    # native charts: one inline chart per panel (funding and school values have two)
    assert len(doc.inline_shapes) == sum(len(native_charts(c)) for c in model.charts)
    assert {c.kind for c in model.charts} == {"point_scores", "funding", "class_sizes", "ledger_status"}


def test_body_within_5000_characters_gives_no_warning(model):
    assert duty.body_length(model) < duty.BODY_LIMIT
    assert not any("5000" in w for w in model.warnings)


def test_body_over_5000_characters_is_warned(ws, analysis):
    long_texts = pd.DataFrame({"章节": ["主要做法"] * 60, "内容": [f"第{i}段" + "落实教育优先发展战略" * 10 for i in range(60)],
                               "_row": range(2, 62)})
    verbose = dataclasses.replace(ws, tables={**ws.tables, "文字材料": long_texts})
    model = duty.build_model(verbose, analysis)
    assert duty.body_length(model) > duty.BODY_LIMIT
    assert any("超过5000字" in w for w in model.warnings)


def test_missing_narrative_and_notice_become_placeholders(ws, analysis):
    bare = dataclasses.replace(ws, info={**ws.info, "评价通知": None, "成文日期": None},
                               tables={**ws.tables, "文字材料": ws.texts.iloc[0:0]})
    model = duty.build_model(bare, analysis)
    assert model.opening[0].plain.startswith("根据【待补充：评价通知】要求")
    assert model.section("plans").paragraphs() == ["【待补充：下一步工作计划】"]
    assert model.meta["date"] == "【待补充：成文日期】"
    intro = model.section("practice").paragraphs()
    assert intro == [intro[-1]]  # only the computed score summary


def test_every_number_is_recorded(model):
    ids = {f["id"] for f in model.figures}
    assert {"duty.total", "duty.bonus", "funding.合计.2025.spending_growth", "rectification.completion_rate"} <= ids
    assert all(f["report"] == "履职自评" for f in model.figures)


# ---------------------------------------------------------------- shared pieces

def test_title_breaks_between_parts_only_when_too_long():
    assert title_text("某县", "县域义务教育优质均衡发展自评报告") == "某县县域义务教育优质均衡发展自评报告"
    assert title_text("某某自治县人民政府2025年度", "履行教育职责自评报告") == "某某自治县人民政府2025年度\n履行教育职责自评报告"


def test_attachment_marks_number_only_several_attachments():
    assert attachment_marks(["自评得分表"]) == [{"mark": "附件", "no": "", "title": "自评得分表"}]
    assert [m["mark"] for m in attachment_marks(["甲", "乙"])] == ["附件1", "附件2"]
    assert attachment_list(["甲", "乙"]) == "1.甲\n2.乙"


def test_number_helpers():
    assert [fmt.plain(v) for v in (4.2, 2000.0, 1.0, 0.126)] == ["4.2", "2000", "1", "0.13"]
    assert fmt.score(28.5) == "28.5" and fmt.score(3.0) == "3"
    assert fmt.enumerate_cn(["甲", "乙", "丙"], 2, "所") == "甲、乙等3所"
    assert fmt.is_missing(float("nan")) and fmt.is_missing(None) and not fmt.is_missing(0.0)


# ---------------------------------------------------------------- issue 14: wording of 差异系数 and funding

def test_coefficient_deduction_names_the_indicator_value_and_limit(doc, model, ws, analysis):
    from reportgen.analysis import explain

    [point] = [p for p in analysis["duty_scoring"]["points"] if p["measure"] == "优质均衡.差异系数超标项数"]
    entry = analysis["quality_balance"]["junior"]["indicators"]["sports_area_per_student"]
    fact = f"初中{entry['label']}差异系数{fmt.coefficient(entry['cv'], entry['cv_max'])}，超过{fmt.plain(entry['cv_max'])}"
    assert fact == "初中生均体育运动场馆面积差异系数0.504，超过0.45"
    assert f"第{point['id']}测评点因{fact}，扣1分" in doc.paragraphs[2].text
    assert f"{fact}（测评点{point['id']}扣1分）。" in body(doc)
    assert "项指标差异系数超过标准" not in body(doc)
    row = next(r for r in doc.tables[-1].rows if r.cells[0].text == point["id"])
    assert row.cells[8].text == f"{fact}，扣1分"
    ids = "quality.junior.sports_area_per_student.cv", "quality.junior.sports_area_per_student.cv_max"
    placed = {(f["id"], f["section"], f["text"]) for f in model.figures}
    for section in ("前言", "四、存在问题", "附件"):
        assert {(ids[0], section, "0.504"), (ids[1], section, "0.45")} <= placed
    for fid in ids:
        assert explain(ws, analysis, fid).startswith(f"【{fid}】")


def test_funding_by_level_for_the_latest_year(doc, analysis):
    rows = analysis["funding"]["by_level"]
    levels = [("学前", "幼儿园"), ("小学", "普通小学"), ("初中", "普通初中"), ("普通高中", "普通高中"),
              ("特殊教育", "特殊教育学校")]
    latest = {level: rows[level][-1] for level, _ in levels}
    assert {e["year"] for e in latest.values()} == {2025}

    def series(key: str, shown) -> str:
        return "、".join(shown(latest[level][key]) for level, _ in levels)

    assert (f"2025年{'、'.join(name for _, name in levels)}一般公共预算教育支出分别为{series('spending', fmt.wan_yuan)}，"
            f"分别比上年增长{series('spending_growth', fmt.percent)}；生均一般公共预算教育支出分别为"
            f"{series('per_pupil', fmt.yuan)}，分别比上年增长{series('per_pupil_growth', fmt.percent)}。") in body(doc)
    assert "特殊教育学校一般公共预算教育支出分别为7940.90万元、2.42亿元、2.12亿元、4396.10万元、445.12万元，" in body(doc)


def test_2023_fall_in_per_pupil_spending_is_split_as_the_figures_prove(doc, model, ws, analysis):
    from reportgen.analysis import explain

    [mix] = analysis["funding"]["mix_effects"]
    assert mix["year"] == 2023 and mix["main"] == "unassigned"
    rows = analysis["funding"]["by_level"]
    rises = "、".join(fmt.percent(next(e for e in rows[lv] if e["year"] == 2023)["per_pupil_growth"])
                     for lv in ("学前", "小学", "初中", "普通高中", "特殊教育"))
    before, now = mix["unassigned_spending"]
    share = mix["shares"]["学前"]
    sentence = (f"2023年生均一般公共预算教育支出比上年{fmt.change(mix['per_pupil_growth'])}，主要是未列入各学段的"
                f"一般公共预算教育支出由{fmt.wan_yuan(before)}减少至{fmt.wan_yuan(now)}所致（使生均减少"
                f"{fmt.yuan(-mix['unassigned'])}），幼儿园在校生占比由{fmt.percent(share[0])}上升至{fmt.percent(share[1])}"
                f"也使生均减少{fmt.yuan(-mix['structure'])}；分学段看，幼儿园、普通小学、普通初中、普通高中、"
                f"特殊教育学校生均分别比上年增长{rises}。")
    assert sentence in body(doc)
    assert sentence.startswith("2023年生均一般公共预算教育支出比上年下降0.96%，主要是未列入各学段的一般公共预算教育支出"
                               "由5885.75万元减少至2834.48万元所致（使生均减少715.86元），幼儿园在校生占比由18.65%上升至20.14%")
    assert "2023年按在校学生人数平均的一般公共预算教育支出比上年下降" not in body(doc)  # told once, with its cause
    mixed = sorted({f["id"] for f in model.figures if f["id"].startswith("funding.mix.")})
    assert mixed == ["funding.mix.2023.share.before.学前", "funding.mix.2023.share.now.学前", "funding.mix.2023.structure",
                     "funding.mix.2023.unassigned", "funding.mix.2023.unassigned_spending.before",
                     "funding.mix.2023.unassigned_spending.now"]
    for fid in mixed:
        text = explain(ws, analysis, fid)
        assert text.splitlines()[0] != f"【{fid}】" and "工作表「经费」" in text, text
    assert "715.86" in explain(ws, analysis, "funding.mix.2023.unassigned")


def test_a_fall_the_levels_cannot_split_is_stated_without_a_cause(analysis):
    import copy

    from reportgen.reports.evidence import mix_effect_evidence
    from reportgen.reports.figures import FigureBook
    from reportgen.reports.model import plain_text

    mix = {**copy.deepcopy(analysis["funding"]["mix_effects"][0]), "proven": False}
    text = plain_text(mix_effect_evidence(mix, analysis, FigureBook("t")))
    assert text == ("2023年生均一般公共预算教育支出比上年下降0.96%，但分学段看，幼儿园、普通小学、普通初中、普通高中、"
                    "特殊教育学校生均分别比上年增长3.35%、6.45%、5.11%、6.85%、6.47%。")


def test_three_growth_names_each_growth_with_its_figures(doc, analysis):
    """三个增长 is three growths (教育法), not 拨款 against 经常性收入 alone (issue 14)."""
    three = analysis["funding"]["three_growth"]
    assert three["ok"] is True and [p["id"] for p in three["parts"]] == ["appropriation", "per_pupil", "pay"]
    text = body(doc)
    assert ("教育财政拨款增长4.03%，高于财政经常性收入增长3.20%；"
            "教师平均工资收入比上年增长3.94%，生均公用经费比上年增长3.53%。") in text
    assert "2025年全县一般公共预算教育支出6.52亿元，比上年增长4.03%；生均一般公共预算教育支出14917.04元，比上年增长4.89%。" in text
    point = next(p for p in analysis["duty_scoring"]["points"] if p.get("measure") == "经费.三个增长")
    assert point["score"] == point["max_score"]

"""Scored schemes: the language (located errors), the built-in schemes, verdicts, vetoes, pass rules."""
from __future__ import annotations

from importlib import resources

import pytest

from fixtures.analysis_frames import county_rows, workspace
from reportgen.analysis.county import County
from reportgen.analysis.scheme_rules import Figures, Measure
from reportgen.analysis.schemes import score_scheme
from reportgen.core.errors import IndicatorSystemError
from reportgen.systems.indicators import duty_point_rows, load_system

FOLDER = resources.files("reportgen") / "systems" / "方案"
SEED004 = load_system("scheme", "均衡发展合格县示例")
CLEAR_COUNTY = {"挤占截留挪用教育经费案件数": (0, None), "小学适龄儿童入学率": (99.8, "%"),
                "初中阶段入学率": (98.5, "%"), "小学在校学生年辍学率": (0.1, "%"), "初中在校学生年辍学率": (0.6, "%")}
NO_VIOLATION = {"无重大违规办学行为和重大安全事故": "达标"}


def full_marks(scheme, **scores) -> list[dict]:
    """测评点 rows giving every leaf its full marks, except the scores named (编号 → 得分)."""
    rows = duty_point_rows(scheme)
    for row in rows:
        row["自评得分"] = scores.get(row["编号"], row["分值"] if row["一级指标"] != "加分项目" else 0)
        row["得失分说明"] = "测试"
    return rows


def scored(scheme, rows, county=CLEAR_COUNTY, statements=NO_VIOLATION, named=None):
    ws = workspace(points=rows, county=county_rows(county))
    return score_scheme(scheme, ws.points, Figures({}, named or {}, County(ws.county), statements))


def test_seed_004_shape():
    assert (len(SEED004.tree), sum(len(n.children) for n in SEED004.tree), len(SEED004.leaves())) == (3, 12, 26)
    assert (SEED004.total, SEED004.bonus_cap, len(SEED004.vetoes)) == (100, 5, 3)
    assert [r.label for r in SEED004.pass_rules] == ["总分85分以上", "差异程度（总分30分）得分26分以上"]


def test_full_marks_pass():
    result = scored(SEED004, full_marks(SEED004))
    assert (result["total"], result["verdict"], result["failed_rules"]) == (100.0, "合格", [])
    assert result["sections"]["差异程度"] == {**result["sections"]["差异程度"], "score": 30.0, "max": 30.0}
    assert [v["state"] for v in result["vetoes"]] == ["clear", "clear", "clear"]


def test_sub_score_rule_fails_though_total_passes():
    result = scored(SEED004, full_marks(SEED004, **{"6.1": 0}))   # 差异程度 24 of 30
    assert result["total"] == 94.0 and result["sections"]["差异程度"]["score"] == 24.0
    assert result["verdict"] == "不合格"
    assert result["failed_rules"] == ["差异程度（总分30分）得分26分以上（实得24分，差2分）"]
    assert [r["state"] for r in result["pass_rules"]] == ["合格", "不合格"]


def test_numeric_veto_triggered_gives_fail_with_reason():
    county = {**CLEAR_COUNTY, "初中在校学生年辍学率": (3.5, "%")}
    result = scored(SEED004, full_marks(SEED004), county=county)
    veto = next(v for v in result["vetoes"] if v["id"] == "universal_standard")
    assert veto["state"] == "triggered" and veto["reason"] == "初中在校学生年辍学率为3.5%，高于3%"
    assert result["verdict"] == "不合格"
    assert result["failed_rules"] == ["一票否决：适龄儿童少年入学率、在校学生辍学率降到“普九”验收标准以下"
                                      "（初中在校学生年辍学率为3.5%，高于3%）"]


def test_pending_stated_veto_blocks_pass():
    result = scored(SEED004, full_marks(SEED004), statements={})
    veto = next(v for v in result["vetoes"] if v["id"] == "major_violation")
    assert veto["state"] == "pending" and "待说明" in veto["reason"]
    assert result["verdict"] == "待定" and result["failed_rules"] == []
    assert any("重大违规办学" in p for p in result["pending"])
    stated = scored(SEED004, full_marks(SEED004), statements={"无重大违规办学行为和重大安全事故": "未达标"})
    assert stated["verdict"] == "不合格"


def test_missing_county_value_keeps_numeric_veto_pending():
    county = {k: v for k, v in CLEAR_COUNTY.items() if k != "小学适龄儿童入学率"}
    result = scored(SEED004, full_marks(SEED004), county=county)
    veto = next(v for v in result["vetoes"] if v["id"] == "universal_standard")
    assert veto["state"] == "pending" and "小学适龄儿童入学率" in veto["reason"]
    assert result["verdict"] == "待定"


def test_bonus_is_capped():
    result = scored(SEED004, full_marks(SEED004, 加1=3, 加2=2, **{"1.1": 0}))
    assert (result["total"], result["bonus"], result["final"]) == (98.0, 5.0, 103.0)


def test_graded_band_and_per_school_rules_on_data():
    rows = [r for r in full_marks(SEED004) if r["编号"] not in ("6.1", "6.2")]
    result = {"basic_balance": {"primary": {"composite_cv": 0.6851}},
              "quality_balance": {"primary": {"schools": [{"id": "a", "ok": False}, {"id": "b", "ok": True},
                                                          {"id": "c", "ok": False}]}}}
    ws = workspace(points=rows, county=county_rows(CLEAR_COUNTY))
    out = score_scheme(SEED004, ws.points, Figures(result, {}, County(ws.county), NO_VIOLATION))
    points = {p["id"]: p for p in out["points"]}
    # 0.6851 exceeds 0.65 by 0.0351: 4 steps of 0.01, 0.1 each
    assert (points["6.1"]["score"], points["6.1"]["reason"]) == (5.6, "小学综合差异系数为0.6851（超过0.65共4档，每档扣0.1分），扣0.4分")
    assert (points["6.2"]["score"], points["6.2"]["reason"]) == (5.0, "2所小学资源配置未达到每校达标要求，扣1分")


def test_provincial_variant_needs_no_code(tmp_path):
    text = (FOLDER / "均衡发展合格县示例.yaml").read_text(encoding="utf-8")
    variant = (text.replace('编号: "6.1"', '编号: "二-1"').replace('编号: "6.2"', '编号: "二-2"')
               .replace("名称: 差异程度\n    分值: 30", "名称: 差异程度\n    分值: 32")
               .replace("名称: 小学校际差异\n        分值: 12", "名称: 小学校际差异\n        分值: 14")
               .replace("名称: 小学8项指标综合差异系数不高于0.65\n            分值: 6", "名称: 小学8项指标综合差异系数不高于0.65\n            分值: 8")
               .replace("名称: 保障措施\n    分值: 50", "名称: 保障措施\n    分值: 48")
               .replace("名称: 入学保障\n        分值: 8", "名称: 入学保障\n        分值: 6")
               .replace("名称: 保障随迁子女平等接受义务教育\n            分值: 4", "名称: 保障随迁子女平等接受义务教育\n            分值: 2")
               .replace("{范围: 差异程度, 不低于: 26, 名称: 差异程度（总分30分）得分26分以上}", "{范围: 差异程度, 不低于: 28}"))
    (tmp_path / "本省方案.yaml").write_text(variant, encoding="utf-8")
    scheme = load_system("scheme", "本省方案.yaml", tmp_path)
    assert scheme.find("二-1").max_score == 8 and scheme.find("差异程度").max_score == 32
    result = scored(scheme, full_marks(scheme, **{"二-1": 5}))   # 差异程度 29 of 32
    assert (result["verdict"], result["failed_rules"]) == ("合格", [])
    result = scored(scheme, full_marks(scheme, **{"二-1": 3}))   # 差异程度 27 of 32
    assert result["failed_rules"] == ["差异程度得分不低于28分（实得27分，差1分）"]


def test_basic_2012_scheme_conditions():
    scheme = load_system("scheme", "基本均衡2012")
    assert len(scheme.leaves()) == 17 and scheme.total == 100
    result = {"basic_balance": {"primary": {"composite_cv": 0.52}, "junior": {"composite_cv": 0.58}}}
    ws = workspace(points=full_marks(scheme), county=county_rows({"公众满意度": (91.0, "%")}))
    out = score_scheme(scheme, ws.points, Figures(result, {}, County(ws.county), {"义务教育学校办学基本标准": "达标"}))
    assert out["verdict"] == "不合格"
    assert out["failed_rules"] == ["初中综合差异系数不高于0.55（初中综合差异系数为0.58，高于0.55）"]


def test_errors_are_located_and_listed_at_once(tmp_path):
    text = (FOLDER / "均衡发展合格县示例.yaml").read_text(encoding="utf-8")
    broken = (text.replace("方式: 按项扣分, 数据: 学校规模.超规模学校数", "方式: 每项扣分, 数据: 学校规模.超规模学校数")
              .replace("数据: basic_balance.primary.composite_cv", "数据: 小学综合差异")
              .replace("效果: 不合格\n    条件: {县级指标: 挤占", "效果: 否决\n    条件: {县级指标: 挤占"))
    (tmp_path / "坏方案.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(IndicatorSystemError) as caught:
        load_system("scheme", "坏方案.yaml", tmp_path)
    message = str(caught.value)
    lines = broken.splitlines()
    assert "坏方案.yaml" in message and "有3处问题" in message
    for needle, key in (("方式: 每项扣分", "评分 › 方式"), ("数据: 小学综合差异", "评分 › 数据"), ("效果: 否决", "效果")):
        line = next(i for i, t in enumerate(lines, 1) if needle in t)
        assert f"第{line}行" in message and key in message


def test_duty_example_scores_unchanged_through_the_language():
    duty = load_system("duty", "履职评价示例")
    assert duty.scheme is not None and len(duty.points) == 34
    assert sum(p.rule is not None for p in duty.points) == 22
    rows = full_marks(duty.scheme)
    named = {"学校规模.超规模学校数": Measure(count=2, phrase="2所学校超规模办学")}
    county = {"重大安全责任事故数": (0, None), "弄虚作假事件数": (0, None), "涉校重大安全事件数": (1, None),
              "违规办学通报次数": (0, None)}
    out = scored(duty.scheme, rows, named=named, county=county)
    assert (out["verdict"], out["grade_before_vetoes"], out["grade"]) == ("合格", "优秀", "良好")  # 降一等
    assert out["pass_rules"] == [] and out["total"] == 100.0


def test_points_sheet_checked_against_the_scheme():
    from reportgen.systems.points_check import check_points_sheet

    duty = load_system("duty", "履职评价示例")
    rows = duty_point_rows(duty)
    rows = [r for r in rows if r["编号"] != "2"]                        # missing point 2
    rows[2] = {**rows[2], "编号": "99"}                                  # point 4 renumbered
    rows[3] = {**rows[3], "分值": 5}                                     # point 5: 分值 3 in the scheme
    rows[0] = {**rows[0], "自评得分": 1}                                  # 人工 point, no reason
    rows.append({**rows[5], "编号": "77", "测评点": "本省新增测评点"})       # extra
    issues = [str(i) for i in check_points_sheet(workspace(points=rows), duty)]
    assert len(issues) == 5
    assert any("第4行" in i and "编号变动" in i and "「4」" in i for i in issues)
    assert any("第5行" in i and "列「分值」" in i and "3分" in i for i in issues)
    assert any("第2行" in i and "得失分说明" in i for i in issues)
    assert any("77" in i and "多出的测评点" in i for i in issues)
    assert any("缺少" in i and "测评点2" in i for i in issues)


def test_init_rows_say_which_points_are_computed():
    rows = {r["编号"]: r for r in duty_point_rows(SEED004)}
    assert (rows["3.1"]["计算方式"], rows["1.1"]["计算方式"], rows["加1"]["计算方式"]) == ("自动", "人工", "人工")
    assert rows["6.1"]["一级指标"] == "差异程度" and rows["6.1"]["二级指标"] == "小学校际差异"


def test_every_rule_in_the_documentation_loads(tmp_path):
    from pathlib import Path

    text = (Path(__file__).parent.parent / "docs" / "schemes.md").read_text(encoding="utf-8")
    rules, current = [], ""
    for line in text.splitlines():
        if line.startswith("评分:") or current:
            current += " " + line.strip()
            if current.count("{") == current.count("}"):
                rules.append(current.strip()[len("评分:"):].strip())
                current = ""
    assert len(rules) == 9
    leaves = "\n".join(f"      - {{编号: \"{i}\", 名称: 点{i}, 分值: 10, 评分: {rule}}}" for i, rule in enumerate(rules))
    (tmp_path / "doc.yaml").write_text(f"体系: 评估方案\n名称: 文档\n总分: {10 * len(rules)}\n指标:\n"
                                       f"  - 编号: A\n    名称: 全部\n    分值: {10 * len(rules)}\n    指标:\n{leaves}\n",
                                       encoding="utf-8")
    scheme = load_system("scheme", "doc.yaml", tmp_path)
    assert [n.rule.kind for n, _ in scheme.leaves()].count("分档扣分") == 2


def test_sheet_of_another_scheme_is_named_first():
    from reportgen.systems.points_check import check_points_sheet

    issues = check_points_sheet(workspace(points=duty_point_rows(SEED004)), load_system("duty", "履职评价示例"))
    # three texts are the same in both (社会认可度, 残疾儿童少年入学率, 初中三年巩固率): renumbered points
    assert "工作表中26个测评点只有3个属于所选体系" in str(issues[0])
    assert sum("编号变动" in str(i) for i in issues) == 3
    assert sum("多出的测评点" in str(i) for i in issues) == 23 and sum("缺少" in str(i) for i in issues) == 31


def test_validate_and_analyze_with_chosen_schemes(tmp_path):
    import json
    import shutil

    from typer.testing import CliRunner

    from conftest import EXAMPLE
    from reportgen.cli.app import app

    folder = tmp_path / "某县2025"
    shutil.copytree(EXAMPLE, folder)
    settings = folder / "reportgen.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  履职评价: 履职评价示例", "  评估方案: [均衡发展合格县示例, 本省.yaml]\n  履职评价: 履职评价示例"), encoding="utf-8")
    text = (FOLDER / "基本均衡2012.yaml").read_text(encoding="utf-8")
    (folder / "本省.yaml").write_text(text.replace("不低于: 85, 名称", "不低于: 八十五, 名称"), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1 and "本省.yaml" in result.output and "「合格条件 › 第4项 › 不低于」应为数值" in result.output
    (folder / "本省.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(folder), "--format", "json"])
    schemes = json.loads(result.stdout)["schemes"]
    assert list(schemes) == ["对县级人民政府履行教育职责评价指标体系（示例）", "义务教育均衡发展合格县督导评估方案（示例）",
                             "县域义务教育发展基本均衡督导评估"]
    merit = schemes["义务教育均衡发展合格县督导评估方案（示例）"]
    assert merit["verdict"] == "待定" and merit["sections"]["差异程度"]["max"] == 30
    assert [v["state"] for v in merit["vetoes"]] == ["pending", "pending", "pending"]
    explained = CliRunner().invoke(app, ["analyze", str(folder), "--explain",
                                         "schemes.义务教育均衡发展合格县督导评估方案（示例）.pass_rules.2"])
    assert explained.exit_code == 0 and "差异程度（总分30分）得分26分以上" in explained.output

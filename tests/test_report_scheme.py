"""评估方案自评报告 on the example county with the 合格县 and 基本均衡 schemes chosen, read back from the .docx."""
from __future__ import annotations

import shutil
import subprocess
import sys

import openpyxl
import pytest
from docx import Document

from conftest import CHECKER, EXAMPLE
from reportgen.analysis import analyze, explain
from reportgen.core.errors import ReportgenError
from reportgen.loading import load_workspace
from reportgen.render.docx import default_template, render_report
from reportgen.reports.model import plain_text
from reportgen.reports import build_reports, report_ids, scheme
from reportgen.systems.indicators import duty_point_rows, load_system

MERIT = "义务教育均衡发展合格县督导评估方案（示例）"
BASIC = "县域义务教育发展基本均衡督导评估"
REASON_6_1 = "小学8项指标综合差异系数为0.712，超过0.65，扣6分"


def _points_sheet(path, scheme_name: str) -> None:
    """The 测评点 sheet of the 合格县 scheme: full marks except 6.1 (差异程度 24 of 30), 1 bonus point each."""
    book = openpyxl.load_workbook(path)
    sheet = book["测评点"]
    head = [c.value for c in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)
    for row in duty_point_rows(load_system("scheme", scheme_name)):
        bonus = row["一级指标"] == "加分项目"
        row["自评得分"] = 1 if bonus else 0 if row["编号"] == "6.1" else row["分值"]
        row["得失分说明"] = "获市级表彰1项" if bonus else REASON_6_1 if row["编号"] == "6.1" else None
        sheet.append([row[h] for h in head])
    book.save(path)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scheme") / "某县2025"
    shutil.copytree(EXAMPLE, folder)
    settings = folder / "reportgen.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  履职评价: 履职评价示例", "  履职评价: 均衡发展合格县示例\n  评估方案: [均衡发展合格县示例, 基本均衡2012]"),
        encoding="utf-8")
    _points_sheet(folder / "某县2025.xlsx", "均衡发展合格县示例")
    ws = load_workspace(folder)
    analysis = analyze(ws)
    models = build_reports(report_ids(["评估方案自评"]), ws, analysis)
    docs = {}
    for model in models:
        path = render_report(model, default_template(model.template), folder / model.filename)
        docs[model.title] = (model, path, Document(path))
    return ws, analysis, docs, folder


def _body(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _merit(built):
    return built[2]["某县义务教育均衡发展合格县自评报告"]


def test_one_report_per_chosen_scheme_titled_from_the_scheme(built):
    assert list(built[2]) == ["某县义务教育均衡发展合格县自评报告", "某县义务教育基本均衡发展自评报告"]
    model, path, doc = _merit(built)
    assert path.name == "某县义务教育均衡发展合格县自评报告.docx"
    assert doc.paragraphs[0].text == "某县义务教育均衡发展合格县自评报告"


def test_opening_names_points_scores_and_each_deduction(built):
    doc = _merit(built)[2]
    assert doc.paragraphs[2].text.startswith("根据《某市人民政府教育督导委员会")
    assert (f"某县对照《{MERIT}》26个测评点进行了认真的自查自评，自评得分94分，另申请加分2分，合计96分。"
            "其中，第6.1测评点因小学8项指标综合差异系数为0.712，超过0.65，扣6分。") in doc.paragraphs[2].text
    assert doc.paragraphs[3].text == "对照合格条件，差异程度得分24分，低于合格要求26分，自评结论为不合格。"


def test_sections_follow_the_first_level_indicators_with_scores(built):
    analysis = built[1]
    doc = _merit(built)[2]
    level1 = [p.text for p in doc.paragraphs if p.style.style_id == "Heading1"]
    assert level1 == ["一、基本情况", "二、保障措施（分值50分，自评得分50分）", "三、差异程度（分值30分，自评得分24分）",
                      "四、公众评价（分值20分，自评得分20分）", "五、合格条件和一票否决情况", "六、存在问题", "七、下一步工作计划"]
    level2 = [p.text for p in doc.paragraphs if p.style.style_id == "Heading2"]
    assert "（一）小学校际差异（分值12分，自评得分6分）" in level2
    assert analysis["schemes"][MERIT]["sections"]["小学校际差异"]["score"] == 6.0


def test_failed_rule_and_pending_vetoes_are_stated(built):
    text = "\n".join(_body(_merit(built)[2]))
    assert "合格条件“总分85分以上”：总分94分，达到合格要求85分。" in text
    assert "合格条件“差异程度（总分30分）得分26分以上”：差异程度得分24分，低于合格要求26分，差2分，未达到。" in text
    assert "未达到合格条件：差异程度得分24分，低于合格要求26分。" in text
    assert ("一票否决“挤占、截留、挪用教育经费”：【待补充：我县是否存在该情形（「县级指标」工作表未填报"
            "「挤占截留挪用教育经费案件数」）】") in text


def test_basic_balance_report_lists_what_is_still_open(built):
    model, _, doc = built[2]["某县义务教育基本均衡发展自评报告"]
    text = "\n".join(_body(doc))
    assert f"某县对照《{BASIC}》（教督〔2012〕3号）17个测评点" in doc.paragraphs[2].text
    assert "合格条件“小学综合差异系数不高于0.65”：小学综合差异系数为0.174964，不高于0.65，已达到。" in text
    assert "【待补充：我县公众满意度85%以上的情况（「县级指标」工作表未填报「公众满意度」）】" in text
    assert "自评结论暂为待定。" in text


def test_annex_lists_every_point_with_its_scores(built):
    doc = _merit(built)[2]
    table = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["编号", "一级指标", "二级指标", "测评点", "评分细则", "分值", "自评\n得分", "得失分说明"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["6.1"][1:3] == ["差异程度", "小学校际差异"] and by_id["6.1"][5:] == ["6", "0", REASON_6_1]
    assert by_id["加1"][1] == "加分项目" and by_id["加1"][6] == "1"
    assert len(rows) == 1 + 26 + 2 + 1 and rows[-1][-3:] == ["100", "94", "另申请加分2分，合计96分，自评结论不合格"]
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None


def test_every_printed_figure_is_explained(built):
    ws, analysis, docs, _ = built
    ids = {f["id"] for model, _, _ in docs.values() for f in model.figures}
    assert f"schemes.{MERIT}.pass_rules_shortfall.2" in ids and f"schemes.{MERIT}.points_lost.6.1" in ids
    for fid in ids:
        head, *body = explain(ws, analysis, fid).splitlines()
        assert head != f"【{fid}】" and not head.endswith(fid) and body, head


@pytest.mark.skipif(not CHECKER.is_file(), reason="shared/tools/check_gongwen.py is not beside the repository")
def test_gbt9704_checker_passes_on_each(built):
    for _, path, _ in built[2].values():
        result = subprocess.run([sys.executable, str(CHECKER), str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and "0 hard failures" in result.stdout, result.stdout + result.stderr


def test_build_writes_one_file_per_scheme_and_records_its_figures(built):
    import json

    from reportgen.publish.build import FIGURE_RECORD, build

    out = built[3] / "输出"
    result = build(built[3], ["评估方案"], out)
    assert {p.name for p in result.written} - {"核对清单.docx"} == {"某县义务教育基本均衡发展自评报告.docx",
                                                                    "某县义务教育均衡发展合格县自评报告.docx"}
    figures = json.loads((out / FIGURE_RECORD).read_text(encoding="utf-8"))["figures"]
    lost = next(f for f in figures if f["id"] == f"schemes.{MERIT}.points_lost.6.1")
    assert (lost["value"], lost["text"], lost["label"]) == (6.0, "6", f"{MERIT}测评点6.1扣分")


def test_without_a_chosen_scheme_the_report_says_what_to_choose(example_ws, example_analysis):
    assert scheme.build_models(example_ws, example_analysis) == []
    assert [m.name for m in build_reports(["履职自评", "评估方案自评"], example_ws, example_analysis)] == ["履职自评"]
    with pytest.raises(ReportgenError, match="「指标体系 › 评估方案」未选择评估方案"):
        build_reports(["评估方案自评"], example_ws, example_analysis)


def test_report_kind_from_the_name_when_the_scheme_has_no_report_name():
    merit = load_system("scheme", "均衡发展合格县示例")
    assert scheme.report_kind(merit) == "义务教育均衡发展合格县自评报告"
    from dataclasses import replace
    assert scheme.report_kind(replace(merit, report_title="")) == "义务教育均衡发展合格县自评报告"
    assert scheme.report_kind(replace(merit, report_title="", name="本省义务教育优质均衡评价指标体系")) == \
        "本省义务教育优质均衡自评报告"


def test_a_flat_scheme_in_the_workspace_needs_no_code(tmp_path, example_analysis):
    folder = tmp_path / "某县2025"
    shutil.copytree(EXAMPLE, folder)
    (folder / "本县方案.yaml").write_text(
        "体系: 评估方案\n名称: 本县简易评估方案\n总分: 10\n指标:\n"
        "  - {编号: \"1\", 名称: 学校规模, 分值: 6, 评分: {方式: 按项扣分, 数据: 学校规模.超规模学校数, 每项扣: 1}}\n"
        "  - {编号: \"2\", 名称: 制度建设, 分值: 4}\n"
        "合格条件:\n  - {范围: 总分, 不低于: 6, 名称: 总分6分以上}\n", encoding="utf-8")
    settings = folder / "reportgen.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  履职评价: 履职评价示例", "  履职评价: 履职评价示例\n  评估方案: 本县方案.yaml"), encoding="utf-8")
    ws = load_workspace(folder)
    [model] = build_reports(["评估方案自评"], ws, analyze(ws))
    over = example_analysis["school_size"]["over_limit"]
    assert model.title == "某县本县简易自评报告"
    assert [plain_text(s.heading) for s in model.sections[1:3]] == [
        f"二、学校规模（分值6分，自评得分{6 - len(over)}分）", "三、制度建设（分值4分，尚未评分）"]
    assert "【待补充：第2测评点「制度建设」的自评得分和得失分说明】" in model.section("scheme.2").paragraphs()
    assert "合格条件“总分6分以上”：总分暂为" in model.text()

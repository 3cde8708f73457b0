"""县域学前教育普及普惠发展自评报告 and the 履职 report's figures across levels (学前, 普通高中,
per-level funding): hand-counted workspaces, the example county, and a workspace without kindergartens."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import minimal_sheets, school_row, write_book
from reportgen.analysis import analyze, explain
from reportgen.core.errors import ReportgenError
from reportgen.loading import load_workspace
from reportgen.publish.build import build
from reportgen.reports import duty, preschool
from reportgen.reports.evidence import per_level_funding_evidence, preschool_evidence
from reportgen.reports.figures import FigureBook
from reportgen.reports.model import plain_text

KG_HEADER = ["幼儿园标识码", "幼儿园名称", "办园性质", "所在乡镇", "乡镇中心园", "小区配套园", "在园幼儿数",
             "班级数", "专任教师数", "持证专任教师数", "建筑面积", "室外游戏场地面积", "生均公用经费(元)"]
# Hand-counted: 500 children — 公办 300 (K001 200 + K002 100), 普惠性民办 150 (K003), 非普惠性民办 50 (K004).
# 学前三年适龄儿童 560: 毛入园率 500/560 = 89.29 %; 普惠 450/500 = 90.00 %; 公办 300/500 = 60.00 %.
KINDERGARTENS = [
    ["K001", "城关镇中心幼儿园", "公办", "城关", "是", "否", 200, 4, 14, 14, 1800, 1000, 800],
    ["K002", "石桥镇中心幼儿园", "公办", "石桥", "是", "否", 100, 2, 7, 6, 900, 300, 450],   # outdoor 3/child, 450 元
    ["K003", "阳光幼儿园", "普惠性民办", "城关", "否", "是", 150, 2, 10, 9, 1200, 700, 600],
    ["K004", "金色双语幼儿园", "非普惠性民办", "柳河", "否", "否", 50, 1, 3, 3, 500, 300, None],
]
CLASS_HEADER = ["学校标识码", "年级", "班级", "学生数"]
# 6 classes, 3 over the standard (小班 26 > 25, 大班 36 > 35, 混龄班 31 > 30): 班额达标率 50.00 %.
KG_CLASSES = [["K001", "小班", "1班", 25], ["K001", "小班", "2班", 26], ["K001", "中班", "1班", 30],
              ["K001", "大班", "1班", 36], ["K003", "混龄班", "1班", 30], ["K003", "混龄班", "2班", 31]]


def county_sheet(eligible: int) -> list[list]:
    return [["指标", "值", "单位"], ["学前三年适龄儿童数", eligible, "人"], ["学前教育社会认可度", 90, "%"]]


def preschool_workspace(tmp_path: Path, eligible: int = 560) -> Path:
    sheets = minimal_sheets()
    sheets["幼儿园"] = [KG_HEADER, *KINDERGARTENS]
    sheets["班级"] = [CLASS_HEADER, *KG_CLASSES]
    sheets["县级指标"] = county_sheet(eligible)
    write_book(tmp_path / "ws" / "测试县2025.xlsx", sheets)
    return tmp_path / "ws"


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    ws = load_workspace(preschool_workspace(tmp_path_factory.mktemp("hand")))
    analysis = analyze(ws)
    return ws, analysis, preschool.build_model(ws, analysis)


def section(model, key: str) -> str:
    found = next(s for top in model.sections for s in top.walk() if s.key == key)
    return "\n".join(found.paragraphs())


def table(model, key: str):
    return next(b for top in model.sections for s in top.walk() for b in s.blocks if getattr(b, "key", None) == key)


# ---------------------------------------------------------------- the hand count

def test_the_three_rates_and_verdicts_are_the_hand_count(hand):
    _, _, model = hand
    rates = section(model, "rates")
    assert "全县在园幼儿500人，学前三年适龄儿童560人，学前三年毛入园率为89.29%，达到不低于85%的标准。" in rates
    assert "公办园和普惠性民办园在园幼儿300人、150人，普惠性幼儿园覆盖率为90.00%，达到不低于80%的标准。" in rates
    assert "公办园在园幼儿300人，公办园在园幼儿占比为60.00%，达到不低于50%的标准。" in rates
    rows = {r[0]: r[2:] for r in table(model, "rates").rows}
    assert [plain_text(c) for c in rows["学前三年毛入园率"]] == ["89.29%", "≥85%", "达标"]
    assert [plain_text(c) for c in rows["公办园在园幼儿占比"]] == ["60.00%", "≥50%", "达标"]
    opening = plain_text(model.opening[0].text)
    assert "学前三年毛入园率89.29%，达到85%的标准" in opening
    assert "自评认为，测试县尚未达到县域学前教育普及普惠督导评估标准。" in opening  # items fail


def test_a_low_enrolment_count_is_reported_as_not_met(tmp_path):
    ws = load_workspace(preschool_workspace(tmp_path, eligible=625))  # 500 / 625 = 80 %
    model = preschool.build_model(ws, analyze(ws))
    assert "学前三年毛入园率为80.00%，未达到不低于85%的标准。" in section(model, "rates")
    assert "学前三年毛入园率为80.00%，低于85%的标准。" in section(model, "problems")


def test_basic_counts_by_ownership(hand):
    _, _, model = hand
    basic = section(model, "basic")
    assert ("全县共有幼儿园4所，其中公办园2所、普惠性民办园1所、非普惠性民办园1所；在园幼儿500人，"
            "其中公办园300人、普惠性民办园150人、非普惠性民办园50人。") in basic
    assert "全县学前三年适龄儿童560人。" in basic
    rows = [[plain_text(c) for c in r] for r in table(model, "ownership").rows]
    assert rows == [["公办园", "2", "300", "60.00%"], ["普惠性民办园", "1", "150", "30.00%"],
                    ["非普惠性民办园", "1", "50", "10.00%"]]


def test_class_compliance_matches_the_hand_count(hand):
    _, _, model = hand
    quality = section(model, "quality")
    assert "超过标准班额的班级3个，班额达标率50.00%。" in quality
    assert "小班2个（标准25人，超标1个）" in quality and "混龄班2个（标准30人，超标1个）" in quality


def test_every_kindergarten_failing_a_per_kindergarten_standard_is_named(hand):
    _, analysis, model = hand
    failing = analysis["preschool"]["failing_kindergartens"]
    assert {k["name"] for k in failing} == {"城关镇中心幼儿园", "石桥镇中心幼儿园", "阳光幼儿园"}
    quality = section(model, "quality")
    assert "未达到逐园标准的幼儿园3所：" in quality
    assert "城关镇中心幼儿园（2个班级超过标准班额）" in quality
    assert "石桥镇中心幼儿园（生均公用经费450元，未达到生均公用经费≥500元的标准；" in quality
    assert "生均室外游戏场地面积3.00平方米，未达到生均室外游戏场地面积≥4平方米的标准）" in quality
    assert "阳光幼儿园（1个班级超过标准班额）" in quality
    assert "金色双语幼儿园" not in quality


def test_the_annex_has_a_row_per_kindergarten_with_failures_marked(hand):
    _, _, model = hand
    annex = model.attachments[0].blocks[0]
    headers = [c.header for c in annex.columns]
    assert headers[:6] == ["序号", "幼儿园名称", "办园性质", "在园\n幼儿数", "班级数", "超标准\n班额班数"]
    assert "公办园生均公用经费\n(元)" in headers and "普惠园生均公用经费\n(元)" in headers
    rows = {r[1]: [plain_text(c) for c in r] for r in annex.rows}
    assert list(rows) == ["城关镇中心幼儿园", "石桥镇中心幼儿园", "阳光幼儿园", "金色双语幼儿园"]
    public_funding = headers.index("公办园生均公用经费\n(元)")
    outdoor = headers.index("生均室外游戏场地\n(㎡)")
    assert rows["石桥镇中心幼儿园"][public_funding] == "450*" and rows["石桥镇中心幼儿园"][outdoor] == "3.00*"
    assert rows["城关镇中心幼儿园"][5] == "2*" and rows["城关镇中心幼儿园"][-1] == "未达标"
    assert rows["阳光幼儿园"][public_funding] == "/"       # not checked on a 普惠性民办园
    assert rows["金色双语幼儿园"][-1] == "达标"


def test_every_printed_figure_is_explainable(hand):
    ws, analysis, model = hand
    for figure in model.figures:
        assert explain(ws, analysis, figure["id"])


# ---------------------------------------------------------------- without kindergartens

def test_all_reports_skip_the_preschool_report_without_kindergartens(minimal_workspace, tmp_path):
    result = build(minimal_workspace, ["all"], out_dir=tmp_path / "out")
    names = [p.name for p in result.written]
    assert not any("学前" in n for n in names) and any("履行教育职责" in n for n in names)
    assert any(w.startswith("未生成县域学前教育普及普惠发展自评报告：未填报「幼儿园」工作表") for w in result.warnings)
    with pytest.raises(ReportgenError, match="无法生成县域学前教育普及普惠发展自评报告"):
        build(minimal_workspace, ["学前"], out_dir=tmp_path / "out2")


# ---------------------------------------------------------------- 履职: 普通高中, 学前, per-level funding

def senior_school(sid: str) -> list:
    return school_row(sid, pupils=None, 办学类型="高级中学", 小学班级数=None, 小学专任教师数=None,
                      小学高于规定学历教师数=None, 小学县级以上骨干教师数=None, 小学体育艺术专任教师数=None)


def test_senior_classes_of_57_and_67_in_the_duty_report(tmp_path):
    sheets = minimal_sheets([school_row("3401010001"), senior_school("3401010009")])
    sheets["学校"] = [[*sheets["学校"][0], "高中在校生数"], [*sheets["学校"][1], None], [*sheets["学校"][2], 222]]
    sheets["班级"] = [CLASS_HEADER, ["3401010009", "高一", "1班", 48], ["3401010009", "高二", "1班", 50],
                     ["3401010009", "高三", "1班", 57], ["3401010009", "高三", "2班", 67],
                     ["3401010001", "一年级", "1班", 44]]
    write_book(tmp_path / "ws" / "测试县2025.xlsx", sheets)
    ws = load_workspace(tmp_path / "ws")
    text = duty.build_model(ws, analyze(ws)).text()
    assert ("全县普通高中共有班级4个，超过50人标准班额的2个。普通高中仍存在大班额，56人以上大班额占比50.00%，"
            "66人以上超大班额占比25.00%。") in text


def funding_rows(*changes: tuple[str, float]) -> dict:
    return {"funding": {"by_level": {"合计": [{"year": 2025, "per_pupil_growth": 0.01}],
                                     **{level: [{"year": 2024, "per_pupil_growth": None},
                                                {"year": 2025, "per_pupil_growth": g}] for level, g in changes}}}}


def test_per_level_funding_as_the_seeds_print_it():
    book = FigureBook("t")
    rising = per_level_funding_evidence(funding_rows(("初中", 0.0092), ("小学", 0.0101), ("学前", 0.2396)), book)
    assert [plain_text(s) for s in rising] == [
        "2025年幼儿园、普通小学、普通初中生均一般公共预算教育支出分别比上年增长23.96%、1.01%、0.92%。"]
    mixed = per_level_funding_evidence(funding_rows(("小学", 0.02), ("普通高中", -0.015)), book)
    assert [plain_text(s) for s in mixed] == ["2025年普通小学、普通高中生均一般公共预算教育支出分别比上年增长2.00%、下降1.50%。"]
    assert {r["id"] for r in book.records()} >= {"funding.学前.2025.per_pupil_growth", "funding.普通高中.2025.per_pupil_growth"}
    assert per_level_funding_evidence({"funding": {"by_level": {"合计": []}}}, book) == []


def test_preschool_targets_come_from_the_analysis(hand):
    _, analysis, _ = hand
    block = dict(analysis["preschool"], public_share=0.287, public_share_ok=False, public_share_min=0.55)
    text = plain_text(preschool_evidence({"preschool": block}, FigureBook("t"))[0])
    assert text == "目前，全县普惠性幼儿园覆盖率90.00%，公办园在园幼儿占比28.70%，未完成“55”目标。"
    met = plain_text(preschool_evidence(analysis, FigureBook("t"))[0])
    assert met == "目前，全县普惠性幼儿园覆盖率90.00%，公办园在园幼儿占比60.00%，完成“80、50”目标。"


# ---------------------------------------------------------------- the example county

def test_example_report_names_every_failing_kindergarten(example_ws, example_analysis):
    model = preschool.build_model(example_ws, example_analysis)
    text = model.text()
    failing = example_analysis["preschool"]["failing_kindergartens"]
    assert failing and all(k["name"] in section(model, "quality") for k in failing)
    assert [s.heading for s in model.sections] == [
        "一、基本情况", "二、普及普惠水平", "三、政府保障情况", "四、幼儿园保教质量保障情况", "五、社会认可度",
        "六、存在问题", "七、下一步工作计划"]
    assert len(model.attachments[0].blocks[0].rows) == example_analysis["preschool"]["kindergartens"]
    assert [(c.kind, c.caption) for c in model.charts] == [("rate_bars", "图1 学前教育普及普惠水平与标准")]
    assert "自评认为，某县尚未达到县域学前教育普及普惠督导评估标准" in text


def test_a_scheme_asking_for_preschool_figures_gets_them_in_the_duty_report(tmp_path):
    import shutil

    from conftest import EXAMPLE, ROOT

    shutil.copytree(EXAMPLE, tmp_path / "ws", ignore=shutil.ignore_patterns("输出"))
    system = (ROOT / "reportgen" / "systems" / "履职评价示例.yaml").read_text(encoding="utf-8")
    (tmp_path / "ws" / "本县履职.yaml").write_text(
        system.replace("数据: 政府保障程度.small_school_funding", "数据: preschool.public_share_ok", 1), encoding="utf-8")
    settings = tmp_path / "ws" / "reportgen.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("履职评价: 履职评价示例", "履职评价: 本县履职.yaml"),
                        encoding="utf-8")
    ws = load_workspace(tmp_path / "ws")
    analysis = analyze(ws)
    block = analysis["preschool"]
    text = duty.build_model(ws, analysis).text()
    assert (f"目前，全县普惠性幼儿园覆盖率{block['inclusive_coverage'] * 100:.2f}%，"
            f"公办园在园幼儿占比{block['public_share'] * 100:.2f}%，未完成“80、50”目标。") in text


def test_example_report_states_preschool_funding_in_the_guarantee_part(example_ws, example_analysis):
    entry = example_analysis["funding"]["by_level"]["学前"][-1]
    model = preschool.build_model(example_ws, example_analysis)
    found = model.section("guarantee").paragraphs()
    assert (f"2025年幼儿园一般公共预算教育支出7940.90万元，比上年增长1.44%；生均一般公共预算教育支出9630.00元，"
            f"比上年增长{round(entry['per_pupil_growth'] * 100, 2):.2f}%。") in found
    figures = {f["id"] for f in model.figures if f["section"] == "三、政府保障情况"}
    assert {"funding.学前.2025.spending", "funding.学前.2025.per_pupil", "funding.学前.2025.per_pupil_growth"} <= figures
    for fid in figures & {"funding.学前.2025.spending", "funding.学前.2025.per_pupil"}:
        assert explain(example_ws, example_analysis, fid).startswith(f"【{fid}】")


def test_per_level_funding_names_the_schema_levels_and_takes_a_subset():
    book = FigureBook("t")
    rows = funding_rows(("中等职业", 0.03), ("初中", 0.02), ("学前", 0.01))
    assert [plain_text(s) for s in per_level_funding_evidence(rows, book)] == [
        "2025年幼儿园、普通初中、中等职业学校生均一般公共预算教育支出分别比上年增长1.00%、2.00%、3.00%。"]
    assert [plain_text(s) for s in per_level_funding_evidence(rows, book, ("学前",))] == [
        "2025年幼儿园生均一般公共预算教育支出比上年增长1.00%。"]
    assert per_level_funding_evidence(rows, book, ("普通高中",)) == []

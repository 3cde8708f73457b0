"""学前教育普及普惠 and 普通高中 班额: loading the new sheets and grades, the 学前 system file, and the
analysis on a hand-counted workspace."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from conftest import minimal_sheets, school_row, write_book
from reportgen.analysis import analyze, explain
from reportgen.analysis.county import County
from reportgen.analysis.preschool import preschool
from reportgen.core.errors import IndicatorSystemError
from reportgen.core.workspace import Workspace
from reportgen.loading import load_workspace, read_workspace
from reportgen.systems.indicators import load_system

KG_HEADER = ["幼儿园标识码", "幼儿园名称", "办园性质", "所在乡镇", "乡镇中心园", "小区配套园", "在园幼儿数",
             "班级数", "专任教师数", "持证专任教师数", "建筑面积", "室外游戏场地面积", "生均公用经费(元)"]
# Hand-counted: 500 children, 300 公办, 150 普惠性民办, 50 非普惠性民办.
KINDERGARTENS = [
    ["K001", "城关镇中心幼儿园", "公办", "城关", "是", "否", 200, 4, 14, 14, 1800, 1000, 800],
    ["K002", "石桥镇中心幼儿园", "公办", "石桥", "是", "否", 100, 2, 7, 6, 900, 300, 450],   # outdoor 3/child, funding 450
    ["K003", "阳光幼儿园", "普惠性民办", "城关", "否", "是", 150, 2, 10, 9, 1200, 700, 600],
    ["K004", "金色双语幼儿园", "非普惠性民办", "柳河", "否", "否", 50, 1, 3, 3, 500, 300, None],
]
CLASS_HEADER = ["学校标识码", "年级", "班级", "学生数"]
# K001: 25 ok, 26 over (小班 25), 30 ok (中班), 36 over (大班 35); K003: 30 ok, 31 over (混龄 30).
KG_CLASSES = [["K001", "小班", "1班", 25], ["K001", "小班", "2班", 26], ["K001", "中班", "1班", 30],
              ["K001", "大班", "1班", 36], ["K003", "混龄班", "1班", 30], ["K003", "混龄班", "2班", 31]]


def frame(header: list[str], rows: list[list]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[h.split("(")[0] for h in header])


def county(eligible: float, recognition: float = 90.0) -> pd.DataFrame:
    return frame(["指标", "值", "单位"], [["学前三年适龄儿童数", eligible, "人"],
                                        ["学前教育社会认可度", recognition, "%"]])


def block(eligible: float = 560, statements: pd.DataFrame | None = None, system: str = "学前普及普惠2020",
          root: Path | None = None, county_table: pd.DataFrame | None = None, classes: list[list] = KG_CLASSES) -> dict:
    ws = Workspace.from_tables(tables={"幼儿园": frame(KG_HEADER, KINDERGARTENS),
                                       "班级": frame(CLASS_HEADER, classes).assign(
                                           年级=lambda f: f["年级"].map({"小班": -3, "中班": -2, "大班": -1, "混龄班": 0})),
                                       "县级指标": county(eligible) if county_table is None else county_table})
    return preschool(ws.kindergartens, ws.tables["班级"], County(ws.county),
                     load_system("preschool", system, root), statements)


def item(result: dict, item_id: str) -> dict:
    return next(i for i in result["guarantee"] + result["quality"] if i["id"] == item_id)


# ---------------------------------------------------------------- analysis on a hand count

def test_three_rates_and_their_verdicts_from_a_hand_count():
    result = block(eligible=560)
    assert (result["kindergartens"], result["children"], result["eligible_children"]) == (4, 500, 560)
    assert (result["public_children"], result["inclusive_private_children"]) == (300, 150)
    assert result["gross_enrolment_rate"] == pytest.approx(500 / 560)
    assert result["inclusive_coverage"] == pytest.approx(450 / 500)
    assert result["public_share"] == pytest.approx(300 / 500)
    assert (result["gross_enrolment_rate_ok"], result["inclusive_coverage_ok"], result["public_share_ok"]) == (True, True, True)
    assert result["gross_enrolment_rate_min"] == 0.85
    low = block(eligible=625)  # 500 / 625 = 80 %
    assert low["gross_enrolment_rate"] == pytest.approx(0.8) and low["gross_enrolment_rate_ok"] is False


def test_missing_eligible_children_gives_null_with_a_reason():
    result = block(county_table=frame(["指标", "值", "单位"], [["学前教育社会认可度", 90.0, "%"]]), classes=[])
    assert result["gross_enrolment_rate"] is None and result["gross_enrolment_rate_ok"] is None
    assert "学前三年适龄儿童数" in result["eligible_children_reason"]
    assert result["class_size"]["compliance_rate"] is None and item(result, "class_size")["status"] == "待说明"
    assert result["verdict"] == "未通过"  # a failing item decides even with figures missing


def test_class_size_compliance_matches_the_hand_count():
    result = block()
    sizes = result["class_size"]
    assert (sizes["classes"], sizes["over_standard"]) == (6, 3)
    assert sizes["compliance_rate"] == pytest.approx(0.5)
    assert sizes["by_grade"]["小班"] == {"standard": 25.0, "classes": 2, "over_standard": 1}
    assert sizes["by_grade"]["混龄班"]["over_standard"] == 1
    assert item(result, "class_size")["status"] == "未达标"


def test_kindergartens_failing_a_per_kindergarten_standard_are_named():
    result = block()
    failing = {k["name"]: sorted(f["id"] for f in k["failed"]) for k in result["failing_kindergartens"]}
    assert failing == {"城关镇中心幼儿园": ["class_size"], "石桥镇中心幼儿园": ["outdoor_space", "public_funding"],
                       "阳光幼儿园": ["class_size"]}
    outdoor = item(result, "outdoor_space")
    assert outdoor["status"] == "未达标" and "石桥镇中心幼儿园" in outdoor["reason"]
    assert outdoor["value"] == pytest.approx(3 / 4)  # 3 of 4 kindergartens meet 4 m² per child
    # 非普惠性民办 kindergartens are not held to the public funding standard
    assert "public_funding" not in {v for k in result["kindergarten_list"] if k["id"] == "K004" for v in k["values"]}


def test_government_items_decided_from_data():
    result = block()
    assert item(result, "township_public_center")["status"] == "未达标"  # 柳河 has no 公办中心园
    assert "柳河" in item(result, "township_public_center")["reason"]
    assert item(result, "community_kindergartens")["status"] == "达标"  # 阳光 is 普惠性民办
    ratio = item(result, "children_per_teacher")
    assert ratio["value"] == pytest.approx(500 / 34) and ratio["status"] == "达标"
    assert item(result, "certified_teachers")["value"] == pytest.approx(32 / 34)
    assert item(result, "teacher_pay")["status"] == "待说明"  # pay figures not reported
    assert result["social_recognition"]["status"] == "达标"


def test_stated_items_come_from_the_statement_sheet_else_pending():
    statements = pd.DataFrame({"指标": ["planning"], "结论": ["达标"], "说明": ["已制定幼儿园布局规划"], "_row": [2]})
    result = block(statements=statements)
    assert item(result, "planning")["status"] == "达标" and item(result, "planning")["reason"] == "已制定幼儿园布局规划"
    assert item(result, "curriculum")["status"] == "待说明"
    assert result["verdict"] == "未通过"  # class size and town centres fail


def test_a_provincial_variant_is_a_copied_file(tmp_path):
    source = resources.files("reportgen") / "systems" / "学前普及普惠2020.yaml"
    text = source.read_text(encoding="utf-8").replace("学前三年毛入园率: 0.85", "学前三年毛入园率: 0.90")
    (tmp_path / "河南学前2021.yaml").write_text(text, encoding="utf-8")
    national, henan = block(eligible=575), block(eligible=575, system="河南学前2021.yaml", root=tmp_path)
    assert national["gross_enrolment_rate"] == henan["gross_enrolment_rate"] == pytest.approx(500 / 575)
    assert national["gross_enrolment_rate_ok"] is True and henan["gross_enrolment_rate_ok"] is False
    assert henan["gross_enrolment_rate_min"] == 0.90


def test_a_wrong_key_in_the_preschool_system_names_file_and_key(tmp_path):
    source = resources.files("reportgen") / "systems" / "学前普及普惠2020.yaml"
    text = source.read_text(encoding="utf-8").replace("  大班: 35", "  大大班: 35")
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(IndicatorSystemError, match="bad.yaml.*班额 › 大大班"):
        load_system("preschool", "bad.yaml", tmp_path)


# ---------------------------------------------------------------- loading

def sheets_with(kindergartens: list[list], classes: list[list], schools: list[list] | None = None) -> dict:
    sheets = minimal_sheets(schools)
    sheets["幼儿园"] = [KG_HEADER, *kindergartens]
    sheets["班级"] = [CLASS_HEADER, *classes]
    return sheets


def senior_school(sid: str, pupils: int) -> list:
    return school_row(sid, pupils=None, 办学类型="高级中学", 小学班级数=None, 小学专任教师数=None,
                      小学高于规定学历教师数=None, 小学县级以上骨干教师数=None, 小学体育艺术专任教师数=None)


def test_kindergartens_and_all_grades_load(tmp_path):
    classes = [*KG_CLASSES, ["3401010001", "六年级", "1班", 40]]
    write_book(tmp_path / "ws" / "县.xlsx", sheets_with(KINDERGARTENS, classes))
    ws = load_workspace(tmp_path / "ws")
    assert list(ws.kindergartens["办园性质"]) == ["公办", "公办", "普惠性民办", "非普惠性民办"]
    assert list(ws.tables["班级"]["年级"]) == [-3, -3, -2, -1, 0, 0, 6]
    assert list(ws.classes["年级"]) == [6]  # the 义务教育 classes only


def test_kindergarten_errors_are_located_all_at_once(tmp_path):
    bad = [list(r) for r in KINDERGARTENS]
    bad[1][0] = "K001"          # duplicate id (row 3)
    bad[2][2] = "民办"           # not a 办园性质 (row 4)
    bad[3][9] = 5               # 持证 5 > 专任 3 (row 5)
    classes = [["K001", "小班", "1班", 20], ["K001", "三年级", "1班", 20],   # a school grade in a kindergarten
               ["3401010001", "中班", "1班", 20], ["3401010001", "高一", "1班", 50]]  # kindergarten / senior grade in a 小学
    issues = [i for i in read_workspace(_written(tmp_path, sheets_with(bad, classes)))[1] if i.is_error]
    found = {(i.sheet, i.row, i.column) for i in issues}
    assert found == {("幼儿园", 3, "幼儿园标识码"), ("幼儿园", 4, "办园性质"), ("幼儿园", 5, "持证专任教师数"),
                     ("班级", 3, "年级"), ("班级", 4, "年级"), ("班级", 5, "年级")}
    messages = {(i.sheet, i.row): i.expected for i in issues}
    assert "普惠性民办" in messages[("幼儿园", 4)]
    assert "小学没有高一" in messages[("班级", 5)]
    assert "幼儿园的班级" in messages[("班级", 3)]


def _written(tmp_path: Path, sheets: dict) -> Path:
    write_book(tmp_path / "ws" / "县.xlsx", sheets)
    return tmp_path / "ws"


# ---------------------------------------------------------------- 普通高中 班额

def test_senior_high_school_classes_of_57_and_67(tmp_path):
    schools = [school_row("3401010001"), senior_school("3401010009", 222)]
    sheets = minimal_sheets(schools)
    sheets["学校"][0] = [*sheets["学校"][0], "高中在校生数"]
    sheets["学校"][1] = [*sheets["学校"][1], None]
    sheets["学校"][2] = [*sheets["学校"][2], 222]
    sheets["班级"] = [CLASS_HEADER, ["3401010009", "高一", "1班", 48], ["3401010009", "高二", "1班", 50],
                     ["3401010009", "高三", "1班", 57], ["3401010009", 12, "2班", 67],
                     ["3401010001", "一年级", "1班", 44]]
    ws = load_workspace(_written(tmp_path, sheets))
    result = analyze(ws)
    senior = result["class_size"]["senior"]
    assert (senior["classes"], senior["over_standard"], senior["large_56_65"], senior["huge_66_plus"]) == (4, 2, 1, 1)
    assert senior["large_share"] == pytest.approx(0.25) and senior["huge_share"] == pytest.approx(0.25)
    assert senior["large_or_huge_share"] == pytest.approx(0.5) and senior["standard"] == 50
    # the senior classes do not enter the 义务教育 counts
    assert result["class_size"]["primary"]["classes"] == 1 and result["class_size"]["junior"]["classes"] == 0
    assert "preschool" in result and result["preschool"]["available"] is False


# ---------------------------------------------------------------- the example and --explain

def test_example_has_kindergartens_of_every_kind(example_analysis):
    block = example_analysis["preschool"]
    assert 40 <= block["kindergartens"] <= 60 and 9000 <= block["children"] <= 15000
    assert set(block["by_ownership"]) == {"公办", "普惠性民办", "非普惠性民办"}
    assert block["failing_kindergartens"] and all(k["failed"] for k in block["failing_kindergartens"])
    senior = example_analysis["class_size"]["senior"]
    assert senior["huge_66_plus"] >= 1 and senior["large_56_65"] >= 1


def test_explain_preschool_figures(example_ws, example_analysis):
    text = explain(example_ws, example_analysis, "preschool.gross_enrolment_rate")
    block = example_analysis["preschool"]
    assert f"{block['children']:g}" in text and f"{block['eligible_children']:g}" in text and "学前三年适龄儿童数" in text
    kid = block["failing_kindergartens"][0]["id"]
    assert block["failing_kindergartens"][0]["name"] in explain(example_ws, example_analysis, f"preschool.kindergartens.{kid}")
    over = explain(example_ws, example_analysis, "preschool.class_size.compliance_rate")
    assert over.count("行 ") == block["class_size"]["over_standard"]
    senior = explain(example_ws, example_analysis, "class_size.senior.huge_66_plus")
    assert "某县第二中学 高三：67人" in senior

"""Issue #14: a documented exemption (学校 › 豁免说明) judged against an approved relaxed standard
(放宽标准, standards §1.2) changes the verdict of 政府保障程度 items 3 and 4."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from docx import Document

from conftest import EXAMPLE
from fixtures.analysis_frames import school, workspace
from reportgen.analysis import analyze, explain
from reportgen.analysis.class_size import class_size, school_size
from reportgen.analysis.county import County
from reportgen.analysis.guarantee import Context, evaluate_item
from reportgen.core.errors import IndicatorSystemError
from reportgen.reports import quality as quality_report
from reportgen.render.docx import default_template, render_report
from reportgen.systems.indicators import QualitySystem, Relaxation, load_system

SYSTEMS = Path(__file__).resolve().parents[1] / "reportgen" / "systems"
NATIONAL = load_system("quality", "优质均衡2017")
RELAXED = load_system("quality", "某省优质均衡.yaml", EXAMPLE)
EXEMPTION = "经某省教育厅批准按本省放宽标准核定（某教基〔2022〕8号）"
BAIMA = ("白马镇初级中学建于1970年，经批准按放宽标准（美术专用教室不小于67平方米）认定，达标（豁免说明："
         "原校舍为1970年代建筑，经某省教育厅批准，专用教室面积按本省放宽标准核定（某教基〔2022〕8号））。")


def item(system: QualitySystem, item_id: str) -> object:
    return next(i for i in system.guarantee if i.id == item_id)


def judge(item_id: str, schools: list[dict], system: QualitySystem = RELAXED) -> dict:
    ws = workspace(schools)
    ctx = Context(ws.schools, County(ws.county), system, class_size(ws.classes, ws.schools, system.class_size, 6),
                  school_size(ws.schools, system.school_size))
    return evaluate_item(item(system, item_id), ctx)


def art_room(area: float, **values) -> dict:
    return school("0000000001", 美术专用教室最小面积=area, **values)


# ---------------------------------------------------------------- the system files

def test_the_national_file_relaxes_nothing_and_the_example_file_both_items():
    assert item(NATIONAL, "music_art_rooms").params["relaxed"] is None and NATIONAL.school_size.relaxed is None
    assert item(RELAXED, "music_art_rooms").params["relaxed"] == Relaxation(
        2016, {"音乐教室最小面积": 73.0, "美术教室最小面积": 67.0})
    assert RELAXED.school_size.relaxed == Relaxation(2010, {"小学": 2400.0, "初级中学": 2400.0, "完全中学": 2400.0})
    assert (RELAXED.name, RELAXED.document) == (NATIONAL.name, NATIONAL.document)  # the report cites the same text


def test_the_example_chooses_its_own_file():
    assert "优质均衡: 某省优质均衡.yaml" in (EXAMPLE / "reportgen.yaml").read_text(encoding="utf-8")


def relaxed_file(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((EXAMPLE / "某省优质均衡.yaml").read_text(encoding="utf-8"))
    change(data["政府保障程度"][2]["计算"]["放宽标准"], data["学校规模"]["放宽标准"])
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def rooms(**values):
    return lambda r, s: r.update(values)


def sizes(**values):
    return lambda r, s: s.update(values)


def without(key: str, where: str = "rooms"):
    return lambda r, s: (r if where == "rooms" else s).pop(key)


ROOMS = "政府保障程度 › 第3项 › 计算 › 放宽标准"


@pytest.mark.parametrize("change, words", [
    (without("建校年份早于"), [ROOMS, "建校年份早于」缺失"]),
    (rooms(建校年份早于=2015.5), [f"{ROOMS} › 建校年份早于」应为年份（整数），实际为2015.5"]),
    (rooms(建校年份早于="二〇一六"), [f"{ROOMS} › 建校年份早于」应为数值"]),
    (rooms(音乐教室最小面积=100), [f"{ROOMS} › 音乐教室最小面积」为100平方米，大于音乐教室最小面积的标准96平方米"]),
    (rooms(面积=70), [f"{ROOMS} › 面积」不是可用的项", "音乐教室最小面积"]),
    (lambda r, s: (r.pop("音乐教室最小面积"), r.pop("美术教室最小面积")), [f"{ROOMS}」应至少填写一项放宽后的标准"]),
    (sizes(上限={"小学": 1900}), ["学校规模 › 放宽标准 › 上限 › 小学」为1900人，小于小学的标准2000人"]),
    (sizes(上限={"幼儿园": 2400}), ["学校规模 › 放宽标准 › 上限 › 幼儿园」不在「学校规模 › 上限」中", "九年一贯制学校"]),
    (without("上限", "sizes"), ["学校规模 › 放宽标准 › 上限」缺失"]),
])
def test_a_mistyped_relaxation_names_the_file_and_key(tmp_path, change, words):
    path = relaxed_file(tmp_path, change)
    with pytest.raises(IndicatorSystemError) as caught:
        load_system("quality", path.name, tmp_path)
    message = str(caught.value)
    assert message.startswith("指标体系文件「x.yaml」：「")
    for word in words:
        assert word in message, message


def test_one_relaxed_area_is_enough(tmp_path):
    path = relaxed_file(tmp_path, without("音乐教室最小面积"))
    relaxed = item(load_system("quality", path.name, tmp_path), "music_art_rooms").params["relaxed"]
    assert relaxed.values == {"美术教室最小面积": 67.0}


# ---------------------------------------------------------------- item 3: 专用教室

def test_an_approved_older_school_meeting_the_relaxed_area_passes():
    result = judge("music_art_rooms", [art_room(80, 建校年份=2008, 豁免说明=EXEMPTION)])
    assert (result["status"], result["value"], result["details"], result["exemption_notes"]) == ("达标", 0, [], [])
    assert result["exempted"] == [{"id": "0000000001", "name": "学校001", "row": 2, "built": 2008,
                                   "standard": "美术专用教室不小于67平方米", "exemption": EXEMPTION}]
    assert result["relaxed_standard"] == "填写了「豁免说明」且2016年以前建校的学校，专用教室面积音乐≥73平方米，美术≥67平方米"


@pytest.mark.parametrize("values, note", [
    ({"建校年份": 2008}, None),                                   # no 豁免说明: the standard holds
    ({"建校年份": 2008, "豁免说明": "  "}, None),                   # an empty one is none
    ({"建校年份": 2018, "豁免说明": EXEMPTION}, "建于2018年，不在放宽标准的适用范围（2016年以前建校的学校）内"),
    ({"豁免说明": EXEMPTION}, "未填报建校年份，无法确认是否适用放宽标准（2016年以前建校的学校）"),
])
def test_without_both_conditions_the_standard_holds(values, note):
    result = judge("music_art_rooms", [art_room(80, **values)])
    assert result["status"] == "未达标" and result["exempted"] == []
    [detail] = result["details"]
    assert detail["problem"] == "美术专用教室最小面积80平方米，低于90平方米" and detail["relaxed"] is False
    assert [n["reason"] for n in result["exemption_notes"]] == ([note] if note else [])


def test_without_a_relaxation_in_the_system_the_exemption_is_only_printed():
    result = judge("music_art_rooms", [art_room(80, 建校年份=2008, 豁免说明=EXEMPTION)], NATIONAL)
    assert result["status"] == "未达标" and result["details"][0]["exemption"] == EXEMPTION
    assert result["relaxed_standard"] is None
    assert [n["reason"] for n in result["exemption_notes"]] == ["所选指标体系未规定该项的放宽标准"]


def test_a_school_below_the_relaxed_area_fails_with_the_relaxed_standard_named():
    result = judge("music_art_rooms", [art_room(60, 建校年份=2008, 豁免说明=EXEMPTION, 音乐专用教室最小面积=80)])
    assert result["status"] == "未达标" and result["value"] == 1 and result["exempted"] == []
    [detail] = result["details"]
    assert detail["problem"] == "美术专用教室最小面积60平方米，低于放宽标准67平方米" and detail["relaxed"] is True
    assert result["exemption_notes"] == []  # the relaxed standard was applied: nothing to warn about


def test_the_relaxation_does_not_excuse_missing_rooms():
    result = judge("music_art_rooms", [art_room(80, 建校年份=2008, 豁免说明=EXEMPTION, 小学班级数=13)])
    assert result["status"] == "未达标" and result["exempted"] == []
    assert result["details"][0]["problem"] == "音乐专用教室1间，应配2间；美术专用教室1间，应配2间"


# ---------------------------------------------------------------- item 4: 学校规模

def test_an_approved_older_school_within_the_relaxed_cap_is_not_over_the_limit():
    schools = [school("0000000001", primary=2300, 建校年份=2005, 豁免说明=EXEMPTION),
               school("0000000002", primary=2450, 建校年份=2005, 豁免说明=EXEMPTION),
               school("0000000003", primary=2300, 建校年份=2012, 豁免说明=EXEMPTION),
               school("0000000004", kind="九年一贯制学校", primary=1500, junior=1100, 建校年份=2005, 豁免说明=EXEMPTION)]
    block = school_size(workspace(schools).schools, RELAXED.school_size)
    assert [s["id"] for s in block["exempted"]] == ["0000000001"]
    assert block["exempted"][0]["relaxed_limit"] == 2400 and block["exempted"][0]["limit"] == 2000
    assert [(s["id"], s["limit"], s["relaxed"]) for s in block["over_limit"]] == [
        ("0000000002", 2400, True), ("0000000003", 2000, False), ("0000000004", 2500, False)]
    result = judge("school_size", schools)
    assert result["status"] == "未达标" and result["value"] == 3
    problems = {d["id"]: d["problem"] for d in result["details"]}
    assert problems["0000000002"] == "义务教育阶段在校生2450人，超过放宽标准2400人"
    assert problems["0000000003"] == "义务教育阶段在校生2300人，超过2000人"
    assert result["exempted"][0]["standard"] == "义务教育阶段规模不超过2400人"
    assert [n["id"] for n in result["exemption_notes"]] == ["0000000003", "0000000004"]
    assert judge("school_size", schools[:1])["status"] == "达标"
    assert judge("school_size", schools[:1], NATIONAL)["status"] == "未达标"


# ---------------------------------------------------------------- the example county

def test_the_example_counts_follow_the_relaxed_verdict(example_analysis):
    rooms = next(i for i in example_analysis["guarantee"] if i["id"] == "music_art_rooms")
    assert rooms["value"] == 11 and rooms["reason"] == "11所学校音乐、美术专用教室未达标"
    assert "白马镇初级中学" not in {d["name"] for d in rooms["details"]}
    assert [(s["name"], s["built"], s["standard"]) for s in rooms["exempted"]] == [
        ("白马镇初级中学", 1970, "美术专用教室不小于67平方米")]
    assert rooms["status"] == "未达标"  # on the other 11 schools


def test_explain_shows_the_relaxed_standard_and_the_exempted_school(example_ws, example_analysis):
    text = explain(example_ws, example_analysis, "guarantee.music_art_rooms")
    assert "放宽标准：填写了「豁免说明」且2016年以前建校的学校，专用教室面积音乐≥73平方米，美术≥67平方米" in text
    assert "结论：未达标；11所学校音乐、美术专用教室未达标" in text
    assert ("  第32行 白马镇初级中学：建于1970年，按放宽标准（美术专用教室不小于67平方米）认定达标（豁免说明：原校舍为"
            in text)
    size = explain(example_ws, example_analysis, "school_size.over_limit")
    assert "放宽标准：填写了「豁免说明」且2010年以前建校的学校，上限为小学2400人；初级中学2400人；完全中学2400人" in size


def paragraphs_of(ws, analysis, tmp_path: Path) -> tuple[list[str], tuple[str, ...]]:
    model = quality_report.build_model(ws, analysis)
    path = render_report(model, default_template(model.template), tmp_path / model.filename)
    return [p.text for p in Document(path).paragraphs], model.warnings


def test_the_report_says_the_school_passes_by_the_relaxed_standard(example_ws, example_analysis, tmp_path):
    texts, warnings = paragraphs_of(example_ws, example_analysis, tmp_path)
    assert f"第3项：{BAIMA}" in texts
    [failing] = [t for t in texts if t.startswith("第3项未达标：")]
    assert failing.startswith("第3项未达标：11所学校音乐、美术专用教室未达标，涉及") and "白马镇初级中学" not in failing
    assert warnings == ()


def with_schools(ws, **changes: dict[str, object]):
    """The workspace with some 学校 cells replaced: school name → {column: value} (no file is touched)."""
    schools = ws.tables["学校"].copy()
    for name, values in changes.items():
        for column, value in values.items():
            schools.loc[schools["学校名称"] == name, column] = value
    return dataclasses.replace(ws, tables={**ws.tables, "学校": schools})


def test_the_report_names_a_relaxed_failure_and_warns_of_an_exemption_that_does_not_apply(example_ws, tmp_path):
    ws = with_schools(example_ws, 白马镇初级中学={"美术专用教室最小面积": 60.0}, 某县实验学校={"豁免说明": EXEMPTION})
    texts, warnings = paragraphs_of(ws, analyze(ws), tmp_path)
    [failing] = [t for t in texts if t.startswith("第3项未达标：")]
    assert failing.startswith("第3项未达标：12所学校音乐、美术专用教室未达标")
    assert "白马镇初级中学（美术专用教室最小面积60平方米，低于放宽标准67平方米；豁免说明：原校舍为1970年代建筑" in failing
    assert not any("经批准按放宽标准（" in t for t in texts)
    assert warnings == ("某县2025.xlsx 工作表「学校」 第42行 列「豁免说明」：某县实验学校填写了豁免说明，"
                        "但不适用经批准的放宽标准（建于2018年，不在放宽标准的适用范围（2016年以前建校的学校）内），"
                        "第3项仍按标准认定为未达标",)

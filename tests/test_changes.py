"""The 变更说明 a reviewer can act on (issue 14 deliver 6): rows named by their school, every changed
verdict, the person-written sentences whose figure moved, and only ids ``analyze --explain`` accepts."""
from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest
from docx import Document

from conftest import EXAMPLE
from reportgen.analysis import explain
from reportgen.analysis.consistency import stated_quantities
from reportgen.analysis.verdicts import moved_statements, verdict_changes, verdict_record
from reportgen.publish.build import CHANGE_NOTE, FIGURE_RECORD, VERDICT_RECORD, build
from reportgen.publish.changes import verdict_line
from reportgen.publish.inputs import input_cells
from test_build import set_cell

JUNIOR = "2134260025"    # 某县第一初级中学: 5 of 7 indicators met, 生均体育运动场馆面积 below the floor
PRIMARY = "2134260001"   # 某县第一实验小学: 48 小学 classes


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """The example built, then one school's sports ground and another's class count corrected."""
    folder = tmp_path_factory.mktemp("changes")
    workspace, out = folder / EXAMPLE.name, folder / "out"
    shutil.copytree(EXAMPLE, workspace)
    build(workspace, ["all"], out)
    rows = (set_cell(workspace, "学校", "学校标识码", JUNIOR, "体育运动场馆面积", 30000),
            set_cell(workspace, "学校", "学校标识码", PRIMARY, "小学班级数", 53))
    result = build(workspace, ["all"], out)
    return result, out, rows, workspace


@pytest.fixture(scope="module")
def note(rebuilt) -> list[str]:
    """The 变更说明 reopened: its paragraphs, then its table rows (cells joined by tabs)."""
    doc = Document(rebuilt[1] / CHANGE_NOTE)
    return [p.text for p in doc.paragraphs] + ["\t".join(c.text for c in r.cells) for t in doc.tables for r in t.rows]


def test_input_lines_name_the_school_beside_its_row(rebuilt, note):
    _, _, (junior_row, primary_row), _ = rebuilt
    assert f"工作表「学校」第{junior_row}行（某县第一初级中学，{JUNIOR}）列「体育运动场馆面积」：11352.8 → 30000" in note
    assert f"工作表「学校」第{primary_row}行（某县第一实验小学，{PRIMARY}）列「小学班级数」：48 → 53" in note


def test_a_schools_count_of_indicators_met_and_its_verdict(rebuilt, note):
    assert "三、判定结论的变化" in note
    assert (f"某县第一初级中学：资源配置达标项数 5 → 6，由未达标变为达标（数字编号 quality.junior.school.{JUNIOR}.met）"
            in note)
    assert ("初中生均体育运动场馆面积差异系数：由未达标变为达标（0.504 → 0.393，"
            "数字编号 quality.junior.sports_area_per_student.cv）") in note


def test_a_school_entering_a_list(note):
    """53 classes need one more music and art room each: the school joins the item's list."""
    assert any(p.startswith("某县第一实验小学列入政府保障程度第3项「所有小学、初中每12个班级配备音乐、美术专用教…」所列学校名单")
               for p in note), [p for p in note if "列入" in p]


def test_the_person_written_sentence_holding_the_moved_figure(note):
    line = next(p for p in note if p.startswith("文字材料第4行"))
    assert line.startswith("文字材料第4行「…共785个教学班」写有教学班数，该数已由776变为781"), line
    assert "请核对" in line


def test_the_users_text_is_left_as_written(rebuilt):
    _, _, _, workspace = rebuilt
    from reportgen.loading import load_workspace

    texts = load_workspace(workspace).tables["文字材料"]["内容"].tolist()
    assert any("共785个教学班" in t for t in texts)


def test_every_id_in_the_note_is_explained_and_named(rebuilt, note):
    result, _, _, workspace = rebuilt
    from reportgen.analysis import analyze
    from reportgen.loading import load_workspace

    ws = load_workspace(workspace)
    analysis = analyze(ws)
    changes = result.changes
    ids = {c["id"] for c in changes["figures"]} | {c["id"] for c in changes["verdicts"] if c["id"]} | \
        {c["figure"] for c in changes["texts"] if c["figure"]}
    assert len(ids) > 15
    text = "\n".join(note)
    for fid in sorted(ids):
        assert fid in text, fid
        head = explain(ws, analysis, fid).splitlines()[0]
        assert head.startswith(f"【{fid}】") and head != f"【{fid}】", head
    printed = set(re.findall(r"数字编号 ([^）\s]+(?:（[^）]*）[^）\s]*)?)）", text))
    assert printed and printed <= ids
    for figure in changes["figures"]:  # the figure table names each figure in Chinese, then its id
        assert not re.search(r"[A-Za-z_]", figure["label"]), figure
        assert any(row.startswith(f"{figure['label']}（{figure['id']}）\t") for row in note), figure


def test_the_verdict_record_sits_beside_the_figure_record(rebuilt):
    _, out, _, _ = rebuilt
    assert (out / FIGURE_RECORD).is_file()
    record = json.loads((out / VERDICT_RECORD).read_text(encoding="utf-8"))
    school = record["verdicts"][f"quality.junior.school.{JUNIOR}.met"]
    assert (school["value"], school["verdict"]) == ("6", "达标")


def test_rebuild_without_changes_lists_no_verdicts(rebuilt):
    _, out, _, workspace = rebuilt
    again = build(workspace, ["all"], out)
    assert again.changes == {"inputs": [], "figures": [], "verdicts": [], "texts": []}


# ---------------------------------------------------------------- the pure parts on their own

def test_verdict_changes_list_a_count_change_that_keeps_the_verdict(example_analysis):
    """达标项数 4 → 5 is a change even when the school still fails."""
    old = verdict_record(example_analysis)
    changed = copy.deepcopy(example_analysis)
    school = next(s for s in changed["quality_balance"]["junior"]["schools"] if s["id"] == JUNIOR)
    school["met"] = 6
    changes = verdict_changes(old, verdict_record(changed))
    assert [verdict_line(c) for c in changes] == [
        f"某县第一初级中学：资源配置达标项数 5 → 6，仍为未达标（数字编号 quality.junior.school.{JUNIOR}.met）"]


def test_verdict_changes_items_and_lists(example_analysis):
    old = verdict_record(example_analysis)
    changed = copy.deepcopy(example_analysis)
    rooms = next(i for i in changed["guarantee"] if i["id"] == "music_art_rooms")
    rooms["status"], rooms["details"] = "达标", []
    changed["school_size"]["over_limit"] = changed["school_size"]["over_limit"][:1]
    lines = [verdict_line(c) for c in verdict_changes(old, verdict_record(changed))]
    assert lines[0] == ("政府保障程度第3项「所有小学、初中每12个班级配备音乐、美术专用教…」：由未达标变为达标"
                        "（数字编号 guarantee.music_art_rooms）")
    assert "某县人民路小学不再列入政府保障程度第3项「所有小学、初中每12个班级配备音乐、美术专用教…」所列学校名单" \
           "（数字编号 guarantee.music_art_rooms）" in lines
    assert "某县第一初级中学不再列入超规模学校名单（数字编号 school_size.over_limit）" in lines
    assert verdict_changes(None, old) == [] and verdict_changes(old, old) == []


def test_a_record_survives_its_json_round_trip(example_analysis):
    record = verdict_record(example_analysis)
    assert verdict_changes(json.loads(json.dumps(record, sort_keys=True)), record) == []


def test_moved_statements_name_the_sentence_and_both_values(example_ws, example_analysis):
    record = verdict_record(example_analysis)
    statements = list(stated_quantities(example_ws, example_analysis))
    assert moved_statements(record, statements) == []
    old = copy.deepcopy(record)
    old["quantities"]["教学班数·全县·义务教育"] = [770]
    moved = moved_statements(old, statements)
    assert [(m["sheet"], m["row"], m["quantity"], m["old"], m["new"]) for m in moved] == [
        ("文字材料", 4, "教学班数", "770", "776")]
    assert "共785个教学班" in moved[0]["sentence"]


def test_rows_are_named_as_a_reader_knows_them(example_ws):
    cells = input_cells(example_ws)
    named = {sheet: next(iter(rows.values()))["_name"] for sheet, rows in cells.items()}
    assert named["学校"] == "某县第一实验小学，2134260001"
    assert named["班级"] == "某县第一实验小学，一年级1班"
    assert named["经费"] == "2021年·合计"
    assert named["整改台账"] == "序号1"
    assert named["测评点"] == "测评点1"
    assert named["文字材料"] == "组织领导第1段"
    assert named["幼儿园"] == "某县第一幼儿园，2134900001"
    assert named["县级指标"] and named["情况说明"]


def test_an_old_state_without_names_still_reads(example_ws):
    """A state written by an earlier version has no row names: the row's key stands in."""
    from reportgen.publish.inputs import input_changes

    new = input_cells(example_ws)
    old = copy.deepcopy(new)
    for rows in old.values():
        for row in rows.values():
            row.pop("_name", None)
    key = next(iter(old["经费"]))
    old["经费"][key]["在校生数"] = 1
    change, = input_changes(old, new)
    assert change["name"] == "2021年·合计" and change["column"] == "在校生数"


def test_figures_an_earlier_version_recorded_without_names_get_their_names(tmp_path):
    """A state.json from before figures were named: a figure that is no longer printed is still
    listed by its Chinese name, not its id."""
    from reportgen.publish.history import state_path

    workspace, out = tmp_path / EXAMPLE.name, tmp_path / "out"
    shutil.copytree(EXAMPLE, workspace)
    build(workspace, ["all"], out)
    state = json.loads(state_path(out).read_text(encoding="utf-8"))
    for figure in state["figures"]:
        figure.pop("label", None)
    state_path(out).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    set_cell(workspace, "学校", "学校标识码", JUNIOR, "体育运动场馆面积", 30000)
    gone = next(c for c in build(workspace, ["all"], out).changes["figures"] if c["id"] == "quality.junior.cv_over")
    assert gone["new"] is None and gone["label"] == "初中差异系数超标的指标数"

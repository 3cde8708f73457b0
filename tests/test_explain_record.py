"""Every figure a built report prints can be explained (issue 14 item 6), and is listed with its name."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from reportgen.analysis import explain, explainable
from reportgen.cli.app import app
from reportgen.publish.build import FIGURE_RECORD, VERDICT_RECORD, build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    build(EXAMPLE, ["all"], out)
    return out


@pytest.fixture(scope="module")
def record_ids(built) -> list[str]:
    figures = json.loads((built / FIGURE_RECORD).read_text(encoding="utf-8"))["figures"]
    return sorted({f["id"] for f in figures})


def test_every_verdict_the_change_note_may_name_is_explained(built, example_ws, example_analysis):
    """The 变更说明 prints the ids of the verdict record (判定记录.json) beside its verdicts."""
    record = json.loads((built / VERDICT_RECORD).read_text(encoding="utf-8"))
    ids = {e["id"] for part in ("verdicts", "lists") for e in record[part].values() if e["id"]}
    assert len(ids) > 150
    for fid in sorted(ids):
        head = explain(example_ws, example_analysis, fid).splitlines()[0]
        assert head.startswith(f"【{fid}】") and head != f"【{fid}】", head


def test_every_recorded_figure_is_explained(record_ids, example_ws, example_analysis):
    assert len(record_ids) > 600
    for fid in record_ids:
        text = explain(example_ws, example_analysis, fid)
        head, *body = text.splitlines()
        assert head.startswith(f"【{fid}】") and head != f"【{fid}】", head  # the id and its Chinese name
        assert body, fid


def test_the_list_names_every_recorded_figure_in_chinese(record_ids, example_analysis):
    listed = dict(explainable(example_analysis))
    assert set(record_ids) <= set(listed)
    assert [i for i, name in listed.items() if name == i] == []


@pytest.mark.parametrize("fid, words", [
    ("profile.classes", ["776", "小学491、初中285", "特殊教育学校的9个班级", "工作表「学校」"]),
    ("class_size.primary.classes", ["491", "不计入：特殊教育学校的9个班级"]),
    ("duty.point.24.score", ["测评点24", "工作表「测评点」"]),
    ("guarantee.未达标", ["政府保障程度未达标项数", "数值：3", "第3、4、5项"]),
    ("quality.junior.cv_over", ["数值：1", "生均体育运动场馆面积"]),
    ("rectification.item.2.days_late", ["问题2逾期天数", "数值：50", "2025-08-31"]),
])
def test_explain_states_the_rule_and_the_entries(fid, words, example_ws, example_analysis):
    text = explain(example_ws, example_analysis, fid)
    for w in words:
        assert w in text, (w, text)


def test_cli_lists_and_explains():
    runner = CliRunner()
    listed = runner.invoke(app, ["analyze", str(EXAMPLE), "--explain", "--list"])
    assert listed.exit_code == 0, listed.output
    lines = dict(line.split("\t") for line in listed.output.strip().splitlines())
    assert lines["profile.pupils"] == "全县在校生数" and lines["duty.point.24.score"] == "测评点24得分"
    shown = runner.invoke(app, ["analyze", str(EXAMPLE), "--explain", "profile.pupils"])
    assert shown.exit_code == 0 and "32866" in shown.output


def test_json_keeps_the_contract_and_adds_the_new_blocks():
    out = CliRunner().invoke(app, ["analyze", str(EXAMPLE), "--format", "json"])
    data = json.loads(out.output)
    for key in ("region", "year", "quality_balance", "basic_balance", "class_size", "school_size", "funding",
                "rectification", "profile", "counts"):
        assert key in data
    assert data["rectification"]["categories"][0].keys() >= {"category", "total", "done"}
    assert data["class_size"]["primary"].keys() >= {"classes", "over_standard", "large_56_65", "huge_66_plus",
                                                   "graduating_over_standard"}
    assert data["profile"]["classes"]["total"] == 776

"""analyze / summary_text / explain end to end: the JSON contract, speed, traces, purity."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from fixtures.analysis_frames import frame
from reportgen.analysis import analyze, explain, summary_text
from reportgen.analysis.trace import figure_ids
from reportgen.authoring.demo import synthetic_county, write_demo
from reportgen.core.errors import ReportgenError
from reportgen.loading import load_workspace
from reportgen.core.schema import GRADES
from reportgen.core.workspace import Workspace


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("analysis") / "示例县2025"
    write_demo(folder, 40, seed=7)
    ws = load_workspace(folder)
    return ws, analyze(ws)


def test_contract_keys_and_json(county):
    ws, result = county
    text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == result
    for key in ("region", "year", "quality_balance", "basic_balance", "class_size", "school_size", "funding",
                "rectification", "guarantee", "education_quality", "social_recognition", "vetoes",
                "duty_scoring", "systems"):
        assert key in result
    primary = result["quality_balance"]["primary"]
    entry = primary["indicators"]["high_degree_teachers_per100"]
    assert set(entry) >= {"mean", "sd", "cv", "cv_max", "cv_ok", "standard", "schools_meeting"}
    assert set(primary["schools"][0]) >= {"id", "name", "section", "pupils", "values", "met", "ok", "failed"}
    assert set(result["basic_balance"]["junior"]) >= {"indicators", "composite_cv", "composite_max", "ok"}
    assert set(result["class_size"]["primary"]) >= {"classes", "over_standard", "large_56_65", "huge_66_plus",
                                                   "graduating_over_standard"}
    assert set(result["funding"]) >= {"years", "by_level", "two_no_decrease"}
    assert set(result["funding"]["by_level"]["合计"][0]) >= {"year", "spending", "per_pupil", "spending_growth",
                                                              "per_pupil_growth"}
    assert set(result["rectification"]) >= {"total", "done", "completion_rate", "overdue"}
    assert len(result["guarantee"]) == 15 and len(result["education_quality"]) == 9
    assert {i["status"] for i in result["guarantee"]} <= {"达标", "未达标", "待说明"}
    assert result["systems"]["quality"]["selected"] == "优质均衡2017"
    assert result["region"] == ws.region and result["year"] == ws.year
    assert result["duty_scoring"]["grade"] in {"优秀", "良好", "合格", "不合格"}


def test_demo_duty_points_are_scored(county):
    _, result = county
    duty = result["duty_scoring"]
    assert duty["complete"] and duty["computed_points"]
    assert all(p["reason"] for p in duty["points"] if p["computed"])
    assert duty["final"] == pytest.approx(duty["total"] + duty["bonus"])


def test_summary_text(county):
    _, result = county
    text = summary_text(result)
    for words in ("优质均衡", "基本均衡", "政府保障程度", "班额", "两个只增不减", "自评得分", "整改"):
        assert words in text
    assert result["region"] in text


def test_explain_every_kind_of_figure(county):
    ws, result = county
    ids = figure_ids(result)
    prefixes = {}
    for fid in ids:
        prefixes.setdefault(".".join(fid.split(".")[:2]), fid)
    school_ids = [i for i in ids if ".schools." in i][:3]
    for fid in list(prefixes.values()) + school_ids:
        text = explain(ws, result, fid)
        assert text.startswith(f"【{fid}】") and len(text.splitlines()) >= 2


def test_explain_coefficient_shows_inputs_rows_and_result(county):
    ws, result = county
    text = explain(ws, result, "quality.junior.sports_area_per_student.cv")
    cv = result["quality_balance"]["junior"]["indicators"]["sports_area_per_student"]["cv"]
    assert f"{cv:.6f}".rstrip("0") in text
    assert "第" in text and "行" in text and "体育运动场馆面积" in text and "初中在校生数" in text
    assert "S = √" in text and "分摊比例" in text  # the county has combined schools


def test_explain_funding_growth(county):
    ws, result = county
    year = result["funding"]["years"][-1]
    text = explain(ws, result, f"funding.合计.{year}.per_pupil_growth")
    assert "工作表「经费」" in text and "÷" in text


def test_unknown_figure_lists_close_ids(county):
    ws, result = county
    with pytest.raises(ReportgenError) as caught:
        explain(ws, result, "quality.junior.sports_area_per_studnt.cv")
    assert "quality.junior.sports_area_per_student.cv" in str(caught.value)


def in_memory(n_schools: int) -> Workspace:
    sheets = synthetic_county(n_schools, seed=3)
    classes = pd.DataFrame(sheets["班级"])
    classes["年级"] = classes["年级"].map({g: i for i, g in enumerate(GRADES, 1)}).astype(float)
    info = {r["项目"]: r["内容"] for r in sheets["基本信息"] if r["内容"] is not None}
    info["评价年度"] = int(info["评价年度"])
    tables = {"学校": frame(sheets["学校"]), "班级": frame(classes.to_dict("records")), "经费": frame(sheets["经费"]),
              "县级指标": frame(sheets["县级指标"]), "测评点": frame(sheets["测评点"])}
    return Workspace.from_tables(info=info, tables=tables)


def test_large_county_is_analysed():  # its speed is measured in bench/run.py, not here
    ws = in_memory(3000)
    assert len(ws.schools) == 3000 and len(ws.classes) > 50000
    result = analyze(ws)
    assert result["quality_balance"]["primary"]["schools_in_scope"] > 1000


def test_analysis_imports_no_document_or_chart_library(tmp_path):
    code = ("import sys; from reportgen.analysis import analyze, summary_text, explain; "
            "import reportgen.analysis.trace, reportgen.analysis.summary; "
            "bad = [m for m in ('docx', 'docxtpl', 'matplotlib') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_nearly_empty_workspace_gives_reasons_not_zeros():
    from fixtures.analysis_frames import school, workspace

    for ws in (workspace([]), workspace([school("0000000001")])):
        result = analyze(ws)
        json.dumps(result, allow_nan=False)
        assert result["class_size"]["primary"]["over_standard"] is None
        assert result["funding"]["two_no_decrease"]["spending_ok"] is None
        assert result["funding"]["two_no_decrease"]["reason"]
        assert result["duty_scoring"]["complete"] is False
        assert summary_text(result)
        for fid in figure_ids(result):
            explain(ws, result, fid)

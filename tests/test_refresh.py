"""Edit a report, save it with LibreOffice, change the data: build and refresh keep the edits and
put the new figures in (issue 18)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from tests.conftest import CHECKER
from tests.refresh_helpers import (complete_one_item_and_change_area, edit_like_a_person, paragraph_texts,
                                   save_with_libreoffice)

EXAMPLE = Path(__file__).parents[1] / "data_examples" / "某县2025"
RECT = "某县2025年整改报告.docx"
DUTY = "某县2025年度履行教育职责自评报告.docx"
runner = CliRunner()


def _build(ws: Path, *extra: str):
    result = runner.invoke(app, ["build", str(ws), "-j1", "-q", *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """The example built, both reports edited and saved once with LibreOffice, the data changed;
    a pristine copy of the workspace kept for the refresh --out run."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    ws = tmp_path_factory.mktemp("refresh") / "某县2025"
    shutil.copytree(EXAMPLE, ws)
    _build(ws)
    edits = {}
    for name in (RECT, DUTY):
        report = ws / "输出" / name
        edits[name] = edit_like_a_person(report)
        save_with_libreoffice(report)
    saved = tmp_path_factory.mktemp("saved")
    for name in (RECT, DUTY):
        shutil.copyfile(ws / "输出" / name, saved / name)
    complete_one_item_and_change_area(ws)
    return ws, edits, saved


def _assert_edits_kept(path: Path, edits: dict) -> list[str]:
    texts = paragraph_texts(path)
    assert edits["added"] in texts
    assert edits["rewritten"] in texts
    assert edits["deleted"] not in texts
    assert texts.index(edits["moved"]) == texts.index(edits["moved_before"]) - 1 or \
        texts.index(edits["moved"]) < texts.index(edits["moved_before"])
    return texts


@pytest.mark.slow
def test_build_refreshes_edited_reports_and_keeps_the_edits(edited):
    ws, edits, _ = edited
    output = _build(ws)
    assert "在上次生成后被修改过：已保留修改" in output
    assert "整改完成率（rectification.completion_rate）：55.00% → 60.00%" in output
    assert "小学生均体育运动场馆面积差异系数（quality.primary.sports_area_per_student.cv）：0.272 → 0.338" in output
    rect = "\n".join(_assert_edits_kept(ws / "输出" / RECT, edits[RECT]))
    duty = "\n".join(_assert_edits_kept(ws / "输出" / DUTY, edits[DUTY]))
    assert "整改完成率60.00%" in rect and "整改完成率55.00%" not in rect
    assert "60.00%" in duty and "55.00%" not in duty
    assert "0.338" in rect and "0.338" in duty and "0.272" not in rect
    if CHECKER.is_file():
        for name in (RECT, DUTY):
            check = subprocess.run([sys.executable, str(CHECKER), str(ws / "输出" / name)], capture_output=True, text=True)
            assert check.returncode == 0 and "0 hard failures" in check.stdout, check.stdout
    kept = list((ws / "输出" / "历史版本").rglob(RECT))
    assert kept, "the edited file is kept in 历史版本"


@pytest.mark.slow
def test_refresh_out_writes_a_new_file_and_a_list(edited, tmp_path):
    ws, edits, saved = edited
    out = tmp_path / "新.docx"
    result = runner.invoke(app, ["refresh", str(saved / RECT), str(ws), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "整改完成率（rectification.completion_rate）：55.00% → 60.00%（前言·正文）" in result.output
    assert (saved / RECT).read_bytes() != out.read_bytes()
    _assert_edits_kept(out, edits[RECT])
    listing = (tmp_path / "新-更新清单.txt").read_text(encoding="utf-8")
    assert "55.00% → 60.00%" in listing


def test_a_document_not_made_by_reportgen_is_refused(tmp_path):
    from docx import Document

    other = tmp_path / "其他.docx"
    doc = Document()
    doc.add_paragraph("一份普通的文档，完成率55%。")
    doc.save(other)
    result = runner.invoke(app, ["refresh", str(other), str(EXAMPLE)])
    assert result.exit_code == 1
    assert "不是由 reportgen 生成的报告" in result.output


@pytest.fixture(scope="module")
def touched(tmp_path_factory):
    """The 整改报告 edited with python-docx: the completion rate retyped by hand, the count of
    responsible units deleted, the paragraph holding the completed count copied to the end, one
    cell of the ledger table changed by hand; then the data changed."""
    import copy

    from docx import Document

    from reportgen.render.bound import bound_figures, figure_anchor
    from tests.refresh_helpers import unbind

    ws = tmp_path_factory.mktemp("touched") / "某县2025"
    shutil.copytree(EXAMPLE, ws)
    _build(ws)
    report = ws / "输出" / RECT
    doc = Document(report)
    body = doc.element.body
    by_anchor = {f.anchor: f for f in reversed(bound_figures(body))}
    rate = by_anchor[figure_anchor("rectification.completion_rate")]
    unbind(rate)
    rate.set_text("55.5%")                                     # retyped: binding gone
    units = by_anchor[figure_anchor("rectification.units")]
    for run in units.runs:
        run.getparent().remove(run)                            # deleted with its text
    done = by_anchor[figure_anchor("rectification.done")]
    body.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr").addprevious(
        copy.deepcopy(done.paragraph))                          # a paragraph copied elsewhere
    doc.tables[0].rows[1].cells[1].paragraphs[0].add_run("（人工补注）")
    doc.save(report)
    complete_one_item_and_change_area(ws)
    out = ws.parent / "新.docx"
    result = runner.invoke(app, ["refresh", str(report), str(ws), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_a_retyped_or_deleted_figure_is_reported_and_left_alone(touched):
    out, output = touched
    missing = output.split("文档中已找不到的数字")[1].split("数据中已没有的数字")[0]
    assert "整改完成率（rectification.completion_rate）：现为60.00%" in missing
    assert "整改责任单位数（rectification.units）" in missing
    text = "\n".join(paragraph_texts(out))
    assert "整改完成率55.5%" in text           # the person's own figure is kept


def test_a_copied_paragraph_gets_the_new_figure_too(touched):
    out, output = touched
    texts = paragraph_texts(out)
    copies = [t for t in texts if "已完成整改12项" in t]
    assert len(copies) == 2 and not any("已完成整改11项" in t for t in texts)


def test_an_edited_table_is_kept_and_listed(touched):
    from docx import Document

    out, output = touched
    kept = output.split("已被修改、保持原样的表格和图表")[1]
    assert "表格（" in kept.splitlines()[1]
    assert "（人工补注）" in Document(out).tables[0].rows[1].cells[1].text


def test_every_recorded_figure_is_bound_in_the_rendered_report(example_ws, example_analysis):
    import io
    import zipfile

    from lxml import etree

    from reportgen.publish.build import template_path
    from reportgen.render.bound import bound_figures, figure_anchor, marked_tables
    from reportgen.render.docx import render_bytes
    from reportgen.reports import build_report

    model = build_report("整改报告", example_ws, example_analysis)
    data = render_bytes(model, template_path(model.template))
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    bound = bound_figures(root)
    assert {f.anchor for f in bound} == {figure_anchor(f["id"]) for f in model.figures}
    assert len(bound) == len(model.figures)
    assert len({f.start.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name") for f in bound}) == len(bound)
    assert len(list(marked_tables(root))) == sum(1 for b in model.blocks() if type(b).__name__ == "Table")

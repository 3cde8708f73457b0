"""Edit a report, save it with LibreOffice, change the data: build and refresh keep the edits and
put the new figures in (issue 18)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
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
    assert "整改完成率60.0" in rect.replace("%", "") or "60.0" in re.sub(r"\s", "", rect)
    assert "0.338" in rect and "0.338" in duty
    assert "60.0" in duty
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
    listing = (tmp_path / f"新-更新清单.txt").read_text(encoding="utf-8")
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

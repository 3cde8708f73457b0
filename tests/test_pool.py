"""Rendering on several processes gives the same files as rendering in one, and the same errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLE_DOCX
from docx import Document

from reportgen.publish.build import FIGURE_RECORD, build
from reportgen.authoring.demo import write_demo
from reportgen.core.errors import TemplateError


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pool") / "示例县2025"
    write_demo(folder, 12, seed=5)
    return folder


def files(folder: Path) -> dict[str, bytes]:
    names = [p for p in sorted(folder.iterdir()) if p.is_file()]
    return {p.name: p.read_bytes() for p in names}


def test_parallel_build_gives_the_same_bytes(county, tmp_path):
    build(county, ["all"], tmp_path / "one", jobs=1)
    build(county, ["all"], tmp_path / "two", jobs=2)
    one, two = files(tmp_path / "one"), files(tmp_path / "two")
    assert len([n for n in one if n.endswith(".docx")]) == EXAMPLE_DOCX
    assert one == two and FIGURE_RECORD in one
    again = build(county, ["all"], tmp_path / "two", jobs=2)  # the change note is rendered by a worker too
    assert [p.name for p in again.written] == ["变更说明.docx"]


def test_template_error_in_a_worker_reaches_the_user(county, tmp_path):
    template = tmp_path / "坏模板.docx"
    document = Document()
    document.add_paragraph("{{ 没有这个变量 }}")
    document.save(template)
    with pytest.raises(TemplateError, match="没有这个变量"):
        build(county, ["整改报告"], tmp_path / "out", template=template, jobs=2)
    assert not list((tmp_path / "out").glob("*.docx"))


def test_unchanged_reports_are_not_rendered_again(county, tmp_path, monkeypatch):
    import shutil

    import openpyxl

    import reportgen.render.docx as docx

    workspace = tmp_path / county.name
    shutil.copytree(county, workspace)
    out = tmp_path / "out"
    build(workspace, ["all"], out)
    build(workspace, ["all"], out)  # the first 变更说明
    before = files(out)
    rendered = []
    real = docx.render_report
    monkeypatch.setattr(docx, "render_report", lambda model, *a, **k: rendered.append(model.name) or real(model, *a, **k))
    result = build(workspace, ["all"], out)
    assert rendered == [] and len(result.unchanged) == EXAMPLE_DOCX + 1  # and the 变更说明
    assert {k: v for k, v in files(out).items() if k.endswith(".docx")} == {
        k: v for k, v in before.items() if k.endswith(".docx")}

    book_path = next(workspace.glob("*.xlsx"))
    book = openpyxl.load_workbook(book_path)
    sheet = book["整改台账"]
    column = [c.value for c in sheet[1]].index("整改措施") + 1
    sheet.cell(2, column).value = "改写后的整改措施"
    book.save(book_path)
    build(workspace, ["all"], out)
    assert "整改报告" in rendered and "优质均衡" not in rendered

    rendered.clear()
    build(workspace, ["all"], out, clear_cache=True)  # --clear-cache renders everything again
    assert {"履职自评", "优质均衡", "整改报告"} <= set(rendered)


def test_spawned_workers_give_the_same_bytes(county, tmp_path, monkeypatch):
    """Where there is no forkserver (Windows), workers are spawned and import for themselves."""
    import multiprocessing

    import reportgen.publish.pool as pool

    monkeypatch.setattr(pool, "_context", lambda pictures: multiprocessing.get_context("spawn"))
    build(county, ["all"], tmp_path / "one", jobs=1)
    build(county, ["all"], tmp_path / "spawned", jobs=2)
    assert files(tmp_path / "one") == files(tmp_path / "spawned")


def test_a_broken_pool_renders_in_this_process(county, tmp_path):
    from concurrent.futures.process import BrokenProcessPool

    from reportgen.analysis import analyze
    from reportgen.publish.build import template_path
    from reportgen.loading import load_workspace
    from reportgen.publish.pool import RenderPool
    from reportgen.reports import build_report

    class Broken:
        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("a worker died")

    ws = load_workspace(county)
    model = build_report("整改报告", ws, analyze(ws))
    target = tmp_path / model.filename
    RenderPool(Broken()).start_reports([(model, template_path(model.template), target, None, tmp_path / "cache", "picture")]).wait()
    assert Document(target).paragraphs


def test_the_pool_loads_matplotlib_only_for_picture_charts_given_the_folder_or_its_workbook(tmp_path):
    from reportgen.publish.build import _wants_pictures

    (tmp_path / "县.xlsx").write_bytes(b"")
    assert not _wants_pictures(tmp_path) and not _wants_pictures(tmp_path / "县.xlsx")
    (tmp_path / "reportgen.yaml").write_text("图表: 图片\n", encoding="utf-8")
    assert _wants_pictures(tmp_path) and _wants_pictures(tmp_path / "县.xlsx")

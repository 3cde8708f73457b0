"""The two recipes of docs/architecture.md, followed as a newcomer would: add an indicator to a
copied system file (no code change), and add a report type (a builder, a template, one registration)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from docx import Document

from conftest import EXAMPLE
from reportgen.analysis import analyze
from reportgen.loading import load_workspace
from reportgen.publish.build import build
from reportgen.reports import REGISTRY, ReportSpec, register, report_ids, unregister
from reportgen.systems.indicators import load_system

SYSTEM = Path(__file__).resolve().parents[1] / "reportgen" / "systems" / "优质均衡2017.yaml"
BOOKS = """    - 编号: books_per_student
      名称: 生均图书册数
      简称: 生均图书
      单位: 册
      分子: 图书册数
      倍数: 1
      标准: {小学: 25, 初中: 35}
"""


def workspace_with_system(tmp_path: Path, system_text: str) -> Path:
    ws = tmp_path / "某县2025"
    shutil.copytree(EXAMPLE, ws, ignore=shutil.ignore_patterns("输出", ".reportgen"))
    (ws / "本县优质均衡.yaml").write_text(system_text, encoding="utf-8")
    settings = (ws / "reportgen.yaml").read_text(encoding="utf-8")
    chosen = re.compile(r"^  优质均衡: .*$", re.M)  # the example chooses its own file (某省优质均衡.yaml)
    assert chosen.search(settings)
    (ws / "reportgen.yaml").write_text(chosen.sub("  优质均衡: 本县优质均衡.yaml", settings), encoding="utf-8")
    return ws


def with_books() -> str:
    text = SYSTEM.read_text(encoding="utf-8")
    anchor = "    - 编号: multimedia_rooms_per100"
    assert anchor in text
    return text.replace(anchor, BOOKS + anchor)


def without_multimedia() -> str:
    lines = SYSTEM.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if "编号: multimedia_rooms_per100" in line)
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("      "))
    return "".join(lines[:start] + lines[end:])


def quality_report(out: Path) -> Document:
    return Document(next(out.glob("*优质均衡发展自评报告.docx")))


def table_texts(doc: Document) -> list[str]:
    return ["\n".join(cell.text for row in table.rows for cell in row.cells) for table in doc.tables]


def test_an_eighth_indicator_in_a_copied_system_reaches_every_table(tmp_path):
    ws_path = workspace_with_system(tmp_path, with_books())
    system = load_system("quality", "本县优质均衡.yaml", ws_path)
    assert [i.id for i in system.balance.indicators][-2:] == ["books_per_student", "multimedia_rooms_per100"]
    out = tmp_path / "输出"
    build(ws_path, ["优质均衡"], out)
    doc = quality_report(out)
    tables = table_texts(doc)
    cv_tables = [t for t in tables if "差异系数\n标准" in t]
    annexes = [t for t in tables if "学校名称" in t]
    assert len(cv_tables) == 2 and len(annexes) == 2
    assert all("生均图书册数（册）" in t for t in cv_tables)
    assert all("生均图书\n(册)" in t for t in annexes)
    header = doc.tables[-1].rows[0].cells
    assert len(header) == 3 + 8 + 2                      # 序号 学校 在校生 · 8 indicators · 达标项数 结论
    analysis = analyze(load_workspace(ws_path))
    entry = analysis["quality_balance"]["junior"]["indicators"]["books_per_student"]
    assert entry["label"] == "生均图书册数" and entry["standard"] == 35
    assert json.dumps(analysis, ensure_ascii=False, default=str).count("生均图书册数") >= 2
    record = json.loads((out / "数字记录.json").read_text(encoding="utf-8"))["figures"]
    annex_uses = [f for f in record if f["id"].endswith(".books_per_student") and f["where"] == "table:primary_schools"]
    assert len(annex_uses) == analysis["quality_balance"]["primary"]["schools_in_scope"] - sum(
        1 for s in analysis["quality_balance"]["primary"]["schools"] if s["values"].get("books_per_student") is None)


def test_a_removed_indicator_is_mentioned_nowhere(tmp_path):
    ws_path = workspace_with_system(tmp_path, without_multimedia())
    out = tmp_path / "输出"
    build(ws_path, ["优质均衡"], out)
    doc = quality_report(out)
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(table_texts(doc))
    assert "多媒体" not in text
    assert len(doc.tables[-1].rows[0].cells) == 3 + 6 + 2
    record = (out / "数字记录.json").read_text(encoding="utf-8")
    assert "multimedia_rooms_per100" not in record


# ---------------------------------------------------------------- add a report type

TINY_BUILDER = '''
from reportgen.reports import numbers as fmt
from reportgen.reports.figures import FigureBook
from reportgen.reports.model import Column, Paragraph, ReportModel, Section, Table


def build_model(ws, analysis):
    book = FigureBook("学校名录")
    total = book.put("profile.schools", len(ws.schools), fmt.count)
    rows = tuple((str(n), name) for n, name in enumerate(ws.schools["学校名称"], 1))
    table = Table("schools", (Column("序号", 20), Column("学校名称", 136, left=True)), rows, caption="表1 学校名录")
    section = Section("一、学校名录", (Paragraph(f"全县共有学校{total}所。"), table), key="schools")
    return ReportModel("学校名录", f"{ws.region}学校名录", f"{ws.region}学校名录.docx", "变更说明.docx",
                       sections=(section,), meta={"unit": "某县教育局", "date": "2025年10月20日"},
                       figures=tuple(book.records()))
'''


@pytest.fixture
def tiny_report(tmp_path, monkeypatch):
    package = tmp_path / "tiny_reports"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "school_list.py").write_text(TINY_BUILDER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = register(ReportSpec("学校名录", "学校名录", "tiny_reports.school_list", "变更说明.docx",
                               aliases=("名录",), sheets=("学校",)))
    yield spec
    unregister(spec.id)


def test_a_report_type_is_a_builder_a_template_and_one_registration(tiny_report, tmp_path):
    assert report_ids(["名录"]) == ["学校名录"]
    out = tmp_path / "输出"
    build(EXAMPLE, ["学校名录"], out)
    doc = Document(out / "某县学校名录.docx")
    paragraphs = [p.text for p in doc.paragraphs]
    schools = load_workspace(EXAMPLE).schools
    assert paragraphs[0] == "某县学校名录"
    assert f"全县共有学校{len(schools)}所。" in paragraphs
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["1", schools["学校名称"].iloc[0]]
    assert len(doc.tables[0].rows) == len(schools) + 1
    record = json.loads((out / "数字记录.json").read_text(encoding="utf-8"))["figures"]
    assert [f["id"] for f in record] == ["profile.schools"]
    assert "学校名录" not in REGISTRY or tiny_report.id == "学校名录"


def test_a_report_name_cannot_be_registered_twice():
    with pytest.raises(ValueError):
        register(ReportSpec("另一个", "另一个", "x", "x.docx", aliases=("履职",)))

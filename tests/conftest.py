"""Shared test helpers: write small workbooks by hand, independent of reportgen's own writer."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data_examples" / "某县2025"
CHECKER = ROOT.parent / "shared" / "tools" / "check_gongwen.py"
# .docx files a build of the example (or a demo county) writes: the 履职, 优质均衡, 整改 and 学前 reports
# and the 核对清单 (no 评估方案 is chosen, so there is no 评估方案自评报告).
EXAMPLE_DOCX = 5

BASIC_INFO = [("地区名称", "测试县"), ("评价年度", 2025), ("报告单位", "测试县人民政府"), ("成文日期", "2025年7月1日")]
SCHOOL_HEADER = ["学校标识码", "学校名称", "办学类型", "办学性质", "小学在校生数", "初中在校生数",
                 "小学班级数", "教学及辅助用房面积(平方米)", "体育运动场馆面积(平方米)", "教学仪器设备值(万元)",
                 "网络多媒体教室数", "图书册数", "小学专任教师数", "小学高于规定学历教师数",
                 "小学县级以上骨干教师数", "小学体育艺术专任教师数"]
FUNDING_HEADER = ["年度", "学段", "一般公共预算教育支出(万元)", "在校生数"]


def school_row(sid: str, pupils: object = 500, books: object = 10000, **over) -> list:
    """A plausible 小学 row; ``pupils`` may be given as text to test parsing (facilities use 500)."""
    size = pupils if isinstance(pupils, int) and pupils > 0 else 500
    row = dict(zip(SCHOOL_HEADER, [sid, f"第{sid[-2:]}小学", "小学", "公办", pupils, None, 12,
                                   size * 5, size * 8, size * 0.25, 12, books, 30, 25, 6, 5]))
    row.update(over)
    return [row[h] for h in SCHOOL_HEADER]


def write_book(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def minimal_sheets(schools: list[list] | None = None) -> dict[str, list[list]]:
    schools = schools or [school_row(f"34010100{i:02d}") for i in range(1, 4)]
    return {
        "基本信息": [["项目", "内容"], *map(list, BASIC_INFO)],
        "学校": [SCHOOL_HEADER, *schools],
        "经费": [FUNDING_HEADER, [2024, "合计", 60000, 50000], [2025, "合计", 63000, 51000]],
    }


@pytest.fixture(params=["calamine", "openpyxl"])
def each_reader(request, monkeypatch) -> str:
    """The test runs once with each .xlsx reader (loading/readers.py, REPORTGEN_READER); use as
    ``pytestmark = pytest.mark.usefixtures("each_reader")``."""
    monkeypatch.setenv("REPORTGEN_READER", request.param)
    return request.param


@pytest.fixture
def minimal_workspace(tmp_path: Path) -> Path:
    write_book(tmp_path / "ws" / "测试县2025.xlsx", minimal_sheets())
    return tmp_path / "ws"


@pytest.fixture(scope="session")
def example_ws():
    """The bundled example county, loaded once (tests must not modify it)."""
    from reportgen.loading import load_workspace

    return load_workspace(EXAMPLE)


@pytest.fixture(scope="session")
def example_analysis(example_ws):
    from reportgen.analysis import analyze

    return analyze(example_ws)


def report_fixtures(module):
    """Module-scoped fixtures ``model``, ``rendered`` and ``doc`` for one report of the example
    county, built with ``module.build_model``; use as ``model, rendered, doc = report_fixtures(duty)``."""
    from docx import Document
    from reportgen.render.docx import default_template, render_report

    @pytest.fixture(scope="module")
    def model(example_ws, example_analysis):
        return module.build_model(example_ws, example_analysis)

    @pytest.fixture(scope="module")
    def rendered(model, tmp_path_factory):
        folder = tmp_path_factory.mktemp(module.__name__.rsplit(".", 1)[-1])
        return render_report(model, default_template(model.template), folder / model.filename)

    @pytest.fixture(scope="module")
    def doc(rendered):
        return Document(rendered)

    return model, rendered, doc


@pytest.fixture(scope="session")
def ws(example_ws):
    return example_ws


@pytest.fixture(scope="session")
def analysis(example_analysis):
    return example_analysis

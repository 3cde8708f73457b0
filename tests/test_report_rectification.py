"""The 整改报告 reopened: every problem, its measures in order, its state, evidence, format."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE
from docx import Document
from typer.testing import CliRunner

from reportgen.analysis import analyze
from reportgen.publish.build import build
from reportgen.cli.app import app
from reportgen.loading import load_workspace
from reportgen.reports import numbers
from reportgen.reports.rectification import build_model



@pytest.fixture(scope="module")
def example_ws():
    return load_workspace(EXAMPLE)


@pytest.fixture(scope="module")
def report(example_ws, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rect")
    result = build(EXAMPLE, ["整改报告"], out)
    return result.written[0]


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(path).paragraphs if p.text.strip()]


def test_every_problem_with_measures_in_order_and_state(example_ws, report):
    texts = paragraphs(report)
    ledger = example_ws.ledger.sort_values("序号")
    positions = []
    for _, row in ledger.iterrows():
        found = [i for i, t in enumerate(texts) if re.fullmatch(f"问题[一二三四五六七八九十]+：{re.escape(row['反馈问题'])}", t)]
        assert len(found) == 1, row["反馈问题"]
        at = found[0]
        positions.append(at)
        measures = [m.strip() for m in row["整改措施"].splitlines() if m.strip()]
        line = texts[at + 1]
        assert line.startswith("整改措施：一是")
        found = [line.index(m.rstrip("。；")) for m in measures]
        assert found == sorted(found), "measures out of order"
        assert f"{numbers.cn_number(len(measures))}是" in line
        progress = texts[at + 2]
        word = {"已完成": "已整改完成", "整改中": "正在整改", "未启动": "尚未启动", "长期坚持": "需长期坚持"}[row["整改状态"]]
        assert progress.startswith("整改进展：") and (word in progress or "长效机制" in progress)
        if row["整改状态"] in ("整改中", "未启动"):
            assert numbers.date_cn(row["完成时限"]) in progress
    assert len(set(positions)) == len(ledger)
    numbered = [texts[at].split("：", 1)[0] for at in sorted(positions)]
    assert numbered == [f"问题{numbers.cn_number(n)}" for n in range(1, len(ledger) + 1)]  # 问题一、二… in order


def test_headings_in_order_and_preamble_numbers(example_ws, report):
    texts = paragraphs(report)
    heads = [t for t in texts if re.match(r"^[一二三]、", t)]
    assert heads == ["一、组织领导与责任落实", "二、逐项整改情况", "三、长效机制与下一步"]
    s = analyze(example_ws)["rectification"]
    categories = len(set(example_ws.ledger["问题类别"]))
    assert any(f"共指出{categories}个方面{len(example_ws.ledger)}个问题" in t for t in texts)
    progress = next(t for t in texts if t.startswith("截至"))
    done = int((example_ws.ledger["整改状态"] == "已完成").sum())
    assert f"已完成整改{done}项" in progress
    assert f"整改完成率{numbers.percent(done / len(example_ws.ledger))}" in progress
    assert s["total"] == len(example_ws.ledger)


def test_class_size_evidence_matches_analysis(example_ws, report):
    sizes = analyze(example_ws)["class_size"]["primary"]
    texts = paragraphs(report)
    sentence = next(t for t in texts if "标准班额" in t)
    assert f"小学共有班级{sizes['classes']}个，超过45人标准班额的{sizes['over_standard']}个" in sentence
    assert f"56至65人的大班额{sizes['large_56_65']}个，66人以上的超大班额{sizes['huge_66_plus']}个" in sentence
    assert f"其中毕业年级{sizes['graduating_over_standard']}个" in sentence


def test_ledger_attachment_has_one_row_per_item_and_two_charts(example_ws, report):
    doc = Document(report)
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["序号", "问题\n类别", "反馈问题", "整改措施", "责任单位\n责任人",
                                                     "完成时限", "整改状态", "整改进展", "佐证材料"]
    first = example_ws.ledger.sort_values("序号").iloc[0]
    cells = [c.text for c in table.rows[1].cells]
    assert cells[3].startswith("一是") and first["责任人"] in cells[4] and cells[7] == first["整改进展"]
    numbers_in_table = [r.cells[0].text for r in table.rows[1:]]
    assert numbers_in_table == [str(int(n)) for n in sorted(example_ws.ledger["序号"])]
    assert len(doc.inline_shapes) == 2


def test_missing_organisation_text_is_marked_not_invented(example_ws):
    ws = load_workspace(EXAMPLE)
    texts = ws.tables["文字材料"]
    assert not texts["章节"].isin(["整改组织领导", "整改工作组织"]).any()
    model = build_model(ws, analyze(ws))
    part = model.section("organisation").paragraphs()
    assert part[0] == "【待补充：整改组织领导（领导小组、整改工作方案、整改台账、清单管理、对账销号）】"
    assert part[1] == f"整改台账逐项列出反馈问题{len(ws.ledger)}个，涉及责任单位9个。"
    履职_text = texts[texts["章节"] == "组织领导"]["内容"].tolist()
    assert 履职_text and not set(履职_text) & set(part)  # the 履职 report's 组织领导 is not reused


def test_newly_completed_since_the_previous_report(tmp_path):
    import openpyxl

    ws_dir = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws_dir)
    out = tmp_path / "out"
    first = build(ws_dir, ["整改报告"], out)
    assert not any("较上次报告" in t for t in paragraphs(first.written[0]))
    path = next(ws_dir.glob("*.xlsx"))
    book = openpyxl.load_workbook(path)
    sheet = book["整改台账"]
    header = [c.value for c in sheet[1]]
    state_col, closed_col = header.index("整改状态") + 1, header.index("销号日期") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, state_col).value == "整改中")
    sheet.cell(row, state_col).value = "已完成"
    sheet.cell(row, closed_col).value = dt.datetime(2025, 10, 15)
    book.save(path)
    second = build(ws_dir, ["整改报告"], out)
    assert any("较上次报告新增完成1项" in t for t in paragraphs(out / first.written[0].name))
    assert second.kept, "the previous 整改报告 is kept"
    status = CliRunner().invoke(app, ["rectify", "status", str(ws_dir), "--as-of", "2025-10-20", "--out", str(out)])
    assert "与上次生成报告时的台账相比：没有变化" in status.output
    third = build(ws_dir, ["整改报告"], out)  # unchanged ledger: same comparison, same bytes
    assert not [p for p in third.written if p.suffix == ".docx" and "整改报告" in p.name]

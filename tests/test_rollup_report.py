"""回访督导情况报告 (issue 17): the city's 公文 built from the roll-up of three counties and a broken fourth."""
from __future__ import annotations

import subprocess
import sys
import datetime as dt

import pytest
from docx import Document
from typer.testing import CliRunner

from conftest import CHECKER
from reportgen.cli.app import app
from reportgen.core.city_settings import CitySettings
from reportgen.render.docx import default_template, render_report
from reportgen.reports.rollup import build_rollup_model
from test_rollup import AS_OF, EARLY, HAND, broken, counties  # noqa: F401  (fixtures)

SETTINGS = CitySettings(city="某市", inspection="2025年县域义务教育优质均衡发展创建回访督导",
                        inspection_date=AS_OF, signer="某市人民政府教育督导委员会办公室",
                        written_date=dt.date(2025, 10, 28), addressee="各县（区）人民政府教育督导室")


@pytest.fixture(scope="module")
def result(counties, broken):  # noqa: F811
    from reportgen.publish.rollup import roll_up

    return roll_up([*counties[:2], broken, counties[2]], AS_OF, SETTINGS, jobs=2)


@pytest.fixture(scope="module")
def model(result):
    return build_rollup_model(result)


@pytest.fixture(scope="module")
def rendered(model, tmp_path_factory):
    return render_report(model, default_template(model.template), tmp_path_factory.mktemp("report") / model.filename)


def figures(model) -> dict[str, object]:
    return {f["id"]: f["value"] for f in model.figures}


def test_per_county_rates_equal_the_hand_count(model):
    values = figures(model)
    for region, (total, done, rate, overdue, open_) in HAND.items():
        assert values[f"rollup.{region}.completion_rate"] == pytest.approx(rate), region
        assert (values[f"rollup.{region}.total"], values[f"rollup.{region}.done"],
                values[f"rollup.{region}.open"]) == (total, done, open_)
    text = "\n".join(model.section("overall").paragraphs())
    assert "甲县问题整改完成率达到80%以上（甲县80.00%）。" in text
    assert "乙县、丙县问题整改完成率未达到80%（乙县25.00%、丙县66.67%）。" in text
    assert "尚未完成整改的问题共4个，其中超过完成时限的3个（甲县1个、乙县2个）" in text


def test_ranking_table_and_charts(model):
    (ranking, annex) = model.tables
    assert ranking.caption == "表1 各县（区）整改情况排名"
    from reportgen.reports.model import plain_text

    rows = [tuple(plain_text(c) for c in row) for row in ranking.rows]
    assert [(r[0], r[1], r[4], r[6]) for r in rows] == [("1", "甲县", "80.00%", "1"), ("2", "丙县", "66.67%", "0"),
                                                        ("3", "乙县", "25.00%", "2")]
    kinds = [c.kind for c in model.charts]
    assert kinds[0] == "county_rates" and set(kinds[1:]) == {"county_cv"}
    rates = model.charts[0].data
    assert rates["labels"] == ["甲县", "乙县", "丙县"] and rates["limit"] == pytest.approx(80)
    assert rates["value_labels"] == ["80.00%", "25.00%", "66.67%"]


def test_shared_problems_are_named_with_their_counties(model, result):
    text = "\n".join(model.section("common").paragraphs())
    assert "班额类问题尚未完成整改（甲县1个、乙县2个）" in text
    for group in result["common_problems"]:
        assert f"{group['category']}方面（{'、'.join(group['counties'])}）：" in text
        for indicator in group["indicators"]:
            assert f"{indicator['label']}（{'、'.join(indicator['counties'])}）" in text
    yi = "\n".join(model.section("individual.乙县").paragraphs())
    assert f"教师队伍：教师队伍问题3（未启动，完成时限2025年6月30日，已逾期{(AS_OF - EARLY).days}天）。" in yi
    assert "班额" not in yi.replace("大班额", "")  # 班额 is a 共性问题, not repeated here


def test_broken_county_is_named_as_not_included(model, result):
    (bad,) = result["excluded"]
    opening = "\n".join(p.plain for p in model.opening)
    assert f"另有1个县（区）的工作区数据有误，未能纳入本次汇总：丁县（{len(bad['errors'])}处错误）。" in opening
    assert (f"2025年10月20日，某市开展{SETTINGS.inspection}，对甲县、乙县、丙县3个县（区）"
            "前期反馈问题的整改情况进行了督导检查。") in opening
    assert "丁县" not in "\n".join(model.section("individual").paragraphs() +
                                   [s.heading for s in model.section("individual").children])


def test_next_steps_are_a_placeholder_unless_the_settings_give_text(model, result):
    assert model.section("next_steps").paragraphs() == ["【待补充：下一步工作要求】"]
    told = {**result, "city": {**result["city"], "settings": {**result["city"]["settings"],
                                                               "next_steps": ["各县（区）要加快整改。"]}}}
    assert build_rollup_model(told).section("next_steps").paragraphs() == ["各县（区）要加快整改。"]


def test_every_computed_number_is_a_recorded_figure(model):
    """In the generated sentences and the ranking table, every digit that is not a date, a 名次 or
    the user's 督导名称 stands in a figure reference."""
    import re

    from reportgen.reports.model import Paragraph, figure_parts

    blocks = [*model.opening, *model.section("overall").blocks]
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    texts += [c for row in model.tables[0].rows for c in row[1:]]
    for text in texts:
        literal = "".join(p for p in figure_parts(text) if isinstance(p, str)).replace(SETTINGS.inspection, "")
        literal = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日|表1|回访督导汇总\.json", "", literal)
        assert not re.search(r"\d", literal), text
    assert all(f["id"].startswith("rollup.") for f in model.figures)


@pytest.mark.skipif(not CHECKER.is_file(), reason="shared/tools/check_gongwen.py is not beside the repository")
def test_gbt9704_checker_passes(rendered):
    run = subprocess.run([sys.executable, str(CHECKER), str(rendered)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 hard failures" in run.stdout


def test_rendered_report_holds_title_signature_and_annex(rendered, result):
    doc = Document(rendered)
    texts = [p.text for p in doc.paragraphs]
    assert "某市关于2025年县域义务教育优质均衡发展创建回访督导情况的报告" == texts[0].replace("\n", "")
    assert "各县（区）人民政府教育督导室：" in texts
    assert "某市人民政府教育督导委员会办公室" in texts and "2025年10月28日" in texts
    assert "附件：各县（区）未完成整改问题清单" in texts
    annex = doc.tables[-1]
    rows = [[c.text for c in row.cells] for row in annex.rows]
    assert [(r[0], r[1]) for r in rows[1:]] == [("甲县", "2"), ("乙县", "1"), ("乙县", "2"), ("乙县", "3")]
    assert [r[7] for r in rows[1:]] == ["112", "112", "—", "112"]


def test_rollup_writes_the_report_beside_the_json_and_keeps_versions(counties, tmp_path):  # noqa: F811
    out = tmp_path / "汇总"
    args = ["rollup", *map(str, counties), "--out", str(out), "--as-of", "2025-10-20", "-j", "1"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    report = out / "回访督导情况报告.docx"
    assert f"已写入：{report}" in first.output and (out / "回访督导汇总.json").is_file()
    assert "【待补充：署名】" in [p.text for p in Document(report).paragraphs]
    again = CliRunner().invoke(app, args)
    assert f"无变化：{report}" in again.output
    changed = CliRunner().invoke(app, [*args[:-4], "--as-of", "2025-10-21", "-j", "1"])
    assert changed.exit_code == 0, changed.output
    assert len(list((out / "历史版本").rglob("回访督导情况报告.docx"))) == 1


def test_settings_file_gives_addressee_and_next_steps(tmp_path, result):
    from reportgen.core.city_settings import load_city_settings

    path = tmp_path / "回访督导.yaml"
    path.write_text("主送机关: 各县（区）教育督导室\n下一步工作要求: |\n  一是加快整改。\n\n  二是按期销号。\n",
                    encoding="utf-8")
    settings = load_city_settings(path)
    assert settings.addressee == "各县（区）教育督导室"
    assert settings.next_steps == ("一是加快整改。", "二是按期销号。")
    told = {**result, "city": {**result["city"], "settings": settings.as_json()}}
    made = build_rollup_model(told)
    assert made.meta["addressee"] == "各县（区）教育督导室："
    assert made.meta["unit"] == "【待补充：署名】" and made.meta["date"] == "【待补充：成文日期】"
    assert made.section("next_steps").paragraphs() == ["一是加快整改。", "二是按期销号。"]
    assert made.title == "某市回访督导情况报告"  # the roll-up's 市级名称, no 督导名称

"""City roll-up (issue 17): three counties with hand-written ledgers, a broken fourth, 督办清单.xlsx."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import ROOT
from reportgen.analysis.rollup import common_problems, county_digest, ranking, rollup
from reportgen.cli.app import app
from reportgen.core.city_settings import CitySettings, load_city_settings
from reportgen.core.errors import OutputError, WorkspaceError
from reportgen.render.supervision_list import COLUMNS, COUNTY_COLUMN, write_supervision_list

AS_OF = dt.date(2025, 10, 20)
LEDGER_HEADER = ["序号", "问题类别", "反馈问题", "整改措施", "责任单位", "责任人", "完成时限", "整改状态", "整改进展", "销号日期"]


def ledger_row(no: int, category: str, state: str, deadline: dt.date, problem: str | None = None) -> list:
    closed = deadline - dt.timedelta(days=5) if state == "已完成" else None
    return [no, category, problem or f"{category}问题{no}", "一是加快推进", "县教育体育局", "张三", deadline, state,
            "已推进", closed]


EARLY, LATE = dt.date(2025, 6, 30), dt.date(2025, 12, 31)   # before / after AS_OF
# 甲县: 5 items, 4 已完成 → 80% (exactly the target); open: 班额 overdue.
# 乙县: 4 items, 1 已完成 → 25%; open: 班额 overdue, 班额 not yet due, 教师队伍 overdue (未启动).
# 丙县: 3 items, 2 已完成 + 1 长期坚持 → 66.67%; nothing open.
LEDGERS = {
    "甲县": [ledger_row(1, "资源配置", "已完成", EARLY), ledger_row(2, "班额", "整改中", EARLY, "城区大班额"),
            ledger_row(3, "经费投入", "已完成", EARLY), ledger_row(4, "教师队伍", "已完成", EARLY),
            ledger_row(5, "学校管理", "已完成", EARLY)],
    "乙县": [ledger_row(1, "班额", "整改中", EARLY, "=大班额未化解"), ledger_row(2, "班额", "整改中", LATE),
            ledger_row(3, "教师队伍", "未启动", EARLY), ledger_row(4, "资源配置", "已完成", EARLY)],
    "丙县": [ledger_row(1, "资源配置", "已完成", EARLY), ledger_row(2, "学校管理", "长期坚持", EARLY),
            ledger_row(3, "经费投入", "已完成", EARLY)],
}
HAND = {"甲县": (5, 4, 0.8, 1, 1), "乙县": (4, 1, 0.25, 2, 3), "丙县": (3, 2, 2 / 3, 0, 0)}  # total, done, rate, overdue, open


def make_county(folder: Path, region: str, seed: int, schools: int) -> Path:
    from reportgen.authoring.demo import write_demo

    write_demo(folder, schools, seed=seed, region=region)
    book_path = next(folder.glob("*.xlsx"))
    book = openpyxl.load_workbook(book_path)
    del book["整改台账"]
    sheet = book.create_sheet("整改台账")
    for r, row in enumerate([LEDGER_HEADER, *LEDGERS[region]], start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=大班额未化解" is a text typed by a person, not a formula
    book.save(book_path)
    return folder


@pytest.fixture(scope="module")
def counties(tmp_path_factory) -> list[Path]:
    base = tmp_path_factory.mktemp("city")
    return [make_county(base / f"{name}2025", name, seed, schools)
            for name, seed, schools in (("甲县", 11, 12), ("乙县", 12, 16), ("丙县", 13, 10))]


@pytest.fixture(scope="module")
def broken(tmp_path_factory, counties) -> Path:
    """丁县: a copy of 甲县 renamed, with a text in a number cell and a duplicate 学校标识码."""
    folder = tmp_path_factory.mktemp("broken") / "丁县2025"
    shutil.copytree(counties[0], folder)
    path = next(folder.glob("*.xlsx"))
    book = openpyxl.load_workbook(path)
    info = book["基本信息"]
    for row in info.iter_rows(min_row=2):
        if row[0].value == "地区名称":
            row[1].value = "丁县"
    schools = book["学校"]
    header = [c.value for c in schools[1]]
    schools.cell(row=2, column=header.index("小学在校生数(人)") + 1, value="约3800")
    schools.cell(row=3, column=1, value=schools.cell(row=2, column=1).value)
    book.save(path)
    return folder


@pytest.fixture(scope="module")
def result(counties) -> dict:
    from reportgen.publish.rollup import roll_up

    return roll_up(counties, AS_OF, CitySettings(city="某市"), jobs=2)


def test_completion_rates_equal_a_hand_count(result):
    got = {c["region"]: (c["total"], c["done"], c["completion_rate"], c["overdue"], c["open"])
           for c in result["counties"]}
    assert got.keys() == HAND.keys()
    for region, counts in HAND.items():
        assert got[region] == pytest.approx(counts), region
    assert [c["region"] for c in result["counties"]] == ["甲县", "乙县", "丙县"]
    assert {c["region"]: c["completion_ok"] for c in result["counties"]} == {"甲县": True, "乙县": False, "丙县": False}
    assert result["city"]["total"] == 12 and result["city"]["done"] == 7
    assert result["city"]["completion_rate"] == pytest.approx(7 / 12)
    assert result["city"]["counties_meeting_target"] == ["甲县"]
    assert result["city"]["counties_below_target"] == ["乙县", "丙县"]
    assert result["complete"] is True and result["excluded"] == []


def test_ranking_by_completion_rate(result):
    assert [(r["rank"], r["region"]) for r in result["ranking"]] == [(1, "甲县"), (2, "丙县"), (3, "乙县")]


def test_open_items_carry_unit_deadline_and_days_overdue(result):
    items = {c["region"]: c["open_items"] for c in result["counties"]}
    assert [(i["no"], i["state"], i["days_late"], i["overdue"]) for i in items["乙县"]] == [
        (1, "整改中", (AS_OF - EARLY).days, True), (2, "整改中", 0, False), (3, "未启动", (AS_OF - EARLY).days, True)]
    assert items["甲县"][0]["unit"] == "县教育体育局" and items["甲县"][0]["deadline"] == "2025-06-30"
    assert items["丙县"] == []


def test_shared_ledger_problems_are_named_with_their_counties(result):
    groups = {g["category"]: g for g in result["common_problems"]}
    class_size = groups["班额"]
    assert [(o["region"], o["count"]) for o in class_size["open_items"]] == [("甲县", 1), ("乙县", 2)]
    assert class_size["open_items"][0]["problems"] == ["城区大班额"]
    assert set(class_size["counties"]) >= {"甲县", "乙县"}
    # 教师队伍 is open in 乙县 only: a 个性问题 of 乙县, not a 共性问题
    assert not any(g["open_items"] for g in result["common_problems"] if g["category"] == "教师队伍")
    individual = {c["region"]: c for c in result["individual_problems"]}
    assert [(i["category"], i["no"]) for i in individual["乙县"]["open_items"]] == [("教师队伍", 3)]
    assert individual["甲县"]["open_items"] == []


def test_shared_indicators_are_those_failing_in_two_counties(result):
    failing = {c["region"]: {i["id"] for i in c["failed_indicators"]} for c in result["counties"]}
    shared = {i["id"]: i["counties"] for g in result["common_problems"] for i in g["indicators"]}
    for key, regions in shared.items():
        assert regions == [r for r in ("甲县", "乙县", "丙县") if key in failing[r]] and len(regions) >= 2
    for region, ids in failing.items():
        only_here = {i["id"] for i in next(p for p in result["individual_problems"] if p["region"] == region)["indicators"]}
        assert only_here == ids - shared.keys()


def test_json_follows_the_spec(result):
    text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    data = json.loads(text)
    assert data["as_of"] == "2025-10-20"
    assert {"total", "done", "completion_rate"} <= data["city"].keys()
    for county in data["counties"]:
        assert {"region", "total", "done", "completion_rate", "overdue", "indicators_failed"} <= county.keys()
        assert isinstance(county["overdue"], int) and county["indicators_failed"] == len(county["failed_indicators"])
        assert isinstance(county["warnings"], list) and county["open"] == len(county["open_items"])


def test_broken_county_is_listed_with_its_errors_and_exit_4(counties, broken, tmp_path):
    out = tmp_path / "汇总"
    args = ["rollup", *map(str, counties[:2]), str(broken), str(counties[2]), "--out", str(out), "--as-of", "2025-10-20", "-j", "1"]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 4, run.output
    data = json.loads((out / "回访督导汇总.json").read_text(encoding="utf-8"))
    assert [c["region"] for c in data["counties"]] == ["甲县", "乙县", "丙县"]
    assert data["complete"] is False and data["city"]["counties_excluded"] == 1
    (bad,) = data["excluded"]
    assert bad["region"] == "丁县" and bad["workspace"] == str(broken)
    assert {(e["sheet"], e["row"]) for e in bad["errors"]} >= {("学校", 2), ("学校", 3)}
    assert any("约3800" in e["message"] for e in bad["errors"])
    assert "【丁县】" in run.output and "未能纳入汇总" in run.output and "退出码为4" in run.output


def test_rollup_prints_a_chinese_summary_and_keeps_the_previous_result(counties, tmp_path):
    out = tmp_path / "汇总"
    args = ["rollup", *map(str, counties), "--out", str(out), "--as-of", "2025-10-20", "-j", "1"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "整改完成率要求：80%" in first.output and "整改完成率达到80%：甲县" in first.output
    assert "【班额】" in first.output and "甲县1项、乙县2项" in first.output
    again = CliRunner().invoke(app, args)
    assert "无变化：" in again.output
    changed = CliRunner().invoke(app, [*args[:-4], "--as-of", "2025-10-21", "-j", "1"])
    assert "旧版本已保留：" in changed.output
    assert len(list((out / "历史版本").rglob("回访督导汇总.json"))) == 1


def test_rollup_format_json_prints_only_json(counties):
    run = CliRunner().invoke(app, ["rollup", *map(str, counties), "--format", "json", "--as-of", "2025-10-20", "-j", "1"])
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["city"]["total"] == 12


def test_rollup_export_lists_every_open_item_with_its_county(counties, tmp_path):
    path = tmp_path / "督办清单.xlsx"
    args = ["rollup", *map(str, counties), "--format", "json", "--as-of", "2025-10-20", "--export", str(path), "-j", "1"]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 0, run.output
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [COUNTY_COLUMN[0], *(c[0] for c in COLUMNS)]
    assert [(r[0], r[1]) for r in rows[1:]] == [("甲县", 2), ("乙县", 1), ("乙县", 2), ("乙县", 3)]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K5"
    assert rows[2][3] == "=大班额未化解"  # text stays text, not a formula
    header = dict(zip(rows[0], rows[2]))
    assert header["完成时限"] == dt.datetime(2025, 6, 30) and header["逾期天数"] == (AS_OF - EARLY).days
    assert header["是否逾期"] == "是" and header["责任单位"] == "县教育体育局"
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 1 and "已存在" in again.output


def test_rectify_status_export_one_row_per_open_item(counties, tmp_path):
    path = tmp_path / "督办清单.xlsx"
    run = CliRunner().invoke(app, ["rectify", "status", str(counties[1]), "--as-of", "2025-10-20", "--export", str(path)])
    assert run.exit_code == 0, run.output
    assert "已写入督办清单" in run.output and "3项未完成问题" in run.output
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert list(rows[0]) == [c[0] for c in COLUMNS]
    assert [(r[0], r[6], r[8]) for r in rows[1:]] == [(1, "整改中", 112), (2, "整改中", 0), (3, "未启动", 112)]
    before = path.read_bytes()
    again = CliRunner().invoke(app, ["rectify", "status", str(counties[1]), "--export", str(path)])
    assert again.exit_code == 1 and "已存在" in again.output and path.read_bytes() == before


def test_supervision_list_refuses_other_suffixes(tmp_path):
    with pytest.raises(OutputError, match=r"\.xlsx"):
        write_supervision_list([], tmp_path / "清单.xls", AS_OF)
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------- pure functions on hand-made digests

def digest(region: str, total: int, done: int, overdue: int = 0, failed: tuple[str, ...] = (),
           open_categories: tuple[str, ...] = ()) -> dict:
    analysis = {"region": region, "year": 2025,
                "rectification": {"as_of": "2025-10-20", "total": total, "done": done, "in_progress": 0,
                                  "not_started": 0, "long_term": 0, "completion_rate": done / total if total else None,
                                  "completion_rate_reason": None, "categories": [], "overdue": [{}] * overdue},
                "guarantee": [{"id": key, "label": key, "status": "未达标", "value": 1, "standard": None, "reason": "r"}
                              for key in failed]}
    items = [{"no": n, "category": c, "problem": f"{c}{n}"} for n, c in enumerate(open_categories, start=1)]
    return county_digest(analysis, items, f"/ws/{region}")


def test_ties_share_a_rank_and_a_county_without_ledger_comes_last():
    counties = [{**digest("甲县", 10, 8), "completion_ok": True}, {**digest("乙县", 5, 4), "completion_ok": True},
                {**digest("丙县", 0, 0), "completion_ok": None}, {**digest("丁县", 10, 9), "completion_ok": True}]
    assert [(r["rank"], r["region"]) for r in ranking(counties)] == [(1, "丁县"), (2, "甲县"), (2, "乙县"), (4, "丙县")]


def test_shared_min_from_the_settings_decides_what_is_common():
    counties = [digest("甲县", 4, 2, failed=("class_size", "school_size"), open_categories=("班额",)),
                digest("乙县", 4, 2, failed=("class_size",), open_categories=("班额", "教师队伍")),
                digest("丙县", 4, 2, failed=("class_size", "school_size"))]
    two = common_problems(counties, 2)
    assert [(g["category"], [i["counties"] for i in g["indicators"]], g["counties"]) for g in two] == [
        ("班额", [["甲县", "乙县", "丙县"], ["甲县", "丙县"]], ["甲县", "乙县", "丙县"])]
    three = common_problems(counties, 3)
    assert [[i["id"] for i in g["indicators"]] for g in three] == [["guarantee.class_size"]]
    assert three[0]["open_items"] == []


def test_a_county_given_twice_is_included_once():
    done = rollup([digest("甲县", 4, 4), digest("甲县", 4, 1)], [], AS_OF, 0.8, 2)
    assert [c["completion_rate"] for c in done["counties"]] == [1.0]
    assert "只汇总一次" in done["excluded"][0]["errors"][0]["message"]


def test_the_target_comes_from_the_city_settings(tmp_path):
    path = tmp_path / "回访督导.yaml"
    path.write_text("市级名称: 某市\n督导日期: 2025-10-20\n署名: 某市人民政府教育督导委员会办公室\n"
                    "整改完成率要求: 90%\n共性问题县数: 3\n", encoding="utf-8")
    settings = load_city_settings(path)
    assert (settings.city, settings.inspection_date, settings.completion_target, settings.shared_min) == (
        "某市", AS_OF, pytest.approx(0.9), 3)
    done = rollup([digest("甲县", 10, 8)], [], AS_OF, settings.completion_target, settings.shared_min)
    assert done["counties"][0]["completion_ok"] is False
    assert load_city_settings(None).completion_target == pytest.approx(0.8)


def test_bad_city_settings_list_every_problem(tmp_path):
    path = tmp_path / "回访督导.yaml"
    path.write_text("市名: 某市\n督导日期: 下周\n整改完成率要求: 120%\n", encoding="utf-8")
    with pytest.raises(WorkspaceError) as info:
        load_city_settings(path)
    message = str(info.value)
    assert "3处问题" in message and "「市名」" in message and "「下周」" in message and "120%" in message


def test_rollup_is_registered_and_documented():
    from reportgen.cli.app import COMMAND_MODULES

    assert "rollup" in COMMAND_MODULES
    doc = (ROOT / "docs" / "rollup.md").read_text(encoding="utf-8")
    assert "退出码" in doc and "整改完成率要求" in doc and "督办清单" in doc


def test_rollup_option_errors_are_chinese_and_write_nothing(tmp_path):
    missing = CliRunner().invoke(app, ["rollup", str(tmp_path), "--out", str(tmp_path / "o"),
                                       "--settings", str(tmp_path / "无.yaml")])
    assert missing.exit_code == 1 and "找不到设置文件" in missing.output
    no_out = CliRunner().invoke(app, ["rollup", str(tmp_path)])
    assert no_out.exit_code == 2 and "--out" in no_out.output
    nothing = CliRunner().invoke(app, ["rollup", str(tmp_path / "无此县"), "--out", str(tmp_path / "o"), "-j", "1"])
    assert nothing.exit_code == 1 and "都不能纳入汇总" in nothing.output and "找不到工作区" in nothing.output
    assert not (tmp_path / "o").exists()

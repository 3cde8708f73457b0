"""The synthetic county generator and the committed example workspace data_examples/某县2025."""
from __future__ import annotations

import datetime as dt
import importlib.util
import math
from collections import Counter, defaultdict

import pandas as pd
import pytest

from conftest import EXAMPLE

from reportgen.authoring.demo import synthetic_county, write_demo
from reportgen.core.errors import WorkspaceError
from reportgen.loading import load_workspace
from reportgen.core.schema import GRADE_CODES, LEDGER_STATES, SHEETS
from reportgen.authoring.workbook import write_csv_folder

# Every county-level figure the data contract names.
CONTRACT_FIGURES = (
    "财政经常性收入", "教育财政拨款", "教师平均工资收入", "公务员平均工资收入", "公用经费预算总额", "教师培训经费",
    "特殊教育学校生均公用经费", "交流轮岗教师数", "符合交流条件教师数", "交流轮岗骨干教师数", "教师资格证持证率",
    "5年360学时培训完成率", "就近划片入学比例(小学)", "就近划片入学比例(初中)", "优质高中名额分配比例",
    "随迁子女公办就读比例", "初中三年巩固率", "残疾儿童少年入学率", "社会认可度",
)
FUNDING_LEVELS = {"合计", "学前", "小学", "初中", "普通高中", "特殊教育"}


@pytest.fixture(scope="module")
def county() -> dict[str, list[dict]]:
    return synthetic_county(120, seed=11)


@pytest.fixture(scope="module")
def example():
    return load_workspace(EXAMPLE)


# ---------------------------------------------------------------- helpers

def grade_number(grade: object) -> int:
    return GRADE_CODES[grade] if isinstance(grade, str) else int(grade)


def classes_by_section(classes) -> dict[tuple[str, str], list[float]]:
    """(school id, 小学|初中) → class sizes."""
    out: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in classes:
        if grade_number(row["年级"]) not in range(1, 10):
            continue  # kindergarten and senior classes
        section = "小学" if grade_number(row["年级"]) <= 6 else "初中"
        out[(row["学校标识码"], section)].append(row["学生数"])
    return out


def per_pupil_total(funding, year: int) -> float:
    row = next(r for r in funding if r["年度"] == year and r["学段"] == "合计")
    return row["一般公共预算教育支出"] / row["在校生数"]


WEIGHTS = {"九年一贯制学校": (1, 1.1, 0), "完全中学": (0, 1, 1.2), "十二年一贯制学校": (1, 1.1, 1.32)}


def section_values(schools: pd.DataFrame, section: str, column: str) -> tuple[list[float], list[float]]:
    """Per-pupil values and enrolments of the schools in scope for one section (split by weight)."""
    values, pupils = [], []
    for _, s in schools.iterrows():
        if s["办学类型"] in ("特殊教育学校", "职业学校") or (s["办学类型"] == "小学教学点" and s["小学在校生数"] < 50):
            continue
        own = s[f"{section}在校生数"]
        if not own > 0:
            continue
        counts = [0 if c != c else c for c in (s["小学在校生数"], s["初中在校生数"], s["高中在校生数"])]
        weights = WEIGHTS.get(s["办学类型"], (1, 1, 1))
        share = own * weights[0 if section == "小学" else 1] / sum(c * w for c, w in zip(counts, weights))
        values.append(s[column] * share / own)
        pupils.append(own)
    return values, pupils


def difference_coefficient(values: list[float], pupils: list[float]) -> float:
    """Enrolment-weighted CV, population form (shared/domain/standards.md §2)."""
    total = sum(pupils)
    mean = sum(p * v for p, v in zip(pupils, values)) / total
    return math.sqrt(sum(p / total * (v - mean) ** 2 for p, v in zip(pupils, values))) / mean


def test_difference_coefficient_matches_the_published_example():
    books, pupils = [279, 137, 935, 160, 402], [45, 37, 89, 76, 55]
    assert difference_coefficient([b / p for b, p in zip(books, pupils)], pupils) == pytest.approx(0.515257, abs=1e-6)


# ---------------------------------------------------------------- synthetic county

def test_same_seed_same_rows_other_seed_other_rows():
    assert synthetic_county(60, seed=3) == synthetic_county(60, seed=3)
    assert synthetic_county(60, seed=3)["学校"] != synthetic_county(60, seed=4)["学校"]


def test_every_sheet_is_generated(county):
    assert set(county) == {s.name for s in SHEETS}
    assert all(county[s.name] for s in SHEETS)


def test_scales_to_a_large_county():  # generation speed is measured in bench/run.py
    big = synthetic_county(3000)
    assert len(big["学校"]) == 3000
    assert len({r["学校标识码"] for r in big["学校"]}) == 3000
    assert len({r["学校名称"] for r in big["学校"]}) == 3000
    assert all(len(r["学校标识码"]) == 10 and r["学校标识码"].isdigit() for r in big["学校"])
    assert 15 <= len(big["班级"]) / 3000 <= 25  # about 20 classes per school
    assert len(big["整改台账"]) == 60  # about N/2, capped


@pytest.mark.parametrize("n", [1, 2, 9])
def test_tiny_counties_are_complete(n):
    sheets = synthetic_county(n)
    assert len(sheets["学校"]) == n and sheets["班级"] and sheets["整改台账"]


def test_all_school_types_and_both_ownerships(county):
    types = Counter(r["办学类型"] for r in county["学校"])
    assert set(types) == {"小学", "初级中学", "九年一贯制学校", "完全中学", "十二年一贯制学校", "小学教学点", "特殊教育学校"}
    assert types["小学"] > types["初级中学"] > types["完全中学"]
    assert {r["办学性质"] for r in county["学校"]} == {"公办", "民办"}


def test_enrolment_and_class_counts_equal_the_class_rows(county):
    sizes = classes_by_section(county["班级"])
    for school in county["学校"]:
        for section in ("小学", "初中"):
            own = sizes.get((school["学校标识码"], section), [])
            assert (school[f"{section}班级数"] or 0) == len(own)
            assert (school[f"{section}在校生数"] or 0) == sum(own)


def test_teachers_follow_pupils_and_sub_counts_fit(county):
    for school in county["学校"]:
        for section in ("小学", "初中"):
            pupils = school[f"{section}在校生数"]
            if not pupils:
                assert f"{section}专任教师数" not in school
                continue
            total = school[f"{section}专任教师数"]
            assert 0 < total and (school["办学类型"] == "特殊教育学校" or 6 <= pupils / total <= 25 or pupils < 200)
            for name in ("高于规定学历教师数", "县级以上骨干教师数", "体育艺术专任教师数", "中级及以上职称教师数"):
                assert 0 <= school[f"{section}{name}"] <= total


def test_facilities_near_the_standards_with_some_schools_short(county):
    primary = [r for r in county["学校"] if r["办学类型"] == "小学"]
    per_pupil = sorted(r["体育运动场馆面积"] / r["小学在校生数"] for r in primary)
    assert 7.5 < per_pupil[len(per_pupil) // 2] < 25
    assert any(v < 7.5 for v in per_pupil)  # some fail the standard
    equipment = [r["教学仪器设备值"] / r["小学在校生数"] for r in primary]
    assert 2000 < sorted(equipment)[len(equipment) // 2] < 5000


def test_class_sizes_mostly_within_the_standard(county):
    sizes = [r["学生数"] for r in county["班级"] if grade_number(r["年级"]) <= 6]
    over = sum(1 for s in sizes if s > 45)
    assert 0 < over < 0.25 * len(sizes)


def test_funding_five_years_by_level_with_one_per_pupil_dip(county):
    funding = county["经费"]
    years = sorted({r["年度"] for r in funding})
    assert years == [2021, 2022, 2023, 2024, 2025]
    assert {r["学段"] for r in funding} == FUNDING_LEVELS
    assert len(funding) == 5 * len(FUNDING_LEVELS)
    falls = [y for y in years[1:] if per_pupil_total(funding, y) < per_pupil_total(funding, y - 1)]
    assert falls == [2023]
    for year in years:
        rows = [r for r in funding if r["年度"] == year]
        total = next(r for r in rows if r["学段"] == "合计")
        assert total["一般公共预算教育支出"] > sum(r["一般公共预算教育支出"] for r in rows if r is not total)
        assert total["在校生数"] == sum(r["在校生数"] for r in rows if r is not total)


def test_county_figures_cover_the_data_contract(county):
    names = {r["指标"] for r in county["县级指标"]}
    assert set(CONTRACT_FIGURES) <= names
    assert {"上年财政经常性收入", "上年教育财政拨款"} <= names
    assert all(r["单位"] for r in county["县级指标"])


def test_ledger_mixed_states_some_overdue(county):
    ledger = county["整改台账"]
    assert len(ledger) == 60
    assert set(r["整改状态"] for r in ledger) == set(LEDGER_STATES)
    assert all((r["销号日期"] is not None) == (r["整改状态"] == "已完成") for r in ledger)
    assert any(r["完成时限"] <= dt.date(2025, 9, 30) and r["整改状态"] in ("整改中", "未启动") for r in ledger)
    assert all("\n" in r["整改措施"] for r in ledger)


def test_points_and_texts(county):
    points = county["测评点"]
    assert len(points) > 30 and all(r["自评得分"] is None or r["自评得分"] <= r["分值"] for r in points)
    assert any(r["自评得分"] is None for r in points)  # computed points are left to the tool
    sections = {r["章节"] for r in county["文字材料"]}
    assert {"组织领导", "主要做法", "存在问题", "下一步工作计划"} <= sections
    assert any("示例县" in r["内容"] for r in county["文字材料"] if r["章节"] == "组织领导")


def test_write_demo_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "已有.txt").write_text("x", encoding="utf-8")
    with pytest.raises(WorkspaceError):
        write_demo(tmp_path, 5)


def test_write_demo_rejects_an_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="fmt"):
        write_demo(tmp_path / "x", 5, fmt="ods")


# ---------------------------------------------------------------- loading what was written

def test_synthetic_workspace_loads_without_issues(tmp_path):
    written = write_demo(tmp_path / "demo", 80, seed=5)
    assert [p.name for p in written] == ["示例县2025.xlsx", "reportgen.yaml"]
    workspace = load_workspace(tmp_path / "demo")
    assert workspace.warnings == ()
    assert len(workspace.schools) == 80 and workspace.region == "示例县" and workspace.year == 2025


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_csv_workspace_loads_to_the_same_tables(tmp_path, encoding):
    from_xlsx = load_workspace(write_demo(tmp_path / "xlsx", 50, seed=9)[0].parent)
    written = write_demo(tmp_path / "csv", 50, seed=9, fmt="csv", encoding=encoding)
    assert {p.name for p in written} == {f"{s.name}.csv" for s in SHEETS} | {"reportgen.yaml"}
    from_csv = load_workspace(tmp_path / "csv")
    assert from_csv.warnings == ()
    assert from_csv.info == from_xlsx.info
    for name, table in from_xlsx.tables.items():
        pd.testing.assert_frame_equal(from_csv.tables[name], table, obj=name)


# ---------------------------------------------------------------- the example workspace

def test_example_loads_without_errors_or_warnings(example):
    assert example.warnings == ()
    assert example.settings.workbook == "某县2025.xlsx"


def test_example_basic_info(example):
    info = example.info
    assert (info["地区名称"], info["上级地区"], info["评价年度"], info["报告单位"]) == ("某县", "某市", 2025, "某县人民政府")
    assert isinstance(info["成文日期"], dt.date) and info["督导时间"] < info["反馈时间"] < info["成文日期"]
    for key in ("国土面积", "户籍人口", "常住人口", "地区生产总值", "一般公共预算收入"):
        assert info[key] > 0
    assert info["评价通知"].startswith("《") and "督导" in info["督导单位"]


def test_example_schools(example):
    schools = example.schools
    assert 38 <= len(schools) <= 45
    types = Counter(schools["办学类型"])
    for kind in ("九年一贯制学校", "完全中学", "十二年一贯制学校", "小学教学点", "特殊教育学校"):
        assert types[kind] >= 1, kind
    assert (schools["办学性质"] == "民办").sum() >= 1
    points = schools[schools["办学类型"] == "小学教学点"]
    assert (points["小学在校生数"] < 50).any()
    assert schools["学校名称"].str.startswith("某县").sum() >= 10
    exempt = schools[schools["豁免说明"].notna()]
    assert sorted(exempt["学校名称"]) == ["城关镇东街小学", "白马镇初级中学"]


def test_example_schools_over_the_size_caps(example):
    schools = example.schools
    compulsory = schools["小学在校生数"].fillna(0) + schools["初中在校生数"].fillna(0)
    combined = schools["办学类型"].isin(["九年一贯制学校", "十二年一贯制学校"])
    over = schools[(combined & (compulsory > 2500)) | (~combined & (compulsory > 2000))]
    assert 1 <= len(over) <= 2


def test_example_classes(example):
    classes = example.classes
    assert 750 <= len(classes) <= 850
    sizes = classes["学生数"]
    primary = classes["年级"] <= 6
    limit = primary.map({True: 45, False: 50})
    assert (sizes <= limit).mean() > 0.8
    assert ((sizes >= 46) & (sizes <= 55)).sum() >= 20
    assert 3 <= ((sizes >= 56) & (sizes <= 65)).sum() <= 10
    assert (sizes >= 66).sum() == 1
    oversize = classes[sizes >= 56]
    assert oversize["年级"].isin([6, 9]).sum() >= 3  # graduating grades


def test_example_school_counts_match_its_classes(example):
    classes = example.classes.assign(学段=example.classes["年级"].map(lambda g: "小学" if g <= 6 else "初中"))
    grouped = classes.groupby(["学段", "学校标识码"])["学生数"]
    counts, sums = grouped.count(), grouped.sum()
    schools = example.schools.set_index("学校标识码")
    for section in ("小学", "初中"):
        count = counts.loc[section].reindex(schools.index, fill_value=0)
        total = sums.loc[section].reindex(schools.index, fill_value=0)
        assert (schools[f"{section}班级数"].fillna(0) == count).all()
        assert (schools[f"{section}在校生数"].fillna(0) == total).all()
    pupils = schools["小学在校生数"].fillna(0) + schools["初中在校生数"].fillna(0)
    teachers = schools["小学专任教师数"].fillna(0) + schools["初中专任教师数"].fillna(0)
    ordinary = ~schools["办学类型"].isin(["特殊教育学校", "小学教学点"])
    assert ((pupils / teachers)[ordinary]).between(8, 22).all()  # teachers proportional to pupils


def test_example_funding(example):
    funding = example.funding
    assert sorted(funding["年度"].unique()) == [2021, 2022, 2023, 2024, 2025]
    assert set(funding["学段"]) == FUNDING_LEVELS
    total = funding[funding["学段"] == "合计"].set_index("年度")
    assert 60_000 <= total.loc[2025, "一般公共预算教育支出"] <= 70_000  # 6–7 亿元
    per_pupil = total["一般公共预算教育支出"] / total["在校生数"]
    assert (per_pupil.diff() < 0).sum() == 1
    assert (total["一般公共预算教育支出"].diff().dropna() > 0).all()
    equipment = example.schools["教学仪器设备值"].sum() / (example.schools["小学在校生数"].fillna(0)
                                                         + example.schools["初中在校生数"].fillna(0)
                                                         + example.schools["高中在校生数"].fillna(0)).sum()
    assert 2000 < equipment < 6000  # 元 per pupil


def test_example_county_figures(example):
    county = example.county.set_index("指标")
    assert set(CONTRACT_FIGURES) <= set(county.index)
    assert county["单位"].notna().all()
    assert county.loc["教师平均工资收入", "值"] >= county.loc["公务员平均工资收入", "值"]


def test_example_ledger(example):
    ledger = example.ledger
    assert len(ledger) == 20
    states = Counter(ledger["整改状态"])
    assert set(states) == set(LEDGER_STATES) and states["已完成"] >= 10
    assert {"资源配置", "班额", "经费投入", "教师队伍", "学校管理"} <= set(ledger["问题类别"])
    assert ledger["整改措施"].str.contains("\n").all()
    assert all(d.year == 2025 for d in ledger["完成时限"])
    overdue = ledger[(ledger["完成时限"] <= dt.date(2025, 9, 30)) & ledger["整改状态"].isin(["整改中", "未启动"])]
    assert len(overdue) >= 2
    done = ledger["整改状态"] == "已完成"
    assert ledger.loc[done, "销号日期"].notna().all() and ledger.loc[~done, "销号日期"].isna().all()


def test_example_points_and_texts(example):
    points = example.points
    assert len(points) > 30 and (points["自评得分"].dropna() <= points.loc[points["自评得分"].notna(), "分值"]).all()
    assert points["自评得分"].notna().sum() >= 12  # every point no rule computes, and one 加分
    sections = set(example.texts["章节"])
    assert {"组织领导", "主要做法", "存在问题", "下一步工作计划"} <= sections
    assert example.texts["内容"].str.contains("某县").any()


def test_example_quality_balance_has_findings(example):
    schools = example.schools
    sports = {s: difference_coefficient(*section_values(schools, s, "体育运动场馆面积")) for s in ("小学", "初中")}
    assert sports["初中"] > 0.45 and sports["小学"] <= 0.50
    for column in ("教学及辅助用房面积", "教学仪器设备值", "网络多媒体教室数"):
        assert difference_coefficient(*section_values(schools, "小学", column)) <= 0.50, column
        assert difference_coefficient(*section_values(schools, "初中", column)) <= 0.45, column
    third = schools[schools["学校名称"] == "某县第三实验小学"].iloc[0]
    assert third["体育运动场馆面积"] / third["小学在校生数"] < 7.5
    second = schools[schools["学校名称"] == "某县第二初级中学"].iloc[0]
    assert 100 * second["初中县级以上骨干教师数"] / second["初中在校生数"] < 1.0


def example_script():
    spec = importlib.util.spec_from_file_location("make_example", EXAMPLE.parents[1] / "bench" / "make_example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_example_as_csv_loads_to_the_same_tables(example, tmp_path, encoding):
    """Also proves the committed workbook is what bench/make_example.py writes today."""
    write_csv_folder(example_script().example_sheets(), tmp_path, encoding=encoding)
    from_csv = load_workspace(tmp_path)
    assert from_csv.warnings == () and from_csv.info == example.info
    for name, table in example.tables.items():
        pd.testing.assert_frame_equal(from_csv.tables[name], table, obj=name)

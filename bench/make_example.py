"""Write the example workspace data_examples/某县2025/ (workbook + reportgen.yaml).

A county of 42 schools shaped so that every report has something to say: two schools over the
size caps, oversize classes (some in graduating grades, exactly one of 66+), schools short of
single 优质均衡 indicators, a junior 差异系数 over its limit (sports area), one year in which per-pupil
spending fell, and a 20-item rectification ledger in mixed states with overdue items. Beside the
义务教育 schools (drawn separately, so their figures do not move): 46 kindergartens of all three
办园性质 with a few short of single 学前 standards, and the 普通高中 classes of the 完全中学 and the
十二年一贯制学校, among them one class of 57 and one of 67 pupils. Its 优质均衡 system is its own file
(某省优质均衡.yaml, the built-in one with the 放宽标准 examples in force): 白马镇初级中学 (built 1970, with
a 豁免说明) meets the relaxed art-room area but not the national one.

Run from the repository root:  .venv/bin/python bench/make_example.py
The output is committed; tests/test_demo.py checks it against these requirements.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportgen.authoring import demo  # noqa: E402
from reportgen.authoring.demo import SchoolPlan  # noqa: E402
from reportgen.authoring.demo_texts import LEDGER_BANK  # noqa: E402
from reportgen.authoring.workbook import info_rows  # noqa: E402

REGION, YEAR, SEED = "某县", 2025, 20251020
FOLDER = ROOT / "data_examples" / f"{REGION}{YEAR}"
WORKBOOK = f"{REGION}{YEAR}.xlsx"
PER_PUPIL_SCALE = 1.07  # brings 2025 一般公共预算教育支出（合计） to about 6.5 亿元

# name, 办学类型, 城乡分类, classes per primary grade, per junior grade, class-size profile, extras
SCHOOLS: tuple[tuple, ...] = (
    ("某县第一实验小学", "小学", "城区", 8, 0, "city_big", {"built": 1952}),
    ("某县第二实验小学", "小学", "城区", 7, 0, "city", {"built": 1986}),
    ("某县第三实验小学", "小学", "城区", 6, 0, "city", {"built": 1978, "factors": {"sports_area": 0.62}}),
    ("城关镇中心小学", "小学", "城区", 6, 0, "city", {"built": 1958}),
    ("城关镇东街小学", "小学", "城区", 4, 0, "city", {
        "built": 1949, "factors": {"sports_area": 0.74},
        "exemption": "老城区学校，用地受限，经某市教育局批准，体育运动场馆面积按生均5.5平方米核定（某市教督〔2023〕5号）"}),
    ("某县人民路小学", "小学", "城区", 5, 0, "city", {"built": 2012}),
    ("石桥镇中心小学", "小学", "镇区", 3, 0, "town", {"built": 1965}),
    ("柳河镇中心小学", "小学", "镇区", 3, 0, "town", {"built": 1972}),
    ("白马镇中心小学", "小学", "镇区", 3, 0, "town", {"built": 1969}),
    ("青山镇中心小学", "小学", "镇区", 3, 0, "town", {"built": 1975, "factors": {"pe_art": 0.085}}),
    ("安乐镇中心小学", "小学", "镇区", 3, 0, "town", {"built": 1980}),
    ("新兴镇中心小学", "小学", "镇区", 3, 0, "town", {"built": 1983}),
    ("龙泉乡中心小学", "小学", "乡村", 2, 0, "township", {"built": 1977}),
    ("桃源乡中心小学", "小学", "乡村", 2, 0, "township", {"built": 1979}),
    ("双河乡中心小学", "小学", "乡村", 2, 0, "township", {"built": 1981}),
    ("清水乡中心小学", "小学", "乡村", 2, 0, "township", {"built": 1976}),
    ("石桥镇王庄小学", "小学", "乡村", 1, 0, "village", {"built": 1970}),
    ("柳河镇李家小学", "小学", "乡村", 1, 0, "village", {"built": 1968}),
    ("白马镇前进小学", "小学", "乡村", 1, 0, "village", {"built": 1974}),
    ("青山镇红星小学", "小学", "乡村", 1, 0, "village", {"built": 1966}),
    ("安乐镇杨湾小学", "小学", "乡村", 1, 0, "village", {"built": 1973}),
    ("龙泉乡张店小学", "小学", "乡村", 1, 0, "village", {"built": 1971}),
    ("桃源乡河口教学点", "小学教学点", "乡村", 0, 0, "", {"built": 1985, "classes": {1: [13], 2: [11], 3: [12]}}),
    ("双河乡高岭教学点", "小学教学点", "乡村", 0, 0, "", {"built": 1988, "classes": {1: [9], 2: [8]}}),
    ("某县第一初级中学", "初级中学", "城区", 0, 14, "city_big", {"built": 1956, "factors": {"sports_area": 0.48}}),
    ("某县第二初级中学", "初级中学", "城区", 0, 12, "city", {
        "built": 1970, "factors": {"sports_area": 0.55, "backbone": 0.07}}),
    ("某县第三初级中学", "初级中学", "城区", 0, 10, "city", {"built": 1995, "factors": {"sports_area": 0.62}}),
    ("城关镇初级中学", "初级中学", "城区", 0, 6, "city", {"built": 1962, "factors": {"sports_area": 0.85}}),
    ("石桥镇初级中学", "初级中学", "镇区", 0, 5, "town", {"built": 1968, "factors": {"sports_area": 1.85}}),
    ("柳河镇初级中学", "初级中学", "镇区", 0, 5, "town", {"built": 1971, "factors": {"sports_area": 2.0}}),
    ("白马镇初级中学", "初级中学", "镇区", 0, 5, "town", {
        "built": 1970, "factors": {"sports_area": 1.7},
        "exemption": "原校舍为1970年代建筑，经某省教育厅批准，专用教室面积按本省放宽标准核定（某教基〔2022〕8号）"}),
    ("青山镇初级中学", "初级中学", "镇区", 0, 5, "town", {"built": 1973, "factors": {"sports_area": 1.9}}),
    ("安乐镇初级中学", "初级中学", "镇区", 0, 5, "town", {"built": 1976, "factors": {"sports_area": 1.6}}),
    ("新兴镇初级中学", "初级中学", "镇区", 0, 5, "town", {"built": 1979, "factors": {"sports_area": 1.8}}),
    ("龙泉乡初级中学", "初级中学", "乡村", 0, 3, "township", {
        "built": 1975, "factors": {"sports_area": 2.2, "equipment": 0.78}}),
    ("某县育才九年一贯制学校", "九年一贯制学校", "城区", 4, 4, "city", {"built": 2016}),
    ("某县博文学校", "九年一贯制学校", "城区", 3, 3, "city", {"built": 2010, "ownership": "民办"}),
    ("桃源乡九年一贯制学校", "九年一贯制学校", "乡村", 1, 2, "township", {"built": 1982}),
    ("清水乡九年一贯制学校", "九年一贯制学校", "乡村", 2, 2, "township", {"built": 1984}),
    ("某县第二中学", "完全中学", "城区", 0, 6, "city", {"built": 1958, "high": 1850}),
    ("某县实验学校", "十二年一贯制学校", "城区", 3, 3, "city", {"built": 2018, "high": 640}),
    ("某县特殊教育学校", "特殊教育学校", "城区", 0, 0, "", {
        "built": 2009, "classes": {g: [s] for g, s in enumerate((8, 9, 10, 8, 11, 9, 10, 8, 7), start=1)}}),
)

# Class-size profiles: (mean, spread) for 小学 and 初中 classes; sizes are capped at 55 here, the
# few larger classes are set explicitly below.
PROFILES = {
    "city_big": ((45.0, 2.0), (49.5, 2.0)), "city": ((42.5, 2.5), (47.5, 2.5)),
    "town": ((40.0, 4.0), (45.0, 3.5)), "township": ((34.0, 5.0), (39.0, 5.0)),
    "village": ((27.0, 6.0), (36.0, 6.0)),
}
ORDINARY_MAX = 55
# (school, grade, class number) → size: six classes of 56–65 and one of 66+, mostly in 六年级/九年级.
OVERSIZE = {
    ("某县第一实验小学", 6, 1): 58, ("某县第一实验小学", 6, 2): 61, ("城关镇中心小学", 3, 4): 56,
    ("某县第一初级中学", 9, 1): 57, ("某县第一初级中学", 9, 2): 63, ("某县第一初级中学", 9, 3): 67,
    ("某县第二初级中学", 8, 5): 59,
}

# Ledger: (bank item, state, deadline, closing date, school named in the problem)
LEDGER = (
    (1, "整改中", "2025-12-31", None, "某县第三实验小学"),
    (2, "整改中", "2025-08-31", None, "某县第二初级中学"),
    (3, "整改中", "2025-07-31", None, "某县第一初级中学"),
    (4, "已完成", "2025-03-31", "2025-03-20", None),
    (5, "已完成", "2025-08-31", "2025-08-25", None),
    (6, "已完成", "2025-06-30", "2025-06-18", None),
    (7, "长期坚持", "2025-12-31", None, None),
    (8, "已完成", "2025-09-30", "2025-09-10", None),
    (9, "已完成", "2025-04-30", "2025-04-15", None),
    (10, "已完成", "2025-06-30", "2025-06-26", None),
    (11, "整改中", "2025-12-31", None, "某县第一实验小学"),
    (12, "未启动", "2025-09-30", None, None),
    (13, "已完成", "2025-07-31", "2025-07-20", None),
    (14, "已完成", "2025-08-31", "2025-08-28", None),
    (15, "整改中", "2025-12-31", None, None),
    (16, "已完成", "2025-06-30", "2025-06-30", None),
    (17, "长期坚持", "2025-12-31", None, None),
    (18, "已完成", "2025-03-31", "2025-03-28", None),
    (19, "未启动", "2025-11-30", None, None),
    (20, "已完成", "2025-01-31", "2025-01-20", None),
)

# Self-assessment of the 测评点 no rule computes: id → (score, explanation); others get full marks.
POINT_SCORES = {
    "3": (1.5, "3项上年度反馈问题逾期未完成整改，每项扣0.5分"),
    "4": (3.0, "城东新区配套学校建设滞后于居住区交付，扣1分"),
    "15": (3.0, "乡村教师生活补助按规定发放，绩效工资总量足额核定，得满分"),
    "加2": (1.0, "课后服务“基础托管+特色课程”经验被省教育厅推广"),
}

INFO = {
    "地区名称": REGION, "上级地区": "某市", "评价年度": YEAR, "报告单位": "某县人民政府",
    "主送机关": "某市人民政府教育督导委员会办公室",
    "成文日期": dt.date(2025, 10, 20), "国土面积": 1856.3, "户籍人口": 52.6, "常住人口": 46.8,
    "地区生产总值": 276.5, "一般公共预算收入": 16.8,
    "评价通知": "《某市人民政府教育督导委员会关于开展2025年度县级人民政府履行教育职责评价工作的通知》（某市教督〔2025〕3号）",
    "督导单位": "某省人民政府教育督导委员会办公室",
    "督导时间": dt.date(2024, 11, 12), "反馈时间": dt.date(2024, 12, 20),
}


def class_sizes(name: str, grade: int, count: int, profile: str, rng: random.Random) -> list[int]:
    mean, spread = PROFILES[profile][0 if grade <= 6 else 1]
    sizes = [min(max(round(rng.gauss(mean, spread)), 15), ORDINARY_MAX) for _ in range(count)]
    return [OVERSIZE.get((name, grade, k), size) for k, size in enumerate(sizes, start=1)]


def school_plans(rng: random.Random) -> list[SchoolPlan]:
    plans = []
    for index, (name, kind, urban, per_primary, per_junior, profile, extra) in enumerate(SCHOOLS, start=1):
        classes = extra.get("classes") or {
            grade: class_sizes(name, grade, per_primary if grade <= 6 else per_junior, profile, rng)
            for grade in range(1, 10) if (per_primary if grade <= 6 else per_junior)}
        plans.append(SchoolPlan(
            id=f"2134{26:02d}{index:04d}", name=name, type=kind, urban=urban, classes=classes,
            ownership=extra.get("ownership", "公办"), high_pupils=extra.get("high", 0),
            built=extra.get("built"), exemption=extra.get("exemption"), factors=extra.get("factors", {})))
    return plans


def ledger_rows() -> list[dict]:
    rows = []
    for number, (item, state, deadline, closed, school) in enumerate(LEDGER, start=1):
        names = {"region": REGION, "school": school or "", "source": f"{YEAR - 1}年省级督导评估反馈意见",
                 "year": YEAR, "last_year": YEAR - 1}
        rows.append(demo.ledger_row(number, LEDGER_BANK[item - 1], state, dt.date.fromisoformat(deadline),
                                    dt.date.fromisoformat(closed) if closed else None, names))
    return rows


def point_rows() -> list[dict]:
    rows = demo.point_rows()
    manual = demo.manual_point_ids(demo.DUTY_SYSTEM)
    for row in rows:
        if row["编号"] in POINT_SCORES:
            row["自评得分"], row["得失分说明"] = POINT_SCORES[row["编号"]]
        elif row["编号"] in manual:
            row["自评得分"] = row["分值"]
    return rows


def example_sheets() -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    plans = school_plans(rng)
    sheets = demo.county_sheets(plans, rng, REGION, YEAR, ledger_count=0, per_pupil_scale=PER_PUPIL_SCALE)
    sheets["基本信息"] = info_rows(INFO)
    sheets["县级指标"] = demo.county_rows(plans, sheets["学校"], sheets["经费"], INFO, YEAR)
    sheets["整改台账"] = ledger_rows()
    sheets["测评点"] = point_rows()
    demo.add_other_levels(sheets, plans, REGION, YEAR, kindergartens=KINDERGARTENS)
    shape_senior_classes(sheets)
    shape_kindergartens(sheets)
    return sheets


def shape_senior_classes(sheets: dict[str, list[dict]]) -> None:
    """某县第二中学 (完全中学) gets one 高三 class of 57 and one of 67 pupils; the other 高三 classes
    give up the difference, so its 高中在校生数 is unchanged."""
    school = next(r["学校标识码"] for r in sheets["学校"] if r["学校名称"] == SENIOR_SCHOOL)
    rows = [c for c in sheets["班级"] if c["学校标识码"] == school and c["年级"] == "高三"]
    excess = sum(size - rows[k]["学生数"] for k, size in enumerate(SENIOR_OVERSIZE))
    for k, size in enumerate(SENIOR_OVERSIZE):
        rows[k]["学生数"] = size
    others = rows[len(SENIOR_OVERSIZE):]
    for k in range(excess):
        others[k % len(others)]["学生数"] -= 1


def shape_kindergartens(sheets: dict[str, list[dict]]) -> None:
    """A few kindergartens short of single standards, so the 学前 analysis has findings to name."""
    for index, (column, factor) in enumerate(KINDERGARTEN_SHORTFALLS):
        row = sheets["幼儿园"][5 + 7 * index]
        row[column] = round(row[column] * factor, 1) if column != "专任教师数" else max(1, round(row[column] * factor))
        row["持证专任教师数"] = min(row["持证专任教师数"], row["专任教师数"])
    oversize = sheets["幼儿园"][9]
    first = next(c for c in sheets["班级"] if c["学校标识码"] == oversize["幼儿园标识码"])
    oversize["在园幼儿数"] += 34 - first["学生数"]
    first["学生数"] = 34


# Kindergartens of the example and their planted shortfalls: (column, factor) applied to every 7th.
KINDERGARTENS = 46
KINDERGARTEN_SHORTFALLS = (("室外游戏场地面积", 0.5), ("建筑面积", 0.55), ("专任教师数", 0.55))
SENIOR_SCHOOL, SENIOR_OVERSIZE = "某县第二中学", (57, 67)


# The example's own 优质均衡 system: the built-in one with its commented 放宽标准 examples in force,
# as a province file would have them (the national text relaxes nothing).
SYSTEM_FILE = "某省优质均衡.yaml"
BUILTIN_SYSTEM = ROOT / "reportgen" / "systems" / "优质均衡2017.yaml"
SYSTEM_TITLE = "# 某省县域义务教育优质均衡发展督导评估指标体系（教督〔2017〕6号，启用本省放宽标准；示例）"
SETTINGS_LINE = ("  优质均衡: 优质均衡2017      # 县域义务教育优质均衡发展（教督〔2017〕6号）",
                 f"  优质均衡: {SYSTEM_FILE}  # 教督〔2017〕6号，启用本省对专用教室面积、学校规模的放宽标准")


def relaxed_system_text(text: str) -> str:
    """The built-in system with every commented 「放宽标准」 block (the line and the lines under it) in force."""
    lines = text.splitlines(keepends=True)
    lines[0] = SYSTEM_TITLE + "\n"
    out, indent = [], None
    for line in lines:
        stripped = line.lstrip(" ")
        pad = len(line) - len(stripped)
        if stripped.startswith("# 放宽标准:"):
            indent = pad
        elif indent is None or pad != indent or not stripped.startswith("#   "):
            indent = None
        out.append(line if indent is None else line[:pad] + stripped[2:])
    return "".join(out)


def write_settings(folder: Path) -> Path:
    settings = folder / "reportgen.yaml"
    text = settings.read_text(encoding="utf-8")
    assert SETTINGS_LINE[0] in text
    settings.write_text(text.replace(*SETTINGS_LINE), encoding="utf-8")
    system = folder / SYSTEM_FILE
    system.write_text(relaxed_system_text(BUILTIN_SYSTEM.read_text(encoding="utf-8")), encoding="utf-8")
    return system


def main() -> None:
    for name in (WORKBOOK, "reportgen.yaml", SYSTEM_FILE):
        (FOLDER / name).unlink(missing_ok=True)
    for path in [*demo.write_workspace(example_sheets(), FOLDER, WORKBOOK), write_settings(FOLDER)]:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()

"""A synthetic county, deterministic from a seed: every sheet of the workbook with plausible numbers.

Schools are planned first (type, location, classes per grade and class sizes); enrolment is then
the sum of the class rows, teachers follow enrolment, facilities are drawn near the 优质均衡
standards with a realistic spread so that some schools fall short. The same building blocks
make the hand-shaped example county in ``bench/make_example.py``.

The standards below are only targets the generator aims near; judging is the analysis' job,
from the indicator-system files.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.authoring.demo_texts import LEDGER_BANK, STATEMENT_BANK, TEXT_BANK, LedgerItem
from reportgen.authoring.init_workspace import DUTY_SYSTEM, duty_points, require_empty_folder
from reportgen.core.schema import GRADES
from reportgen.authoring.workbook import Rows, default_settings_text, info_rows, write_csv_folder, write_workbook
from reportgen.authoring.init_workspace import QUALITY_SYSTEM, stated_items

HIGHEST_PRIMARY_GRADE = 6
FUNDING_LEVELS = ("合计", "学前", "小学", "初中", "普通高中", "特殊教育")

# Per-pupil targets of the 2017 quality standard (小学, 初中): the generator centres on these.
TARGETS = {
    "teaching_area": (4.5, 5.8), "sports_area": (7.5, 10.2), "equipment": (2000.0, 2500.0),
    "multimedia": (2.3 / 100, 2.4 / 100),
}
# Section weights for sharing facilities in combined schools (小:初:高).
WEIGHTS = {"小学": 1.0, "初中": 1.1, "高中": 1.32}

TOWNS = ("城关", "石桥", "柳河", "白马", "青山", "安乐", "新兴", "龙泉", "桃源", "双河", "清水", "高坪",
         "马鞍", "黄土", "龙潭", "太平", "永安", "长岭", "花桥", "金鸡", "凤凰", "三合", "五里", "红岩",
         "大坝", "和平", "兴隆", "观音", "回龙", "石门", "杨柳", "枫林", "梨树", "官庄", "东岳", "西河",
         "南岭", "北山", "沙河", "孔庄")
VILLAGES = ("王庄", "李家", "张店", "刘湾", "陈岗", "杨林", "赵集", "黄坡", "周寨", "吴村", "徐营", "孙楼",
            "马桥", "朱庄", "胡岭", "郭店", "何湾", "高村", "罗坪", "梁家", "宋庄", "郑湾", "谢岗", "韩村",
            "唐家", "冯楼", "于庄", "董岭", "萧家", "程集")
STREETS = ("人民路", "解放路", "建设路", "文化路", "朝阳路", "城南", "城北", "东城", "西城", "滨河路",
           "育英路", "北关", "南关", "新华路", "光明路", "胜利路", "和平路", "府前路")
TOWN_PREFIXES = ("东", "西", "南", "北", "新", "上", "下", "大", "小", "老")
SCHOOL_MOTTOS = ("育才", "博文", "明德", "启航", "崇德", "英才", "弘毅", "致远", "知行", "求真")


@dataclass
class SchoolPlan:
    """What a school is before its numbers are drawn: type, place and class sizes per grade (1–9)."""

    id: str
    name: str
    type: str
    urban: str
    classes: dict[int, list[int]]
    ownership: str = "公办"
    high_pupils: int = 0
    built: int | None = None
    exemption: str | None = None
    factors: dict[str, float] = field(default_factory=dict)  # fixed draws, e.g. {"sports_area": 0.6}

    def pupils(self, section: str) -> int:
        return sum(sum(sizes) for grade, sizes in self.classes.items() if section_of(grade) == section)

    def class_count(self, section: str) -> int:
        return sum(len(sizes) for grade, sizes in self.classes.items() if section_of(grade) == section)


def section_of(grade: int) -> str:
    return "小学" if grade <= HIGHEST_PRIMARY_GRADE else "初中"


# ---------------------------------------------------------------- schools

def school_row(plan: SchoolPlan, rng: random.Random) -> dict[str, object]:
    """The 学校 row of a plan: enrolment from its classes, then facilities and teachers."""
    primary, junior = plan.pupils("小学"), plan.pupils("初中")
    row: dict[str, object] = {
        "学校标识码": plan.id, "学校名称": plan.name, "办学类型": plan.type,
        "办学性质": plan.ownership, "城乡分类": plan.urban,
        "小学在校生数": primary or None, "初中在校生数": junior or None,
        "高中在校生数": plan.high_pupils or None,
        "小学班级数": plan.class_count("小学") or None, "初中班级数": plan.class_count("初中") or None,
        "建校年份": plan.built, "豁免说明": plan.exemption,
    }
    row.update(facilities(plan, rng))
    for section, pupils in (("小学", primary), ("初中", junior)):
        row.update(section_teachers(plan, section, pupils, rng) if pupils else {})
    row.update(school_budget(plan))
    return row


# 公用经费 per pupil (元) the budgets are drawn from, and the shares of it schools set aside for training.
PUBLIC_FUNDS_PER_PUPIL = {"特殊教育学校": 7200.0}
PUBLIC_FUNDS_DEFAULT = 880.0
TRAINING_SHARES = (0.055, 0.059, 0.063, 0.067, 0.071)


def school_budget(plan: SchoolPlan) -> dict[str, object]:
    """公用经费预算总额 and 教师培训经费 (万元); no random draw, so every other figure stays as it was."""
    pupils = plan.pupils("小学") + plan.pupils("初中")
    budget = round(pupils * PUBLIC_FUNDS_PER_PUPIL.get(plan.type, PUBLIC_FUNDS_DEFAULT) / 1e4, 2)
    share = TRAINING_SHARES[int(plan.id[-2:]) % len(TRAINING_SHARES)]
    return {"公用经费预算总额": budget, "教师培训经费": round(budget * share, 2)}


def _draw(plan: SchoolPlan, key: str, rng: random.Random, mean: float, sd: float,
          low: float = 0.45, high: float = 2.6) -> float:
    """A factor against the standard: the plan's fixed value, else a clipped normal draw.

    The draw is made either way, so fixing one factor leaves every other draw unchanged."""
    drawn = min(max(rng.gauss(mean, sd), low), high)
    return plan.factors.get(key, drawn)


def weighted_pupils(plan: SchoolPlan) -> float:
    return (plan.pupils("小学") * WEIGHTS["小学"] + plan.pupils("初中") * WEIGHTS["初中"]
            + plan.high_pupils * WEIGHTS["高中"])


def _per_pupil_target(plan: SchoolPlan, key: str) -> float:
    """The stricter section standard when a junior or high section exists (so a split is fair)."""
    primary, junior = TARGETS[key]
    return junior if plan.pupils("初中") or plan.high_pupils else primary


def facilities(plan: SchoolPlan, rng: random.Random) -> dict[str, object]:
    """Whole-school facilities near the standards, with spread; small rural schools have a floor."""
    base = weighted_pupils(plan)
    urban = plan.urban == "城区"
    sports_mean = 1.15 if urban else 1.5
    teaching = base * _per_pupil_target(plan, "teaching_area") * _draw(plan, "teaching_area", rng, 1.3, 0.15)
    sports = base * _per_pupil_target(plan, "sports_area") * _draw(plan, "sports_area", rng, sports_mean, 0.25)
    if not urban:  # a village school still has a playground
        sports = max(sports, rng.uniform(300, 900) if plan.type == "小学教学点" else rng.uniform(900, 2400))
    equipment = base * _per_pupil_target(plan, "equipment") * _draw(plan, "equipment", rng, 1.45, 0.25)
    classes = plan.class_count("小学") + plan.class_count("初中")
    rooms = base * _per_pupil_target(plan, "multimedia") * _draw(plan, "multimedia", rng, 1.3, 0.18)
    pupils = plan.pupils("小学") + plan.pupils("初中") + plan.high_pupils
    row = {
        "教学及辅助用房面积": round(teaching, 1), "体育运动场馆面积": round(sports, 1),
        "教学仪器设备值": round(equipment / 100) * 100.0,
        "网络多媒体教室数": max(1, math.ceil(rooms)),
        "计算机台数": max(2, round(pupils * rng.uniform(0.1, 0.2))),
        "图书册数": round(pupils * (rng.uniform(32, 45) if plan.pupils("初中") else rng.uniform(22, 35))),
    }
    row.update(_art_rooms(classes, rng, plan))
    return row


def _art_rooms(classes: int, rng: random.Random, plan: SchoolPlan) -> dict[str, object]:
    """Music and art rooms: usually one per 12 classes, sometimes one short or a small room."""
    needed = max(1, math.ceil(classes / 12))
    out: dict[str, object] = {}
    for subject, standard in (("音乐", 96.0), ("美术", 90.0)):
        rooms = needed - (1 if rng.random() < 0.12 else 0)
        if plan.type == "小学教学点":
            rooms = 0
        out[f"{subject}专用教室数"] = rooms
        out[f"{subject}专用教室最小面积"] = round(rng.gauss(standard + 12, 9), 1) if rooms else None
    return out


def section_teachers(plan: SchoolPlan, section: str, pupils: int, rng: random.Random) -> dict[str, int]:
    """专任教师 of one section and the counts the standards use, proportional to pupils."""
    classes = plan.class_count(section)
    special = plan.type == "特殊教育学校"
    ratio = 3.5 if special else (rng.gauss(16.5, 1.8) if section == "小学" else rng.gauss(12.5, 1.3))
    total = max(round(pupils / ratio), round(classes * (1.3 if section == "小学" else 2.2)))
    degree = rng.uniform(0.9, 1.0) if section == "小学" else rng.uniform(0.8, 0.98)
    backbone = _draw(plan, "backbone", rng, 0.24 if section == "小学" else 0.2, 0.04, 0.02, 0.5)
    pe_art = _draw(plan, "pe_art", rng, 0.2 if section == "小学" else 0.165, 0.025, 0.03, 0.4)
    return {
        f"{section}专任教师数": total,
        f"{section}高于规定学历教师数": min(total, round(total * degree)),
        f"{section}县级以上骨干教师数": min(total, round(total * backbone)),
        f"{section}体育艺术专任教师数": min(total, round(total * pe_art)),
        f"{section}中级及以上职称教师数": min(total, round(total * rng.uniform(0.35, 0.62))),
    }


def class_rows(plan: SchoolPlan) -> Rows:
    """One 班级 row per class, grades written as 一年级…九年级 and classes as 1班, 2班 …"""
    return [{"学校标识码": plan.id, "年级": GRADES[grade - 1], "班级": f"{number}班", "学生数": size}
            for grade in sorted(plan.classes)
            for number, size in enumerate(plan.classes[grade], start=1)]


# ---------------------------------------------------------------- synthetic school plans

# Share of each 办学类型 among the schools of a synthetic county (the rest are 小学).
TYPE_SHARES = (("初级中学", 0.17), ("九年一贯制学校", 0.09), ("完全中学", 0.03),
               ("十二年一贯制学校", 0.01), ("小学教学点", 0.07), ("特殊教育学校", 0.01))
URBAN_SHARES = {"小学": (0.25, 0.35), "初级中学": (0.3, 0.45), "九年一贯制学校": (0.2, 0.4)}
PER_GRADE = {  # classes per grade, (low, high), by section and location
    ("小学", "城区"): (4, 8), ("小学", "镇区"): (2, 5), ("小学", "乡村"): (1, 3),
    ("初中", "城区"): (6, 12), ("初中", "镇区"): (3, 7), ("初中", "乡村"): (2, 3),
}
CLASS_SIZE = {  # mean and spread of class sizes
    ("小学", "城区"): (41.5, 3.5), ("小学", "镇区"): (39.0, 4.5), ("小学", "乡村"): (28.0, 8.0),
    ("初中", "城区"): (46.5, 3.5), ("初中", "镇区"): (44.0, 4.5), ("初中", "乡村"): (36.0, 7.0),
}


def type_counts(n_schools: int) -> list[tuple[str, int]]:
    """How many schools of each type; at least one special school once the county has ten."""
    counts = [(kind, int(n_schools * share)) for kind, share in TYPE_SHARES]
    counts = [(k, max(c, 1) if k == "特殊教育学校" and n_schools >= 10 else c) for k, c in counts]
    rest = n_schools - sum(c for _, c in counts)
    return [("小学", rest), *counts]


def _urban(kind: str, rng: random.Random) -> str:
    if kind == "小学教学点":
        return "乡村"
    if kind in ("特殊教育学校", "完全中学", "十二年一贯制学校"):
        return "城区" if rng.random() < 0.7 else "镇区"
    city, town = URBAN_SHARES.get(kind, (0.3, 0.4))
    draw = rng.random()
    return "城区" if draw < city else "镇区" if draw < city + town else "乡村"


def class_sizes(section: str, urban: str, count: int, rng: random.Random) -> list[int]:
    mean, sd = CLASS_SIZE[(section, urban)]
    return [min(max(round(rng.gauss(mean, sd)), 6), 75) for _ in range(count)]


def _section_classes(section: str, urban: str, rng: random.Random, scale: float = 1.0) -> dict[int, list[int]]:
    low, high = PER_GRADE[(section, urban)]
    grades = range(1, HIGHEST_PRIMARY_GRADE + 1) if section == "小学" else range(HIGHEST_PRIMARY_GRADE + 1, 10)
    return {g: class_sizes(section, urban, max(1, round(rng.randint(low, high) * scale)), rng) for g in grades}


def plan_classes(kind: str, urban: str, rng: random.Random) -> tuple[dict[int, list[int]], int]:
    """Class sizes per grade and high-school pupils for a school of this type and location."""
    if kind == "小学教学点":
        return {g: [rng.randint(4, 14)] for g in range(1, rng.randint(2, 4) + 1)}, 0
    if kind == "特殊教育学校":
        return {g: [rng.randint(6, 12)] for g in range(1, 10)}, 0
    classes: dict[int, list[int]] = {}
    if kind in ("小学", "九年一贯制学校", "十二年一贯制学校"):
        classes |= _section_classes("小学", urban, rng, 1.0 if kind == "小学" else 0.6)
    if kind != "小学":
        classes |= _section_classes("初中", urban, rng, 1.0 if kind == "初级中学" else 0.6)
    junior = sum(sum(s) for g, s in classes.items() if g > HIGHEST_PRIMARY_GRADE)
    high = {"完全中学": 1.3, "十二年一贯制学校": 0.8}.get(kind, 0.0)
    return classes, round(junior * high * rng.uniform(0.8, 1.2))


class SchoolNamer:
    """Unique, plausible school names for a county: 石桥镇中心小学, 某县第二初级中学 …"""

    def __init__(self, region: str):
        self.region = region
        self.used: set[str] = set()
        self.counters: dict[str, int] = {}

    def _next(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def name(self, kind: str, urban: str) -> str:
        candidate = self._candidate(kind, urban)
        for _ in range(50):
            if candidate not in self.used:
                break
            candidate = self._candidate(kind, urban)
        base, number = candidate, 1
        while candidate in self.used:  # only in counties far larger than any real one
            number += 1
            candidate = f"{base}（{number}）"
        self.used.add(candidate)
        return candidate

    def _town(self, key: str) -> str:
        return town_name(self._next(key) - 1)

    def _candidate(self, kind: str, urban: str) -> str:
        region = self.region
        if kind == "特殊教育学校":
            k = self._next(kind)
            return f"{region}特殊教育学校" if k == 1 else f"{region}第{chinese_number(k)}特殊教育学校"
        if kind == "完全中学":
            return f"{region}第{chinese_number(self._next(kind))}中学"
        if kind == "十二年一贯制学校":
            return f"{region}{SCHOOL_MOTTOS[(self._next(kind) - 1) % len(SCHOOL_MOTTOS)]}实验学校"
        if urban == "城区" and kind == "初级中学":
            return f"{region}第{chinese_number(self._next(kind + urban))}初级中学"
        if urban == "城区" and kind == "小学":
            return self._city_primary()
        return self._town_school(kind, urban)

    def _city_primary(self) -> str:
        """第一…第三实验小学 first, then schools named after their street: 人民路小学 …"""
        k = self._next("city primary")
        if k <= 3:
            return f"{self.region}第{chinese_number(k)}实验小学"
        street = STREETS[(k - 4) % len(STREETS)]
        return f"{self.region}{street}小学"

    def _town_school(self, kind: str, urban: str) -> str:
        town = self._town(kind)
        if kind == "初级中学":
            return f"{town}初级中学" if f"{town}初级中学" not in self.used else f"{town}第二初级中学"
        if kind == "九年一贯制学校":
            return f"{town}九年一贯制学校"
        centre = f"{town}中心小学"
        if kind == "小学" and urban == "镇区" and centre not in self.used:
            return centre
        village = VILLAGES[self._next("village") % len(VILLAGES)]
        return f"{town}{village}{'教学点' if kind == '小学教学点' else '小学'}"


def town_name(index: int) -> str:
    """The index-th town: 城关镇, 石桥镇, 柳河镇, 白马乡 …, then 东石桥镇 … for very large counties."""
    base, round_ = TOWNS[index % len(TOWNS)], index // len(TOWNS)
    prefix = TOWN_PREFIXES[(round_ - 1) % len(TOWN_PREFIXES)] if round_ else ""
    if base == "城关" and not prefix:
        return "城关镇"
    return f"{prefix}{base}{'乡' if index % len(TOWNS) % 3 == 0 else '镇'}"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十 (1–99); larger numbers stay Arabic."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones else "")


def school_id(county_code: int, index: int, n_schools: int) -> str:
    """A 10-digit id in the style of 全国学校标识码."""
    return f"21{county_code:04d}{index:04d}" if n_schools < 10_000 else f"2{index:09d}"


def synthetic_plans(n_schools: int, rng: random.Random, region: str) -> list[SchoolPlan]:
    namer, county_code = SchoolNamer(region), rng.randint(1000, 9999)
    plans = []
    for kind, count in type_counts(n_schools):
        for _ in range(count):
            urban = _urban(kind, rng)
            classes, high = plan_classes(kind, urban, rng)
            private = kind in ("小学", "初级中学", "九年一贯制学校") and urban == "城区" and rng.random() < 0.12
            plans.append(SchoolPlan(
                id=school_id(county_code, len(plans) + 1, n_schools), name=namer.name(kind, urban),
                type=kind, urban=urban, classes=classes, ownership="民办" if private else "公办",
                high_pupils=high, built=rng.randint(1952, 2021)))
    return plans


# ---------------------------------------------------------------- county-level sheets

def level_pupils(plans: list[SchoolPlan]) -> dict[str, int]:
    """Enrolment by funding level for the evaluation year (学前 estimated from primary cohorts)."""
    ordinary = [p for p in plans if p.type != "特殊教育学校"]
    primary = sum(p.pupils("小学") for p in ordinary)
    levels = {
        "学前": round(primary * 0.42), "小学": primary,
        "初中": sum(p.pupils("初中") for p in ordinary),
        "普通高中": sum(p.high_pupils for p in ordinary),
        "特殊教育": sum(p.pupils("小学") + p.pupils("初中") for p in plans if p.type == "特殊教育学校"),
    }
    return levels


# Per-pupil spending (元) in the evaluation year and pupil growth per year, by level.
PER_PUPIL_YUAN = {"学前": 9000, "小学": 11500, "初中": 15000, "普通高中": 16500, "特殊教育": 52000}
PUPIL_GROWTH = {"学前": 0.96, "小学": 0.99, "初中": 1.01, "普通高中": 1.02, "特殊教育": 1.03}
OTHER_SHARE = 0.12  # 合计 also covers 中职, administration and building projects


def funding_rows(pupils_now: dict[str, int], year: int, rng: random.Random,
                 per_pupil_scale: float = 1.0, dip_year: int | None = None) -> Rows:
    """5 years × levels; in ``dip_year`` 合计 per-pupil spending falls (学前 places expanded that year
    while building projects ended), everything else grows."""
    years = list(range(year - 4, year + 1))
    dip_year = years[2] if dip_year is None else dip_year
    pupils = _pupil_series(pupils_now, years, dip_year)
    spending = _level_spending(pupils, years, rng, per_pupil_scale)
    totals = _total_spending(spending, years, dip_year)
    rows = []
    for y in years:
        rows.append({"年度": y, "学段": "合计", "一般公共预算教育支出": round(totals[y], 2),
                     "在校生数": sum(pupils[level][y] for level in pupils)})
        rows += [{"年度": y, "学段": level, "一般公共预算教育支出": round(spending[level][y], 2),
                  "在校生数": pupils[level][y]} for level in pupils]
    return rows


def _pupil_series(now: dict[str, int], years: list[int], dip_year: int) -> dict[str, dict[int, int]]:
    """Enrolment backwards from the evaluation year; 学前 and 高中 jumped in the dip year."""
    jumps = {"学前": 1.15, "普通高中": 1.06}
    series: dict[str, dict[int, int]] = {}
    for level, count in now.items():
        values, current = {}, float(count)
        for y in reversed(years):
            values[y] = round(current)
            current /= PUPIL_GROWTH[level] * (jumps.get(level, 1.0) if y == dip_year else 1.0)
        series[level] = values
    return series


def _level_spending(pupils: dict[str, dict[int, int]], years: list[int], rng: random.Random,
                    scale: float) -> dict[str, dict[int, float]]:
    spending: dict[str, dict[int, float]] = {}
    for level, counts in pupils.items():
        per_pupil, values = PER_PUPIL_YUAN[level] * scale, {}
        for y in reversed(years):
            values[y] = counts[y] * per_pupil / 1e4
            per_pupil /= 1 + rng.uniform(0.03, 0.07)
        spending[level] = values
    return spending


def _total_spending(spending: dict[str, dict[int, float]], years: list[int], dip_year: int) -> dict[int, float]:
    totals = {y: sum(v[y] for v in spending.values()) * (1 + OTHER_SHARE) for y in years}
    if dip_year in totals and dip_year - 1 in totals:
        totals[dip_year] = totals[dip_year - 1] * 1.012  # spending still grows, pupils grow faster
    return totals


def county_rows(plans: list[SchoolPlan], schools: Rows, funding: Rows, info: dict[str, object],
                year: int) -> Rows:
    """县级指标: every county-level figure named in the data contract, plus last year's bases."""
    teachers = sum((r.get("小学专任教师数") or 0) + (r.get("初中专任教师数") or 0) for r in schools)
    total = {r["年度"]: r["一般公共预算教育支出"] for r in funding if r["学段"] == "合计"}
    revenue = float(info["一般公共预算收入"]) * 1e4 * 0.86
    public_budget = round(sum(r.get("公用经费预算总额") or 0 for r in schools), 2)
    training = round(sum(r.get("教师培训经费") or 0 for r in schools), 2)
    eligible = round(teachers * 0.36)
    exchanged = math.ceil(eligible * 0.118)
    rows = [
        ("财政经常性收入", round(revenue, 2), "万元", f"{year}年"),
        ("上年财政经常性收入", round(revenue / 1.032, 2), "万元", f"{year - 1}年"),
        ("教育财政拨款", round(total[year] * 0.94, 2), "万元", f"{year}年"),
        ("上年教育财政拨款", round(total[year - 1] * 0.94, 2), "万元", f"{year - 1}年"),
        ("教师平均工资收入", 11.86, "万元", "全县义务教育学校教师年平均工资收入"),
        ("上年教师平均工资收入", 11.41, "万元", f"{year - 1}年"),
        ("公务员平均工资收入", 11.52, "万元", "当地公务员年平均工资收入"),
        ("义务教育生均公用经费", PUBLIC_FUNDS_DEFAULT, "元", "小学、初中加权平均，按每生每年计"),
        ("上年义务教育生均公用经费", PUBLIC_FUNDS_DEFAULT - 30, "元", f"{year - 1}年"),
        ("公用经费预算总额", public_budget, "万元", "全县义务教育学校年度公用经费预算（各校合计）"),
        ("教师培训经费", training, "万元", "安排的教师培训经费（各校合计）"),
        ("特殊教育学校生均公用经费", 7200, "元", "按每生每年计"),
        ("交流轮岗教师数", exchanged, "人", "本年度交流轮岗的教师"),
        ("符合交流条件教师数", eligible, "人", "在同一学校连续任教满6年的教师"),
        ("交流轮岗骨干教师数", math.ceil(exchanged * 0.24), "人", "交流轮岗教师中的县级以上骨干教师"),
        ("教师资格证持证率", 100.0, "%", "专任教师持证上岗比例"),
        ("5年360学时培训完成率", 100.0, "%", "教师五年一周期不少于360学时培训"),
        ("就近划片入学比例(小学)", 100.0, "%", "城区和镇区公办小学"),
        ("就近划片入学比例(初中)", 97.6, "%", "城区和镇区公办初中"),
        ("优质高中名额分配比例", 56.0, "%", "优质高中招生名额分配到初中的比例"),
        ("随迁子女公办就读比例", 92.3, "%", "含政府购买服务的民办学校"),
        ("初中三年巩固率", 98.1, "%", "按三年前初一在校生计算"),
        ("残疾儿童少年入学率", 96.4, "%", "含送教上门"),
        ("社会认可度", 91.2, "%", "问卷调查满意率"),
        ("按100名学生核定公用经费的学校数", small_schools(plans), "所", "不足100名学生的村小学和教学点"),
        *((name, 0, unit, "评价年度内未发生") for name, unit in EVENT_COUNTS),
    ]
    return [{"指标": n, "值": v, "单位": u, "说明": s} for n, v, u, s in rows]


# Counts of events that veto or downgrade an evaluation; a real county reports 0 when none occurred.
EVENT_COUNTS = (
    ("以考试方式招生学校数", "所"), ("违规择校事件数", "起"), ("重点学校或重点班数", "个"),
    ("有编不补人数", "人"), ("长期聘用编外教师数", "人"), ("重大安全责任事故和严重违纪违规事件数", "起"), ("重大安全责任事故数", "起"),
    ("涉校重大安全事件数", "起"), ("违规办学通报次数", "次"), ("弄虚作假事件数", "起"),
)


def small_schools(plans: list[SchoolPlan]) -> int:
    """Village primaries and teaching points with fewer than 100 pupils."""
    return sum(1 for p in plans if p.pupils("小学") < 100
               and (p.type == "小学教学点" or (p.type == "小学" and p.urban == "乡村")))


def basic_info(region: str, year: int, plans: list[SchoolPlan]) -> dict[str, object]:
    """基本信息 scaled to the county's enrolment (about 9 compulsory pupils per 100 residents)."""
    pupils = sum(p.pupils("小学") + p.pupils("初中") for p in plans)
    residents = round(pupils / 0.095 / 1e4, 2)
    upper = region[:-1] + "市" if region.endswith("县") else "某市"
    return {
        "地区名称": region, "上级地区": upper, "评价年度": year, "报告单位": f"{region}人民政府",
        "主送机关": f"{upper}人民政府教育督导委员会办公室",
        "成文日期": dt.date(year, 10, 20), "国土面积": round(residents * 18.5, 1),
        "户籍人口": round(residents * 1.12, 2), "常住人口": residents,
        "地区生产总值": round(residents * 5.9, 2), "一般公共预算收入": round(residents * 0.36, 2),
        "评价通知": f"《{upper}人民政府教育督导委员会关于开展{year}年度县级人民政府履行教育职责评价工作的通知》",
        "督导单位": "省人民政府教育督导委员会办公室",
        "督导时间": dt.date(year - 1, 11, 12), "反馈时间": dt.date(year - 1, 12, 20),
    }


# ---------------------------------------------------------------- ledger, points, texts

LEDGER_STATE_WEIGHTS = (("已完成", 0.55), ("整改中", 0.25), ("长期坚持", 0.1), ("未启动", 0.1))


def ledger_row(number: int, item: LedgerItem, state: str, deadline: dt.date, closed: dt.date | None,
               names: dict[str, str]) -> dict[str, object]:
    progress = {"已完成": item.done, "整改中": item.doing, "长期坚持": item.doing,
                "未启动": "已制定初步方案，待资金和项目落实后启动。"}[state]
    return {
        "序号": number, "问题来源": names["source"], "问题类别": item.category,
        "反馈问题": item.problem.format(**names), "整改措施": "\n".join(m.format(**names) for m in item.measures),
        "责任单位": item.unit, "责任人": item.person, "完成时限": deadline, "整改状态": state,
        "整改进展": progress.format(**names), "佐证材料": item.evidence if state == "已完成" else None,
        "销号日期": closed,
    }


def ledger_rows(plans: list[SchoolPlan], region: str, year: int, rng: random.Random, count: int) -> Rows:
    """``count`` items from the problem bank, in mixed states; some past their deadline, not done."""
    states, weights = zip(*LEDGER_STATE_WEIGHTS)
    urban = [p.name for p in plans if p.urban == "城区"] or [p.name for p in plans]
    rows = []
    for number in range(1, count + 1):
        item = LEDGER_BANK[(number - 1) % len(LEDGER_BANK)]
        state = rng.choices(states, weights)[0]
        deadline = _month_end(year, rng.choice((3, 6, 6, 8, 9, 12, 12)))
        closed = deadline - dt.timedelta(days=rng.randint(3, 60)) if state == "已完成" else None
        names = {"region": region, "school": rng.choice(urban), "source": f"{year - 1}年省级督导评估反馈意见",
                 "year": year, "last_year": year - 1}
        rows.append(ledger_row(number, item, state, deadline, closed, names))
    return rows


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def point_rows(system: str = DUTY_SYSTEM, rng: random.Random | None = None) -> Rows:
    """测评点 rows of the 履职 system; with ``rng`` a plausible self-assessment of the points that
    cannot be computed from data (most full, a few with a deduction). Computed points are left to
    the tool, 加分 items empty."""
    rows = duty_points(system)
    if rng is not None:
        manual = manual_point_ids(system)
        for row in rows:
            if row["编号"] in manual:
                self_assess(row, rng)
    return rows


def manual_point_ids(system: str) -> set[str]:
    """测评点 whose score a person gives (no 计算 rule in the system)."""
    from reportgen.systems.indicators import load_system

    return {p.id for p in load_system("duty", system).points if p.rule is None}


def self_assess(row: dict[str, object], rng: random.Random) -> None:
    full = float(row["分值"])
    if rng.random() < 0.2:
        lost = 0.5 if full < 3 else 1.0
        row["自评得分"] = full - lost
        row["得失分说明"] = f"个别工作未完全达到评分细则要求，扣{lost:g}分"
    else:
        row["自评得分"] = full


def text_rows(region: str, year: int, facts: dict[str, object]) -> Rows:
    """文字材料: a few paragraphs per section, filled with the county's own figures."""
    values = {"region": region, "year": year, "last_year": year - 1, "dip_year": year - 2, **facts}
    return [{"章节": section, "内容": text.format(**values)} for section, text in TEXT_BANK]


def county_facts(plans: list[SchoolPlan], schools: Rows) -> dict[str, object]:
    """Figures quoted in the narrative paragraphs."""
    compulsory = [p for p in plans if p.type not in ("特殊教育学校",)]
    sizes = [(section_of(g), s) for p in plans for g, sizes in p.classes.items() for s in sizes]
    over = sum(1 for section, s in sizes if s > (45 if section == "小学" else 50))
    teachers = sum((r.get("小学专任教师数") or 0) + (r.get("初中专任教师数") or 0) for r in schools)
    return {
        "schools": len(compulsory), "pupils": sum(p.pupils("小学") + p.pupils("初中") for p in compulsory),
        "teachers": teachers, "classes": len(sizes), "over_standard": over,
        "primary_schools": sum(1 for p in plans if p.type in ("小学", "小学教学点")),
        "junior_schools": sum(1 for p in plans if p.type == "初级中学"),
    }


# ---------------------------------------------------------------- the whole county

def county_sheets(plans: list[SchoolPlan], rng: random.Random, region: str, year: int,
                  ledger_count: int, per_pupil_scale: float = 1.0) -> dict[str, Rows]:
    """All 义务教育 sheets for a list of planned schools (``add_other_levels`` adds the rest)."""
    schools = [school_row(p, rng) for p in plans]
    info = basic_info(region, year, plans)
    funding = funding_rows(level_pupils(plans), year, rng, per_pupil_scale)
    return _compulsory_sheets(plans, schools, info, funding, rng, region, year, ledger_count)


def add_other_levels(sheets: dict[str, Rows], plans: list[SchoolPlan], region: str, year: int,
                     kindergartens: int | None = None) -> None:
    """Kindergartens (幼儿园, their classes, 学前 县级指标) and the 普通高中 classes of schools with a
    senior section; drawn from their own generator so the 义务教育 rows stay as they are."""
    from reportgen.authoring import demo_preschool as pre

    rng = pre.county_rng(region, year, "学前", plans)
    towns = [p.name.split("镇")[0] for p in plans if p.type == "小学" and "镇中心小学" in p.name] or list(TOWNS)
    planned = pre.kindergarten_plans(plans, ["城关", *[t for t in towns if t != "城关"]], region, rng, kindergartens)
    sheets["幼儿园"] = [pre.kindergarten_row(k, rng) for k in planned]
    sheets["班级"] += [row for k in planned for row in pre.kindergarten_class_rows(k)]
    sheets["县级指标"] += pre.preschool_county_rows(sheets["幼儿园"], rng.uniform(0.88, 0.96), rng)
    rows = {r["学校标识码"]: r for r in sheets["学校"]}
    for plan in plans:
        sizes = pre.senior_class_sizes(plan.high_pupils, rng)
        if sizes:
            sheets["班级"] += pre.senior_class_rows(plan.id, sizes)
            rows[plan.id]["高中班级数"] = sum(len(s) for s in sizes.values())


def _compulsory_sheets(plans, schools, info, funding, rng, region, year, ledger_count) -> dict[str, Rows]:
    return {
        "基本信息": info_rows(info),
        "学校": schools,
        "班级": [row for p in plans for row in class_rows(p)],
        "经费": funding,
        "县级指标": county_rows(plans, schools, funding, info, year),
        "整改台账": ledger_rows(plans, region, year, rng, ledger_count),
        "测评点": point_rows(rng=rng),
        "文字材料": text_rows(region, year, county_facts(plans, schools)),
        "情况说明": statement_rows(),
    }


def statement_rows() -> Rows:
    """情况说明 listed as init lists them; the county states the halves of computed items
    (STATEMENT_BANK), the wholly narrative items are left to it (结论 empty)."""
    rows: Rows = []
    for row in stated_items(QUALITY_SYSTEM):
        said = STATEMENT_BANK.get(str(row["指标"]))
        rows.append({**row, "结论": "达标", "说明": said[0], "佐证材料": said[1]} if said else row)
    return rows


def synthetic_county(n_schools: int, seed: int = 2025, region: str = "示例县",
                     year: int = 2025) -> dict[str, Rows]:
    """A whole county of ``n_schools`` schools; the same seed gives the same rows."""
    if n_schools < 1:
        raise ValueError(f"n_schools must be at least 1, got {n_schools}")
    rng = random.Random(seed)
    plans = synthetic_plans(n_schools, rng, region)
    sheets = county_sheets(plans, rng, region, year, ledger_count=min(max(n_schools // 2, 1), 60))
    add_other_levels(sheets, plans, region, year)
    return sheets


def write_workspace(sheets: dict[str, Rows], folder: Path | str, workbook_name: str,
                    fmt: str = "xlsx", encoding: str = "utf-8") -> list[Path]:
    """Write sheets as a workspace folder: the workbook (or CSV files) and ``reportgen.yaml``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        written = [write_workbook(sheets, folder / workbook_name)]
    elif fmt == "csv":
        written = write_csv_folder(sheets, folder, encoding=encoding)
    else:
        raise ValueError(f"fmt must be 'xlsx' or 'csv', got {fmt!r}")
    settings = folder / "reportgen.yaml"
    settings.write_text(default_settings_text(workbook_name if fmt == "xlsx" else None), encoding="utf-8")
    return [*written, settings]


def write_demo(folder: Path | str, n_schools: int, seed: int = 2025, fmt: str = "xlsx",
               region: str = "示例县", year: int = 2025, encoding: str = "utf-8") -> list[Path]:
    """A complete synthetic workspace in a new or empty ``folder``; returns the files written."""
    require_empty_folder(Path(folder))
    sheets = synthetic_county(n_schools, seed, region, year)
    return write_workspace(sheets, folder, f"{region}{year}.xlsx", fmt, encoding)

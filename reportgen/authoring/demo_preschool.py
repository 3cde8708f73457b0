"""Synthetic kindergartens and 普通高中 classes for a demo county (``reportgen demo``, the example).

Everything here draws from its own random generator, seeded from the county, so adding
kindergartens leaves every 义务教育 row of a county exactly as it was. Numbers aim near the
usual 学前 standards with a few kindergartens short of them; judging is the analysis' job.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass

from reportgen.core.schema import SENIOR_GRADES

CHILDREN_PER_PRIMARY_PUPIL = 0.30   # 3 cohorts in kindergartens against 6 in primary, not all enrolled
CHILDREN_PER_KINDERGARTEN = 200
OWNERSHIP_SHARES = (("公办", 0.5), ("普惠性民办", 0.32), ("非普惠性民办", 0.18))
# Typical class sizes (mean, spread) per class kind; 混龄班 in the smallest village kindergartens.
CLASS_SIZE = {"小班": (23.5, 2.0), "中班": (28.0, 2.0), "大班": (32.5, 2.2), "混龄班": (19.0, 5.0)}
# The class standards the sizes stay within, except for a few classes (OVERSIZE_SHARE) above.
STANDARD = {"小班": 25, "中班": 30, "大班": 35, "混龄班": 30}
OVERSIZE_SHARE = 0.04
SENIOR_CLASS = (50.0, 3.5)


@dataclass
class KindergartenPlan:
    id: str
    name: str
    ownership: str
    urban: str
    town: str
    centre: bool
    community: bool
    classes: list[tuple[str, int]]     # (小班|中班|大班|混龄班, children)

    @property
    def children(self) -> int:
        return sum(size for _, size in self.classes)


def county_rng(region: str, year: int, key: str, plans: list) -> random.Random:
    """A generator of its own for one part of a county (never the schools' generator)."""
    return random.Random(f"{key}:{region}:{year}:{len(plans)}:{plans[0].id if plans else ''}")


def kindergarten_count(plans: list) -> int:
    primary = sum(p.pupils("小学") for p in plans if p.type != "特殊教育学校")
    return max(1, round(primary * CHILDREN_PER_PRIMARY_PUPIL / CHILDREN_PER_KINDERGARTEN))


def kindergarten_plans(plans: list, towns: list[str], region: str, rng: random.Random,
                       count: int | None = None) -> list[KindergartenPlan]:
    """``count`` kindergartens (default from the county's primary enrolment): each town its public
    centre kindergarten first, then a mix of 公办 / 普惠性民办 / 非普惠性民办 in town and city."""
    count = count or kindergarten_count(plans)
    towns = towns[: max(1, min(len(towns), count // 3))]
    kinds, weights = zip(*OWNERSHIP_SHARES)
    out = []
    per_town: dict[str, int] = {}
    for index in range(count):
        centre = index < len(towns)
        town = towns[index % len(towns)]
        urban = "城区" if index % len(towns) == 0 else ("镇区" if centre or rng.random() < 0.6 else "乡村")
        ownership = "公办" if centre else rng.choices(kinds, weights)[0]
        per_town[town] = per_town.get(town, 0) + 1
        name = _name(region, town, ownership, centre, per_town[town] - 2)
        out.append(KindergartenPlan(
            id=f"{plans[0].id[:4] if plans else '0000'}9{index + 1:05d}", name=name,
            ownership=ownership, urban=urban, town=town, centre=centre,
            community=urban == "城区" and not centre and rng.random() < 0.35,
            classes=_classes(urban, rng)))
    return out


NAME_WORDS = ("阳光", "童心", "启蒙", "小星星", "蓝天", "育苗", "春蕾", "金色")


def _name(region: str, town: str, ownership: str, centre: bool, number: int) -> str:
    """Unique within the county: the n-th kindergarten of a town after its centre kindergarten."""
    if centre:
        return f"{town}镇中心幼儿园" if town != "城关" else f"{region}第一幼儿园"
    kind = "双语幼儿园" if ownership == "非普惠性民办" else "幼儿园"
    word, cycle = NAME_WORDS[number % len(NAME_WORDS)], number // len(NAME_WORDS)
    return f"{town}镇{word}{kind}" + (f"第{cycle + 1}分园" if cycle else "")


def _classes(urban: str, rng: random.Random) -> list[tuple[str, int]]:
    if urban == "乡村" and rng.random() < 0.5:
        return [("混龄班", _size("混龄班", rng)) for _ in range(rng.randint(1, 3))]
    per_grade = rng.randint(3, 5) if urban == "城区" else rng.randint(2, 3)
    return [(grade, _size(grade, rng)) for grade in ("小班", "中班", "大班") for _ in range(per_grade)]


def _size(kind: str, rng: random.Random) -> int:
    mean, sd = CLASS_SIZE[kind]
    draw = rng.random()
    if draw < OVERSIZE_SHARE:
        return STANDARD[kind] + 1 + int(draw / OVERSIZE_SHARE * 5)
    spread = (rng.random() + rng.random() - 1.0) * 2.45  # triangular, sd about 1
    return min(max(6, round(mean + sd * spread)), STANDARD[kind])


def kindergarten_row(plan: KindergartenPlan, rng: random.Random) -> dict[str, object]:
    draw = rng.random

    def between(low: float, high: float) -> float:
        return low + (high - low) * draw()

    children = plan.children
    teachers = max(1, round(children / between(10.0, 15.4)))
    funded = plan.ownership != "非普惠性民办"
    return {
        "幼儿园标识码": plan.id, "幼儿园名称": plan.name, "办园性质": plan.ownership, "城乡分类": plan.urban,
        "所在乡镇": plan.town, "乡镇中心园": "是" if plan.centre else "否",
        "小区配套园": "是" if plan.community else "否",
        "在园幼儿数": children, "班级数": len(plan.classes), "专任教师数": teachers,
        "持证专任教师数": min(teachers, round(teachers * between(0.88, 1.0))),
        "保育员数": max(1, round(len(plan.classes) * between(0.8, 1.0))),
        "占地面积": round(children * between(11, 22), 1),
        "建筑面积": round(children * between(7.2, 12.0), 1),
        "室外游戏场地面积": round(children * between(4.1, 8.0), 1),
        "活动室面积": round(len(plan.classes) * between(55, 75), 1),
        "生均公用经费": round(between(520, 900) / 10) * 10 if funded else None,
    }


def kindergarten_class_rows(plan: KindergartenPlan) -> list[dict[str, object]]:
    numbers: dict[str, int] = {}
    rows = []
    for kind, size in plan.classes:
        numbers[kind] = numbers.get(kind, 0) + 1
        rows.append({"学校标识码": plan.id, "年级": kind, "班级": f"{kind}{numbers[kind]}班", "学生数": size})
    return rows


def senior_class_sizes(pupils: int, rng: random.Random) -> dict[str, list[int]]:
    """``pupils`` 普通高中 pupils in classes of about 50, per grade 高一–高三, summing exactly."""
    if pupils <= 0:
        return {}
    count = max(len(SENIOR_GRADES), round(pupils / SENIOR_CLASS[0]))
    sizes = [max(20, round(rng.gauss(*SENIOR_CLASS))) for _ in range(count)]
    sizes[-1] = max(1, sizes[-1] + pupils - sum(sizes))
    per_grade = math.ceil(count / len(SENIOR_GRADES))
    return {grade: sizes[i * per_grade:(i + 1) * per_grade] for i, grade in enumerate(SENIOR_GRADES)
            if sizes[i * per_grade:(i + 1) * per_grade]}


def senior_class_rows(school_id: str, sizes: dict[str, list[int]]) -> list[dict[str, object]]:
    return [{"学校标识码": school_id, "年级": grade, "班级": f"{number}班", "学生数": size}
            for grade, group in sizes.items() for number, size in enumerate(group, start=1)]


def preschool_county_rows(kindergartens: list[dict], rate: float, rng: random.Random) -> list[dict]:
    """县级指标 rows for 学前: 适龄儿童 from a gross enrolment rate, recognition, teacher pay."""
    children = sum(k["在园幼儿数"] for k in kindergartens)
    return [
        {"指标": "学前三年适龄儿童数", "值": round(children / rate), "单位": "人", "说明": "3-5岁常住适龄儿童"},
        {"指标": "学前教育社会认可度", "值": round(rng.uniform(88, 95), 1), "单位": "%", "说明": "问卷调查满意率"},
        {"指标": "在编教师平均工资收入", "值": 9.6, "单位": "万元", "说明": "公办园在编教师年平均工资收入"},
        {"指标": "非在编教师平均工资收入", "值": round(rng.uniform(6.2, 9.8), 2), "单位": "万元",
         "说明": "公办园非在编教师年平均工资收入"},
    ]

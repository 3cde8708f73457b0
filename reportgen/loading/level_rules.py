"""Rules for the levels beyond 义务教育 (data contract, second wave): kindergartens and the
grades a class may have in its school.

Each rule takes the typed tables and the ``Issues`` factory of ``rules.py`` and reports located
issues; ``rules.RULES`` runs them with the others.
"""
from __future__ import annotations

import pandas as pd

from reportgen.core.schema import COMPULSORY_GRADE_CODES, GRADE_NAMES, KINDERGARTEN_GRADE_CODES
from reportgen.core.values import plain
from reportgen.loading.frames import ROW

KINDERGARTEN = "幼儿园"
# Grades (codes of schema.GRADE_CODES) each 办学类型 may have. Grade 6 is 初中 in a 五四制 county,
# so a junior section accepts it; 职业学校 classes are kept but not checked.
_PRIMARY, _JUNIOR, _SENIOR = range(1, 7), range(6, 10), range(10, 13)
TYPE_GRADES: dict[str, frozenset[int]] = {
    "小学": frozenset(_PRIMARY),
    "小学教学点": frozenset(_PRIMARY),
    "初级中学": frozenset(_JUNIOR),
    "九年一贯制学校": frozenset(_PRIMARY) | frozenset(_JUNIOR),
    "完全中学": frozenset(_JUNIOR) | frozenset(_SENIOR),
    "十二年一贯制学校": frozenset(_PRIMARY) | frozenset(_JUNIOR) | frozenset(_SENIOR),
    "高级中学": frozenset(_SENIOR),
    "特殊教育学校": frozenset(_PRIMARY) | frozenset(_JUNIOR) | frozenset(_SENIOR),
}


def grade_name(code: float) -> str:
    return GRADE_NAMES.get(int(code), f"{int(code)}年级")


def kindergarten_ids_unique(tables: dict[str, pd.DataFrame], issues) -> None:
    from reportgen.loading.rules import duplicate_keys

    duplicate_keys(tables[KINDERGARTEN], KINDERGARTEN, ["幼儿园标识码"], issues)


def kindergarten_teachers(tables: dict[str, pd.DataFrame], issues) -> None:
    """Certified teachers never exceed the teachers; children are taught by someone."""
    frame = issues.clean(tables, KINDERGARTEN)
    for _, row in frame[frame["持证专任教师数"] > frame["专任教师数"]].iterrows():
        issues.add(KINDERGARTEN, int(row[ROW]), "持证专任教师数", plain(row["持证专任教师数"]),
                   f"不应超过专任教师数（{plain(row['专任教师数'])}）")
    for _, row in frame[(frame["在园幼儿数"] > 0) & ~(frame["专任教师数"] > 0)].iterrows():
        issues.add(KINDERGARTEN, int(row[ROW]), "专任教师数", plain(row["专任教师数"]),
                   "有在园幼儿的幼儿园应填报专任教师数（大于0）")


def class_grade_fits_school(tables: dict[str, pd.DataFrame], issues) -> None:
    """A kindergarten class belongs to a kindergarten, a school class to a school of a type that
    teaches that grade."""
    types = tables["学校"].dropna(subset=["学校标识码"]).drop_duplicates("学校标识码").set_index("学校标识码")["办学类型"]
    kindergartens = set(tables[KINDERGARTEN]["幼儿园标识码"].dropna())
    classes = issues.clean(tables, "班级").dropna(subset=["学校标识码", "年级"])
    school_types = types.to_dict()
    problems: dict[tuple[str, int], str | None] = {}   # the classes of one school and grade agree
    for unit_id, code, row in zip(classes["学校标识码"], classes["年级"], classes[ROW]):
        grade = int(code)
        key = (unit_id, grade)
        if key not in problems:
            problems[key] = _grade_problem(unit_id, grade, school_types, kindergartens)
        if problems[key]:
            # a 义务教育 grade in the wrong type is a likely typo but cannot break a count: a warning
            severity = "警告" if grade in COMPULSORY_GRADE_CODES and unit_id in school_types else "错误"
            issues.add("班级", int(row), "年级", grade_name(grade), problems[key], severity)


def _grade_problem(unit_id: str, grade: int, types: dict[str, str], kindergartens: set) -> str | None:
    kindergarten_class = grade in KINDERGARTEN_GRADE_CODES
    if unit_id in kindergartens and unit_id not in types:
        return None if kindergarten_class else "幼儿园的班级应为 小班、中班、大班 或 混龄班"
    if unit_id not in types:
        return None  # an unknown id is reported by classes_known_school
    if kindergarten_class:
        return "小班、中班、大班、混龄班是幼儿园的班级，学校标识码应填「幼儿园」表中的幼儿园标识码"
    allowed = TYPE_GRADES.get(types[unit_id])
    if allowed is None or grade in allowed:
        return None
    return f"{types[unit_id]}没有{grade_name(grade)}，请核对年级或「学校」表中的办学类型"


LEVEL_RULES = (kindergarten_ids_unique, kindergarten_teachers, class_grade_fits_school)

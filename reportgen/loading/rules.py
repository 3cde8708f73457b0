"""Consistency rules across rows and sheets (data contract), each returning located issues."""
from __future__ import annotations

import difflib
from typing import Callable

import pandas as pd

from reportgen.core.errors import InputIssue
from reportgen.core.values import plain
from reportgen.loading.frames import ROW
from reportgen.loading.level_rules import LEVEL_RULES

Origin = dict[str, tuple[str, str]]
SECTIONS = ("小学", "初中")
# Which sections each 办学类型 must / must not have.
_TYPE_SECTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "小学": (("小学",), ("初中", "高中")),
    "小学教学点": (("小学",), ("初中", "高中")),
    "初级中学": (("初中",), ("小学", "高中")),
    "九年一贯制学校": (("小学", "初中"), ("高中",)),
    "完全中学": (("初中", "高中"), ("小学",)),
    "十二年一贯制学校": (("小学", "初中", "高中"), ()),
    "高级中学": (("高中",), ("小学", "初中")),
}
_SECTION_TEACHERS = ("高于规定学历教师数", "县级以上骨干教师数", "体育艺术专任教师数")


class Issues:
    """Issue factory bound to the workspace's file and sheet names."""

    def __init__(self, origin: Origin, bad_rows: set[tuple[str, int]]):
        self.origin = origin
        self.bad_rows = bad_rows
        self.found: list[InputIssue] = []

    def clean(self, tables: dict[str, pd.DataFrame], sheet: str) -> pd.DataFrame:
        """The sheet's rows without a cell error: cross-field rules wait until cells are fixed."""
        frame = tables[sheet]
        bad = [row for name, row in self.bad_rows if name == sheet]
        return frame[~frame[ROW].isin(bad)] if bad else frame

    def add(self, sheet: str, row: int | None, column: str | None, value: object, expected: str,
            severity: str = "错误") -> None:
        file, name = self.origin.get(sheet, ("", sheet))
        self.found.append(InputIssue(file, name, row, column, value, expected, severity))


def check_all(tables: dict[str, pd.DataFrame], origin: Origin,
              cell_issues: list[InputIssue], settings=None) -> list[InputIssue]:
    """Run every rule, then the plausibility checks; rows whose cells already failed to parse
    are left to that error alone."""
    from reportgen.loading.plausibility import PLAUSIBILITY_RULES

    names = {file_sheet[1]: sheet for sheet, file_sheet in origin.items()}
    bad = {(names.get(i.sheet, i.sheet), i.row) for i in cell_issues if i.is_error and i.row is not None}
    issues = Issues(origin, bad)
    for rule in RULES:
        rule(tables, issues)
    for check in PLAUSIBILITY_RULES:
        check(tables, issues, settings)
    return issues.found


def _duplicates(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    present = frame.dropna(subset=keys)
    return present[present.duplicated(subset=keys, keep="first")]


def unique_keys(tables: dict[str, pd.DataFrame], issues: Issues) -> None:
    for sheet, keys in (("学校", ["学校标识码"]), ("经费", ["年度", "学段"]), ("整改台账", ["序号"]),
                        ("测评点", ["编号"]), ("县级指标", ["指标"])):
        duplicate_keys(tables[sheet], sheet, keys, issues)


def duplicate_keys(frame: pd.DataFrame, sheet: str, keys: list[str], issues: Issues) -> None:
    """Every row whose ``keys`` repeat an earlier row's, located, naming the first row."""
    for _, row in _duplicates(frame, keys).iterrows():
        first = frame[(frame[keys] == row[keys]).all(axis=1)][ROW].iloc[0]
        value = "、".join(str(plain(row[k])) for k in keys)
        issues.add(sheet, int(row[ROW]), "、".join(keys), value, f"与第{first}行重复，应唯一")


def school_rows(tables: dict[str, pd.DataFrame], issues: Issues) -> list[dict]:
    """The 学校 rows without a cell error, as dicts (``iterrows`` builds a Series a row: slow)."""
    return issues.clean(tables, "学校").to_dict("records")


def has_schools(tables: dict[str, pd.DataFrame], issues: Issues) -> None:
    if tables["学校"].empty:
        issues.add("学校", None, None, None, "工作表中没有学校数据，至少需要填写一所学校")


def school_ids(tables: dict[str, pd.DataFrame], issues: Issues) -> None:
    for row in school_rows(tables, issues):
        sid = row["学校标识码"]
        if sid and not (len(sid) == 10 and sid.isdigit()):
            issues.add("学校", int(row[ROW]), "学校标识码", sid, "全国学校标识码应为10位数字", "警告")


def sections_fit_type(tables: dict[str, pd.DataFrame], issues: Issues) -> None:
    for row in school_rows(tables, issues):
        must, must_not = _TYPE_SECTIONS.get(row["办学类型"], ((), ()))
        for section in must:
            if not row[f"{section}在校生数"] > 0:
                issues.add("学校", int(row[ROW]), f"{section}在校生数", plain(row[f"{section}在校生数"]),
                           f"{row['办学类型']}应有{section}在校生（大于0）")
        for section in must_not:
            if row[f"{section}在校生数"] > 0:
                issues.add("学校", int(row[ROW]), f"{section}在校生数", plain(row[f"{section}在校生数"]),
                           f"{row['办学类型']}不应有{section}在校生，请核对办学类型")


def teachers_for_pupils(tables: dict[str, pd.DataFrame], issues: Issues) -> None:
    for row in school_rows(tables, issues):
        _, must_not = _TYPE_SECTIONS.get(row["办学类型"], ((), ()))
        for section in SECTIONS:
            if not row[f"{section}在校生数"] > 0 or section in must_not:
                continue
            _section_teachers(row, section, issues)


def _section_teachers(row: dict, section: str, issues: Issues) -> None:
    total = row[f"{section}专任教师数"]
    if not total > 0:
        issues.add("学校", int(row[ROW]), f"{section}专任教师数", plain(total), f"有{section}在校生的学校应填报{section}专任教师数（大于0）")
    for name in _SECTION_TEACHERS:
        value = row[f"{section}{name}"]
        if value != value:
            issues.add("学校", int(row[ROW]), f"{section}{name}", None, f"有{section}在校生的学校必须填报（没有请填0）")
        elif total > 0 and value > total:
            issues.add("学校", int(row[ROW]), f"{section}{name}", plain(value), f"不应超过{section}专任教师数（{plain(total)}）")


def classes_known_school(tables: dict[str, pd.DataFrame], issues: Issues) -> None:
    """One error per unknown id (the root), with the rows it affects; none when 学校 is empty
    (that sheet's own error is the root then)."""
    schools = set(tables["学校"]["学校标识码"].dropna())
    if not schools:
        return
    known = schools | set(tables["幼儿园"]["幼儿园标识码"].dropna())
    classes = tables["班级"]
    unknown = classes[~classes["学校标识码"].isin(known) & classes["学校标识码"].notna()]
    for sid, rows in unknown.groupby("学校标识码", sort=False):
        numbers = [int(r) for r in rows[ROW]]
        close = difflib.get_close_matches(str(sid), sorted(known), n=1, cutoff=0.7)
        hint = f"；「学校」表中有相近的「{close[0]}」，请核对是哪一处写错" if close else ""
        issues.add("班级", numbers[0], "学校标识码", sid,
                   f"「学校」表中没有这个学校标识码（{_row_span(numbers)}，共{len(numbers)}行班级使用它；幼儿园的班级应填「幼儿园」表中的幼儿园标识码）{hint}")


def _row_span(numbers: list[int]) -> str:
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"第{numbers[0]}行" if len(numbers) == 1 else f"第{numbers[0]}—{numbers[-1]}行"
    shown = "、".join(map(str, numbers[:10]))
    return f"第{shown}{'等' if len(numbers) > 10 else ''}行"


def points_within_max(tables: dict[str, pd.DataFrame], issues: Issues) -> None:
    points = issues.clean(tables, "测评点")
    over = points[points["自评得分"] > points["分值"]]
    for _, row in over.iterrows():
        issues.add("测评点", int(row[ROW]), "自评得分", plain(row["自评得分"]), f"不应超过分值（{plain(row['分值'])}）")


def ledger_closing(tables: dict[str, pd.DataFrame], issues: Issues) -> None:
    ledger = tables["整改台账"]
    for _, row in ledger[(ledger["整改状态"] == "已完成") & ledger["销号日期"].isna()].iterrows():
        issues.add("整改台账", int(row[ROW]), "销号日期", None, "状态为已完成的问题应填写销号日期", "警告")


def funding_years(tables: dict[str, pd.DataFrame], issues: Issues) -> None:
    funding = tables["经费"]
    years = sorted(set(funding.loc[funding["学段"] == "合计", "年度"].dropna().astype(int)))
    if len(years) < 2 or not any(b - a == 1 for a, b in zip(years, years[1:])):
        issues.add("经费", None, "年度", "、".join(map(str, years)) or None,
                   "「合计」至少需要两个连续年度，才能计算经费增长", "警告")


RULES: tuple[Callable[[dict, Issues], None], ...] = (
    unique_keys, has_schools, school_ids, sections_fit_type, teachers_for_pupils,
    classes_known_school, points_within_max, ledger_closing, funding_years, *LEVEL_RULES,
)

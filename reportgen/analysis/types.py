"""Typed shapes of the analysis result (shared/spec/analysis-json.md).

TypedDicts, so the result stays a plain JSON-ready dict (``result["class_size"]["primary"]``
keeps working) while mypy checks the keys. Blocks whose inner structure is still shaped by
their own modules are typed down to the level readers rely on; ``dict[str, Any]`` marks the
rest.
"""
from __future__ import annotations

from typing import Any, TypedDict

JSON = dict[str, Any]


class SystemRef(TypedDict):
    selected: str
    name: str
    document: str


class SectionTotals(TypedDict):
    total: float | None              # None when no section reported the column
    by_section: dict[str, float]     # 小学 / 初中 → sum over the 义务教育学校


class ProfileBlock(TypedDict):
    """基本情况: 义务教育学校 by 办学类型 and their pupils, classes and teachers."""

    compulsory_types: list[str]
    other_types: list[str]
    schools: int                     # 义务教育学校 (compulsory_types only)
    schools_by_type: dict[str, int]  # compulsory and other types present
    pupils: SectionTotals
    classes: SectionTotals
    teachers: SectionTotals
    info: dict[str, float | None]    # 基本信息 figures (国土面积 …); None when not given
    all_schools: dict[str, SectionTotals]  # pupils / classes / teachers of every school (特殊教育 included)


class ClassSection(TypedDict, total=False):
    section: str
    standard: float
    classes: int | None
    classes_unknown_size: int
    reason: str | None
    over_standard: int | None
    large_56_65: int | None
    huge_66_plus: int | None
    large_or_huge: int
    large_share: float | None
    graduating_over_standard: int | None
    graduating_large_56_65: int
    graduating_huge_66_plus: int
    next_year: dict[str, int]
    schools_over_standard: int
    max_size: float | None


class ClassSizeBlock(TypedDict):
    available: bool
    reason: str | None
    bands: JSON
    schools: list[JSON]
    primary: JSON                            # keys as ClassSection
    junior: JSON
    excluded_classes: dict[str, int]         # 办学类型 → classes not under the 45/50 rule
    distribution: dict[str, dict[str, int]]  # 小学 / 初中 → {class size: classes}
    senior: JSON                             # 普通高中 (standards §10)


class CategoryCounts(TypedDict):
    category: str
    total: int
    done: int
    in_progress: int
    not_started: int
    long_term: int


class LedgerItem(TypedDict):
    no: int
    row: int
    category: str
    state: str
    deadline: str | None
    closed: str | None
    days_late: int                  # days past 完成时限 of an open item, else 0


class RectificationBlock(TypedDict):
    as_of: str
    total: int
    done: int
    in_progress: int
    not_started: int
    long_term: int
    completion_rate: float | None
    completion_rate_reason: str | None
    categories: list[CategoryCounts]
    overdue: list[JSON]
    due_soon: list[JSON]
    within_days: int
    inconsistent: list[JSON]
    by_unit: list[JSON]
    closed_by_month: list[JSON]
    states: list[str]                   # 已完成, 整改中, 未启动, 长期坚持 (chart order)
    items: list[LedgerItem]             # every item by 序号
    closed_dates: list[str]
    newly_completed: list[int] | None   # None without a previous ledger


class QualitySectionCounts(TypedDict):
    indicators: int
    cv_over: int
    cv_unknown: int
    split_parts: int                    # 小学部 / 初中部 of combined schools in scope
    schools_below: dict[str, int]       # indicator id → schools below its standard


ItemCounts = TypedDict("ItemCounts", {"items": int, "达标": int, "未达标": int, "待说明": int})


class VetoCounts(TypedDict):
    triggered: int
    pending: int


class DutyCounts(TypedDict):
    points: int
    not_applicable: int
    missing: int
    lost: dict[str, float]              # 测评点 id → marks lost (max − score), scored points only


class CountsBlock(TypedDict):
    quality: dict[str, QualitySectionCounts]
    quality_excluded: int
    guarantee: ItemCounts
    education_quality: ItemCounts
    vetoes: VetoCounts
    duty: DutyCounts


class Analysis(TypedDict):
    """The whole ``analyze(ws)`` result."""

    region: str
    year: int | None
    systems: dict[str, SystemRef]
    profile: ProfileBlock
    quality_balance: JSON
    basic_balance: JSON
    class_size: ClassSizeBlock
    school_size: JSON
    funding: JSON
    guarantee: list[JSON]
    education_quality: list[JSON]
    social_recognition: JSON
    vetoes: list[JSON]
    duty_scoring: JSON
    rectification: RectificationBlock
    counts: CountsBlock

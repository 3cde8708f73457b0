"""Tallies the reports print about the other blocks: how many indicators exceed the limit, how
many items are 达标/未达标/待说明, how many 测评点 lost marks and how many, and so on.

Computed once from the result so every report prints the same number and ``--explain`` can
show it (the ``counts`` block).
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from reportgen.analysis.common import FAIL, PASS, PENDING
from reportgen.analysis.types import CountsBlock, DutyCounts, ItemCounts, QualitySectionCounts, VetoCounts

SECTION_KEYS = ("primary", "junior")
# 办学类型 whose schools count by section (a 小学部 and an 初中部) in the balance scope.
SPLIT_TYPES = ("九年一贯制学校", "完全中学", "十二年一贯制学校")


def counts(result: Mapping[str, Any]) -> CountsBlock:
    """The ``counts`` block of the analysis result (the other blocks must be computed)."""
    quality = result["quality_balance"]
    return {
        "quality": {key: quality_section_counts(quality[key]) for key in SECTION_KEYS},
        "quality_excluded": len(quality.get("excluded") or []),
        "guarantee": item_counts(result["guarantee"]),
        "education_quality": item_counts(result["education_quality"]),
        "vetoes": veto_counts(result["vetoes"]),
        "duty": duty_counts(result["duty_scoring"]),
    }


def quality_section_counts(block: Mapping[str, Any]) -> QualitySectionCounts:
    """Indicators over the limit or not computable, school parts, and schools below each standard."""
    indicators = block["indicators"]
    schools = block["schools"]
    return {
        "indicators": len(indicators),
        "cv_over": sum(1 for e in indicators.values() if e.get("cv_ok") is False),
        "cv_unknown": sum(1 for e in indicators.values() if e.get("cv") is None),
        "split_parts": sum(1 for s in schools if s.get("type") in SPLIT_TYPES),
        "schools_below": {i: sum(1 for s in schools if i in s["failed"]) for i in indicators},
    }


def item_counts(items: Iterable[Mapping[str, Any]]) -> ItemCounts:
    """How many items there are and how many are 达标 / 未达标 / 待说明."""
    statuses = [i["status"] for i in items]
    return {"items": len(statuses), "达标": statuses.count(PASS), "未达标": statuses.count(FAIL),
            "待说明": statuses.count(PENDING)}


def veto_counts(vetoes: Iterable[Mapping[str, Any]]) -> VetoCounts:
    flags = [v.get("triggered") for v in vetoes]
    return {"triggered": sum(1 for f in flags if f is True), "pending": sum(1 for f in flags if f is None)}


def duty_counts(scoring: Mapping[str, Any]) -> DutyCounts:
    """测评点 counted, not applicable, not yet scored, and the marks each scored point lost."""
    points = scoring["points"]
    return {
        "points": len(points),
        "not_applicable": len(scoring.get("not_applicable") or []),
        "missing": len(scoring.get("missing") or []),
        "lost": {p["id"]: p["max_score"] - p["score"] for p in points
                 if p.get("score") is not None and p.get("max_score") is not None},
    }

"""Pure analysis of a loaded workspace: ``analyze(ws) -> dict`` (shared/spec/analysis-json.md).

Only pandas and numpy are used here; no document or chart library is imported.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from reportgen.core.errors import IndicatorSystemError
from reportgen.systems.indicators import ITEM_MEASURE_PREFIXES, BasicSystem, DutySystem, QualitySystem, load_system
from reportgen.analysis.basic import basic_balance
from reportgen.analysis.common import system_of
from reportgen.analysis.class_size import class_size, school_size
from reportgen.analysis.counts import counts
from reportgen.analysis.county import County
from reportgen.analysis.funding import funding
from reportgen.analysis.guarantee import Context, evaluate_item, evaluate_items, evaluate_vetoes
from reportgen.analysis.quality import quality_balance
from reportgen.analysis.profile import profile
from reportgen.analysis.scheme_rules import Figures
from reportgen.analysis.schemes import score_scheme, statements
from reportgen.analysis.scoring import measures, score_duty
from reportgen.analysis.types import Analysis, SystemRef

if TYPE_CHECKING:
    from reportgen.core.workspace import Workspace
    from reportgen.loading.memo import SheetMemo
    from reportgen.systems.preschool import PreschoolSystem
    from reportgen.systems.schemes import Scheme

__all__ = ["analyze", "summary_text", "explain", "explainable", "load_systems", "as_of_date", "Analysis"]

TRAINING_ITEM = "training_budget"  # the 教育质量 item the funding block repeats


def load_systems(ws: "Workspace") -> tuple[QualitySystem, BasicSystem, DutySystem]:
    """The three indicator systems selected in the workspace settings, cross-checked."""
    chosen = ws.settings.systems
    quality = system_of("quality", QualitySystem, chosen["quality"], ws.root)
    basic = system_of("basic", BasicSystem, chosen["basic"], ws.root)
    duty = system_of("duty", DutySystem, chosen["duty"], ws.root)
    check_links(duty, quality)
    return quality, basic, duty


def check_links(duty: DutySystem, quality: QualitySystem) -> None:
    """Every 政府保障程度./教育质量. link of the duty system names an item of the quality system."""
    known = {"政府保障程度": {i.id for i in quality.guarantee}, "教育质量": {i.id for i in quality.education_quality}}
    for point in duty.points:
        measure = point.rule.measure if point.rule else ""
        prefix = next((p for p in ITEM_MEASURE_PREFIXES if measure.startswith(p)), None)
        if prefix and measure[len(prefix):] not in known[prefix[:-1]]:
            raise IndicatorSystemError(
                f"指标体系文件「{duty.source}」：测评点{point.id}的「计算 › 依据」为「{measure}」，"
                f"但优质均衡指标体系「{quality.source}」的{prefix[:-1]}中没有编号「{measure[len(prefix):]}」，"
                f"可用的编号有：{'、'.join(sorted(known[prefix[:-1]]))}")


def as_of_date(ws: "Workspace") -> dt.date:
    """The date the rectification status is judged on: 成文日期, else 31 December of 评价年度."""
    written = ws.info.get("成文日期")
    if isinstance(written, dt.date):
        return written
    if not ws.year:
        return dt.date.today()
    return dt.date(ws.year + 1, 1, 1) - dt.timedelta(days=1)  # 31 December


def analyze(ws: "Workspace", previous_ledger: list[dict] | None = None, memo: "SheetMemo | None" = None) -> Analysis:
    """Every figure the reports need, JSON-ready, full precision; missing data give None with a reason.

    ``previous_ledger`` is the 整改台账 snapshot of the previous report (``ledger_snapshot``);
    with it, ``rectification.newly_completed`` lists the items completed since. ``memo`` (a warm
    process, ``loading/memo.py``): a block whose sheets did not change is not computed again.
    """
    from reportgen.analysis.rectification import rectification_summary

    quality, basic, duty = load_systems(ws)
    schools, county = ws.schools, County(ws.county)
    sizes = class_size(ws.tables["班级"], schools, quality.class_size, ws.settings.highest_primary_grade)
    caps = school_size(schools, quality.school_size)
    ctx = Context(schools, county, quality, sizes, caps, ws.tables.get("情况说明"))
    education = evaluate_items(quality.education_quality, ctx)
    training = next((i for i in education if i["id"] == TRAINING_ITEM), None)
    blocks: dict[str, Any] = {
        "quality_balance": quality_balance(schools, quality),
        "basic_balance": basic_balance(schools, basic),
        "funding": funding(ws.funding, county, duty, ws.year, training),
        "guarantee": evaluate_items(quality.guarantee, ctx),
        "education_quality": education,
        "social_recognition": evaluate_item(quality.social_recognition, ctx),
        "vetoes": evaluate_vetoes(quality.vetoes, county),
    }
    duty_vetoes = evaluate_vetoes(duty.vetoes, county)
    systems: dict[str, SystemRef] = {
        kind: {"selected": ws.settings.systems[kind], "name": system.name,
               "document": getattr(system, "document", "")}
        for kind, system in (("quality", quality), ("basic", basic), ("duty", duty))}
    result: dict[str, Any] = {
        "region": ws.region, "year": ws.year, "systems": systems,
        "profile": profile(schools, ws.info),
        "quality_balance": blocks["quality_balance"], "basic_balance": blocks["basic_balance"],
        "class_size": sizes, "school_size": caps, "funding": blocks["funding"],
        "guarantee": blocks["guarantee"], "education_quality": education,
        "social_recognition": blocks["social_recognition"], "vetoes": blocks["vetoes"],
        "rectification": rectification_summary(ws.ledger, as_of_date(ws), previous=previous_ledger),
        "preschool": preschool_block(ws, county, memo),
    }
    figures = Figures(result, measures(result), county, statements(ws))
    result["duty_scoring"] = score_duty(ws.points, duty, figures, duty_vetoes)
    result["schemes"] = scheme_results(ws, duty, figures, result["duty_scoring"])
    result["counts"] = counts({**blocks, "duty_scoring": result["duty_scoring"]})
    return cast(Analysis, result)


def preschool_block(ws: "Workspace", county: County, memo: "SheetMemo | None" = None) -> dict:
    """The ``preschool`` block with the 学前 system the settings choose (built-in by default)."""
    import copy

    from reportgen.analysis.preschool import preschool

    system = cast("PreschoolSystem", load_system("preschool", ws.settings.system("preschool"), ws.root))

    def block() -> dict:
        return preschool(ws.kindergartens, ws.tables["班级"], county, system, ws.tables.get("情况说明"))

    if memo is None:
        return block()
    return copy.deepcopy(memo.derived(PRESCHOOL_SHEETS, "preschool", block, (system,)))


PRESCHOOL_SHEETS = ("幼儿园", "班级", "县级指标", "情况说明")   # what the preschool block reads


def scheme_results(ws: "Workspace", duty: DutySystem, figures: Figures, duty_block: dict) -> dict:
    """``schemes.<name>``: the 履职 scheme (when written in the scheme language) and every 评估方案 chosen.

    The 测评点 sheet belongs to the scheme chosen under 履职评价 (any scheme may be chosen there); the
    other schemes are scored from the data alone (their 人工 points stay 待填报).
    """
    import pandas as pd

    out = {}
    if duty.scheme is not None:
        out[duty.scheme.name] = score_scheme(duty.scheme, ws.points, figures, duty_block)
    for name in ws.settings.schemes:
        scheme = cast("Scheme", load_system("scheme", name, ws.root))
        out.setdefault(scheme.name, score_scheme(scheme, pd.DataFrame(), figures))
    return out


def summary_text(result: Analysis) -> str:
    from reportgen.analysis.summary import summary_text as _summary

    return _summary(dict(result))


def explain(ws: "Workspace", result: Analysis, figure_id: str) -> str:
    from reportgen.analysis.trace import explain as _explain

    return _explain(ws, result, figure_id)


def explainable(result: Analysis) -> list[tuple[str, str]]:
    """Every figure id ``explain`` accepts, with its Chinese name."""
    from reportgen.analysis.trace import explainable as _explainable

    return _explainable(result)

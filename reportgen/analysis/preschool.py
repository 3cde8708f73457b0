"""学前教育普及普惠 (standards §9): the three rates, kindergarten class sizes, the 政府保障 and
保教质量 items, and which kindergartens fail which per-kindergarten standard.

Rates are fractions of 在园幼儿数 from the 幼儿园 sheet: 毛入园率 = all children ÷ 学前三年适龄儿童数
(县级指标); 普惠性幼儿园覆盖率 = (公办 + 普惠性民办) ÷ all; 公办园在园幼儿占比 = 公办 ÷ all.
Every threshold comes from the chosen ``PreschoolSystem``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from reportgen.analysis.common import (
    FAIL,
    PASS,
    PENDING,
    all_ok,
    g,
    name_list,
    num,
    pct,
    status_of,
    text,
)
from reportgen.analysis.county import County, missing
from reportgen.analysis.guarantee import combine, evaluate_condition, stated_item
from reportgen.core.schema import GRADE_NAMES, KINDERGARTEN_GRADE_CODES
from reportgen.systems.indicators import Item
from reportgen.systems.preschool import KINDERGARTEN_MEASURES, PreschoolSystem

KID, KNAME, OWNER, CHILDREN, ROW = "幼儿园标识码", "幼儿园名称", "办园性质", "在园幼儿数", "_row"
PUBLIC, INCLUSIVE_PRIVATE = "公办", "普惠性民办"
NO_SHEET = "未填报「幼儿园」工作表，无法计算学前教育指标"


def preschool(kindergartens: pd.DataFrame, classes: pd.DataFrame, county: County,
              system: PreschoolSystem, statements: pd.DataFrame | None = None) -> dict:
    """The contract's ``preschool`` block (``available`` False with a reason when no kindergarten)."""
    head = {"system": {"name": system.name, "document": system.document}}
    if kindergartens.empty:
        return {"available": False, "reason": NO_SHEET, **head}
    table = kindergarten_classes(classes, kindergartens, system)
    ctx = _Context(kindergartens, table, county, system, statements)
    items = {"guarantee": [evaluate(i, ctx) for i in system.guarantee],
             "quality": [evaluate(i, ctx) for i in system.quality]}
    social = evaluate(system.social_recognition, ctx)
    rates = coverage(kindergartens, county, system)
    out = {"available": True, "reason": None, **head, **rates,
           **teacher_figures(kindergartens),
           "class_size": class_size_block(table, system),
           "social_recognition": social, **items,
           "kindergarten_list": kindergarten_verdicts(kindergartens, table, system)}
    out["failing_kindergartens"] = [k for k in out["kindergarten_list"] if k["failed"]]
    out["verdict"] = verdict(out)
    return out


# ---------------------------------------------------------------- the three rates

def coverage(kindergartens: pd.DataFrame, county: County, system: PreschoolSystem) -> dict:
    children = kindergartens[CHILDREN].sum(min_count=1)
    by_owner = kindergartens.groupby(OWNER)[CHILDREN].sum(min_count=1)
    public, inclusive = num(by_owner.get(PUBLIC, 0.0)) or 0.0, num(by_owner.get(INCLUSIVE_PRIVATE, 0.0)) or 0.0
    eligible = county.find(system.eligible_names)
    total = num(children)
    rates = {
        "gross_enrolment_rate": (total / eligible.value if eligible and eligible.value > 0 and total is not None else None,
                                 system.rates["学前三年毛入园率"]),
        "inclusive_coverage": ((public + inclusive) / total if total else None, system.rates["普惠性幼儿园覆盖率"]),
        "public_share": (public / total if total else None, system.rates["公办园在园幼儿占比"]),
    }
    out = {"kindergartens": int(len(kindergartens)), "children": total,
           "eligible_children": eligible.value if eligible else None,
           "eligible_children_reason": None if eligible else missing(system.eligible_names),
           "public_children": public, "inclusive_private_children": inclusive,
           "non_inclusive_private_children": (total or 0.0) - public - inclusive,
           "by_ownership": {o: {"kindergartens": int((kindergartens[OWNER] == o).sum()),
                                "children": num(by_owner.get(o, 0.0))} for o in by_owner.index}}
    for key, (value, minimum) in rates.items():
        out[key] = value
        out[f"{key}_min"] = minimum
        out[f"{key}_ok"] = None if value is None else bool(value >= minimum)
    return out


def teacher_figures(kindergartens: pd.DataFrame) -> dict:
    teachers = num(kindergartens["专任教师数"].sum(min_count=1))
    known = kindergartens[kindergartens["持证专任教师数"].notna()]
    certified = num(known["持证专任教师数"].sum(min_count=1))
    known_teachers = num(known["专任教师数"].sum(min_count=1))
    children = num(kindergartens[CHILDREN].sum(min_count=1))
    return {"teachers": teachers, "certified_teachers": certified,
            "children_per_teacher": children / teachers if teachers and children is not None else None,
            "certified_rate": certified / known_teachers if known_teachers and certified is not None else None}


# ---------------------------------------------------------------- classes

def kindergarten_classes(classes: pd.DataFrame, kindergartens: pd.DataFrame,
                         system: PreschoolSystem) -> pd.DataFrame:
    """The 班级 rows of kindergartens with their grade name, standard and over-standard flag."""
    rows = classes[classes["年级"].isin(KINDERGARTEN_GRADE_CODES) & classes["学校标识码"].isin(kindergartens[KID])]
    grade = rows["年级"].map(lambda c: GRADE_NAMES[int(c)])
    standard = grade.map(system.class_standard)
    size = rows["学生数"]
    return pd.DataFrame({KID: rows["学校标识码"], "grade": grade, "size": size, "standard": standard,
                         ROW: rows[ROW], "known": size.notna(), "over": size.notna() & (size > standard)},
                        index=rows.index)


def class_size_block(table: pd.DataFrame, system: PreschoolSystem) -> dict:
    known = table[table["known"]]
    over = int(known["over"].sum())
    by_grade = {grade: {"standard": system.class_standard[grade], "classes": int((known["grade"] == grade).sum()),
                        "over_standard": int(known.loc[known["grade"] == grade, "over"].sum())}
                for grade in system.class_standard}
    return {"classes": int(len(known)), "classes_unknown_size": int((~table["known"]).sum()),
            "over_standard": over if len(known) else None,
            "compliance_rate": (len(known) - over) / len(known) if len(known) else None,
            "reason": None if len(known) else "「班级」工作表中没有幼儿园班级（小班、中班、大班、混龄班）",
            "standard": dict(system.class_standard), "by_grade": by_grade}


# ---------------------------------------------------------------- items

class _Context:
    def __init__(self, kindergartens, classes, county, system, statements):
        self.kindergartens, self.classes, self.county, self.system = kindergartens, classes, county, system
        self.statements = statements if statements is not None else pd.DataFrame(columns=["指标", "结论", "说明"])


def evaluate(item: Item, ctx: _Context) -> dict:
    base: dict[str, Any] = {"id": item.id, "label": item.label, "note": item.note, "check": item.check,
            "conditions": [], "details": []}
    if item.check == "说明":
        return {**base, **stated_item(item, ctx.statements)}
    if item.check == "县级":
        conditions = [evaluate_condition(c, ctx.county) for c in item.conditions]
        return {**base, **combine(conditions), "conditions": conditions}
    return {**base, **_CHECKS[item.check](item, ctx)}


def township_centres(item: Item, ctx: _Context) -> dict:
    frame = ctx.kindergartens[ctx.kindergartens["所在乡镇"].notna()]
    standard = "每个乡镇至少一所公办中心园"
    if frame.empty:
        return {"status": PENDING, "value": None, "standard": standard,
                "reason": "「幼儿园」工作表未填报「所在乡镇」，无法判断"}
    towns = list(dict.fromkeys(frame["所在乡镇"]))
    centres = frame[(frame["乡镇中心园"] == "是") & (frame[OWNER] == PUBLIC)]["所在乡镇"]
    lacking = [t for t in towns if t not in set(centres)]
    reason = (f"{len(towns)}个乡镇（街道）均有公办中心园" if not lacking else
              f"{len(towns)}个乡镇（街道）中{len(lacking)}个没有公办中心园：{name_list(lacking)}")
    return {"status": FAIL if lacking else PASS, "value": (len(towns) - len(lacking)) / len(towns),
            "standard": standard, "reason": reason, "details": [{"town": t} for t in lacking]}


def community_kindergartens(item: Item, ctx: _Context) -> dict:
    frame = ctx.kindergartens
    standard = "小区配套园办成公办园或普惠性民办园"
    if frame["小区配套园"].isna().all():
        return {"status": PENDING, "value": None, "standard": standard,
                "reason": "「幼儿园」工作表未填报「小区配套园」，无法判断"}
    community = frame[frame["小区配套园"] == "是"]
    bad = community[~community[OWNER].isin((PUBLIC, INCLUSIVE_PRIVATE))]
    reason = (f"小区配套园{len(community)}所，均为公办园或普惠性民办园" if bad.empty else
              f"小区配套园{len(community)}所，其中{len(bad)}所为非普惠性民办园：{name_list(list(bad[KNAME]))}")
    return {"status": FAIL if len(bad) else PASS,
            "value": (len(community) - len(bad)) / len(community) if len(community) else None,
            "standard": standard, "reason": reason, "details": _listed(bad)}


def measure_values(kindergartens: pd.DataFrame, measure: str) -> pd.Series:
    """The per-kindergarten value of a 园指标 measure (NaN where not reported or not computable)."""
    top, bottom = KINDERGARTEN_MEASURES[measure]
    if bottom is None:
        return kindergartens[top].astype(float)
    return kindergartens[top] / kindergartens[bottom].where(kindergartens[bottom] > 0)


def meets(values: pd.Series, params: dict) -> pd.Series:
    """True/False per value against the item's bound; NaN stays undecided (NaN)."""
    ok = values >= params["at_least"] if params["at_least"] is not None else values <= params["at_most"]
    return ok.where(values.notna())


def _bound(params: dict) -> str:
    value = params["at_least"] if params["at_least"] is not None else params["at_most"]
    shown = pct(value) if params["measure"].endswith("率") else g(value)
    return ("≥" if params["at_least"] is not None else "≤") + shown


def kindergarten_measure(item: Item, ctx: _Context) -> dict:
    params = item.params
    frame = ctx.kindergartens[ctx.kindergartens[OWNER].isin(params["ownership"])]
    values = measure_values(frame, params["measure"])
    ok = meets(values, params)
    failing = frame[ok == False]  # noqa: E712 (NaN is neither)
    standard = f"{params['measure']}{_bound(params)}"
    if values.notna().sum() == 0:
        return {"status": PENDING, "value": None, "standard": standard,
                "reason": f"{'、'.join(params['ownership'])}幼儿园均未填报计算「{params['measure']}」所需的数据"}
    unknown = int(values.isna().sum())
    tail = f"；{unknown}所未填报" if unknown else ""
    if params["scope"] == "全县":
        value = _county_value(frame, values, params["measure"])
        passed = bool(meets(pd.Series([value]), params).iloc[0])
        reason = f"全县{params['measure']}为{_shown(value, params)}，{'达到' if passed else '未达到'}{_bound(params)}的标准"
    else:
        value = float((ok == True).sum() / ok.notna().sum())  # noqa: E712
        passed = value >= params["share_min"]
        reason = f"{int(ok.notna().sum())}所幼儿园中{int((ok == True).sum())}所达到{standard}"  # noqa: E712
    if len(failing):
        reason += f"，未达到的有{name_list(list(failing[KNAME]))}"
    return {"status": PASS if passed else FAIL, "value": value, "standard": standard,
            "reason": reason + tail, "details": _listed(failing, values)}


def _county_value(frame: pd.DataFrame, values: pd.Series, measure: str) -> float:
    top, bottom = KINDERGARTEN_MEASURES[measure]
    known = values.notna()
    if bottom is None:  # a per-child amount: weighted by children
        weights = frame.loc[known, CHILDREN].fillna(0.0)
        return float(np.average(values[known], weights=weights)) if weights.sum() > 0 else float(values[known].mean())
    return float(frame.loc[known, top].sum() / frame.loc[known, bottom].sum())


def _shown(value: float, params: dict) -> str:
    return pct(value) if params["measure"].endswith("率") else g(value)


def class_compliance(item: Item, ctx: _Context) -> dict:
    block = class_size_block(ctx.classes, ctx.system)
    minimum = item.params["at_least"]
    standard = f"班额达标率≥{pct(minimum)}"
    rate = block["compliance_rate"]
    if rate is None:
        return {"status": PENDING, "value": None, "standard": standard, "reason": block["reason"]}
    over = _oversize_by_kindergarten(ctx.classes, ctx.kindergartens)
    reason = (f"幼儿园班级{block['classes']}个，超过标准班额{block['over_standard']}个，班额达标率{pct(rate)}"
              + (f"；有超标准班额的幼儿园：{name_list([o['name'] for o in over])}" if over else ""))
    return {"status": status_of(rate >= minimum), "value": rate, "standard": standard, "reason": reason,
            "details": over}


def _oversize_by_kindergarten(table: pd.DataFrame, kindergartens: pd.DataFrame) -> list[dict]:
    names = kindergartens.drop_duplicates(KID).set_index(KID)[KNAME]
    over = table[table["over"]].groupby(KID, sort=True).agg(classes=("over", "size"), max_size=("size", "max"))
    return [{"id": kid, "name": text(names.get(kid)) or kid, "over_standard": int(r["classes"]),
             "max_size": float(r["max_size"])} for kid, r in over.iterrows()]


def _listed(frame: pd.DataFrame, values: pd.Series | None = None) -> list[dict]:
    shown = values[frame.index].tolist() if values is not None else [None] * len(frame)
    return [{"id": kid, "name": name, "row": int(row), **({"value": num(v)} if values is not None else {})}
            for kid, name, row, v in zip(frame[KID], frame[KNAME], frame[ROW], shown)]


_CHECKS = {"乡镇公办中心园": township_centres, "小区配套园": community_kindergartens,
           "园指标": kindergarten_measure, "班额达标率": class_compliance}


# ---------------------------------------------------------------- per kindergarten

def kindergarten_verdicts(kindergartens: pd.DataFrame, table: pd.DataFrame, system: PreschoolSystem) -> list[dict]:
    """Each kindergarten's values of every 园指标 item it is checked on, and the per-kindergarten
    standards (口径 每园, and the class sizes) it fails; 全县 items are judged on the county total."""
    values: dict[str, pd.Series] = {}
    failed: dict[str, pd.Series] = {}
    for item in (i for i in system.items if i.check == "园指标"):
        checked = kindergartens[OWNER].isin(item.params["ownership"])
        values[item.id] = measure_values(kindergartens, item.params["measure"]).where(checked)
        if item.params["scope"] == "每园":
            failed[item.id] = checked & (meets(values[item.id], item.params) == False)  # noqa: E712
    items = {i.id: i for i in system.items}
    class_item = next((i for i in system.items if i.check == "班额达标率"), None)
    oversize = kindergartens[KID].map(table[table["over"]].groupby(KID).size()).fillna(0).astype(int).tolist()
    value_lists = {item_id: [num(v) for v in series.tolist()] for item_id, series in values.items()}
    fail_lists = {item_id: flags.tolist() for item_id, flags in failed.items()}
    out = []
    for n, row in enumerate(kindergartens.to_dict("records")):
        fails = [_failure(items[item_id], value_lists[item_id][n]) for item_id, flags in fail_lists.items() if flags[n]]
        if class_item and oversize[n]:
            fails.append({"id": class_item.id, "label": class_item.label, "value": float(oversize[n]),
                          "standard": "每班不超过标准班额"})
        out.append({"id": row[KID], "name": row[KNAME], "ownership": row[OWNER], "row": int(row[ROW]),
                    "town": text(row["所在乡镇"]), "children": num(row[CHILDREN]), "classes": num(row["班级数"]),
                    "teachers": num(row["专任教师数"]), "oversize_classes": oversize[n],
                    "values": {item_id: v[n] for item_id, v in value_lists.items()
                               if row[OWNER] in items[item_id].params["ownership"]},
                    "failed": fails})
    return out


def _failure(item: Item, value: float | None) -> dict:
    return {"id": item.id, "label": item.label, "value": None if value is None else float(value),
            "standard": f"{item.params['measure']}{_bound(item.params)}"}


def verdict(block: dict) -> str:
    """通过 when every rate and item is met, 未通过 when any is not, else 待定 (something to state)."""
    statuses = [block[f"{k}_ok"] for k in ("gross_enrolment_rate", "inclusive_coverage", "public_share")]
    items = block["guarantee"] + block["quality"] + [block["social_recognition"]]
    statuses += [None if i["status"] == PENDING else i["status"] != FAIL for i in items]
    ok = all_ok(statuses)
    return "待定" if ok is None else ("通过" if ok else "未通过")

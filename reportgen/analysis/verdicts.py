"""The verdicts of one analysis, as a record two builds can be compared by (判定记录.json).

``verdict_record(analysis)`` is pure: the analysis result in, JSON-ready data out. It holds

* ``verdicts``: key → ``{"label", "value", "verdict", "figure", "id"}`` — a school's 资源配置达标项数
  and its verdict, every 政府保障程度 / 教育质量 / 学前 item's 达标 · 未达标 · 待说明, each 差异系数
  against its limit, the 测评点 scores, grades and scheme verdicts. ``value`` is a count or score
  that is itself a verdict (text, or None), ``verdict`` the word; an entry changes when either does.
  ``figure`` is the measured value behind the verdict (差异系数, rate), shown beside a change but
  not one by itself; ``id`` the figure id ``analyze --explain`` accepts ("" when there is none);
* ``lists``: key → ``{"label", "id", "members": {id: name}}`` — the schools, kindergartens or ledger
  items a report lists (超规模学校, 专用教室未达标学校, 大班额学校…);
* ``quantities``: the computed quantities person-written text may state (``consistency``).

``verdict_changes(old, new)`` lists what differs, in the order of the new record.
"""
from __future__ import annotations

from itertools import zip_longest
from typing import Any, Iterable, Iterator, Mapping

from reportgen.core.vocabulary import FAIL, PASS, SCHOOL_VERDICTS
from reportgen.analysis.common import g
from reportgen.analysis.consistency import Statement, quantity_values, stated_value
from reportgen.analysis.labels import SECTIONS, STATS, _school_name, _short

VERDICT_RECORD = "判定记录.json"
ITEM_AREAS = (("guarantee", "政府保障程度"), ("education_quality", "教育质量"))
PRESCHOOL_AREAS = (("guarantee", "学前政府保障"), ("quality", "学前保教质量"))
PRESCHOOL_RATES = (("gross_enrolment_rate", "学前三年毛入园率"), ("inclusive_coverage", "普惠性幼儿园覆盖率"),
                   ("public_share", "公办园在园幼儿占比"))
CLASS_BANDS = (("large_56_65", "大班额（56～65人）班级"), ("huge_66_plus", "超大班额（66人及以上）班级"))
UNDETERMINED = "无法判断"

Entry = tuple[str, dict]


def verdict_record(analysis: Mapping[str, Any]) -> dict:
    """Every verdict, list and stated quantity of ``analysis`` (see the module docstring)."""
    verdicts = dict(entry for part in _VERDICT_PARTS for entry in part(analysis))
    lists = dict(entry for part in _LIST_PARTS for entry in part(analysis))
    return {"verdicts": verdicts, "lists": lists, "quantities": quantity_values(analysis)}


def _verdict(label: str, verdict: str | None, value: str | None = None, fig_id: str = "",
             figure: str | None = None) -> dict:
    return {"label": label, "value": value, "verdict": verdict, "figure": figure, "id": fig_id}


def _ok_word(ok: bool | None) -> str:
    return UNDETERMINED if ok is None else (PASS if ok else FAIL)


def _num(value: Any, digits: int | None = None) -> str | None:
    if not isinstance(value, (int, float)):
        return None
    return f"{value:.{digits}f}" if digits is not None else g(value)


def _pct(value: Any) -> str | None:
    return f"{value * 100:.2f}%" if isinstance(value, (int, float)) else None


# ---------------------------------------------------------------- verdicts

def _schools(analysis: Mapping[str, Any]) -> Iterator[Entry]:
    """Each school's (or school part's) 资源配置达标项数 and its verdict on the per-school rule."""
    for key, section in SECTIONS.items():
        block = (analysis.get("quality_balance") or {}).get(key) or {}
        for school in block.get("schools") or []:
            fig_id = f"quality.{key}.school.{school['id']}.met"
            name = _school_name(block, school["id"], section)
            yield fig_id, _verdict(f"{name}：资源配置达标项数", SCHOOL_VERDICTS[school.get("ok")],
                                   _num(school.get("met")), fig_id)


def _balance(analysis: Mapping[str, Any]) -> Iterator[Entry]:
    """Each 优质均衡 差异系数 against its limit, each section's verdict, and the 基本均衡 composite."""
    for key, section in SECTIONS.items():
        block = (analysis.get("quality_balance") or {}).get(key) or {}
        for ind, figures in (block.get("indicators") or {}).items():
            fig_id = f"quality.{key}.{ind}.cv"
            yield fig_id, _verdict(f"{section}{figures.get('label', ind)}{STATS['cv']}", _ok_word(figures.get("cv_ok")),
                                   fig_id=fig_id, figure=_num(figures.get("cv"), 3))
        if block:
            yield f"quality.{key}.ok", _verdict(f"{section}资源配置（优质均衡）", _ok_word(block.get("ok")))
        basic = (analysis.get("basic_balance") or {}).get(key) or {}
        if basic:
            fig_id = f"basic.{key}.composite_cv"
            yield fig_id, _verdict(f"基本均衡{section}综合差异系数", _ok_word(basic.get("ok")),
                                   fig_id=fig_id, figure=_num(basic.get("composite_cv"), 3))


def _items(analysis: Mapping[str, Any]) -> Iterator[Entry]:
    """政府保障程度 and 教育质量 items, 社会认可度 and the 不予认定 situations."""
    for key, area in ITEM_AREAS:
        for n, item in enumerate(analysis.get(key) or [], 1):
            fig_id = f"{key}.{item['id']}"
            label = f"{area}第{item.get('number') or n}项「{_short(item['label'])}」"
            yield fig_id, _verdict(label, item.get("status"), fig_id=fig_id)
    recognition = analysis.get("social_recognition")
    if recognition:
        yield "social_recognition", _verdict("社会认可度", recognition.get("status"), fig_id="social_recognition",
                                             figure=_pct(recognition.get("value")))
    for veto in analysis.get("vetoes") or []:
        fig_id = f"vetoes.{veto['id']}"
        yield fig_id, _verdict(f"不予认定情形「{_short(veto['label'])}」", veto.get("status"), fig_id=fig_id)


def _funding(analysis: Mapping[str, Any]) -> Iterator[Entry]:
    funding = analysis.get("funding") or {}
    for key, label in (("two_no_decrease", "两个只增不减"), ("three_growth", "三个增长")):
        block = funding.get(key)
        if isinstance(block, dict):
            ok = block.get("ok") if "ok" in block else _both(block.get("spending_ok"), block.get("per_pupil_ok"))
            yield f"funding.{key}", _verdict(label, _ok_word(ok), fig_id=f"funding.{key}")


def _both(a: bool | None, b: bool | None) -> bool | None:
    return False if False in (a, b) else (None if None in (a, b) else True)


def _preschool(analysis: Mapping[str, Any]) -> Iterator[Entry]:
    block = analysis.get("preschool") or {}
    if not block.get("available"):
        return
    for key, label in PRESCHOOL_RATES:
        yield f"preschool.{key}", _verdict(label, _ok_word(block.get(f"{key}_ok")), fig_id=f"preschool.{key}",
                                           figure=_pct(block.get(key)))
    for key, area in PRESCHOOL_AREAS:
        for item in block.get(key) or []:
            fig_id = f"preschool.{key}.{item['id']}"
            yield fig_id, _verdict(f"{area}「{_short(item['label'])}」", item.get("status"), fig_id=fig_id)
    recognition = block.get("social_recognition")
    if recognition:
        yield "preschool.social_recognition", _verdict("学前教育社会认可度", recognition.get("status"),
                                                       fig_id="preschool.social_recognition",
                                                       figure=_pct(recognition.get("value")))
    yield "preschool.verdict", _verdict("学前教育普及普惠评估结论", block.get("verdict"))


def _duty(analysis: Mapping[str, Any]) -> Iterator[Entry]:
    """测评点 scores, the 履职 grade and every scheme's verdict and grade."""
    scoring = analysis.get("duty_scoring") or {}
    for point in scoring.get("points") or []:
        fig_id = f"duty.point.{point['id']}.score"
        yield fig_id, _verdict(f"测评点{point['id']}得分", None, _num(point.get("score")), fig_id)
    if scoring:
        yield "duty.grade", _verdict("履职评价自评等级", scoring.get("grade"), fig_id="duty.grade",
                                     figure=_num(scoring.get("final")))
    for name, scheme in (analysis.get("schemes") or {}).items():
        fig_id = f"schemes.{name}.verdict"
        yield fig_id, _verdict(f"{name}自评结论", scheme.get("verdict"), fig_id=fig_id)
        fig_id = f"schemes.{name}.grade"
        yield fig_id, _verdict(f"{name}自评等级", scheme.get("grade"), fig_id=fig_id, figure=_num(scheme.get("final")))


_VERDICT_PARTS = (_schools, _balance, _items, _funding, _preschool, _duty)


# ---------------------------------------------------------------- lists

def _list(label: str, fig_id: str, members: dict[str, str]) -> dict:
    return {"label": label, "id": fig_id, "members": members}


def _item_lists(analysis: Mapping[str, Any]) -> Iterator[Entry]:
    """The schools an item lists (专用教室未达标学校, 超规模学校, 班额超标学校…)."""
    for key, area in ITEM_AREAS:
        for n, item in enumerate(analysis.get(key) or [], 1):
            details = [d for d in item.get("details") or [] if d.get("id")]
            if details:
                label = f"{area}第{item.get('number') or n}项「{_short(item['label'])}」所列学校名单"
                yield f"{key}.{item['id']}.details", _list(label, f"{key}.{item['id']}",
                                                          {str(d["id"]): d["name"] for d in details})


def _school_lists(analysis: Mapping[str, Any]) -> Iterator[Entry]:
    over = (analysis.get("school_size") or {}).get("over_limit") or []
    yield "school_size.over_limit", _list("超规模学校名单", "school_size.over_limit", {s["id"]: s["name"] for s in over})
    excluded = (analysis.get("quality_balance") or {}).get("excluded") or []
    yield "quality.excluded", _list("不参与资源配置计算的学校名单", "quality.excluded",
                                    {s["id"]: s["name"] for s in excluded})
    schools = (analysis.get("class_size") or {}).get("schools") or []
    for key, section in SECTIONS.items():
        for band, label in CLASS_BANDS:
            members = {s["id"]: s["name"] for s in schools if s.get("section") == key and (s.get(band) or 0) > 0}
            yield f"class_size.{key}.{band}", _list(f"有{section}{label}的学校名单", f"class_size.{key}.{band}", members)


def _other_lists(analysis: Mapping[str, Any]) -> Iterator[Entry]:
    preschool = analysis.get("preschool") or {}
    if preschool.get("available"):
        failing = preschool.get("failing_kindergartens") or []
        yield "preschool.failing_kindergartens", _list("未达到逐园标准的幼儿园名单", "preschool.failing_kindergartens",
                                                       {k["id"]: k["name"] for k in failing})
    overdue = (analysis.get("rectification") or {}).get("overdue") or []
    yield "rectification.overdue", _list("逾期整改问题名单", "rectification.overdue",
                                         {str(o["no"]): f"问题{o['no']}" for o in overdue})


_LIST_PARTS = (_item_lists, _school_lists, _other_lists)


# ---------------------------------------------------------------- comparison

def verdict_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[dict]:
    """Changed verdicts (``kind`` "verdict": label, old/new value and verdict, id) and list
    members entering or leaving a list (``kind`` "list": label, member name, ``entered``, id);
    empty when there is no earlier record to compare with."""
    if not old:
        return []
    return list(_changed_verdicts(old.get("verdicts") or {}, new["verdicts"])) + \
        list(_changed_lists(old.get("lists") or {}, new["lists"]))


def _changed_verdicts(old: Mapping[str, dict], new: Mapping[str, dict]) -> Iterator[dict]:
    for key in [*new, *(k for k in old if k not in new)]:
        was, now = old.get(key), new.get(key)
        if was and now and (was["value"], was["verdict"]) == (now["value"], now["verdict"]):
            continue
        shown = now or was or {}
        before, after = was or {}, now or {}
        yield {"kind": "verdict", "key": key, "label": shown["label"], "id": shown.get("id") or "",
               "old_value": before.get("value"), "new_value": after.get("value"),
               "old": before.get("verdict"), "new": after.get("verdict"),
               "old_figure": before.get("figure"), "new_figure": after.get("figure"),
               "appeared": was is None, "gone": now is None}


def _changed_lists(old: Mapping[str, dict], new: Mapping[str, dict]) -> Iterator[dict]:
    for key in [*new, *(k for k in old if k not in new)]:
        was, now = (old.get(key) or {}).get("members") or {}, (new.get(key) or {}).get("members") or {}
        shown = new.get(key) or old.get(key) or {}
        for member in [*(m for m in now if m not in was), *(m for m in was if m not in now)]:
            yield {"kind": "list", "key": key, "label": shown["label"], "id": shown.get("id") or "",
                   "member": now.get(member) or was.get(member), "entered": member in now}


def moved_statements(old: Mapping[str, Any] | None, statements: Iterable[Statement]) -> list[dict]:
    """Person-written sentences that state a quantity whose computed value changed since the
    record ``old``: where the sentence stands, the sentence, the quantity and its old and new value.
    The text is never changed; a person is asked to check it."""
    before = (old or {}).get("quantities") or {}
    out, seen = [], set()
    for s in statements:
        was = before.get(s.key)
        place = (s.sheet, s.row, s.column, s.clause, s.quantity, s.written)
        if was is None or list(was) == list(s.values) or place in seen:
            continue
        seen.add(place)
        then, now = next((a, b) for a, b in zip_longest(was, s.values) if a != b)
        out.append({"sheet": s.sheet, "row": s.row, "column": s.column, "sentence": s.sentence,
                    "clause": s.clause, "quantity": s.quantity, "figure": s.figure,
                    "old": "无" if then is None else stated_value(then, s.percent),
                    "new": "无" if now is None else stated_value(now, s.percent)})
    return out

"""Computed evidence sentences for a rectification problem, chosen by its 问题类别.

Each sentence states figures from the analysis (keys of shared/spec/analysis-json.md) and
nothing else; a category with no matching data gets no evidence.
"""
from __future__ import annotations

from typing import Callable

from reportgen.core.vocabulary import FAIL, LEDGER_STATES, PASS, PENDING
from reportgen.reports import numbers as fmt
from reportgen.reports.figures import FigureBook

SECTIONS = {"primary": "小学", "junior": "初中"}


def evidence_for(category: str, analysis: dict, book: FigureBook) -> list[str]:
    sentences = []
    for words, writer in _WRITERS:
        if any(w in str(category) for w in words):
            sentences += writer(analysis, book)
    return sentences


def class_size_evidence(analysis: dict, book: FigureBook) -> list[str]:
    sizes = analysis.get("class_size") or {}
    bands = sizes.get("bands") or {}
    parts = [_class_size_part(key, label, sizes[key], bands, book)
             for key, label in SECTIONS.items() if (sizes.get(key) or {}).get("classes")]
    return [f"目前，全县{'；'.join(parts)}。"] if parts else []


def _class_size_part(key: str, label: str, s: dict, bands: dict, book: FigureBook) -> str:
    """One section's class counts; the band limits come from the indicator system."""
    def put(field: str) -> str:
        return book.put(f"class_size.{key}.{field}", s[field], fmt.count)

    large = f"{fmt.plain(bands['large_min'])}至{fmt.plain(bands['large_max'])}人" if bands else "大班额范围内"
    huge = f"{fmt.plain(bands['huge_min'])}人以上" if bands else ""
    return (f"{label}共有班级{put('classes')}个，超过{fmt.plain(s['standard'])}人标准班额的"
            f"{put('over_standard')}个（其中毕业年级{put('graduating_over_standard')}个），"
            f"{large}的大班额{put('large_56_65')}个，{huge}的超大班额{put('huge_66_plus')}个")


def funding_evidence(analysis: dict, book: FigureBook) -> list[str]:
    rows = ((analysis.get("funding") or {}).get("by_level") or {}).get("合计") or []
    if len(rows) < 2:
        return []
    last = rows[-1]
    year = last["year"]
    text = (f"{year}年全县一般公共预算教育支出"
            f"{book.put(f'funding.合计.{year}.spending', last['spending'], fmt.wan_yuan)}")
    if last.get("spending_growth") is not None:
        text += f"，比上年{book.put(f'funding.合计.{year}.spending_growth', last['spending_growth'], fmt.change)}"
    if last.get("per_pupil") is not None:
        text += f"；生均一般公共预算教育支出{book.put(f'funding.合计.{year}.per_pupil', last['per_pupil'], fmt.yuan)}"
        if last.get("per_pupil_growth") is not None:
            text += f"，比上年{book.put(f'funding.合计.{year}.per_pupil_growth', last['per_pupil_growth'], fmt.change)}"
    return [text + "。"]


# Funding levels (学段 of the 经费 sheet) as the seeds name them, in the order they are told.
LEVEL_NAMES = {"学前": "幼儿园", "小学": "普通小学", "初中": "普通初中", "普通高中": "普通高中",
               "中等职业": "中等职业学校", "特殊教育": "特殊教育学校"}
TOTAL_LEVEL = "合计"
COMPULSORY_LEVELS = ("小学", "初中")
PRESCHOOL_LEVELS = ("学前",)
PER_PUPIL = "生均一般公共预算教育支出"


def per_level_funding_evidence(analysis: dict, book: FigureBook, levels: tuple[str, ...] | None = None) -> list[str]:
    """"2025年幼儿园、普通小学一般公共预算教育支出分别为…，分别比上年增长…；生均一般公共预算教育支出分别为…，
    分别比上年增长…" for the latest year of the levels (all but 合计, or ``levels``); [] without one."""
    by_level = _levels(analysis, levels)
    if not by_level:
        return []
    year = max(rows[-1]["year"] for rows in by_level.values())
    shown = [(level, e) for level, rows in by_level.items() for e in rows if e["year"] == year]
    clauses = [c for c in (_level_clause("一般公共预算教育支出", "spending", shown, book, fmt.wan_yuan),
                           _level_clause(PER_PUPIL, "per_pupil", shown, book, fmt.yuan)) if c]
    return [f"{year}年{_level_names(shown)}{'；'.join(clauses)}。"] if clauses else []


def _levels(analysis: dict, levels: tuple[str, ...] | None) -> dict[str, list[dict]]:
    """The levels' rows in the order the seeds tell them (LEVEL_NAMES, then any other level)."""
    by_level = (analysis.get("funding") or {}).get("by_level") or {}
    wanted = levels or [*LEVEL_NAMES, *sorted(set(by_level) - set(LEVEL_NAMES) - {TOTAL_LEVEL})]
    return {level: by_level[level] for level in wanted if by_level.get(level)}


def _level_names(shown: list[tuple[str, dict]]) -> str:
    return "、".join(LEVEL_NAMES.get(level, level) for level, _ in shown)


def _level_clause(label: str, key: str, shown: list[tuple[str, dict]], book: FigureBook, amount) -> str | None:
    """"生均一般公共预算教育支出分别为A、B，分别比上年增长a、b" (the parts every shown level has)."""
    several = len(shown) > 1
    parts = []
    if all(e.get(key) is not None for _, e in shown):
        values = "、".join(book.put(f"funding.{level}.{e['year']}.{key}", e[key], amount) for level, e in shown)
        parts.append(("分别为" if several else "") + values)
    if all(e.get(f"{key}_growth") is not None for _, e in shown):
        parts.append(changes([(f"funding.{level}.{e['year']}.{key}_growth", e[f"{key}_growth"]) for level, e in shown],
                             book))
    return label + "，".join(parts) if parts else None


def changes(growths: list[tuple[str, float]], book: FigureBook) -> str:
    """"分别比上年增长0.92%、1.01%" when all rise, else "分别比上年增长2.00%、下降1.50%" (one: "比上年…")."""
    rising = all(value > 0 for _, value in growths)
    shown = "、".join(book.put(fig_id, value, fmt.percent if rising else fmt.change) for fig_id, value in growths)
    return ("分别比上年" if len(growths) > 1 else "比上年") + ("增长" if rising else "") + shown


def mix_effect_years(analysis: dict) -> dict[int, dict]:
    """The years whose total per-pupil spending fell while every level's rose (analysis ``mix_effects``)."""
    return {m["year"]: m for m in (analysis.get("funding") or {}).get("mix_effects") or []}


def mix_effect_evidence(mix: dict, analysis: dict, book: FigureBook) -> str:
    """"2023年生均…比上年下降0.96%，主要是…所致…；分学段看，幼儿园、…生均分别比上年增长…" — the cause only as far
    as the analysis' split of the change proves it."""
    y = mix["year"]
    by_level = _levels(analysis, tuple(mix["levels"]))
    shown = [(level, next(e for e in rows if e["year"] == y)) for level, rows in by_level.items()]
    fall = book.put(f"funding.{TOTAL_LEVEL}.{y}.per_pupil_growth", mix["per_pupil_growth"], fmt.change)
    rises = changes([(f"funding.{level}.{y}.per_pupil_growth", e["per_pupil_growth"]) for level, e in shown], book)
    levels = f"分学段看，{_level_names(shown)}生均{rises}"
    if not mix["proven"] or mix["main"] is None:
        return f"{y}年{PER_PUPIL}比上年{fall}，但{levels}。"
    main, *other = mix["falling"]
    cause = f"主要是{_mix_cause(mix, main, book)}所致（使生均减少{_mix_effect(mix, main, book)}）"
    cause += "".join(f"，{_mix_cause(mix, k, book)}也使生均减少{_mix_effect(mix, k, book)}" for k in other)
    return f"{y}年{PER_PUPIL}比上年{fall}，{cause}；{levels}。"


def _mix_effect(mix: dict, part: str, book: FigureBook) -> str:
    return book.put(f"funding.mix.{mix['year']}.{part}", mix[part], lambda v: fmt.yuan(-v))


def _mix_cause(mix: dict, part: str, book: FigureBook) -> str:
    """The fact behind one falling part: the levels whose share of pupils moved, or the spending
    the 合计 row holds beyond the levels."""
    base = f"funding.mix.{mix['year']}"
    if part == "structure":
        return "、".join(f"{LEVEL_NAMES.get(level, level)}在校生占比由"
                        f"{book.put(f'{base}.share.before.{level}', mix['shares'][level][0], fmt.percent)}"
                        f"{'上升' if mix['shares'][level][1] > mix['shares'][level][0] else '下降'}至"
                        f"{book.put(f'{base}.share.now.{level}', mix['shares'][level][1], fmt.percent)}"
                        for level in mix["named"])
    before, now = mix["unassigned_spending"]
    return (f"未列入各学段的一般公共预算教育支出由{book.put(f'{base}.unassigned_spending.before', before, fmt.wan_yuan)}"
            f"{'减少至' if now < before else '变为'}{book.put(f'{base}.unassigned_spending.now', now, fmt.wan_yuan)}")


def senior_class_size_evidence(analysis: dict, book: FigureBook) -> list[str]:
    """普通高中 班额 as seed 003 prints it; the bands and the standard come from the analysis."""
    s = (analysis.get("class_size") or {}).get("senior") or {}
    if not s.get("classes") or s.get("reason"):
        return []

    def put(field: str, shown) -> str:
        return book.put(f"class_size.senior.{field}", s[field], shown)

    large, huge = fmt.plain(s["large_min"]), fmt.plain(s["huge_min"])
    head = (f"全县普通高中共有班级{put('classes', fmt.count)}个，超过{fmt.plain(s['standard'])}人标准班额的"
            f"{put('over_standard', fmt.count)}个")
    if not s["large_56_65"] and not s["huge_66_plus"]:
        return [f"{head}，无{large}人以上大班额。"]
    return [f"{head}。普通高中仍存在大班额，{large}人以上大班额占比{put('large_or_huge_share', fmt.percent)}，"
            f"{huge}人以上超大班额占比{put('huge_share', fmt.percent)}。"]


PRESCHOOL_TARGETS = (("inclusive_coverage", "普惠性幼儿园覆盖率"), ("public_share", "公办园在园幼儿占比"))


def preschool_evidence(analysis: dict, book: FigureBook) -> list[str]:
    """学前 公办园占比 and 普惠覆盖率 against the "80、50" targets of the 学前 indicator system."""
    p = analysis.get("preschool") or {}
    if not p.get("available"):
        return []
    known = [(key, label) for key, label in PRESCHOOL_TARGETS if p.get(key) is not None]
    if not known:
        return []
    facts = "，".join(f"{label}{book.put(f'preschool.{key}', p[key], fmt.percent)}" for key, label in known)
    targets = "、".join(book.put(f"preschool.{key}_min", p[f"{key}_min"], lambda v: fmt.plain(v * 100))
                        for key, _ in known)
    missed = [book.put(f"preschool.{key}_min", p[f"{key}_min"], lambda v: fmt.plain(v * 100))
              for key, _ in known if not p[f"{key}_ok"]]
    verdict = f"未完成“{'、'.join(missed)}”目标" if missed else f"完成“{targets}”目标"
    return [f"目前，全县{facts}，{verdict}。"]


def balance_evidence(analysis: dict, book: FigureBook) -> list[str]:
    quality = analysis.get("quality_balance") or {}
    sentences = []
    for key, label in SECTIONS.items():
        q = quality.get(key)
        if q and q.get("indicators"):
            sentences.append(_balance_sentence(key, label, q, book))
    return sentences


def _balance_sentence(key: str, label: str, q: dict, book: FigureBook) -> str:
    """Schools meeting the per-school rule, then the failing coefficients (or the largest one)."""
    ok = sum(1 for s in q.get("schools", []) if s.get("ok"))
    total = q.get("schools_in_scope", len(q.get("schools", [])))
    count = book.put(f"quality.{key}.schools_in_scope", total, fmt.count)
    met = book.put(f"quality.{key}.schools_ok", ok, fmt.count)
    indicators = {i: ind for i, ind in q["indicators"].items() if ind.get("cv") is not None}
    failing = {i: ind for i, ind in indicators.items() if not ind.get("cv_ok")}
    head = f"目前，全县{count}所{label}（含一贯制学校{label}部）中{met}所达到每校达标要求"
    if failing:
        parts = [f"{ind.get('label', i)}差异系数为{_cv(key, i, ind, book)}，未达到要求（标准为不高于{fmt.fixed(ind['cv_max'])}）"
                 for i, ind in failing.items()]
        return f"{head}；{'；'.join(parts)}；其余{len(indicators) - len(failing)}项指标差异系数达到要求。"
    if not indicators:
        return head + "。"
    top_id, top = max(indicators.items(), key=lambda item: item[1]["cv"])
    return (f"{head}；{len(indicators)}项指标差异系数均达到要求，"
            f"最大为{top.get('label', top_id)}的{_cv(key, top_id, top, book)}。")


def _cv(key: str, ind_id: str, ind: dict, book: FigureBook) -> str:
    return book.put(f"quality.{key}.{ind_id}.cv", ind["cv"], lambda v: fmt.coefficient(v, ind.get("cv_max")))


def school_size_evidence(analysis: dict, book: FigureBook) -> list[str]:
    over = (analysis.get("school_size") or {}).get("over_limit")
    if over is None:
        return []
    n = book.put("school_size.over_limit", len(over), fmt.count)
    if not over:
        return ["目前，全县义务教育学校规模均未超过规定上限。"]
    names = "、".join(_oversized(school, book) for school in over)
    return [f"目前，全县仍有{n}所学校超规模办学：{names}。"]


def _oversized(school: dict, book: FigureBook) -> str:
    pupils = book.put(f"school_size.{school['id']}.pupils", school["pupils"], fmt.count)
    return f"{school['name']}（{pupils}人，上限{fmt.count(school['limit'])}人）"


TEACHER_UNIT = "人"     # the per-100-pupil teacher indicators are counted in 人
SCHOOLS_NAMED = 3


def teacher_evidence(analysis: dict, book: FigureBook) -> list[str]:
    """Per section, the teacher indicators some schools fall short of, with the lowest school."""
    sentences = []
    for key, label in SECTIONS.items():
        block = (analysis.get("quality_balance") or {}).get(key) or {}
        for ind_id, ind in (block.get("indicators") or {}).items():
            if ind.get("unit") != TEACHER_UNIT:
                continue
            below = [s for s in block.get("schools", []) if ind_id in s.get("failed", [])]
            standard = f"{fmt.plain(ind['standard'])}{ind['unit']}"
            if not below:
                sentences.append(f"目前，{label}各校{ind['label']}均达到标准值{standard}。")
                continue
            n = book.put(f"quality.{key}.{ind_id}.schools_below", len(below), fmt.count)
            lowest = sorted(below, key=lambda s: s["values"][ind_id])[:SCHOOLS_NAMED]
            named = "、".join(f"{s['name']}（{_school_value(key, ind_id, s, book)}{ind['unit']}）" for s in lowest)
            sentences.append(f"目前，{label}{ind['label']}未达到标准值{standard}的学校有{n}所，"
                             f"最低的是{named}。")
    return sentences


def _school_value(key: str, ind_id: str, school: dict, book: FigureBook) -> str:
    return book.put(f"quality.{key}.school.{school['id']}.{ind_id}", school["values"][ind_id],
                    lambda v: fmt.fixed(v, 2))


def status_counts(part: str, items: list[dict], book: FigureBook) -> tuple[str, str]:
    """("15", "达标9项、未达标3项、待说明3项") for a list of items (政府保障程度 / 教育质量)."""
    total = book.put(f"{part}.items", len(items), fmt.count)
    counts = [(s, sum(1 for i in items if i["status"] == s)) for s in (PASS, FAIL, PENDING)]
    return total, "、".join(f"{s}{book.put(f'{part}.{s}', n, fmt.count)}项" for s, n in counts if n)


def quality_evidence(analysis: dict, book: FigureBook) -> list[str]:
    """教育质量 items as assessed, with the statement of each that is not met."""
    items = analysis.get("education_quality") or []
    if not items:
        return []
    total, shown = status_counts("quality", items, book)
    failing = [f"第{i.get('number')}项{i.get('reason') or i['label']}" for i in items if i["status"] == FAIL]
    tail = f"，其中{'；'.join(failing)}" if failing else ""
    return [f"目前，教育质量{total}项指标中{shown}{tail}。"]


def ledger_chart_data(s: dict) -> dict:
    """Problems by category and state, as the analysis counted them."""
    return {"statuses": list(s["states"]), "categories": [c["category"] for c in s["categories"]],
            "by_category": [[c[LEDGER_STATES[state]] for state in s["states"]] for c in s["categories"]]}



_WRITERS: tuple[tuple[tuple[str, ...], Callable[[dict, FigureBook], list[str]]], ...] = (
    (("班额",), class_size_evidence),
    (("班额",), senior_class_size_evidence),
    (("学前", "幼儿园", "普惠"), preschool_evidence),
    (("经费", "投入"), funding_evidence),
    (("经费", "投入"), per_level_funding_evidence),
    (("资源配置", "均衡", "办学条件"), balance_evidence),
    (("校额", "规模"), school_size_evidence),
    (("教师",), teacher_evidence),
    (("教育质量",), quality_evidence),
)

"""Pieces shared by the report builders: user text, placeholders, the county profile, captions.

Generated sentences state computed facts only, every number through ``FigureBook.put``; the
user's own paragraphs come from the 文字材料 sheet; a section with neither gets
``【待补充：章节名】``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from reportgen.reports import numbers as fmt
from reportgen.reports.figures import FigureBook
from reportgen.reports.model import Chart, plain_text

if TYPE_CHECKING:
    from reportgen.core.workspace import Workspace

PLACEHOLDER = "【待补充：{}】"
COMPULSORY_SECTIONS = ("小学", "初中")
TITLE_CHARS = 20            # characters of 2号 (22 pt) on one line of the 156 mm 版心


def title_text(*parts: str) -> str:
    """The title as printed: as many whole ``parts`` on a line as fit, a new line only between
    parts (GB/T 9704 asks for line breaks that keep words whole)."""
    lines: list[str] = []
    for part in (p for p in parts if p):
        if lines and len(lines[-1]) + len(part) <= TITLE_CHARS:
            lines[-1] += part
        else:
            lines.append(part)
    return "\n".join(lines)


def statement(item: dict, default: str) -> str:
    """The analysis' statement of an item's result (its numbers already in it)."""
    return str(item.get("reason") or default)


def stated(item: dict, default: str = "") -> Callable[[object], str]:
    """A figure format that prints an item's statement (the item's value is what is recorded)."""
    return lambda _: statement(item, default)


def placeholder(section: str) -> str:
    return PLACEHOLDER.format(section)


def user_text(ws: "Workspace", *sections: str) -> list[str]:
    """The user's paragraphs of several 文字材料 sections, in the order named, without repeats."""
    seen: dict[str, None] = {}
    for section in sections:
        for text in ws.text_for(section):
            for line in str(text).splitlines():
                if line.strip():
                    seen.setdefault(line.strip(), None)
    return list(seen)


def or_placeholder(paragraphs: list[str], section: str) -> list[str]:
    return paragraphs if paragraphs else [placeholder(section)]


def region_level(ws: "Workspace") -> str:
    """县 / 区 / 市 / 旗 from the region's name, for 我县 / 全区 phrasing."""
    region = ws.region
    return region[-1] if region and region[-1] in "县区市旗" else "县"


def signature(ws: "Workspace", addressee: object = None) -> dict[str, str]:
    """主送机关 (flush left under the title, ending with "："), 报告单位 and 成文日期."""
    to = ws.info.get("主送机关") or addressee
    return {"addressee": f"{str(to).rstrip('：:')}：" if to else f"{placeholder('主送机关')}：", **signed(ws)}


def signed(ws: "Workspace") -> dict[str, str]:
    """报告单位 and 成文日期 (the reports' own, so a note beside them gives the same bytes for the same data)."""
    day = ws.info.get("成文日期")
    return {"unit": str(ws.info.get("报告单位") or placeholder("报告单位")),
            "date": fmt.date_cn(day) if isinstance(day, dt.date) else placeholder("成文日期")}


# ---------------------------------------------------------------- attachments

def attachment_marks(titles: list[str]) -> list[dict[str, str]]:
    """附件 marks per GB/T 9704: one attachment is "附件", several are "附件1", "附件2"…"""
    if len(titles) == 1:
        return [{"mark": "附件", "no": "", "title": titles[0]}]
    return [{"mark": f"附件{i}", "no": str(i), "title": t} for i, t in enumerate(titles, 1)]


# ---------------------------------------------------------------- captions

@dataclass
class Captions:
    """Numbers figures (图1, 图2 …) and tables (表1 …) in reading order; collects the charts."""

    figures: int = 0
    tables: int = 0
    def chart(self, key: str, kind: str, title: str, data: dict) -> Chart:
        """The next numbered chart; its data keeps printed figures as plain text (the figure
        record already holds them: a chart's labels are not anchored figures)."""
        self.figures += 1
        return Chart(key, kind, f"图{self.figures} {title}", _plain_data(data))

    def table(self, title: str) -> str:
        self.tables += 1
        return f"表{self.tables} {title}"


# ---------------------------------------------------------------- county profile (基本情况)

def county_profile(ws: "Workspace", analysis: dict, book: FigureBook) -> list[str]:
    """基本情况 sentences from the analysis' ``profile`` block (facts only, each number recorded)."""
    profile = analysis["profile"]
    sentences = [_geography(ws, profile, book), _schools_sentence(ws, profile, book), _people_sentence(profile, book)]
    return [s for s in sentences if s]


def _geography(ws: "Workspace", profile: dict, book: FigureBook) -> str:
    from reportgen.analysis.profile import INFO_FIGURES  # the units of 基本信息's figures

    parts = []
    for key, value in profile["info"].items():
        if value is not None:
            parts.append(f"{key}{book.put(f'profile.{key}', value, fmt.with_unit(INFO_FIGURES[key]))}")
    return f"{ws.region}{'，'.join(parts)}。" if parts else ""


def _schools_sentence(ws: "Workspace", profile: dict, book: FigureBook) -> str:
    by_type = profile["schools_by_type"]
    compulsory = [(t, by_type[t]) for t in profile["compulsory_types"] if t in by_type]
    if not by_type:
        return ""
    total = book.put("profile.schools", profile["schools"], fmt.count)
    parts = [f"{t}{book.put(f'profile.schools.{t}', n, fmt.count)}所" for t, n in compulsory]
    sentence = f"全{region_level(ws)}共有义务教育学校{total}所"
    if len(parts) > 1:
        sentence += f"，其中{'、'.join(parts)}"
    others = [(t, by_type[t]) for t in profile["other_types"] if t in by_type]
    if others:
        sentence += "；另有" + "、".join(f"{t}{book.put(f'profile.schools.{t}', n, fmt.count)}所" for t, n in others)
    return sentence + "。"


def _people_sentence(profile: dict, book: FigureBook) -> str:
    clauses = []
    for key, label, unit in (("pupils", "义务教育阶段在校生", "人"), ("classes", "教学班", "个"),
                             ("teachers", "专任教师", "人")):
        totals = profile[key]
        if not totals["by_section"]:
            continue
        total = book.put(f"profile.{key}", totals["total"], fmt.count)
        detail = "、".join(f"{s}{book.put(f'profile.{key}.{s}', v, fmt.count)}{unit}"
                           for s, v in totals["by_section"].items())
        clauses.append(f"{label}{total}{unit}（{detail}）")
    return f"{'，'.join(clauses)}。" if clauses else ""


# ---------------------------------------------------------------- class sizes (chart data)

def _plain_data(value):
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, dict):
        return {k: _plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_data(v) for v in value]
    return value


def class_size_chart(ws: "Workspace", analysis: dict, captions: Captions) -> list[Chart]:
    """The class-size distribution with the 45/50 standards and the 56/66 bands; [] without classes."""
    block = analysis.get("class_size") or {}
    bands = block.get("bands")
    if not block.get("available", True) or ws.classes.empty or not bands:
        return []
    counts = block["distribution"]
    standard = bands["standard"]
    large, huge = bands["large_min"], bands["huge_min"]
    marks = [{"at": int(standard["小学"]), "label": f"小学{fmt.plain(standard['小学'])}人"},
             {"at": int(standard["初中"]), "label": f"初中{fmt.plain(standard['初中'])}人"},
             {"at": int(large) - 1, "label": f"大班额{fmt.plain(large)}人"},
             {"at": int(huge) - 1, "label": f"超大班额{fmt.plain(huge)}人"}]
    series = [{"label": s, "counts": counts[s]} for s in COMPULSORY_SECTIONS if counts[s]]
    return [captions.chart("chart_class_sizes", "class_sizes", "全县小学、初中班级学生数分布",
                           {"series": series, "marks": marks})]

"""Charts drawn from ``ChartSpec`` data: one drawing function per kind, byte-deterministic PNGs.

Every chart is drawn on a ``matplotlib.figure.Figure`` with an Agg canvas (no pyplot, so no
global figure registry), inside ``matplotlib.rc_context`` (no global style change), at a pinned
size, dpi and font, and saved without metadata: the same spec and font give the same bytes.

Designs stay cheap and readable at 3,000 schools: sorted dot plots, histograms and the few
schools furthest below a standard — never one labelled bar per school.

Numbers printed *inside* a chart (bar labels, growth rates) arrive already formatted in the
spec's data (the report builder formats them through ``FigureBook.put``); drawing functions
never format a computed number themselves.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from reportgen.core.errors import ReportgenError
from reportgen.core.text import strip_control_deep

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from reportgen.reports.model import ChartSpec

# Bump when any drawing changes, so cached PNGs are redrawn.
RENDERER_VERSION = "1"

WIDTH_MM = 156.0          # the 版心 width: charts are inserted at their drawn size
DPI = 200
_MM_PER_INCH = 25.4
WIDTH_IN = WIDTH_MM / _MM_PER_INCH


# Print-friendly colours (readable in greyscale too: pass dark, fail mid, reference black).
PASS = "#3b6ea8"
FAIL = "#c8553d"
WARN = "#e0a030"
LIGHT = "#c9d6e6"
REFERENCE = "#333333"
MUTED = "#8c8c8c"


# ------------------------------------------------------------------ fonts

@dataclass(frozen=True)
class ChartFont:
    """The font charts are drawn with: a family registered with matplotlib and its file."""

    family: str
    path: str
    digest: str   # sha256 of the font file: part of the cache key
    index: int = 0  # the face inside a .ttc collection
    source: str = "设置"  # 本机 / 自带 / 设置 (the 图表字体 setting)

    @property
    def identity(self) -> str:
        return f"{self.family}|{self.index}|{self.digest}"


def resolve_font(font: str | os.PathLike | None = None) -> ChartFont:
    """A font file path, an installed family name, or None for the machine's CJK font
    (else the bundled one; see ``reportgen.render.fonts.default_chart_face``)."""
    if font is None or str(font).strip() == "":
        from reportgen.render.fonts import default_chart_face

        face = default_chart_face()
        return _font_from_face(face.path, face.index, face.source)
    text = str(font)
    if Path(text).is_file():
        return _font_from_file(str(Path(text).resolve()))
    return _font_from_family(text)


@lru_cache(maxsize=8)
def _font_from_face(path: str, index: int, source: str) -> ChartFont:
    """Register a file and use the family of face ``index`` (Noto CJK .ttc: SC is not face 0)."""
    from matplotlib import font_manager, ft2font

    try:
        font_manager.fontManager.addfont(path)  # every face of a collection
        family = ft2font.FT2Font(path, face_index=index).family_name
    except (OSError, RuntimeError, ValueError) as exc:
        raise ReportgenError(f"图表字体文件「{path}」无法读取（{exc}），请在 reportgen.yaml 的「图表字体」中填写 .ttf/.otf/.ttc 字体文件") from exc
    return ChartFont(family, path, _file_digest(path), index, source)


def _font_from_file(path: str) -> ChartFont:
    return _font_from_face(path, 0, "设置")


@lru_cache(maxsize=8)
def _font_from_family(family: str) -> ChartFont:
    from matplotlib import font_manager

    try:
        found = font_manager.findfont(font_manager.FontProperties(family=family),
                                      fallback_to_default=False)
    except ValueError as exc:
        from reportgen.render.fonts import machine_face

        face = machine_face(family)  # e.g. the SC face of a Noto CJK collection matplotlib skipped
        if face is not None:
            return _font_from_face(face.path, face.index, "设置")
        raise ReportgenError(f"找不到图表字体「{family}」：请在 reportgen.yaml 的「图表字体」中填写字体文件路径，"
                             f"或留空使用本机的中文字体") from exc
    return ChartFont(family, str(found), _file_digest(str(found)), getattr(found, "face_index", 0), "设置")


def _file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _style(font: ChartFont) -> dict:
    """rcParams applied inside ``rc_context`` for every chart."""
    return {
        "font.family": [font.family, "DejaVu Sans"],
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "xtick.labelsize": 8.5,
        "ytick.labelsize": 8.5,
        "legend.fontsize": 8.5,
        "legend.frameon": False,
        "text.parse_math": False,  # chart text is data: "$\\frac{1}{2}$" is printed, never typeset
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": "#dddddd",
        "grid.linewidth": 0.6,
        "axes.edgecolor": "#555555",
        "axes.linewidth": 0.8,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "path.simplify": True,
        "image.composite_image": True,
    }


# ------------------------------------------------------------------ entry points

def chart_png(spec: "ChartSpec", font: str | os.PathLike | None = None) -> bytes:
    """Draw one chart and return its PNG bytes (deterministic for the same spec and font)."""
    draw = DRAWERS.get(spec.kind)
    if draw is None:
        raise ReportgenError(f"未知的图表类型「{spec.kind}」，应为 {'、'.join(sorted(DRAWERS))} 之一")
    chosen = resolve_font(font)
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_style(chosen)):
        fig = Figure(figsize=(WIDTH_IN, _height_in(spec)), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        try:
            draw(fig, strip_control_deep(spec.data))
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        finally:
            fig.clear()
    return buffer.getvalue()


def chart_key(spec: "ChartSpec", font: str | os.PathLike | None = None) -> str:
    """Content hash of a chart: kind, data, font and renderer version."""
    payload = json.dumps({"kind": spec.kind, "data": spec.data, "font": resolve_font(font).identity,
                          "renderer": RENDERER_VERSION, "dpi": DPI, "width_mm": WIDTH_MM},
                         ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ChartCache:
    """PNG files keyed by content hash in one folder; deleting the folder only costs redrawing."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def path_for(self, key: str) -> Path:
        return self.folder / f"{key}.png"

    def png(self, spec: "ChartSpec", font: str | os.PathLike | None = None) -> bytes:
        """The cached PNG for this spec and font, drawn and stored on a miss."""
        path = self.path_for(chart_key(spec, font))
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        if is_complete_png(data):
            return data
        if data:  # garbage or a truncated file: discard it and draw again
            remove_entry(path)
        data = chart_png(spec, font)
        self._store(path, data)
        return data

    def _store(self, path: Path, data: bytes) -> None:
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError:  # a cache that cannot be written is only slower; leave no temporary behind
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"IEND\xaeB`\x82"


def remove_entry(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass  # replaced by the new drawing, or left for the next build


def is_complete_png(data: bytes) -> bool:
    """Whether ``data`` is a whole PNG file (a cache entry can be cut short or overwritten)."""
    return data.startswith(_PNG_SIGNATURE) and data.endswith(_PNG_END)


# ------------------------------------------------------------------ helpers

def _height_in(spec: "ChartSpec") -> float:
    rows = HEIGHT_ROWS.get(spec.kind)
    if rows is None:
        return 3.0
    return rows(spec.data)


def _value_labels(ax: "Axes", bars, labels: list[str] | None) -> None:
    """Pre-formatted labels at the end of horizontal bars."""
    if not labels:
        return
    for bar, text in zip(bars, labels):
        if not text:
            continue
        ax.annotate(text, (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(3, 0), textcoords="offset points", va="center", ha="left", fontsize=8)


def _mark_vertical(ax: "Axes", x: float, text: str, style: str = "--", color: str = REFERENCE) -> None:
    ax.axvline(x, color=color, linestyle=style, linewidth=1.0, zorder=3)
    ax.annotate(text, (x, 1.0), xycoords=("data", "axes fraction"), xytext=(2, -2),
                textcoords="offset points", ha="left", va="top", fontsize=8, color=color)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and value == value


# ------------------------------------------------------------------ kinds

def draw_cv_bars(fig: "Figure", data: dict) -> None:
    """差异系数 of each indicator against its maximum (one section).

    data: labels [str], values [float|None], limit float, value_labels [str] (optional),
    limit_label str (e.g. "标准≤0.50"), title str (optional).
    """
    _limit_bars(fig, data, lambda v, limit: v > limit)
    if data.get("title"):
        fig.axes[0].set_title(data["title"])


def draw_county_rates(fig: "Figure", data: dict) -> None:
    """Each county's 整改完成率 (%) against the city's target (a county below it in the fail colour).

    data: labels [county], values [float|None] (percent), limit float (percent), value_labels [str],
    limit_label str (e.g. "要求80%"), xlabel str, xmax float (100: the scale ends at 100%).
    """
    _limit_bars(fig, data, lambda v, limit: v < limit)


def _limit_bars(fig: "Figure", data: dict, fails: Callable[[float, float], bool]) -> None:
    """One horizontal bar per label against a vertical limit line; ``fails(value, limit)`` colours."""
    ax = fig.add_subplot()
    labels = list(data["labels"])
    values = [v if _is_number(v) else 0.0 for v in data["values"]]
    limit = float(data["limit"])
    colours = [FAIL if _is_number(v) and fails(v, limit) else PASS for v in data["values"]]
    ys = list(range(len(labels)))[::-1]
    bars = ax.barh(ys, values, color=colours, height=0.6, zorder=2)
    ax.set_yticks(ys, labels)
    ax.grid(axis="y", visible=False)
    if data.get("xmax"):  # a bounded scale (percentages): room for the labels, ticks up to the bound
        ax.set_xlim(0, float(data["xmax"]) * 1.14)
        ax.set_xticks([float(data["xmax"]) * i / 5 for i in range(6)])
    else:
        ax.set_xlim(0, max([limit, *values]) * 1.22)
    _mark_vertical(ax, limit, data.get("limit_label", ""))
    _value_labels(ax, bars, data.get("value_labels"))
    missing = [y for y, v in zip(ys, data["values"]) if not _is_number(v)]
    for y in missing:
        ax.annotate("无数据", (0, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8,
                    color=MUTED)
    ax.set_xlabel(data.get("xlabel", "差异系数"))


def draw_school_values(fig: "Figure", data: dict) -> None:
    """Per-school values of a few indicators, sorted, against the standard and its 85%.

    data: panels [{label, unit, standard, floor (optional), values [float, sorted or not]}],
    standard_label / floor_label (legend texts, optional).
    """
    panels = data["panels"]
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, panel in zip(axes, panels):
        _school_panel(ax, panel)
    handles, labels = axes[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=len(handles))


def _school_panel(ax: "Axes", panel: dict) -> None:
    values = sorted(v for v in panel["values"] if _is_number(v))
    standard = float(panel["standard"])
    floor = panel.get("floor")
    ranks = range(1, len(values) + 1)
    cap = max(standard * 2.5, _quantile(values, 0.95) * 1.15) if values else standard * 2
    shown = [min(v, cap) for v in values]
    colours = [FAIL if floor is not None and v < floor else WARN if v < standard else PASS for v in values]
    size = 10 if len(values) <= 200 else 4 if len(values) <= 1000 else 2
    ax.scatter(ranks, shown, c=colours, s=size, linewidths=0, zorder=3, rasterized=False)
    ax.axhline(standard, color=REFERENCE, linestyle="--", linewidth=1.0, label="标准值", zorder=2)
    if floor is not None:
        ax.axhline(float(floor), color=FAIL, linestyle=":", linewidth=1.0, label="标准值的85%", zorder=2)
    ax.set_ylim(0, cap * 1.05)
    ax.set_xlim(0, max(len(values), 1) + 1)
    ax.set_title(panel["label"], fontsize=9)
    ax.set_xlabel("学校（按数值由低到高排列）", fontsize=8)
    if panel.get("unit"):
        ax.set_ylabel(panel["unit"], fontsize=8)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))
    return ordered[index]


def draw_shortfall(fig: "Figure", data: dict) -> None:
    """The schools furthest below a standard on one indicator, labelled by name.

    data: label, unit, standard, schools [{name, value}] (already chosen, at most ~15),
    value_labels [str] (optional), standard_label str.
    """
    ax = fig.add_subplot()
    schools = data["schools"]
    ys = list(range(len(schools)))[::-1]
    values = [s["value"] for s in schools]
    standard = float(data["standard"])
    bars = ax.barh(ys, values, color=FAIL, height=0.6, zorder=2)
    ax.set_yticks(ys, [s["name"] for s in schools])
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max([standard, *values]) * 1.2)
    _mark_vertical(ax, standard, data.get("standard_label", ""))
    _value_labels(ax, bars, data.get("value_labels"))
    ax.set_xlabel(f"{data['label']}（{data['unit']}）" if data.get("unit") else data["label"])


def draw_class_sizes(fig: "Figure", data: dict) -> None:
    """Distribution of class sizes, one step outline per section, with the legal marks.

    data: series [{label, counts {size: number of classes}}], marks [{at, label}]: a dashed line
    between ``at`` and ``at + 1`` (classes right of it are larger than ``at``).
    """
    ax = fig.add_subplot()
    colours = [PASS, FAIL, WARN, MUTED]
    top = 0
    for colour, series in zip(colours, data["series"]):
        counts = {int(k): int(v) for k, v in series["counts"].items()}
        if not counts:
            continue
        sizes = list(range(min(counts), max(counts) + 2))
        heights = [counts.get(s, 0) for s in sizes]
        top = max(top, max(heights))
        ax.stairs(heights[:-1], sizes, color=colour, linewidth=1.3, label=series["label"],
                  fill=False, baseline=0)
    for i, mark in enumerate(data.get("marks", [])):
        ax.axvline(mark["at"] + 0.5, color=REFERENCE, linestyle="--", linewidth=0.8)
        ax.annotate(mark["label"], (mark["at"] + 0.5, 1.0 - 0.08 * (i % 2)), xycoords=("data", "axes fraction"),
                    xytext=(2, -2), textcoords="offset points", fontsize=8, va="top")
    ax.set_ylim(0, max(top, 1) * 1.25)
    ax.set_xlabel("班级学生数（人）")
    ax.set_ylabel("班级数（个）")
    ax.legend(loc="upper left")


def draw_funding(fig: "Figure", data: dict) -> None:
    """Education spending and spending per pupil by year, each year's change written above.

    data: years [int], spending [float 万元], per_pupil [float|None 元],
    spending_labels / per_pupil_labels [str] (change texts, "" for the first year),
    spending_title, per_pupil_title.
    """
    left, right = fig.subplots(1, 2)
    years = [str(y) for y in data["years"]]
    _year_bars(left, years, data["spending"], data.get("spending_labels"), data.get("spending_title", ""))
    _year_bars(right, years, data["per_pupil"], data.get("per_pupil_labels"), data.get("per_pupil_title", ""))


def _year_bars(ax: "Axes", years: list[str], values: list, labels: list[str] | None, title: str) -> None:
    shown = [v if _is_number(v) else 0.0 for v in values]
    colours = [FAIL if text and text.startswith("下降") else PASS for text in (labels or [""] * len(years))]
    bars = ax.bar(years, shown, color=colours, width=0.6, zorder=2)
    ax.grid(axis="x", visible=False)
    ax.set_ylim(0, max(shown + [1.0]) * 1.18)
    ax.set_title(title, fontsize=9)
    for bar, text in zip(bars, labels or []):
        if text:
            ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, 2),
                        textcoords="offset points", ha="center", va="bottom", fontsize=8)


def draw_point_scores(fig: "Figure", data: dict) -> None:
    """Self-evaluation score against full marks for each 一级指标.

    data: labels [str], full [float], score [float], value_labels [str] (e.g. "28.5/30").
    """
    ax = fig.add_subplot()
    ys = list(range(len(data["labels"])))[::-1]
    ax.barh(ys, data["full"], color=LIGHT, height=0.6, zorder=2, label="分值")
    ax.barh(ys, data["score"], color=PASS, height=0.6, zorder=3, label="自评得分")
    ax.set_yticks(ys, data["labels"])
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max(data["full"] + [1.0]) * 1.2)
    labels = data.get("value_labels")
    if labels:
        for y, full, text in zip(ys, data["full"], labels):
            ax.annotate(text, (full, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_xlabel("分")
    ax.legend(loc="lower right")


def draw_rate_bars(fig: "Figure", data: dict) -> None:
    """Rates (in %) each against its own minimum, e.g. the three 学前 普及普惠 rates.

    data: labels [str], values [float|None] (%), minimums [float] (%), value_labels [str],
    minimum_labels [str] (e.g. "标准85%").
    """
    ax = fig.add_subplot()
    labels = list(data["labels"])
    ys = list(range(len(labels)))[::-1]
    values = [v if _is_number(v) else 0.0 for v in data["values"]]
    colours = [FAIL if _is_number(v) and v < m else PASS for v, m in zip(data["values"], data["minimums"])]
    bars = ax.barh(ys, values, color=colours, height=0.55, zorder=2)
    for y, minimum, text in zip(ys, data["minimums"], data.get("minimum_labels") or [""] * len(ys)):
        ax.plot([minimum, minimum], [y - 0.34, y + 0.34], color=REFERENCE, linestyle="--", linewidth=1.2, zorder=3)
        ax.annotate(text, (minimum, y + 0.34), xytext=(0, 1), textcoords="offset points", ha="center",
                    va="bottom", fontsize=8, color=REFERENCE)
    ax.set_yticks(ys, labels)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max([100.0, *values]) * 1.15)
    ax.set_ylim(-0.6, len(labels) - 0.1)
    for bar, minimum, text in zip(bars, data["minimums"], data.get("value_labels") or []):
        end = max(bar.get_width(), minimum)  # past the standard's mark, so the two never overlap
        ax.annotate(text, (end, bar.get_y() + bar.get_height() / 2), xytext=(4, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=8)
    ax.set_xlabel("%")


LEDGER_COLOURS = {"已完成": PASS, "整改中": WARN, "未启动": FAIL, "长期坚持": MUTED}


def draw_ledger_status(fig: "Figure", data: dict) -> None:
    """Rectification items by status, optionally one stacked bar per problem category.

    data: statuses [str], counts [int] (all items) — or categories [str] with
    by_category [[int per status]] for stacked bars.
    """
    ax = fig.add_subplot()
    statuses = data["statuses"]
    if data.get("categories"):
        rows = data["by_category"]
        ys = list(range(len(data["categories"])))[::-1]
        lefts = [0] * len(rows)
        for i, status in enumerate(statuses):
            widths = [row[i] for row in rows]
            ax.barh(ys, widths, left=lefts, color=LEDGER_COLOURS.get(status, MUTED), height=0.6,
                    label=status, zorder=2)
            lefts = [a + b for a, b in zip(lefts, widths)]
        ax.set_yticks(ys, data["categories"])
        fig.legend(loc="outside lower center", ncols=len(statuses))
    else:
        ys = list(range(len(statuses)))[::-1]
        colours = [LEDGER_COLOURS.get(s, MUTED) for s in statuses]
        bars = ax.barh(ys, data["counts"], color=colours, height=0.6, zorder=2)
        ax.set_yticks(ys, statuses)
        _value_labels(ax, bars, data.get("value_labels"))
        ax.set_xlim(0, max(list(data["counts"]) + [1]) * 1.2)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("问题数（个）")


def draw_ledger_timeline(fig: "Figure", data: dict) -> None:
    """Cumulative number of items closed (销号) over time against the total.

    data: dates ["YYYY-MM-DD", ...] one per closed item, total int, total_label str.
    """
    import datetime as dt

    ax = fig.add_subplot()
    days = sorted(dt.date.fromisoformat(d) for d in data["dates"])
    total = int(data["total"])
    if days:
        xs = [days[0], *days]
        ys = [0, *range(1, len(days) + 1)]
        ax.step(xs, ys, where="post", color=PASS, linewidth=1.5, label="累计完成")
    ax.axhline(total, color=REFERENCE, linestyle="--", linewidth=1.0, label=data.get("total_label", "问题总数"))
    ax.set_ylim(0, max(total, 1) * 1.12)
    ax.set_ylabel("问题数（个）")
    ax.legend(loc="lower right")
    _date_axis(ax)


def draw_county_cv(fig: "Figure", data: dict) -> None:
    """Per county (one row each), the 差异系数 of every indicator as dots against the limit.

    data: counties [str], values [[float|None] per county], limit float, limit_label str, xlabel str.
    """
    ax = fig.add_subplot()
    limit = float(data["limit"])
    counties = list(data["counties"])
    ys = list(range(len(counties)))[::-1]
    top = limit
    for y, row in zip(ys, data["values"]):
        xs = [v for v in row if _is_number(v)]
        top = max([top, *xs])
        ax.scatter(xs, [y] * len(xs), c=[FAIL if v > limit else PASS for v in xs], s=28, zorder=3,
                   edgecolors="white", linewidths=0.5)
    ax.set_yticks(ys, counties)
    ax.set_ylim(-0.6, len(counties) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, top * 1.18)
    _mark_vertical(ax, limit, data.get("limit_label", ""))
    ax.set_xlabel(data.get("xlabel", "差异系数"))


def _date_axis(ax: "Axes") -> None:
    from matplotlib import dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))


DRAWERS: dict[str, Callable[["Figure", dict], None]] = {
    "cv_bars": draw_cv_bars,
    "school_values": draw_school_values,
    "shortfall": draw_shortfall,
    "class_sizes": draw_class_sizes,
    "funding": draw_funding,
    "point_scores": draw_point_scores,
    "ledger_status": draw_ledger_status,
    "ledger_timeline": draw_ledger_timeline,
    "county_rates": draw_county_rates,
    "county_cv": draw_county_cv,
    "rate_bars": draw_rate_bars,
}

MAX_HEIGHT_IN = 8.0      # a chart of many counties still fits the 225 mm 版心 with its caption

# Height in inches by kind (a function of the data where rows grow with it).
HEIGHT_ROWS: dict[str, Callable[[dict], float]] = {
    "cv_bars": lambda d: 0.8 + 0.32 * len(d["labels"]),
    "school_values": lambda d: 2.9,
    "shortfall": lambda d: 0.9 + 0.26 * len(d["schools"]),
    "class_sizes": lambda d: 2.8,
    "funding": lambda d: 2.6,
    "point_scores": lambda d: 1.0 + 0.32 * len(d["labels"]),
    "ledger_status": lambda d: 1.0 + 0.32 * len(d.get("categories") or d["statuses"]),
    "ledger_timeline": lambda d: 2.6,
    "county_rates": lambda d: min(1.2 + 0.32 * len(d["labels"]), MAX_HEIGHT_IN),
    "county_cv": lambda d: min(1.3 + 0.34 * len(d["counties"]), MAX_HEIGHT_IN),
    "rate_bars": lambda d: 1.0 + 0.45 * len(d["labels"]),
}

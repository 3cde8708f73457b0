"""Charts as native Word charts: DrawingML chart parts with cached values and an embedded workbook.

Each ``Chart`` of the report model becomes one or more chart parts (``word/charts/chartN.xml``):
one per panel, side by side on the 版心 when a kind has several panels (school values, funding).
The chart XML and its workbook come from python-pptx's chart writer (``ChartXmlWriter`` and
the XlsxWriter workbook behind ``ChartData.xlsx_blob``); this module turns a ``ChartSpec``'s data
into that writer's chart data and then styles the XML: colours, titles, axis titles, data
labels, and the east-Asian font (``a:ea``) of every text, so Word and WPS show the chart and
"编辑数据" opens its numbers. The same spec gives the same bytes: python-pptx writes fixed axis
ids and the workbook is re-packed by ``deterministic_docx`` (no creation date, fixed zip times).

Pre-formatted labels (``value_labels``…) arrive from the report builder and are written as the
data labels' text, so a chart never formats a computed number itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from lxml import etree

from reportgen.core.errors import ReportgenError
from reportgen.render.charts import FAIL, HEIGHT_ROWS, LEDGER_COLOURS, LIGHT, MUTED, PASS, REFERENCE, WARN
from reportgen.reports.model import plain_text

if TYPE_CHECKING:
    from reportgen.reports.model import ChartSpec

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS = {"c": C_NS, "a": A_NS, "r": R_NS}
CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_URI = C_NS

WIDTH_MM = 156.0
PANEL_GAP_MM = 2.0
MM_PER_INCH = 25.4
TITLE_FACE, TEXT_FACE, LATIN_FACE = "黑体", "仿宋_GB2312", "Times New Roman"
TEXT_SIZE, TITLE_SIZE, LEGEND_SIZE = 900, 1000, 800   # hundredths of a point


@dataclass
class Series:
    """One series: its name, values (category charts) or (x, y) points (XY charts), its look."""

    name: str
    values: list = field(default_factory=list)
    colour: str = PASS
    points: list = field(default_factory=list)
    line: str | None = None            # None: bars/markers; "solid" / "dash" / "sysDot": a line
    labels: list[str] | None = None    # pre-formatted data labels, "" for none
    point_colours: list[str] | None = None
    marker: bool = False


@dataclass
class Plot:
    """One chart part: a category chart (``bar`` / ``column`` / ``line``) or an ``xy`` chart."""

    type: str
    series: list[Series]
    categories: list[str] = field(default_factory=list)
    title: str = ""
    x_title: str = ""
    y_title: str = ""
    stacked: bool = False
    overlap: bool = False
    legend: bool = False
    top_down: bool = True              # horizontal bars: first category at the top


@dataclass(frozen=True)
class NativeChart:
    """A chart part's XML (its workbook relationship id is ``WORKBOOK_RID``), the workbook, its size."""

    xml: bytes
    workbook: bytes
    width_mm: float
    height_mm: float


WORKBOOK_RID = "rId1"


# ------------------------------------------------------------------ entry point

def native_charts(spec: "ChartSpec") -> list[NativeChart]:
    """The chart parts of one chart: one per panel, each with its workbook (deterministic)."""
    plots = PLOTTERS.get(spec.kind)
    if plots is None:
        raise ReportgenError(f"未知的图表类型「{spec.kind}」，应为 {'、'.join(sorted(PLOTTERS))} 之一")
    made = plots(spec.data)
    height = HEIGHT_ROWS[spec.kind](spec.data) * MM_PER_INCH
    width = (WIDTH_MM - PANEL_GAP_MM * (len(made) - 1)) / len(made)
    return [NativeChart(_chart_xml(plot), _workbook(plot), width, height) for plot in made]


# ------------------------------------------------------------------ kinds → plots

def _numbers(values) -> list:
    """Numbers as Excel holds them (15 significant digits), so the chart's cache and its workbook
    agree; anything else (None, NaN) is a gap."""
    return [_excel(v) if isinstance(v, (int, float)) and v == v else None for v in values]


def _excel(value: float) -> float:
    return float(f"{value:.15g}")


def _texts(labels) -> list[str] | None:
    return [plain_text(str(t or "")) for t in labels] if labels else None


def plot_cv_bars(data: dict) -> list[Plot]:
    values = _numbers(data["values"])
    limit = float(data["limit"])
    colours = [FAIL if v is not None and v > limit else PASS for v in values]
    labels = _texts(data.get("value_labels")) or [""] * len(values)
    labels = [text or ("无数据" if v is None else "") for text, v in zip(labels, values)]
    x_title = data.get("xlabel", "差异系数")
    if data.get("limit_label"):
        x_title = f"{x_title}（{data['limit_label']}）"
    return [Plot("bar", [Series(x_title, values, PASS, labels=labels, point_colours=colours)],
                 list(data["labels"]), title=data.get("title", ""), y_title="", x_title=x_title)]


def plot_school_values(data: dict) -> list[Plot]:
    return [_school_panel(panel) for panel in data["panels"]]


def _school_panel(panel: dict) -> Plot:
    values = sorted(v for v in _numbers(panel["values"]) if v is not None)
    standard = float(panel["standard"])
    floor = panel.get("floor")
    groups = {"达标": [], "低于标准值": [], "低于标准值的85%": []}
    for rank, value in enumerate(values, start=1):
        group = "低于标准值的85%" if floor is not None and value < floor else "低于标准值" if value < standard else "达标"
        groups[group].append((rank, _excel(value)))
    colours = {"达标": PASS, "低于标准值": WARN, "低于标准值的85%": FAIL}
    series = [Series(name, points=points, colour=colours[name], marker=True)
              for name, points in groups.items() if points]
    last = max(len(values), 1)
    standard = _excel(standard)
    series.append(Series("标准值", points=[(1, standard), (last, standard)], colour=REFERENCE, line="dash"))
    if floor is not None:
        series.append(Series("标准值的85%", points=[(1, _excel(floor)), (last, _excel(floor))], colour=FAIL,
                             line="sysDot"))
    return Plot("xy", series, title=panel["label"], x_title="学校（按数值由低到高排列）",
                y_title=panel.get("unit", ""), legend=True)


def plot_shortfall(data: dict) -> list[Plot]:
    schools = data["schools"]
    x_title = f"{data['label']}（{data['unit']}）" if data.get("unit") else data["label"]
    if data.get("standard_label"):
        x_title = f"{x_title}，{data['standard_label']}"
    return [Plot("bar", [Series(data["label"], _numbers(s["value"] for s in schools), FAIL,
                                labels=_texts(data.get("value_labels")))],
                 [s["name"] for s in schools], x_title=x_title)]


def plot_class_sizes(data: dict) -> list[Plot]:
    counts = [{int(k): int(v) for k, v in s["counts"].items()} for s in data["series"]]
    sizes = sorted({size for c in counts for size in c})
    axis = list(range(sizes[0], sizes[-1] + 1)) if sizes else []
    colours = [PASS, FAIL, WARN, MUTED]
    series = [Series(s["label"], [float(c.get(size, 0)) for size in axis], colours[i % len(colours)], line="solid")
              for i, (s, c) in enumerate(zip(data["series"], counts))]
    marks = "；".join(mark["label"] for mark in data.get("marks", []))
    x_title = "班级学生数（人）" + (f"（{marks}）" if marks else "")
    return [Plot("line", series, [str(size) for size in axis], x_title=x_title, y_title="班级数（个）",
                 legend=True)]


def plot_funding(data: dict) -> list[Plot]:
    years = [str(y) for y in data["years"]]
    return [_year_plot(years, data["spending"], data.get("spending_labels"), data.get("spending_title", "")),
            _year_plot(years, data["per_pupil"], data.get("per_pupil_labels"), data.get("per_pupil_title", ""))]


def _year_plot(years: list[str], values, labels, title: str) -> Plot:
    texts = _texts(labels) or [""] * len(years)
    colours = [FAIL if text.startswith("下降") else PASS for text in texts]
    return Plot("column", [Series(title or "数值", _numbers(values), PASS, labels=texts, point_colours=colours)],
                years, title=title)


def plot_point_scores(data: dict) -> list[Plot]:
    full = Series("分值", _numbers(data["full"]), LIGHT, labels=_texts(data.get("value_labels")))
    score = Series("自评得分", _numbers(data["score"]), PASS)
    return [Plot("bar", [full, score], list(data["labels"]), x_title="分", overlap=True, legend=True)]


def plot_ledger_status(data: dict) -> list[Plot]:
    statuses = list(data["statuses"])
    if data.get("categories"):
        rows = data["by_category"]
        series = [Series(status, [float(row[i]) for row in rows], LEDGER_COLOURS.get(status, MUTED))
                  for i, status in enumerate(statuses)]
        return [Plot("bar", series, list(data["categories"]), x_title="问题数（个）", stacked=True, legend=True)]
    colours = [LEDGER_COLOURS.get(s, MUTED) for s in statuses]
    return [Plot("bar", [Series("问题数（个）", _numbers(data["counts"]), PASS, labels=_texts(data.get("value_labels")),
                                point_colours=colours)], statuses, x_title="问题数（个）")]


def plot_ledger_timeline(data: dict) -> list[Plot]:
    days = sorted(data["dates"])
    done: dict[str, int] = {}
    for count, day in enumerate(days, start=1):
        done[day] = count
    categories = list(done)
    total = float(data["total"])
    series = [Series("累计完成", [float(v) for v in done.values()], PASS, line="solid"),
              Series(data.get("total_label", "问题总数"), [total] * len(categories), REFERENCE, line="dash")]
    return [Plot("line", series, categories, y_title="问题数（个）", x_title="销号日期", legend=True)]


def plot_county_rates(data: dict) -> list[Plot]:
    """Each county's 整改完成率 against the target (below it in the fail colour); the target in the axis title."""
    values = _numbers(data["values"])
    limit = float(data["limit"])
    colours = [FAIL if v is not None and v < limit else PASS for v in values]
    labels = _texts(data.get("value_labels")) or [""] * len(values)
    x_title = data.get("xlabel", "整改完成率（%）") + (f"（{data['limit_label']}）" if data.get("limit_label") else "")
    return [Plot("bar", [Series(x_title, values, PASS, labels=labels, point_colours=colours)],
                 list(data["labels"]), x_title=x_title)]


def plot_rate_bars(data: dict) -> list[Plot]:
    """Rates each against its own minimum: the rate as bars, the minimum as a second, lighter series."""
    values = _numbers(data["values"])
    minimums = _numbers(data["minimums"])
    colours = [FAIL if v is not None and m is not None and v < m else PASS for v, m in zip(values, minimums)]
    labels = _texts(data.get("value_labels")) or [""] * len(values)
    return [Plot("bar", [Series("实际（%）", values, PASS, labels=labels, point_colours=colours),
                         Series("标准（%）", minimums, LIGHT, labels=_texts(data.get("minimum_labels")))],
                 list(data["labels"]), x_title="%", legend=True)]


def plot_county_cv(data: dict) -> list[Plot]:
    """Per county (a row each), every indicator's 差异系数 as a dot, with the limit as a dashed line."""
    counties = list(data["counties"])
    limit = _excel(float(data["limit"]))
    passing, failing = [], []
    for row, values in enumerate(data["values"], start=1):
        for value in _numbers(values):
            if value is not None:
                (failing if value > limit else passing).append((value, len(counties) - row + 1))
    series = [Series(name, points=points, colour=colour, marker=True)
              for name, points, colour in (("达到要求", passing, PASS), ("超过标准", failing, FAIL)) if points]
    series.append(Series(data.get("limit_label") or "标准", points=[(limit, 0.5), (limit, len(counties) + 0.5)],
                         colour=REFERENCE, line="dash"))
    order = "、".join(counties)
    return [Plot("xy", series, x_title=data.get("xlabel", "差异系数"), y_title=f"县（区）：自上而下 {order}",
                 legend=True)]


PLOTTERS: dict[str, Callable[[dict], list[Plot]]] = {
    "county_rates": plot_county_rates,
    "rate_bars": plot_rate_bars,
    "county_cv": plot_county_cv,
    "cv_bars": plot_cv_bars,
    "school_values": plot_school_values,
    "shortfall": plot_shortfall,
    "class_sizes": plot_class_sizes,
    "funding": plot_funding,
    "point_scores": plot_point_scores,
    "ledger_status": plot_ledger_status,
    "ledger_timeline": plot_ledger_timeline,
}


# ------------------------------------------------------------------ python-pptx chart data

def _chart_data(plot: Plot):
    from pptx.chart.data import CategoryChartData, XyChartData

    if plot.type == "xy":
        data = XyChartData()
        for series in plot.series:
            target = data.add_series(series.name)
            for x, y in series.points:
                target.add_data_point(x, y)
        return data
    data = CategoryChartData()
    data.categories = plot.categories
    for series in plot.series:
        data.add_series(series.name, series.values)
    return data


def _chart_type(plot: Plot):
    from pptx.enum.chart import XL_CHART_TYPE as T

    if plot.type == "xy":
        return T.XY_SCATTER
    if plot.type == "line":
        return T.LINE
    if plot.type == "column":
        return T.COLUMN_CLUSTERED
    return T.BAR_STACKED if plot.stacked else T.BAR_CLUSTERED


def _workbook(plot: Plot) -> bytes:
    from reportgen.render.package import deterministic_docx

    return deterministic_docx(_chart_data(plot).xlsx_blob)


# ------------------------------------------------------------------ chart XML

def _chart_xml(plot: Plot) -> bytes:
    from pptx.chart.xmlwriter import ChartXmlWriter

    space = etree.fromstring(ChartXmlWriter(_chart_type(plot), _chart_data(plot)).xml.encode("utf-8"))
    chart = space.find("c:chart", _NS)
    _style_series(space, plot)
    _style_axes(space, plot)
    _set(chart, "autoTitleDeleted", val="0" if plot.title else "1")
    if plot.title:
        chart.insert(0, _title(plot.title, TITLE_FACE, TITLE_SIZE))
    for old in chart.findall("c:legend", _NS):
        chart.remove(old)
    if plot.legend:
        chart.append(_legend("r" if plot.type == "xy" else "b"))
    _set(chart, "plotVisOnly", val="1")
    _order(chart, CHART_ORDER)
    for old in space.findall("c:txPr", _NS):
        space.remove(old)
    space.append(_no_outline())
    space.append(_text_properties(TEXT_SIZE))
    _set(space, "roundedCorners", val="0")
    external = _c("externalData")
    external.set(f"{{{R_NS}}}id", WORKBOOK_RID)
    external.append(_c("autoUpdate", val="0"))
    space.append(external)
    _order(space, SPACE_ORDER)
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def _style_series(space, plot: Plot) -> None:
    group = space.find("c:chart/c:plotArea", _NS)[0]
    for element, series in zip(group.findall("c:ser", _NS), plot.series):
        for old in element.findall("c:spPr", _NS) + element.findall("c:marker", _NS):
            element.remove(old)
        element.append(_shape(series))
        if plot.type in ("xy", "line"):
            element.append(_marker(series))
        if series.point_colours:
            for idx, colour in enumerate(series.point_colours):
                if colour != series.colour:
                    element.append(_point(idx, colour, plot.type))
        if series.labels and any(series.labels):
            element.append(_data_labels(series.labels, plot.type))
        _order(element, SERIES_ORDER)
    if plot.type in ("bar", "column"):
        _set(group, "gapWidth", val="60")
        if plot.overlap or plot.stacked:
            _set(group, "overlap", val="100")
        _order(group, BAR_ORDER)


def _style_axes(space, plot: Plot) -> None:
    area = space.find("c:chart/c:plotArea", _NS)
    axes = [el for el in area if el.tag in (f"{{{C_NS}}}catAx", f"{{{C_NS}}}valAx")]
    # axes[0] is the category (or x) axis, axes[1] the value (or y) axis
    titles = (plot.y_title, plot.x_title) if plot.type == "bar" else (plot.x_title, plot.y_title)
    for axis, title in zip(axes, titles):
        if title:
            axis.append(_title(title, TEXT_FACE, TEXT_SIZE))
        axis.append(_axis_line())
        if axis.find("c:majorGridlines", _NS) is not None:
            axis.find("c:majorGridlines", _NS).append(_grid_line())
        _order(axis, AXIS_ORDER)
    if plot.type == "bar" and plot.top_down:
        _set(axes[0].find("c:scaling", _NS), "orientation", val="maxMin")
        _set(axes[1], "crosses", val="max")
        _order(axes[1], AXIS_ORDER)
    scaling = axes[1].find("c:scaling", _NS)
    if scaling.find("c:orientation", _NS) is None:
        scaling.append(_c("orientation", val="minMax"))
    _set(scaling, "min", val="0")
    _order(scaling, ("logBase", "orientation", "max", "min"))
    _set(axes[1], "numFmt", formatCode="General", sourceLinked="1")
    _order(axes[1], AXIS_ORDER)


# ------------------------------------------------------------------ XML pieces

def _c(tag: str, **attrs: str):
    element = etree.Element(f"{{{C_NS}}}{tag}", nsmap={"c": C_NS, "a": A_NS, "r": R_NS})
    for key, value in attrs.items():
        element.set(key, value)
    return element


def _a(parent, tag: str, **attrs: str):
    return etree.SubElement(parent, f"{{{A_NS}}}{tag}", {k: v for k, v in attrs.items()})


def _set(parent, tag: str, **attrs: str) -> None:
    """Replace (or add) the single child ``c:tag`` with these attributes."""
    for old in parent.findall(f"c:{tag}", _NS):
        parent.remove(old)
    parent.append(_c(tag, **attrs))


def _order(parent, order: tuple[str, ...]) -> None:
    rank = {f"{{{C_NS}}}{tag}": i for i, tag in enumerate(order)}
    children = sorted(parent, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        parent.remove(child)
        parent.append(child)


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _fill(parent, colour: str) -> None:
    fill = _a(parent, "solidFill")
    _a(fill, "srgbClr", val=_hex(colour))


def _shape(series: Series):
    shape = _c("spPr")
    if series.line:
        line = _a(shape, "ln", w="19050", cap="rnd")
        _fill(line, series.colour)
        _a(line, "prstDash", val=series.line)
    elif series.marker:
        line = _a(shape, "ln", w="19050")
        _a(line, "noFill")
    else:
        _fill(shape, series.colour)
    return shape


def _marker(series: Series):
    marker = _c("marker")
    if not series.marker:
        marker.append(_c("symbol", val="none"))
        return marker
    marker.append(_c("symbol", val="circle"))
    marker.append(_c("size", val="4"))
    shape = _c("spPr")
    _fill(shape, series.colour)
    _a(_a(shape, "ln"), "noFill")
    marker.append(shape)
    return marker


def _point(idx: int, colour: str, plot_type: str):
    point = _c("dPt")
    point.append(_c("idx", val=str(idx)))
    if plot_type in ("bar", "column"):
        point.append(_c("invertIfNegative", val="0"))
    point.append(_c("bubble3D", val="0"))
    shape = _c("spPr")
    _fill(shape, colour)
    point.append(shape)
    return point


_LABEL_FLAGS = ("showLegendKey", "showVal", "showCatName", "showSerName", "showPercent", "showBubbleSize")


def _data_labels(labels: list[str], plot_type: str):
    """Data labels whose text is the builder's pre-formatted text ("" hides a point's label)."""
    group = _c("dLbls")
    position = "outEnd" if plot_type in ("bar", "column") else "t"
    for idx, text in enumerate(labels):
        label = _c("dLbl")
        label.append(_c("idx", val=str(idx)))
        if not text:
            label.append(_c("delete", val="1"))
            group.append(label)
            continue
        label.append(_rich_tx(text, TEXT_FACE, 800))
        label.append(_c("dLblPos", val=position))
        for flag in _LABEL_FLAGS:
            label.append(_c(flag, val="1" if flag == "showVal" else "0"))
        group.append(label)
    for flag in _LABEL_FLAGS:
        group.append(_c(flag, val="0"))
    return group


def _run_properties(parent, tag: str, face: str, size: int, **extra: str):
    props = _a(parent, tag, sz=str(size), b="0", **extra)
    _a(props, "latin", typeface=LATIN_FACE)
    _a(props, "ea", typeface=face)
    return props


def _rich_tx(text: str, face: str, size: int):
    tx = _c("tx")
    rich = etree.SubElement(tx, f"{{{C_NS}}}rich")
    _a(rich, "bodyPr")
    _a(rich, "lstStyle")
    paragraph = _a(rich, "p")
    _run_properties(_a(paragraph, "pPr"), "defRPr", face, size)
    run = _a(paragraph, "r")
    _run_properties(run, "rPr", face, size, lang="zh-CN")
    _a(run, "t").text = text
    return tx


def _title(text: str, face: str, size: int):
    title = _c("title")
    title.append(_rich_tx(text, face, size))
    title.append(_c("overlay", val="0"))
    return title


def _text_properties(size: int):
    props = _c("txPr")
    _a(props, "bodyPr")
    _a(props, "lstStyle")
    paragraph = _a(props, "p")
    _run_properties(_a(paragraph, "pPr"), "defRPr", TEXT_FACE, size)
    _a(paragraph, "endParaRPr", lang="zh-CN")
    return props


def _legend(position: str):
    legend = _c("legend")
    legend.append(_c("legendPos", val=position))
    legend.append(_c("overlay", val="0"))
    legend.append(_text_properties(LEGEND_SIZE))
    return legend


def _no_outline():
    shape = _c("spPr")
    _a(shape, "noFill")
    _a(_a(shape, "ln"), "noFill")
    return shape


def _axis_line():
    shape = _c("spPr")
    line = _a(shape, "ln", w="9525")
    _fill(line, "#555555")
    return shape


def _grid_line():
    shape = _c("spPr")
    line = _a(shape, "ln", w="6350")
    _fill(line, "#DDDDDD")
    return shape


SPACE_ORDER = ("date1904", "lang", "roundedCorners", "AlternateContent", "clrMapOvr", "pivotSource", "protection",
               "chart", "spPr", "txPr", "externalData", "printSettings", "userShapes", "extLst")
CHART_ORDER = ("title", "autoTitleDeleted", "pivotFmts", "view3D", "floor", "sideWall", "backWall", "plotArea",
               "legend", "plotVisOnly", "dispBlanksAs", "showDLblsOverMax", "extLst")
SERIES_ORDER = ("idx", "order", "tx", "spPr", "invertIfNegative", "pictureOptions", "marker", "dPt", "dLbls",
                "trendline", "errBars", "cat", "val", "xVal", "yVal", "smooth", "shape", "extLst")
BAR_ORDER = ("barDir", "grouping", "varyColors", "ser", "dLbls", "gapWidth", "overlap", "serLines", "axId")
AXIS_ORDER = ("axId", "scaling", "delete", "axPos", "majorGridlines", "minorGridlines", "title", "numFmt",
              "majorTickMark", "minorTickMark", "tickLblPos", "spPr", "txPr", "crossAx", "crosses", "crossesAt",
              "crossBetween", "auto", "lblAlgn", "lblOffset", "tickLblSkip", "tickMarkSkip", "majorUnit",
              "minorUnit", "noMultiLvlLbl", "extLst")


# ------------------------------------------------------------------ reading back (tests, tools)

def cached_series(xml: bytes) -> list[tuple[str, list]]:
    """(name, cached values) of every series of a chart part, in order; XY series give (x, y) pairs."""
    space = etree.fromstring(xml)
    found = []
    for series in space.iter(f"{{{C_NS}}}ser"):
        name = "".join(series.xpath("c:tx//c:v/text()", namespaces=_NS))
        ys = _cache(series, "c:val") or _cache(series, "c:yVal")
        xs = _cache(series, "c:xVal")
        found.append((name, list(zip(xs, ys)) if xs else ys))
    return found


def _cache(series, tag: str) -> list:
    points = series.xpath(f"{tag}//c:pt", namespaces=_NS)
    count = series.xpath(f"{tag}//c:ptCount/@val", namespaces=_NS)
    values: list = [None] * (int(count[0]) if count else len(points))
    for point in points:
        values[int(point.get("idx"))] = float(point.findtext("c:v", namespaces=_NS))
    return values

# ------------------------------------------------------------------ into a Word document

def add_native_chart(paragraph, chart: NativeChart, number: int) -> None:
    """Append ``chart`` to ``paragraph`` as an inline chart: a chart part related to the
    document part, its workbook related to the chart part (``编辑数据`` opens it)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.shared import Mm

    document_part = paragraph.part
    package = document_part.package
    chart_part = Part(package.next_partname("/word/charts/chart%d.xml"), CHART_CONTENT_TYPE, b"", package)
    workbook = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{chart_part.partname.idx}.xlsx"),
                    XLSX_CONTENT_TYPE, chart.workbook, package)
    rid = chart_part.relate_to(workbook, RT.PACKAGE)
    chart_part._blob = chart.xml.replace(f'r:id="{WORKBOOK_RID}"'.encode(), f'r:id="{rid}"'.encode())
    chart_rid = document_part.relate_to(chart_part, RT.CHART)
    shape_id = document_part.next_id
    inline = parse_xml(_INLINE.format(cx=Mm(chart.width_mm).emu, cy=Mm(chart.height_mm).emu, id=shape_id,
                                      name=f"图表 {number}", rid=chart_rid))
    drawing = parse_xml('<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    drawing.append(inline)
    paragraph.add_run()._r.append(drawing)


_INLINE = (
    '<wp:inline distT="0" distB="0" distL="0" distR="0" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    f'xmlns:a="{A_NS}" xmlns:c="{C_NS}" xmlns:r="{R_NS}">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="{id}" name="{name}"/><wp:cNvGraphicFramePr/>'
    f'<a:graphic><a:graphicData uri="{CHART_URI}"><c:chart r:id="{{rid}}"/></a:graphicData></a:graphic>'
    '</wp:inline>')

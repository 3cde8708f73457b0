"""What a report builder hands to the renderer: plain data, inspectable without Word."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChartSpec:
    """A chart described as data; the render layer draws it (and caches it by content hash)."""

    key: str                 # template variable / stable id, e.g. "chart_cv_primary"
    kind: str                # renderer name in reportgen.render.charts, e.g. "cv_bars"
    caption: str             # "图1 小学各指标差异系数" (numbering done by the builder)
    data: dict               # JSON-serialisable inputs of the drawing function


@dataclass(frozen=True)
class ReportModel:
    """One report ready to render: template name, context, charts and the figure record."""

    name: str                # report id used on the command line: 履职自评 / 优质均衡 / 整改报告
    title: str               # document title
    filename: str            # output file name, e.g. "某县2025年履行教育职责自评报告.docx"
    template: str            # template file name inside templates_docx/
    context: dict            # template variables (plain data; charts referenced by ChartSpec.key)
    charts: tuple[ChartSpec, ...] = ()
    figures: tuple[dict, ...] = ()       # FigureBook.records()
    warnings: tuple[str, ...] = field(default=())  # e.g. body over 5000 字

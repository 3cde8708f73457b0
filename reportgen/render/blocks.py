"""Write the blocks of a ``ReportModel`` (sections, paragraphs, tables, charts, attachments) as Word XML.

The blocks are written into docxtpl sub-documents that share the template's main part, so they
use the template's styles (by style id) and their pictures belong to the document. The template
decides how each style looks; this module decides which style each block gets and lays out
tables (fixed widths on the 156 mm 版心, header row repeated on every page, rows never split).
"""
from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr
from typing import TYPE_CHECKING, Callable, Iterable

from reportgen.reports.model import (Attachment, Block, Chart, Column, FigureRef, Paragraph, Section, Table,
                                     figure_parts)

from reportgen.render.bound import mark_chart, mark_native_charts, mark_table

if TYPE_CHECKING:
    from docx.document import Document

    from reportgen.render.pieces import RenderPieces

TEXT_WIDTH_MM = 156.0
TWIPS_PER_MM = 1440 / 25.4
CELL_MARGIN_TWIPS = 57     # 1 mm left and right inside table cells

# The paragraph styles a template must define (style id → what it is for, in Chinese for messages).
STYLES: dict[str, str] = {
    "Normal": "正文", "BodyKeepNext": "正文（与下段同页）", "Heading1": "一级标题", "Heading2": "二级标题",
    "Heading3": "三级标题", "TableCaption": "表题", "TableHead": "表头文字", "TableText": "表格文字",
    "TableTextLeft": "表格文字左", "TableHeadSmall": "表头文字小", "TableTextSmall": "表格文字小",
    "TableTextSmallLeft": "表格文字小左", "TableNote": "表注", "Figure": "图片", "FigureCaption": "图题",
    "AttachmentMark": "附件标识", "AttachmentTitle": "附件标题",
}
TABLE_STYLE = "TableGrid"
_ROLE_STYLES = {"body": "Normal", "keep_next": "BodyKeepNext", "heading3": "Heading3"}
_HEADING_STYLES = {1: "Heading1", 2: "Heading2", 3: "Heading3"}

PictureSource = Callable[[Chart], bytes]   # the PNG of a chart
NATIVE, PICTURE = "native", "picture"      # how charts are written (reportgen.yaml 图表: 原生 / 图片)


class BlockWriter:
    """Appends blocks to one python-docx document body (a sub-document of the template)."""

    def __init__(self, doc: "Document", picture: PictureSource, charts: str = NATIVE,
                 pieces: "RenderPieces | None" = None):
        self.doc = doc
        self.picture = picture
        self.charts = charts
        self.pieces = pieces   # tables and rows rendered before, by content (a warm process)
        self._chart_count = 0

    # ------------------------------------------------------------ structure

    def sections(self, sections: Iterable[Section]) -> None:
        for section in sections:
            self.paragraph(section.heading, _HEADING_STYLES.get(section.level, "Heading3"))
            self.blocks(section.blocks)
            self.sections(section.children)

    def attachments(self, attachments: Iterable[Attachment]) -> None:
        for attachment in attachments:
            self.paragraph(attachment.mark, "AttachmentMark")
            self.paragraph(attachment.title, "AttachmentTitle")
            self.blocks(attachment.blocks)

    def blocks(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                self.paragraph(block.text, _ROLE_STYLES[block.role])
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Chart):
                self.chart(block)
            else:  # pragma: no cover - the model's Block union is closed
                raise TypeError(f"unknown block {type(block).__name__}")

    # ------------------------------------------------------------ paragraphs

    def paragraph(self, text: str, style: str):
        paragraph = self.doc.add_paragraph()
        paragraph._p.style = style
        write_text(paragraph, text)
        return paragraph

    def chart(self, chart: Chart) -> None:
        from io import BytesIO

        from docx.shared import Mm

        paragraph = self.doc.add_paragraph()
        paragraph._p.style = "Figure"
        if self.charts == NATIVE:
            from reportgen.render.native_charts import add_native_chart, native_charts

            parts = native_charts(chart) if self.pieces is None else self.pieces.value(
                "chart", repr(chart), lambda: native_charts(chart))
            for part in parts:
                self._chart_count += 1
                add_native_chart(paragraph, part, self._chart_count)
            mark_native_charts(paragraph, chart.key)
        else:
            png = self.picture(chart)
            paragraph.add_run().add_picture(BytesIO(png), width=Mm(TEXT_WIDTH_MM))
            mark_chart(paragraph, chart.key, png)
        self.paragraph(chart.caption, "FigureCaption")

    # ------------------------------------------------------------ tables

    def table(self, table: Table) -> None:
        if table.caption:
            self.paragraph(table.caption, "TableCaption")
        key = repr(table)
        known = None if self.pieces is None else self.pieces.get("table", key)
        if known is not None:
            self.doc.element.body._insert_tbl(known)
        else:
            grid = self._grid(table)
            if self.pieces is not None:
                self.pieces.keep("table", key, grid._tbl)
        if table.note:
            self.paragraph(table.note, "TableNote")

    def _grid(self, table: Table):
        """The python-docx table of ``table``: laid out, filled, marked."""
        head, text = ("TableHeadSmall", "TableTextSmall") if table.small else ("TableHead", "TableText")
        widths = _fitted_widths(table.columns)
        rows = [(tuple(c.header for c in table.columns), head)]
        rows += [(r, text) for r in (*table.head_rows, *table.rows)]
        if table.total is not None:
            rows.append((_total_cells(table), text))
        grid = self.doc.add_table(rows=0, cols=len(table.columns))
        _table_properties(grid, widths)
        twips = [_twips(w) for w in widths]
        for tr in self._rows([(cells, style, n == 0) for n, (cells, style) in enumerate(rows)], table.columns, twips):
            grid._tbl.append(tr)
        if table.total is not None and table.total_span > 1:
            last = grid.rows[-1]
            merged = last.cells[0].merge(last.cells[table.total_span - 1])
            for extra in merged.paragraphs[1:]:
                if not extra.text:
                    extra._p.getparent().remove(extra._p)
        if table.keep_together:
            for row in grid.rows:
                for cell in row.cells:
                    for cell_paragraph in cell.paragraphs:
                        cell_paragraph.paragraph_format.keep_with_next = True
        mark_table(grid, table.key)
        return grid

    def _rows(self, rows: list[tuple[tuple[str, ...], str, bool]], columns: tuple[Column, ...], twips: list[str]) -> list:
        """The ``w:tr`` of ``rows`` (cells, style, header); in a warm process a row rendered before
        is a copy of that rendering, and only the others are written."""
        if self.pieces is None:
            return _parsed_rows(rows, columns, twips)
        keys = [(cells, style, header, tuple(c.left for c in columns), tuple(twips)) for cells, style, header in rows]
        found = [self.pieces.get("row", key) for key in keys]
        todo = [i for i, tr in enumerate(found) if tr is None]
        for i, tr in zip(todo, _parsed_rows([rows[i] for i in todo], columns, twips)):
            self.pieces.keep("row", keys[i], tr)
            found[i] = tr
        return found


def write_text(paragraph, text: str) -> None:
    """Runs for ``text``: one per literal piece and one per figure reference; "\\n" is a line break.

    Each figure reference is bound: its run stands between the ends of a hidden bookmark named
    after the figure id (``reportgen.render.bound``), so ``reportgen refresh`` finds it after edits.
    """
    from reportgen.render.bound import bind_figure

    for part in figure_parts(text):
        if isinstance(part, FigureRef):
            bind_figure(_add_run(paragraph, part.text), part.id)
        else:
            _add_run(paragraph, part)


def _add_run(paragraph, text: str):
    lines = text.split("\n")
    run = paragraph.add_run(lines[0])
    for line in lines[1:]:
        run.add_break()
        run.add_text(line)
    return run


def _total_cells(table: Table) -> tuple[str, ...]:
    assert table.total is not None
    cells = [""] * len(table.columns)
    cells[0] = table.total[0]
    for offset, value in enumerate(table.total[1:]):
        cells[table.total_span + offset] = value
    return tuple(cells)


def _fitted_widths(columns: tuple[Column, ...]) -> list[float]:
    """Column widths in mm, scaled down to the 版心 when they would not fit."""
    total = sum(c.width for c in columns)
    scale = min(1.0, TEXT_WIDTH_MM / total) if total else 1.0
    return [c.width * scale for c in columns]


def _el(tag: str, **attrs: object):
    """A python-docx element ``tag`` ("w:tc") with ``w:`` attributes, as ``OxmlElement`` makes it."""
    from docx.oxml.parser import oxml_parser

    clark, nsmap = _tag(tag)
    return oxml_parser.makeelement(clark, attrib={_attr(k): str(v) for k, v in attrs.items()}, nsmap=nsmap)


@lru_cache(maxsize=None)
def _tag(tag: str) -> tuple[str, dict[str, str]]:
    from docx.oxml.ns import NamespacePrefixedTag

    name = NamespacePrefixedTag(tag)
    return name.clark_name, name.nsmap


@lru_cache(maxsize=None)
def _attr(key: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{key}")


_TBL_PR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                 "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
                 "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def _table_properties(grid, widths: list[float]) -> None:
    from docx.oxml.ns import qn

    tbl_pr = grid._tbl.tblPr
    for tag in ("w:tblStyle", "w:tblW", "w:jc", "w:tblLayout", "w:tblCellMar"):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
    tbl_pr.append(_el("w:tblStyle", val=TABLE_STYLE))
    tbl_pr.append(_el("w:tblW", w=int(sum(widths) * TWIPS_PER_MM), type="dxa"))
    tbl_pr.append(_el("w:jc", val="center"))
    tbl_pr.append(_el("w:tblLayout", type="fixed"))
    margins = _el("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_el(f"w:{side}", w=CELL_MARGIN_TWIPS, type="dxa"))
    tbl_pr.append(margins)
    rank = {qn(tag): i for i, tag in enumerate(_TBL_PR_ORDER)}
    for child in sorted(list(tbl_pr), key=lambda c: rank.get(c.tag, len(rank))):
        tbl_pr.remove(child)
        tbl_pr.append(child)
    for col, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width * TWIPS_PER_MM)))


def _twips(width_mm: float) -> str:
    """A cell width as python-docx writes ``cell.width = Mm(width_mm)``."""
    from docx.oxml.simpletypes import ST_TwipsMeasure
    from docx.shared import Mm

    return ST_TwipsMeasure.convert_to_xml(Mm(width_mm))


def _parsed_rows(rows: list[tuple[tuple[str, ...], str, bool]], columns: tuple[Column, ...], twips: list[str]) -> list:
    """The table's ``w:tr`` elements: written as one XML text and parsed at once (a large county's
    tables have ~10⁵ cells; making each element through the API cost seconds). A cell whose text
    the fast writer does not handle (tabs, carriage returns, characters XML refuses) makes the
    whole table go through ``_row``, which python-docx writes: the elements are the same."""
    from docx.oxml.parser import parse_xml

    try:
        body = "".join(_row_xml(cells, style, columns, twips, header) for cells, style, header in rows)
        return list(parse_xml(f'<w:tbl xmlns:w="{_W_NS}">{body}</w:tbl>'))
    except (_NotFast, SyntaxError, ValueError):
        return [_row(cells, style, columns, twips, header) for cells, style, header in rows]


class _NotFast(Exception):
    """A cell text the XML-text writer leaves to python-docx."""


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _row_xml(texts: tuple[str, ...], style: str, columns: tuple[Column, ...], twips: list[str], header: bool) -> str:
    """``_row`` as XML text."""
    from reportgen.render.bound import figure_anchor

    left = f"{style}Left" if style.startswith("TableText") else style
    cells = []
    for text, column, width in zip(texts, columns, twips):
        runs = []
        for part in figure_parts(text):
            if isinstance(part, FigureRef):
                runs.append(f'<w:bookmarkStart w:id="0" w:name={quoteattr(figure_anchor(part.id))}/>'
                            f"{_run_xml(part.text)}<w:bookmarkEnd w:id=\"0\"/>")
            else:
                runs.append(_run_xml(part))
        cells.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/><w:vAlign w:val="center"/></w:tcPr>'
                     f'<w:p><w:pPr><w:pStyle w:val={quoteattr(left if column.left else style)}/></w:pPr>'
                     f'{"".join(runs)}</w:p></w:tc>')
    head = "<w:tblHeader/>" if header else ""
    return f'<w:tr><w:trPr><w:cantSplit/>{head}</w:trPr>{"".join(cells)}</w:tr>'


def _run_xml(text: str) -> str:
    """A run as ``_add_run`` writes it: lines joined by ``w:br``, each line one ``w:t``."""
    if "\t" in text or "\r" in text:
        raise _NotFast
    lines = text.split("\n")
    pieces = [_t_xml(lines[0])] if lines[0] else []
    for line in lines[1:]:
        pieces.append("<w:br/>" + _t_xml(line))
    return f"<w:r>{''.join(pieces)}</w:r>"


def _t_xml(text: str) -> str:
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


def _row(texts: tuple[str, ...], style: str, columns: tuple[Column, ...], twips: list[str], header: bool):
    """One ``w:tr``, built as elements: python-docx's cell proxies re-scan the whole row for every
    cell, which made table rows (not the text in them) most of a large county's render time.
    Rows never split across pages; the header row repeats on every page."""
    from docx.text.paragraph import Paragraph

    tr = _el("w:tr")
    tr_pr = _el("w:trPr")
    tr_pr.append(_el("w:cantSplit"))
    if header:
        tr_pr.append(_el("w:tblHeader"))
    tr.append(tr_pr)
    left = f"{style}Left" if style.startswith("TableText") else style
    for text, column, width in zip(texts, columns, twips):
        tc = _el("w:tc")
        tc_pr = _el("w:tcPr")
        tc_pr.append(_el("w:tcW", type="dxa", w=width))
        tc_pr.append(_el("w:vAlign", val="center"))
        tc.append(tc_pr)
        paragraph = _el("w:p")
        p_pr = _el("w:pPr")
        p_pr.append(_el("w:pStyle", val=left if column.left else style))
        paragraph.append(p_pr)
        tc.append(paragraph)
        write_text(Paragraph(paragraph, None), text)
        tr.append(tc)
    return tr

"""Generate the 公文 Word templates in reportgen/templates_docx/ (python-docx, reproducible bytes).

    .venv/bin/python tools/make_templates.py            # writes every template
    .venv/bin/python tools/make_templates.py 优质均衡     # only the named ones (report ids)

The templates are ordinary Word files with docxtpl tags. A user may copy one, reword or
restyle it in Word/WPS and pass it with ``--template``; docs/templates.md lists the variables.

Building blocks (a new template, e.g. the lead's 整改报告, is a function in TEMPLATES using these):

    doc = new_document()                         A4, GB/T 9704 margins, 22×28 line grid, the
                                                 styles below, "— N —" odd/even page footers
    title(doc, "{{ title }}")                    2号方正小标宋简体, centred
    heading1(doc, "一、基本情况")                  黑体, keep-with-next (headings never orphaned)
    heading2(doc, "（{{ s.no }}）{{ s.name }}")   楷体_GB2312
    heading3(doc, "{{ t.no }}.{{ t.name }}")      仿宋_GB2312 bold
    paragraph(doc, "text")                       body: 仿宋_GB2312 3号, first-line indent 2 chars
    loop_paragraphs(doc, "basic")                one body paragraph per item of a list of strings
    with loop(doc, "s in practice"): ...         {%p for s in practice %} … {%p endfor %}
    with condition(doc, "problems"): ...         {%p if problems %} … {%p endif %}
    figure_block(doc, "s.figures")               per item {key, caption}: picture + 图题
    table_block(doc, caption, columns, rows=...) 表题 + table: repeating header row, rows that
                                                 never split, one docxtpl {%tr for %} row
    attachment_note(doc, "{{ attachment_list }}") "附件：…" below the body (hanging indent)
    signature(doc)                               报告单位 and 成文日期, right-aligned
    attachment(doc, "{{ a.mark }}", "{{ a.title }}")  new page, "附件1" 3号黑体 top-left, title centred
    save(doc, name)                              deterministic bytes into templates_docx/

Style ids are ASCII (GongwenTitle, TableText, ...) with Chinese display names; every style
sets the east-Asian font (``w:eastAsia``) explicitly, because Word otherwise falls back to a
Latin font.
"""
from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportgen.render.package import deterministic_docx  # noqa: E402

OUT_DIR = ROOT / "reportgen" / "templates_docx"

# ---------------------------------------------------------------- GB/T 9704 page and fonts
PAGE_W_MM, PAGE_H_MM = 210, 297
MARGINS_MM = dict(top=37, bottom=35, left=28, right=26)
TEXT_W_MM = PAGE_W_MM - MARGINS_MM["left"] - MARGINS_MM["right"]      # 156
TEXT_H_MM = PAGE_H_MM - MARGINS_MM["top"] - MARGINS_MM["bottom"]      # 225
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TWIPS_PER_MM = 1440 / 25.4
LINE_PITCH = int(TEXT_H_MM * TWIPS_PER_MM / LINES_PER_PAGE)           # 579 twips = 28.95 pt
BODY_PT = 16                                                          # 3号
# 28 characters of 3号 (16 pt) need 448 pt but the 版心 is 442.2 pt wide, so 3号 text is set
# 0.25 pt condensed (15.75 pt per character). A docGrid of type linesAndChars with a negative
# charSpace does the same in Word, but LibreOffice then gives every character two grid cells
# (14 characters a line); a plain line grid plus condensed spacing lays out alike everywhere.
CONDENSE_TWENTIETHS = -5                                              # -0.25 pt
assert CHARS_PER_LINE * (BODY_PT + CONDENSE_TWENTIETHS / 20) <= TEXT_W_MM / 25.4 * 72

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"

TABLE_PT = 10.5            # 5号: the body text of tables
TABLE_SMALL_PT = 9         # 小5号: dense tables (one row per school, 12 columns)
TABLE_NOTE_PT = 10.5
CAPTION_PT = 14            # 4号: 表题 and 图题
FOOTER_PT = 14             # 4号: page numbers
CELL_MARGIN_TWIPS = 57     # 1 mm left and right inside table cells


# ---------------------------------------------------------------- low-level XML helpers

def _el(tag: str, **attrs: str) -> OxmlElement:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _replace(parent, tag: str, **attrs: str):
    """Set the child ``tag`` of ``parent`` to a fresh element with ``attrs`` (schema order kept by insert)."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    element = _el(tag, **attrs)
    parent.append(element)
    return element


def _fonts(rpr, east_asia: str, latin: str | None = None) -> None:
    latin = latin or east_asia
    _replace(rpr, "w:rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin)


def _run_props(rpr, font: str, size_pt: float, bold: bool = False) -> None:
    """Rebuild a w:rPr: fonts, bold, colour, spacing, size (in schema order); 3号 is condensed."""
    for child in list(rpr):
        rpr.remove(child)
    _fonts(rpr, font)
    if bold:
        rpr.append(_el("w:b"))
        rpr.append(_el("w:bCs"))
    else:
        rpr.append(_el("w:b", val="0"))
        rpr.append(_el("w:bCs", val="0"))
    rpr.append(_el("w:color", val="000000"))
    if size_pt == BODY_PT:
        rpr.append(_el("w:spacing", val=CONDENSE_TWENTIETHS))
    half_points = str(int(round(size_pt * 2)))
    rpr.append(_el("w:sz", val=half_points))
    rpr.append(_el("w:szCs", val=half_points))
    rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN"))


@dataclass(frozen=True)
class ParagraphFormat:
    align: str = "both"                   # both | center | left | right
    first_line_chars: int = 0             # first-line indent in characters (×100 in OOXML)
    left_chars: int = 0
    right_chars: int = 0
    hanging_chars: int = 0
    line: int | None = LINE_PITCH         # exact line height in twips; None = single (auto)
    before: int = 0                       # space before, twips
    after: int = 0
    keep_next: bool = False
    keep_lines: bool = False
    page_break_before: bool = False
    snap_to_grid: bool = True
    outline: int | None = None


def _paragraph_props(ppr, fmt: ParagraphFormat, size_pt: float) -> None:
    """Rebuild a w:pPr in schema order from a ParagraphFormat."""
    for child in list(ppr):
        if child.tag not in (qn("w:pStyle"),):
            ppr.remove(child)
    if fmt.keep_next:
        ppr.append(_el("w:keepNext"))
    if fmt.keep_lines:
        ppr.append(_el("w:keepLines"))
    if fmt.page_break_before:
        ppr.append(_el("w:pageBreakBefore"))
    ppr.append(_el("w:widowControl"))
    if not fmt.snap_to_grid:
        ppr.append(_el("w:snapToGrid", val="0"))
    if fmt.line is None:
        ppr.append(_el("w:spacing", before=fmt.before, after=fmt.after, line=240, lineRule="auto"))
    else:
        ppr.append(_el("w:spacing", before=fmt.before, after=fmt.after, line=fmt.line, lineRule="exact"))
    char_twips = int(size_pt * 20)
    ind = {}
    if fmt.left_chars:
        ind.update(leftChars=fmt.left_chars * 100, left=fmt.left_chars * char_twips)
    if fmt.right_chars:
        ind.update(rightChars=fmt.right_chars * 100, right=fmt.right_chars * char_twips)
    if fmt.hanging_chars:
        ind.update(hangingChars=fmt.hanging_chars * 100, hanging=fmt.hanging_chars * char_twips)
    else:
        ind.update(firstLineChars=fmt.first_line_chars * 100, firstLine=fmt.first_line_chars * char_twips)
    ppr.append(_el("w:ind", **ind))
    ppr.append(_el("w:jc", val=fmt.align))
    if fmt.outline is not None:
        ppr.append(_el("w:outlineLvl", val=fmt.outline))


# ---------------------------------------------------------------- styles

@dataclass(frozen=True)
class StyleSpec:
    style_id: str
    name: str            # display name (Chinese for our own styles, Word's for built-ins)
    font: str
    size_pt: float
    fmt: ParagraphFormat
    bold: bool = False
    base: str | None = "Normal"
    next_style: str | None = None


BODY = ParagraphFormat(first_line_chars=2)
STYLES: tuple[StyleSpec, ...] = (
    StyleSpec("Normal", "Normal", FANGSONG, BODY_PT, BODY, base=None),
    StyleSpec("BodyKeepNext", "正文（与下段同页）", FANGSONG, BODY_PT,
              ParagraphFormat(first_line_chars=2, keep_next=True)),
    StyleSpec("GongwenTitle", "公文标题", XIAOBIAOSONG, 22,
              ParagraphFormat(align="center", line=None, after=LINE_PITCH, keep_next=True, keep_lines=True,
                              snap_to_grid=False), next_style="Normal"),
    StyleSpec("Heading1", "heading 1", HEITI, BODY_PT,
              ParagraphFormat(first_line_chars=2, keep_next=True, keep_lines=True, outline=0), next_style="Normal"),
    StyleSpec("Heading2", "heading 2", KAITI, BODY_PT,
              ParagraphFormat(first_line_chars=2, keep_next=True, keep_lines=True, outline=1), next_style="Normal"),
    StyleSpec("Heading3", "heading 3", FANGSONG, BODY_PT,
              ParagraphFormat(first_line_chars=2, keep_next=True, keep_lines=True, outline=2), bold=True,
              next_style="Normal"),
    StyleSpec("TableCaption", "表题", HEITI, CAPTION_PT,
              ParagraphFormat(align="center", line=None, before=120, after=60, keep_next=True, keep_lines=True,
                              snap_to_grid=False)),
    StyleSpec("TableHead", "表头文字", HEITI, TABLE_PT,
              ParagraphFormat(align="center", line=None, snap_to_grid=False)),
    StyleSpec("TableText", "表格文字", FANGSONG, TABLE_PT,
              ParagraphFormat(align="center", line=None, snap_to_grid=False)),
    StyleSpec("TableTextLeft", "表格文字左", FANGSONG, TABLE_PT,
              ParagraphFormat(align="left", line=None, snap_to_grid=False), base="TableText"),
    StyleSpec("TableHeadSmall", "表头文字小", HEITI, TABLE_SMALL_PT,
              ParagraphFormat(align="center", line=None, snap_to_grid=False), base="TableHead"),
    StyleSpec("TableTextSmall", "表格文字小", FANGSONG, TABLE_SMALL_PT,
              ParagraphFormat(align="center", line=None, snap_to_grid=False), base="TableText"),
    StyleSpec("TableTextSmallLeft", "表格文字小左", FANGSONG, TABLE_SMALL_PT,
              ParagraphFormat(align="left", line=None, snap_to_grid=False), base="TableTextSmall"),
    StyleSpec("TableNote", "表注", FANGSONG, TABLE_NOTE_PT,
              ParagraphFormat(align="left", line=None, before=60, after=120, snap_to_grid=False)),
    StyleSpec("Figure", "图片", FANGSONG, BODY_PT,
              ParagraphFormat(align="center", line=None, before=120, keep_next=True, keep_lines=True, snap_to_grid=False)),
    StyleSpec("FigureCaption", "图题", HEITI, CAPTION_PT,
              ParagraphFormat(align="center", line=None, after=120, snap_to_grid=False)),
    StyleSpec("AttachmentNote", "附件说明", FANGSONG, BODY_PT,
              ParagraphFormat(align="left", left_chars=5, hanging_chars=3, before=LINE_PITCH, keep_next=True)),
    StyleSpec("Signature", "署名", FANGSONG, BODY_PT,
              ParagraphFormat(align="right", right_chars=4, before=2 * LINE_PITCH, keep_next=True, keep_lines=True)),
    StyleSpec("SignDate", "成文日期", FANGSONG, BODY_PT,
              ParagraphFormat(align="right", right_chars=4)),
    StyleSpec("AttachmentMark", "附件标识", HEITI, BODY_PT,
              ParagraphFormat(align="left", page_break_before=True, keep_next=True, keep_lines=True)),
    StyleSpec("AttachmentTitle", "附件标题", XIAOBIAOSONG, 22,
              ParagraphFormat(align="center", line=None, before=LINE_PITCH, after=LINE_PITCH // 2,
                              keep_next=True, keep_lines=True, snap_to_grid=False)),
    StyleSpec("TemplateTag", "模板标签", FANGSONG, BODY_PT,
              ParagraphFormat(align="left", line=None, snap_to_grid=False)),
)


def _define_style(doc, spec: StyleSpec) -> None:
    styles = doc.styles
    by_id = {s.style_id: s for s in styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    style = by_id.get(spec.style_id)
    if style is None:
        style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), spec.style_id)
    if spec.base is not None:
        style.base_style = by_id.get(spec.base) or styles[spec.base]
    element = style.element
    for tag in ("w:rPr", "w:pPr"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    for tag in ("w:link", "w:qFormat", "w:uiPriority", "w:unhideWhenUsed", "w:semiHidden"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    element.append(_el("w:qFormat"))
    ppr = _el("w:pPr")
    _paragraph_props(ppr, spec.fmt, spec.size_pt)
    element.append(ppr)
    rpr = _el("w:rPr")
    _run_props(rpr, spec.font, spec.size_pt, spec.bold)
    element.append(rpr)
    if spec.next_style:
        _replace(element, "w:next", val=spec.next_style)
        _order_style_children(element)


_STYLE_ORDER = ("w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
                "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
                "w:personal", "w:rsid", "w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")


def _order_style_children(element) -> None:
    rank = {qn(tag): i for i, tag in enumerate(_STYLE_ORDER)}
    children = sorted(list(element), key=lambda c: rank.get(c.tag, len(rank)))
    for child in children:
        element.remove(child)
        element.append(child)


def _set_doc_defaults(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    _run_props(rpr, FANGSONG, BODY_PT)
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is not None:
        defaults.remove(ppr_default)


# ---------------------------------------------------------------- page, grid, footers

def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = _el("w:docGrid", type="lines", linePitch=LINE_PITCH)
    sect_pr.append(grid)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_footer(section.footer, "right")
    _page_footer(section.even_page_footer, "left")


def _page_footer(footer, side: str) -> None:
    """'— N —' in 4号宋体, one character in from the outer edge (GB/T 9704 §7.5)."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    ppr = paragraph._p.get_or_add_pPr()
    fmt = ParagraphFormat(align=side, line=None, snap_to_grid=False,
                          right_chars=1 if side == "right" else 0,
                          left_chars=1 if side == "left" else 0)
    _paragraph_props(ppr, fmt, FOOTER_PT)
    for text_or_field in ("— ", ("begin", None), " PAGE ", ("separate", None), "1", ("end", None), " —"):
        run = paragraph.add_run()
        rpr = run._r.get_or_add_rPr()
        _run_props(rpr, SONGTI, FOOTER_PT)
        if isinstance(text_or_field, tuple):
            run._r.append(_el("w:fldChar", fldCharType=text_or_field[0]))
        elif text_or_field == " PAGE ":
            instr = _el("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text_or_field
            run._r.append(instr)
        else:
            run.text = text_or_field


# ---------------------------------------------------------------- document blocks

def new_document():
    """An empty 公文 document: page setup, styles, footers; no paragraphs."""
    doc = Document()
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    _set_doc_defaults(doc)
    for spec in STYLES:
        _define_style(doc, spec)
    _page_setup(doc)
    _clean_properties(doc)
    return doc


def _clean_properties(doc) -> None:
    props = doc.core_properties
    props.author = "reportgen"
    props.comments = ""
    props.title = ""
    props.revision = 1
    # The default template's English thumbnail would show in file browsers.
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]


def _styled(doc, text: str, style_id: str):
    paragraph = doc.add_paragraph(text)
    paragraph.style = _style_by_id(doc, style_id)
    return paragraph


def _style_by_id(doc, style_id: str):
    for style in doc.styles:
        if style.style_id == style_id:
            return style
    raise KeyError(style_id)


def title(doc, text: str):
    return _styled(doc, text, "GongwenTitle")


def heading1(doc, text: str):
    return _styled(doc, text, "Heading1")


def heading2(doc, text: str):
    return _styled(doc, text, "Heading2")


def heading3(doc, text: str):
    return _styled(doc, text, "Heading3")


def paragraph(doc, text: str):
    return _styled(doc, text, "Normal")


def tag(doc, text: str):
    """A paragraph holding only a docxtpl ``{%p … %}`` tag (removed when rendered)."""
    return _styled(doc, text, "TemplateTag")


@contextmanager
def loop(doc, expression: str) -> Iterator[None]:
    """Repeat the paragraphs (and tables) added inside for each item: ``s in practice``."""
    tag(doc, f"{{%p for {expression} %}}")
    yield
    tag(doc, "{%p endfor %}")


@contextmanager
def condition(doc, expression: str) -> Iterator[None]:
    tag(doc, f"{{%p if {expression} %}}")
    yield
    tag(doc, "{%p endif %}")


def loop_paragraphs(doc, items: str, var: str = "p", keep_next: bool = False, keep_last: bool = False) -> None:
    """One body paragraph per string of the list ``items``. ``keep_next``: every paragraph is kept
    with what follows (a short lead-in before a table); ``keep_last``: only the last one is (the
    body's last paragraph before the 附件说明 and signature, so those never stand alone on a page)."""
    with loop(doc, f"{var} in {items}"):
        if keep_last:
            tag(doc, "{%p if not loop.last %}")
            _styled(doc, f"{{{{ {var} }}}}", "Normal")
            tag(doc, "{%p else %}")
            _styled(doc, f"{{{{ {var} }}}}", "BodyKeepNext")
            tag(doc, "{%p endif %}")
        else:
            _styled(doc, f"{{{{ {var} }}}}", "BodyKeepNext" if keep_next else "Normal")


def figure_block(doc, items: str, var: str = "f") -> None:
    """Per item of ``items`` ({key, caption}): the chart picture, then its caption below."""
    with loop(doc, f"{var} in {items}"):
        _styled(doc, f"{{{{ charts[{var}.key] }}}}", "Figure")
        _styled(doc, f"{{{{ {var}.caption }}}}", "FigureCaption")


@dataclass(frozen=True)
class Column:
    header: str          # header text (may contain "\n")
    width_mm: float
    value: str           # Jinja expression of the cell, e.g. "r.name"
    left: bool = False   # left-aligned text column (names, descriptions)


def table_block(doc, caption: str | None, columns: list[Column], rows: str,
                total: list[str] | None = None, total_span: int = 1, note: str | None = None,
                extra_rows: list[list[str]] | None = None, small: bool = False,
                keep_together: bool = False):
    """表题 + a table: header row repeating on every page, rows never split.

    ``rows`` is the loop, e.g. ``"r in t.rows"``; ``extra_rows`` are literal rows placed right
    under the header (e.g. the standards); ``total`` is a literal last row whose first cell
    spans ``total_span`` columns; ``small`` sets the text in 小5号 for dense tables;
    ``keep_together`` keeps a short table (and its note) on one page where it fits.
    """
    head, text = ("TableHeadSmall", "TableTextSmall") if small else ("TableHead", "TableText")
    if caption:
        _styled(doc, caption, "TableCaption")
    body_rows = 1 + len(extra_rows or []) + 3 + (1 if total else 0)
    table = doc.add_table(rows=body_rows, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(table, columns)
    rows_xml = table.rows
    _fill_row(doc, rows_xml[0], [c.header for c in columns], head, columns)
    _mark_header(rows_xml[0])
    index = 1
    for literal in extra_rows or []:
        _fill_row(doc, rows_xml[index], literal, text, columns)
        index += 1
    _fill_row(doc, rows_xml[index], [f"{{%tr for {rows} %}}"] + [""] * (len(columns) - 1), text, columns)
    _fill_row(doc, rows_xml[index + 1], [f"{{{{ {c.value} }}}}" for c in columns], text, columns)
    _fill_row(doc, rows_xml[index + 2], ["{%tr endfor %}"] + [""] * (len(columns) - 1), text, columns)
    if total:
        last = rows_xml[index + 3]
        cells = [""] * len(columns)
        cells[0] = total[0]
        for offset, value in enumerate(total[1:]):
            cells[total_span + offset] = value
        _fill_row(doc, last, cells, text, columns)
        if total_span > 1:
            last.cells[0].merge(last.cells[total_span - 1])
            _drop_empty_paragraphs(last.cells[0])
    for row in rows_xml:
        _cant_split(row)
        if keep_together:
            for cell in row.cells:
                for cell_paragraph in cell.paragraphs:
                    cell_paragraph.paragraph_format.keep_with_next = True
    if note:
        _styled(doc, note, "TableNote")
    return table


def _fixed_layout(table, columns: list[Column]) -> None:
    tbl_pr = table._tbl.tblPr
    _replace(tbl_pr, "w:tblW", w=int(sum(c.width_mm for c in columns) * TWIPS_PER_MM), type="dxa")
    _replace(tbl_pr, "w:tblLayout", type="fixed")
    margins = _replace(tbl_pr, "w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_el(f"w:{side}", w=CELL_MARGIN_TWIPS, type="dxa"))
    _sort_tbl_pr(tbl_pr)
    grid = table._tbl.tblGrid
    for col, spec in zip(grid.findall(qn("w:gridCol")), columns):
        col.set(qn("w:w"), str(int(spec.width_mm * TWIPS_PER_MM)))
    for row in table.rows:
        for cell, spec in zip(row.cells, columns):
            cell.width = Mm(spec.width_mm)


_TBL_PR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                 "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
                 "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def _sort_tbl_pr(tbl_pr) -> None:
    rank = {qn(tag): i for i, tag in enumerate(_TBL_PR_ORDER)}
    for child in sorted(list(tbl_pr), key=lambda c: rank.get(c.tag, len(rank))):
        tbl_pr.remove(child)
        tbl_pr.append(child)


def _fill_row(doc, row, texts: list[str], style_id: str, columns: list[Column]) -> None:
    style = _style_by_id(doc, style_id)
    left = _style_by_id(doc, f"{style_id}Left") if style_id.startswith("TableText") else style
    for cell, text, spec in zip(row.cells, texts, columns):
        cell_paragraph = cell.paragraphs[0]
        cell_paragraph.style = left if spec.left else style
        lines = text.split("\n")
        run = cell_paragraph.add_run(lines[0])
        for line in lines[1:]:
            run.add_break()
            run.add_text(line)
        tc_pr = cell._tc.get_or_add_tcPr()
        _replace(tc_pr, "w:vAlign", val="center")


def _drop_empty_paragraphs(cell) -> None:
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        if not extra.text:
            extra._p.getparent().remove(extra._p)


def _mark_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_el("w:tblHeader"))


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, _el("w:cantSplit"))


def attachment_note(doc, text: str):
    """附件说明 under the body: "附件：" then the names, continuation lines aligned."""
    return _styled(doc, text, "AttachmentNote")


def signature(doc, unit: str = "{{ unit }}", date: str = "{{ date }}") -> None:
    _styled(doc, unit, "Signature")
    _styled(doc, date, "SignDate")


def attachment(doc, mark: str, heading: str) -> None:
    """A new page with the attachment mark top-left (3号黑体) and its title centred."""
    _styled(doc, mark, "AttachmentMark")
    _styled(doc, heading, "AttachmentTitle")


def save(doc, name: str, folder: Path = OUT_DIR) -> Path:
    buffer = io.BytesIO()
    doc.save(buffer)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(deterministic_docx(buffer.getvalue()))
    return path


# ---------------------------------------------------------------- the templates

def duty_template():
    """履行教育职责自评报告 (report id 履职自评)."""
    doc = new_document()
    title(doc, "{{ title }}")
    loop_paragraphs(doc, "opening")
    heading1(doc, "一、基本情况")
    loop_paragraphs(doc, "basic")
    heading1(doc, "二、主要做法及成效")
    loop_paragraphs(doc, "practice_intro")
    figure_block(doc, "practice_figures")
    with loop(doc, "s in practice"):
        heading2(doc, "（{{ s.no }}）{{ s.name }}（分值{{ s.full }}分，自评得分{{ s.score }}分）")
        loop_paragraphs(doc, "s.paragraphs")
        figure_block(doc, "s.figures")
    heading1(doc, "三、上年度反馈问题整改情况")
    loop_paragraphs(doc, "rectification")
    figure_block(doc, "rectification_figures")
    heading1(doc, "四、存在问题")
    loop_paragraphs(doc, "problems")
    heading1(doc, "五、下一步工作计划")
    loop_paragraphs(doc, "plans", keep_last=True)
    attachment_note(doc, "附件：{{ attachment_list }}")
    signature(doc)
    attachment(doc, "{{ points_table.mark }}", "{{ points_table.title }}")
    table_block(doc, None, [
        Column("编号", 12, "r.no"),
        Column("一级指标", 20, "r.level1", left=True),
        Column("测评点", 44, "r.point", left=True),
        Column("分值", 11, "r.full"),
        Column("自评\n得分", 13, "r.score"),
        Column("来源", 12, "r.source"),
        Column("得失分说明", 44, "r.note", left=True),
    ], rows="r in points_table.rows",
        total=["合计", "{{ points_table.total_full }}", "{{ points_table.total_score }}", "",
               "{{ points_table.total_note }}"], total_span=3,
        note="{{ points_table.note }}")
    return doc


QUALITY_INDICATOR_HEADERS = [
    ("高于规定学历教师\n(人/百生)", "high_degree_teachers_per100"),
    ("县级以上骨干教师\n(人/百生)", "backbone_teachers_per100"),
    ("体育艺术专任教师\n(人/百生)", "pe_art_teachers_per100"),
    ("生均教学及辅助用房\n(㎡)", "teaching_area_per_student"),
    ("生均体育运动场馆\n(㎡)", "sports_area_per_student"),
    ("生均教学仪器设备值\n(元)", "equipment_value_per_student"),
    ("网络多媒体教室\n(间/百生)", "multimedia_rooms_per100"),
]


def _status_table(doc, prefix: str) -> None:
    table_block(doc, f"{{{{ {prefix}.caption }}}}", [
        Column("序号", 10, "r.no"),
        Column("指标", 56, "r.name", left=True),
        Column("本县情况", 46, "r.value", left=True),
        Column("标准", 28, "r.standard", left=True),
        Column("结论", 16, "r.result"),
    ], rows=f"r in {prefix}.rows", note=f"{{{{ {prefix}.note }}}}")


def quality_template():
    """县域义务教育优质均衡发展自评报告 (report id 优质均衡)."""
    doc = new_document()
    title(doc, "{{ title }}")
    loop_paragraphs(doc, "opening")
    heading1(doc, "一、基本情况")
    loop_paragraphs(doc, "basic")
    heading1(doc, "二、资源配置")
    loop_paragraphs(doc, "resource_intro")
    with loop(doc, "s in resource"):
        heading2(doc, "（{{ s.no }}）{{ s.name }}")
        loop_paragraphs(doc, "s.paragraphs")
        table_block(doc, "{{ s.table.caption }}", [
            Column("指标", 44, "r.name", left=True),
            Column("县域\n均值", 20, "r.mean"),
            Column("标准值", 16, "r.standard"),
            Column("达标\n学校数", 16, "r.meeting"),
            Column("差异\n系数", 18, "r.cv"),
            Column("差异系数\n标准", 22, "r.cv_max"),
            Column("结论", 20, "r.result"),
        ], rows="r in s.table.rows", note="{{ s.table.note }}", keep_together=True)
        loop_paragraphs(doc, "s.findings")
        figure_block(doc, "s.figures")
    heading1(doc, "三、政府保障程度")
    loop_paragraphs(doc, "guarantee_intro", keep_next=True)
    _status_table(doc, "guarantee_table")
    loop_paragraphs(doc, "guarantee_findings")
    figure_block(doc, "guarantee_figures")
    heading1(doc, "四、教育质量")
    loop_paragraphs(doc, "quality_intro", keep_next=True)
    _status_table(doc, "quality_table")
    loop_paragraphs(doc, "quality_findings")
    heading1(doc, "五、社会认可度")
    loop_paragraphs(doc, "recognition")
    heading1(doc, "六、存在问题")
    loop_paragraphs(doc, "problems")
    heading1(doc, "七、下一步工作计划")
    loop_paragraphs(doc, "plans", keep_last=True)
    attachment_note(doc, "附件：{{ attachment_list }}")
    signature(doc)
    with loop(doc, "a in attachments"):
        attachment(doc, "{{ a.mark }}", "{{ a.title }}")
        columns = [Column("序号", 8, "r.no"), Column("学校名称", 30, "r.name", left=True),
                   Column("在校\n生数", 12, "r.pupils")]
        columns += [Column(header, 12, f"r.v.{key}") for header, key in QUALITY_INDICATOR_HEADERS]
        columns += [Column("达标\n项数", 10, "r.met"), Column("结论", 12, "r.result")]
        standard_row = ["", "标准值", ""] + [f"{{{{ a.standard.{key} }}}}" for _, key in QUALITY_INDICATOR_HEADERS]
        table_block(doc, None, columns, rows="r in a.rows", extra_rows=[standard_row + ["", ""]],
                    note="{{ a.note }}", small=True)
    return doc


def rectification_template():
    """整改报告 (report id 整改报告): problem by problem from the 整改台账 (standards §7).

    Each category closes with the computed evidence for it (c.evidence: current class sizes,
    funding growth, coefficients...), stated once rather than under every problem."""
    doc = new_document()
    title(doc, "{{ title }}")
    loop_paragraphs(doc, "preamble")
    figure_block(doc, "figures")
    heading1(doc, "一、组织领导与责任落实")
    loop_paragraphs(doc, "organisation")
    heading1(doc, "二、逐项整改情况")
    with loop(doc, "c in categories"):
        heading2(doc, "{{ c.heading }}")
        with loop(doc, "q in c.problems"):
            heading3(doc, "{{ q.heading }}")
            paragraph(doc, "{{ q.measures }}")
            paragraph(doc, "{{ q.progress }}")
        loop_paragraphs(doc, "c.evidence")
    heading1(doc, "三、长效机制与下一步")
    loop_paragraphs(doc, "mechanisms", keep_last=True)
    attachment_note(doc, "附件：{{ attachment_title }}")
    signature(doc)
    attachment(doc, "附件", "{{ attachment_title }}")
    table_block(doc, None, [
        Column("序号", 9, "r.no"), Column("问题类别", 18, "r.category", left=True),
        Column("反馈问题", 47, "r.problem", left=True), Column("责任单位", 26, "r.unit", left=True),
        Column("完成时限", 20, "r.deadline"), Column("整改\n状态", 14, "r.state"),
        Column("销号日期", 22, "r.closed"),
    ], rows="r in ledger_rows", small=True)
    return doc


def change_note_template():
    """变更说明: which inputs changed since the previous build and which printed figures moved."""
    doc = new_document()
    title(doc, "{{ title }}")
    paragraph(doc, "{{ summary }}")
    with condition(doc, "input_changes"):
        heading1(doc, "一、输入数据的变化")
        loop_paragraphs(doc, "input_changes")
    with condition(doc, "figure_changes"):
        heading1(doc, "二、报告中随之变化的数字")
        table_block(doc, None, [
            Column("数字", 44, "r.id", left=True), Column("原值", 22, "r.old"),
            Column("新值", 22, "r.new"), Column("出现位置", 68, "r.places", left=True),
        ], rows="r in figure_changes", small=True)
    signature(doc)
    return doc


TEMPLATES: dict[str, tuple[str, Callable[[], object]]] = {
    "履职自评": ("履行教育职责自评报告.docx", duty_template),
    "优质均衡": ("优质均衡发展自评报告.docx", quality_template),
    "整改报告": ("整改报告.docx", rectification_template),
    "变更说明": ("变更说明.docx", change_note_template),
}


def main(argv: list[str]) -> int:
    wanted = argv or list(TEMPLATES)
    unknown = [name for name in wanted if name not in TEMPLATES]
    if unknown:
        print(f"unknown template(s): {', '.join(unknown)}; known: {', '.join(TEMPLATES)}", file=sys.stderr)
        return 2
    for name in wanted:
        filename, build = TEMPLATES[name]
        print(save(build(), filename))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

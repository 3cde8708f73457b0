"""Generate the 公文 Word templates in reportgen/templates_docx/ (python-docx, reproducible bytes).

    .venv/bin/python tools/make_templates.py            # writes every template
    .venv/bin/python tools/make_templates.py 优质均衡     # only the named ones (report ids)

The templates are ordinary Word files with docxtpl tags. A user may copy one, reword or
restyle it in Word/WPS and pass it with ``--template``; docs/templates.md lists the variables.

The content of a report (headings, paragraphs, tables, charts, attachments) is written from
the typed report model by ``reportgen.render.blocks`` into ``{{p body }}`` and
``{{p attachments }}``, in the styles defined here; a template holds the page, the styles and
the fixed parts. Building blocks:

    doc = new_document()                         A4, GB/T 9704 margins, 22×28 line grid, the
                                                 styles below, "— N —" odd/even page footers
    title(doc, "{{ title }}")                    2号方正小标宋简体, centred
    tag(doc, "{{p body }}")                      a paragraph replaced by generated content
    with condition(doc, "attachment_list"): ...  {%p if … %} … {%p endif %}
    attachment_note(doc, "{{ attachment_list }}") "附件：…" below the body (hanging indent)
    signature(doc)                               报告单位 and 成文日期
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
    StyleSpec("Addressee", "主送机关", FANGSONG, BODY_PT, ParagraphFormat(align="left")),
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


def tag(doc, text: str):
    """A paragraph holding only a docxtpl ``{%p … %}`` tag (removed when rendered)."""
    return _styled(doc, text, "TemplateTag")


@contextmanager
def condition(doc, expression: str) -> Iterator[None]:
    tag(doc, f"{{%p if {expression} %}}")
    yield
    tag(doc, "{%p endif %}")


def attachment_note(doc, text: str):
    """附件说明 under the body: "附件：" then the names, continuation lines aligned."""
    return _styled(doc, text, "AttachmentNote")


def signature(doc, unit: str = "{{ unit }}", date: str = "{{ date }}") -> None:
    """署名 over 成文日期; the renderer centres the 署名 on the date (GB/T 9704 7.3.5.1)."""
    _styled(doc, unit, "Signature")
    _styled(doc, date, "SignDate")


def save(doc, name: str, folder: Path = OUT_DIR) -> Path:
    buffer = io.BytesIO()
    doc.save(buffer)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(deterministic_docx(buffer.getvalue()))
    return path


# ---------------------------------------------------------------- the templates

def report_template(attachments: bool = True, addressee: bool = True):
    """A report: title, 主送机关, the content written from the model, 附件说明, signature, attachments.

    ``{{p body }}`` and ``{{p attachments }}`` receive the sections and attachments (headings,
    paragraphs, tables and charts in the styles above); everything else here is the user's to
    reword, restyle or move in Word."""
    doc = new_document()
    title(doc, "{{ title }}")
    if addressee:
        with condition(doc, "addressee"):
            _styled(doc, "{{ addressee }}", "Addressee")
    tag(doc, "{{p body }}")
    if attachments:
        with condition(doc, "attachment_list"):
            attachment_note(doc, "附件：{{ attachment_list }}")
    signature(doc)
    if attachments:
        tag(doc, "{{p attachments }}")
    return doc


TEMPLATES: dict[str, tuple[str, Callable[[], object]]] = {
    "履职自评": ("履行教育职责自评报告.docx", report_template),
    "优质均衡": ("优质均衡发展自评报告.docx", report_template),
    "整改报告": ("整改报告.docx", report_template),
    "回访督导情况报告": ("回访督导情况报告.docx", report_template),
    "评估方案自评": ("评估方案自评报告.docx", report_template),
    "学前普惠": ("学前教育普及普惠发展自评报告.docx", report_template),
    "变更说明": ("变更说明.docx", lambda: report_template(attachments=False, addressee=False)),
    "核对清单": ("核对清单.docx", lambda: report_template(attachments=False, addressee=False)),
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

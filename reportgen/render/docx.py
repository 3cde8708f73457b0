"""Render a ``ReportModel`` into a .docx: variables checked, sandboxed Jinja, charts, same bytes twice.

A template is an ordinary Word file with docxtpl tags (see docs/templates.md). It may come from
a shared drive, so it is treated as untrusted: it renders in a Jinja sandbox that only lets it
read plain data (strings, numbers, lists, dicts and Jinja's own loop helpers), cannot include
or import other files, and cannot call anything that changes state.

The template holds the fixed parts (title, 附件说明, signature, any fixed wording) and the
styles; the report's content arrives as two sub-documents written from the typed model by
``reportgen.render.blocks``: ``{{p body }}`` (opening paragraphs and sections) and
``{{p attachments }}``. Other variables: ``title``, ``attachment_list`` and ``ReportModel.meta``
(``unit``, ``date``…), listed in docs/templates.md.

python-docx and docxtpl are imported inside the functions that need them.
"""
from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.core.errors import TemplateError
from reportgen.render.package import deterministic_docx
from reportgen.render.sandbox import sandboxed_environment

if TYPE_CHECKING:
    from jinja2 import Environment

    from reportgen.reports.model import ReportModel
    from reportgen.render.charts import ChartCache
    from reportgen.render.pieces import RenderPieces

TEMPLATE_PACKAGE = "reportgen"
TEMPLATE_FOLDER = "templates_docx"
_CONTEXT_LINES = 3


# ---------------------------------------------------------------- templates

def default_template(filename: str) -> Path:
    """A template shipped inside the installed package (``reportgen/templates_docx``)."""
    from importlib.resources import files

    return Path(str(files(TEMPLATE_PACKAGE).joinpath(TEMPLATE_FOLDER, filename)))


def template_variables(template_path: str | os.PathLike) -> set[str]:
    """Every top-level variable a template reads (Jinja globals excluded)."""
    env = sandboxed_environment()
    tpl = _open_template(Path(template_path))
    names = _referenced_names(env, tpl)
    return names


def missing_variables(template_path: str | os.PathLike, context: dict) -> list[str]:
    """Variables the template uses that ``context`` lacks, sorted."""
    return sorted(template_variables(template_path) - set(context))


def _open_template(path: Path):
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate

    if not path.is_file():
        raise TemplateError(f"找不到模板文件「{path}」")
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise TemplateError(f"模板「{path.name}」不是有效的 Word（.docx）文件：{exc}") from exc
    except Exception as exc:  # zipfile.BadZipFile and lxml errors have no common base
        raise TemplateError(f"模板「{path.name}」无法打开：{exc}") from exc
    return tpl


def _template_source(tpl) -> str:
    """The Jinja source docxtpl renders: body, then headers and footers, tags cleaned."""
    from docx.opc.oxml import parse_xml

    source = tpl.patch_xml(tpl.xml_to_string(tpl.docx._element.body))
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            source += tpl.patch_xml(tpl.xml_to_string(parse_xml(part.blob)))
    return source


def _referenced_names(env: "Environment", tpl) -> set[str]:
    from jinja2 import TemplateSyntaxError, meta

    source = _template_source(tpl)
    try:
        ast = env.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"模板「{Path(str(tpl.template_file)).name}」有语法错误：{exc.message}"
                            f"{_nearby_text(source, exc.lineno)}") from exc
    return meta.find_undeclared_variables(ast) - set(env.globals)


def _nearby_text(source: str, lineno: int | None) -> str:
    """The document text around a Jinja error line, so a user can find it in Word."""
    if not lineno:
        return ""
    lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", source).splitlines()
    start = max(lineno - 1 - _CONTEXT_LINES, 0)
    text = [re.sub(r"<[^>]+>", "", line).strip() for line in lines[start:lineno + _CONTEXT_LINES]]
    text = [t for t in text if t]
    return f"（出错位置附近的文字：{' / '.join(text)[:200]}）" if text else ""


# ---------------------------------------------------------------- rendering

# Variables every report provides to its template, besides ``ReportModel.meta``.
BODY, ATTACHMENTS = "body", "attachments"
RESERVED = frozenset({"title", BODY, ATTACHMENTS, "attachment_list"})


def model_variables(model: "ReportModel") -> set[str]:
    """The names a template may use with this model."""
    return set(RESERVED) | set(model.meta)


def render_bytes(model: "ReportModel", template_path: str | os.PathLike,
                 chart_cache: "ChartCache | None" = None, chart_font: str | None = None,
                 charts: str = "native", pieces: "RenderPieces | None" = None) -> bytes:
    """Render ``model`` with the template and return the .docx bytes (deterministic).

    The template provides the fixed parts (版头, title, 附件说明, signature) and the styles;
    ``{{p body }}`` receives the opening paragraphs and every section, ``{{p attachments }}``
    the attachments, each written by ``reportgen.render.blocks``. ``charts`` is "native"
    (DrawingML charts with embedded workbooks) or "picture" (PNG pictures). ``pieces``: tables
    and rows rendered before by this process (``reportgen.render.pieces``), reused; the bytes
    are the same with or without them.
    """
    clash = RESERVED & set(model.meta)
    if clash:
        raise ValueError(f"meta keys {sorted(clash)} are reserved for the report content")
    path = Path(template_path)
    tpl = _open_template(path)
    env = sandboxed_environment()
    missing = sorted(_referenced_names(env, tpl) - model_variables(model))
    if missing:
        raise TemplateError(f"模板「{path.name}」使用了报告中没有的变量：{'、'.join(missing)}"
                            f"（共{len(missing)}个；可用变量见 docs/templates.md）")
    context = {"title": model.heading, "attachment_list": model.attachment_list, **model.meta,
               BODY: _marker_paragraph(BODY), ATTACHMENTS: _marker_paragraph(ATTACHMENTS)}
    _render(tpl, env, context, path.name)
    _write_content(tpl.docx, model, _picture_source(chart_cache, chart_font), path.name, charts, pieces)
    centre_signature(tpl.docx)
    tpl.docx.core_properties.title = model.title
    buffer = io.BytesIO()
    tpl.save(buffer)
    return deterministic_docx(buffer.getvalue())


def _check_styles(doc, elements: list, name: str) -> None:
    """Every paragraph and table style the written content uses must exist in the template
    (Word would silently fall back to 正文)."""
    from docx.oxml.ns import qn

    from reportgen.render.blocks import STYLES, TABLE_STYLE

    have = {s.style_id for s in doc.styles}
    used = {el.get(qn("w:val")) for element in elements
            for el in element.iter(qn("w:pStyle"), qn("w:tblStyle"))}
    labels = {**STYLES, TABLE_STYLE: "表格网格"}
    lacking = [f"{labels.get(sid, sid)}（{sid}）" for sid in sorted(used - have)]
    if lacking:
        raise TemplateError(f"模板「{name}」缺少报告需要的样式：{'、'.join(lacking)}"
                            f"（可复制内置模板再修改；所需样式见 docs/templates.md）")


SIGN_RIGHT_CHARS = 4     # 成文日期 右空四字 (GB/T 9704 7.3.5.1)


def centre_signature(doc) -> None:
    """Centre the 署名 on the 成文日期 (the longer of the two keeps 右空四字), whatever their lengths."""
    from docx.oxml.ns import qn

    unit, date = _styled_paragraph(doc, "Signature"), _styled_paragraph(doc, "SignDate")
    if unit is None or date is None:
        return
    widths = {id(p): _text_width(p.text) for p in (unit, date)}
    longest = max(widths.values())
    for paragraph in (unit, date):
        chars = SIGN_RIGHT_CHARS + (longest - widths[id(paragraph)]) / 2
        size = paragraph.style.font.size
        ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:rightChars"), str(round(chars * 100)))
        if size is not None:
            ind.set(qn("w:right"), str(round(chars * size.pt * 20)))


def _styled_paragraph(doc, style_id: str):
    """The first paragraph of style ``style_id`` (its own ``w:pStyle`` looked at first: resolving
    every paragraph's style through the styles part is slow)."""
    return next((p for p in doc.paragraphs if p._p.style == style_id and p.style.style_id == style_id), None)


def _text_width(text: str) -> float:
    """Width in 3号 characters: a Chinese character is one, a digit or Latin letter half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _marker(name: str) -> str:
    """The text of the paragraph a content variable renders to; it is then replaced by the content."""
    return f"\ue010{name}\ue010"


def _marker_paragraph(name: str):
    """``{{p name }}`` renders this paragraph (raw XML, so marked safe for the autoescaping sandbox)."""
    from markupsafe import Markup

    return Markup(f"<w:p><w:r><w:t>{_marker(name)}</w:t></w:r></w:p>")


def _write_content(doc, model: "ReportModel", picture, template_name: str, charts: str = "native",
                   pieces: "RenderPieces | None" = None) -> None:
    """Replace the ``{{p body }}`` and ``{{p attachments }}`` paragraphs by the model's blocks.

    Blocks are appended at the end of the document (so pictures belong to its main part) and
    then moved to where the template placed the variable."""
    from reportgen.render.blocks import BlockWriter

    writer = BlockWriter(doc, picture, charts, pieces)
    parts = ((BODY, bool(model.opening or model.sections),
              lambda: (writer.blocks(model.opening), writer.sections(model.sections))),
             (ATTACHMENTS, bool(model.attachments), lambda: writer.attachments(model.attachments)))
    for name, needed, write in parts:
        anchors = [p for p in doc.paragraphs if p.text == _marker(name)]
        if not anchors:
            if needed:
                raise TemplateError(f"模板「{template_name}」中没有 {{{{p {name} }}}}，报告内容无处放置"
                                    f"（该标签须单独占一段，见 docs/templates.md）")
            continue
        body = doc.element.body
        kept = list(body)  # holding the proxies keeps their id()s unique while we compare
        existing = set(map(id, kept))
        write()
        added = [el for el in body if id(el) not in existing]
        _check_styles(doc, added, template_name)
        anchor = anchors[0]._p
        for element in added:
            anchor.addprevious(element)
        anchor.getparent().remove(anchor)
    from reportgen.render.bound import number_anchors

    number_anchors(doc.element.body)   # the figures' and tables' bookmarks (reportgen refresh)


def _picture_source(chart_cache: "ChartCache | None", chart_font: str | None):
    from reportgen.render.charts import chart_png

    if chart_cache is not None:
        return lambda chart: chart_cache.png(chart, chart_font)
    return lambda chart: chart_png(chart, chart_font)


def render_report(model: "ReportModel", template_path: str | os.PathLike, out_path: str | os.PathLike,
                  chart_cache: "ChartCache | None" = None, chart_font: str | None = None,
                  charts: str = "native", pieces: "RenderPieces | None" = None) -> Path:
    """Render ``model`` into ``out_path`` (written atomically) and return the path.

    Raises ``TemplateError`` listing every variable the template uses that the model lacks,
    and for syntax errors and forbidden access in the template.
    """
    data = render_bytes(model, template_path, chart_cache, chart_font, charts, pieces)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _render(tpl, env: "Environment", context: dict, name: str) -> None:
    from jinja2 import TemplateError as JinjaError
    from jinja2.exceptions import SecurityError, TemplateNotFound, UndefinedError

    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except TemplateNotFound as exc:
        raise TemplateError(f"模板「{name}」不能引用其他文件（{exc.name}）：include、import、extends 不可用") from exc
    except SecurityError as exc:
        raise TemplateError(f"模板「{name}」试图访问不允许的内容，已拒绝：{exc}") from exc
    except UndefinedError as exc:
        raise TemplateError(f"模板「{name}」引用了不存在的内容：{exc.message}"
                            f"{_docx_context(exc)}") from exc
    except JinjaError as exc:
        raise TemplateError(f"模板「{name}」无法生成：{exc.message or exc}{_docx_context(exc)}") from exc


def _docx_context(exc: Exception) -> str:
    lines = [line.strip() for line in getattr(exc, "docx_context", []) or [] if line.strip()]
    return f"（出错位置附近的文字：{' / '.join(lines)[:200]}）" if lines else ""

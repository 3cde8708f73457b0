"""Render a ``ReportModel`` into a .docx: variables checked, sandboxed Jinja, charts, same bytes twice.

A template is an ordinary Word file with docxtpl tags (see docs/templates.md). It may come from
a shared drive, so it is treated as untrusted: it renders in a Jinja sandbox that only lets it
read plain data (strings, numbers, lists, dicts and Jinja's own loop helpers), cannot include
or import other files, and cannot call anything that changes state.

The render context is ``model.context`` plus one reserved variable, ``charts``: a mapping from
each ``ChartSpec.key`` to its picture, so a template writes ``{{ charts[f.key] }}`` inside a
figure loop or ``{{ charts.chart_funding }}`` at a fixed place.

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

CHARTS_VARIABLE = "charts"
TEMPLATE_PACKAGE = "reportgen"
TEMPLATE_FOLDER = "templates_docx"
_CONTEXT_LINES = 3


# ---------------------------------------------------------------- templates

def default_template(filename: str) -> Path:
    """A template shipped inside the installed package (``reportgen/templates_docx``)."""
    from importlib.resources import files

    return Path(str(files(TEMPLATE_PACKAGE).joinpath(TEMPLATE_FOLDER, filename)))


def template_variables(template_path: str | os.PathLike) -> set[str]:
    """Every top-level variable a template reads (Jinja globals and ``charts`` excluded)."""
    env = sandboxed_environment()
    tpl = _open_template(Path(template_path))
    names = _referenced_names(env, tpl)
    return names - {CHARTS_VARIABLE}


def missing_variables(template_path: str | os.PathLike, context: dict) -> list[str]:
    """Variables the template uses that ``context`` lacks, sorted."""
    provided = set(context) | {CHARTS_VARIABLE}
    return sorted(template_variables(template_path) - provided)


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

def render_bytes(model: "ReportModel", template_path: str | os.PathLike,
                 chart_cache: "ChartCache | None" = None, chart_font: str | None = None) -> bytes:
    """Render ``model`` with the template and return the .docx bytes (deterministic)."""
    if CHARTS_VARIABLE in model.context:
        raise ValueError(f"context key {CHARTS_VARIABLE!r} is reserved for the charts")
    path = Path(template_path)
    tpl = _open_template(path)
    env = sandboxed_environment()
    missing = sorted(_referenced_names(env, tpl) - set(model.context) - {CHARTS_VARIABLE})
    if missing:
        raise TemplateError(f"模板「{path.name}」使用了报告中没有的变量：{'、'.join(missing)}"
                            f"（共{len(missing)}个；可用变量见 docs/templates.md）")
    context = dict(model.context)
    context[CHARTS_VARIABLE] = _chart_images(tpl, model, chart_cache, chart_font)
    _render(tpl, env, context, path.name)
    tpl.docx.core_properties.title = model.title
    buffer = io.BytesIO()
    tpl.save(buffer)
    return deterministic_docx(buffer.getvalue())


def render_report(model: "ReportModel", template_path: str | os.PathLike, out_path: str | os.PathLike,
                  chart_cache: "ChartCache | None" = None, chart_font: str | None = None) -> Path:
    """Render ``model`` into ``out_path`` (written atomically) and return the path.

    Raises ``TemplateError`` listing every variable the template uses that the model lacks,
    and for syntax errors and forbidden access in the template.
    """
    data = render_bytes(model, template_path, chart_cache, chart_font)
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


def _chart_images(tpl, model: "ReportModel", chart_cache: "ChartCache | None",
                  chart_font: str | None) -> dict:
    """``{ChartSpec.key: InlineImage}`` sized to the 版心 width."""
    if not model.charts:
        return {}
    from docx.shared import Mm
    from docxtpl import InlineImage

    from reportgen.render.charts import WIDTH_MM, chart_png

    images = {}
    for spec in model.charts:
        png = chart_cache.png(spec, chart_font) if chart_cache is not None else chart_png(spec, chart_font)
        images[spec.key] = InlineImage(tpl, io.BytesIO(png), width=Mm(WIDTH_MM))
    return images

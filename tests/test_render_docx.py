"""The render layer: variables checked up front, a sandbox for untrusted templates, same bytes twice."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

from reportgen.core.errors import TemplateError
from reportgen.render.docx import (default_template, missing_variables, render_bytes, render_report,
                                   template_variables)
from reportgen.reports.model import ChartSpec, ReportModel

CHART = ChartSpec("chart_scores", "point_scores", "图1 各一级指标自评得分",
                  {"labels": ["教育投入", "教师队伍"], "full": [30.0, 20.0], "score": [28.5, 19.0],
                   "value_labels": ["28.5/30", "19/20"]})


def make_template(path: Path, *paragraphs: str) -> Path:
    """A .docx with the built-in styles whose body is the given paragraphs (each may hold Jinja/docxtpl tags)."""
    doc = Document(str(default_template("变更说明.docx")))
    body = doc.element.body
    for element in list(body)[:-1]:  # keep the section properties
        body.remove(element)
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(path)
    return path


def model(variables: dict, charts: tuple[ChartSpec, ...] = ()) -> ReportModel:
    """A model whose template variables are ``variables`` ("title" is the model's title)."""
    meta = dict(variables)
    return ReportModel("测试", meta.pop("title", "测试报告"), "测试报告.docx", "x.docx", opening=charts, meta=meta)


def body_text(data_or_path) -> str:
    source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
    return "\n".join(p.text for p in Document(source).paragraphs)


# ---------------------------------------------------------------- variables

def test_every_missing_variable_is_reported_at_once(tmp_path):
    tpl = make_template(tmp_path / "t.docx", "{{ title }}", "{{ unit }}{{ date }}",
                        "{%p for p in problems %}", "{{ p }}", "{%p endfor %}")
    with pytest.raises(TemplateError) as caught:
        render_bytes(model({"title": "标题"}), tpl)
    message = str(caught.value)
    for name in ("unit", "date", "problems"):
        assert name in message
    assert "title" not in message.split("：", 1)[1]
    assert "共3个" in message
    assert missing_variables(tpl, {"title": "x", "unit": "y"}) == ["date", "problems"]


def test_loop_variables_and_jinja_globals_are_not_reported_missing(tmp_path):
    tpl = make_template(tmp_path / "t.docx", "{%p for p in items %}", "{{ loop.index }}{{ p }}", "{%p endfor %}",
                        "{% for i in range(2) %}{{ i }}{% endfor %}")
    assert template_variables(tpl) == {"items"}
    assert "1甲" in body_text(render_bytes(model({"items": ["甲", "乙"]}), tpl))


def test_syntax_error_names_the_nearby_text(tmp_path):
    tpl = make_template(tmp_path / "t.docx", "第一段", "出错的段落{{ title ", "后面的段落")
    with pytest.raises(TemplateError, match="语法错误.*出错的段落"):
        render_bytes(model({"title": "x"}), tpl)


def test_missing_or_broken_template_file(tmp_path):
    with pytest.raises(TemplateError, match="找不到模板文件"):
        render_bytes(model({}), tmp_path / "无.docx")
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(TemplateError, match="坏.docx"):
        render_bytes(model({}), broken)


def test_nested_missing_key_is_a_template_error(tmp_path):
    tpl = make_template(tmp_path / "t.docx", "{{ table.caption }}")
    with pytest.raises(TemplateError, match="引用了不存在的内容"):
        render_bytes(model({"table": {"rows": []}}), tpl)


def test_content_names_are_reserved(tmp_path):
    tpl = make_template(tmp_path / "t.docx", "x")
    for name in ("body", "attachments", "attachment_list"):
        with pytest.raises(ValueError, match="reserved"):
            render_bytes(model({name: "x"}), tpl)


def test_text_is_escaped_not_interpreted_as_xml(tmp_path):
    tpl = make_template(tmp_path / "t.docx", "{{ title }}")
    text = body_text(render_bytes(model({"title": "A<w:t>&B</w:t>“引号”"}), tpl))
    assert text == "A<w:t>&B</w:t>“引号”"


# ---------------------------------------------------------------- sandbox

FORBIDDEN = "试图访问不允许的内容"
NO_FILES = "不能引用其他文件"
ATTACKS = [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", FORBIDDEN),
    ("{{ title.__class__.__base__ }}", FORBIDDEN),
    ("{{ lipsum.__globals__['os'].listdir('/') }}", FORBIDDEN),
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", FORBIDDEN),
    ("{{ '{0.__class__.__mro__}'.format(title) }}", FORBIDDEN),
    ("{{ items.append('x') }}", FORBIDDEN),
    # the content placeholder is markup text, not an object that leads to the document
    ("{{ body.__class__.__mro__ }}", FORBIDDEN),
    ("{{ self._TemplateReference__context }}", FORBIDDEN),
    ("{% include '/etc/passwd' %}", NO_FILES),
    ("{% import '/etc/passwd' as p %}{{ p }}", NO_FILES),
    ("{% extends '/etc/passwd' %}", NO_FILES),
]


@pytest.mark.parametrize("attack,refusal", ATTACKS, ids=[a for a, _ in ATTACKS])
def test_malicious_template_cannot_read_files_or_run_code(tmp_path, attack, refusal):
    tpl = make_template(tmp_path / "evil.docx", attack)
    with pytest.raises(TemplateError, match=refusal):
        render_bytes(model({"title": "标题", "items": ["a"]}), tpl)
    assert not Path("/tmp/reportgen-pwned.docx").exists()


def test_sandbox_still_allows_ordinary_template_logic(tmp_path):
    tpl = make_template(tmp_path / "t.docx", "{{ title|length }} {{ items|join('、') }} {{ table.rows[0].name }}"
                        " {{ '%.1f'|format(ratio * 100) }}%{% if items %} 有{% endif %}")
    text = body_text(render_bytes(model({"title": "标题", "items": ["甲", "乙"], "ratio": 0.256,
                                         "table": {"rows": [{"name": "第一小学"}]}}), tpl))
    assert text == "2 甲、乙 第一小学 25.6% 有"


# ---------------------------------------------------------------- charts and determinism

def test_charts_become_pictures_at_text_width(tmp_path):
    tpl = make_template(tmp_path / "t.docx", "{{p body }}")
    data = render_bytes(model({}, (CHART, CHART)), tpl, charts="picture")
    doc = Document(io.BytesIO(data))
    assert len(doc.inline_shapes) == 2
    assert all(abs(shape.width.mm - 156) < 0.1 for shape in doc.inline_shapes)
    assert CHART.caption in body_text(data)
    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]
    assert media == ["word/media/image1.png"]  # the same picture twice is stored once


def test_render_is_byte_identical_and_free_of_dates(tmp_path):
    m = model({}, (CHART,))
    tpl = make_template(tmp_path / "t.docx", "{{ title }}", "{{p body }}")
    first = render_report(m, tpl, tmp_path / "a" / "1.docx")
    second = render_report(m, tpl, tmp_path / "b" / "2.docx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"
        core = z.read("docProps/core.xml").decode()
    assert "dcterms:created" not in core and "dcterms:modified" not in core
    assert Document(first).core_properties.title == "测试报告"
    assert not list(tmp_path.glob("**/*.tmp"))


def test_chart_cache_is_used(tmp_path):
    from reportgen.render.charts import ChartCache

    cache = ChartCache(tmp_path / "cache")
    tpl = make_template(tmp_path / "t.docx", "{{p body }}")
    with_cache = render_bytes(model({}, (CHART,)), tpl, chart_cache=cache, charts="picture")
    assert len(list((tmp_path / "cache").glob("*.png"))) == 1
    assert render_bytes(model({}, (CHART,)), tpl, charts="picture") == with_cache


def test_charts_are_native_by_default_at_text_width(tmp_path):
    tpl = make_template(tmp_path / "t.docx", "{{p body }}")
    data = render_bytes(model({}, (CHART, CHART)), tpl)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sorted(n for n in names if n.startswith("word/charts/chart")) == ["word/charts/chart1.xml",
                                                                            "word/charts/chart2.xml"]
    assert len([n for n in names if n.startswith("word/embeddings/") and n.endswith(".xlsx")]) == 2
    assert not [n for n in names if n.startswith("word/media/")]
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    extents = [int(cx) for cx in re.findall(r'<wp:extent cx="(\d+)"', body)]
    assert extents and all(abs(cx / 36000 - 156) < 0.1 for cx in extents)
    assert CHART.caption in body_text(data)


def test_default_templates_are_found_inside_the_package():
    for name in ("履行教育职责自评报告.docx", "优质均衡发展自评报告.docx"):
        assert default_template(name).is_file()


def test_render_modules_import_nothing_heavy():
    code = ("import sys, reportgen.render.docx, reportgen.render.charts, reportgen.reports.duty, "
            "reportgen.reports.quality; "
            "print(sorted(m for m in ('docx', 'docxtpl', 'matplotlib', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _row_bytes(rows: list) -> list[bytes]:
    from lxml import etree

    return [etree.tostring(row, method="c14n") for row in rows]  # c14n: an empty w:t is <w:t></w:t> either way


def test_table_rows_written_as_text_equal_the_python_docx_rows():
    """The fast writer of table rows gives exactly the elements python-docx gives (figures, line
    breaks, spaces kept, XML characters escaped), and hands a tab to python-docx."""
    from reportgen.render import blocks
    from reportgen.reports.model import Column, figure_ref

    columns = (Column("学校", 40, left=True), Column("值", 20))
    twips = [blocks._twips(40), blocks._twips(20)]
    rows = [(("学校", "值"), "TableHead", True),
            (("城关<一>小 & 二小", figure_ref("quality.primary.cv", "0.412")), "TableText", False),
            ((" 前后有空格 ", "第一行\n第二行\n"), "TableText", False)]
    fast = blocks._parsed_rows(rows, columns, twips)
    slow = [blocks._row(cells, style, columns, twips, header) for cells, style, header in rows]
    assert _row_bytes(fast) == _row_bytes(slow)
    assert b"&lt;" in _row_bytes(fast)[1] and b"bookmarkStart" in _row_bytes(fast)[1]  # escaped; figure bound
    tabbed = blocks._parsed_rows([(("甲\t乙", "1"), "TableText", False)], columns, twips)
    assert b"<w:tab></w:tab>" in _row_bytes(tabbed)[0]

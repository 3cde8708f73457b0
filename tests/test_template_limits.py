"""Template bombs and failing expressions: each ends fast in a Chinese TemplateError that names
the template and the text near the tag; nothing prints a Python object's repr."""
from __future__ import annotations

import time

import pytest

from reportgen.core.errors import TemplateError
from reportgen.render.docx import render_bytes
from tests.test_render_docx import CHART, body_text, make_template, model

ATTACKS = {
    "{{ 9**(9**9) }}": "乘方",
    "{{ 2**100000 }}": "乘方",
    "{{ 'A' * 10**9 }}": "字符的上限",
    "{{ [1] * 10**9 }}": "字符的上限",
    "{{ 2**200 * 2**200 }}": "整数过大",
    "{{ 1 / 0 }}": "除数为零",
    "{{ 5 // 0 }}": "除数为零",
    "{{ 2.0 ** 5000.0 }}": "数值过大",
    "{{ {'a': 1}['b'] }}": "不存在",
    "{{ [1, 2][5] }}": "不存在",
    "{{ {'a': 1}.b.c }}": "不存在",
    "{{ '%09999999999d' % 1 }}": "宽度过大",
    "{{ '{:099999999}'.format(1) }}": "宽度过大",
    "{{ 'x'|center(1000000000) }}": "过大",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}": "嵌套过深",
    "{{ table }}": "字典",
    "{{ items }}": "列表",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}": "秒",
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}": "秒",
    "{% set ns = namespace(s='x' * 1000000) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}": "字符的上限",
}


@pytest.mark.parametrize("tag,reason", ATTACKS.items())
def test_template_bomb_is_a_chinese_error_near_its_text(tmp_path, monkeypatch, tag, reason):
    monkeypatch.setenv("REPORTGEN_TEMPLATE_SECONDS", "2")
    template = make_template(tmp_path / "炸弹.docx", "第一段正文", f"危险段落{tag}", "最后一段")
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        render_bytes(model({"items": ["甲", "乙"], "table": {"行": 1}}, (CHART,)), template)
    assert time.monotonic() - started < 20
    message = str(caught.value)
    assert reason in message
    assert "炸弹.docx" in message and "危险段落" in message
    assert "object at 0x" not in message and "Traceback" not in message


def test_budgets_leave_ordinary_templates_alone(tmp_path):
    template = make_template(tmp_path / "t.docx", "{{ 2**10 }} {{ 'ab' * 3 }} {{ items|join('、') }}",
                             "{% for i in range(3) %}{{ i * 7 }}{% endfor %} {{ 7 // 2 }} {{ '%.1f'|format(2.25) }}")
    text = body_text(render_bytes(model({"items": ["甲", "乙"]}), template))
    assert "1024 ababab 甲、乙" in text
    assert "0714 3 2.2" in text


def test_output_budget_is_settable(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_TEMPLATE_CHARS", "50000")
    template = make_template(tmp_path / "t.docx", "{% for i in range(20000) %}第{{ i }}行{% endfor %}")
    with pytest.raises(TemplateError, match="50,000 个字符"):
        render_bytes(model({}), template)

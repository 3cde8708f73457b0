"""Every report of the example county: GB/T 9704 check passes and rendering is byte-deterministic."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from docx.oxml.ns import qn

from conftest import CHECKER
from reportgen.render.docx import default_template, render_report
from reportgen.reports import duty, preschool, quality, rectification

# builder → plausible page range of the example county's report as LibreOffice lays it out
BUILDERS = {duty: (8, 20), quality: (10, 25), rectification: (8, 25), preschool: (6, 15)}


@pytest.fixture(scope="module", params=list(BUILDERS), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def rendered_twice(request, example_ws, example_analysis, tmp_path_factory):
    model = request.param.build_model(example_ws, example_analysis)
    folder = tmp_path_factory.mktemp("format")
    first = render_report(model, default_template(model.template), folder / "a.docx")
    second = render_report(model, default_template(model.template), folder / "b.docx")
    return first, second


@pytest.mark.skipif(not CHECKER.is_file(), reason="shared/tools/check_gongwen.py is not beside the repository")
def test_gbt9704_checker_passes(rendered_twice):
    result = subprocess.run([sys.executable, str(CHECKER), str(rendered_twice[0])], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 hard failures" in result.stdout


def test_same_inputs_give_the_same_bytes(rendered_twice):
    first, second = rendered_twice
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("builder", list(BUILDERS), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_libreoffice_lays_it_out_on_a_plausible_number_of_pages(builder, example_ws, example_analysis, tmp_path):
    model = builder.build_model(example_ws, example_analysis)
    rendered = render_report(model, default_template(model.template), tmp_path / "report.docx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(rendered)],
                   capture_output=True, check=True, timeout=180)
    pdf = (tmp_path / "report.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    low, high = BUILDERS[builder]
    assert low <= pages <= high


def test_addressee_under_the_title_and_signature_centred_on_the_date(rendered_twice, example_ws):
    """主送机关 flush left under the title ending with "：", 署名 centred over 成文日期 (GB/T 9704 7.3.5.1)."""
    from docx import Document

    doc = Document(rendered_twice[0])
    paragraphs = doc.paragraphs
    assert paragraphs[1].style.style_id == "Addressee"
    assert paragraphs[1].text == f"{example_ws.info['主送机关']}："
    unit = next(p for p in paragraphs if p.style.style_id == "Signature")
    date = next(p for p in paragraphs if p.style.style_id == "SignDate")

    def right(p) -> float:
        return int(p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) / 100

    def width(text: str) -> float:
        return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)

    assert min(right(unit), right(date)) == 4
    centre = {right(p) + width(p.text) / 2 for p in (unit, date)}
    assert len(centre) == 1, centre

"""``build --pdf`` with the real LibreOffice: fonts embedded, page counts, reuse on a rebuild (slow)."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, EXAMPLE_DOCX
from reportgen.cli.app import app
from reportgen.render import fonts

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdffonts") is None,
                       reason="LibreOffice or poppler-utils is not installed"),
]


def pdf_fonts(path) -> set[str]:
    """Embedded font names without the subset prefix (ABCDEF+)."""
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:] if line.strip()}


def pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def plain_libreoffice_pages(documents, folder) -> dict[str, int]:
    """Page counts of LibreOffice's own layout of the .docx files (its default profile and fallbacks)."""
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, documents)],
                   capture_output=True, check=True, timeout=300)
    return {doc.stem: pages(folder / f"{doc.stem}.pdf") for doc in documents}


@pytest.mark.skipif(not (fonts.has_family("Noto Serif CJK SC") and fonts.has_family("Noto Sans CJK SC")),
                    reason="fonts-noto-cjk is not installed")
def test_build_pdf_on_a_noto_only_machine(tmp_path):
    assert not any(fonts.has_family(name) for name in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"))
    workspace = tmp_path / "某县2025"
    shutil.copytree(EXAMPLE, workspace)
    out = tmp_path / "输出"
    result = CliRunner().invoke(app, ["build", str(workspace), "--pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    reports = sorted(out.glob("*.docx"))
    assert len(reports) == EXAMPLE_DOCX and sorted(p.stem for p in out.glob("*.pdf")) == [p.stem for p in reports]
    assert ("说明：PDF 字体替换（本机没有这些公文字体，换行分页可能与装有原字体的电脑略有不同）："
            "方正小标宋简体（标题）→ Noto Serif CJK SC 粗体；仿宋_GB2312（正文）→ Noto Serif CJK SC；"
            "黑体（一级标题）→ Noto Sans CJK SC；楷体_GB2312（二级标题）→ Noto Serif CJK SC；") in result.output
    plain = plain_libreoffice_pages(reports, tmp_path / "plain")
    for report in reports:
        pdf = out / f"{report.stem}.pdf"
        embedded = pdf_fonts(pdf)
        # The Noto CJK collections share one CFF per weight, named after its first (JP) face.
        assert {"NotoSerifCJKjp-Bold-VKana", "NotoSerifCJKjp-Regular-VKana",   # title, body
                "NotoSansCJKjp-Regular-VKana"} <= embedded, (report.name, embedded)  # headings
        assert abs(pages(pdf) - plain[report.stem]) <= 1, report.name

    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    again = CliRunner().invoke(app, ["build", str(workspace), "--pdf", "--out", str(out)])
    assert again.exit_code == 0, again.output
    for name in before:  # unchanged reports keep their PDFs; only the new 变更说明 is converted
        assert f"无变化：{out / name}" in again.output
    assert (out / "变更说明.pdf").is_file() and pages(out / "变更说明.pdf") >= 1
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf") if p.name in before} == before

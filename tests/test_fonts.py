"""Font choice without LibreOffice: the chart face, the 公文 substitutions, the files given to LibreOffice."""
from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.render import fonts, pdf

OOR = "{http://openoffice.org/2001/registry}"


@pytest.fixture
def fresh_chart_face():
    fonts.default_chart_face.cache_clear()
    yield
    fonts.default_chart_face.cache_clear()


def families(monkeypatch, names: set[str]) -> None:
    monkeypatch.setattr(fonts, "installed_families", lambda: frozenset(n.casefold() for n in names))


def test_windows_simhei_comes_before_the_linux_and_bundled_faces(monkeypatch, tmp_path, fresh_chart_face):
    shutil.copy(fonts.bundled_face().path, tmp_path / "simhei.ttf")
    shutil.copy(fonts.bundled_face().path, tmp_path / "msyh.ttc")
    monkeypatch.setattr(fonts, "windows_font_dirs", lambda: [tmp_path])
    face = fonts.default_chart_face()
    assert (face.family, face.path, face.index, face.source) == ("SimHei", str(tmp_path / "simhei.ttf"), 0, "本机")


def test_without_a_machine_cjk_font_charts_use_the_bundled_noto_sans_sc(monkeypatch, fresh_chart_face):
    monkeypatch.setattr(fonts, "machine_face", lambda *args: None)
    face = fonts.default_chart_face()
    assert (face.family, face.source, Path(face.path).name) == ("Noto Sans SC", "自带", "NotoSansSC-Regular.otf")
    assert Path(face.path).is_file()
    assert fonts.chart_font_note(None).startswith("图表字体：本机没有中文字体，使用 Noto Sans SC（reportgen 自带字体：")
    assert fonts.chart_font_note("字体/仿宋.ttf") == "图表字体：字体/仿宋.ttf（reportgen.yaml 的「图表字体」）"


@pytest.mark.skipif(not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").is_file(),
                    reason="fonts-noto-cjk is not installed")
def test_noto_cjk_collection_is_found_with_its_simplified_chinese_face(fresh_chart_face):
    assert fonts.machine_face("Noto Sans CJK SC") == fonts.FontFace(
        "Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, "本机")


def test_windows_registry_names_become_families():
    entries = ["SimSun & NSimSun (TrueType)", "仿宋_GB2312 (TrueType)", "Microsoft YaHei & Microsoft YaHei UI (TrueType)"]
    assert fonts.registry_names(entries) == ["SimSun", "NSimSun", "仿宋_GB2312", "Microsoft YaHei", "Microsoft YaHei UI"]


def test_noto_only_machine_gets_bold_serif_title_serif_body_and_sans_headings(monkeypatch):
    families(monkeypatch, {"Noto Sans CJK SC", "Noto Serif CJK SC", "DejaVu Sans"})
    monkeypatch.setattr(pdf, "_fontconfig_bold", lambda: True)
    got = {s.font.name: (s.installed, s.family, s.bold) for s in pdf.substitutions()}
    assert got == {
        "方正小标宋简体": (False, "Noto Serif CJK SC", True),
        "仿宋_GB2312": (False, "Noto Serif CJK SC", False),
        "黑体": (False, "Noto Sans CJK SC", False),
        "楷体_GB2312": (False, "Noto Serif CJK SC", False),
        "宋体": (False, "Noto Serif CJK SC", False),
    }


def test_windows_without_gb2312_fonts_uses_fangsong_and_kaiti(monkeypatch):
    families(monkeypatch, {"SimSun", "SimHei", "FangSong", "KaiTi", "Microsoft YaHei"})
    monkeypatch.setattr(pdf, "_fontconfig_bold", lambda: False)  # LibreOffice on Windows: no weight in the table
    subs = pdf.substitutions()
    got = {s.font.name: (s.installed, s.family, s.bold) for s in subs}
    assert got == {
        "方正小标宋简体": (False, "SimSun", False),
        "仿宋_GB2312": (False, "FangSong", False),
        "黑体": (True, None, False),       # Windows calls SimHei 黑体
        "楷体_GB2312": (False, "KaiTi", False),
        "宋体": (True, None, False),
    }
    note = pdf.substitution_note(subs)
    assert note.startswith("PDF 字体替换（本机没有这些公文字体")
    assert "仿宋_GB2312（正文）→ FangSong；" in note and "方正小标宋简体（标题）→ SimSun；" in note
    assert "黑体" not in note


def test_a_machine_with_every_font_substitutes_nothing(monkeypatch):
    families(monkeypatch, {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"})
    assert pdf.substitution_note(pdf.substitutions()) == "PDF 字体：公文字体本机均已安装，未作替换。"


def test_no_cjk_font_at_all_is_said(monkeypatch):
    families(monkeypatch, {"DejaVu Sans"})
    assert [s.text for s in pdf.substitutions()][0] == \
        "方正小标宋简体（标题）：本机没有，也没有可替代的中文字体，由 LibreOffice 自行选择"


def pairs(xcu: str) -> dict[str, str]:
    root = ET.fromstring(xcu)
    found = {}
    for node in root.iter("node"):
        props = {p.get(f"{OOR}name"): p.find("value").text for p in node.iter("prop")}
        assert (props["Always"], props["OnScreenOnly"]) == ("true", "false")
        found[props["ReplaceFont"]] = props["SubstituteFont"]
    return found


def test_replacement_table_and_fontconfig_rule(monkeypatch, tmp_path):
    families(monkeypatch, {"Noto Sans CJK SC", "Noto Serif CJK SC"})
    monkeypatch.setattr(pdf, "_fontconfig_bold", lambda: False)  # Windows: everything in the table
    assert pairs(pdf.replacement_table(pdf.substitutions())) == {"方正小标宋简体": "Noto Serif CJK SC", "仿宋_GB2312": "Noto Serif CJK SC",
                                                  "黑体": "Noto Sans CJK SC", "楷体_GB2312": "Noto Serif CJK SC",
                                                  "宋体": "Noto Serif CJK SC"}
    monkeypatch.setattr(pdf, "_fontconfig_bold", lambda: True)  # fontconfig: the bold one by its rule
    subs = pdf.substitutions()
    profile = pdf.write_profile(tmp_path / "profile", subs)
    assert profile == tmp_path / "profile" / "user" / "registrymodifications.xcu"
    assert "方正小标宋简体" not in pairs(profile.read_text(encoding="utf-8"))
    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
    conf = ET.parse(pdf.write_fontconfig(tmp_path / "fonts.conf", subs)).getroot()
    assert conf.find("include").text == "/etc/fonts/fonts.conf"
    [rule] = conf.findall("match")
    assert rule.find("test/string").text == "方正小标宋简体"
    assert [e.find("*").text for e in rule.findall("edit")] == ["Noto Serif CJK SC", "bold"]


def test_unchanged_report_keeps_its_newer_pdf_and_a_changed_one_is_converted(monkeypatch, tmp_path):
    out, staging = tmp_path / "out", tmp_path / "staging"
    out.mkdir(), staging.mkdir()
    (out / "甲.docx").write_bytes(b"same")
    (out / "甲.pdf").write_bytes(b"pdf of same")
    (out / "乙.docx").write_bytes(b"old")
    (out / "乙.pdf").write_bytes(b"pdf of old")
    (staging / "乙.docx").write_bytes(b"new")
    calls = []

    def fake_convert(documents, out_dir, subs):
        calls.append(list(documents))
        return {doc: out_dir / f"{doc.stem}.pdf" for doc in documents}

    monkeypatch.setattr(pdf, "convert_to_pdf", fake_convert)
    staged = {"甲.docx": out / "甲.docx", "乙.docx": staging / "乙.docx"}
    pdf.stage_pdfs(staged, staging, out)
    assert calls == [[staging / "乙.docx"]]  # one LibreOffice run, only for the changed report
    assert staged["甲.pdf"] == out / "甲.pdf" and staged["乙.pdf"] == staging / "乙.pdf"


def test_missing_libreoffice_is_a_chinese_message(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(pdf.ReportgenError, match="未找到 LibreOffice，无法生成 PDF（Word 报告已正常生成）"):
        pdf.convert_to_pdf([tmp_path / "甲.docx"], tmp_path, [])


def test_build_pdf_without_libreoffice_publishes_the_reports_and_exits_1(monkeypatch, minimal_workspace):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    result = CliRunner().invoke(app, ["build", str(minimal_workspace), "--pdf", "--jobs", "1"])
    assert result.exit_code == 1
    assert "错误：未找到 LibreOffice，无法生成 PDF" in result.output
    out = minimal_workspace / "输出"
    assert len(list(out.glob("*.docx"))) == 4 and not list(out.glob("*.pdf"))  # 3 reports + 核对清单
    assert "说明：图表字体：" in result.output


def test_fonts_command_lists_the_four_fonts(monkeypatch):
    families(monkeypatch, {"Noto Sans CJK SC", "Noto Serif CJK SC", "仿宋_GB2312"})
    monkeypatch.setattr(pdf, "_fontconfig_bold", lambda: True)
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    result = CliRunner().invoke(app, ["fonts"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  方正小标宋简体（标题）→ Noto Serif CJK SC 粗体" in lines
    assert "  仿宋_GB2312（正文）：本机已安装" in lines
    assert "  黑体（一级标题）→ Noto Sans CJK SC" in lines
    assert "  楷体_GB2312（二级标题）→ Noto Serif CJK SC" in lines
    assert "本机缺少：方正小标宋简体、黑体、楷体_GB2312、宋体。" in result.output
    assert "LibreOffice：未安装（build --pdf 需要 LibreOffice）" in lines


def test_a_report_replaced_without_pdf_moves_its_old_pdf_to_the_history(minimal_workspace):
    out = minimal_workspace / "输出"
    assert CliRunner().invoke(app, ["build", str(minimal_workspace), "--jobs", "1"]).exit_code == 0
    report = sorted(out.glob("*.docx"))[0]
    report.unlink()
    report.with_suffix(".pdf").write_bytes(b"%PDF of the previous report")
    untouched = sorted(out.glob("*.docx"))[1].with_suffix(".pdf")
    untouched.write_bytes(b"%PDF of an unchanged report")
    result = CliRunner().invoke(app, ["build", str(minimal_workspace), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert not report.with_suffix(".pdf").exists() and untouched.is_file()
    [kept] = (out / "历史版本").glob("*/*.pdf")
    assert kept.name == report.with_suffix(".pdf").name and kept.read_bytes() == b"%PDF of the previous report"
    assert f"旧版本已保留：{kept}" in result.output

"""PDF copies of the reports through LibreOffice headless, with the 公文 fonts substituted openly.

The reports name 方正小标宋简体, 仿宋_GB2312, 黑体 and 楷体_GB2312 (and 宋体 for page numbers),
which many machines lack. LibreOffice would then pick a fallback silently (often a sans face for
everything). Instead every conversion runs in a private, temporary LibreOffice user profile whose
font replacement table (``registrymodifications.xcu``) maps each missing font to the closest face
this machine has (``substitutions``); where LibreOffice uses fontconfig (Linux) a private
``fonts.conf`` given to that one process also asks for the bold weight 小标宋 needs. The user's
own LibreOffice profile and the .docx files are never touched. All files go to one ``soffice``
call (starting LibreOffice costs far more than converting one more file).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportgen.core.errors import ReportgenError
from reportgen.render.fonts import has_family

SECONDS_TO_START = 120
SECONDS_PER_FILE = 60


@dataclass(frozen=True)
class GongwenFont:
    """A font the templates name, what it is used for, and its substitutes in order of preference:
    (family, bold) — the first installed one is used when the font itself is missing."""

    name: str
    use: str
    substitutes: tuple[tuple[str, bool], ...]


SERIF = (("Noto Serif CJK SC", False), ("Source Han Serif SC", False), ("Source Han Serif CN", False),
         ("SimSun", False), ("AR PL UMing CN", False))
GONGWEN_FONTS: tuple[GongwenFont, ...] = (
    GongwenFont("方正小标宋简体", "标题", (("方正小标宋_GBK", False), ("FZXiaoBiaoSong-B05S", False),
                                         *((family, True) for family, _ in SERIF))),
    GongwenFont("仿宋_GB2312", "正文", (("FangSong", False), ("STFangsong", False), *SERIF)),
    GongwenFont("黑体", "一级标题", (("SimHei", False), ("Microsoft YaHei", False), ("Noto Sans CJK SC", False),
                                  ("Source Han Sans SC", False), ("WenQuanYi Micro Hei", False),
                                  ("WenQuanYi Zen Hei", False))),
    GongwenFont("楷体_GB2312", "二级标题", (("KaiTi", False), ("STKaiti", False), ("AR PL UKai CN", False), *SERIF)),
)
# Not one of the four 公文 fonts, but the templates use it for page numbers.
PAGE_NUMBER_FONT = GongwenFont("宋体", "页码", (("SimSun", False), *SERIF))


@dataclass(frozen=True)
class Substitution:
    font: GongwenFont
    installed: bool          # the font itself is on this machine: nothing is substituted
    family: str | None       # the substitute (None: none found, LibreOffice picks its own fallback)
    bold: bool = False

    @property
    def text(self) -> str:
        if self.installed:
            return f"{self.font.name}（{self.font.use}）：本机已安装"
        if self.family is None:
            return f"{self.font.name}（{self.font.use}）：本机没有，也没有可替代的中文字体，由 LibreOffice 自行选择"
        return f"{self.font.name}（{self.font.use}）→ {self.family}{' 粗体' if self.bold else ''}"


def substitutions(fonts: tuple[GongwenFont, ...] = (*GONGWEN_FONTS, PAGE_NUMBER_FONT)) -> list[Substitution]:
    """What each font becomes on this machine."""
    return [_substitution(font) for font in fonts]


def _substitution(font: GongwenFont) -> Substitution:
    if has_family(font.name):
        return Substitution(font, True, None)
    for family, bold in font.substitutes:
        if has_family(family):  # bold only where it can be asked for (fontconfig)
            return Substitution(font, False, family, bold and _fontconfig_bold())
    return Substitution(font, False, None)


def substitution_note(subs: list[Substitution]) -> str:
    """One line for the build output."""
    replaced = [s for s in subs if not s.installed]
    if not replaced:
        return "PDF 字体：公文字体本机均已安装，未作替换。"
    return ("PDF 字体替换（本机没有这些公文字体，换行分页可能与装有原字体的电脑略有不同）："
            + "；".join(s.text for s in replaced))


# ------------------------------------------------------------------ LibreOffice

def find_soffice() -> str | None:
    """The LibreOffice program: on PATH, or where its installers put it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    known = [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    for variable in ("ProgramFiles", "ProgramFiles(x86)"):
        if os.environ.get(variable):
            known.append(Path(os.environ[variable]) / "LibreOffice" / "program" / "soffice.exe")
    return next((str(path) for path in known if path.is_file()), None)


MISSING_LIBREOFFICE = ("未找到 LibreOffice，无法生成 PDF（Word 报告已正常生成）。请安装 LibreOffice"
                       "（Windows 默认装在 C:\\Program Files\\LibreOffice），或不加 --pdf 只生成 Word 报告。")


def convert_to_pdf(documents: list[Path], out_dir: Path, subs: list[Substitution]) -> dict[Path, Path]:
    """Convert every document in one LibreOffice run; document → its PDF in ``out_dir``."""
    soffice = find_soffice()
    if soffice is None:
        raise ReportgenError(MISSING_LIBREOFFICE)
    with tempfile.TemporaryDirectory(prefix="reportgen-libreoffice-") as temp:
        profile = Path(temp) / "profile"
        write_profile(profile, subs)
        env = dict(os.environ)
        if _fontconfig_bold():
            env["FONTCONFIG_FILE"] = str(write_fontconfig(Path(temp) / "fonts.conf", subs))
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, documents)]
        _run(command, env, SECONDS_TO_START + SECONDS_PER_FILE * len(documents))
    pdfs = {doc: out_dir / f"{doc.stem}.pdf" for doc in documents}
    failed = [doc.name for doc, pdf in pdfs.items() if not pdf.is_file()]
    if failed:
        raise ReportgenError(f"LibreOffice 未能把「{'」「'.join(failed)}」转换为 PDF（Word 报告已正常生成）")
    return pdfs


def _run(command: list[str], env: dict, timeout: float) -> None:
    try:
        subprocess.run(command, env=env, capture_output=True, timeout=timeout, check=False,
                       stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise ReportgenError(f"LibreOffice 转换 PDF 超过 {int(timeout)} 秒仍未完成，已放弃（Word 报告已正常生成）")
    except OSError as exc:
        raise ReportgenError(f"无法启动 LibreOffice（{command[0]}）：{exc.strerror or exc}") from exc


def write_profile(profile: Path, subs: list[Substitution]) -> Path:
    """A LibreOffice user profile holding only the font replacement table."""
    path = profile / "user" / "registrymodifications.xcu"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(replacement_table(subs), encoding="utf-8")
    return path


def replacement_table(subs: list[Substitution]) -> str:
    """registrymodifications.xcu with Tools ▸ Options ▸ Fonts ▸ Replacement table entries."""
    base = "/org.openoffice.Office.Common/Font/Substitution"
    items = [f'<item oor:path="{base}"><prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>']
    for number, sub in enumerate(s for s in subs if s.family and not s.bold):  # bold: fonts.conf
        props = {"Always": "true", "OnScreenOnly": "false", "ReplaceFont": sub.font.name, "SubstituteFont": sub.family}
        body = "".join(f'<prop oor:name="{k}" oor:op="fuse"><value>{escape(v)}</value></prop>' for k, v in props.items())
        items.append(f'<item oor:path="{base}/FontPairs"><node oor:name="_{number}" oor:op="replace">{body}</node></item>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' + "\n".join(items) + "\n</oor:items>\n")


def _fontconfig_bold() -> bool:
    """Bold substitutes go through fontconfig where LibreOffice uses it (the table has no weight);
    LibreOffice on Windows and macOS uses the system's own font lookup."""
    return sys.platform not in ("win32", "darwin") and shutil.which("fc-list") is not None


def write_fontconfig(path: Path, subs: list[Substitution]) -> Path:
    """The system's fontconfig setup plus one rule per bold substitute (family and weight)."""
    rules = [f'  <match target="pattern"><test name="family"><string>{escape(s.font.name)}</string></test>'
             f'<edit name="family" mode="assign" binding="strong"><string>{escape(s.family)}</string></edit>'
             '<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit></match>'
             for s in subs if s.family and s.bold]
    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
                    f'  <include ignore_missing="yes">{escape(system)}</include>\n' + "\n".join(rules)
                    + "\n</fontconfig>\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------ the build's hook

def stage_pdfs(staged: dict[str, Path], staging: Path, out: Path) -> str:
    """Add a PDF beside every staged .docx to ``staged`` (converted into ``staging``, so it
    publishes with the reports); returns the note on substituted fonts.

    A report that stays as it is keeps its PDF when that PDF is newer than it; every other
    report is converted, all in one LibreOffice run.
    """
    subs = substitutions()
    todo = []
    for name, path in list(staged.items()):
        if not name.endswith(".docx"):
            continue
        pdf_name = f"{Path(name).stem}.pdf"
        if _pdf_still_current(path, out / name, out / pdf_name):
            staged[pdf_name] = out / pdf_name
        else:
            todo.append((pdf_name, path))
    if todo:
        converted = convert_to_pdf([path for _, path in todo], staging, subs)
        staged.update({pdf_name: converted[path] for pdf_name, path in todo})
    return substitution_note(subs)


def _pdf_still_current(staged_docx: Path, target: Path, pdf: Path) -> bool:
    if not (pdf.is_file() and target.is_file()):
        return False
    unchanged = staged_docx == target or staged_docx.read_bytes() == target.read_bytes()
    return unchanged and pdf.stat().st_mtime_ns >= target.stat().st_mtime_ns

"""Pages of a report as PNG images: .docx → PDF (LibreOffice) → PNG (pdftoppm).

Images are kept in the output folder's ``.reportgen/preview/<report>-<digest>/`` so a report is
converted once per content; one conversion runs at a time (LibreOffice shares its profile).
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from reportgen.core.errors import ReportgenError

PAGE_DPI = 70
TIMEOUT_SECONDS = 180
_one_at_a_time = threading.Lock()


class PreviewUnavailable(ReportgenError):
    """No LibreOffice or pdftoppm on this machine, or the conversion failed."""


def missing_tools() -> list[str]:
    tools = {"LibreOffice（soffice）": _soffice(), "pdftoppm（poppler-utils）": shutil.which("pdftoppm")}
    return [name for name, found in tools.items() if not found]


def page_images(report: Path) -> list[Path]:
    """The PNG pages of ``report`` (converted now if not yet cached)."""
    folder = _preview_folder(report)
    pages = _pages(folder)
    if pages:
        return pages
    missing = missing_tools()
    if missing:
        raise PreviewUnavailable("本机未安装" + "、".join(missing) + "，无法逐页预览；请下载文档后用 Word 或 WPS 打开")
    with _one_at_a_time:
        pages = _pages(folder)
        if not pages:
            _convert(report, folder)
            pages = _pages(folder)
    return pages


def _preview_folder(report: Path) -> Path:
    digest = hashlib.sha256(report.read_bytes()).hexdigest()[:16]
    return report.parent / ".reportgen" / "preview" / f"{report.stem}-{digest}"


def _pages(folder: Path) -> list[Path]:
    if not (folder / "done").is_file():
        return []
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _convert(report: Path, folder: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="reportgen-preview-") as tmp:
        work = Path(tmp)
        pdf = _pdf_beside(report) or _to_pdf(report, work)
        _run(["pdftoppm", "-png", "-r", str(PAGE_DPI), str(pdf), str(work / "page")], "pdftoppm")
        folder.mkdir(parents=True, exist_ok=True)
        for png in work.glob("page-*.png"):
            number = int(png.stem.rsplit("-", 1)[1])
            shutil.move(png, folder / f"page-{number}.png")
        (folder / "done").write_text("", encoding="utf-8")


def _pdf_beside(report: Path) -> Path | None:
    """A PDF written by ``build --pdf`` for this very version of the report, if there is one."""
    pdf = report.with_suffix(".pdf")
    return pdf if pdf.is_file() and pdf.stat().st_mtime >= report.stat().st_mtime else None


def _to_pdf(report: Path, work: Path) -> Path:
    profile = (work / "profile").as_uri()
    _run([_soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
          "--outdir", str(work), str(report)], "LibreOffice")
    pdf = work / f"{report.stem}.pdf"
    if not pdf.is_file():
        raise PreviewUnavailable(f"LibreOffice 未能把「{report.name}」转换为 PDF")
    return pdf


def _run(command: list[str], tool: str) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        raise PreviewUnavailable(f"{tool} 转换失败，无法预览：{type(exc).__name__}") from exc


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")

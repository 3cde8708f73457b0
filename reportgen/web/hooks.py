"""Functions the page calls for work other parts of reportgen will provide.

Each is the one place to connect when that work lands; until then it answers in Chinese that
the function is not available (the page shows the answer, nothing is pretended).
"""
from __future__ import annotations

from pathlib import Path

NOT_AVAILABLE = "此功能尚未提供"


def refresh_document(path: Path, workspace: Path) -> str:
    """Refresh a report the user edited in Word with the workspace's current figures (issue 18).

    The result goes into the workspace's output folder under the uploaded name (a report already
    there is first kept in 历史版本); the answer is the refresh list in short."""
    from reportgen.core.errors import ReportgenError
    from reportgen.publish.refresh import publish_refreshed

    try:
        result = publish_refreshed(path, workspace)
    except ReportgenError as exc:
        return f"未能更新「{path.name}」：{exc}"
    return "；".join(line.strip() for line in result.lines() if not line.startswith("  "))


def generate_pdfs(workspace: Path) -> str:
    """Write ``<report>.pdf`` beside each report of the workspace's output folder (``build --pdf``:
    unchanged reports are reused, so this costs the LibreOffice conversion)."""
    from reportgen.core.errors import ReportgenError
    from reportgen.publish.build import build

    try:
        result = build(workspace, ["all"], jobs=1, pdf=True)
    except ReportgenError as exc:
        return f"生成 PDF 未完成：{exc}"
    if result.pdf_error:
        return f"生成 PDF 未完成：{result.pdf_error}"
    pdfs = sorted(p.name for p in result.out_dir.glob("*.pdf"))
    notes = "；".join(result.notes)
    return f"已生成 PDF {len(pdfs)} 份：{'、'.join(pdfs)}" + (f"。{notes}" if notes else "")

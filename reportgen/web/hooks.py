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
    """Write ``<report>.pdf`` beside each report of the workspace's output folder.

    To connect once ``reportgen.render.pdf`` exists (the ``build --pdf`` work): call it here."""
    try:
        import reportgen.render.pdf  # noqa: F401
    except ImportError:
        return f"{NOT_AVAILABLE}：生成 PDF（待后续版本提供）。"
    return f"{NOT_AVAILABLE}：生成 PDF 尚未接入网页。"

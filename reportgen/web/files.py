"""Workspaces under the served folder, uploads and the files a page may offer.

Nothing a browser sends reaches the file system unchecked: workspace names must be existing
folders directly under the root, uploaded file names are reduced to a safe base name, and only
files lying directly in a workspace's output folder are served.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from reportgen.core.errors import ReportgenError, WorkspaceError

MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
MAX_DOCUMENT_BYTES = 30 * 1024 * 1024
OFFERED_SUFFIXES = (".docx", ".pdf")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


class UploadError(ReportgenError):
    """An upload that is refused (too large, wrong kind, bad name)."""


def safe_name(name: str, suffix: str) -> str:
    """The base name of an uploaded file, without folders, control or reserved characters."""
    base = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")[:120]
    if not base.lower().endswith(suffix):
        raise UploadError(f"「{base or name}」不是 {suffix} 文件，请选择 {suffix} 文件")
    if base.lower() == suffix or base.startswith("~$"):
        raise UploadError(f"文件名「{base}」不可用，请改名后再上传")
    return base


def workspace_names(root: Path) -> list[str]:
    """Folders directly under ``root`` that hold a reportgen.yaml."""
    from reportgen.core.settings import SETTINGS_FILE

    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / SETTINGS_FILE).is_file())


def workspace_path(root: Path, name: str) -> Path:
    """The folder of workspace ``name``; refuses anything that is not a workspace under root."""
    if name not in workspace_names(root):
        raise WorkspaceError(f"没有名为「{name}」的工作区")
    return root / name


def new_workspace_folder(root: Path, wanted: str) -> Path:
    """A not yet existing folder under root for a new workspace named like ``wanted``."""
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFC", wanted)).strip(" .")[:60] or "工作区"
    folder, n = root / stem, 2
    while folder.exists():
        folder, n = root / f"{stem}-{n}", n + 1
    return folder


def save_workbook(root: Path, filename: str, data: bytes, workspace: str | None) -> str:
    """Store an uploaded workbook (in ``workspace`` or a new one); returns the workspace name."""
    from reportgen.authoring.workbook import default_settings_text
    from reportgen.core.settings import SETTINGS_FILE, load_settings

    name = safe_name(filename, ".xlsx")
    check_size(data, MAX_WORKBOOK_BYTES)
    if not data.startswith(b"PK"):
        raise UploadError(f"「{name}」不是有效的 Excel 工作簿(.xlsx)")
    if workspace:
        folder = workspace_path(root, workspace)
        name = load_settings(folder).workbook or name
    else:
        folder = new_workspace_folder(root, name[: -len(".xlsx")])
        folder.mkdir(parents=True)
        (folder / SETTINGS_FILE).write_text(default_settings_text(name), encoding="utf-8")
    (folder / name).write_bytes(data)
    return folder.name


def check_size(data: bytes, limit: int) -> None:
    if len(data) > limit:
        raise UploadError(f"文件太大（{len(data) // (1024 * 1024)} MB），上限为 {limit // (1024 * 1024)} MB")


def output_folder(folder: Path) -> Path:
    from reportgen.core.settings import load_settings

    return folder / load_settings(folder).output_dir


def offered_files(folder: Path) -> list[Path]:
    """Reports (.docx) and PDFs lying directly in the workspace's output folder."""
    out = output_folder(folder)
    if not out.is_dir():
        return []
    return sorted(p for p in out.iterdir() if p.is_file() and p.suffix in OFFERED_SUFFIXES
                  and not p.name.startswith(("~$", ".")))


def offered_file(folder: Path, filename: str) -> Path:
    """One offered file by its exact name (no path, no other folder)."""
    for path in offered_files(folder):
        if path.name == filename:
            return path
    raise WorkspaceError(f"输出目录中没有文件「{filename}」")


def zip_of(files: list[Path]) -> bytes:
    """A zip of the given files (flat, in name order)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.name)
    return buffer.getvalue()

"""``reportgen refresh``: update the figures of a report edited in Word, keeping the edits."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from reportgen.cli.app import _fail, app
from reportgen.core.errors import ReportgenError


@app.command("refresh")
def refresh_cmd(
    edited: Path = typer.Argument(..., help="人工修改过的报告（.docx，须由 reportgen 生成）"),
    workspace: Path = typer.Argument(..., help="工作区文件夹（按其中当前的数据更新数字）"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="写入新文件；不给时更新原文件，原文件先保留到其旁边的 历史版本"),
) -> None:
    """把修改过的报告中的数字更新为当前数据，保留其余所有修改（增删改的段落、格式、批注、修订）；未被修改的表格和图表换为最新版本。"""
    from reportgen.publish.refresh import refresh

    try:
        result = refresh(edited, workspace, out)
    except ReportgenError as exc:
        _fail(exc)
    typer.echo("\n".join(result.lines()))
    typer.echo(f"清单已写入：{result.list_file}")

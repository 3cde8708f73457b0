"""``reportgen watch``: rebuild the reports every time the workbook is saved."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from reportgen.cli.app import _print_error, app

STOPPED = "已停止监视：最后一次生成的报告保持不变。"


@app.command("watch")
def watch_cmd(
    workspace: Path = typer.Argument(..., help="工作区文件夹"),
    report: list[str] = typer.Option(["all"], "--report", "-r", help="要生成的报告（可重复），默认 all"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="输出目录（默认为工作区设置中的输出目录）"),
) -> None:
    """先生成一次报告，然后监视工作区：每次保存工作簿（或设置、模板）后自动重新生成，未变的部分直接沿用。按 Ctrl-C 结束。"""
    from reportgen.publish.watch import Watcher

    watcher = Watcher(workspace, report, out)
    typer.echo(f"正在监视「{workspace}」：保存工作簿后自动重新生成报告，按 Ctrl-C 结束。")
    try:
        watcher.run(_show)
    except KeyboardInterrupt:
        typer.echo(STOPPED)


def _show(event) -> None:
    from reportgen.publish.changes import result_lines

    stamp = time.strftime("%H:%M:%S")
    if event.error is not None:
        typer.echo(f"[{stamp}] 生成失败，原有报告保持不变：", err=True)
        _print_error(event.error)
    else:
        lines = result_lines(event.result)
        typer.echo(f"[{stamp}] 生成完成（用时 {event.seconds:.2f} 秒）")
        for line in lines:
            typer.echo(f"  {line}")
    typer.echo("继续监视中……", err=False)

"""``reportgen serve``: the local web page for the workspaces under one folder."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from reportgen.cli.app import app

PASSWORD_VARIABLE = "REPORTGEN_PASSWORD"


@app.command("serve")
def serve_cmd(
    folder: Path = typer.Argument(Path("."), help="存放工作区的文件夹（默认当前文件夹）；新建和上传的工作区也放在这里"),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址；默认只有本机能打开。其他地址须同时给出 --allow-remote 和密码"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="端口"),
    no_browser: bool = typer.Option(False, "--no-browser", help="不自动打开浏览器"),
    allow_remote: bool = typer.Option(False, "--allow-remote", help="允许其他电脑访问（须与 --host 和 --password 一起使用）"),
    password: Optional[str] = typer.Option(None, "--password", help=f"访问密码（也可用环境变量 {PASSWORD_VARIABLE} 给出）"),
) -> None:
    """打开本机网页：上传工作簿、查看数据检查结果和分析概要、生成并预览、下载报告。"""
    from reportgen.web.app import is_loopback

    password = password or os.environ.get(PASSWORD_VARIABLE) or None
    if not is_loopback(host) and not (allow_remote and password):
        typer.echo(f"错误：监听 {host} 会让其他电脑也能打开本工具；如确需如此，请同时给出 --allow-remote 和 "
                   f"--password（或环境变量 {PASSWORD_VARIABLE}）。", err=True)
        raise typer.Exit(2)
    if not folder.is_dir():
        typer.echo(f"错误：文件夹「{folder}」不存在", err=True)
        raise typer.Exit(2)
    _serve(folder, host, port, password, not no_browser)


def _serve(folder: Path, host: str, port: int, password: str | None, open_browser: bool) -> None:
    import threading
    import webbrowser

    import uvicorn

    from reportgen.web.app import create_app

    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    typer.echo(f"reportgen 网页已启动：{url}（按 Ctrl+C 停止）")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(folder, password), host=host, port=port, log_level="warning")

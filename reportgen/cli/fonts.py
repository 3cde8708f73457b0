"""``reportgen fonts``: which 公文 fonts this machine has and what a PDF would use instead."""
from __future__ import annotations

import typer

from reportgen.cli.app import app


@app.command("fonts")
def fonts_cmd() -> None:
    """列出本机是否装有公文字体（方正小标宋简体、仿宋_GB2312、黑体、楷体_GB2312），生成 PDF 时各替换为什么字体，以及图表字体。"""
    typer.echo(fonts_text())


def fonts_text() -> str:
    from reportgen.render.fonts import chart_font_note
    from reportgen.render.pdf import find_soffice, substitutions

    subs = substitutions()
    lines = ["公文字体（Word/WPS 打开报告时使用；生成 PDF 时本机没有的按下列替换）："]
    lines += [f"  {sub.text}" for sub in subs]
    missing = [sub.font.name for sub in subs if not sub.installed]
    if missing:
        lines.append(f"本机缺少：{'、'.join(missing)}。Word 报告本身不受影响，在装有这些字体的电脑上打开即为标准公文字体；"
                     "PDF 中用替代字体，换行和分页可能略有不同。")
    else:
        lines.append("公文字体齐全：PDF 与 Word 版式一致。")
    soffice = find_soffice()
    lines.append(f"LibreOffice：{soffice}" if soffice else "LibreOffice：未安装（build --pdf 需要 LibreOffice）")
    lines.append(chart_font_note(None))
    return "\n".join(lines)

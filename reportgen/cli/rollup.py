"""``reportgen rollup``: a city's roll-up of several county workspaces after a 回访督导 (issue 17).

Exit status: 0 every county was included; 4 some county could not be included (it is listed
with its errors and the others are rolled up and written); 1 nothing could be rolled up, or a
settings or output error; 2 a bad option.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer

from reportgen.cli.app import _date, _fail, app
from reportgen.core.errors import ReportgenError

NOT_ALL_INCLUDED = 4


@app.command("rollup")
def rollup_cmd(
    workspaces: list[Path] = typer.Argument(..., help="各县（区）的工作区文件夹，每县一个"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="输出目录：写入汇总结果 回访督导汇总.json 和 回访督导情况报告.docx（原有的不同版本移入 历史版本/）"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="统计日期，如 2025-10-20（默认取设置文件中的督导日期，否则为今天）；当天到期的不算逾期"),
    fmt: str = typer.Option("text", "--format", help="text：写入输出目录并打印中文摘要；json：把汇总结果打印到标准输出"),
    settings: Optional[Path] = typer.Option(None, "--settings", help="市级设置文件（市级名称、督导日期、署名、整改完成率要求等），见 docs/rollup.md"),
    export: Optional[Path] = typer.Option(None, "--export", help="把各县（区）未完成的问题写成一个督办清单 Excel，如 督办清单.xlsx（文件已存在时不写入）"),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="并行进程数（默认 0 = CPU 核数，1 = 不并行）：每个县（区）一个进程"),
    template: Optional[Path] = typer.Option(None, "--template", help="回访督导情况报告使用的 Word 模板（默认用内置模板，见 docs/templates.md）"),
) -> None:
    """汇总多个县（区）的整改和指标情况：整改完成率对照要求、逾期问题、未达标指标、共性问题和个性问题、排名。"""
    if fmt not in ("text", "json"):
        typer.echo(f"错误：--format 应为 text 或 json，实际为「{fmt}」", err=True)
        raise typer.Exit(2)
    if fmt == "text" and out is None:
        typer.echo("错误：请用 --out 指定汇总结果的输出目录（或用 --format json 打印到标准输出）", err=True)
        raise typer.Exit(2)
    day = _date(as_of, "--as-of")
    try:
        result = _roll_up(workspaces, day, settings, export, jobs)
        written = _write(result, out, export, template)
    except ReportgenError as exc:
        _fail(exc)
    _report(result, fmt, written)
    if result["excluded"]:
        raise typer.Exit(NOT_ALL_INCLUDED)


def _roll_up(workspaces: list[Path], day: dt.date | None, settings: Optional[Path], export: Optional[Path],
             jobs: int) -> dict:
    from reportgen.core.city_settings import load_city_settings
    from reportgen.publish.rollup import roll_up

    city = load_city_settings(settings)
    if export is not None:  # refused before the work, not after it
        from reportgen.render.supervision_list import check_target

        check_target(export)
    result = roll_up(workspaces, day or city.inspection_date or dt.date.today(), city, jobs)
    if not result["counties"]:
        for line in excluded_lines(result):
            typer.echo(line, err=True)
        raise ReportgenError(f"{len(workspaces)}个工作区都不能纳入汇总，没有写入任何文件")
    return result


def _write(result: dict, out: Optional[Path], export: Optional[Path], template: Optional[Path]) -> list[str]:
    from reportgen.publish.rollup import write_report, write_result

    lines = []
    if out is not None:
        for path, kept, changed in (write_result(result, out), write_report(result, out, template)):
            lines.append(f"已写入：{path}" if changed else f"无变化：{path}")
            if kept:
                lines.append(f"旧版本已保留：{kept}")
    if export is not None:
        from reportgen.render.supervision_list import write_supervision_list

        items = [{**i, "region": c["region"]} for c in result["counties"] for i in c["open_items"]]
        write_supervision_list(items, export, dt.date.fromisoformat(result["as_of"]), with_county=True)
        lines.append(f"已写入督办清单：{export}（{len(items)}项未完成问题）")
    return lines


def _report(result: dict, fmt: str, written: list[str]) -> None:
    if fmt == "json":
        from reportgen.publish.rollup import result_json

        typer.echo(result_json(result))
        for line in [*written, *excluded_lines(result)]:
            typer.echo(line, err=True)
        return
    from reportgen.cli.rollup_text import rollup_text

    typer.echo(rollup_text(result))
    typer.echo("\n".join(written))
    if result["excluded"]:
        typer.echo("\n".join(excluded_lines(result)), err=True)


def excluded_lines(result: dict) -> list[str]:
    lines = []
    for county in result["excluded"]:
        lines.append(f"【{county['region']}】（{county['workspace']}）未能纳入汇总：")
        lines += [f"  {e['message']}" for e in county["errors"]]
    if result["excluded"]:
        lines.append(f"注意：{len(result['excluded'])}个县（区）未能纳入汇总，退出码为{NOT_ALL_INCLUDED}；"
                     "请按上面的提示修改后重新汇总。")
    return lines

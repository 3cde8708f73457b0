"""The ``reportgen`` command line. The only place that turns errors into exit codes.

Heavy packages (pandas, matplotlib, docxtpl) are imported inside the commands, so that
``reportgen --help`` starts fast.
"""
from __future__ import annotations

import datetime as dt
import gc
import sys
from pathlib import Path
from typing import Optional

import typer

from reportgen.core.errors import InputErrors, ReportgenError

app = typer.Typer(
    help="reportgen：由一个Excel工作簿生成县域教育督导报告（履行教育职责自评报告、优质均衡发展自评报告、整改报告）。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
rectify_app = typer.Typer(help="整改台账：进度、逾期和到期提醒。", no_args_is_help=True)
app.add_typer(rectify_app, name="rectify")

INTERRUPTED = "已中断：未完成的报告没有写入，原有报告保持不变。"
INTERRUPTED_AFTER_PUBLISH = "已中断：中断前本次生成的报告已全部写入输出文件夹。"
INTERRUPTED_MANY = "已中断：已生成完的工作区报告已全部更新，其余工作区的原有报告保持不变。"
WS_ARG = typer.Argument(..., help="工作区文件夹（内含工作簿和 reportgen.yaml），或一个 .xlsx 工作簿")


def _fail(exc: ReportgenError) -> None:
    _print_error(exc)
    raise typer.Exit(1)


def _date(text: Optional[str], option: str) -> Optional[dt.date]:
    if text is None:
        return None
    from reportgen.loading.cells import CellProblem, parse_date

    try:
        return parse_date(text)
    except CellProblem:
        typer.echo(f"错误：{option} 应为日期，如 2025-09-30，实际为「{text}」", err=True)
        raise typer.Exit(2)


@app.command("validate")
def validate_cmd(workspace: Path = WS_ARG) -> None:
    """检查工作区数据：一次列出所有问题（文件、工作表、行、列、值、应为），有错误时退出码为1。"""
    from reportgen.loading import read_workspace
    from reportgen.cli.summary import workspace_summary

    try:
        ws, issues = read_workspace(workspace)
    except ReportgenError as exc:
        _fail(exc)
    for issue in issues:
        typer.echo(str(issue), err=True)
    errors = [i for i in issues if i.is_error]
    if errors:
        typer.echo(f"检查未通过：{len(errors)} 个错误，{len(issues) - len(errors)} 个警告。请逐条修改后重新运行。", err=True)
        raise typer.Exit(1)
    typer.echo(workspace_summary(ws))
    typer.echo(f"检查通过：0 个错误，{len(issues)} 个警告。")


@app.command("analyze")
def analyze_cmd(
    workspace: Path = WS_ARG,
    fmt: str = typer.Option("text", "--format", help="输出格式：text（中文摘要）或 json（机器可读）"),
    explain: Optional[str] = typer.Option(None, "--explain", help="显示某个数字的计算过程，如 quality.junior.sports_area_per_student.cv"),
) -> None:
    """计算优质均衡、基本均衡、班额校额、经费、整改和测评点得分，输出摘要或 JSON。"""
    if fmt not in ("text", "json"):
        typer.echo(f"错误：--format 应为 text 或 json，实际为「{fmt}」", err=True)
        raise typer.Exit(2)
    try:
        from reportgen.analysis import analyze, explain as explain_figure, summary_text
        from reportgen.loading import load_workspace

        ws = load_workspace(workspace)
        result = analyze(ws)
        if explain:
            typer.echo(explain_figure(ws, result, explain))
        elif fmt == "json":
            import json

            typer.echo(json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False, default=str))
        else:
            typer.echo(summary_text(result))
    except ReportgenError as exc:
        _fail(exc)


@app.command("init")
def init_cmd(
    folder: Path = typer.Argument(..., help="新工作区的文件夹（必须不存在或为空）"),
    region: Optional[str] = typer.Option(None, "--region", help="地区名称，如 某某县"),
) -> None:
    """新建一个空白工作区：带表头说明和下拉选项的工作簿，以及设置文件 reportgen.yaml。"""
    from reportgen.authoring.init_workspace import init_workspace

    try:
        written = init_workspace(folder, region)
    except ReportgenError as exc:
        _fail(exc)
    for path in written:
        typer.echo(f"已生成：{path}")


@app.command("demo")
def demo_cmd(
    folder: Path = typer.Argument(..., help="生成的示例工作区文件夹（必须不存在或为空）"),
    schools: int = typer.Option(300, "--schools", min=5, max=20000, help="学校数"),
    seed: int = typer.Option(2025, "--seed", help="随机种子（相同种子生成相同数据）"),
    csv: bool = typer.Option(False, "--csv", help="写成 CSV 文件夹而不是 Excel 工作簿"),
) -> None:
    """生成一个指定规模的模拟县工作区（用于试用、测试和性能测试）。"""
    from reportgen.authoring.demo import write_demo

    try:
        written = write_demo(folder, schools, seed, fmt="csv" if csv else "xlsx")
    except ReportgenError as exc:
        _fail(exc)
    typer.echo(f"已生成 {schools} 所学校的模拟工作区：{folder}（{len(written)} 个文件）")


@app.command("build")
def build_cmd(
    workspaces: list[Path] = typer.Argument(..., help="一个或多个工作区文件夹（多个时可用 --jobs 并行）"),
    report: list[str] = typer.Option(["all"], "--report", "-r", help="要生成的报告：履职自评、优质均衡、整改报告 或 all（可重复）"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="输出目录（默认为工作区设置中的输出目录；多个工作区时在其下按工作区分文件夹）"),
    template: Optional[Path] = typer.Option(None, "--template", help="自定义 Word 模板（只能与单个 --report 一起使用）"),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="并行进程数（默认 0 = CPU 核数，1 = 不并行）：多个工作区时同时生成几个工作区，单个工作区时同时绘制图表、生成各份报告"),
    clear_cache: bool = typer.Option(False, "--clear-cache", help="先清空缓存（输出目录/.reportgen/cache：图表和工作表），重新读取整个工作簿，重新绘制全部图表、生成全部报告"),
) -> None:
    """生成报告（公文格式 Word 文档），保留旧版本，输出数字记录和变更说明。"""
    from reportgen.publish.batch import build_many
    from reportgen.publish.interrupt import Interrupted, install_handlers

    install_handlers()
    try:
        outcomes = build_many(workspaces, report, out, template, jobs, clear_cache)
    except ReportgenError as exc:
        _fail(exc)
    except KeyboardInterrupt as exc:
        typer.echo(_interrupted_text(exc, len(workspaces)), err=True)
        raise typer.Exit(exc.exit_code if isinstance(exc, Interrupted) else 130)
    failed = 0
    for workspace, outcome in outcomes:
        if isinstance(outcome, ReportgenError):
            failed += 1
            typer.echo(f"【{workspace}】生成失败，原有报告保持不变：", err=True)
            _print_error(outcome)
        else:
            typer.echo(_build_report_text(workspace, outcome, len(outcomes) > 1))
    if failed:
        raise typer.Exit(1)


def _interrupted_text(exc: KeyboardInterrupt, workspaces: int) -> str:
    """What the output folder holds after an interruption, truthfully."""
    from reportgen.publish.interrupt import published

    if getattr(exc, "published", False) or (workspaces == 1 and published):
        return INTERRUPTED_AFTER_PUBLISH
    return INTERRUPTED if workspaces == 1 else INTERRUPTED_MANY


def _print_error(exc: ReportgenError) -> None:
    if isinstance(exc, InputErrors):
        for issue in exc.issues:
            typer.echo(str(issue), err=True)
    typer.echo(f"错误：{exc}", err=True)


def _build_report_text(workspace: Path, result, many: bool) -> str:
    from reportgen.publish.changes import change_text

    lines = [f"【{workspace}】" if many else ""]
    lines += [f"已生成：{p}" for p in result.written]
    lines += [f"无变化：{p}" for p in result.unchanged]
    lines += [f"旧版本已保留：{p}" for p in result.kept]
    lines += [f"提示：{w}" for w in result.warnings]
    if result.changes is None:
        lines.append("首次生成：下次修改数据后重新生成时，将给出变更说明。")
    else:
        lines.append(change_text(result.changes))
    return "\n".join(line for line in lines if line)


@rectify_app.command("status")
def rectify_status_cmd(
    workspace: Path = WS_ARG,
    as_of: Optional[str] = typer.Option(None, "--as-of", help="统计日期，如 2025-09-30（默认今天）；当天到期的不算逾期"),
    within: int = typer.Option(30, "--within", min=0, help="列出多少天内到期的问题"),
    out: Optional[Path] = typer.Option(None, "--out", help="报告输出目录（用于对比上次报告时的台账；默认取设置中的输出目录）"),
    fail_on_overdue: bool = typer.Option(False, "--fail-on-overdue", help="有逾期问题时退出码为3（用于定时检查）"),
) -> None:
    """整改台账进度：按状态计数、整改完成率、逾期和即将到期的问题、按责任单位汇总、需核对的行。"""
    from reportgen.analysis.rectification import rectification_summary, snapshot_changes, ledger_snapshot
    from reportgen.publish.history import previous_ledger
    from reportgen.loading import load_workspace
    from reportgen.cli.rectify_status import status_text

    day = _date(as_of, "--as-of") or dt.date.today()
    try:
        ws = load_workspace(workspace)
        summary = rectification_summary(ws.ledger, day, within)
        previous = previous_ledger(out or ws.root / ws.settings.output_dir)
    except ReportgenError as exc:
        _fail(exc)
    changes = None if previous is None else snapshot_changes(previous, ledger_snapshot(ws.ledger))
    typer.echo(status_text(ws.region, summary, changes))
    if fail_on_overdue and summary["overdue"]:
        typer.echo(f"有{len(summary['overdue'])}项问题已逾期。", err=True)
        raise typer.Exit(3)


# Commands defined in their own modules (each decorates ``app`` or a sub-app on import).
# A new command is a module in reportgen/cli/ plus one entry here.
COMMAND_MODULES: tuple[str, ...] = ()


def _register_commands() -> None:
    from importlib import import_module

    for name in COMMAND_MODULES:
        import_module(f"reportgen.cli.{name}")


_register_commands()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo(INTERRUPTED, err=True)
        sys.exit(130)
    finally:
        # The command is done: spare the exit its garbage-collection passes over everything
        # pandas and matplotlib created (≈0.1 s); memory is freed with the process anyway.
        gc.freeze()


if __name__ == "__main__":
    main()

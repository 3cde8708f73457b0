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

from reportgen.cli import zh
from reportgen.core.errors import InputErrors, ReportgenError
from reportgen.reports import REGISTRY

zh.install()

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


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"reportgen {version('reportgen')}")
        except PackageNotFoundError:
            typer.echo("reportgen（未安装的源代码，版本未知）")
        raise typer.Exit()


@app.callback()
def _main_options(
    show_version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本号并退出。"),
) -> None:
    """reportgen：由一个Excel工作簿生成县域教育督导报告（履行教育职责自评报告、优质均衡发展自评报告、整改报告）。"""


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
def validate_cmd(
    workspace: Path = WS_ARG,
    strict: bool = typer.Option(False, "--strict", help="把警告也当作错误（有任何警告时退出码为1）"),
) -> None:
    """检查工作区数据：一次列出所有问题（文件、工作表、行、列、值、应为），有错误时退出码为1。

    除逐格检查外，还检查数值是否合理（单位、小数点、百分比、在校生数与班级）、设置项和名称，
    以及生成报告时会给出的提示（未使用的文字材料章节、人工填写的数字与数据不一致之处等）。"""
    from reportgen.loading import read_workspace
    from reportgen.cli.summary import workspace_summary

    try:
        ws, issues = read_workspace(workspace, strict=strict)
        issues += _points_issues(ws)
        hints = [] if any(i.is_error for i in issues) else _report_hints(ws)
    except ReportgenError as exc:
        _fail(exc)
    for issue in issues:
        typer.echo(str(issue), err=True)
    for hint in hints:
        typer.echo(f"[{'错误' if strict else '提示'}] {hint}", err=True)
    errors = len([i for i in issues if i.is_error]) + (len(hints) if strict else 0)
    warnings = len(issues) + len(hints) - errors
    if errors:
        typer.echo(f"检查未通过：{errors} 个错误，{warnings} 个警告。请逐条修改后重新运行。", err=True)
        raise typer.Exit(1)
    typer.echo(workspace_summary(ws))
    typer.echo(f"检查通过：0 个错误，{warnings} 个警告。")


def _report_hints(ws) -> list[str]:
    from reportgen.publish.checks import report_warnings

    return report_warnings(ws)


def _points_issues(ws) -> list:
    """The chosen 评估方案 files are loaded, so a mistake in one is reported here rather than at
    build time (the 测评点 sheet is checked against the 履职 scheme while loading)."""
    from reportgen.systems.indicators import load_system

    for name in ws.settings.schemes:
        load_system("scheme", name, ws.root)
    return []


@app.command("analyze")
def analyze_cmd(
    workspace: Path = WS_ARG,
    fmt: str = typer.Option("text", "--format", help="输出格式：text（中文摘要）或 json（机器可读）"),
    explain: Optional[str] = typer.Option(None, "--explain", help="显示某个数字的计算过程，如 quality.junior.sports_area_per_student.cv；"
                                          "数字编号见报告旁的「数字记录.json」"),
    list_ids: bool = typer.Option(False, "--list", help="与 --explain 一起使用：列出可以说明计算过程的全部数字编号及其中文名称"),
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
        if list_ids or explain == "--list":
            from reportgen.analysis import explainable

            typer.echo("\n".join(f"{fid}\t{label}" for fid, label in explainable(result)))
        elif explain:
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
    report: list[str] = typer.Option(["all"], "--report", "-r", help=f"要生成的报告：{'、'.join(REGISTRY)} 或 all（可重复）"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="输出目录（默认为工作区设置中的输出目录；多个工作区时在其下按工作区分文件夹）"),
    template: Optional[Path] = typer.Option(None, "--template", help="自定义 Word 模板（只能与单个 --report 一起使用）"),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="并行进程数（默认 0 = CPU 核数，1 = 不并行）：多个工作区时同时生成几个工作区，单个工作区时同时绘制图表、生成各份报告"),
    clear_cache: bool = typer.Option(False, "--clear-cache", help="先清空缓存（输出目录/.reportgen/cache：图表和工作表），重新读取整个工作簿，重新绘制全部图表、生成全部报告"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度（不在终端中运行时本来就不显示）"),
    pdf: bool = typer.Option(False, "--pdf", help="同时用 LibreOffice 把每份报告和变更说明转换为 PDF（同名 .pdf，放在报告旁边）；本机缺少的公文字体按 reportgen fonts 所列替换"),
    strict: bool = typer.Option(False, "--strict", help="数据检查有任何警告时不生成报告（与 validate --strict 相同的检查）"),
    force: bool = typer.Option(False, "--force", help="上次生成后被人工修改过的报告也按模板重新生成（修改过的文件先保留到 历史版本）；默认只更新其中的数字、保留修改"),
) -> None:
    """生成报告（公文格式 Word 文档），保留旧版本，输出数字记录和变更说明。"""
    from reportgen.cli.progress import Progress
    from reportgen.publish.batch import build_many
    from reportgen.publish.interrupt import Interrupted, install_handlers

    if strict:
        _refuse_warnings(workspaces)
    install_handlers()
    try:
        with Progress(f"正在生成 {len(workspaces)} 个工作区的报告" if len(workspaces) > 1 else "正在生成报告", quiet=quiet):
            outcomes = build_many(workspaces, report, out, template, jobs, clear_cache, pdf, force)
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
            if outcome.pdf_error:
                failed += 1
                typer.echo(f"错误：{outcome.pdf_error}", err=True)
    if failed:
        raise typer.Exit(1)


def _refuse_warnings(workspaces: list[Path]) -> None:
    """``build --strict``: the checks of ``validate --strict``; any issue stops before building."""
    from reportgen.loading import read_workspace

    failed = False
    for workspace in workspaces:
        try:
            issues = read_workspace(workspace, strict=True)[1]
        except ReportgenError as exc:
            issues, failed = [], True
            _print_error(exc)
        for issue in issues:
            typer.echo(str(issue), err=True)
        failed = failed or bool(issues)
    if failed:
        typer.echo("按 --strict 要求，数据检查有警告或错误，未生成报告，原有报告保持不变。", err=True)
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
    from reportgen.publish.changes import result_lines

    return "\n".join(([f"【{workspace}】"] if many else []) + result_lines(result))


@rectify_app.command("status")
def rectify_status_cmd(
    workspace: Path = WS_ARG,
    as_of: Optional[str] = typer.Option(None, "--as-of", help="统计日期，如 2025-09-30（默认今天）；当天到期的不算逾期"),
    within: int = typer.Option(30, "--within", min=0, help="列出多少天内到期的问题"),
    out: Optional[Path] = typer.Option(None, "--out", help="报告输出目录（用于对比上次报告时的台账；默认取设置中的输出目录）"),
    fail_on_overdue: bool = typer.Option(False, "--fail-on-overdue", help="有逾期问题时退出码为3（用于定时检查）"),
    export: Optional[Path] = typer.Option(None, "--export", help="把未完成的问题（含逾期天数）写成督办清单 Excel，如 督办清单.xlsx（文件已存在时不写入）"),
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
        if export is not None:
            from reportgen.cli.rectify_status import export_supervision_list

            exported = export_supervision_list(ws.ledger, day, export)
    except ReportgenError as exc:
        _fail(exc)
    changes = None if previous is None else snapshot_changes(previous, ledger_snapshot(ws.ledger))
    typer.echo(status_text(ws.region, summary, changes))
    if export is not None:
        typer.echo(f"\n已写入督办清单：{export}（{exported}项未完成问题）")
    if fail_on_overdue and summary["overdue"]:
        typer.echo(f"有{len(summary['overdue'])}项问题已逾期。", err=True)
        raise typer.Exit(3)


# Commands defined in their own modules (each decorates ``app`` or a sub-app on import).
# A new command is a module in reportgen/cli/ plus one entry here.
COMMAND_MODULES: tuple[str, ...] = ("serve", "fonts", "rollup", "refresh", "watch")


def _register_commands() -> None:
    from importlib import import_module

    for name in COMMAND_MODULES:
        import_module(f"reportgen.cli.{name}")


_register_commands()


def main(argv: Optional[list[str]] = None) -> None:
    """Run the command line; the framework's usage errors are shown in Chinese (``cli/zh.py``)."""
    errors = zh._exceptions()
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="reportgen", standalone_mode=False)
    except errors.UsageError as exc:
        typer.echo(zh.usage_error_text(exc), err=True)
        sys.exit(exc.exit_code)
    except errors.ClickException as exc:
        typer.echo(f"错误：{exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, getattr(errors, "Abort", KeyboardInterrupt)):
        typer.echo(INTERRUPTED, err=True)
        sys.exit(130)
    finally:
        # The command is done: spare the exit its garbage-collection passes over everything
        # pandas and matplotlib created (≈0.1 s); memory is freed with the process anyway.
        gc.freeze()
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()

"""The command line: README examples, a real subprocess on real files, errors without tracebacks."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, ROOT, minimal_sheets, school_row, write_book, EXAMPLE_DOCX
from reportgen.cli.app import app



def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## 日常使用", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("line", readme_commands())
def test_every_readme_example_runs(line, tmp_path, monkeypatch):
    shutil.copytree(EXAMPLE, tmp_path / "某某县2025")
    shutil.copy(ROOT / "reportgen" / "templates_docx" / "整改报告.docx", tmp_path / "我的整改报告模板.docx")
    monkeypatch.chdir(tmp_path)
    args = shlex.split(line)
    assert args[0] == ".venv/bin/reportgen"
    args = args[1:]
    if args[0] == "init":
        args[1] = "新工作区"
    if args[0] == "demo":
        args[args.index("--schools") + 1] = "12"
    result = CliRunner().invoke(app, args)
    if args[:1] == ["validate"] and "--strict" in args:  # the example's planted contradictions (issue 14)
        assert result.exit_code == 1 and "[错误] 核对：" in result.output, result.output
        return
    assert result.exit_code == 0, result.output


def test_main_job_command_in_readme_builds_all_reports(tmp_path):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```bash\n(python3 -m venv .*)\n```", text).group(1)
    build = first.split("&&")[-1].strip()
    assert build == ".venv/bin/reportgen build data_examples/某县2025 --report all --out 输出"
    args = shlex.split(build)[1:]
    args[args.index("--out") + 1] = str(tmp_path / "输出")
    args[1] = str(EXAMPLE)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "输出").glob("*.docx"))) == EXAMPLE_DOCX


def test_validate_example_as_a_real_subprocess():
    result = subprocess.run([sys.executable, "-m", "reportgen", "validate", str(EXAMPLE)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "学校：共42所" in result.stdout and "检查通过：0 个错误" in result.stdout


def test_validate_bad_workbook_as_a_real_subprocess(tmp_path):
    rows = [school_row("3401010001", pupils="约3800"), school_row("3401010002", books="-")]
    write_book(tmp_path / "ws" / "县.xlsx", minimal_sheets(rows))
    result = subprocess.run([sys.executable, "-m", "reportgen", "validate", str(tmp_path / "ws")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "第2行" in result.stderr and "第3行" in result.stderr and "检查未通过：2 个错误" in result.stderr
    assert "Traceback" not in result.stderr


def test_analyze_json_is_the_only_stdout_and_parses():
    import json

    result = subprocess.run([sys.executable, "-m", "reportgen", "analyze", str(EXAMPLE), "--format", "json"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"region", "year", "quality_balance", "basic_balance", "class_size", "school_size", "funding",
            "rectification"} <= data.keys()


def test_rectify_status_on_the_example():
    result = CliRunner().invoke(app, ["rectify", "status", str(EXAMPLE), "--as-of", "2025-09-30"])
    assert result.exit_code == 0, result.output
    assert "问题总数20项：已完成11项，整改中5项，未启动2项，长期坚持2项；整改完成率55.00%" in result.output


def test_help_is_chinese_and_loads_no_heavy_packages():
    code = ("import sys; from reportgen.cli.app import app; "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'docxtpl', 'docx') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]"
    help_text = CliRunner().invoke(app, ["--help"]).output
    assert "生成报告" in help_text and "检查工作区数据" in help_text


@pytest.mark.parametrize("args, message", [
    (["build", "不存在的文件夹"], "找不到工作区"),
    (["analyze", "不存在的文件夹"], "找不到工作区"),
    (["build", str(EXAMPLE), "--report", "年报"], "不认识的报告「年报」"),
    (["analyze", str(EXAMPLE), "--format", "xml"], "--format 应为 text 或 json"),
])
def test_user_mistakes_are_chinese_errors(args, message):
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output

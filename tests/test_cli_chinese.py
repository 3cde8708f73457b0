"""The command line speaks Chinese: help layout, usage errors, --version, the build progress line."""
from __future__ import annotations

import io
import re
from importlib.metadata import version
from pathlib import Path

import pytest

from reportgen.cli.app import main
from reportgen.cli.progress import Progress, line

EXAMPLE = Path(__file__).resolve().parents[1] / "data_examples" / "某县2025"


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        main(list(args))
    out, err = capsys.readouterr()
    return stop.value.code, out, err


def test_misspelt_command_names_the_nearest_command_in_chinese(capsys):
    code, _, err = run(capsys, "bulid", str(EXAMPLE))
    assert code == 2
    assert "错误：没有「bulid」这个命令。您要找的是不是：「build」？" in err
    assert "请运行「reportgen --help」查看帮助。" in err
    assert err.startswith("用法：reportgen [选项] 命令 [参数]...")


def test_bad_integer_option_value_is_explained_in_chinese(capsys):
    code, _, err = run(capsys, "rectify", "status", str(EXAMPLE), "--within", "abc")
    assert code == 2
    assert "错误：选项「--within」的值无效：应为整数。" in err
    assert "用法：reportgen rectify status [选项]" in err


def test_out_of_range_option_value_names_the_bound(capsys):
    code, _, err = run(capsys, "rectify", "status", str(EXAMPLE), "--within", "-3")
    assert code == 2
    assert "错误：选项「--within」的值无效：应不小于0。" in err


def test_missing_argument_unknown_option_and_missing_value(capsys):
    assert "错误：缺少参数「workspaces」。" in run(capsys, "build")[2]
    assert "错误：没有「--foo」这个选项。" in run(capsys, "validate", "--foo")[2]
    assert "错误：选项「--jobs」后面需要一个值。" in run(capsys, "build", str(EXAMPLE), "--jobs")[2]


def test_help_has_no_english_framework_text(capsys):
    for args in (["--help"], ["build", "--help"], ["rectify", "status", "--help"], ["serve", "--help"]):
        code, out, _ = run(capsys, *args)
        assert code == 0
        assert "显示本帮助并退出。" in out and "选项：" in out
        for english in ("Usage", "Options", "Show this message", "Commands", "Arguments", "[default", "[required"):
            assert english not in out, (args, english)


def test_build_help_shows_defaults_and_bounds_in_chinese(capsys):
    out = run(capsys, "build", "--help")[1]
    assert "[必填]" in out
    assert "[默认：all]" in out
    assert re.search(r"\[默认：0；不小于0\]", out)


def test_version_comes_from_the_package_metadata(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"reportgen {version('reportgen')}"


def test_progress_is_quiet_when_not_a_terminal_or_asked():
    plain = io.StringIO()
    with Progress("正在生成报告", stream=plain, delay=0, tick=0.01) as progress:
        assert not progress.shown
    assert plain.getvalue() == ""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet = Terminal()
    with Progress("正在生成报告", quiet=True, stream=quiet, delay=0):
        pass
    assert quiet.getvalue() == ""


def test_progress_on_a_terminal_shows_elapsed_time_then_erases_itself():
    import time

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    with Progress("正在生成报告", stream=terminal, delay=0, tick=0.01):
        time.sleep(0.1)
    text = terminal.getvalue()
    assert "正在生成报告……已用 0 秒" in text
    assert text.endswith("\r\033[K")
    assert line("正在生成报告", 3.7) == "正在生成报告……已用 3 秒"


def test_progress_waits_a_second_before_showing_anything():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    with Progress("正在生成报告", stream=terminal):
        pass
    assert terminal.getvalue() == ""

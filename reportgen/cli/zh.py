"""Chinese for the command-line framework's own texts (help layout, usage errors).

typer's bundled click writes its texts in English without gettext, so they are translated
in two places only: the help formatter (headings, usage line, metavars, the help option's
text) and ``usage_error_text`` for the errors that ``cli.app.main`` catches.
"""
from __future__ import annotations

import difflib
import re
import sys

import typer

HELP_TEXT = "显示本帮助并退出。"
HEADINGS = {"Usage": "用法", "Options": "选项", "Arguments": "参数", "Commands": "命令"}
USAGE_WORDS = (("[OPTIONS]", "[选项]"), ("COMMAND", "命令"), ("[ARGS]", "[参数]"))
METAVARS = (
    (r"<list\[Path\]>", "<路径…>"), (r"<list\[str\]>", "<文本…>"), (r"<path>", "<路径>"),
    (r"<int range>", "<整数>"), (r"<int>", "<整数>"), (r"<float range>", "<数字>"),
    (r"<float>", "<数字>"), (r"<str>|<text>", "<文本>"),
)
HELP_NOTES = (
    (r"\[required\]", "[必填]"), (r"\[default: ([^;\]]*)", r"[默认：\1"), (r"; x>=(\d+)\]", r"；不小于\1]"),
    (r"\[x>=(\d+)\]", r"[不小于\1]"), (r"; (\d+)<=x<=(\d+)\]", r"；\1～\2]"), (r"\[env var: ", "[环境变量："),
)
# Inner messages of bad values, most specific first; anything unmatched gets the generic text.
VALUE_PROBLEMS = (
    (r"valid integer", "应为整数"),
    (r"valid number|valid float", "应为数字"),
    (r"greater than or equal to (-?[\d.]+)|not in the range x>=(-?\d+)", r"应不小于\1\2"),
    (r"less than or equal to (-?[\d.]+)", r"应不大于\1"),
    (r"not in the range (-?\d+)<=x<=(-?\d+)", r"应在\1到\2之间"),
    (r"not in the range", "超出允许范围"),
    (r"is not one of (.*)\.", r"应为以下之一：\1"),
    (r"does not exist", "不存在"),
    (r"is a directory", "是文件夹，应为文件"),
    (r"is a file", "是文件，应为文件夹"),
)


def install() -> None:
    """Use the Chinese help formatter for every command context (idempotent)."""
    owner = next(cls for cls in typer.Context.__mro__ if "formatter_class" in vars(cls))
    base = owner.formatter_class
    if getattr(base, "chinese", False):
        return
    owner.formatter_class = type("ChineseHelpFormatter", (base,), {
        "chinese": True,
        "write_usage": _write_usage,
        "write_heading": _write_heading,
        "write_dl": _write_dl,
    })


def _write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
    for english, chinese in USAGE_WORDS:
        args = args.replace(english, chinese)
    super(type(self), self).write_usage(prog, args, "用法：" if prefix is None else prefix)


def _write_heading(self, heading: str) -> None:
    self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")


def _write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
    super(type(self), self).write_dl([_help_row(first, second) for first, second in rows], col_max, col_spacing)


def _help_row(first: str, second: str) -> tuple[str, str]:
    if second == "Show this message and exit.":
        second = HELP_TEXT
    for pattern, chinese in METAVARS:
        first = re.sub(pattern, chinese, first)
    for pattern, chinese in HELP_NOTES:
        second = re.sub(pattern, chinese, second)
    return first, second


def _exceptions():
    """The click exceptions module typer uses (bundled in new typer, ``click`` in older ones)."""
    return sys.modules[typer.BadParameter.__module__]


def usage_error_text(exc) -> str:
    """The whole Chinese text for a usage error: usage line, help hint, then the problem."""
    ctx = exc.ctx
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(f"请运行「{ctx.command_path} {ctx.help_option_names[0]}」查看帮助。")
        lines.append("")
    lines.append(f"错误：{problem_text(exc)}")
    return "\n".join(lines)


def problem_text(exc) -> str:
    """The Chinese sentence for one usage error."""
    errors = _exceptions()
    message = exc.message
    if isinstance(exc, errors.MissingParameter):
        return f"缺少{_param_kind(exc.param)}「{_param_name(exc)}」。"
    if isinstance(exc, errors.BadParameter):
        return f"{_param_kind(exc.param)}「{_param_name(exc)}」的值无效：{_value_problem(message)}。"
    if isinstance(exc, errors.NoSuchOption):
        return _unknown("选项", exc.option_name, list(exc.possibilities or []))
    if isinstance(exc, errors.BadOptionUsage) and "requires" in message:
        return f"选项「{exc.option_name}」后面需要一个值。"
    match = re.match(r"No such command '([^']*)'", message)
    if match and exc.ctx is not None:
        return _unknown("命令", match.group(1), exc.ctx.command.list_commands(exc.ctx))
    match = re.match(r"Got unexpected extra arguments? \((.*)\)", message)
    if match:
        return f"多余的参数：{match.group(1)}。"
    if message.startswith("Missing command"):
        return "缺少命令。"
    return message


def _unknown(kind: str, name: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(name, choices, n=3)
    text = f"没有「{name}」这个{kind}。"
    if near:
        text += "您要找的是不是：" + "、".join(f"「{n}」" for n in near) + "？"
    elif choices:
        text += "可用的" + kind + "：" + "、".join(choices) + "。"
    return text


def _param_kind(param) -> str:
    return "参数" if getattr(param, "param_type_name", "") == "argument" else "选项"


def _param_name(exc) -> str:
    param = exc.param
    if param is None:
        return str(exc.param_hint or "")
    if getattr(param, "param_type_name", "") == "argument":
        return param.name
    return " / ".join(param.opts)


def _value_problem(message: str) -> str:
    for pattern, chinese in VALUE_PROBLEMS:
        found = re.search(pattern, message)
        if found:
            return found.expand(chinese)
    return "不符合要求"

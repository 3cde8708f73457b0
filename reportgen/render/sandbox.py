"""The Jinja sandbox untrusted Word templates render in: plain data only, no files, no side
effects, and bounded work.

Limits (each breach is a ``TemplateRuntimeError`` carrying the template line, which the
renderer turns into a Chinese ``TemplateError`` naming the template and the nearby text):

* a wall-clock budget per render (``REPORTGEN_TEMPLATE_SECONDS``, default 60 s) checked at every
  call, operator, loop step over ``range`` and output piece;
* an output-size budget per render (``REPORTGEN_TEMPLATE_CHARS``, default 200 million
  characters — a 10,000-school county's tables are well below 50 million), checked before a
  string or list is multiplied and as output is produced;
* integers of at most ``MAX_INT_BITS`` bits from ``*`` and ``**``;
* no object printed by its Python repr: only text, numbers, dates and pictures can be output;
* any other failure of an expression (division by zero, a missing key, runaway recursion…)
  is reported the same way instead of escaping as a Python exception.
"""
from __future__ import annotations

import datetime as dt
import numbers
import os
import re
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

DEFAULT_SECONDS = 60.0
DEFAULT_CHARS = 200_000_000
MAX_INT_BITS = 256
_CHECK_EVERY = 256
_WIDE_FORMAT = re.compile(r"\d{7,}")  # a width or precision of a million or more in a format string

_FAILURES = {
    ZeroDivisionError: "除数为零",
    OverflowError: "数值过大，超出可计算范围",
    RecursionError: "宏或循环嵌套过深",
    MemoryError: "内存不足（生成的内容过大）",
    KeyError: "取不到的项（键不存在）",
    IndexError: "取不到的项（序号超出范围）",
    TypeError: "运算对象的类型不对",
    ValueError: "运算的值不对",
    AttributeError: "取不到的属性",
}


def template_seconds() -> float:
    return _setting("REPORTGEN_TEMPLATE_SECONDS", DEFAULT_SECONDS)


def template_chars() -> int:
    return int(_setting("REPORTGEN_TEMPLATE_CHARS", DEFAULT_CHARS))


def _setting(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def sandboxed_environment() -> "Environment":
    """A Jinja environment for untrusted templates: plain data only, no files, no side effects."""
    from jinja2 import FunctionLoader, StrictUndefined
    from jinja2.exceptions import SecurityError, TemplateError as JinjaError, TemplateRuntimeError
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from jinja2.utils import Namespace

    class LimitError(TemplateRuntimeError):
        """A template went over a limit or an expression failed (message in Chinese)."""

    class BoundedNamespace(Namespace):
        def __setitem__(self, name, value):
            env._check_size(value)
            super().__setitem__(name, value)

    class ReportSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**", "/", "//", "%", "+", "-"])
        intercepted_unops = frozenset(["-", "+"])

        def is_safe_attribute(self, obj, attr, value):  # noqa: D401 - jinja hook
            return super().is_safe_attribute(obj, attr, value) and isinstance(obj, _readable_types())

        # -- budgets ---------------------------------------------------------
        def _start(self) -> None:
            self._deadline = time.monotonic() + template_seconds()
            self._chars = template_chars()

        def _tick(self) -> None:
            if time.monotonic() > getattr(self, "_deadline", float("inf")):
                raise LimitError(f"模板运行超过 {template_seconds():g} 秒仍未完成（可能有过大的循环），已停止")

        def _check_size(self, value, extra: int = 0) -> None:
            size = len(value) if isinstance(value, (str, list, tuple)) else 0
            if size + extra > getattr(self, "_chars", template_chars()):
                raise LimitError(f"模板生成的内容超过 {template_chars():,} 个字符的上限，已停止")

        # -- hooks -----------------------------------------------------------
        def call_binop(self, context, operator, left, right):
            self._tick()
            if operator == "**":
                _check_power(left, right, LimitError)
            elif operator == "*":
                self._check_product(left, right)
            elif operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
                raise LimitError("格式字符串中的宽度过大，已拒绝")
            result = super().call_binop(context, operator, left, right)
            _check_int(result, LimitError)
            return result

        def call_unop(self, context, operator, arg):
            self._tick()
            return super().call_unop(context, operator, arg)

        def _check_product(self, left, right) -> None:
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                    if len(seq) * max(count, 0) > self._chars:
                        raise LimitError(f"模板生成的内容超过 {template_chars():,} 个字符的上限，已停止")
            if isinstance(left, int) and isinstance(right, int) \
                    and abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
                raise LimitError(f"整数过大（超过 {MAX_INT_BITS} 位），已拒绝")

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - jinja's signature
            __self._tick()
            for value in (*args, *kwargs.values()):
                if isinstance(value, int) and not isinstance(value, bool) and abs(value) > __self._chars:
                    raise LimitError(f"参数 {value} 过大，已拒绝")
            result = super().call(__context, __obj, *args, **kwargs)
            __self._check_size(result)
            return result

        def getattr(self, obj, attribute):
            self._tick()
            if isinstance(obj, str) and _WIDE_FORMAT.search(obj) and attribute in ("format", "format_map"):
                raise LimitError("格式字符串中的宽度过大，已拒绝")
            return super().getattr(obj, attribute)

        def getitem(self, obj, argument):
            self._tick()
            return super().getitem(obj, argument)

        def concat(self, pieces):  # Template.render joins the output here: count, time, translate
            self._start()
            out, total = [], 0
            try:
                for i, piece in enumerate(pieces):
                    total += len(piece)
                    if total > self._chars:
                        raise LimitError(f"模板生成的内容超过 {template_chars():,} 个字符的上限，已停止")
                    if i % _CHECK_EVERY == 0:
                        self._tick()
                    out.append(piece)
            except JinjaError as exc:
                if not isinstance(exc, SecurityError) and getattr(exc, "lineno", None) is None:
                    exc.lineno = _template_line(exc)
                raise
            except Exception as exc:
                raise _as_template_error(exc, LimitError) from None
            return "".join(out)

    env = ReportSandbox(loader=FunctionLoader(_no_template_files), undefined=StrictUndefined,
                        autoescape=True, keep_trailing_newline=True, finalize=_printable)
    env.globals["range"] = _bounded_range(env, LimitError)
    env.globals["namespace"] = BoundedNamespace
    env.filters = {name: _bounded_filter(env, f) for name, f in env.filters.items()}
    env._printable_error = LimitError
    env._start()
    return env


def _bounded_range(env, error):
    from jinja2.sandbox import safe_range

    def bounded(*args):
        for value in safe_range(*args):
            env._tick()
            yield value

    return bounded


def _bounded_filter(env, function):
    import functools

    @functools.wraps(function)
    def bounded(*args, **kwargs):
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > env._chars:
                raise env._printable_error(f"参数 {value} 过大，已拒绝")
        env._tick()
        result = function(*args, **kwargs)
        env._check_size(result)
        return result

    return bounded


def _check_power(base, exponent, error) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        if exponent * (abs(base).bit_length() - 1) > MAX_INT_BITS:
            raise error(f"乘方结果过大（超过 {MAX_INT_BITS} 位整数），已拒绝")
    if isinstance(exponent, (int, float)) and abs(exponent) > 10_000:
        raise error("乘方的指数过大，已拒绝")


def _check_int(value, error) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise error(f"整数过大（超过 {MAX_INT_BITS} 位），已拒绝")


def _printable(value):
    """Only text, numbers, dates and pictures may be output; never a Python object's repr."""
    from jinja2 import Undefined
    from jinja2.exceptions import TemplateRuntimeError

    if value is None or isinstance(value, (str, numbers.Number, dt.date, Undefined)) or hasattr(value, "__html__"):
        return value

    kind = {dict: "字典", list: "列表", tuple: "列表", set: "集合"}.get(type(value), "对象")
    raise TemplateRuntimeError(f"模板直接输出了一个{kind}，只能输出文字、数字、日期或图表"
                               "（列表请用循环或 |join('、') 输出其中的项）")


def _as_template_error(exc: Exception, error):
    reason = next((text for kind, text in _FAILURES.items() if isinstance(exc, kind)), "表达式无法计算")
    detail = f"：{exc.args[0]!s}"[:60] if isinstance(exc, LookupError) and exc.args else ""
    converted = error(f"{reason}{detail}")
    converted.lineno = _template_line(exc)
    return converted


def _template_line(exc: BaseException) -> int | None:
    """The template source line where ``exc`` was raised (from the compiled template's frames)."""
    line, tb = None, exc.__traceback__
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(tb.tb_lineno)
        tb = tb.tb_next
    return line


def _no_template_files(name: str) -> None:
    """Templates may not include, import or extend files: every name is 'not found'."""
    return None


def _readable_types() -> tuple[type, ...]:
    from jinja2.runtime import LoopContext
    from jinja2.utils import Cycler, Joiner, Namespace

    return (str, int, float, bool, type(None), list, tuple, dict, dt.date, dt.datetime,
            LoopContext, Cycler, Joiner, Namespace)

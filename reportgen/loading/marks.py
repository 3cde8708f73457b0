"""Issues for what a sheet's values alone would lose: merged cells, hidden rows and columns that
hold data, formulas whose result was never stored (see ``sheet_marks.py``)."""
from __future__ import annotations

from reportgen.core.errors import InputIssue
from reportgen.loading.readers import RawSheet
from reportgen.loading.sheet_marks import column_letters

UNCACHED_HINT = "单元格是公式，但文件中没有保存计算结果，读不到数值；请在 Excel/WPS 中打开并保存后再试"
_LISTED_ROWS = 10  # hidden rows named one by one before "等"


def mark_issues(raw: RawSheet, header_row: int, names: dict[int, str]) -> list[InputIssue]:
    """Located issues below the header row; ``names``: column position → header as read."""
    def name(position: int) -> str:
        return names.get(position) or f"{column_letters(position)}列"

    def issue(row, position, value, expected, severity="错误") -> InputIssue:
        return InputIssue(raw.file, raw.sheet, row, None if position is None else name(position), value, expected, severity)

    found = [issue(r1, c1, _range(r1, c1, r2, c2),
                   f"是合并单元格：合并区域中只有左上角的单元格有值，其余{(r2 - r1 + 1) * (c2 - c1 + 1) - 1}个单元格会被读作空白；"
                   "请取消合并，并在每一行、每一列分别填写")
             for r1, c1, r2, c2 in raw.marks.merged if r2 > header_row and (r1, c1) != (r2, c2)]
    found += [issue(row, col, None, UNCACHED_HINT) for row, col in raw.marks.uncached if row > header_row]
    found += _hidden(raw, header_row, issue)
    return found


def _hidden(raw: RawSheet, header_row: int, issue) -> list[InputIssue]:
    hidden = set(raw.marks.hidden_rows)
    rows = [number for number, _ in raw.rows if number in hidden and number > header_row]
    found = []
    if rows:
        listed = "、".join(map(str, rows[:_LISTED_ROWS])) + ("等" if len(rows) > _LISTED_ROWS else "")
        what = "此行" if len(rows) == 1 else f"第{listed}行（共{len(rows)}行）"
        found.append(issue(rows[0], None, None, f"{what}被隐藏但有数据，仍按正常数据读取；请确认应当计入", "警告"))
    for col in sorted(set(raw.marks.hidden_cols)):
        if any(col < len(values) and values[col] not in (None, "") for number, values in raw.rows if number > header_row):
            found.append(issue(None, col, None, "此列被隐藏但有数据，仍按正常数据读取；请确认此列应当计入", "警告"))
    return found


def _range(r1: int, c1: int, r2: int, c2: int) -> str:
    return f"{column_letters(c1)}{r1}:{column_letters(c2)}{r2}"

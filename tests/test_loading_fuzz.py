"""Random malformed workbooks: only ReportgenError subclasses may ever escape the loader."""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import minimal_sheets
from reportgen.core.errors import ReportgenError
from reportgen.loading import load_workspace

pytestmark = pytest.mark.usefixtures("each_reader")  # every test with both .xlsx readers

cell_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.sampled_from(["=SUM(A1:A3)", "=1/0", "约3800", "-", "１２３", " 56 ", "1,234", "#N/A", "1e400"]),
)
mutations = st.lists(
    st.tuples(st.sampled_from(["基本信息", "学校", "经费"]), st.integers(0, 5), st.integers(0, 17), cell_values),
    max_size=12,
)
structure = st.fixed_dictionaries({
    "merge_header": st.booleans(),
    "hide": st.sampled_from([None, "学校", "经费"]),
    "drop_sheet": st.sampled_from([None, "学校", "经费", "基本信息"]),
    "blank_rows": st.integers(0, 3),
})


def _write(path: Path, edits, shape) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in minimal_sheets().items():
        if name == shape["drop_sheet"]:
            continue
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for _ in range(shape["blank_rows"]):
            sheet.append([None, " "])
    for name, row, col, value in edits:
        if name in book.sheetnames:
            book[name].cell(row=row + 1, column=col + 1, value=value)
    if shape["merge_header"] and "学校" in book.sheetnames:
        book["学校"].merge_cells("A1:C1")
    if shape["hide"] in book.sheetnames and len(book.sheetnames) > 1:
        book[shape["hide"]].sheet_state = "hidden"
    book.save(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=mutations, shape=structure)
def test_only_reportgen_errors_escape(edits, shape):
    folder = Path(tempfile.mkdtemp())
    try:
        try:
            _write(folder / "县.xlsx", edits, shape)
        except (ValueError, TypeError, IllegalCharacterError):
            return  # openpyxl itself refuses some values (illegal characters): not our input
        try:
            ws = load_workspace(folder)
        except ReportgenError as exc:
            assert str(exc)  # every error carries a message
            return
        assert len(ws.schools) >= 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)

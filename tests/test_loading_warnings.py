"""openpyxl's own warnings never escape the loader: the cell is reported like any bad cell."""
from __future__ import annotations

import openpyxl
import pytest

from conftest import minimal_sheets, write_book
from reportgen.loading import read_workspace

pytestmark = pytest.mark.usefixtures("each_reader")  # every test with both .xlsx readers


def test_date_serial_out_of_range_is_a_located_issue(tmp_path):
    path = write_book(tmp_path / "ws" / "县.xlsx", minimal_sheets())
    book = openpyxl.load_workbook(path)
    cell = book["基本信息"].cell(row=5, column=2)   # 成文日期
    cell.value = -693594
    cell.number_format = "yyyy-mm-dd"
    book.save(path)
    _, issues = read_workspace(tmp_path / "ws")   # filterwarnings=error: a warning would fail here
    assert any(i.sheet == "基本信息" and i.row == 5 and i.is_error for i in issues), issues

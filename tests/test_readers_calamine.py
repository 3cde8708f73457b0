"""Issue 19: calamine reads .xlsx sheets exactly as openpyxl does, or leaves them to openpyxl.

Every comparison reads the same file twice, with REPORTGEN_READER=openpyxl (the reference) and
with the default reader, and compares everything the loader gives: rows with their Excel row
numbers and the type of every value, marks, frames with their dtypes, issues and warnings.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import IllegalCharacterError

from conftest import ROOT, minimal_sheets
from reportgen.authoring.demo import write_demo
from reportgen.core.errors import ReportgenError
from reportgen.loading import read_workspace, readers
from reportgen.loading.calamine_reader import read_exact

pytest.importorskip("python_calamine")

EXAMPLES = sorted(p.parent for p in (ROOT / "data_examples").glob("*/*.xlsx"))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def typed(value: object) -> tuple[str, str]:
    """A value with its type (1 and 1.0, None and "" differ; NaN equals NaN)."""
    return type(value).__name__, repr(value)


def rows_of(raw) -> list:
    """The rows, without the empty cells after a row's last value (which calamine does not keep)."""
    rows = []
    for number, values in raw.rows:
        cells = list(values)
        while cells and cells[-1] is None:
            cells.pop()
        rows.append((number, [typed(v) for v in cells]))
    return rows


def read_with(reader: str, monkeypatch, read, *args):
    monkeypatch.setenv("REPORTGEN_READER", reader)
    try:
        return read(*args)
    finally:
        monkeypatch.delenv("REPORTGEN_READER")


def raw_snapshot(book: Path, monkeypatch, reader: str) -> dict:
    try:
        sheets = read_with(reader, monkeypatch, readers.read_workbook, book)
    except ReportgenError as exc:
        return {"error": str(exc)}
    return {name: (raw.file, raw.sheet, raw.hidden, raw.marks, rows_of(raw)) for name, raw in sheets.items()}


def workspace_snapshot(folder: Path, monkeypatch, reader: str) -> dict:
    try:
        workspace, issues = read_with(reader, monkeypatch, read_workspace, folder)
    except ReportgenError as exc:
        return {"error": str(exc)}
    tables = {name: (list(frame.columns), [str(t) for t in frame.dtypes], list(frame.index),
                     [[typed(v) for v in frame[c]] for c in frame.columns])
              for name, frame in workspace.tables.items()}
    return {"info": {k: typed(v) for k, v in workspace.info.items()}, "tables": tables,
            "origin": workspace.origin, "issues": [repr(i) for i in issues],
            "warnings": [repr(w) for w in workspace.warnings]}


def assert_same_reading(folder: Path, monkeypatch) -> None:
    book = next(folder.glob("*.xlsx"))
    assert raw_snapshot(book, monkeypatch, "calamine") == raw_snapshot(book, monkeypatch, "openpyxl")
    assert workspace_snapshot(folder, monkeypatch, "calamine") == workspace_snapshot(folder, monkeypatch, "openpyxl")


def fast_sheets(book: Path) -> set[str]:
    return {name for name, raw in (read_exact(book) or {}).items() if raw is not None}


# ---------------------------------------------------------------- whole workspaces

@pytest.mark.parametrize("folder", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_reads_the_same(folder, monkeypatch):
    assert_same_reading(folder, monkeypatch)
    assert {"学校", "班级", "幼儿园"} <= fast_sheets(next(folder.glob("*.xlsx")))


@pytest.mark.parametrize("schools, seed", [(40, 1), (40, 2), (40, 3), (300, 4), (300, 5)])
def test_demo_counties_read_the_same(tmp_path, monkeypatch, schools, seed):
    write_demo(tmp_path / "县", schools, seed=seed)
    assert_same_reading(tmp_path / "县", monkeypatch)
    assert {"学校", "班级", "经费", "幼儿园"} <= fast_sheets(next((tmp_path / "县").glob("*.xlsx")))


def test_a_workbook_saved_by_openpyxl_reads_the_same(tmp_path, monkeypatch):
    """openpyxl declares each sheet's extent (<dimension>), which its reader then keeps to."""
    write_demo(tmp_path / "县", 40, seed=6)
    book = next((tmp_path / "县").glob("*.xlsx"))
    openpyxl.load_workbook(book).save(book)
    with zipfile.ZipFile(book) as package:
        assert b"<dimension " in package.read("xl/worksheets/sheet2.xml")
    assert_same_reading(tmp_path / "县", monkeypatch)
    assert "学校" in fast_sheets(book)


def with_shared_strings(book: Path) -> None:
    """Store the workbook's inline strings as Excel does: in one shared-strings part."""
    strings: list[bytes] = []

    def shared(match: re.Match) -> bytes:
        strings.append(match.group(1))
        return b't="s"><v>%d</v>' % (len(strings) - 1)

    with zipfile.ZipFile(book) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = re.sub(rb't="inlineStr"><is>(.*?)</is>', shared, parts[name])
    parts["xl/sharedStrings.xml"] = (f'<sst xmlns="{MAIN}">'.encode() + b"".join(b"<si>%s</si>" % s for s in strings)
                                     + b"</sst>")
    kind = "officeDocument/2006/relationships/sharedStrings"
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/{kind}" '
        'Target="sharedStrings.xml"/></Relationships>'.encode())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def test_a_workbook_with_shared_strings_reads_the_same(tmp_path, monkeypatch):
    write_demo(tmp_path / "县", 40, seed=7)
    book = next((tmp_path / "县").glob("*.xlsx"))
    with_shared_strings(book)
    with zipfile.ZipFile(book) as package:
        assert b'inlineStr' not in package.read("xl/worksheets/sheet2.xml")
    assert_same_reading(tmp_path / "县", monkeypatch)
    assert {"学校", "班级", "幼儿园"} <= fast_sheets(book)


def test_reader_choice(monkeypatch):
    monkeypatch.setenv("REPORTGEN_READER", "openpyxl")
    assert readers.reader() == "openpyxl" and readers.reader_versions()[0].startswith("openpyxl ")
    monkeypatch.delenv("REPORTGEN_READER")
    assert readers.reader() == "calamine"
    assert [v.split()[0] for v in readers.reader_versions()] == ["openpyxl", "python-calamine"]


# ---------------------------------------------------------------- sheets written by hand

def hand_book(path: Path, sheet_data: str, shared: list[str] | None = None, head: str = "",
              formats: str = "", styles: tuple[int, ...] = (0,)) -> Path:
    """A one-sheet workbook ("表") with this <sheetData> content, shared strings (as XML of the
    <si> elements) and cell styles (numFmtIds; custom formats as <numFmt> XML)."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{rel}"><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><numFmts>{formats}</numFmts><fonts count="1"><font/></fonts>'
        '<fills count="1"><fill><patternFill/></fill></fills><borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs>'
        + "".join(f'<xf numFmtId="{i}"/>' for i in styles) + "</cellXfs></styleSheet>",
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{"".join(shared or [])}</sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}">{head}<sheetData>{sheet_data}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w") as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return path


def cells(*xml: str, row: int = 2) -> str:
    return f'<row r="{row}">' + "".join(xml) + "</row>"


EXACT = {  # sheets calamine reads, each row as openpyxl gives it
    "numbers": cells('<c r="A2"><v>1</v></c>', '<c r="B2"><v>0.1</v></c>', '<c r="C2"><v>-7</v></c>',
                     '<c r="D2"><v>123456789012345</v></c>', '<c r="E2"><v>2.50</v></c>', '<c r="F2"><v>-0</v></c>'),
    "booleans and text": cells('<c r="A3" t="b"><v>1</v></c>', '<c r="B3" t="b"><v>0</v></c>',
                               '<c r="C3" t="s"><v>0</v></c>', '<c r="D3" t="s"><v>1</v></c>',
                               '<c r="E3" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c>',
                               '<c r="F3" t="inlineStr"><is><t xml:space="preserve"> 留空格 </t></is></c>', row=3),
    "rows and cells without a number": '<row><c><v>1</v></c><c><v>2</v></c></row><row r="4"><c r="C4"><v>3</v></c><c><v>4</v></c></row>',
    "rows after the declared extent": '<row r="1"><c r="A1"><v>1</v></c><c r="H1"><v>8</v></c></row>'
                                      '<row r="3"><c r="A3"><v>3</v></c></row>',
    "percent cells": cells('<c r="A2" s="1"><v>0.25</v></c>'),
    "uncached formula": cells('<c r="A2"><v>1</v></c>', '<c r="B2"><f>A2*2</f></c>'),
    "number texts": cells('<c r="A2" t="s"><v>2</v></c>', '<c r="B2" t="inlineStr"><is><t>12345678901234567890</t></is></c>'),
}
LEFT_TO_OPENPYXL = {  # sheets calamine would read differently, so openpyxl reads them
    "a whole number with a point": cells('<c r="A2"><v>1.0</v></c>'),
    "an exponent": cells('<c r="A2"><v>1E3</v></c>'),
    "an id too long for a float": cells('<c r="A2"><v>12345678901234567891</v></c>'),
    "an error value": cells('<c r="A2" t="e"><v>#DIV/0!</v></c>', '<c r="B2"><v>1</v></c>'),
    "an error calamine does not know": cells('<c r="A2" t="e"><v>#SPILL!</v></c>'),
    "a formula string": cells('<c r="A2" t="str"><f>"a"</f><v>a</v></c>'),
    "an ISO date": cells('<c r="A2" t="d"><v>2025-01-02T00:00:00</v></c>'),
    "a date format": cells('<c r="A2" s="2"><v>45000</v></c>'),
    "a custom date format": cells('<c r="A2" s="3"><v>45000.5</v></c>'),
    "an empty shared string": cells('<c r="A2" t="s"><v>3</v></c>', '<c r="B2"><v>1</v></c>'),
    "an empty inline string": cells('<c r="A2" t="inlineStr"><is><t></t></is></c>', '<c r="B2"><v>1</v></c>'),
    "outer spaces without preserve": cells('<c r="A2" t="inlineStr"><is><t> a </t></is></c>'),
    "an escaped line break": cells('<c r="A2" t="inlineStr"><is><t>a&#10;</t></is></c>'),
    "an _x000D_ escape": cells('<c r="A2" t="inlineStr"><is><t>a_x000D_b</t></is></c>'),
    "single-quoted attributes": cells("<c r='A2' t='e'><v>#N/A</v></c>"),
    "inline text in a shared-string cell": cells('<c r="A2" t="s"><v>0</v><is><t>q</t></is></c>'),
    "inline text in a number cell": cells('<c r="A2"><is><t>z</t></is></c>', '<c r="B2"><v>1</v></c>'),
}
SHARED = ["<si><t>甲</t></si>", "<si><r><t>乙</t></r><rPh sb=\"0\" eb=\"1\"><t>yi</t></rPh></si>",
          "<si><t>0012</t></si>", "<si><t/></si>"]
STYLES = dict(formats='<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/>', styles=(0, 10, 14, 164))


def _read_both(path: Path, monkeypatch) -> tuple[dict, dict]:
    return raw_snapshot(path, monkeypatch, "calamine"), raw_snapshot(path, monkeypatch, "openpyxl")


@pytest.mark.parametrize("case", EXACT)
def test_sheets_calamine_reads_exactly(tmp_path, monkeypatch, case):
    head = '<dimension ref="A1:C2"/>' if case == "rows after the declared extent" else ""
    book = hand_book(tmp_path / "表.xlsx", EXACT[case], SHARED[:3], head, **STYLES)
    fast, slow = _read_both(book, monkeypatch)
    assert fast == slow and fast["表"][4]
    assert fast_sheets(book) == {"表"}


def test_calamine_values_have_openpyxl_types(tmp_path, monkeypatch):
    book = hand_book(tmp_path / "表.xlsx", EXACT["numbers"] + EXACT["booleans and text"], SHARED[:3], **STYLES)
    assert fast_sheets(book) == {"表"}
    rows = read_with("calamine", monkeypatch, readers.read_workbook, book)["表"].rows
    assert rows == [(2, (1, 0.1, -7, 123456789012345, 2.5, 0)), (3, (True, False, "甲", "乙", "富文本", " 留空格 "))]
    assert [[type(v) for v in values] for _, values in rows] == [[int, float, int, int, float, int],
                                                                 [bool, bool, str, str, str, str]]


@pytest.mark.parametrize("case", LEFT_TO_OPENPYXL)
def test_sheets_calamine_would_misread_go_to_openpyxl(tmp_path, monkeypatch, case):
    book = hand_book(tmp_path / "表.xlsx", LEFT_TO_OPENPYXL[case], SHARED if "shared" in case else SHARED[:3], **STYLES)
    assert fast_sheets(book) == set()
    fast, slow = _read_both(book, monkeypatch)
    assert fast == slow and fast["表"][4]


def test_only_the_sheets_in_doubt_go_to_openpyxl(tmp_path, monkeypatch):
    sheets = minimal_sheets()
    sheets["基本信息"].append(["反馈时间", dt.datetime(2024, 11, 5, 9, 30)])
    sheets["经费"].append([2026, "合计", "=1/0", 52000])
    book = tmp_path / "ws" / "县.xlsx"
    book.parent.mkdir()
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        for row in rows:
            (workbook[name] if name in workbook.sheetnames else workbook.create_sheet(name)).append(row)
    workbook.save(book)
    assert fast_sheets(book) == {"学校"}  # 经费's formula has an empty <v>, 基本信息 a date
    assert_same_reading(book.parent, monkeypatch)


# ---------------------------------------------------------------- random cells

cell_values = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.sampled_from([" ", "  x", "x\n", "\t", "_x000D_", "a x005F_b", "0012", "1,234", "#N/A", "=1/0", "=\"a\"", "1e3"]),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([1.0, -0.0, 1e16, 2.5, 1e-7, 123456.0]),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.times(),
)
edits = st.lists(st.tuples(st.sampled_from(["基本信息", "学校", "经费"]), st.integers(0, 5),
                           st.integers(0, 17), cell_values), max_size=12)


def _save(sheets: dict[str, list[list]], path: Path, write_only: bool) -> None:
    texts = [v for rows in sheets.values() for row in rows for v in row if isinstance(v, str)]
    if any(ILLEGAL_CHARACTERS_RE.search(v) for v in texts):  # refused before writing: a write-only
        raise IllegalCharacterError("refused")                 # sheet would be left half written
    workbook = openpyxl.Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(changes=edits, write_only=st.booleans())
def test_random_cells_read_the_same(tmp_path_factory, monkeypatch, changes, write_only):
    """Shared strings (a normal save) or inline strings (write-only, as the demo writes)."""
    folder = tmp_path_factory.mktemp("ws")
    try:
        sheets = {name: [list(row) for row in rows] for name, rows in minimal_sheets().items()}  # copies: the
        for name, row, col, value in changes:                                                   # header is shared
            grid = sheets[name]
            grid.extend([] for _ in range(row + 1 - len(grid)))
            grid[row].extend([None] * (col + 1 - len(grid[row])))
            grid[row][col] = value
        try:
            _save(sheets, folder / "县.xlsx", write_only)
        except (ValueError, TypeError, IllegalCharacterError):
            return  # openpyxl refuses some values (illegal characters): not a workbook to read
        assert_same_reading(folder, monkeypatch)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_sheet_cache_keeps_each_readers_rows_apart(tmp_path, monkeypatch):
    from reportgen.loading.sheet_cache import sheet_keys

    write_demo(tmp_path / "县", 12, seed=8)
    book = next((tmp_path / "县").glob("*.xlsx"))
    by_calamine = sheet_keys(book)
    monkeypatch.setenv("REPORTGEN_READER", "openpyxl")
    by_openpyxl = sheet_keys(book)
    assert by_calamine and by_openpyxl and by_calamine.keys() == by_openpyxl.keys()
    assert all(by_calamine[name][0] != by_openpyxl[name][0] for name in by_calamine)

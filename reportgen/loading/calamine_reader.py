"""The fast reading path: python-calamine (a Rust reader), for the sheets it reads exactly as openpyxl.

openpyxl in read-only, data-only mode is the reference: every row here must equal the row it gives
(same Excel row numbers, same values and types) but for empty cells after a row's last value, which
are not kept. calamine differs from it in ways a sheet's XML shows, and a sheet showing any of them
is left to openpyxl (``read_exact`` does not return it):

- every number comes as a float: a whole float is given back as int, which is what openpyxl reads
  from the same text unless the text has a point or an exponent ("1.0", "1E3") or is too long for
  a float to hold exactly (16 digits and more) — such a text sends the sheet to openpyxl;
- an empty cell, an empty string and an error value all come as "": the empty cell is None, so a
  sheet with error cells (t="e"), formula strings (t="str"), ISO dates (t="d") or empty strings goes;
- text without xml:space="preserve" loses its outer spaces and line breaks, and "_x000D_"-style
  escapes are decoded (openpyxl keeps them): such text sends the sheet (or the workbook) to openpyxl;
- dates follow each library's own reading of number formats: a cell in any style either library
  could take for a date or time sends the sheet to openpyxl;
- openpyxl stops at the extent the sheet's <dimension> declares: the rows are cut to it here too.

Checks are byte searches on parts the marks read anyway; a doubt costs speed, never a value.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from reportgen.loading.readers import RawSheet, is_filled
from reportgen.loading.sheet_marks import (part_by_type, percent_styles, relationship_targets,
                                           sheet_marks, sheet_parts)

_EMPTY_SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_WORKSHEET = "/worksheet"
_WS = (b" ", b"\t", b"\r", b"\n")  # the white space calamine trims from text
_WS_REF = rb"&#(?:[xX]0*(?:9|[aAdD]|20)|0*(?:9|10|13|32));"  # … and its escaped forms


Spaced = dict[bytes, re.Pattern]  # one search per white space character


def _after_space(pattern: bytes) -> Spaced:
    """``pattern`` after each white space character, one search each: with a literal start a search
    runs at the speed of a byte search (with a character class or a look-behind it does not), and
    a character absent from a part (tabs and line breaks mostly are) needs no search."""
    return {ws: re.compile(re.escape(ws) + pattern) for ws in _WS}


# Each search is for something calamine would read otherwise than openpyxl (a doubt).
_DOUBTS = tuple(re.compile(p) for p in (
    rb"=[ \t\r\n']",  # attributes other than name="value", which the searches assume
    # a <v> unlike "an int of at most 15 digits or a decimal with a non-zero digit after its point",
    # the texts openpyxl and calamine turn into the same number (int, or the same rounded float)
    rb"<v\b(?!>(?:-?\d{1,15}|-?\d+\.\d*[1-9]\d*)</v>)",
))
_SPACED_DOUBTS = (_after_space(rb"="),  # attributes again
                  _after_space(rb't="(?!(?:s|b|n|inlineStr|shared|array|dataTable|normal)")'))  # e, str, d cells
_TEXT_DOUBTS = tuple(re.compile(p) for p in (
    rb"_[xX][0-9a-fA-F]{4}_", rb"x005F_",  # decoded by calamine; the second is dropped by openpyxl
    rb"></t>", rb"<t(?:/|\s[^>]*/)>", rb"<si(?:/>|>\s*(?:<rPh\b|</si>))", rb"<is(?:/>|>\s*(?:<rPh\b|</is>))",  # ""
    _WS_REF + rb"</t>",  # trailing white space: calamine trims it unless xml:space="preserve"
))
_LEADING_SPACE = re.compile(rb"<t\b([^>]*)>(?:[ \t\r\n]|" + _WS_REF + rb")")
_TRAILING_SPACE = {ws: re.compile(re.escape(ws + b"</t>")) for ws in _WS}
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b([^>]*)>")
_REF = re.compile(rb'\bref="([^"]*)"')

# Number formats either library may read as a date or time: built-in ids outside the plain
# number ones, and custom codes with a date letter outside quotes and escapes.
_PLAIN_BUILTIN = {*range(0, 14), *range(37, 45), 48, 49}
_CALAMINE_DATE_BUILTIN = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_LITERALS = re.compile(r'"[^"]*"|\\.|General|(?<=[0#?.])[eE][+-]|\[(?:\$[^\]]*|Black|Blue|Cyan|Green|Magenta|Red|White|Yellow'
                       r'|Color\d+|DBNum\d)\]', re.IGNORECASE)
_DATE_LETTERS = re.compile(r"[dmhysbgeDMHYSBGE]")


def read_exact(path: Path, names: list[str] | None = None) -> dict[str, RawSheet | None] | None:
    """Each sheet (of ``names``, or all; by name as written, in workbook order) → its rows as
    openpyxl reads them, or None for a sheet to leave to openpyxl; None for the whole workbook."""
    try:
        import python_calamine
    except ImportError:
        return None
    try:
        with zipfile.ZipFile(path) as package, python_calamine.CalamineWorkbook.from_path(path) as book:
            return _read_package(path, package, book, names)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError,
            python_calamine.CalamineError):
        return None


def _read_package(path: Path, package: zipfile.ZipFile, book,
                  names: list[str] | None) -> dict[str, RawSheet | None] | None:
    import python_calamine

    targets = relationship_targets(package.read("xl/_rels/workbook.xml.rels"))
    shared = part_by_type(targets, "/sharedStrings")
    if shared:
        strings = package.read(shared)
        if not _text_exact(strings, _spaces_in(strings)):
            return None
    sheets = sheet_parts(package, targets)
    if any(not kind.endswith(_WORKSHEET) for _, _, _, kind in sheets) or \
            any(m.typ != python_calamine.SheetTypeEnum.WorkSheet for m in book.sheets_metadata):
        return None  # chart or macro sheets: openpyxl's way of skipping them is the reference
    styles = part_by_type(targets, "/styles")
    styles_xml = package.read(styles) if styles else b""
    dates, percent = _date_style_use(styles_xml), percent_styles(styles_xml) if styles_xml else set()
    found: dict[str, RawSheet | None] = {}
    for name, state, part, _ in sheets:
        if names is None or name in names:
            xml = package.read(part)
            found[name] = raw = _exact_sheet(path.name, name, book, xml) if _sheet_exact(xml, dates) else None
            if raw is not None:
                raw.hidden, raw.marks = state != "visible", sheet_marks(xml, percent)
    return found


def only_sheets(path: Path, names: list[str]) -> Path | io.BytesIO:
    """The package with the sheets not in ``names`` emptied, for openpyxl to read those: it parses
    every sheet of a workbook it opens (to size it), which costs about as much as reading them."""
    try:
        copy = io.BytesIO()
        with zipfile.ZipFile(path) as package, zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
            targets = relationship_targets(package.read("xl/_rels/workbook.xml.rels"))
            emptied = {part for name, _, part, _ in sheet_parts(package, targets) if name not in names}
            for info in package.infolist():
                out.writestr(info.filename, _EMPTY_SHEET if info.filename in emptied else package.read(info))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return path
    copy.seek(0)
    return copy


def _exact_sheet(file: str, name: str, book, xml: bytes) -> RawSheet | None:
    import python_calamine

    extent = _extent(xml)
    if extent is None:
        return None
    max_col, max_row = extent
    try:
        grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except python_calamine.CalamineError:  # an error value calamine does not know, for one
        return None
    raw = RawSheet(file, name.strip())
    for number, cells in enumerate(grid[:max_row], start=1):
        values = tuple(map(_value, cells[:max_col]))
        if is_filled(values):
            raw.rows.append((number, values))
    return raw


def _value(value):
    """calamine's value as openpyxl gives it (the sheet passed ``_sheet_exact``)."""
    if value.__class__ is float:
        return int(value) if value.is_integer() else value
    return None if value == "" else value


def _extent(xml: bytes) -> tuple[int | None, int | None] | None:
    """(last column, last row) openpyxl reads, from <dimension> (None: no limit); None when the
    declared extent is one openpyxl would refuse."""
    from openpyxl.utils.cell import range_boundaries

    head = xml[: xml.find(b"sheetData")]
    dimension = _DIMENSION.search(head)
    if dimension is None:
        return None, None
    ref = _REF.search(dimension.group(1))
    if ref is None:
        return None
    try:
        _, _, max_col, max_row = range_boundaries(ref.group(1).decode())
    except (ValueError, TypeError):
        return None
    return max_col, max_row


def _sheet_exact(xml: bytes, dates: Spaced | None) -> bool:
    if b"<sheetData" not in xml:  # elements with a namespace prefix
        return False
    if xml.count(b"<is") != xml.count(b't="inlineStr"'):  # inline text in another kind of cell
        return False
    spaces = _spaces_in(xml)
    spaced = (*_SPACED_DOUBTS, dates) if dates else _SPACED_DOUBTS
    if any(d.search(xml) for d in _DOUBTS) or any(d[ws].search(xml) for d in spaced for ws in spaces):
        return False
    return _text_exact(xml, spaces)


def _text_exact(xml: bytes, spaces: tuple[bytes, ...]) -> bool:
    """Strings (shared or inline) calamine gives exactly as openpyxl: no empty ones, no escapes,
    no outer white space it would trim (text without xml:space="preserve")."""
    if any(doubt.search(xml) for doubt in _TEXT_DOUBTS):
        return False
    if any(b"preserve" not in m.group(1) for m in _LEADING_SPACE.finditer(xml)):
        return False
    return all(b"preserve" in _opening_tag(xml, m.start()) for ws in spaces
               for m in _TRAILING_SPACE[ws].finditer(xml))


def _spaces_in(xml: bytes) -> tuple[bytes, ...]:
    """The white space characters in a part after its XML declaration (a space is taken as there)."""
    body = xml.find(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    return (b" ", *(ws for ws in _WS[1:] if xml.find(ws, body) >= 0))


def _opening_tag(xml: bytes, end: int) -> bytes:
    start = xml.rfind(b"<t", 0, end)
    while start >= 0 and xml[start + 2:start + 3] not in (b">", b" ", b"\t", b"\r", b"\n", b"/"):
        start = xml.rfind(b"<t", 0, start)  # <tableParts …>, not a text element
    return xml[start:xml.find(b">", start) + 1] if start >= 0 else b""


def _date_style_use(styles: bytes) -> Spaced | None:
    """A search for cells styled with a format either library may read as a date; None if none."""
    if not styles:
        return None
    root = ElementTree.fromstring(styles)
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in root.iter(f"{_MAIN}numFmt")}
    xfs = root.find(f"{_MAIN}cellXfs")
    styles_used = [] if xfs is None else list(xfs.iter(f"{_MAIN}xf"))
    risky = [str(i) for i, xf in enumerate(styles_used) if _date_like(int(xf.get("numFmtId", 0)), custom)]
    return _after_space(rb's="(?:' + "|".join(risky).encode() + rb')"') if risky else None


def _date_like(format_id: int, custom: dict[int, str]) -> bool:
    if format_id in _CALAMINE_DATE_BUILTIN:
        return True
    if format_id in custom:
        return _DATE_LETTERS.search(_LITERALS.sub("", custom[format_id])) is not None
    return format_id not in _PLAIN_BUILTIN

"""What openpyxl's read-only values do not show: merged ranges, hidden rows and columns,
formulas without a stored result, and cells formatted as a percentage.

Read straight from the sheet's XML part (a quick byte test first, so a plain sheet costs one
search); the result rides along with the raw rows and is cached with them.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
WORKBOOK_PART = "xl/workbook.xml"
_PERCENT_BUILTIN = {9, 10}  # 0% and 0.00%

_P = rb"(?:\w+:)?"
_MERGE = re.compile(rb"<" + _P + rb'mergeCell\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_ROW = re.compile(rb"<" + _P + rb"row\b([^>]*)>")
_COL = re.compile(rb"<" + _P + rb"col\b([^>]*)/?>")
_CELL = re.compile(rb"<" + _P + rb"c\b([^>]*?)(/>|>)")
_UNCACHED = re.compile(rb"<" + _P + rb"c\b([^>]*)>\s*<" + _P + rb"f\b[^>]*(?:/>|>[^<]*</" + _P + rb"f>)\s*"
                       rb"(?:<" + _P + rb"v\s*/>|<" + _P + rb"v>\s*</" + _P + rb"v>)?\s*</" + _P + rb"c>")
_ATTR = re.compile(rb'\b(r|s|min|max|hidden)="([^"]*)"')
_REF = re.compile(r"^([A-Z]+)(\d+)$")


@dataclass
class SheetMarks:
    """Cell positions are (Excel row, 0-based column index), as in ``RawSheet.rows``."""

    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # row1, col1, row2, col2
    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[int] = field(default_factory=list)
    uncached: list[tuple[int, int]] = field(default_factory=list)
    percent: list[tuple[int, int]] = field(default_factory=list)

    def as_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}

    @classmethod
    def from_json(cls, data: dict) -> "SheetMarks":
        return cls(**{k: [tuple(x) if isinstance(x, list) else x for x in v] for k, v in data.items()})


def column_index(letters: str) -> int:
    """'A' → 0, 'AB' → 27."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number - 1


def column_letters(index: int) -> str:
    letters, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def relationship_targets(xml: bytes) -> dict[str, tuple[str, str]]:
    """Relationship id → (part name in the zip, relationship type)."""
    targets = {}
    for rel in ElementTree.fromstring(xml).iter(_RELS):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = (part, rel.get("Type", ""))
    return targets


def part_by_type(targets: dict[str, tuple[str, str]], suffix: str) -> str | None:
    return next((part for part, kind in targets.values() if kind.endswith(suffix)), None)


def workbook_marks(path, only: list[str] | None = None) -> dict[str, SheetMarks]:
    """Sheet name as written → its marks (of the sheets in ``only``, or all); empty when the
    package is not understood."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            targets = relationship_targets(package.read("xl/_rels/workbook.xml.rels"))
            styles = part_by_type(targets, "/styles")
            percent = percent_styles(package.read(styles)) if styles in names else set()
            return {name: sheet_marks(package.read(part), percent) for name, _, part, _ in sheet_parts(package, targets)
                    if part in names and (only is None or name in only)}
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}


def sheet_parts(package: zipfile.ZipFile, targets: dict[str, tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """(name as written, state, part name, relationship type) of each sheet, in workbook order."""
    return [(sheet.get("name"), sheet.get("state", "visible"), *targets.get(sheet.get(_REL_ID), ("", "")))
            for sheet in ElementTree.fromstring(package.read(WORKBOOK_PART)).iter(f"{_MAIN}sheet")]


def percent_styles(xml: bytes) -> set[int]:
    """Indices into cellXfs whose number format shows a percentage."""
    root = ElementTree.fromstring(xml)
    custom = {int(f.get("numFmtId", -1)) for f in root.iter(f"{_MAIN}numFmt")
              if "%" in re.sub(r'"[^"]*"|\\.', "", f.get("formatCode", ""))}
    formats = _PERCENT_BUILTIN | custom
    xfs = root.find(f"{_MAIN}cellXfs")
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs.iter(f"{_MAIN}xf")) if int(xf.get("numFmtId", 0)) in formats}


def sheet_marks(xml: bytes, percent: set[int]) -> SheetMarks:
    marks = SheetMarks()
    if b"mergeCell" in xml:
        marks.merged = [_merge_range(m.groups()) for m in _MERGE.finditer(xml)]
    if b"hidden=" in xml:
        marks.hidden_rows = [int(a[b"r"]) for a in map(_attrs, _ROW.findall(xml)) if _true(a.get(b"hidden")) and b"r" in a]
        marks.hidden_cols = [c for a in map(_attrs, _COL.findall(xml)) if _true(a.get(b"hidden"))
                             for c in range(int(a.get(b"min", 1)) - 1, int(a.get(b"max", 1)))]
    if re.search(rb"<" + _P + rb"f[ >/]", xml):
        marks.uncached = [_cell_ref(_attrs(m.group(1))[b"r"]) for m in _UNCACHED.finditer(xml)
                          if b"r" in _attrs(m.group(1))]
    styled = [s for s in percent if f' s="{s}"'.encode() in xml]
    if styled:
        wanted = {str(s).encode() for s in styled}
        marks.percent = [_cell_ref(a[b"r"]) for a in (_attrs(m.group(1)) for m in _CELL.finditer(xml))
                         if a.get(b"s") in wanted and b"r" in a]
    return marks


def _attrs(text: bytes) -> dict[bytes, bytes]:
    return dict(_ATTR.findall(text))


def _true(value: bytes | None) -> bool:
    return value in (b"1", b"true")


def _cell_ref(ref: bytes) -> tuple[int, int]:
    match = _REF.match(ref.decode())
    return int(match.group(2)), column_index(match.group(1))


def _merge_range(groups: tuple) -> tuple[int, int, int, int]:
    col1, row1, col2, row2 = (g.decode() if g else None for g in groups)
    col2, row2 = col2 or col1, row2 or row1
    return int(row1), column_index(col1), int(row2), column_index(col2)

"""A per-sheet cache of raw rows, so that a one-cell edit re-reads only the sheet it is in.

An .xlsx file is a zip with one XML part per sheet. The rows read from a sheet are stored under
the sha256 of everything they depend on: that sheet's XML part, the shared strings and styles
parts (text and date formats), the workbook's date system, the sheet's name and visibility, and
the versions of this format and of the readers (openpyxl, and python-calamine when it reads). A hit
therefore gives exactly the rows the reader gave for the same bytes. Entries are JSON (values typed by tag, never code): the folder is safe
to delete, and a cache that cannot be read or written only costs the reading.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from importlib import metadata
import os
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from reportgen.loading.readers import RawSheet, reader_versions
from reportgen.loading.sheet_marks import SheetMarks, part_by_type as _by_type, relationship_targets as _relationship_targets

FORMAT = "2"  # 2: entries hold the sheet marks beside the rows
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_WORKBOOK = "xl/workbook.xml"


class SheetCache:
    """Raw sheets of one workbook by content key, in ``folder``; with ``memory`` (a dict a
    long-lived process keeps, see ``memo.py``) also in memory, where a hit is the same object."""

    def __init__(self, folder: str | os.PathLike, memory: dict[tuple[str, str], RawSheet] | None = None):
        self.folder = Path(folder)
        self.memory = memory

    def read_workbook(self, path: Path, read) -> dict[str, RawSheet]:
        """``read(path, names)`` (readers.read_workbook) runs only for the sheets not cached."""
        keys = sheet_keys(path)
        if keys is None:  # a package this cache does not understand: read it as usual
            return read(path, None)
        found = {name: self._recall(key, path.name, name.strip(), hidden) for name, (key, hidden) in keys.items()}
        missing = [name for name, raw in found.items() if raw is None]
        fresh = read(path, missing) if missing else {}
        sheets = {}
        for name, (key, _) in keys.items():
            raw = found[name] or fresh.get(name.strip())
            if raw is None:  # the reader sees the workbook differently: trust it alone
                return read(path, None)
            if found[name] is None:
                self._store(key, raw)
            sheets[name.strip()] = raw
        self._prune({key for key, _ in keys.values()})
        self._remember(path.name, {key: sheets[name.strip()] for name, (key, _) in keys.items()})
        return sheets

    def _recall(self, key: str, file: str, name: str, hidden: bool) -> RawSheet | None:
        if self.memory is not None and (key, file) in self.memory:
            return self.memory[(key, file)]
        found = self._load(key)
        if found is None:
            return None
        rows, marks = found
        return RawSheet(file, name, rows, hidden, marks)

    def _remember(self, file: str, sheets: dict[str, RawSheet]) -> None:
        """Memory holds this read's sheets alone (a sheet that changed is not needed again)."""
        if self.memory is not None:
            self.memory.clear()
            self.memory.update({(key, file): raw for key, raw in sheets.items()})

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def _load(self, key: str) -> tuple[list[tuple[int, tuple]], SheetMarks] | None:
        try:
            text = self._entry(key).read_text(encoding="utf-8")
            entry = json.loads(text, object_hook=_decode)
            rows = [(number, tuple(values)) for number, values in entry["rows"]]
            return rows, SheetMarks.from_json(entry["marks"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def _store(self, key: str, raw: RawSheet) -> None:
        try:
            entry = {"rows": raw.rows, "marks": raw.marks.as_json()}
            text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), default=_encode)
        except (TypeError, ValueError):  # a value type this cache does not know: not cached
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self._entry(key))
        except OSError:
            pass

    def _prune(self, keep: set[str]) -> None:
        """Entries of earlier versions of the workbook go: one entry per sheet stays."""
        try:
            for entry in self.folder.glob("*.json"):
                if entry.stem not in keep:
                    entry.unlink(missing_ok=True)
        except OSError:
            pass


# ---------------------------------------------------------------- keys

def sheet_keys(path: Path) -> dict[str, tuple[str, bool]] | None:
    """Sheet name as written → (content key, hidden), in workbook order; None if not understood."""
    try:
        versions = reader_versions()
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            workbook = ElementTree.fromstring(package.read(_WORKBOOK))
            targets = _relationship_targets(package.read("xl/_rels/workbook.xml.rels"))
            shared = _part_digest(package, names, _by_type(targets, "/sharedStrings"))
            styles = _part_digest(package, names, _by_type(targets, "/styles"))
            date1904 = _date1904(workbook)
            keys = {}
            for sheet in workbook.iter(f"{_MAIN}sheet"):
                name, state = sheet.get("name"), sheet.get("state", "visible")
                part = targets.get(sheet.get(_REL_ID), (None, None))[0]
                if name is None or part not in names:
                    return None
                digest = hashlib.sha256(package.read(part)).hexdigest()
                identity = [FORMAT, *versions, name, state, date1904, shared, styles, digest]
                keys[name] = (hashlib.sha256(json.dumps(identity).encode()).hexdigest(), state != "visible")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError,
            metadata.PackageNotFoundError):
        return None
    return keys or None


def _part_digest(package: zipfile.ZipFile, names: set[str], part: str | None) -> str:
    return hashlib.sha256(package.read(part)).hexdigest() if part in names else ""


def _date1904(workbook: ElementTree.Element) -> str:
    properties = workbook.find(f"{_MAIN}workbookPr")
    return "" if properties is None else properties.get("date1904", "")


# ---------------------------------------------------------------- values

_TAG = "$"


def _encode(value: object) -> dict:
    """Cell values JSON lacks, tagged by type (datetime is tested before its base class date)."""
    if isinstance(value, dt.datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {_TAG: "time", "v": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {_TAG: "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    raise TypeError(f"not cached: {type(value).__name__}")


_DECODERS = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "timedelta": lambda v: dt.timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
}


def _decode(obj: dict) -> object:
    return _DECODERS[obj[_TAG]](obj["v"]) if _TAG in obj else obj

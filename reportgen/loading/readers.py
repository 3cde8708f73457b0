"""Reading raw cells from an .xlsx workbook or a folder of CSV files; no typing happens here."""
from __future__ import annotations

import csv
import io
import os
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import IO

from reportgen.core.errors import WorkspaceError
from reportgen.loading.sheet_marks import SheetMarks, workbook_marks

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls and password-protected .xlsx are OLE compound files
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 reads GBK as Excel on Chinese Windows saves it
# Far beyond any county workbook (20,000 schools make sheets of ~30 MB and ~1 million strings):
# a part above these is refused before it is expanded (a small file can unpack to gigabytes).
MAX_PART_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_SHARED_STRINGS = 5_000_000
READER_ENV = "REPORTGEN_READER"  # "openpyxl": read every sheet with openpyxl (debugging, tests)
_SST_COUNT = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\buniqueCount="(\d+)"')


@dataclass
class RawSheet:
    """The non-blank rows of one sheet, each with the row number Excel shows."""

    file: str
    sheet: str
    rows: list[tuple[int, tuple]] = field(default_factory=list)
    hidden: bool = False
    marks: SheetMarks = field(default_factory=SheetMarks)  # merged, hidden, uncached formulas, percent cells


def read_workbook(path: Path, names: list[str] | None = None) -> dict[str, RawSheet]:
    """All sheets of an .xlsx file (or only ``names``), keyed by sheet name as written (spaces stripped).

    calamine reads the sheets it reads exactly as openpyxl would (``calamine_reader.py``);
    openpyxl reads the others, and all of them under ``REPORTGEN_READER=openpyxl``.
    """
    _check_package(path)
    fast = None
    if reader() == "calamine":
        from reportgen.loading.calamine_reader import only_sheets, read_exact

        fast = read_exact(path, names)
    if fast is None:
        return _read_openpyxl(path, names)
    rest = [name for name, raw in fast.items() if raw is None]
    slow = _read_openpyxl(path, rest, only_sheets(path, rest)) if rest else {}
    return {name.strip(): raw if raw is not None else slow[name.strip()]
            for name, raw in fast.items() if raw is not None or name.strip() in slow}


def reader() -> str:
    """"calamine" when python-calamine is installed, unless ``REPORTGEN_READER=openpyxl``."""
    if os.environ.get(READER_ENV, "").strip().lower() == "openpyxl" or find_spec("python_calamine") is None:
        return "openpyxl"
    return "calamine"


def reader_versions() -> list[str]:
    """What the rows read depend on, for the sheet cache's keys."""
    used = ["openpyxl"] + (["python-calamine"] if reader() == "calamine" else [])
    return [f"{name} {metadata.version(name)}" for name in used]


def _read_openpyxl(path: Path, names: list[str] | None, source: Path | IO[bytes] | None = None) -> dict[str, RawSheet]:
    """``source``: the package to open in place of ``path`` (with the same sheets in ``names``).

    openpyxl's warnings are not the user's business: a date serial out of range, for one, is
    read as the error value "#VALUE!", which the typed columns then report at its cell."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
        workbook = _open_workbook(path, source or path)
        try:
            sheets = {name.strip(): _raw_sheet(path.name, name.strip(), workbook[name])
                      for name in workbook.sheetnames if names is None or name in names}
        except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
            raise WorkspaceError(f"{path.name}：工作簿内容损坏，无法读取（{type(exc).__name__}），"
                                 "请在Excel中打开并另存为 .xlsx 后再试") from exc
        finally:
            workbook.close()
    for name, marks in workbook_marks(path, names).items():
        if name.strip() in sheets:
            sheets[name.strip()].marks = marks
    return sheets


def _check_package(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(4)
    if head == _OLE_MAGIC:
        raise WorkspaceError(f"{path.name}：文件设置了打开密码，或是旧版 .xls 格式；"
                             "请取消密码并另存为 Excel 工作簿(.xlsx)后再试")
    _check_expanded_size(path)


def _open_workbook(path: Path, source: Path | IO[bytes]):
    import openpyxl

    try:
        return openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a non-Excel file
        raise WorkspaceError(f"{path.name}：不是有效的 Excel 工作簿(.xlsx)，无法打开（{type(exc).__name__}）") from exc


def _check_expanded_size(path: Path) -> None:
    """Refuse a workbook whose parts would unpack to far more than any county workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            too_big = [p for p in parts if p.file_size > MAX_PART_BYTES]
            if too_big or sum(p.file_size for p in parts) > MAX_TOTAL_BYTES:
                part = (too_big or parts)[0]
                raise WorkspaceError(f"{path.name}：工作簿解压后过大（{part.filename} 为 "
                                     f"{part.file_size // 2**20} MB，上限 {MAX_PART_BYTES // 2**20} MB），"
                                     "不像县级工作簿；请检查文件是否正确，或删除多余的工作表后另存再试")
            _check_shared_strings(path, archive, parts)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: openpyxl gives its own message


def _check_shared_strings(path: Path, archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> None:
    for part in parts:
        if part.filename.lower().endswith("sharedstrings.xml"):
            with archive.open(part) as handle:
                match = _SST_COUNT.search(handle.read(4096))
            if match and int(match.group(1)) > MAX_SHARED_STRINGS:
                raise WorkspaceError(f"{path.name}：工作簿中的不同文字多达 {int(match.group(1)):,} 条"
                                     f"（上限 {MAX_SHARED_STRINGS:,} 条），不像县级工作簿；请检查文件是否正确")


def _raw_sheet(file: str, name: str, worksheet) -> RawSheet:
    raw = RawSheet(file, name, hidden=getattr(worksheet, "sheet_state", "visible") != "visible")
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if is_filled(values):
            raw.rows.append((number, values))
    return raw


def is_filled(values: tuple) -> bool:
    """A row is read when a cell holds more than white space."""
    return any(v is not None and (not isinstance(v, str) or v.strip()) for v in values)


def read_csv_folder(folder: Path, sheet_names: list[str]) -> dict[str, RawSheet]:
    """The CSV files of a folder named after sheets (学校.csv …), UTF-8 or GBK."""
    sheets = {}
    for name in sheet_names:
        path = folder / f"{name}.csv"
        if path.is_file():
            sheets[name] = _raw_csv(path, name)
    return sheets


def _raw_csv(path: Path, name: str) -> RawSheet:
    text = _decode(path)
    raw = RawSheet(path.name, name)
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text)), start=1):
            if any(v.strip() for v in values):
                raw.rows.append((number, tuple(values)))
    except csv.Error as exc:
        raise WorkspaceError(f"{path.name}：CSV 格式不正确（{exc}）") from exc
    return raw


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for encoding in _CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise WorkspaceError(f"{path.name}：无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV")

"""Deterministic .docx packages: same document in, same bytes out.

python-docx stamps every zip member with the current time and keeps whatever dates the
template's ``docProps/core.xml`` carries. ``deterministic_docx`` rewrites a package with fixed
member timestamps and order and drops the creation/modification/print dates, so rendering the
same inputs twice gives byte-identical files (and the committed templates are reproducible).
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FIRST_MEMBERS = ("[Content_Types].xml", "_rels/.rels")
CORE_PART = "docProps/core.xml"
_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
# Core properties that change from run to run or name a machine or person.
_VOLATILE = ("dcterms:created", "dcterms:modified", "cp:lastPrinted", "cp:lastModifiedBy")


def deterministic_docx(data: bytes) -> bytes:
    """The same package with fixed zip timestamps and member order and no volatile core dates."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    if CORE_PART in members:
        members[CORE_PART] = _stable_core(members[CORE_PART])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in _member_order(members):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            target.writestr(info, members[name])
    return out.getvalue()


def _member_order(members: dict[str, bytes]) -> list[str]:
    first = [name for name in FIRST_MEMBERS if name in members]
    return first + sorted(name for name in members if name not in FIRST_MEMBERS)


def _stable_core(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for tag in _VOLATILE:
        for element in root.findall(tag, _NS):
            root.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

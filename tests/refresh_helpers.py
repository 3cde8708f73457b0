"""Helpers for the refresh tests: change the example workbook like a person would, edit a report."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

WORKBOOK = "某县2025.xlsx"


def _column(sheet, header_start: str) -> int:
    for cell in sheet[1]:
        if str(cell.value or "").startswith(header_start):
            return cell.column
    raise KeyError(header_start)


def complete_one_item_and_change_area(workspace: Path) -> tuple[str, float]:
    """One 整改中 ledger item → 已完成 with a 销号日期; the first school's 体育运动场馆面积 doubled.
    Returns (the item's first cell, the new area)."""
    import openpyxl

    path = workspace / WORKBOOK
    book = openpyxl.load_workbook(path)
    ledger = book["整改台账"]
    state, closed = _column(ledger, "整改状态"), _column(ledger, "销号日期")
    row = next(r for r in range(2, ledger.max_row + 1) if ledger.cell(r, state).value == "整改中")
    ledger.cell(row, state).value = "已完成"
    ledger.cell(row, closed).value = dt.datetime(2025, 11, 20)
    schools = book["学校"]
    area = _column(schools, "体育运动场馆面积")
    new_area = float(schools.cell(2, area).value) * 2
    schools.cell(2, area).value = new_area
    book.save(path)
    return str(ledger.cell(row, 1).value), new_area


def save_with_libreoffice(path: Path) -> Path:
    """Open and save ``path`` as .docx with LibreOffice (a private profile), in place."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", 'docx:MS Word 2007 XML', "--outdir", f"{tmp}/out", str(path)],
                       check=True, capture_output=True, timeout=180)
        shutil.copyfile(Path(tmp) / "out" / path.name, path)
    return path


ADDED = "县委常委会专题听取整改工作汇报，这一段由人工添加。"
REWRITTEN = "本段由人工改写：县政府成立了整改工作领导小组。"


def edit_like_a_person(path: Path) -> dict:
    """Add a paragraph, rewrite one, delete one and move a section (the first 一级标题 section
    before the last one) with python-docx. Returns the texts to look for afterwards."""
    from docx import Document

    doc = Document(path)
    body = [p for p in doc.paragraphs if p.style.style_id == "Normal" and len(p.text) > 20
            and "%" not in p.text and "差异系数" not in p.text]
    rewritten, deleted, anchor = body[2], body[4], body[1]
    anchor.insert_paragraph_before(ADDED, style=anchor.style)
    for run in rewritten.runs[1:]:
        run._r.getparent().remove(run._r)
    rewritten.runs[0].text = REWRITTEN
    deleted_text = deleted.text
    deleted._p.getparent().remove(deleted._p)
    headings = [p for p in doc.paragraphs if p.style.style_id == "Heading1"]
    moved, section = headings[0], [headings[0]._p]
    node = moved._p.getnext()
    while node is not None and node is not headings[1]._p:
        section.append(node)
        node = node.getnext()
    for element in section:
        headings[-1]._p.addprevious(element)
    doc.save(path)
    return {"added": ADDED, "rewritten": REWRITTEN, "deleted": deleted_text, "moved": moved.text,
            "moved_before": headings[-1].text}


def paragraph_texts(path: Path) -> list[str]:
    from docx import Document

    return [p.text for p in Document(path).paragraphs]


def unbind(figure) -> None:
    """What Word does when a person selects a figure and types over it: the bookmark goes."""
    key = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}id"
    end = next(n for n in figure.start.itersiblings()
               if n.tag.endswith("}bookmarkEnd") and n.get(key) == figure.start.get(key))
    end.getparent().remove(end)
    figure.start.getparent().remove(figure.start)

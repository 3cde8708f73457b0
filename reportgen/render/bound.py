"""Anchors that let ``reportgen refresh`` find generated content again after a person edits a report.

* A **figure** (every computed number printed in a sentence, a table cell or a caption) stands
  between the two ends of a hidden bookmark (``w:bookmarkStart``/``w:bookmarkEnd`` around its
  run) named ``_rg<digest of the figure id>_<n>``. Bookmarks change nothing that shows or prints,
  python-docx, Word, WPS and LibreOffice keep them on save, and they move with their text.
  Why not a content control (``w:sdt``): LibreOffice 7.4 drops ``w:tag`` on save and, worse,
  writes a run-level control whose text mixes Latin digits and Chinese ("1856.3平方公里") as
  three controls repeating the text, which changes what the document says. A hidden bookmark
  survives both suites unchanged; a copied paragraph loses it (names are unique), so the copy
  is left as the person wrote it.
* A **generated table** carries a hidden bookmark ``_rgt<digest of key>_<digest of its text>``
  in its first cell. When the text still has that digest, the person did not edit the table and
  refresh may replace it.
* A **chart** carries its key and a digest of its picture in the picture's description
  (``wp:docPr/@descr`` = ``reportgen:chart:<key>:<digest>``), which both suites keep.

Bookmark names are at most 40 characters (Word's limit); ``number_anchors`` gives every
bookmark of a rendered document its occurrence number and id, in document order (deterministic).
The readers work on lxml elements, so they apply to any ``.docx`` body, whoever saved it.
"""
from __future__ import annotations

import hashlib
from typing import Iterator

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FIGURE_MARK = "_rg"
TABLE_MARK = "_rgt"
CHART_MARK = "reportgen:chart:"
_FIRST_ID = 1000   # above the ids a template's own bookmarks use


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _el(tag: str, **attrs: str):
    from docx.oxml import OxmlElement

    element = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        element.set(_w(key), value)
    return element


def short_digest(text: str | bytes, size: int = 12) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:size]


def figure_anchor(fig_id: str) -> str:
    """The bookmark name (without occurrence number) of figure ``fig_id``."""
    return f"{FIGURE_MARK}{short_digest(fig_id)}"


# ---------------------------------------------------------------- writing (render time)

def bind_figure(run, fig_id: str) -> None:
    """Put the python-docx ``run`` of figure ``fig_id`` between the ends of its bookmark."""
    _wrap(run._r, run._r, figure_anchor(fig_id))


def _wrap(first, last, name: str) -> None:
    first.addprevious(_el("bookmarkStart", id="0", name=name))
    last.addnext(_el("bookmarkEnd", id="0"))


def mark_table(grid, key: str) -> None:
    """Key and text digest of a generated python-docx table, as a bookmark in its first cell."""
    paragraph = grid._tbl.find(f".//{_w('p')}")
    name = f"{TABLE_MARK}{short_digest(key, 8)}_{table_digest(grid._tbl)}"
    paragraph.append(_el("bookmarkStart", id="0", name=name))
    paragraph.append(_el("bookmarkEnd", id="0"))


def mark_chart(paragraph, key: str, png: bytes) -> None:
    """Key and picture digest of a chart, in the description of its picture."""
    for doc_pr in paragraph._p.iter(f"{_WP}docPr"):
        doc_pr.set("descr", f"{CHART_MARK}{key}:{short_digest(png, 16)}")


_C_CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}chart"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def mark_native_charts(paragraph, key: str) -> None:
    """Key and chart-part digest of each native chart in ``paragraph`` (a two-panel chart's parts
    are ``key#1`` and ``key#2``), in the description of its drawing."""
    for number, inline in enumerate(paragraph._p.iter(f"{_WP}inline"), 1):
        rid = next(el.get(_R_ID) for el in inline.iter(_C_CHART))
        blob = paragraph.part.related_parts[rid].blob
        inline.find(f"{_WP}docPr").set("descr", f"{CHART_MARK}{key}#{number}:{short_digest(blob, 16)}")


def number_anchors(body) -> None:
    """Unique names and ids for the bookmarks written above (start and end are written in pairs
    around one run or in one paragraph, so an end is the next end after its start)."""
    seen: dict[str, int] = {}
    next_id = _FIRST_ID
    pending: list = []
    for node in body.iter(_w("bookmarkStart"), _w("bookmarkEnd")):
        if node.get(_w("id")) != "0":
            continue
        if node.tag == _w("bookmarkStart"):
            name = node.get(_w("name"))
            if name.startswith(FIGURE_MARK) and not name.startswith(TABLE_MARK):
                seen[name] = seen.get(name, 0) + 1
                node.set(_w("name"), f"{name}_{seen[name]}")
            node.set(_w("id"), str(next_id))
            pending.append(next_id)
            next_id += 1
        else:
            node.set(_w("id"), str(pending.pop(0)))


_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


# ---------------------------------------------------------------- reading (refresh time)

def text_of(element) -> str:
    """The text of an element as it reads: every ``w:t``, tabs and breaks."""
    parts = []
    for node in element.iter(_w("t"), _w("tab"), _w("br"), _w("cr")):
        if node.tag == _w("tab") and node.getparent().tag != _w("r"):
            continue   # a tab stop of the paragraph's properties, not a character
        parts.append(node.text or "" if node.tag == _w("t") else ("\t" if node.tag == _w("tab") else "\n"))
    return "".join(parts)


def table_digest(tbl) -> str:
    """Digest of a table's text by row and cell: unchanged unless a person changed what it says."""
    rows = ["\t".join(text_of(tc) for tc in tr.iter(_w("tc"))) for tr in tbl.iter(_w("tr"))]
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()[:16]


class BoundFigure:
    """One bound figure found in a document: its bookmark and the runs between the bookmark's ends."""

    def __init__(self, anchor: str, start, runs: list):
        self.anchor = anchor   # figure_anchor(id): the bookmark name without its occurrence number
        self.start = start
        self.runs = runs

    @property
    def text(self) -> str:
        return "".join(text_of(run) for run in self.runs)

    @property
    def paragraph(self):
        return self.start.getparent()

    def set_text(self, text: str) -> None:
        """Replace the figure's text, keeping the formatting of its first run."""
        texts = [t for run in self.runs for t in run.iter(_w("t"))]
        for extra in texts[1:]:
            extra.getparent().remove(extra)
        texts[0].text = text


def bound_figures(root) -> list[BoundFigure]:
    """Every bound figure under ``root`` that still has text, in document order (a bookmark a
    person emptied by retyping the figure is no longer a binding)."""
    found = []
    for start in root.iter(_w("bookmarkStart")):
        name = start.get(_w("name")) or ""
        base, _, number = name.rpartition("_")
        if not base.startswith(FIGURE_MARK) or base.startswith(TABLE_MARK) or not number.isdigit():
            continue
        runs = _runs_until_end(start)
        if any(any(True for _ in run.iter(_w("t"))) for run in runs):
            found.append(BoundFigure(base, start, runs))
    return found


def _runs_until_end(start) -> list:
    runs, node = [], start.getnext()
    while node is not None:
        if node.tag == _w("bookmarkEnd") and node.get(_w("id")) == start.get(_w("id")):
            return runs
        if node.tag == _w("r"):
            runs.append(node)
        node = node.getnext()
    return []   # the end is elsewhere (paragraphs merged or split by hand): not a usable binding


def marked_tables(root) -> Iterator[tuple[str, str, object]]:
    """``(digest of the table key, recorded text digest, w:tbl)`` of every generated table."""
    for start in root.iter(_w("bookmarkStart")):
        name = start.get(_w("name")) or ""
        if name.startswith(TABLE_MARK):
            key, _, digest = name[len(TABLE_MARK):].partition("_")
            tbl = next((a for a in start.iterancestors(_w("tbl"))), None)
            if tbl is not None:
                yield key, digest, tbl


def marked_charts(root) -> Iterator[tuple[str, str, str]]:
    """``(chart key, recorded picture digest, relationship id of the picture)`` of every chart."""
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    blip = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
    embed = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
    for inline in root.iter(f"{wp}inline", f"{wp}anchor"):
        doc_pr = inline.find(f"{wp}docPr")
        descr = doc_pr.get("descr", "") if doc_pr is not None else ""
        if not descr.startswith(CHART_MARK):
            continue
        key, _, digest = descr[len(CHART_MARK):].rpartition(":")
        for picture in inline.iter(blip):
            yield key, digest, picture.get(embed)
        for chart in inline.iter(_C_CHART):  # a native chart: its chart part
            yield key, digest, chart.get(_R_ID)

"""The neutral report model: what a builder hands to a renderer, inspectable without Word.

A report is a title, metadata for the fixed parts of the template (signature, date, 主送机关),
a tree of ``Section``s holding ``Paragraph``s, ``Table``s and ``Chart``s, and ``Attachment``s.
Nothing here knows about Word: ``reportgen.render`` turns a model into a .docx (and could turn it
into HTML). Computed numbers stand in the text as figure references (``FigureBook.put`` returns
the printed text wrapped in markers; see ``figure_parts``), so a renderer can anchor every figure
and the figure record knows where each one stands.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Literal, Mapping, Union

# A figure reference inside text: FIG_OPEN id FIG_SEP printed-text FIG_CLOSE (private-use code
# points, never typed by a person, stripped wherever the text leaves the model as plain text).
FIG_OPEN, FIG_SEP, FIG_CLOSE = "\ue000", "\ue001", "\ue002"
_FIGURE = re.compile(f"{FIG_OPEN}([^{FIG_SEP}]*){FIG_SEP}([^{FIG_CLOSE}]*){FIG_CLOSE}")


def figure_ref(fig_id: str, text: str) -> str:
    """``text`` marked as the printed form of figure ``fig_id``."""
    return f"{FIG_OPEN}{fig_id}{FIG_SEP}{text}{FIG_CLOSE}"


def plain_text(text: str) -> str:
    """``text`` with figure references replaced by their printed text."""
    return _FIGURE.sub(r"\2", text) if FIG_OPEN in text else text


@dataclass(frozen=True)
class FigureRef:
    id: str
    text: str


def figure_parts(text: str) -> list[str | FigureRef]:
    """``text`` split into literal strings and the figure references standing in it."""
    if FIG_OPEN not in text:
        return [text] if text else []
    parts: list[str | FigureRef] = []
    last = 0
    for match in _FIGURE.finditer(text):
        if match.start() > last:
            parts.append(text[last:match.start()])
        parts.append(FigureRef(match.group(1), match.group(2)))
        last = match.end()
    if last < len(text):
        parts.append(text[last:])
    return parts


ParagraphRole = Literal["body", "keep_next", "heading3"]


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of text (figure references embedded). ``keep_next``: kept on the page of
    what follows (a lead-in before a table); ``heading3``: a 三级标题 such as "问题1：…"."""

    text: str
    role: ParagraphRole = "body"

    @property
    def plain(self) -> str:
        return plain_text(self.text)


@dataclass(frozen=True)
class Column:
    header: str                # may contain "\n"
    width: float               # millimetres of the 156 mm 版心 (scaled to fit)
    left: bool = False         # left-aligned text (names, descriptions)


@dataclass(frozen=True)
class Table:
    """A table with a repeating header row; rows never split across pages."""

    key: str                                   # stable name, e.g. "primary_indicators" (figure record: table:<key>)
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None                 # 表题 ("表1 …"), numbered by the builder
    name: str = ""                             # name in the 变更说明 when there is no caption
    head_rows: tuple[tuple[str, ...], ...] = ()   # literal rows right under the header (standards)
    total: tuple[str, ...] | None = None       # last row; its first cell spans ``total_span`` columns
    total_span: int = 1
    note: str | None = None
    small: bool = False                        # 小5号 text for dense tables
    keep_together: bool = False                # a short table kept on one page

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in (*self.head_rows, *self.rows):
            if len(row) != width:
                raise ValueError(f"table {self.key}: a row has {len(row)} cells for {width} columns")


@dataclass(frozen=True)
class Chart:
    """A chart described as data; the render layer draws it (cached by content hash).

    ``kind`` names the drawing function (``reportgen.render.charts.DRAWERS``); ``data`` is its
    JSON-ready input with every printed number already formatted by the builder."""

    key: str                 # stable id, e.g. "chart_cv_primary"
    kind: str                # e.g. "cv_bars"
    caption: str             # "图1 小学各指标差异系数" (numbered by the builder)
    data: dict


# Kept for code written against the first model.
ChartSpec = Chart

Block = Union[Paragraph, Table, Chart]


@dataclass(frozen=True)
class Section:
    """A heading (level 1 一、 / 2 （一） / 3 1.) with its blocks, then its subsections."""

    heading: str
    blocks: tuple[Block, ...] = ()
    children: tuple["Section", ...] = ()
    level: int = 1
    key: str = ""            # stable name for templates and tests, e.g. "problems"

    def walk(self) -> Iterator["Section"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def paragraphs(self) -> list[str]:
        """Plain text of this section's own paragraphs (not its subsections')."""
        return [b.plain for b in self.blocks if isinstance(b, Paragraph)]


@dataclass(frozen=True)
class Attachment:
    """附件N on a new page: its mark, title and blocks."""

    mark: str                # "附件1" (or "附件" when there is only one)
    title: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class ReportModel:
    """One report ready to render."""

    name: str                # report id used on the command line: 履职自评 / 优质均衡 / 整改报告
    title: str               # document title
    filename: str            # output file name, e.g. "某县2025年履行教育职责自评报告.docx"
    template: str            # template file name inside templates_docx/
    opening: tuple[Block, ...] = ()            # paragraphs before the first heading
    sections: tuple[Section, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    meta: Mapping[str, object] = field(default_factory=dict)   # plain data for the template's fixed parts: unit, date…
    figures: tuple[dict, ...] = ()             # FigureBook.records()
    warnings: tuple[str, ...] = ()
    printed_title: str = ""  # the title as printed, "\n" where it breaks between words ("" = ``title``)

    @property
    def heading(self) -> str:
        return self.printed_title or self.title

    @property
    def attachment_list(self) -> str:
        """The text after "附件：" in the 附件说明."""
        return attachment_list([a.title for a in self.attachments])

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(b for b in self.blocks() if isinstance(b, Chart))

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks() if isinstance(b, Table))

    def blocks(self) -> Iterator[Block]:
        yield from self.opening
        for top in self.sections:
            for section in top.walk():
                yield from section.blocks
        for attachment in self.attachments:
            yield from attachment.blocks

    def place_names(self) -> dict[str, str]:
        """The figure record's places ("table:<key>", "chart:<key>") by the name a reader sees:
        a table's or chart's title without its number, or the table's name."""
        names = {"sentence": "正文"}
        for block in self.blocks():
            if isinstance(block, Table):
                names[f"table:{block.key}"] = _unnumbered(block.caption) or block.name or block.key
            elif isinstance(block, Chart):
                names[f"chart:{block.key.removeprefix('chart_')}"] = _unnumbered(block.caption)
        return names

    def section(self, key: str) -> Section:
        """The section (at any depth) with this key or heading."""
        for top in self.sections:
            for section in top.walk():
                if key in (section.key, section.heading):
                    return section
        raise KeyError(key)

    def text(self) -> str:
        """All paragraph text in reading order (figure references resolved): for tests and search."""
        parts = [self.heading]
        parts += [b.plain for b in self.opening if isinstance(b, Paragraph)]
        for top in self.sections:
            for section in top.walk():
                parts.append(plain_text(section.heading))
                parts += section.paragraphs()
        return "\n".join(parts)


def _unnumbered(caption: str | None) -> str:
    """"表1 某县小学…" → "某县小学…"."""
    return re.sub(r"^[表图]\d+\s*", "", caption or "")


def attachment_list(titles: list[str]) -> str:
    """The one title, or "1.名称" lines for several (GB/T 9704 7.3.4)."""
    if len(titles) == 1:
        return titles[0]
    return "\n".join(f"{i}.{t}" for i, t in enumerate(titles, 1))


def paragraphs(texts: list[str], role: ParagraphRole = "body", keep_last: bool = False) -> tuple[Paragraph, ...]:
    """Body paragraphs from strings; ``keep_last`` keeps the last one with what follows."""
    out = [Paragraph(t, role) for t in texts]
    if keep_last and out:
        out[-1] = Paragraph(out[-1].text, "keep_next")
    return tuple(out)

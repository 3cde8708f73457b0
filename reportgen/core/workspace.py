"""The loaded workspace: typed tables with canonical columns, ready for analysis."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.core.errors import InputIssue
from reportgen.core.schema import SHEETS
from reportgen.core.settings import Settings

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Workspace:
    root: Path
    settings: Settings
    info: dict[str, object]
    tables: dict[str, "pd.DataFrame"]
    origin: dict[str, tuple[str, str]] = field(default_factory=dict)
    warnings: tuple[InputIssue, ...] = ()
    # 文字材料 sections the report builders asked for (see ``unused_texts``)
    texts_read: set[str] = field(default_factory=set, compare=False, repr=False)

    @classmethod
    def from_tables(cls, info: dict | None = None, tables: dict | None = None,
                    settings: Settings | None = None, root: Path | None = None) -> "Workspace":
        """Build a workspace in memory (tests, generators): missing sheets and columns are added empty."""
        from reportgen.loading.frames import complete_table

        tables = tables or {}
        full = {s.name: complete_table(s, tables.get(s.name)) for s in SHEETS if not s.key_value}
        origin = {name: ("(内存)", name) for name in full}
        return cls(root or Path("."), settings or Settings(), dict(info or {}), full, origin)

    @property
    def region(self) -> str:
        return str(self.info.get("地区名称") or "")

    @property
    def year(self) -> int | None:
        year = self.info.get("评价年度")
        return int(year) if isinstance(year, (int, float, str)) else None

    @property
    def schools(self) -> "pd.DataFrame":
        return self.tables["学校"]

    @property
    def classes(self) -> "pd.DataFrame":
        """The 义务教育 classes (grades 1–9) every balance and class-size rule reads; the 班级
        sheet's 高一–高三 and kindergarten rows are in ``tables["班级"]``."""
        from reportgen.core.schema import COMPULSORY_GRADE_CODES

        classes = self.tables["班级"]
        return classes[classes["年级"].isin(COMPULSORY_GRADE_CODES)]

    @property
    def kindergartens(self) -> "pd.DataFrame":
        return self.tables["幼儿园"]

    @property
    def funding(self) -> "pd.DataFrame":
        return self.tables["经费"]

    @property
    def county(self) -> "pd.DataFrame":
        return self.tables["县级指标"]

    @property
    def ledger(self) -> "pd.DataFrame":
        return self.tables["整改台账"]

    @property
    def points(self) -> "pd.DataFrame":
        return self.tables["测评点"]

    @property
    def texts(self) -> "pd.DataFrame":
        return self.tables["文字材料"]

    def county_value(self, name: str) -> float | None:
        """A 县级指标 value by its name, or None when not reported."""
        rows = self.county[self.county["指标"] == name]
        if rows.empty:
            return None
        value = rows["值"].iloc[0]
        return None if value != value else float(value)

    def text_for(self, section: str) -> list[str]:
        """The user's paragraphs for a 文字材料 section, in order."""
        self.texts_read.add(section)
        rows = self.texts[self.texts["章节"] == section]
        return [str(t) for t in rows["内容"] if t]

    def unused_texts(self) -> list[InputIssue]:
        """Warnings for 文字材料 rows whose 章节 no report asked for: a misspelt section name
        would otherwise drop the user's text without a word."""
        texts = self.texts[~self.texts["章节"].isin(self.texts_read) & self.texts["章节"].notna()]
        file, sheet = self.origin.get("文字材料", ("", "文字材料"))
        known = "、".join(sorted(self.texts_read))
        return [InputIssue(file, sheet, int(row), "章节", name,
                           f"没有报告使用这个章节名，这段文字不会出现在报告中；可用的章节名：{known}", "警告")
                for name, row in zip(texts["章节"], texts["_row"])]

    def where(self, sheet: str, row: int | None = None, column: str | None = None) -> str:
        """A human location: 某县2025.xlsx 工作表「学校」第5行 列「图书册数」."""
        file, name = self.origin.get(sheet, ("", sheet))
        parts = [file, f"工作表「{name}」"]
        if row is not None:
            parts.append(f"第{row}行")
        if column:
            parts.append(f"列「{column}」")
        return " ".join(p for p in parts if p)

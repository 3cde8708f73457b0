"""核对清单: the consistency check's findings as a short document published beside the reports.

It lists what a person wrote that the data contradict (``reportgen.analysis.consistency``); it
changes nothing in the reports, which print the person's text as written.
"""
from __future__ import annotations


from reportgen.analysis.consistency import Finding, check_consistency
from reportgen.core.workspace import Workspace
from reportgen.reports.common import signed
from reportgen.reports.model import Column, ReportModel, Section, Table, paragraphs

CHECKLIST_FILE = "核对清单.docx"
CHECKLIST_TEMPLATE = "核对清单.docx"
CHECKLIST_COLUMNS = (Column("位置", 26, left=True), Column("原文", 56, left=True), Column("填写", 30, left=True),
                     Column("数据计算结果", 44, left=True))


def checklist_model(ws: Workspace, analysis: dict) -> ReportModel:
    """The findings as a table; their lines are the model's warnings (printed by ``build``)."""
    findings = check_consistency(ws, analysis)
    sections: tuple[Section, ...] = ()
    if findings:
        opening = (f"经将填写的文字材料、整改台账、测评点和情况说明中的数字与数据计算结果逐项核对，"
                   f"发现{len(findings)}处不一致。报告照原文印出，请逐条核对后修改工作簿并重新生成。")
        sections = (Section("一、不一致之处", (Table("consistency", CHECKLIST_COLUMNS, _rows(findings), small=True),),
                            key="findings"),)
    else:
        opening = "经将填写的文字中的数字与数据计算结果逐项核对，未发现不一致。"
    meta = signed(ws)
    return ReportModel("核对清单", f"{ws.region}{ws.year or ''}年督导报告数据核对清单", CHECKLIST_FILE,
                       CHECKLIST_TEMPLATE, opening=paragraphs([opening]), sections=sections, meta=meta,
                       warnings=tuple(str(f) for f in findings))


def _rows(findings: list[Finding]) -> tuple[tuple[str, ...], ...]:
    return tuple((f.place.removeprefix("工作表"), f.text, f.stated, f.computed + (f"（{f.figure}）" if f.figure else ""))
                 for f in findings)

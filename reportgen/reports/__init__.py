"""The reports reportgen builds: one ``ReportSpec`` each, read by the CLI, the build and the 变更说明.

Adding a report type is a builder module (``build_model(ws, analysis) -> ReportModel``), a
template, and one ``register(ReportSpec(...))`` (here for the built-in ones; docs/architecture.md
has the recipe). A module that also has ``build_models(ws, analysis) -> list[ReportModel]`` gives
several reports (or none) under one id: the 评估方案自评 report gives one per chosen 评估方案.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from reportgen.core.errors import ReportgenError

if TYPE_CHECKING:
    from reportgen.core.workspace import Workspace
    from reportgen.reports.model import ReportModel


@dataclass(frozen=True)
class ReportSpec:
    id: str                          # the name on the command line, e.g. 履职自评
    title: str                       # the kind of document, e.g. 履行教育职责自评报告 (messages, 变更说明)
    module: str                      # builder module, imported when the report is built
    template: str                    # template file name in templates_docx/
    aliases: tuple[str, ...] = ()    # other names accepted on the command line
    sheets: tuple[str, ...] = ()     # workbook sheets the report reads

    def build(self, ws: "Workspace", analysis: dict) -> "ReportModel":
        return import_module(self.module).build_model(ws, analysis)

    def build_all(self, ws: "Workspace", analysis: dict) -> list["ReportModel"]:
        """Every report of this type for the workspace (``build_models`` when the module has it)."""
        module = import_module(self.module)
        if hasattr(module, "build_models"):
            return module.build_models(ws, analysis)
        return [module.build_model(ws, analysis)]

    def unavailable(self, ws: "Workspace", analysis: dict) -> str | None:
        """Why the workspace cannot give this report (a builder's ``unavailable``), else None."""
        check = getattr(import_module(self.module), "unavailable", None)
        return check(ws, analysis) if check else None


REGISTRY: dict[str, ReportSpec] = {}


def register(spec: ReportSpec) -> ReportSpec:
    """Add a report type (its id and aliases must be new)."""
    taken = {spec.id, *spec.aliases} & ({*REGISTRY} | {a for s in REGISTRY.values() for a in s.aliases})
    if taken:
        raise ValueError(f"report name(s) already registered: {sorted(taken)}")
    REGISTRY[spec.id] = spec
    return spec


def unregister(report_id: str) -> None:
    REGISTRY.pop(report_id, None)


register(ReportSpec("履职自评", "履行教育职责自评报告", "reportgen.reports.duty", "履行教育职责自评报告.docx",
                    aliases=("履行教育职责自评报告", "履职", "duty"),
                    sheets=("基本信息", "学校", "班级", "经费", "县级指标", "整改台账", "测评点", "文字材料")))
register(ReportSpec("优质均衡", "优质均衡发展自评报告", "reportgen.reports.quality", "优质均衡发展自评报告.docx",
                    aliases=("优质均衡发展自评报告", "quality"),
                    sheets=("基本信息", "学校", "班级", "经费", "县级指标", "文字材料")))
register(ReportSpec("整改报告", "整改报告", "reportgen.reports.rectification", "整改报告.docx",
                    aliases=("整改", "rectification"), sheets=("基本信息", "整改台账", "文字材料")))
register(ReportSpec("评估方案自评", "评估方案自评报告", "reportgen.reports.scheme", "评估方案自评报告.docx",
                    aliases=("评估方案自评报告", "评估方案", "scheme"),
                    sheets=("基本信息", "学校", "班级", "经费", "县级指标", "测评点", "文字材料")))
register(ReportSpec("学前普惠", "县域学前教育普及普惠发展自评报告", "reportgen.reports.preschool",
                    "学前教育普及普惠发展自评报告.docx",
                    aliases=("学前", "学前教育普及普惠", "县域学前教育普及普惠发展自评报告", "preschool"),
                    sheets=("基本信息", "幼儿园", "班级", "县级指标", "情况说明", "文字材料")))


def spec(report_id: str) -> ReportSpec:
    return REGISTRY[report_id]


def report_ids(names: list[str] | None) -> list[str]:
    """Resolve command-line names (or 'all') to report ids, in the registry's order."""
    if not names or "all" in names:
        return list(REGISTRY)
    aliases = {a: s.id for s in REGISTRY.values() for a in (s.id, *s.aliases)}
    ids = []
    for name in names:
        if name not in aliases:
            raise ReportgenError(f"不认识的报告「{name}」，可选：{'、'.join(REGISTRY)} 或 all")
        ids.append(aliases[name])
    return list(dict.fromkeys(ids))


def report_title(report_id: str) -> str:
    """The kind of document a report id names (履职自评 → 履行教育职责自评报告); unknown ids as they are."""
    found = REGISTRY.get(report_id)
    return found.title if found else report_id


def buildable(ids: list[str], ws: "Workspace", analysis: dict) -> tuple[list[str], list[str]]:
    """The ids the workspace can give, and a note for each left out. With every report asked
    (``all``) a report without its data is left out with a note; asked by name, it is an error."""
    reasons = {rid: REGISTRY[rid].unavailable(ws, analysis) for rid in ids}
    missing = {rid: why for rid, why in reasons.items() if why}
    if missing and set(ids) != set(REGISTRY):
        raise ReportgenError("；".join(f"无法生成{report_title(rid)}：{why}" for rid, why in missing.items()))
    notes = [f"未生成{report_title(rid)}：{why}" for rid, why in missing.items()]
    return [rid for rid in ids if rid not in missing], notes


def build_report(report_id: str, ws: "Workspace", analysis: dict) -> "ReportModel":
    """Build one report model from the workspace and its analysis."""
    return REGISTRY[report_id].build(ws, analysis)


def build_reports(ids: list[str], ws: "Workspace", analysis: dict) -> list["ReportModel"]:
    """The models of these report ids, in order. A type that gives no report for this workspace
    (no 评估方案 chosen) is skipped, unless it is the only one asked for: then its builder says why."""
    models: list["ReportModel"] = []
    for rid in ids:
        built = REGISTRY[rid].build_all(ws, analysis)
        models += built or ([build_report(rid, ws, analysis)] if len(ids) == 1 else [])
    return models


def workspace_models(ids: list[str], ws: "Workspace", analysis: dict) -> tuple[list["ReportModel"], list[str]]:
    """The models of the reports this workspace can give among ``ids``, and a note for each left out."""
    built, notes = buildable(ids, ws, analysis)
    return build_reports(built, ws, analysis), notes

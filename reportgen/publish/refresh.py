"""``reportgen refresh``: put the current figures into a report a person edited, keeping the edits.

A rendered report binds every figure with a hidden bookmark, every generated table and chart
with its key and a digest (``reportgen.render.bound``). Refreshing renders the report anew from
the current data, then, in the person's document:

* every bound figure gets the text it has in the new rendering (same bookmark name, i.e. same
  figure at the same occurrence; else the figure's first occurrence);
* a generated table or chart whose digest still matches (the person did not edit it) is replaced
  by its new version; an edited one is kept and listed;
* everything else (added, deleted, rewritten or moved paragraphs, formatting, comments, tracked
  changes) is left exactly as it is.

The list of what happened (figures updated old → new with their place, figures no longer in the
document, sentences whose verdict words may no longer hold, tables and charts kept) is printed
and written beside the result. ``build`` uses ``merge`` for a report edited since the last build.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.core.errors import ReportgenError

# Words that state a verdict; a sentence holding one next to a changed figure may no longer be true.
VERDICT_WORDS = ("达标", "均达到", "全部", "均不超过", "均不低于", "均符合", "均已", "均高于", "均低于", "100%")
LIST_SUFFIX = "-更新清单.txt"


@dataclass
class RefreshResult:
    report: str                                          # report title
    updated: list[str] = field(default_factory=list)     # "名称：旧 → 新（位置）"
    missing: list[str] = field(default_factory=list)     # figures of the report no longer bound in the document
    gone: list[str] = field(default_factory=list)        # bound figures the data no longer has
    verdicts: list[str] = field(default_factory=list)    # sentences to re-read
    replaced: list[str] = field(default_factory=list)    # tables/charts replaced by their current version
    kept: list[str] = field(default_factory=list)        # tables/charts the person edited: kept
    out: Path | None = None
    kept_copy: Path | None = None
    list_file: Path | None = None

    def lines(self) -> list[str]:
        lines = [f"已更新报告「{self.report}」中的数字，保留了文档中的其他修改。"]
        if self.out:
            lines.append(f"已写入：{self.out}")
        if self.kept_copy:
            lines.append(f"修改前的文档已保留：{self.kept_copy}")
        sections = (("数字已更新", self.updated), ("文档中已找不到的数字（可能已删除或手工改写，未更新）", self.missing),
                    ("数据中已没有的数字（文档中保持原样）", self.gone), ("请核对结论用语（其中的数字已变化）", self.verdicts),
                    ("已换为最新版本的表格和图表", self.replaced), ("已被修改、保持原样的表格和图表", self.kept))
        for title, items in sections:
            lines.append(f"{title}：{len(items)}处" if items else f"{title}：无")
            lines += [f"  {item}" for item in items]
        return lines


def refresh(edited: Path, workspace: Path, out: Path | None = None) -> RefreshResult:
    """Refresh ``edited`` with the workspace's current data; without ``out`` the file is
    refreshed in place after a copy of it is kept in 历史版本 beside it."""
    from reportgen.publish.build import atomic_write

    edited = Path(edited)
    doc = _open(edited)
    if not _is_bound(doc):
        raise ReportgenError(f"「{edited.name}」不是由 reportgen 生成的报告（文档中没有 reportgen 的数字标记），无法更新；"
                             "请用 reportgen build 生成报告后再在其上修改")
    models, out_dir, render = _current(workspace)
    model = _matching_model(doc, edited.name, models)
    fresh = render(model)
    data, result = merge(doc, fresh, model)
    target = Path(out) if out else edited
    if out is None:
        result.kept_copy = _keep_copy(edited)
    atomic_write(target, data)
    result.out = target
    result.list_file = target.with_name(target.stem + LIST_SUFFIX)
    atomic_write(result.list_file, ("\n".join(result.lines()) + "\n").encode("utf-8"))
    return result


def publish_refreshed(edited: Path, workspace: Path) -> RefreshResult:
    """Refresh an uploaded copy into the workspace's output folder under its own name; a file
    of that name already there is kept in 历史版本 first (the web page's upload)."""
    from reportgen.core.settings import load_settings
    from reportgen.loading import locate

    root, _ = locate(Path(workspace))
    target = root / load_settings(root).output_dir / Path(edited).name
    if target.exists():
        kept = _keep_copy(target)
    else:
        kept = None
        target.parent.mkdir(parents=True, exist_ok=True)
    result = refresh(edited, workspace, target)
    result.kept_copy = kept
    return result


def merge(doc, fresh: bytes, model) -> tuple[bytes, RefreshResult]:
    """The person's python-docx ``doc`` with the figures, tables and charts of the freshly
    rendered ``fresh`` (.docx bytes of ``model``), and what was done."""
    from docx import Document

    from reportgen.render.bound import marked_tables, table_digest

    new = Document(io.BytesIO(fresh))
    body, new_body = doc.element.body, new.element.body
    result = RefreshResult(model.title)
    labels = _labels(model)
    untouched = [(key, tbl) for key, digest, tbl in marked_tables(body) if table_digest(tbl) == digest]
    edited_tables = [key for key, digest, tbl in marked_tables(body) if table_digest(tbl) != digest]
    _update_figures(body, new_body, labels, result)
    _replace_tables(untouched, {key: tbl for key, _, tbl in marked_tables(new_body)}, model, result)
    result.kept += [f"表格（{_place_of(key, model, 'table')}）" for key in edited_tables]
    _replace_charts(doc, new, model, result)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue(), result


# ------------------------------------------------------------------ figures

def _update_figures(body, new_body, labels: dict, result: RefreshResult) -> None:
    from reportgen.render.bound import bound_figures, text_of

    fresh = {f.start.get(_name_attr()): f for f in bound_figures(new_body)}
    first = {}
    for figure in fresh.values():
        first.setdefault(figure.anchor, figure)
    present = set()   # bookmark names still bound in the person's document
    for figure in bound_figures(body):
        name = figure.start.get(_name_attr())
        current = fresh.get(name) or first.get(figure.anchor)
        label, place = labels.get(figure.anchor, ("", ""))
        if current is None:
            result.gone.append(f"{figure.text}（{text_of(figure.paragraph)[:40]}）")
            continue
        present.add(name)
        old, now = figure.text, current.text
        if old == now:
            continue
        figure.set_text(now)
        result.updated.append(f"{label}：{old} → {now}（{place}）")
        sentence = text_of(figure.paragraph)
        if any(word in sentence for word in VERDICT_WORDS):
            result.verdicts.append(f"{label}：{sentence}")
    for name, figure in fresh.items():   # deleted, or retyped by hand (the binding went with the text)
        if name not in present:
            label, place = labels.get(figure.anchor, (figure.anchor, ""))
            result.missing.append(f"{label}：现为{figure.text}（{place}；新生成的报告中为：{text_of(figure.paragraph)[:30]}…）")


def _name_attr() -> str:
    from reportgen.render.bound import W

    return f"{{{W}}}name"


def _labels(model) -> dict[str, tuple[str, str]]:
    """Figure anchor → (Chinese name with id, place) from the model's figure record."""
    from reportgen.render.bound import figure_anchor

    labels = {}
    for fig in model.figures:
        label = fig.get("label") or fig["id"]
        name = label if label == fig["id"] else f"{label}（{fig['id']}）"
        place = "·".join(p for p in (fig.get("section"), fig.get("place") or fig.get("where")) if p)
        labels.setdefault(figure_anchor(fig["id"]), (name, place))
    return labels


# ------------------------------------------------------------------ tables and charts

def _replace_tables(untouched: list, fresh: dict, model, result: RefreshResult) -> None:
    from reportgen.render.bound import table_digest

    for key, tbl in untouched:
        new = fresh.get(key)
        if new is None or table_digest(new) == table_digest(tbl):
            continue
        tbl.addprevious(copy.deepcopy(new))
        tbl.getparent().remove(tbl)
        result.replaced.append(f"表格（{_place_of(key, model, 'table')}）")


def _replace_charts(doc, new, model, result: RefreshResult) -> None:
    from reportgen.render.bound import marked_charts, short_digest

    fresh = {key: (digest, rid) for key, digest, rid in marked_charts(new.element.body)}
    for key, digest, rid in list(marked_charts(doc.element.body)):
        part = doc.part.related_parts.get(rid)
        place = f"图（{_place_of(key, model, 'chart')}）"
        if part is None or short_digest(part.blob, 16) != digest:
            result.kept.append(place)
            continue
        if key in fresh and fresh[key][0] != digest:
            _replace_part(part, new.part.related_parts[fresh[key][1]])
            _set_chart_digest(doc.element.body, key, fresh[key][0])
            result.replaced.append(place)


def _replace_part(old, new) -> None:
    """The current picture, or the current chart part and its embedded workbook (编辑数据)."""
    old._blob = new.blob
    workbooks = {rel.reltype: rel.target_part for rel in new.rels.values() if not rel.is_external}
    for rel in old.rels.values():
        if not rel.is_external and rel.reltype in workbooks:
            rel.target_part._blob = workbooks[rel.reltype].blob


def _set_chart_digest(body, key: str, digest: str) -> None:
    from reportgen.render.bound import CHART_MARK

    for doc_pr in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
        if doc_pr.get("descr", "").startswith(f"{CHART_MARK}{key}:"):
            doc_pr.set("descr", f"{CHART_MARK}{key}:{digest}")


def _place_of(key_or_digest: str, model, kind: str) -> str:
    """The title a reader sees for a table (by key digest) or chart (by key)."""
    from reportgen.render.bound import short_digest

    for where, name in model.place_names().items():
        prefix, _, key = where.partition(":")
        if prefix == kind and key_or_digest in (key, short_digest(key, 8)):
            return name
    return key_or_digest


# ------------------------------------------------------------------ documents and models

def _open(path: Path):
    from docx import Document

    if not path.is_file():
        raise ReportgenError(f"找不到要更新的报告：{path}")
    try:
        return Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise ReportgenError(f"「{path.name}」无法作为 Word 文档（.docx）打开：{exc}") from exc


def _is_bound(doc) -> bool:
    from reportgen.render.bound import bound_figures, marked_charts, marked_tables

    body = doc.element.body
    return bool(bound_figures(body) or next(marked_tables(body), None) or next(marked_charts(body), None))


def _matching_model(doc, filename: str, models: list):
    """The report the document was made from: same file name, else most shared figures."""
    from reportgen.render.bound import bound_figures, figure_anchor

    for model in models:
        if model.filename == filename:
            return model
    anchors = {f.anchor for f in bound_figures(doc.element.body)}
    scored = [(len(anchors & {figure_anchor(f["id"]) for f in m.figures}), i) for i, m in enumerate(models)]
    best, index = max(scored)
    if not best:
        raise ReportgenError(f"「{filename}」中的数字与该工作区的任何一份报告都对不上，无法更新（是否选错了工作区？）")
    return models[index]


def _current(workspace: Path):
    """The report models of the current data (as ``build`` makes them), the output folder, and
    a function rendering one model to .docx bytes."""
    from reportgen.analysis import analyze
    from reportgen.analysis.rectification import ledger_snapshot
    from reportgen.core.settings import load_settings
    from reportgen.loading import load_workspace, locate
    from reportgen.publish.build import _chart_font, _name_figures, cache_dir, template_path
    from reportgen.publish.history import earlier_ledger, load_state
    from reportgen.render.charts import ChartCache
    from reportgen.render.docx import render_bytes
    from reportgen.reports import REGISTRY, workspace_models

    root, _ = locate(Path(workspace))
    out = root / load_settings(root).output_dir
    ws = load_workspace(workspace, sheet_cache=cache_dir(out) / "sheets")
    analysis = analyze(ws, previous_ledger=earlier_ledger(load_state(out), ledger_snapshot(ws.ledger)))
    models, _ = workspace_models(list(REGISTRY), ws, analysis)
    _name_figures(models, analysis)
    font, cache = _chart_font(ws), ChartCache(cache_dir(out))
    return models, out, lambda model: render_bytes(model, template_path(model.template), cache, font)


def _keep_copy(edited: Path) -> Path:
    """A copy of the edited file in 历史版本/<now>/ beside it, never overwriting an earlier copy."""
    from reportgen.publish.build import HISTORY_DIR

    folder = edited.parent / HISTORY_DIR / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    kept, n = folder / edited.name, 1
    while kept.exists():
        kept, n = folder / f"{edited.stem}-{n}{edited.suffix}", n + 1
    shutil.copy2(edited, kept)
    return kept


# ------------------------------------------------------------------ the build hook

def edited_since_build(previous: dict | None, target: Path) -> bool:
    """Whether the report file ``target`` is no longer what the last build wrote (a person edited it)."""
    from reportgen.publish.reuse import file_digest

    recorded = ((previous or {}).get("rendered") or {}).get(target.name) or {}
    return bool(recorded.get("file")) and target.is_file() and file_digest(target) != recorded["file"]


def refresh_edited(staged: dict[str, Path], models: list, out: Path, previous: dict | None) -> list[str]:
    """For ``build``: every report a person edited since the last build is refreshed (its edits
    kept) instead of replaced: the staged fresh rendering becomes the merged document. Returns
    the lines to print; the edited file itself is kept in 历史版本 by the build's commit."""
    lines = []
    for model in models:
        target, staged_path = out / model.filename, staged.get(model.filename)
        if staged_path is None or staged_path == target or not edited_since_build(previous, target):
            continue
        data, result = merge(_open(target), staged_path.read_bytes(), model)
        staged_path.write_bytes(data)
        lines.append(f"「{model.filename}」在上次生成后被修改过：已保留修改，只更新数字"
                     f"（数字更新{len(result.updated)}处；用 --force 可按模板重新生成）")
        lines += [f"  {line}" for line in result.lines()[1:]]
    return lines

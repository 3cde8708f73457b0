"""Native Word charts: chart parts with cached values and an embedded workbook, deterministic."""
from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest
from lxml import etree

from reportgen.core.errors import WorkspaceError
from reportgen.core.settings import load_settings
from reportgen.render.native_charts import C_NS, PLOTTERS, cached_series, native_charts
from tests.test_charts import SPECS

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def by_kind(kind: str, key: str | None = None):
    return next(s for s in SPECS if s.kind == kind and (key is None or s.key == key))


def workbook_columns(blob: bytes) -> dict[str, list]:
    """Header → the numbers below it, from the embedded workbook (opened with openpyxl)."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(blob), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return {str(h): [r[i] for r in rows[1:]] for i, h in enumerate(header) if h is not None}


def test_every_drawn_kind_has_a_native_form():
    from reportgen.render.charts import DRAWERS

    assert set(PLOTTERS) == set(DRAWERS)
    for spec in SPECS:
        parts = native_charts(spec)
        assert parts and all(p.xml.startswith(b"<?xml") and p.workbook[:2] == b"PK" for p in parts)


def test_cv_bars_cache_and_workbook_hold_the_model_values():
    spec = by_kind("cv_bars")
    [part] = native_charts(spec)
    [(name, values)] = cached_series(part.xml)
    assert name.startswith("差异系数")
    assert values == spec.data["values"]          # the None stays a gap, not a zero
    root = etree.fromstring(part.xml)
    categories = root.xpath("//c:cat//c:v/text()", namespaces={"c": C_NS})
    assert categories == spec.data["labels"]
    column = workbook_columns(part.workbook)[name]
    assert column == spec.data["values"]
    # the failing indicator (0.52 > 0.50) is coloured apart, labels are the builder's texts
    assert root.xpath("//c:dPt/c:idx/@val", namespaces={"c": C_NS}) == ["2"]
    labels = root.xpath("//c:dLbl//a:t/text()", namespaces={"c": C_NS, "a": A[1:-1]})
    assert labels == ["0.300", "0.410", "0.520", "0.330", "无数据", "0.200", "0.450"]


def test_school_values_one_part_per_panel_with_sorted_points_and_standard_lines():
    spec = by_kind("school_values")
    parts = native_charts(spec)
    assert len(parts) == len(spec.data["panels"])
    assert sum(p.width_mm for p in parts) < 156.0
    for part, panel in zip(parts, spec.data["panels"]):
        series = dict(cached_series(part.xml))
        points = sorted(p for name, pts in series.items() if not name.startswith("标准值") for p in pts)
        assert [y for _, y in points] == [float(f"{v:.15g}") for v in sorted(panel["values"])]  # Excel's digits
        assert [x for x, _ in points] == list(range(1, len(panel["values"]) + 1))
        assert {y for _, y in series["标准值"]} == {panel["standard"]}
        assert {y for _, y in series["标准值的85%"]} == {panel["floor"]}
        below = [y for _, y in series.get("低于标准值的85%", [])]
        assert below == [float(f"{v:.15g}") for v in sorted(panel["values"]) if v < panel["floor"]]


def test_stacked_ledger_and_funding_values():
    ledger = by_kind("ledger_status", "ledger2")
    [part] = native_charts(ledger)
    series = dict(cached_series(part.xml))
    assert series == {s: [float(row[i]) for row in ledger.data["by_category"]]
                      for i, s in enumerate(ledger.data["statuses"])}
    assert b'<c:grouping val="stacked"/>' in part.xml
    funding = by_kind("funding")
    spending, per_pupil = native_charts(funding)
    assert dict(cached_series(spending.xml)) == {"一般公共预算教育支出（万元）": funding.data["spending"]}
    assert dict(cached_series(per_pupil.xml)) == {"生均（元）": funding.data["per_pupil"]}
    assert workbook_columns(per_pupil.workbook)["生均（元）"] == funding.data["per_pupil"]


def test_class_sizes_and_timeline_series():
    sizes = by_kind("class_sizes")
    [part] = native_charts(sizes)
    series = dict(cached_series(part.xml))
    primary = {int(k): v for k, v in sizes.data["series"][0]["counts"].items()}
    cats = [int(c) for c in etree.fromstring(part.xml).xpath("(//c:cat)[1]//c:v/text()", namespaces={"c": C_NS})]
    assert [series["小学"][i] for i, size in enumerate(cats) if size in primary] == [float(primary[s]) for s in sorted(primary)]
    timeline = by_kind("ledger_timeline")
    [part] = native_charts(timeline)
    assert dict(cached_series(part.xml)) == {"累计完成": [1.0, 2.0, 3.0], "问题总数": [20.0] * 3}


def test_chinese_text_carries_the_east_asian_font():
    [part] = native_charts(by_kind("point_scores"))
    root = etree.fromstring(part.xml)
    faces = {el.get("typeface") for el in root.iter(f"{A}ea")}
    assert faces <= {"仿宋_GB2312", "黑体"} and "仿宋_GB2312" in faces
    assert root.find(f"{{{C_NS}}}externalData") is not None


def test_native_charts_are_byte_identical():
    for spec in SPECS:
        assert native_charts(spec) == native_charts(spec)


# ---------------------------------------------------------------- in the reports

@pytest.fixture(scope="module")
def built(tmp_path_factory, example_ws):
    from reportgen.publish.build import build

    results = {}
    for mode in ("原生", "图片"):
        root = tmp_path_factory.mktemp(f"ws-{mode}") / "ws"
        shutil.copytree(example_ws.root, root)
        settings = root / "reportgen.yaml"
        settings.write_text(settings.read_text(encoding="utf-8") + f"\n图表: {mode}\n", encoding="utf-8")
        build(root, ["all"], jobs=1 if mode == "原生" else 2)  # pictures: drawn by the worker pool
        results[mode] = sorted(p for p in (root / "输出").glob("*.docx") if p.name != "核对清单.docx")  # a table only
    return results


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_every_report_holds_native_charts_with_workbooks(built):
    assert len(built["原生"]) >= 3
    for report in built["原生"]:
        members = _members(report)
        charts = [n for n in members if re.fullmatch(r"word/charts/chart\d+\.xml", n)]
        assert charts, report.name
        assert not [n for n in members if n.startswith("word/media/")]
        for name in charts:
            rels = members[name.replace("charts/", "charts/_rels/") + ".rels"].decode()
            target = re.search(r'Target="\.\./embeddings/([^"]+)"', rels).group(1)
            workbook = members[f"word/embeddings/{target}"]
            cached = cached_series(members[name])
            columns = workbook_columns(workbook)
            for series_name, values in cached:
                if values and not isinstance(values[0], tuple):
                    assert columns[series_name] == values
        types = members["[Content_Types].xml"].decode()
        assert "drawingml.chart+xml" in types
        assert b'graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"' in members["word/document.xml"]


def test_picture_mode_writes_pngs(built):
    for report in built["图片"]:
        members = _members(report)
        assert not [n for n in members if n.startswith("word/charts/")]
        assert [n for n in members if n.startswith("word/media/") and n.endswith(".png")], report.name


def test_chart_mode_setting(tmp_path):
    (tmp_path / "reportgen.yaml").write_text("图表: 图片\n", encoding="utf-8")
    assert load_settings(tmp_path).charts == "picture"
    (tmp_path / "reportgen.yaml").write_text("图表: 矢量\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="「图表」应为「原生」或「图片」，实际为「矢量」"):
        load_settings(tmp_path)
    (tmp_path / "reportgen.yaml").write_text("输出目录: 输出\n", encoding="utf-8")
    assert load_settings(tmp_path).charts == "native"

"""Charts: every kind draws, deterministically, without touching global matplotlib state."""
from __future__ import annotations

import random
import struct
import warnings
import zlib

import pytest

from reportgen.core.errors import ReportgenError
from reportgen.render import charts
from reportgen.render.charts import DPI, WIDTH_IN, ChartCache, chart_key, chart_png, resolve_font
from reportgen.reports.model import ChartSpec

RNG = random.Random(7)
LABELS = ["高学历教师", "骨干教师", "体艺教师", "教学及辅助用房", "体育运动场馆", "教学仪器设备值", "多媒体教室"]

SPECS = [
    ChartSpec("cv", "cv_bars", "图1", {"labels": LABELS, "values": [0.3, 0.41, 0.52, 0.33, None, 0.2, 0.45],
                                       "value_labels": ["0.300", "0.410", "0.520", "0.330", "", "0.200", "0.450"],
                                       "limit": 0.5, "limit_label": "上限0.50"}),
    ChartSpec("values", "school_values", "图2", {"panels": [
        {"label": "生均体育运动场馆（平方米）", "standard": 7.5, "floor": 6.375,
         "values": [RNG.lognormvariate(2.2, 0.5) for _ in range(300)]},
        {"label": "骨干教师（人）", "standard": 1.0, "floor": 0.85,
         "values": [RNG.lognormvariate(0.1, 0.4) for _ in range(300)]}]}),
    ChartSpec("short", "shortfall", "图3", {"label": "生均体育运动场馆面积", "unit": "平方米", "standard": 7.5,
                                            "standard_label": "标准7.5", "value_labels": ["3.10", "4.25"],
                                            "schools": [{"name": "第一实验小学", "value": 3.1},
                                                        {"name": "城关镇东街小学", "value": 4.25}]}),
    ChartSpec("sizes", "class_sizes", "图4", {"series": [
        {"label": "小学", "counts": {str(k): RNG.randint(0, 40) for k in range(20, 62)}},
        {"label": "初中", "counts": {str(k): RNG.randint(0, 30) for k in range(30, 70)}}],
        "marks": [{"at": 45, "label": "小学45人"}, {"at": 50, "label": "初中50人"},
                  {"at": 55, "label": "大班额56人"}, {"at": 65, "label": "超大班额66人"}]}),
    ChartSpec("funding", "funding", "图5", {"years": [2023, 2024, 2025], "spending": [60000.0, 63000.0, 62000.0],
                                            "per_pupil": [12000.0, 12500.0, None],
                                            "spending_labels": ["", "增长5.00%", "下降1.59%"],
                                            "per_pupil_labels": ["", "增长4.17%", ""],
                                            "spending_title": "一般公共预算教育支出（万元）",
                                            "per_pupil_title": "生均（元）"}),
    ChartSpec("scores", "point_scores", "图6", {"labels": ["教育投入", "教师队伍"], "full": [30.0, 20.0],
                                                "score": [28.5, 19.0], "value_labels": ["28.5/30", "19/20"]}),
    ChartSpec("ledger", "ledger_status", "图7", {"statuses": ["已完成", "整改中", "未启动", "长期坚持"],
                                                 "counts": [11, 5, 2, 2], "value_labels": ["11", "5", "2", "2"]}),
    ChartSpec("ledger2", "ledger_status", "图8", {"statuses": ["已完成", "整改中", "未启动", "长期坚持"],
                                                  "categories": ["资源配置", "班额"],
                                                  "by_category": [[2, 1, 1, 0], [0, 2, 0, 0]]}),
    ChartSpec("timeline", "ledger_timeline", "图9", {"dates": ["2025-01-10", "2025-03-02", "2025-03-20"],
                                                     "total": 20, "total_label": "问题总数"}),
    ChartSpec("rates", "county_rates", "图10", {"labels": ["千阳县", "凤县", "岐山县"], "values": [85.0, 80.0, None],
                                                "value_labels": ["85.00%", "80.00%", "—"], "limit": 80.0,
                                                "limit_label": "要求80%", "xlabel": "整改完成率（%）", "xmax": 100}),
    ChartSpec("county_cv", "county_cv", "图11", {"counties": ["千阳县", "凤县"], "limit": 0.5, "limit_label": "标准≤0.5",
                                                 "values": [[0.3, 0.52, None, 0.2], [0.41, 0.33, 0.45, 0.1]]}),
    ChartSpec("rates", "rate_bars", "图12", {"labels": ["学前三年毛入园率", "普惠性幼儿园覆盖率", "公办园在园幼儿占比"],
                                           "values": [95.0, 78.6, None], "minimums": [85.0, 80.0, 50.0],
                                           "value_labels": ["95.00%", "78.60%", ""],
                                           "minimum_labels": ["标准85%", "标准80%", "标准50%"]}),
]


@pytest.fixture(autouse=True)
def no_global_state():
    """Drawing leaves no pyplot figure open and no rcParams changed."""
    import matplotlib
    from matplotlib import _pylab_helpers

    before = dict(matplotlib.rcParams)
    yield
    assert _pylab_helpers.Gcf.get_num_fig_managers() == 0
    assert dict(matplotlib.rcParams) == before


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunks.append((kind, data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return chunks


def png_size(data: bytes) -> tuple[int, int]:
    ihdr = dict(png_chunks(data))[b"IHDR"]
    return struct.unpack(">II", ihdr[:8])


@pytest.mark.parametrize("spec", SPECS, ids=[s.key for s in SPECS])
def test_every_kind_draws_deterministically_without_missing_glyphs(spec):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = chart_png(spec)
    assert not [w for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]
    assert chart_png(spec) == first
    width, height = png_size(first)
    assert width == round(WIDTH_IN * DPI)
    assert 0.2 * width < height < width


def test_every_drawer_is_exercised():
    assert {s.kind for s in SPECS} == set(charts.DRAWERS)


def test_png_carries_no_metadata():
    kinds = {kind for kind, _ in png_chunks(chart_png(SPECS[0]))}
    assert not kinds & {b"tEXt", b"iTXt", b"zTXt", b"tIME"}


def test_unknown_kind_is_a_user_error():
    with pytest.raises(ReportgenError, match="未知的图表类型"):
        chart_png(ChartSpec("x", "pie", "图1", {}))


def test_default_font_is_the_machines_sc_face_and_its_file_path_gives_the_same_bytes():
    font = resolve_font(None)
    if font.source == "本机" and font.path.endswith(".ttc"):  # Noto CJK collection: SC is face 2
        assert (font.family, font.index) == ("Noto Sans CJK SC", 2)
    from matplotlib import font_manager

    found = font_manager.findfont(font_manager.FontProperties(family=font.family), fallback_to_default=False)
    assert (str(found), getattr(found, "face_index", 0)) == (font.path, font.index)
    assert resolve_font(font.family).identity == font.identity


def test_bundled_font_draws_chinese_byte_identically_by_path():
    from reportgen.render.fonts import bundled_face

    path = bundled_face().path
    font = resolve_font(path)
    assert font.family == "Noto Sans SC"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = chart_png(SPECS[5], path)
    assert not [w for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]
    assert chart_png(SPECS[5], path) == first
    assert chart_key(SPECS[5], path) != chart_key(SPECS[5])  # another font file, another cache entry


def test_unknown_font_family_is_reported_in_chinese():
    with pytest.raises(ReportgenError, match="找不到图表字体「不存在的字体」"):
        resolve_font("不存在的字体")


def test_cache_key_follows_kind_data_and_font():
    base = chart_key(SPECS[5])
    assert chart_key(SPECS[5]) == base
    assert chart_key(ChartSpec("other_key", SPECS[5].kind, "另一个图题", SPECS[5].data)) == base  # key/caption only name it
    changed = ChartSpec("scores", "point_scores", "图6", {**SPECS[5].data, "score": [28.0, 19.0]})
    assert chart_key(changed) != base
    assert chart_key(ChartSpec("scores", "ledger_status", "图6", SPECS[5].data)) != base


def test_cache_serves_stored_png_and_survives_deletion(tmp_path, monkeypatch):
    cache = ChartCache(tmp_path / "cache")
    first = cache.png(SPECS[5])
    assert cache.path_for(chart_key(SPECS[5])).read_bytes() == first

    def fail(*args, **kwargs):
        raise AssertionError("drawn again although cached")

    monkeypatch.setattr(charts, "chart_png", fail)
    assert cache.png(SPECS[5]) == first
    monkeypatch.undo()
    for path in (tmp_path / "cache").iterdir():
        path.unlink()
    (tmp_path / "cache").rmdir()
    assert cache.png(SPECS[5]) == first


def test_charts_stay_cheap_at_three_thousand_schools():
    values = [RNG.lognormvariate(2.2, 0.5) for _ in range(3000)]
    spec = ChartSpec("big", "school_values", "图1", {"panels": [
        {"label": "生均体育运动场馆", "standard": 7.5, "floor": 6.375, "values": values},
        {"label": "生均教学及辅助用房", "standard": 4.5, "floor": 3.825, "values": values}]})
    sizes = ChartSpec("big_sizes", "class_sizes", "图2", {"series": [
        {"label": "小学", "counts": {str(k): 900 for k in range(10, 70)}}], "marks": []})
    assert chart_png(spec).startswith(b"\x89PNG") and chart_png(sizes).startswith(b"\x89PNG")


def test_png_is_valid_zlib_stream():
    data = b"".join(body for kind, body in png_chunks(chart_png(SPECS[3])) if kind == b"IDAT")
    assert zlib.decompress(data)

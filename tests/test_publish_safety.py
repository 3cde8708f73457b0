"""Attacks on the output side: names from 地区名称, read-only and immutable reports, a commit cut
short, a second build, corrupt caches and state, OS errors. After each failure the previous
reports are byte-identical and nothing was written outside the output folder."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from reportgen.core.errors import OutputError, ReportgenError, WorkspaceError
from reportgen.publish import journal
from reportgen.publish.batch import output_folders
from reportgen.publish.build import build, cache_dir
from reportgen.publish.history import load_state, state_path
from reportgen.publish.lock import output_lock
from reportgen.publish.names import MAX_NAME_BYTES, free_name, safe_filename
from tests.test_build import set_cell

LOCKED = "请关闭正在打开的文件后重试"


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    from reportgen.authoring.demo import write_demo

    folder = tmp_path_factory.mktemp("county") / "示例县2025"
    write_demo(folder, 12, seed=5)
    return folder


@pytest.fixture(scope="module")
def built(county, tmp_path_factory) -> Path:
    """An output folder with one finished build (copied per test)."""
    out = tmp_path_factory.mktemp("built") / "输出"
    build(county, ["all"], out)
    return out


@pytest.fixture
def setup(county, built, tmp_path):
    """(workspace, output folder) in ``tmp_path``: a previous build there, the data since changed."""
    ws, out = tmp_path / county.name, tmp_path / "输出"
    shutil.copytree(county, ws)
    shutil.copytree(built, out)
    set_cell(ws, "基本信息", "项目", "报告单位", "内容", "示例县教育局（修订）")
    return ws, out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` except the lock (reports, records, state, history)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "lock" and "cache" not in p.parts
            and not any(part.startswith("staging-") for part in p.parts)}


def everything(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


# ---------------------------------------------------------------- names

@pytest.mark.parametrize("region", ["../../../../某县", "/tmp/某县", "某市/某县", "某\\县", "某\x07县\n",
                                    "C:某县", "..", "某县" * 50])
def test_region_names_give_one_safe_file_name_inside_the_output_folder(region):
    name = safe_filename(f"{region}2025年整改报告.docx")
    assert "/" not in name and "\\" not in name and ".." not in name and ":" not in name
    assert not any(ord(c) < 32 for c in name) and name.endswith("年整改报告.docx")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES


def test_path_in_region_writes_only_inside_out(setup, tmp_path):
    ws, out = setup
    set_cell(ws, "基本信息", "项目", "地区名称", "内容", "../../../../某\t县")
    before = everything(tmp_path)
    result = build(ws, ["整改报告"], out)
    created = everything(tmp_path) - before
    assert created and all(path.startswith("输出/") for path in created)
    assert "某县2025年整改报告.docx" in [p.name for p in result.written]


def test_region_that_cannot_name_a_file_is_a_clear_error(setup):
    ws, out = setup
    set_cell(ws, "基本信息", "项目", "地区名称", "内容", "/../")
    previous = snapshot(out)
    with pytest.raises(OutputError, match="地区名称"):
        build(ws, ["整改报告"], out)
    assert snapshot(out) == previous


def test_kept_versions_never_overwrite_across_a_numbering_gap(tmp_path):
    (tmp_path / "X.docx").write_bytes(b"1")
    (tmp_path / "X-2.docx").write_bytes(b"2")
    reserved: set = set()
    assert free_name(tmp_path, "X.docx", reserved).name == "X-3.docx"
    assert free_name(tmp_path, "X.docx", reserved).name == "X-4.docx"
    (tmp_path / "X-2.docx").unlink()
    assert free_name(tmp_path, "X.docx").name == "X-2.docx"


def test_batch_workspaces_of_the_same_name_get_distinct_folders(tmp_path):
    folders = output_folders([tmp_path / "甲" / "某县2025", tmp_path / "乙" / "某县2025",
                              tmp_path / "丙" / "某县2026.xlsx"], tmp_path / "out")
    assert [f.name for f in folders] == ["甲-某县2025", "乙-某县2025", "某县2026"]


# ---------------------------------------------------------------- all or nothing

def test_read_only_report_stops_the_publish_with_everything_intact(setup):
    ws, out = setup
    report = next(out.glob("*整改报告.docx"))
    report.chmod(0o444)
    previous = snapshot(out)
    with pytest.raises(OutputError, match=LOCKED) as caught:
        build(ws, ["all"], out)
    assert report.name in str(caught.value)
    assert snapshot(out) == previous
    assert not list((out / ".reportgen").glob("staging-*")) and not (out / ".reportgen" / "journal.json").exists()


def test_immutable_report_stops_the_publish(setup):
    ws, out = setup
    report = next(out.glob("*履行教育职责自评报告.docx"))
    if subprocess.run(["chattr", "+i", str(report)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        previous = snapshot(out)
        with pytest.raises(OutputError, match=LOCKED):
            build(ws, ["all"], out)
        assert snapshot(out) == previous
    finally:
        subprocess.run(["chattr", "-i", str(report)])


def test_a_report_that_cannot_be_replaced_rolls_back_the_others(setup, monkeypatch):
    """As on Windows with the second report open in Word: the rename fails after others moved."""
    ws, out = setup
    previous = snapshot(out)
    real_replace, placed = os.replace, []

    def replace(src, dst):
        if "staging-" in str(src) and Path(dst).parent == out:
            placed.append(dst)
            if len(placed) == 2:
                raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(journal.os, "replace", replace)
    with pytest.raises(OutputError, match=LOCKED):
        build(ws, ["all"], out)
    monkeypatch.undo()
    assert snapshot(out) == previous


def test_next_build_undoes_a_commit_killed_between_renames(setup, monkeypatch):
    ws, out = setup
    previous = snapshot(out)
    real_replace, calls = os.replace, []

    def replace(src, dst):
        if out in (Path(dst).parent, Path(src).parent):  # a move of the commit
            calls.append(dst)
            if len(calls) == 4:
                raise SystemExit("killed")  # nothing of the build's own clean-up runs after a SIGKILL
        return real_replace(src, dst)

    monkeypatch.setattr(journal.os, "replace", replace)
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: None)
    with pytest.raises(SystemExit):
        build(ws, ["all"], out)
    monkeypatch.undo()
    assert snapshot(out) != previous and (out / ".reportgen" / "journal.json").exists()
    assert "已恢复" in journal.recover(out, out / ".reportgen")
    after = snapshot(out)
    assert sorted(after) == sorted(previous)
    assert [k for k in after if after[k] != previous[k]] == []


def test_second_build_waits_then_says_another_is_running(setup, monkeypatch):
    ws, out = setup
    monkeypatch.setenv("REPORTGEN_LOCK_WAIT", "0.3")
    theirs = out / ".reportgen" / "staging-999999"
    theirs.mkdir()
    previous = snapshot(out)
    with output_lock(out / ".reportgen"):
        with pytest.raises(OutputError, match="另一个 reportgen 正在"):
            build(ws, ["整改报告"], out)
    assert theirs.is_dir() and snapshot(out) == previous


# ---------------------------------------------------------------- self-healing

@pytest.mark.parametrize("garbage", [b"[]", b"42", b"{\"inputs\": 42}", b"\x00garbage{"])
def test_corrupt_state_is_discarded_with_a_warning_and_rebuilt(setup, garbage):
    ws, out = setup
    state_path(out).write_bytes(garbage)
    result = build(ws, ["整改报告"], out)
    assert any("上次生成记录已损坏" in w for w in result.warnings)
    assert isinstance(load_state(out), dict)


def test_garbage_in_the_chart_cache_is_redrawn(tmp_path):
    from reportgen.render.charts import ChartCache, chart_key, is_complete_png

    spec = chart_spec("教育投入")
    cache = ChartCache(tmp_path)
    entry = cache.path_for(chart_key(spec))
    entry.write_bytes(b"\x89PNG garbage")
    assert is_complete_png(cache.png(spec)) and is_complete_png(entry.read_bytes())
    assert list(tmp_path.iterdir()) == [entry]


def test_temporaries_left_by_a_killed_build_are_removed(setup):
    ws, out = setup
    leftovers = [cache_dir(out) / "tmpabc.tmp", out / ".某县报告.docx.123.tmp"]
    for path in leftovers:
        path.write_bytes(b"left by a killed build")
    build(ws, ["整改报告"], out)
    assert not any(path.exists() for path in leftovers)


# ---------------------------------------------------------------- OS errors

def test_out_that_is_a_file_is_a_chinese_error(county, tmp_path):
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(OutputError, match="不是文件夹") as caught:
        build(county, ["整改报告"], tmp_path / "out")
    assert str(tmp_path / "out") in str(caught.value)


def test_name_too_long_is_a_chinese_error(county, tmp_path):
    with pytest.raises(OutputError, match="过长"):
        build(county, ["整改报告"], tmp_path / ("长" * 120))


def test_template_that_is_a_folder_is_a_chinese_error(county, tmp_path):
    with pytest.raises(ReportgenError, match="找不到模板文件"):
        build(county, ["整改报告"], tmp_path / "out", template=tmp_path)


@pytest.fixture
def small_tmpfs(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)],
                      capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)])


def test_full_disk_is_a_chinese_error_and_leaves_no_temporaries(county, small_tmpfs):
    out = small_tmpfs / "输出"
    with pytest.raises(OutputError, match="磁盘空间不足") as caught:
        build(county, ["整改报告"], out)
    assert str(small_tmpfs) in str(caught.value)
    leftovers = [p for p in out.rglob("*") if p.suffix == ".tmp" or p.name.startswith("staging-")]
    assert leftovers == []


def test_read_only_output_folder_is_a_chinese_error(county, small_tmpfs):
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    with pytest.raises(OutputError, match="只读"):
        build(county, ["整改报告"], small_tmpfs / "输出")


# ---------------------------------------------------------------- inputs and charts

def test_workbook_part_that_expands_too_far_is_refused_before_reading(county, tmp_path, monkeypatch):
    from reportgen.loading import readers

    book = next(county.glob("*.xlsx"))
    monkeypatch.setattr(readers, "MAX_PART_BYTES", 1000)
    with pytest.raises(WorkspaceError, match="解压后过大"):
        readers.read_workbook(book)


def test_shared_strings_count_far_beyond_a_county_is_refused(tmp_path):
    from reportgen.loading.readers import read_workbook

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><sst xmlns="x" count="900000000" '
                                                 'uniqueCount="900000000"><si><t>a</t></si></sst>')
    with pytest.raises(WorkspaceError, match="不同文字"):
        read_workbook(path)


@pytest.mark.parametrize("label", ["$\\frac{1}{2}$", "$\\undefinedcmd$", "a$b", "控制\x01字符"])
def test_chart_text_is_literal(label):
    from reportgen.render.charts import chart_png, is_complete_png

    assert is_complete_png(chart_png(chart_spec(label)))


def chart_spec(label: str):
    from reportgen.reports.model import ChartSpec

    return ChartSpec("c", "point_scores", "图1", {"labels": [label, "教师"], "full": [30.0, 20.0],
                                                 "score": [28.0, 19.0], "value_labels": ["28/30", "19/20"]})

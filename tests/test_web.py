"""The web app without a browser: names from uploads, limits, password, one build per workspace,
and no page, script or stylesheet that refers to another host."""
from __future__ import annotations

import base64
import re
import threading
from pathlib import Path

import pytest

from reportgen.cli.app import main
from reportgen.web import files, jobs
from reportgen.web.app import PACKAGE
from web_helpers import EXAMPLE_BOOK, Client, running_server


@pytest.fixture
def root(tmp_path) -> Path:
    folder = tmp_path / "工作区"
    folder.mkdir()
    return folder


@pytest.fixture
def client(root):
    with running_server(root) as base:
        yield Client(base)


@pytest.mark.parametrize("given, kept", [
    ("../../etc/某县.xlsx", "某县.xlsx"),
    ("C:\\Users\\张三\\桌面\\某县2025.xlsx", "某县2025.xlsx"),
    ('a<b>|c?.xlsx', "a_b__c_.xlsx"),
    ("  .隐藏.xlsx ", "隐藏.xlsx"),
])
def test_upload_names_are_reduced_to_a_safe_base_name(given, kept):
    assert files.safe_name(given, ".xlsx") == kept


@pytest.mark.parametrize("given", [".xlsx", "报告.exe", "~$某县.xlsx", ""])
def test_unusable_upload_names_are_refused_in_chinese(given):
    with pytest.raises(files.UploadError, match="文件"):
        files.safe_name(given, ".xlsx")


def test_an_upload_named_with_folders_lands_inside_the_served_folder(client, root):
    answer = client.post("/workspaces/upload", files={"workbook": ("../../outside.xlsx", EXAMPLE_BOOK.read_bytes())})
    assert answer.status_code == 200 and answer.url.startswith(client.base + "/ws/outside?note=")
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if "输出" not in p.parts) == [
        "outside", "outside/outside.xlsx", "outside/reportgen.yaml"]
    assert not (root.parent / "outside.xlsx").exists()


def test_uploads_over_the_size_limit_are_refused(client, root, monkeypatch):
    monkeypatch.setattr(files, "MAX_WORKBOOK_BYTES", 1024 * 1024)
    answer = client.post("/workspaces/upload", files={"workbook": ("大.xlsx", b"PK" + b"0" * (1024 * 1024 + 10))})
    assert answer.status_code == 400
    assert "文件太大（1 MB），上限为 1 MB" in answer.text
    assert list(root.iterdir()) == []


def test_a_file_that_is_not_a_workbook_is_refused(client, root):
    answer = client.post("/workspaces/upload", files={"workbook": ("某县.xlsx", b"name,value\n")})
    assert answer.status_code == 400 and "不是有效的 Excel 工作簿" in answer.text


def test_only_files_in_the_output_folder_are_served(client, root):
    client.post("/workspaces/new", data={"name": "某县", "region": "某县"})
    (root / "某县" / "输出").mkdir(exist_ok=True)
    (root / "某县" / "输出" / "报告.docx").write_bytes(b"docx")
    assert client.get("/ws/某县/files/报告.docx").content == b"docx"
    for name in ("reportgen.yaml", "..%2Freportgen.yaml", "某县教育督导数据.xlsx"):
        assert client.get(f"/ws/某县/files/{name}").status_code in (400, 404)
    answer = client.get("/ws/不存在/files/报告.docx")
    assert answer.status_code == 400 and "没有名为「不存在」的工作区" in answer.text


def test_a_new_workspace_offers_the_blank_workbook_of_init(client, root):
    answer = client.post("/workspaces/new", data={"name": "某县2026", "region": "某某县"})
    assert answer.status_code == 200 and "已新建工作区" in answer.text
    book = client.get("/ws/某县2026/workbook")
    assert book.content == (root / "某县2026" / "某某县教育督导数据.xlsx").read_bytes()


def test_a_password_is_required_for_every_request_when_set(root):
    with running_server(root, password="督导2025") as base:
        c = Client(base)
        refused = c.get("/")
        assert refused.status_code == 401 and "需要密码" in refused.text
        assert c.get("/static/app.js").status_code == 401
        wrong = base64.b64encode("任意:错误".encode()).decode()
        assert c.get("/", headers={"Authorization": f"Basic {wrong}"}).status_code == 401
        right = base64.b64encode("任意:督导2025".encode()).decode()
        assert c.get("/", headers={"Authorization": f"Basic {right}"}).status_code == 200


def test_serving_to_other_machines_needs_the_flag_and_a_password(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("REPORTGEN_PASSWORD", raising=False)
    for extra in ([], ["--allow-remote"], ["--password", "x"]):
        with pytest.raises(SystemExit) as stop:
            main(["serve", str(tmp_path), "--host", "0.0.0.0", "--no-browser", *extra])
        assert stop.value.code == 2
        assert "会让其他电脑也能打开本工具" in capsys.readouterr().err


def test_the_refresh_area_refuses_a_file_that_is_not_a_word_document(client, root):
    client.post("/workspaces/new", data={"name": "某县"})
    answer = client.post("/ws/某县/refresh", files={"document": ("../改过的报告.docx", b"PK docx")})
    assert answer.status_code == 200 and "未能更新「改过的报告.docx」" in answer.text
    assert "无法作为 Word 文档（.docx）打开" in answer.text
    assert sorted(p.name for p in (root / "某县").iterdir() if p.name != "输出") == ["reportgen.yaml", "教育督导数据.xlsx"]


def test_two_builds_of_one_workspace_never_run_at_once(tmp_path, monkeypatch):
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow_build(folder, *args, **options):
        calls.append(folder)
        started.set()
        release.wait(10)
        raise jobs_error

    from reportgen.core.errors import ReportgenError
    jobs_error = ReportgenError("测试用的失败")
    monkeypatch.setattr("reportgen.publish.build.build", slow_build)
    builds = jobs.BuildJobs()
    first = builds.start("某县", tmp_path)
    started.wait(10)
    second = builds.start("某县", tmp_path)
    assert second is first and len(calls) == 1
    release.set()
    status = finished(first)
    assert status["state"] == "生成失败" and status["lines"] == ["错误：测试用的失败"]


def finished(job) -> dict:
    for _ in range(1200):
        if job.status()["done"]:
            break
        threading.Event().wait(0.05)
    return job.status()


def test_a_second_build_from_the_page_reuses_the_workspace_s_warm_engine(tmp_path):
    import shutil

    import openpyxl

    from test_watch import edit_one_school

    folder = tmp_path / "某县2025"
    shutil.copytree(EXAMPLE_BOOK.parent, folder, ignore=shutil.ignore_patterns("输出", ".reportgen"))
    book = folder / EXAMPLE_BOOK.name
    openpyxl.load_workbook(book).save(book)
    builds = jobs.BuildJobs()
    assert finished(builds.start("某县2025", folder))["state"] == "已完成"
    engine = builds.engine("某县2025", folder)
    edit_one_school(book, 4321.5)
    second = finished(builds.start("某县2025", folder))
    assert second["state"] == "已完成" and any("优质均衡" in line for line in second["lines"])
    assert builds.engine("某县2025", folder) is engine and engine.builds == 2
    counts = engine.reused()
    assert counts["typed"] == 1 and counts["typed reused"] >= 5 and counts["row reused"] > 0


EXTERNAL = re.compile(r"""(?:https?:)?//[^/'"\s)]+|@import|url\(\s*['"]?(?!/static/|data:)""", re.I)


def test_no_served_page_script_or_stylesheet_refers_to_another_host(client, root):
    client.post("/workspaces/upload", files={"workbook": (EXAMPLE_BOOK.name, EXAMPLE_BOOK.read_bytes())})
    (root / "某县2025" / "输出").mkdir(exist_ok=True)
    (root / "某县2025" / "输出" / "某县报告.docx").write_bytes(b"docx")
    pages = ["/", "/ws/某县2025", "/ws/某县2025/preview/不存在.docx", "/ws/不存在"]
    assets = [f"/static/{p.name}" for p in (PACKAGE / "static").iterdir()]
    assert "/static/app.js" in assets and "/static/app.css" in assets
    for url in pages + assets:
        text = client.get(url).text
        assert not EXTERNAL.findall(text), (url, EXTERNAL.findall(text))
    for url in pages:
        referenced = re.findall(r"""(?:src|href|action)=["']([^"']+)""", client.get(url).text)
        assert referenced and all(ref.startswith("/") and not ref.startswith("//") for ref in referenced), url


@pytest.mark.slow
@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed")
def test_the_page_s_pdf_button_writes_one_pdf_per_report(tmp_path):
    import shutil

    from conftest import EXAMPLE
    from reportgen.web import hooks

    ws = tmp_path / "某县2025"
    shutil.copytree(EXAMPLE, ws, ignore=shutil.ignore_patterns("输出", ".reportgen"))
    note = hooks.generate_pdfs(ws)
    reports = sorted(p.stem for p in (ws / "输出").glob("*.docx"))
    assert note.startswith(f"已生成 PDF {len(reports)} 份："), note
    assert sorted(p.stem for p in (ws / "输出").glob("*.pdf")) == reports
    assert all((ws / "输出" / f"{stem}.pdf").read_bytes().startswith(b"%PDF") for stem in reports)

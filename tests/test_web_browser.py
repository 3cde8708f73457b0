"""The web page in a real Chromium (Debian's package, driven by Playwright): upload, validation
table, generating the reports, preview, download identical to the CLI build, no other host."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE_DOCX

from web_helpers import BAD_ROW, BAD_VALUE, EXAMPLE_BOOK, broken_example, cli_build_of_example, running_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
REPORT = "某县2025年整改报告.docx"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_a_person_uploads_checks_builds_previews_and_downloads(browser, tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    expected = cli_build_of_example(tmp_path / "cli")
    with running_server(root) as base:
        page = browser.new_page(accept_downloads=True)
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(base + "/")

        # a workbook with a mistake: the validation table names the cell
        page.set_input_files("form.drop input[type=file]", str(broken_example(tmp_path / "bad")))
        page.click("text=上传并检查")
        page.wait_for_selector("#issues")
        row = page.locator("#issues tbody tr", has_text=BAD_VALUE)
        assert row.locator("td").all_inner_texts()[:5] == ["错误", "学校", str(BAD_ROW), "小学在校生数(人)", BAD_VALUE]
        assert page.locator("#build-button").is_disabled()
        page.select_option("#severity-filter", "警告")
        assert not row.is_visible()
        page.select_option("#severity-filter", "")

        # fixed in Excel and uploaded again into the same workspace
        page.set_input_files("form.drop input[type=file]", str(EXAMPLE_BOOK))
        page.click("text=重新上传并检查")
        page.wait_for_selector("#check-result")
        assert page.inner_text("#check-result") == "检查通过：没有错误和警告。"
        assert "综合差异系数" in page.inner_text("#analysis")

        page.click("#build-button")
        page.wait_for_selector("a.docx", timeout=120_000)
        assert "已生成：" + REPORT in page.inner_text("#build-lines")
        assert page.locator("a.docx").count() == EXAMPLE_DOCX

        with page.expect_download() as download:
            page.click(f"tr:has-text('{REPORT}') a.docx")
        assert download.value.suggested_filename == REPORT
        assert Path(download.value.path()).read_bytes() == (expected / REPORT).read_bytes()

        page.set_input_files("#refresh input[type=file]", str(expected / REPORT))
        page.click("#refresh button")
        assert "已更新报告" in page.inner_text("#note")

        if shutil.which("soffice") and shutil.which("pdftoppm"):
            page.click(f"tr:has-text('{REPORT}') >> text=逐页预览")
            page.wait_for_selector(".pages img", timeout=120_000)
            images = page.locator(".pages img")
            assert images.count() >= 2
            images.first.scroll_into_view_if_needed()
            page.wait_for_function("document.querySelector('.pages img').naturalWidth > 0")
        page.close()
    assert requested and all(url.startswith(base + "/") for url in requested), \
        [u for u in requested if not u.startswith(base)]

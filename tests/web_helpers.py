"""Helpers shared by the web tests: a server in a thread, the example workbook with a mistake."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "data_examples" / "某县2025"
EXAMPLE_BOOK = EXAMPLE / "某县2025.xlsx"
BAD_ROW, BAD_VALUE = 3, "很多"


def broken_example(folder: Path) -> Path:
    """The example workbook (same file name) with 学校 row 3's 小学在校生数 set to text."""
    import openpyxl

    book = openpyxl.load_workbook(EXAMPLE_BOOK)
    book["学校"].cell(row=BAD_ROW, column=6).value = BAD_VALUE
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / EXAMPLE_BOOK.name
    book.save(path)
    return path


def cli_build_of_example(folder: Path) -> Path:
    """The output folder of ``reportgen build`` run on a copy of the example workspace."""
    import subprocess
    import sys

    copy = folder / EXAMPLE.name
    shutil.copytree(EXAMPLE, copy)
    subprocess.run([sys.executable, "-m", "reportgen", "build", str(copy)], check=True, capture_output=True)
    return copy / "输出"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(root: Path, **options):
    """``create_app(root)`` served by uvicorn on a free port; yields the base URL."""
    import uvicorn

    from reportgen.web.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(root, **options), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Answer:
    def __init__(self, status: int, url: str, content: bytes):
        self.status_code, self.url, self.content = status, url, content
        self.text = content.decode("utf-8", "replace")


class Client:
    """A few HTTP requests to the test server with the standard library (redirects followed)."""

    def __init__(self, base: str, headers: dict | None = None):
        self.base, self.headers = base, headers or {}

    def get(self, path: str, headers: dict | None = None) -> Answer:
        return self._send(path, None, {}, headers)

    def post(self, path: str, data: dict | None = None, files: dict | None = None) -> Answer:
        if files:
            body, kind = _multipart(data or {}, files)
        else:
            from urllib.parse import urlencode

            body, kind = urlencode(data or {}).encode(), "application/x-www-form-urlencoded"
        return self._send(path, body, {"Content-Type": kind})

    def _send(self, path: str, body: bytes | None, extra: dict, headers: dict | None = None) -> Answer:
        import urllib.error
        import urllib.request
        from urllib.parse import quote

        request = urllib.request.Request(self.base + quote(path, safe="/%?=&"), data=body,
                                         headers={**self.headers, **extra, **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return Answer(answer.status, answer.url, answer.read())
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.url, error.read())


def _multipart(data: dict, files: dict) -> tuple[bytes, str]:
    boundary = "reportgen-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in data.items()]
    for field_name, (filename, content) in files.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n")
        parts.append(head.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"

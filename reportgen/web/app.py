"""The web application: a FastAPI app serving one folder of workspaces to one machine's user."""
from __future__ import annotations

import base64
import binascii
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from reportgen.web.jobs import BuildJobs

PACKAGE = Path(__file__).parent
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def create_app(root: Path, password: str | None = None) -> FastAPI:
    """The app for the workspaces under ``root``; with ``password`` every request needs it."""
    from reportgen.web.routes import router

    app = FastAPI(title="reportgen", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.root = Path(root).resolve()
    app.state.builds = BuildJobs()
    app.state.templates = Jinja2Templates(directory=str(PACKAGE / "templates"))
    app.mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static")
    app.include_router(router)
    if password:
        _require_password(app, password)
    return app


def _require_password(app: FastAPI, password: str) -> None:
    expected = password.encode("utf-8")

    @app.middleware("http")
    async def check_password(request: Request, call_next) -> Response:
        if secrets.compare_digest(_given_password(request), expected):
            return await call_next(request)
        return PlainTextResponse("需要密码：请输入启动 reportgen serve 时设置的密码（用户名任意）。", status_code=401,
                                 headers={"WWW-Authenticate": 'Basic realm="reportgen", charset="UTF-8"'})


def _given_password(request: Request) -> bytes:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return b""
    try:
        decoded = base64.b64decode(header[6:], validate=True)
    except (binascii.Error, ValueError):
        return b""
    return decoded.partition(b":")[2]


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS

"""The pages and actions of the web app (all texts Chinese; every path checked by ``files``)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from reportgen.core.errors import ReportgenError
from reportgen.web import files, hooks, preview
from reportgen.web.view import workspace_view

router = APIRouter()


def _page(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


def _root(request: Request) -> Path:
    return request.app.state.root


def _problem(request: Request, exc: ReportgenError, back: str = "/") -> HTMLResponse:
    return _page(request, "problem.html", status_code=400, message=str(exc), back=back)


def _to_workspace(name: str, note: str | None = None) -> RedirectResponse:
    url = f"/ws/{quote(name)}" + (f"?note={quote(note)}" if note else "")
    return RedirectResponse(url, status_code=303)


async def _read_upload(upload: UploadFile, limit: int) -> bytes:
    data = await upload.read(limit + 1)
    files.check_size(data, limit)
    return data


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    root = _root(request)
    return _page(request, "index.html", root=str(root), workspaces=files.workspace_names(root))


@router.post("/workspaces/new")
def new_workspace(request: Request, name: str = Form(...), region: str = Form("")) -> Response:
    from reportgen.authoring.init_workspace import init_workspace

    folder = files.new_workspace_folder(_root(request), name)
    try:
        init_workspace(folder, region.strip() or None)
    except ReportgenError as exc:
        return _problem(request, exc)
    return _to_workspace(folder.name, "已新建工作区：请下载空白工作簿，在 Excel 中填写后上传。")


@router.post("/workspaces/upload")
async def upload_workbook(request: Request, workbook: UploadFile, workspace: str = Form("")) -> Response:
    try:
        data = await _read_upload(workbook, files.MAX_WORKBOOK_BYTES)
        name = files.save_workbook(_root(request), workbook.filename or "", data, workspace or None)
    except ReportgenError as exc:
        return _problem(request, exc, f"/ws/{quote(workspace)}" if workspace else "/")
    return _to_workspace(name, "工作簿已上传，下面是数据检查结果。")


@router.get("/ws/{name}", response_class=HTMLResponse)
def workspace_page(request: Request, name: str, note: str | None = None) -> HTMLResponse:
    try:
        folder = files.workspace_path(_root(request), name)
    except ReportgenError as exc:
        return _problem(request, exc)
    job = request.app.state.builds.get(name)
    return _page(request, "workspace.html", note=note, job=job.status() if job else None,
                 **workspace_view(name, folder))


@router.get("/ws/{name}/workbook")
def download_workbook(request: Request, name: str) -> Response:
    from reportgen.loading import locate

    try:
        _, book = locate(files.workspace_path(_root(request), name))
    except ReportgenError as exc:
        return _problem(request, exc)
    if book is None:
        return _problem(request, ReportgenError("这个工作区使用 CSV 文件，没有 Excel 工作簿可下载"))
    return FileResponse(book, filename=book.name)


@router.post("/ws/{name}/build")
def start_build(request: Request, name: str) -> JSONResponse:
    try:
        folder = files.workspace_path(_root(request), name)
    except ReportgenError as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    return JSONResponse(request.app.state.builds.start(name, folder).status())


@router.get("/ws/{name}/build")
def build_status(request: Request, name: str) -> JSONResponse:
    job = request.app.state.builds.get(name)
    return JSONResponse(job.status() if job else {"state": "未开始", "done": True, "lines": []})


@router.get("/ws/{name}/files/{filename}")
def download_file(request: Request, name: str, filename: str) -> Response:
    try:
        path = files.offered_file(files.workspace_path(_root(request), name), filename)
    except ReportgenError as exc:
        return _problem(request, exc, f"/ws/{quote(name)}")
    return FileResponse(path, filename=path.name)


@router.get("/ws/{name}/all.zip")
def download_zip(request: Request, name: str) -> Response:
    try:
        offered = files.offered_files(files.workspace_path(_root(request), name))
    except ReportgenError as exc:
        return _problem(request, exc)
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name + '-报告.zip')}"}
    return Response(files.zip_of(offered), media_type="application/zip", headers=headers)


@router.get("/ws/{name}/preview/{filename}", response_class=HTMLResponse)
def preview_page(request: Request, name: str, filename: str) -> HTMLResponse:
    try:
        report = files.offered_file(files.workspace_path(_root(request), name), filename)
        pages = len(preview.page_images(report))
        problem = None
    except ReportgenError as exc:
        pages, problem = 0, str(exc)
    return _page(request, "preview.html", name=name, filename=filename, pages=pages, problem=problem)


@router.get("/ws/{name}/preview/{filename}/{page}.png")
def preview_image(request: Request, name: str, filename: str, page: int) -> Response:
    try:
        report = files.offered_file(files.workspace_path(_root(request), name), filename)
        images = preview.page_images(report)
    except ReportgenError as exc:
        return Response(str(exc), status_code=404, media_type="text/plain; charset=utf-8")
    if not 1 <= page <= len(images):
        return Response("没有这一页", status_code=404, media_type="text/plain; charset=utf-8")
    return FileResponse(images[page - 1], media_type="image/png")


@router.post("/ws/{name}/pdf")
def make_pdfs(request: Request, name: str) -> Response:
    try:
        folder = files.workspace_path(_root(request), name)
    except ReportgenError as exc:
        return _problem(request, exc)
    return _to_workspace(name, hooks.generate_pdfs(folder))


@router.post("/ws/{name}/refresh")
async def refresh_report(request: Request, name: str, document: UploadFile) -> Response:
    """The edited report is checked and handed to ``hooks.refresh_document`` (reportgen refresh)."""
    import tempfile

    try:
        folder = files.workspace_path(_root(request), name)
        filename = files.safe_name(document.filename or "", ".docx")
        data = await _read_upload(document, files.MAX_DOCUMENT_BYTES)
    except ReportgenError as exc:
        return _problem(request, exc, f"/ws/{quote(name)}")
    with tempfile.TemporaryDirectory(prefix="reportgen-upload-") as tmp:
        path = Path(tmp) / filename
        path.write_bytes(data)
        note = hooks.refresh_document(path, folder)
    return _to_workspace(name, note)

"""Skipping a render whose result is already on disk.

A report's .docx is a function of its model (the typed report model), its template, the
chart font, and the code and libraries that render it. ``model_digest`` hashes all of these;
the build stores it in ``.reportgen/state.json`` beside the digest of the file it produced.
When a later build computes the same model digest and the file on disk still has the recorded
digest, the file is reused as it is instead of being rendered again (the result would be
byte-identical). Anything that cannot be hashed simply gets rendered.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

# Libraries whose version can change the bytes of a rendered report or chart.
RENDER_LIBRARIES = ("docxtpl", "python-docx", "jinja2", "lxml", "matplotlib", "numpy", "pillow",
                    "pylopdf-fonts-zh-cn", "python-pptx", "XlsxWriter")


def model_digest(model, template: Path, font: str | None, charts: str = "native") -> str | None:
    """sha256 of everything a rendered report depends on; None when the model cannot be hashed."""
    payload = {
        "model": {name: getattr(model, name) for name in MODEL_FIELDS},
        "template": file_digest(template),
        "font": _font_identity(font),
        "charts": charts,
        "renderer": render_environment(),
    }
    try:
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=_typed)
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# What of a model reaches the document (the figure record and warnings do not).
MODEL_FIELDS = ("name", "title", "printed_title", "filename", "template", "opening", "sections", "attachments",
                "meta")


def _typed(value: object) -> object:
    """Model dataclasses as their type and fields (JSON recurses into them); other non-JSON
    values (dates…) by type and repr, so a date never hashes like its text."""
    kind = f"<{type(value).__module__}.{type(value).__qualname__}>"
    if is_dataclass(value) and not isinstance(value, type):
        return [kind, {f.name: getattr(value, f.name) for f in fields(value)}]
    return f"{kind}{value!r}"


def _font_identity(font: str | None) -> object:
    if not font:  # the machine's CJK font (or the bundled one): a font installed later redraws
        from reportgen.render.fonts import default_chart_face

        font = default_chart_face().path
    if Path(font).is_file():
        stat = Path(font).stat()
        return [font, stat.st_size, stat.st_mtime_ns]
    return font


@lru_cache(maxsize=1)
def render_environment() -> dict[str, str]:
    """The render layer's own source and the versions of the libraries it uses."""
    versions = {}
    for name in RENDER_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    source = hashlib.sha256()
    for path in sorted((Path(__file__).parents[1] / "render").glob("*.py")):
        source.update(path.name.encode() + b"\0" + path.read_bytes())
    versions["reportgen.render"] = source.hexdigest()
    return versions


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def still_current(previous: dict | None, target: Path, digest: str | None) -> bool:
    """Whether ``target`` is what the previous build rendered from a model with this digest."""
    if digest is None or not previous:
        return False
    recorded = (previous.get("rendered") or {}).get(target.name) or {}
    if recorded.get("model") != digest or not target.is_file():
        return False
    return file_digest(target) == recorded.get("file")

"""Which fonts this machine has: for picture charts and for LibreOffice's PDF conversion.

No matplotlib here (the build's parent process and ``reportgen fonts`` use it): fonts are found
through fontconfig (``fc-list``) on Linux/macOS, the Windows font registry and folder on
Windows, and a few well-known paths.

Charts prefer a CJK sans face the machine has (Windows: SimHei, Microsoft YaHei, SimSun; Linux:
Noto Sans CJK SC from ``fonts-noto-cjk``), then the Noto Sans SC file shipped in the
``pylopdf-fonts-zh-cn`` package. A face is a file plus its index inside a .ttc collection.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BUNDLED_PACKAGE = "pylopdf_fonts_zh_cn"
BUNDLED_FILE = "NotoSansSC-Regular.otf"
BUNDLED_FAMILY = "Noto Sans SC"

# Chart faces in order of preference: (family as fontconfig / matplotlib name it, Windows file, index).
CHART_FACES: tuple[tuple[str, str, int], ...] = (
    ("SimHei", "simhei.ttf", 0),
    ("Microsoft YaHei", "msyh.ttc", 0),
    ("SimSun", "simsun.ttc", 0),
    ("Noto Sans CJK SC", "", 0),
    ("Source Han Sans SC", "", 0),
    ("Noto Serif CJK SC", "", 0),
    ("WenQuanYi Micro Hei", "", 0),
)

# Where Linux distributions put Noto CJK, with the face index of the SC face in each collection.
KNOWN_PATHS: dict[str, tuple[tuple[str, int], ...]] = {
    "Noto Sans CJK SC": (("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
                         ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
                         ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2)),
    "Noto Serif CJK SC": (("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
                          ("/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc", 2),
                          ("/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc", 2)),
}

# Chinese names Windows and Word use for the system fonts, and the other way round.
ALIASES: dict[str, str] = {
    "黑体": "SimHei", "宋体": "SimSun", "仿宋": "FangSong", "楷体": "KaiTi",
    "微软雅黑": "Microsoft YaHei", "新宋体": "NSimSun",
}


@dataclass(frozen=True)
class FontFace:
    """One face of a font file; ``source`` says where it came from (shown to the user)."""

    family: str
    path: str
    index: int
    source: str   # "本机" or "自带"

    @property
    def describe(self) -> str:
        where = "本机字体" if self.source == "本机" else "reportgen 自带字体"
        return f"{self.family}（{where}：{self.path}）"


# ------------------------------------------------------------------ chart face

@lru_cache(maxsize=1)
def default_chart_face() -> FontFace:
    """The CJK face charts are drawn with when the settings name none."""
    for family, windows_file, index in CHART_FACES:
        face = machine_face(family, windows_file, index)
        if face is not None:
            return face
    return bundled_face()


def bundled_face() -> FontFace:
    """Noto Sans SC from the ``pylopdf-fonts-zh-cn`` package (a font-only package)."""
    from importlib.resources import files

    return FontFace(BUNDLED_FAMILY, str(files(BUNDLED_PACKAGE).joinpath(BUNDLED_FILE)), 0, "自带")


def machine_face(family: str, windows_file: str = "", index: int = 0) -> FontFace | None:
    """A regular face of ``family`` installed on this machine, or None."""
    if windows_file:
        for folder in windows_font_dirs():
            path = folder / windows_file
            if path.is_file():
                return FontFace(family, str(path), index, "本机")
    found = fontconfig_face(family)
    if found is not None:
        return FontFace(family, found[0], found[1], "本机")
    for path, known_index in KNOWN_PATHS.get(family, ()):  # no fontconfig (a minimal container)
        if Path(path).is_file():
            return FontFace(family, path, known_index, "本机")
    return None


def fontconfig_face(family: str) -> tuple[str, int] | None:
    """(file, face index) of the regular face fontconfig lists for ``family``."""
    lines = _fc_list(f"{family}:style=Regular", "%{file}\t%{index}\n")
    for line in lines:
        path, _, index = line.partition("\t")
        if path and index.isdigit():
            return path, int(index)
    return None


# ------------------------------------------------------------------ installed families

def has_family(name: str) -> bool:
    """Whether a font family of this name (in any of its languages) is installed."""
    names = installed_families()
    return name.casefold() in names or ALIASES.get(name, "").casefold() in names


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    """Every family name of every installed font, case-folded (fontconfig, then Windows)."""
    names: set[str] = set()
    for line in _fc_list("", "%{family}\n"):
        names.update(part.strip().casefold() for part in line.split(",") if part.strip())
    names.update(name.casefold() for name in windows_registry_families())
    return frozenset(names)


def _fc_list(pattern: str, fmt: str) -> list[str]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        done = subprocess.run([fc_list, "--format", fmt, pattern] if pattern else [fc_list, "--format", fmt],
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(line for line in done.stdout.splitlines() if line.strip())


def windows_font_dirs() -> list[Path]:
    """The system and per-user font folders of Windows (none elsewhere)."""
    if sys.platform != "win32":
        return []
    folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return [folder for folder in folders if folder.is_dir()]


def windows_registry_families() -> list[str]:
    """Family names from the Windows font registry (machine and user), e.g. "仿宋_GB2312"."""
    if sys.platform != "win32":
        return []
    import winreg

    key_path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    entries: list[str] = []
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(hive, key_path) as key:
                entries += [winreg.EnumValue(key, i)[0] for i in range(winreg.QueryInfoKey(key)[1])]
        except OSError:
            continue
    return registry_names(entries)


def registry_names(entries: list[str]) -> list[str]:
    """"SimSun & NSimSun (TrueType)" → ["SimSun", "NSimSun"]."""
    names = []
    for entry in entries:
        base = entry.split(" (")[0]
        names += [part.strip() for part in base.split("&") if part.strip()]
    return names


def chart_font_note(setting: str | None) -> str:
    """One line for the build output: which font the picture charts are drawn in."""
    if setting:
        return f"图表字体：{setting}（reportgen.yaml 的「图表字体」）"
    face = default_chart_face()
    if face.source == "自带":
        return f"图表字体：本机没有中文字体，使用 {face.describe}"
    return f"图表字体：{face.describe}"

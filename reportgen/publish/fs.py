"""Operating-system errors on the output side as Chinese messages with the path and what to do."""
from __future__ import annotations

import errno
import os
from pathlib import Path

from reportgen.core.errors import OutputError

_ADVICE = {
    errno.ENOSPC: "磁盘空间不足，请清理磁盘或用 --out 指定其他磁盘上的文件夹后重试",
    errno.EDQUOT: "磁盘配额已用完，请清理后重试",
    errno.EROFS: "所在磁盘是只读的，请用 --out 指定可写的文件夹",
    errno.EACCES: "没有写入权限，请检查文件夹权限或用 --out 指定可写的文件夹",
    errno.EPERM: "不允许修改（文件可能被设为只读或被其他程序占用），请关闭正在打开的文件后重试",
    errno.ENOTDIR: "路径中有一部分是文件而不是文件夹，请用 --out 指定一个文件夹",
    errno.EEXIST: "已存在同名文件，不是文件夹，请用 --out 指定一个文件夹",
    errno.EISDIR: "这是一个文件夹而不是文件，请检查路径",
    errno.ENAMETOOLONG: "文件名或路径过长，请缩短「地区名称」或把输出文件夹放到较短的路径下",
    errno.ENOENT: "文件或文件夹不存在，请检查路径",
    errno.EBUSY: "文件正被其他程序使用，请关闭正在打开的文件后重试",
}


def output_error(exc: OSError, path: Path | str | None = None) -> OutputError:
    """An ``OutputError`` for ``exc`` naming the path involved and what the user can do."""
    where = path or exc.filename or ""
    advice = _ADVICE.get(exc.errno, f"系统错误：{exc.strerror or exc}")
    error = OutputError(f"无法写入「{where}」：{advice}")
    error.__cause__ = exc
    return error


def is_replaceable(path: Path) -> bool:
    """False for a file marked read-only (or immutable): the publish must not try to replace it.

    On Windows a report open in Word cannot be replaced either; that shows up as the rename
    failing, and the transaction rolls back (see ``reportgen.publish.journal``).
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return True
    if not st.st_mode & 0o222:
        return False
    return not getattr(st, "st_flags", 0) & (getattr(os, "UF_IMMUTABLE", 0) | getattr(os, "SF_IMMUTABLE", 0))


def remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def atomic_write(path: Path, data: bytes) -> None:
    """Write beside the target, flush to disk, then rename over it: readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise output_error(exc, path) from exc

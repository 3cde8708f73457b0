"""Moving a build's files into the output folder as one step: all of them, or none.

Before anything is moved, a journal (``.reportgen/journal.json``, flushed to disk) lists every
move: the staged file, its target, and where the target's previous content goes (a kept
version in 历史版本, or a private backup for 数字记录.json and state.json). The previous files
are moved aside first, then the new ones into place. If a move fails (a report open in Word,
a read-only or immutable file, a full disk), everything already moved is moved back and the
error names the file. If the process is killed in between, the next build (holding the
output folder's lock) finds the journal and finishes it, when every new file was in place,
or undoes it.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from reportgen.core.errors import OutputError
from reportgen.publish.fs import atomic_write, is_replaceable, output_error
from reportgen.publish.names import inside

JOURNAL = "journal.json"
BACKUP_DIR = "txn-backup"
PREPARED, COMMITTED = "prepared", "committed"


@dataclass
class Move:
    """One file of the transaction; paths relative to the output folder."""

    target: str
    staged: str
    backup: str | None   # where the previous target goes (None: there is none)
    kept: bool = False    # the backup is a kept version (stays) rather than a temporary copy


def backup_path(state_dir: Path, name: str) -> Path:
    return state_dir / BACKUP_DIR / name


def commit(out: Path, state_dir: Path, moves: list[Move]) -> None:
    """Apply ``moves`` atomically as a set (see the module docstring); raises OutputError."""
    for move in moves:
        for rel in (move.target, move.staged, move.backup):
            if rel is not None:
                inside(out, out / rel)
        if not is_replaceable(out / move.target):
            raise _locked(out / move.target)
    journal = state_dir / JOURNAL
    _write_journal(journal, PREPARED, moves)
    try:
        _apply(out, moves)
    except OSError as exc:
        _undo(out, moves)
        journal.unlink(missing_ok=True)
        raise _move_error(exc) from exc
    _write_journal(journal, COMMITTED, moves)
    _finish(out, state_dir, moves)
    journal.unlink(missing_ok=True)


def recover(out: Path, state_dir: Path) -> str | None:
    """Finish or undo a transaction a killed build left; returns a warning text, or None."""
    journal = state_dir / JOURNAL
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        phase, moves = data["phase"], [Move(**m) for m in data["moves"]]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)
        return f"{journal}：上次发布的记录已损坏，已删除"
    try:
        if phase == COMMITTED:
            _finish(out, state_dir, moves)
            note = "上次生成在发布完成后被中断，已完成收尾"
        else:
            _undo(out, moves)
            note = "上次生成在发布过程中被中断，已恢复为那次生成之前的报告"
    except OSError as exc:
        raise output_error(exc) from exc
    journal.unlink(missing_ok=True)
    return note


def _apply(out: Path, moves: list[Move]) -> None:
    for move in moves:
        target = out / move.target
        if move.backup is not None and target.exists():
            backup = out / move.backup
            backup.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, backup)
    for move in moves:
        os.replace(out / move.staged, out / move.target)


def _undo(out: Path, moves: list[Move]) -> None:
    """Put every previous file back; remove new files that had no predecessor. Idempotent."""
    for move in reversed(moves):
        target, staged = out / move.target, out / move.staged
        if move.backup is not None and (out / move.backup).exists():
            os.replace(out / move.backup, target)
        elif move.backup is None and target.exists() and not staged.exists():
            target.unlink()


def _finish(out: Path, state_dir: Path, moves: list[Move]) -> None:
    for move in moves:
        if move.backup is not None and not move.kept:
            (out / move.backup).unlink(missing_ok=True)
    shutil.rmtree(state_dir / BACKUP_DIR, ignore_errors=True)


def _write_journal(path: Path, phase: str, moves: list[Move]) -> None:
    data = json.dumps({"phase": phase, "moves": [asdict(m) for m in moves]}, ensure_ascii=False)
    atomic_write(path, data.encode("utf-8"))


def _locked(path: Path) -> OutputError:
    return OutputError(f"无法替换「{path}」：文件被设为只读或正被其他程序（如 Word）打开。"
                       "请关闭正在打开的文件后重试（原有报告保持不变）")


def _move_error(exc: OSError) -> OutputError:
    import errno

    if exc.errno in (errno.EPERM, errno.EACCES, errno.EBUSY, errno.ETXTBSY):
        return _locked(Path(exc.filename or ""))
    error = output_error(exc)
    return OutputError(f"{error}（原有报告保持不变）")

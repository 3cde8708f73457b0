"""What a build remembers in the output folder: the previous build's state (inputs, figures, ledger).

Layout of an output folder::

    输出/
      某县2025年….docx          current reports
      变更说明.docx             what changed since the previous build (when there was one)
      数字记录.json             every figure printed (id, value, report, section, where)
      判定记录.json             every verdict (达标项数, 达标/未达标, lists of schools), for the 变更说明
      历史版本/<时间>/….docx     earlier versions, moved here before being replaced
      .reportgen/state.json     the last build's input cells, figures, verdicts and ledger snapshot
      .reportgen/cache/         chart cache (safe to delete)
"""
from __future__ import annotations

import json
from pathlib import Path


STATE_DIR = ".reportgen"
STATE_FILE = "state.json"


def state_path(out_dir: Path) -> Path:
    return out_dir / STATE_DIR / STATE_FILE


# The shape of a state.json this version can use: key → expected JSON type.
_STATE_SHAPE = {"inputs": dict, "figures": list, "ledger": list, "ledger_history": list,
                "rendered": dict, "reports": dict, "built_at": str, "verdicts": dict}


def load_state(out_dir: Path, warnings: list[str] | None = None) -> dict | None:
    """The previous build's state; a corrupt or wrong-shaped file counts as no previous build
    (a warning is appended to ``warnings``; the next publish writes a new one)."""
    path = state_path(out_dir)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        return _discard(path, warnings, type(exc).__name__)
    if not isinstance(state, dict) or any(key in state and not isinstance(state[key], kind)
                                          for key, kind in _STATE_SHAPE.items()):
        return _discard(path, warnings, "内容结构不对")
    return state


def _discard(path: Path, warnings: list[str] | None, why: str) -> None:
    if warnings is not None:
        warnings.append(f"{path}：上次生成记录已损坏（{why}），已忽略，本次按首次生成处理并重新记录")
    return None


def previous_ledger(out_dir: Path) -> list[dict] | None:
    state = load_state(out_dir)
    return None if state is None else state.get("ledger")


LEDGER_HISTORY_LIMIT = 20


def earlier_ledger(state: dict | None, current: list[dict]) -> list[dict] | None:
    """The most recent ledger snapshot that differs from ``current`` (None when there is none).

    Reports say "较上次报告新增完成N项" against it, so rebuilding without touching the ledger
    keeps the same comparison instead of comparing the ledger with itself.
    """
    for snapshot in reversed((state or {}).get("ledger_history", [])):
        if snapshot != current:
            return snapshot
    return None


def ledger_history(state: dict | None, current: list[dict]) -> list[dict]:
    """The distinct ledger snapshots of past builds, newest last, with ``current`` appended."""
    history = list((state or {}).get("ledger_history", []))
    if not history or history[-1] != current:
        history.append(current)
    return history[-LEDGER_HISTORY_LIMIT:]

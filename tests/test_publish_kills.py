"""Builds killed, interrupted or run twice at once, as real processes: the output folder holds the
previous set of reports or the new one, never a mix; no reportgen process survives; no traceback."""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from reportgen.publish import journal
from reportgen.publish.build import build
from tests.test_build import docx_files
from tests.test_publish_safety import built, county, setup  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.slow
CLI = [sys.executable, "-c", "from reportgen.cli.app import main; main()"]


@pytest.fixture
def sets(setup, tmp_path):
    """(workspace, previous reports, new reports, fresh copies of the previous output folder)."""
    ws, out = setup
    old = docx_files(out)
    reference = tmp_path / "reference"
    shutil.copytree(out, reference)
    build(ws, ["all"], reference)
    new = docx_files(reference)
    assert new != old

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(out, target)
        return target

    return ws, old, new, copy


def start(ws: Path, out: Path, token: str, **env) -> subprocess.Popen:
    environment = {**os.environ, "REPORTGEN_TEST_RUN": token, **env}
    return subprocess.Popen([*CLI, "build", str(ws), "--out", str(out), "--jobs", "2"], env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def survivors(token: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            try:
                if f"REPORTGEN_TEST_RUN={token}".encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def wait_until_gone(token: str, seconds: float = 5.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := survivors(token)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_sigkill_at_random_moments_leaves_old_or_new_and_no_process(sets):
    if not Path("/proc/self/environ").exists():
        pytest.skip("needs /proc")
    ws, old, new, copy = sets
    rng = random.Random(13)
    runs = []
    for i, delay in enumerate(sorted(rng.uniform(0.5, 12.0) for _ in range(4))):
        token, out = uuid.uuid4().hex, copy(f"out{i}")
        runs.append((start(ws, out, token), token, out, delay))
    began = time.monotonic()
    for process, _, _, delay in runs:
        time.sleep(max(0.0, began + delay - time.monotonic()))
        process.kill()
    for process, token, out, _ in runs:
        process.communicate(timeout=60)
        assert wait_until_gone(token) == [], "a worker or the forkserver outlived the killed build"
        journal.recover(out, out / ".reportgen")
        assert docx_files(out) in (old, new)


@pytest.mark.parametrize("signum,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_interrupt_prints_one_chinese_line_and_tells_the_truth(sets, signum, code):
    ws, old, new, copy = sets
    rng = random.Random(int(signum))
    runs = []
    for i in range(2):
        token, out = uuid.uuid4().hex, copy(f"{signum.name}{i}")
        runs.append((start(ws, out, token), token, out, rng.uniform(1.0, 10.0)))
    began = time.monotonic()
    for process, _, _, delay in runs:
        time.sleep(max(0.0, began + delay - time.monotonic()))
        if process.poll() is None:
            os.killpg(process.pid, signum)  # as a terminal does: the whole process group
    for process, token, out, _ in runs:
        _, err = process.communicate(timeout=60)
        assert "Traceback" not in err
        assert wait_until_gone(token) == []
        if process.returncode == 0:  # finished before the signal
            assert docx_files(out) == new
            continue
        assert process.returncode == code, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("已中断"), err
        assert docx_files(out) == (new if "全部写入" in lines[0] else old)


def test_two_builds_of_one_output_folder_take_turns(sets):
    ws, old, new, copy = sets
    out = copy("together")
    tokens = [uuid.uuid4().hex, uuid.uuid4().hex]
    processes = [start(ws, out, token, REPORTGEN_LOCK_WAIT="120") for token in tokens]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0 and "Traceback" not in err, err
    reports = {name: data for name, data in docx_files(out).items() if name != "变更说明.docx"}
    assert reports == {name: data for name, data in new.items() if name != "变更说明.docx"}
    assert not list((out / ".reportgen").glob("staging-*"))

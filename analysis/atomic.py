"""Files replaced whole or not at all: temporary files beside their target, with the mode a plain
``open`` gives, left-overs of killed processes cleaned up, and a test hook to kill a run at a
named stage. Used by the features table set (:mod:`analysis.cli`) and by
:func:`analysis.figures.save_figure`.
"""

from __future__ import annotations

import os
import secrets
import signal
from pathlib import Path

__all__ = ["KILL_ENV", "kill_point", "pid_alive", "new_temp"]

KILL_ENV = "ANALYSIS_TEST_KILL_AT"  # test hook: SIGKILL at a named stage (tests/test_interrupt.py)


def kill_point(stage: str) -> None:
    """Test hook: kill this process with SIGKILL at ``stage`` when $ANALYSIS_TEST_KILL_AT names
    it, so tests can check what an interrupted run leaves behind."""
    if os.environ.get(KILL_ENV) == stage:
        os.kill(os.getpid(), signal.SIGKILL)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def new_temp(folder: Path, name: str) -> Path:
    """Create an empty ``.<name>.<pid>-<random>.tmp`` in ``folder`` with the mode a plain
    ``open`` gives (0666 less the umask; ``tempfile.mkstemp`` would give 0600). Temp files of
    ``name`` left by killed processes (their pid is gone) are removed first."""
    prefix = f".{name}."
    for old in folder.glob(f"{prefix}*.tmp"):
        pid = old.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            old.unlink(missing_ok=True)
    while True:
        tmp = folder / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue

"""Files replaced whole or not at all: temporary files beside their target, with the mode a plain
``open`` gives, left-overs of killed processes cleaned up, a lock so that one run at a time
writes into a folder, and a test hook to kill a run at a named stage. Used by the features
table set (:mod:`analysis.cli`) and by :func:`analysis.figures.save_figure`.
"""

from __future__ import annotations

import importlib
import os
import secrets
import signal
from contextlib import contextmanager
from pathlib import Path

from .errors import AnalysisError

# flock is POSIX; elsewhere (Windows) this module must still import, for save_figure: no lock.
fcntl = importlib.import_module("fcntl") if os.name == "posix" else None

__all__ = ["KILL_ENV", "LOCK_NAME", "FolderBusy", "folder_lock", "kill_point", "pid_alive",
           "new_temp"]

LOCK_NAME = ".analysis.lock"  # held in an output folder while a run writes there


class FolderBusy(AnalysisError):
    """Another run holds the lock of the output folder (exit code 2)."""

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


def _try_lock(path: Path) -> int | None:
    """An open descriptor of ``path`` holding its exclusive lock, or None when another process
    holds it. The lock is taken on the file that is at ``path`` after locking: a file removed
    by the run that held it is opened again."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:  # removed by the run that held it, between open and flock
            same = False
        if same:
            return fd
        os.close(fd)


@contextmanager
def folder_lock(folder: Path, *, what: str = "tables"):
    """Hold the lock of an output folder while a run writes there; a second run is refused.

    The lock is ``flock`` on ``<folder>/.analysis.lock``, taken without waiting, released
    (and the file removed) at the end; a killed run's lock goes with its process. Worker
    processes forked meanwhile share the descriptor, so the lock is released explicitly.

    Parameters
    ----------
    folder : Path
        The output folder; created if missing.
    what : str
        What the run writes there, for the message.

    Raises
    ------
    FolderBusy
        Another run holds the lock.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    path = folder / LOCK_NAME
    fd = _try_lock(path)
    if fd is None:
        raise FolderBusy(f"{folder}: another run of python -m analysis is writing {what} there "
                         f"(it holds {LOCK_NAME}); wait for it to finish or give another -o")
    try:
        yield
    finally:
        # Removed while still locked: a run that opened the old file finds it gone and retries.
        path.unlink(missing_ok=True)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

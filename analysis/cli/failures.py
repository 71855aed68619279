"""How a command fails: a usage stop (exit code 2) or an internal error (exit code 3).

:class:`UsageStop` is the input's or the caller's doing and prints one line; so is a full disk
or quota (:func:`is_disk_full`, :class:`DiskFull`). Anything else that
escapes a command is a bug: :func:`internal_error` prints one line naming the error and, when
known, the article being scored, and writes the traceback to a log file. The article is known
because the features command wraps its scorers with :func:`analysis.tracing.trace_articles`,
which marks each exception with the article it was raised on; the mark survives pickling, so
errors raised in worker processes (local or dask) keep it.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import traceback
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..config import BUILD_DIR
from ..tracing import article_of

LOG_DIR_ENV = "ANALYSIS_LOG_DIR"  # where tracebacks of internal errors go (default build/logs)


class UsageStop(Exception):
    """A stop that is the input's or the caller's doing: one line, exit code 2."""


# No space left on the device, or the user's quota exceeded: not a bug of the tool.
DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def is_disk_full(err: BaseException) -> bool:
    """Tell whether an exception is a full disk or an exceeded quota.

    Parameters
    ----------
    err : BaseException

    Returns
    -------
    bool
    """
    return isinstance(err, OSError) and err.errno in DISK_FULL


class DiskFull(UsageStop):
    """Writing into ``folder`` ran out of space (or quota); ``replaced`` says what is left."""

    def __init__(self, folder, err: OSError, left: str = "nothing was replaced"):
        super().__init__(f"{folder}: {err.strerror or os.strerror(err.errno)} while writing; "
                         f"{left}: free some space or give another -o")


# --------------------------------------------------------------------------- the log


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _write_log(text: str, command: str) -> Path:
    """The traceback of an internal error, in $ANALYSIS_LOG_DIR or build/logs/ (the temp folder
    when neither can be written)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = f"analysis-{command}-{stamp}-{os.getpid()}.log"
    for folder in (Path(os.environ.get(LOG_DIR_ENV) or BUILD_DIR / "logs"),
                   Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    raise OSError("no folder to write the log to")


def internal_error(err: BaseException, args, argv: list[str]) -> int:
    """Report a bug that stopped a command: one line on stderr, the traceback in a log.

    Parameters
    ----------
    err : BaseException
        The exception that escaped the command.
    args : argparse.Namespace
        The parsed arguments: ``command`` names the log file; with ``debug`` the traceback is
        printed on stderr instead of logged.
    argv : list of str
        The arguments as given, written at the top of the log.

    Returns
    -------
    int
        3, the exit code of an internal error.
    """
    article = article_of(err)
    where = f" while scoring article {article}" if article else ""
    first = (str(err).strip().splitlines() or [""])[0]
    what = f"{type(err).__name__}: {first}" if first else type(err).__name__
    tb = "".join(traceback.format_exception(err))
    if getattr(args, "debug", False):
        sys.stderr.write(tb)
        print(f"error: internal error{where}: {what}", file=sys.stderr)
        return 3
    header = (f"python -m analysis {' '.join(argv)}\nanalysis {__version__}, "
              f"Python {sys.version.split()[0]}\n\n")
    try:
        log = f"traceback in {_shown(_write_log(header + tb, args.command))}"
    except OSError:
        log = "rerun with --debug for the traceback"
    print(f"error: internal error{where}: {what}; {log}", file=sys.stderr)
    return 3

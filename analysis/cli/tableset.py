"""The set of tables written by ``python -m analysis features``, swapped in as one.

A run of ``features`` writes several tables beside each other: the features table, evidence,
audit, errors, sentences, attributions, terms and ``<stem>.manifest.json``. The manifest lists
every table with its rows, bytes and sha256, so that ``status`` can tell a complete set from a
set that a crash, a kill or a hand edit left behind. :func:`write_feature_set` stages the new
set in a hidden folder beside the old one and renames the files into place, the features table
last; :func:`check_feature_set` compares a set on disk with its manifest. Which files belong to
a set, and which are the user's (never replaced nor removed), is :mod:`analysis.cli.manifest`.

This module is imported by ``status`` and must stay light: no pandas at import (the DataFrames
it writes come from the caller).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..atomic import kill_point, new_temp, pid_alive
from ..formulas import neutralise_cells
from .failures import DiskFull, is_disk_full
from .manifest import (COMPANIONS, ERRORS_NAME, MANIFEST_FORMAT, TABLE_SUFFIXES, journal_path,
                       known_tables, manifest_path, previous_files, read_manifest, refuse_foreign,
                       sha256_of, table_files, write_json)

if TYPE_CHECKING:  # only for annotations: status must not load pandas
    import pandas as pd

__all__ = ["COMPANIONS", "ERRORS_NAME", "TABLE_SUFFIXES", "check_feature_set", "manifest_path",
           "plural", "study_phrase", "summary_line", "write_feature_set", "write_table"]


# --------------------------------------------------------------------------- writing tables


def _write_frame(df: pd.DataFrame, dest: Path, suffix: str) -> None:
    if suffix.lower() in (".parquet", ".pq"):
        df.to_parquet(dest, index=False)
    else:  # text a spreadsheet would run as a formula gets a leading ' (analysis.formulas)
        neutralise_cells(df).to_csv(dest, index=False, lineterminator="\n")


def write_table(df: pd.DataFrame, path: Path) -> None:
    """Write one table atomically, as CSV or Parquet according to the file's suffix.

    The table goes to a temporary file beside ``path`` first, which is then renamed over it:
    a reader sees the old table or the new one, never half of one.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; its index is not written.
    path : Path
        Destination; ``.parquet`` or ``.pq`` writes Parquet, any other suffix CSV with ``\\n``
        line ends. Missing parent folders are created.

    Returns
    -------
    None
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = new_temp(path.parent, path.name)
    try:
        _write_frame(df, tmp, path.suffix)
        os.replace(tmp, path)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if is_disk_full(err):
            raise DiskFull(path, err, f"{path.name} was not replaced") from err
        raise


# --------------------------------------------------------------------------- the swap


def _remove_stale_staging(folder: Path, stem: str) -> None:
    """Staging folders left by runs that were killed (their process is gone)."""
    prefix = f".{stem}.staging-"
    for d in folder.glob(prefix + "*"):
        pid = d.name[len(prefix):].split("-", 1)[0]
        if d.is_dir() and pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


@contextmanager
def _signals_deferred():
    """Hold Ctrl-C and SIGTERM while the set is swapped (a few renames); they act after it."""
    held: list[int] = []
    try:
        old = {s: signal.signal(s, lambda signum, frame: held.append(signum))
               for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: signals go to the main thread anyway
        yield
        return
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, signal.SIG_DFL if handler is None else handler)
        for s in dict.fromkeys(held):
            signal.raise_signal(s)


def write_feature_set(tables: dict[str, pd.DataFrame], features: str | Path, *,
                      info: dict | None = None, mtime: float | None = None) -> dict:
    """Replace the set of tables in the features table's folder, all of it or nothing.

    Every table and the manifest are first written into a fresh hidden staging folder beside
    the set. Then, with Ctrl-C and SIGTERM held back: the old features table is removed, old
    tables that the new set does not have are removed, the new tables and the manifest are
    renamed into place and the features table comes last. Killed at any point, the process
    leaves the old complete set, or no features table (visibly stale: ``make`` rebuilds it),
    or the new complete set. The test hook ``$ANALYSIS_TEST_KILL_AT`` can stop it at the named
    stages ``features:staged``, ``features:removed``, ``features:<table>``,
    ``features:manifest`` and ``features:committed`` (see :mod:`analysis.atomic`).

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Tables by name. ``"features"`` is written to ``features``, ``"errors"`` to
        ``errors.csv``, any other name to ``<name><suffix of features>``.
    features : str or Path
        The features table (``.csv``, ``.parquet`` or ``.pq``); its folder holds the set.
    info : dict, optional
        Extra entries of the manifest (articles, problems, parameters of the run).
    mtime : float, optional
        Modification time stamped on the features table, e.g. the time the run started, so
        that ``make`` sees inputs changed during the run as newer.

    Returns
    -------
    dict
        The manifest written: ``format``, ``package_version``, the ``info`` entries and
        ``tables`` (file, rows, bytes and sha256 of each table).

    Examples
    --------
    >>> import pandas as pd
    >>> m = write_feature_set({"features": pd.DataFrame({"article_id": ["a"]}),
    ...                        "errors": pd.DataFrame()}, tmp / "features.csv")  # doctest: +SKIP
    >>> sorted(m["tables"])  # doctest: +SKIP
    ['errors', 'features']
    """
    features = Path(features)
    folder = features.parent
    folder.mkdir(parents=True, exist_ok=True)
    refuse_foreign(features, tables)  # the user's files are never replaced nor removed
    _remove_stale_staging(folder, features.stem)
    files = table_files(features, tables)
    staging = Path(tempfile.mkdtemp(prefix=f".{features.stem}.staging-{os.getpid()}-",
                                    dir=folder))
    try:
        entries = {}
        for name in sorted(tables, key=lambda n: (n == "features", n)):
            dest = staging / files[name]
            _write_frame(tables[name], dest, Path(files[name]).suffix)
            entries[name] = {"file": files[name], "rows": int(len(tables[name])),
                             "bytes": dest.stat().st_size, "sha256": sha256_of(dest)}
        manifest = {"format": MANIFEST_FORMAT, "package_version": __version__, **(info or {}),
                    "tables": entries}
        mpath = manifest_path(features)
        (staging / mpath.name).write_text(
            json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8")
        if mtime is not None:
            os.utime(staging / features.name, (mtime, mtime))
        heads, others = previous_files(features)
        new = set(files.values())
        known = [{"file": f, "bytes": b, "sha256": h}
                 for f, pairs in sorted(known_tables(features).items()) for b, h in sorted(pairs)]
        write_json({"tables": known + list(entries.values())}, journal_path(features))
        with _signals_deferred():
            kill_point("features:staged")
            for f in sorted(heads):  # from here until the last rename the set is incomplete
                (folder / f).unlink(missing_ok=True)
            kill_point("features:removed")
            for f in sorted(others - new):
                (folder / f).unlink(missing_ok=True)
            for name in sorted(n for n in tables if n != "features"):
                os.replace(staging / files[name], folder / files[name])
                kill_point(f"features:{name}")
            os.replace(staging / mpath.name, mpath)
            kill_point("features:manifest")
            os.replace(staging / features.name, features)
            journal_path(features).unlink(missing_ok=True)
            kill_point("features:committed")
        return manifest
    except OSError as err:
        if is_disk_full(err):  # staging or journal: the old set is still whole
            raise DiskFull(folder, err, "nothing was replaced") from err
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def check_feature_set(features: str | Path, *, verify: bool = False) -> tuple[bool, str, dict]:
    """Tell whether a features table and its companions form the set its manifest describes.

    Parameters
    ----------
    features : str or Path
        The features table.
    verify : bool, default False
        Also recompute every table's sha256 (reads them all); by default only the presence and
        size of each table are compared with the manifest.

    Returns
    -------
    complete : bool
        True when every table is there as recorded.
    reason : str
        Why the set is not complete (one line naming the file and what to run), else ``""``.
    manifest : dict
        The manifest as read, or ``{}`` when there is none to trust.

    Examples
    --------
    >>> complete, reason, manifest = check_feature_set("data/processed/features.csv")
    ... # doctest: +SKIP
    """
    features = Path(features)
    mpath = manifest_path(features)
    if not features.exists():
        return False, f"{features}: missing (the last run did not finish); run `make features`", {}
    manifest = read_manifest(mpath)
    if not manifest or not isinstance(manifest.get("tables"), dict):
        return False, f"{mpath}: missing or unreadable; run `make features` again", {}
    tables = manifest["tables"]
    if tables.get("features", {}).get("file") != features.name:
        return False, f"{mpath} describes another features table; run `make features` again", {}
    for name, entry in sorted(tables.items()):
        path = features.with_name(entry["file"])
        if not path.exists():
            return False, f"{path}: missing from the set in {mpath}", manifest
        if path.stat().st_size != entry["bytes"] or (verify and sha256_of(path) != entry["sha256"]):
            # A run refuses to replace it (it may hold the user's edits): move it away first.
            return False, (f"{path}: changed since the run that wrote {features.name} "
                           f"(not as in {mpath.name}); move it away, then run "
                           "`make features`"), manifest
    return True, "", manifest


# --------------------------------------------------------------------------- the summary line


def plural(n: int, word: str) -> str:
    """``n`` with thousands separators and ``word``, with an ``s`` unless ``n`` is 1.

    Parameters
    ----------
    n : int
        The count.
    word : str
        The singular noun.

    Returns
    -------
    str
        For example ``"1 article"`` or ``"1,200 articles"``.
    """
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def study_phrase(study: str) -> str:
    """How a run's study is named in its summary line.

    Parameters
    ----------
    study : str
        The study file as recorded in the manifest; ``""`` for no study.

    Returns
    -------
    str

    Examples
    --------
    >>> study_phrase("data/study.yml"), study_phrase("")
    ('study data/study.yml', 'no study (sources tied to countries)')
    """
    return f"study {study}" if study else "no study (sources tied to countries)"


def summary_line(n_articles: int, features: str | Path, n_skipped: int, n_problems: int,
                 errors: str | Path, *, study: str | None = None, written: bool = True) -> str:
    """The one line a ``features`` run ends with; ``status`` prints the same of a set on disk.

    Parameters
    ----------
    n_articles : int
        Articles (rows) in the features table.
    features : str or Path
        The features table, as it is to be shown.
    n_skipped : int
        Inputs (files, rows) left out of the tables.
    n_problems : int
        Problems found; when 0 the line says nothing of skipped inputs.
    errors : str or Path
        The table that lists the problems.
    study : str, optional
        The study file the run used (``""``: none, :func:`study_phrase`); None: not said (a
        manifest that does not record it).
    written : bool, default True
        True: ``"N articles -> table"`` (a run wrote it); False: ``"table: N articles"``.

    Returns
    -------
    str
        The line, without a line end.

    Examples
    --------
    >>> summary_line(3, "out/features.csv", 1, 2, "out/errors.csv")
    '3 articles -> out/features.csv; 1 input skipped (2 problems, listed in out/errors.csv)'
    >>> summary_line(3, "f.csv", 1, 2, "e.csv", study="s.yml")
    '3 articles -> f.csv with study s.yml; 1 input skipped (2 problems, listed in e.csv)'
    """
    line = (f"{plural(n_articles, 'article')} -> {features}" if written
            else f"{features}: {plural(n_articles, 'article')}")
    if study is not None:
        line += f" with {study_phrase(study)}"
    if n_problems:
        line += (f"; {plural(n_skipped, 'input')} skipped ({plural(n_problems, 'problem')}, "
                 f"listed in {errors})")
    return line

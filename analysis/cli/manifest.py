"""Whose files a set of tables is made of: the names of the set, its manifest, and the files
this tool wrote (the user's are never replaced nor removed).

A run of ``python -m analysis features`` writes the features table, ``errors.csv``, the
companion tables and ``<stem>.manifest.json``, which lists every table with its rows, bytes and
sha256. A file of the set's names that no manifest lists as it is on disk is the user's (or
edited by hand): :func:`refuse_foreign` stops a run that would replace or remove it. While a
set is swapped, a journal beside it lists the tables of both sets, so that a run killed half-way
leaves files the next run still knows.

Light (no pandas): ``status`` imports it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..atomic import new_temp
from .failures import UsageStop

ERRORS_NAME = "errors.csv"
MANIFEST_FORMAT = 1
# Tables `features` may write beside the features table: files of these names are part of the
# set (replaced, or removed when a run does not write them) once a manifest lists them; later
# tables are found through the previous run's manifest.
COMPANIONS = ("evidence", "audit", "sentences", "attributions", "terms")
TABLE_SUFFIXES = (".csv", ".parquet", ".pq")  # the formats the tables are written in


def write_json(obj: dict, path: Path) -> None:
    """``obj`` as sorted, indented JSON, replacing ``path`` atomically."""
    tmp = new_temp(path.parent, path.name)
    try:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                       encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest_path(features: str | Path) -> Path:
    """Where the manifest of a features table lives.

    Parameters
    ----------
    features : str or Path
        The features table, e.g. ``data/processed/features.csv``.

    Returns
    -------
    Path
        ``<folder>/<stem>.manifest.json`` beside the table.

    Examples
    --------
    >>> manifest_path("data/processed/features.csv").name
    'features.manifest.json'
    """
    features = Path(features)
    return features.with_name(f"{features.stem}.manifest.json")


def table_files(features: Path, names) -> dict[str, str]:
    suffix = features.suffix or ".csv"
    return {n: features.name if n == "features" else ERRORS_NAME if n == "errors"
            else n + suffix for n in names}


def read_manifest(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def previous_files(features: Path) -> tuple[set[str], set[str]]:
    """(features tables, other tables) of the set in ``features``' folder now: from its
    manifest, plus the known companion names. Plain file names in that folder only."""
    folder, suffix = features.parent, features.suffix or ".csv"
    heads, others = {features.name}, {n + suffix for n in COMPANIONS} | {ERRORS_NAME}
    old = read_manifest(manifest_path(features)) or {}
    for name, entry in (old.get("tables") or {}).items():
        f = str(entry.get("file", "")) if isinstance(entry, dict) else ""
        if f and f == Path(f).name and Path(f).suffix.lower() in TABLE_SUFFIXES:
            (heads if name == "features" else others).add(f)
    return heads, {f for f in others if (folder / f).exists()}


def journal_path(features: Path) -> Path:
    """Beside the set while it is swapped: every table of the old and the new set, so that a
    run killed half-way leaves tables the next run still knows as this tool's."""
    return features.with_name(f".{features.stem}.swap.json")


def known_tables(features: Path) -> dict[str, set[tuple[int, str]]]:
    """File name -> (bytes, sha256) of the tables this tool wrote into ``features``' folder:
    the manifest's, and the journal's of a swap that was killed."""
    known: dict[str, set[tuple[int, str]]] = {}
    for m in (manifest_path(features), journal_path(features)):
        entries = (read_manifest(m) or {}).get("tables") or {}
        for entry in entries.values() if isinstance(entries, dict) else entries:
            if isinstance(entry, dict) and {"file", "bytes", "sha256"} <= entry.keys():
                known.setdefault(str(entry["file"]), set()).add((entry["bytes"], entry["sha256"]))
    return known


def set_files(features: str | Path, names=()) -> list[Path]:
    """Every file a run writing ``features`` may write, replace or remove (the manifest too).

    Parameters
    ----------
    features : str or Path
        The features table to be written.
    names : iterable of str
        More table names the run may write (``<name><suffix>``), besides the companions.

    Returns
    -------
    list of Path
        Sorted, in ``features``' folder: the features table, ``errors.csv``, the companions,
        ``names``, the tables of the previous manifest and the manifest.
    """
    features = Path(features)
    heads, others = previous_files(features)
    names = set(table_files(features, [*COMPANIONS, "errors", "features", *names]).values())
    return [features.with_name(f)
            for f in sorted(heads | others | names | {manifest_path(features).name})]


def foreign_files(features: str | Path, names=()) -> list[str]:
    """Files that a run writing ``features`` would replace or remove but that no run of this
    tool wrote as they are: the user's (or edited by hand).

    A file of the set's names (the features table, ``errors.csv``, the companions, ``names``
    and the tables of the previous manifest) is the tool's when the previous run's manifest
    lists it with its size and sha256; any other such file is foreign.

    Parameters
    ----------
    features : str or Path
        The features table to be written.
    names : iterable of str
        More table names the run may write (``<name><suffix>``).

    Returns
    -------
    list of str
        One line per foreign file (its path and why), sorted; empty when all are the tool's.
    """
    features = Path(features)
    files = [p.name for p in set_files(features, names)]
    known, out = known_tables(features), []
    for f in (f for f in files if f != manifest_path(features).name):  # rewritten, not data
        path, entries = features.parent / f, known.get(f, set())
        if not (path.exists() or path.is_symlink()):
            continue
        if path.is_symlink() or not path.is_file():
            out.append(f"{path}: not a plain file")
        elif not entries:
            out.append(f"{path}: not written by this tool (not in {manifest_path(features).name})")
        elif (path.stat().st_size not in {b for b, _ in entries}  # no need to read it
              or (path.stat().st_size, sha256_of(path)) not in entries):
            out.append(f"{path}: changed since this tool wrote it")
    return out


def refuse_foreign(features: str | Path, names=()) -> None:
    """Stop (:class:`UsageStop`, exit code 2) when :func:`foreign_files` finds any."""
    foreign = foreign_files(features, names)
    if foreign:
        raise UsageStop(f"{foreign[0]}; the run would replace or remove it"
                        f"{f' (and {len(foreign) - 1} more)' if len(foreign) > 1 else ''}: "
                        "give another -o, or move the file away")

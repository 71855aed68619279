"""Reader of a folder of ``.txt`` articles with an optional ``metadata.csv``.

Each ``.txt`` file directly in the folder is one article; every other entry is reported.
``metadata.csv`` gives each file (column ``file``) its ``article_id`` and other columns; it is
read line by line like a CSV corpus, but no field may run over two lines.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd

from ..errors import CorpusError
from .checks import decode_bytes, id_problem
from .columns import (METADATA_COLUMNS, METADATA_PREFIX, empty_frame, metadata_renames,
                      report_renames)
from .language import keep_article
from .problems import ProblemCollector
from .records import csv_rows, header_names

__all__ = ["load_folder", "load_files", "read_bounded"]


def read_bounded(p: Path, max_bytes: int) -> tuple[bytes | None, int]:
    """The first ``max_bytes + 1`` bytes of a regular file, and the file's size.

    Never more: a 1 GB file costs ``max_bytes + 1`` bytes of memory to be found too large.
    A device, FIFO or socket (``/dev/zero``, a pipe that never ends or never opens) is not
    opened: ``(None, 0)``.

    Raises
    ------
    OSError
        When the file cannot be read.
    """
    if not stat.S_ISREG(os.stat(p).st_mode):
        return None, 0
    with open(p, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped since the stat
            return None, 0
        data = fh.read(max_bytes + 1)
        return data, max(os.fstat(fh.fileno()).st_size, len(data))


def _skip_reason(p: Path, root: Path) -> tuple[str, str]:
    """(kind, message) when a folder entry is not an article file, else ("", "").

    ``root`` is the corpus folder, resolved: a symbolic link is followed only to a file inside
    it, so a link to ``/etc/passwd`` cannot put that file's lines into the tables.
    """
    if p.is_symlink() and not p.exists():
        return "broken_link", "symbolic link to a file that does not exist; skipped"
    if p.is_symlink() and root not in p.resolve().parents:
        return "outside_link", ("symbolic link to something outside the corpus folder; not "
                                "followed, skipped (copy the file into the folder to read it)")
    if p.is_dir():
        what = "link to a folder" if p.is_symlink() else "sub-folder"
        return "subfolder", (f"{what}; skipped (only the .txt files directly in the corpus "
                             "folder are read)")
    if not p.is_file():
        return "other_file", "not a regular file; skipped"
    if p.suffix.lower() != ".txt":
        return "other_file", "not a .txt file; skipped"
    return "", ""


def load_folder(folder: Path, col: ProblemCollector, max_bytes: int,
                language: str = "en") -> pd.DataFrame:
    """Load the ``.txt`` articles of a folder, with the metadata of its ``metadata.csv``.

    Parameters
    ----------
    folder : Path
    col : ProblemCollector
        Receives a problem for each entry that is not a ``.txt`` file, each bad metadata row,
        each metadata row without its file and each file without its row (when there is a
        ``metadata.csv``), and each file that is not loaded.
    max_bytes : int
        A larger file is reported as ``too_large``.
    language : {"en", "any"}
        As for :func:`load_files`.

    Returns
    -------
    DataFrame
        As :func:`load_files` returns it.
    """
    meta_path = folder / "metadata.csv"
    has_meta = meta_path.is_file()
    meta: dict[str, dict] = _read_metadata(meta_path, col) if has_meta else {}
    entries = sorted(p for p in folder.iterdir() if not (has_meta and p.name == "metadata.csv"))
    files = []
    root = folder.resolve()
    for p in entries:
        kind, msg = _skip_reason(p, root)
        if kind:
            col.add(p.name, "", kind, msg)
        else:
            files.append(p)
    if has_meta:
        names = {p.name for p in entries}
        for fname, row in sorted(meta.items()):
            if fname not in names:  # a skipped entry of that name is reported above
                col.add(meta_path.name, row.get("article_id", ""), "missing_file",
                        f"metadata row for '{fname}' has no such file in {folder.name}/")
        for p in files:
            if p.name not in meta:
                col.add(p.name, p.stem.strip(), "missing_metadata",
                        "file has no row in metadata.csv: its article_id is the file name "
                        "and its metadata are empty")
    return load_files(files, meta, col, max_bytes, language)


def _read_metadata(meta_path: Path, col: ProblemCollector) -> dict[str, dict]:
    """Rows of ``metadata.csv`` by file name. Each field must fit on its line: a row that runs
    on into the next line (an unbalanced quote) or has the wrong number of fields is reported
    with its line number and ignored."""
    name = meta_path.name
    rows = csv_rows(meta_path, col, delimiter=",", multiline=False, cap=0)
    try:
        _, header = next(rows)
    except StopIteration:
        col.add(name, "", "bad_metadata", "metadata.csv is empty; ignored")
        return {}
    except CorpusError as err:
        col.add(name, "", "bad_metadata", f"{str(err).split(': ', 1)[-1]}; metadata.csv ignored")
        return {}
    if "file" not in header:
        col.add(name, "", "bad_metadata",
                "metadata.csv needs a 'file' column naming each .txt file; ignored")
        return {}
    header = header_names(header, f"{name}:1", col)
    renames = metadata_renames(header, taken=METADATA_COLUMNS)
    if "text" in header:  # the text is the file's; keep the column under another name
        renames["text"] = next(METADATA_PREFIX * k + "text" for k in range(1, len(header) + 2)
                               if METADATA_PREFIX * k + "text" not in header)
    report_renames(renames, f"{name}:1", col)
    header = [renames.get(h, h) for h in header]
    meta: dict[str, dict] = {}
    for where, fields in rows:
        row = {k: v.strip() for k, v in zip(header, fields)}
        fname = row.get("file", "")
        if not fname:
            col.add(where, row.get("article_id", ""), "bad_metadata",
                    "metadata row has an empty 'file' field; ignored")
            continue
        if fname in meta:
            col.add(where, row.get("article_id", ""), "duplicate_metadata",
                    f"second metadata row for '{fname}'; ignored")
            continue
        meta[fname] = row
    return meta


def load_files(files, meta, col: ProblemCollector, max_bytes: int,
               language: str = "en") -> pd.DataFrame:
    """Load article files, each with its metadata row.

    Parameters
    ----------
    files : list of Path
        The ``.txt`` files, in the order their rows are wanted.
    meta : dict
        The metadata row of each file name (``{}`` for none); a row's ``article_id``, or
        else the file name without ``.txt``, is the article's ID.
    col : ProblemCollector
        Receives a problem for each file that cannot be read or decoded, or whose ID is not
        usable or already taken (an ID belongs to its first metadata row), and for each
        text the measures cannot read (:func:`analysis.corpus.language.keep_article`).
    max_bytes : int
    language : {"en", "any"}
        ``"en"`` leaves out what is not English prose; ``"any"`` keeps it and adds the
        ``language`` column.

    Returns
    -------
    DataFrame
        Columns ``article_id, text``, the ``METADATA_COLUMNS`` (``file`` is the file name),
        then the other metadata columns in first-seen order; one row per loaded file.
    """
    extra = [c for c in METADATA_COLUMNS if c != "article_id"]
    for row in meta.values():
        extra += [k for k in row if k not in extra and k not in ("article_id", "text")]
    # A duplicated ID belongs to its first metadata row (the order the researcher wrote);
    # files without a metadata row come after.
    owner: dict[str, str] = {}
    for fname, row in meta.items():
        owner.setdefault(row.get("article_id", "") or Path(fname).stem.strip(), fname)
    for p in files:
        if p.name not in meta:
            owner.setdefault(p.stem.strip(), p.name)
    rows, seen = [], {}
    for p in files:
        m = dict(meta.get(p.name, {}))
        aid = m.pop("article_id", "") or p.stem.strip()
        try:
            data, size = read_bounded(p, max_bytes)
        except OSError as err:
            col.add(p.name, aid, "unreadable",
                    f"cannot read the file ({err.strerror or type(err).__name__}); skipped")
            continue
        if data is None:
            col.add(p.name, aid, "other_file", "not a regular file (a device, FIFO or socket); "
                    "skipped")
            continue
        text, kind, msg = decode_bytes(data, max_bytes, size)
        if text is None:
            col.add(p.name, aid, kind, msg)
            continue
        why = id_problem(aid)
        if why:
            col.add(p.name, aid, "bad_id", why)
            continue
        if owner.get(aid, p.name) != p.name or aid in seen:
            first = seen.get(aid) or owner[aid]
            col.add(p.name, aid, "duplicate_id",
                    f"duplicate article_id '{aid}' (already used by {first}); skipped")
            continue
        seen[aid] = p.name
        m["file"] = p.name
        row = {"article_id": aid, "text": text, **{c: m.get(c, "") for c in extra}}
        if keep_article(row, p.name, col, language):
            rows.append(row)
    extra += [k for row in rows[:1] for k in row if k not in extra and k not in ("article_id",
                                                                                 "text")]
    if not rows:
        return empty_frame(extra)
    return pd.DataFrame(rows, columns=["article_id", "text", *extra])

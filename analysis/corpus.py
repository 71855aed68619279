"""Load and validate a corpus of news articles.

``load_corpus(path)`` accepts a folder of ``.txt`` files (with an optional ``metadata.csv``), a
CSV/TSV, a JSONL or a Parquet file with a ``text`` column, and returns a DataFrame sorted by
``article_id``. Bad input never raises by default: each problem becomes a :class:`Problem`
(file and line or row, article, one-line message) and every other article is still loaded.
With ``strict=True`` the first problem raises :class:`CorpusError`.

Tables are read record by record, so one bad record costs only itself:

* JSONL: one JSON object per line; a problem names ``file.jsonl:LINE``. Blank lines are
  skipped.
* CSV/TSV: read with :mod:`csv` on lines decoded one at a time; a problem names the line the
  row starts on (``file.csv:LINE``, the header is line 1), or for a byte that is not UTF-8 the
  line holding it. A quoted field may run over several lines (article texts do), but a row that
  then breaks (a parse error, the wrong number of fields, the end of the file inside the quotes,
  or more than ``4 * max_bytes + 1,000,000`` characters) is taken to hold an unbalanced quote:
  it is reported at the line where that quoted field opened, skipped, and reading resumes on the
  next line, so the rows the stray quote swallowed are read again and kept.
* Parquet: read batch by batch; a problem names ``file.parquet[row N]`` (rows count from 1).

A row's ``text`` must be a non-empty string (Parquet binary is decoded like a ``.txt`` file);
null, empty, or a number, boolean, list or object is a problem row, never scored.

In a folder, ``.txt`` files are UTF-8, or UTF-16/UTF-32 when they start with a byte-order mark;
every other entry (sub-folder, file of another kind than ``.txt`` except ``metadata.csv``,
broken symbolic link, unreadable file) is listed as a problem. ``metadata.csv`` is read like a
CSV corpus, except that no field may run over two lines: a row that does (an unbalanced quote)
or has the wrong number of fields is reported as ``metadata.csv:LINE`` and ignored.

An ``article_id`` may hold any printable characters (spaces too) except the path separators
``/`` and ``\\``; it is stripped, and is at most 200 bytes in UTF-8, so ``cleaned/<id>.txt``
(``python -m analysis clean``) always stays inside its folder.

A metadata column named like a feature column (``n_words``, ``tone_mean``, any ``emph_*``, ...;
see :func:`is_feature_column`) would clash with it in ``features.csv``; the loader renames it
``meta_<name>`` and reports a ``renamed_column`` problem.

Cleaning (boilerplate, mojibake, headings) is :mod:`analysis.clean`.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import math
import numbers
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from .errors import CorpusError
from .tables import BASE_COLUMNS

__all__ = [
    "CorpusError",
    "Problem",
    "load_corpus",
    "iter_corpus_chunks",
    "id_problem",
    "is_feature_column",
    "metadata_renames",
    "METADATA_COLUMNS",
    "METADATA_PREFIX",
    "MAX_BYTES",
]

METADATA_COLUMNS = ["article_id", "file", "title", "outlet", "date", "genre", "url"]
MAX_BYTES = 2_000_000  # a single article larger than this is reported, not read (10x a long feature)
TABULAR_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".parquet", ".pq"}
MAX_ID_BYTES = 200  # so that cleaned/<article_id>.txt fits the 255-byte file-name limit
METADATA_PREFIX = "meta_"  # given to a metadata column named like a feature column

# The columns the scorers write (``make_scorers()``), listed here so that loading a corpus does
# not import them (and spaCy). Any ``emph_*`` name is reserved too: user dictionaries add
# ``emph_<key>`` columns. tests/test_bad_input.py checks this list against the scorers.
FEATURE_COLUMNS = frozenset([
    *BASE_COLUMNS,
    "tone_mean", "tone_mean_lo", "tone_mean_hi", "tone_pos_share", "tone_neg_share",
    "tone_mean_adapted", "tone_mean_adapted_lo", "tone_mean_adapted_hi",
    "optimism", "caution", "hedging", "boosting",
    "net_optimism", "net_optimism_lo", "net_optimism_hi",
    "frame_dominant",
    "src_n_attributions", "src_n_unique", "src_n_types", "src_entropy", "src_entropy_lo",
    "src_entropy_hi", "src_simpson", "src_official_share", "src_pk_share", "src_us_share",
    "src_other_share", "src_anonymous_share", "src_direct_quote_share",
])
FEATURE_PREFIXES = ("emph_",)


@dataclass(frozen=True)
class Problem:
    """One problem found while loading: where it is and what is wrong, in one line."""

    source: str  # file (and line or row) the problem is in
    article_id: str  # the article concerned, "" when unknown
    problem: str  # short machine-readable kind, e.g. "empty", "binary", "duplicate_id"
    message: str  # the one-line human message

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class _Collector:
    def __init__(self, strict: bool, problems: list[Problem] | None):
        self.strict = strict
        self.problems = problems if problems is not None else []
        self._warn = problems is None

    def add(self, source: str, article_id: str, problem: str, message: str) -> None:
        p = Problem(str(source), article_id, problem, message)
        if self.strict:
            raise CorpusError(str(p))
        self.problems.append(p)
        if self._warn:
            warnings.warn(str(p), stacklevel=3)


# --------------------------------------------------------------------------- decoding

# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16")]


def decode_bytes(data: bytes, max_bytes: int = MAX_BYTES) -> tuple[str | None, str, str]:
    """Decode article bytes. Returns (text or None, problem kind, message).

    UTF-8 (with or without a byte-order mark) is expected; UTF-16 and UTF-32 are decoded when
    the file starts with their byte-order mark.
    """
    if len(data) > max_bytes:
        return None, "too_large", (
            f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit for one article "
            "(split it, or raise --max-bytes)"
        )
    if not data.strip():
        return None, "empty", "file is empty (no text)"
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as err:
                return None, "bad_encoding", (
                    f"starts with a {label} byte-order mark but is not valid {label} "
                    f"({err.reason} at offset {err.start:,}); re-save the file as UTF-8"
                )
            return _checked_text(text)
    head = data[:8192]
    if b"\x00" in head or _control_share(head) > 0.10:
        return None, "binary", "file looks binary (NUL or control bytes), not text"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, "not_utf8", (
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start:,}); "
            "re-save the file as UTF-8"
        )
    return _checked_text(text)


def _checked_text(text: str) -> tuple[str | None, str, str]:
    head = text[:8192]
    if "\x00" in head or _control_share(head.encode("utf-8")) > 0.10:
        return None, "binary", "file looks binary (NUL or control bytes), not text"
    if not text.strip():
        return None, "empty", "file is empty (only whitespace)"
    return text, "", ""


def _control_share(data: bytes) -> float:
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(data)


def stable_id(text: str) -> str:
    """A stable article ID derived from the text (same text, same ID, any order)."""
    return "a" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:15]


def id_problem(article_id: str) -> str:
    """Why ``article_id`` (already stripped) cannot be used, or "" when it can.

    Allowed: any printable characters, spaces included, except ``/`` and ``\\`` (an ID names
    the file ``cleaned/<id>.txt``, which must stay in its folder); not ``.`` or ``..``; at most
    ``MAX_ID_BYTES`` bytes in UTF-8.
    """
    if not article_id:
        return "article_id is empty"
    if "/" in article_id or "\\" in article_id:
        return f"article_id '{article_id}' contains a path separator ('/' or '\\'); skipped"
    if not article_id.isprintable():
        return (f"article_id {article_id!r} contains a control or other non-printable "
                "character; skipped")
    if article_id in (".", ".."):
        return f"article_id '{article_id}' is not a usable name; skipped"
    if len(article_id.encode("utf-8")) > MAX_ID_BYTES:
        return f"article_id is longer than {MAX_ID_BYTES} bytes; skipped"
    return ""


# --------------------------------------------------------------------------- column names


def is_feature_column(name: str) -> bool:
    """True if ``name`` is (or may be) a column of the features table: ``FEATURE_COLUMNS``
    (the base counts and the default scorers' columns) or any name starting ``emph_``."""
    return name in FEATURE_COLUMNS or name.startswith(FEATURE_PREFIXES)


def metadata_renames(columns: Iterable[str], reserved: Callable[[str], bool] | set | None = None,
                     *, taken: Iterable[str] = (), warn: bool = False) -> dict[str, str]:
    """New names for the metadata columns that clash with feature columns.

    A clashing column ``c`` becomes ``meta_<c>`` (``meta_meta_<c>`` if that name is taken too),
    so merging metadata and features never produces pandas' ``_x``/``_y`` suffixes.
    ``reserved`` is a set of names or a predicate (default :func:`is_feature_column`);
    ``taken`` are further names the new one must avoid. Returns ``{old: new}`` for the clashing
    columns only. With ``warn=True`` each rename is also issued as a warning (for callers that
    have no problems list, such as :func:`analysis.features.score_chunk`).
    """
    columns = list(columns)
    if reserved is None:
        clash = is_feature_column
    elif callable(reserved):
        clash = reserved
    else:
        names = set(reserved)
        clash = names.__contains__
    used = set(columns) | set(taken)
    out: dict[str, str] = {}
    for c in columns:
        if c in ("article_id", "text") or not isinstance(c, str) or not clash(c):
            continue
        new = METADATA_PREFIX + c
        while new in used or clash(new):
            new = METADATA_PREFIX + new
        used.add(new)
        out[c] = new
        if warn:
            warnings.warn(f"metadata column '{c}' has the name of a feature column; "
                          f"renamed '{new}'", stacklevel=2)
    return out


def _report_renames(renames: dict[str, str], source: str, col: _Collector) -> None:
    for old, new in renames.items():
        why = ("the article text is the file's" if old == "text"
               else "it has the name of a feature column")
        col.add(source, "", "renamed_column",
                f"column '{old}' renamed '{new}': {why} (features.csv keeps both)")


# --------------------------------------------------------------------------- loading


def load_corpus(
    path: str | Path,
    *,
    strict: bool = False,
    problems: list[Problem] | None = None,
    max_bytes: int = MAX_BYTES,
) -> pd.DataFrame:
    """Load a corpus into a DataFrame with ``article_id`` and ``text`` (+ every other column).

    Parameters
    ----------
    path : folder of ``.txt`` files (optional ``metadata.csv``), or a ``.csv``/``.tsv``/
        ``.jsonl``/``.parquet`` file with a ``text`` column.
    strict : raise :class:`CorpusError` at the first problem instead of collecting it.
    problems : list that receives one :class:`Problem` per bad file, record or column. When
        omitted, problems are issued as warnings.
    max_bytes : larger single articles are reported as ``too_large``.

    Returns
    -------
    DataFrame sorted by ``article_id`` (stable), one row per loadable article, columns
    ``article_id, text`` then the metadata columns in input order (a metadata column named like
    a feature column is renamed ``meta_<name>``). For folders, ``file`` is the file name and
    the metadata columns of ``METADATA_COLUMNS`` are always present.
    """
    path = Path(path)
    col = _Collector(strict, problems)
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder")
    if path.is_dir():
        df = _load_folder(path, col, max_bytes)
    elif path.suffix.lower() in TABULAR_SUFFIXES:
        frames = list(_iter_table(path, col, max_bytes, chunk_rows=None, seen={}))
        df = frames[0]
    elif path.suffix.lower() == ".txt":
        df = _load_files([path], {}, col, max_bytes)
    else:
        raise CorpusError(
            f"{path}: unsupported corpus format '{path.suffix}' "
            "(use a folder of .txt files, .csv, .tsv, .jsonl or .parquet)"
        )
    return df.sort_values("article_id", kind="stable").reset_index(drop=True)


def iter_corpus_chunks(
    path: str | Path,
    *,
    chunk_rows: int = 1000,
    strict: bool = False,
    problems: list[Problem] | None = None,
    max_bytes: int = MAX_BYTES,
):
    """Yield the corpus in DataFrame chunks without holding it all in memory.

    Tables are read record by record (Parquet batch by batch) and each chunk holds up to
    ``chunk_rows`` good articles; problems are reported as they are met and duplicate IDs are
    detected across chunks. A folder is loaded whole (its files are listed anyway) and yielded
    in chunks. Within a chunk rows are sorted by ``article_id``; across chunks, input order is
    kept.
    """
    path = Path(path)
    col = _Collector(strict, problems)
    if path.is_file() and path.suffix.lower() in TABULAR_SUFFIXES:
        for chunk in _iter_table(path, col, max_bytes, chunk_rows=chunk_rows, seen={}):
            if len(chunk):
                yield chunk.sort_values("article_id", kind="stable").reset_index(drop=True)
        return
    df = load_corpus(path, strict=strict, problems=col.problems, max_bytes=max_bytes)
    for start in range(0, len(df), chunk_rows):
        yield df.iloc[start : start + chunk_rows].reset_index(drop=True)


def _empty_frame(extra: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in ["article_id", "text", *extra]})


# --------------------------------------------------------------------------- folders


def _skip_reason(p: Path) -> tuple[str, str]:
    """(kind, message) when a folder entry is not an article file, else ("", "")."""
    if p.is_symlink() and not p.exists():
        return "broken_link", "symbolic link to a file that does not exist; skipped"
    if p.is_dir():
        what = "link to a folder" if p.is_symlink() else "sub-folder"
        return "subfolder", (f"{what}; skipped (only the .txt files directly in the corpus "
                             "folder are read)")
    if not p.is_file():
        return "other_file", "not a regular file; skipped"
    if p.suffix.lower() != ".txt":
        return "other_file", "not a .txt file; skipped"
    return "", ""


def _load_folder(folder: Path, col: _Collector, max_bytes: int) -> pd.DataFrame:
    meta_path = folder / "metadata.csv"
    has_meta = meta_path.is_file()
    meta: dict[str, dict] = _read_metadata(meta_path, col) if has_meta else {}
    entries = sorted(p for p in folder.iterdir() if not (has_meta and p.name == "metadata.csv"))
    files = []
    for p in entries:
        kind, msg = _skip_reason(p)
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
    return _load_files(files, meta, col, max_bytes)


def _read_metadata(meta_path: Path, col: _Collector) -> dict[str, dict]:
    """Rows of ``metadata.csv`` by file name. Each field must fit on its line: a row that runs
    on into the next line (an unbalanced quote) or has the wrong number of fields is reported
    with its line number and ignored."""
    name = meta_path.name
    rows = _csv_rows(meta_path, col, delimiter=",", multiline=False, cap=0)
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
    header = _header_names(header, f"{name}:1", col)
    renames = metadata_renames(header, taken=METADATA_COLUMNS)
    if "text" in header:  # the text is the file's; keep the column under another name
        renames["text"] = next(METADATA_PREFIX * k + "text" for k in range(1, len(header) + 2)
                               if METADATA_PREFIX * k + "text" not in header)
    _report_renames(renames, f"{name}:1", col)
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


def _load_files(files, meta, col: _Collector, max_bytes: int) -> pd.DataFrame:
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
            data = p.read_bytes()
        except OSError as err:
            col.add(p.name, aid, "unreadable",
                    f"cannot read the file ({err.strerror or type(err).__name__}); skipped")
            continue
        text, kind, msg = decode_bytes(data, max_bytes)
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
        rows.append({"article_id": aid, "text": text, **{c: m.get(c, "") for c in extra}})
    if not rows:
        return _empty_frame(extra)
    return pd.DataFrame(rows, columns=["article_id", "text", *extra])


# --------------------------------------------------------------------------- tables

_MISSING = object()  # a JSON record without the key


def _iter_table(path: Path, col: _Collector, max_bytes: int, chunk_rows: int | None,
                seen: dict[str, str]) -> Iterator[pd.DataFrame]:
    """Validated DataFrames of a tabular corpus, ``chunk_rows`` good rows each (all rows in one
    frame if None; at least one frame, possibly empty). ``seen`` maps the IDs met so far to
    where they were met (duplicates are skipped)."""
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        records = _parquet_records(path, col, chunk_rows or 65_536)
    elif suffix in (".jsonl", ".ndjson"):
        records = _jsonl_records(path, col)
    else:
        records = _csv_records(path, col, "\t" if suffix == ".tsv" else ",", max_bytes)
    columns: dict[str, None] = {}  # metadata columns in first-seen order
    rows: list[dict] = []
    yielded = False
    for where, rec in records:
        row = _table_row(where, rec, col, max_bytes, seen)
        if row is None:
            continue
        for k in row:
            if k not in columns and k not in ("article_id", "text"):
                columns[k] = None
        rows.append(row)
        if chunk_rows and len(rows) >= chunk_rows:
            yield _frame(rows, columns)
            rows, yielded = [], True
    if rows or not yielded:
        yield _frame(rows, columns)


def _frame(rows: list[dict], columns: dict[str, None]) -> pd.DataFrame:
    if not rows:
        return _empty_frame(list(columns))
    return pd.DataFrame(rows, columns=["article_id", "text", *columns])


def _table_row(where: str, rec: dict, col: _Collector, max_bytes: int,
               seen: dict[str, str]) -> dict | None:
    """The article row of one record, or None after reporting why it has none."""
    given, why = _given_id(rec.get("article_id"))
    if why:
        col.add(where, "", "bad_id", why)
        return None
    text, kind, msg = _text_value(rec.get("text", _MISSING), max_bytes)
    if text is None:
        col.add(where, given, kind, msg)
        return None
    aid = given or stable_id(text)
    why = id_problem(aid)
    if why:
        col.add(where, aid, "bad_id", why)
        return None
    if aid in seen:
        col.add(where, aid, "duplicate_id",
                f"duplicate article_id '{aid}' (first seen at {seen[aid]}); skipped")
        return None
    seen[aid] = where
    row = {"article_id": aid, "text": text}
    row.update((k, v) for k, v in rec.items() if k not in ("article_id", "text"))
    return row


def _describe(value) -> str:
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, numbers.Number):
        return f"a number ({str(value)[:40]})"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, dict):
        return "an object (key-value pairs)"
    return f"a value of type {type(value).__name__}"


def _is_null(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text_value(value, max_bytes: int) -> tuple[str | None, str, str]:
    """(text or None, problem kind, message) for a record's ``text`` value."""
    if value is _MISSING:
        return None, "empty", "record has no 'text' field; skipped"
    if _is_null(value):
        return None, "empty", "row has no text (null); skipped"
    if isinstance(value, (bytes, bytearray)):
        return decode_bytes(bytes(value), max_bytes)
    if not isinstance(value, str):
        return None, "bad_text", f"text is {_describe(value)}, not a string; skipped"
    if len(value) > max_bytes:
        return None, "too_large", (f"text is {len(value):,} characters, over the "
                                   f"{max_bytes:,} limit (raise --max-bytes)")
    if not value.strip():
        return None, "empty", "row has empty text; skipped"
    if "\x00" in value[:8192]:
        return None, "binary", "text contains NUL bytes (binary data?); skipped"
    return value, "", ""


def _given_id(value) -> tuple[str, str]:
    """(stripped ID or "", problem message or "") for a record's ``article_id`` value."""
    if _is_null(value):
        return "", ""
    if isinstance(value, str):
        return value.strip(), ""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return str(value), ""
    return "", f"article_id is {_describe(value)}, not a string or number; skipped"


def _unreadable_encoding(path: Path, head: bytes) -> None:
    for bom, _, label in _BOMS:
        if head.startswith(bom):
            raise CorpusError(f"{path.name}: the file is {label} (it starts with a {label} "
                              "byte-order mark); re-save it as UTF-8")


def _jsonl_records(path: Path, col: _Collector) -> Iterator[tuple[str, dict]]:
    """``(file.jsonl:LINE, record)`` for each line holding a JSON object."""
    name, n_records, any_text = path.name, 0, False
    renames: dict[str, str] = {}
    offset = 0
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            start, offset = offset, offset + len(raw)
            if lineno == 1:
                _unreadable_encoding(path, raw[:4])
                if raw.startswith(codecs.BOM_UTF8):
                    raw, start = raw[3:], start + 3
            where = f"{name}:{lineno}"
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                col.add(where, "", "not_utf8", _bad_byte(raw, err, start))
                continue
            try:
                rec = json.loads(line.rstrip("\r\n"))  # columns count within the line
            except json.JSONDecodeError as err:
                col.add(where, "", "bad_json",
                        f"not valid JSON ({err.msg} at column {err.colno}); line skipped")
                continue
            if not isinstance(rec, dict):
                col.add(where, "", "bad_json", f"line holds {_describe(rec)}, not a JSON object "
                        "with a 'text' field; skipped")
                continue
            n_records += 1
            any_text = any_text or "text" in rec
            new = [k for k in rec if k not in renames]
            if new:
                found = metadata_renames(new, taken=[*rec, *renames.values()])
                _report_renames(found, where, col)
                renames.update({k: found.get(k, k) for k in new})
            yield where, {renames[k]: v for k, v in rec.items()}
    if n_records and not any_text:
        raise CorpusError(f"{name}: no record has a 'text' field (fields: "
                          f"{', '.join(renames)})")


def _bad_byte(raw: bytes, err: UnicodeDecodeError, line_offset: int) -> str:
    return (f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at column {err.start + 1} of the "
            f"line, file offset {line_offset + err.start:,}); skipped; re-save the file as UTF-8")


def _header_names(fields: list[str], where: str, col: _Collector) -> list[str]:
    """Column names of a CSV header: unnamed columns as pandas names them, repeats numbered."""
    names: list[str] = []
    for i, f in enumerate(fields):
        n = f or f"Unnamed: {i}"
        if n in names:
            k = 1
            while f"{n}.{k}" in names or f"{n}.{k}" in fields:
                k += 1
            col.add(where, "", "duplicate_column",
                    f"column '{n}' appears more than once in the header; this one is named "
                    f"'{n}.{k}'")
            n = f"{n}.{k}"
        names.append(n)
    return names


def _csv_records(path: Path, col: _Collector, delimiter: str,
                 max_bytes: int) -> Iterator[tuple[str, dict]]:
    """``(file.csv:LINE, record)`` for each well-formed row of a CSV/TSV corpus."""
    rows = _csv_rows(path, col, delimiter=delimiter, multiline=True,
                     cap=4 * max_bytes + 1_000_000)
    try:
        _, header = next(rows)
    except StopIteration:
        raise CorpusError(f"{path.name}: file is empty (no header row)") from None
    if "text" not in header:
        raise CorpusError(f"{path.name}: no 'text' column (columns: {', '.join(header)})")
    header = _header_names(header, f"{path.name}:1", col)
    renames = metadata_renames(header)
    _report_renames(renames, f"{path.name}:1", col)
    header = [renames.get(h, h) for h in header]
    for where, fields in rows:
        yield where, dict(zip(header, fields))


_EOF_IN_QUOTES = "unexpected end of data"  # csv's message (strict mode)


class _Overrun(Exception):
    """A row ran on past the line (metadata) or past the size cap (corpus tables)."""


class _Lines:
    """The lines of a text table, decoded one at a time, for :func:`csv.reader`.

    Keeps, for the row being read, each line's number, byte offsets and whether an odd number
    of quote characters has been seen so far (a quoted field is open), and the first byte that
    is not UTF-8 (the line is then decoded with replacement characters so that the row's
    structure is still parsed, and the row is reported).
    """

    def __init__(self, fh, *, multiline: bool, cap: int):
        self.fh, self.multiline, self.cap = fh, multiline, cap
        self.lineno, self.offset = 0, 0
        self.begin_row()

    def begin_row(self) -> None:
        self.lines: list[tuple[int, int, int, bool]] = []  # (lineno, start, end, quote open)
        self.bad: tuple[int, str] | None = None  # (lineno, message)
        self.size = 0
        self.open = False

    def seek(self, lineno: int, offset: int) -> None:
        """Go back so that the next line read is line ``lineno + 1``, at byte ``offset``."""
        self.fh.seek(offset)
        self.lineno, self.offset = lineno, offset

    def __iter__(self) -> Iterator[str]:
        while True:
            raw = self.fh.readline()
            if not raw:
                return
            start = self.offset
            self.offset += len(raw)
            self.lineno += 1
            if self.lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw, start = raw[3:], start + 3
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                if self.bad is None:
                    self.bad = (self.lineno, _bad_byte(raw, err, start))
                text = raw.decode("utf-8", "replace")
            self.size += len(text)
            if self.lines and (not self.multiline or self.size > self.cap):
                raise _Overrun
            self.open ^= text.count('"') % 2 == 1
            self.lines.append((self.lineno, start, self.offset, self.open))
            yield text


def _csv_rows(path: Path, col: _Collector, *, delimiter: str, multiline: bool,
              cap: int) -> Iterator[tuple[str, list[str]]]:
    """Yield ``(file:1, header fields)``, then ``(file:LINE, fields)`` for each good row.

    Bad rows are reported and skipped (see the module docstring). With ``multiline=False``
    (metadata.csv) no field may span lines.
    """
    name = path.name
    if multiline and csv.field_size_limit() < cap:
        csv.field_size_limit(cap)  # the default (131,072) is less than one long article
    with open(path, "rb") as fh:
        _unreadable_encoding(path, fh.read(4))
        fh.seek(0)
        src = _Lines(fh, multiline=multiline, cap=cap)
        reader = csv.reader(iter(src), delimiter=delimiter, strict=True)
        n_fields = None
        while True:
            src.begin_row()
            error = ""
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                error = str(err).replace("\t", "\\t")  # messages stay on one line
            except _Overrun:
                error = "overrun"
            lines = src.lines
            first = lines[0][0] if lines else src.lineno
            where = f"{name}:{first}"
            if n_fields is None:  # the header
                if error.startswith("new-line character seen"):
                    raise CorpusError(f"{where}: lines end with a bare carriage return (old "
                                      "Mac line endings); re-save the file with \\n or \\r\\n "
                                      "line endings")
                if error or src.bad:
                    raise CorpusError(f"{where}: cannot read the header row "
                                      f"({error or src.bad[1]})")
                n_fields = len(fields)
                yield where, fields
                continue
            wrong = not error and fields and len(fields) != n_fields
            if (error or wrong) and (len(lines) > 1 or error in ("overrun", _EOF_IN_QUOTES)):
                # A quoted field that runs on and then breaks: an unbalanced quote. Skip the
                # row up to the line where that field opened; read the following lines again.
                opened = next((ln for ln in lines if ln[3]), lines[0])
                if error == "overrun" and not multiline:
                    how = "runs on into the next line (a field of metadata.csv cannot)"
                elif error == "overrun":
                    how = f"is still open {cap:,} characters later"
                elif error == _EOF_IN_QUOTES:
                    how = "is never closed"
                elif wrong:
                    how = (f"ends on line {lines[-1][0]} in a row of {len(fields)} fields "
                           f"(the header has {n_fields})")
                else:
                    how = f"closes on line {lines[-1][0]} where no field ends"
                col.add(f"{name}:{opened[0]}", "", "bad_quote",
                        f"unbalanced quote: a quoted field opens on line {opened[0]} and {how}; "
                        f"the row is skipped and reading resumes at line {opened[0] + 1}")
                src.seek(opened[0], opened[2])
                reader = csv.reader(iter(src), delimiter=delimiter, strict=True)
                continue
            if error:
                hint = ""
                if "expected after" in error:
                    hint = (" (a field that starts with '\"' must end with '\"'; double the "
                            "quotes inside it)")
                col.add(where, "", "bad_row", f"malformed row ({error}){hint}; skipped")
                continue
            if not fields:  # a blank line
                continue
            if wrong:
                col.add(where, "", "bad_row", f"row has {len(fields)} fields but the header "
                        f"has {n_fields} (an unquoted '{delimiter}'?); skipped")
                continue
            if src.bad:
                col.add(f"{name}:{src.bad[0]}", "", "not_utf8", src.bad[1])
                continue
            yield where, fields


def _parquet_records(path: Path, col: _Collector,
                     batch_rows: int) -> Iterator[tuple[str, dict]]:
    """``(file.parquet[row N], record)`` for each row, read one batch at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    name = path.name
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise CorpusError(f"{name}: cannot read as Parquet: {first}") from None
    header = pf.schema_arrow.names
    if "text" not in header:
        raise CorpusError(f"{name}: no 'text' column (columns: {', '.join(header)})")
    renames = metadata_renames(header)
    _report_renames(renames, name, col)
    row = 0
    batches = pf.iter_batches(batch_size=batch_rows)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (pa.ArrowException, OSError) as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise CorpusError(f"{name}: cannot read rows after row {row}: {first}") from None
        for rec in batch.to_pylist():  # plain Python values: the type check is per row
            row += 1
            yield f"{name}[row {row}]", {renames.get(k, k): v for k, v in rec.items()}


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    cols = ["source", "article_id", "problem", "message"]
    return pd.DataFrame([[p.source, p.article_id, p.problem, p.message] for p in problems],
                        columns=cols)

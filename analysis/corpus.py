"""Load and validate a corpus of news articles.

``load_corpus(path)`` accepts a folder of ``.txt`` files (with an optional ``metadata.csv``), a
CSV/TSV, a JSONL or a Parquet file with a ``text`` column, and returns a DataFrame sorted by
``article_id``. Bad input never raises by default: each problem becomes a :class:`Problem`
(file, article, one-line message) and every other article is still loaded. With
``strict=True`` the first problem raises :class:`CorpusError`.

Cleaning (boilerplate, mojibake, headings) is :mod:`analysis.clean`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = [
    "CorpusError",
    "Problem",
    "load_corpus",
    "iter_corpus_chunks",
    "METADATA_COLUMNS",
    "MAX_BYTES",
]

METADATA_COLUMNS = ["article_id", "file", "title", "outlet", "date", "genre", "url"]
MAX_BYTES = 2_000_000  # a single article larger than this is reported, not read (10x a long feature)
TABULAR_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".parquet", ".pq"}
_ID_RE = re.compile(r"^[\w.\-:]+$")


class CorpusError(ValueError):
    """A corpus problem, raised in strict mode. ``str(err)`` is the one-line message."""


@dataclass(frozen=True)
class Problem:
    """One problem found while loading: where it is and what is wrong, in one line."""

    source: str  # file (and row) the problem is in
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


def decode_bytes(data: bytes, max_bytes: int = MAX_BYTES) -> tuple[str | None, str, str]:
    """Decode article bytes. Returns (text or None, problem kind, message)."""
    if len(data) > max_bytes:
        return None, "too_large", (
            f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit for one article "
            "(split it, or raise --max-bytes)"
        )
    if not data.strip():
        return None, "empty", "file is empty (no text)"
    head = data[:8192]
    if b"\x00" in head or _control_share(head) > 0.10:
        return None, "binary", "file looks binary (NUL or control bytes), not text"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, "not_utf8", (
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "re-save the file as UTF-8"
        )
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
    problems : list that receives one :class:`Problem` per bad file/row. When omitted, problems
        are issued as warnings.
    max_bytes : larger single articles are reported as ``too_large``.

    Returns
    -------
    DataFrame sorted by ``article_id`` (stable), one row per loadable article, columns
    ``article_id, text`` then the metadata columns in input order. For folders, ``file`` is
    the file name and the metadata columns of ``METADATA_COLUMNS`` are always present.
    """
    path = Path(path)
    col = _Collector(strict, problems)
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder")
    if path.is_dir():
        df = _load_folder(path, col, max_bytes)
    elif path.suffix.lower() in TABULAR_SUFFIXES:
        frames = list(_iter_table(path, col, max_bytes, chunk_rows=None))
        df = frames[0] if frames else _empty_frame([])
        df = _dedupe(df, path.name, col, seen={})
    elif path.suffix.lower() == ".txt":
        df = _load_files([path], {}, col, max_bytes, base=path.parent)
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

    Parquet and JSONL/CSV are read ``chunk_rows`` rows at a time; duplicate IDs are detected
    across chunks. A folder is loaded whole (its files are listed anyway) and yielded in chunks.
    Within a chunk rows are sorted by ``article_id``; across chunks, input order is kept.
    """
    path = Path(path)
    col = _Collector(strict, problems)
    if path.is_file() and path.suffix.lower() in TABULAR_SUFFIXES:
        seen: dict[str, str] = {}
        for chunk in _iter_table(path, col, max_bytes, chunk_rows=chunk_rows):
            chunk = _dedupe(chunk, path.name, col, seen)
            yield chunk.sort_values("article_id", kind="stable").reset_index(drop=True)
        return
    df = load_corpus(path, strict=strict, problems=col.problems, max_bytes=max_bytes)
    for start in range(0, len(df), chunk_rows):
        yield df.iloc[start : start + chunk_rows].reset_index(drop=True)


def _empty_frame(extra: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in ["article_id", "text", *extra]})


def _load_folder(folder: Path, col: _Collector, max_bytes: int) -> pd.DataFrame:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
    meta_path = folder / "metadata.csv"
    meta: dict[str, dict] = {}
    if meta_path.exists():
        meta = _read_metadata(meta_path, col)
        names = {p.name for p in files}
        for fname, row in sorted(meta.items()):
            if fname not in names:
                col.add(meta_path.name, row.get("article_id", ""), "missing_file",
                        f"metadata row for '{fname}' has no such file in {folder.name}/")
        for p in files:
            if p.name not in meta:
                col.add(p.name, p.stem, "missing_metadata",
                        "file has no row in metadata.csv; loaded with the file name as "
                        "article_id and empty metadata")
    return _load_files(files, meta, col, max_bytes, base=folder)


def _read_metadata(meta_path: Path, col: _Collector) -> dict[str, dict]:
    try:
        raw = meta_path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        col.add(meta_path.name, "", "not_utf8", "metadata.csv is not valid UTF-8; ignored")
        return {}
    reader = csv.DictReader(io.StringIO(raw))
    if not reader.fieldnames or "file" not in reader.fieldnames:
        col.add(meta_path.name, "", "bad_metadata",
                "metadata.csv needs a 'file' column naming each .txt file; ignored")
        return {}
    meta: dict[str, dict] = {}
    for lineno, row in enumerate(reader, start=2):
        fname = (row.get("file") or "").strip()
        if not fname:
            col.add(f"{meta_path.name}:{lineno}", row.get("article_id", "") or "",
                    "bad_metadata", "metadata row has an empty 'file' field; ignored")
            continue
        if fname in meta:
            col.add(f"{meta_path.name}:{lineno}", row.get("article_id", "") or "",
                    "duplicate_metadata", f"second metadata row for '{fname}'; ignored")
            continue
        meta[fname] = {k: (v or "").strip() for k, v in row.items() if k is not None}
    return meta


def _load_files(files, meta, col: _Collector, max_bytes: int, base: Path) -> pd.DataFrame:
    extra = [c for c in METADATA_COLUMNS if c != "article_id"]
    for row in meta.values():
        extra += [k for k in row if k not in extra and k not in ("article_id", "text")]
    # A duplicated ID belongs to its first metadata row (the order the researcher wrote);
    # files without a metadata row come after.
    owner: dict[str, str] = {}
    for fname, row in meta.items():
        owner.setdefault(row.get("article_id", "") or Path(fname).stem, fname)
    for p in files:
        if p.name not in meta:
            owner.setdefault(p.stem, p.name)
    rows, seen = [], {}
    for p in files:
        text, kind, msg = decode_bytes(p.read_bytes(), max_bytes)
        m = dict(meta.get(p.name, {}))
        aid = m.pop("article_id", "") or p.stem
        if text is None:
            col.add(p.name, aid, kind, msg)
            continue
        if not _ID_RE.match(aid):
            col.add(p.name, aid, "bad_id", f"article_id '{aid}' has characters other than "
                    "letters, digits, '_', '-', '.', ':'; skipped")
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


def _iter_table(path: Path, col: _Collector, max_bytes: int, chunk_rows: int | None):
    """Yield validated DataFrame chunks of a tabular corpus (whole file if chunk_rows is None)."""
    suffix = path.suffix.lower()
    row0 = 0
    for chunk in _read_table_chunks(path, chunk_rows):
        if "text" not in chunk.columns:
            raise CorpusError(f"{path.name}: no 'text' column (columns: {', '.join(map(str, chunk.columns))})")
        chunk = chunk.reset_index(drop=True)
        keep = []
        has_id = "article_id" in chunk.columns
        ids = []
        for i, text in enumerate(chunk["text"].tolist()):
            line = row0 + i + (2 if suffix in (".csv", ".tsv") else 1)
            where = f"{path.name}:{line}" if suffix != ".parquet" and suffix != ".pq" else f"{path.name}[row {row0 + i}]"
            given = chunk.at[i, "article_id"] if has_id else None
            given = "" if given is None or (isinstance(given, float) and pd.isna(given)) else str(given).strip()
            if isinstance(text, bytes):
                text, kind, msg = decode_bytes(text, max_bytes)
            elif text is None or (isinstance(text, float) and pd.isna(text)):
                text, kind, msg = None, "empty", "row has no text"
            else:
                text = str(text)
                kind = msg = ""
                if len(text) > max_bytes:
                    text, kind, msg = None, "too_large", f"text is {len(text):,} characters, over the {max_bytes:,} limit"
                elif not text.strip():
                    text, kind, msg = None, "empty", "row has empty text"
                elif "\x00" in text[:8192]:
                    text, kind, msg = None, "binary", "text contains NUL bytes (binary data?)"
            aid = given or (stable_id(text) if text is not None else "")
            if text is None:
                col.add(where, aid, kind, msg)
                ids.append(aid)
                continue
            if not _ID_RE.match(aid):
                col.add(where, aid, "bad_id", f"article_id '{aid}' has characters other than "
                        "letters, digits, '_', '-', '.', ':'; skipped")
                ids.append(aid)
                continue
            chunk.at[i, "text"] = text
            keep.append(i)
            ids.append(aid)
        chunk["article_id"] = ids
        chunk["_where"] = [
            f"{path.name}:{row0 + i + (2 if suffix in ('.csv', '.tsv') else 1)}" for i in range(len(chunk))
        ]
        row0 += len(chunk)
        chunk = chunk.iloc[keep]
        cols = ["article_id", "text"] + [c for c in chunk.columns if c not in ("article_id", "text")]
        yield chunk[cols].reset_index(drop=True)


def _read_table_chunks(path: Path, chunk_rows: int | None):
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            pf = pq.ParquetFile(path)
            if chunk_rows is None:
                yield pf.read().to_pandas()
            else:
                for batch in pf.iter_batches(batch_size=chunk_rows):
                    yield batch.to_pandas()
            return
        if suffix in (".jsonl", ".ndjson"):
            reader = pd.read_json(path, lines=True, dtype=False, chunksize=chunk_rows or 10**9,
                                  encoding="utf-8")
            with reader:
                yield from reader
            return
        sep = "\t" if suffix == ".tsv" else ","
        reader = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False,
                             chunksize=chunk_rows or 10**9, encoding="utf-8")
        with reader:
            yield from reader
    except UnicodeDecodeError as err:
        raise CorpusError(f"{path.name}: not valid UTF-8 ({err.reason} at byte {err.start})") from None
    except (ValueError, OSError) as err:  # malformed JSON/CSV/Parquet
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise CorpusError(f"{path.name}: cannot read as {suffix[1:]}: {first}") from None


def _dedupe(df: pd.DataFrame, name: str, col: _Collector, seen: dict[str, str]) -> pd.DataFrame:
    if df.empty:
        return df.drop(columns=["_where"], errors="ignore")
    keep = []
    where = df["_where"].tolist() if "_where" in df.columns else [name] * len(df)
    for i, aid in enumerate(df["article_id"].tolist()):
        if aid in seen:
            col.add(where[i], aid, "duplicate_id",
                    f"duplicate article_id '{aid}' (first seen at {seen[aid]}); skipped")
            continue
        seen[aid] = where[i]
        keep.append(i)
    return df.iloc[keep].drop(columns=["_where"], errors="ignore").reset_index(drop=True)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    cols = ["source", "article_id", "problem", "message"]
    return pd.DataFrame([[p.source, p.article_id, p.problem, p.message] for p in problems],
                        columns=cols)

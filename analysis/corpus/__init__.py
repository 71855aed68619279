"""Load and validate a corpus of news articles.

``load_corpus(path)`` accepts a folder of ``.txt`` files (with an optional ``metadata.csv``), a
CSV/TSV, a JSONL or a Parquet file with a ``text`` column, and returns a DataFrame sorted by
``article_id``. Bad input never raises by default: each problem becomes a :class:`Problem`
(file and line or row, article, one-line message) and every other article is still loaded.
With ``strict=True`` the first problem raises :class:`CorpusError`.

Memory stays bounded whatever the input: a ``.txt`` file is read only up to
``max_bytes + 1`` bytes (a larger one is ``too_large``, its size taken from the file system),
a line of a table only up to ``4 * max_bytes + 1,000,000`` bytes (a longer one is read past in
pieces and reported as ``too_large``), and a corpus path that is neither a folder nor a
regular file (``/dev/zero``, a FIFO) is refused before it is opened.

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

Each article's text is screened (:mod:`analysis.corpus.language`): by default what is not
English prose (another language; URLs, tags or markup only) is a ``language`` or
``not_prose`` problem and left out; ``language="any"`` keeps it, with a ``language`` column.

A row's ``text`` must be a non-empty string (Parquet binary is decoded like a ``.txt`` file);
null, empty, or a number, boolean, list or object is a problem row, never scored.

In a folder, ``.txt`` files are UTF-8, or UTF-16/UTF-32 when they start with a byte-order mark;
every other entry (sub-folder, file of another kind than ``.txt`` except ``metadata.csv``,
broken symbolic link, a symbolic link to anything outside the folder, a device or FIFO,
unreadable file) is listed as a problem. ``metadata.csv`` is read like a
CSV corpus, except that no field may run over two lines: a row that does (an unbalanced quote)
or has the wrong number of fields is reported as ``metadata.csv:LINE`` and ignored.

An ``article_id`` may hold any printable characters (spaces too) except the path separators
``/`` and ``\\``; it is stripped, and is at most 200 bytes in UTF-8, so ``cleaned/<id>.txt``
(``python -m analysis clean``) always stays inside its folder.

A metadata column named like a feature column (``n_words``, ``tone_mean``, any ``emph_*``, ...;
see :func:`is_feature_column`) would clash with it in ``features.csv``; the loader renames it
``meta_<name>`` and reports a ``renamed_column`` problem.

Cleaning (boilerplate, mojibake, headings) is :mod:`analysis.clean`.

The stages, one module each: :mod:`~analysis.corpus.problems` (what went wrong, where),
:mod:`~analysis.corpus.checks` (one article's bytes, text and ID),
:mod:`~analysis.corpus.columns` (metadata columns and their renaming), the readers
:mod:`~analysis.corpus.folder`, :mod:`~analysis.corpus.records` (JSONL, CSV/TSV) and
:mod:`~analysis.corpus.parquet`, and here the assembly of their records into DataFrames.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pandas as pd

from ..errors import CorpusError
from .checks import MAX_BYTES, MAX_ID_BYTES, decode_bytes, id_problem, stable_id, table_row
from .columns import (METADATA_COLUMNS, METADATA_PREFIX,
                      empty_frame, is_feature_column, metadata_renames)
from .folder import load_files, load_folder
from .language import LANGUAGES, check_language, keep_article
from .parquet import parquet_records
from .problems import Problem, ProblemCollector, problems_frame
from .records import csv_records, jsonl_records

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
    "LANGUAGES",
    "MAX_BYTES",
    # also importable from here, as before the split into modules
    "MAX_ID_BYTES",
    "TABULAR_SUFFIXES",
    "decode_bytes",
    "problems_frame",
    "stable_id",
]

TABULAR_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".parquet", ".pq"}


def load_corpus(
    path: str | Path,
    *,
    strict: bool = False,
    problems: list[Problem] | None = None,
    max_bytes: int = MAX_BYTES,
    language: str = "en",
) -> pd.DataFrame:
    """Load a whole corpus into one DataFrame, reporting each bad file, record or column.

    Parameters
    ----------
    path : str or Path
        A folder of ``.txt`` files (with an optional ``metadata.csv``), a single ``.txt``
        file, or a ``.csv``/``.tsv``/``.jsonl``/``.parquet`` file with a ``text`` column.
    strict : bool, default False
        Raise :class:`CorpusError` at the first problem instead of collecting it.
    problems : list, optional
        Receives one :class:`Problem` per bad file, record or column. When omitted, the
        problems are issued as warnings.
    max_bytes : int, default MAX_BYTES
        A larger single article is reported as ``too_large`` and not loaded.
    language : {"en", "any"}, default "en"
        ``"en"``: an article that is not English prose is reported (``language``,
        ``not_prose``) and not loaded; ``"any"``: every article is loaded, with the language
        found in a ``language`` column (:mod:`analysis.corpus.language`).

    Returns
    -------
    DataFrame
        One row per loadable article, sorted by ``article_id`` (stable); columns
        ``article_id, text``, then the metadata columns in input order (one named like a
        feature column is renamed ``meta_<name>``). For a folder, ``file`` is the file name and
        the columns of ``METADATA_COLUMNS`` are always present.

    Raises
    ------
    CorpusError
        When the path does not exist, its format is not supported or it cannot be read at all
        (no header, no ``text`` column, a UTF-16 table), or at the first problem with
        ``strict=True``.

    Examples
    --------
    >>> problems = []
    >>> corpus = load_corpus("data/raw", problems=problems)
    >>> list(corpus.columns[:3])
    ['article_id', 'text', 'file']
    """
    path = Path(path)
    check_language(language)
    col = ProblemCollector(strict, problems)
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder")
    _check_regular(path)
    if path.is_dir():
        df = load_folder(path, col, max_bytes, language)
    elif path.suffix.lower() in TABULAR_SUFFIXES:
        frames = list(_iter_table(path, col, max_bytes, chunk_rows=None, seen={},
                                  language=language))
        df = frames[0]
    elif path.suffix.lower() == ".txt":
        df = load_files([path], {}, col, max_bytes, language)
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
    language: str = "en",
):
    """Yield the corpus in DataFrame chunks without holding it all in memory.

    Tables are read record by record (Parquet batch by batch); problems are reported as they
    are met and duplicate IDs are detected across chunks. A folder is loaded whole (its files
    are listed anyway) and then yielded in chunks.

    Parameters
    ----------
    path : str or Path
        As for :func:`load_corpus`.
    chunk_rows : int, default 1000
        The most good articles in one chunk (and, for Parquet, the rows of a batch read).
    strict, problems, max_bytes, language
        As for :func:`load_corpus`.

    Yields
    ------
    DataFrame
        The columns :func:`load_corpus` gives. Within a chunk rows are sorted by
        ``article_id``; across chunks, input order is kept. A corpus without good articles
        yields nothing.

    Examples
    --------
    >>> [len(chunk) for chunk in iter_corpus_chunks("data/raw", chunk_rows=2)]
    [2, 2, 1]
    """
    path = Path(path)
    check_language(language)
    col = ProblemCollector(strict, problems)
    if path.exists():
        _check_regular(path)
    if path.is_file() and path.suffix.lower() in TABULAR_SUFFIXES:
        for chunk in _iter_table(path, col, max_bytes, chunk_rows=chunk_rows, seen={},
                                 language=language):
            if len(chunk):
                yield chunk.sort_values("article_id", kind="stable").reset_index(drop=True)
        return
    df = load_corpus(path, strict=strict, problems=col.problems, max_bytes=max_bytes,
                     language=language)
    for start in range(0, len(df), chunk_rows):
        yield df.iloc[start : start + chunk_rows].reset_index(drop=True)


def _check_regular(path: Path) -> None:
    """Refuse a corpus that is neither a folder nor a regular file: ``/dev/zero`` or a FIFO
    named ``x.jsonl`` never ends (13.8 GB in 20 s), and a FIFO without a writer never opens."""
    if not (path.is_dir() or path.is_file()):
        raise CorpusError(f"{path}: not a regular file or folder (a device, FIFO or socket); "
                          "give a corpus file or folder")


def _iter_table(path: Path, col: ProblemCollector, max_bytes: int, chunk_rows: int | None,
                seen: dict[str, str], language: str = "en") -> Iterator[pd.DataFrame]:
    """Validated DataFrames of a tabular corpus, ``chunk_rows`` good rows each (all rows in one
    frame if None; at least one frame, possibly empty). ``seen`` maps the IDs met so far to
    where they were met (duplicates are skipped)."""
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        records = parquet_records(path, col, chunk_rows or 65_536)
    elif suffix in (".jsonl", ".ndjson"):
        records = jsonl_records(path, col, max_bytes)
    else:
        records = csv_records(path, col, "\t" if suffix == ".tsv" else ",", max_bytes)
    columns: dict[str, None] = {}  # metadata columns in first-seen order
    rows: list[dict] = []
    yielded = False
    for where, rec in records:
        row = table_row(where, rec, col, max_bytes, seen)
        if row is None or not keep_article(row, where, col, language):
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
        return empty_frame(list(columns))
    return pd.DataFrame(rows, columns=["article_id", "text", *columns])


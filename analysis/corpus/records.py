"""Readers of text tables, JSONL and CSV/TSV, record by record.

Both read the file as bytes and decode one line at a time, so that a byte that is not UTF-8,
a line that is not JSON or a row with a stray quote costs only its own record; see the
docstring of :mod:`analysis.corpus` for the rules. :func:`csv_rows` also reads
``metadata.csv`` (:mod:`analysis.corpus.folder`), where no field may run over two lines.
"""

from __future__ import annotations

import codecs
import csv
import json
from pathlib import Path
from typing import Iterator

from ..errors import CorpusError
from .checks import BOMS, describe
from .columns import metadata_renames, report_renames
from .problems import ProblemCollector

__all__ = ["jsonl_records", "csv_records", "csv_rows", "header_names", "line_limit", "read_line"]


def _unreadable_encoding(path: Path, head: bytes) -> None:
    for bom, _, label in BOMS:
        if head.startswith(bom):
            raise CorpusError(f"{path.name}: the file is {label} (it starts with a {label} "
                              "byte-order mark); re-save it as UTF-8")


def line_limit(max_bytes: int) -> int:
    """The most bytes one line of a table may hold: ``4 * max_bytes + 1,000,000``.

    A record's text may be up to ``max_bytes`` of UTF-8, and its line is longer: JSON writes
    ``é`` as ``\\u00e9`` (six bytes for two), CSV doubles quotes, and metadata fields come
    along. A longer line is not read into memory: it is skipped in bounded pieces.
    """
    return 4 * max_bytes + 1_000_000


def read_line(fh, limit: int) -> tuple[bytes, int]:
    """Read one line of a binary file, holding at most ``limit + 1`` bytes of it.

    Parameters
    ----------
    fh : binary file
    limit : int
        The most bytes a line may hold.

    Returns
    -------
    (line, length) : tuple of (bytes, int)
        The line and its length in the file. When it is longer than ``limit`` bytes, ``line``
        is empty and the rest of the line has been read past, a megabyte at a time, and
        dropped; ``length`` still counts every byte. ``(b"", 0)`` at the end of the file.
    """
    raw = fh.readline(limit + 1)
    if len(raw) <= limit or raw.endswith(b"\n"):
        return raw, len(raw)
    length = len(raw)
    del raw
    while True:
        part = fh.readline(1 << 20)
        length += len(part)
        if not part or part.endswith(b"\n"):
            return b"", length


def _too_long(length: int, limit: int) -> str:
    return (f"line is {length:,} bytes, over the {limit:,}-byte limit for one record "
            "(4 x --max-bytes + 1,000,000); skipped without being read")


def jsonl_records(path: Path, col: ProblemCollector,
                  max_bytes: int = 2_000_000) -> Iterator[tuple[str, dict]]:
    """Read a JSONL corpus one line at a time.

    Parameters
    ----------
    path : Path
        The ``.jsonl`` (or ``.ndjson``) file.
    col : ProblemCollector
        Receives a problem for each line that is not UTF-8, not JSON or not an object, or is
        longer than :func:`line_limit`, and for each renamed field.
    max_bytes : int
        The article size limit (``--max-bytes``), which sets :func:`line_limit`.

    Yields
    ------
    (where, record) : tuple of (str, dict)
        ``where`` is ``file.jsonl:LINE``; the record's fields named like feature columns are
        renamed ``meta_<name>``.

    Raises
    ------
    CorpusError
        When the file is UTF-16/UTF-32, or has records but none with a ``text`` field.
    """
    name, n_records, any_text = path.name, 0, False
    renames: dict[str, str] = {}
    offset, lineno, limit = 0, 0, line_limit(max_bytes)
    with open(path, "rb") as fh:
        while True:
            raw, length = read_line(fh, limit)
            if not length:
                break
            lineno += 1
            start, offset = offset, offset + length
            where = f"{name}:{lineno}"
            if lineno == 1:
                _unreadable_encoding(path, raw[:4])
                if raw.startswith(codecs.BOM_UTF8):
                    raw, start = raw[3:], start + 3
            if length > limit:
                col.add(where, "", "too_large", _too_long(length, limit))
                continue
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
                col.add(where, "", "bad_json", f"line holds {describe(rec)}, not a JSON object "
                        "with a 'text' field; skipped")
                continue
            n_records += 1
            any_text = any_text or "text" in rec
            new = [k for k in rec if k not in renames]
            if new:
                found = metadata_renames(new, taken=[*rec, *renames.values()])
                report_renames(found, where, col)
                renames.update({k: found.get(k, k) for k in new})
            yield where, {renames[k]: v for k, v in rec.items()}
    if n_records and not any_text:
        raise CorpusError(f"{name}: no record has a 'text' field (fields: "
                          f"{', '.join(renames)})")


def _bad_byte(raw: bytes, err: UnicodeDecodeError, line_offset: int) -> str:
    return (f"not valid UTF-8 (byte 0x{raw[err.start]:02x} at column {err.start + 1} of the "
            f"line, file offset {line_offset + err.start:,}); skipped; re-save the file as UTF-8")


def header_names(fields: list[str], where: str, col: ProblemCollector) -> list[str]:
    """Column names of a CSV header: unnamed columns as pandas names them, repeats numbered.

    Parameters
    ----------
    fields : list of str
        The header row.
    where : str
        Where the header is (``file.csv:1``), for the ``duplicate_column`` problems.
    col : ProblemCollector

    Returns
    -------
    list of str
        ``Unnamed: <i>`` for an empty name, ``<name>.<k>`` for the k-th repeat of a name.
    """
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


def csv_records(path: Path, col: ProblemCollector, delimiter: str,
                 max_bytes: int) -> Iterator[tuple[str, dict]]:
    """Read a CSV/TSV corpus row by row; a bad row is reported and skipped.

    Parameters
    ----------
    path : Path
        The ``.csv`` or ``.tsv`` file; its header must name a ``text`` column.
    col : ProblemCollector
    delimiter : str
        ``","`` or ``"\\t"``.
    max_bytes : int
        The article size limit; a quoted field still open ``4 * max_bytes + 1,000,000``
        characters later is an unbalanced quote.

    Yields
    ------
    (where, record) : tuple of (str, dict)
        ``where`` is ``file.csv:LINE``, the line the row starts on.

    Raises
    ------
    CorpusError
        When the file is empty, has no ``text`` column or its header cannot be read.
    """
    rows = csv_rows(path, col, delimiter=delimiter, multiline=True, cap=line_limit(max_bytes))
    try:
        _, header = next(rows)
    except StopIteration:
        raise CorpusError(f"{path.name}: file is empty (no header row)") from None
    if "text" not in header:
        raise CorpusError(f"{path.name}: no 'text' column (columns: {', '.join(header)})")
    header = header_names(header, f"{path.name}:1", col)
    renames = metadata_renames(header)
    report_renames(renames, f"{path.name}:1", col)
    header = [renames.get(h, h) for h in header]
    for where, fields in rows:
        yield where, dict(zip(header, fields))


_EOF_IN_QUOTES = "unexpected end of data"  # csv's message (strict mode)


class _Overrun(Exception):
    """A row ran on past the line (metadata) or past the size cap (corpus tables)."""


class _LongLine(Exception):
    """A line longer than the line limit, read past without being kept."""

    def __init__(self, lineno: int, length: int, limit: int):
        super().__init__(lineno)
        self.lineno, self.length, self.limit = lineno, length, limit


class _Lines:
    """The lines of a text table, decoded one at a time, for :func:`csv.reader`.

    Keeps, for the row being read, each line's number, byte offsets and whether an odd number
    of quote characters has been seen so far (a quoted field is open), and the first byte that
    is not UTF-8 (the line is then decoded with replacement characters so that the row's
    structure is still parsed, and the row is reported).
    """

    def __init__(self, fh, *, multiline: bool, cap: int):
        self.fh, self.multiline, self.cap = fh, multiline, cap
        self.limit = max(cap, 1_000_000)  # bytes of one line; metadata.csv: a megabyte
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
            raw, length = read_line(self.fh, self.limit)
            if not length:
                return
            start = self.offset
            self.offset += length
            self.lineno += 1
            if length > self.limit:
                raise _LongLine(self.lineno, length, self.limit)
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


def csv_rows(path: Path, col: ProblemCollector, *, delimiter: str, multiline: bool,
              cap: int) -> Iterator[tuple[str, list[str]]]:
    """The header, then each good row of a CSV/TSV file; bad rows are reported and skipped.

    See the docstring of :mod:`analysis.corpus` for what makes a row bad and where reading
    resumes after an unbalanced quote.

    Parameters
    ----------
    path : Path
    col : ProblemCollector
    delimiter : str
    multiline : bool
        Whether a quoted field may run over several lines (False for ``metadata.csv``).
    cap : int
        With ``multiline``, the most characters a row may hold before it is taken to hold an
        unbalanced quote (``csv.field_size_limit`` is raised to it if lower).

    Yields
    ------
    (where, fields) : tuple of (str, list of str)
        First ``(file:1, header fields)``, then ``(file:LINE, fields)`` for each good row.

    Raises
    ------
    CorpusError
        When the file is UTF-16/UTF-32 or its header row cannot be read.
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
            except _LongLine as long:
                # the line is read past already: report it and go on with the next one
                if n_fields is None:
                    raise CorpusError(f"{name}:{long.lineno}: cannot read the header row "
                                      f"({_too_long(long.length, long.limit)})") from None
                col.add(f"{name}:{long.lineno}", "", "too_large",
                        _too_long(long.length, long.limit))
                reader = csv.reader(iter(src), delimiter=delimiter, strict=True)
                continue
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


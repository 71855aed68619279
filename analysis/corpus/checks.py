"""Checks of one article: its bytes (encoding, size, binary), its text value and its ID.

Each check returns the article (or None) with a problem kind and message, so that the readers
of files, tables and Parquet batches report the same problem in the same words.
"""

from __future__ import annotations

import codecs
import hashlib
import math
import numbers

from .problems import ProblemCollector

__all__ = ["MAX_BYTES", "MAX_ID_BYTES", "BOMS", "decode_bytes", "stable_id", "id_problem",
           "describe", "table_row"]

MAX_BYTES = 2_000_000  # a single article larger than this is reported, not read (10x a long feature)
MAX_ID_BYTES = 200  # so that cleaned/<article_id>.txt fits the 255-byte file-name limit

# UTF-32 first: its little-endian mark starts with UTF-16's.
BOMS = [(codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16")]


def decode_bytes(data: bytes, max_bytes: int = MAX_BYTES,
                 size: int | None = None) -> tuple[str | None, str, str]:
    """Decode the bytes of one article, or say why they are not an article.

    UTF-8 (with or without a byte-order mark) is expected; UTF-16 and UTF-32 are decoded when
    the data start with their byte-order mark.

    Parameters
    ----------
    data : bytes
        The content of a ``.txt`` file or a binary Parquet ``text`` value.
    max_bytes : int, default MAX_BYTES
        Larger data are reported as ``too_large``.
    size : int, optional
        The size of the whole file when ``data`` is only its first ``max_bytes + 1`` bytes
        (a file is never read whole before its size is checked), for the message.

    Returns
    -------
    (text, kind, message) : tuple
        ``(text, "", "")`` when the data decode to text; otherwise ``text`` is None and
        ``kind`` is one of ``too_large``, ``empty``, ``bad_encoding``, ``binary``, ``not_utf8``.
    """
    if len(data) > max_bytes:
        size = max(size or 0, len(data))
        how = f"{size:,} bytes" if size > max_bytes + 1 else f"over {max_bytes:,} bytes"
        return None, "too_large", (
            f"file is {how}, over the {max_bytes:,}-byte limit for one article "
            "(split it, or raise --max-bytes)"
        )
    if not data.strip():
        return None, "empty", "file is empty (no text)"
    for bom, codec, label in BOMS:
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
    """An article ID made from the text: the same text always gets the same ID.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        ``"a"`` followed by the first 15 hex digits of the text's SHA-256.
    """
    return "a" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:15]


def id_problem(article_id: str) -> str:
    """Why ``article_id`` (already stripped) cannot be used, or ``""`` when it can.

    Allowed: any printable characters, spaces included, except ``/`` and ``\\`` (an ID names
    the file ``cleaned/<id>.txt``, which must stay in its folder); not ``.`` or ``..``; at most
    ``MAX_ID_BYTES`` bytes in UTF-8.

    Parameters
    ----------
    article_id : str

    Returns
    -------
    str
        The one-line reason, or ``""``.

    Examples
    --------
    >>> id_problem("dawn 2025-08-20")
    ''
    >>> id_problem("..")
    "article_id '..' is not a usable name; skipped"
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


# --------------------------------------------------------------------------- table records

_MISSING = object()  # a JSON record without the key


def table_row(where: str, rec: dict, col: ProblemCollector, max_bytes: int,
              seen: dict[str, str]) -> dict | None:
    """The article row of one table record, or None after reporting why it has none.

    Parameters
    ----------
    where : str
        Where the record is (``file.csv:LINE``), for the problem and for ``seen``.
    rec : dict
        The record's fields, metadata columns already renamed.
    col : ProblemCollector
        Receives the problem of a record that is skipped.
    max_bytes : int
        A longer text is reported as ``too_large``.
    seen : dict
        Maps each ID met so far to where it was met; updated. A repeated ID is skipped.

    Returns
    -------
    dict or None
        ``article_id``, ``text``, then the record's other fields in their order.
    """
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


def describe(value) -> str:
    """A few words on what a value is, for a message (``"a list of 2 item(s)"``).

    Parameters
    ----------
    value : object
        A field of a record that is not what it should be.

    Returns
    -------
    str
    """
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
        return None, "bad_text", f"text is {describe(value)}, not a string; skipped"
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
    return "", f"article_id is {describe(value)}, not a string or number; skipped"

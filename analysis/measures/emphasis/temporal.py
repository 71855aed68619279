"""References to the past that no word list can hold: past years and past decades.

The ``history`` frame of :mod:`analysis.measures.emphasis.scorer` counts them besides its dictionary matches.
A year is a stand-alone four-digit number 1800-2099; it refers to the past when it is before
the article's reference year (:func:`reference_year`: the publication year, else the latest
year the article mentions). A decade ("1990s", "'90s") refers to the past when it ended before
that year. :func:`temporal_matches` works on a spaCy doc, :func:`past_references` on the token
offsets the emphasis scorer already has.
"""

from __future__ import annotations

import re
from typing import Iterator, Sequence

import numpy as np

from ...dictionaries import Match

__all__ = ["reference_year", "published_year", "temporal_matches", "past_references"]

# A year: four digits 1800-2099 standing alone (not inside a number, not an amount of money,
# not followed by %/percent/per). A decade: "1990s", or "'90s" with an apostrophe.
_YEAR_RE = re.compile(r"(?<![\w$£€¥.,])(1[89]\d\d|20\d\d)(?![\w%])(?![.,]\d)"
                      r"(?!\s*(?:percent|per\b|pc\b))")
_DECADE_RE = re.compile(r"(?<![\w$£€¥.,])(?:(1[89]\d0|20\d0)|['’](\d0))s\b")
# Where a year can start (any match of _YEAR_RE begins with one of these, and a match never
# starts inside another hint, whose characters are all digits); scanning for the hints and
# trying _YEAR_RE only there is much faster than running its look-behind at every character.
_YEAR_HINT = re.compile(r"(?:1[89]|20)\d\d")


def _finditer(rx: re.Pattern, text: str, starts) -> Iterator[re.Match]:
    """``rx.finditer(text)`` given, in increasing order, every position where a match of
    ``rx`` could start (the same matches, without trying ``rx`` anywhere else)."""
    pos = 0
    for s in starts:
        if s >= pos:
            m = rx.match(text, s)
            if m:
                yield m
                pos = m.end()


def _decade_starts(text: str) -> list[int]:
    """Every position where a match of _DECADE_RE could start: 3 characters before a "0s"
    ("1990s") or 2 before it ("'90s")."""
    out: list[int] = []
    i = text.find("0s")
    while i >= 0:
        out += [s for s in (i - 3, i - 2) if s >= 0]
        i = text.find("0s", i + 1)
    return sorted(set(out))


def reference_year(years: Sequence[int], published: int | None = None) -> int | None:
    """The year an article's years are compared with to tell past from present.

    Parameters
    ----------
    years : sequence of int
        The years the article mentions.
    published : int, optional
        Its publication year, when the metadata gives one.

    Returns
    -------
    int or None
        ``published`` when given, else the latest year mentioned (the article's own date
        line or the date of the event it reports), or None when it mentions none.
    """
    if published is not None:
        return published
    return max(years) if years else None


_DATE_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def published_year(date) -> int | None:
    """The year of a metadata ``date``.

    Parameters
    ----------
    date : str, int, float or None
        As the metadata gives it: "2019-03-07", "7 March 2019", "03/07/2019", 2019, NaN.

    Returns
    -------
    int or None
        Its first four-digit number 1800-2099, or None when there is none (empty, "unknown").

    Examples
    --------
    >>> published_year("7 March 2019")
    2019
    """
    if date is None or (isinstance(date, float) and date != date):
        return None
    m = _DATE_YEAR_RE.search(str(date))
    return int(m.group(1)) if m else None


def temporal_matches(doc, spans: Sequence[tuple[int, int]], text: str | None = None,
                     published: int | None = None) -> list[Match]:
    """Past years and decades in a parsed text, as matches of the ``history`` frame.

    A year is a stand-alone four-digit number 1800-2099 (not part of a larger number, not
    after a currency sign, not before "%"/"percent"/"per"). It counts as a reference to the
    past when it is *before* the article's reference year (:func:`reference_year`), so the
    year of the reported event itself never counts. A decade ("1990s", "'90s" = 1990s) counts
    when it ended before the reference year. Without ``published``, an article that mentions
    no year has no reference year, and then no year or decade counts (past cannot be told
    from present).

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parsed text.
    spans : sequence of (int, int)
        Token spans ``[start, end)`` of its sentences; years outside them are ignored.
    text : str, optional
        The text ``doc`` was made from; ``doc.text`` by default.
    published : int, optional
        The publication year from the metadata, when known: the reference year.

    Returns
    -------
    list of Match
        Category ``history``, the year or decade as written, its token span; in text order.

    Examples
    --------
    >>> from analysis.text import parse_text
    >>> art = parse_text("In 2025 the allies recalled 2001 and the 1990s.")
    >>> [m.term for m in temporal_matches(art.doc, [(0, len(art.doc))])]
    ['2001', '1990s']
    """
    text = doc.text if text is None else text
    if not spans:
        return []
    from spacy.attrs import IDX  # late: heavy

    inside = np.zeros(len(doc), dtype=bool)
    for s0, s1 in spans:
        inside[s0:s1] = True
    found = past_references(text, doc.to_array([IDX]).ravel(), inside, published)
    return [Match("history", t, i, j) for t, i, j in found]


def past_references(text: str, tok_idx: np.ndarray, inside: np.ndarray,
                    published: int | None = None) -> list[tuple[str, int, int]]:
    """The past years and decades of :func:`temporal_matches`, from token offsets.

    Parameters
    ----------
    text : str
        The text the tokens index.
    tok_idx : ndarray of int, shape (tokens,)
        Each token's character offset in ``text``, increasing.
    inside : ndarray of bool, shape (tokens,)
        Whether each token lies in a sentence; years elsewhere are ignored.
    published : int, optional
        The publication year (the reference year when given).

    Returns
    -------
    list of (term, tok_start, tok_end)
        The year or decade as written and its token span, ordered by span.
    """
    def token_at(char: int) -> int | None:
        i = int(np.searchsorted(tok_idx, char, side="right")) - 1
        return i if i >= 0 and inside[i] else None

    years: list[tuple[int, int, str]] = []
    for m in _finditer(_YEAR_RE, text, (h.start() for h in _YEAR_HINT.finditer(text))):
        i = token_at(m.start())
        if i is not None:
            years.append((i, int(m.group(1)), m.group(0)))
    ref = reference_year([y for _i, y, _t in years], published)
    if ref is None:
        return []
    out = [(t, i, i + 1) for i, y, t in years if y < ref]
    for m in _finditer(_DECADE_RE, text, _decade_starts(text)):
        first = int(m.group(1)) if m.group(1) else 1900 + int(m.group(2))
        i = token_at(m.start())
        if i is None or first + 9 >= ref:
            continue
        j = int(np.searchsorted(tok_idx, m.end() - 1, side="right"))
        out.append((m.group(0), i, max(j, i + 1)))
    return sorted(out, key=lambda x: (x[1], x[2]))

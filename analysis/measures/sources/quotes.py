"""Quotation spans in plain text, and whether a sentence lies inside an open quotation.

Curly marks and guillemets have a direction. Straight ``"`` and the typewriter pair ``''``
(as in the New York Times archive) take it from their neighbours: a closing mark with no
quotation open ends one that began in an earlier sentence ("...are tricky,'' he said."), and a
mark after a space opens one ("he said. ''" at a sentence end); where the neighbours do not
tell, they alternate (:func:`quote_spans_text`). A sentence with no quotation mark inside a
quotation opened earlier in its paragraph belongs to the quoted speaker
(:func:`inside_quotation`; for all sentences of an article in linear time,
:class:`OpenQuotations`). Text only: no spaCy.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

__all__ = ["QUOTES", "quote_spans_text", "inside_quotation", "OpenQuotations"]

QUOTES = ('"', "“", "”", "«", "»", "''", "``")

_QUOTE_RE = re.compile(r"''|``|[\"“”«»]")


def _mark_side(text: str, a: int, b: int, stop: int | None = None) -> str:
    """"open", "close" or "" for a quotation mark at ``text[a:b]``, from what touches it:
    a mark after a space (or at the start) and before a word opens; a mark right after a word
    or punctuation and before a space, punctuation or the end (``stop``, default the end of
    ``text``) closes."""
    before = text[a - 1] if a > 0 else " "
    after = text[b] if b < (len(text) if stop is None else stop) else " "
    if before.isspace() or before in "([{—–":
        return "open"
    if after.isspace() or after in ".,;:!?)]}—–-":
        return "close"
    return ""


def quote_spans_text(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the quotations of ``text``, from an opening mark to
    its closing mark.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of (int, int)
        In text order. A closing mark with no quotation open, before any other, closes a
        quotation from 0; an unclosed quotation runs to the end.

    Examples
    --------
    >>> quote_spans_text('"We will win," he said.')
    [(0, 14)]
    """
    spans, open_at = [], None
    for m in _QUOTE_RE.finditer(text):
        mark, i = m.group(), m.start()
        if mark in ('"', "''"):
            side = _mark_side(text, i, m.end()) or ("open" if open_at is None else "close")
        else:
            side = "open" if mark in ("“", "«", "``") else "close"
            # A curly mark typed the wrong way round closes or opens by its neighbours
            # ('here,“ said Moss'), when a quotation is (not) open.
            if mark in ("“", "”") and (open_at is None) == (side == "close"):
                side = _mark_side(text, i, m.end()) or side
        if side == "open":
            open_at = i if open_at is None else open_at
        elif open_at is not None:
            spans.append((open_at, m.end()))
            open_at = None
        elif not spans:  # a closing mark first: the quote began in an earlier sentence
            spans.append((0, m.end()))
    if open_at is not None:  # unclosed: the quote runs to the end
        spans.append((open_at, len(text)))
    return spans


def inside_quotation(text: str, start: int) -> bool:
    """Whether a quotation opened earlier in the paragraph is still open at ``start``.

    The definition; an article asks :class:`OpenQuotations` instead.

    Parameters
    ----------
    text : str
        The article's cleaned text.
    start : int
        The start of a sentence in ``text``.

    Returns
    -------
    bool
        True when the sentence belongs to the quoted speaker.

    Examples
    --------
    >>> inside_quotation('"We will win. I told them so."', 14)
    True
    """
    para = text[text.rfind("\n", 0, start) + 1:start]
    spans = quote_spans_text(para)
    return bool(spans) and spans[-1][1] == len(para)  # an unclosed quotation runs to the end


class OpenQuotations:
    """:func:`inside_quotation` for many sentence starts of one text, in time linear in the
    text.

    The quotation marks are found once, and :func:`quote_spans_text`'s walk over each
    paragraph is made once, keeping after each mark what the answer needs (a quotation open;
    the end of the last one closed). ``inside_quotation`` walks the paragraph up to each
    sentence again: quadratic in the length of a paragraph (an article without line breaks
    is one paragraph). Only the side of a mark that ends exactly at the sentence start
    depends on the start (the text then ends after it), so that mark is walked again.

    Parameters
    ----------
    text : str
        The article's cleaned text. Call the instance with a sentence start, in any order
        (ascending is fastest: each paragraph is walked once).

    Examples
    --------
    >>> inside = OpenQuotations('"We will win. I told them so."')
    >>> inside(14), inside(0)
    (True, False)
    """

    def __init__(self, text: str):
        self.text = text
        marks = [(m.start(), m.end(), m.group()) for m in _QUOTE_RE.finditer(text)]
        self.marks = marks
        self.mark_starts = [a for a, _, _ in marks]
        self.mark_ends = [b for _, b, _ in marks]
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self._para = -1
        self._states: list[tuple[bool, bool, int]] = []

    def _step(self, state: tuple[bool, bool, int], k: int, stop: int | None = None
              ) -> tuple[bool, bool, int]:
        """(a quotation is open, a quotation was closed, end of the last closed) after mark
        ``k``, as :func:`quote_spans_text` goes."""
        is_open, closed, last_end = state
        i, end, mark = self.marks[k]
        text = self.text
        if mark in ('"', "''"):
            side = _mark_side(text, i, end, stop) or ("close" if is_open else "open")
        else:
            side = "open" if mark in ("“", "«", "``") else "close"
            if mark in ("“", "”") and (not is_open) == (side == "close"):
                side = _mark_side(text, i, end, stop) or side
        if side == "open":
            return True, closed, last_end
        if is_open or not closed:  # closes the open quotation, or one begun before
            return False, True, end
        return state

    def __call__(self, start: int) -> bool:
        k = bisect_left(self.newlines, start)  # line breaks before ``start``
        para = self.newlines[k - 1] + 1 if k else 0
        first = bisect_left(self.mark_starts, para)
        stop = bisect_right(self.mark_ends, start)  # marks that end by ``start``
        if stop <= first:
            return False
        if para != self._para:  # walk the paragraph once
            self._para, state = para, (False, False, 0)
            end = bisect_left(self.mark_starts, self._next_newline(para))
            self._states = []
            for k in range(first, end):
                state = self._step(state, k)
                self._states.append(state)
        last = stop - 1 - first
        if self.mark_ends[stop - 1] == start:  # the text ends right after this mark
            before = self._states[last - 1] if last else (False, False, 0)
            state = self._step(before, stop - 1, start)
        else:
            state = self._states[last]
        is_open, closed, last_end = state
        return is_open or (closed and last_end == start)

    def _next_newline(self, para: int) -> int:
        k = bisect_left(self.newlines, para)
        return self.newlines[k] if k < len(self.newlines) else len(self.text)

"""Clean article text: boilerplate lines, mojibake, Unicode, headings.

``clean_text(raw)`` removes scraped-site boilerplate with the line rules in
``analysis/rules/boilerplate.tsv``, repairs mojibake (ftfy), normalises Unicode (NFC), keeps
headings on lines of their own, records every removal for the audit table, and keeps a map from
cleaned-text offsets back to offsets in the original text.

The map is built per kept line in time and memory linear in the line (only a changed span costs
more, and only in its own length): a line ftfy left alone maps by a constant shift;
a repaired line is split into the equal runs it shares with the original (found by comparing
slices) and the short spans ftfy changed, and only those spans are aligned character by
character with ``difflib.SequenceMatcher`` (see ``_align``). Each cleaned character maps to the
original character a ``SequenceMatcher`` over the whole line would pair it with (an equal
character to itself, a changed one to the start of the mojibake it replaces), without that
matcher's quadratic cost on long lines.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import ftfy

from .lexicon import read_table

__all__ = ["CleanText", "clean_text", "boilerplate_rules"]


@dataclass(frozen=True)
class Rule:
    """One boilerplate rule: a line that ``regex`` finds (``re.search``) is removed.

    Parameters
    ----------
    name : str
        The rule's name, written to the ``rule`` column of the audit table.
    regex : re.Pattern
        Matched against each stripped, repaired line.
    description : str
        What the rule is for, with an example.
    """

    name: str
    regex: re.Pattern
    description: str


@lru_cache(maxsize=1)
def boilerplate_rules() -> tuple[Rule, ...]:
    """The line rules of ``analysis/rules/boilerplate.tsv``, in file order.

    The table is read with :func:`analysis.lexicon.read_table` (columns ``rule``, ``pattern``,
    ``description``; a rule name must be unique).

    Returns
    -------
    tuple of Rule

    Examples
    --------
    >>> boilerplate_rules()[0].name
    'breadcrumb'
    """
    rows = read_table("rules/boilerplate.tsv", ["rule", "pattern", "description"],
                      lower_keys=False)
    return tuple(Rule(row["rule"], re.compile(row["pattern"]), row["description"])
                 for _, row in rows)


_TERMINAL = tuple('.!?:;,"”’)…')
_BULLET_RE = re.compile(r"^[•·▪●◦‣∙\-–*]\s+")
_WS_RE = re.compile(r"\s+")
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=True, normalization="NFC",
                             explain=False)


@dataclass
class CleanText:
    """Cleaned article text with its audit trail and a map back to the original text.

    ``text`` has one block per line: headings and paragraphs are separated by ``\\n``, so a
    heading can never run into the next sentence. ``headings`` holds (start, end) character
    spans of heading lines in ``text``. ``removed`` holds audit rows (line, text, rule), with
    1-based line numbers of the original text.

    ``_segments`` holds the offset map, sorted by start in ``text``: (start, length, raw_start,
    cmap). ``cmap=None`` is an unchanged run that maps by a shift; a list maps offset
    ``start + d`` to ``raw_start + cmap[d]`` for one span that ftfy repaired, so memory grows
    with the number of repairs, not with the length of the lines that hold them.
    """

    text: str
    headings: list[tuple[int, int]]
    removed: list[tuple[int, str, str]]
    _segments: list[tuple[int, int, int, object]] = field(repr=False, default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [seg[0] for seg in self._segments]  # for bisect in to_raw

    def to_raw(self, offset: int) -> int:
        """Map a character offset in ``text`` to the offset in the original input text."""
        if not self._segments:
            return offset
        k = max(bisect_right(self._starts, offset) - 1, 0)
        c0, length, r0, cmap = self._segments[k]
        d = min(max(offset - c0, 0), length)
        if cmap is None:
            return r0 + d
        return r0 + cmap[d]

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of ``text`` to the span of the original text it came from."""
        if end <= start:
            a = self.to_raw(start)
            return a, a
        return self.to_raw(start), self.to_raw(end - 1) + 1

    def is_heading(self, start: int) -> bool:
        return any(a <= start < b for a, b in self.headings)


def _fix(line: str) -> str:
    fixed = ftfy.fix_text(line, _FTFY)
    return unicodedata.normalize("NFC", fixed)


def _common_prefix(a: str, i: int, b: str, j: int) -> int:
    """Length of the common prefix of ``a[i:]`` and ``b[j:]``.

    Compares slices of doubling size and bisects the first unequal one, so a long equal run
    costs a few string comparisons (done in C), not one Python step per character.
    """
    n = min(len(a) - i, len(b) - j)
    k, step = 0, 16
    while k < n:
        size = min(step, n - k)
        if a[i + k:i + k + size] == b[j + k:j + k + size]:
            k += size
            step *= 2
            continue
        lo, hi = 0, size  # a[i+k:i+k+lo] is equal, a[i+k:i+k+hi] is not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if a[i + k:i + k + mid] == b[j + k:j + k + mid]:
                lo = mid
            else:
                hi = mid
        return k + lo
    return n


def _resync(raw: str, i: int, fixed: str, j: int, anchor: int) -> tuple[int, int]:
    """The nearest point (di, dj) after a difference where the two texts agree again.

    Nearest means the smallest di + dj (then the smallest dj) such that ``anchor`` characters of
    ``raw`` from ``i + di`` equal those of ``fixed`` from ``j + dj``, or both texts end there.
    The search looks ``reach`` characters ahead and doubles it until such a point is found.
    """
    n, m = len(raw), len(fixed)
    reach = 32
    while True:
        best = (n - i, m - j)  # both ends always agree
        for dj in range(min(reach, m - j) + 1):
            if dj >= best[0] + best[1]:
                break
            pat = fixed[j + dj:j + dj + anchor]
            if len(pat) < anchor:  # fewer than `anchor` left: only the two ends can agree
                di = n - i - len(pat)
                if di < 0 or raw[n - len(pat):] != pat:
                    continue
            else:
                p = raw.find(pat, i, i + reach + anchor)
                if p < 0:
                    continue
                di = p - i
            if di + dj < best[0] + best[1]:
                best = (di, dj)
        if best[0] + best[1] <= reach:
            return best
        reach *= 2


def _window_map(raw: str, fixed: str) -> list[int]:
    """Offsets into ``raw`` for offsets 0..len(fixed) of a short differing window (difflib)."""
    cmap = [0] * (len(fixed) + 1)
    sm = difflib.SequenceMatcher(None, raw, fixed, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        for j in range(j1, j2):
            cmap[j] = i1 + (j - j1 if tag == "equal" else min(j - j1, max(i2 - i1 - 1, 0)))
    cmap[len(fixed)] = len(raw)
    return cmap


_ANCHOR = 8  # equal characters that end a difference between a line and its repair
_WINDOW = 512  # longest difference (raw + fixed characters) aligned by difflib directly


def _align(raw: str, fixed: str, anchor: int = _ANCHOR) -> list[tuple[int, int, int, object]]:
    """Pieces (fixed_start, length, raw_start, cmap) that map ``fixed`` back to ``raw``.

    A piece with ``cmap=None`` is an equal run: ``fixed[s + d]`` is ``raw[r + d]``. A piece with
    a list covers one difference: offset ``s + d`` maps to ``r + cmap[d]``, with
    ``cmap[length]`` at the raw end of the difference (a deletion is a piece of length 0).
    ftfy's repairs are local, so the pieces alternate between long equal runs, found by
    comparing slices, and short differences, each aligned by ``difflib`` on its own few
    characters: time and memory are linear in the line, and the offsets are those a
    ``SequenceMatcher`` over the whole line gives, as long as the equal runs between repairs
    are longer than any text the line repeats across them. (In a run of one repeated character
    next to a repair, as ``"xx\\x00xxxx"``, the whole-line matcher may pair a character with a
    shifted twin; here each unchanged character maps to itself.) A difference longer than
    ``_WINDOW`` characters is split again at shorter anchors before difflib sees it.
    """
    pieces: list[tuple[int, int, int, object]] = []
    i = j = 0
    while True:
        k = _common_prefix(raw, i, fixed, j)
        if k:
            pieces.append((j, k, i, None))
            i, j = i + k, j + k
        if i == len(raw) and j == len(fixed):
            return pieces
        di, dj = _resync(raw, i, fixed, j, anchor)
        if di + dj <= _WINDOW or anchor == 1:
            pieces.append((j, dj, i, _window_map(raw[i:i + di], fixed[j:j + dj])))
        else:
            for s, length, r, cmap in _align(raw[i:i + di], fixed[j:j + dj], anchor // 2):
                pieces.append((j + s, length, i + r, cmap))
        i, j = i + di, j + dj


def _line_segments(raw: str, fixed: str, cut: int, c0: int,
                   r0: int) -> list[tuple[int, int, int, object]]:
    """``CleanText`` segments for one kept line: ``fixed[cut:]`` at ``c0``, ``raw`` at ``r0``."""
    if raw == fixed:
        return [(c0, len(fixed) - cut, r0 + cut, None)]
    segments = []
    for s, length, r, cmap in _align(raw, fixed):
        if s + length < cut or (s + length == cut and length):  # in the bullet that was cut
            continue
        if s < cut:  # straddles the cut
            d = cut - s
            s, length = cut, length - d
            if cmap is None:
                r += d
            else:
                cmap = cmap[d:]
        segments.append((c0 + s - cut, length, r0 + r, cmap))
    return segments


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 12:
        return False
    if line.endswith(_TERMINAL) or _BULLET_RE.match(line):
        return False
    first = line.lstrip("“\"'‘(")
    return bool(first) and (first[0].isupper() or first[0].isdigit())


def clean_text(raw: str) -> CleanText:
    """Remove boilerplate lines, repair mojibake, normalise Unicode, keep headings apart.

    Parameters
    ----------
    raw : str
        The article text as loaded.

    Returns
    -------
    CleanText
        The cleaned text (one heading or paragraph per line), the spans of its headings, the
        audit rows of what was removed or changed, and the map back to offsets in ``raw``.

    Examples
    --------
    >>> c = clean_text("Follow us on X\\nTalks resume in Northport\\nThe talks resumed.")
    >>> c.text
    'Talks resume in Northport\\nThe talks resumed.'
    >>> c.removed, c.headings
    ([(1, 'Follow us on X', 'follow_us')], [(0, 25)])
    """
    rules = boilerplate_rules()
    lines = raw.splitlines(keepends=True)
    offsets, pos = [], 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln)

    removed: list[tuple[int, str, str]] = []
    kept: list[dict] = []  # {lineno, raw_start, raw_text(stripped), text(fixed)}
    seen_short: set[str] = set()
    for i, ln in enumerate(lines):
        body = ln.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        if not stripped:
            continue
        fixed = _fix(stripped)
        if fixed != stripped:
            kind = "mojibake" if ftfy.fix_encoding(stripped) != stripped else "unicode"
            removed.append((i + 1, stripped, kind))
        bullet = _BULLET_RE.match(fixed)
        rule = next((r.name for r in rules if r.regex.search(fixed)), None)
        if rule is None:
            key = _WS_RE.sub(" ", fixed).casefold()
            if len(fixed.split()) <= 20 and key in seen_short:
                rule = "repeated_line"
            else:
                seen_short.add(key)
        if rule:
            removed.append((i + 1, stripped, rule))
            continue
        cut = bullet.end() if bullet else 0
        kept.append({"lineno": i + 1, "raw_start": offsets[i] + lead, "raw": stripped,
                     "text": fixed, "cut": cut})

    # Join lines the scraper broke mid-sentence (no end punctuation, next starts lower-case).
    merged: list[list[dict]] = []
    for k in kept:
        prev = merged[-1][-1] if merged else None
        if (prev is not None and not prev["text"].endswith(_TERMINAL)
                and k["text"][:1].islower()):
            removed.append((k["lineno"], k["raw"], "joined_line"))
            merged[-1].append(k)
        else:
            merged.append([k])

    parts: list[str] = []
    segments: list[tuple[int, int, int, object]] = []
    headings: list[tuple[int, int]] = []
    cur = 0
    for group in merged:
        block_start = cur
        for j, k in enumerate(group):
            if j:
                parts.append(" ")
                cur += 1
            t = k["text"][k["cut"]:]
            segments.extend(_line_segments(k["raw"], k["text"], k["cut"], cur, k["raw_start"]))
            parts.append(t)
            cur += len(t)
        if len(group) == 1 and _is_heading(group[0]["text"]):
            headings.append((block_start, cur))
        parts.append("\n")
        cur += 1
    text = "".join(parts).rstrip("\n")
    removed.sort(key=lambda r: (r[0], r[2]))
    return CleanText(text=text, headings=headings, removed=removed, _segments=segments)

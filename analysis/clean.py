"""Clean article text: boilerplate lines, mojibake, Unicode, headings.

``clean_text(raw)`` removes scraped-site boilerplate with the line rules in
``analysis/rules/boilerplate.tsv``, repairs mojibake (ftfy), normalises Unicode (NFC), keeps
headings on lines of their own, records every removal for the audit table, and keeps a map from
cleaned-text offsets back to offsets in the original text.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import ftfy

__all__ = ["CleanText", "clean_text", "boilerplate_rules"]


@dataclass(frozen=True)
class Rule:
    name: str
    regex: re.Pattern
    description: str


@lru_cache(maxsize=1)
def boilerplate_rules() -> tuple[Rule, ...]:
    """The line rules of ``analysis/rules/boilerplate.tsv``, in file order."""
    text = resources.files("analysis").joinpath("rules/boilerplate.tsv").read_text("utf-8")
    rules = []
    for row in csv.DictReader(io.StringIO(text), delimiter="\t"):
        rules.append(Rule(row["rule"], re.compile(row["pattern"]), row["description"]))
    return tuple(rules)


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


def _char_map(raw: str, fixed: str) -> list[int] | None:
    """Offsets into ``raw`` for each offset 0..len(fixed) of ``fixed`` (None when identical)."""
    if raw == fixed:
        return None
    cmap = [0] * (len(fixed) + 1)
    sm = difflib.SequenceMatcher(None, raw, fixed, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        for j in range(j1, j2):
            cmap[j] = i1 + (j - j1 if tag == "equal" else min(j - j1, max(i2 - i1 - 1, 0)))
    cmap[len(fixed)] = len(raw)
    return cmap


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 12:
        return False
    if line.endswith(_TERMINAL) or _BULLET_RE.match(line):
        return False
    first = line.lstrip("“\"'‘(")
    return bool(first) and (first[0].isupper() or first[0].isdigit())


def clean_text(raw: str) -> CleanText:
    """Remove boilerplate lines, repair mojibake, normalise Unicode, keep headings apart."""
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
            cmap = _char_map(k["raw"], k["text"])
            if cmap is None:
                segments.append((cur, len(t), k["raw_start"] + k["cut"], None))
            else:
                sub = [c - (cmap[k["cut"]]) for c in cmap[k["cut"]:]]
                segments.append((cur, len(t), k["raw_start"] + cmap[k["cut"]], sub))
            parts.append(t)
            cur += len(t)
        if len(group) == 1 and _is_heading(group[0]["text"]):
            headings.append((block_start, cur))
        parts.append("\n")
        cur += 1
    text = "".join(parts).rstrip("\n")
    removed.sort(key=lambda r: (r[0], r[2]))
    return CleanText(text=text, headings=headings, removed=removed, _segments=segments)

"""Thematic emphasis: how much an article talks about technology, economics, history, ...

Each frame is a dictionary of patterns (``analysis/lexicons/frames.yml``, documented in
``analysis/lexicons/README.md``) matched on lemmas of the shared parse. ``history`` also counts
references to the past that no word list can hold: past years and past decades (see
:func:`temporal_matches`). User dictionaries (``EmphasisScorer(dictionaries=[paths])``, the
CLI's ``--dictionary``) go through the same parser and matcher and add their own columns.

Columns per frame or user key ``k`` (in this order):

* ``emph_<k>`` -- matches per 1,000 words of the article (words = tokens that are not
  punctuation or space, headings included); 0 when the article has no match.
* ``emph_<k>_share`` -- share of sentences (headings included) with at least one match, 0..1.
* ``emph_<k>_lo``, ``emph_<k>_hi`` -- 95% sentence-bootstrap interval of ``emph_<k>`` (the
  article's shared resample matrix; same statistic as :func:`analysis.stats.rate_interval`).

and, after all of them, ``frame_dominant``: the built-in frame with the highest ``emph_`` rate
(ties go to the frame listed first in :data:`FRAMES`), or ``"none"`` when no frame matches.

Evidence: one row per match, ``feature`` = the frame or user key, ``term`` = the dictionary
pattern as written (``drone`` for "Drones") or, for a past year or decade, the year as written.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np

from .dictionaries import (CompiledDictionaries, Dictionary, DictionaryError, Match,
                           compile_dictionaries, load_dictionary, parse_yaml)
from .features import Scored
from .stats import rate_per_1000
from .text import ParsedArticle

__all__ = ["FRAMES", "EmphasisScorer", "builtin_frames", "reference_year", "temporal_matches",
           "rate_intervals"]

FRAMES = ("technology", "economics", "history", "security", "diplomacy", "law_sovereignty",
          "human_cost")
REQUIRED_FRAMES = FRAMES[:3]
FRAMES_FILE = "frames.yml"
NO_FRAME = "none"
SUFFIXES = ("", "_share", "_lo", "_hi")

# A year: four digits 1800-2099 standing alone (not inside a number, not an amount of money,
# not followed by %/percent/per). A decade: "1990s", or "'90s" with an apostrophe.
_YEAR_RE = re.compile(r"(?<![\w$£€¥.,])(1[89]\d\d|20\d\d)(?![\w%])(?![.,]\d)"
                      r"(?!\s*(?:percent|per\b|pc\b))")
_DECADE_RE = re.compile(r"(?<![\w$£€¥.,])(?:(1[89]\d0|20\d0)|['’](\d0))s\b")

@lru_cache(maxsize=1)
def builtin_frames() -> Dictionary:
    """The built-in frames, parsed from the package's ``lexicons/frames.yml``."""
    text = resources.files("analysis").joinpath("lexicons", FRAMES_FILE).read_text("utf-8")
    d = parse_yaml(text, f"analysis/lexicons/{FRAMES_FILE}")
    if tuple(d.categories) != FRAMES:
        raise DictionaryError(d.source, None, f"frames must be {FRAMES}, in that order; "
                              f"found {tuple(d.categories)}")
    return d


@lru_cache(maxsize=8)
def _compiled(paths: tuple[str, ...]) -> tuple[CompiledDictionaries, tuple[str, ...]]:
    user = [load_dictionary(p) for p in paths]
    comp = compile_dictionaries([builtin_frames(), *user])
    keys = tuple(comp.categories)
    cols: dict[str, str] = {}
    for k in keys:
        for suf in SUFFIXES:
            col = f"emph_{k}{suf}"
            if col in cols:
                d = next(u for u in user if k in u.categories or cols[col] in u.categories)
                raise DictionaryError(d.source, d.key_lines.get(k),
                                      f"category {k!r} gives column {col}, which category "
                                      f"{cols[col]!r} already has; rename it")
            cols[col] = k
    if "frame_dominant" in cols:
        raise DictionaryError(paths[0], None, "a category named 'frame_dominant' is reserved")
    return comp, keys


def reference_year(years: Sequence[int]) -> int | None:
    """The article's reference year: the latest year it mentions (its own date line or the
    date of the event it reports), or None when it mentions none."""
    return max(years) if years else None


def temporal_matches(doc, spans: Sequence[tuple[int, int]], text: str | None = None
                     ) -> list[Match]:
    """Past years and decades in ``doc`` (within the sentence token spans), as ``history``.

    A year is a stand-alone four-digit number 1800-2099 (not part of a larger number, not
    after a currency sign, not before "%"/"percent"/"per"). It counts as a reference to the
    past when it is *before* the article's reference year (:func:`reference_year`), so the
    year of the reported event itself never counts. A decade ("1990s", "'90s" = 1990s) counts
    when it ended before the reference year. An article that mentions no year has no
    reference year, and then no year or decade counts (past cannot be told from present).
    """
    text = doc.text if text is None else text
    if not spans:
        return []
    from spacy.attrs import IDX

    tok_idx = doc.to_array([IDX]).ravel()
    inside = np.zeros(len(doc), dtype=bool)
    for s0, s1 in spans:
        inside[s0:s1] = True

    def token_at(char: int) -> int | None:
        i = int(np.searchsorted(tok_idx, char, side="right")) - 1
        return i if i >= 0 and inside[i] else None

    years: list[tuple[int, int, str]] = []
    for m in _YEAR_RE.finditer(text):
        i = token_at(m.start())
        if i is not None:
            years.append((i, int(m.group(1)), m.group(0)))
    ref = reference_year([y for _i, y, _t in years])
    if ref is None:
        return []
    out = [Match("history", t, i, i + 1) for i, y, t in years if y < ref]
    for m in _DECADE_RE.finditer(text):
        first = int(m.group(1)) if m.group(1) else 1900 + int(m.group(2))
        i = token_at(m.start())
        if i is None or first + 9 >= ref:
            continue
        j = int(np.searchsorted(tok_idx, m.end() - 1, side="right"))
        out.append(Match("history", m.group(0), i, max(j, i + 1)))
    return sorted(out, key=lambda mt: (mt.tok_start, mt.tok_end))


def rate_intervals(counts: np.ndarray, words: np.ndarray, idx: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """95% intervals of the per-1,000-word rate of every column of ``counts`` (sentences x
    categories) over the sentence resamples ``idx`` -- the statistic of
    :func:`analysis.stats.rate_interval`, for all categories in one matrix product."""
    n_sent, n_cat = counts.shape
    if idx.size == 0 or n_sent == 0:
        r = np.array([rate_per_1000(counts[:, j], words) for j in range(n_cat)])
        return r, r.copy()
    n_res = idx.shape[0]
    flat = (idx + (np.arange(n_res) * n_sent)[:, None]).ravel()
    mult = np.bincount(flat, minlength=n_res * n_sent).reshape(n_res, n_sent).astype(float)
    tot = mult @ np.column_stack([words, counts]).astype(float)
    w = tot[:, :1]
    rates = np.divide(tot[:, 1:] * 1000.0, w, out=np.zeros_like(tot[:, 1:]), where=w > 0)
    return _quantiles(np.sort(rates, axis=0), (0.025, 0.975))


def _quantiles(sorted_cols: np.ndarray, qs) -> tuple[np.ndarray, ...]:
    """Linear-interpolation quantiles (numpy's default method, as in
    :func:`analysis.stats.percentile_interval`) of each column of an already sorted matrix."""
    n = sorted_cols.shape[0]
    out = []
    for q in qs:
        pos = q * (n - 1)
        i = int(np.floor(pos))
        j = min(i + 1, n - 1)
        t = pos - i
        a, b = sorted_cols[i], sorted_cols[j]
        out.append(a + (b - a) * t if t < 0.5 else b - (b - a) * (1 - t))
    return tuple(out)


class EmphasisScorer:
    """Emphasis of the built-in frames (+ user dictionary keys) per article.

    Parameters
    ----------
    dictionaries : paths of user dictionaries (quanteda YAML, LIWC .dic, TSV/CSV); each key
        adds the columns ``emph_<key>``, ``emph_<key>_share``, ``_lo``, ``_hi``.
    """

    name = "emphasis"

    def __init__(self, dictionaries: Sequence[str | Path] | None = None):
        if isinstance(dictionaries, (str, Path)):
            dictionaries = [dictionaries]
        self.dictionaries = tuple(str(p) for p in (dictionaries or ()))
        self._matcher, self.keys = _compiled(self.dictionaries)

    def columns(self) -> list[str]:
        return [f"emph_{k}{s}" for k in self.keys for s in SUFFIXES] + ["frame_dominant"]

    def match(self, article: ParsedArticle) -> list[tuple[int, Match]]:
        """(sentence index, match) for every match in the article, in text order."""
        spans = [(s.tok_start, s.tok_end) for s in article.sentences]
        matches = self._matcher.match_doc(article.doc, spans)
        hist = [m for m in matches if m.category == "history"]
        covered = {i for m in hist for i in range(m.tok_start, m.tok_end)}
        matches += [m for m in temporal_matches(article.doc, spans, article.text)
                    if m.tok_start not in covered]
        starts = np.array([s.tok_start for s in article.sentences], dtype=np.int64)
        where = np.searchsorted(starts, [m.tok_start for m in matches], side="right") - 1
        out = list(zip(where.tolist(), matches))
        out.sort(key=lambda x: (x[1].tok_start, x[1].category, x[1].tok_end))
        return out

    def score(self, article: ParsedArticle, idx: np.ndarray) -> Scored:
        sents = article.sentences
        cat = {k: j for j, k in enumerate(self.keys)}
        counts = np.zeros((len(sents), len(self.keys)), dtype=np.int64)
        evidence = []
        from spacy.attrs import IDX, LENGTH

        offs = article.doc.to_array([IDX, LENGTH]).tolist()
        aid = article.article_id
        for si, m in self.match(article):
            s = sents[si]
            counts[si, cat[m.category]] += 1
            c0, _ = offs[m.tok_start]
            c1, ln = offs[m.tok_end - 1]
            evidence.append({"article_id": aid, "sentence_id": s.sentence_id,
                             "feature": m.category, "term": m.term, "start": c0 - s.start,
                             "end": c1 + ln - s.start, "sentence": s.text})
        words = article.words_per_sentence
        lo, hi = rate_intervals(counts, words, idx)
        cols: dict = {}
        n_sent = len(sents)
        for j, k in enumerate(self.keys):
            cols[f"emph_{k}"] = rate_per_1000(counts[:, j], words)
            cols[f"emph_{k}_share"] = float((counts[:, j] > 0).sum() / n_sent) if n_sent else 0.0
            cols[f"emph_{k}_lo"] = float(lo[j])
            cols[f"emph_{k}_hi"] = float(hi[j])
        rates = [cols[f"emph_{f}"] for f in FRAMES]
        best = int(np.argmax(rates))
        cols["frame_dominant"] = FRAMES[best] if rates[best] > 0 else NO_FRAME
        return Scored(columns=cols, evidence=evidence)

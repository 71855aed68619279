"""Thematic emphasis: how much an article talks about technology, economics, history, ...

Each frame is a dictionary of patterns (``analysis/lexicons/frames.yml``, documented in
``analysis/lexicons/README.md``) matched on lemmas of the shared parse. ``history`` also counts
references to the past that no word list can hold: past years and past decades (see
:mod:`analysis.measures.emphasis.temporal`). A word a frame lists only inside phrases that fix its sense
(``lexicons/sense_anchored.tsv``: "game" in "video game") also counts on its own in an article
where one of those phrases matched: one sense per discourse. A study's frame additions
(``EmphasisScorer(frame_additions=[paths])``, the study's ``dictionaries``) extend the frames:
a category named like a built-in frame adds its patterns to that frame, any other category
adds its own columns. User dictionaries (``EmphasisScorer(dictionaries=[paths])``, the CLI's
``--dictionary``) go through the same parser and matcher and add their own columns; a user
category named like a built-in frame is an error.

Columns per frame, new study key or user key ``k`` (in this order):

* ``emph_<k>`` -- matches per 1,000 words of the article (words = tokens that are not
  punctuation or space, headings included); 0 when the article has no match.
* ``emph_<k>_share`` -- share of sentences (headings included) with at least one match, 0..1.
* ``emph_<k>_lo``, ``emph_<k>_hi`` -- 95% sentence-bootstrap interval of ``emph_<k>`` (the
  article's shared resample matrix; same statistic as :func:`analysis.stats.rate_interval`).

and, after all of them, ``frame_dominant``: the built-in frame with the highest ``emph_`` rate
(ties go to the frame listed first in :data:`FRAMES`), or ``"none"`` when no frame matches.

Evidence: one row per match, ``feature`` = the frame or key, ``term`` = the dictionary
pattern as written (``drone`` for "Drones") or, for a past year or decade, the year as written.

The intervals' resampled sums are made a block of resamples at a time
(:func:`resampled_sums`), so their working memory stays bounded for an article of thousands
of sentences; the sums are of word and match counts, so they are exact in any order.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from ... import lexicon
from ...dictionaries import (CompiledDictionaries, Dictionary, DictionaryError, Match,
                           compile_dictionaries, load_dictionary)
from ...stats import rate_per_1000, resample_weights
from ...tables import Scored
from .senses import SenseChecks
from .sets import DEFAULT_SETS, FRAME_SETS, FRAMES, frame_keys, parse_frame_sets, set_dictionary
from .temporal import past_references, published_year, reference_year, temporal_matches

if TYPE_CHECKING:
    from ...text import ParsedArticle

__all__ = ["FRAMES", "EmphasisScorer", "builtin_frames", "extended_frames", "reference_year",
           "published_year", "temporal_matches", "rate_intervals", "resampled_sums"]

REQUIRED_FRAMES = FRAMES[:3]
ANCHORED_FILE = "sense_anchored.tsv"
NO_FRAME = "none"
SUFFIXES = ("", "_share", "_lo", "_hi")
ALL_KEYS = frame_keys(tuple(FRAME_SETS))


@lru_cache(maxsize=8)
def builtin_frames(sets: tuple[str, ...] = DEFAULT_SETS) -> Dictionary:
    """The built-in frames of the frame sets ``sets`` (:mod:`.sets`), parsed once.

    Returns
    -------
    Dictionary
        One category per frame key (:func:`~.sets.frame_keys`), set by set; a set's file
        with other frames raises :class:`DictionaryError`.

    Examples
    --------
    >>> tuple(builtin_frames().categories) == FRAMES
    True
    """
    parts = [set_dictionary(s) for s in sets]
    if len(parts) == 1:
        return parts[0]
    return Dictionary(parts[0].source, {k: v for d in parts for k, v in d.categories.items()},
                      {k: v for d in parts for k, v in d.key_lines.items()})


def extended_frames(additions: Sequence[str | Path] = (), sets: tuple[str, ...] = DEFAULT_SETS
                    ) -> tuple[Dictionary, list[Dictionary]]:
    """The built-in frames extended by a study's frame additions.

    Parameters
    ----------
    additions : sequence of path
        Dictionary files (any format of :func:`analysis.dictionaries.load_dictionary`).

    Returns
    -------
    frames : Dictionary
        :func:`builtin_frames` with, for each addition category named like a built-in frame,
        its patterns appended to that frame (a pattern the frame has already is skipped; the
        added patterns keep their own file and line).
    new : list of Dictionary
        Per addition file with other categories, those categories (new ``emph_<key>``
        columns, checked like user dictionaries).

    Examples
    --------
    >>> frames, new = extended_frames()
    >>> tuple(frames.categories) == FRAMES, new
    (True, [])
    """
    base = builtin_frames(sets)
    frames = Dictionary(base.source, {k: list(v) for k, v in base.categories.items()},
                        dict(base.key_lines))
    new = []
    for path in additions:
        d = load_dictionary(path)
        own = Dictionary(d.source)
        for key, pats in d.categories.items():
            if key in frames.categories:
                have = {q.text for q in frames.categories[key]}
                frames.categories[key] += [q for q in pats if q.text not in have]
            else:
                own.categories[key] = list(pats)
                own.key_lines[key] = d.key_lines.get(key)
        if own.categories:
            new.append(own)
    return frames, new


def check_anchored(d: Dictionary) -> Dictionary:
    """Check a sense-anchored word list: each category a built-in frame, each pattern one word
    without wildcards. Raises :class:`DictionaryError` with the line otherwise."""
    for key, pats in d.categories.items():
        if key not in ALL_KEYS:
            raise DictionaryError(d.source, d.key_lines.get(key),
                                  f"{key!r} is not a built-in frame ({', '.join(ALL_KEYS)})")
        for p in pats:
            if len(p.text.split()) != 1 or "*" in p.text or "?" in p.text:
                raise DictionaryError(p.source, p.line, f"{p.text!r}: a sense-anchored entry "
                                      "is one word without wildcards")
    return d


@lru_cache(maxsize=1)
def sense_anchored() -> Dictionary:
    """The sense-anchored words, parsed once from the package's ``lexicons/sense_anchored.tsv``.

    Returns
    -------
    Dictionary
        Per built-in frame, the single words that count on their own in an article once a
        phrase of the same frame containing them has matched there ("one sense per
        discourse"); checked by :func:`check_anchored`.
    """
    return check_anchored(lexicon.read_dictionary(ANCHORED_FILE))


@lru_cache(maxsize=8)
def _anchored_matcher(keys: tuple[str, ...]) -> CompiledDictionaries | None:
    """The sense-anchored words of the frames among ``keys`` (None: no such frame)."""
    d = sense_anchored()
    mine = {k: v for k, v in d.categories.items() if k in keys}
    return compile_dictionaries([Dictionary(d.source, mine)]) if mine else None


@lru_cache(maxsize=8)
def _compiled(paths: tuple[str, ...], additions: tuple[str, ...] = (),
              sets: tuple[str, ...] = DEFAULT_SETS
              ) -> tuple[CompiledDictionaries, tuple[str, ...], SenseChecks]:
    frames, new = extended_frames(additions, sets)
    extra = [*new, *(load_dictionary(p) for p in paths)]
    comp = compile_dictionaries([frames, *extra])
    keys = tuple(comp.categories)
    cols: dict[str, str] = {}
    for k in keys:
        for suf in SUFFIXES:
            col = f"emph_{k}{suf}"
            if col in cols:
                d = next(u for u in extra if k in u.categories or cols[col] in u.categories)
                raise DictionaryError(d.source, d.key_lines.get(k),
                                      f"category {k!r} gives column {col}, which category "
                                      f"{cols[col]!r} already has; rename it")
            cols[col] = k
    return comp, keys, SenseChecks(keys, comp.patterns)


def rate_intervals(counts: np.ndarray, words: np.ndarray, idx: np.ndarray, level: float = 0.95
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Intervals (default 95%) of the per-1,000-word rate of every column of ``counts``
    (sentences x categories) over the sentence resamples ``idx``: exactly the values of
    :func:`analysis.stats.rate_interval` for each column, computed for all columns at once.

    The resampled sums are matrix products, ``resample_weights(idx) @ [words, counts]``
    (how often each sentence is drawn in each resample, times its counts), made a block of
    resamples at a time (:func:`resampled_sums`); columns without a
    match have the interval (0, 0) without resampling; the two order statistics each quantile
    needs come from ``np.partition`` instead of a full sort, interpolated as ``np.quantile``
    does (its default, linear method)."""
    counts = np.asarray(counts)
    words = np.asarray(words)
    n_sent, n_cat = counts.shape
    if idx.size == 0 or n_sent == 0:
        r = np.array([rate_per_1000(counts[:, j], words) for j in range(n_cat)])
        return r, r.copy()
    lo, hi = np.zeros(n_cat), np.zeros(n_cat)
    nz = np.flatnonzero(counts.any(axis=0))
    if nz.size == 0:  # no match: every resampled rate is 0
        return lo, hi
    x = np.column_stack([words, counts[:, nz]]).astype(float)
    tot = resampled_sums(idx, x).T  # (1 + categories, resamples)
    w, c = tot[0], tot[1:] * 1000.0
    rates = c / w if (w > 0).all() else np.divide(c, w, out=np.zeros_like(c), where=w > 0)
    a = (1 - level) / 2  # as analysis.stats.percentile_interval
    lo[nz], hi[nz] = _quantiles(rates, (a, 1 - a))
    return lo, hi


RESAMPLE_BLOCK = 1 << 22  # resample weights made at a time (32 MiB of float64)


def resampled_sums(idx: np.ndarray, x: np.ndarray, units: np.ndarray | None = None
                   ) -> np.ndarray:
    """(resamples, columns) sums of the rows of ``x`` drawn in each resample of ``idx``:
    ``x[idx].sum(axis=1)``, exactly, for integer-valued ``x`` below 2**53 (counts, words).

    With ``units`` (sorted unit indices), ``x`` holds only those units' rows and every other
    unit counts zero: a table with a row for the few sentences that have a match or an
    attribution. Computed as ``resample_weights(idx) @ x`` (how often each unit is drawn in
    each resample, times its row), a block of resamples at a time so that the weights never
    exceed :data:`RESAMPLE_BLOCK` entries: ``x[idx]`` itself is resamples x units x columns
    (7 GB for the 2,000 resamples of an article of 15,000 sentences and 30 source cells),
    the whole weight matrix resamples x units."""
    x = np.asarray(x, dtype=float)
    n_res = idx.shape[0]
    n_units = idx.shape[1] if idx.ndim == 2 else 0
    out = np.zeros((n_res, x.shape[1]))
    if n_units == 0 or x.shape[0] == 0:
        return out
    if units is not None:
        where = np.full(n_units, -1, dtype=np.int64)  # unit -> its row of x, or -1
        where[np.asarray(units, dtype=np.int64)] = np.arange(len(units))
    step = max(1, RESAMPLE_BLOCK // max(n_units, x.shape[0]))
    for a in range(0, n_res, step):
        block = idx[a:a + step]
        if units is None:
            w = resample_weights(block, n_units)
        else:
            row = where[block]
            r, c = np.nonzero(row >= 0)
            w = np.bincount(r * len(units) + row[r, c], minlength=block.shape[0] * len(units)
                            ).reshape(block.shape[0], len(units)).astype(float)
        out[a:a + block.shape[0]] = w @ x
    return out


def _quantiles(rows: np.ndarray, qs) -> tuple[np.ndarray, ...]:
    """Quantiles ``qs`` of each row of ``rows`` (partitioned in place), bit for bit as
    ``np.quantile(row, q)`` with its default linear method: position ``(n - 1) * q``, the
    order statistics either side, and numpy's two-sided linear interpolation."""
    n = rows.shape[1]
    pos = [(n - 1) * q for q in qs]
    ij = [(int(np.floor(p)), min(int(np.floor(p)) + 1, n - 1)) for p in pos]
    rows.partition(sorted({k for pair in ij for k in pair}), axis=1)
    out = []
    for p, (i, j) in zip(pos, ij):
        t = p - i
        a, b = rows[:, i], rows[:, j]
        d = b - a
        out.append(a + d * t if t < 0.5 else b - d * (1 - t))
    return tuple(out)


def _covered(n: int, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Boolean mask of length ``n``: True on every token inside one of the matches
    ``[start, end)``."""
    mask = np.zeros(n, dtype=bool)
    for s0, s1 in zip(start.tolist(), end.tolist()):
        mask[s0:s1] = True
    return mask


def _paths(paths) -> tuple[str, ...]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return tuple(str(p) for p in (paths or ()))


class EmphasisScorer:
    """Emphasis of the built-in frames (+ a study's and the user's dictionary keys) per article.

    Parameters
    ----------
    dictionaries : sequence of path, optional
        User dictionaries (quanteda YAML, LIWC .dic, TSV/CSV); each key adds the columns
        ``emph_<key>``, ``emph_<key>_share``, ``_lo``, ``_hi``. A key that is a built-in frame
        (or another dictionary's key) raises :class:`DictionaryError`.
    frame_additions : sequence of path
        The study's dictionaries (same formats): a category named like a built-in frame adds
        its patterns to that frame (:func:`extended_frames`); another key adds its columns as a
        user dictionary's would, after the frames and before the user dictionaries.
    frames : str or sequence of str, optional
        The built-in frame sets to score (:mod:`.sets`: ``default``, ``pfc``, ``sv``; a list
        or ``"pfc,sv"``); ``default`` when None. ``frame_dominant`` is taken over the first.
    """

    name = "emphasis"

    def __init__(self, dictionaries: Sequence[str | Path] | None = None,
                 frame_additions: Sequence[str | Path] = (), frames=None):
        self.dictionaries = _paths(dictionaries)
        self.frame_additions = _paths(frame_additions)
        self.frames = parse_frame_sets(frames)
        self._matcher, self.keys, self._senses = _compiled(
            self.dictionaries, self.frame_additions, self.frames)
        self._history = self.keys.index("history") if "history" in self.keys else None
        self._dominant = FRAME_SETS[self.frames[0]].keys  # frame_dominant's candidates
        self._anchored = _anchored_matcher(self.keys)
        # Scorer key index of each sense-anchored category (all are built-in frames).
        self._anchored_key = np.array(
            [self.keys.index(c) for c in (self._anchored.categories if self._anchored else ())],
            dtype=np.int64)
        names = sorted(self.keys)
        self._name_rank = np.array([names.index(k) for k in self.keys], dtype=np.int64)

    def columns(self) -> list[str]:
        return [f"emph_{k}{s}" for k in self.keys for s in SUFFIXES] + ["frame_dominant"]

    def _matches(self, article: ParsedArticle):
        """All matches of the article in text order (token start, category name, token end),
        as arrays ``(sentence index, category index, tok_start, tok_end)``, the term list,
        the doc's token character offsets and lengths, and each match's index into the term
        list."""
        from spacy.attrs import IDX, IS_SPACE, LEMMA, LENGTH, ORTH, POS, SPACY  # late: heavy

        doc, sents = article.doc, article.sentences
        arr = doc.to_array([ORTH, LEMMA, POS, SPACY, IS_SPACE, IDX, LENGTH])
        n_tok = len(doc)
        arr = arr.reshape(n_tok, 7)
        tok_idx, tok_len = arr[:, 5].astype(np.int64), arr[:, 6].astype(np.int64)
        e = np.zeros(0, dtype=np.int64)
        if n_tok == 0 or not sents:
            return e, e, e, e, [], tok_idx, tok_len, e
        sid = np.full(n_tok, -1, dtype=np.int64)
        for k, s in enumerate(sents):
            sid[s.tok_start:s.tok_end] = k
        cat, start, end, term = self._matcher.match_arrays(arr, sid, doc.vocab.strings)
        ok = self._senses.keep(doc, sents, sid, start, end, term)  # lexicons/sense_rules.tsv
        if not ok.all():
            cat, start, end, term = cat[ok], start[ok], end[ok], term[ok]
        terms = self._matcher.terms
        # Matches beyond the patterns, as (category index, tok_start, tok_end, term):
        # sense-anchored words, then past years and decades not inside a history match.
        added = self._anchored_words(arr, sid, doc.vocab.strings, cat, start, end)
        found = [] if self._history is None else past_references(
            article.text, tok_idx, sid >= 0, article.published_year)
        if found:
            h = cat == self._history
            covered = _covered(n_tok + 1, start[h], end[h])
            added += [(self._history, i, j, t) for t, i, j in found if not covered[i]]
        if added:
            n_pat = len(terms)
            terms = terms + [t for _c, _i, _j, t in added]
            cat = np.concatenate([cat, [c for c, _i, _j, _t in added]]).astype(np.int64)
            start = np.concatenate([start, [i for _c, i, _j, _t in added]]).astype(np.int64)
            end = np.concatenate([end, [j for _c, _i, j, _t in added]]).astype(np.int64)
            term = np.concatenate([term, np.arange(n_pat, n_pat + len(added))])
        order = np.lexsort((np.arange(cat.size), end, self._name_rank[cat], start))
        cat, start, end, term = cat[order], start[order], end[order], term[order]
        starts = np.array([s.tok_start for s in sents], dtype=np.int64)
        si = np.searchsorted(starts, start, side="right") - 1
        return si, cat, start, end, terms, tok_idx, tok_len, term

    def _anchored_words(self, arr: np.ndarray, sid: np.ndarray, strings, cat: np.ndarray,
                        start: np.ndarray, end: np.ndarray) -> list[tuple[int, int, int, str]]:
        """Occurrences of sense-anchored words (``lexicons/sense_anchored.tsv``) that count for
        their frame: the word occurs inside a multi-word match of that frame somewhere in the
        article (which fixes its sense there), and this occurrence is outside every match of
        the frame. (category index, tok_start, tok_end, word) in text order per frame."""
        multi = (end - start) > 1
        if self._anchored is None or not multi.any() or not np.isin(cat[multi], self._anchored_key).any():
            return []
        acat, astart, aend, apid = self._anchored.match_arrays(arr, sid, strings)
        if not acat.size:
            return []
        akey = self._anchored_key[acat]
        words = self._anchored.terms
        out = []
        n_tok = arr.shape[0]
        for k in np.unique(akey).tolist():
            in_frame, in_phrase_of_frame = cat == k, (cat == k) & multi
            in_match = _covered(n_tok, start[in_frame], end[in_frame])
            in_phrase = _covered(n_tok, start[in_phrase_of_frame], end[in_phrase_of_frame])
            mine = akey == k
            anchors = set(apid[mine & in_phrase[astart]].tolist())
            if anchors:
                out += [(k, s0, s1, words[p]) for s0, s1, p in
                        zip(astart[mine].tolist(), aend[mine].tolist(), apid[mine].tolist())
                        if p in anchors and not in_match[s0]]
        return out

    def match(self, article: ParsedArticle) -> list[tuple[int, Match]]:
        """(sentence index, match) for every match in the article, in text order."""
        si, cat, start, end, terms, _ti, _tl, term = self._matches(article)
        keys = self.keys
        return [(i, Match(keys[c], terms[t], s, e)) for i, c, s, e, t in
                zip(si.tolist(), cat.tolist(), start.tolist(), end.tolist(), term.tolist())]

    def score(self, article: ParsedArticle, idx: np.ndarray) -> Scored:
        sents = article.sentences
        n_sent, n_cat = len(sents), len(self.keys)
        si, cat, start, end, terms, tok_idx, tok_len, term = self._matches(article)
        evidence = []
        if si.size == 0:
            counts = np.zeros((n_sent, n_cat), dtype=np.int64)
        else:
            counts = np.bincount(si * n_cat + cat, minlength=n_sent * n_cat
                                 ).reshape(n_sent, n_cat)
            s0 = np.array([s.start for s in sents], dtype=np.int64)[si]
            c0 = (tok_idx[start] - s0).tolist()
            c1 = (tok_idx[end - 1] + tok_len[end - 1] - s0).tolist()
            aid, keys = article.article_id, self.keys
            ids = [s.sentence_id for s in sents]
            texts = [s.text for s in sents]
            evidence = [{"article_id": aid, "sentence_id": ids[i], "feature": keys[c],
                         "term": terms[t], "start": a, "end": b, "sentence": texts[i]}
                        for i, c, t, a, b in zip(si.tolist(), cat.tolist(), term.tolist(),
                                                 c0, c1)]
        words = article.words_per_sentence
        lo, hi = rate_intervals(counts, words, idx)
        w_total = float(np.sum(words))
        totals = counts.sum(axis=0)
        rate = (totals * 1000.0 / w_total if w_total > 0 else np.zeros(n_cat)).tolist()
        share = ((counts > 0).sum(axis=0) / n_sent if n_sent else np.zeros(n_cat)).tolist()
        lo, hi = lo.tolist(), hi.tolist()
        cols: dict = {}
        for j, k in enumerate(self.keys):
            cols[f"emph_{k}"] = rate[j]
            cols[f"emph_{k}_share"] = share[j]
            cols[f"emph_{k}_lo"] = lo[j]
            cols[f"emph_{k}_hi"] = hi[j]
        rates = [cols[f"emph_{k}"] for k in self._dominant]
        best = int(np.argmax(rates))
        cols["frame_dominant"] = self._dominant[best] if rates[best] > 0 else NO_FRAME
        return Scored(columns=cols, evidence=evidence)

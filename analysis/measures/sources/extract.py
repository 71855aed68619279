"""Attributions of an article: the candidate sentences and their selective deep parse.

The shared parse of an article (``analysis.text``) has no dependency parser and no NER. This
module picks the sentences that can hold an attribution cheaply from that parse
(:func:`candidate_sentences`: "according to", a verb of ``lexicons/speech_verbs.txt``, or a
verb next to a quotation) and parses deeply only those (:func:`selective_parse`): each is cut
from the shared parse with its tokens, tags, lemmas and ``tok2vec`` tensor (``Span.as_doc``), the
dependency parser runs on it, and NER runs only on the sentences whose attribution has a
proper noun or "he"/"she" as source. The rules of :mod:`analysis.measures.sources.rules` find the
attributions of each parsed sentence, and :func:`extract_attributions` maps their offsets
back onto the article. ``select=False`` instead runs the full spaCy pipeline
(:func:`deep_parse`, ``nlp.pipe``) over the text of every sentence: the full-parse reference
the benchmark compares against (same rules, the same attributions in 99%+ of cases;
benchmarks/bench_sources.py).

Cost linear in the article: a candidate sentence is cut from the shared parse without spaCy's
``Span.as_doc`` entity bookkeeping, which reads every token of the article for every sentence
(:func:`_span_doc`, equal to ``as_doc`` attribute by attribute), and whether a sentence lies
inside a quotation opened earlier in its paragraph is answered from one walk over each
paragraph's quotation marks (:class:`~analysis.measures.sources.quotes.OpenQuotations`), not a walk
from the paragraph start for every sentence. Sentences reach the parser at most 500 words
long (``analysis.text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from spacy.attrs import ENT_IOB, IDX, LEMMA, LOWER, POS
from spacy.language import Language
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ...text import ParsedArticle, Sentence, dependency_parses, get_nlp, span_entities
from .lexicons import speech_cues
from .quotes import QUOTES, OpenQuotations, quote_spans_text
from .rules import doc_attributions

__all__ = ["Attribution", "candidate_sentences", "deep_parse", "selective_parse",
           "extract_attributions"]

DEEP_DISABLE = ("senter",)  # the parser sets sentence boundaries in the deep parse


@dataclass(frozen=True)
class Attribution:
    """One attribution: who (the source phrase) is said to have said what (the content).

    Offsets (``start``, ``end``, ``cue_start`` ...) index the article's cleaned text;
    :class:`~analysis.measures.sources.SourceScorer` maps them to the original text. The fields after
    ``kind`` describe the source phrase for :mod:`analysis.measures.sources.resolve`.
    """

    sentence_id: int
    source: str
    start: int
    end: int
    cue: str
    cue_start: int
    cue_end: int
    cue_lemma: str  # lemma of the cue verb ("according to" for that phrase)
    content: str
    kind: str
    head: str  # the head word of the source noun phrase
    head_lemma: str
    head_tag: str  # Penn tag of the head (NNS/NNPS: plural)
    head_ent: str  # NER label of the entity holding the head ("" when none)
    name: str  # the proper name in the source ("" when unnamed or a pronoun)
    determiner: str  # first determiner of the phrase ("the", "a", "both", ...)
    pronoun: bool
    entities: tuple[tuple[str, str], ...] = ()  # (label, text) of entities inside the source
    referent: str = ""  # the noun phrase a relative-pronoun source ("who") stands for
    coordinated: bool = False  # the phrase coordinates several sources ("X and Y")
    ref_start: int = 0  # cleaned-text span of the phrase naming the source (= the source
    ref_end: int = 0  # span, or the referent of a relative pronoun)
    persons_before: tuple[tuple[int, str], ...] = field(default=(), compare=False)
    # (cleaned offset, name) of PERSON entities earlier in the same sentence, for pronouns

# --------------------------------------------------------------------------- selection


def candidate_sentences(article: ParsedArticle) -> list[Sentence]:
    """Sentences of the shared parse that can hold an attribution.

    A sentence qualifies with "according to", or with a verb (``VERB`` or ``AUX``) outside its
    quotations that is a speech cue, or, when it has a quotation, any verb but "be", "have"
    and "do" outside it (the cue of a direct quote: "'...,' she quipped"); headings do not.
    These are the conditions :func:`~analysis.measures.sources.rules.doc_attributions` sets
    before it looks at the dependency parse (the deep parse keeps the shared parse's words,
    tags and lemmas), so a sentence left out could give no attribution and is not parsed: a
    cue lemma on a noun alone ("the statement"), a quotation with no verb outside it.
    Cheap: no parsing (token arrays; the quotations of a sentence with a quotation mark).

    Parameters
    ----------
    article : ParsedArticle
        The shared parse of the article.

    Returns
    -------
    list of Sentence
        In text order.
    """
    cues = speech_cues()
    doc = article.doc
    strings = doc.vocab.strings
    lemma, pos, lower, idx = (c.tolist() for c in doc.to_array([LEMMA, POS, LOWER, IDX]).T)
    lemma_lower = {h: strings[h].lower() for h in set(lemma)}
    verbs = {VERB, AUX}
    according, to = strings["according"], strings["to"]
    out = []
    for s in article.sentences:
        if s.is_heading:  # headlines repeat the body; their attributions are not counted
            continue
        rng = range(s.tok_start, s.tok_end)
        if any(lower[i] == according and i + 1 < s.tok_end and lower[i + 1] == to
               for i in rng):
            out.append(s)
            continue
        # The quotations as the rules see them: in the sentence's own text, from its first
        # token (the deep parse's Doc.text).
        quotes = (quote_spans_text(article.span(s).text_with_ws)
                  if any(q in s.text for q in QUOTES) else [])
        first = idx[s.tok_start] if len(rng) else 0
        for i in rng:
            if pos[i] not in verbs:
                continue
            at = idx[i] - first
            if any(qa < at < qb for qa, qb in quotes):  # the quoted speaker's own words
                continue
            word = lemma_lower[lemma[i]]
            if word in cues or (quotes and word not in ("be", "have", "do")
                                and not any(qa <= at < qb for qa, qb in quotes)):
                out.append(s)
                break
    return out


def deep_parse(texts: Iterable[str], nlp: Language | None = None,
               batch_size: int = 64) -> Iterator[Doc]:
    """The full pipeline (parser and NER on) over short texts, in order.

    Parameters
    ----------
    texts : iterable of str
    nlp : spacy.language.Language, optional
        Default the shared pipeline (``analysis.text.get_nlp``).
    batch_size : int, default 64

    Returns
    -------
    iterator of spacy.tokens.Doc
    """
    nlp = nlp or get_nlp()
    disable = [p for p in DEEP_DISABLE if p in nlp.pipe_names]
    yield from nlp.pipe(texts, disable=disable, batch_size=batch_size)

# --------------------------------------------------------------------------- article level


def _name_windows(doc: Doc, found: list[dict]) -> list[tuple[int, int]]:
    """Token ranges NER must see: source phrases with a proper noun, and the words before a
    "he"/"she" source (where its antecedent may be named)."""
    out = set()
    for a in found:
        if a["pronoun"] and a["head"].lower() in ("he", "she"):
            span = doc.char_span(0, a["start"], alignment_mode="contract")
        else:
            span = doc.char_span(min(a["start"], a["ref_span"][0]),
                                 max(a["end"], a["ref_span"][1]), alignment_mode="expand")
            if span is not None and not any(t.pos_ == "PROPN" for t in span):
                span = None
        if span is not None and len(span):
            out.add((span.start, span.end))
    return sorted(out)


_FOUND = "analysis.attributions"  # Doc.user_data key: doc_attributions of a finished doc


def _has_entities(head, array) -> bool:
    """Whether a doc's attribute array (columns ``head``) marks any named entity."""
    if ENT_IOB not in head:
        return False
    iob = array[:, list(head).index(ENT_IOB)]
    return bool(((iob == 1) | (iob == 3)).any())


def _span_doc(span: Span, head, array) -> Doc:
    """``span.as_doc(array_head=head, array=array)`` for a span of a doc with no named
    entities, in time linear in the span: the same steps without the entity bookkeeping,
    which reads ``Doc.ents`` of the whole doc (every token of the article) for every span,
    quadratic over an article's sentences (40 of the 67 s the attributions of a 1.9 MB
    article took). Equality with ``Span.as_doc`` is tested attribute by attribute."""
    parent = span.doc
    words = [t.text for t in span]
    spaces = [bool(t.whitespace_) for t in span]
    doc = Doc(parent.vocab, words=words, spaces=spaces)
    rows = array[span.start:span.end]
    span._fix_dep_copy(head, rows)
    doc.from_array(head, rows)
    doc.noun_chunks_iterator = parent.noun_chunks_iterator
    doc.user_hooks = parent.user_hooks
    doc.user_span_hooks = parent.user_span_hooks
    doc.user_token_hooks = parent.user_token_hooks
    doc.vector = span.vector
    doc.vector_norm = span.vector_norm
    doc.tensor = parent.tensor[span.start:span.end]
    for key, value in parent.cats.items():
        if hasattr(key, "__len__") and len(key) == 3:
            cat_start, cat_end, cat_label = key
            if cat_start == span.start_char and cat_end == span.end_char:
                doc.cats[cat_label] = value
    return doc


def selective_parse(article: ParsedArticle, sents: list[Sentence],
                    nlp: Language | None = None) -> list[Doc]:
    """Parser (and, where a source needs naming, NER) on the candidate sentences only.

    Each sentence is cut from the shared parse with its tokens, tags, lemmas and the shared
    ``tok2vec`` tensor, so only the parser runs on top (spaCy's parser reads ``doc.tensor``
    at inference). NER, the costliest step, runs only on the words that name a source: the
    source phrases that hold a proper noun, and the words before a "he"/"she" source.

    Parameters
    ----------
    article : ParsedArticle
        The shared parse of the article.
    sents : list of Sentence
        Its sentences to parse (:func:`candidate_sentences`).
    nlp : spacy.language.Language, optional
        Default the shared pipeline (``analysis.text.get_nlp``).

    Returns
    -------
    list of spacy.tokens.Doc
        One per sentence, in order; a doc without entities keeps the attributions the rules
        found in it (``user_data``), so they are not looked for twice.
    """
    nlp = nlp or get_nlp()

    def cut(spans):
        # spaCy's documented shortcut: the article's attribute array, made once, instead of
        # one conversion of the whole article per sentence. (as_doc slices it to the sentence
        # and may edit that slice's first row; sentences do not overlap, so no edit reaches
        # another.)
        head = article.doc._get_array_attrs()
        array = article.doc.to_array(head)
        if not _has_entities(head, array):
            return [_span_doc(article.doc[a:b], head, array) for a, b in spans]
        return [article.doc[a:b].as_doc(array_head=head, array=array) for a, b in spans]

    # Sentences that tone toward actors has parsed already are taken from the article.
    docs = dependency_parses(article, [(s.tok_start, s.tok_end) for s in sents], cut, nlp,
                             batch_size=64)
    if "ner" not in nlp.pipe_names:
        return docs
    found = [doc_attributions(d) for d in docs]
    jobs = [(i, a, b) for i, d in enumerate(docs) if found[i]
            for a, b in _name_windows(d, found[i])]
    ents: dict[int, list[Span]] = {}
    found_ents = span_entities([docs[i][a:b] for i, a, b in jobs], nlp, batch_size=256)
    for (i, a, _), piece in zip(jobs, found_ents):
        ents.setdefault(i, []).extend(
            Span(docs[i], a + start, a + end, label=label) for start, end, label in piece)
    for i, d in enumerate(docs):
        if ents.get(i):
            d.set_ents(filter_spans(ents[i]))
        else:  # no entity: the rules would see the same doc again, so keep what they found
            d.user_data[_FOUND] = found[i]
    return docs


def extract_attributions(article: ParsedArticle, *, select: bool = True,
                         nlp: Language | None = None,
                         docs: Iterable[Doc] | None = None) -> list[Attribution]:
    """Attributions of one article, in text order, with offsets into its cleaned text.

    Parameters
    ----------
    article : ParsedArticle
        The shared parse of the article (``analysis.text``).
    select : bool, default True
        Parse only the candidate sentences (:func:`candidate_sentences`) on top of the shared
        parse (:func:`selective_parse`); False runs the full spaCy pipeline over every
        sentence's text (:func:`deep_parse`: the full-parse reference of the benchmark).
    nlp : spacy.language.Language, optional
        Default the shared pipeline (``analysis.text.get_nlp``).
    docs : iterable of spacy.tokens.Doc, optional
        Deep parses of the selected sentences, when already made.

    Returns
    -------
    list of Attribution
        Sorted by source start, then cue start. Sentences inside a quotation opened earlier
        in their paragraph give none.

    Examples
    --------
    >>> from analysis.text import parse_text
    >>> article = parse_text('"We will win," the minister said. Analysts disagreed.')
    >>> [(a.source, a.cue, a.kind) for a in extract_attributions(article)]
    [('the minister', 'said', 'direct')]
    """
    sents = candidate_sentences(article) if select else [
        s for s in article.sentences if not s.is_heading]
    if docs is None:
        docs = (selective_parse(article, sents, nlp) if select
                else deep_parse([s.text for s in sents], nlp))
    out: list[Attribution] = []
    inside_quotation = OpenQuotations(article.text)
    for s, doc in zip(sents, docs):
        # A sentence with no quotation mark inside a quotation opened earlier in the
        # paragraph is the quoted speaker's ('"We will win. I told them so. ...'): its cues
        # are not the article's attributions.
        if not any(q in s.text for q in QUOTES) and inside_quotation(s.start):
            continue
        found = doc.user_data.pop(_FOUND, None)
        for a in doc_attributions(doc) if found is None else found:
            sh = s.start
            out.append(Attribution(
                sentence_id=s.sentence_id, source=a["source"], start=sh + a["start"],
                end=sh + a["end"], cue=a["cue"], cue_start=sh + a["cue_start"],
                cue_end=sh + a["cue_end"], cue_lemma=a["cue_lemma"], content=a["content"],
                kind=a["kind"],
                head=a["head"], head_lemma=a["head_lemma"], head_tag=a["head_tag"],
                head_ent=a["head_ent"], name=a["name"], determiner=a["determiner"],
                pronoun=a["pronoun"], entities=a["entities"],
                persons_before=tuple((sh + o, n) for o, n in a["persons_before"]),
                referent=a["referent"], coordinated=a["coordinated"],
                ref_start=sh + a["ref_span"][0], ref_end=sh + a["ref_span"][1]))
    out.sort(key=lambda x: (x.start, x.cue_start))
    return out

"""Attribution extraction: who is said to have said what, found in the dependency parse.

The shared parse of an article (``analysis.text``) has no dependency parser and no NER. This
module picks the sentences that can hold an attribution cheaply from that parse (a lemma of
``lexicons/speech_verbs.txt``, "according to", or a quotation mark) and parses deeply only
those: each is cut from the shared parse with its tokens, tags, lemmas and ``tok2vec`` tensor
(``Span.as_doc``), the dependency parser runs on it, and NER runs only on the sentences whose
attribution has a proper noun or "he"/"she" as source. Token offsets are mapped back onto the
article. ``select=False`` instead runs the full spaCy pipeline (``nlp.pipe``) over the text of
every sentence: the full-parse reference the benchmark compares against (same rules, the same
attributions in 99%+ of cases; benchmarks/bench_sources.py).

Rules, on the dependency parse of a candidate sentence
------------------------------------------------------
* A verb whose lemma is a speech cue is an attribution cue. Its source is the verb's subject;
  for a passive, the ``by`` agent (no agent: no source); for a verb with no subject of its
  own, the subject of the verb it is coordinated with (``conj``), or that it modifies as a
  participle or infinitive (``advcl``, ``xcomp``: "..., stating that"); for a participle
  modifying a noun (``acl``: "officials saying"), that noun; a relative pronoun subject
  ("officials, who said") is replaced by the noun the clause modifies.
* Also the subject of the verb a gerund after "by"/"after"/... modifies ("broke his silence by
  asking"), of the verb whose object is a document the cue modifies ("issued a statement
  saying"), and of the clause an infinitive after a predicate adjective ends ("was quick to
  point out"); a noun right after a cue that follows a quotation ('"...," added another
  senator'). A subject inside the quotation is a misparse. Numbers and quantifiers
  ("Several", "Nine in 10 voters", "one", "most", "those surveyed") are groups of people.
* Repairs of common misparses: of several subjects the nearest speaks; a past-participle tag
  after its subject is a past tense ('"...," the mayor tweeted'); a finite main verb without
  subject takes the noun phrase before it that was hung on an earlier noun as an apposition;
  a participle hung on a verb's object ("wrote to donors saying") is that verb's subject's.
  A relative "that" speaks only for a person or body ("a chart that predicted" does not).
* Quotations: straight and typewriter marks take their direction from their neighbours; a
  sentence without marks inside a quotation opened earlier in its paragraph is the quoted
  speaker's and gives no attribution.
* "according to X": X is the source.
* A clause-only cue (``speech_verbs_clausal.txt``) counts with a noun phrase only with its
  listed particle ("pointed to the record").
* Any other verb whose clausal complement holds a quotation is a cue of a direct quote
  ("'...,' she quipped"), provided its subject is a person, an organisation or a pronoun.
* The source span is the whole noun phrase of the speaker (the head's subtree, without the
  part that contains the cue, trimmed of edge punctuation), as the PolNeAR annotation marks it.
* Subjects that cannot speak are dropped: ``it``/``this``/``that``/``there``, and the event and
  abstract nouns of ``lexicons/inanimate_subjects.txt`` ("the dialogue highlighted ...").

``kind``: ``according_to``; ``direct`` when the content holds a quotation; ``indirect`` when
the cue takes a clause ("said that ..."); ``other`` for speech acts with a noun phrase object
("praised Pakistan's success", "called for engagement", "labelling the talks as landmark").

Cost linear in the article: a candidate sentence is cut from the shared parse without spaCy's
``Span.as_doc`` entity bookkeeping, which reads every token of the article for every sentence
(:func:`_span_doc`, equal to ``as_doc`` attribute by attribute), and whether a sentence lies
inside a quotation opened earlier in its paragraph is answered from one walk over each
paragraph's quotation marks (:class:`_OpenQuotations`), not a walk from the paragraph start
for every sentence. Sentences reach the parser at most 500 words long (``analysis.text``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator

from spacy.attrs import ENT_IOB, LEMMA, LOWER, POS
from spacy.language import Language
from spacy.symbols import AUX, NOUN, VERB
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .lexicon import LexiconError, read_entries  # noqa: F401 (LexiconError re-exported)
from .text import ParsedArticle, Sentence, get_nlp

__all__ = ["Attribution", "LexiconError", "speech_cues", "inanimate_subjects", "clausal_cues",
           "candidate_sentences", "deep_parse", "selective_parse", "doc_attributions",
           "extract_attributions",
           "subject_baseline", "KINDS", "QUOTES"]

KINDS = ("direct", "indirect", "according_to", "other")
QUOTES = ('"', "“", "”", "«", "»", "''", "``")
NON_SOURCE_WORDS = frozenset({"it", "this", "that", "there", "these", "those", "what", "which",
                              "who", "whom", "whose", "itself"})
RELATIVE = frozenset({"who", "which", "that", "whom"})
SUBJ = ("nsubj", "csubj")
PASS_SUBJ = ("nsubjpass", "csubjpass")
COMPLEMENT_DEPS = ("ccomp", "xcomp", "dobj", "prep", "dative", "oprd", "attr")
POSTVERBAL_SPEAKER = ("nsubj", "dobj", "attr", "npadvmod", "oprd", "dative", "appos")
DOCUMENT_NOUNS = frozenset({"statement", "letter", "email", "e-mail", "memo", "release",
                            "tweet", "post", "message", "note", "ad", "advertisement", "video",
                            "report", "op-ed", "column", "article", "editorial", "book"})
QUANTIFIERS = frozenset({"several", "many", "most", "some", "few", "both", "all", "half",
                         "none", "each"})
GERUND_PREPS = frozenset({"by", "after", "before", "while", "in", "without", "upon", "on"})
CONTENT_PREPS = frozenset({"for", "about", "of", "as", "to", "on", "that"})
TRIM_NONRESTRICTIVE = True
DEEP_DISABLE = ("senter",)  # the parser sets sentence boundaries in the deep parse


def _read_list(name: str) -> tuple[str, ...]:
    return read_entries(name)


@lru_cache(maxsize=1)
def speech_cues() -> frozenset[str]:
    """Speech-verb lemmas of ``lexicons/speech_verbs.txt`` (without "according to")."""
    return frozenset(e for e in _read_list("speech_verbs.txt") if " " not in e)


@lru_cache(maxsize=1)
def clausal_cues() -> frozenset[str]:
    """Cues that count only with a clause or quotation (``lexicons/speech_verbs_clausal.txt``)."""
    return frozenset(e for e in _read_list("speech_verbs_clausal.txt") if " " not in e)


@lru_cache(maxsize=1)
def clausal_phrases() -> frozenset[tuple[str, str]]:
    """(lemma, particle or preposition) with which a clause-only cue counts with a noun phrase
    too ("pointed to the record", "pointed out the risk"): the phrases of
    ``lexicons/speech_verbs_clausal.txt``."""
    return frozenset(tuple(e.split(maxsplit=1)) for e in _read_list("speech_verbs_clausal.txt")
                     if " " in e)


def _phrase_word(v: Token) -> Token | None:
    """The particle or preposition right after ``v`` that makes it a listed phrase."""
    lemma = v.lemma_.lower()
    return next((c for c in v.children if c.i == v.i + 1 and c.dep_ in ("prt", "prep")
                 and (lemma, c.lower_) in clausal_phrases()), None)


@lru_cache(maxsize=1)
def inanimate_subjects() -> frozenset[str]:
    return frozenset(_read_list("inanimate_subjects.txt"))


@dataclass(frozen=True)
class Attribution:
    """One attribution. Offsets (``start``, ``end``, ``cue_start`` ...) index the article's
    cleaned text; ``analysis.sources`` maps them to the original text."""

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


def _text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc (spaCy re-joins every token on each access)."""
    text = doc.user_data.get("analysis.text")
    if text is None:
        text = doc.user_data["analysis.text"] = doc.text
    return text


# --------------------------------------------------------------------------- selection


def candidate_sentences(article: ParsedArticle) -> list[Sentence]:
    """Sentences of the shared parse that can hold an attribution: a speech-cue lemma on a
    verb-like token, "according to", or a quotation mark. Cheap: no parsing (token arrays)."""
    cues = speech_cues()
    doc = article.doc
    strings = doc.vocab.strings
    lemma, pos, lower = (c.tolist() for c in doc.to_array([LEMMA, POS, LOWER]).T)
    cue_lemmas = {h for h in set(lemma) if strings[h].lower() in cues}
    verb_like = {VERB, AUX, NOUN}
    according, to = strings["according"], strings["to"]
    out = []
    for s in article.sentences:
        if s.is_heading:  # headlines repeat the body; their attributions are not counted
            continue
        rng = range(s.tok_start, s.tok_end)
        if (any(lemma[i] in cue_lemmas and pos[i] in verb_like for i in rng)
                or any(lower[i] == according and i + 1 < len(doc) and lower[i + 1] == to
                       for i in rng)
                or any(q in s.text for q in QUOTES)):
            out.append(s)
    return out


def deep_parse(texts: Iterable[str], nlp: Language | None = None,
               batch_size: int = 64) -> Iterator[Doc]:
    """The full pipeline (parser and NER on) over short texts, in order."""
    nlp = nlp or get_nlp()
    disable = [p for p in DEEP_DISABLE if p in nlp.pipe_names]
    yield from nlp.pipe(texts, disable=disable, batch_size=batch_size)


# --------------------------------------------------------------------------- rules


def _is_passive(v: Token) -> bool:
    return any(c.dep_ in PASS_SUBJ or c.dep_ == "auxpass" for c in v.children)


def _contracted_has(v: Token) -> bool:
    """A passive reading of "'s" + participle that takes a clause or an object is the
    parser's misreading of "has": "He's said he will run", "she's called it a mistake" (a
    passive speech verb takes neither)."""
    return any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in v.children) and \
        any(c.dep_ in ("ccomp", "dobj") for c in v.children)


def _agent(v: Token) -> Token | None:
    for c in v.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _summative(np: Token) -> bool:
    """An indefinite noun phrase after a comma that sums up the clause before it ("..., a
    point emphasized in the talks"): the participle after it is a reduced passive."""
    left = np.left_edge
    return left.lower_ in ("a", "an") and left.i > 0 and left.nbor(-1).text in (",", "—", "–")


def _subject(v: Token, depth: int = 0) -> tuple[Token, Token, Token] | None:
    """(token heading the source span, token naming the source, token whose subtree must be
    cut from the span) or None. The first two differ for a relative pronoun: "officials, who
    said" gives the span "who" and the referent "officials"."""
    if depth > 3:
        return None
    # A past participle with no auxiliary is a reduced passive ("a point emphasized in the
    # talks"), whatever the parser made of it, unless a subject comes before it: then the tag
    # is wrong and the verb a past tense ("Ramos called upon the mayor to ...", '"...," the
    # mayor tweeted'), except after a summing-up phrase ("..., a point emphasized in ...").
    deps = {c.dep_ for c in v.children}
    bare_vbn = v.tag_ == "VBN" and v.dep_ != "conj" and not deps & {"aux", "auxpass"} and not (
        any(c.dep_ == "nsubj" and c.i < v.i and not _summative(c) for c in v.children))
    has = _contracted_has(v)
    passive = (_is_passive(v) and not has) or bare_vbn
    if passive:
        ag = _agent(v)
        if ag is None:  # "was acknowledged and appreciated by the United States"
            for c in v.children:
                if c.dep_ == "conj" and c.pos_ == "VERB":
                    ag = _agent(c)
                    if ag is not None:
                        break
        return (ag, ag, v) if ag is not None else None
    # Several subjects is a misparse ('The fact that ... do something," Ramos said'):
    # the one nearest the verb is its subject.
    subj_deps = SUBJ + PASS_SUBJ if has else SUBJ
    subjects = sorted((c for c in v.children if c.dep_ in subj_deps),
                      key=lambda c: abs(c.i - v.i))
    for c in subjects[:1]:
        if c.lower_ in RELATIVE and v.dep_ == "relcl":
            return c, v.head, v
        return c, c, v
    if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
        return _subject(v.head, depth + 1)
    # "Younger voters are more likely to say ...", "Delgado was eager to point out ...":
    # the infinitive complements an adjective predicated of the subject.
    if v.dep_ == "xcomp" and v.head.pos_ == "ADJ" and v.head.dep_ == "acomp" and \
            v.head.head.pos_ in ("VERB", "AUX"):
        return _subject(v.head.head, depth + 1)
    if v.dep_ in ("advcl", "xcomp") and v.head.pos_ in ("VERB", "AUX") and (
            v.tag_ in ("VBG", "VB") or v.dep_ == "xcomp"):
        return _subject(v.head, depth + 1)
    # A gerund after a preposition of manner or time shares the subject of the verb the
    # preposition modifies: "the judge ended the pause by asking ...", "he left after
    # saying". Not "for": "criticized the mayor for saying" has the mayor as the speaker.
    if v.dep_ == "pcomp" and v.tag_ == "VBG" and v.head.lower_ in GERUND_PREPS and \
            v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX"):
        return _subject(v.head.head, depth + 1)
    # "Ramos issued a statement saying ...": the one who issued the document is the source.
    if v.dep_ == "acl" and v.tag_ == "VBG" and v.head.lemma_.lower() in DOCUMENT_NOUNS and \
            v.head.dep_ == "dobj" and v.head.head.pos_ in ("VERB", "AUX"):
        return _subject(v.head.head, depth + 1)
    if v.dep_ == "acl" and v.tag_ == "VBG" and v.head.pos_ in ("NOUN", "PROPN"):
        n = v.head
        # A participle the parser hung on the object of a verb goes with that verb's subject
        # ("The governor emailed donors saying ...", "her campaign sent a letter to voters
        # saying ...").
        gov = n.head.head if n.dep_ == "pobj" and n.head.dep_ in ("prep", "dative") else n.head
        if n.dep_ in ("dobj", "pobj", "dative") and gov.pos_ in ("VERB", "AUX") and \
                gov.i < n.i:
            found = _subject(gov, depth + 1)
            if found is not None:
                return found
        return n, n, v
    # A finite main verb left without a subject: the parser hung the noun phrase before it
    # on an earlier noun as an apposition ("In an interview with hosts Ana Price and Leo
    # Grant, the party's candidate stated ...", '"...," Omar Reyes, founder of the
    # institute, tells ...') or took a number phrase for a modifier ("About 6 in 10 say").
    if v.dep_ == "ROOT" and v.tag_ in ("VBD", "VBZ", "VBP"):
        np = _left_np(v)
        if np is not None:
            return np, np, v
    return None


_NP_OPENERS = frozenset({",", "—", "–", "--", *QUOTES})


def _left_np(v: Token) -> Token | None:
    """The noun phrase ending right before ``v`` that the parser attached as an apposition
    of an earlier noun (the highest of a chain of appositions, each after a comma or
    quotation mark), or a number phrase modifying ``v``."""
    doc = v.doc
    k = v.i - 1
    while k >= 0 and (doc[k].is_punct or doc[k].is_space):
        k -= 1
    if k < 0:
        return None
    for c in v.children:
        if c.dep_ == "nummod" and c.i < v.i and c.right_edge.i == k:
            return c
    x, best = doc[k], None
    while x.i != x.head.i and x.head.i != v.i and x.head.i < v.i:
        left = x.left_edge.i
        if x.dep_ == "appos" and x.pos_ in ("NOUN", "PROPN") and left > 0 and \
                doc[left - 1].text in _NP_OPENERS:
            best = x
        elif best is not None:
            break
        x = x.head
    return best if best is not None and best.right_edge.i >= k else None


def _edge_trim(toks: list[Token]) -> list[Token]:
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].dep_ == "cc"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].dep_ == "cc"):
        toks = toks[:-1]
    return toks


def _np_tokens(head: Token, cut: Token | None) -> list[Token]:
    """The head's subtree without the child subtree that contains ``cut`` (the cue clause)."""
    drop: set[int] = set()
    if cut is not None:
        for c in head.children:
            if c.left_edge.i <= cut.i <= c.right_edge.i:
                drop.update(t.i for t in c.subtree)
        if cut.i == head.i:
            return [head]
    toks = [t for t in head.subtree if t.i not in drop]
    if not toks:
        return []
    # Keep the contiguous stretch around the head.
    idx = {t.i for t in toks}
    lo = hi = head.i
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    toks = list(head.doc[lo:hi + 1])
    # A dateline or lead-in before a dash ("LIMA (Reuters) - Top donor Ana Price").
    dash = [k for k, t in enumerate(toks) if t.i < head.i and (
        t.text in ("—", "–", "--") or (t.text == "-" and t.whitespace_))]
    if dash:
        toks = toks[dash[-1] + 1:]
    # A non-restrictive modifier after a comma or dash is not part of the name: "Nora
    # Quist, 61, who farms near the river" -> "Nora Quist" (PolNeAR's usual span); a
    # coordination goes on ("Ramos, Ortega, and other senators").
    if TRIM_NONRESTRICTIVE:
        coord = {x.i for c in head.children if c.dep_ in ("conj", "cc") for x in c.subtree}
        for k, t in enumerate(toks):
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            clause = nxt is not None and any(
                c.dep_ in ("relcl", "acl", "advcl") and c.left_edge.i == nxt.i
                for c in head.children)
            if t.i > head.i and t.text in (",", "—", "–", "--") and clause and \
                    nxt.i not in coord:
                toks = toks[:k]
                break
    # An opening bracket that the span does not close ("He (Petraeus").
    opened = [k for k, t in enumerate(toks) if t.text == "("]
    if opened and not any(t.text == ")" for t in toks[opened[-1]:]) and toks[opened[-1]].i > head.i:
        toks = toks[:opened[-1]]
    return _edge_trim(toks)


@lru_cache(maxsize=1)
def agent_nouns() -> frozenset[str]:
    """Nouns of a person or a body that can speak (``lexicons/agent_nouns.txt``)."""
    return frozenset(_read_list("agent_nouns.txt"))


def _agentive(head: Token) -> bool:
    """A named person or body, or a noun of a person's role or of a body
    (``lexicons/source_roles.tsv``, ``lexicons/agent_nouns.txt``)."""
    if head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    from .sources import role_words  # the role lexicon lives with the classification

    lemma = head.lemma_.lower()
    return lemma in agent_nouns() or role_words().get((lemma,), ("", ""))[1] in ("person", "body")


def _is_speaker(head: Token, relative: Token | None = None) -> bool:
    """Whether ``head`` can speak; ``relative`` is the relative pronoun standing for it as
    the cue's subject ("officials, who said"), if any."""
    if head.lower_ in ("those", "these") and relative is None and any(
            c.dep_ in ("acl", "relcl", "prep") for c in head.children):
        # A group described by what follows, as the subject: "those surveyed say".
        return True
    if head.lower_ == "one" and any(c.lower_ == "no" for c in head.children):
        return False  # "No one called"
    if relative is not None and relative.lower_ == "that" and not _agentive(head):
        # "that" relativises things more than people: "a chart that predicted
        # victory", "ads that warn", "one that emphasizes"; not "an entity that has
        # acknowledged".
        return False
    if head.lower_ in NON_SOURCE_WORDS:
        return False
    if head.lower_ in QUANTIFIERS or head.pos_ in ("NUM", "ADJ") and (
            head.pos_ == "NUM" or any(c.dep_ == "prep" and c.lower_ in ("of", "in")
                                      for c in head.children)):
        # A quantity of people: "Several said", "Most of the farmers said", "Nine in 10
        # voters say", "At least 21,000 said", "one in five say", "most said" (whatever
        # the tagger made of "most").
        return True
    if head.pos_ in ("VERB", "AUX", "NUM", "ADV", "ADJ", "SCONJ", "ADP"):
        return False
    if head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    return head.lemma_.lower() not in inanimate_subjects()


_QUOTE_RE = re.compile(r"''|``|[\"“”«»]")


def _mark_side(text: str, a: int, b: int, stop: int | None = None) -> str:
    """"open", "close" or "" for a quotation mark at ``text[a:b]``, from what touches it:
    a mark after a space (or at the start) and before a word opens; a mark right after a word
    or punctuation and before a space, punctuation or the end (``stop``, default the end of
    ``text``) closes."""
    before = text[a - 1] if a > 0 else " "
    after = text[b] if b < (len(text) if stop is None else stop) else " "
    if before.isspace() or before in "([{—–":
        return "open"
    if after.isspace() or after in ".,;:!?)]}—–-":
        return "close"
    return ""


def _quote_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character spans of quotations, from an opening mark to its closing mark.
    Curly marks and guillemets have a direction. Straight ``"`` and the typewriter pair ``''``
    (as in the New York Times archive) take it from their neighbours: a closing mark with no
    quotation open ends one that began in an earlier sentence ("...are tricky,'' he said."),
    and a mark after a space opens one ("he said. ''" at a sentence end); where the
    neighbours do not tell, they alternate."""
    return _quote_spans_text(_text(doc))


def _quote_spans_text(text: str) -> list[tuple[int, int]]:
    spans, open_at = [], None
    for m in _QUOTE_RE.finditer(text):
        mark, i = m.group(), m.start()
        if mark in ('"', "''"):
            side = _mark_side(text, i, m.end()) or ("open" if open_at is None else "close")
        else:
            side = "open" if mark in ("“", "«", "``") else "close"
            # A curly mark typed the wrong way round closes or opens by its neighbours
            # ('here,“ said Moss'), when a quotation is (not) open.
            if mark in ("“", "”") and (open_at is None) == (side == "close"):
                side = _mark_side(text, i, m.end()) or side
        if side == "open":
            open_at = i if open_at is None else open_at
        elif open_at is not None:
            spans.append((open_at, m.end()))
            open_at = None
        elif not spans:  # a closing mark first: the quote began in an earlier sentence
            spans.append((0, m.end()))
    if open_at is not None:  # unclosed: the quote runs to the end
        spans.append((open_at, len(text)))
    return spans


def _inside_quotation(text: str, start: int) -> bool:
    """Whether a quotation opened earlier in the paragraph is still open at ``start`` (the
    start of a sentence in the cleaned text): the sentence then belongs to the quoted
    speaker. (The definition; an article asks :class:`_OpenQuotations` instead.)"""
    para = text[text.rfind("\n", 0, start) + 1:start]
    spans = _quote_spans_text(para)
    return bool(spans) and spans[-1][1] == len(para)  # an unclosed quotation runs to the end


class _OpenQuotations:
    """:func:`_inside_quotation` for many sentence starts of one text, in time linear in the
    text: the quotation marks are found once, and :func:`_quote_spans_text`'s walk over each
    paragraph is made once, keeping after each mark what the answer needs (a quotation open;
    the end of the last one closed). ``_inside_quotation`` walks the paragraph up to each
    sentence again: quadratic in the length of a paragraph (an article without line breaks
    is one paragraph). Only the side of a mark that ends exactly at the sentence start
    depends on the start (the text then ends after it), so that mark is walked again."""

    def __init__(self, text: str):
        self.text = text
        marks = [(m.start(), m.end(), m.group()) for m in _QUOTE_RE.finditer(text)]
        self.marks = marks
        self.mark_starts = [a for a, _, _ in marks]
        self.mark_ends = [b for _, b, _ in marks]
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self._para = -1
        self._states: list[tuple[bool, bool, int]] = []

    def _step(self, state: tuple[bool, bool, int], k: int, stop: int | None = None
              ) -> tuple[bool, bool, int]:
        """(a quotation is open, a quotation was closed, end of the last closed) after mark
        ``k``, as :func:`_quote_spans_text` goes."""
        is_open, closed, last_end = state
        i, end, mark = self.marks[k]
        text = self.text
        if mark in ('"', "''"):
            side = _mark_side(text, i, end, stop) or ("close" if is_open else "open")
        else:
            side = "open" if mark in ("“", "«", "``") else "close"
            if mark in ("“", "”") and (not is_open) == (side == "close"):
                side = _mark_side(text, i, end, stop) or side
        if side == "open":
            return True, closed, last_end
        if is_open or not closed:  # closes the open quotation, or one begun before
            return False, True, end
        return state

    def __call__(self, start: int) -> bool:
        k = bisect_left(self.newlines, start)  # line breaks before ``start``
        para = self.newlines[k - 1] + 1 if k else 0
        first = bisect_left(self.mark_starts, para)
        stop = bisect_right(self.mark_ends, start)  # marks that end by ``start``
        if stop <= first:
            return False
        if para != self._para:  # walk the paragraph once
            self._para, state = para, (False, False, 0)
            end = bisect_left(self.mark_starts, self._next_newline(para))
            self._states = []
            for k in range(first, end):
                state = self._step(state, k)
                self._states.append(state)
        last = stop - 1 - first
        if self.mark_ends[stop - 1] == start:  # the text ends right after this mark
            before = self._states[last - 1] if last else (False, False, 0)
            state = self._step(before, stop - 1, start)
        else:
            state = self._states[last]
        is_open, closed, last_end = state
        return is_open or (closed and last_end == start)

    def _next_newline(self, para: int) -> int:
        k = bisect_left(self.newlines, para)
        return self.newlines[k] if k < len(self.newlines) else len(self.text)


def _content(v: Token, src: list[Token], quotes) -> tuple[str, int, int, bool]:
    """(content text, start, end, is_clause) of the cue's complement, in doc offsets."""
    src_ids = {t.i for t in src}
    comps = [c for c in v.children if c.dep_ in COMPLEMENT_DEPS and c.i not in src_ids
             and c.i > v.i
             and not (c.dep_ == "prep" and c.lower_ not in CONTENT_PREPS)]
    if not comps:
        # A reported clause before the cue, without quotation marks: "The voters are furious,
        # he added."
        comps = [c for c in v.children if c.dep_ == "ccomp" and c.i < v.i
                 and c.i not in src_ids and not any(t.i in src_ids for t in c.subtree)]
    is_clause = any(c.dep_ == "ccomp" for c in comps)
    # An apposition inside the object is the writer's comment, not the content ("alleged US
    # involvement - a claim denied by Washington").
    appos = {x.i for c in comps for t in c.subtree if t.dep_ == "appos" and t.i != c.i
             for x in t.subtree}
    toks = sorted({t.i for c in comps for t in c.subtree} - src_ids - appos)
    if toks:
        a, b = v.doc[toks[0]], v.doc[toks[-1]]
        start, end = a.idx, b.idx + len(b)
    elif quotes:
        start, end = quotes[0]
    else:
        return "", v.idx, v.idx, False
    # A quotation next to the cue ("'...,' he said") is its content, unless another speech
    # verb stands between them: in "'...,' said Morrow, who said ..." it is the first verb's.
    cues = speech_cues()
    last_cue = max((t.idx for t in v.doc[:v.i] if t.pos_ in ("VERB", "AUX")
                    and t.lemma_.lower() in cues), default=-1)
    for qa, qb in quotes:
        if qb <= v.idx and not (start <= qa < end) and qb > last_cue:
            if not toks or qb >= start - 40:
                start, end = min(start, qa), max(end, qb)
    text = _text(v.doc)[start:end].strip(" ,;:")
    off = _text(v.doc).find(text, start) if text else start
    return text, off, off + len(text), is_clause


def _make(v_start: int, v_end: int, cue: str, head: Token, toks: list[Token],
          content: tuple[str, int, int, bool], kind: str, cue_lemma: str,
          ref_toks: list[Token] | None = None) -> dict:
    """``head`` names the source (the referent of a relative pronoun); ``toks`` is the span."""
    doc = head.doc
    a, b = toks[0].idx, toks[-1].idx + len(toks[-1])
    np_toks = ref_toks or toks
    ents = tuple((e.label_, e.text) for e in doc.ents if e.start >= np_toks[0].i
                 and e.end <= np_toks[-1].i + 1)
    ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
    if ent is not None and not any(t.text[:1].isupper() for t in ent):
        ent = None  # NER on a lower-case description ("the minister") is no name
    if ent is None and head.pos_ in ("PROPN", "NOUN"):
        # "Deputy Prime Minister and Foreign Minister Ishaq Dar": the parser may head the
        # phrase on a title; the one person named in it is the source.
        persons = [e for e in doc.ents if e.label_ == "PERSON" and e.start >= np_toks[0].i
                   and e.end <= np_toks[-1].i + 1]
        if len(persons) == 1 and any(t.text[:1].isupper() for t in persons[0]):
            ent = persons[0]
    name = ""
    if ent is not None and ent.label_ in ("PERSON", "ORG", "GPE", "NORP", "FAC"):
        name = ent.text
    elif head.pos_ == "PROPN" and head.text[:1].isupper():
        run = [head]
        for t in reversed(list(doc[np_toks[0].i:head.i])):
            if t.pos_ == "PROPN" and t.dep_ in ("compound", "flat", "nmod", "nsubj"):
                run.insert(0, t)
            else:
                break
        name = " ".join(t.text for t in run)
    name = name.removeprefix("the ").removeprefix("The ").removesuffix("'s").removesuffix("’s")
    det = next((t.lower_ for t in np_toks if t.dep_ in ("det", "predet") and t.head.i == head.i),
               "")
    persons = tuple((e.start_char, e.text) for e in doc.ents
                    if e.label_ == "PERSON" and e.end_char <= a)
    return dict(content_span=(content[1], content[2]),
                source=_text(doc)[a:b], start=a, end=b, cue=cue, cue_start=v_start,
                cue_end=v_end, cue_lemma=cue_lemma, content=content[0], kind=kind, head=head.text,
                head_lemma=head.lemma_.lower(), head_tag=head.tag_,
                head_ent=ent.label_ if ent is not None else "", name=name, determiner=det,
                pronoun=head.pos_ == "PRON", entities=ents, persons_before=persons,
                coordinated=any(c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON")
                                for c in head.children) and (ent is None or ent.root.i == head.i),
                referent=(_text(doc)[np_toks[0].idx:np_toks[-1].idx + len(np_toks[-1])]
                          if ref_toks else ""),
                ref_span=(np_toks[0].idx, np_toks[-1].idx + len(np_toks[-1])))


def _cue_text(v: Token) -> tuple[str, int, int]:
    """The cue word, with a particle or "for" that belongs to it ("called for", "point out")."""
    end_tok = v
    for c in v.children:
        if c.i == v.i + 1 and (c.dep_ == "prt" or (c.dep_ == "prep" and c.lower_ == "for")):
            end_tok = c
    end_tok = _phrase_word(v) or end_tok
    return _text(v.doc)[v.idx:end_tok.idx + len(end_tok)], v.idx, end_tok.idx + len(end_tok)


def _speaker_after(v: Token, quotes) -> Token | None:
    """A noun or pronoun after the cue that the parser did not label its subject, outside the
    quotations: the inverted speaker of '"...," said Pell' or '"...," added a resident'."""
    found = next((c for c in v.children if c.i > v.i and c.dep_ in POSTVERBAL_SPEAKER
                  and c.pos_ in ("PROPN", "NOUN", "PRON")
                  and not any(qa <= c.idx < qb for qa, qb in quotes)), None)
    if found is not None or v.i + 1 >= len(v.doc):
        return found
    # The parser may make the noun phrase right after the cue the subject of the clause that
    # follows it ('"...," said Robin Lane, half joking', '"...," said the woman, who ...
    # did not give her name'): that phrase is still the inverted speaker.
    tok = v.doc[v.i + 1]
    while tok.dep_ in ("det", "compound", "amod", "poss") and tok.head.i > tok.i:
        tok = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.i > tok.i and \
            tok.pos_ in ("PROPN", "NOUN") and not any(qa <= tok.idx < qb for qa, qb in quotes):
        return tok
    return None


def doc_attributions(doc: Doc) -> list[dict]:
    """Attributions in one deep-parsed text (offsets relative to ``doc.text``), in order."""
    cues = speech_cues()
    quotes = _quote_spans(doc)
    out: list[dict] = []
    used: set[int] = set()
    for t in doc:
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            to = doc[t.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None or pobj.lower_ in NON_SOURCE_WORDS:
                continue
            toks = _np_tokens(pobj, None)
            if not toks:
                continue
            # Content: the clause the phrase modifies, without the phrase itself.
            clause = t.head if t.head.i != t.i else t
            while clause.dep_ not in ("ROOT", "ccomp", "conj") and clause.head.i != clause.i:
                clause = clause.head
            cut = {x.i for x in t.subtree} | {x.i for x in to.subtree}
            rest = [x for x in clause.subtree if x.i not in cut]
            rest = _edge_trim(rest)
            content = ("", 0, 0, False)
            if rest:
                a, b = rest[0].idx, rest[-1].idx + len(rest[-1])
                content = (_text(doc)[a:b], a, b, True)
            out.append(_make(t.idx, to.idx + len(to), "according to", pobj, toks, content,
                             "according_to", "according to"))
            used.add(t.i)
            continue
        if t.pos_ not in ("VERB", "AUX") or t.i in used:
            continue
        if any(qa < t.idx < qb for qa, qb in quotes):  # the quoted speaker's own words
            continue
        listed = t.lemma_.lower() in cues
        quoting = False
        if not listed:
            if t.lemma_.lower() in ("be", "have", "do") or not quotes:
                continue
            if any(qa <= t.idx < qb for qa, qb in quotes):
                continue
            ccomp = [c for c in t.children if c.dep_ == "ccomp"]
            quoting = any(any(qa <= x.idx < qb for qa, qb in quotes for x in c.subtree)
                          for c in ccomp)
            if not quoting:
                continue
        found = _subject(t)
        if found is None and any(qb <= t.idx and not _text(doc)[qb:t.idx].strip(" ,;:—–-")
                                 for _, qb in quotes):
            # Inverted right after the quotation: '"...," added another senator', where
            # the parser left the speaker without the subject label.
            post = _speaker_after(t, quotes)
            found = (post, post, t) if post is not None else None
        if found is None:
            continue
        span_head, head, cut = found
        if any(qa <= head.idx < qb for qa, qb in quotes):
            # The parser took a word of the quotation as the subject ("'Safety,' said
            # Pell"): the speaker is the noun after the cue, if any.
            head = _speaker_after(t, quotes)
            if head is None:
                continue
            span_head, cut = head, t
        if not _is_speaker(head, span_head if span_head.i != head.i else None):
            continue
        if quoting and not (head.pos_ in ("PRON", "PROPN")
                            or head.ent_type_ in ("PERSON", "ORG")):
            continue
        toks = _np_tokens(span_head, cut if cut.i != span_head.i else None)
        ref_toks = _np_tokens(head, cut) if head.i != span_head.i else None
        if not toks:
            continue
        content = _content(t, toks, quotes)
        text, ca, cb, clause = content
        has_quote = any(q in text for q in QUOTES) or any(
            ca <= qa < cb or qa <= ca < qb for qa, qb in quotes if cb > ca)
        as_clause = any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children)
        if as_clause and not text:  # "As Breitbart News reported, ..."
            b_ = t.head.right_edge
            text, clause = _text(doc)[t.head.idx:b_.idx + len(b_)], True
            content = (text, t.head.idx, b_.idx + len(b_), True)
        kind = "direct" if has_quote else ("indirect" if clause else "other")
        # A clause-only cue ("report", "note") needs a clause, unless it is a passive with
        # its agent: then the subject is what was reported ("The deal was first reported by
        # the Denver Post").
        if kind == "other" and t.lemma_.lower() in clausal_cues() and _agent(t) is None \
                and _phrase_word(t) is None:
            continue
        cue, ca0, cb0 = _cue_text(t)
        out.append(_make(ca0, cb0, cue, head, toks, content, kind, t.lemma_.lower(),
                         ref_toks))
        used.add(t.i)
    # Attributions inside the content of another are part of what is reported, not sources
    # of the article (PolNeAR never annotates them): "X said that Y told him ..." counts X.
    spans = [a["content_span"] for a in out if a["content_span"][1] > a["content_span"][0]]
    return [a for a in out if not any(ca <= a["cue_start"] < cb and (ca, cb) != a["content_span"]
                                      for ca, cb in spans)]


def subject_baseline(doc: Doc) -> list[tuple[int, int]]:
    """The naive baseline: the subtree of the ``nsubj`` of every speech-cue verb, plus the
    object of "according to". (start, end) offsets in ``doc.text``."""
    cues = speech_cues()
    out = []
    for t in doc:
        if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in cues:
            for c in t.children:
                if c.dep_ == "nsubj":
                    sub = list(c.subtree)
                    out.append((sub[0].idx, sub[-1].idx + len(sub[-1])))
    return out


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
    source phrases that hold a proper noun, and the words before a "he"/"she" source."""
    nlp = nlp or get_nlp()
    # spaCy's documented shortcut: the article's attribute array, made once, instead of one
    # conversion of the whole article per sentence. (as_doc slices it to the sentence and may
    # edit that slice's first row; sentences do not overlap, so no edit reaches another.)
    head = article.doc._get_array_attrs()
    array = article.doc.to_array(head) if sents else None
    if sents and not _has_entities(head, array):
        docs = [_span_doc(article.span(s), head, array) for s in sents]
    else:
        docs = [article.span(s).as_doc(array_head=head, array=array) for s in sents]
    docs = list(nlp.get_pipe("parser").pipe(docs, batch_size=64))
    if "ner" not in nlp.pipe_names:
        return docs
    found = [doc_attributions(d) for d in docs]
    jobs = [(i, a, b) for i, d in enumerate(docs) if found[i]
            for a, b in _name_windows(d, found[i])]
    ents: dict[int, list[Span]] = {}
    pieces = (docs[i][a:b].as_doc() for i, a, b in jobs)
    for (i, a, _), piece in zip(jobs, nlp.get_pipe("ner").pipe(pieces, batch_size=256)):
        ents.setdefault(i, []).extend(
            Span(docs[i], a + e.start, a + e.end, label=e.label_) for e in piece.ents)
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

    ``select=True`` parses only candidate sentences (:func:`candidate_sentences`) on top of
    the shared parse (:func:`selective_parse`); ``select=False`` runs the full spaCy pipeline
    over every sentence's text (the full-parse reference of the benchmark). ``docs`` are deep
    parses of the selected sentences, when already made."""
    sents = candidate_sentences(article) if select else [
        s for s in article.sentences if not s.is_heading]
    if docs is None:
        docs = (selective_parse(article, sents, nlp) if select
                else deep_parse([s.text for s in sents], nlp))
    out: list[Attribution] = []
    inside_quotation = _OpenQuotations(article.text)
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

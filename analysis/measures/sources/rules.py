"""The attribution rules on the dependency parse of one sentence (:func:`doc_attributions`).

Who speaks for a cue is found by :mod:`analysis.measures.sources.speakers`, quotation spans by
:mod:`analysis.measures.sources.quotes`; this module finds the cues, cuts the source span and the
content, and sets the kind.

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
("praised Ruritania's success", "called for engagement", "labelling the talks as landmark").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .lexicons import clausal_cues, clausal_phrases, speech_cues
from .quotes import QUOTES, quote_spans_text
from .speakers import NON_SOURCE_WORDS, find_subject, is_speaker, passive_agent, speaker_after

__all__ = ["doc_attributions", "subject_baseline", "KINDS"]

KINDS = ("direct", "indirect", "according_to", "other")
COMPLEMENT_DEPS = ("ccomp", "xcomp", "dobj", "prep", "dative", "oprd", "attr")
CONTENT_PREPS = frozenset({"for", "about", "of", "as", "to", "on", "that"})
TRIM_NONRESTRICTIVE = True


def _text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc (spaCy re-joins every token on each access)."""
    text = doc.user_data.get("analysis.text")
    if text is None:
        text = doc.user_data["analysis.text"] = doc.text
    return text


def _phrase_word(v: Token) -> Token | None:
    """The particle or preposition right after ``v`` that makes it a listed phrase."""
    lemma = v.lemma_.lower()
    return next((c for c in v.children if c.i == v.i + 1 and c.dep_ in ("prt", "prep")
                 and (lemma, c.lower_) in clausal_phrases()), None)


def _quote_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character spans of the quotations of a doc's text
    (:func:`~analysis.measures.sources.quotes.quote_spans_text`)."""
    return quote_spans_text(_text(doc))


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
    # An apposition inside the object is the writer's comment, not the content ("alleged union
    # involvement - a claim denied by the strike committee").
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
        # "Harbour Board Chair and Deputy Mayor Ana Ruiz": the parser may head the
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


def doc_attributions(doc: Doc) -> list[dict]:
    """Attributions in one deep-parsed text, in order.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A sentence (or short text) with a dependency parse; with named entities where a
        source phrase needs them.

    Returns
    -------
    list of dict
        One per attribution, offsets relative to ``doc.text``: the source span (``source``,
        ``start``, ``end``), the cue (``cue``, ``cue_start``, ``cue_end``, ``cue_lemma``),
        ``content`` and its ``content_span``, ``kind`` (:data:`KINDS`), and what
        :class:`~analysis.measures.sources.extract.Attribution` keeps about the source phrase
        (``head``, ``name``, ``entities``, ``referent``, ``ref_span``, ...). Attributions
        inside the content of another are left out.

    Examples
    --------
    >>> from analysis.measures.sources.extract import deep_parse
    >>> doc = next(deep_parse(["The minister said the talks went well."]))
    >>> [(a["source"], a["cue"], a["kind"]) for a in doc_attributions(doc)]
    [('The minister', 'said', 'indirect')]
    """
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
        found = find_subject(t)
        if found is None and any(qb <= t.idx and not _text(doc)[qb:t.idx].strip(" ,;:—–-")
                                 for _, qb in quotes):
            # Inverted right after the quotation: '"...," added another senator', where
            # the parser left the speaker without the subject label.
            post = speaker_after(t, quotes)
            found = (post, post, t) if post is not None else None
        if found is None:
            continue
        span_head, head, cut = found
        if any(qa <= head.idx < qb for qa, qb in quotes):
            # The parser took a word of the quotation as the subject ("'Safety,' said
            # Pell"): the speaker is the noun after the cue, if any.
            head = speaker_after(t, quotes)
            if head is None:
                continue
            span_head, cut = head, t
        if not is_speaker(head, span_head if span_head.i != head.i else None):
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
        if kind == "other" and t.lemma_.lower() in clausal_cues() and passive_agent(t) is None \
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
    """The naive baseline of the validation: the subtree of the ``nsubj`` of every speech-cue
    verb.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A text with a dependency parse.

    Returns
    -------
    list of (int, int)
        (start, end) character offsets in ``doc.text``.
    """
    cues = speech_cues()
    out = []
    for t in doc:
        if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in cues:
            for c in t.children:
                if c.dep_ == "nsubj":
                    sub = list(c.subtree)
                    out.append((sub[0].idx, sub[-1].idx + len(sub[-1])))
    return out

"""Who speaks for a cue: the subject rules on the dependency parse, and who can speak.

:func:`find_subject` walks from a cue verb to the noun phrase that speaks: its subject; the
``by`` agent of a passive (:func:`passive_agent`); the subject of the verb a conjunct,
participle, infinitive or gerund depends on; and the repairs of common misparses.
:func:`speaker_after` finds an inverted speaker after the cue ('"...," said Pell'), and
:func:`is_speaker` drops what cannot speak ("it", the event and abstract nouns of
``lexicons/inanimate_subjects.txt``). The rules as a whole are listed in
:mod:`analysis.measures.sources.rules`.
"""

from __future__ import annotations

from spacy.tokens import Token

from .lexicons import agent_nouns, inanimate_subjects, role_words
from .quotes import QUOTES

__all__ = ["find_subject", "passive_agent", "is_speaker", "speaker_after", "NON_SOURCE_WORDS"]

NON_SOURCE_WORDS = frozenset({"it", "this", "that", "there", "these", "those", "what", "which",
                              "who", "whom", "whose", "itself"})
RELATIVE = frozenset({"who", "which", "that", "whom"})
SUBJ = ("nsubj", "csubj")
PASS_SUBJ = ("nsubjpass", "csubjpass")
POSTVERBAL_SPEAKER = ("nsubj", "dobj", "attr", "npadvmod", "oprd", "dative", "appos")
DOCUMENT_NOUNS = frozenset({"statement", "letter", "email", "e-mail", "memo", "release",
                            "tweet", "post", "message", "note", "ad", "advertisement", "video",
                            "report", "op-ed", "column", "article", "editorial", "book"})
QUANTIFIERS = frozenset({"several", "many", "most", "some", "few", "both", "all", "half",
                         "none", "each"})
GERUND_PREPS = frozenset({"by", "after", "before", "while", "in", "without", "upon", "on"})


def _is_passive(v: Token) -> bool:
    return any(c.dep_ in PASS_SUBJ or c.dep_ == "auxpass" for c in v.children)


def _contracted_has(v: Token) -> bool:
    """A passive reading of "'s" + participle that takes a clause or an object is the
    parser's misreading of "has": "He's said he will run", "she's called it a mistake" (a
    passive speech verb takes neither)."""
    return any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in v.children) and \
        any(c.dep_ in ("ccomp", "dobj") for c in v.children)


def passive_agent(v: Token) -> Token | None:
    """The ``by`` agent of a passive verb ("was first reported by the Post": Post).

    Parameters
    ----------
    v : spacy.tokens.Token
        A verb of a parsed doc.

    Returns
    -------
    Token or None
        The object of its ``agent`` child, if any.
    """
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


def find_subject(v: Token, depth: int = 0) -> tuple[Token, Token, Token] | None:
    """The speaker of a cue verb, from the dependency parse.

    Parameters
    ----------
    v : spacy.tokens.Token
        The cue verb.
    depth : int, default 0
        Levels already climbed to a governing verb (at most 3).

    Returns
    -------
    (span_head, source, cut) : tuple of Token, or None
        The token heading the source span, the token naming the source, and the token whose
        subtree must be cut from the span. The first two differ for a relative pronoun:
        "officials, who said" gives the span "who" and the referent "officials". None when
        no speaker is found (a passive without agent, a subjectless verb).
    """
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
        ag = passive_agent(v)
        if ag is None:  # "was acknowledged and appreciated by the city council"
            for c in v.children:
                if c.dep_ == "conj" and c.pos_ == "VERB":
                    ag = passive_agent(c)
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
        return find_subject(v.head, depth + 1)
    # "Younger voters are more likely to say ...", "Delgado was eager to point out ...":
    # the infinitive complements an adjective predicated of the subject.
    if v.dep_ == "xcomp" and v.head.pos_ == "ADJ" and v.head.dep_ == "acomp" and \
            v.head.head.pos_ in ("VERB", "AUX"):
        return find_subject(v.head.head, depth + 1)
    if v.dep_ in ("advcl", "xcomp") and v.head.pos_ in ("VERB", "AUX") and (
            v.tag_ in ("VBG", "VB") or v.dep_ == "xcomp"):
        return find_subject(v.head, depth + 1)
    # A gerund after a preposition of manner or time shares the subject of the verb the
    # preposition modifies: "the judge ended the pause by asking ...", "he left after
    # saying". Not "for": "criticized the mayor for saying" has the mayor as the speaker.
    if v.dep_ == "pcomp" and v.tag_ == "VBG" and v.head.lower_ in GERUND_PREPS and \
            v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX"):
        return find_subject(v.head.head, depth + 1)
    # "Ramos issued a statement saying ...": the one who issued the document is the source.
    if v.dep_ == "acl" and v.tag_ == "VBG" and v.head.lemma_.lower() in DOCUMENT_NOUNS and \
            v.head.dep_ == "dobj" and v.head.head.pos_ in ("VERB", "AUX"):
        return find_subject(v.head.head, depth + 1)
    if v.dep_ == "acl" and v.tag_ == "VBG" and v.head.pos_ in ("NOUN", "PROPN"):
        n = v.head
        # A participle the parser hung on the object of a verb goes with that verb's subject
        # ("The governor emailed donors saying ...", "her campaign sent a letter to voters
        # saying ...").
        gov = n.head.head if n.dep_ == "pobj" and n.head.dep_ in ("prep", "dative") else n.head
        if n.dep_ in ("dobj", "pobj", "dative") and gov.pos_ in ("VERB", "AUX") and \
                gov.i < n.i:
            found = find_subject(gov, depth + 1)
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



def _agentive(head: Token) -> bool:
    """A named person or body, or a noun of a person's role or of a body
    (``lexicons/source_roles.tsv``, ``lexicons/agent_nouns.txt``)."""
    if head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    lemma = head.lemma_.lower()
    return lemma in agent_nouns() or role_words().get((lemma,), ("", ""))[1] in ("person", "body")


def is_speaker(head: Token, relative: Token | None = None) -> bool:
    """Whether the head of a source phrase can speak.

    Parameters
    ----------
    head : spacy.tokens.Token
        The token naming the source.
    relative : spacy.tokens.Token, optional
        The relative pronoun standing for it as the cue's subject ("officials, who said").

    Returns
    -------
    bool
        False for "it", "this", "No one", inanimate and abstract nouns, a thing a relative
        "that" stands for, and words that are no noun phrase head.
    """
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


def speaker_after(v: Token, quotes) -> Token | None:
    """A noun or pronoun after the cue that the parser did not label its subject, outside the
    quotations: the inverted speaker of '"...," said Pell' or '"...," added a resident'.

    Parameters
    ----------
    v : spacy.tokens.Token
        The cue verb.
    quotes : list of (int, int)
        Quotation spans of the doc (character offsets).

    Returns
    -------
    Token or None
    """
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

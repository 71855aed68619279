"""The people an article names, from the shared parse (tagger only, no NER): their name
chains and the words the article puts around them.

A **name chain** is a run of proper nouns (with "of", "and", "the", "'s" between them) ending
in a surname: "Harbour Board Chair and Deputy Mayor Ana Ruiz", "Sen. Ted Cruz". Around it the
article often says who the person is: a **role before** the chain, in lower case ("Republican
presidential nominee Ann Weller", "Clinton spokesman Brian Fallon"), or an **apposition**
after it ("Ana Ruiz, the youth leader, ..."). :func:`person_chains` collects all three per
surname, in one pass over the article's tokens; :mod:`~analysis.measures.sources.resolve` types
a source from them, ties a bare surname or a role ("the youth leader") to the person, and
:mod:`~analysis.measures.sources.gender` reads the titles and gendered words among them.

:func:`person_name` strips titles and roles from a name ("Texas Sen. Ted Cruz" -> "Ted Cruz"):
the canonical name of a person is the longest such name the article gives them.

Examples
--------
>>> from analysis.text import parse_text
>>> art = parse_text("Clinton spokesman Brian Fallon, a former aide, said it was over.")
>>> [(c.name, [w[0] for w in c.before], [w[0] for w in c.after])
...  for c in person_chains(art)["fallon"]]
[('brian fallon', ['clinton', 'spokesman'], ['former', 'aide'])]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .lexicons import role_words, word_role

__all__ = ["Chain", "person_chains", "person_name", "is_title", "clean_name", "person_key"]

Word = tuple[str, str, str, int]  # (lower text, lemma, pos, offset in the cleaned text)
GLUE = frozenset({"and", "for", "of", "the", "'s", "’s"})
MAX_CHAIN = 16  # words of a name chain
MAX_BEFORE = 6  # words of a role before the chain
MAX_AFTER = 10  # words of an apposition after it
_ROLE_POS = frozenset({"NOUN", "ADJ", "PROPN"})
_APPOS_GLUE = frozenset({"of", "for", "at", "and", "the", "'s", "’s", "-"})
_OPENERS = frozenset({"the", "a", "an"})
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


@dataclass
class Chain:
    """One mention of a person's name, with what the article says around it."""

    words: list[Word]  # the proper-noun chain
    name: str = ""  # its name part (lower case): the proper nouns after the last title
    before: list[Word] = field(default_factory=list)  # the role words right before it
    after: list[Word] = field(default_factory=list)  # the apposition after it


def is_title(lower: str) -> bool:
    """Whether a word is a title or role word of ``lexicons/source_roles.tsv`` (with or
    without its full stop: "sen.", "mr", "minister")."""
    roles = role_words()
    return (lower,) in roles or (lower.rstrip("."),) in roles


def person_name(words) -> str:
    """The name part of a person chain: the proper nouns after the last title or role word.

    Parameters
    ----------
    words : list of (lower, lemma, pos, offset)

    Returns
    -------
    str
        Lower case, space-joined ("" when the chain ends in a title).

    Examples
    --------
    >>> person_name([("texas", "texas", "PROPN", 0), ("sen.", "sen.", "PROPN", 6),
    ...              ("ted", "ted", "PROPN", 11), ("cruz", "cruz", "PROPN", 15)])
    'ted cruz'
    """
    roles = role_words()
    names: list[str] = []
    for lw, lemma, pos, _ in words:
        if is_title(lw) or (lemma,) in roles:
            names = []
        elif pos == "PROPN":
            names.append(lw)
        else:
            names = []
    return " ".join(names)


def _chain_start(doc, i: int) -> int:
    k = i
    while k - 1 >= 0 and i - (k - 1) < MAX_CHAIN:
        p = doc[k - 1]
        if p.pos_ == "PROPN" or (p.lower_ in GLUE and k - 2 >= 0 and doc[k - 2].pos_ == "PROPN"):
            k -= 1
        else:
            break
    while k < i and doc[k].lower_ in GLUE:
        k += 1
    return k


def _before(doc, k: int, several: bool = False) -> list[Word]:
    """Lower-case role words (and the proper nouns among them) right before a chain; a plural
    noun only before several names ("former presidents Vicente Fox and Ana Ruiz")."""
    out: list[Word] = []
    j = k - 1
    while j >= 0 and len(out) < MAX_BEFORE:
        t = doc[j]
        hyphen = t.text == "-" and not t.whitespace_
        if t.pos_ in _ROLE_POS or t.lower_ in ("'s", "’s") or hyphen:
            out.insert(0, (t.lower_, t.lemma_.lower(), t.pos_, t.idx))
            j -= 1
        else:
            break
    # a plural noun is no one person's role: "the number of Syrian refugees Obama will accept"
    if not several and out and out[-1][2] == "NOUN" and out[-1][0] != out[-1][1] and \
            out[-1][0].endswith("s"):
        return []
    return out if any(w[2] == "NOUN" for w in out) else []


def _after(doc, e: int) -> list[Word]:
    """An apposition after a chain ("Ana Ruiz, the youth leader,"): its words, or []."""
    n = len(doc)
    if e + 2 >= n or doc[e + 1].text != ",":
        return []
    j = e + 2
    if doc[j].lower_ in _OPENERS:
        j += 1
    out: list[Word] = []
    while j < n and len(out) < MAX_AFTER:
        t = doc[j]
        if t.pos_ in _ROLE_POS or t.lower_ in _APPOS_GLUE or t.pos_ in ("ADP", "DET"):
            out.append((t.lower_, t.lemma_.lower(), t.pos_, t.idx))
            j += 1
        else:
            break
    ends = j >= n or doc[j].text in (",", ".", ";", "—", "–", ")") or doc[j].pos_ == "VERB"
    verb = j < n and doc[j].tag_ in _FINITE  # "became", not "involved in" (a modifier)
    while out and out[-1][2] not in ("NOUN", "PROPN"):
        out.pop()
    # before a verb, words without a role word start a new clause, not an apposition:
    # "Ana Ruiz, Chile's sensitivities became ..."
    if verb and all(word_role(w) == ("", "") for w in out):
        return []
    return out if ends and any(w[2] == "NOUN" for w in out) else []


def person_chains(article) -> dict[str, list[Chain]]:
    """The name chains of an article by their last word (lower case), each with its name part,
    the role words before it and the apposition after it.

    Parameters
    ----------
    article : ParsedArticle
        The shared parse (tags and lemmas; no NER is needed).

    Returns
    -------
    dict
        Surname -> chains in text order.
    """
    from spacy.symbols import POS, PROPN  # late: heavy (spaCy; the doc is spaCy's already)

    doc = article.doc
    chains: dict[str, list[Chain]] = {}
    # the last proper noun of each run, from the token array (not a Python pass per token)
    propn = doc.to_array([POS]).reshape(-1) == PROPN
    ends = np.flatnonzero(propn & ~np.append(propn[1:], False))
    for i in ends.tolist():
        t = doc[i]
        k = _chain_start(doc, t.i)
        words = [(x.lower_, x.lemma_.lower(), x.pos_, x.idx) for x in doc[k:t.i + 1]]
        several = any(w[0] == "and" for w in words)
        chains.setdefault(t.lower_, []).append(
            Chain(words, person_name(words), _before(doc, k, several), _after(doc, t.i)))
    return chains


def clean_name(name: str) -> str:
    """A person's name without the titles and roles before it ("Texas Sen. Ted Cruz" ->
    "Ted Cruz", "Mr. Dar" -> "Dar")."""
    words = name.replace("’", "'").removesuffix("'s").split()
    cut = max((i + 1 for i, w in enumerate(words[:-1]) if is_title(w.lower())), default=0)
    return " ".join(words[cut:])


def person_key(name: str, ambiguous: set[str]) -> str:
    """The key of a person's name within an article: the surname, or the first name and
    surname when several people of the article share the surname ("eric weller")."""
    words = name.lower().split()
    if not words:
        return ""
    return f"{words[0]} {words[-1]}" if words[-1] in ambiguous and len(words) >= 2 \
        else words[-1]

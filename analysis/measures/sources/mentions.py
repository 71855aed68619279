"""The mentions of a source and the people an article names, as
:mod:`~analysis.measures.sources.resolve` groups them (stage 3 of the pipeline).

:class:`Mention` is one attribution's source phrase (a name, an unnamed description or a
pronoun) with the key of the source it is resolved to; :class:`Person` what the article says
about one named person: the canonical full name, the name chains
(:mod:`~analysis.measures.sources.people`) and the gendered titles and role words about them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .gender import decide, first_name, name_gender
from .lexicons import gender_words
from .people import Chain, is_title

if TYPE_CHECKING:
    from .extract import Attribution

__all__ = ["Mention", "Person", "chain_titles", "mention_of", "phrase_words"]

@dataclass
class Mention:
    att: Attribution
    words: list[tuple[str, str, str, int]]  # (lower text, lemma, pos, offset) of the phrase
    kind: str  # "name", "unnamed", "pronoun"
    entity: str  # PERSON / ORG / GPE / NORP / ""
    key: str = ""
    display: str = ""
    surname: str = ""
    plural: bool = False


@dataclass
class Person:
    """What the article says about one named person (one ``person:`` key)."""

    name: str  # canonical full name, as written
    chains: list[Chain] = field(default_factory=list)
    votes: dict = field(default_factory=dict)  # gendered titles and role words

    def context(self) -> list:
        """Role words around the person's name elsewhere, and the chains' titles."""
        return [w for c in self.chains for w in (*c.before, *chain_titles(c), *c.after)]

    def prior(self) -> str:
        """The gender before pronouns: the article's words, else the first name."""
        return decide(self.votes) or name_gender(first_name(self.name))


def chain_titles(c: Chain) -> list:
    """The words of a chain before its name part ("Chile 's Interior Minister"), from after
    the last "and" that follows another name ("Ana Ruiz of Chile and Mr. Fisk": "Mr.", not
    "Chile"); an "and" between titles keeps both ("Board Chair and Deputy Mayor")."""
    n = len(c.name.split())
    titles = c.words[:len(c.words) - n] if n else list(c.words)
    cut = max((j + 1 for j in range(1, len(titles)) if titles[j][0] == "and"
               and titles[j - 1][2] == "PROPN" and not is_title(titles[j - 1][0])), default=0)
    return titles[cut:]



def phrase_words(article, start: int, end: int) -> list[tuple[str, str, str, int]]:
    return [(t.lower_, t.lemma_.lower(), t.pos_, t.idx)
            for t in article.tokens_starting_in(start, end) if not t.is_space]


def mention_of(article, att: Attribution) -> Mention:
    rs, re_ = (att.ref_start, att.ref_end) if att.ref_end > att.ref_start else (att.start,
                                                                                att.end)
    words = phrase_words(article, rs, re_)
    # a dateline before a dash ("LA CROSSE, Wisc. — Gov. Mike Pence") says where, not who
    dash = next((i for i, w in enumerate(words[:10]) if w[0] in ("—", "–", "--")), -1)
    if 0 < dash < len(words) - 1:
        words = words[dash + 1:]
    if att.pronoun and not att.referent:
        kind = "pronoun"
    elif att.name:
        kind = "name"
    else:
        kind = "unnamed"
    ent = att.head_ent if kind == "name" else ""
    if kind == "name" and not ent:
        ent = "PERSON" if att.head_tag == "NNP" else "ORG"
    if kind == "name" and ent != "PERSON":  # "Mr. Jordan", "Sen. Chad Smith": a person
        first = att.name.split()[0].lower()
        at = next((i for i, w in enumerate(words) if w[0] == first), 0)
        prev = words[at - 1][0] if at else ""
        if prev and (gender_words().get((prev,), ("", ""))[1] == "title"
                     or (prev.endswith(".") and is_title(prev))):
            ent = "PERSON"
    plural = att.head_tag in ("NNS", "NNPS") or att.determiner == "both" or att.coordinated
    return Mention(att, words, kind, ent, plural=plural)


# --------------------------------------------------------------------------- classification



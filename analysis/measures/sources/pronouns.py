"""Mentions that name no one, linked to a person (stage 3 of the pipeline, for
:mod:`~analysis.measures.sources.resolve`): a definite role ("the youth leader said") to the
one person the article gave that role, and a pronoun to the one source in reach, told apart by
gender when several are, or to the one person named (not quoted) just before it.
"""

from __future__ import annotations

from .gender import decide, word_votes
from .lexicons import gender_words, role_words
from .mentions import Mention, Person, chain_titles
from .people import Chain, clean_name, is_title, person_key

__all__ = ["PRONOUN_WINDOW", "SINGULAR_PRONOUNS", "PLURAL_PRONOUNS", "role_of_person", "named_before",
           "link_pronouns"]

PRONOUN_WINDOW = 3  # sentences back in which a pronoun's antecedent is looked for
SINGULAR_PRONOUNS = frozenset({"he", "she", "him", "her"})
PLURAL_PRONOUNS = frozenset({"they", "them", "we", "us"})


def role_of_person(m: Mention, mentions: list[Mention], people: dict[str, Person],
                    chains) -> None:
    """A definite singular role ("the youth leader said") is the one person the article gave
    that role (in a mention's phrase, before the name or in an apposition), when there is
    exactly one."""
    att = m.att
    if m.kind != "unnamed" or m.plural or att.determiner != "the" or att.referent:
        return
    role = role_words().get((att.head_lemma,))
    if not role or role[1] != "person":
        return
    owners: dict[str, str] = {}
    for other in mentions:
        if other.key.startswith("person:") and any(
                w[1] == att.head_lemma and w[2] == "NOUN" for w in other.words):
            owners[other.key] = other.display
    for surname, cs in chains().items():
        for c in cs:
            if c.name and any(w[1] == att.head_lemma and w[2] == "NOUN"
                              for w in (*c.before, *c.after)):
                key = f"person:{c.name.split()[-1]}"
                person = people.get(c.name.split()[-1])
                owners.setdefault(key, person.name if person and person.name else " ".join(
                    w[0].title() for w in c.words if w[0] in c.name.split()))
    if len(owners) == 1:
        (key, display), = owners.items()
        m.key, m.display, m.surname, m.entity = key, display, key.split(":", 1)[1], "PERSON"
        m.kind = "role_linked"


def link_pronouns(mentions: list[Mention], people: dict[str, Person],
                   ambiguous: set[str], named_before=None) -> None:
    """Pronouns: the nearest earlier source (or PERSON named earlier in the same sentence)
    when exactly one candidate is in reach; "she" and "he" skip the people the article
    gives the other gender (among several, also those the first name gives it)."""
    def fits(p: str, pk: str, names: bool = True) -> bool:
        person = people.get(pk)
        want = gender_words().get((p,), ("", ""))[0]
        if person is None or not want:
            return True
        known = person.prior() if names else decide(person.votes)
        return known in (want, "unknown", "")

    for i, m in enumerate(mentions):
        if m.kind != "pronoun":
            continue
        p = m.att.source.lower()
        if p in SINGULAR_PRONOUNS and m.att.persons_before:
            for _, name in reversed(m.att.persons_before):
                pk = person_key(clean_name(name), ambiguous)
                if pk and fits(p, pk, names=len(m.att.persons_before) > 1):
                    display = people[pk].name if pk in people and people[pk].name \
                        else clean_name(name)
                    m.key, m.display, m.surname = f"person:{pk}", display, pk
                    m.kind = "pronoun_linked"
                    break
            if m.kind == "pronoun_linked":
                continue
        cands = []
        for j in range(i - 1, -1, -1):  # not reversed(mentions[:i]): a copy per pronoun
            prev = mentions[j]
            if prev.att.sentence_id < m.att.sentence_id - PRONOUN_WINDOW:
                break
            if not prev.key or prev is m:
                continue
            if p in SINGULAR_PRONOUNS and prev.entity == "PERSON" and not prev.plural:
                cands.append(prev)
            elif p in PLURAL_PRONOUNS and (prev.plural or prev.entity in ("ORG", "GPE")
                                           or prev.kind == "unnamed"):
                cands.append(prev)
        if len({c.key for c in cands}) > 1 and p in SINGULAR_PRONOUNS:
            cands = [c for c in cands if fits(p, c.surname)]
        elif p in SINGULAR_PRONOUNS:  # one in reach: not if the article gives the other gender
            cands = [c for c in cands if fits(p, c.surname, names=False)]
        if not cands and p in SINGULAR_PRONOUNS and named_before is not None:
            cands = named_before(m, fits)
        if len({c.key for c in cands}) == 1:
            c = cands[0]
            m.key, m.display, m.surname, m.entity = c.key, c.display, c.surname, c.entity
            m.plural = c.plural
            m.kind = "pronoun_linked"


def named_before(article, m: Mention, chains: dict[str, list[Chain]], ambiguous: set[str],
                  fits) -> list[Mention]:
    """The one person named (not quoted) before a "he"/"she" that no source fits: a full
    name or a titled name in the pronoun's sentence or the :data:`PRONOUN_WINDOW` before it,
    of the pronoun's gender where the article or the first name gives one."""
    starts = [s.start for s in article.sentences]
    lo = starts[max(0, m.att.sentence_id - PRONOUN_WINDOW)]
    found: dict[str, tuple[int, Chain]] = {}
    for cs in chains.values():
        for c in cs:
            off = c.words[0][3]
            titled = any(gender_words().get((w[0],), ("", ""))[1] == "title" or is_title(w[0])
                         for w in chain_titles(c))
            if lo <= off < m.att.start and c.name and (len(c.name.split()) >= 2 or titled):
                pk = person_key(c.name, ambiguous)
                found[pk] = max(found.get(pk, (-1, c)), (off, c), key=lambda x: x[0])
    p = m.att.source.lower()
    want = gender_words().get((p,), ("", ""))[0]

    def fitting(pk: str) -> bool:
        c = found[pk][1]
        named = Person(c.name, [c])
        word_votes([*c.before[-1:], *chain_titles(c)[-1:], *c.after], named.votes)
        return fits(p, pk) and named.prior() in (want, "unknown")

    keys = [pk for pk in found if fitting(pk)]
    if len(keys) != 1:
        return []
    c = found[keys[0]][1]
    name = " ".join(article.text[w[3]:w[3] + len(w[0])] for w in c.words
                    if w[0] in c.name.split())
    return [Mention(m.att, c.words, "name", "PERSON", key=f"person:{keys[0]}",
                     display=name, surname=keys[0])]



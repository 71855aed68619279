"""From attributions to sources: mentions grouped, typed, given an affiliation and a gender.

The attributions of an article (:mod:`analysis.measures.sources.extract`) become sources: one
entry per source within the article. One person is one source: "Ana Ruiz", "Ruiz", "Harbour
Board Chair and Deputy Mayor Ana Ruiz", "she" (linked where that is clear) and a role the
article gave her ("the youth leader", once "Ana Ruiz, the youth leader," was written) all
resolve to her canonical full name, the longest name the article gives her without titles
("Texas Sen. Ted Cruz" -> "Ted Cruz").

Source types (:data:`~analysis.measures.sources.lexicons.TYPES`): government official,
military/security, diplomat/delegation, politician/campaign, expert/analyst, business, civil
society, international organisation, media, unnamed/anonymous, joint statement/document, and
unknown (nothing in the text or the registry says). A person's type comes from the role words
of all its mentions and of the words the article puts around its name anywhere
(:mod:`~analysis.measures.sources.people`: "Republican presidential nominee Donald Trump",
"Ana Ruiz, the youth leader"); an organisation's from its own words ("Fox News": media).

Affiliations are keys of the study (:mod:`analysis.measures.sources.vocabulary`): an actor key (or,
without actors, a country key), ``other``, ``multiple`` or ``unknown``. The evidence, in order:

1. the registry (:mod:`analysis.measures.sources.registry`) overrides everything;
2. the place words of the study (its actors' words, or every country's) in the source phrase,
   its other mentions and the role words around the person's name, never inside a name, an
   organisation's name or a state tag (:mod:`~analysis.measures.sources.affiliation`): one
   side found gives that side; several give the side of a modifier before the head when only
   one side is named there ("the council's lawyer for the union" is the council), else
   ``multiple``;
3. a GPE or NORP entity of the phrase that is not a place word adds ``other`` ("Ruritanian
   officials"), unless it is a capital-letter abbreviation whose dotted form is one ("UK"
   read as "u.k.");
4. a country or city that speaks is its government; when nothing above gave a side, its alias
   (``aliases:`` of the study, ``lexicons/source_aliases.tsv``) names it: a study may say
   that "city hall" stands for "City Council", whose words tie it to the council.

Unknown stays unknown. Gender (``source_gender``, named people only):
:mod:`~analysis.measures.sources.gender`; it also tells a "she" from a "he" when two people
are in reach of a pronoun.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ...study import Study, resolve_study
from .affiliation import affiliation, role_type
from .gender import decide, first_name, name_gender, word_votes
from .lexicons import gender_words, role_words
from .people import Chain, clean_name, is_title, person_chains, person_key
from .registry import Registry
from .vocabulary import Vocabulary, norm_name, vocabulary

if TYPE_CHECKING:
    from .extract import Attribution

__all__ = ["resolve_sources"]

PRONOUN_WINDOW = 3  # sentences back in which a pronoun's antecedent is looked for
SINGULAR_PRONOUNS = frozenset({"he", "she", "him", "her"})
PLURAL_PRONOUNS = frozenset({"they", "them", "we", "us"})
INDEFINITE = frozenset({"a", "an", "some", "many", "several", "few", "one", "any", "other",
                        "most", "all"})
DETERMINERS = frozenset({"the", "a", "an", "both", "some", "all", "this", "that", "these",
                         "those"})


@dataclass
class _Mention:
    att: Attribution
    words: list[tuple[str, str, str, int]]  # (lower text, lemma, pos, offset) of the phrase
    kind: str  # "name", "unnamed", "pronoun"
    entity: str  # PERSON / ORG / GPE / NORP / ""
    key: str = ""
    display: str = ""
    surname: str = ""
    plural: bool = False


@dataclass
class _Person:
    """What the article says about one named person (one ``person:`` key)."""

    name: str  # canonical full name, as written
    chains: list[Chain] = field(default_factory=list)
    votes: dict = field(default_factory=dict)  # gendered titles and role words

    def context(self) -> list:
        """Role words around the person's name elsewhere, and the chains' titles."""
        return [w for c in self.chains for w in (*c.before, *_titles(c), *c.after)]

    def prior(self) -> str:
        """The gender before pronouns: the article's words, else the first name."""
        return decide(self.votes) or name_gender(first_name(self.name))


def _titles(c: Chain) -> list:
    """The words of a chain before its name part ("Pakistan 's Interior Minister")."""
    n = len(c.name.split())
    return c.words[:len(c.words) - n] if n else list(c.words)


def _words(article, start: int, end: int) -> list[tuple[str, str, str, int]]:
    return [(t.lower_, t.lemma_.lower(), t.pos_, t.idx)
            for t in article.tokens_starting_in(start, end) if not t.is_space]


def _mention(article, att: Attribution) -> _Mention:
    rs, re_ = (att.ref_start, att.ref_end) if att.ref_end > att.ref_start else (att.start,
                                                                                att.end)
    words = _words(article, rs, re_)
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
    return _Mention(att, words, kind, ent, plural=plural)


# --------------------------------------------------------------------------- classification


def _classify(mentions: list[_Mention], person: _Person | None, vocab: Vocabulary
              ) -> tuple[str, str]:
    """(type, affiliation) of one source from all its mentions (+ what the article says
    around a person's name)."""
    first = mentions[0]
    att = first.att
    roles = role_words()
    words = [w for m in mentions for w in m.words]
    context = person.context() if person else []
    names = set()
    if person:
        tokens = {t.lower() for t in person.name.split()} | {first.surname}
        names = {w[3] for w in words if w[0] in tokens}
    head_off = min((w[3] for m in mentions for w in m.words if w[0] == m.att.head.lower()),
                   default=att.start)
    ents = [e for m in mentions for e in m.att.entities]
    aff = affiliation(words, head_off, vocab, ents, names)
    if aff == "unknown" and context:
        aff = affiliation(context, max(w[3] for w in context) + 1, vocab)
    head_role = roles.get((att.head_lemma,)) or roles.get((att.head.lower(),))
    if first.kind == "name":
        if first.entity in ("GPE",):  # a place that speaks is its government
            side = vocab.alias_side(att.name) if aff == "unknown" else None
            return "government official", side or aff
        if first.entity == "NORP":
            return "unnamed/anonymous", aff
        if first.entity == "PERSON":
            return role_type(words + context, True) or "unknown", aff
        return role_type(words, False) or "unknown", aff
    if head_role and head_role[1] == "document":
        return "joint statement/document", aff
    if head_role and head_role[1] == "body":
        return head_role[0], aff
    if first.plural or att.determiner in INDEFINITE or not head_role or \
            head_role[0] == "unnamed/anonymous":
        return "unnamed/anonymous", aff
    # a definite role: "the minister said", "the youth leader said" (the longest role)
    return role_type(words, True) or head_role[0], aff


# --------------------------------------------------------------------------- resolution


def _people(article, mentions: list[_Mention], chains: dict[str, list[Chain]]
            ) -> tuple[dict[str, _Person], set[str]]:
    """The named people of the article's person mentions, by key (:func:`_person_key`), with
    their canonical full name, their chains and the gendered words about them; and the
    surnames several people share."""
    fulls: dict[str, set[str]] = {}
    for m in mentions:
        if m.kind == "name" and m.entity == "PERSON":
            name = clean_name(m.att.name)
            if len(name.split()) >= 2:
                fulls.setdefault(name.split()[-1].lower(), set()).add(name)
    wanted = {clean_name(m.att.name).split()[-1].lower() for m in mentions
              if m.kind == "name" and m.entity == "PERSON" and clean_name(m.att.name)}
    for surname in wanted:
        for c in chains.get(surname, []):
            if len(c.name.split()) >= 2 and c.name.split()[-1] == surname:
                orig = " ".join(article.text[w[3]:w[3] + len(w[0])] for w in c.words
                                if w[0] in c.name.split())
                fulls.setdefault(surname, set()).add(orig)
    ambiguous = {s for s, names in fulls.items()
                 if len({n.split()[0].lower() for n in names}) > 1}
    out: dict[str, _Person] = {}
    for surname in sorted(wanted):
        by_key: dict[str, list[str]] = {}
        for n in sorted(fulls.get(surname, set())):
            by_key.setdefault(person_key(n, ambiguous), []).append(n)
        if surname in ambiguous or not by_key:
            by_key.setdefault(surname, [])
        for key, ns in by_key.items():
            longest = max(ns, key=lambda s: (len(s.split()), s)) if ns else ""
            first = longest.split()[0].lower() if longest else ""
            mine = [c for c in chains.get(surname, []) if c.name and (
                surname not in ambiguous or (first and c.name.split()[0] == first))]
            person = _Person(longest, mine)
            for c in mine:
                word_votes([*c.before[-1:], *_titles(c)[-1:], *c.after], person.votes)
            out[key] = person
    return out, ambiguous


def _keys(m: _Mention, people: dict[str, _Person], ambiguous: set[str],
          vocab: Vocabulary) -> None:
    att = m.att
    if m.kind == "name" and m.entity == "PERSON":
        name = clean_name(att.name) or att.name
        pk = person_key(name, ambiguous)
        m.surname = pk
        person = people.get(pk)
        full = person.name if person else ""
        m.key = f"person:{pk}"
        m.display = full if full and len(full.split()) > len(name.split()) else name
        if person is not None:  # the gendered words of its own phrase ("spokeswoman Ana Ruiz")
            at = next((i for i, w in enumerate(m.words) if w[0] == name.split()[0].lower()), 0)
            word_votes(m.words[max(0, at - 1):at], person.votes)
    elif m.kind == "name" and m.plural:  # "Northport and Southport": a joint source
        text = att.referent or att.source
        m.key = "group:" + norm_name(text)
        m.display = text.removeprefix("the ").removeprefix("The ")
    elif m.kind == "name":
        n = norm_name(att.name)
        canon = vocab.aliases.get(n, "")
        m.key = "name:" + (canon.lower() if canon else n)
        m.display = canon or att.name.removeprefix("the ").removeprefix("The ")
    elif m.kind == "unnamed":
        words = (att.referent or att.source).split()
        while words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        m.display = " ".join(words)
        while words and words[0].lower() in DETERMINERS:
            words = words[1:]
        m.key = "np:" + " ".join(words).lower()


def _role_of_person(m: _Mention, mentions: list[_Mention], people: dict[str, _Person],
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


def _link_pronouns(mentions: list[_Mention], people: dict[str, _Person],
                   ambiguous: set[str]) -> None:
    """Pronouns: the nearest earlier source (or PERSON named earlier in the same sentence)
    when exactly one candidate is in reach; "she" and "he" skip the people the article
    gives the other gender."""
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
        if len({c.key for c in cands}) == 1:
            c = cands[0]
            m.key, m.display, m.surname, m.entity = c.key, c.display, c.surname, c.entity
            m.plural = c.plural
            m.kind = "pronoun_linked"


def resolve_sources(article, atts: list[Attribution], registry: Registry | None = None,
                    study: Study | str | Path | None = None) -> list[dict]:
    """The source of every attribution of an article: mention kind, canonical source, type,
    affiliation, gender.

    Mentions of one source are grouped (a surname with the full name, an alias with its
    canonical name, a definite role with the one person given it, a pronoun with the one
    source in reach), each source is classified once from all its mentions and the words
    around the person's name elsewhere in the article, and the registry overrides that guess.

    Parameters
    ----------
    article : ParsedArticle
        The shared parse of the article (``analysis.text``).
    atts : list of Attribution
        Its attributions (:func:`~analysis.measures.sources.extract.extract_attributions`).
    registry : Registry, optional
        Sources whose type or affiliation is given; default none.
    study : Study, str, Path or None
        The study whose words and aliases give the affiliations
        (:func:`analysis.study.resolve_study`: None or ``"none"`` is the empty study, whose
        sides are the countries).

    Returns
    -------
    list of dict
        One per attribution, in order: ``mention`` (``name``, ``unnamed``, ``pronoun`` or
        ``unresolved_pronoun``), ``canonical_source``, ``source_type``,
        ``source_affiliation``, ``source_gender`` (``female``, ``male``, ``unknown`` for a
        named person; ``""`` otherwise), ``classified_by`` (``registry``, ``text``; ``""``
        when unresolved) and ``key`` (the source within the article; ``""`` when
        unresolved).

    Examples
    --------
    >>> from analysis.measures.sources import extract_attributions
    >>> from analysis.text import parse_text
    >>> article = parse_text("French Foreign Minister Ana Ruiz said talks went well. She "
    ...                      "added that more would follow.")
    >>> [(r["canonical_source"], r["source_type"], r["source_affiliation"], r["source_gender"])
    ...  for r in resolve_sources(article, extract_attributions(article), study="none")]
    [('Ana Ruiz', 'government official', 'france', 'female'), \
('Ana Ruiz', 'government official', 'france', 'female')]
    """
    registry = registry or Registry()
    vocab = vocabulary(resolve_study(study))
    mentions = [_mention(article, a) for a in atts]
    # NER may call a person an organisation in one sentence ("Ana Ruiz urged ..."): a short
    # name ending in the surname of a person named elsewhere in the article is that person.
    person_surnames = {clean_name(m.att.name).split()[-1].lower() for m in mentions
                       if m.kind == "name" and m.entity == "PERSON" and clean_name(m.att.name)}
    for m in mentions:
        words = m.att.name.split()
        if (m.kind == "name" and m.entity == "ORG" and 1 <= len(words) <= 3
                and words[-1].lower() in person_surnames and not m.plural):
            m.entity = "PERSON"
    found: list = []

    def chains():  # the article's name chains, made once when a person or role needs them
        if not found:
            found.append(person_chains(article))
        return found[0]

    people, ambiguous = (_people(article, mentions, chains()) if person_surnames
                         else ({}, set()))
    for m in mentions:
        _keys(m, people, ambiguous, vocab)
    for m in mentions:
        _role_of_person(m, mentions, people, chains)
    _link_pronouns(mentions, people, ambiguous)
    # Group by key; classify once per source.
    groups: dict[str, list[_Mention]] = {}
    for m in mentions:
        if m.key:
            groups.setdefault(m.key, []).append(m)
    cls: dict[str, tuple[str, str, str, str, str]] = {}
    for key, ms in groups.items():
        named = [m for m in ms if m.kind not in ("pronoun_linked", "role_linked")] or ms
        display = max((m.display for m in ms), key=lambda s: (len(s.split()), s))
        surname = named[0].surname
        person = people.get(surname) if key.startswith("person:") else None
        if person is None and key.startswith("person:"):  # named only where a role came from
            person = people.setdefault(surname, _Person(display, [
                c for c in chains().get(surname.split()[-1], []) if c.name]))
        typ, aff = _classify(named, person, vocab)
        gender = ""
        if person is not None:
            votes = dict(person.votes)
            for m in ms:
                if m.kind == "pronoun_linked":
                    g = gender_words().get((m.att.source.lower(),), ("", ""))[0]
                    if g:
                        votes[g] = votes.get(g, 0) + 1
            gender = decide(votes) or name_gender(first_name(display))
        by = "text"
        entry = registry.lookup([display, *{m.att.name for m in ms if m.att.name}],
                                surname if named[0].entity == "PERSON" else "")
        if entry is not None:
            display = entry.name
            typ = entry.type or typ
            aff = entry.affiliation or aff
            by = "registry"
        cls[key] = (display, typ, aff, by, gender)
    out = []
    for m in mentions:
        if m.key:
            display, typ, aff, by, gender = cls[m.key]
            kind = {"pronoun_linked": "pronoun", "role_linked": "unnamed"}.get(m.kind, m.kind)
        else:
            display, typ, aff, by, kind, gender = ("", "unknown", "unknown", "",
                                                   "unresolved_pronoun", "")
        out.append({"mention": kind, "canonical_source": display, "source_type": typ,
                    "source_affiliation": aff, "source_gender": gender, "classified_by": by,
                    "key": m.key})
    return out

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
(:mod:`~analysis.measures.sources.people`: "Republican presidential nominee Ann Weller",
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
3. a GPE or NORP entity of the phrase that is a capital-letter abbreviation whose dotted form
   is a place word ("UK" read as "u.k."); any other entity the words lack says nothing;
4. a country or city that speaks is its government; when nothing above gave a side, its alias
   (``aliases:`` of the study, ``lexicons/source_aliases.tsv``) names it: a study may say
   that "city hall" stands for "City Council", whose words tie it to the council.

Unknown stays unknown. Gender (``source_gender``, named people only):
:mod:`~analysis.measures.sources.gender`; it also tells a "she" from a "he" when two people
are in reach of a pronoun.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...study import Study, resolve_study
from .affiliation import affiliation, role_type
from .gender import decide, first_name, name_gender, word_votes
from .lexicons import gender_words, role_words
from .mentions import Mention, Person, chain_titles, mention_of
from .people import Chain, clean_name, person_chains, person_key
from .pronouns import link_pronouns, named_before, role_of_person
from .registry import Registry
from .vocabulary import Vocabulary, norm_name, spoken_of, vocabulary

if TYPE_CHECKING:
    from .extract import Attribution

__all__ = ["resolve_sources"]
INDEFINITE = frozenset({"a", "an", "some", "many", "several", "few", "one", "any", "other",
                        "most", "all"})
DETERMINERS = frozenset({"the", "a", "an", "both", "some", "all", "this", "that", "these",
                         "those"})


def _classify(mentions: list[Mention], person: Person | None, vocab: Vocabulary,
              spoken=None) -> tuple[str, str]:
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
    aff = affiliation(words, head_off, vocab, ents, names, spoken)
    if aff == "unknown" and context:
        aff = affiliation(context, max(w[3] for w in context) + 1, vocab, spoken=spoken)
    head_role = roles.get((att.head_lemma,)) or roles.get((att.head.lower(),))
    if person is not None and first.kind == "pronoun_linked":  # named only where not quoted
        return role_type(context, True) or "unknown", aff
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


def _people(article, mentions: list[Mention], chains: dict[str, list[Chain]]
            ) -> tuple[dict[str, Person], set[str]]:
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
    out: dict[str, Person] = {}
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
            person = Person(longest, mine)
            for c in mine:
                word_votes([*c.before[-1:], *chain_titles(c)[-1:], *c.after], person.votes)
            out[key] = person
    return out, ambiguous


def _keys(m: Mention, people: dict[str, Person], ambiguous: set[str],
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
    mentions = [mention_of(article, a) for a in atts]
    # NER may call a person an organisation in one sentence ("Ana Ruiz urged ...") or a
    # people ("Cuban said", Mark Cuban): a short name (a people's: one word, no determiner)
    # ending in the surname of a person named elsewhere in the article is that person.
    person_surnames = {clean_name(m.att.name).split()[-1].lower() for m in mentions
                       if m.kind == "name" and m.entity == "PERSON" and clean_name(m.att.name)}
    found: list = []

    def chains():  # the article's name chains, made once when a person or role needs them
        if not found:
            found.append(person_chains(article))
        return found[0]

    for m in mentions:
        words = m.att.name.split()
        if m.kind != "name" or m.entity not in ("ORG", "NORP") or m.plural or \
                not 1 <= len(words) <= (3 if m.entity == "ORG" else 1) or \
                (m.entity == "NORP" and m.att.determiner):
            continue
        last = words[-1].lower()
        # ... and a bare name that ends a person's full name elsewhere ("Ann Weller")
        if last in person_surnames or (len(words) == 1 and any(
                len(c.name.split()) >= 2 and c.name.split()[-1] == last
                for c in chains().get(last, []))):
            m.entity = "PERSON"
            person_surnames.add(last)

    people, ambiguous = (_people(article, mentions, chains()) if person_surnames
                         else ({}, set()))
    for m in mentions:
        _keys(m, people, ambiguous, vocab)
    for m in mentions:
        role_of_person(m, mentions, people, chains)
    link_pronouns(mentions, people, ambiguous,
                   lambda m, fits: named_before(article, m, chains(), ambiguous, fits))
    # Group by key; classify once per source.
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.key:
            groups.setdefault(m.key, []).append(m)
    cls: dict[str, tuple[str, str, str, str, str]] = {}
    spoken: dict[str, bool] = {}

    def speaks_of(country: str) -> bool:  # once per country and article
        if country not in spoken:
            spoken[country] = spoken_of(country, article.text)
        return spoken[country]

    for key, ms in groups.items():
        named = [m for m in ms if m.kind not in ("pronoun_linked", "role_linked")] or ms
        display = max((m.display for m in ms), key=lambda s: (len(s.split()), s))
        surname = named[0].surname
        person = people.get(surname) if key.startswith("person:") else None
        if person is None and key.startswith("person:"):  # named only where a role came from
            person = people.setdefault(surname, Person(display, [
                c for c in chains().get(surname.split()[-1], []) if c.name]))
        typ, aff = _classify(named, person, vocab, speaks_of)
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
        entry = registry.lookup([display, *sorted({m.att.name for m in ms if m.att.name})],
                                # a bare surname only: "George W. Bush" is not "Jeb Bush"
                                surname if named[0].entity == "PERSON" and
                                len(display.split()) == 1 else "")
        if entry is None and surname and named[0].entity == "PERSON":
            # "Ann J. Weller" is the registry's "Ann Weller": same surname, same first name
            same = registry.lookup([], surname.split()[-1])
            if same is not None and same.name.split()[0].lower() == display.split()[0].lower():
                entry = same
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

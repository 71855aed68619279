"""From attributions to sources: mentions grouped, typed and given an affiliation.

The attributions of an article (:mod:`analysis.measures.sources.extract`) become sources: one entry per
source within the article ("Ana Ruiz", "Ruiz" and "Harbour Board Chair and Deputy Mayor Ana
Ruiz" are one), pronouns linked to a named source where that is clear, each source typed and
given an affiliation.

Source types (:data:`~analysis.measures.sources.lexicons.TYPES`): government official,
military/security, diplomat/delegation, expert/analyst, civil society, international
organisation, media, unnamed/anonymous, joint statement/document, and unknown (nothing in the
text or the registry says).

Affiliations are keys of the study (:mod:`analysis.measures.sources.vocabulary`): an actor key (or,
without actors, a country key), ``other``, ``multiple`` or ``unknown``. The evidence, in order:

1. the registry (:mod:`analysis.measures.sources.registry`) overrides everything;
2. the place words of the study (its actors' words, or every country's) in the source phrase
   and in its other mentions: one side found gives that side; several give the side of a
   modifier before the head when only one side is named there ("the council's lawyer for the
   union" is the council), else ``multiple``;
3. a GPE or NORP entity of the phrase that is not a place word adds ``other`` ("Ruritanian
   officials"), unless it is a capital-letter abbreviation whose dotted form is one ("UK"
   read as "u.k.");
4. with nothing in the phrase, the fuller mentions of the same person elsewhere in the
   article (proper-noun chains: "City Council Speaker Ana Ruiz" classifies a bare "Ruiz");
5. a country or city that speaks is its government; when nothing above gave a side, its alias
   (``aliases:`` of the study, ``lexicons/source_aliases.tsv``) names it: a study may say
   that "city hall" stands for "City Council", whose words tie it to the council.

Unknown stays unknown. The rules are all here: :func:`_affiliation` (steps 2 and 3) and the
speaking-place rule of :func:`_classify`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ...study import Study, resolve_study
from .lexicons import role_words
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


# --------------------------------------------------------------------------- mentions


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


def _words(article, start: int, end: int) -> list[tuple[str, str, str, int]]:
    return [(t.lower_, t.lemma_.lower(), t.pos_, t.idx)
            for t in article.tokens_starting_in(start, end) if not t.is_space]


@lru_cache(maxsize=1)
def _role_max_words() -> int:
    return max((len(k) for k in role_words()), default=1)


def _find_terms(words, lexicon: dict, maxlen: int) -> list[tuple[int, tuple[str, ...], object]]:
    """Longest-first matches of lexicon terms (at most ``maxlen`` words) on word (or lemma)
    sequences: (pos, term, val)."""
    out, i, n = [], 0, len(words)
    while i < n:
        hit = None
        for k in range(min(maxlen, n - i), 0, -1):
            seg_l = tuple(w[0].replace("’", "'") for w in words[i:i + k])
            seg_m = tuple(w[1] for w in words[i:i + k])
            for seg in (seg_l, seg_m):
                if seg in lexicon and not (k == 1 and words[i][2] == "PRON"):
                    hit = (i, seg, lexicon[seg])
                    break
            if hit:
                break
        if hit:
            out.append(hit)
            i += len(hit[1])
        else:
            i += 1
    return out


def _name_chains(article) -> dict[str, list[list]]:
    """Proper-noun chains of the shared parse by their last word (lower case): the fuller
    mentions of a person ("Harbour Board Chair and Deputy Mayor Ana Ruiz") that classify a
    bare "Ruiz" elsewhere. Cheap: tagger output only, no NER."""
    doc = article.doc
    chains: dict[str, list[list]] = {}
    glue = {"and", "for", "of", "the", "'s", "’s"}
    for t in doc:
        if t.pos_ != "PROPN" or (t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN"):
            continue
        k = t.i
        while k - 1 >= 0 and t.i - (k - 1) < 16:
            p = doc[k - 1]
            if p.pos_ == "PROPN" or (p.lower_ in glue and k - 2 >= 0
                                     and doc[k - 2].pos_ == "PROPN"):
                k -= 1
            else:
                break
        while k < t.i and doc[k].lower_ in glue:
            k += 1
        chain = [(x.lower_, x.lemma_.lower(), x.pos_, x.idx) for x in doc[k:t.i + 1]]
        chains.setdefault(t.lower_, []).append(chain)
    return chains


def _person_name(words) -> str:
    """The name part of a person chain: the proper nouns after the last role word."""
    roles = role_words()
    names: list[str] = []
    for lw, lemma, pos, _ in words:
        if (lw,) in roles or (lemma,) in roles or lw.rstrip(".") in ("mr", "mrs", "ms", "dr"):
            names = []
        elif pos == "PROPN":
            names.append(lw)
        else:
            names = []
    return " ".join(names)


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
    plural = att.head_tag in ("NNS", "NNPS") or att.determiner == "both" or att.coordinated
    return _Mention(att, words, kind, ent, plural=plural)


# --------------------------------------------------------------------------- classification


def _entity_side(text: str, words, vocab: Vocabulary) -> tuple[int, str] | None:
    """(offset, side) of a GPE/NORP entity that is not a place word, or None.

    A capital-letter abbreviation that NER calls a place is read in its dotted form: "UK" is
    "u.k." (country words list bare ISO codes only dotted). Any other unlisted entity is
    ``other`` when the sides are countries (a city the lists lack); with declared actors it
    says nothing (a province or city: "the Wisconsin senator"), and None is returned."""
    name = norm_name(text)
    if name in vocab.place_names:
        return None
    side = None
    if text.isalpha() and text.isupper() and 2 <= len(text) <= 3:
        side = vocab.places.get((".".join(text.lower()) + ".",))
    off = next((w[3] for w in words if w[0] == name), -1)
    if side:
        return off, side
    return (-1, "other") if vocab.countries else None


def _affiliation(words, head_offset: int, vocab: Vocabulary, ents=()) -> str:
    found = [(words[i][3], aff) for i, _, aff in _find_terms(words, vocab.places, vocab.max_words)]
    for label, text in ents:
        if label in ("GPE", "NORP"):
            hit = _entity_side(text, words, vocab)
            if hit is not None:
                found.append(hit)
    affs = sorted({a for _, a in found})
    if not affs:
        return "unknown"
    if len(affs) == 1:
        return affs[0]
    pre = [a for off, a in sorted(found) if 0 <= off < head_offset]
    if len(set(pre)) == 1:  # a modifier before the head decides: "the council's lawyer ..."
        return pre[0]
    return "multiple"


def _role_type(words, person: bool) -> str | None:
    """Type from role words: for a person the role nearest before the name wins; person roles
    beat body roles ("Special Envoy to the United Nations Lena Fisk" is a diplomat)."""
    hits = [(i, term, val) for i, term, val in _find_terms(words, role_words(), _role_max_words())
            if val[0] != "none"]
    if not hits:
        return None
    if person:
        people = [h for h in hits if h[2][1] == "person"]
        if people:
            return people[-1][2][0]
    bodies = [h for h in hits if h[2][1] in ("body", "document")]
    return (bodies[-1] if bodies else hits[-1])[2][0]


def _classify(mentions: list[_Mention], chains: list[list], vocab: Vocabulary
              ) -> tuple[str, str]:
    """(type, affiliation) of one source from all its mentions (+ name chains)."""
    first = mentions[0]
    att = first.att
    head_lemma = att.head_lemma
    roles = role_words()
    words = [w for m in mentions for w in m.words]
    chain_words = [w for c in chains for w in c]
    head_off = min((w[3] for m in mentions for w in m.words if w[0] == m.att.head.lower()),
                   default=att.start)
    ents = [e for m in mentions for e in m.att.entities]
    aff = _affiliation(words, head_off, vocab, ents)
    if aff == "unknown" and chain_words:
        aff = _affiliation(chain_words, max(w[3] for w in chain_words) + 1, vocab)
    head_role = roles.get((head_lemma,)) or roles.get((att.head.lower(),))
    if first.kind == "name":
        if first.entity in ("GPE",):  # a place that speaks is its government
            side = vocab.alias_side(att.name) if aff == "unknown" else None
            return "government official", side or aff
        if first.entity == "NORP":
            return "unnamed/anonymous", aff
        person = first.entity == "PERSON"
        typ = _role_type(words + chain_words, person) if person else _role_type(words, False)
        return typ or "unknown", aff
    if head_role and head_role[1] == "document":
        return "joint statement/document", aff
    if head_role and head_role[1] == "body":
        return head_role[0], aff
    if first.plural or att.determiner in INDEFINITE or not head_role or \
            head_role[0] == "unnamed/anonymous":
        return "unnamed/anonymous", aff
    return head_role[0], aff  # a definite role: "the minister said"


# --------------------------------------------------------------------------- resolution


def _keys(m: _Mention, full_names: dict[str, set[str]], vocab: Vocabulary) -> None:
    att = m.att
    if m.kind == "name" and m.entity == "PERSON":
        name_words = att.name.split()
        surname = name_words[-1].lower().removesuffix("'s").removesuffix("’s")
        m.surname = surname
        fulls = full_names.get(surname, set())
        longest = max(fulls | {" ".join(name_words)}, key=lambda s: (len(s.split()), s))
        if len(fulls) > 1 and len(name_words) == 1:  # two people share the surname
            m.key, m.display = f"person:{surname}", att.name
        else:
            m.key = f"person:{surname}"
            m.display = longest if len(longest.split()) > len(name_words) else att.name
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
    affiliation.

    Mentions of one source are grouped (a surname with the full name, an alias with its
    canonical name, a pronoun with the one source in reach), each source is classified once
    from all its mentions and the fuller mentions of the person elsewhere in the article, and
    the registry overrides that guess.

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
        ``source_affiliation``, ``classified_by`` (``registry``, ``text``; ``""`` when
        unresolved) and ``key`` (the source within the article; ``""`` when unresolved).

    Examples
    --------
    >>> from analysis.measures.sources import extract_attributions
    >>> from analysis.text import parse_text
    >>> article = parse_text("French Foreign Minister Ana Ruiz said talks went well. Ruiz "
    ...                      "added that more would follow.")
    >>> [(r["canonical_source"], r["source_type"], r["source_affiliation"])
    ...  for r in resolve_sources(article, extract_attributions(article), study="none")]
    [('Ana Ruiz', 'government official', 'france'), ('Ana Ruiz', 'government official', 'france')]
    """
    registry = registry or Registry()
    vocab = vocabulary(resolve_study(study))
    mentions = [_mention(article, a) for a in atts]
    chains = _name_chains(article)
    # Full person names known in the article (from the source phrases and the name chains).
    full_names: dict[str, set[str]] = {}
    for m in mentions:
        if m.kind == "name" and m.entity == "PERSON" and len(m.att.name.split()) >= 2:
            full_names.setdefault(m.att.name.split()[-1].lower(), set()).add(m.att.name)
    for surname, cs in chains.items():
        for c in cs:
            n = _person_name(c)
            if len(n.split()) >= 2 and n.split()[-1] == surname:
                orig = " ".join(article.text[w[3]:w[3] + len(w[0])] for w in c
                                if w[0] in n.split())
                full_names.setdefault(surname, set()).add(orig)
    # NER may call a person an organisation in one sentence ("Ana Ruiz urged ..."): a short
    # name ending in the surname of a person named elsewhere in the article is that person.
    person_surnames = {m.att.name.split()[-1].lower() for m in mentions
                       if m.kind == "name" and m.entity == "PERSON"}
    for m in mentions:
        words = m.att.name.split()
        if (m.kind == "name" and m.entity == "ORG" and 1 <= len(words) <= 3
                and words[-1].lower() in person_surnames and not m.plural):
            m.entity = "PERSON"
    for m in mentions:
        _keys(m, full_names, vocab)
    # Pronouns: the nearest earlier source (or PERSON named earlier in the same sentence),
    # when exactly one candidate is in reach.
    for i, m in enumerate(mentions):
        if m.kind != "pronoun":
            continue
        p = m.att.source.lower()
        if p in SINGULAR_PRONOUNS and m.att.persons_before:
            off, name = m.att.persons_before[-1]
            surname = name.split()[-1].lower().removesuffix("'s").removesuffix("’s")
            m.key, m.display, m.surname = f"person:{surname}", name, surname
            m.kind = "pronoun_linked"
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
        if len({c.key for c in cands}) == 1:
            c = cands[0]
            m.key, m.display, m.surname, m.entity = c.key, c.display, c.surname, c.entity
            m.plural = c.plural
            m.kind = "pronoun_linked"
    # Group by key; classify once per source.
    groups: dict[str, list[_Mention]] = {}
    for m in mentions:
        if m.key:
            groups.setdefault(m.key, []).append(m)
    cls: dict[str, tuple[str, str, str, str]] = {}
    for key, ms in groups.items():
        named = [m for m in ms if m.kind != "pronoun_linked"] or ms
        display = max((m.display for m in ms), key=lambda s: (len(s.split()), s))
        surname = named[0].surname
        person_chains = chains.get(surname, []) if surname else []
        if named[0].kind == "pronoun_linked":
            # Antecedent named only in its own sentence: classify from the name chains.
            typ, aff = _classify_bare(person_chains, vocab)
        else:
            typ, aff = _classify(named, person_chains, vocab)
        by = "text"
        entry = registry.lookup([display, *{m.att.name for m in ms if m.att.name}],
                                surname if named[0].entity == "PERSON" else "")
        if entry is not None:
            display = entry.name
            typ = entry.type or typ
            aff = entry.affiliation or aff
            by = "registry"
        cls[key] = (display, typ, aff, by)
    out = []
    for m in mentions:
        if m.key:
            display, typ, aff, by = cls[m.key]
            kind = "pronoun" if m.kind == "pronoun_linked" else m.kind
        else:
            display, typ, aff, by, kind = "", "unknown", "unknown", "", "unresolved_pronoun"
        out.append({"mention": kind, "canonical_source": display, "source_type": typ,
                    "source_affiliation": aff, "classified_by": by, "key": m.key})
    return out


def _classify_bare(chains: list[list], vocab: Vocabulary) -> tuple[str, str]:
    words = [w for c in chains for w in c]
    typ = _role_type(words, True) if words else None
    aff = (_affiliation(words, max((w[3] for w in words), default=0) + 1, vocab) if words
           else "unknown")
    return typ or "unknown", aff

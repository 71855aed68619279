"""What a source's words say about it: its side (affiliation) and its type from role words.

:func:`affiliation` reads the place words of the study (its actors' words, or every country's)
and the places and peoples spaCy's NER finds in a source's words; :func:`role_type` the role
words of ``lexicons/source_roles.tsv``. Both are called by
:mod:`~analysis.measures.sources.resolve` with all the words of one source.

A source is tied to a side only on evidence **about that source**: its title or role
("Chilean Foreign Minister"), its own affiliation ("officials of the council"), a demonym
before it. So the place words are not read

* inside a person's name ("Chad Pergram", "Savannah Guthrie", "Tim Cook", "Mr. Jordan"; the
  offsets in ``names``), after a first name the name table knows ("Peter Cook", where NER
  found no person), nor in a name joined by a hyphen ("Jane Man-Lee");
* inside the name of an organisation that is not a government body ("Georgetown University",
  "American Enterprise Institute", "Cook Political Report": an ORG entity, or a run of proper
  nouns ending in a body or document word; a ministry, an embassy or an army keeps its
  country);
* as the state tag of a politician or a place ("Sen. Lindsey Graham (R-S.C.)", "Rep. Peter
  King, R-N.Y.", "Charleston, S.C."): a dotted two-letter abbreviation after a hyphen, an
  opening bracket or a comma names a state, not the country whose ISO code it spells;
* without actors, after a preposition that points away from the source: to, on, against,
  over, about, toward, into ("ambassador to Slovakia", "an expert on Syria"), "with" after a
  word that is no role ("a deal with Iran"; "a spokesman with the Turkish embassy" keeps it),
  or before an event ("after the Paris attacks": after, following, since, before, during);
  with actors, "an adviser to the council" is the council's;
* after a relative ("children of Cuban immigrants": the source's family, not the source);
* as a heritage before "American" ("Cuban Americans", "an Iranian-American businessman"), a
  language ("Spanish-language broadcaster"), or a name ("German's brother": a demonym takes
  no possessive);
* without actors (whose words may be people's names), inside a longer proper name, between a
  proper noun and another ("Oneida Indian Nation") unless a person's title follows ("...
  Turkish President Recep Tayyip Erdogan"), or in a clause after "which".

Without a study's actors, a province or state ties a source to its country only before the
source's title ("the Vermont senator") or when the article speaks of that country (by its
name, demonym or capital, or by two of its provinces): "a columnist for the tech site Pando"
in an article that never speaks of Bolivia has none, nor has "a Nassau County employee" (a
county is no capital). A country's name that is also another country's province ("Georgia")
is read as the province when the article speaks of that country and not of the first (the
``spoken`` argument of :func:`affiliation`,
:meth:`~analysis.measures.sources.vocabulary.Vocabulary.side`).

Examples
--------
>>> from analysis.measures.sources.vocabulary import vocabulary
>>> from analysis.study import Study
>>> words = [("r", "r", "PROPN", 0), ("-", "-", "PUNCT", 1), ("s.c.", "s.c.", "PROPN", 2)]
>>> affiliation(words, 10, vocabulary(Study()))
'unknown'
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...countries import country_words
from .gender import name_gender
from .lexicons import OFFICIAL_TYPES, role_words, word_role
from .people import is_title
from .vocabulary import COUNTY_WORDS, Vocabulary, norm_name

__all__ = ["find_terms", "affiliation", "role_type", "org_offsets"]

_DOTTED_CODE = re.compile(r"^[a-z]\.[a-z]\.$")
_TAG_BEFORE = frozenset({"-", "(", ",", "–"})
# a place after one of these is what the source deals with, not its side
_AWAY = frozenset({"to", "on", "against", "over", "about", "toward", "towards", "into",
                   "after", "following", "since", "before", "during"})
# "<relative> of <place word>": the source's family, not the source
_KIN = frozenset({"child", "children", "son", "daughter", "grandson", "granddaughter",
                  "grandchild", "grandchildren", "descendant", "parent", "father", "mother",
                  "grandfather", "grandmother", "wife", "husband", "widow", "family"})
_ARTICLES = frozenset({"the", "a", "an"})
_LANGUAGE = frozenset({"language", "speaking", "speaker", "speakers"})
_COUNTY = frozenset(COUNTY_WORDS.split("|"))


@lru_cache(maxsize=1)
def _role_max_words() -> int:
    return max((len(k) for k in role_words()), default=1)


def find_terms(words, lexicon: dict, maxlen: int) -> list[tuple[int, tuple[str, ...], object]]:
    """Longest-first matches of lexicon terms (at most ``maxlen`` words) on word (or lemma)
    sequences: (position, term, value)."""
    out, i, n = [], 0, len(words)
    lows = [w[0].replace("’", "'") for w in words]
    lemmas = [w[1] for w in words]
    while i < n:
        hit = None
        for k in range(min(maxlen, n - i), 0, -1):
            for seg in (tuple(lows[i:i + k]), tuple(lemmas[i:i + k])):
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


def _run_offsets(words, text: str) -> set[int]:
    """Offsets of the words of the first run of ``words`` that spells ``text``."""
    target = [t.lower() for t in re.findall(r"[\w.]+|[^\w\s]", text.replace("’", "'"))]
    lows = [w[0] for w in words]
    n = len(target)
    for i in range(len(lows) - n + 1):
        if lows[i:i + n] == target:
            return {w[3] for w in words[i:i + n]}
    return set()


def org_offsets(words, ents) -> set[int]:
    """Offsets of the words of the ORG entities that are not a government body: their place
    words name the organisation, not a side ("Georgetown University")."""
    out: set[int] = set()
    for label, text in ents:
        if label != "ORG":
            continue
        run = [w for w in words if w[3] in _run_offsets(words, text)]
        hits = find_terms(run, role_words(), _role_max_words())
        if not any(v[0] in OFFICIAL_TYPES for _, _, v in hits):
            out |= {w[3] for w in run}
    return out


def _adjacent(words, j: int, i: int) -> bool:
    """Whether ``words[j]`` ends right before ``words[i]`` starts (one space at most)."""
    return 0 <= j < len(words) and 0 <= words[i][3] - (words[j][3] + len(words[j][0])) <= 1


def _pointed_away(words, i: int, k: int, countries: bool) -> bool:
    """A place after "to", "on", ... (an article between), after "with" that follows no role
    word, after "<relative> of" or "which", or before "American" (a heritage), "-language" or
    a possessive."""
    j = i - 1
    while _adjacent(words, j, j + 1) and words[j][0] in _ARTICLES:
        j -= 1
    # the second of two places shares the first's preposition: "during the Korean and Vietnam
    # wars" (back over "and" and at most two words of the first)
    if _adjacent(words, j, j + 1) and words[j][0] in ("and", "or"):
        h = j - 1
        while h >= j - 2 and _adjacent(words, h, h + 1) and words[h][2] in ("PROPN", "ADJ"):
            h -= 1
        while _adjacent(words, h, h + 1) and words[h][0] in _ARTICLES:
            h -= 1
        if h < j - 1 and _adjacent(words, h, h + 1) and words[h][0] in _AWAY | {"with"}:
            j = h
    # a country after "to", "on" is where the source goes or what it deals with; a side of a
    # study's actors after them is whom it works for ("an adviser to the council")
    if countries and _adjacent(words, j, j + 1) and words[j][0] in _AWAY:
        return True
    if countries and _adjacent(words, j, j + 1) and words[j][0] == "with" and \
            _adjacent(words, j - 1, j):
        return word_role(words[j - 1]) == ("", "")
    if _adjacent(words, j, j + 1) and words[j][0] == "of" and _adjacent(words, j - 1, j) \
            and words[j - 1][1] in _KIN:
        return True
    if countries and _after_which(words, i):  # with actors: "a union, which backs the council"
        return True
    n = i + k
    if n < len(words) and words[n][0] == "-" and _adjacent(words, i + k - 1, n):
        if n + 1 < len(words) and words[n + 1][0] in _LANGUAGE:  # "Spanish-language"
            return True
        n += 1
    if k == 1 and n < len(words) and _adjacent(words, n - 1, n) and \
            words[n][0] in ("'s", "’s") and words[i][0] in country_words().demonyms:
        return True  # a demonym takes no possessive: "German's brother" names a person
    return k == 1 and n < len(words) and _adjacent(words, n - 1, n) and \
        words[n][0] in ("american", "americans")


def _after_which(words, i: int) -> bool:
    """Whether the place word is inside a clause on something else, after "which" in the same
    run of words ("a firm, which tracks Russian hackers")."""
    j = i - 1
    while _adjacent(words, j, j + 1):
        if words[j][0] == "which":
            return True
        j -= 1
    return False


def _before_county(words, n: int) -> bool:
    """Whether "County" (parish, borough, township) follows a place word ending before
    ``words[n]``."""
    return n < len(words) and _adjacent(words, n - 1, n) and words[n][0] in _COUNTY


def _before_a_title(words, n: int) -> bool:
    """Whether a person's title or role follows a place word ending before ``words[n]``, one
    party or other proper noun between ("Vermont senator", "Iowa Republican strategist")."""
    roles = role_words()
    for j in (n, n + 1):
        if not (j < len(words) and _adjacent(words, j - 1, j)):
            return False
        w = words[j]
        if any(roles.get((t,), ("", ""))[1] == "person" for t in (w[1], w[0], w[0].rstrip("."))):
            return True
        if w[2] not in ("PROPN", "ADJ"):
            return False
    return False


def _inside_a_name(words, i: int) -> bool:
    """A place word between a proper noun (no title) and another, with no person's title
    after it: part of a longer name ("Oneida Indian Nation")."""
    if not (_adjacent(words, i - 1, i) and i + 1 < len(words) and _adjacent(words, i, i + 1)):
        return False
    before, after = words[i - 1], words[i + 1]
    if before[2] != "PROPN" or after[2] != "PROPN" or is_title(before[0]):
        return False
    j = i + 1
    while j < len(words) and words[j][2] == "PROPN" and _adjacent(words, j - 1, j):
        if word_role(words[j])[1] == "person":
            return False
        j += 1
    return True


def _not_about_the_source(words, i: int, k: int, names: set[int], countries: bool = True
                          ) -> bool:
    """Whether the place word(s) ``words[i:i+k]`` say nothing about the source: inside a
    name, joined to a name by a hyphen, a state tag, pointed away from the source."""
    if any(w[3] in names for w in words[i:i + k]):
        return True
    if _pointed_away(words, i, k, countries) or (
            countries and k == 1 and _inside_a_name(words, i)):
        return True
    w = words[i]
    before = words[i - 1] if i > 0 else None
    after = words[i + k] if i + k < len(words) else None
    if k == 1 and _DOTTED_CODE.match(w[0]) and (
            (before is not None and before[0] in _TAG_BEFORE) or
            (after is not None and after[0] == ")")):
        return True
    joined = [x for x, y in ((before, w), (w, after)) if x is not None and y is not None
              and x[3] + len(x[0]) == y[3] and "-" in (x[0], y[0])]
    # a surname after a first name ("Peter Cook") where NER found no person
    named = (before is not None and before[2] == "PROPN" and w[2] == "PROPN"
             and name_gender(before[0]) != "unknown")
    return k == 1 and w[2] == "PROPN" and (bool(joined) or named or _names_a_body(words, i))


def _names_a_body(words, i: int) -> bool:
    """Whether the proper noun at ``i`` starts the name of an organisation that is not a
    government body, where NER found none: a run of proper nouns (with "of", "for") ending in a
    body or document word ("Georgia Institute of Technology", "Cook Political Report")."""
    j = i + 1
    while j < len(words) and (words[j][2] == "PROPN" or words[j][0] in ("of", "for", "the")):
        j += 1
    run = [w for w in words[i + 1:j] if w[2] == "PROPN"]
    kinds = [word_role(w) for w in run]
    return any(k in ("body", "document") for _, k in kinds) and not any(
        t in OFFICIAL_TYPES for t, _ in kinds)


def _entity_side(text: str, words, vocab: Vocabulary, skip: set[int]) -> tuple[int, str] | None:
    """(offset, side) of a GPE/NORP entity that is not a place word, or None.

    A capital-letter abbreviation that NER calls a place is read in its dotted form: "UK" is
    "u.k." (country words list bare ISO codes only dotted). Any other unlisted entity says
    nothing, and None is returned: a city the lists lack ("the Phoenix mayor") does not say
    which country, and NER's NORP also tags parties and faiths ("Republican strategist"). An
    entity inside a name, an organisation's name or a state tag says nothing either."""
    name = norm_name(text)
    if name in vocab.place_names:
        return None
    offs = _run_offsets(words, text)
    # not among the source's words (a dateline left out of them), inside a name or a state tag
    if not offs or offs & skip or any(_DOTTED_CODE.match(t.lower()) for t in text.split()):
        return None
    side = None
    if text.isalpha() and text.isupper() and 2 <= len(text) <= 3:
        side = vocab.places.get((".".join(text.lower()) + ".",))
    if not side:
        return None
    return next((w[3] for w in words if w[0] == name), -1), side


def affiliation(words, head_offset: int, vocab: Vocabulary, ents=(),
                names: set[int] = frozenset(), spoken=None) -> str:
    """The side of a source from its words (:mod:`~analysis.measures.sources.resolve`).

    Parameters
    ----------
    words : list of (lower, lemma, pos, offset)
        All the words of the source (its mentions, its role words).
    head_offset : int
        Offset of the head: a side named before it (a modifier) decides between several.
    vocab : Vocabulary
    ents : sequence of (label, text)
        Its entities (NER).
    names : set of int
        Offsets of the words of people's names (not read).
    spoken : callable, optional
        ``spoken(country_key) -> bool``: whether the article speaks of that country
        (:func:`~analysis.measures.sources.vocabulary.spoken_of`); a province of a country
        it does not speak of ties to none (:meth:`Vocabulary.side`). Without it every place
        word found counts.

    Returns
    -------
    str
        A side key, ``multiple`` or ``unknown``.
    """
    skip = set(names) | org_offsets(words, ents)
    found = [(words[i][3], aff if spoken is None else
              vocab.side(term, aff, spoken, _before_a_title(words, i + len(term)),
                         _before_county(words, i + len(term))))
             for i, term, aff in find_terms(words, vocab.places, vocab.max_words)
             if not _not_about_the_source(words, i, len(term), skip, vocab.countries)]
    found = [(off, aff) for off, aff in found if aff is not None]
    for label, text in ents:
        if label in ("GPE", "NORP"):
            hit = _entity_side(text, words, vocab, skip)
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


def role_type(words, person: bool) -> str | None:
    """Type from role words: for a person the role nearest before the name wins; person roles
    beat body roles ("Special Envoy to the United Nations Lena Fisk" is a diplomat)."""
    hits = [(i, term, val) for i, term, val in find_terms(words, role_words(), _role_max_words())
            if val[0] != "none"]
    if not hits:
        return None
    if person:
        people = [h for h in hits if h[2][1] == "person"]
        if people:
            return people[-1][2][0]
    bodies = [h for h in hits if h[2][1] in ("body", "document")]
    return (bodies[-1] if bodies else hits[-1])[2][0]

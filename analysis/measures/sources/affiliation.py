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
  opening bracket or a comma names a state, not the country whose ISO code it spells.

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

from .gender import name_gender
from .lexicons import OFFICIAL_TYPES, role_words
from .vocabulary import Vocabulary, norm_name

__all__ = ["find_terms", "affiliation", "role_type", "org_offsets"]

_DOTTED_CODE = re.compile(r"^[a-z]\.[a-z]\.$")
_TAG_BEFORE = frozenset({"-", "(", ",", "–"})


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


def _not_about_the_source(words, i: int, k: int, names: set[int]) -> bool:
    """Whether the place word(s) ``words[i:i+k]`` say nothing about the source: inside a
    name, joined to a name by a hyphen, or a state tag."""
    if any(w[3] in names for w in words[i:i + k]):
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
    roles = role_words()
    kinds = [roles.get((w[1],), roles.get((w[0],), ("", ""))) for w in run]
    return any(k in ("body", "document") for _, k in kinds) and not any(
        t in OFFICIAL_TYPES for t, _ in kinds)


def _entity_side(text: str, words, vocab: Vocabulary, skip: set[int]) -> tuple[int, str] | None:
    """(offset, side) of a GPE/NORP entity that is not a place word, or None.

    A capital-letter abbreviation that NER calls a place is read in its dotted form: "UK" is
    "u.k." (country words list bare ISO codes only dotted). Any other unlisted entity is
    ``other`` when the sides are countries (a city the lists lack); with declared actors it
    says nothing (a province or city: "the Wisconsin senator"), and None is returned. An
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
    off = next((w[3] for w in words if w[0] == name), -1)
    if side:
        return off, side
    return (-1, "other") if vocab.countries else None


def affiliation(words, head_offset: int, vocab: Vocabulary, ents=(),
                names: set[int] = frozenset()) -> str:
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

    Returns
    -------
    str
        A side key, ``multiple`` or ``unknown``.
    """
    skip = set(names) | org_offsets(words, ents)
    found = [(words[i][3], aff)
             for i, term, aff in find_terms(words, vocab.places, vocab.max_words)
             if not _not_about_the_source(words, i, len(term), skip)]
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

"""The words that tie a source to a side, taken from the study (stage 0 of the pipeline).

A source's affiliation (``source_affiliation``) is one of:

* an actor key of the study (``council``, ``union``); when the study declares no actors, the
  key of a country of :mod:`analysis.countries` (``france``, ``kenya``);
* ``other``: with actors, a country, its people or its capital that no actor claims
  ("French officials" in a study of a council and a union);
* ``multiple``: the source names several sides and no modifier before its head decides
  ("officials of the council and the union");
* ``unknown``: nothing in the text or the registry says.

The words (:attr:`Vocabulary.places`) are the actors' words (``study.actor_words()``) when the
study has actors, else the words of every country (:func:`analysis.countries.country_actors`).
With actors, a country's name or demonym that no actor claims means ``other`` ("French
officials" in a study of a council and a union); its capital and provinces do not ("the
Wisconsin senator" says nothing about a side), nor do the words of the study's ``setting``
countries ("German officials" in a study of two German parties).
The aliases (:attr:`Vocabulary.aliases`: names that stand for one source) are the generic
``lexicons/source_aliases.tsv`` plus the study's ``aliases:`` (the study wins). A
:class:`~analysis.study.Study` is hashable, so :func:`vocabulary` builds the tables once per
study and process.

Examples
--------
>>> from analysis.study import parse_study
>>> study = parse_study("actors: {council: {words: [council, city hall]}}")
>>> v = vocabulary(study)
>>> v.places[("city", "hall")], v.allowed
('council', ('council', 'other', 'multiple', 'unknown'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ...countries import country_actors, country_words
from ...study import RESERVED, Study, words_key
from .lexicons import aliases

__all__ = ["COUNTY_WORDS", "RESERVED", "Vocabulary", "norm_name", "spoken_of", "vocabulary"]


def norm_name(name: str) -> str:
    """A name as the registry and the aliases compare it.

    Parameters
    ----------
    name : str

    Returns
    -------
    str
        Lower case, spaces collapsed, curly apostrophes straight, without a leading "the "
        and a final "'s".

    Examples
    --------
    >>> norm_name("The  Harbour Office’s")
    'harbour office'
    """
    n = " ".join(name.replace("’", "'").split()).lower()
    return n.removeprefix("the ").removesuffix("'s")


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The affiliation tables of one study.

    Attributes
    ----------
    places : dict
        Word tuple (lower case) -> affiliation key: the words that tie a source to a side.
    place_names : frozenset of str
        The same words as text ("city hall"): an entity among them is not ``other``.
    aliases : dict
        Alias (as :func:`~analysis.measures.sources.registry.norm_name` gives it) -> canonical name.
    actors : tuple of str
        The study's actor keys in study order; empty when the sides are countries.
    allowed : tuple of str
        Every affiliation a source may have (the registry is checked against it): the actor
        keys or the country keys, then ``other``, ``multiple``, ``unknown``.
    max_words : int
        Words in the longest entry of ``places`` (how far a match is looked for).
    weak : frozenset
        When the sides are countries: the entries of ``places`` that are a province or state
        (they tie a source only when the article speaks of the country: :meth:`side`).
    also : dict
        When the sides are countries: a country's name that is also a province of one other
        country -> that country ("georgia" -> ``united_states``).
    """

    places: dict[tuple[str, ...], str]
    place_names: frozenset[str]
    aliases: dict[str, str]
    actors: tuple[str, ...]
    allowed: tuple[str, ...]
    max_words: int = 1
    weak: frozenset = frozenset()
    also: dict = field(default_factory=dict)

    @property
    def countries(self) -> bool:
        """True when the sides are countries (the study declares no actors)."""
        return not self.actors

    def alias_side(self, name: str) -> str | None:
        """The side a name stands for through its alias ("city hall" -> its canonical name ->
        the actor whose word that name is), or None.

        Parameters
        ----------
        name : str
            A source's name as written.

        Returns
        -------
        str or None
        """
        canonical = self.aliases.get(norm_name(name), "")
        return self.places.get(words_key(canonical)) if canonical else None

    def side(self, term: tuple[str, ...], key: str, spoken, titled: bool = False,
             county: bool = False) -> str | None:
        """The side a matched place word gives, once the article is asked which countries
        it speaks of (``spoken(key) -> bool``, :func:`spoken_of`); None when it gives none.

        With actors, or for a country's name, demonym or capital, it is ``key``. A province
        or state counts when it comes before the source's title (``titled``: "the Vermont
        senator") or when the article speaks of its country ("the tech site Pando" in an
        article that never speaks of Bolivia gives none); so does any place word that names a
        county (``county``: "Nassau County" is no capital). A name shared with another
        country's province ("Georgia") is that province's country when the article speaks of
        that one and not of the first.
        """
        if self.actors:
            return key
        if term in self.weak or county:
            return key if titled or spoken(key) else None
        alt = self.also.get(term)
        if alt is not None and spoken(alt) and not spoken(key):
            return alt
        return key

COUNTY_WORDS = "county|counties|parish|borough|township"
_CAPITALISED_BEFORE = re.compile(r"(?:^|[^\w.])[A-Z][\w'’]*[ \t]+$")


def _pattern(words) -> re.Pattern | None:
    """Words as one case-blind whole-word pattern, not before "County" and the like ("Nassau
    County" does not speak of the Bahamas); None for no words."""
    if not words:
        return None
    alts = "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]")
                    for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alts})(?![\w])(?!\s+(?:{COUNTY_WORDS})\b)",
                      re.IGNORECASE)


@lru_cache(maxsize=None)
def _country_patterns(key: str) -> tuple[re.Pattern | None, re.Pattern | None]:
    cw = country_words()
    return _pattern(cw.names.get(key, ())), _pattern(cw.provinces.get(key, ()))


def spoken_of(key: str, text: str) -> bool:
    """Whether a text speaks of the country ``key``: by a word that names no other place (its
    name, demonym or capital: :func:`analysis.countries.country_words`), or by two different
    provinces or states of it ("Iowa" and "Ohio" speak of the country whose states they
    are); a word before "County", or a province word after a capitalised word ("New
    Hampshire" is not Hampshire), does not count.

    Parameters
    ----------
    key : str
        A country key.
    text : str
        The article.

    Returns
    -------
    bool

    Examples
    --------
    >>> spoken_of("georgia", "She runs a firm in Georgia."), \\
    ...     spoken_of("georgia", "A Georgian envoy spoke.")
    (False, True)
    >>> spoken_of("united_states", "From Iowa to New Hampshire and back to Iowa.")
    True
    >>> spoken_of("united_kingdom", "In Manchester, New Hampshire.")
    False
    """
    names, provinces = _country_patterns(key)
    if names is not None and names.search(text):
        return True
    if provinces is None:
        return False
    # a province word that ends a longer name is not that province ("New Hampshire" is not
    # England's Hampshire): the word before it must not be capitalised
    found = {" ".join(m.group().lower().split()) for m in provinces.finditer(text)
             if not _CAPITALISED_BEFORE.search(text[max(0, m.start() - 40):m.start()])}
    return len(found) >= 2


@lru_cache(maxsize=16)
def vocabulary(study: Study) -> Vocabulary:
    """The affiliation tables of a study, built once per study and process.

    Parameters
    ----------
    study : Study
        A parsed study (:func:`analysis.study.resolve_study` gives one from a path).

    Returns
    -------
    Vocabulary
    """
    sides = study.actors or country_actors()
    places: dict[tuple[str, ...], str] = {}
    for actor in sides:
        for w in actor.words:
            places.setdefault(words_key(w), actor.key)
    if study.actors:  # other countries and peoples speak as "other"; their provinces do not
        for country in country_actors(places=False):
            if country.key in study.setting:  # the study's home names no side
                continue
            for w in country.words:
                places.setdefault(words_key(w), "other")
    merged = {norm_name(k): v for k, v in aliases().items()}
    merged.update({norm_name(k): v for k, v in study.alias_map().items()})
    actors = tuple(a.key for a in study.actors)
    weak, also = frozenset(), {}
    if not actors:
        cw = country_words()
        strong = {words_key(w) for ws in cw.names.values() for w in ws}
        also = dict(cw.also)
        weak = frozenset(t for t in places if t not in strong and t not in also)
    return Vocabulary(places=places, place_names=frozenset(" ".join(k) for k in places),
                      aliases=merged, actors=actors,
                      allowed=(*(a.key for a in sides), *RESERVED),
                      max_words=max((len(k) for k in places), default=1),
                      weak=weak, also=also)

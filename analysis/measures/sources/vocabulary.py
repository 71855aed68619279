"""The words that tie a source to a side, taken from the study (stage 0 of the pipeline).

A source's affiliation (``source_affiliation``) is one of:

* an actor key of the study (``council``, ``union``); when the study declares no actors, the
  key of a country of :mod:`analysis.countries` (``france``, ``kenya``);
* ``other``: a place or people the words do not list (spaCy's NER tags it GPE or NORP:
  "Ruritanian officials" in a study of a council and a union);
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

from dataclasses import dataclass
from functools import lru_cache

from ...countries import country_actors
from ...study import RESERVED, Study, words_key
from .lexicons import aliases

__all__ = ["RESERVED", "Vocabulary", "norm_name", "vocabulary"]


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
    """

    places: dict[tuple[str, ...], str]
    place_names: frozenset[str]
    aliases: dict[str, str]
    actors: tuple[str, ...]
    allowed: tuple[str, ...]
    max_words: int = 1

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
    return Vocabulary(places=places, place_names=frozenset(" ".join(k) for k in places),
                      aliases=merged, actors=actors,
                      allowed=(*(a.key for a in sides), *RESERVED),
                      max_words=max((len(k) for k in places), default=1))

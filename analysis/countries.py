"""Countries a source can be tied to when a study declares no actors.

The words come from the ``countryinfo`` package (ISO 3166 countries with their names, alternative
spellings, demonyms, capitals and provinces); nothing is listed by hand. pycountry has the ISO
names but no demonyms, which most affiliations in news rest on ("Chinese officials").

Each country becomes an :class:`analysis.actors.Actor` keyed by its name in snake case
(``south_korea``, ``new_zealand``), so ``src_share_<key>`` columns read the same whether a
study declares its sides or the countries are found. Words, in order of precedence:

1. the country's name, its alternative spellings in Latin letters that are not bare ISO codes,
   the dotted form of short capital-letter abbreviations ("UK" -> "u.k."), its demonym and the
   demonym's plural ("kenyan", "kenyans");
2. its capital and its provinces or states ("nairobi", "bavaria").

Names, spellings, capitals and provinces that are ordinary English words ("coast",
"delta", "jersey", Iceland's "Island") are left out (``lexicons/place_common_words.txt``).

A tier-1 word claimed by several countries goes to the most populous ("french" is France, not
French Polynesia); a tier-2 word claimed by several is dropped as ambiguous; a tier-1 word
beats a tier-2 word ("georgia" is the country, not a province elsewhere).

Examples
--------
>>> from analysis.countries import country_actors
>>> any(a.key == "france" and "french" in a.words for a in country_actors())
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from countryinfo import CountryInfo

from .lexicon import read_entries
from .actors import Actor, words_key

__all__ = ["CountryWords", "country_actors", "country_key", "country_words"]

_LATIN = re.compile(r"^[A-Za-z][A-Za-z .'\-]*$")


def country_key(name: str) -> str:
    """Snake-case ASCII key of a country name ("Côte d'Ivoire" -> "cote_d_ivoire")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def _plural(demonym: str) -> list[str]:
    d = demonym.lower()
    return [d, d + "s"] if d.endswith(("i", "n")) else [d]


def _tiers(info: dict, common: set[str]) -> tuple[list[str], list[str]]:
    iso = info.get("ISO") or {}
    codes = {str(iso.get("alpha2", "")), str(iso.get("alpha3", ""))}
    first = [info["name"]]
    for alt in info.get("altSpellings") or []:
        if not _LATIN.match(alt) or alt.lower() in common:
            continue
        if alt.isupper() and len(alt) <= 3:
            first.append(".".join(alt) + ".")  # "UK" -> "U.K."
            if alt in codes:
                continue  # a bare ISO code ("CAN", "PAK") is an ordinary word too often
        first.append(alt)
    if info.get("demonym"):
        first += _plural(info["demonym"])
    second = _capitals(info) + [p for p in info.get("provinces") or [] if _LATIN.match(p)]
    return ([w.lower() for w in first if w.lower() not in common],
            [w.lower() for w in second if w.lower() not in common])


def _capitals(info: dict) -> list[str]:
    capital = info.get("capital") or []
    return [c for c in ([capital] if isinstance(capital, str) else capital) if c]


@lru_cache(maxsize=1)
def _table() -> tuple[dict, dict, dict, dict, list, frozenset]:
    """The words of every country by tier, labels, populations, capitals, who claims each
    word, and the demonyms (read once from ``countryinfo``)."""
    countries = [info for info in CountryInfo.all().values()
                 if (info.get("ISO") or {}).get("alpha2") and info.get("name")]
    claims: list[dict[tuple[str, ...], set[str]]] = [{}, {}]
    words: dict[str, list[list[str]]] = {}
    labels: dict[str, str] = {}
    population: dict[str, int] = {}
    capitals: dict[str, set[str]] = {}
    common = set(read_entries("place_common_words.txt"))
    for info in countries:
        key = country_key(info["name"])
        labels[key] = info["name"]
        capitals[key] = {c.lower() for c in _capitals(info)}
        population[key] = int(info.get("population") or 0)
        words[key] = list(_tiers(info, common))
        for tier, ws in enumerate(words[key]):
            for w in ws:
                claims[tier].setdefault(words_key(w), set()).add(key)
    demonyms = frozenset(info["demonym"].lower() for info in countries if info.get("demonym"))
    return words, labels, population, capitals, claims, demonyms


@lru_cache(maxsize=2)
def country_actors(places: bool = True) -> tuple[Actor, ...]:
    """Every ISO 3166 country as an :class:`~analysis.actors.Actor`, sorted by key.

    Parameters
    ----------
    places : bool, default True
        Include provinces. Without them, the words name the country, its people or its
        capital only: what ties a source to a foreign side in a study whose actors are not
        countries ("Cuban officials", "Paris said"), where a province ("the Wisconsin
        senator") says nothing about the side.

    Returns
    -------
    tuple of Actor
        ``key`` snake-case name, ``label`` the country's name, ``words`` as in the module
        docstring (ambiguous words removed).
    """
    words, labels, population, capitals, claims, _ = _table()
    out = []
    for key in sorted(words):
        kept: list[str] = []
        for tier, ws in enumerate(words[key]):
            for w in ws:
                if tier == 1 and not places and w not in capitals[key]:
                    continue
                wk = words_key(w)
                owners = claims[tier][wk]
                if tier == 0 and key != max(owners, key=lambda k: (population[k], k)):
                    continue
                if tier == 1 and (len(owners) > 1 or wk in claims[0]):
                    continue
                if w not in kept:
                    kept.append(w)
        out.append(Actor(key, labels[key], tuple(kept)))
    return tuple(out)


class CountryWords(NamedTuple):
    """How an article speaks of each country (:func:`country_words`)."""

    names: dict[str, tuple[str, ...]]  # key -> its name, spellings, demonyms, capital
    provinces: dict[str, tuple[str, ...]]  # key -> its provinces or states
    also: dict[tuple[str, ...], str]  # a country's name that is a province elsewhere -> there
    demonyms: frozenset[str]  # singular demonyms ("german", "kenyan")


@lru_cache(maxsize=1)
def country_words() -> CountryWords:
    """The words by which an article speaks of each country.

    ``names`` are the words of :func:`country_actors` without provinces (name, spellings,
    demonyms, capital), less those that also name a province or state of another country:
    "georgia" is also a US state, "georgian" and "tbilisi" are not. ``provinces`` are the
    country's provinces or states as ``countryinfo`` lists them (ambiguous ones included:
    "georgia" is among the US states). ``also`` maps such a shared name to the one other
    country whose province it is ("georgia" -> ``united_states``).

    Returns
    -------
    CountryWords

    Examples
    --------
    >>> cw = country_words()
    >>> "georgia" in cw.names["georgia"], "tbilisi" in cw.names["georgia"]
    (False, True)
    >>> "texas" in cw.provinces["united_states"], cw.also[("georgia",)]
    (True, 'united_states')
    """
    words, _, _, capitals, claims, demonyms = _table()
    names, provinces, also = {}, {}, {}
    for actor in country_actors(places=False):
        kept = []
        for w in actor.words:
            others = claims[1].get(words_key(w), set()) - {actor.key}
            if not others:
                kept.append(w)
            elif len(others) == 1 and w not in capitals[actor.key]:
                also[words_key(w)] = next(iter(others))
        names[actor.key] = tuple(kept)
        provinces[actor.key] = tuple(w for w in words[actor.key][1]
                                     if w not in capitals[actor.key])
    return CountryWords(names, provinces, also, demonyms)

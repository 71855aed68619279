"""Word lists and tables of attribution and source classification (stage 0 of the pipeline).

Every list is read through :mod:`analysis.lexicon`, once per process (``lru_cache``):

* what cues an attribution: ``speech_verbs.txt`` (:func:`speech_cues`), and the cues that
  count only with a clause or with their particle, ``speech_verbs_clausal.txt``
  (:func:`clausal_cues`, :func:`clausal_phrases`);
* who can speak: ``agent_nouns.txt`` (:func:`agent_nouns`), and the nouns that cannot,
  ``inanimate_subjects.txt`` (:func:`inanimate_subjects`);
* what a source is: role words ``source_roles.tsv`` (:func:`role_words`, read both by the
  speaker rules and by the classification), the generic aliases ``source_aliases.tsv``
  (:func:`aliases`: bodies of no one study, such as "u.n." for the United Nations) and the
  words that give a person a gender, ``source_gender.tsv`` (:func:`gender_words`).

The words that tie a source to a side come from the study, not from here
(:mod:`analysis.measures.sources.vocabulary`). The source types :data:`TYPES` are defined here because
the tables and the registry are checked against them. The affiliations every study has
besides its actors (or countries) are :data:`analysis.study.RESERVED`.
"""

from __future__ import annotations

from functools import lru_cache

from ...errors import LexiconError
from ...lexicon import read_entries, read_table

__all__ = ["TYPES", "OFFICIAL_TYPES", "speech_cues", "clausal_cues",
           "clausal_phrases", "agent_nouns", "inanimate_subjects", "role_words", "word_role",
           "aliases", "gender_words"]

TYPES = ("government official", "military/security", "diplomat/delegation",
         "politician/campaign", "expert/analyst", "business", "civil society",
         "international organisation", "media", "unnamed/anonymous", "joint statement/document",
         "unknown")
OFFICIAL_TYPES = ("government official", "military/security", "diplomat/delegation")


# --------------------------------------------------------------------------- attribution cues


@lru_cache(maxsize=1)
def speech_cues() -> frozenset[str]:
    """Speech-verb lemmas of ``lexicons/speech_verbs.txt`` (without "according to").

    Returns
    -------
    frozenset of str
        The one-word entries of the list: a verb with one of these lemmas cues an attribution.

    Examples
    --------
    >>> "say" in speech_cues()
    True
    """
    return frozenset(e for e in read_entries("speech_verbs.txt") if " " not in e)


@lru_cache(maxsize=1)
def clausal_cues() -> frozenset[str]:
    """Cues that count only with a clause or quotation (``lexicons/speech_verbs_clausal.txt``).

    Returns
    -------
    frozenset of str
        The one-word entries of the list.
    """
    return frozenset(e for e in read_entries("speech_verbs_clausal.txt") if " " not in e)


@lru_cache(maxsize=1)
def clausal_phrases() -> frozenset[tuple[str, str]]:
    """(lemma, particle or preposition) with which a clause-only cue counts with a noun phrase
    too ("pointed to the record", "pointed out the risk").

    Returns
    -------
    frozenset of (str, str)
        The phrases of ``lexicons/speech_verbs_clausal.txt``, split after the verb.
    """
    return frozenset(tuple(e.split(maxsplit=1))
                     for e in read_entries("speech_verbs_clausal.txt") if " " in e)


# --------------------------------------------------------------------------- who can speak


@lru_cache(maxsize=1)
def agent_nouns() -> frozenset[str]:
    """Nouns of a person or a body that can speak (``lexicons/agent_nouns.txt``).

    Returns
    -------
    frozenset of str
    """
    return frozenset(read_entries("agent_nouns.txt"))


@lru_cache(maxsize=1)
def inanimate_subjects() -> frozenset[str]:
    """Event and abstract nouns that cannot be a source (``lexicons/inanimate_subjects.txt``).

    Returns
    -------
    frozenset of str
        Lemmas: a cue whose subject is one of them gives no attribution ("the dialogue
        highlighted ...").
    """
    return frozenset(read_entries("inanimate_subjects.txt"))


# --------------------------------------------------------------------------- classification


@lru_cache(maxsize=1)
def role_words() -> dict[tuple[str, ...], tuple[str, str]]:
    """Role words of ``lexicons/source_roles.tsv``: the type of source a word names.

    Returns
    -------
    dict
        Term (tuple of lower-case words) -> (type, kind): ``type`` one of :data:`TYPES` or
        ``"none"``; ``kind`` one of ``person``, ``body``, ``document``, ``title``.

    Raises
    ------
    LexiconError
        A row with an unknown type or kind (the message names the line).

    Examples
    --------
    >>> role_words()[("minister",)]
    ('government official', 'person')
    """
    out = {}
    for ln, row in read_table("source_roles.tsv", ["term", "type", "kind"]):
        if row["type"] not in TYPES and row["type"] != "none":
            raise LexiconError(f"analysis/lexicons/source_roles.tsv, line {ln}: unknown type "
                               f"'{row['type']}' (one of: {', '.join(TYPES)}, none)")
        if row["kind"] not in ("person", "body", "document", "title"):
            raise LexiconError(f"analysis/lexicons/source_roles.tsv, line {ln}: unknown kind "
                               f"'{row['kind']}' (person, body, document, title)")
        out[tuple(row["term"].split())] = (row["type"], row["kind"])
    return out


def word_role(w) -> tuple[str, str]:
    """(type, kind) of a word in :func:`role_words`, by its lemma, else its lower-case form;
    ``("", "")`` for a word that names no role.

    Parameters
    ----------
    w : tuple
        ``(lower, lemma, ...)``: a word of a mention or chain.

    Examples
    --------
    >>> word_role(("ministers", "minister")), word_role(("said", "say"))
    (('government official', 'person'), ('', ''))
    """
    roles = role_words()
    return roles.get((w[1],), roles.get((w[0],), ("", "")))


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Generic aliases of ``lexicons/source_aliases.tsv``: names that refer to one source.

    The study adds its own (``aliases:``; :func:`analysis.measures.sources.vocabulary.vocabulary`
    merges both, the study winning).

    Returns
    -------
    dict
        Alias (lower case, as :func:`~analysis.measures.sources.registry.norm_name` gives it) ->
        canonical name.

    Examples
    --------
    >>> aliases()["u.n."]
    'United Nations'
    """
    return {row["alias"]: row["canonical"]
            for _, row in read_table("source_aliases.tsv", ["alias", "canonical"])}


@lru_cache(maxsize=1)
def gender_words() -> dict[tuple[str, ...], tuple[str, str]]:
    """Gendered words of ``lexicons/source_gender.tsv``: pronouns, titles, role nouns.

    Returns
    -------
    dict
        Term (tuple of lower-case words) -> (gender, kind): ``female`` or ``male``;
        ``pronoun``, ``title`` or ``role``.

    Raises
    ------
    LexiconError
        A row with another gender or kind (the message names the line).

    Examples
    --------
    >>> gender_words()[("spokeswoman",)], gender_words()[("mr.",)]
    (('female', 'role'), ('male', 'title'))
    """
    out = {}
    for ln, row in read_table("source_gender.tsv", ["term", "gender", "kind"]):
        if row["gender"] not in ("female", "male") or \
                row["kind"] not in ("pronoun", "title", "role"):
            raise LexiconError(f"analysis/lexicons/source_gender.tsv, line {ln}: gender must be "
                               "female or male, kind pronoun, title or role")
        out[tuple(row["term"].split())] = (row["gender"], row["kind"])
    return out

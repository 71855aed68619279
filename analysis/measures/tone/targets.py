"""Who a sentence speaks of: mentions of the study's actors or an article's own target.

A :class:`Target` is matched in the shared parse (``analysis.text``) by its words, cheaply (token
arrays, no parser): a word or phrase of the target, written in lower case, matches the tokens'
lower-case forms (a single word also their lemma: "Democrats" -> "democrat"). Words of an
article's own target (``--target-column``, :func:`target_of`) are its full name and, for a name
of several words, its last word ("Ann Rose" -> "ann rose", "rose"), which must then be
a proper noun in the parse ("a rose garden" is no mention).

Simple coreference (:func:`refer_pronouns`), written to be read and checked, not to be clever:
a third-person singular pronoun (he, him, his, himself, she, her, hers, herself) refers to the
person named last before it in its sentence; if none is named before it there, to the person
named last in the previous sentence; if that sentence names none, to whoever the previous
sentence's last pronoun referred to (so "Weller spoke. He said X. He added Y." carries on). A
person is named by a target mention ending in a singular proper noun (:func:`is_person_name`) or
by a ``PERSON`` entity of spaCy's NER (run on the sentences that hold such a pronoun and the
sentence before). No gender agreement, no plural pronouns (a "they" after "Democrats" is not
followed), no nominal coreference ("the senator"): limits documented in ``docs/measures.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ...actors import words_key

__all__ = ["Target", "PRONOUNS", "TARGET_KEY", "targets_of_study", "target_of",
           "find_mentions", "is_person_name", "refer_pronouns", "doc_forms"]

PRONOUNS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
TARGET_KEY = "target"  # the key of an article's own target: tone_toward_target


def is_person_name(tag: str, capitalised: bool) -> bool:
    """Whether a mention ending in this token names a person: a singular proper noun, or a
    capitalised singular noun (the tagger reads a surname opening a sentence as ``NN``)."""
    return tag == "NNP" or (capitalised and tag == "NN")


@dataclass(frozen=True)
class Target:
    """One side or person whose treatment is measured (``tone_toward_<key>``).

    Parameters
    ----------
    key : str
        The column suffix.
    words : tuple of tuple of str
        The lower-case word tuples that mention it.
    propn_only : tuple of tuple of str
        Those of ``words`` that count only on proper nouns (a surname alone).
    """

    key: str
    words: tuple[tuple[str, ...], ...]
    propn_only: tuple[tuple[str, ...], ...] = ()


def targets_of_study(study) -> tuple[Target, ...]:
    """The study's actors as targets, in study order (their ``words``)."""
    return tuple(Target(a.key, tuple(dict.fromkeys(words_key(w) for w in a.words)))
                 for a in study.actors)


def target_of(name) -> Target | None:
    """An article's own target from its ``--target-column`` value; None when it is empty.

    Examples
    --------
    >>> t = target_of("Ann Weller")
    >>> t.words, t.propn_only
    ((('ann', 'weller'), ('weller',)), (('weller',),))
    """
    if not isinstance(name, str) or not name.strip():
        return None
    full = words_key(name)
    last = full[-1:] if len(full) > 1 and len(full[-1]) > 2 else ()
    return Target(TARGET_KEY, tuple(w for w in (full, last) if w), (last,) if last else ())


@lru_cache(maxsize=64)
def _by_first_word(targets: tuple[Target, ...]) -> dict:
    """First word -> [(words, key, proper nouns only)], longest first (stable: the first
    target wins a tie); built once per set of targets."""
    phrases: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
    for t in targets:
        for w in t.words:
            phrases.setdefault(w[0], []).append((w, t.key, w in t.propn_only))
    for found in phrases.values():
        found.sort(key=lambda p: -len(p[0]))
    return phrases


def find_mentions(tokens, targets) -> list[tuple[int, int, str]]:
    """Mentions of ``targets`` in a run of tokens: ``(start, end, key)`` token ranges.

    Parameters
    ----------
    tokens : sequence of (lower, lemma, tag, capitalised) tuples
        The tokens, from the shared parse.
    targets : sequence of Target

    Returns
    -------
    list of (int, int, str)
        Longest match first at each token, each token in at most one mention, in text order;
        a word two targets share goes to the first; adjacent words of one target are one
        mention ("Hillary Clinton" when both words are listed).
    """
    phrases = _by_first_word(tuple(targets))
    out, i = [], 0
    while i < len(tokens):
        low, lemma, _, _ = tokens[i]
        hit = None
        for first in dict.fromkeys((low, lemma)):
            for words, key, propn in phrases.get(first, ()):
                n = len(words)
                span = tokens[i:i + n]
                if len(span) < n or (propn and not (span[-1][2].startswith("NNP")
                                                    or span[-1][3])):
                    continue
                if all(w in (lo, le) if n == 1 else w == lo for w, (lo, le, _, _) in
                       zip(words, span)):
                    hit = (i, i + n, key)
                    break
            if hit:
                break
        if hit:
            if out and out[-1][1] == hit[0] and out[-1][2] == hit[2]:  # "Hillary" "Clinton"
                hit = (out.pop()[0], hit[1], hit[2])
            out.append(hit)
            i = hit[1]
        else:
            i += 1
    return out


def refer_pronouns(sentences, carry: tuple[str, ...] = ()) -> tuple[list, tuple[str, ...]]:
    """Resolve the pronouns of consecutive sentences to targets (the rule above).

    Parameters
    ----------
    sentences : sequence of (mentions, persons, pronouns, consecutive)
        Per sentence, in order: its target ``mentions`` ((start, end, key, is_person)), the
        token ranges of other ``persons`` it names ((start, end)), the token index of each
        third-person singular pronoun, and whether it follows the previous item directly.
    carry : tuple of str
        The targets the sentence before the first one leaves a pronoun to refer to.

    Returns
    -------
    referred : list of list of (int, str)
        Per sentence, (pronoun token, target key) for the pronouns that refer to a target
        (one pair per target: a name may be an actor's and the article's own target).
    carry : tuple of str
        The targets the last sentence leaves.

    Examples
    --------
    >>> refer_pronouns([([(0, 1, "gop", True)], [], [3], True),
    ...                 ([], [(0, 2)], [4], True), ([], [], [0], True)])
    ([[(3, 'gop')], [], []], ())
    """
    referred = []
    for mentions, persons, pronouns, consecutive in sentences:
        if not consecutive:
            carry = ()
        # A person named: the targets of the mentions ending at one token, or none (another).
        named: dict[int, tuple[str, ...]] = {e: () for _, e in persons}
        for _, e, k, person in mentions:
            if person:
                named[e] = (*named.get(e, ()), k)
        ends = sorted(named)
        found, ref = [], carry
        for p in sorted(pronouns):
            before = [e for e in ends if e <= p]
            ref = named[before[-1]] if before else carry
            found.extend((p, k) for k in ref)
        # What the next sentence's pronouns may refer to: whom the last pronoun referred to
        # when none is named after it, else the person named last; no one in a sentence that
        # names no one and has no pronoun.
        if pronouns and (not ends or max(pronouns) >= ends[-1]):
            carry = ref
        elif ends:
            carry = named[ends[-1]]
        else:
            carry = ()
        referred.append(found)
    return referred, carry


def doc_forms(doc) -> list[tuple[str, str, bool, bool, int]]:
    """(lower form, lemma lower-cased, proper noun, punctuation, character offset) of every
    token of a doc, read from its arrays in one pass (the tone scorer's cue matching slices it
    per sentence)."""
    from spacy.attrs import IDX, IS_PUNCT, LEMMA, LOWER, POS  # late: heavy (spaCy)
    from spacy.symbols import PROPN  # late: heavy (spaCy)

    strings = doc.vocab.strings
    low: dict[int, str] = {}
    lem: dict[int, str] = {}
    out = []
    for lo, le, pos, punct, idx in doc.to_array([LOWER, LEMMA, POS, IS_PUNCT, IDX]).tolist():
        if lo not in low:
            low[lo] = strings[lo]
        if le not in lem:
            lem[le] = strings[le].lower()
        out.append((low[lo], lem[le], pos == PROPN, bool(punct), idx))
    return out

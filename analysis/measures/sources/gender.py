"""The gender an article gives a named person source (``source_gender``).

What is inferred is the gender the **text** attributes to the person, as a reader would take
it, never the person's own gender identity, which text does not give. Evidence, in order:

1. **The article's words for that person** (``lexicons/source_gender.tsv``): "she"/"he" as
   the source of an attribution linked to the person, an honorific right before the name
   ("Mrs. Ruiz", "Mr. Dar"), a gendered role or relation in the person's phrase, right
   before the name or in an apposition after it ("spokeswoman Ana Ruiz", "Ruiz, the
   chairwoman"). The side with more words wins; a tie says nothing.
2. **The first name**, when the article's words say nothing: ``nomquamgender`` 0.1.4 (MIT;
   Van Buskirk, Clauset and Larremore 2023), whose table gives p(gf), how strongly a name is
   given to women across its sources. A name is ``female`` at p(gf) >= 0.9, ``male`` at
   p(gf) <= 0.1 (:data:`NAME_THRESHOLD`, the package's own default); between, or not in the
   table, it is ``unknown``. Initials ("J. Smith") and a bare surname give no first name.
3. Otherwise ``unknown``.

Organisations, documents, unnamed sources and unresolved pronouns have no gender (empty).

The name table is 22 MB of JSON: it loads on the first person whose text says nothing, once per
process (1.7 s and about 300 MB on the machine of ``docs/performance.md``).

Examples
--------
>>> decide({"female": 2, "male": 1}), decide({"female": 1, "male": 1}), decide({})
('female', '', '')
>>> first_name("Ann J. Weller"), first_name("J. Smith"), first_name("Weller")
('ann', '', '')
"""

from __future__ import annotations

import warnings
from functools import lru_cache

from .lexicons import gender_words

__all__ = ["GENDERS", "NAME_THRESHOLD", "decide", "first_name", "name_gender", "word_votes"]

GENDERS = ("female", "male", "unknown")
# nomquamgender's default: a name is classified when 0.5 - |0.5 - p(gf)| <= 0.1.
NAME_THRESHOLD = 0.1


def decide(votes) -> str:
    """``female`` or ``male`` when one side has more votes, else "" (nothing decided)."""
    f, m = votes.get("female", 0), votes.get("male", 0)
    return "female" if f > m else "male" if m > f else ""


def first_name(name: str) -> str:
    """The first name of a full name (lower case), "" for a single name or initials."""
    words = name.replace("’", "'").split()
    if len(words) < 2:
        return ""
    first = words[0].strip(".,").lower()
    return first if len(first) > 1 and first.replace("-", "").isalpha() else ""


@lru_cache(maxsize=1)
def _classifier():
    with warnings.catch_warnings():  # its importlib.resources.open_text is deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        import nomquamgender  # late: heavy (a 22 MB name table: 1.7 s and ~300 MB to load)

    return nomquamgender.NBGC(threshold=NAME_THRESHOLD)


@lru_cache(maxsize=100_000)
def name_gender(first: str) -> str:
    """``female``, ``male`` or ``unknown`` from a first name (nomquamgender, threshold
    :data:`NAME_THRESHOLD`).

    Examples
    --------
    >>> name_gender("ana"), name_gender("michael"), name_gender("jean")
    ('female', 'male', 'unknown')
    """
    if not first:
        return "unknown"
    label = _classifier().classify([first])[0]
    return {"gf": "female", "gm": "male"}.get(label, "unknown")


def word_votes(words, votes: dict, kinds=("title", "role")) -> dict:
    """Add the gendered words among ``words`` ((lower, lemma, ...) tuples) to ``votes``.

    A phrase ("first lady") is matched before its words; only words of the given ``kinds``
    count (pronouns are counted where they are linked, not wherever they appear).
    """
    table = gender_words()
    seq = [(w[0].replace("’", "'"), w[1]) for w in words]
    i = 0
    while i < len(seq):
        hit = None
        for k in (2, 1):
            if i + k > len(seq):
                continue
            for key in (tuple(s[0] for s in seq[i:i + k]), tuple(s[1] for s in seq[i:i + k])):
                if key in table and table[key][1] in kinds:
                    hit = (k, table[key][0])
                    break
            if hit:
                break
        if hit:
            votes[hit[1]] = votes.get(hit[1], 0) + 1
            i += hit[0]
        else:
            i += 1
    return votes

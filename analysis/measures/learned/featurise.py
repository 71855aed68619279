"""From the shared parse to the features of a learned model: terms, phrases, negation.

The one featurisation of learning and applying (``featurise:`` of the model file,
:class:`~analysis.measures.learned.model.Featurise`), so a model scores a text exactly as it
was trained. For each sentence of a :class:`~analysis.text.ParsedArticle`:

* **words**: the lower-cased form (``words: lower``) or lemma (``lemma``) of every alphabetic
  token of two letters or more; spaCy's English stop words are kept (``stop_words: keep``) or
  left out (``drop``);
* **negation**: a negator (``analysis/lexicons/negators.txt``: not, n't, no, never, without, ...)
  is not a word itself; it marks the next ``negation`` words of its clause (until punctuation)
  with ``not_`` (``not guilty`` -> ``not_guilty``);
* **phrases**: runs of 2 to ``phrases`` consecutive words of one clause, joined by a space (stop
  words between them are skipped: ``rule of law`` -> ``rule law``).

Values: ``log_count`` (1 + ln count) or ``binary`` (1 when the feature occurs in the item),
times the feature's idf (``idf: true``: the model's idf table, ``idf_unseen`` for a feature
it does not list), then ``norm: l2`` divides by the root of the sum of squares over every
feature of the item, in the model or not (so deleting a term from a model's weights changes no
other term's value).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ...lexicon import read_entries
from .model import Featurise
from .numeric import NUMERIC

__all__ = ["ItemFeatures", "featurise", "item_values", "NOT_PREFIX"]

NOT_PREFIX = "not_"


@lru_cache(maxsize=1)
def _negators() -> frozenset[str]:
    return frozenset(read_entries("negators.txt"))


@lru_cache(maxsize=4)
def _stop_words(lang: str) -> frozenset[str]:
    from spacy.util import get_lang_class  # late: heavy

    return frozenset(get_lang_class(lang).Defaults.stop_words)


@dataclass
class ItemFeatures:
    """The features of one parsed article, sentence by sentence.

    Attributes
    ----------
    counts : list of Counter
        Per sentence: feature (term or phrase) -> occurrences.
    first : list of dict
        Per sentence: feature -> (first token, last token + 1) of its first occurrence.
    numeric : dict of str to ndarray
        Per named numeric feature: its value in every sentence.
    body : ndarray of bool
        Which sentences are not headings.
    """

    counts: list[Counter]
    first: list[dict]
    numeric: dict[str, np.ndarray]
    body: np.ndarray

    def total(self) -> Counter:
        """The article's counts (every sentence, headings included)."""
        out: Counter = Counter()
        for c in self.counts:
            out.update(c)
        return out


def featurise(article, spec: Featurise) -> ItemFeatures:
    """The features of every sentence of ``article`` (a :class:`~analysis.text.ParsedArticle`).

    Examples
    --------
    >>> from analysis.text import parse_text
    >>> spec = Featurise(words="lemma", stop_words="drop")
    >>> f = featurise(parse_text("The vote was not fair. Prices rose."), spec)
    >>> sorted(f.counts[0]), sorted(f.counts[1])
    (['not_fair', 'vote', 'vote not_fair'], ['price', 'price rise', 'rise'])
    """
    from spacy.attrs import IS_ALPHA, IS_PUNCT, LEMMA, LOWER  # late: heavy

    doc = article.doc
    sents = article.sentences
    counts: list[Counter] = []
    first: list[dict] = []
    if len(doc):
        arr = doc.to_array([IS_ALPHA, IS_PUNCT, LEMMA, LOWER]).tolist()
    strings = doc.vocab.strings
    stop = _stop_words(doc.lang_) if spec.stop_words == "drop" else frozenset()
    negators = _negators()
    word_attr = 2 if spec.words == "lemma" else 3
    for s in sents:
        c: Counter = Counter()
        pos: dict = {}
        clause: list[tuple[str, int]] = []  # (word, token) of the current clause
        neg_left = 0
        for i in range(s.tok_start, s.tok_end):
            alpha, punct, lemma, lower = arr[i]
            if punct:
                clause, neg_left = [], 0
                continue
            if not alpha:
                continue
            low = strings[lower]
            if low in negators or strings[lemma].lower() in negators:
                neg_left = spec.negation
                continue
            word = strings[arr[i][word_attr]].lower()
            if word in stop or low in stop or len(word) < 2:
                continue
            if neg_left:
                word, neg_left = NOT_PREFIX + word, neg_left - 1
            clause.append((word, i))
            for n in range(1, min(spec.phrases, len(clause)) + 1):
                gram = clause[-n:]
                key = gram[0][0] if n == 1 else " ".join(w for w, _ in gram)
                c[key] += 1
                if key not in pos:
                    pos[key] = (gram[0][1], i + 1)
        counts.append(c)
        first.append(pos)
    numeric = {name: np.array([NUMERIC[name](s.text) for s in sents], dtype=float)
               for name, _, _ in spec.numeric}
    body = np.array([not s.is_heading for s in sents], dtype=bool)
    return ItemFeatures(counts, first, numeric, body)


def item_values(counts: Counter, spec: Featurise, idf: dict | None = None) -> dict[str, float]:
    """Feature -> value of one item (article or sentence): binary or 1 + ln count, times the
    idf (``idf``, else ``spec.idf_unseen``) when ``spec.idf``, then the l2 norm over every
    feature of the item."""
    if spec.value == "binary":
        values = {k: 1.0 for k, n in counts.items() if n > 0}
    else:
        values = {k: 1.0 + float(np.log(n)) for k, n in counts.items() if n > 0}
    if spec.idf:
        idf = idf or {}
        values = {k: v * idf.get(k, spec.idf_unseen) for k, v in values.items()}
    if spec.norm == "l2" and values:
        norm = float(np.sqrt(sum(v * v for v in values.values())))
        values = {k: v / norm for k, v in values.items()}
    return values

"""The learned sentence tone ``tone_learned``: a weighted lexicon trained on human ratings.

A linear model of the learned-measure format (:mod:`analysis.measures.learned.model`, ``kind:
rating``, ``unit: sentence``) shipped as ``analysis/lexicons/tone_learned.yml`` and rebuilt by
``make train-tone`` (:mod:`analysis.measures.tone.training`, which documents the data, their
licences and the recipe). Each sentence of the shared parse becomes the features of the model
file's ``featurise:`` block (:func:`analysis.measures.learned.featurise.featurise`): lower-cased
lemmas, two-word phrases within a clause, a ``not_`` mark on the words after a negator in its
clause, binary values divided by their l2 norm, and VADER's own ``vader_compound``,
``vader_pos`` and ``vader_neg`` as standardised numeric features. Its score is

    intercept + sum of weight * value over its terms and phrases
              + sum of weight * (numeric - center) / scale,

clipped to the raters' scale, -1 (negative) .. +1 (positive) (the ratings of every training
source were put on that scale). An article's ``tone_learned`` is the mean over its body
sentences (all sentences when every one is a heading), with the 95% interval of that mean over
the article's shared sentence bootstrap. Evidence (feature ``tone_learned``): the
:data:`TOP_EVIDENCE` terms or phrases whose weight times value, averaged over the body
sentences, moved the article's score most, each at its first occurrence in a body sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from types import SimpleNamespace

import numpy as np

from ...lexicon import package_text
from ...stats import percentile_interval, resample_weights
# The modules, not their names: the learned room's numeric features read VADER from this room,
# so whichever room is imported first, the other is still being initialised at this line.
from ..learned import featurise as lf
from ..learned import model as lm

__all__ = ["MODEL_FILE", "TOP_EVIDENCE", "SCALE", "LearnedTone", "tone_model", "linear_scores",
           "learned_tone", "as_sentence", "span_tone"]

MODEL_FILE = "lexicons/tone_learned.yml"  # inside the package
TOP_EVIDENCE = 5  # evidence rows per article
SCALE = (-1.0, 1.0)  # the common scale of the training ratings; scores are clipped to it


@lru_cache(maxsize=1)
def tone_model() -> lm.LearnedModel:
    """The shipped model, read once per process with the safe loader and checked."""
    text, label = package_text(MODEL_FILE)
    return lm.parse_model(text, label)


def linear_scores(model: lm.LearnedModel, values: list[dict], numeric: np.ndarray,
                  contributions: bool = False):
    """The model's score of each item, clipped to :data:`SCALE`.

    Parameters
    ----------
    model : LearnedModel
        A ``rating`` model (its one output ``value``).
    values : list of dict
        Per item: feature -> value (:func:`analysis.measures.learned.featurise.item_values`).
    numeric : numpy.ndarray, shape (n_items, n_numeric)
        The raw numeric features, in the order of ``model.featurise.numeric``.
    contributions : bool
        Also return, per item, feature -> weight * value (the terms that moved it).

    Returns
    -------
    numpy.ndarray, or (numpy.ndarray, list of dict)
    """
    w = model.weights["value"]
    table = _features(w)
    spec = model.featurise
    center = np.array([c for _, c, _ in spec.numeric])
    scale = np.array([s for _, _, s in spec.numeric])
    num_w = np.array([w.numeric.get(n, 0.0) for n, _, _ in spec.numeric])
    numeric = np.asarray(numeric, dtype=float).reshape(len(values), len(center))
    z = w.intercept + ((numeric - center) / scale) @ num_w
    parts = []
    for i, vals in enumerate(values):
        moved = {f: table[f] * v for f, v in vals.items() if f in table}
        z[i] += sum(moved.values())
        parts.append(moved)
    z = np.clip(z, *SCALE)
    return (z, parts) if contributions else z


_TABLES: dict[int, tuple] = {}  # id of a Weights -> (the Weights, its feature table)


def _features(w: lm.Weights) -> dict[str, float]:
    """``w.features()``, built once per Weights object (the shipped model's has about 9,000
    entries; a clause or an article would otherwise copy them all)."""
    hit = _TABLES.get(id(w))
    if hit is None or hit[0] is not w:
        if len(_TABLES) >= 16:  # fold models of a validation run: a few at a time
            _TABLES.clear()
        hit = _TABLES[id(w)] = (w, w.features())
    return hit[1]


@dataclass
class LearnedTone:
    """``tone_learned`` of one article: per sentence, the article's mean, interval, evidence."""

    sentences: np.ndarray  # score of every sentence, headings included
    value: float
    lo: float
    hi: float
    evidence: list[dict]


def as_sentence(doc):
    """A parsed text as an article of one sentence, for featurising (training, spans alone).

    The sentence has the fields of :class:`analysis.text.Sentence` that featurising reads (the
    registry imports this room, which must not load spaCy, so not the class itself)."""
    s = SimpleNamespace(sentence_id=0, start=0, end=len(doc.text), text=doc.text,
                        is_heading=False, tok_start=0, tok_end=len(doc), n_words=len(doc))
    return SimpleNamespace(doc=doc, sentences=[s], article_id="")


def span_tone(span, model: lm.LearnedModel | None = None) -> float:
    """The learned tone of one span (or Doc) scored alone, as one sentence.

    Examples
    --------
    >>> from analysis.text import parse_text
    >>> span_tone(parse_text("A wonderful success.").doc) > 0
    True
    """
    model = model or tone_model()
    doc = span if getattr(span, "doc", span) is span else span.as_doc()  # a Doc has no .doc
    item = lf.featurise(as_sentence(doc), model.featurise)
    return float(linear_scores(model, [lf.item_values(item.counts[0], model.featurise)],
                               _numeric_matrix(item, model))[0])


def _numeric_matrix(item: lf.ItemFeatures, model: lm.LearnedModel) -> np.ndarray:
    names = [n for n, _, _ in model.featurise.numeric]
    n = len(item.counts)
    return (np.column_stack([item.numeric[k] for k in names]) if names
            else np.zeros((n, 0)))


VADER_NUMERIC = {"vader_compound": "compound", "vader_pos": "pos", "vader_neg": "neg"}


def learned_tone(article, idx: np.ndarray, model: lm.LearnedModel | None = None,
                 vader: list[dict] | None = None) -> LearnedTone:
    """Score every sentence of a parsed article with the learned tone, and the article.

    Parameters
    ----------
    article : analysis.text.ParsedArticle
        The cleaned and parsed article.
    idx : numpy.ndarray of int, shape (n_resamples, n_sentences)
        The article's shared sentence bootstrap.
    model : LearnedModel, optional
        Default the shipped model (:func:`tone_model`).
    vader : list of dict, optional
        VADER's scores (as shipped) of every sentence, when already computed: the numeric
        features ``vader_compound``, ``vader_pos``, ``vader_neg`` read them (the same numbers
        as calling VADER again).

    Returns
    -------
    LearnedTone
        NaN value and interval for an article without sentences.

    Examples
    --------
    >>> from analysis.text import parse_text
    >>> art = parse_text("The rescue was a wonderful success. The attack killed nine people.")
    >>> t = learned_tone(art, np.zeros((0, 2), dtype=int))
    >>> bool(t.sentences[0] > 0 > t.sentences[1]), t.lo <= t.value <= t.hi
    (True, True)
    """
    model = model or tone_model()
    sents = article.sentences
    if not sents:
        nan = float("nan")
        return LearnedTone(np.zeros(0), nan, nan, nan, [])
    if vader is None:
        item = lf.featurise(article, model.featurise)
    else:
        item = lf.featurise(article, replace(model.featurise, numeric=()))
        item.numeric = {
            n: np.array([float(v[VADER_NUMERIC[n]]) for v in vader] if n in VADER_NUMERIC
                        else [lf.NUMERIC[n](s.text) for s in sents], dtype=float)
            for n, _, _ in model.featurise.numeric}
    values = [lf.item_values(c, model.featurise) for c in item.counts]
    scores, parts = linear_scores(model, values, _numeric_matrix(item, model), True)
    body = item.body if item.body.any() else np.ones(len(sents), dtype=bool)
    value = float(scores[body].mean())
    lo = hi = value
    if idx.size:
        wb = resample_weights(idx, len(sents))[:, body]
        tot = wb.sum(axis=1)
        means = np.divide(wb @ scores[body], tot, out=np.full(len(wb), np.nan), where=tot > 0)
        lo, hi = percentile_interval(means)
    return LearnedTone(scores, value, lo, hi, _evidence(article, item, parts, body))


def _evidence(article, item: lf.ItemFeatures, parts: list[dict], body: np.ndarray
              ) -> list[dict]:
    """The terms whose mean contribution over the body sentences is largest in size."""
    moved: dict[str, float] = {}
    for i in np.flatnonzero(body):
        for f, c in parts[i].items():
            moved[f] = moved.get(f, 0.0) + c
    top = sorted((f for f, c in moved.items() if c != 0), key=lambda f: (-abs(moved[f]), f))
    rows = []
    starts, doc = article.token_starts, article.doc
    for f in top[:TOP_EVIDENCE]:
        i = next(i for i in np.flatnonzero(body) if f in item.first[i])
        s = article.sentences[i]
        a, b = item.first[i][f]
        rows.append({"article_id": article.article_id, "sentence_id": s.sentence_id,
                     "feature": "tone_learned", "term": f, "start": starts[a] - s.start,
                     "end": starts[b - 1] + len(doc[b - 1].text) - s.start, "sentence": s.text})
    return rows

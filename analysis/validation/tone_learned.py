"""Validation of the learned sentence tone (``tone_learned``), cross-validated.

The NYT editorial sentences and the NewsMTSC sentences are training data of the shipped model
(:mod:`analysis.measures.tone.training`), so its own scores of them are in-sample. The figures
with a target are cross-validated instead: :func:`~analysis.measures.tone.training.
cross_validate` refits the whole recipe in each of 5 folds (NYT grouped by editorial, NewsMTSC
by article; the review and tweet snippets always in training) and scores the held-out items.

Beside it, on the same folds, items and weights: VADER's compound (no training) and a TF-IDF
ridge regression (word unigrams and bigrams of the raw text, sublinear term frequency, no parse
and no VADER: what a generic text regression reaches on the same data).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..measures.tone.learned import linear_scores, tone_model
from ..measures.tone.training import (Items, cross_validate, featurise_texts, read_sources,
                                      source_weights)

__all__ = ["LearnedCV", "learned_cv", "TFIDF_ALPHA"]

TFIDF_ALPHA = 1.0  # the baseline's ridge penalty (its CV figure barely moves from 0.5 to 3)


@dataclass
class LearnedCV:
    """Scores of every training item: cross-validated, in-sample and baselines."""

    items: Items
    cv: np.ndarray  # out-of-fold tone_learned (NaN outside the evaluated sources)
    tfidf: np.ndarray  # out-of-fold TF-IDF ridge
    in_sample: np.ndarray  # the shipped model
    vader: np.ndarray  # VADER compound

    def of(self, source: str) -> np.ndarray:
        """Positions of the items of one source, in file order."""
        return np.flatnonzero(np.array(self.items.source) == source)


def _tfidf_fitter(items: Items):
    from sklearn.feature_extraction.text import TfidfVectorizer  # late: heavy
    from sklearn.linear_model import Ridge  # late: heavy

    texts = np.array(items.texts, dtype=object)
    y, w = np.asarray(items.y, dtype=float), source_weights(items)

    def fitter(tr, te):
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        X = vec.fit_transform(texts[tr])
        ridge = Ridge(alpha=TFIDF_ALPHA, solver="sparse_cg", tol=1e-8, max_iter=100_000)
        ridge.fit(X, y[tr], sample_weight=w[tr])
        return np.clip(ridge.predict(vec.transform(texts[te])), -1.0, 1.0)
    return fitter


def learned_cv(validation_dir: Path) -> LearnedCV:
    """Read the training sources, featurise once, cross-validate the recipe and the baseline."""
    items = read_sources(validation_dir)
    values, numeric = featurise_texts(items.texts)
    cv = cross_validate(items, values, numeric)
    tfidf = cross_validate(items, values, numeric, fitter=_tfidf_fitter(items))
    in_sample = linear_scores(tone_model(), values, numeric)
    return LearnedCV(items, cv, tfidf, in_sample, numeric[:, 0])

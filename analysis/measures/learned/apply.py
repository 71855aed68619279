"""Applying learned models: an article's value, its sentence-bootstrap interval, its evidence.

:class:`LearnedScorer` is the scorer of the measure ``learned`` (one or more model files, see
:mod:`analysis.measures.learned.model`). For each model and each output it writes the value
(a probability for binary and categories, the predicted rating for a rating), its 95% interval
over the article's sentence resamples (the ``idx`` every scorer shares, :mod:`analysis.stats`:
the features of a resample are recounted from its sentences and the model applied again) and
evidence rows: the :data:`TOP_EVIDENCE` terms or phrases whose weight times value moved the
article's score most, each at its first occurrence, ``feature`` = the column.

``unit: article``: the whole text (headings included) is one item. ``unit: sentence``: each
sentence is an item; the article's value is the mean over its body sentences (all sentences
when it has no body sentence), resampled the same way.

:func:`predict` applies a model to parsed articles outside the features run (``sample``,
``agreement``, notebooks).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ...config import N_RESAMPLES
from ...stats import article_rng, bootstrap_indices, percentile_interval, resample_weights
from ...tables import Scored
from .featurise import ItemFeatures, featurise
from .model import Featurise, LearnedModel, ModelError, model_columns

__all__ = ["LearnedScorer", "predict", "predict_items", "score_articles", "TOP_EVIDENCE",
           "link"]

TOP_EVIDENCE = 5  # evidence rows per column and article


def link(z: np.ndarray, kind: str) -> np.ndarray:
    """Outputs from linear scores ``z`` (items x outputs): logistic, softmax or identity."""
    if kind == "logistic":
        return 1.0 / (1.0 + np.exp(-z))
    if kind == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    return z


class _Compiled:
    """A model's weights as arrays over the features of one article."""

    def __init__(self, model: LearnedModel):
        self.model = model
        self.outputs = model.outputs
        self.columns = model_columns(model)
        self.table = [w.features() for w in model.weights.values()]
        self.bias = np.array([w.intercept for w in model.weights.values()])
        spec = model.featurise
        self.num_names = [n for n, _, _ in spec.numeric]
        self.center = np.array([c for _, c, _ in spec.numeric])
        self.scale = np.array([s for _, _, s in spec.numeric])
        self.num_w = np.array([[w.numeric.get(n, 0.0) for w in model.weights.values()]
                               for n in self.num_names]).reshape(len(self.num_names),
                                                                 len(self.table))

    def idf(self, feats: list[str]) -> np.ndarray:
        """The idf of ``feats`` (ones without idf)."""
        spec = self.model.featurise
        if not spec.idf:
            return np.ones(len(feats))
        return np.array([self.model.idf.get(f, spec.idf_unseen) for f in feats])

    def matrix(self, feats: list[str]) -> np.ndarray:
        """(features x outputs) weights of ``feats``."""
        return np.array([[t.get(f, 0.0) for t in self.table] for f in feats]
                        ).reshape(len(feats), len(self.table))

    def numeric_part(self, values: np.ndarray) -> np.ndarray:
        """(items x outputs) from (items x numeric features) raw values."""
        if not self.num_names:
            return 0.0
        return ((values - self.center) / self.scale) @ self.num_w


def _values(counts: np.ndarray, spec: Featurise, idf: np.ndarray) -> np.ndarray:
    """Feature values of items (rows) from their counts: binary or 1 + ln, times ``idf`` (the
    features' idf, or ones), then the l2 norm."""
    present = counts > 0
    if spec.value == "binary":
        v = present.astype(float)
    else:
        v = np.where(present, 1.0 + np.log(np.where(present, counts, 1.0)), 0.0)
    v = v * idf
    if spec.norm == "l2":
        norm = np.sqrt((v * v).sum(axis=-1, keepdims=True))
        v = np.divide(v, norm, out=np.zeros_like(v), where=norm > 0)
    return v


def _table(spec: Featurise, top: int) -> np.ndarray:
    """Value of a count 0..top: 0 for 0, else 1 (binary) or 1 + ln count."""
    counts = np.arange(top + 1, dtype=float)
    if spec.value == "binary":
        return (counts > 0).astype(float)
    return np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0)


def _resampled_z(S: np.ndarray, W: np.ndarray, spec: Featurise, idf: np.ndarray,
                 wm: np.ndarray) -> np.ndarray:
    """The linear score (without intercept) of every resample: ``_values(W @ S) @ wm``, in
    less time. A feature found in one sentence only (most phrases) has, in a resample, its count
    there times the times that sentence is drawn: such features are summed by (sentence,
    count) before the resamples are, so only features of several sentences are recounted one
    by one."""
    present = S > 0
    single = present.sum(axis=0) == 1
    where = present[:, single].argmax(axis=0)  # the one sentence of each single feature
    k = S[where, np.flatnonzero(single)].astype(int)
    keys, group = np.unique(np.stack([where, k]), axis=1, return_inverse=True)
    group = group.ravel()
    a = np.bincount(group, weights=idf[single] ** 2, minlength=keys.shape[1])
    b = np.stack([np.bincount(group, weights=idf[single] * wm[single, j],
                              minlength=keys.shape[1]) for j in range(wm.shape[1])], axis=1)
    # Counts are small whole numbers, exact in floating point: they index the table as they are.
    Cm = (W @ S[:, ~single]).astype(np.intp)  # counts of the multi-sentence features
    Cs = (W[:, keys[0]] * keys[1]).astype(np.intp)  # counts of each group
    tab = _table(spec, int(max(Cm.max(initial=0), Cs.max(initial=0))))
    Vm = tab[Cm] * idf[~single]
    Vs = tab[Cs]
    dot = Vm @ wm[~single] + Vs @ b
    if spec.norm != "l2":
        return dot
    norm = np.sqrt((Vm * Vm).sum(axis=1) + (Vs * Vs) @ a)
    return np.divide(dot, norm[:, None], out=np.zeros_like(dot), where=norm[:, None] > 0)


def _matrices(item: ItemFeatures, names: list[str]):
    """(sentences x features) counts and (sentences x numeric) values of an article."""
    feats = sorted({f for c in item.counts for f in c})
    col = {f: j for j, f in enumerate(feats)}
    S = np.zeros((len(item.counts), len(feats)))
    for i, c in enumerate(item.counts):
        for f, n in c.items():
            S[i, col[f]] = n
    N = np.column_stack([item.numeric[n] for n in names]) if names else \
        np.zeros((len(item.counts), 0))
    return feats, S, N


def _score_item(cm: _Compiled, item: ItemFeatures, W: np.ndarray | None):
    """The article's outputs, the outputs of each resample (rows of ``W``, sentence weights,
    or None) and each feature's contribution to every output's linear score."""
    spec = cm.model.featurise
    feats, S, N = _matrices(item, cm.num_names)
    wm = cm.matrix(feats)
    idf = cm.idf(feats)
    n = S.shape[0]
    if cm.model.unit == "article":
        x = _values(S.sum(axis=0, keepdims=True), spec, idf)
        z = cm.bias + x @ wm + cm.numeric_part(N.mean(axis=0, keepdims=True))
        point = link(z, cm.model.link)[0]
        contrib = x[0][:, None] * wm
        res = None
        if W is not None and len(W):
            zr = _resampled_z(S, W, spec, idf, wm) + cm.bias + cm.numeric_part((W @ N) / n)
            res = link(zr, cm.model.link)
        return point, res, feats, contrib
    X = _values(S, spec, idf)
    per = link(cm.bias + X @ wm + cm.numeric_part(N), cm.model.link)  # sentences x outputs
    body = item.body if item.body.any() else np.ones(n, dtype=bool)
    point = per[body].mean(axis=0)
    contrib = (X[body][:, :, None] * wm[None, :, :]).mean(axis=0)
    res = None
    if W is not None and len(W):
        Wb = W[:, body]
        tot = Wb.sum(axis=1, keepdims=True)
        res = np.divide(Wb @ per[body], tot, out=np.full((len(W), per.shape[1]), np.nan),
                        where=tot > 0)
    return point, res, feats, contrib


def _evidence(article, item: ItemFeatures, feats, contrib, column: str, j: int,
              body_only: bool) -> list[dict]:
    c = np.abs(contrib[:, j])
    nz = np.flatnonzero(c)
    if len(nz) > TOP_EVIDENCE:  # the TOP_EVIDENCE largest, ties at the edge all kept
        edge = np.partition(c[nz], len(nz) - TOP_EVIDENCE)[len(nz) - TOP_EVIDENCE]
        nz = nz[c[nz] >= edge]
    order = sorted(nz.tolist(), key=lambda k: (-c[k], feats[k]))
    rows = []
    starts = article.token_starts
    doc = article.doc
    for k in order[:TOP_EVIDENCE]:
        f = feats[k]
        for sid, pos in enumerate(item.first):
            if f in pos and (not body_only or item.body[sid] or not item.body.any()):
                s = article.sentences[sid]
                a, b = pos[f]
                last = doc[b - 1]
                rows.append({"article_id": article.article_id, "sentence_id": s.sentence_id,
                             "feature": column, "term": f, "start": starts[a] - s.start,
                             "end": starts[b - 1] + len(last.text) - s.start,
                             "sentence": s.text})
                break
    return rows


class LearnedScorer:
    """The scorer of the measure ``learned``: the columns of every model given.

    Parameters
    ----------
    models : sequence of LearnedModel
        Loaded models (:func:`~analysis.measures.learned.model.load_model`); two with one
        name are refused.
    """

    name = "learned"

    def __init__(self, models: Iterable[LearnedModel] = ()):
        self.models = [_Compiled(m) for m in models]
        seen: dict[str, str] = {}
        for cm in self.models:
            for c in cm.columns:
                if c in seen:
                    raise ModelError(cm.model.source, None, f"column {c} is also made by "
                                     f"{seen[c]}: give one of the models another name")
                seen[c] = cm.model.source

    def columns(self) -> list[str]:
        return [t for cm in self.models for c in cm.columns for t in (c, c + "_lo", c + "_hi")]

    def score(self, article, idx: np.ndarray) -> Scored:
        cols: dict = {}
        evidence: list[dict] = []
        cache: dict[Featurise, ItemFeatures] = {}
        W = resample_weights(idx, len(article.sentences)) if self.models and idx.size else None
        for cm in self.models:
            if not article.sentences:
                cols.update({t: float("nan") for c in cm.columns for t in (c, c + "_lo",
                                                                          c + "_hi")})
                continue
            spec = cm.model.featurise
            if spec not in cache:
                cache[spec] = featurise(article, spec)
            item = cache[spec]
            point, res, feats, contrib = _score_item(cm, item, W)
            for j, c in enumerate(cm.columns):
                lo, hi = (percentile_interval(res[:, j]) if res is not None
                          else (float(point[j]), float(point[j])))
                cols.update({c: float(point[j]), c + "_lo": lo, c + "_hi": hi})
                evidence.extend(_evidence(article, item, feats, contrib, c, j,
                                          cm.model.unit == "sentence"))
        return Scored(columns=cols, evidence=evidence)


def predict_items(model: LearnedModel, items: Iterable[ItemFeatures]) -> np.ndarray:
    """(items x outputs) outputs of featurised articles (``featurise(article,
    model.featurise)``); NaN for an article without sentences."""
    cm = _Compiled(model)
    out = []
    for item in items:
        if not item.counts:
            out.append(np.full(len(cm.outputs), np.nan))
            continue
        out.append(_score_item(cm, item, None)[0])
    return np.array(out).reshape(-1, len(cm.outputs))


def predict(model: LearnedModel, articles: Iterable) -> np.ndarray:
    """(articles x outputs) outputs of parsed articles (:class:`~analysis.text.ParsedArticle`):
    for a binary model, column 0 is the probability of the positive category."""
    return predict_items(model, (featurise(a, model.featurise) for a in articles))


def score_articles(model: LearnedModel, frame, random_state: int = 0,
                   n_resamples: int = N_RESAMPLES):
    """The model's columns with their intervals for every article of ``frame`` (``article_id``,
    ``text``), each parsed with the shared parse and bootstrapped as ``features`` does.

    Returns
    -------
    DataFrame
        ``article_id`` and the columns of :class:`LearnedScorer`, in input order.
    """
    from ...text import parse_articles  # late: heavy (spaCy)

    scorer = LearnedScorer([model])
    rows = []
    for art in parse_articles(zip(frame["article_id"].astype(str), frame["text"])):
        idx = bootstrap_indices(len(art.sentences), n_resamples,
                                article_rng(random_state, art.article_id))
        rows.append({"article_id": art.article_id, **scorer.score(art, idx).columns})
    return pd.DataFrame(rows, columns=["article_id", *scorer.columns()])

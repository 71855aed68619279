"""Sentence-bootstrap intervals shared by every feature.

Each article gets its own generator, seeded from ``random_state`` and the article ID, so an
article's intervals do not depend on which other articles are processed with it, in what order,
or on which worker: the single-process and Dask engines give the same bytes.
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["article_rng", "bootstrap_indices", "rate_per_1000", "rate_interval", "mean_interval",
           "percentile_interval", "resample_weights", "unit_bootstrap_interval"]


def article_rng(random_state: int, article_id: str) -> np.random.Generator:
    digest = hashlib.sha256(str(article_id).encode("utf-8")).digest()
    return np.random.default_rng([int(random_state), int.from_bytes(digest[:8], "little")])


def bootstrap_indices(n_units: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """(n_resamples, n_units) matrix of unit indices drawn with replacement."""
    if n_units == 0 or n_resamples <= 0:
        return np.zeros((max(n_resamples, 0), 0), dtype=np.int64)
    return rng.integers(0, n_units, size=(n_resamples, n_units))


def resample_weights(idx: np.ndarray, n_units: int) -> np.ndarray:
    """(n_resamples, n_units) float matrix: how many times each unit is drawn in each resample
    of ``idx``. ``resample_weights(idx, n) @ x`` equals ``x[idx].sum(axis=1)`` (exactly, for
    integer-valued ``x`` below 2**53), for many columns of ``x`` in one matrix product."""
    idx = np.asarray(idx)
    n_res = idx.shape[0]
    if n_units == 0 or idx.size == 0:
        return np.zeros((n_res, n_units))
    flat = (idx + (np.arange(n_res, dtype=idx.dtype) * n_units)[:, None]).ravel()
    return np.bincount(flat, minlength=n_res * n_units).reshape(n_res, n_units).astype(float)


def percentile_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return (float("nan"), float("nan"))
    a = (1 - level) / 2
    lo, hi = np.quantile(values, [a, 1 - a])
    return float(lo), float(hi)


def rate_per_1000(counts, words) -> float:
    words_total = float(np.sum(words))
    return float(np.sum(counts)) * 1000.0 / words_total if words_total > 0 else 0.0


def rate_interval(counts, words, idx: np.ndarray) -> tuple[float, float]:
    """95% interval of sum(counts)/sum(words)*1000 over sentence resamples ``idx``."""
    counts = np.asarray(counts, dtype=float)
    words = np.asarray(words, dtype=float)
    if idx.size == 0:
        r = rate_per_1000(counts, words)
        return r, r
    c, w = counts[idx].sum(axis=1), words[idx].sum(axis=1)
    rates = np.divide(c * 1000.0, w, out=np.zeros_like(c), where=w > 0)
    return percentile_interval(rates)


def mean_interval(values, idx: np.ndarray) -> tuple[float, float]:
    """95% interval of the mean of per-sentence ``values`` over resamples ``idx``."""
    values = np.asarray(values, dtype=float)
    if idx.size == 0:
        m = float(values.mean()) if values.size else float("nan")
        return m, m
    return percentile_interval(values[idx].mean(axis=1))


def unit_bootstrap_interval(statistic, n_units: int, *, strata=None, n_resamples: int = 2000,
                            seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of ``statistic(indices)`` over resamples of ``n_units`` units drawn
    with replacement (validation figures: articles, sentences, annotation files).

    ``strata`` (one label per unit) resamples within each stratum, keeping its size: for a
    ROC AUC, every resample keeps the numbers of positives and negatives. Resamples where the
    statistic is undefined (NaN) are left out. Seeded: the same call gives the same interval."""
    rng = np.random.default_rng(seed)
    if strata is None:
        groups = [np.arange(n_units)]
    else:
        labels = np.asarray(strata)
        groups = [np.flatnonzero(labels == v) for v in sorted(set(labels.tolist()))]
    values = np.empty(n_resamples)
    for r in range(n_resamples):
        idx = np.concatenate([g[rng.integers(0, len(g), size=len(g))] for g in groups])
        values[r] = statistic(idx)
    return percentile_interval(values, level)

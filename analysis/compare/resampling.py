"""Vectorised resampling: article bootstraps, permutation and sign-flip tests, and the
Benjamini–Hochberg adjustment, shared by every stage of :mod:`analysis.compare`.

A resample is a row of a weight matrix (how often each article is drawn,
:func:`analysis.stats.resample_weights`) and a permutation a row of a 0/1 membership matrix, so
the means of all measures in all resamples are one matrix product, done in chunks of
:data:`CHUNK` elements to bound memory.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..stats import resample_weights

LEVEL = 0.95
CHUNK = 4_000_000  # weight-matrix elements per chunk (32 MB of float64)


def nan_means(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``sums / counts`` element-wise, NaN where ``counts`` is 0.

    Parameters
    ----------
    sums, counts : ndarray
        Of the same shape (or broadcastable to ``sums``).

    Returns
    -------
    ndarray
    """
    return np.divide(sums, counts, out=np.full(sums.shape, np.nan), where=counts > 0)


def bootstrap_means(values: np.ndarray, n_resamples: int, rng: np.random.Generator
                    ) -> np.ndarray:
    """Column means of ``values`` over resamples of its rows drawn with replacement.

    Parameters
    ----------
    values : ndarray of shape (n, m)
        One row per unit (article or event); NaN cells are left out of each mean.
    n_resamples : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of shape (n_resamples, m)
        All NaN when there are no rows.
    """
    n, m = values.shape
    out = np.full((n_resamples, m), np.nan)
    if n == 0 or n_resamples <= 0:
        return out
    present = ~np.isnan(values)
    filled = np.where(present, values, 0.0)
    present = present.astype(float)
    step = max(1, CHUNK // n)
    for s in range(0, n_resamples, step):
        k = min(step, n_resamples - s)
        w = resample_weights(rng.integers(0, n, size=(k, n)), n)
        out[s:s + k] = nan_means(w @ filled, w @ present)
    return out


def percentile_interval(draws: np.ndarray, level: float = LEVEL
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise percentile interval of bootstrap draws, NaN draws left out.

    Parameters
    ----------
    draws : ndarray of shape (n_resamples, m)
    level : float, default 0.95

    Returns
    -------
    (ndarray, ndarray)
        Lower and upper bounds, each of length ``m`` (NaN for an all-NaN column).
    """
    a = (1 - level) / 2
    if draws.shape[0] == 0 or draws.shape[1] == 0:
        nan = np.full(draws.shape[1], np.nan)
        return nan, nan.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns give NaN
        lo, hi = np.nanquantile(draws, [a, 1 - a], axis=0)
    return lo, hi


def nan_column_means(values: np.ndarray) -> np.ndarray:
    """Column means of ``values`` without its NaN cells (NaN for an all-NaN column).

    Parameters
    ----------
    values : ndarray of shape (n, m)

    Returns
    -------
    ndarray of shape (m,)
    """
    present = ~np.isnan(values)
    return nan_means(np.where(present, values, 0.0).sum(axis=0), present.sum(axis=0))


def _at_least(stat: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Per column, how many rows of ``stat`` are at least as extreme (two-sided) as
    ``observed``; a small relative tolerance counts float ties as ties."""
    obs = np.abs(observed)
    tol = 1e-9 * (1.0 + obs)
    return (np.abs(stat) >= obs - tol).sum(axis=0)


def permutation_counts(a: np.ndarray, r: np.ndarray, n_permutations: int,
                       rng: np.random.Generator) -> np.ndarray:
    """Permutation test of a difference of column means between two groups of rows.

    Counts, for each column, how many of ``n_permutations`` random relabellings of the pooled
    rows of ``a`` and ``r`` (group sizes kept) give a difference of means at least as extreme
    as the observed one. Each permutation is one row of a 0/1 membership matrix, so every
    measure is tested on the same relabellings.

    Parameters
    ----------
    a, r : ndarray of shape (n_a, m) and (n_r, m)
        The two groups' articles; NaN cells are left out of the means.
    n_permutations : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of int64, shape (m,)
    """
    pooled = np.vstack([a, r])
    n_a, n = len(a), len(a) + len(r)
    present = ~np.isnan(pooled)
    filled = np.where(present, pooled, 0.0)
    present = present.astype(float)
    tot_s, tot_c = filled.sum(axis=0), present.sum(axis=0)
    observed = nan_column_means(a) - nan_column_means(r)
    base = np.zeros(n)
    base[:n_a] = 1.0
    hits = np.zeros(pooled.shape[1], dtype=np.int64)
    step = max(1, CHUNK // n)
    for s in range(0, n_permutations, step):
        k = min(step, n_permutations - s)
        member = rng.permuted(np.broadcast_to(base, (k, n)), axis=1)
        s_a, c_a = member @ filled, member @ present
        diff = nan_means(s_a, c_a) - nan_means(tot_s - s_a, tot_c - c_a)
        hits += _at_least(diff, observed)
    return hits


def signflip_counts(d: np.ndarray, n_permutations: int, rng: np.random.Generator
                    ) -> np.ndarray:
    """Sign-flip test of the mean of paired (event) differences.

    Counts, for each column, how many of ``n_permutations`` random sign flips of the rows give
    a mean at least as extreme as the observed one.

    Parameters
    ----------
    d : ndarray of shape (events, m)
        Event differences; NaN where the event is not shared.
    n_permutations : int
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of int64, shape (m,)
    """
    e = d.shape[0]
    present = ~np.isnan(d)
    filled = np.where(present, d, 0.0)
    counts = present.sum(axis=0).astype(float)
    observed = nan_column_means(d)
    hits = np.zeros(d.shape[1], dtype=np.int64)
    step = max(1, CHUNK // max(e, 1))
    for s in range(0, n_permutations, step):
        k = min(step, n_permutations - s)
        signs = rng.integers(0, 2, size=(k, e)) * 2.0 - 1.0
        stat = nan_means(signs @ filled, np.broadcast_to(counts, (k, d.shape[1])))
        hits += _at_least(stat, observed)
    return hits


def auto_permutations(n_tests: int, alpha: float = 0.05) -> int:
    """The number of permutations used when ``n_permutations`` is None.

    At least 1,999, and enough that the smallest attainable p-value, ``1 / (m + 1)``, is at
    most half the Benjamini–Hochberg threshold of the first-ranked test, ``alpha / n_tests``,
    so a clear effect can reach significance however many tests the table holds. Rounded up to
    a whole thousand, minus one.

    Parameters
    ----------
    n_tests : int
        Tests in the table (contrasts x measures).
    alpha : float, default 0.05

    Returns
    -------
    int

    Examples
    --------
    >>> auto_permutations(10), auto_permutations(210)
    (1999, 8999)
    """
    need = math.ceil(2 * max(int(n_tests), 1) / alpha)
    return max(1999, int(math.ceil(need / 1000.0)) * 1000 - 1)


def bh_adjust(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (statsmodels ``multipletests(method="fdr_bh")``).

    Parameters
    ----------
    p : ndarray of float
        NaN entries are left out of the adjustment and stay NaN.

    Returns
    -------
    ndarray of float
    """
    from statsmodels.stats.multitest import multipletests  # late: heavy

    out = np.full(len(p), np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return out

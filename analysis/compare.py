"""Comparisons between groups of articles: group means, contrasts, paired events, time and
distinctive words.

The unit of inference is the article, or the event when ``pair_by`` pairs the groups on the same
events: every interval resamples articles (or events), never sentences, and every test permutes
article labels (or flips the signs of event differences).

Which library does what
-----------------------
- numpy: every bootstrap and permutation, vectorised: a resample is a row of a weight matrix
  (how often each article is drawn, :func:`analysis.stats.resample_weights`), so the means of all
  measures in all resamples are one matrix product, done in chunks to bound memory.
- statsmodels: the Benjamini–Hochberg adjustment (``multipletests(method="fdr_bh")``) and the OLS
  fits with cluster-robust or heteroscedasticity-robust errors of :func:`adjusted_contrasts`.
- scikit-learn and scipy: TF-IDF, cosine similarity and the clustered order of
  :func:`tfidf_similarity`; standardisation and PCA of :func:`framing_map` (as notebook 04).
- spaCy (through :func:`analysis.text.parse_articles`): the lemmas counted by
  :func:`lemma_counts`.

scikit-learn, scipy, statsmodels and spaCy are imported inside the functions that use them, so
that ``import analysis.compare`` stays quick for notebooks that only summarise tables.

Conventions
-----------
- Groups are the distinct non-empty values of the ``by`` column, as text, sorted by name.
  Articles with an empty or missing group are left out (their number is in ``.attrs``).
- Every returned table has a fixed column order, rows in a documented order, and floats rounded
  to :data:`analysis.tables.DECIMALS` decimals, so the same input gives the same bytes.
- Articles are taken in ``article_id`` order (when the table has one), so shuffling the input
  rows changes nothing.
- Randomness comes only from ``random_state``. Each group, contrast or cell draws from its own
  generator, seeded from ``random_state`` and its name, so its interval does not depend on which
  other groups are in the table.
- Intervals are 95% percentile intervals; p-values are two-sided, ``(b + 1) / (m + 1)`` for
  ``b`` of ``m`` permuted statistics at least as extreme as the observed one.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from .stats import article_rng, resample_weights
from .tables import DECIMALS

__all__ = ["measures", "measure_families", "group_labels", "largest_groups", "group_summary",
           "contrasts", "adjusted_contrasts", "time_summary", "choose_period", "source_shares",
           "distinctive_terms", "lemma_counts", "lemma_counts_from_parsed", "tfidf_similarity",
           "Similarity", "framing_map", "FramingMap", "auto_permutations", "CUE_RATES",
           "INTERVAL_SUFFIXES", "PERIODS", "OTHER", "article_texts", "sparse_tfidf",
           "group_membership", "group_mean_similarity"]

CUE_RATES = ("optimism", "caution", "hedging", "boosting")
INTERVAL_SUFFIXES = ("_lo", "_hi")
PERIODS = {"W": "week", "M": "month", "Q": "quarter"}
OTHER = "other groups"  # label of pooled groups (figures)
LEVEL = 0.95
_CHUNK = 4_000_000  # weight-matrix elements per chunk (32 MB of float64)


# --------------------------------------------------------------------------------------------
# Columns and groups
# --------------------------------------------------------------------------------------------

def _is_measure_dtype(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def measure_families(features: pd.DataFrame) -> dict[str, list[str]]:
    """The framing measure columns of a features table, by family.

    Parameters
    ----------
    features : DataFrame
        A features table (``features.csv``).

    Returns
    -------
    dict
        ``{"tone": [...], "emphasis": [...], "sources": [...]}``. Tone: ``net_optimism``,
        ``tone_*`` and the cue rates (:data:`CUE_RATES`); emphasis: ``emph_*`` (rates and
        ``_share`` twins); sources: ``src_*`` (counts, shares, indices). Only numeric,
        non-boolean point estimates: interval bounds (``_lo``, ``_hi``), IDs, metadata and
        text columns are left out. Within a family, columns keep their order in the table.

    Example
    -------
    >>> measure_families(pd.DataFrame({"net_optimism": [0.1], "net_optimism_lo": [0.0],
    ...                                "emph_economics": [2.0], "outlet": ["a"]}))
    {'tone': ['net_optimism'], 'emphasis': ['emph_economics'], 'sources': []}
    """
    numeric = [c for c in features.columns if isinstance(c, str) and _is_measure_dtype(features[c])
               and not c.endswith(INTERVAL_SUFFIXES)]
    return {
        "tone": [c for c in numeric if c == "net_optimism" or c.startswith("tone_")
                 or c in CUE_RATES],
        "emphasis": [c for c in numeric if c.startswith("emph_")],
        "sources": [c for c in numeric if c.startswith("src_")],
    }


def measures(features: pd.DataFrame) -> list[str]:
    """The framing measure columns (point estimates) of a features table, in a fixed order:
    tone, then emphasis, then sources (see :func:`measure_families`), each in table order.

    Parameters
    ----------
    features : DataFrame
        A features table.

    Returns
    -------
    list of str

    Example
    -------
    >>> measures(pd.DataFrame({"src_entropy": [1.0], "n_words": [300], "net_optimism": [0.1],
    ...                        "net_optimism_hi": [0.2]}))
    ['net_optimism', 'src_entropy']
    """
    return [c for cols in measure_families(features).values() for c in cols]


def _text(values) -> pd.Series:
    """Values as stripped text; missing values become ""."""
    s = pd.Series(values)
    missing = s.isna().to_numpy()
    out = s.astype(str).str.strip().to_numpy(dtype=object)
    out[missing] = ""
    return pd.Series(out, dtype=object)


def group_labels(features: pd.DataFrame, by: str) -> pd.Series:
    """The group of every article as text ("" when missing), indexed like ``features``.

    Parameters
    ----------
    features : DataFrame
    by : str
        Column holding the group (outlet, genre, ...).

    Returns
    -------
    Series of str

    Example
    -------
    >>> group_labels(pd.DataFrame({"outlet": ["a", None, 3]}), "outlet").tolist()
    ['a', '', '3']
    """
    if by not in features.columns:
        raise KeyError(f"no column '{by}' in the features table "
                       f"(columns: {', '.join(map(str, features.columns[:30]))})")
    out = _text(features[by].to_numpy())
    out.index = features.index
    return out


def largest_groups(labels, k: int | None = None) -> list[str]:
    """Group names by size, largest first (ties by name); the first ``k`` when given.
    Empty labels are not a group.

    Example
    -------
    >>> largest_groups(["b", "a", "b", "c", "a", ""], 2)
    ['a', 'b']
    """
    counts = Counter(str(v) for v in labels if str(v) != "")
    ranked = sorted(counts, key=lambda g: (-counts[g], g))
    return ranked if k is None else ranked[:k]


def _in_order(features: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by ``article_id`` (stable) when there is one, so that results do not depend
    on the order of the input rows."""
    if "article_id" not in features.columns:
        return features
    ids = _text(features["article_id"].to_numpy()).to_numpy()
    order = np.argsort(ids, kind="stable")
    return features.iloc[order]


def _measure_list(features: pd.DataFrame, cols) -> list[str]:
    if cols is None:
        cols = measures(features)
    elif isinstance(cols, str):
        cols = [cols]
    cols = list(dict.fromkeys(cols))
    missing = [c for c in cols if c not in features.columns]
    if missing:
        raise KeyError(f"no measure column(s) {', '.join(missing)} in the features table")
    return cols


def _values(features: pd.DataFrame, cols: list[str]) -> np.ndarray:
    if not cols:
        return np.zeros((len(features), 0))
    return features[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)


def _round(df: pd.DataFrame) -> pd.DataFrame:
    for c in df.columns:
        if pd.api.types.is_float_dtype(df[c]):
            df[c] = df[c].round(DECIMALS) + 0.0  # + 0.0: no "-0.0" in the output
    return df


def _rng(random_state: int, key: str) -> np.random.Generator:
    return article_rng(random_state, key)


# --------------------------------------------------------------------------------------------
# Vectorised resampling
# --------------------------------------------------------------------------------------------

def _nan_means(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    return np.divide(sums, counts, out=np.full(sums.shape, np.nan), where=counts > 0)


def _bootstrap_means(values: np.ndarray, n_resamples: int, rng: np.random.Generator
                     ) -> np.ndarray:
    """(n_resamples, m) means of the columns of ``values`` (n units x m) over resamples of the
    units drawn with replacement; NaN cells are left out of each mean."""
    n, m = values.shape
    out = np.full((n_resamples, m), np.nan)
    if n == 0 or n_resamples <= 0:
        return out
    present = ~np.isnan(values)
    filled = np.where(present, values, 0.0)
    present = present.astype(float)
    step = max(1, _CHUNK // n)
    for s in range(0, n_resamples, step):
        k = min(step, n_resamples - s)
        w = resample_weights(rng.integers(0, n, size=(k, n)), n)
        out[s:s + k] = _nan_means(w @ filled, w @ present)
    return out


def _quantiles(draws: np.ndarray, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise percentile interval of ``draws`` (resamples x m), NaN draws left out."""
    a = (1 - level) / 2
    if draws.shape[0] == 0 or draws.shape[1] == 0:
        nan = np.full(draws.shape[1], np.nan)
        return nan, nan.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns give NaN
        lo, hi = np.nanquantile(draws, [a, 1 - a], axis=0)
    return lo, hi


def _mean(values: np.ndarray) -> np.ndarray:
    present = ~np.isnan(values)
    return _nan_means(np.where(present, values, 0.0).sum(axis=0), present.sum(axis=0))


def _at_least(stat: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Per column, how many rows of ``stat`` are at least as extreme (two-sided) as
    ``observed``; a small relative tolerance counts float ties as ties."""
    obs = np.abs(observed)
    tol = 1e-9 * (1.0 + obs)
    return (np.abs(stat) >= obs - tol).sum(axis=0)


def _permutation_counts(a: np.ndarray, r: np.ndarray, n_permutations: int,
                        rng: np.random.Generator) -> np.ndarray:
    """For each column: how many of ``n_permutations`` random relabellings of the pooled rows
    of ``a`` and ``r`` (group sizes kept) give a difference of means at least as extreme as the
    observed one. Each permutation is one row of a 0/1 membership matrix, so every measure is
    tested on the same relabellings."""
    pooled = np.vstack([a, r])
    n_a, n = len(a), len(a) + len(r)
    present = ~np.isnan(pooled)
    filled = np.where(present, pooled, 0.0)
    present = present.astype(float)
    tot_s, tot_c = filled.sum(axis=0), present.sum(axis=0)
    observed = _mean(a) - _mean(r)
    base = np.zeros(n)
    base[:n_a] = 1.0
    hits = np.zeros(pooled.shape[1], dtype=np.int64)
    step = max(1, _CHUNK // n)
    for s in range(0, n_permutations, step):
        k = min(step, n_permutations - s)
        member = rng.permuted(np.broadcast_to(base, (k, n)), axis=1)
        s_a, c_a = member @ filled, member @ present
        diff = _nan_means(s_a, c_a) - _nan_means(tot_s - s_a, tot_c - c_a)
        hits += _at_least(diff, observed)
    return hits


def _signflip_counts(d: np.ndarray, n_permutations: int, rng: np.random.Generator
                     ) -> np.ndarray:
    """For each column of event differences ``d`` (events x m, NaN = event not shared): how many
    of ``n_permutations`` random sign flips give a mean at least as extreme as the observed."""
    e = d.shape[0]
    present = ~np.isnan(d)
    filled = np.where(present, d, 0.0)
    counts = present.sum(axis=0).astype(float)
    observed = _mean(d)
    hits = np.zeros(d.shape[1], dtype=np.int64)
    step = max(1, _CHUNK // max(e, 1))
    for s in range(0, n_permutations, step):
        k = min(step, n_permutations - s)
        signs = rng.integers(0, 2, size=(k, e)) * 2.0 - 1.0
        stat = _nan_means(signs @ filled, np.broadcast_to(counts, (k, d.shape[1])))
        hits += _at_least(stat, observed)
    return hits


def auto_permutations(n_tests: int, alpha: float = 0.05) -> int:
    """The number of permutations used when ``n_permutations`` is None: at least 1,999, and
    enough that the smallest attainable p-value, ``1 / (m + 1)``, is at most half the
    Benjamini–Hochberg threshold of the first-ranked test, ``alpha / n_tests``, so a clear
    effect can reach significance however many tests the table holds. Rounded up to a whole
    thousand, minus one.

    Example
    -------
    >>> auto_permutations(10), auto_permutations(210)
    (1999, 8999)
    """
    need = math.ceil(2 * max(int(n_tests), 1) / alpha)
    return max(1999, int(math.ceil(need / 1000.0)) * 1000 - 1)


def _bh(p: np.ndarray) -> np.ndarray:
    from statsmodels.stats.multitest import multipletests

    out = np.full(len(p), np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return out


# --------------------------------------------------------------------------------------------
# Group summaries
# --------------------------------------------------------------------------------------------

SUMMARY_COLUMNS = ["measure", "group", "n", "mean", "median", "lo", "hi"]


def group_summary(features: pd.DataFrame, by: str | None, measures=None, n_resamples: int = 2000,
                  random_state: int = 0) -> pd.DataFrame:
    """Mean, median and 95% article-bootstrap interval of every measure in every group.

    Parameters
    ----------
    features : DataFrame
        One row per article.
    by : str or None
        The group column; None puts every article in one group, ``"all"``.
    measures : list of str, optional
        Measure columns; default :func:`measures` of ``features``.
    n_resamples : int, default 2000
        Bootstrap resamples of the group's articles (drawn with replacement, group size kept).
    random_state : int, default 0
        Seed; each group draws from its own generator (seeded with its name).

    Returns
    -------
    DataFrame
        Columns ``measure, group, n, mean, median, lo, hi``: ``n`` articles with a value of the
        measure, their ``mean`` and ``median``, and the 95% percentile interval of the mean
        (``lo``, ``hi``; equal to the mean for one article, NaN for none). Rows by measure (in
        ``measures`` order), then group name. ``.attrs["n_without_group"]``: articles left out
        because their group is empty.

    Example
    -------
    >>> df = pd.DataFrame({"outlet": ["a", "a", "b"], "net_optimism": [0.1, 0.3, -0.2]})
    >>> group_summary(df, "outlet", n_resamples=200)[["group", "n", "mean"]]
      group  n  mean
    0     a  2   0.2
    1     b  1  -0.2
    """
    features = _in_order(features)
    cols = _measure_list(features, measures)
    labels = (pd.Series("all", index=features.index, dtype=object) if by is None
              else group_labels(features, by))
    keep = labels != ""
    values = _values(features, cols)[keep.to_numpy()]
    labels = labels[keep].to_numpy()
    groups = sorted(set(labels.tolist()))
    rows = []
    for g in groups:
        x = values[labels == g]
        draws = _bootstrap_means(x, n_resamples, _rng(random_state, f"group:{g}"))
        lo, hi = _quantiles(draws)
        n = (~np.isnan(x)).sum(axis=0)
        mean = _mean(x)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            median = np.nanmedian(x, axis=0) if len(x) else np.full(len(cols), np.nan)
        for j, c in enumerate(cols):
            rows.append({"measure": c, "group": g, "n": int(n[j]), "mean": mean[j],
                         "median": median[j], "lo": lo[j] if n[j] else np.nan,
                         "hi": hi[j] if n[j] else np.nan})
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    order = {c: i for i, c in enumerate(cols)}
    out = out.sort_values(["measure", "group"], key=lambda s: s.map(order) if s.name == "measure"
                          else s, kind="stable").reset_index(drop=True)
    out = _round(out)
    out.attrs["n_without_group"] = int((~keep).sum())
    out.attrs["n_resamples"] = int(n_resamples)
    return out


# --------------------------------------------------------------------------------------------
# Contrasts
# --------------------------------------------------------------------------------------------

CONTRAST_COLUMNS = ["measure", "group", "reference", "paired", "n", "n_reference", "n_pairs",
                    "mean", "mean_reference", "difference", "lo", "hi", "p", "p_adjusted"]


def _pairs(groups: list[str], sizes: dict[str, int], reference) -> list[tuple[str, str]]:
    if not groups:
        return []
    if reference is None:
        ref = largest_groups([g for g in groups for _ in range(sizes[g])], 1)[0]
        return [(g, ref) for g in groups if g != ref]
    if reference == "all-pairs":
        return list(combinations(groups, 2))
    ref = str(reference)
    if ref not in groups:
        raise ValueError(f"reference group '{ref}' is not one of the groups: "
                         f"{', '.join(groups[:20])}")
    return [(g, ref) for g in groups if g != ref]


def contrasts(features: pd.DataFrame, by: str, reference=None, pair_by: str | None = None,
              measures=None, n_resamples: int = 2000, n_permutations: int | None = None,
              random_state: int = 0, alpha: float = 0.05) -> pd.DataFrame:
    """Differences in mean between groups, with 95% bootstrap intervals, permutation p-values
    and Benjamini–Hochberg adjusted p-values.

    Parameters
    ----------
    features : DataFrame
        One row per article.
    by : str
        The group column.
    reference : None, "all-pairs" or str, default None
        None: every group against the largest group (most articles; ties by name). A group
        name: every other group against it. ``"all-pairs"``: every pair of groups once, the
        group first by name minus the other.
    pair_by : str, optional
        The event (story) column. When given, the comparison is paired: for each event covered
        by both groups, the difference of the two groups' mean in that event; the contrast is
        the average of those differences over the ``n_pairs`` shared events. Events only one
        group covered, and articles without an event, are left out. This removes differences of
        agenda (which events a group covers) from differences of framing.
    measures : list of str, optional
        Default :func:`measures` of ``features``.
    n_resamples : int, default 2000
        Bootstrap resamples: of articles within each group (unpaired), of shared events (paired).
    n_permutations : int, optional
        Permutations per contrast: random relabellings of the two groups' articles with group
        sizes kept (unpaired), random sign flips of the event differences (paired). Default
        :func:`auto_permutations` of the number of tests in the table.
    random_state : int, default 0
        Seed; each contrast draws from its own generators (seeded with the two group names).
    alpha : float, default 0.05
        Only used to choose the default ``n_permutations``.

    Returns
    -------
    DataFrame
        Columns ``measure, group, reference, paired, n, n_reference, n_pairs, mean,
        mean_reference, difference, lo, hi, p, p_adjusted``. ``difference`` = ``mean`` (of
        ``group``) minus ``mean_reference``; paired, both means are over the shared events
        (mean of the event means). ``n``, ``n_reference``: articles with a value (paired: in the
        shared events); ``n_pairs``: shared events (missing when unpaired). ``p``: two-sided,
        ``(b + 1) / (m + 1)``; ``lo``/``hi`` are missing when a group has fewer than two
        articles (paired: fewer than two shared events), whose bootstrap has no spread;
        ``p_adjusted``: Benjamini–Hochberg over every row of the table
        (statsmodels ``multipletests(method="fdr_bh")``). Rows by measure, then pair. Empty (with
        these columns) when there are fewer than two groups. ``.attrs``: ``n_permutations``,
        ``n_resamples``, ``paired``, ``n_without_group``.

    Example
    -------
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({"outlet": ["a"] * 30 + ["b"] * 20,
    ...                    "net_optimism": np.r_[rng.normal(0, 1, 30), rng.normal(2, 1, 20)]})
    >>> t = contrasts(df, "outlet", n_resamples=500, n_permutations=999)
    >>> t[["group", "reference", "n", "n_reference"]].values.tolist()
    [['b', 'a', 20, 30]]
    >>> bool(t["lo"].iloc[0] > 0 and t["p"].iloc[0] == 0.001)
    True
    """
    features = _in_order(features)
    cols = _measure_list(features, measures)
    labels = group_labels(features, by)
    keep = (labels != "").to_numpy().copy()
    if pair_by is not None:
        events = group_labels(features, pair_by)
        keep &= (events != "").to_numpy()
        events = events.to_numpy()[keep]
    values = _values(features, cols)[keep]
    labels = labels.to_numpy()[keep]
    groups = sorted(set(labels.tolist()))
    sizes = Counter(labels.tolist())
    pairs = _pairs(groups, sizes, reference)
    m = (n_permutations if n_permutations is not None
         else auto_permutations(len(pairs) * len(cols), alpha))
    rows = []
    paired = pair_by is not None
    if paired:
        ev_names = sorted(set(events.tolist()))
        ev_code = {e: i for i, e in enumerate(ev_names)}
        codes = np.array([ev_code[e] for e in events], dtype=np.int64)
        present = ~np.isnan(values)
        filled = np.where(present, values, 0.0)
        cell_sum, cell_n = {}, {}
        for g in groups:  # per group: event x measure sums and counts
            sel = labels == g
            s = np.zeros((len(ev_names), len(cols)))
            c = np.zeros((len(ev_names), len(cols)))
            np.add.at(s, codes[sel], filled[sel])
            np.add.at(c, codes[sel], present[sel].astype(float))
            cell_sum[g], cell_n[g] = s, c
    for g, ref in pairs:
        key = f"{g}\x1f{ref}\x1f{'paired' if paired else 'unpaired'}"
        if paired:
            mean_g = _nan_means(cell_sum[g], cell_n[g])
            mean_r = _nan_means(cell_sum[ref], cell_n[ref])
            d = mean_g - mean_r  # NaN where an event lacks either group
            shared = ~np.isnan(d)
            rows_d = d[shared.any(axis=1)]
            n_pairs = shared.sum(axis=0)
            n_g = np.where(shared, cell_n[g], 0).sum(axis=0)
            n_r = np.where(shared, cell_n[ref], 0).sum(axis=0)
            mg = _mean(np.where(shared, mean_g, np.nan))
            mr = _mean(np.where(shared, mean_r, np.nan))
            diff = _mean(d)
            draws = _bootstrap_means(rows_d, n_resamples, _rng(random_state, "boot:" + key))
            hits = _signflip_counts(rows_d, m, _rng(random_state, "perm:" + key))
        else:
            a, r = values[labels == g], values[labels == ref]
            n_g, n_r = (~np.isnan(a)).sum(axis=0), (~np.isnan(r)).sum(axis=0)
            n_pairs = np.full(len(cols), -1)
            mg, mr = _mean(a), _mean(r)
            diff = mg - mr
            rng_b = _rng(random_state, "boot:" + key)
            draws = (_bootstrap_means(a, n_resamples, rng_b)
                     - _bootstrap_means(r, n_resamples, rng_b))
            hits = _permutation_counts(a, r, m, _rng(random_state, "perm:" + key))
        lo, hi = _quantiles(draws)
        # A bootstrap of one article (or one event) has no spread: its interval would only
        # show the other group's uncertainty, so it is left out.
        spread = (n_pairs >= 2) if paired else (n_g >= 2) & (n_r >= 2)
        lo, hi = np.where(spread, lo, np.nan), np.where(spread, hi, np.nan)
        p = (hits + 1.0) / (m + 1.0)
        for j, c in enumerate(cols):
            ok = not np.isnan(diff[j])
            rows.append({"measure": c, "group": g, "reference": ref, "paired": paired,
                         "n": int(n_g[j]), "n_reference": int(n_r[j]),
                         "n_pairs": int(n_pairs[j]) if paired else pd.NA,
                         "mean": mg[j], "mean_reference": mr[j], "difference": diff[j],
                         "lo": lo[j] if ok else np.nan, "hi": hi[j] if ok else np.nan,
                         "p": p[j] if ok and m > 0 else np.nan})
    out = pd.DataFrame(rows, columns=CONTRAST_COLUMNS[:-1])
    order = {c: i for i, c in enumerate(cols)}
    pair_order = {pr: i for i, pr in enumerate(pairs)}
    if len(out):
        rank = out["measure"].map(order) * (len(pairs) + 1) + [
            pair_order[(g, r)] for g, r in zip(out["group"], out["reference"])]
        out = out.iloc[np.argsort(rank.to_numpy(), kind="stable")].reset_index(drop=True)
    out["p_adjusted"] = _bh(out["p"].to_numpy(dtype=float))
    for c in ("n", "n_reference", "n_pairs"):
        out[c] = out[c].astype("Int64")
    out["paired"] = out["paired"].astype(bool)
    out = _round(out)
    out.attrs.update(n_permutations=int(m), n_resamples=int(n_resamples), paired=paired,
                     n_without_group=int((~keep).sum()))
    return out


# --------------------------------------------------------------------------------------------
# Adjusted contrasts (OLS)
# --------------------------------------------------------------------------------------------

ADJUSTED_COLUMNS = ["measure", "group", "reference", "coef", "se", "lo", "hi", "p", "p_adjusted",
                    "n", "n_clusters", "cov_type", "controls"]


def adjusted_contrasts(features: pd.DataFrame, by: str, cluster: str | None = None,
                       controls=("log_n_words",), reference: str | None = None,
                       measures=None, fixed_effects: str | None = None) -> pd.DataFrame:
    """Group differences adjusted for controls: per measure, the OLS regression
    ``measure ~ C(group, Treatment(reference)) + controls`` (statsmodels), one coefficient per
    non-reference group, with robust standard errors.

    Parameters
    ----------
    features : DataFrame
        One row per article.
    by : str
        The group column.
    cluster : str, optional
        Column whose values are clusters for cluster-robust (CR1) standard errors, usually the
        event column (``pair_by``): articles on the same event are not independent (fewer than
        two clusters: no estimate, NaN). None:
        heteroscedasticity-robust (HC1) errors, articles independent. Clustering by ``by``
        itself is allowed, but with few groups (under ~30 clusters) its errors are unreliable.
    controls : sequence of str, default ("log_n_words",)
        Numeric columns added as covariates. ``log_n_words`` is the natural log of ``n_words``
        (computed when the table has ``n_words`` and no ``log_n_words``). Controls the table
        does not have are left out; the ``controls`` column says which ones were used.
    reference : str, optional
        The baseline group; default the largest group (ties by name), as in :func:`contrasts`.
    measures : list of str, optional
        Default :func:`measures` of ``features``.
    fixed_effects : str, optional
        Column added as a categorical covariate (e.g. the event column: within-event
        comparison, the regression analogue of the paired contrast).

    Returns
    -------
    DataFrame
        Columns ``measure, group, reference, coef, se, lo, hi, p, p_adjusted, n, n_clusters,
        cov_type, controls``: ``coef`` is the adjusted difference group minus reference, ``lo``
        and ``hi`` its 95% confidence interval, ``p`` the two-sided Wald p-value and
        ``p_adjusted`` its Benjamini–Hochberg adjustment over the table; ``n`` articles in the
        fit (rows with a missing value are left out per measure). Rows by measure, then group
        name.

    Notes
    -----
    The design matrix is built explicitly (intercept, one 0/1 column per non-reference group,
    the controls) and fitted with ``statsmodels.api.OLS``; this is the model the formula above
    describes. ``fixed_effects`` are absorbed by subtracting each level's mean from the outcome
    and the covariates (Frisch–Waugh–Lovell): the coefficients are those of the regression with
    one dummy per level, but the small-sample factor of the robust errors does not count the
    absorbed levels (as Stata's ``xtreg, fe`` with clustered errors).

    Example
    -------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"outlet": np.repeat(["a", "b"], 50),
    ...                    "n_words": rng.integers(200, 900, 100),
    ...                    "net_optimism": np.repeat([0.0, 1.0], 50) + rng.normal(0, .1, 100)})
    >>> t = adjusted_contrasts(df, "outlet")
    >>> t[["group", "reference", "controls"]].values.tolist()
    [['b', 'a', 'log_n_words']]
    >>> bool(abs(t["coef"].iloc[0] - 1) < 0.1)
    True
    """
    import statsmodels.api as sm

    cols = _measure_list(features, measures)
    labels = group_labels(features, by)
    keep = (labels != "").to_numpy().copy()
    if cluster is not None:
        clusters = group_labels(features, cluster)
        keep &= (clusters != "").to_numpy()
    data = features.loc[keep]
    labels = labels.to_numpy()[keep]
    groups = sorted(set(labels.tolist()))
    if len(groups) < 2:
        return pd.DataFrame(columns=ADJUSTED_COLUMNS)
    ref = largest_groups(labels, 1)[0] if reference is None else str(reference)
    if ref not in groups:
        raise ValueError(f"reference group '{ref}' is not one of the groups")
    others = [g for g in groups if g != ref]
    used, ctrl = [], []
    for c in (controls or ()):
        if c in data.columns and _is_measure_dtype(data[c]):
            ctrl.append(pd.to_numeric(data[c], errors="coerce").to_numpy(float))
            used.append(c)
        elif c == "log_n_words" and "n_words" in data.columns:
            w = pd.to_numeric(data["n_words"], errors="coerce").to_numpy(float)
            ctrl.append(np.log(np.where(w > 0, w, np.nan)))
            used.append(c)
    names = ["const", *(f"group:{g}" for g in others), *used]
    x_all = np.column_stack([np.ones(len(data)), *[(labels == g).astype(float) for g in others],
                             *ctrl])
    fe_codes = (pd.factorize(group_labels(data, fixed_effects).to_numpy(), sort=True)[0]
                if fixed_effects is not None else None)
    cl_codes = (pd.factorize(clusters.to_numpy()[keep], sort=True)[0] if cluster is not None
                else None)
    rows = []
    for c in cols:
        y = pd.to_numeric(data[c], errors="coerce").to_numpy(float)
        ok = ~np.isnan(y) & ~np.isnan(x_all).any(axis=1)
        x, yy, cols_x = x_all[ok], y[ok], names
        if fe_codes is not None and ok.any():
            # Fixed effects absorbed by demeaning within each level (Frisch-Waugh-Lovell):
            # the same coefficients as one dummy per level, without a dense dummy matrix.
            codes = pd.factorize(fe_codes[ok])[0]
            n_level = np.bincount(codes).astype(float)

            def within(v, codes=codes, n_level=n_level):
                return v - (np.bincount(codes, weights=v) / n_level)[codes]

            yy = within(yy)
            x = np.column_stack([within(x[:, k]) for k in range(1, x.shape[1])])
            cols_x = names[1:]
        # Columns with no variation left (a group without data, a group nested in the fixed
        # effects) are dropped; their coefficients are missing.
        spread = x.std(axis=0) if len(x) else np.zeros(x.shape[1])
        varying = spread > 1e-10 * (1.0 + np.abs(x).max(axis=0, initial=0.0))
        if cols_x[0] == "const":
            varying[0] = True
        kept = [n for n, v in zip(cols_x, varying) if v]
        base = {"measure": c, "reference": ref, "n": int(ok.sum()), "controls": ",".join(used)}
        too_few_clusters = cl_codes is not None and len(np.unique(cl_codes[ok])) < 2
        if ok.sum() <= len(kept) or not kept or too_few_clusters:
            rows += [{**base, "group": g, "coef": np.nan, "se": np.nan, "lo": np.nan,
                      "hi": np.nan, "p": np.nan, "n_clusters": pd.NA, "cov_type": ""}
                     for g in others]
            continue
        model = sm.OLS(yy, x[:, varying])
        if cl_codes is not None:
            groups_ok = pd.factorize(cl_codes[ok], sort=True)[0]
            fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups_ok})
            n_cl, cov = int(groups_ok.max() + 1), "cluster"
        else:
            fit = model.fit(cov_type="HC1")
            n_cl, cov = pd.NA, "HC1"
        params, bse, pv = np.asarray(fit.params), np.asarray(fit.bse), np.asarray(fit.pvalues)
        ci = np.asarray(fit.conf_int(alpha=1 - LEVEL))
        for g in others:
            if f"group:{g}" not in kept:
                rows.append({**base, "group": g, "coef": np.nan, "se": np.nan, "lo": np.nan,
                             "hi": np.nan, "p": np.nan, "n_clusters": n_cl, "cov_type": cov})
                continue
            i = kept.index(f"group:{g}")
            rows.append({**base, "group": g, "coef": params[i], "se": bse[i], "lo": ci[i, 0],
                         "hi": ci[i, 1], "p": pv[i], "n_clusters": n_cl, "cov_type": cov})
    out = pd.DataFrame(rows)
    out["p_adjusted"] = _bh(out["p"].to_numpy(dtype=float))
    out = out[ADJUSTED_COLUMNS]
    out["n_clusters"] = out["n_clusters"].astype("Int64")
    return _round(out.reset_index(drop=True))


# --------------------------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------------------------

TIME_COLUMNS = ["measure", "group", "period", "period_start", "n", "mean", "lo", "hi",
                "below_min_n"]


def _parse_dates(values) -> pd.Series:
    text = _text(values)
    dates = pd.to_datetime(text.where(text != "", None), errors="coerce", format="ISO8601",
                           utc=True)
    retry = dates.isna() & (text != "")
    if retry.any():
        more = pd.to_datetime(text[retry], errors="coerce", format="mixed", utc=True)
        dates = dates.where(~retry, more)
    return dates.dt.tz_convert(None)


def choose_period(dates) -> str:
    """The period for a timeline of ``dates`` (parsed datetimes): ``"W"`` (week, Monday to
    Sunday) when they span under 12 weeks, ``"M"`` (calendar month) under 3 years (1,096
    days), else ``"Q"`` (calendar quarter).

    Example
    -------
    >>> choose_period(pd.to_datetime(["2016-01-01", "2016-02-15"]))
    'W'
    >>> choose_period(pd.to_datetime(["2015-11-01", "2016-09-30"]))
    'M'
    """
    d = pd.Series(pd.to_datetime(pd.Series(dates), errors="coerce")).dropna()
    if d.empty:
        return "M"
    span = (d.max() - d.min()).days
    if span < 12 * 7:
        return "W"
    if span < 1096:
        return "M"
    return "Q"


def time_summary(features: pd.DataFrame, by: str | None, time: str = "date",
                 period: str | None = None, min_n: int = 5, measures=None,
                 n_resamples: int = 2000, random_state: int = 0) -> pd.DataFrame:
    """Mean of each measure per group and period, with 95% article-bootstrap intervals.

    Parameters
    ----------
    features : DataFrame
        One row per article.
    by : str or None
        The group column; None: one group, ``"all"``.
    time : str, default "date"
        Column with publication dates (ISO 8601 preferred; other formats are tried one by one).
    period : {None, "W", "M", "Q"}
        Week (Monday to Sunday), calendar month or calendar quarter; None chooses from the span
        of the dates (:func:`choose_period`: week under 12 weeks, month under 3 years, else
        quarter).
    min_n : int, default 5
        Cells with fewer articles are flagged ``below_min_n`` (their means are noisy; figures
        draw them hollow and without interval).
    measures : list of str, optional
        Default :func:`measures` of ``features``.
    n_resamples : int, default 2000
        Bootstrap resamples of the cell's articles.
    random_state : int, default 0

    Returns
    -------
    DataFrame
        Columns ``measure, group, period, period_start, n, mean, lo, hi, below_min_n``: one row
        per measure, group and period with at least one article (periods without articles are
        absent). ``period`` is a label (``2016-W09``, ``2016-03``, ``2016Q1``); ``period_start``
        the first day (``YYYY-MM-DD``). Rows by measure, group, period. ``.attrs``: ``period``
        (the one used), ``n_periods`` (distinct periods), ``n_unparsed`` (articles whose date
        could not be read: left out), ``n_without_group``, ``min_n``.

    Example
    -------
    >>> df = pd.DataFrame({"date": ["2016-01-04", "2016-01-20", "2016-03-02", "not a date"],
    ...                    "net_optimism": [0.1, 0.2, 0.3, 0.4]})
    >>> t = time_summary(df, None, n_resamples=100, min_n=2)
    >>> t["period"].tolist(), t["below_min_n"].tolist(), t.attrs["n_unparsed"]
    (['2016-W01', '2016-W03', '2016-W09'], [True, True, True], 1)
    """
    features = _in_order(features)
    cols = _measure_list(features, measures)
    if time not in features.columns:
        raise KeyError(f"no column '{time}' in the features table")
    labels = (pd.Series("all", index=features.index, dtype=object) if by is None
              else group_labels(features, by))
    dates = _parse_dates(features[time].to_numpy())
    dates.index = features.index
    has_group = (labels != "").to_numpy()
    parsed = dates.notna().to_numpy()
    keep = has_group & parsed
    if period is None:
        period = choose_period(dates[keep])
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)} or None, not {period!r}")
    d = dates[keep]
    per = d.dt.to_period(period)
    starts = per.dt.start_time.dt.strftime("%Y-%m-%d").to_numpy()
    if period == "W":
        iso = per.dt.start_time.dt.isocalendar()
        names = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"])]
    elif period == "M":
        names = per.dt.strftime("%Y-%m").tolist()
    else:
        names = [f"{p.year}Q{p.quarter}" for p in per]
    values = _values(features, cols)[keep]
    labels = labels.to_numpy()[keep]
    start_of = dict(zip(names, starts))
    # cells (group, period) in order: group name, then period start; rows grouped by one sort
    g_code, g_names = pd.factorize(pd.Series(labels, dtype=object), sort=True)
    periods = sorted(start_of, key=lambda s: start_of[s])
    p_rank = pd.Series(range(len(periods)), index=periods)[names].to_numpy()
    cell = g_code.astype(np.int64) * max(len(periods), 1) + p_rank
    order = np.argsort(cell, kind="stable")
    cuts = np.flatnonzero(np.diff(cell[order])) + 1
    rows = []
    for members in np.split(order, cuts) if len(order) else []:
        g = g_names[g_code[members[0]]]
        name = periods[p_rank[members[0]]]
        x = values[members]
        draws = _bootstrap_means(x, n_resamples, _rng(random_state, f"time:{g}\x1f{name}"))
        lo, hi = _quantiles(draws)
        n = (~np.isnan(x)).sum(axis=0)
        mean = _mean(x)
        for j, c in enumerate(cols):
            rows.append({"measure": c, "group": g, "period": name,
                         "period_start": start_of[name], "n": int(n[j]), "mean": mean[j],
                         "lo": lo[j] if n[j] else np.nan, "hi": hi[j] if n[j] else np.nan,
                         "below_min_n": bool(n[j] < min_n)})
    out = pd.DataFrame(rows, columns=TIME_COLUMNS)
    order = {c: i for i, c in enumerate(cols)}
    if len(out):
        out = out.iloc[np.lexsort((out["period_start"].to_numpy(), out["group"].to_numpy(),
                                   out["measure"].map(order).to_numpy()))]
    out = _round(out.reset_index(drop=True))
    out.attrs.update(period=period, n_periods=len(periods),
                     n_unparsed=int((has_group & ~parsed).sum()),
                     n_without_group=int((~has_group).sum()), min_n=int(min_n))
    return out


# --------------------------------------------------------------------------------------------
# Source composition
# --------------------------------------------------------------------------------------------

SHARE_COLUMNS = ["group", "category", "n_articles", "n_attributions", "count", "share", "lo", "hi"]


def source_shares(attributions: pd.DataFrame, features: pd.DataFrame, by: str | None,
                  column: str = "source_type", n_resamples: int = 2000,
                  random_state: int = 0) -> pd.DataFrame:
    """Share of each group's attributions in each category of ``column`` (source type or
    affiliation), with 95% article-bootstrap intervals.

    An article's attributions are not independent (one article quotes its sources together),
    so the bootstrap resamples the group's articles, those without attributions included, and
    recomputes the share as a ratio of sums.

    Parameters
    ----------
    attributions : DataFrame
        ``attributions.csv``: one row per attribution, with ``article_id`` and ``column``.
    features : DataFrame
        ``features.csv``: ``article_id`` and ``by`` (the articles and their groups).
    by : str or None
        The group column of ``features``; None: one group, ``"all"``.
    column : str, default "source_type"
        Category column of ``attributions`` (``source_type``, ``source_affiliation``); empty
        values count as ``"unknown"``.
    n_resamples, random_state : int
        Bootstrap resamples and seed.

    Returns
    -------
    DataFrame
        Columns ``group, category, n_articles, n_attributions, count, share, lo, hi``; one row
        per group and category (categories ordered by their total count, largest first, ties by
        name), ``share`` = count / n_attributions (NaN without attributions).

    Example
    -------
    >>> f = pd.DataFrame({"article_id": ["1", "2"], "outlet": ["a", "b"]})
    >>> a = pd.DataFrame({"article_id": ["1", "1", "2"], "source_type": ["media", "", "media"]})
    >>> t = source_shares(a, f, "outlet", n_resamples=50)
    >>> t[["group", "category", "share"]].values.tolist()
    [['a', 'media', 0.5], ['a', 'unknown', 0.5], ['b', 'media', 1.0], ['b', 'unknown', 0.0]]
    """
    features = _in_order(features)
    labels = (pd.Series("all", index=features.index, dtype=object) if by is None
              else group_labels(features, by))
    ids = _text(features["article_id"].to_numpy()).to_numpy()
    keep = (labels != "").to_numpy().copy()
    ids, labels = ids[keep], labels.to_numpy()[keep]
    cat = _text(attributions[column].to_numpy()).replace("", "unknown").to_numpy()
    att_ids = _text(attributions["article_id"].to_numpy()).to_numpy()
    where = pd.Index(ids).get_indexer(att_ids)  # -1: an article not in the groups
    known = where >= 0
    totals = Counter(cat[known].tolist())
    cats = sorted(totals, key=lambda c: (-totals[c], c))
    counts = np.zeros((len(ids), len(cats)))
    if cats:
        cat_of = {c: j for j, c in enumerate(cats)}
        np.add.at(counts, (where[known].astype(np.int64),
                           np.array([cat_of[c] for c in cat[known]], dtype=np.int64)), 1.0)
    rows = []
    for g in sorted(set(labels.tolist())):
        c = counts[labels == g]
        n_art = len(c)
        tot = c.sum(axis=1)
        rng = _rng(random_state, f"shares:{column}\x1f{g}")
        draws = np.full((n_resamples, len(cats)), np.nan)
        step = max(1, _CHUNK // max(n_art, 1))
        for s in range(0, n_resamples if n_art else 0, step):
            k = min(step, n_resamples - s)
            w = resample_weights(rng.integers(0, n_art, size=(k, n_art)), n_art)
            draws[s:s + k] = _nan_means(w @ c, np.broadcast_to((w @ tot)[:, None], (k, len(cats))))
        lo, hi = _quantiles(draws)
        n_att = float(tot.sum())
        for j, name in enumerate(cats):
            share = c[:, j].sum() / n_att if n_att else np.nan
            rows.append({"group": g, "category": name, "n_articles": n_art,
                         "n_attributions": int(n_att), "count": int(c[:, j].sum()),
                         "share": share, "lo": lo[j] if n_att else np.nan,
                         "hi": hi[j] if n_att else np.nan})
    return _round(pd.DataFrame(rows, columns=SHARE_COLUMNS))


# --------------------------------------------------------------------------------------------
# Distinctive words
# --------------------------------------------------------------------------------------------

TERM_COLUMNS = ["group", "term", "count", "log_odds", "z", "count_total"]


def distinctive_terms(counts: pd.DataFrame, groups, prior: float | None = None,
                      top: int | None = 20) -> pd.DataFrame:
    """Words that set each group apart from all the others: log-odds ratios with an informative
    Dirichlet prior and their z-scores (Monroe, Colaresi and Quinn 2008, "Fightin' Words",
    section 3.5).

    For group ``i`` against the rest ``j`` (all other groups pooled), with ``y_w`` the count of
    term ``w``, ``n`` the total count, and prior pseudo-counts ``a_w = a0 * pi_w`` (``pi_w`` the
    term's share of the whole corpus, ``a0`` = ``prior``)::

        delta_w = log((y_wi + a_w) / (n_i + a0 - y_wi - a_w))
                - log((y_wj + a_w) / (n_j + a0 - y_wj - a_w))
        var_w   ~ 1 / (y_wi + a_w) + 1 / (y_wj + a_w)
        z_w     = delta_w / sqrt(var_w)

    Positive ``z``: the term is more frequent in the group than in the rest, beyond what its
    frequency makes likely by chance; the prior shrinks the log-odds of rare terms toward 0.

    Parameters
    ----------
    counts : DataFrame
        Long table ``article_id, term, count`` (e.g. :func:`lemma_counts`).
    groups : mapping or Series
        article_id -> group. Articles without a (non-empty) group are left out.
    prior : float, optional
        ``a0``, the total pseudo-count of the prior. Default: the mean number of counted
        tokens per group, so the prior weighs as much as one more average group.
    top : int or None, default 20
        Terms kept per group, highest ``z`` first; None keeps every term.

    Returns
    -------
    DataFrame
        Columns ``group, term, count, log_odds, z, count_total`` (``count``: in the group;
        ``count_total``: in all groups). Rows by group name, then ``z`` descending, then term.
        Empty when there are fewer than two groups.

    Example
    -------
    >>> c = pd.DataFrame({"article_id": ["1", "1", "2", "2"], "term": ["tax", "vote", "tax", "war"],
    ...                   "count": [1, 5, 1, 5]})
    >>> t = distinctive_terms(c, {"1": "a", "2": "b"}, top=1)
    >>> t[["group", "term"]].values.tolist()
    [['a', 'vote'], ['b', 'war']]
    """
    gmap = pd.Series(groups) if not isinstance(groups, pd.Series) else groups
    gmap = pd.Series(_text(gmap.to_numpy()).to_numpy(), index=_text(gmap.index.to_numpy()))
    gmap = gmap[gmap != ""]
    gmap = gmap[~gmap.index.duplicated(keep="first")]
    aid = _text(counts["article_id"].to_numpy())
    grp = aid.map(gmap)
    ok = grp.notna().to_numpy()
    grp = grp.to_numpy()[ok]
    terms = _text(counts["term"].to_numpy()).to_numpy()[ok]
    cnt = pd.to_numeric(counts["count"], errors="coerce").fillna(0).to_numpy(float)[ok]
    names = sorted(set(grp.tolist()))
    if len(names) < 2:
        return pd.DataFrame(columns=TERM_COLUMNS)
    g_code = pd.Series(range(len(names)), index=names)[grp].to_numpy()
    t_code, vocab = pd.factorize(terms)
    vocab = np.asarray(vocab, dtype=object)
    order = np.argsort(vocab.astype(str), kind="stable")  # vocabulary in sorted order
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    vocab, t_code = vocab[order], rank[t_code]
    y = np.zeros((len(names), len(vocab)))
    np.add.at(y, (g_code, t_code), cnt)
    total = y.sum(axis=0)
    n_all = total.sum()
    a0 = float(prior) if prior is not None else n_all / len(names)
    alpha = a0 * total / n_all if n_all > 0 else np.zeros_like(total)
    rows = []
    for i, g in enumerate(names):
        yi, yj = y[i], total - y[i]
        ni, nj = yi.sum(), yj.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = (np.log((yi + alpha) / (ni + a0 - yi - alpha))
                     - np.log((yj + alpha) / (nj + a0 - yj - alpha)))
            z = delta / np.sqrt(1.0 / (yi + alpha) + 1.0 / (yj + alpha))
        keep = total > 0
        idx = np.flatnonzero(keep)
        zr = np.round(z[idx], DECIMALS)
        order = idx[np.lexsort((vocab[idx], -zr))]
        if top is not None:
            order = order[:top]
        rows.append(pd.DataFrame({"group": g, "term": vocab[order], "count": yi[order].astype(int),
                                  "log_odds": delta[order], "z": z[order],
                                  "count_total": total[order].astype(int)}))
    return _round(pd.concat(rows, ignore_index=True)[TERM_COLUMNS])


def lemma_counts_from_parsed(art) -> list[dict]:
    """Lemma counts of one parsed article (:class:`analysis.text.ParsedArticle`): lower-cased
    lemmas of its alphabetic tokens that are not stop words (spaCy's ``is_alpha``, ``is_stop``;
    a lemma that is itself a stop word, not alphabetic or a single letter is left out too).

    Parameters
    ----------
    art : ParsedArticle

    Returns
    -------
    list of dict
        ``{"article_id", "term", "count"}`` rows, sorted by term.

    Example
    -------
    >>> from analysis.text import parse_text
    >>> rows = lemma_counts_from_parsed(parse_text("Talks resumed. The talks were long.", "x"))
    >>> [(r["term"], r["count"]) for r in rows]
    [('long', 1), ('resume', 1), ('talk', 2)]
    """
    from spacy.attrs import IS_ALPHA, IS_STOP, LEMMA
    from spacy.util import get_lang_class

    doc = art.doc
    if not len(doc):
        return []
    stop = get_lang_class(doc.lang_).Defaults.stop_words
    arr = doc.to_array([IS_ALPHA, IS_STOP, LEMMA])
    sel = (arr[:, 0] == 1) & (arr[:, 1] == 0)
    hashes, n = np.unique(arr[sel, 2], return_counts=True)
    counts: Counter = Counter()
    strings = doc.vocab.strings
    for h, k in zip(hashes.tolist(), n.tolist()):
        lemma = strings[h].lower()
        if len(lemma) > 1 and lemma.isalpha() and lemma not in stop:
            counts[lemma] += k
    aid = str(art.article_id)
    return [{"article_id": aid, "term": t, "count": int(counts[t])} for t in sorted(counts)]


def lemma_counts(corpus: pd.DataFrame, batch_size: int = 32) -> pd.DataFrame:
    """Lemma counts of every article of a corpus, from the project's shared spaCy parse (the
    same cleaning and model as the features): see :func:`lemma_counts_from_parsed`.

    Parameters
    ----------
    corpus : DataFrame
        ``article_id`` and ``text`` (e.g. :func:`analysis.corpus.load_corpus`).
    batch_size : int, default 32
        spaCy batch size.

    Returns
    -------
    DataFrame
        Columns ``article_id, term, count``; rows by article_id, then term.

    Example
    -------
    >>> lemma_counts(pd.DataFrame({"article_id": ["1"], "text": ["Voters voted."]}))
      article_id   term  count
    0          1   vote      1
    1          1  voter      1
    """
    from .text import parse_articles

    rows: list[dict] = []
    items = zip(_text(corpus["article_id"].to_numpy()), corpus["text"].astype(str))
    for art in parse_articles(items, batch_size=batch_size):
        rows += lemma_counts_from_parsed(art)
    out = pd.DataFrame(rows, columns=["article_id", "term", "count"])
    out = out.sort_values(["article_id", "term"], kind="stable").reset_index(drop=True)
    out["count"] = out["count"].astype(np.int64)
    return out


# --------------------------------------------------------------------------------------------
# Notebook 04: text similarity and the framing map
# --------------------------------------------------------------------------------------------

@dataclass
class Similarity:
    """What :func:`tfidf_similarity` returns.

    ``matrix``: (n, n) cosine similarities in input order (clipped to [0, 1], rounded to 9
    decimals, diagonal 1); ``order``: input indices in the clustered order; ``tree``: the scipy
    linkage matrix after optimal leaf ordering (None for fewer than two texts); ``counts``:
    sparse (n, terms) raw counts; ``terms``: the vocabulary; ``tfidf``: the l2-normalised
    sublinear TF-IDF matrix."""

    matrix: np.ndarray
    order: list
    tree: np.ndarray | None
    counts: object
    terms: np.ndarray
    tfidf: object


def article_texts(corpus_dir, ids, features_path: str = "features.csv") -> tuple[list, list]:
    """The cleaned texts of the articles ``ids``, in that order, from the corpus at
    ``corpus_dir`` (cleaned with :func:`analysis.clean.clean_text`, as the features were).

    Parameters
    ----------
    corpus_dir : str or Path
        The corpus ``features.csv`` was built from (a folder or a table file; see
        :func:`analysis.corpus.load_corpus`).
    ids : list of str
        Article IDs.
    features_path : str
        Named in the error message when an article has no text.

    Returns
    -------
    (list of str, list of Path)
        The texts, and the input files they came from (the article files and
        ``metadata.csv`` of a folder, or the table file) for the figure sidecars.
    """
    from pathlib import Path

    from .clean import clean_text
    from .corpus import load_corpus

    corpus = load_corpus(corpus_dir)
    corpus = corpus[corpus["article_id"].isin(ids)].set_index("article_id")
    missing = sorted(set(ids) - set(corpus.index))
    if missing:
        raise ValueError(f"{corpus_dir}: no text for article(s) {', '.join(missing[:10])} of "
                         f"{features_path}; set corpus_dir to the corpus features.csv was built "
                         "from")
    texts = [clean_text(t).text for t in corpus.loc[ids, "text"]]
    path = Path(corpus_dir)
    if path.is_dir():
        inputs = [path / f for f in corpus.loc[ids, "file"]]
        inputs += [p for p in [path / "metadata.csv"] if p.is_file()]
    else:
        inputs = [path]
    return texts, inputs


def sparse_tfidf(texts):
    """Raw counts, vocabulary and TF-IDF rows of ``texts`` with the settings of
    :func:`tfidf_similarity` (words and two-word phrases, English stop words
    and numbers removed, sublinear term frequency, rows l2-normalised), without its
    articles × articles similarity matrix: what a large corpus can afford.

    Returns
    -------
    (sparse matrix, ndarray, sparse matrix)
        ``counts`` (articles × terms), ``terms``, ``tfidf`` (articles × terms, unit rows).
    """
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    counter = CountVectorizer(lowercase=True, stop_words="english", ngram_range=(1, 2),
                              token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b")
    counts = counter.fit_transform(list(texts))
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    return counts, counter.get_feature_names_out(), tfidf


def group_membership(of, names):
    """Sparse groups × articles 0/1 matrix: row ``i`` marks the articles in ``names[i]``."""
    from scipy import sparse

    code = {g: i for i, g in enumerate(names)}
    rows = np.array([code[g] for g in of], dtype=np.int64)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))),
                             shape=(len(names), len(rows)))


def group_mean_similarity(tfidf, of, names) -> pd.DataFrame:
    """Mean cosine similarity between the articles of every two groups, from sparse TF-IDF rows,
    without any articles × articles matrix.

    With unit rows, the cosine of two articles is their dot product, so the sum of the cosines
    over all pairs (one article from group A, one from B) is ``s_A · s_B``, ``s_A`` the sum of
    A's rows. Between groups the mean is ``s_A · s_B / (n_A n_B)``; within a group, the pairs of
    distinct articles: ``(s_A · s_A - sum of |row|²) / (n_A (n_A - 1))`` (NaN for one article).

    Parameters
    ----------
    tfidf : sparse matrix
        Articles × terms, l2-normalised rows (:func:`sparse_tfidf`).
    of : sequence of str
        The group of every row.
    names : sequence of str
        The groups, in the order of the result.

    Returns
    -------
    DataFrame
        Groups × groups, clipped to [0, 1] and rounded to 9 decimals (same bytes on every CPU).

    Example
    -------
    >>> from scipy import sparse
    >>> rows = sparse.csr_matrix([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    >>> group_mean_similarity(rows, ["a", "a", "b"], ["a", "b"]).round(2).values.tolist()
    [[0.6, 0.4], [0.4, nan]]
    """
    member = group_membership(of, names)
    sums = member @ tfidf
    dots = np.asarray((sums @ sums.T).todense(), dtype=float)
    self_dots = member @ np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel()
    n = np.asarray(member.sum(axis=1)).ravel()
    pairs = np.outer(n, n)
    np.fill_diagonal(dots, dots.diagonal() - self_dots)
    np.fill_diagonal(pairs, n * (n - 1))
    mean = np.divide(dots, pairs, out=np.full(dots.shape, np.nan), where=pairs > 0)
    return pd.DataFrame(np.clip(mean, 0.0, 1.0).round(9), index=list(names), columns=list(names))


def tfidf_similarity(texts) -> Similarity:
    """TF-IDF cosine similarity between texts, ordered by hierarchical clustering (notebook 04,
    fig13).

    Words and two-word phrases (scikit-learn ``CountVectorizer``: lower-cased, English stop
    words removed, tokens of two or more letters, so no numbers), sublinear term frequency
    (``TfidfTransformer(sublinear_tf=True)``, rows l2-normalised), cosine similarity; the order
    is scipy's average-linkage clustering of ``1 - cosine`` with optimal leaf ordering.

    Parameters
    ----------
    texts : sequence of str
        Cleaned article texts.

    Returns
    -------
    Similarity

    Example
    -------
    >>> s = tfidf_similarity(["tax cuts for the rich", "war and peace", "tax cuts again"])
    >>> s.order, float(s.matrix[0, 1])
    ([1, 2, 0], 0.0)
    """
    from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering
    from scipy.spatial.distance import squareform
    from sklearn.metrics.pairwise import cosine_similarity

    texts = list(texts)
    n = len(texts)
    counts, terms, tfidf = sparse_tfidf(texts)
    # Rounded far below what any figure shows: the last bits of BLAS results differ between
    # CPUs, and figures must come out byte-identical on every machine.
    similarity = np.clip(cosine_similarity(tfidf), 0.0, 1.0).round(9)
    np.fill_diagonal(similarity, 1.0)
    if n >= 2:
        condensed = squareform(1.0 - similarity, checks=False)
        tree = optimal_leaf_ordering(linkage(condensed, method="average"), condensed)
        order = leaves_list(tree).tolist()
    else:
        tree, order = None, list(range(n))
    return Similarity(matrix=similarity, order=order, tree=tree, counts=counts, terms=terms,
                      tfidf=tfidf)


@dataclass
class FramingMap:
    """What :func:`framing_map` returns.

    ``families``: the candidate columns by family (tone, emphasis, sources); ``columns``: those
    used (no missing value, varying); ``drawable``: at least 3 articles and 2 columns;
    ``scores``: (n, 2) DataFrame PC1/PC2 indexed by article_id; ``loadings``: (columns, 2)
    DataFrame of correlations between each standardised column and each component;
    ``explained``: explained variance ratios. The last three are None when not drawable."""

    families: dict
    columns: list
    drawable: bool
    scores: pd.DataFrame | None = None
    loadings: pd.DataFrame | None = None
    explained: np.ndarray | None = None


def framing_map(features: pd.DataFrame) -> FramingMap:
    """PCA of the standardised framing features (notebook 04, fig14).

    Columns: the tone (``net_optimism``, ``tone_*``, cue rates), emphasis (``emph_*`` rates, not
    their ``_share`` twins) and source (``src_*`` but not the ``src_n_*`` counts) point
    estimates; raw ``tone_mean`` is dropped when ``tone_mean_adapted`` is there. Only columns
    with no missing value and non-zero variance are used. Each is standardised (scikit-learn
    ``StandardScaler``), two components are fitted (``PCA(svd_solver="full")``); loadings are
    correlations between a standardised column and a component's scores; each component is
    oriented so that its strongest loading is positive; scores and loadings are rounded to 9
    decimals (same bytes on every CPU).

    Parameters
    ----------
    features : DataFrame
        With ``article_id``.

    Returns
    -------
    FramingMap

    Example
    -------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"article_id": list("abcd"), "net_optimism": rng.normal(size=4),
    ...                    "emph_economics": rng.normal(size=4), "src_entropy": rng.normal(size=4)})
    >>> m = framing_map(df)
    >>> m.drawable, m.columns, m.scores.shape
    (True, ['net_optimism', 'emph_economics', 'src_entropy'], (4, 2))
    """
    fam = measure_families(features)
    families = {
        "tone": list(fam["tone"]),
        "emphasis": [c for c in fam["emphasis"] if not c.endswith("_share")],
        "sources": [c for c in fam["sources"] if not c.startswith("src_n_")],
    }
    if "tone_mean_adapted" in families["tone"]:
        families["tone"] = [c for c in families["tone"] if c != "tone_mean"]
    cols = [c for v in families.values() for c in v]
    framing = features[cols].astype(float)
    usable = [c for c in cols if framing[c].notna().all() and framing[c].std(ddof=0) > 1e-12]
    drawable = len(features) >= 3 and len(usable) >= 2
    if not drawable:
        return FramingMap(families=families, columns=usable, drawable=False)
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    z = StandardScaler().fit_transform(framing[usable])
    pca = PCA(n_components=2, svd_solver="full").fit(z)
    scores = pca.transform(z)
    loadings = np.array([[np.corrcoef(z[:, j], scores[:, k])[0, 1] if scores[:, k].std() > 0
                          else 0.0 for k in range(2)] for j in range(len(usable))])
    for k in range(2):  # a component's sign is arbitrary: strongest loading positive
        if loadings[np.argmax(np.abs(loadings[:, k])), k] < 0:
            loadings[:, k] *= -1
            scores[:, k] *= -1
    scores, loadings = scores.round(9), loadings.round(9)
    ids = (features["article_id"].astype(str).tolist() if "article_id" in features
           else list(range(len(features))))
    return FramingMap(
        families=families, columns=usable, drawable=True,
        scores=pd.DataFrame(scores, index=ids, columns=["PC1", "PC2"]),
        loadings=pd.DataFrame(loadings, index=usable, columns=["PC1", "PC2"]),
        explained=pca.explained_variance_ratio_.round(9))

"""Contrasts between groups: differences in mean with bootstrap intervals, permutation (or,
paired by event, sign-flip) p-values and Benjamini–Hochberg adjusted p-values
(:func:`contrasts`).
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np
import pandas as pd

from ..stats import article_rng
from .resampling import (auto_permutations, bh_adjust, bootstrap_means, nan_column_means,
                         nan_means, percentile_interval, permutation_counts, signflip_counts)
from .summary import (group_labels, in_article_order, largest_groups, measure_values,
                      round_floats, select_measures)

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
    """Differences in mean between groups, with bootstrap intervals and permutation p-values.

    Every contrast gets a 95% bootstrap interval and a permutation p-value; the p-values of the
    whole table are then adjusted with Benjamini–Hochberg.

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
        Default :func:`~analysis.compare.measure_columns` of ``features``.
    n_resamples : int, default 2000
        Bootstrap resamples: of articles within each group (unpaired), of shared events (paired).
    n_permutations : int, optional
        Permutations per contrast: random relabellings of the two groups' articles with group
        sizes kept (unpaired), random sign flips of the event differences (paired). Default
        :func:`~analysis.compare.auto_permutations` of the number of tests in the table.
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

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({"outlet": ["a"] * 30 + ["b"] * 20,
    ...                    "net_optimism": np.r_[rng.normal(0, 1, 30), rng.normal(2, 1, 20)]})
    >>> t = contrasts(df, "outlet", n_resamples=500, n_permutations=999)
    >>> t[["group", "reference", "n", "n_reference"]].values.tolist()
    [['b', 'a', 20, 30]]
    >>> bool(t["lo"].iloc[0] > 0 and t["p"].iloc[0] == 0.001)
    True
    """
    features = in_article_order(features)
    cols = select_measures(features, measures)
    labels = group_labels(features, by)
    keep = (labels != "").to_numpy().copy()
    if pair_by is not None:
        events = group_labels(features, pair_by)
        keep &= (events != "").to_numpy()
        events = events.to_numpy()[keep]
    values = measure_values(features, cols)[keep]
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
            mean_g = nan_means(cell_sum[g], cell_n[g])
            mean_r = nan_means(cell_sum[ref], cell_n[ref])
            d = mean_g - mean_r  # NaN where an event lacks either group
            shared = ~np.isnan(d)
            rows_d = d[shared.any(axis=1)]
            n_pairs = shared.sum(axis=0)
            n_g = np.where(shared, cell_n[g], 0).sum(axis=0)
            n_r = np.where(shared, cell_n[ref], 0).sum(axis=0)
            mg = nan_column_means(np.where(shared, mean_g, np.nan))
            mr = nan_column_means(np.where(shared, mean_r, np.nan))
            diff = nan_column_means(d)
            draws = bootstrap_means(rows_d, n_resamples, article_rng(random_state, "boot:" + key))
            hits = signflip_counts(rows_d, m, article_rng(random_state, "perm:" + key))
        else:
            a, r = values[labels == g], values[labels == ref]
            n_g, n_r = (~np.isnan(a)).sum(axis=0), (~np.isnan(r)).sum(axis=0)
            n_pairs = np.full(len(cols), -1)
            mg, mr = nan_column_means(a), nan_column_means(r)
            diff = mg - mr
            rng_b = article_rng(random_state, "boot:" + key)
            draws = (bootstrap_means(a, n_resamples, rng_b)
                     - bootstrap_means(r, n_resamples, rng_b))
            hits = permutation_counts(a, r, m, article_rng(random_state, "perm:" + key))
        lo, hi = percentile_interval(draws)
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
    out["p_adjusted"] = bh_adjust(out["p"].to_numpy(dtype=float))
    for c in ("n", "n_reference", "n_pairs"):
        out[c] = out[c].astype("Int64")
    out["paired"] = out["paired"].astype(bool)
    out = round_floats(out)
    out.attrs.update(n_permutations=int(m), n_resamples=int(n_resamples), paired=paired,
                     n_without_group=int((~keep).sum()))
    return out

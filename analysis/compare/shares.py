"""Source composition: the share of each group's attributions in each source type or
affiliation, with article-bootstrap intervals (:func:`source_shares`).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from ..stats import article_rng, resample_weights
from .resampling import CHUNK, nan_means, percentile_interval
from .summary import as_text, group_labels, in_article_order, round_floats

SHARE_COLUMNS = ["group", "category", "n_articles", "n_attributions", "count", "share", "lo", "hi"]


def source_shares(attributions: pd.DataFrame, features: pd.DataFrame, by: str | None,
                  column: str = "source_type", n_resamples: int = 2000,
                  random_state: int = 0) -> pd.DataFrame:
    """Share of each group's attributions in each source category, with bootstrap intervals.

    The categories are the values of ``column`` (source type or affiliation); the intervals
    are 95% article-bootstrap intervals.

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

    Examples
    --------
    >>> f = pd.DataFrame({"article_id": ["1", "2"], "outlet": ["a", "b"]})
    >>> a = pd.DataFrame({"article_id": ["1", "1", "2"], "source_type": ["media", "", "media"]})
    >>> t = source_shares(a, f, "outlet", n_resamples=50)
    >>> t[["group", "category", "share"]].values.tolist()
    [['a', 'media', 0.5], ['a', 'unknown', 0.5], ['b', 'media', 1.0], ['b', 'unknown', 0.0]]
    """
    features = in_article_order(features)
    labels = (pd.Series("all", index=features.index, dtype=object) if by is None
              else group_labels(features, by))
    ids = as_text(features["article_id"].to_numpy()).to_numpy()
    keep = (labels != "").to_numpy().copy()
    ids, labels = ids[keep], labels.to_numpy()[keep]
    cat = as_text(attributions[column].to_numpy()).replace("", "unknown").to_numpy()
    att_ids = as_text(attributions["article_id"].to_numpy()).to_numpy()
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
        rng = article_rng(random_state, f"shares:{column}\x1f{g}")
        draws = np.full((n_resamples, len(cats)), np.nan)
        step = max(1, CHUNK // max(n_art, 1))
        for s in range(0, n_resamples if n_art else 0, step):
            k = min(step, n_resamples - s)
            w = resample_weights(rng.integers(0, n_art, size=(k, n_art)), n_art)
            draws[s:s + k] = nan_means(w @ c, np.broadcast_to((w @ tot)[:, None], (k, len(cats))))
        lo, hi = percentile_interval(draws)
        n_att = float(tot.sum())
        for j, name in enumerate(cats):
            share = c[:, j].sum() / n_att if n_att else np.nan
            rows.append({"group": g, "category": name, "n_articles": n_art,
                         "n_attributions": int(n_att), "count": int(c[:, j].sum()),
                         "share": share, "lo": lo[j] if n_att else np.nan,
                         "hi": hi[j] if n_att else np.nan})
    return round_floats(pd.DataFrame(rows, columns=SHARE_COLUMNS))

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
from .timeline import period_labels

SHARE_COLUMNS = ["group", "category", "n_articles", "n_attributions", "count", "share", "lo", "hi"]


def source_shares(attributions: pd.DataFrame, features: pd.DataFrame, by: str | None,
                  column: str = "source_type", n_resamples: int = 2000,
                  random_state: int = 0, categories: tuple[str, ...] = ()) -> pd.DataFrame:
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
    categories : tuple of str
        Categories that get their rows even where no attribution has them (a share of 0, not
        a missing row), after the categories found.

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
    cats += [c for c in categories if c not in totals]
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


GENDER_COLUMNS = ["group", "period", "period_start", "n_articles", "n_people", "n_female",
                  "share", "lo", "hi"]


def women_quoted(features: pd.DataFrame, by: str | None, time: str = "date",
                 period: str | None = None, n_resamples: int = 2000, random_state: int = 0,
                 date_format: str | None = None) -> pd.DataFrame:
    """The share of women among the named people quoted, per group and period and for all
    articles, with article-bootstrap intervals (the Gender Gap Tracker's measure).

    The unit counted is a person quoted in an article (``src_n_female`` and ``src_n_male`` of
    the features table: people whose gender the article gives; a person quoted in two
    articles counts twice). The share of a cell is a ratio of sums, women / (women + men),
    and its interval resamples the cell's articles (:func:`source_shares`).

    Parameters
    ----------
    features : DataFrame
        ``features.csv`` with ``src_n_female``, ``src_n_male``, ``by`` and ``time``.
    by : str or None
        The group column; None: one group, ``"all"``.
    time, period, date_format
        As in :func:`~analysis.compare.time_summary` (None: the period it would choose).
    n_resamples, random_state : int

    Returns
    -------
    DataFrame
        :data:`GENDER_COLUMNS`: one row per group and period with articles, then the rows of
        group ``all`` (every article with a group), by group and period start; ``share`` is
        NaN where no gendered person is quoted. ``.attrs``: ``period``, ``n_periods``.

    Examples
    --------
    >>> f = pd.DataFrame({"article_id": list("abcd"), "outlet": list("xxyy"),
    ...                   "date": ["2016-01-04", "2016-02-01", "2016-01-05", "2016-02-02"],
    ...                   "src_n_female": [1, 0, 2, 1], "src_n_male": [1, 2, 0, 1]})
    >>> t = women_quoted(f, "outlet", period="M", n_resamples=50)
    >>> t[["group", "period", "n_people", "share"]].values.tolist()[:2]
    [['x', '2016-01', 2, 0.5], ['x', '2016-02', 2, 0.0]]
    """
    features = in_article_order(features)
    labels = (pd.Series("all", index=features.index, dtype=object) if by is None
              else group_labels(features, by))
    names, starts, period = period_labels(features, time, labels, period, date_format)
    keep = (labels != "").to_numpy() & (names != "").to_numpy()
    f = features.loc[keep, ["article_id"]].copy()
    counts = {g: pd.to_numeric(features.loc[keep, f"src_n_{g}"], errors="coerce").fillna(0)
              .astype(int).to_numpy() for g in ("female", "male")}
    parts = []
    for lab in (labels[keep].to_numpy(dtype=object), None):  # by group, then all articles
        f["_cell"] = ("all" if lab is None else lab) + "\x1f" + names[keep].to_numpy(dtype=object)
        people = pd.DataFrame({
            "article_id": np.concatenate([np.repeat(f["article_id"].to_numpy(), counts[g])
                                          for g in ("female", "male")]),
            "source_gender": np.concatenate([np.full(counts[g].sum(), g, dtype=object)
                                             for g in ("female", "male")])})
        t = source_shares(people, f, "_cell", column="source_gender",
                          n_resamples=n_resamples, random_state=random_state,
                          categories=("female", "male"))
        t = t[t["category"] == "female"] if len(t) else t
        parts.append(t)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SHARE_COLUMNS)
    if not len(out):
        res = pd.DataFrame(columns=GENDER_COLUMNS)
        res.attrs.update(period=period, n_periods=0)
        return res
    split = out["group"].str.split("\x1f", n=1, expand=True)
    res = pd.DataFrame({"group": split[0], "period": split[1],
                        "period_start": split[1].map(starts), "n_articles": out["n_articles"],
                        "n_people": out["n_attributions"], "n_female": out["count"],
                        "share": out["share"], "lo": out["lo"], "hi": out["hi"]})
    res["_all"] = res["group"] == "all"
    res = res.sort_values(["_all", "group", "period_start"], kind="stable").drop(columns="_all")
    res = round_floats(res.reset_index(drop=True))[GENDER_COLUMNS]
    res.attrs.update(period=period, n_periods=int(res["period"].nunique()))
    return res

"""Timelines: the mean of every measure per group and week, month or quarter, with
article-bootstrap intervals (:func:`time_summary`), and the timeline of a comparison: the
largest groups, the others pooled, and all articles (:func:`group_timeline`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats import article_rng
from .resampling import bootstrap_means, nan_column_means, percentile_interval
from .summary import (as_text, group_labels, in_article_order, measure_columns, measure_values,
                      pool_largest, round_floats, select_measures)

PERIODS = {"W": "week", "M": "month", "Q": "quarter"}
TIME_COLUMNS = ["measure", "group", "period", "period_start", "n", "mean", "lo", "hi",
                "below_min_n"]
TIMELINE_GROUPS = 7  # groups with a line of their own in a timeline; the others are pooled
TIMELINE_MEASURES = ("net_optimism", "tone_mean_adapted", "src_entropy", "src_official_share")


def _parse_dates(values) -> pd.Series:
    """Dates as naive UTC timestamps: ISO 8601 first, other formats one by one; NaT when
    unreadable."""
    text = as_text(values)
    dates = pd.to_datetime(text.where(text != "", None), errors="coerce", format="ISO8601",
                           utc=True)
    retry = dates.isna() & (text != "")
    if retry.any():
        more = pd.to_datetime(text[retry], errors="coerce", format="mixed", utc=True)
        dates = dates.where(~retry, more)
    return dates.dt.tz_convert(None)


def choose_period(dates) -> str:
    """The period for a timeline of ``dates``, chosen from their span.

    Parameters
    ----------
    dates : sequence of datetime
        Parsed dates; missing ones are ignored.

    Returns
    -------
    {"W", "M", "Q"}
        ``"W"`` (week, Monday to Sunday) when the dates span under 12 weeks, ``"M"`` (calendar
        month) under 3 years (1,096 days), else ``"Q"`` (calendar quarter); ``"M"`` when there
        are no dates.

    Examples
    --------
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
        Default :func:`~analysis.compare.measure_columns` of ``features``.
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

    Examples
    --------
    >>> df = pd.DataFrame({"date": ["2016-01-04", "2016-01-20", "2016-03-02", "not a date"],
    ...                    "net_optimism": [0.1, 0.2, 0.3, 0.4]})
    >>> t = time_summary(df, None, n_resamples=100, min_n=2)
    >>> t["period"].tolist(), t["below_min_n"].tolist(), t.attrs["n_unparsed"]
    (['2016-W01', '2016-W03', '2016-W09'], [True, True, True], 1)
    """
    features = in_article_order(features)
    cols = select_measures(features, measures)
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
    values = measure_values(features, cols)[keep]
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
        draws = bootstrap_means(x, n_resamples, article_rng(random_state, f"time:{g}\x1f{name}"))
        lo, hi = percentile_interval(draws)
        n = (~np.isnan(x)).sum(axis=0)
        mean = nan_column_means(x)
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
    out = round_floats(out.reset_index(drop=True))
    out.attrs.update(period=period, n_periods=len(periods),
                     n_unparsed=int((has_group & ~parsed).sum()),
                     n_without_group=int((~has_group).sum()), min_n=int(min_n))
    return out


def group_timeline(features: pd.DataFrame, by: str, time: str = "date", period: str | None = None,
                   measures=TIMELINE_MEASURES, max_groups: int = TIMELINE_GROUPS,
                   n_resamples: int = 2000,
                   random_state: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The timeline of a comparison: a few measures per period for each group and for all.

    :func:`time_summary` of the ``max_groups`` largest groups, the others pooled as
    :data:`~analysis.compare.OTHER`, and of all articles in the same periods.

    Parameters
    ----------
    features : DataFrame
    by : str
        The group column.
    time, period, n_resamples, random_state
        As in :func:`time_summary`.
    measures : str or list of str
        The measures (comma-separated in a string); those the table lacks are skipped, and
        without any, the first four of :func:`~analysis.compare.measure_columns`.
    max_groups : int
        Groups with a timeline of their own (the largest, ties by name).

    Returns
    -------
    (DataFrame, DataFrame)
        By group and of all articles (group ``all``): the columns of :func:`time_summary`
        without ``below_min_n`` (how few articles make a cell noisy is the figure's choice,
        from ``n``), and its ``.attrs`` but ``min_n``; the periods of the second are those
        chosen for the first.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aab"), "date": ["2016-01-04", "2016-02-01", "2016-03-01"],
    ...                    "net_optimism": [0.1, 0.2, 0.3]})
    >>> by_group, overall = group_timeline(df, "g", n_resamples=50)
    >>> by_group["period"].tolist(), by_group.attrs["period"], overall["group"].unique().tolist()
    (['2016-W01', '2016-W05', '2016-W09'], 'W', ['all'])
    """
    available = measure_columns(features)
    wanted = measures.split(",") if isinstance(measures, str) else list(measures)
    drawn = [m.strip() for m in wanted if m.strip() in available] or available[:4]
    labels = group_labels(features, by)
    options = dict(time=time, measures=drawn, n_resamples=n_resamples, random_state=random_state)
    by_group = time_summary(features.assign(_group=pool_largest(labels, max_groups)), "_group",
                            period=period, **options)
    overall = time_summary(features, None, period=by_group.attrs["period"], **options)
    out = []
    for t in (by_group, overall):
        attrs = {k: v for k, v in t.attrs.items() if k != "min_n"}
        t = t.drop(columns="below_min_n")
        t.attrs = attrs
        out.append(t)
    return out[0], out[1]

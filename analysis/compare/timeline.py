"""Timelines: the mean of every measure per group and week, month or quarter, with
article-bootstrap intervals (:func:`time_summary`), and the timeline of a comparison: the
largest groups, the others pooled, and all articles (:func:`group_timeline`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats import article_rng
from .dates import parse_dates
from .resampling import bootstrap_means, nan_column_means, percentile_interval
from .summary import (group_labels, in_article_order, measure_columns, measure_values,
                      pool_largest, round_floats, select_measures)

PERIODS = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}
TIME_COLUMNS = ["measure", "group", "period", "period_start", "n", "mean", "lo", "hi",
                "below_min_n"]
TIMELINE_GROUPS = 7  # groups with a line of their own in a timeline; the others are pooled
TIMELINE_MEASURES = ("net_optimism", "tone_mean_adapted", "src_entropy", "src_official_share")


def choose_period(dates, groups=None, min_n: int = 5) -> str:
    """The period for a timeline of ``dates``: the finest in which most cells are estimable.

    Parameters
    ----------
    dates : sequence of datetime
        Parsed dates; missing ones are ignored.
    groups : sequence, optional
        The group of every date (cells are group x period); None: one group.
    min_n : int, default 5
        Articles a cell needs to be estimable (a band in fig19).

    Returns
    -------
    {"W", "M", "Q", "Y"}
        The span of the dates sets the finest period: ``"W"`` (week, Monday to Sunday) under
        12 weeks, ``"M"`` (calendar month) under 3 years (1,096 days), else ``"Q"`` (calendar
        quarter). From there the period is coarsened (month, quarter, year) until more than
        half of the group x period cells hold ``min_n`` articles or more; when no period gets
        there, the one with the largest share of such cells (the finer on a tie). ``"M"``
        when there are no dates.

    Examples
    --------
    >>> choose_period(pd.to_datetime(["2016-01-01", "2016-02-15"]))
    'W'
    >>> choose_period(pd.to_datetime(["2015-11-01", "2016-09-30"]))
    'M'
    >>> ten_years = pd.date_range("2006-01-01", "2015-12-31", periods=60)
    >>> choose_period(ten_years, min_n=5)
    'Y'
    """
    d = pd.Series(pd.to_datetime(pd.Series(dates), errors="coerce")).reset_index(drop=True)
    g = (pd.Series("", index=d.index, dtype=object) if groups is None
         else pd.Series(list(groups), index=d.index, dtype=object))
    ok = d.notna()
    d, g = d[ok], g[ok]
    if d.empty:
        return "M"
    span = (d.max() - d.min()).days
    finest = "W" if span < 12 * 7 else "M" if span < 1096 else "Q"
    candidates = list(PERIODS)[list(PERIODS).index(finest):]
    shares = []
    for period in candidates:
        cells = pd.DataFrame({"g": g.to_numpy(), "p": d.dt.to_period(period).to_numpy()})
        sizes = cells.groupby(["g", "p"], sort=False).size().to_numpy()
        share = float((sizes >= min_n).mean())
        if share > 0.5:
            return period
        shares.append(share)
    return candidates[int(np.argmax(shares))]  # argmax: the first (finest) of the best


def period_labels(features: pd.DataFrame, time: str, labels: pd.Series,
                  period: str | None = None, date_format: str | None = None,
                  min_n: int = 5) -> tuple[pd.Series, dict, str]:
    """The period of every article (:func:`time_summary`'s cells).

    Returns
    -------
    (Series, dict, str)
        The period label of each article (index of ``features``; "" without a readable
        date), period label -> its first day (``YYYY-MM-DD``), and the period used (given,
        or :func:`choose_period` of the articles with a group in ``labels``).
    """
    if time not in features.columns:
        raise KeyError(f"no column '{time}' in the features table")
    dates = parse_dates(features[time].to_numpy(), date_format).dates
    dates.index = features.index
    keep = (labels != "").to_numpy() & dates.notna().to_numpy()
    if period is None:
        period = choose_period(dates[keep], labels[keep], min_n)
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)} or None, not {period!r}")
    names, starts = _period_names(dates[dates.notna()].dt.to_period(period), period)
    out = pd.Series("", index=features.index, dtype=object)
    out[dates.notna().to_numpy()] = names
    return out, dict(zip(names, starts)), period


def _period_names(per: pd.Series, period: str) -> tuple[list[str], list[str]]:
    """Labels (``2016-W09``, ``2016-03``, ``2016Q1``, ``2016``) and first days of periods."""
    starts = per.dt.start_time.dt.strftime("%Y-%m-%d").tolist()
    if period == "W":
        iso = per.dt.start_time.dt.isocalendar()
        names = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"])]
    elif period == "M":
        names = per.dt.strftime("%Y-%m").tolist()
    elif period == "Q":
        names = [f"{p.year}Q{p.quarter}" for p in per]
    else:
        names = [str(p.year) for p in per]
    return names, starts


def time_summary(features: pd.DataFrame, by: str | None, time: str = "date",
                 period: str | None = None, min_n: int = 5, measures=None,
                 n_resamples: int = 2000, random_state: int = 0,
                 date_format: str | None = None) -> pd.DataFrame:
    """Mean of each measure per group and period, with 95% article-bootstrap intervals.

    Parameters
    ----------
    features : DataFrame
        One row per article.
    by : str or None
        The group column; None: one group, ``"all"``.
    time : str, default "date"
        Column with publication dates, read in one format for the column
        (:func:`~analysis.compare.dates.parse_dates`: ISO 8601 first, numeric day/month dates
        in the one order the values decide); ambiguous and partial dates are left out.
    period : {None, "W", "M", "Q", "Y"}
        Week (Monday to Sunday), calendar month, quarter or year; None: :func:`choose_period`
        (the finest the span allows in which most group x period cells hold ``min_n``
        articles).
    min_n : int, default 5
        Cells with fewer articles are flagged ``below_min_n`` (their means are noisy; figures
        draw them hollow and without interval).
    date_format : str, optional
        A ``strptime`` format for every date (``%d/%m/%Y``); None: detected.
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
        the first day (``YYYY-MM-DD``). ``lo`` and ``hi`` are NaN for a cell of one article
        (an interval is not estimable from one). Rows by measure, group, period. ``.attrs``:
        ``period`` (the one used), ``n_periods`` (distinct periods), ``n_unparsed`` (articles
        without a date or whose date could not be read), ``n_ambiguous`` (day/month order unknown),
        ``n_partial`` (no day: ``2015``, ``2015-03``), all three left out, ``date_order``
        (how numeric dates were read, see :class:`~analysis.compare.dates.ParsedDates`),
        ``n_without_group``, ``min_n``.

    Examples
    --------
    >>> df = pd.DataFrame({"date": ["2016-01-04", "2016-01-20", "2016-03-02", "not a date"],
    ...                    "net_optimism": [0.1, 0.2, 0.3, 0.4]})
    >>> t = time_summary(df, None, period="W", n_resamples=100, min_n=2)
    >>> t["period"].tolist(), t["below_min_n"].tolist(), t.attrs["n_unparsed"]
    (['2016-W01', '2016-W03', '2016-W09'], [True, True, True], 1)
    """
    features = in_article_order(features)
    cols = select_measures(features, measures)
    if time not in features.columns:
        raise KeyError(f"no column '{time}' in the features table")
    labels = (pd.Series("all", index=features.index, dtype=object) if by is None
              else group_labels(features, by))
    parsed_dates = parse_dates(features[time].to_numpy(), date_format)
    dates = parsed_dates.dates
    dates.index = features.index
    has_group = (labels != "").to_numpy()
    parsed = dates.notna().to_numpy()
    keep = has_group & parsed
    if period is None:
        period = choose_period(dates[keep], labels[keep], min_n)
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)} or None, not {period!r}")
    names, starts = _period_names(dates[keep].dt.to_period(period), period)
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
                         # one article: no interval (a zero-width one would be a claim)
                         "lo": lo[j] if n[j] > 1 else np.nan,
                         "hi": hi[j] if n[j] > 1 else np.nan,
                         "below_min_n": bool(n[j] < min_n)})
    out = pd.DataFrame(rows, columns=TIME_COLUMNS)
    order = {c: i for i, c in enumerate(cols)}
    if len(out):
        out = out.iloc[np.lexsort((out["period_start"].to_numpy(), out["group"].to_numpy(),
                                   out["measure"].map(order).to_numpy()))]
    out = round_floats(out.reset_index(drop=True))
    out.attrs.update(period=period, n_periods=len(periods),
                     n_unparsed=(parsed_dates.count("unreadable", has_group)
                                 + parsed_dates.count("missing", has_group)),
                     n_ambiguous=parsed_dates.count("ambiguous", has_group),
                     n_partial=parsed_dates.count("partial", has_group),
                     date_order=parsed_dates.order,
                     n_without_group=int((~has_group).sum()), min_n=int(min_n))
    return out


def group_timeline(features: pd.DataFrame, by: str, time: str = "date", period: str | None = None,
                   measures=TIMELINE_MEASURES, max_groups: int = TIMELINE_GROUPS,
                   n_resamples: int = 2000, random_state: int = 0,
                   date_format: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The timeline of a comparison: a few measures per period for each group and for all.

    :func:`time_summary` of the ``max_groups`` largest groups, the others pooled as
    :data:`~analysis.compare.OTHER`, and of all articles in the same periods.

    Parameters
    ----------
    features : DataFrame
    by : str
        The group column.
    time, period, n_resamples, random_state, date_format
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
    options = dict(time=time, measures=drawn, n_resamples=n_resamples, random_state=random_state,
                   date_format=date_format)
    # copy(): a table of many measures read column by column is fragmented, and assign warns
    by_group = time_summary(features.copy().assign(_group=pool_largest(labels, max_groups)),
                            "_group",
                            period=period, **options)
    overall = time_summary(features, None, period=by_group.attrs["period"], **options)
    out = []
    for t in (by_group, overall):
        attrs = {k: v for k, v in t.attrs.items() if k != "min_n"}
        t = t.drop(columns="below_min_n")
        t.attrs = attrs
        out.append(t)
    return out[0], out[1]

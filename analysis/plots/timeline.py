"""fig19 of notebook 05: framing over time by group.

The means of a few measures per period (week, month or quarter) and group with 95% bands;
up to three groups share a panel per measure, more get a column each with the mean of all
articles as a reference line.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

from ..compare import OTHER
from ..figures import fmt_int
from .layout import GREY, MAX_INCHES, measure_unit, n_range, wrap_label
from .plot import Plot

__all__ = ["plot_timeline", "dates_left_out"]


def _draw_series(ax, s: pd.DataFrame, col: str, lw: float = 1.4, band: bool = True) -> None:
    """One group's timeline on ``ax``: line, 95% band over cells with at least ``min_n``
    articles, filled points there and hollow points below."""
    s = s.sort_values("x")
    ok = ~s["below_min_n"].to_numpy(bool)
    ax.plot(s["x"], s["mean"], color=col, lw=lw, zorder=3)
    if band:
        ax.fill_between(s["x"], s["lo"].where(ok), s["hi"].where(ok), color=col, alpha=0.16,
                        lw=0, zorder=2)
    ax.plot(s["x"][ok], s["mean"][ok], "o", ms=3.0, color=col, zorder=4)
    ax.plot(s["x"][~ok], s["mean"][~ok], "o", ms=3.6, mfc="white", mec=col, mew=0.9, zorder=4)


def plot_timeline(table: pd.DataFrame, *, by: str, measures, colors: dict,
                  overall: pd.DataFrame | None = None, n_resamples: int = 2000,
                  max_overlay: int = 3) -> Plot:
    """fig19: the mean of a few measures per period and group, with 95% bands.

    Cells below ``min_n`` articles are hollow points without band.

    Up to ``max_overlay`` groups share one panel per measure (one line each); with more, small
    multiples: one row per measure, one column per group (at most 8: the seven largest and
    "other groups"), each panel with the mean of all articles as a grey reference line.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.compare.time_summary` (its ``.attrs`` give the period and ``min_n``).
    by : str
        The group column (caption).
    measures : list of str
        The measures drawn (at most 6).
    colors : dict
        Group -> colour; groups not in it are grey.
    overall : DataFrame, optional
        ``time_summary(features, None, ...)`` with the same period: the reference line.
    n_resamples : int
        For the caption.
    max_overlay : int
        Most groups drawn as overlaid lines in one panel.

    Returns
    -------
    Plot
    """
    measures = [m for m in measures if m in set(table["measure"])][:6]
    groups = sorted(dict.fromkeys(table["group"]), key=lambda g: (g == OTHER, g))[:8]
    period = table.attrs.get("period", "M")
    pname = _PERIOD_NAMES.get(period, period)
    min_n = table.attrs.get("min_n", 5)
    n_m = max(len(measures), 1)
    t = table.assign(x=pd.to_datetime(table["period_start"]))
    ref = (overall.assign(x=pd.to_datetime(overall["period_start"])) if overall is not None
           else None)
    overlay = len(groups) <= max_overlay
    n_c = 1 if overlay else len(groups)
    fig_w = 9.5 if overlay else min(MAX_INCHES - 0.5, 1.2 + 2.0 * n_c)
    fig_h = min(MAX_INCHES - 0.5, 1.2 + (2.3 if overlay else 1.7) * n_m)
    fig, axes = plt.subplots(n_m, n_c, figsize=(fig_w, fig_h), sharex=True, sharey="row",
                             squeeze=False, layout="constrained")
    for i, m in enumerate(measures):
        d = t[t["measure"] == m]
        for j, g in enumerate(groups):
            ax = axes[i, 0 if overlay else j]
            if not overlay and ref is not None:
                rm = ref[ref["measure"] == m].sort_values("x")
                ax.plot(rm["x"], rm["mean"], color="#AAAAAA", lw=1.0, ls="--", zorder=1)
            sub = d[d["group"] == g]
            if len(sub):
                _draw_series(ax, sub, colors.get(g, GREY))
            if not overlay and i == 0:
                ax.set_title(wrap_label(g, 20), fontsize=8.5, loc="left",
                             color="black")
        unit = measure_unit(m)
        axes[i, 0].set_ylabel(wrap_label(m, 22) + (f"\n({unit})" if unit else ""), fontsize=8)
    for ax in axes.ravel():
        ax.grid(axis="y", color="#EEEEEE", lw=0.6)
        ax.tick_params(labelsize=7)
        loc = mdates.AutoDateLocator(minticks=2, maxticks=6 if overlay else 3)
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    for ax in axes[-1]:
        ax.set_xlabel(f"{pname} (start)", fontsize=7.5)
    handles = ([Line2D([], [], color=colors.get(g, GREY), lw=1.6, marker="o", ms=3.5,
                       label=wrap_label(g, 26)) for g in groups] if overlay else [])
    if not overlay and ref is not None:
        handles.append(Line2D([], [], color="#AAAAAA", lw=1.0, ls="--", label="all articles"))
    handles.append(Line2D([], [], color="#555555", lw=0, marker="o", ms=4, mfc="white",
                          label=f"fewer than {min_n} articles (no band)"))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(4, len(handles)),
               fontsize=7.5, frameon=False)
    fig.suptitle(f"Framing over time by {by}, per {pname}: means with 95% intervals",
                 x=0.01, ha="left", fontsize=10)
    first = t[t["measure"] == measures[0]] if measures else t.iloc[:0]
    caption = (f"Framing over time by {by}: mean of {', '.join(measures)} per {pname} and "
               f"group, with 95% percentile intervals (bands) from {fmt_int(n_resamples)} "
               "bootstrap resamples of each cell's articles (the article is the unit). "
               f"{table.attrs.get('n_periods', '?')} {pname}s; articles per cell: "
               f"{n_range(first['n'])}. Hollow points, without band: fewer than {min_n} "
               "articles in the cell."
               + ("" if overlay else " One column per group; dashed grey: all articles.")
               + (f" {table.attrs.get('n_unparsed')} article(s) with an unreadable date are left"
                  " out." if table.attrs.get("n_unparsed") else "")
               + dates_left_out(table.attrs)
               + (f" Groups beyond the seven largest are pooled as '{OTHER}' (grey)."
                  if OTHER in groups else ""))
    return Plot(fig, caption)


_PERIOD_NAMES = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def dates_left_out(attrs: dict) -> str:
    """The sentence of a caption on the dates not placed in a period: ambiguous day/month
    order and partial dates (with a leading space; "" when there are none).

    Parameters
    ----------
    attrs : dict
        The ``.attrs`` of :func:`analysis.compare.time_summary` (``n_ambiguous``,
        ``n_partial``).

    Returns
    -------
    str

    Examples
    --------
    >>> dates_left_out({"n_ambiguous": 0, "n_partial": 0})
    ''
    >>> dates_left_out({"n_ambiguous": 3, "n_partial": 1})[:59]
    ' Left out, not placed in a period: 3 article(s) whose date '
    """
    parts = []
    if attrs.get("n_ambiguous"):
        parts.append(f"{attrs['n_ambiguous']} article(s) whose date could be day-first or "
                     "month-first (no date of the column decides)")
    if attrs.get("n_partial"):
        parts.append(f"{attrs['n_partial']}{'' if parts else ' article(s)'} with a partial "
                     "date (no day, e.g. 2015 or 2015-03)")
    return f" Left out, not placed in a period: {' and '.join(parts)}." if parts else ""

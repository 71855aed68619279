"""fig23: the share of women among the people quoted, per group and period, with intervals.

Drawn from the ``women_quoted`` table of ``python -m analysis compare``
(:func:`analysis.compare.women_quoted`): a panel per group (the largest ``max_groups``), the
periods along x, the share with its 95% article-bootstrap interval, and the share of all
articles in the same periods as a dashed grey line. Cells with fewer than ``min_people``
gendered people quoted are hollow and have no bar.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..figures import fmt_int
from .layout import GREY, MAX_INCHES, omitted_note, ranked_groups, wrap_label
from .plot import Plot

__all__ = ["plot_women_quoted"]

_PANEL = (2.7, 1.9)  # inches


def plot_women_quoted(table: pd.DataFrame, *, by: str, colors: dict, sizes: dict,
                      max_groups: int = 12, min_people: int = 10,
                      n_resamples: int = 2000) -> Plot:
    """Small multiples of the share of women among the people quoted, over time.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.compare.women_quoted` (groups and ``all``).
    by : str
        The group column (for the title and caption).
    colors, sizes : dict
        Group -> colour, group -> articles (:class:`~analysis.plots.grouping.Grouping`).
    max_groups : int
        Panels drawn (the largest groups).
    min_people : int
        Cells with fewer gendered people are drawn hollow, without interval.
    n_resamples : int
        The resamples of the intervals (caption).

    Returns
    -------
    Plot
        ``data``: the table; ``table``: the shares as groups x periods.
    """
    period = table.attrs.get("period", "")
    overall = table[table["group"] == "all"]
    groups = [g for g in ranked_groups(sorted(set(table["group"]) - {"all"}), sizes)]
    shown = sorted(groups[:max_groups])
    periods = sorted(dict.fromkeys(table["period"]), key=lambda p: table.loc[
        table["period"] == p, "period_start"].iloc[0])
    x_of = {p: i for i, p in enumerate(periods)}
    ncols = max(1, min(4, len(shown), int(MAX_INCHES // _PANEL[0])))
    nrows = max(1, math.ceil(len(shown) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(_PANEL[0] * ncols, _PANEL[1] * nrows + 0.6),
                             sharex=True, sharey=True, squeeze=False)
    ox = [x_of[p] for p in overall["period"]]
    for k, ax in enumerate(axes.flat):
        if k >= len(shown):
            ax.set_visible(False)
            continue
        g = shown[k]
        sub = table[table["group"] == g]
        ax.plot(ox, overall["share"], color=GREY, lw=1, ls="--", zorder=1)
        x = np.array([x_of[p] for p in sub["period"]])
        full = (sub["n_people"] >= min_people).to_numpy()
        color = colors.get(g, GREY)
        ax.errorbar(x[full], sub["share"].to_numpy()[full],
                    yerr=[(sub["share"] - sub["lo"]).to_numpy()[full],
                          (sub["hi"] - sub["share"]).to_numpy()[full]],
                    fmt="o", ms=3.5, color=color, lw=1, capsize=0, zorder=3)
        ax.plot(x[~full], sub["share"].to_numpy()[~full], "o", ms=3.5, mfc="white",
                mec=color, zorder=3)
        ax.set_title(wrap_label(f"{g} (n = {fmt_int(sizes.get(g, 0))})", 30), fontsize=8)
        ax.set_ylim(0, 1)
        ax.grid(axis="y", color="0.9", lw=0.6)
    step = max(1, math.ceil(len(periods) / 6))
    for ax in axes[-1]:
        ax.set_xticks(range(0, len(periods), step), periods[::step], rotation=45, ha="right",
                      fontsize=7)
    for ax in axes[:, 0]:
        ax.set_ylabel("women quoted (share)", fontsize=8)
    fig.suptitle(f"Share of women among the people quoted, by {by} and "
                 f"{ {'W': 'week', 'M': 'month', 'Q': 'quarter', 'Y': 'year'}.get(period, 'period')}"
                 ", 95% intervals", fontsize=9)
    fig.tight_layout()
    n_people = int(overall["n_people"].sum())
    share_all = overall["n_female"].sum() / n_people if n_people else float("nan")
    caption = (f"The share of women among the named people quoted (a person quoted in an "
               f"article counts once; {fmt_int(n_people)} gendered people in all, "
               f"{share_all:.0%} women), per {by} and period, with 95% percentile intervals "
               f"from {fmt_int(n_resamples)} bootstrap resamples of the cell's articles; the "
               "dashed grey line is all articles. Gender is the one the article gives each "
               "person (pronouns, titles, gendered roles, else the first name), not their own "
               f"identity; people whose gender the text does not give are left out. Hollow: "
               f"fewer than {min_people} gendered people in the cell (no interval)."
               + omitted_note(len(shown), len(groups), "groups"))
    pivot = table.pivot(index="group", columns="period", values="share")
    return Plot(fig, caption, data=table, table=pivot.reindex(columns=periods).round(3))

"""fig20 of notebook 05: the distinctive words of every group, from their word counts.

:func:`plot_distinctive_terms` plots every term's z-score (log-odds ratio with an informative
Dirichlet prior, :func:`analysis.compare.distinctive_terms`) against its frequency, a panel per
group, and labels the highest. The distinctive terms of the articles of notebook 04 (fig15) are
in :mod:`analysis.plots.top_terms`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..figures import fmt_int, maths_tick_labels
from .labels import place_labels
from .layout import GREY, omitted_note, shown_groups, wrap_label
from .plot import Plot

__all__ = ["plot_distinctive_terms"]


def plot_distinctive_terms(terms: pd.DataFrame, *, by: str, colors: dict, sizes: dict,
                           n_label: int = 8, max_panels: int = 12, max_points: int = 20000,
                           prior_text: str = "") -> Plot:
    """fig20: distinctive words per group, z-score against corpus frequency.

    A term's z-score is its log-odds ratio with an informative Dirichlet prior, the group against
    all other groups; the ``n_label`` highest are labelled in the group's colour.

    Parameters
    ----------
    terms : DataFrame
        :func:`analysis.compare.distinctive_terms` with ``top=None`` (every term).
    by : str
        The group column (caption).
    colors, sizes : dict
        Group colours and sizes (the largest ``max_panels`` groups get a panel).
    n_label : int
        Labelled terms per group.
    max_panels : int
        Groups drawn.
    max_points : int
        Terms drawn per panel: the most frequent ones plus every labelled term (the rest only
        thicken the cloud).
    prior_text : str
        Appended to the caption (the prior used).

    Returns
    -------
    Plot

    Examples
    --------
    >>> terms = compare.distinctive_terms(counts, groups_of_articles, top=None)  # doctest: +SKIP
    >>> fig20 = plot_distinctive_terms(terms, by="outlet", colors=colors,
    ...                                sizes=sizes)  # doctest: +SKIP
    """
    groups = sorted(dict.fromkeys(terms["group"]))
    shown = shown_groups(groups, sizes, max_panels)
    ncols = min(3, max(len(shown), 1))
    nrows = -(-len(shown) // ncols) if shown else 1
    w, h = 4.2, 3.1
    fig = plt.figure(figsize=(ncols * w + 0.6, nrows * h + 0.7))
    fw, fh = fig.get_size_inches()
    # One y scale for all panels; extreme z beyond ±40 are drawn at the edge.
    z = terms["z"].clip(-40, 40) if len(terms) else pd.Series([0.0])
    span = float(z.max() - z.min()) or 1.0
    ylim = (min(float(z.min()), -2.5) - 0.06 * span, max(float(z.max()), 2.5) + 0.16 * span)
    xmax = float(terms["count_total"].max()) if len(terms) else 10.0
    unlabelled = {}
    for k, g in enumerate(shown):
        r, c = divmod(k, ncols)
        ax = fig.add_axes([(0.55 + c * w) / fw, 1 - (0.55 + (r + 1) * h - 0.5) / fh,
                           (w - 0.75) / fw, (h - 0.95) / fh])
        d = terms[terms["group"] == g]
        top = d.sort_values(["z", "term"], ascending=[False, True], kind="stable").head(n_label)
        cloud = d.sort_values(["count_total", "term"], ascending=[False, True],
                              kind="stable").head(max_points)
        ax.scatter(cloud["count_total"], cloud["z"].clip(*ylim), s=4, color="#BBBBBB", lw=0,
                   rasterized=len(cloud) > 500, zorder=2)
        col = colors.get(g, GREY)
        ax.scatter(top["count_total"], top["z"].clip(*ylim), s=14, color=col, edgecolor="black",
                   linewidth=0.4, zorder=4)
        for v in (-1.96, 1.96):
            ax.axhline(v, color="#888888", lw=0.6, ls="--", zorder=1)
        ax.axhline(0, color="#CCCCCC", lw=0.6, zorder=1)
        ax.set_xscale("log")
        ax.set_xlim(0.7, max(xmax, 10) * 2.5)
        ax.set_ylim(*ylim)
        ax.tick_params(labelsize=7)
        maths_tick_labels(ax.xaxis)  # 10^{-1}: maths, though the words are not
        ax.set_title(wrap_label(f"{g} (n = {fmt_int(sizes.get(g, 0))} articles)", 44), fontsize=8.5,
                     loc="left", color="black")
        if c == 0:
            ax.set_ylabel("z-score (log-odds ratio,\ngroup vs all others)", fontsize=7.5)
        if r == nrows - 1 or k + ncols >= len(shown):
            ax.set_xlabel("count in the corpus (log scale)", fontsize=7.5)
        placed = place_labels(ax, top["count_total"].to_numpy(float),
                              top["z"].clip(*ylim).to_numpy(float), top["term"].tolist(),
                              color=col, obstacles=np.column_stack(
                                  [cloud["count_total"].to_numpy(float),
                                   cloud["z"].clip(*ylim).to_numpy(float)]))
        unlabelled[g] = [t for t, ok in zip(top["term"], placed) if not ok]
    if not shown:
        fig.text(0.5, 0.5, "no terms", ha="center")
    missed = {g: v for g, v in unlabelled.items() if v}
    caption = (f"Distinctive words by {by}: for every lemma, its z-score against its count in "
               "the corpus (log scale); the z-score is the log-odds ratio of the lemma in the "
               "group against all other groups pooled, with an informative Dirichlet prior "
               "(Monroe, Colaresi and Quinn 2008), divided by its standard error. Counts are of "
               "lower-cased lemmas of alphabetic, non-stop-word tokens. Dashed lines: z = ±1.96. "
               f"The {n_label} words with the highest z are labelled in the group's colour."
               + (f" {prior_text}" if prior_text else "")
               + omitted_note(len(shown), len(groups), "groups")
               + (" Not labelled for lack of room: "
                  + "; ".join(f"{g}: {', '.join(v)}" for g, v in missed.items()) + "."
                  if missed else "")
               + " Word z-scores describe these texts; they are not tests of the outlets.")
    return Plot(fig, caption)

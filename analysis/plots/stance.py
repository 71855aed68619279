"""fig04 of notebook 01: the stance cues behind net optimism, per article or per group.

The optimism and caution cues (``lexicons/optimism.txt``, ``lexicons/caution.txt``) are the
stance half of net optimism: for each of the longest articles
(:func:`~analysis.plots.trajectory.longest_articles`, the panels of fig03), or beyond
:data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles for each group, the most frequent
cues of each side, back to back.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..figures import category_style, fmt_int, integer_ticks
from .draw import panel_grid
from .grouping import Grouping
from .plot import Plot
from .trajectory import longest_articles, panels_note

__all__ = ["stance_cue_counts", "plot_stance_cues"]


def plot_stance_cues(evidence: pd.DataFrame, sentences: pd.DataFrame, groups: Grouping,
                     labels: dict, *, top_terms: int = 8, max_panels: int = 12) -> Plot:
    """fig04: the most frequent optimism and caution cues of each article or group.

    Caution cues point left (hatched) and optimism cues right, on one scale; a panel for each of
    the ``max_panels`` longest articles up to
    :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles; beyond, a panel per group with
    matches per article, so that groups of different sizes compare.

    Parameters
    ----------
    evidence : DataFrame
        The evidence table (``article_id``, ``feature``, ``term``).
    sentences : DataFrame
        ``article_id`` of every sentence and heading (which articles are the longest).
    groups : Grouping
    labels : dict
    top_terms : int
        Cues shown on each side.
    max_panels : int
        Articles drawn at most.

    Returns
    -------
    Plot
        ``data``: :func:`stance_cue_counts`.
    """
    panel_ids = longest_articles(sentences, max_panels)
    cue_counts = stance_cue_counts(evidence, groups)
    cue_totals = (cue_counts.groupby("feature")["n"].sum()
                  .reindex(["optimism", "caution"], fill_value=0))
    fig = _draw_stance_cues(cue_counts, panel_ids, groups, labels, top_terms)
    n_articles = groups.n_articles
    unit, scope = (("article", "in the article") if groups.per_article
                   else (groups.title, "per article"))
    caption = (f"The stance cues behind net optimism, per {unit}: the {top_terms} most frequent "
               f"optimism cues (bars to the right) and caution cues (hatched, to the left) of "
               f"lexicons/optimism.txt and lexicons/caution.txt (evidence features 'optimism' "
               f"and 'caution'; a negated cue counts on the other side and shows its negator); "
               f"bar length: matches {scope}, no intervals; ties in alphabetical order; each "
               f"side is ranked on its own, so a row does not pair a caution cue with an "
               f"optimism cue"
               f"{panels_note(panel_ids, n_articles) if groups.per_article else ''}. n = "
               f"{fmt_int(len(panel_ids) if groups.per_article else n_articles)} "
               f"articles, {fmt_int(cue_totals['optimism'])} optimism and "
               f"{fmt_int(cue_totals['caution'])} caution matches in all. VADER's word-level "
               f"contributions to the compound (evidence features 'tone_positive' and "
               f"'tone_negative') are not shown; they are listed in evidence.csv."
               + groups.note("", colours=False))
    return Plot(fig, caption, data=cue_counts)


def stance_cue_counts(evidence: pd.DataFrame, groups: Grouping) -> pd.DataFrame:
    """Matches of every optimism and caution cue, per article or per group.

    Parameters
    ----------
    evidence : DataFrame
        The evidence table (``article_id``, ``feature``, ``term``).
    groups : Grouping
        Per article up to :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles, per group
        beyond.

    Returns
    -------
    DataFrame
        ``unit, feature, term, n``.
    """
    ev = evidence[evidence["feature"].isin(["optimism", "caution"])]
    unit = groups.row_of(ev["article_id"])
    return (ev.assign(unit=unit).groupby(["unit", "feature", "term"]).size().rename("n")
            .reset_index())


def _draw_stance_cues(cue_counts: pd.DataFrame, panel_ids, groups: Grouping, labels: dict,
                      top_terms: int):
    """fig04 without its caption: the most frequent caution and optimism cues, back to back.

    Caution cues point left (hatched) and optimism cues right, on one scale; a panel per article
    of ``panel_ids`` up to :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles; beyond, a
    panel per group with matches per article, so that groups of different sizes compare.

    Parameters
    ----------
    cue_counts : DataFrame
        :func:`stance_cue_counts`.
    panel_ids : list of str
    groups : Grouping
    labels : dict
    top_terms : int
        Cues shown on each side.

    Returns
    -------
    Figure
    """
    if groups.per_article:
        units, titles, per = panel_ids, labels, None
    else:
        units, per = list(groups.names), groups.shown_sizes
        titles = dict(zip(units, groups.shown_labels("articles")))
    n_rows, n_cols = panel_grid(len(units))
    if per is not None:
        cue_counts = cue_counts.assign(n=cue_counts["n"] / cue_counts["unit"].map(per))
        cue_max = float(cue_counts["n"].max()) * 1.05 if len(cue_counts) else 1.0
    else:
        cue_max = max(int(cue_counts["n"].max()) if len(cue_counts) else 1, 1)
    rows_shown = max(min(top_terms, int(cue_counts.groupby(["unit", "feature"]).size().max())
                         if len(cue_counts) else 1), 1)
    fig, axes = plt.subplots(n_rows, n_cols,
                             figsize=(3.9 * n_cols, 0.9 + (0.6 + 0.19 * rows_shown) * n_rows),
                             squeeze=False, layout="constrained")
    for ax in axes.flat[len(units):]:
        ax.set_visible(False)
    for ax, unit in zip(axes.flat, units):
        a = cue_counts[cue_counts["unit"] == unit]
        opt = (a[a["feature"] == "optimism"]
               .sort_values(["n", "term"], ascending=[False, True], kind="stable").head(top_terms))
        cau = (a[a["feature"] == "caution"]
               .sort_values(["n", "term"], ascending=[False, True], kind="stable").head(top_terms))
        ax.barh(-np.arange(len(opt)), opt["n"], height=0.7, **category_style("optimism"))
        ax.barh(-np.arange(len(cau)), -cau["n"], height=0.7, **category_style("caution"))
        ax.set_yticks(-np.arange(len(cau)), cau["term"], fontsize=7)
        right = ax.secondary_yaxis("right")
        right.set_yticks(-np.arange(len(opt)), opt["term"], fontsize=7)
        right.tick_params(length=0)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.axvline(0, color="0.3", lw=0.8)
        ax.set_ylim(-rows_shown + 0.5, 0.5)
        if per is None:
            ax.set_xlim(-cue_max - 0.3, cue_max + 0.3)
            integer_ticks(ax.xaxis, absolute=True, nbins=8)
        else:
            ax.set_xlim(-cue_max, cue_max)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=6, symmetric=True))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{abs(v):g}"))
        ax.set_title(titles[unit], fontsize=8)
        ax.set_xlabel("cue matches (count): ← caution | optimism →" if per is None else
                      "cue matches per article: ← caution | optimism →", fontsize=7)
        if a.empty:
            ax.text(0.5, 0.5, "no cues", ha="center", va="center", transform=ax.transAxes,
                    fontsize=7, bbox=dict(facecolor="white", edgecolor="none"))
    fig.legend([Rectangle((0, 0), 1, 1, **category_style(k)) for k in ("caution", "optimism")],
               ["caution cue (left)", "optimism cue (right)"], loc="outside upper center", ncol=2,
               frameon=False, fontsize=8)
    return fig

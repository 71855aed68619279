"""The figures of notebooks 00-03 (fig00-fig12), legible at any number of articles.

The notebooks import this module as ``ap`` (``from analysis.plots import articles as ap``). It
draws fig00 and gathers every name they use, defined in

- :mod:`analysis.plots.grouping`: the thresholds, :class:`Grouping` and :func:`group_articles`;
- :mod:`analysis.plots.draw` and :mod:`analysis.plots.labels`: the recurring drawing idioms;
- :mod:`analysis.plots.tone` (fig01, fig02, fig05), :mod:`analysis.plots.trajectory` (fig03),
  :mod:`analysis.plots.stance` (fig04), :mod:`analysis.plots.emphasis` (fig06-fig08),
  :mod:`analysis.plots.sources` (fig09-fig11) and :mod:`analysis.plots.source_matrix` (fig12).

Every ``plot_*`` function returns a :class:`~analysis.plots.plot.Plot` whose caption gives the
numbers drawn. Every figure shows articles while the corpus is small and groups beyond the
thresholds of :mod:`analysis.plots.grouping`. The group views show the articles as a strip
under a box, with the group mean and its 95% interval over articles (fig00, fig01, fig05,
fig11); mean shares or rates (fig02, fig06); shares of the group's attributions (fig09,
fig10); counts per article or per 100 articles, so that groups of different sizes compare
(fig04, fig12). fig01 and fig11 add the lowest and highest articles with their intervals, and
fig03 becomes tone by position in the article, a line per group.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..figures import fmt_int
from .affiliations import MAX_COUNTRIES
from .draw import (RASTERIZE_ABOVE, add_group_legend, draw_distributions, draw_estimates,
                   draw_extremes, draw_interval_dots, draw_stacked, mean_interval, panel_grid)
from .emphasis import (frame_names, frame_rates, plot_emphasis_heatmap, plot_frame_terms,
                       plot_required_frames, shown_frames)
from .grouping import (DISTRIBUTION_NOTE, MAX_ARTICLE_COLORS, MAX_ARTICLE_ROWS, MAX_GROUPS,
                       Grouping, group_articles)
from .labels import spread_labels
from .layout import GREY, GROUP_PALETTE
from .plot import Plot
from .source_matrix import plot_source_matrix
from .sources import (attributions_note, plot_affiliation_shares, plot_source_diversity,
                      plot_source_types)
from .stance import plot_stance_cues
from .tone import plot_net_optimism, plot_tone_adaptation, plot_tone_shares
from .trajectory import plot_tone_trajectory

__all__ = [
    # thresholds, groups and colours
    "MAX_ARTICLE_COLORS", "MAX_ARTICLE_ROWS", "MAX_GROUPS", "RASTERIZE_ABOVE", "GROUP_PALETTE",
    "GREY", "DISTRIBUTION_NOTE", "Grouping", "group_articles", "mean_interval", "Plot",
    # recurring idioms
    "spread_labels", "panel_grid", "add_group_legend", "draw_interval_dots",
    "draw_distributions", "draw_extremes", "draw_stacked", "draw_estimates",
    # the figures of notebooks 00-03
    "plot_corpus_overview", "plot_net_optimism", "plot_tone_shares", "plot_tone_trajectory",
    "plot_stance_cues", "plot_tone_adaptation", "frame_names", "frame_rates", "shown_frames",
    "plot_emphasis_heatmap", "plot_required_frames", "plot_frame_terms", "plot_source_types",
    "plot_affiliation_shares", "plot_source_diversity", "plot_source_matrix", "MAX_COUNTRIES",
    "attributions_note",
]


def plot_corpus_overview(features: pd.DataFrame, removed: pd.DataFrame, groups: Grouping,
                         labels: dict) -> Plot:
    """fig00: length, sentences and headings of the articles, and the lines cleaning removed.

    Up to :data:`MAX_ARTICLE_ROWS` articles, one row per article, the longest on top; beyond, the
    distributions of length, sentences and headings by group, and the removed lines summed per
    group and cleaning rule.

    Parameters
    ----------
    features : DataFrame
        ``article_id``, ``n_words``, ``n_sentences``, ``n_headings``.
    removed : DataFrame
        The lines cleaning removed (``article_id``, ``rule``; the audit table).
    groups : Grouping
    labels : dict
        Article ID -> row label.

    Returns
    -------
    Plot
        ``data``: the removed lines counted per row and rule.

    Examples
    --------
    >>> groups = group_articles(features, group_by, strict=True)  # doctest: +SKIP
    >>> labels = article_labels(features)  # doctest: +SKIP
    >>> fig00 = plot_corpus_overview(features, removed, groups, labels)  # doctest: +SKIP
    """
    rules = sorted(removed["rule"].unique())
    if groups.per_article:
        order = (features.sort_values("n_words", ascending=False, kind="stable")["article_id"]
                 .tolist())
        rows, row_labels = order, [labels[a] for a in order]
        counts = (removed.groupby(["article_id", "rule"]).size().unstack(fill_value=0)
                  .reindex(index=order, columns=rules, fill_value=0))
    else:
        rows, row_labels = list(groups.names), groups.shown_labels()
        counts = (removed.assign(group=removed["article_id"].map(groups.of))
                  .groupby(["group", "rule"]).size().unstack(fill_value=0)
                  .reindex(index=rows, columns=rules, fill_value=0))
    y = np.arange(len(rows))
    by_id = features.set_index("article_id")
    height = max(2.4, (0.42 if groups.per_article else 0.6) * len(rows) + 1.2)
    if groups.per_article:
        fig, axes = plt.subplots(1, 3, figsize=(11, height + 0.6), sharey=True,
                                 gridspec_kw={"width_ratios": [1.2, 1, 1.2]})
        ax = axes[0]
        ax.barh(y, by_id.loc[rows, "n_words"], color=[groups.article_colors[a] for a in rows])
        ax.set_yticks(y, row_labels)
        ax.set_xlabel("article length (words)")
        ax.set_title("Length")
        ax.invert_yaxis()  # longest article on top; shared by all panels
        ax = axes[1]
        ax.barh(y - 0.2, by_id.loc[rows, "n_sentences"], height=0.4, color="#555555",
                label="sentences")
        ax.barh(y + 0.2, by_id.loc[rows, "n_headings"], height=0.4, color="#BBBBBB",
                label="headings")
        ax.set_xlabel("count (sentences, headings)")
        ax.set_title("Sentences (dark), headings (light)")
    else:
        fig, axes = plt.subplots(1, 4, figsize=(13, height + 0.6), sharey=True,
                                 gridspec_kw={"width_ratios": [1.2, 1, 1, 1.2]})
        for ax, col, xlabel, title in [
                (axes[0], "n_words", "article length (words)", "Length"),
                (axes[1], "n_sentences", "sentences per article (count)", "Sentences"),
                (axes[2], "n_headings", "headings per article (count)", "Headings")]:
            draw_distributions(ax, by_id[col], groups, label_axis=ax is axes[0])
            ax.set_xlabel(xlabel)
            ax.set_title(title)
        axes = [axes[0], axes[1], axes[3]]
    ax = axes[-1]
    mat = counts.to_numpy()
    ax.imshow(mat if mat.size else np.zeros((len(rows), 1)), aspect="auto", cmap="Greys",
              vmin=0, vmax=max(2, mat.max(initial=0)) * 1.6, origin="upper",
              extent=(-0.5, max(len(rules), 1) - 0.5, len(rows) - 0.5, -0.5))
    for (i, j), v in np.ndenumerate(mat):
        if v:
            ax.text(j, i, fmt_int(v) if not groups.per_article else str(v), ha="center",
                    va="center", fontsize=8)
    ax.set_xticks(range(len(rules)), rules, rotation=40, ha="right", fontsize=7)
    ax.set_xlabel("lines removed, by cleaning rule (count)" if groups.per_article
                  else "lines removed, by cleaning rule (count, summed over the group)")
    ax.set_title("Cleaning")
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    if groups.per_article:
        add_group_legend(axes[0], groups, kind="patch", loc="lower left",
                         bbox_to_anchor=(0, 1.08), ncol=4)
    fig.tight_layout()
    panels = ("Left: length in words; middle: sentences and headings; right: " if groups.per_article
              else "Left to right: length in words, sentences, headings per article; ")
    caption = (f"Corpus overview, n = {len(features)} articles, "
               f"{fmt_int(features['n_words'].sum())} words after cleaning. {panels}scraped "
               f"boilerplate lines removed, by cleaning rule ({fmt_int(len(removed))} lines in "
               f"all; every removal is listed in audit.csv)." + groups.note())
    return Plot(fig, caption, data=counts)

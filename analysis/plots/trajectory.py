"""fig03 of notebook 01: tone through each article, or through the article by group.

Up to :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles, small multiples of the
longest articles (:func:`longest_articles`, also the panels of fig04): every sentence's
learned tone (:data:`TONE_COLUMN`, the tone measure that agrees best with human raters,
``docs/validation.md``) in reading order. Beyond, tone by position in the article
(:func:`tone_by_position`), a line per group with its 95% band.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..figures import fmt_int, integer_ticks
from .draw import add_group_legend, mean_interval, panel_grid
from .grouping import Grouping
from .labels import spread_labels
from .plot import Plot

TONE_COLUMN = "tone_learned"  # the sentence tone drawn (sentences.csv)

__all__ = ["longest_articles", "panels_note", "tone_by_position", "plot_tone_trajectory"]


def longest_articles(sentences: pd.DataFrame, k: int) -> list[str]:
    """The ``k`` articles with the most sentences and headings, in article_id order: the panels
    of the small multiples (fig03, fig04).

    Parameters
    ----------
    sentences : DataFrame
        ``article_id``, one row per sentence or heading.
    k : int

    Returns
    -------
    list of str

    Examples
    --------
    >>> longest_articles(pd.DataFrame({"article_id": ["b", "a", "a", "c", "c"]}), 2)
    ['a', 'c']
    """
    return sorted(sentences.groupby("article_id").size()
                  .sort_values(ascending=False, kind="stable").index[:k])


def panels_note(panel_ids, n_articles: int) -> str:
    """Caption words on the articles the small multiples leave out ("" when none).

    Parameters
    ----------
    panel_ids : list of str
        :func:`longest_articles`.
    n_articles : int

    Returns
    -------
    str
    """
    return ("" if len(panel_ids) == n_articles
            else f"; the {len(panel_ids)} longest of {fmt_int(n_articles)} articles shown")


def plot_tone_trajectory(sentences: pd.DataFrame, groups: Grouping, labels: dict, *,
                         max_panels: int = 12, smooth_window: int = 5) -> Plot:
    """fig03: tone through each article, or through the article by group.

    Up to :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles, a panel for each of the
    ``max_panels`` longest (:func:`longest_articles`): every sentence's learned tone and its
    rolling mean. Beyond, tone by position in the article (:func:`tone_by_position`), a line per
    group.

    Parameters
    ----------
    sentences : DataFrame
        ``article_id``, ``sentence_id``, ``tone_learned``.
    groups : Grouping
    labels : dict
    max_panels : int
        Articles drawn at most.
    smooth_window : int
        Sentences in the rolling mean.

    Returns
    -------
    Plot
        ``data``: tone by position per group (the group view only).
    """
    n_articles, n_units = groups.n_articles, len(sentences)
    if groups.per_article:
        panel_ids = longest_articles(sentences, max_panels)
        fig = _draw_trajectories(sentences, panel_ids, groups, labels, smooth_window)
        caption = (f"Tone through each article: learned sentence tone (tone_learned, a "
                   f"weighted lexicon trained on human ratings; −1 to +1) of every sentence and "
                   f"heading (bars) and its "
                   f"{smooth_window}-sentence centred rolling mean (line), in reading order"
                   f"{panels_note(panel_ids, n_articles)}; n = {fmt_int(len(panel_ids))} "
                   f"articles, {fmt_int(int(sentences['article_id'].isin(panel_ids).sum()))} "
                   f"sentences and headings; no intervals." + groups.note())
        return Plot(fig, caption)
    profile = tone_by_position(sentences, groups)
    fig = _draw_tone_profile(profile, groups)
    caption = (f"Tone through the article: each article's sentences and headings in reading "
               f"order are cut into tenths; line: the mean over the group's articles of each "
               f"tenth's learned sentence tone (tone_learned, trained on human ratings; −1 to "
               f"+1); band: 95% normal-approximation interval over articles. n = "
               f"{fmt_int(n_articles)} articles, {fmt_int(n_units)} sentences and headings; "
               f"{groups.describe_shown()}.")
    return Plot(fig, caption, data=profile)


def _draw_trajectories(sentences: pd.DataFrame, panel_ids, groups: Grouping, labels: dict,
                       smooth_window: int):
    """fig03 for a few articles: the tone of every sentence in reading order.

    Bars show each sentence's learned tone and a line its rolling mean; one panel per article.

    Parameters
    ----------
    sentences : DataFrame
        ``article_id``, ``sentence_id``, ``tone_learned``.
    panel_ids : list of str
        The articles, a panel each.
    groups : Grouping
    labels : dict
    smooth_window : int
        Sentences in the rolling mean.

    Returns
    -------
    Figure
    """
    n_rows, n_cols = panel_grid(len(panel_ids))
    colors = groups.article_colors
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(3.2 * n_cols, 2.2 * n_rows), sharey=True,
                             squeeze=False)
    for ax in axes.flat[len(panel_ids):]:
        ax.set_visible(False)
    for ax, aid in zip(axes.flat, panel_ids):
        s = sentences[sentences["article_id"] == aid].sort_values("sentence_id")
        ax.axhline(0, color="0.7", lw=0.8)
        ax.bar(s["sentence_id"], s[TONE_COLUMN], color=colors[aid], alpha=0.45,
               width=0.9)
        ax.plot(s["sentence_id"], s[TONE_COLUMN].rolling(
            smooth_window, min_periods=1, center=True).mean(), color=colors[aid], lw=1.8)
        ax.set_title(labels[aid], fontsize=8)
        ax.set_ylim(-1, 1)
        integer_ticks(ax.xaxis)
    for ax in axes[:, 0]:
        ax.set_ylabel("learned tone (−1 … +1)")
    for ax in axes.flat[max(len(panel_ids) - n_cols, 0):len(panel_ids)]:
        ax.set_xlabel("sentence index (headings included)")
    fig.tight_layout()
    add_group_legend(fig, groups, kind="patch", loc="lower center", bbox_to_anchor=(0.5, 1.0),
                     ncol=min(len(groups.names), 4))
    return fig


def tone_by_position(sentences: pd.DataFrame, groups: Grouping, bins: int = 10,
                     column: str = TONE_COLUMN) -> pd.DataFrame:
    """Tone by position in the article, per group (fig03 for many articles).

    Each article's sentences are cut into ``bins`` parts in reading order; the mean of ``column``
    in each part of each article is then averaged over the group's articles.

    Parameters
    ----------
    sentences : DataFrame
        ``article_id``, ``sentence_id`` and ``column``.
    groups : Grouping
    bins : int
    column : str

    Returns
    -------
    DataFrame
        ``group, bin, n, mean, lo, hi``: articles, their mean and its 95% interval.
    """
    s = sentences[["article_id", "sentence_id", column]].sort_values(
        ["article_id", "sentence_id"], kind="stable")
    size = s.groupby("article_id")["sentence_id"].transform("size").to_numpy()
    rank = s.groupby("article_id").cumcount().to_numpy()
    s = s.assign(bin=np.minimum(((rank + 0.5) / size * bins).astype(int), bins - 1))
    per_article = s.groupby(["article_id", "bin"])[column].mean().rename("value").reset_index()
    per_article["group"] = per_article["article_id"].map(groups.of)
    rows = []
    for (g, b), v in per_article.groupby(["group", "bin"])["value"]:
        m, lo, hi = mean_interval(v)
        rows.append({"group": g, "bin": b, "n": len(v), "mean": m, "lo": lo, "hi": hi})
    return pd.DataFrame(rows, columns=["group", "bin", "n", "mean", "lo", "hi"])


def _draw_tone_profile(profile: pd.DataFrame, groups: Grouping, bins: int = 10):
    """fig03 for many articles: tone through the article, a line per group.

    Each line has its 95% band; the groups are named at the line ends, spread so that the names
    do not overlap.

    Parameters
    ----------
    profile : DataFrame
        :func:`tone_by_position`.
    groups : Grouping
    bins : int
        As in :func:`tone_by_position`.

    Returns
    -------
    Figure
    """
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    x = (np.arange(bins) + 0.5) / bins * 100
    ends = []
    for g in groups.names:
        p = profile[profile["group"] == g].set_index("bin").reindex(range(bins))
        col = groups.shown_colors[g]
        ax.fill_between(x, p["lo"], p["hi"], color=col, alpha=0.18, linewidth=0)
        ax.plot(x, p["mean"], color=col, lw=1.8, marker="o", ms=3)
        last = p["mean"].dropna()
        if len(last):
            ends.append((g, x[last.index[-1]], float(last.iloc[-1]), col))
    ax.axhline(0, color="0.6", lw=0.8, ls="--")
    lo = np.nanmin([profile["lo"].min(), profile["mean"].min(), -0.1])
    hi = np.nanmax([profile["hi"].max(), profile["mean"].max(), 0.1])
    pad = 0.08 * (hi - lo)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlim(0, 100)
    ax.set_xlabel("position in the article (% of its sentences and headings, tenths)")
    ax.set_ylabel("learned tone, mean over articles (−1 … +1)")
    ax.set_title("Tone through the article" + (f", by {groups.column}" if groups.column else ""))
    axes_pt = fig.get_figheight() * ax.get_position().height * 72  # the axes' height
    gap = 8 * 1.35 / axes_pt * (hi - lo + 2 * pad)  # one 8 pt line, in data units
    ys = spread_labels([e[2] for e in ends], gap, lo - pad, hi + pad)
    for (g, xe, ye, col), yl in zip(ends, ys):
        ax.annotate(groups.label(g), xy=(xe, ye), xytext=(103, yl), textcoords="data",
                    fontsize=8, color="0.1", va="center", annotation_clip=False,
                    arrowprops=dict(arrowstyle="-", color=col, lw=0.8, shrinkA=0, shrinkB=2))
    return fig

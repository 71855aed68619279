"""Tone figures of notebook 01: net optimism (fig01), tone shares (fig02) and the effect of
neutralising topic words (fig05). Tone through the article (fig03) is in
:mod:`analysis.plots.trajectory`, the stance cues (fig04) in :mod:`analysis.plots.stance`.

Each ``plot_*`` function takes the tables of ``features`` and a
:class:`~analysis.plots.grouping.Grouping`, draws articles or groups by its thresholds and
returns a :class:`~analysis.plots.plot.Plot` whose caption gives the numbers drawn.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..config import N_RESAMPLES
from ..figures import category_style, fmt_int, fmt_signed
from ..measures.tone.scorer import VADER_THRESHOLD
from .draw import add_group_legend, draw_distributions, draw_estimates, draw_stacked
from .grouping import DISTRIBUTION_NOTE, Grouping
from .plot import Plot

__all__ = ["plot_net_optimism", "plot_tone_shares", "plot_tone_adaptation"]


def plot_net_optimism(features: pd.DataFrame, groups: Grouping, labels: dict, *, n_units: int,
                      extremes: int = 5, n_resamples: int = N_RESAMPLES) -> Plot:
    """fig01: net optimism per article, sorted, with its 95% interval.

    Beyond :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles, its distribution by group
    and the ``extremes`` lowest and highest articles (:func:`~analysis.plots.draw.draw_estimates`).

    Parameters
    ----------
    features : DataFrame
        ``article_id``, ``net_optimism`` and its bounds ``net_optimism_lo``, ``_hi``.
    groups : Grouping
    labels : dict
        Article ID -> label.
    n_units : int
        Sentences and headings scored (rows of ``sentences.csv``), for the caption.
    extremes : int
        Articles named at each end in the group view.
    n_resamples : int
        Of the sentence bootstrap behind the intervals (caption).

    Returns
    -------
    Plot
        ``data``: the articles in the order drawn.

    Examples
    --------
    >>> fig01 = plot_net_optimism(features, groups, labels,
    ...                           n_units=len(sentences))  # doctest: +SKIP
    """
    order = features.sort_values(["net_optimism", "article_id"], kind="stable")
    fig = draw_estimates(order, "net_optimism", groups, labels, extremes=extremes,
                         xlabel="net optimism (index, −1 cautious … +1 optimistic)",
                         title="Net optimism per article")
    n_articles = len(features)
    caption = (f"Net optimism per article, sorted: the mean over the article's sentences and "
               f"headings of (learned tone + optimism-vs-caution stance) / 2, on −1 "
               f"(cautious) to +1 (optimistic); dashed line: 0. n = {fmt_int(n_articles)} "
               f"articles, {fmt_int(n_units)} sentences and headings; dots: estimates; bars: 95% "
               f"sentence-bootstrap intervals, {fmt_int(n_resamples)} resamples. Range "
               f"{fmt_signed(order['net_optimism'].min())} to "
               f"{fmt_signed(order['net_optimism'].max())}; "
               f"{int((order['net_optimism_lo'] > 0).sum())} of {fmt_int(n_articles)} intervals "
               f"lie entirely above 0." + groups.note(f"{DISTRIBUTION_NOTE}; right: the "
                                                      f"{extremes} lowest and {extremes} "
                                                      f"highest articles"))
    return Plot(fig, caption, data=order)


def plot_tone_shares(features: pd.DataFrame, groups: Grouping, labels: dict, *,
                     n_units: int) -> Plot:
    """fig02: the sentences of each article by tone (VADER, raw lexicon), as stacked shares.

    One bar per article in the order of fig01 up to
    :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles; beyond, the mean shares of each
    group, the first group at the top.

    Parameters
    ----------
    features : DataFrame
        ``article_id``, ``net_optimism``, ``tone_pos_share``, ``tone_neg_share``.
    groups : Grouping
    labels : dict
    n_units : int
        Sentences and headings scored, for the caption.

    Returns
    -------
    Plot
        ``data``: the shares, negative, neutral and positive, by article.
    """
    shares = features.set_index("article_id")[["tone_pos_share", "tone_neg_share"]].set_axis(
        ["positive", "negative"], axis=1)
    shares = shares.assign(neutral=1 - shares["positive"] - shares["negative"])[
        ["negative", "neutral", "positive"]]
    order = features.sort_values(["net_optimism", "article_id"], kind="stable")["article_id"]
    fig = _draw_tone_shares(shares, order, groups, labels)
    rows = "articles in the order of fig01" if groups.per_article else "one bar per group"
    caption = (f"Share of each article's sentences and headings that VADER (raw lexicon) scores "
               f"negative (compound ≤ −{VADER_THRESHOLD}, hatched), neutral and positive "
               f"(≥ +{VADER_THRESHOLD}); {rows}; no intervals. "
               f"n = {fmt_int(len(features))} articles, {fmt_int(n_units)} sentences and "
               f"headings. Mean positive share {shares['positive'].mean():.2f}, negative "
               f"{shares['negative'].mean():.2f}."
               + groups.note("bars: mean shares over the articles", colours=False))
    return Plot(fig, caption, data=shares)


def _draw_tone_shares(shares: pd.DataFrame, order, groups: Grouping, labels: dict):
    """fig02 without its caption.

    Parameters
    ----------
    shares : DataFrame
        Indexed by article_id; columns negative, neutral, positive (shares, 0-1).
    order : list of str
        Article IDs, the first at the bottom.
    groups : Grouping
    labels : dict
        Article ID -> label.

    Returns
    -------
    Figure
        One bar per article up to :data:`MAX_ARTICLE_ROWS` articles; beyond, the mean shares of
        each group, the first group at the top.
    """
    if groups.per_article:
        table, row_labels = shares.loc[list(order)], [labels[a] for a in order]
    else:
        table = shares.groupby(groups.of).mean().loc[list(groups.names)]
        row_labels = groups.shown_labels()
    fig, ax = plt.subplots(figsize=(6.5, 0.9 + 0.32 * max(len(table), 2)))
    y = np.arange(len(table))
    draw_stacked(ax, table, category_style, y)
    ax.set_yticks(y, row_labels)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the article's sentences and headings (0–1)" if groups.per_article
                  else "mean share of the article's sentences and headings (0–1)")
    if not groups.per_article:
        ax.set_ylabel(groups.title)
        ax.invert_yaxis()  # groups top-down, as in the other group views
    ax.legend(ncol=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return fig


def _draw_tone_adaptation(adapt: pd.DataFrame, groups: Grouping):
    """fig05 without its caption: raw against topic-neutral (adapted) mean compound.

    Up to :data:`MAX_ARTICLE_ROWS` articles, a row per article of ``adapt`` in its order: open dot
    raw, filled dot adapted, joined by a line. Beyond, the distribution of the change (adapted −
    raw) by group.

    Parameters
    ----------
    adapt : DataFrame
        ``article_id``, ``label``, ``tone_mean``, ``tone_mean_adapted``, ``change``.
    groups : Grouping

    Returns
    -------
    Figure
    """
    if not groups.per_article:
        fig, ax = plt.subplots(figsize=(6.5, 1.3 + 0.6 * len(groups.names)))
        draw_distributions(ax, adapt.set_index("article_id")["change"], groups)
        ax.axvline(0, color="0.6", lw=0.8, ls="--", zorder=1)
        ax.set_xlabel("change in mean sentence compound: adapted − raw")
        ax.set_title("How much neutralising topic words changes tone")
        return fig
    colors = [groups.article_colors[a] for a in adapt["article_id"]]
    fig, ax = plt.subplots(figsize=(6.5, 0.9 + 0.32 * len(adapt)))
    ya = np.arange(len(adapt))
    ax.hlines(ya, adapt["tone_mean"], adapt["tone_mean_adapted"], color="0.6", lw=1.2)
    ax.scatter(adapt["tone_mean"], ya, facecolors="white", edgecolors=colors, s=36, zorder=3,
               linewidths=1.2)
    ax.scatter(adapt["tone_mean_adapted"], ya, c=colors, s=36, zorder=3, edgecolors="0.2",
               linewidths=0.4)
    # Legend keys in neutral grey: the colours identify articles, the fill tells raw from adapted.
    ax.scatter([], [], facecolors="white", edgecolors="0.2", s=36, linewidths=1.2,
               label="raw VADER")
    ax.scatter([], [], c="0.2", s=36, label="topic-neutral (adapted)")
    ax.axvline(0, color="0.6", lw=0.8, ls="--")
    ax.set_yticks(ya, adapt["label"])
    ax.set_xlabel("mean sentence compound (−1 … +1)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    if not groups.by_article and len(groups.names) > 1:
        ax.add_artist(ax.get_legend())
        add_group_legend(ax, groups)
    return fig


def plot_tone_adaptation(features: pd.DataFrame, groups: Grouping, labels: dict, *,
                         n_units: int, topic_terms=()) -> Plot:
    """fig05: the mean compound of every article with the raw and the adapted lexicon.

    The adapted lexicon neutralises the study's topic words and words inside proper names.

    Parameters
    ----------
    features : DataFrame
        ``article_id``, ``tone_mean``, ``tone_mean_adapted``.
    groups : Grouping
    labels : dict
    n_units : int
        Sentences and headings scored, for the caption.
    topic_terms : collection of str
        The study's topic terms (``Study.topic_terms``), counted in the caption.

    Returns
    -------
    Plot
        ``data``: ``article_id``, ``tone_mean``, ``tone_mean_adapted``, ``change`` (adapted −
        raw) and ``label``; ``table``: it rounded to 3 decimals.
    """
    adapt = features[["article_id", "tone_mean", "tone_mean_adapted"]].copy()
    adapt["change"] = adapt["tone_mean_adapted"] - adapt["tone_mean"]
    adapt["label"] = adapt["article_id"].map(labels)
    fig = _draw_tone_adaptation(adapt.sort_values(["tone_mean", "article_id"], kind="stable"),
                                groups)
    caption = (f"Mean VADER compound over each article's sentences and headings with the raw "
               f"lexicon (open circles) and with the study's topic words and words in proper "
               f"names neutralised (filled); n = {fmt_int(len(features))} articles, "
               f"{fmt_int(n_units)} sentences and headings; points are estimates (95% intervals "
               f"in features.csv, tone_mean_lo/_hi and tone_mean_adapted_lo/_hi). Mean change "
               f"{fmt_signed(adapt['change'].mean(), 3)} (range "
               f"{fmt_signed(adapt['change'].min(), 3)} to "
               f"{fmt_signed(adapt['change'].max(), 3)}); {fmt_int(len(topic_terms))} topic "
               f"terms in the study."
               + groups.note(f"the change (adapted − raw) per article; {DISTRIBUTION_NOTE}"))
    return Plot(fig, caption, data=adapt, table=adapt.round(3))

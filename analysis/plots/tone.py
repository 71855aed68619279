"""Tone figures of notebook 01 (fig01-fig05), per article or per group.

Net optimism and other estimates with their intervals (:func:`plot_estimates`, also fig11),
shares of sentences by tone, tone through the article, the stance cues and the effect of
neutralising topic words. Each function takes an :class:`~analysis.plots.groups.ArticleGroups`,
switches from articles to groups at its thresholds and returns the figure unsaved.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..figures import category_style, integer_ticks
from .draw import (add_group_legend, draw_distributions, draw_extremes, draw_interval_dots,
                   draw_stacked, panel_grid)
from .groups import ArticleGroups, mean_interval
from .labels import spread_labels

__all__ = ["plot_estimates", "plot_tone_shares", "plot_tone_trajectories", "tone_by_position",
           "plot_tone_profile", "stance_cue_counts", "plot_stance_cues", "plot_tone_adaptation"]


def plot_estimates(table: pd.DataFrame, column: str, groups: ArticleGroups, labels: dict, *,
                   xlabel: str, title: str, extremes: int = 5, tick_labels=None,
                   zero_line: bool = True, base_height: float = 0.9, empty_text: str = "",
                   xlim=None, from_zero: bool = False):
    """An estimate per article with its 95% interval (fig01, fig11).

    Up to :data:`MAX_ARTICLE_ROWS` articles, one row per article of ``table`` in its order, bottom
    to top, dots in the article colours (group colours beyond 12 articles). Beyond, the
    distribution by group on the left and the ``extremes`` lowest and highest articles with their
    intervals on the right.

    Parameters
    ----------
    table : DataFrame
        ``article_id``, ``column`` and its bounds ``column_lo``, ``column_hi``.
    column : str
    groups : ArticleGroups
    labels : dict
        Article ID -> label.
    xlabel, title : str
    extremes : int
        Articles shown at each end in the group view.
    tick_labels : list of str, optional
        Row labels instead of ``labels``.
    zero_line : bool
        A dashed line at 0.
    base_height : float
        Height of the per-article figure besides its rows, in inches.
    empty_text : str
        Written on the rows without an estimate.
    xlim : (float, float), optional
    from_zero : bool
        The x axis runs from 0 to the largest upper bound (at least 1) plus 5%, the rows fill the
        y axis and the left spine moves out, so a dot at 0 stays clear of it (fig11).

    Returns
    -------
    Figure

    Examples
    --------
    >>> fig = plot_estimates(table, "net_optimism", groups, labels,  # doctest: +SKIP
    ...                      xlabel="net optimism", title="Net optimism per article")
    """
    if from_zero:
        hi = table.loc[table[column].notna(), f"{column}_hi"].max()
        xlim = (0, max(float(hi) if np.isfinite(hi) else 0.0, 1.0) * 1.05)
    if groups.per_article:
        fig, ax = plt.subplots(figsize=(6.5, base_height + 0.32 * len(table)))
        y, ok = draw_interval_dots(ax, table[column], table[f"{column}_lo"],
                                   table[f"{column}_hi"],
                                   [groups.article_colors[a] for a in table["article_id"]],
                                   clip_on=not from_zero)
        if zero_line:
            ax.axvline(0, color="0.6", lw=0.8, ls="--")
        for yi in y[~ok]:
            ax.text(0.02, yi, empty_text, va="center", fontsize=7, color="0.3",
                    transform=ax.get_yaxis_transform())
        ax.set_yticks(y, tick_labels if tick_labels is not None
                      else [labels[a] for a in table["article_id"]])
        if xlim is not None:
            ax.set_xlim(*xlim)
        if from_zero:
            ax.set_ylim(-0.5, len(table) - 0.5)
            ax.spines["left"].set_position(("outward", 6))
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        add_group_legend(ax, groups)
        return fig
    height = 1.3 + max(0.6 * len(groups.names), 0.26 * (2 * extremes + 1))
    fig, (ax, ex) = plt.subplots(1, 2, figsize=(12, height), layout="constrained")
    draw_distributions(ax, table.set_index("article_id")[column], groups)
    draw_extremes(ex, table, column, groups, labels, extremes)
    what = title.replace(" per article", "")
    ax.set_title(f"{what} by {groups.column}" if groups.column else f"{what}: all articles")
    ex.set_title(f"The {extremes} lowest and {extremes} highest articles (95% intervals)",
                 fontsize=9)
    for a in (ax, ex):
        if zero_line:
            a.axvline(0, color="0.6", lw=0.8, ls="--", zorder=1)
        if xlim is not None:
            a.set_xlim(*xlim)
        a.set_xlabel(xlabel)
    add_group_legend(ex, groups)
    return fig


def plot_tone_shares(shares: pd.DataFrame, order, groups: ArticleGroups, labels: dict):
    """fig02: the sentences of each article by tone, as stacked shares.

    Parameters
    ----------
    shares : DataFrame
        Indexed by article_id; columns negative, neutral, positive (shares, 0-1).
    order : list of str
        Article IDs, the first at the bottom.
    groups : ArticleGroups
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
        row_labels = groups.labels()
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


def plot_tone_trajectories(sentences: pd.DataFrame, panel_ids, groups: ArticleGroups,
                           labels: dict, smooth_window: int):
    """fig03 for a few articles: the tone of every sentence in reading order.

    Bars show each sentence's adapted compound and a line its rolling mean; one panel per article.

    Parameters
    ----------
    sentences : DataFrame
        ``article_id``, ``sentence_id``, ``tone_compound_adapted``.
    panel_ids : list of str
        The articles, a panel each.
    groups : ArticleGroups
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
        ax.bar(s["sentence_id"], s["tone_compound_adapted"], color=colors[aid], alpha=0.45,
               width=0.9)
        ax.plot(s["sentence_id"], s["tone_compound_adapted"].rolling(
            smooth_window, min_periods=1, center=True).mean(), color=colors[aid], lw=1.8)
        ax.set_title(labels[aid], fontsize=8)
        ax.set_ylim(-1, 1)
        integer_ticks(ax.xaxis)
    for ax in axes[:, 0]:
        ax.set_ylabel("adapted compound (−1 … +1)")
    for ax in axes.flat[max(len(panel_ids) - n_cols, 0):len(panel_ids)]:
        ax.set_xlabel("sentence index (headings included)")
    fig.tight_layout()
    add_group_legend(fig, groups, kind="patch", loc="lower center", bbox_to_anchor=(0.5, 1.0),
                     ncol=min(len(groups.names), 4))
    return fig


def tone_by_position(sentences: pd.DataFrame, groups: ArticleGroups, bins: int = 10,
                     column: str = "tone_compound_adapted") -> pd.DataFrame:
    """Tone by position in the article, per group (fig03 for many articles).

    Each article's sentences are cut into ``bins`` parts in reading order; the mean of ``column``
    in each part of each article is then averaged over the group's articles.

    Parameters
    ----------
    sentences : DataFrame
        ``article_id``, ``sentence_id`` and ``column``.
    groups : ArticleGroups
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


def plot_tone_profile(profile: pd.DataFrame, groups: ArticleGroups, bins: int = 10):
    """fig03 for many articles: tone through the article, a line per group.

    Each line has its 95% band; the groups are named at the line ends, spread so that the names
    do not overlap.

    Parameters
    ----------
    profile : DataFrame
        :func:`tone_by_position`.
    groups : ArticleGroups
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
        col = groups.colors[g]
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
    ax.set_ylabel("adapted compound, mean over articles (−1 … +1)")
    ax.set_title("Tone through the article" + (f", by {groups.column}" if groups.column else ""))
    axes_pt = fig.get_figheight() * ax.get_position().height * 72  # the axes' height
    gap = 8 * 1.35 / axes_pt * (hi - lo + 2 * pad)  # one 8 pt line, in data units
    ys = spread_labels([e[2] for e in ends], gap, lo - pad, hi + pad)
    for (g, xe, ye, col), yl in zip(ends, ys):
        ax.annotate(groups.label(g), xy=(xe, ye), xytext=(103, yl), textcoords="data",
                    fontsize=8, color="0.1", va="center", annotation_clip=False,
                    arrowprops=dict(arrowstyle="-", color=col, lw=0.8, shrinkA=0, shrinkB=2))
    return fig


def stance_cue_counts(evidence: pd.DataFrame, groups: ArticleGroups) -> pd.DataFrame:
    """Matches of every optimism and caution cue, per article or per group.

    Parameters
    ----------
    evidence : DataFrame
        The evidence table (``article_id``, ``feature``, ``term``).
    groups : ArticleGroups
        Per article up to :data:`MAX_ARTICLE_ROWS` articles, per group beyond.

    Returns
    -------
    DataFrame
        ``unit, feature, term, n``.
    """
    ev = evidence[evidence["feature"].isin(["optimism", "caution"])]
    unit = groups.row_of(ev["article_id"])
    return (ev.assign(unit=unit).groupby(["unit", "feature", "term"]).size().rename("n")
            .reset_index())


def plot_stance_cues(cue_counts: pd.DataFrame, panel_ids, groups: ArticleGroups, labels: dict,
                     top_terms: int):
    """fig04: the most frequent caution and optimism cues, back to back.

    Caution cues point left (hatched) and optimism cues right, on one scale; a panel per article
    of ``panel_ids`` up to :data:`MAX_ARTICLE_ROWS` articles; beyond, a panel per group with
    matches per article, so that groups of different sizes compare.

    Parameters
    ----------
    cue_counts : DataFrame
        :func:`stance_cue_counts`.
    panel_ids : list of str
    groups : ArticleGroups
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
        units, per = list(groups.names), groups.sizes
        titles = dict(zip(units, groups.labels("articles")))
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


def plot_tone_adaptation(adapt: pd.DataFrame, groups: ArticleGroups):
    """fig05: raw against topic-neutral (adapted) mean compound.

    Up to :data:`MAX_ARTICLE_ROWS` articles, a row per article of ``adapt`` in its order: open dot
    raw, filled dot adapted, joined by a line. Beyond, the distribution of the change (adapted −
    raw) by group.

    Parameters
    ----------
    adapt : DataFrame
        ``article_id``, ``label``, ``tone_mean``, ``tone_mean_adapted``, ``change``.
    groups : ArticleGroups

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

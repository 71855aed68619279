"""Drawing idioms the per-article figures share: dots with intervals, distributions by group,
the extreme articles, stacked bars, the legend of the group colours; and the one figure two of
them share, an estimate per article with its interval (:func:`draw_estimates`, fig01 and fig11).

Each idiom draws on the Axes it is given and sizes nothing; colours come from the groups shown
of a :class:`~analysis.plots.grouping.Grouping`. Strips of more than :data:`RASTERIZE_ABOVE`
points are drawn as an image in the PDF and SVG files, which keeps them small.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..figures import fmt_int
from .grouping import Grouping

__all__ = ["RASTERIZE_ABOVE", "mean_interval", "panel_grid", "add_group_legend",
           "draw_interval_dots", "draw_distributions", "draw_extremes", "draw_stacked",
           "draw_estimates"]

RASTERIZE_ABOVE = 1000  # strip points per group drawn as an image in the PDF/SVG
_GOLDEN = 0.6180339887498949  # low-discrepancy jitter: deterministic, no random state
_Z95 = 1.959963984540054

_INK = "0.15"


def mean_interval(values) -> tuple[float, float, float]:
    """Mean of the finite values with its 95% normal-approximation interval.

    The values (articles) are the units: the interval is the mean ± 1.96 standard errors.

    Parameters
    ----------
    values : array-like of float
        NaN and infinite values are left out.

    Returns
    -------
    (float, float, float)
        Mean, lower and upper bound; the bounds are NaN below two values, all three without any.

    Examples
    --------
    >>> m, lo, hi = mean_interval([1.0, 2.0, 3.0, float("nan")])
    >>> [round(float(v), 2) for v in (m, lo, hi)]
    [2.0, 0.87, 3.13]
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not len(v):
        return np.nan, np.nan, np.nan
    m = float(v.mean())
    if len(v) < 2:
        return m, np.nan, np.nan
    se = float(v.std(ddof=1)) / np.sqrt(len(v))
    return m, m - _Z95 * se, m + _Z95 * se


def panel_grid(n_panels: int, max_cols: int = 3) -> tuple[int, int]:
    """Rows and columns of a grid of small multiples.

    Parameters
    ----------
    n_panels : int
    max_cols : int
        Most columns.

    Returns
    -------
    (int, int)
        Rows, columns.

    Examples
    --------
    >>> panel_grid(7)
    (3, 3)
    """
    n_cols = min(max_cols, n_panels)
    return int(np.ceil(n_panels / max(n_cols, 1))), n_cols


def _group_handles(groups: Grouping, kind: str = "marker") -> list:
    if kind == "patch":
        return [Patch(facecolor=groups.shown_colors[g], edgecolor="none") for g in groups.names]
    return [Line2D([], [], ls="", marker="o", ms=6, color=groups.shown_colors[g],
                   markeredgecolor="0.2", markeredgewidth=0.4) for g in groups.names]


def add_group_legend(target, groups: Grouping, kind: str = "marker", force: bool = False,
                     **kwargs):
    """Legend of the group colours, when colour means group.

    That is with more than :data:`~analysis.plots.grouping.MAX_ARTICLE_COLORS` articles and at
    least two groups, or always with ``force``.

    Parameters
    ----------
    target : Axes or Figure
    groups : Grouping
    kind : {"marker", "patch"}
        Legend keys: dots or filled squares.
    force : bool
        Draw the legend whatever the numbers of articles and groups.
    **kwargs
        Passed to ``target.legend``; by default the legend sits right of the axes.

    Returns
    -------
    Legend or None
    """
    if not force and (groups.by_article or len(groups.names) < 2):
        return None
    opts = dict(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=7,
                title=groups.title, title_fontsize=7, alignment="left")
    opts.update(kwargs)
    return target.legend(_group_handles(groups, kind), groups.shown_labels(), **opts)


def draw_interval_dots(ax, est, lo, hi, colors, *, y=None, clip_on: bool = True):
    """Estimates as dots with 95% interval whiskers, one row per item.

    Rows without an estimate (NaN) are skipped.

    Parameters
    ----------
    ax : Axes
    est, lo, hi : array-like of float
        Estimates and the bounds of their intervals.
    colors : sequence of colours
        One per row.
    y : array-like, optional
        Row positions (default 0, 1, ...).
    clip_on : bool
        Clip the dots at the axes.

    Returns
    -------
    (ndarray, ndarray)
        The row positions and the mask of the rows drawn.
    """
    est = np.asarray(est, dtype=float)
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    y = np.arange(len(est)) if y is None else np.asarray(y)
    ok = np.isfinite(est)
    ax.errorbar(est[ok], y[ok], xerr=[np.clip(est - lo, 0, None)[ok],
                                      np.clip(hi - est, 0, None)[ok]],
                fmt="none", ecolor="0.45", elinewidth=1, capsize=2)
    ax.scatter(est[ok], y[ok], c=[c for c, keep in zip(colors, ok) if keep], s=36, zorder=3,
               edgecolors="0.2", linewidths=0.4, clip_on=clip_on)
    return y, ok


def _strip_style(n: int) -> tuple[float, float]:
    if n <= 100:
        return 14.0, 0.8
    if n <= 2000:
        return 6.0, 0.45
    return 2.0, 0.2


def draw_distributions(ax, values: pd.Series, groups: Grouping, *, positions=None,
                       width: float = 0.6, orientation: str = "horizontal", color=None,
                       mean_marker: bool = True, label_axis: bool = True) -> dict:
    """One distribution per group: a strip of its articles under a box, and its mean.

    The strip has deterministic jitter and the group colour (or ``color``); the box shows the
    median, the quartiles and whiskers to 1.5 IQR; a white diamond shows the mean with its 95%
    interval (:func:`mean_interval`). Strips of more than :data:`RASTERIZE_ABOVE` points are
    rasterised in vector files.

    Parameters
    ----------
    ax : Axes
    values : Series of float
        Indexed by article_id.
    groups : Grouping
    positions : array-like, optional
        Where each group sits (default 0, 1, ...).
    width : float
        Width of a box.
    orientation : {"horizontal", "vertical"}
        Groups along the y axis (first at the top) or along the x axis.
    color : colour, optional
        One colour for every strip instead of the group colours.
    mean_marker : bool
        Draw the mean with its interval.
    label_axis : bool
        Label the group axis with the group names and sizes.

    Returns
    -------
    dict
        Group -> ``(n, mean, lo, hi)``; a group without a finite value is marked "no values".
    """
    names = groups.names
    positions = np.arange(len(names)) if positions is None else np.asarray(positions, float)
    horizontal = orientation == "horizontal"
    stats = {}
    for g, p in zip(names, positions):
        v = values.reindex(groups.ids(g)).to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        stats[g] = (len(v), *mean_interval(v))
        if not len(v):
            xy = (0.02, p) if horizontal else (p, 0.02)
            ax.text(*xy, "no values", fontsize=7, color="0.3", ha="left" if horizontal else
                    "center", va="center", transform=(ax.get_yaxis_transform() if horizontal
                                                      else ax.get_xaxis_transform()))
            continue
        size, alpha = _strip_style(len(v))
        jitter = ((np.arange(len(v)) * _GOLDEN) % 1.0 - 0.5) * width * 0.85
        xy = (v, p + jitter) if horizontal else (p + jitter, v)
        ax.scatter(*xy, s=size, color=color or groups.shown_colors[g], alpha=alpha, linewidths=0,
                   zorder=2, rasterized=len(v) > RASTERIZE_ABOVE)
        line = dict(color=_INK, linewidth=0.9)
        ax.boxplot([v], positions=[p], widths=width, orientation=orientation, showfliers=False,
                   patch_artist=True, manage_ticks=False, zorder=3,
                   boxprops=dict(facecolor="none", edgecolor=_INK, linewidth=0.9),
                   medianprops=dict(color=_INK, linewidth=1.8), whiskerprops=line, capprops=line)
        if mean_marker and len(v) > 1:
            m, lo, hi = stats[g][1:]
            err = [[m - lo], [hi - m]]
            kw = dict(fmt="D", color="black", mfc="white", mec="black", ms=5, capsize=2.5,
                      elinewidth=1.2, zorder=4)
            if horizontal:
                ax.errorbar([m], [p], xerr=err, **kw)
            else:
                ax.errorbar([p], [m], yerr=err, **kw)
    if label_axis:
        if horizontal:
            ax.set_yticks(positions, groups.shown_labels())
            ax.set_ylim(len(names) - 0.5, -0.5)
            ax.set_ylabel(groups.title)
        else:
            ax.set_xticks(positions, groups.shown_labels(), rotation=20, ha="right")
            ax.set_xlabel(groups.title)
    return stats


def draw_extremes(ax, table: pd.DataFrame, column: str, groups: Grouping, labels: dict,
                  k: int) -> list[str]:
    """The ``k`` lowest and ``k`` highest articles as dots with their intervals.

    NaN values are left out and ties broken by article_id. The highest article is at the top; a
    gap row giving the number of articles in between separates the two ends.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        ``article_id``, ``column`` and its bounds ``column_lo`` and ``column_hi``.
    column : str
    groups : Grouping
        Colours of the dots.
    labels : dict
        Article ID -> tick label.
    k : int

    Returns
    -------
    list of str
        The article IDs drawn, bottom to top.
    """
    t = table[table[column].notna()].sort_values([column, "article_id"], kind="stable")
    k = max(min(k, len(t) // 2), 0)
    pick = pd.concat([t.head(k), t.tail(k)]) if len(t) > 2 * k else t
    gap = len(t) > 2 * k
    y = np.arange(len(pick)) + (np.arange(len(pick)) >= k) * gap
    draw_interval_dots(ax, pick[column], pick[f"{column}_lo"], pick[f"{column}_hi"],
                       [groups.article_colors[a] for a in pick["article_id"]], y=y)
    ax.set_yticks(y, [labels[a] for a in pick["article_id"]], fontsize=7)
    if gap:
        ax.text(0.5, k, f"⋮  {fmt_int(len(t) - 2 * k)} articles in between  ⋮", ha="center",
                va="center", fontsize=7, color="0.35", transform=ax.get_yaxis_transform())
    ax.set_ylim(-0.5, (y.max() if len(y) else 0) + 0.5)
    return list(pick["article_id"])


def draw_stacked(ax, table: pd.DataFrame, style, y=None, height: float = 0.7,
                 labels: dict | None = None) -> np.ndarray:
    """Horizontal stacked bars, one per row of ``table``.

    The columns are stacked left to right in their order, each labelled (for a legend) with
    its name or its entry in ``labels``.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
    style : callable
        Column name -> keyword arguments of ``ax.barh`` (colour, hatch).
    y : array-like, optional
        Bar positions (default 0, 1, ...).
    height : float
    labels : dict, optional
        Column name -> legend label.

    Returns
    -------
    ndarray
        The right end of every bar.
    """
    y = np.arange(len(table)) if y is None else y
    left = np.zeros(len(table))
    labels = labels or {}
    for col in table.columns:
        ax.barh(y, table[col], left=left, height=height, label=labels.get(col, col),
                **style(col))
        left += table[col].to_numpy()
    return left


def draw_estimates(table: pd.DataFrame, column: str, groups: Grouping, labels: dict, *,
                   xlabel: str, title: str, extremes: int = 5, tick_labels=None,
                   zero_line: bool = True, base_height: float = 0.9, empty_text: str = "",
                   xlim=None, from_zero: bool = False):
    """The figure of fig01 and fig11: an estimate per article with its 95% interval.

    Up to :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles, one row per article of
    ``table`` in its order, bottom to top, dots in the article colours (group colours beyond 12
    articles). Beyond, the distribution by group on the left and the ``extremes`` lowest and
    highest articles with their intervals on the right.

    Parameters
    ----------
    table : DataFrame
        ``article_id``, ``column`` and its bounds ``column_lo``, ``column_hi``.
    column : str
    groups : Grouping
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
        Without a caption: :func:`~analysis.plots.tone.plot_net_optimism` and
        :func:`~analysis.plots.sources.plot_source_diversity` add theirs.
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

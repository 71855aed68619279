"""Figures of group comparisons (notebook 05): legible from one article to 100,000, and from one
group to dozens.

Every figure here is a function of the tables :mod:`analysis.compare` returns, not of the
articles, so its size depends only on the number of groups, measures and periods, all of which
are capped:

- at most ``max_rows`` (default 12) group rows per panel: the largest groups (ties by name),
  drawn in name order; the caption says how many were left out (the tables have them all);
- at most ``max_panels`` (default 36) panels per figure, in the tables' measure order;
- labels are wrapped (two lines at most) and shortened with "…";
- figure sides are kept under :data:`MAX_INCHES`, so at the house 200 dpi no PNG exceeds
  4,000 pixels.

Colour is the group, never the article (:func:`group_colors`): Okabe–Ito without yellow for up to
seven groups, in name order; with more, the seven largest keep a colour and the rest are grey,
and a timeline pools them as "other groups". Every function returns ``(figure, caption)``; the
caption says what was compared, with what n, which test, which correction, paired or not.

Notebook 05 calls one function per figure on top of these (:func:`group_means_figure`,
:func:`contrasts_figure`, :func:`timeline_figure`, :func:`distinctive_words_figure`,
:func:`source_composition_figure`, all given the :class:`Grouping` of :func:`group_articles`):
each runs the :mod:`analysis.compare` computation and returns a :class:`GroupFigure` (the figure,
its caption, the table behind it and a note), or a placeholder that says why the figure could
not be drawn (no groups, one group, too few periods, no texts, no attributions).

The figures of notebook 04 (fig13-fig16, the last section) start from articles instead, so they
follow the thresholds of :mod:`analysis.article_plots`: up to 12 articles every article has its
own colour (the bundled corpus' figures, byte for byte as before), up to 30 one row per article
coloured by group, beyond that a view by group: fig13 the groups × groups mean text similarity
(computed from the sparse TF-IDF, never an articles × articles matrix; with one group a
deterministic sample of 30 articles), fig14 the articles as a translucent cloud in group colours
with the group centroids, fig15 distinctive terms per group (beyond 12 articles), fig16 the
framing profile per group.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from .article_plots import (DISTRIBUTION_NOTE, MAX_ARTICLE_COLORS, MAX_ARTICLE_ROWS,
                            RASTERIZE_ABOVE, ArticleGroups, add_group_legend, draw_distributions)
from . import compare
from .compare import OTHER
from .corpus import load_corpus
from .figures import fmt_int
from .tables import read_table

__all__ = ["GROUP_PALETTE", "GREY", "MAX_INCHES", "group_colors", "wrap_label", "measure_unit",
           "shown_groups", "place_labels", "facet_intervals", "placeholder", "plot_group_means",
           "plot_contrasts", "plot_timeline", "plot_distinctive_terms", "plot_source_shares",
           # notebook 05: from the features table to each figure (fig17-fig21)
           "Grouping", "GroupFigure", "group_articles", "group_means_figure", "contrasts_figure",
           "timeline_figure", "word_counts", "distinctive_words_figure",
           "source_composition_figure",
           # notebook 04 (fig13-fig16)
           "TextSimilarity",
           "text_similarity", "plot_similarity", "plot_framing_map", "tfidf_top_terms",
           "plot_article_terms", "group_term_counts", "group_top_terms", "plot_group_terms",
           "plot_framing_profile"]

# Okabe & Ito (2008) without yellow (hard to see on white as a dot or a line).
GROUP_PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
GREY = "#999999"
MAX_INCHES = 19.0  # 3,800 px at 200 dpi, plus save_figure's 0.1 in padding: under 4,000 px
_PANEL_W = 2.35  # inches: one small panel
_GAP_W = 0.35
_TITLE_H = 0.42  # inches above a panel: its (two-line) title
_TICKS_H = 0.38  # inches below a panel: x tick labels (and a short x label)


def group_colors(groups, sizes=None) -> dict[str, str]:
    """One colour per group, the same in every figure of a notebook.

    Up to seven groups: Okabe–Ito colours in name order. More: the seven largest (by ``sizes``;
    ties by name) get the colours, in name order, and the others grey; :data:`OTHER` ("other
    groups", the pooled remainder) is always grey.

    Parameters
    ----------
    groups : iterable of str
    sizes : mapping, optional
        Group -> number of articles (default: all equal, so the first seven names).

    Returns
    -------
    dict

    Example
    -------
    >>> group_colors(["b", "a"])
    {'a': '#E69F00', 'b': '#56B4E9', 'other groups': '#999999'}
    """
    names = sorted(dict.fromkeys(str(g) for g in groups if str(g) != OTHER))
    sizes = sizes or {}
    if len(names) > len(GROUP_PALETTE):
        ranked = sorted(names, key=lambda g: (-sizes.get(g, 0), g))
        coloured = sorted(ranked[:len(GROUP_PALETTE)])
    else:
        coloured = names
    out = {g: GREY for g in names}
    out.update({g: GROUP_PALETTE[i] for i, g in enumerate(coloured)})
    out[OTHER] = GREY
    return out


def wrap_label(text, width: int = 24, max_lines: int = 2) -> str:
    """``text`` wrapped at ``width`` characters on at most ``max_lines`` lines ("…" when cut).

    Example
    -------
    >>> wrap_label("The Washington Post opinion section, weekend", 16)
    'The Washington\\nPost opinion…'
    """
    text = " ".join(str(text).split())
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = lines[:max_lines - 1] + [last[:max(width - 1, 1)].rstrip() + "…"]
    return "\n".join(lines)


def measure_unit(measure: str) -> str:
    """A short unit for a framing measure column (a panel subtitle).

    Example
    -------
    >>> measure_unit("emph_economics"), measure_unit("src_pk_share")
    ('per 1,000 words', 'share, 0 to 1')
    """
    if measure.endswith("_share") or measure in ("src_simpson",):
        return "share, 0 to 1"
    if measure == "net_optimism":
        return "index, −1 to +1"
    if measure.startswith("tone_mean"):
        return "mean VADER compound, −1 to +1"
    if measure.startswith("emph_") or measure in ("optimism", "caution", "hedging", "boosting"):
        return "per 1,000 words"
    if measure == "src_entropy":
        return "bits"
    if measure.startswith("src_n_"):
        return "count per article"
    return ""


def shown_groups(groups, sizes: dict, max_rows: int) -> list[str]:
    """The ``max_rows`` largest groups (ties by name), in name order."""
    ranked = sorted(dict.fromkeys(str(g) for g in groups),
                    key=lambda g: (-int(sizes.get(g, 0)), g))
    return sorted(ranked[:max_rows])


# --------------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------------

def _row_height(labels) -> float:
    lines = max((str(s).count("\n") + 1 for s in labels), default=1)
    return 0.06 + 0.11 * lines


def _slots(panels, ncols: int, max_panels: int) -> list[tuple]:
    """(panel, row, column) for each panel; ``None`` in ``panels`` starts a new row."""
    slots, r, c = [], 0, 0
    for p in panels:
        if p is None:
            if c:
                r, c = r + 1, 0
            continue
        if len(slots) == max_panels:
            break
        slots.append((p, r, c))
        c += 1
        if c == ncols:
            r, c = r + 1, 0
    return slots


def facet_intervals(table: pd.DataFrame, *, panel: str, row: str, value: str = "mean",
                    lo: str = "lo", hi: str = "hi", panels=None, rows=None, colors=None,
                    row_labels=None, panel_titles=None, ref_lines=None, hollow=None,
                    zero_line: bool = False, max_panels: int = 36, max_cols: int = 6,
                    suptitle: str = "", xlim_from_zero: bool = False):
    """Small multiples of points with interval bars: one panel per value of ``panel``, one row
    per value of ``row`` (same rows in every panel, labelled on the left of each panel row).

    Parameters
    ----------
    table : DataFrame
        Long table with ``panel``, ``row``, ``value``, ``lo``, ``hi`` columns.
    panels, rows : list, optional
        Which panels and rows to draw, in order (default: first appearance; rows sorted).
        ``None`` in ``panels`` starts a new row of panels. Panels that do not fit within
        :data:`MAX_INCHES` (after widening to more columns) are left out; the second value
        returned lists those drawn.
    colors : dict, optional
        Row -> colour (default grey).
    row_labels, panel_titles : dict, optional
        Display text for rows and panels (wrapped by the caller).
    ref_lines : dict, optional
        Panel -> x of a dashed grey reference line (e.g. the mean of all articles).
    hollow : str, optional
        Boolean column: those points are drawn hollow.
    zero_line : bool
        A solid line at x = 0 (differences).
    max_panels, max_cols : int
        Caps: panels drawn, panels per row.
    xlim_from_zero : bool
        Each panel's x axis starts at 0 (shares).

    Returns
    -------
    (Figure, list)
        The figure and the panels drawn.
    """
    wanted = list(dict.fromkeys(table[panel])) if panels is None else list(panels)
    rows = sorted(dict.fromkeys(table[row])) if rows is None else list(rows)
    colors = colors or {}
    row_labels = row_labels or {}
    panel_titles = panel_titles or {}
    # Row labels wrap on two lines while there are few rows; beyond 8 rows, one shortened line.
    lines = 2 if len(rows) <= 8 else 1
    labels = [row_labels.get(r, wrap_label(r, 24 if lines == 2 else 30, lines)) for r in rows]
    if lines == 1:
        labels = [wrap_label(lab.replace("\n", " "), 30, 1) for lab in labels]
    row_h = _row_height(labels)
    panel_h = max(0.45, row_h * max(len(rows), 1) + 0.12)
    label_w = min(2.2, 0.25 + 0.062 * max((max(len(t) for t in lab.split("\n"))
                                             for lab in labels), default=4))
    top0 = 0.5 if suptitle else 0.15
    unit_h = panel_h + _TITLE_H + _TICKS_H
    fit_rows = max(1, int((MAX_INCHES - top0 - 0.3) // unit_h))
    fit_cols = max(1, int((MAX_INCHES - label_w - 0.3 + _GAP_W) // (_PANEL_W + _GAP_W)))
    n_real = sum(p is not None for p in wanted)
    ncols = max(1, min(n_real, max_cols, fit_cols))
    while True:
        slots = _slots(wanted, ncols, max_panels)
        n_rows = 1 + max((r for _, r, _ in slots), default=0)
        if n_rows <= fit_rows or ncols >= fit_cols:
            break
        ncols += 1
    slots = [sl for sl in slots if sl[1] < fit_rows]  # what still does not fit is left out
    panels = [p for p, _, _ in slots]
    ncols = 1 + max((c for _, _, c in slots), default=0)
    nrows = 1 + max((r for _, r, _ in slots), default=0)
    fig_w = label_w + ncols * _PANEL_W + (ncols - 1) * _GAP_W + 0.3
    fig_h = top0 + nrows * unit_h + 0.15
    fig = plt.figure(figsize=(fig_w, fig_h))
    if suptitle:
        fig.text(0.15 / fig_w, 1 - 0.12 / fig_h, suptitle, ha="left", va="top", fontsize=10)
    y = np.arange(len(rows))
    data = table.set_index([panel, row])
    axes = []
    for p, r, c in slots:
        left = label_w + c * (_PANEL_W + _GAP_W)
        top = top0 + r * (panel_h + _TITLE_H + _TICKS_H) + _TITLE_H
        ax = fig.add_axes([left / fig_w, 1 - (top + panel_h) / fig_h, _PANEL_W / fig_w,
                           panel_h / fig_h])
        axes.append(ax)
        vals = np.full(len(rows), np.nan)
        los, his = vals.copy(), vals.copy()
        hol = np.zeros(len(rows), dtype=bool)
        for i, rname in enumerate(rows):
            if (p, rname) in data.index:
                rec = data.loc[(p, rname)]
                rec = rec.iloc[0] if isinstance(rec, pd.DataFrame) else rec
                vals[i], los[i], his[i] = rec[value], rec[lo], rec[hi]
                hol[i] = bool(rec[hollow]) if hollow else False
        cols = [colors.get(rname, GREY) for rname in rows]
        ok = ~np.isnan(los) & ~np.isnan(his)
        ax.hlines(y[ok], los[ok], his[ok], colors=np.array(cols, dtype=object)[ok], lw=1.6,
                  zorder=2)
        fin = ~np.isnan(vals)
        for i in np.flatnonzero(fin):
            ax.plot(vals[i], y[i], "o", ms=4.5, zorder=3, mec=cols[i] if hol[i] else "black",
                    mew=0.9 if hol[i] else 0.5, mfc="white" if hol[i] else cols[i])
        if zero_line:
            ax.axvline(0, color="#555555", lw=0.8, zorder=1)
        if ref_lines and p in ref_lines and np.isfinite(ref_lines[p]):
            ax.axvline(ref_lines[p], color="#888888", lw=0.8, ls="--", zorder=1)
        span = np.r_[vals[fin], los[ok], his[ok]]
        if zero_line:
            span = np.r_[span, 0.0]
        if ref_lines and p in ref_lines and np.isfinite(ref_lines[p]):
            span = np.r_[span, ref_lines[p]]
        if span.size:
            a, b = float(span.min()), float(span.max())
            if xlim_from_zero:
                a = min(a, 0.0)
            pad = (b - a) * 0.08 or max(abs(a) * 0.1, 0.05)
            ax.set_xlim(a - pad if not (xlim_from_zero and a >= 0) else 0.0, b + pad)
        else:
            ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center",
                    color="#777777", fontsize=7.5)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks(y, labels if c == 0 else [""] * len(rows), fontsize=7.5)
        ax.tick_params(axis="x", labelsize=7)
        ax.tick_params(axis="y", length=0)
        ax.xaxis.set_major_locator(plt.MaxNLocator(4))
        ax.grid(axis="x", color="#EEEEEE", lw=0.6, zorder=0)
        ax.set_title(panel_titles.get(p, wrap_label(p, 34)), fontsize=8, loc="left")
    return fig, panels


def placeholder(title: str, message: str):
    """A small figure that says why a figure could not be drawn (the figure ID still exists)."""
    fig = plt.figure(figsize=(6.5, 1.9))
    fig.text(0.02, 0.85, title, ha="left", va="top", fontsize=10, weight="bold")
    fig.text(0.02, 0.6, textwrap.fill(message, 95), ha="left", va="top", fontsize=8.5,
             color="#333333")
    return fig


def _omitted(n_shown: int, n_all: int, what: str) -> str:
    return (f" The {n_shown} largest of {n_all} {what} are shown (the table has all)."
            if n_all > n_shown else "")


def _n_range(values) -> str:
    v = [int(x) for x in values if pd.notna(x)]
    if not v:
        return "0"
    return fmt_int(min(v)) if min(v) == max(v) else f"{fmt_int(min(v))}–{fmt_int(max(v))}"


# --------------------------------------------------------------------------------------------
# The figures
# --------------------------------------------------------------------------------------------

def plot_group_means(summary: pd.DataFrame, *, by: str, overall: pd.DataFrame | None = None,
                     sizes: dict | None = None, colors: dict | None = None, max_rows: int = 12,
                     max_panels: int = 36, min_n: int = 5, n_resamples: int = 2000):
    """fig17: the mean of every framing measure in every group, with 95% article-bootstrap
    intervals; one small panel per measure.

    Parameters
    ----------
    summary : DataFrame
        :func:`analysis.compare.group_summary` by ``by``.
    by : str
        The group column (for the caption).
    overall : DataFrame, optional
        ``group_summary(features, None)``: its means are drawn as dashed grey lines.
    sizes : dict, optional
        Group -> articles (which groups are the largest); default from ``summary``.
    colors : dict, optional
        :func:`group_colors`.
    max_rows, max_panels : int
        Caps (see the module docstring).
    min_n : int
        Groups with fewer articles with a value are drawn hollow.
    n_resamples : int
        For the caption.

    Returns
    -------
    (Figure, str)
    """
    groups = sorted(dict.fromkeys(summary["group"]))
    sizes = sizes or summary.groupby("group")["n"].max().to_dict()
    colors = colors or group_colors(groups, sizes)
    rows = shown_groups(groups, sizes, max_rows)
    ms = list(dict.fromkeys(summary["measure"]))
    table = summary.assign(hollow=summary["n"] < min_n)
    refs = (dict(zip(overall["measure"], overall["mean"])) if overall is not None else None)
    titles = {m: f"{m}\n{measure_unit(m)}" if measure_unit(m) else m for m in ms}
    fig, drawn = facet_intervals(table, panel="measure", row="group", panels=ms, rows=rows,
                                 colors=colors, panel_titles=titles, ref_lines=refs,
                                 hollow="hollow", max_panels=max_panels,
                                 suptitle=f"Framing measures by {by}: group means, 95% intervals")
    n_art = sum(int(sizes.get(g, 0)) for g in groups)
    caption = (f"Framing measures by {by}, n = {fmt_int(n_art)} article"
               f"{'s' if n_art != 1 else ''} in {len(groups)} "
               f"group{'s' if len(groups) != 1 else ''}"
               f" (articles per group: {_n_range(sizes.get(g, 0) for g in groups)}): the mean of "
               f"each measure in each group with its 95% percentile interval from "
               f"{fmt_int(n_resamples)} bootstrap resamples of the group's articles (the article "
               "is the unit; sentences are not resampled)."
               + (" Dashed grey line: the mean of all articles." if refs else "")
               + f" Hollow points: fewer than {min_n} articles with a value (noisy means)."
               + _omitted(len(rows), len(groups), "groups")
               + (f" The first {len(drawn)} of {len(ms)} measures are shown."
                  if len(drawn) < len(ms) else ""))
    return fig, caption


def plot_contrasts(table: pd.DataFrame, *, by: str, pair_by: str | None = None,
                   colors: dict | None = None, sizes: dict | None = None, alpha: float = 0.05,
                   max_rows: int = 12, max_panels: int = 36):
    """fig18: forest plot of contrasts: each group's difference in mean from the reference with
    its 95% interval, one small panel per measure; filled points are significant after the
    Benjamini–Hochberg correction, hollow ones are not.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.compare.contrasts`.
    by, pair_by : str
        The group and event columns (for the caption).
    colors, sizes : dict, optional
        Group colours and sizes.
    alpha : float
        Significance level of ``p_adjusted``.
    max_rows, max_panels : int
        Caps.

    Returns
    -------
    (Figure, str)
    """
    paired = bool(table["paired"].iloc[0]) if len(table) else pair_by is not None
    pairs = list(dict.fromkeys(zip(table["group"], table["reference"])))
    refs = sorted(set(table["reference"]))
    one_ref = len(refs) == 1
    key = [f"{g}\x1f{r}" for g, r in pairs]
    labels = {f"{g}\x1f{r}": (wrap_label(g) if one_ref else wrap_label(f"{g} − {r}", 30))
              for g, r in pairs}
    all_groups = sorted(set(table["group"]) | set(table["reference"]))
    sizes = sizes or {}
    colors = colors or group_colors(all_groups, sizes)
    if len(pairs) > max_rows:  # the pairs among the largest groups, in table order
        big = set(shown_groups(all_groups, sizes, max_rows + (1 if one_ref else 0)))
        keep = [k for k, (g, r) in zip(key, pairs) if g in big and r in big][:max_rows]
    else:
        keep = key
    t = table.assign(pair=[f"{g}\x1f{r}" for g, r in zip(table["group"], table["reference"])],
                     hollow=~(table["p_adjusted"] < alpha))
    row_colors = {f"{g}\x1f{r}": colors.get(g, GREY) for g, r in pairs}
    ms = list(dict.fromkeys(t["measure"]))
    titles = {m: f"{m}\n{measure_unit(m)}" if measure_unit(m) else m for m in ms}
    what = f"minus {refs[0]}" if one_ref else "first group minus second"
    fig, drawn = facet_intervals(
        t, panel="measure", row="pair", value="difference", panels=ms, rows=keep,
        colors=row_colors,
        row_labels=labels, panel_titles=titles, hollow="hollow", zero_line=True,
        max_panels=max_panels,
        suptitle=(f"Differences in mean by {by} ({what}), 95% intervals; "
                  f"{'paired by ' + pair_by if paired else 'unpaired'}; filled: significant "
                  f"after Benjamini–Hochberg"))
    m_perm = table.attrs.get("n_permutations")
    n_res = table.attrs.get("n_resamples")
    n_sig = int((table["p_adjusted"] < alpha).sum())
    n_tests = int(table["p"].notna().sum())
    ref_text = (f"the reference group {refs[0]}" if one_ref
                else "the second group of each pair (every pair once)")
    if paired:
        design = (f"Paired by {pair_by}: for each event both groups covered, the difference of "
                  "the two groups' mean in that event, averaged over the shared events "
                  f"(events per contrast: {_n_range(table['n_pairs'])}; articles in them per "
                  f"group: {_n_range(pd.concat([table['n'], table['n_reference']]))}). "
                  f"Intervals: 95% percentile, {fmt_int(n_res or 0)} bootstrap resamples of the "
                  f"shared events. Test: two-sided sign-flip permutation test of the event "
                  f"differences ({fmt_int(m_perm or 0)} random sign flips, p = (b + 1)/(m + 1)).")
    else:
        design = (f"Unpaired: difference of group means (articles per group with a value: "
                  f"{_n_range(pd.concat([table['n'], table['n_reference']]))}). Intervals: 95% "
                  f"percentile, {fmt_int(n_res or 0)} bootstrap resamples of the articles within "
                  "each group. Test: two-sided permutation test of the group labels "
                  f"({fmt_int(m_perm or 0)} random relabellings keeping group sizes, "
                  "p = (b + 1)/(m + 1)).")
    caption = (f"Contrasts by {by}: each group's mean minus that of {ref_text}, for every "
               f"framing measure. {design} Filled points: Benjamini–Hochberg adjusted p < "
               f"{alpha:g} over all {n_tests} tests in the table ({n_sig} significant); hollow: "
               "not significant. The article is the unit"
               + (" within events; events are the unit of the test" if paired else "")
               + "." + (f" {len(keep)} of {len(pairs)} contrasts are shown (the largest "
                        "groups); the table has all." if len(keep) < len(pairs) else "")
               + (f" The first {len(drawn)} of {len(ms)} measures are shown."
                  if len(drawn) < len(ms) else ""))
    return fig, caption


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
                  max_overlay: int = 3):
    """fig19: the mean of a few measures per period and group, with 95% intervals as bands;
    cells below ``min_n`` articles are hollow points without band.

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
    (Figure, str)
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
               f"{_n_range(first['n'])}. Hollow points, without band: fewer than {min_n} "
               "articles in the cell."
               + ("" if overlay else " One column per group; dashed grey: all articles.")
               + (f" {table.attrs.get('n_unparsed')} article(s) with an unreadable date are left"
                  " out." if table.attrs.get("n_unparsed") else "")
               + (f" Groups beyond the seven largest are pooled as '{OTHER}' (grey)."
                  if OTHER in groups else ""))
    return fig, caption


_PERIOD_NAMES = {"W": "week", "M": "month", "Q": "quarter"}


def place_labels(ax, x, y, texts, *, color="black", fontsize: float = 7.5, obstacles=None,
                 max_steps: int = 8):
    """Label points ``(x[i], y[i])`` with ``texts[i]`` without overlaps, deterministically.

    Labels are placed in the order given (put the most important first). For each, positions
    around its point are tried in a fixed order (right, left, above, below, then the four
    diagonals) at growing distances (4, 8, ... points); the first whose box stays inside the
    axes and overlaps no earlier label and no labelled point is used, preferring, in a first
    pass, positions that also cover none of the ``obstacles`` (other drawn points). A label
    placed away from its point gets a thin leader line. A label with no free position is left
    out. Axis limits must be final before calling.

    Parameters
    ----------
    ax : Axes
    x, y : sequences of float (data coordinates)
    texts : sequence of str
    color : str or sequence of str
    fontsize : float
    obstacles : (k, 2) array, optional
        Other points (data coordinates) labels should rather not cover.
    max_steps : int
        Distances tried.

    Returns
    -------
    list of bool
        Whether each label was placed.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    x, y = np.asarray(x, float), np.asarray(y, float)
    frame = ax.get_window_extent(renderer)
    pts = ax.transData.transform(np.column_stack([x, y])) if len(x) else np.zeros((0, 2))
    obs = (ax.transData.transform(np.asarray(obstacles, float)) if obstacles is not None
           and len(obstacles) else np.zeros((0, 2)))
    r = 2.5 * fig.dpi / 72.0  # a marker's radius in pixels, about
    gap = 1.5 * fig.dpi / 72.0  # white space kept between two labels
    colors = [color] * len(texts) if isinstance(color, str) else list(color)
    directions = [(1, 0, "left", "center"), (-1, 0, "right", "center"),
                  (0, 1, "center", "bottom"), (0, -1, "center", "top"),
                  (1, 1, "left", "bottom"), (1, -1, "left", "top"),
                  (-1, 1, "right", "bottom"), (-1, -1, "right", "top")]
    placed: list = []

    def covers(box, points, pad):
        if not len(points):
            return False
        return bool(np.any((points[:, 0] > box.x0 - pad) & (points[:, 0] < box.x1 + pad)
                           & (points[:, 1] > box.y0 - pad) & (points[:, 1] < box.y1 + pad)))

    done = []
    for i, s in enumerate(texts):
        probe = ax.text(x[i], y[i], s, fontsize=fontsize, zorder=5)
        base = probe.get_window_extent(renderer)
        probe.remove()
        w, h = base.width * 1.04, base.height * 1.1
        choice = None
        for strict in (True, False):
            for step in range(1, max_steps + 1):
                d = 4.0 * step * fig.dpi / 72.0
                for dx, dy, ha, va in directions:
                    ax_ = pts[i, 0] + dx * d
                    ay_ = pts[i, 1] + dy * d * 0.75
                    x0 = ax_ if ha == "left" else ax_ - w if ha == "right" else ax_ - w / 2
                    y0 = ay_ if va == "bottom" else ay_ - h if va == "top" else ay_ - h / 2
                    box = Bbox.from_bounds(x0, y0, w, h)
                    if not (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0
                            and box.y1 <= frame.y1):
                        continue
                    if any(box.overlaps(b.padded(gap)) for b in placed) or covers(box, pts, r):
                        continue
                    if strict and covers(box, obs, r * 0.6):
                        continue
                    choice = (box, dx * d, dy * d * 0.75, ha, va, step)
                    break
                if choice:
                    break
            if choice:
                break
        if choice is None:
            done.append(False)
            continue
        box, ox, oy, ha, va, step = choice
        placed.append(box)
        px_to_pt = 72.0 / fig.dpi
        arrow = (dict(arrowstyle="-", color="#777777", lw=0.5, shrinkA=1, shrinkB=2.5)
                 if step > 1 else None)
        ax.annotate(s, (x[i], y[i]), xytext=(ox * px_to_pt, oy * px_to_pt),
                    textcoords="offset points", ha=ha, va=va, fontsize=fontsize,
                    color=colors[i], zorder=5, arrowprops=arrow)
        done.append(True)
    return done


def plot_distinctive_terms(terms: pd.DataFrame, *, by: str, colors: dict, sizes: dict,
                           n_label: int = 8, max_panels: int = 12, max_points: int = 20000,
                           prior_text: str = ""):
    """fig20: distinctive words per group: each term's z-score (log-odds ratio with an
    informative Dirichlet prior, the group against all other groups) against its frequency in
    the corpus; the ``n_label`` highest are labelled in the group's colour.

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
    (Figure, str)
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
               + _omitted(len(shown), len(groups), "groups")
               + (" Not labelled for lack of room: "
                  + "; ".join(f"{g}: {', '.join(v)}" for g, v in missed.items()) + "."
                  if missed else "")
               + " Word z-scores describe these texts; they are not tests of the outlets.")
    return fig, caption


def plot_source_shares(types: pd.DataFrame, affiliations: pd.DataFrame | None, *, by: str,
                       colors: dict, sizes: dict, max_rows: int = 12, max_categories: int = 10,
                       n_resamples: int = 2000):
    """fig21: source composition per group: the share of each group's attributions by source
    type (and affiliation), with 95% article-bootstrap intervals; one panel per category.

    Parameters
    ----------
    types, affiliations : DataFrame
        :func:`analysis.compare.source_shares` by ``source_type`` and ``source_affiliation``
        (``affiliations`` may be None).
    by : str
        The group column (caption).
    colors, sizes : dict
        Group colours and sizes.
    max_rows, max_categories : int
        Caps: group rows; categories per table (the most frequent).
    n_resamples : int
        For the caption.

    Returns
    -------
    (Figure, str)
    """
    parts = []
    for kind, t in (("type", types), ("affiliation", affiliations)):
        if t is None or t.empty:
            continue
        cats = list(dict.fromkeys(t["category"]))[:max_categories]
        parts.append(t[t["category"].isin(cats)].assign(panel=[f"{kind}: {c}" for c in
                                                               t.loc[t["category"].isin(cats),
                                                                     "category"]]))
    table = pd.concat(parts, ignore_index=True)
    groups = sorted(dict.fromkeys(table["group"]))
    rows = shown_groups(groups, sizes, max_rows)
    panels = list(dict.fromkeys(table["panel"]))
    breaks = [p for p in panels if p.startswith("type: ")] + [None] + [
        p for p in panels if not p.startswith("type: ")]
    fig, _ = facet_intervals(table, panel="panel", row="group", value="share", panels=breaks,
                             rows=rows, colors=colors, xlim_from_zero=True,
                             panel_titles={p: wrap_label(p, 34) for p in panels},
                             max_panels=2 * max_categories,
                             suptitle=f"Who is cited, by {by}: share of attributions, "
                                      "95% intervals")
    n_att = types.groupby("group")["n_attributions"].first() if len(types) else pd.Series()
    caption = (f"Source composition by {by}: the share of each group's attributions (each time a "
               "source is cited) by source type"
               + (" and by source affiliation" if affiliations is not None and len(affiliations)
                  else "")
               + ", with 95% percentile intervals from "
               f"{fmt_int(n_resamples)} bootstrap resamples of the group's articles (an "
               "article's attributions stay together; articles without attributions are "
               f"included). Attributions per group: {_n_range(n_att)}; empty categories count "
               "as unknown." + _omitted(len(rows), len(groups), "groups"))
    return fig, caption


# --------------------------------------------------------------------------------------------
# Notebook 05: from the features table to each figure
# --------------------------------------------------------------------------------------------
#
# One function per figure (fig17-fig21) runs the analysis.compare computation, draws the figure
# with the plot_* function above and, when the figure cannot be drawn (no groups, one group, too
# few periods, no texts, no attributions), a placeholder that says why. The notebook only passes
# its parameters and saves the result.

@dataclass
class Grouping:
    """The groups of a comparison: which article is in which group, their sizes and colours,
    and why nothing can be compared when that is the case (:func:`group_articles`).

    Attributes
    ----------
    by : str
        The metadata column of the groups ("" when none was chosen).
    labels : Series of str
        The group of every article, indexed like the features table ("" without a group);
        empty when ``by`` is not a column.
    sizes : dict
        Group -> number of articles (articles without a group left out).
    colors : dict
        Group -> colour (:func:`group_colors`), the same in every figure.
    reason : str
        Why there is nothing to compare ("" with two or more groups).
    n_articles : int
        Articles in the features table.
    """

    by: str
    labels: pd.Series
    sizes: dict
    colors: dict
    reason: str
    n_articles: int

    @property
    def groups(self) -> list[str]:
        """The group names, sorted."""
        return sorted(self.sizes)

    @property
    def has_groups(self) -> bool:
        """At least one group (enough for per-group means and shares)."""
        return len(self.sizes) >= 1

    @property
    def can_compare(self) -> bool:
        """At least two groups (enough for contrasts and distinctive words)."""
        return len(self.sizes) >= 2

    def describe(self, n_measures: int, max_named: int = 12) -> str:
        """One Markdown paragraph: articles, measures, the ``max_named`` largest groups with
        their sizes, articles left without a group, and why nothing can be compared."""
        note = ""
        if self.has_groups:
            largest = compare.largest_groups(self.labels, max_named)
            note = (f"Groups by `{self.by}`: {len(self.groups)} ("
                    + ", ".join(f"{g} {fmt_int(self.sizes[g])}" for g in largest)
                    + (", ..." if len(self.groups) > max_named else "") + "). ")
            if (self.labels == "").any():
                note += (f"{fmt_int((self.labels == '').sum())} articles without a group are "
                         "left out. ")
        return (f"**{fmt_int(self.n_articles)} articles**, {n_measures} framing measures. " + note
                + ("" if self.can_compare else f"**Nothing to compare:** {self.reason}."))


def group_articles(features: pd.DataFrame, by: str) -> Grouping:
    """The groups of ``features`` by the metadata column ``by`` (see :class:`Grouping`).

    Missing or blank values are no group. ``by`` may be "" (no grouping) or a column the table
    lacks: the result then has no group and says why in ``reason``.

    Example
    -------
    >>> g = group_articles(pd.DataFrame({"outlet": ["a", "b", "b", None]}), "outlet")
    >>> g.sizes, g.can_compare
    ({'b': 2, 'a': 1}, True)
    >>> group_articles(pd.DataFrame({"outlet": ["a"]}), "genre").reason
    'features.csv has no column `genre`'
    """
    has_column = bool(by) and by in features.columns
    labels = compare.group_labels(features, by) if has_column else pd.Series(dtype=object)
    sizes = labels[labels != ""].value_counts().to_dict()
    groups = sorted(sizes)
    reason = ("no `group_by` is set" if not by else
              f"features.csv has no column `{by}`" if not has_column else
              f"`{by}` is empty for every article" if not groups else
              f"every article has the same `{by}` ({groups[0]})" if len(groups) == 1 else "")
    return Grouping(by=by, labels=labels, sizes=sizes, colors=group_colors(groups, sizes),
                    reason=reason, n_articles=len(features))


@dataclass
class GroupFigure:
    """A figure of notebook 05 with its caption and what the notebook shows beside it.

    Attributes
    ----------
    fig : Figure
        The figure, or a placeholder saying why it could not be drawn.
    caption : str
    data : DataFrame or None
        The table the figure was drawn from (None when it was not drawn).
    table : DataFrame or None
        The view of ``data`` shown in the notebook (a pivot or the first rows).
    note : str
        Markdown shown above ``table``: a summary, or why the figure was not drawn.
    inputs : list of Path
        Files read besides features.csv (for :func:`analysis.figures.save_figure`).
    """

    fig: plt.Figure
    caption: str
    data: pd.DataFrame | None = None
    table: pd.DataFrame | None = None
    note: str = ""
    inputs: list = field(default_factory=list)

    def display(self) -> None:
        """Show ``note`` (as Markdown) and ``table`` in a notebook; nothing when empty."""
        from IPython.display import Markdown, display

        if self.note:
            display(Markdown(self.note))
        if self.table is not None:
            display(self.table)


def _not_drawn(what: str, text: str, *, prefix: str = "", note: str = "",
               inputs=()) -> GroupFigure:
    """A placeholder saying ``prefix + text``, captioned "<what> not drawn: <text>"."""
    return GroupFigure(placeholder(f"{what} not drawn", prefix + text),
                       f"{what} not drawn: {text}", note=note, inputs=list(inputs))


def group_means_figure(features: pd.DataFrame, grouping: Grouping, *, measures=None,
                       max_rows: int = 12, min_n: int = 5, n_resamples: int = 2000,
                       random_state: int = 0) -> GroupFigure:
    """fig17: every measure's mean per group with 95% intervals (:func:`plot_group_means` of
    :func:`analysis.compare.group_summary`, the mean of all articles as reference).

    Parameters
    ----------
    features : DataFrame
    grouping : Grouping
        :func:`group_articles` of ``features``.
    measures : list of str, optional
        Default :func:`analysis.compare.measures`.
    max_rows, min_n, n_resamples, random_state
        As in :func:`plot_group_means` and :func:`analysis.compare.group_summary`.

    Returns
    -------
    GroupFigure
        ``data``: the group summary; ``table``: its means, measures × groups. Without groups, a
        placeholder.
    """
    if not grouping.has_groups:
        return _not_drawn("Group means", f"{grouping.reason}.", prefix="Nothing to compare: ")
    measures = compare.measures(features) if measures is None else list(measures)
    summary = compare.group_summary(features, grouping.by, measures=measures,
                                    n_resamples=n_resamples, random_state=random_state)
    overall = compare.group_summary(features, None, measures=measures, n_resamples=n_resamples,
                                    random_state=random_state)
    fig, caption = plot_group_means(summary, by=grouping.by, overall=overall,
                                    sizes=grouping.sizes, colors=grouping.colors,
                                    max_rows=max_rows, min_n=min_n, n_resamples=n_resamples)
    means = summary.pivot(index="measure", columns="group", values="mean").loc[measures].round(3)
    return GroupFigure(fig, caption, data=summary, table=means)


def contrasts_figure(features: pd.DataFrame, grouping: Grouping, *, measures=None,
                     pair_by: str = "", reference: str = "", alpha: float = 0.05,
                     max_rows: int = 12, n_resamples: int = 2000, n_permutations: int = 0,
                     random_state: int = 0) -> GroupFigure:
    """fig18: each group minus the reference, with permutation tests and Benjamini–Hochberg
    correction (:func:`plot_contrasts` of :func:`analysis.compare.contrasts`).

    Parameters
    ----------
    features : DataFrame
    grouping : Grouping
    measures : list of str, optional
    pair_by : str
        Event column: compare within shared events ("" : unpaired).
    reference : str
        Baseline group ("": the largest; "all-pairs": every pair once).
    alpha : float
        Significance level of the adjusted p-values.
    max_rows, n_resamples, random_state
        As in :func:`plot_contrasts` and :func:`analysis.compare.contrasts`.
    n_permutations : int
        Per contrast; 0: enough for the number of tests.

    Returns
    -------
    GroupFigure
        ``data``: the contrasts; ``table``: the 20 smallest adjusted p-values; ``note``: how
        many are significant. With fewer than two groups, a placeholder.
    """
    if not grouping.can_compare:
        return _not_drawn("Contrasts", f"{grouping.reason}.", prefix="Nothing to compare: ")
    contrasts = compare.contrasts(features, grouping.by, reference=reference or None,
                                  pair_by=pair_by or None, measures=measures,
                                  n_resamples=n_resamples, n_permutations=n_permutations or None,
                                  random_state=random_state)
    fig, caption = plot_contrasts(contrasts, by=grouping.by, pair_by=pair_by or None,
                                  colors=grouping.colors, sizes=grouping.sizes, alpha=alpha,
                                  max_rows=max_rows)
    n_sig = int((contrasts["p_adjusted"] < alpha).sum())
    note = (f"{n_sig} of {int(contrasts['p'].notna().sum())} contrasts are significant after "
            f"Benjamini–Hochberg (α = {alpha:g}; "
            f"{fmt_int(contrasts.attrs['n_permutations'])} permutations each).")
    return GroupFigure(fig, caption, data=contrasts, note=note,
                       table=contrasts.sort_values(["p_adjusted", "measure"], kind="stable")
                       .head(20))


def timeline_figure(features: pd.DataFrame, grouping: Grouping, *, measures, time: str = "date",
                    period: str = "", min_n: int = 5, n_resamples: int = 2000,
                    random_state: int = 0) -> GroupFigure:
    """fig19: a few measures per period and group (:func:`plot_timeline` of
    :func:`analysis.compare.time_summary`); beyond seven groups the smaller ones are pooled as
    :data:`~analysis.compare.OTHER`.

    Parameters
    ----------
    features : DataFrame
    grouping : Grouping
    measures : str or list of str
        The measures (comma-separated in a string); those the table lacks are skipped, and
        without any, the first four framing measures are drawn.
    time : str
        Publication-date column.
    period : str
        "W", "M" or "Q"; "": from the date span (:func:`analysis.compare.choose_period`).
    min_n, n_resamples, random_state
        As in :func:`analysis.compare.time_summary`.

    Returns
    -------
    GroupFigure
        ``data``: the time summary; ``note``: the periods, or why there is no timeline (no
        groups, no date column, dates in fewer than three periods), then a placeholder.
    """
    available = compare.measures(features)
    wanted = measures.split(",") if isinstance(measures, str) else list(measures)
    drawn = [m.strip() for m in wanted if m.strip() in available] or available[:4]
    reason = "" if grouping.has_groups else grouping.reason
    if grouping.has_groups and time not in features.columns:
        reason = f"features.csv has no column `{time}`"
    if not reason:
        labels = grouping.labels
        kept = labels.isin(compare.largest_groups(labels, 7)) | (labels == "")
        over_time = compare.time_summary(features.assign(_group=labels.where(kept, OTHER)),
                                         "_group", time=time, period=period or None,
                                         min_n=min_n, measures=drawn, n_resamples=n_resamples,
                                         random_state=random_state)
        n_periods = over_time.attrs["n_periods"]
        dates_note = (f"{over_time.attrs['n_unparsed']} article(s) have no readable `{time}` "
                      "and are left out." if over_time.attrs["n_unparsed"] else "")
        if n_periods < 3:
            reason = (f"the dates fall in {n_periods} "
                      f"{compare.PERIODS[over_time.attrs['period']]}(s); a timeline needs at "
                      f"least 3. {dates_note}")
    if reason:
        return _not_drawn("Timeline", reason, note=f"**No timeline:** {reason}")
    overall = compare.time_summary(features, None, time=time, period=over_time.attrs["period"],
                                   min_n=min_n, measures=drawn, n_resamples=n_resamples,
                                   random_state=random_state)
    fig, caption = plot_timeline(over_time, by=grouping.by, measures=drawn,
                                 colors=grouping.colors, overall=overall,
                                 n_resamples=n_resamples)
    return GroupFigure(fig, caption, data=over_time,
                       note=f"{n_periods} periods ({over_time.attrs['period']}). {dates_note}")


def word_counts(features: pd.DataFrame, processed_dir, corpus_dir="") -> tuple:
    """Lemma counts per article for the distinctive words: ``terms.csv`` in ``processed_dir``
    when there is one, else :func:`analysis.compare.lemma_counts` of the texts in
    ``corpus_dir`` (the articles of ``features`` only).

    Returns
    -------
    (DataFrame or None, list of Path)
        The counts (``article_id``, ``term``, ``count``; None when there is neither) and the
        files they came from.
    """
    terms_path = Path(processed_dir) / "terms.csv"
    if terms_path.is_file():
        return read_table(terms_path), [terms_path]
    if not corpus_dir or not Path(corpus_dir).exists():
        return None, []
    corpus = load_corpus(corpus_dir, problems=[])
    corpus = corpus[corpus["article_id"].isin(set(features["article_id"]))]
    files = ([Path(corpus_dir) / f for f in corpus["file"]]
             if Path(corpus_dir).is_dir() and "file" in corpus else [Path(corpus_dir)])
    return compare.lemma_counts(corpus), files


def distinctive_words_figure(features: pd.DataFrame, grouping: Grouping, *, processed_dir,
                             corpus_dir="", n_label: int = 8,
                             max_panels: int = 12) -> GroupFigure:
    """fig20: distinctive words per group (:func:`plot_distinctive_terms` of
    :func:`analysis.compare.distinctive_terms` on :func:`word_counts`), with the informative
    prior stated in the caption.

    Parameters
    ----------
    features : DataFrame
    grouping : Grouping
    processed_dir, corpus_dir : str or Path
        Where ``terms.csv`` is, or else the texts (:func:`word_counts`).
    n_label, max_panels : int
        As in :func:`plot_distinctive_terms`.

    Returns
    -------
    GroupFigure
        ``data``: every term's z-score per group; ``table``: the ``n_label`` highest per group;
        ``inputs``: the files counted. With fewer than two groups, no counts or no counts in
        two groups, a placeholder and ``note`` saying why.
    """
    reason, counts, inputs = grouping.reason, None, []
    if grouping.can_compare:
        counts, inputs = word_counts(features, processed_dir, corpus_dir)
        if counts is None:
            reason = f"no terms.csv in {processed_dir} and no corpus_dir with the texts"
    if not reason:
        terms = compare.distinctive_terms(counts, dict(zip(features["article_id"],
                                                           grouping.labels)), top=None)
        if terms.empty:
            reason = "no word counts for two or more groups"
    if reason:
        return _not_drawn("Distinctive words", f"{reason}.", inputs=inputs,
                          note=f"**No distinctive words:** {reason}.")
    prior_total = counts["count"].sum() / len(grouping.groups)
    fig, caption = plot_distinctive_terms(
        terms, by=grouping.by, colors=grouping.colors, sizes=grouping.sizes, n_label=n_label,
        max_panels=max_panels,
        prior_text=(f"Prior: a0 = {fmt_int(prior_total)} pseudo-counts (the mean number of counted "
                    "tokens per group), spread over the lemmas in proportion to their corpus "
                    "frequency."))
    return GroupFigure(fig, caption, data=terms, inputs=inputs,
                       table=terms.groupby("group", sort=True).head(n_label))


def source_composition_figure(features: pd.DataFrame, grouping: Grouping, *, processed_dir,
                              max_rows: int = 12, n_resamples: int = 2000,
                              random_state: int = 0) -> GroupFigure:
    """fig21: shares of source types and affiliations per group (:func:`plot_source_shares` of
    :func:`analysis.compare.source_shares` on ``attributions.csv`` in ``processed_dir``).

    Returns
    -------
    GroupFigure
        ``data``: the shares by source type; ``table``: them as categories × groups;
        ``inputs``: attributions.csv when it exists. Without groups or attributions (of the
        articles in ``features``), a placeholder and ``note`` saying why.
    """
    path = Path(processed_dir) / "attributions.csv"
    inputs = [path] if path.is_file() else []
    reason = "" if grouping.has_groups else grouping.reason
    if not reason and not path.is_file():
        reason = f"no attributions.csv in {processed_dir}"
    if not reason:
        attributions = read_table(path)
        if attributions.empty:
            reason = "attributions.csv has no attribution"
    if not reason:
        options = dict(n_resamples=n_resamples, random_state=random_state)
        by_type = compare.source_shares(attributions, features, grouping.by,
                                        column="source_type", **options)
        by_affiliation = (compare.source_shares(attributions, features, grouping.by,
                                                column="source_affiliation", **options)
                          if "source_affiliation" in attributions else None)
        if by_type.empty:
            reason = "no attribution belongs to an article of features.csv"
    if reason:
        return _not_drawn("Source composition", f"{reason}.", inputs=inputs,
                          note=f"**No source composition:** {reason}.")
    fig, caption = plot_source_shares(by_type, by_affiliation, by=grouping.by,
                                      colors=grouping.colors, sizes=grouping.sizes,
                                      max_rows=max_rows, n_resamples=n_resamples)
    return GroupFigure(fig, caption, data=by_type, inputs=inputs,
                       table=by_type.pivot(index="category", columns="group", values="share")
                       .round(3))


# --------------------------------------------------------------------------------------------
# Notebook 04: comparison across articles (fig13-fig16)
# --------------------------------------------------------------------------------------------
#
# These figures start from articles, not from group tables, so they follow the thresholds of
# :mod:`analysis.article_plots` (``N`` = articles): up to MAX_ARTICLE_COLORS (12) every article
# has its own colour (the figures of the bundled corpus, unchanged); up to MAX_ARTICLE_ROWS (30)
# a row per article still, coloured by group; beyond, a view by group. Groups are
# :func:`analysis.article_plots.article_groups` (at most seven named groups + "other groups").

_SIMILARITY_NOTE = ("cosine similarity of TF-IDF vectors over {terms} words and two-word phrases "
                    "(English stop words and numbers removed, sublinear term frequency)")


def _clustered(tfidf_rows):
    """:class:`analysis.compare.Similarity` of a few unit TF-IDF rows: cosine matrix and
    average-linkage order with optimal leaf ordering, as :func:`~analysis.compare.tfidf_similarity`
    computes them."""
    from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering
    from scipy.spatial.distance import squareform

    from .compare import Similarity

    n = tfidf_rows.shape[0]
    matrix = np.clip(np.asarray((tfidf_rows @ tfidf_rows.T).todense(), dtype=float),
                     0.0, 1.0).round(9)
    np.fill_diagonal(matrix, 1.0)
    tree, order = None, list(range(n))
    if n >= 2:
        condensed = squareform(1.0 - matrix, checks=False)
        tree = optimal_leaf_ordering(linkage(condensed, method="average"), condensed)
        order = leaves_list(tree).tolist()
    return Similarity(matrix=matrix, order=order, tree=tree, counts=None, terms=None,
                      tfidf=tfidf_rows)


@dataclass
class TextSimilarity:
    """What :func:`text_similarity` returns.

    ``counts``, ``terms``: raw term counts (articles × terms, sparse) and the vocabulary of
    every article; ``articles``: a :class:`analysis.compare.Similarity` between the articles
    ``shown`` (all of them up to :data:`~analysis.article_plots.MAX_ARTICLE_ROWS`, else a
    sample) or None; ``groups``: the groups × groups mean similarity
    (:func:`analysis.compare.group_mean_similarity`) or None; ``n_articles``: articles in the corpus."""

    n_articles: int
    counts: object
    terms: np.ndarray
    articles: object = None
    shown: list = field(default_factory=list)
    groups: pd.DataFrame | None = None

    @property
    def sampled(self) -> bool:
        return self.articles is not None and len(self.shown) < self.n_articles

    def table(self) -> pd.DataFrame:
        """The matrix drawn: articles in clustered order, or groups."""
        if self.articles is None:
            return self.groups
        ordered = [self.shown[i] for i in self.articles.order]
        m = self.articles.matrix[np.ix_(self.articles.order, self.articles.order)]
        return pd.DataFrame(m, index=ordered, columns=ordered)


def text_similarity(texts, ids, groups: ArticleGroups, max_rows: int = MAX_ARTICLE_ROWS
                    ) -> TextSimilarity:
    """TF-IDF similarity of the articles, at a cost any corpus size affords (fig13).

    Up to ``max_rows`` articles: :func:`analysis.compare.tfidf_similarity` (every pair, clustered
    order). Beyond, the TF-IDF stays sparse (:func:`analysis.compare.sparse_tfidf`): with two or more groups,
    their mean similarities (:func:`analysis.compare.group_mean_similarity`); with one group, the similarity of
    ``max_rows`` articles sampled deterministically (evenly spaced in ``ids`` order; weights
    from the whole corpus).

    Parameters
    ----------
    texts : list of str
        Cleaned texts, in the order of ``ids``.
    ids : list of str
        Article IDs, sorted.
    groups : ArticleGroups
    max_rows : int

    Returns
    -------
    TextSimilarity
    """
    from .compare import tfidf_similarity

    n = len(ids)
    if n <= max_rows:
        sim = tfidf_similarity(texts)
        return TextSimilarity(n, sim.counts, sim.terms, articles=sim, shown=list(ids))
    counts, terms, tfidf = compare.sparse_tfidf(texts)
    if len(groups.names) >= 2:
        table = compare.group_mean_similarity(tfidf, groups.of.reindex(ids).to_numpy(), groups.names)
        return TextSimilarity(n, counts, terms, groups=table)
    pick = np.unique(np.linspace(0, n - 1, max_rows).round().astype(np.int64))
    return TextSimilarity(n, counts, terms, articles=_clustered(tfidf[pick]),
                          shown=[ids[i] for i in pick])


def _plot_article_similarity(ts: TextSimilarity, groups: ArticleGroups, labels: dict):
    from scipy.cluster.hierarchy import dendrogram

    sim = ts.articles
    ids = ts.shown
    n_articles = len(ids)
    colors = groups.article_colors
    show_labels = n_articles <= 40  # beyond this, tick labels would overlap: colours only
    ordered_ids = [ids[i] for i in sim.order]
    sim_df = ts.table()
    cell = 0.55 if n_articles <= 15 else max(0.06, 8.0 / n_articles)
    side = min(9.0, max(2.0, cell * n_articles))
    fig = plt.figure(figsize=(side + 3.6, side + 1.6))
    grid = fig.add_gridspec(2, 3, width_ratios=[0.035 * side, side, 0.045 * side],
                            height_ratios=[0.16 * side, side], wspace=0.03, hspace=0.02)
    ax_tree = fig.add_subplot(grid[0, 1])
    ax_strip = fig.add_subplot(grid[1, 0])
    ax = fig.add_subplot(grid[1, 1])
    ax_bar = fig.add_subplot(grid[1, 2])
    im = ax.imshow(sim_df.to_numpy(), cmap="viridis", vmin=0, vmax=1, aspect="auto")
    if n_articles <= 15:
        for (i, j), v in np.ndenumerate(sim_df.to_numpy()):
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8,
                    color="black" if v > 0.6 else "white")
    ax.set_yticks([])
    if show_labels:
        ax.set_xticks(range(n_articles), ordered_ids, rotation=90, fontsize=8)
    else:
        ax.set_xticks([])
    ax.set_xlabel("article (ID; same order as the rows)")
    ax.spines[:].set_visible(False)
    # A colour strip ties each row to the article's colour (its group's beyond 12 articles).
    ax_strip.imshow(np.array([[plt.matplotlib.colors.to_rgb(colors[a])] for a in ordered_ids]),
                    aspect="auto")
    ax_strip.set_xticks([])
    if show_labels:
        ax_strip.set_yticks(range(n_articles), [labels[a] for a in ordered_ids], fontsize=8)
    else:
        ax_strip.set_yticks([])
    ax_strip.spines[:].set_visible(False)
    ax_strip.tick_params(length=0)
    if sim.tree is not None:
        dendrogram(sim.tree, ax=ax_tree, no_labels=True, color_threshold=0,
                   above_threshold_color="#555555")
        ax_tree.set_ylabel("1 − cosine", fontsize=7)
        ax_tree.tick_params(axis="y", labelsize=7)
    ax_tree.set_xticks([])
    for s in ("top", "right", "bottom"):
        ax_tree.spines[s].set_visible(False)
    if sim.tree is None:
        ax_tree.set_axis_off()
    fig.colorbar(im, cax=ax_bar, label="cosine similarity of TF-IDF vectors (0 to 1)")
    ax_tree.set_title("Text similarity between articles")
    # Below the row labels, left of the column labels: free room (beyond 12 articles).
    add_group_legend(ax_strip, groups, kind="patch", loc="upper right", bbox_to_anchor=(0.0, -0.01))

    similarity = sim.matrix
    off = similarity[np.triu_indices(n_articles, k=1)]
    if n_articles >= 2:
        iu = np.triu_indices(n_articles, k=1)
        hi, lo = int(np.argmax(off)), int(np.argmin(off))
        extremes = (f" Most similar pair: {ids[iu[0][hi]]} and {ids[iu[1][hi]]} ({off[hi]:.2f}); "
                    f"least similar: {ids[iu[0][lo]]} and {ids[iu[1][lo]]} ({off[lo]:.2f}); "
                    f"median between articles {np.median(off):.2f}.")
    else:
        extremes = " With one article there is no pair to compare."
    n = ts.n_articles
    sample = (f" {n_articles} of {fmt_int(n)} articles are shown, sampled deterministically "
              f"(evenly spaced in article_id order, about one in {n / n_articles:.1f}; TF-IDF "
              "weights from all articles); set group_by to compare groups of all articles "
              "instead." if ts.sampled else groups.note(switch=MAX_ARTICLE_ROWS))
    caption = (f"Text similarity, n = {fmt_int(n)} article{'s' if n != 1 else ''}: "
               + _SIMILARITY_NOTE.format(terms=fmt_int(len(ts.terms))) + ". Rows and columns "
               "are ordered by average-linkage hierarchical clustering of 1 − cosine (dendrogram "
               f"on top; optimal leaf order).{extremes}" + sample)
    return fig, caption


def _plot_group_similarity(ts: TextSimilarity, groups: ArticleGroups):
    table = ts.groups
    names = list(table.index)
    k = len(names)
    side = max(2.4, 0.85 * k + 0.6)
    fig = plt.figure(figsize=(side + 3.4, side + 1.2))
    grid = fig.add_gridspec(1, 3, width_ratios=[0.04 * side, side, 0.05 * side], wspace=0.03)
    ax_strip, ax, ax_bar = (fig.add_subplot(grid[0, i]) for i in range(3))
    values = table.to_numpy()
    im = ax.imshow(values, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, "–" if np.isnan(v) else f"{v:.2f}", ha="center", va="center", fontsize=8,
                color="black" if v > 0.6 else "white")
    ax.set_yticks([])
    ax.set_xticks(range(k), [wrap_label(g, 16) for g in names], rotation=40, ha="right",
                  rotation_mode="anchor", fontsize=8)
    ax.set_xlabel(groups.title)
    ax.spines[:].set_visible(False)
    ax_strip.imshow(np.array([[plt.matplotlib.colors.to_rgb(groups.colors[g])] for g in names]),
                    aspect="auto")
    ax_strip.set_xticks([])
    ax_strip.set_yticks(range(k), [wrap_label(s, 28) for s in groups.labels()], fontsize=8)
    ax_strip.spines[:].set_visible(False)
    ax_strip.tick_params(length=0)
    fig.colorbar(im, cax=ax_bar, label="mean cosine similarity of TF-IDF vectors (0 to 1)")
    ax.set_title(f"Text similarity within and between groups ({groups.title})")
    diag = np.diag(values)
    within = (f" Within-group means range from {np.nanmin(diag):.2f} to {np.nanmax(diag):.2f}."
              if np.isfinite(diag).any() else "")
    caption = (f"Text similarity by group, n = {fmt_int(ts.n_articles)} articles: "
               + _SIMILARITY_NOTE.format(terms=fmt_int(len(ts.terms)))
               + f". With more than {MAX_ARTICLE_ROWS} articles the figure shows groups, not "
               "articles: each cell is the mean cosine over every pair of articles, one from "
               "each group (diagonal: pairs of distinct articles of the group; – for a group of "
               "one article). The means come from the sparse TF-IDF rows: each group's "
               "l2-normalised article vectors are summed, and the dot products of the sums, "
               "less the self-pairs, are divided by the number of pairs, so no articles × "
               f"articles matrix is built. {groups.describe()[:1].upper()}"
               f"{groups.describe()[1:]}.{within} No intervals.")
    return fig, caption


def plot_similarity(ts: TextSimilarity, groups: ArticleGroups, labels: dict):
    """fig13: text similarity. A matrix of the articles (:attr:`TextSimilarity.articles`:
    every article up to 30, or a sample), ordered by clustering with the dendrogram on top and a
    strip of article colours (group colours beyond 12 articles, with a legend); or, beyond 30
    articles and with two or more groups, the groups × groups mean similarity.

    Returns
    -------
    (Figure, str)
    """
    if ts.articles is not None:
        return _plot_article_similarity(ts, groups, labels)
    return _plot_group_similarity(ts, groups)


def _cloud_style(n: int) -> tuple[float, float]:
    """Marker area and alpha of a scatter of ``n`` articles (fig14)."""
    if n <= MAX_ARTICLE_ROWS:
        return 70.0, 0.9
    if n <= 300:
        return 30.0, 0.7
    if n <= 3000:
        return 12.0, 0.45
    return 4.0, 0.25


def plot_framing_map(fmap, groups: ArticleGroups, labels: dict):
    """fig14: the articles on the first two principal components of the standardised framing
    features (:func:`analysis.compare.framing_map`), the strongest loadings as arrows, and every
    loading on the right. Up to 12 articles each has its colour and a legend entry; beyond,
    points take their group's colour (translucent, rasterised in the PDF/SVG beyond
    :data:`~analysis.article_plots.RASTERIZE_ABOVE` points) and, with two or more groups, each
    group's centroid (mean scores) is a large diamond. Not drawable: a short note saying why.

    Returns
    -------
    (Figure, str)
    """
    n_articles = groups.n_articles
    usable = fmap.columns
    group_of = {c: g for g, cols in fmap.families.items() for c in cols}
    if not fmap.drawable:
        fig, ax = plt.subplots(figsize=(6, 2.2))
        ax.set_axis_off()
        reason = (f"A 2-D map needs at least 3 articles and 2 framing features that vary;\n"
                  f"features.csv has n = {n_articles} article{'s' if n_articles != 1 else ''} "
                  f"and {len(usable)} varying framing feature{'s' if len(usable) != 1 else ''}.")
        ax.text(0.5, 0.5, reason, ha="center", va="center", fontsize=9, transform=ax.transAxes)
        caption = ("Framing map not drawn. " + reason.replace("\n", " ")
                   + " Framing features are the tone (net_optimism, tone_*), emphasis (emph_*) "
                   "and source (src_*) columns.")
        return fig, caption
    ids = list(fmap.scores.index)
    scores = fmap.scores.to_numpy()
    loading_df = fmap.loadings
    loadings = loading_df.to_numpy()
    explained = fmap.explained
    n_feat = len(usable)
    fig, (ax, ax_load) = plt.subplots(
        1, 2, figsize=(11, max(5.0, 0.2 * n_feat + 1.8)), gridspec_kw={"width_ratios": [1.9, 1]})
    centroids = np.zeros((0, 2))
    if groups.by_article:
        size = 70.0
        for i, a in enumerate(ids):
            ax.scatter(scores[i, 0], scores[i, 1], s=size, color=groups.article_colors[a],
                       edgecolor="black", linewidth=0.6, zorder=3, label=labels[a])
    else:
        size, alpha = _cloud_style(n_articles)
        few = n_articles <= MAX_ARTICLE_ROWS
        ax.scatter(scores[:, 0], scores[:, 1], s=size, c=[groups.article_colors[a] for a in ids],
                   alpha=alpha, edgecolors="black" if few else "none",
                   linewidths=0.6 if few else 0.0, zorder=3,
                   rasterized=n_articles > RASTERIZE_ABOVE)
        if len(groups.names) >= 2:  # largest group first, so small groups' stay visible
            of = groups.of.reindex(ids).to_numpy()
            drawn = sorted(groups.names, key=lambda g: (-groups.sizes[g], g))
            centroids = np.array([scores[of == g].mean(axis=0) for g in drawn])
            ax.scatter(centroids[:, 0], centroids[:, 1], s=130, marker="D",
                       c=[groups.colors[g] for g in drawn], edgecolors="black",
                       linewidths=1.2, zorder=5)
    ax.axhline(0, color="#BBBBBB", lw=0.6, zorder=0)
    ax.axvline(0, color="#BBBBBB", lw=0.6, zorder=0)
    # Arrows for the strongest loadings, at least 20° apart so their labels cannot collide.
    reach = float(np.abs(scores).max()) or 1.0
    scale = 0.9 * reach
    strength = np.hypot(loadings[:, 0], loadings[:, 1])
    chosen = []
    for j in sorted(range(n_feat), key=lambda j: (-round(strength[j], 9), usable[j])):
        angle = np.degrees(np.arctan2(loadings[j, 1], loadings[j, 0]))
        if strength[j] < 0.3 or len(chosen) == 8:
            break
        if all(abs((angle - a2 + 180) % 360 - 180) >= 20 for _, a2 in chosen):
            chosen.append((j, angle))
    for j, _ in chosen:
        x, y = loadings[j] * scale
        ax.annotate("", xy=(x, y), xytext=(0, 0),
                    arrowprops=dict(arrowstyle="-|>", color="#444444", lw=0.9, shrinkA=0,
                                    shrinkB=0))
    lim = 1.6 * max(reach, scale)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    # Each axis label says what the component means: its two strongest loadings each way.
    meaning = []
    for k in ("PC1", "PC2"):
        ranked = loading_df[k].sort_values(ascending=False, kind="stable")
        meaning.append(f"+ {ranked.index[0]}  /  − {ranked.index[-1]}")
    ax.set_xlabel(f"PC1 score (standardised units; {explained[0]:.0%} of variance)\n"
                  f"{meaning[0]}", fontsize=8)
    ax.set_ylabel(f"PC2 score (standardised units; {explained[1]:.0%} of variance)\n"
                  f"{meaning[1]}", fontsize=8)
    ax.set_title("Articles on the framing features (PCA)")
    if groups.by_article:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16),
                  ncol=2 if n_articles > 4 else 1, fontsize=7.5, frameon=False)
    else:
        handles = [Line2D([], [], ls="", marker="o", ms=6, color=groups.colors[g],
                          markeredgecolor="0.2", markeredgewidth=0.4) for g in groups.names]
        names = [wrap_label(s, 40, 1) for s in groups.labels("articles")]
        if len(centroids):
            handles.append(Line2D([], [], ls="", marker="D", ms=7, mfc="white", mec="black",
                                  mew=1.2))
            names.append("group centroid (mean scores)")
        ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
                  fontsize=7.5, frameon=False, title=groups.title, title_fontsize=7.5)
    # Every loading, grouped by feature group, so nothing hidden by the arrow selection is lost.
    ax_load.imshow(loadings, cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    for (i, k), v in np.ndenumerate(loadings):
        ax_load.text(k, i, f"{v:+.2f}", ha="center", va="center", fontsize=7,
                     color="white" if abs(v) > 0.65 else "black")
    ax_load.set_yticks(range(n_feat), [f"{c}  ({group_of[c]})" for c in usable], fontsize=7)
    ax_load.set_xticks([0, 1], ["PC1", "PC2"])
    ax_load.xaxis.tick_top()
    ax_load.set_xlabel("loading: correlation with the component (−1 to 1)", fontsize=8)
    ax_load.spines[:].set_visible(False)
    ax_load.tick_params(length=0)
    fig.tight_layout()
    # Arrow labels: the first spot near the arrow tip that covers no marked point (the articles
    # up to 30, the group centroids beyond) and no other label.
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    marked = scores if n_articles <= MAX_ARTICLE_ROWS else centroids
    points_px = ax.transData.transform(marked) if len(marked) else np.zeros((0, 2))
    radius = np.sqrt(size if n_articles <= MAX_ARTICLE_ROWS else 130.0) / 2 * fig.dpi / 72 + 2
    frame_px = ax.get_window_extent(renderer)
    placed = []
    for j, _ in chosen:
        x, y = loadings[j] * scale
        out_h, in_h = ("left", "right") if x >= 0 else ("right", "left")
        out_v, in_v = ("bottom", "top") if y >= 0 else ("top", "bottom")
        label = ax.text(0, 0, usable[j], fontsize=7.5, color="#222222", zorder=4)
        for f, ha, va in ((1.06, out_h, out_v), (1.06, out_h, in_v), (1.06, in_h, out_v),
                          (1.06, in_h, in_v), (0.8, out_h, in_v), (0.8, in_h, out_v),
                          (0.55, out_h, in_v), (0.55, in_h, out_v), (1.06, out_h, out_v)):
            label.set(position=(x * f, y * f), ha=ha, va=va)
            box = label.get_window_extent(renderer).expanded(1.04, 1.15)
            px, py = points_px[:, 0], points_px[:, 1]
            hits = bool(np.any((box.x0 - radius < px) & (px < box.x1 + radius)
                               & (box.y0 - radius < py) & (py < box.y1 + radius)))
            hits = hits or any(box.overlaps(b) for b in placed) or not (
                frame_px.x0 <= box.x0 and box.x1 <= frame_px.x1 and frame_px.y0 <= box.y0
                and box.y1 <= frame_px.y1)
            if not hits:
                break
        placed.append(label.get_window_extent(renderer))
    ends = [(ids[int(np.argmin(scores[:, k]))], ids[int(np.argmax(scores[:, k]))]) for k in (0, 1)]
    families = ", ".join(f"{g} {sum(group_of[c] == g for c in usable)}" for g in fmap.families)
    if groups.by_article:
        colours = ""
    else:
        colours = (f" Points: articles in their group's colour; {groups.describe()}"
                   + ("; large diamonds: group centroids (mean PC scores)" if len(centroids)
                      else "") + ".")
    caption = (f"Framing map, n = {fmt_int(n_articles)} articles: PCA of {len(usable)} "
               f"standardised framing features ({families}). "
               f"PC1 explains {explained[0]:.0%} and PC2 {explained[1]:.0%} of the variance. "
               f"Arrows: the {len(chosen)} strongest loadings at least 20° apart (correlation with "
               f"the components, drawn ×{scale:.2f}); right: all loadings. PC1 runs from "
               f"{ends[0][0]} to {ends[0][1]}, PC2 from {ends[1][0]} to {ends[1][1]}." + colours
               + (" With few articles the map describes these articles only; it is not a "
                  "population estimate." if n_articles <= MAX_ARTICLE_ROWS else
                  " The map describes these articles; it is not a population estimate."))
    return fig, caption


def _without_overlaps(terms, n: int) -> list:
    """The first ``n`` of ``terms`` (best first), skipping a term that is a word of a phrase
    already kept, or a phrase containing a word already kept."""
    kept = []
    for t in terms:
        words = t.split()
        if any(t in c.split() or c in words for c in kept):
            continue
        kept.append(t)
        if len(kept) == n:
            break
    return kept


def tfidf_top_terms(counts, terms, ids, n_terms: int) -> pd.DataFrame:
    """The ``n_terms`` terms with the highest TF-IDF weight in each article (fig15, up to 12
    articles): raw count × scikit-learn's smoothed idf, l2-normalised per article; terms every
    article uses are left out (they set none apart), and a word already listed inside a phrase
    (or the reverse) is skipped.

    Parameters
    ----------
    counts : sparse matrix
        Articles × terms raw counts (:attr:`TextSimilarity.counts`), rows in ``ids`` order.
    terms : ndarray
        The vocabulary.
    ids : list of str
    n_terms : int

    Returns
    -------
    DataFrame
        Columns ``article_id, rank, term, tfidf``.
    """
    n_articles = len(ids)
    doc_freq = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((1 + n_articles) / (1 + doc_freq)) + 1
    keep = doc_freq < n_articles if n_articles >= 2 else np.ones(len(terms), dtype=bool)
    rows = []
    for i, a in enumerate(ids):
        weights = counts.getrow(i).toarray().ravel() * idf * keep
        norm = np.linalg.norm(weights)
        weights = weights / norm if norm > 0 else weights
        chosen_terms = []
        for t in sorted(np.flatnonzero(weights), key=lambda t: (-round(weights[t], 12), terms[t])):
            words = terms[t].split()
            if any(terms[t] in c.split() or c in words for c in chosen_terms):
                continue
            chosen_terms.append(terms[t])
            rows.append({"article_id": a, "rank": len(chosen_terms), "term": terms[t],
                         "tfidf": weights[t]})
            if len(chosen_terms) == n_terms:
                break
    return pd.DataFrame(rows, columns=["article_id", "rank", "term", "tfidf"])


def plot_article_terms(top: pd.DataFrame, ids, n_terms: int, groups: ArticleGroups,
                       labels: dict, max_panels: int = 24):
    """fig15 up to 12 articles: one panel per article (the first ``max_panels`` by ID) with its
    :func:`tfidf_top_terms` as bars in the article's colour.

    Returns
    -------
    (Figure, str)
    """
    n_articles = len(ids)
    shown = list(ids)[:max_panels]
    ncols = min(3, len(shown))
    nrows = -(-len(shown) // ncols)
    fig, axes = plt.subplots(nrows, ncols,
                             figsize=(3.8 * ncols, 0.26 * n_terms * nrows + 1.0 * nrows),
                             squeeze=False, sharex=True)
    xmax = float(top["tfidf"].max()) if len(top) else 1.0
    for ax, a in zip(axes.ravel(), shown):
        d = top[top["article_id"] == a]
        ax.barh(range(len(d)), d["tfidf"], color=groups.article_colors[a], edgecolor="black",
                linewidth=0.4)
        ax.set_yticks(range(len(d)), d["term"], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, xmax * 1.05)
        ax.set_title(labels[a], fontsize=8.5, loc="left")
        ax.tick_params(axis="x", labelsize=7.5)
    for ax in axes.ravel()[len(shown):]:
        ax.set_axis_off()
    for ax in axes[-1]:
        ax.set_xlabel("TF-IDF weight (0 to 1)")
    fig.tight_layout()
    more = (f" The first {max_panels} of {n_articles} articles (by ID) are shown; the table "
            "above has all." if n_articles > max_panels else "")
    caption = (f"Distinctive terms, n = {n_articles} article{'s' if n_articles != 1 else ''}: "
               f"the {n_terms} words or two-word phrases with the highest TF-IDF weight in each "
               "article (term count × smoothed inverse document frequency, l2-normalised per "
               "article: high when frequent in the article and rare in the others). Terms used by "
               "every article, English stop words and numbers are left out, and a word already "
               "shown inside a phrase is not repeated." + more)
    return fig, caption


def group_term_counts(groups: ArticleGroups, *, table: pd.DataFrame | None = None, counts=None,
                      terms=None) -> pd.DataFrame:
    """Term counts summed per group, as a long table ``article_id, term, count`` whose
    ``article_id`` is the group's name (what :func:`analysis.compare.distinctive_terms` needs,
    with every "article" its own group: the same result as the articles with their groups, and
    rows per group rather than per article).

    Parameters
    ----------
    groups : ArticleGroups
    table : DataFrame, optional
        Counts per article, ``article_id, term, count`` (``terms.csv``); articles not in
        ``groups`` are left out.
    counts, terms : sparse matrix and ndarray, optional
        Otherwise: articles × terms raw counts in sorted article_id order
        (:attr:`TextSimilarity.counts`) and the vocabulary.

    Returns
    -------
    DataFrame
        Rows by group, then term; no zero counts.
    """
    if table is not None:
        grp = table["article_id"].astype(str).map(groups.of)
        out = (table.assign(group=grp, term=table["term"].astype(str),
                            count=pd.to_numeric(table["count"], errors="coerce").fillna(0))
               [grp.notna()].groupby(["group", "term"], sort=True)["count"].sum().reset_index())
        out = out[out["count"] > 0]
        return (out.rename(columns={"group": "article_id"})[["article_id", "term", "count"]]
                .reset_index(drop=True))
    ids = sorted(groups.of.index)
    summed = (compare.group_membership(groups.of.reindex(ids).to_numpy(), groups.names) @ counts).tocoo()
    out = pd.DataFrame({"article_id": np.asarray(groups.names, dtype=object)[summed.row],
                        "term": np.asarray(terms, dtype=object)[summed.col],
                        "count": summed.data.astype(np.int64)})
    out = out[out["count"] > 0]
    return out.sort_values(["article_id", "term"], kind="stable").reset_index(drop=True)


def group_top_terms(group_counts: pd.DataFrame, n_terms: int) -> pd.DataFrame:
    """The ``n_terms`` most distinctive terms of each group (fig15 beyond 12 articles):
    :func:`analysis.compare.distinctive_terms` (log-odds ratio with an informative Dirichlet
    prior, the group against all others pooled), highest z first, among terms more frequent
    in the group than in the rest (z > 0), without a word repeated inside a phrase. With
    one group there is nothing to set apart: its most frequent terms.

    Parameters
    ----------
    group_counts : DataFrame
        :func:`group_term_counts`.
    n_terms : int

    Returns
    -------
    DataFrame
        Columns ``group, rank, term, value, count``; ``.attrs["measure"]`` is ``"z"`` or
        ``"count"`` (what ``value`` is).
    """
    from .compare import distinctive_terms

    names = sorted(dict.fromkeys(group_counts["article_id"]))
    cols = ["group", "rank", "term", "value", "count"]
    rows = []
    if len(names) >= 2:
        scored = distinctive_terms(group_counts, {g: g for g in names}, top=max(5 * n_terms, 20))
        scored = scored[scored["z"] > 0]
        measure = "z"
        for g, d in scored.groupby("group", sort=True):
            keep = _without_overlaps(d["term"].tolist(), n_terms)
            d = d.set_index("term").loc[keep]
            rows += [{"group": g, "rank": r + 1, "term": t, "value": d.at[t, "z"],
                      "count": int(d.at[t, "count"])} for r, t in enumerate(keep)]
    else:
        measure = "count"
        d = group_counts.sort_values(["count", "term"], ascending=[False, True], kind="stable")
        keep = _without_overlaps(d["term"].head(max(5 * n_terms, 20)).tolist(), n_terms)
        d = d.set_index("term").loc[keep]
        rows += [{"group": names[0] if names else "", "rank": r + 1, "term": t,
                  "value": float(d.at[t, "count"]), "count": int(d.at[t, "count"])}
                 for r, t in enumerate(keep)]
    out = pd.DataFrame(rows, columns=cols)
    out.attrs["measure"] = measure
    return out


def plot_group_terms(top: pd.DataFrame, groups: ArticleGroups, n_terms: int,
                     lemmas: bool = False):
    """fig15 beyond 12 articles: one panel per group (at most eight) with its
    :func:`group_top_terms` as bars in the group's colour: z-scores, or counts when all
    articles are one group.

    Parameters
    ----------
    top : DataFrame
        :func:`group_top_terms`.
    groups : ArticleGroups
    n_terms : int
    lemmas : bool
        The counts are lemmas from ``terms.csv`` (else words and two-word phrases of the texts).

    Returns
    -------
    (Figure, str)
    """
    measure = top.attrs.get("measure", "z")
    shown = list(groups.names)
    nrows, ncols = -(-len(shown) // min(3, len(shown))), min(3, len(shown))
    fig, axes = plt.subplots(nrows, ncols, squeeze=False, sharex=True,
                             figsize=(3.8 * ncols, 0.26 * n_terms * nrows + 1.0 * nrows))
    xmax = float(top["value"].max()) if len(top) else 1.0
    for ax, g in zip(axes.ravel(), shown):
        d = top[top["group"] == g]
        ax.barh(range(len(d)), d["value"], color=groups.colors[g], edgecolor="black",
                linewidth=0.4)
        ax.set_yticks(range(len(d)), d["term"], fontsize=8)
        ax.set_ylim(max(len(d), 1) - 0.5, -0.5)
        ax.set_xlim(0, max(xmax, 1e-9) * 1.05)
        ax.set_title(wrap_label(groups.label(g, "articles"), 44, 1), fontsize=8.5, loc="left")
        ax.tick_params(axis="x", labelsize=7.5)
        if not len(d):
            ax.text(0.5, 0.5, "no distinctive term", ha="center", va="center", fontsize=8,
                    color="0.3", transform=ax.transAxes)
    for ax in axes.ravel()[len(shown):]:
        ax.set_axis_off()
    for ax in axes[-1]:
        ax.set_xlabel("z-score (log-odds, group vs rest)" if measure == "z" else
                      "count in all articles")
    fig.tight_layout()
    what = ("lemmas (terms.csv: lower-cased lemmas of alphabetic, non-stop-word tokens)" if lemmas
            else "words and two-word phrases (English stop words and numbers removed)")
    n = groups.n_articles
    if measure == "z":
        body = (f"the {n_terms} {what} that most set each group apart from all other groups "
                "pooled: z-scores of the log-odds ratio with an informative Dirichlet prior "
                "(Monroe, Colaresi and Quinn 2008; prior: the corpus' own term frequencies, as "
                "many pseudo-counts as an average group has tokens), highest first; only terms "
                "more frequent in the group than in the rest (z > 0)")
    else:
        body = (f"all articles are one group, so no term can set a group apart: the {n_terms} "
                f"most frequent {what} of all articles are shown (set group_by to compare "
                "groups)")
    caption = (f"Distinctive terms by group, n = {fmt_int(n)} articles: {body}. A word already "
               f"shown inside a phrase is not repeated. With more than {MAX_ARTICLE_COLORS} "
               f"articles the figure shows groups, not articles: {groups.describe()}."
               + (" Word z-scores describe these texts; they are not tests." if measure == "z"
                  else ""))
    return fig, caption


def _frame_heatmap(ax, mat: np.ndarray, frame_cols, *, annotate: bool, xlabel: str) -> None:
    """Rows (articles or groups) x frames of emphasis rates, in blues from 0 to the largest
    value; each cell labelled when ``annotate`` and there are at most 14 frames."""
    n_rows = mat.shape[0]
    vmax = max(float(np.nanmax(mat)) if np.isfinite(mat).any() else 0.0, 1e-9)
    ax.imshow(mat, cmap="Blues", vmin=0, vmax=vmax, aspect="auto",
              extent=(-0.5, len(frame_cols) - 0.5, n_rows - 0.5, -0.5))
    if annotate and len(frame_cols) <= 14:
        for (i, j), val in np.ndenumerate(mat):
            ax.text(j, i, f"{val:.1f}", ha="center", va="center", fontsize=7,
                    color="white" if val > 0.6 * vmax else "black")
    ax.set_xticks(range(len(frame_cols)), [c.removeprefix("emph_") for c in frame_cols],
                  rotation=40, ha="right", fontsize=8)
    ax.set_xlabel(xlabel)
    ax.spines[:].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _framing_profile_facts(by_id: pd.DataFrame, tone_col, frame_cols, profile_order) -> list:
    facts = []
    if tone_col and len(profile_order) == 1:
        facts.append(f"net optimism {profile_order[0]}: "
                     f"{by_id.at[profile_order[0], tone_col]:.2f}")
    elif tone_col:
        facts.append(f"Most optimistic: {profile_order[0]} "
                     f"({by_id.at[profile_order[0], tone_col]:.2f}), most cautious: "
                     f"{profile_order[-1]} ({by_id.at[profile_order[-1], tone_col]:.2f})")
    if frame_cols:
        means = by_id[frame_cols].mean().sort_values(ascending=False, kind="stable")
        facts.append(f"most emphasised frame on average: {means.index[0].removeprefix('emph_')} "
                     f"({means.iloc[0]:.1f} per 1,000 words)")
    if "src_entropy" in by_id:
        facts.append(f"source-type entropy {by_id['src_entropy'].min():.2f} to "
                     f"{by_id['src_entropy'].max():.2f} bits")
    return facts


_AFFILIATION_PARTS = (("src_pk_share", "Pakistan", "#333333"),
                      ("src_us_share", "United States", "#888888"),
                      ("src_other_share", "other", "#CCCCCC"))


def _draw_affiliations(ax, shares: np.ndarray, cols, y, entropy=None, fmt="{:.2f}"):
    parts = [p for p in _AFFILIATION_PARTS if p[0] in cols]
    left = np.zeros(len(y))
    for (col, name, shade), k in zip(parts, range(shares.shape[1])):
        ax.barh(y, shares[:, k], left=left, color=shade, edgecolor="white", linewidth=0.5,
                label=name)
        left += shares[:, k]
    ax.barh(y, np.clip(1 - left, 0, 1), left=left, color="white", edgecolor="#999999",
            linewidth=0.5, hatch="///", label="unknown")
    if entropy is not None:
        for i, v in enumerate(entropy):
            ax.text(1.03, i, fmt.format(v), va="center", fontsize=7.5)
        ax.text(1.03, -0.75, "H, bits", fontsize=7, color="#444444", va="bottom")
    ax.set_xlim(0, 1)


def _affiliation_legend(ax):
    """The affiliation key a fixed 0.55 in below the axes (below its x label), at any height."""
    from matplotlib.transforms import ScaledTranslation

    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=4, fontsize=7, frameon=False,
              handlelength=1.2, columnspacing=0.8,
              bbox_transform=ax.transAxes + ScaledTranslation(0, -0.55,
                                                              ax.figure.dpi_scale_trans))


def _no_columns(ax, what: str):
    ax.text(0.5, 0.5, f"no {what} columns\nin features.csv", ha="center", va="center",
            transform=ax.transAxes, color="#666666")
    ax.tick_params(axis="x", bottom=False, labelbottom=False)


def plot_framing_profile(features: pd.DataFrame, frame_cols, groups: ArticleGroups,
                         labels: dict, n_resamples: int = 2000):
    """fig16: tone, emphasis and sources side by side. Up to 30 articles, one row per article
    (ordered by net optimism; article colours, group colours beyond 12 articles): net optimism
    with its 95% interval, emphasis per frame (cells), shares of attributions by affiliation
    with the source-type entropy. Beyond, one row per group: the distribution of net optimism
    (box, strip, mean with its 95% interval over articles), the mean emphasis per frame and the
    mean affiliation shares and entropy over the group's articles.

    Parameters
    ----------
    features : DataFrame
        Sorted by article_id.
    frame_cols : list of str
        The ``emph_*`` rate columns (``FramingMap.families["emphasis"]``).
    groups : ArticleGroups
    labels : dict
    n_resamples : int
        Of the sentence bootstrap behind the tone intervals (caption).

    Returns
    -------
    (Figure, str)
    """
    if not groups.per_article:
        return _plot_group_profile(features, frame_cols, groups)
    n_articles = len(features)
    ids = features["article_id"].tolist()
    colors = groups.article_colors
    show_labels = n_articles <= 40
    tone_col = "net_optimism" if "net_optimism" in features else None
    frame_cols = list(frame_cols)
    affil_cols = [c for c, _, _ in _AFFILIATION_PARTS if c in features]
    by_id = features.set_index("article_id")
    if tone_col:
        profile_order = (features.sort_values([tone_col, "article_id"], ascending=[False, True],
                                              kind="stable")["article_id"].tolist())
    else:
        profile_order = ids
    y = np.arange(n_articles)
    fig, axes = plt.subplots(1, 3, figsize=(11.5, max(3.2, 0.42 * n_articles + 1.9)), sharey=True,
                             gridspec_kw={"width_ratios": [1.0, 1.35, 1.1]})
    ax = axes[0]
    if tone_col:
        v = by_id.loc[profile_order, tone_col].to_numpy(float)
        has_ci = f"{tone_col}_lo" in features and f"{tone_col}_hi" in features
        for i, a in enumerate(profile_order):
            if has_ci:
                ax.plot([by_id.at[a, f"{tone_col}_lo"], by_id.at[a, f"{tone_col}_hi"]], [i, i],
                        color=colors[a], lw=2, solid_capstyle="butt", zorder=2)
            ax.scatter(v[i], i, s=40, color=colors[a], edgecolor="black", linewidth=0.6,
                       zorder=3)
        ax.axvline(0, color="#999999", lw=0.7, zorder=0)
        ax.set_xlabel("net optimism (index, −1 to +1)\n← cautious · optimistic →")
        ax.set_title("Tone" + (" (95% interval)" if has_ci else ""))
    else:
        _no_columns(ax, "tone")
        ax.set_title("Tone")
    ax.set_yticks(y, [labels[a] for a in profile_order] if show_labels else [""] * n_articles,
                  fontsize=8)
    ax.set_ylim(n_articles - 0.5, -0.5)

    ax = axes[1]
    if frame_cols:
        _frame_heatmap(ax, by_id.loc[profile_order, frame_cols].to_numpy(float), frame_cols,
                       annotate=n_articles <= 30, xlabel="frame (cells: matches per 1,000 words)")
    else:
        _no_columns(ax, "emphasis")
    ax.set_title("Emphasis")

    ax = axes[2]
    if affil_cols:
        shares = np.nan_to_num(by_id.loc[profile_order, affil_cols].to_numpy(float))
        entropy = (by_id.loc[profile_order, "src_entropy"].to_numpy(float)
                   if "src_entropy" in features else None)
        _draw_affiliations(ax, shares, affil_cols, y, entropy)
        ax.set_xlabel("share of attributions, by affiliation (0 to 1)")
        if groups.by_article:  # as it always was: the bundled corpus' figure stays the same
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=4, fontsize=7,
                      frameon=False, handlelength=1.2, columnspacing=0.8)
        else:
            _affiliation_legend(ax)
    else:
        _no_columns(ax, "source")
    ax.set_title("Sources")
    add_group_legend(fig, groups, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                     ncol=min(4, len(groups.names)))
    fig.tight_layout()

    facts = _framing_profile_facts(by_id, tone_col, frame_cols, profile_order)
    panels = [p for p, ok in (("left: net optimism with 95% sentence-bootstrap intervals "
                               f"({fmt_int(n_resamples)} resamples)", tone_col),
                              (f"middle: emphasis on {len(frame_cols)} frames, matches per 1,000 "
                               "words", frame_cols),
                              ("right: share of attributions by source affiliation (unknown "
                               "hatched)" + (" and source-type entropy H in bits"
                                             if "src_entropy" in features else ""),
                               affil_cols)) if ok]
    caption = (f"Framing profile, n = {n_articles} article{'s' if n_articles != 1 else ''}"
               + (", ordered by net optimism" if tone_col else "") + ". "
               + ("; ".join(panels).capitalize()[:1] + "; ".join(panels)[1:] + ". " if panels
                  else "No framing columns in features.csv. ")
               + (". ".join(f[0].upper() + f[1:] for f in facts) + "." if facts else "")
               ).strip() + groups.note(switch=MAX_ARTICLE_ROWS)
    return fig, caption


def _plot_group_profile(features: pd.DataFrame, frame_cols, groups: ArticleGroups):
    names = list(groups.names)
    k = len(names)
    tone_col = "net_optimism" if "net_optimism" in features else None
    frame_cols = list(frame_cols)
    affil_cols = [c for c, _, _ in _AFFILIATION_PARTS if c in features]
    by_id = features.set_index("article_id")
    of = groups.of.reindex(by_id.index)
    y = np.arange(k)
    fig, axes = plt.subplots(1, 3, figsize=(12.5, max(3.2, 0.6 * k + 1.9)), sharey=True,
                             gridspec_kw={"width_ratios": [1.2, 1.35, 1.1]})
    ax = axes[0]
    if tone_col:
        draw_distributions(ax, by_id[tone_col], groups)
        ax.axvline(0, color="#999999", lw=0.7, zorder=0)
        ax.set_xlabel("net optimism (index, −1 to +1)\n← cautious · optimistic →")
    else:
        _no_columns(ax, "tone")
        ax.set_yticks(y, groups.labels())
        ax.set_ylim(k - 0.5, -0.5)
    ax.set_title("Tone (articles)")
    ax = axes[1]
    if frame_cols:
        _frame_heatmap(ax, by_id[frame_cols].astype(float).groupby(of).mean().reindex(names)
                       .to_numpy(), frame_cols, annotate=True,
                       xlabel="frame (cells: mean matches per 1,000 words)")
    else:
        _no_columns(ax, "emphasis")
    ax.set_title("Emphasis (group means)")
    ax = axes[2]
    if affil_cols:
        mean = by_id[affil_cols].astype(float).groupby(of).mean().reindex(names)
        entropy = (by_id["src_entropy"].astype(float).groupby(of).mean().reindex(names)
                   .to_numpy() if "src_entropy" in features else None)
        _draw_affiliations(ax, np.nan_to_num(mean.to_numpy()), affil_cols, y, entropy)
        ax.set_xlabel("mean share of attributions, by affiliation (0 to 1)")
        _affiliation_legend(ax)
    else:
        _no_columns(ax, "source")
    ax.set_title("Sources (group means)")
    fig.tight_layout()
    panels = [p for p, ok in (
        (f"left: net optimism of the articles by group ({DISTRIBUTION_NOTE})", tone_col),
        (f"middle: mean emphasis on {len(frame_cols)} frames over the group's articles, matches "
         "per 1,000 words", frame_cols),
        ("right: mean share of attributions by source affiliation over the group's articles "
         "with attributions (unknown hatched)" + (" and their mean source-type entropy H in "
                                                 "bits" if "src_entropy" in features else ""),
         affil_cols)) if ok]
    n = groups.n_articles
    caption = (f"Framing profile by group, n = {fmt_int(n)} articles. With more than "
               f"{MAX_ARTICLE_ROWS} articles the figure shows groups, not articles: "
               f"{groups.describe()}. " + ("; ".join(panels)[:1].upper() + "; ".join(panels)[1:]
                                           + "." if panels else
                                           "No framing columns in features.csv."))
    return fig, caption

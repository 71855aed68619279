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
"""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from .compare import OTHER
from .figures import fmt_int

__all__ = ["GROUP_PALETTE", "GREY", "MAX_INCHES", "group_colors", "wrap_label", "measure_unit",
           "shown_groups", "place_labels", "facet_intervals", "placeholder", "plot_group_means",
           "plot_contrasts", "plot_timeline", "plot_distinctive_terms", "plot_source_shares"]

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

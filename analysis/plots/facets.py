"""Small multiples of points with interval bars: the layout of fig17, fig18 and fig21.

Sizes are set in inches, not left to matplotlib: a panel is :data:`_PANEL_W` wide, a row of
panels as tall as its group rows need, with room for a two-line title above and the tick
labels below. Panels are added column by column while the figure stays under
:data:`~analysis.plots.layout.MAX_INCHES`; the ones that still do not fit are left out and the
caller says so in the caption.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .layout import GREY, MAX_INCHES, wrap_label

__all__ = ["facet_intervals"]

_PANEL_W = 2.35  # inches: one small panel
_GAP_W = 0.35
_TITLE_H = 0.42  # inches above a panel: its (two-line) title
_TICKS_H = 0.38  # inches below a panel: x tick labels (and a short x label)


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
    """Small multiples of points with interval bars, a panel per value of ``panel``.

    Every panel has a row per value of ``row``, the same rows in every panel, labelled on the left
    of each row of panels.

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

    Examples
    --------
    >>> table = pd.DataFrame({"measure": ["m", "m"], "group": ["a", "b"], "mean": [0.1, 0.3],
    ...                       "lo": [0.0, 0.2], "hi": [0.2, 0.4]})
    >>> fig, drawn = facet_intervals(table, panel="measure", row="group")
    >>> drawn
    ['m']
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

"""fig17 of notebook 05: the mean of every framing measure in every group, with 95% intervals.

Drawn from :func:`analysis.compare.group_summary`: a
:func:`~analysis.plots.facets.facet_intervals` figure, a panel per measure and a row per group
(at most ``max_rows``, the largest), with its caption: what was compared, with what n, which
interval.
"""

from __future__ import annotations

import pandas as pd

from ..figures import fmt_int
from .facets import facet_intervals
from .layout import group_colors, measure_unit, n_range, omitted_note, shown_groups
from .plot import Plot

__all__ = ["plot_group_means"]


def plot_group_means(summary: pd.DataFrame, *, by: str, overall: pd.DataFrame | None = None,
                     sizes: dict | None = None, colors: dict | None = None, max_rows: int = 12,
                     max_panels: int = 48, min_n: int = 5, n_resamples: int = 2000) -> Plot:
    """fig17: the mean of every framing measure in every group, with 95% intervals.

    The intervals come from a bootstrap of the articles; one small panel per measure.

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
    Plot
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
               f" (articles per group: {n_range(sizes.get(g, 0) for g in groups)}): the mean of "
               f"each measure in each group with its 95% percentile interval from "
               f"{fmt_int(n_resamples)} bootstrap resamples of the group's articles (the article "
               "is the unit; sentences are not resampled)."
               + (" Dashed grey line: the mean of all articles." if refs else "")
               + f" Hollow points: fewer than {min_n} articles with a value (noisy means)."
               + (" A group of one article has no interval (not estimable from one article)."
                  if (summary["n"] == 1).any() else "")
               + omitted_note(len(rows), len(groups), "groups")
               + (f" The first {len(drawn)} of {len(ms)} measures are shown."
                  if len(drawn) < len(ms) else ""))
    return Plot(fig, caption)

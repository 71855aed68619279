"""fig18 of notebook 05: each group's difference in mean from the reference, with 95% intervals.

Drawn from :func:`analysis.compare.contrasts`: a forest plot, a panel per measure and a row per
contrast (at most ``max_rows``, among the largest groups), with its caption: the design (paired
by event or not), the n, the interval, the test and the Benjamini–Hochberg correction.
"""

from __future__ import annotations

import pandas as pd

from ..figures import fmt_int
from .facets import facet_intervals
from .layout import GREY, group_colors, measure_unit, n_range, shown_groups, wrap_label
from .plot import Plot

__all__ = ["plot_contrasts"]


def plot_contrasts(table: pd.DataFrame, *, by: str, pair_by: str | None = None,
                   colors: dict | None = None, sizes: dict | None = None, alpha: float = 0.05,
                   max_rows: int = 12, max_panels: int = 36) -> Plot:
    """fig18: forest plot of each group's difference in mean from the reference.

    Each difference has its 95% interval, one small panel per measure; filled points are
    significant after the Benjamini–Hochberg correction, hollow ones are not.

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
    Plot
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
                  f"(events per contrast: {n_range(table['n_pairs'])}; articles in them per "
                  f"group: {n_range(pd.concat([table['n'], table['n_reference']]))}). "
                  f"Intervals: 95% percentile, {fmt_int(n_res or 0)} bootstrap resamples of the "
                  f"shared events. Test: two-sided sign-flip permutation test of the event "
                  f"differences ({fmt_int(m_perm or 0)} random sign flips, p = (b + 1)/(m + 1)).")
    else:
        design = (f"Unpaired: difference of group means (articles per group with a value: "
                  f"{n_range(pd.concat([table['n'], table['n_reference']]))}). Intervals: 95% "
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
    return Plot(fig, caption)

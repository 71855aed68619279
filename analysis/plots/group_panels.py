"""Group comparison panels of notebook 05 from the tables of :mod:`analysis.compare`: group
means (fig17), contrasts (fig18) and source composition (fig21).

Each is a :func:`~analysis.plots.facets.facet_intervals` figure, a panel per measure or
category and a row per group (at most ``max_rows``, the largest), and comes with its caption:
what was compared, with what n, which interval, which test and correction, paired or not.
"""

from __future__ import annotations

import pandas as pd

from ..figures import affiliation_style, fmt_int
from .affiliations import affiliation_keys
from .facets import facet_intervals
from .layout import (GREY, group_colors, measure_unit, n_range, omitted_note, shown_groups,
                     wrap_label)

__all__ = ["plot_group_means", "plot_contrasts", "plot_source_shares"]


def plot_group_means(summary: pd.DataFrame, *, by: str, overall: pd.DataFrame | None = None,
                     sizes: dict | None = None, colors: dict | None = None, max_rows: int = 12,
                     max_panels: int = 36, min_n: int = 5, n_resamples: int = 2000):
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
               f" (articles per group: {n_range(sizes.get(g, 0) for g in groups)}): the mean of "
               f"each measure in each group with its 95% percentile interval from "
               f"{fmt_int(n_resamples)} bootstrap resamples of the group's articles (the article "
               "is the unit; sentences are not resampled)."
               + (" Dashed grey line: the mean of all articles." if refs else "")
               + f" Hollow points: fewer than {min_n} articles with a value (noisy means)."
               + omitted_note(len(rows), len(groups), "groups")
               + (f" The first {len(drawn)} of {len(ms)} measures are shown."
                  if len(drawn) < len(ms) else ""))
    return fig, caption


def plot_contrasts(table: pd.DataFrame, *, by: str, pair_by: str | None = None,
                   colors: dict | None = None, sizes: dict | None = None, alpha: float = 0.05,
                   max_rows: int = 12, max_panels: int = 36):
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
    return fig, caption


def plot_source_shares(types: pd.DataFrame, affiliations: pd.DataFrame | None, *, by: str,
                       colors: dict, sizes: dict, max_rows: int = 12, max_categories: int = 10,
                       n_resamples: int = 2000, study=None, affiliation_note: str = ""):
    """fig21: source composition per group, a panel per source type or affiliation.

    The share of each group's attributions by source type (and affiliation), with 95%
    intervals from a bootstrap of the articles. Types in order of their count; affiliations
    labelled and ordered as in :mod:`analysis.plots.affiliations` (the study's actors in study
    order, or the countries by count; then other, multiple, unknown).

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
    study : Study, str, Path or None
        Labels and order of the affiliations (:func:`analysis.figures.affiliation_style`).
    affiliation_note : str
        Caption sentences on the affiliations (what they are; which countries were folded).

    Returns
    -------
    (Figure, str)
    """
    parts, order = [], {}
    for kind, t in (("type", types), ("affiliation", affiliations)):
        if t is None or t.empty:
            continue
        cats = list(dict.fromkeys(t["category"]))
        names = {c: c for c in cats}
        if kind == "affiliation":
            weights = t.groupby("category")["count"].sum().to_dict()
            keys, _ = affiliation_keys(weights, study, max_countries=len(weights))
            cats = [k for k in keys if k in names]
            names = {k: v[0] for k, v in affiliation_style(cats, study).items()}
        cats = cats[:max_categories]
        order[kind] = [f"{kind}: {names[c]}" for c in cats]
        sub = t[t["category"].isin(cats)]
        parts.append(sub.assign(panel=[f"{kind}: {names[c]}" for c in sub["category"]]))
    table = pd.concat(parts, ignore_index=True)
    groups = sorted(dict.fromkeys(table["group"]))
    rows = shown_groups(groups, sizes, max_rows)
    panels = [p for kind in order for p in order[kind]]
    breaks = order.get("type", []) + [None] + order.get("affiliation", [])
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
               f"included). Attributions per group: {n_range(n_att)}; empty categories count "
               "as unknown." + (affiliation_note if affiliations is not None
                                and len(affiliations) else "")
               + omitted_note(len(rows), len(groups), "groups"))
    return fig, caption

"""fig21 of notebook 05: whom each group cites, the shares of its attributions by source type
and affiliation, with 95% intervals.

Drawn from :func:`analysis.compare.source_shares`: a panel per source type or affiliation and a
row per group (at most ``max_rows``, the largest). The source composition of single articles
(fig09, fig10) is in :mod:`analysis.plots.sources`.
"""

from __future__ import annotations

import pandas as pd

from ..figures import affiliation_style, fmt_int
from .affiliations import affiliation_keys
from .facets import facet_intervals
from .layout import n_range, omitted_note, shown_groups, wrap_label
from .plot import Plot

__all__ = ["plot_source_composition"]


def plot_source_composition(types: pd.DataFrame, affiliations: pd.DataFrame | None, *, by: str,
                            colors: dict, sizes: dict, max_rows: int = 12,
                            max_categories: int = 10, n_resamples: int = 2000, study=None,
                            affiliation_note: str = "") -> Plot:
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
    Plot
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
    return Plot(fig, caption)

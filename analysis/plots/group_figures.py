"""Notebook 05: from the comparison tables to each figure (fig17-fig21).

``python -m analysis compare`` computes every number once, into the tables of
:mod:`analysis.compare.results`; notebook 05 reads them (:func:`analysis.compare.read_comparison`)
and one function per figure draws them with a ``plot_*`` function of :mod:`analysis.plots`,
returning a :class:`~analysis.plots.plot.Plot` whose ``inputs`` are the tables it
was drawn from. Nothing is computed here but the view: which groups are drawn, hollow points,
labels. When the figure cannot be drawn (no groups, one group, no tables, too few periods, no
word counts, no attributions) the figure is a placeholder that says why.
"""

from __future__ import annotations

from dataclasses import replace

from ..compare import PERIODS, Comparison, word_counts
from ..figures import fmt_int
from ..study import resolve_study
from .affiliations import fold_note, meaning_note
from .contrasts import plot_contrasts
from .gender import plot_women_quoted
from .group_means import plot_group_means
from .grouping import Grouping
from .plot import Plot, not_drawn
from .source_composition import plot_source_composition
from .terms import plot_distinctive_terms
from .timeline import dates_left_out, plot_timeline

# word_counts: re-exported (analysis.plots.word_counts); the compare command counts the words.
__all__ = ["group_means_figure", "contrasts_figure", "timeline_figure",
           "word_counts", "distinctive_words_figure", "source_composition_figure",
           "women_quoted_figure"]


def _why_not(grouping: Grouping, tables: Comparison | None, two: bool = False) -> str:
    """Why a figure cannot be drawn: no group (``two``: fewer than two), or no tables; ""
    when it can."""
    if not (grouping.can_compare if two else grouping.has_groups):
        return grouping.reason
    return "no comparison tables" if tables is None else tables.reason


def _without_group(tables: Comparison, by: str) -> str:
    """The sentence of a caption on the articles without a group (with a leading space; ""
    when every article has one): the compare run left them out of every table."""
    n = int(tables.table("groups").attrs.get("n_without_group", 0) or 0)
    return (f" {fmt_int(n)} article{'s' if n != 1 else ''} without a value of '{by}' "
            f"{'are' if n != 1 else 'is'} left out." if n else "")


PANELS, MORE_PANELS = 36, 48  # measure panels of fig17/fig18; the second without share twins


def _panel_measures(table):
    """The rows of ``table`` (a ``measure`` column) whose measures fig17 and fig18 draw, and
    a caption sentence: all of them up to :data:`PANELS` measures; beyond (many frames), the
    ``_share`` twins of the rates drawn are left to the table, and up to :data:`MORE_PANELS`
    panels are drawn."""
    ms = list(dict.fromkeys(table["measure"]))
    if len(ms) <= PANELS:
        return table, PANELS, ""
    twins = [m for m in ms if m.endswith("_share") and m.removesuffix("_share") in ms]
    shown = table[~table["measure"].isin(twins)]
    shown.attrs = dict(table.attrs)  # permutations, resamples: for the caption
    return (shown, MORE_PANELS,
            f" The sentence shares (`_share`) of {len(twins)} rates are in the table, not "
            "drawn." if twins else "")


def _told(drawn: Plot, tables: Comparison, by: str) -> Plot:
    """``drawn`` with the articles left out for want of a group said in its caption."""
    return replace(drawn, caption=drawn.caption + _without_group(tables, by))


def group_means_figure(tables: Comparison, grouping: Grouping, *, max_rows: int = 12,
                       min_n: int = 5) -> Plot:
    """fig17: the mean of every measure per group, with 95% intervals.

    :func:`plot_group_means` of the ``groups`` table, with the mean of all articles
    (``groups_all``) as reference.

    Parameters
    ----------
    tables : Comparison
        :func:`analysis.compare.read_comparison`.
    grouping : Grouping
        :func:`group_articles` of the features table (group sizes and colours).
    max_rows, min_n
        As in :func:`plot_group_means` (drawing only).

    Returns
    -------
    Plot
        ``data``: the groups table; ``table``: its means, measures × groups; ``inputs``: the
        tables read. Without groups or tables, a placeholder.

    Examples
    --------
    >>> tables = compare.read_comparison("data/processed", "outlet")  # doctest: +SKIP
    >>> means = group_means_figure(tables, group_articles(features, "outlet"))  # doctest: +SKIP
    >>> save_figure(means, "fig17-group-means")  # doctest: +SKIP
    """
    if not grouping.has_groups:
        return not_drawn("Group means", f"{grouping.reason}.", prefix="Nothing to compare: ")
    if reason := _why_not(grouping, tables):
        return not_drawn("Group means", f"{reason}.", note=f"**No group means:** {reason}.")
    summary = tables.table("groups")
    measures = list(dict.fromkeys(summary["measure"]))
    shown, panels, left = _panel_measures(summary)
    drawn = plot_group_means(shown, by=grouping.by, overall=tables.table("groups_all"),
                             sizes=grouping.sizes, colors=grouping.colors,
                             max_rows=max_rows, min_n=min_n, max_panels=panels,
                             n_resamples=tables.settings["n_resamples"])
    drawn = replace(drawn, caption=drawn.caption + left)
    means = summary.pivot(index="measure", columns="group", values="mean").loc[measures].round(3)
    return replace(_told(drawn, tables, grouping.by), data=summary, table=means,
                   inputs=tables.inputs("groups", "groups_all"))


def contrasts_figure(tables: Comparison, grouping: Grouping, *,
                     max_rows: int = 12) -> Plot:
    """fig18: each group minus the reference, tested and corrected for multiple tests.

    :func:`plot_contrasts` of the ``contrasts`` table: permutation tests with the
    Benjamini–Hochberg correction, filled where the adjusted p is below the compare run's
    ``alpha``.

    Parameters
    ----------
    tables : Comparison
    grouping : Grouping
    max_rows : int
        As in :func:`plot_contrasts`.

    Returns
    -------
    Plot
        ``data``: the contrasts; ``table``: the 20 smallest adjusted p-values; ``note``: how
        many are significant. With fewer than two groups or no tables, a placeholder.

    Examples
    --------
    >>> contrasts = contrasts_figure(tables, grouping)  # doctest: +SKIP
    >>> print(contrasts.note)  # doctest: +SKIP
    3 of 48 contrasts are significant after Benjamini–Hochberg (α = 0.05; 9,999 permutations
    each).
    """
    if not grouping.can_compare:
        return not_drawn("Contrasts", f"{grouping.reason}.", prefix="Nothing to compare: ")
    if reason := _why_not(grouping, tables, two=True):
        return not_drawn("Contrasts", f"{reason}.", note=f"**No contrasts:** {reason}.")
    contrasts = tables.table("contrasts")
    alpha, pair_by = tables.settings["alpha"], tables.settings["pair_by"]
    shown, panels, left = _panel_measures(contrasts)
    drawn = plot_contrasts(shown, by=grouping.by, pair_by=pair_by or None,
                           colors=grouping.colors, sizes=grouping.sizes, alpha=alpha,
                           max_rows=max_rows, max_panels=panels)
    drawn = replace(drawn, caption=drawn.caption + left)
    n_sig = int((contrasts["p_adjusted"] < alpha).sum())
    note = (f"{n_sig} of {int(contrasts['p'].notna().sum())} contrasts are significant after "
            f"Benjamini–Hochberg (α = {alpha:g}; "
            f"{fmt_int(contrasts.attrs['n_permutations'])} permutations each).")
    return replace(_told(drawn, tables, grouping.by), data=contrasts, note=note,
                   inputs=tables.inputs("contrasts"),
                   table=contrasts.sort_values(["p_adjusted", "measure"], kind="stable")
                   .head(20))


def timeline_figure(tables: Comparison, grouping: Grouping, *, min_n: int = 5) -> Plot:
    """fig19: a few measures per period and group.

    :func:`plot_timeline` of the ``timeline`` table (beyond seven groups the smaller ones are
    pooled as :data:`~analysis.compare.OTHER`), with ``timeline_all`` as reference.

    Parameters
    ----------
    tables : Comparison
    grouping : Grouping
    min_n : int
        Cells with fewer articles are drawn hollow, without band (drawing only).

    Returns
    -------
    Plot
        ``data``: the timeline table; ``note``: the periods, or why there is no timeline (no
        groups, no tables, no date column, dates in fewer than three periods), then a
        placeholder.

    Examples
    --------
    >>> timeline = timeline_figure(tables, grouping, min_n=5)  # doctest: +SKIP
    """
    reason = _why_not(grouping, tables)
    inputs = [] if reason else tables.inputs("timeline")  # the table says why, if it does
    reason = reason or tables.why_empty("timeline")
    if not reason:
        time, over_time = tables.settings["time"], tables.table("timeline")
        n_periods = over_time.attrs["n_periods"]
        dates_note = (f"{over_time.attrs['n_unparsed']} article(s) have no readable `{time}` "
                      "and are left out." if over_time.attrs["n_unparsed"] else "")
        dates_note = (dates_note + dates_left_out(over_time.attrs)).strip()
        if n_periods < 3:
            reason = (f"the dates fall in {n_periods} "
                      f"{PERIODS[over_time.attrs['period']]}(s); a timeline needs at "
                      f"least 3. {dates_note}")
    if reason:
        return not_drawn("Timeline", reason, note=f"**No timeline:** {reason}", inputs=inputs)
    overall = tables.table("timeline_all")
    flagged = over_time.assign(below_min_n=over_time["n"] < min_n)
    flagged.attrs = {**over_time.attrs, "min_n": min_n}
    drawn = plot_timeline(flagged, by=grouping.by,
                          measures=list(dict.fromkeys(over_time["measure"])),
                          colors=grouping.colors, overall=overall,
                          n_resamples=tables.settings["n_resamples"])
    return replace(_told(drawn, tables, grouping.by), data=over_time,
                   inputs=tables.inputs("timeline", "timeline_all"),
                   note=f"{n_periods} periods ({over_time.attrs['period']}). {dates_note}")


def distinctive_words_figure(tables: Comparison, grouping: Grouping, *, n_label: int = 8,
                             max_panels: int = 12) -> Plot:
    """fig20: the distinctive words of every group.

    :func:`plot_distinctive_terms` of the ``words`` table, with the informative prior stated
    in the caption.

    Parameters
    ----------
    tables : Comparison
    grouping : Grouping
    n_label, max_panels : int
        As in :func:`plot_distinctive_terms`.

    Returns
    -------
    Plot
        ``data``: every term's z-score per group; ``table``: the ``n_label`` highest per group;
        ``inputs``: the table read. With fewer than two groups, no tables, no counts or no
        counts in two groups, a placeholder and ``note`` saying why.

    Examples
    --------
    >>> words = distinctive_words_figure(tables, grouping, n_label=8)  # doctest: +SKIP
    """
    reason, inputs = _why_not(grouping, tables, two=True), []
    if not reason:
        terms, inputs = tables.table("words"), tables.inputs("words")
        reason = tables.why_empty("words") or ("" if len(terms) else
                                               "no word counts for two or more groups")
    if reason:
        return not_drawn("Distinctive words", f"{reason}.", inputs=inputs,
                         note=f"**No distinctive words:** {reason}.")
    # The prior of compare.distinctive_terms: the mean number of counted tokens per group.
    prior_total = (terms.drop_duplicates("term")["count_total"].sum()
                   / terms["group"].nunique())
    drawn = plot_distinctive_terms(
        terms, by=grouping.by, colors=grouping.colors, sizes=grouping.sizes, n_label=n_label,
        max_panels=max_panels,
        prior_text=(f"Prior: a0 = {fmt_int(prior_total)} pseudo-counts (the mean number of counted "
                    "tokens per group), spread over the lemmas in proportion to their corpus "
                    "frequency."))
    return replace(_told(drawn, tables, grouping.by), data=terms, inputs=tables.inputs("words"),
                   table=terms.groupby("group", sort=True).head(n_label))


def source_composition_figure(tables: Comparison, grouping: Grouping, *, study=None,
                              max_rows: int = 12) -> Plot:
    """fig21: shares of source types and affiliations per group.

    :func:`plot_source_composition` of the ``source_shares`` table. Affiliations are the study's
    actors, or, without actors, the countries with the most attributions of these articles up
    to the compare run's ``max_countries``, the other countries counted together as one
    category (folded by the compare run).

    Parameters
    ----------
    tables : Comparison
    grouping : Grouping
    study : Study, str, Path or None
        Labels and order of the affiliations (:func:`analysis.study.resolve_study`).
    max_rows : int
        As in :func:`plot_source_composition`.

    Returns
    -------
    Plot
        ``data``: the shares by source type; ``table``: them as categories × groups;
        ``inputs``: the table read. Without groups, tables or attributions (of the articles in
        the features table), a placeholder and ``note`` saying why.
    """
    if reason := _why_not(grouping, tables):
        return not_drawn("Source composition", f"{reason}.",
                         note=f"**No source composition:** {reason}.")
    if reason := tables.why_empty("source_shares"):
        return not_drawn("Source composition", f"{reason}.",
                         inputs=tables.inputs("source_shares"),
                         note=f"**No source composition:** {reason}.")
    shares = tables.table("source_shares")
    parts = {v: shares[shares["variable"] == v].drop(columns="variable").reset_index(drop=True)
             for v in ("source_type", "source_affiliation")}
    by_type, by_affiliation = parts["source_type"], parts["source_affiliation"]
    study = resolve_study(study)
    affiliation_note = (meaning_note(study, marks=False)
                        + fold_note(tables.settings["folded"], study,
                                    tables.settings["max_countries"])
                        if len(by_affiliation) else "")
    drawn = plot_source_composition(by_type, by_affiliation if len(by_affiliation) else None,
                                    by=grouping.by, colors=grouping.colors,
                                    sizes=grouping.sizes, max_rows=max_rows,
                                    n_resamples=tables.settings["n_resamples"], study=study,
                                    affiliation_note=affiliation_note)
    return replace(_told(drawn, tables, grouping.by), data=by_type,
                   inputs=tables.inputs("source_shares"),
                   table=by_type.pivot(index="category", columns="group", values="share")
                   .round(3))


def women_quoted_figure(tables: Comparison, grouping: Grouping, *, max_groups: int = 12,
                        min_people: int = 10) -> Plot:
    """fig23: the share of women among the people quoted, per group and period.

    :func:`~analysis.plots.gender.plot_women_quoted` of the ``women_quoted`` table.

    Parameters
    ----------
    tables : Comparison
    grouping : Grouping
    max_groups, min_people : int
        As in :func:`~analysis.plots.gender.plot_women_quoted` (drawing only).

    Returns
    -------
    Plot
        ``data``: the table; ``table``: shares as groups x periods. Without groups, tables,
        dates or gendered people, a placeholder and ``note`` saying why.

    Examples
    --------
    >>> fig23 = women_quoted_figure(tables, grouping)  # doctest: +SKIP
    """
    if reason := _why_not(grouping, tables):
        return not_drawn("Women quoted", f"{reason}.", note=f"**No share of women:** {reason}.")
    table = tables.table("women_quoted")
    reason = tables.why_empty("women_quoted") or (
        "" if len(table) and table["n_people"].sum() else "no gendered person is quoted")
    if reason:
        return not_drawn("Women quoted", f"{reason}.", inputs=tables.inputs("women_quoted"),
                         note=f"**No share of women:** {reason}.")
    drawn = plot_women_quoted(table, by=grouping.by, colors=grouping.colors,
                              sizes=grouping.sizes, max_groups=max_groups,
                              min_people=min_people, n_resamples=tables.settings["n_resamples"])
    return replace(_told(drawn, tables, grouping.by), inputs=tables.inputs("women_quoted"))

"""Notebook 05: from the features table to each figure (fig17-fig21).

One function per figure runs the :mod:`analysis.compare` computation, draws it with a
``plot_*`` function of :mod:`analysis.plots` and returns a
:class:`~analysis.plots.grouping.GroupFigure`. When the figure cannot be drawn (no groups, one
group, too few periods, no texts, no attributions) the figure is a placeholder that says why.
The notebook passes its parameters and saves the result.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import compare
from ..compare import OTHER
from ..corpus import load_corpus
from ..figures import FOLDED, fmt_int
from ..tables import read_table
from .affiliations import MAX_COUNTRIES, fold_affiliations, fold_note, meaning_note
from .group_panels import plot_contrasts, plot_group_means, plot_source_shares
from .grouping import GroupFigure, Grouping, not_drawn
from .terms import plot_distinctive_terms
from .timeline import plot_timeline

__all__ = ["group_means_figure", "contrasts_figure", "timeline_figure", "word_counts",
           "distinctive_words_figure", "source_composition_figure"]


def group_means_figure(features: pd.DataFrame, grouping: Grouping, *, measures=None,
                       max_rows: int = 12, min_n: int = 5, n_resamples: int = 2000,
                       random_state: int = 0) -> GroupFigure:
    """fig17: the mean of every measure per group, with 95% intervals.

    :func:`plot_group_means` of :func:`analysis.compare.group_summary`, with the mean of all
    articles as reference.

    Parameters
    ----------
    features : DataFrame
    grouping : Grouping
        :func:`group_articles` of ``features``.
    measures : list of str, optional
        Default :func:`analysis.compare.measure_columns`.
    max_rows, min_n, n_resamples, random_state
        As in :func:`plot_group_means` and :func:`analysis.compare.group_summary`.

    Returns
    -------
    GroupFigure
        ``data``: the group summary; ``table``: its means, measures × groups. Without groups, a
        placeholder.

    Examples
    --------
    >>> grouping = group_articles(features, "outlet")  # doctest: +SKIP
    >>> means = group_means_figure(features, grouping, n_resamples=2000)  # doctest: +SKIP
    >>> save_figure(means.fig, "fig17-group-means", caption=means.caption)  # doctest: +SKIP
    """
    if not grouping.has_groups:
        return not_drawn("Group means", f"{grouping.reason}.", prefix="Nothing to compare: ")
    measures = compare.measure_columns(features) if measures is None else list(measures)
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
    """fig18: each group minus the reference, tested and corrected for multiple tests.

    :func:`plot_contrasts` of :func:`analysis.compare.contrasts`: permutation tests with the
    Benjamini–Hochberg correction.

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

    Examples
    --------
    >>> contrasts = contrasts_figure(features, grouping, pair_by="event")  # doctest: +SKIP
    >>> print(contrasts.note)  # doctest: +SKIP
    3 of 48 contrasts are significant after Benjamini–Hochberg (α = 0.05; 9,999 permutations
    each).
    """
    if not grouping.can_compare:
        return not_drawn("Contrasts", f"{grouping.reason}.", prefix="Nothing to compare: ")
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
    """fig19: a few measures per period and group.

    :func:`plot_timeline` of :func:`analysis.compare.time_summary`; beyond seven groups the
    smaller ones are pooled as :data:`~analysis.compare.OTHER`.

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

    Examples
    --------
    >>> timeline = timeline_figure(features, grouping, measures="net_optimism,emph_economics",
    ...                            time="date")  # doctest: +SKIP
    """
    available = compare.measure_columns(features)
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
        return not_drawn("Timeline", reason, note=f"**No timeline:** {reason}")
    overall = compare.time_summary(features, None, time=time, period=over_time.attrs["period"],
                                   min_n=min_n, measures=drawn, n_resamples=n_resamples,
                                   random_state=random_state)
    fig, caption = plot_timeline(over_time, by=grouping.by, measures=drawn,
                                 colors=grouping.colors, overall=overall,
                                 n_resamples=n_resamples)
    return GroupFigure(fig, caption, data=over_time,
                       note=f"{n_periods} periods ({over_time.attrs['period']}). {dates_note}")


def word_counts(features: pd.DataFrame, processed_dir, corpus_dir="") -> tuple:
    """Lemma counts per article, for the distinctive words.

    ``terms.csv`` in ``processed_dir`` when there is one, else
    :func:`analysis.compare.lemma_counts` of the texts in ``corpus_dir`` (the articles of
    ``features`` only).

    Parameters
    ----------
    features : DataFrame
    processed_dir : str or Path
    corpus_dir : str or Path
        "" : no texts to fall back on.

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
    """fig20: the distinctive words of every group.

    :func:`plot_distinctive_terms` of :func:`analysis.compare.distinctive_terms` on
    :func:`word_counts`, with the informative prior stated in the caption.

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

    Examples
    --------
    >>> words = distinctive_words_figure(features, grouping,
    ...                                  processed_dir="data/processed")  # doctest: +SKIP
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
        return not_drawn("Distinctive words", f"{reason}.", inputs=inputs,
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
                              study=None, max_rows: int = 12, n_resamples: int = 2000,
                              random_state: int = 0,
                              max_countries: int = MAX_COUNTRIES) -> GroupFigure:
    """fig21: shares of source types and affiliations per group.

    :func:`plot_source_shares` of :func:`analysis.compare.source_shares` on ``attributions.csv``
    in ``processed_dir``. Affiliations are the study's actors, or, without actors, the
    ``max_countries`` countries with the most attributions of these articles, the other
    countries counted together as one category.

    Parameters
    ----------
    features : DataFrame
    grouping : Grouping
    processed_dir : str or Path
        Where ``attributions.csv`` is.
    study : Study, str, Path or None
        Labels and order of the affiliations (:func:`analysis.study.resolve_study`).
    max_rows, n_resamples, random_state
        As in :func:`plot_source_shares` and :func:`analysis.compare.source_shares`.
    max_countries : int
        Countries named at most (see above).

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
        by_affiliation, affiliation_note = None, ""
        if "source_affiliation" in attributions:
            folded_table, folded = _fold(attributions, features, study, max_countries)
            by_affiliation = compare.source_shares(folded_table, features, grouping.by,
                                                   column="source_affiliation", **options)
            affiliation_note = (meaning_note(study, marks=False)
                                + fold_note(folded, study, max_countries))
        if by_type.empty:
            reason = "no attribution belongs to an article of features.csv"
    if reason:
        return not_drawn("Source composition", f"{reason}.", inputs=inputs,
                         note=f"**No source composition:** {reason}.")
    fig, caption = plot_source_shares(by_type, by_affiliation, by=grouping.by,
                                      colors=grouping.colors, sizes=grouping.sizes,
                                      max_rows=max_rows, n_resamples=n_resamples, study=study,
                                      affiliation_note=affiliation_note)
    return GroupFigure(fig, caption, data=by_type, inputs=inputs,
                       table=by_type.pivot(index="category", columns="group", values="share")
                       .round(3))


def _fold(attributions: pd.DataFrame, features: pd.DataFrame, study, max_countries: int):
    """Attributions with the countries beyond ``max_countries`` (ranked by the attributions of
    the articles in ``features``) as one :data:`~analysis.figures.FOLDED` affiliation."""
    ids = set(features["article_id"].astype(str).str.strip())
    inside = attributions["article_id"].astype(str).str.strip().isin(ids).to_numpy()
    _, _, folded = fold_affiliations(attributions.loc[inside, "source_affiliation"], study,
                                     max_countries)
    values = attributions["source_affiliation"]
    return (attributions.assign(source_affiliation=values.where(
        ~values.astype(str).str.strip().isin(folded), FOLDED)), folded)

"""Source figures of notebook 03 (fig09-fig11): who the articles cite.

Attributions are counted per row, an article up to
:data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles and a group beyond
(:meth:`~analysis.plots.grouping.Grouping.row_of` gives each attribution its row), by source
type (fig09, :func:`plot_source_types`) or affiliation (fig10, :func:`plot_affiliation_shares`);
fig11 (:func:`plot_source_diversity`) is the diversity of each article's sources. The
affiliations of fig10 are those of the study (:mod:`analysis.plots.affiliations`): its actors,
or the countries found. The named sources (fig12) are in :mod:`analysis.plots.source_matrix`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..config import N_RESAMPLES
from ..figures import affiliation_bar, affiliation_style, fmt_int, integer_ticks, type_style
from ..measures.sources import TYPES
from .affiliations import MAX_COUNTRIES, fold_affiliations, fold_note, meaning_note, median_note
from .draw import draw_estimates, draw_stacked
from .grouping import DISTRIBUTION_NOTE, Grouping
from .plot import Plot

__all__ = ["count_by_row", "row_shares", "attributions_note", "plot_source_types",
           "plot_affiliation_shares", "plot_source_diversity"]


def attributions_note(groups: Grouping, attributions: pd.DataFrame) -> str:
    """Caption words on the corpus: "n = 5 articles, 120 attributions".

    Parameters
    ----------
    groups : Grouping
    attributions : DataFrame

    Returns
    -------
    str
    """
    n_attr = len(attributions)
    return (f"n = {fmt_int(groups.n_articles)} articles, {fmt_int(n_attr)} "
            f"{'attribution' if n_attr == 1 else 'attributions'}")


def plot_source_types(attributions: pd.DataFrame, groups: Grouping, labels: dict) -> Plot:
    """fig09: attributions per article (or share per group) by source type, stacked.

    Parameters
    ----------
    attributions : DataFrame
        ``article_id`` and ``source_type`` of every attribution.
    groups : Grouping
    labels : dict
        Article ID -> row label.

    Returns
    -------
    Plot
        ``data``: the counts, rows × source types (the types cited).
    """
    rows, row_labels = groups.rows(labels, "articles")
    counts = count_by_row(attributions, groups.row_of(attributions["article_id"]), rows,
                          "source_type", TYPES)
    counts = counts.loc[:, counts.sum() > 0]
    fig = _draw_shares(
        counts if groups.per_article else row_shares(counts), row_labels, type_style,
        legend_title="source type", title="Who is cited: attributions by source type",
        ylabel=None if groups.per_article else groups.title,
        xlabel="attributions (count)" if groups.per_article
        else "share of the group's attributions (0–1)",
        xlim=None if groups.per_article else (0, 1))
    top = counts.sum().sort_values(ascending=False, kind="stable")
    top_note = (", ".join(f"{t} {fmt_int(n)}" for t, n in top.head(3).items()) if len(top)
                else "none")
    caption = (f"Attributions per {'article' if groups.per_article else 'group'} by source type, "
               f"stacked; bar length: {'number' if groups.per_article else 'share'} of "
               f"attributions, no intervals ({attributions_note(groups, attributions)}). Most "
               f"frequent types: {top_note}. Types from role words, entity types and the study's "
               f"registry; each type has the same colour in every figure; unresolved pronouns "
               f"count as unknown." + groups.note("", colours=False))
    return Plot(fig, caption, data=counts)


def plot_source_diversity(features: pd.DataFrame, groups: Grouping, labels: dict, *,
                          extremes: int = 5, n_resamples: int = N_RESAMPLES) -> Plot:
    """fig11: the diversity of each article's sources, sorted, with its 95% interval.

    Shannon entropy of the source type × affiliation cells; beyond
    :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles, its distribution by group and the
    ``extremes`` lowest and highest articles (:func:`~analysis.plots.draw.draw_estimates`).

    Parameters
    ----------
    features : DataFrame
        ``article_id``, ``src_entropy`` with its bounds, ``src_n_attributions``,
        ``src_n_unique``.
    groups : Grouping
    labels : dict
    extremes : int
        Articles named at each end in the group view.
    n_resamples : int
        Of the sentence bootstrap behind the intervals (caption).

    Returns
    -------
    Plot
        ``data``: the articles in the order drawn (bottom to top).
    """
    order = features.sort_values(["src_entropy", "article_id"], ascending=[True, False],
                                 kind="stable", na_position="first")  # highest at the top
    fig = draw_estimates(
        order, "src_entropy", groups, labels, extremes=extremes, zero_line=False,
        base_height=1.0, empty_text="no attributions", from_zero=True,
        tick_labels=[f"{labels[a]} ({fmt_int(n)} attr., {fmt_int(u)} sources)" for a, n, u in
                     zip(order["article_id"], order["src_n_attributions"],
                         order["src_n_unique"])],
        xlabel="source diversity: Shannon entropy of type × affiliation (bits)",
        title="Source diversity per article")
    ent = order["src_entropy"]
    n_none = int(ent.isna().sum())
    range_note = (f" Range {ent.min():.2f} to {ent.max():.2f} bits." if ent.notna().any()
                  else " No article has a resolved attribution.")
    none_note = (f" {n_none} {'shown ' * groups.per_article}articles without attributions have "
                 f"no value." if n_none and ent.notna().any() else "")
    caption = (f"Source diversity per article, sorted: Shannon entropy (bits) of the source type "
               f"× affiliation cells over the article's resolved attributions; 0 = a single kind "
               f"of voice, 1 bit = two kinds equally often. n = {fmt_int(len(features))} "
               f"articles; dots: estimates; bars: 95% sentence-bootstrap intervals, "
               f"{fmt_int(n_resamples)} resamples (a resample can drop every sentence of a "
               f"minority voice, so a lower bound can reach 0).{range_note}{none_note}"
               + groups.note(f"{DISTRIBUTION_NOTE}; right: the {extremes} lowest and {extremes} "
                             f"highest articles"))
    return Plot(fig, caption, data=order)


def count_by_row(table: pd.DataFrame, row, rows, column: str, categories) -> pd.DataFrame:
    """Attributions counted per row and per category.

    Parameters
    ----------
    table : DataFrame
        Attributions.
    row : Series or array-like
        The row key of every record: its article_id, or its article's group.
    rows : list
        The row keys, in order.
    column : str
        The category column.
    categories : list

    Returns
    -------
    DataFrame
        ``rows`` × ``categories`` counts, 0 where nothing was counted.
    """
    return (table.assign(row=row).groupby(["row", column]).size().unstack(fill_value=0)
            .reindex(index=list(rows), columns=list(categories), fill_value=0))


def row_shares(counts: pd.DataFrame) -> pd.DataFrame:
    """Each row divided by its total.

    Parameters
    ----------
    counts : DataFrame

    Returns
    -------
    DataFrame
        Shares (0-1); rows without any count stay 0.

    Examples
    --------
    >>> row_shares(pd.DataFrame({"a": [1, 0], "b": [3, 0]})).to_numpy().tolist()
    [[0.25, 0.75], [0.0, 0.0]]
    """
    totals = counts.sum(axis=1)
    return counts.div(totals.where(totals > 0, 1), axis=0)


def _draw_shares(table: pd.DataFrame, row_labels, style, *, xlabel: str, title: str,
                 legend_title: str, xlim=None, empty_text_in_axes: bool = True,
                 ylabel: str | None = None, labels: dict | None = None):
    """fig09, fig10 without their captions: attributions per row (article or group), stacked by
    category.

    The first row is at the top; rows without any attribution say so.

    Parameters
    ----------
    table : DataFrame
        Rows × categories (counts or shares), the columns in drawing order.
    row_labels : list of str
    style : callable
        Category -> keyword arguments of ``ax.barh``.
    xlabel, title, legend_title : str
    xlim : (float, float), optional
        None: from 0 to the longest bar, integer ticks (counts).
    empty_text_in_axes : bool
        Place "no attributions" in axes coordinates (else in data coordinates).
    ylabel : str, optional
    labels : dict, optional
        Category -> legend label (default: the category).

    Returns
    -------
    Figure
    """
    n = len(table)
    fig, ax = plt.subplots(figsize=(7.2, 1.2 + 0.34 * n))
    y = np.arange(n)
    left = draw_stacked(ax, table, style, y, labels=labels)
    totals = left if xlim is None else table.sum(axis=1).to_numpy()
    for yi in y[totals == 0]:
        if empty_text_in_axes:
            ax.text(0.02, yi, "no attributions", va="center", fontsize=7, color="0.3",
                    transform=ax.get_yaxis_transform())
        else:
            ax.text(0.02, yi, "no attributions", va="center", fontsize=7, color="0.3")
    ax.set_yticks(y, row_labels)
    ax.set_ylim(n - 0.5, -0.5)  # first row at the top, no empty margin
    if xlim is None:
        ax.set_xlim(0, max(float(left.max()) if len(left) else 0.0, 1.0) * 1.02)
        integer_ticks(ax.xaxis)
    else:
        ax.set_xlim(*xlim)
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.set_title(title)
    if table.shape[1]:
        ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1),
                  title=legend_title, title_fontsize=7, alignment="left")
    return fig


def plot_affiliation_shares(attributions: pd.DataFrame, features: pd.DataFrame,
                            groups: Grouping, labels: dict, study=None, *,
                            max_countries: int = MAX_COUNTRIES) -> Plot:
    """fig10: the share of each row's attributions by the source's affiliation, stacked.

    A row per article up to :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles, per group
    beyond. The affiliations are the study's actors in study order, or, without actors, the
    countries with the most attributions (at most ``max_countries``, the rest as one), then
    other, multiple and unknown, in the styles of :func:`analysis.figures.affiliation_style`.

    Parameters
    ----------
    attributions : DataFrame
        ``article_id`` and ``source_affiliation`` of every attribution.
    features : DataFrame
        The ``src_share_*`` columns (the caption's median shares).
    groups : Grouping
    labels : dict
        Article ID -> row label.
    study : Study, str, Path or None
        :func:`analysis.study.resolve_study`.
    max_countries : int

    Returns
    -------
    Plot
        ``data``: the shares, rows × affiliations. The caption says what other, multiple and
        unknown mean and which countries are drawn as one.

    Examples
    --------
    >>> fig10 = plot_affiliation_shares(attributions, features, groups, labels,
    ...                                 "data/study.yml")  # doctest: +SKIP
    """
    rows, row_labels = groups.rows(labels, "articles")
    unit = "article" if groups.per_article else "group"
    values, keys, folded = fold_affiliations(attributions["source_affiliation"], study,
                                             max_countries)
    counts = count_by_row(pd.DataFrame({"source_affiliation": values.to_numpy()}),
                          np.asarray(groups.row_of(attributions["article_id"])), rows,
                          "source_affiliation", keys)
    totals = counts.sum(axis=1)
    styles = affiliation_style(keys, study)
    shares = row_shares(counts)
    if groups.per_article:
        shown = [f"{lab} (n = {fmt_int(totals[r])} attributions)"
                 for lab, r in zip(row_labels, rows)]
    else:  # a group's label gives its articles and its attributions
        shown = [groups.label(r, f"articles, {fmt_int(totals[r])} attributions") for r in rows]
    fig = _draw_shares(
        shares, shown,
        lambda k: affiliation_bar(styles[k]), legend_title="source affiliation", xlim=(0, 1),
        empty_text_in_axes=False, xlabel=f"share of the {unit}'s attributions (0–1)",
        title="Affiliation of cited sources", ylabel=None if groups.per_article else groups.title,
        labels={k: v[0] for k, v in styles.items()})
    note = (meaning_note(study) + fold_note(folded, study, max_countries)).strip()
    caption = (f"Share of each {unit}'s attributions by the source's affiliation, no intervals "
               f"({attributions_note(groups, attributions)}; n in the labels: the {unit}'s "
               f"{'' if groups.per_article else 'articles and '}attributions).{median_note(features, study)} {note} Articles without "
               f"attributions have empty bars." + groups.note("", colours=False))
    return Plot(fig, caption, data=shares)

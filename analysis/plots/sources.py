"""Source figures of notebook 03 (fig09-fig12): who the articles cite.

Attributions are counted per row, an article up to
:data:`~analysis.plots.groups.MAX_ARTICLE_ROWS` articles and a group beyond
(:meth:`~analysis.plots.groups.ArticleGroups.row_of` gives each attribution its row), by source
type or affiliation (fig09, fig10) and by named source (fig12). The affiliations of fig10 are
those of the study (:mod:`analysis.plots.affiliations`): its actors, or the countries found.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..figures import affiliation_bar, affiliation_style, fmt_int, integer_ticks
from .affiliations import MAX_COUNTRIES, fold_affiliations, fold_note, meaning_note
from .draw import draw_stacked

__all__ = ["count_by_row", "row_shares", "plot_source_shares", "plot_affiliation_shares",
           "named_source_matrix", "source_matrix_notes", "plot_source_matrix"]


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


def plot_source_shares(table: pd.DataFrame, row_labels, style, *, xlabel: str, title: str,
                       legend_title: str, xlim=None, empty_text_in_axes: bool = True,
                       ylabel: str | None = None, labels: dict | None = None):
    """fig09, fig10: attributions per row (article or group), stacked by category.

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


def plot_affiliation_shares(attributions: pd.DataFrame, row, rows, row_labels, study=None, *,
                            unit: str = "article", ylabel: str | None = None,
                            max_countries: int = MAX_COUNTRIES):
    """fig10: the share of each row's attributions by the source's affiliation, stacked.

    The affiliations are the study's actors in study order, or, without actors, the countries
    with the most attributions (at most ``max_countries``, the rest as one), then other,
    multiple and unknown, in the styles of :func:`analysis.figures.affiliation_style`.

    Parameters
    ----------
    attributions : DataFrame
        With ``source_affiliation``.
    row : Series or array-like
        The row key of every attribution (its article, or its article's group).
    rows : list
        The row keys, in order.
    row_labels : list of str
    study : Study, str, Path or None
        :func:`analysis.study.resolve_study`.
    unit : str
        What a row is ("article", "group"), for the axis label.
    ylabel : str, optional
    max_countries : int

    Returns
    -------
    (Figure, str)
        The figure and the caption sentences on the affiliations (what other, multiple and
        unknown mean; which countries are drawn as one).

    Examples
    --------
    >>> fig, note = plot_affiliation_shares(attributions, attributions["article_id"], ids,
    ...                                     ids, "data/study.yml")  # doctest: +SKIP
    """
    values, keys, folded = fold_affiliations(attributions["source_affiliation"], study,
                                             max_countries)
    counts = count_by_row(pd.DataFrame({"source_affiliation": values.to_numpy()}),
                          np.asarray(row), rows, "source_affiliation", keys)
    totals = counts.sum(axis=1)
    styles = affiliation_style(keys, study)
    fig = plot_source_shares(
        row_shares(counts), [f"{lab} (n = {fmt_int(totals[r])})" for lab, r in
                             zip(row_labels, rows)],
        lambda k: affiliation_bar(styles[k]), legend_title="source affiliation", xlim=(0, 1),
        empty_text_in_axes=False, xlabel=f"share of the {unit}'s attributions (0–1)",
        title="Affiliation of cited sources", ylabel=ylabel,
        labels={k: v[0] for k, v in styles.items()})
    return fig, (meaning_note(study) + fold_note(folded, study, max_countries)).strip()


def named_source_matrix(named: pd.DataFrame, rows, row: pd.Series, max_sources: int = 25):
    """Attributions to each named source, per row (article or group).

    Parameters
    ----------
    named : DataFrame
        Attributions with ``canonical_source`` and ``article_id``.
    rows : list
        The row keys, in order.
    row : Series
        The row key of every attribution: its article_id, or its article's group.
    max_sources : int
        Columns: the sources cited in the most articles (ties: more attributions, then name).

    Returns
    -------
    (DataFrame, DataFrame)
        The rows × sources matrix, and the ranking of every named source (index
        ``canonical_source``; columns ``n``, attributions, and ``articles``).
    """
    cited_all = (named.groupby("canonical_source").agg(n=("article_id", "size"),
                                                       articles=("article_id", "nunique"))
                 .reset_index()
                 .sort_values(["articles", "n", "canonical_source"],
                              ascending=[False, False, True], kind="stable"))
    cited = cited_all.head(max_sources)
    matrix = (named.assign(row=row).groupby(["row", "canonical_source"]).size()
              .unstack(fill_value=0)
              .reindex(index=list(rows), columns=list(cited["canonical_source"]), fill_value=0))
    return matrix, cited_all.set_index("canonical_source")


def source_matrix_notes(cited_all: pd.DataFrame, matrix: pd.DataFrame,
                        source_label_width: int) -> tuple[str, str, str]:
    """Caption pieces for fig12.

    Parameters
    ----------
    cited_all : DataFrame
        The ranking :func:`named_source_matrix` returns.
    matrix : DataFrame
        Its matrix.
    source_label_width : int
        Longest column label kept whole.

    Returns
    -------
    (str, str, str)
        Which named sources are columns (all, or the top ones and how many are left out); which
        are named in more than one article (up to eight, then "and k more"); whether column
        labels were shortened.
    """
    n_named, n_cols = len(cited_all), matrix.shape[1]
    shared = [s for s in matrix.columns if cited_all.loc[s, "articles"] > 1]
    shared_note = (", ".join(shared[:8]) + (f" and {len(shared) - 8} more" if len(shared) > 8
                                            else "") if shared else "none")
    cols_note = (f"all {fmt_int(n_named)} named sources" if n_cols == n_named else
                 f"the {fmt_int(n_cols)} of {fmt_int(n_named)} named sources cited in the most "
                 f"articles, ties broken by attributions, then name; the other "
                 f"{fmt_int(n_named - n_cols)} are not shown")
    cut_note = (f" Column labels longer than {source_label_width} characters are shortened (…)."
                if any(len(s) > source_label_width for s in matrix.columns) else "")
    return cols_note, shared_note, cut_note


def plot_source_matrix(matrix: pd.DataFrame, row_labels, source_label_width: int,
                       ylabel: str | None = None, per: dict | None = None):
    """fig12: rows (articles or groups) × named sources.

    Attribution counts are the shading, and the cell numbers up to 2,000 cells.

    Parameters
    ----------
    matrix : DataFrame
        :func:`named_source_matrix`.
    row_labels : list of str
    source_label_width : int
        Column labels are shortened to this many characters.
    ylabel : str, optional
        What the rows are (the group column); None for articles.
    per : dict, optional
        Row -> number of articles (groups): cells show attributions per 100 articles, so that
        groups of different sizes compare.

    Returns
    -------
    Figure
    """
    if per is not None:
        matrix = matrix.div(pd.Series(per).reindex(matrix.index).clip(lower=1), axis=0) * 100
    values = matrix.to_numpy()
    n_rows = len(matrix)
    vmax = (max(int(values.max()) if values.size else 0, 1) if per is None
            else max(float(values.max()) if values.size else 0.0, 1e-9))
    col_labels = [s if len(s) <= source_label_width
                  else s[:source_label_width - 1].rstrip(" ,;") + "…" for s in matrix.columns]
    fig_height = 1.6 + 0.34 * n_rows
    fig, ax = plt.subplots(figsize=(2.0 + 0.42 * max(matrix.shape[1], 1), fig_height))
    if matrix.shape[1]:
        im = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=vmax,
                       interpolation="nearest")
        if values.size <= 2000:  # cell numbers stay readable; beyond that the colour carries it
            for (i, j), v in np.ndenumerate(values):
                if v:
                    ax.text(j, i, fmt_int(v) if per is None else f"{v:.1f}", ha="center",
                            va="center", fontsize=7, color="white" if v > vmax / 2 else "black")
        ax.set_xticks(range(matrix.shape[1]), col_labels, rotation=45, ha="right",
                      rotation_mode="anchor", fontsize=7)
        ax.set_xticks(np.arange(-0.5, matrix.shape[1]), minor=True)
        ax.set_yticks(np.arange(-0.5, n_rows), minor=True)
        ax.grid(which="minor", color="white", linewidth=1)
        ax.tick_params(which="minor", length=0)
        ax.spines[:].set_visible(False)
        cb = fig.colorbar(im, ax=ax, shrink=min(0.8, 2.4 / fig_height), pad=0.02)
        cb.set_label("attributions (count)" if per is None else "attributions per 100 articles")
        if per is None:
            integer_ticks(cb.ax.yaxis)
        ax.set_xlabel("named source (person, organisation or country)")
    else:
        ax.text(0.5, 0.5, "no named sources", transform=ax.transAxes, ha="center", va="center")
        ax.set_xticks([])
    ax.set_yticks(range(n_rows), row_labels)
    ax.set_ylim(n_rows - 0.5, -0.5)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.set_title("Named sources by article" if ylabel is None else f"Named sources by {ylabel}")
    return fig

"""fig12 of notebook 03: who appears where, rows (articles or groups) × named sources.

Named sources are persons, organisations and countries (pronouns linked to them count too);
unnamed descriptions ("council officials", "both delegations") are left out. Beyond
:data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles, the rows are groups and the cells
attributions per 100 articles of the group.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..figures import fmt_int, integer_ticks
from .grouping import Grouping
from .plot import Plot

__all__ = ["named_source_matrix", "source_matrix_notes", "plot_source_matrix"]


def plot_source_matrix(attributions: pd.DataFrame, groups: Grouping, labels: dict, *,
                       max_sources: int = 25, source_label_width: int = 28) -> Plot:
    """fig12: attributions to each named source in each article, or per group.

    Parameters
    ----------
    attributions : DataFrame
        ``article_id``, ``source_key`` (named sources: ``person:``, ``name:``, ``group:``) and
        ``canonical_source`` of every attribution.
    groups : Grouping
    labels : dict
        Article ID -> row label.
    max_sources : int
        Columns: the sources cited in the most articles.
    source_label_width : int
        Column labels are shortened to this many characters.

    Returns
    -------
    Plot
        ``data``: the matrix drawn (counts, rows × named sources).
    """
    rows, row_labels = groups.rows(labels, "articles")
    named = attributions[attributions["source_key"].astype(str)
                         .str.match(r"^(person|name|group):")]
    matrix, cited_all = named_source_matrix(named, rows, groups.row_of(named["article_id"]),
                                            max_sources)
    fig = _draw_source_matrix(matrix, row_labels, source_label_width,
                              ylabel=None if groups.per_article else groups.title,
                              per=None if groups.per_article else groups.shown_sizes)
    cols_note, shared_note, cut_note = source_matrix_notes(cited_all, matrix, source_label_width)
    unit = "article" if groups.per_article else "group"
    caption = (f"Attributions to each named source (columns: {cols_note}) in each {unit} (rows; "
               f"n = {fmt_int(groups.n_articles)} articles); cell numbers and shading: "
               f"attribution "
               f"{'counts' if groups.per_article else 'counts per 100 articles of the group'}, "
               f"blank = 0, no intervals. Pronouns linked to a named source count for it; "
               f"unnamed and anonymous sources are left out. Named in more than one article: "
               f"{shared_note}.{cut_note}" + groups.note("", colours=False))
    return Plot(fig, caption, data=matrix)


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


def _draw_source_matrix(matrix: pd.DataFrame, row_labels, source_label_width: int,
                        ylabel: str | None = None, per: dict | None = None):
    """fig12 without its caption: rows (articles or groups) × named sources.

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

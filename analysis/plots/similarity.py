"""fig13 of notebook 04: text similarity between articles, or between groups.

Up to :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles, every pair, in clustered order
with the dendrogram. Beyond, the TF-IDF stays sparse and never becomes an articles × articles
matrix: with two or more groups the figure shows their mean similarities; with one, a
deterministic sample of 30 articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import compare
from ..compare import Similarity, tfidf_similarity
from ..figures import fmt_int
from .draw import add_group_legend
from .grouping import MAX_ARTICLE_ROWS, Grouping
from .layout import wrap_label
from .plot import Plot

__all__ = ["TextSimilarity", "text_similarity", "plot_similarity"]

_SIMILARITY_NOTE = ("cosine similarity of TF-IDF vectors over {terms} words and two-word phrases "
                    "(English stop words and numbers removed, sublinear term frequency)")


def _clustered(tfidf_rows):
    """:class:`analysis.compare.Similarity` of a few unit TF-IDF rows: cosine matrix and
    average-linkage order with optimal leaf ordering, as :func:`~analysis.compare.tfidf_similarity`
    computes them."""
    from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering  # late: heavy
    from scipy.spatial.distance import squareform  # late: heavy

    n = tfidf_rows.shape[0]
    matrix = np.clip(np.asarray((tfidf_rows @ tfidf_rows.T).todense(), dtype=float),
                     0.0, 1.0).round(9)
    np.fill_diagonal(matrix, 1.0)
    tree, order = None, list(range(n))
    if n >= 2:
        condensed = squareform(1.0 - matrix, checks=False)
        tree = optimal_leaf_ordering(linkage(condensed, method="average"), condensed)
        order = leaves_list(tree).tolist()
    return Similarity(matrix=matrix, order=order, tree=tree, counts=None, terms=None,
                      tfidf=tfidf_rows)


@dataclass
class TextSimilarity:
    """What :func:`text_similarity` returns.

    Attributes
    ----------
    n_articles : int
        Articles in the corpus.
    counts : sparse matrix
        Raw term counts, articles × terms.
    terms : ndarray
        The vocabulary of every article.
    articles : analysis.compare.Similarity or None
        The similarity between the articles ``shown``.
    shown : list of str
        Every article up to :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS`, else a sample.
    groups : DataFrame or None
        The groups × groups mean similarity (:func:`analysis.compare.group_mean_similarity`).
    inputs : list of Path
        The files the texts came from (for the sidecars of fig13 and fig15).
    """

    n_articles: int
    counts: object
    terms: np.ndarray
    articles: object = None
    shown: list = field(default_factory=list)
    groups: pd.DataFrame | None = None
    inputs: list = field(default_factory=list)

    @property
    def sampled(self) -> bool:
        """The articles drawn are a sample of the corpus."""
        return self.articles is not None and len(self.shown) < self.n_articles

    def table(self) -> pd.DataFrame:
        """The matrix drawn: the articles in clustered order, or the groups.

        Returns
        -------
        DataFrame
        """
        if self.articles is None:
            return self.groups
        ordered = [self.shown[i] for i in self.articles.order]
        m = self.articles.matrix[np.ix_(self.articles.order, self.articles.order)]
        return pd.DataFrame(m, index=ordered, columns=ordered)


def text_similarity(texts, ids, groups: Grouping, max_rows: int = MAX_ARTICLE_ROWS, *,
                    inputs=()) -> TextSimilarity:
    """TF-IDF similarity of the articles, at a cost any corpus size affords (fig13).

    Up to ``max_rows`` articles, :func:`analysis.compare.tfidf_similarity`: every pair, in
    clustered order. Beyond, the TF-IDF stays sparse (:func:`analysis.compare.sparse_tfidf`):
    with two or more groups, their mean similarities
    (:func:`analysis.compare.group_mean_similarity`); with one group, the similarity of
    ``max_rows`` articles sampled deterministically (evenly spaced in ``ids`` order; weights from
    the whole corpus).

    Parameters
    ----------
    texts : list of str
        Cleaned texts, in the order of ``ids``.
    ids : list of str
        Article IDs, sorted.
    groups : Grouping
    max_rows : int
    inputs : iterable of Path
        The files the texts came from (:func:`analysis.compare.article_texts`).

    Returns
    -------
    TextSimilarity

    Examples
    --------
    >>> ts = text_similarity(["a cat sat", "a dog sat", "the cat ran"], ["a1", "a2", "a3"],
    ...                      groups)  # doctest: +SKIP
    >>> ts.table().shape  # doctest: +SKIP
    (3, 3)
    """
    n = len(ids)
    if n <= max_rows:
        sim = tfidf_similarity(texts)
        return TextSimilarity(n, sim.counts, sim.terms, articles=sim, shown=list(ids),
                              inputs=list(inputs))
    counts, terms, tfidf = compare.sparse_tfidf(texts)
    if len(groups.names) >= 2:
        table = compare.group_mean_similarity(tfidf, groups.of.reindex(ids).to_numpy(),
                                              groups.names)
        return TextSimilarity(n, counts, terms, groups=table, inputs=list(inputs))
    pick = np.unique(np.linspace(0, n - 1, max_rows).round().astype(np.int64))
    return TextSimilarity(n, counts, terms, articles=_clustered(tfidf[pick]),
                          shown=[ids[i] for i in pick], inputs=list(inputs))


def _plot_article_similarity(ts: TextSimilarity, groups: Grouping, labels: dict):
    from scipy.cluster.hierarchy import dendrogram  # late: heavy

    sim = ts.articles
    ids = ts.shown
    n_articles = len(ids)
    colors = groups.article_colors
    show_labels = n_articles <= 40  # beyond this, tick labels would overlap: colours only
    ordered_ids = [ids[i] for i in sim.order]
    sim_df = ts.table()
    cell = 0.55 if n_articles <= 15 else max(0.06, 8.0 / n_articles)
    side = min(9.0, max(2.0, cell * n_articles))
    fig = plt.figure(figsize=(side + 3.6, side + 1.6))
    grid = fig.add_gridspec(2, 3, width_ratios=[0.035 * side, side, 0.045 * side],
                            height_ratios=[0.16 * side, side], wspace=0.03, hspace=0.02)
    ax_tree = fig.add_subplot(grid[0, 1])
    ax_strip = fig.add_subplot(grid[1, 0])
    ax = fig.add_subplot(grid[1, 1])
    ax_bar = fig.add_subplot(grid[1, 2])
    im = ax.imshow(sim_df.to_numpy(), cmap="viridis", vmin=0, vmax=1, aspect="auto")
    if n_articles <= 15:
        for (i, j), v in np.ndenumerate(sim_df.to_numpy()):
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8,
                    color="black" if v > 0.6 else "white")
    ax.set_yticks([])
    if show_labels:
        ax.set_xticks(range(n_articles), ordered_ids, rotation=90, fontsize=8)
    else:
        ax.set_xticks([])
    ax.set_xlabel("article (ID; same order as the rows)")
    ax.spines[:].set_visible(False)
    # A colour strip ties each row to the article's colour (its group's beyond 12 articles).
    ax_strip.imshow(np.array([[plt.matplotlib.colors.to_rgb(colors[a])] for a in ordered_ids]),
                    aspect="auto")
    ax_strip.set_xticks([])
    if show_labels:
        ax_strip.set_yticks(range(n_articles), [labels[a] for a in ordered_ids], fontsize=8)
    else:
        ax_strip.set_yticks([])
    ax_strip.spines[:].set_visible(False)
    ax_strip.tick_params(length=0)
    if sim.tree is not None:
        dendrogram(sim.tree, ax=ax_tree, no_labels=True, color_threshold=0,
                   above_threshold_color="#555555")
        ax_tree.set_ylabel("1 − cosine", fontsize=7)
        ax_tree.tick_params(axis="y", labelsize=7)
    ax_tree.set_xticks([])
    for s in ("top", "right", "bottom"):
        ax_tree.spines[s].set_visible(False)
    if sim.tree is None:
        ax_tree.set_axis_off()
    fig.colorbar(im, cax=ax_bar, label="cosine similarity of TF-IDF vectors (0 to 1)")
    ax_tree.set_title("Text similarity between articles")
    # Below the row labels, left of the column labels: free room (beyond 12 articles).
    add_group_legend(ax_strip, groups, kind="patch", loc="upper right", bbox_to_anchor=(0.0, -0.01))

    similarity = sim.matrix
    off = similarity[np.triu_indices(n_articles, k=1)]
    if n_articles >= 2:
        iu = np.triu_indices(n_articles, k=1)
        hi, lo = int(np.argmax(off)), int(np.argmin(off))
        extremes = (f" Most similar pair: {ids[iu[0][hi]]} and {ids[iu[1][hi]]} ({off[hi]:.2f}); "
                    f"least similar: {ids[iu[0][lo]]} and {ids[iu[1][lo]]} ({off[lo]:.2f}); "
                    f"median between articles {np.median(off):.2f}.")
    else:
        extremes = " With one article there is no pair to compare."
    n = ts.n_articles
    sample = (f" {n_articles} of {fmt_int(n)} articles are shown, sampled deterministically "
              f"(evenly spaced in article_id order, about one in {n / n_articles:.1f}; TF-IDF "
              "weights from all articles); set group_by to compare groups of all articles "
              "instead." if ts.sampled else groups.note(switch=MAX_ARTICLE_ROWS))
    caption = (f"Text similarity, n = {fmt_int(n)} article{'s' if n != 1 else ''}: "
               + _SIMILARITY_NOTE.format(terms=fmt_int(len(ts.terms))) + ". Rows and columns "
               "are ordered by average-linkage hierarchical clustering of 1 − cosine (dendrogram "
               f"on top; optimal leaf order).{extremes}" + sample)
    return fig, caption


def _plot_group_similarity(ts: TextSimilarity, groups: Grouping):
    table = ts.groups
    names = list(table.index)
    k = len(names)
    side = max(2.4, 0.85 * k + 0.6)
    fig = plt.figure(figsize=(side + 3.4, side + 1.2))
    grid = fig.add_gridspec(1, 3, width_ratios=[0.04 * side, side, 0.05 * side], wspace=0.03)
    ax_strip, ax, ax_bar = (fig.add_subplot(grid[0, i]) for i in range(3))
    values = table.to_numpy()
    im = ax.imshow(values, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, "–" if np.isnan(v) else f"{v:.2f}", ha="center", va="center", fontsize=8,
                color="black" if v > 0.6 else "white")
    ax.set_yticks([])
    ax.set_xticks(range(k), [wrap_label(g, 16) for g in names], rotation=40, ha="right",
                  rotation_mode="anchor", fontsize=8)
    ax.set_xlabel(groups.title)
    ax.spines[:].set_visible(False)
    ax_strip.imshow(np.array([[plt.matplotlib.colors.to_rgb(groups.shown_colors[g])]
                              for g in names]), aspect="auto")
    ax_strip.set_xticks([])
    ax_strip.set_yticks(range(k), [wrap_label(s, 28) for s in groups.shown_labels()], fontsize=8)
    ax_strip.spines[:].set_visible(False)
    ax_strip.tick_params(length=0)
    fig.colorbar(im, cax=ax_bar, label="mean cosine similarity of TF-IDF vectors (0 to 1)")
    ax.set_title(f"Text similarity within and between groups ({groups.title})")
    diag = np.diag(values)
    within = (f" Within-group means range from {np.nanmin(diag):.2f} to {np.nanmax(diag):.2f}."
              if np.isfinite(diag).any() else "")
    caption = (f"Text similarity by group, n = {fmt_int(ts.n_articles)} articles: "
               + _SIMILARITY_NOTE.format(terms=fmt_int(len(ts.terms)))
               + f". With more than {MAX_ARTICLE_ROWS} articles the figure shows groups, not "
               "articles: each cell is the mean cosine over every pair of articles, one from "
               "each group (diagonal: pairs of distinct articles of the group; – for a group of "
               "one article). The means come from the sparse TF-IDF rows: each group's "
               "l2-normalised article vectors are summed, and the dot products of the sums, "
               "less the self-pairs, are divided by the number of pairs, so no articles × "
               f"articles matrix is built. {groups.describe_shown()[:1].upper()}"
               f"{groups.describe_shown()[1:]}.{within} No intervals.")
    return fig, caption


def plot_similarity(ts: TextSimilarity, groups: Grouping, labels: dict) -> Plot:
    """fig13: text similarity, between articles or between groups.

    A matrix of the articles (:attr:`TextSimilarity.articles`: every article up to 30, or a
    sample), ordered by clustering, with the dendrogram on top and a strip of article colours
    (group colours beyond 12 articles, with a legend); or, beyond 30 articles and with two or
    more groups, the groups × groups mean similarity.

    Parameters
    ----------
    ts : TextSimilarity
    groups : Grouping
    labels : dict
        Article ID -> row label.

    Returns
    -------
    Plot
        ``data``: the matrix drawn (:meth:`TextSimilarity.table`); ``table``: it rounded;
        ``inputs``: the files of the texts.

    Examples
    --------
    >>> ts = text_similarity(texts, ids, groups, inputs=text_files)  # doctest: +SKIP
    >>> fig13 = plot_similarity(ts, groups, labels)  # doctest: +SKIP
    """
    if ts.articles is not None:
        fig, caption = _plot_article_similarity(ts, groups, labels)
    else:
        fig, caption = _plot_group_similarity(ts, groups)
    table = ts.table()
    return Plot(fig, caption, data=table, table=table.round(3), inputs=list(ts.inputs))

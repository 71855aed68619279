"""fig15 of notebook 04: the terms that set each article apart, or each group.

Up to :data:`~analysis.plots.grouping.MAX_ARTICLE_COLORS` articles, the top TF-IDF terms of each
article (:func:`tfidf_top_terms`, :func:`plot_article_terms`); beyond, the terms that set each
group apart (:func:`group_term_counts`, :func:`group_top_terms`, :func:`plot_group_terms`).
:func:`plot_top_terms` chooses between the two.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import compare
from ..compare import distinctive_terms
from ..figures import fmt_int
from ..tables import read_table
from .grouping import MAX_ARTICLE_COLORS, Grouping
from .layout import wrap_label
from .plot import Plot

__all__ = ["plot_top_terms", "tfidf_top_terms", "plot_article_terms", "group_term_counts",
           "group_top_terms", "plot_group_terms"]


def plot_top_terms(similarity, groups: Grouping, labels: dict, n_terms: int, *,
                   terms_path=None) -> Plot:
    """fig15: the distinctive terms of each article, or beyond 12 articles of each group.

    Up to :data:`~analysis.plots.grouping.MAX_ARTICLE_COLORS` articles,
    :func:`plot_article_terms` of :func:`tfidf_top_terms`; beyond, :func:`plot_group_terms` of
    :func:`group_top_terms`, on the lemma counts of ``terms_path`` when it is a file, else on
    the word counts of the texts.

    Parameters
    ----------
    similarity : TextSimilarity
        :func:`~analysis.plots.similarity.text_similarity` of the articles (its term counts).
    groups : Grouping
    labels : dict
        Article ID -> panel title.
    n_terms : int
        Terms per article or group.
    terms_path : str or Path, optional
        ``terms.csv`` (lemma counts per article).

    Returns
    -------
    Plot
        ``data``: the terms drawn; ``table``: them as rank × article (or group); ``inputs``: the
        files counted (``terms_path``, or the files of the texts).
    """
    ids = sorted(groups.of.index)
    lemmas = False
    if groups.by_article:
        top = tfidf_top_terms(similarity.counts, similarity.terms, ids, n_terms)
        drawn = plot_article_terms(top, ids, n_terms, groups, labels)
    else:
        lemmas = terms_path is not None and Path(terms_path).is_file()
        counts = group_term_counts(groups, table=read_table(terms_path) if lemmas else None,
                                   counts=similarity.counts, terms=similarity.terms)
        top = group_top_terms(counts, n_terms)
        drawn = plot_group_terms(top, groups, n_terms, lemmas=lemmas)
    return replace(drawn, data=top,
                   table=top.pivot(index="rank", columns=top.columns[0], values="term"),
                   inputs=[Path(terms_path)] if lemmas else list(similarity.inputs))


def _without_overlaps(terms, n: int) -> list:
    """The first ``n`` of ``terms`` (best first), skipping a term that is a word of a phrase
    already kept, or a phrase containing a word already kept."""
    kept = []
    for t in terms:
        words = t.split()
        if any(t in c.split() or c in words for c in kept):
            continue
        kept.append(t)
        if len(kept) == n:
            break
    return kept


def tfidf_top_terms(counts, terms, ids, n_terms: int) -> pd.DataFrame:
    """The ``n_terms`` terms with the highest TF-IDF weight in each article.

    For fig15 up to 12 articles: raw count × scikit-learn's smoothed idf, l2-normalised per
    article. Terms every article uses are left out (they set none apart), and a word already
    listed inside a phrase (or the reverse) is skipped.

    Parameters
    ----------
    counts : sparse matrix
        Articles × terms raw counts (:attr:`TextSimilarity.counts`), rows in ``ids`` order.
    terms : ndarray
        The vocabulary.
    ids : list of str
    n_terms : int

    Returns
    -------
    DataFrame
        Columns ``article_id, rank, term, tfidf``.
    """
    n_articles = len(ids)
    doc_freq = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((1 + n_articles) / (1 + doc_freq)) + 1
    keep = doc_freq < n_articles if n_articles >= 2 else np.ones(len(terms), dtype=bool)
    rows = []
    for i, a in enumerate(ids):
        weights = counts.getrow(i).toarray().ravel() * idf * keep
        norm = np.linalg.norm(weights)
        weights = weights / norm if norm > 0 else weights
        chosen_terms = []
        for t in sorted(np.flatnonzero(weights), key=lambda t: (-round(weights[t], 12), terms[t])):
            words = terms[t].split()
            if any(terms[t] in c.split() or c in words for c in chosen_terms):
                continue
            chosen_terms.append(terms[t])
            rows.append({"article_id": a, "rank": len(chosen_terms), "term": terms[t],
                         "tfidf": weights[t]})
            if len(chosen_terms) == n_terms:
                break
    return pd.DataFrame(rows, columns=["article_id", "rank", "term", "tfidf"])


def plot_article_terms(top: pd.DataFrame, ids, n_terms: int, groups: Grouping,
                       labels: dict, max_panels: int = 24) -> Plot:
    """fig15 up to 12 articles: the top TF-IDF terms of each article.

    One panel per article (the first ``max_panels`` by ID) with its :func:`tfidf_top_terms` as
    bars in the article's colour.

    Parameters
    ----------
    top : DataFrame
        :func:`tfidf_top_terms`.
    ids : list of str
        Article IDs, sorted.
    n_terms : int
    groups : Grouping
    labels : dict
        Article ID -> panel title.
    max_panels : int

    Returns
    -------
    Plot
    """
    n_articles = len(ids)
    shown = list(ids)[:max_panels]
    ncols = min(3, len(shown))
    nrows = -(-len(shown) // ncols)
    fig, axes = plt.subplots(nrows, ncols,
                             figsize=(3.8 * ncols, 0.26 * n_terms * nrows + 1.0 * nrows),
                             squeeze=False, sharex=True)
    xmax = float(top["tfidf"].max()) if len(top) else 1.0
    for ax, a in zip(axes.ravel(), shown):
        d = top[top["article_id"] == a]
        ax.barh(range(len(d)), d["tfidf"], color=groups.article_colors[a], edgecolor="black",
                linewidth=0.4)
        ax.set_yticks(range(len(d)), d["term"], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, xmax * 1.05)
        ax.set_title(labels[a], fontsize=8.5, loc="left")
        ax.tick_params(axis="x", labelsize=7.5)
    for ax in axes.ravel()[len(shown):]:
        ax.set_axis_off()
    for ax in axes[-1]:
        ax.set_xlabel("TF-IDF weight (0 to 1)")
    fig.tight_layout()
    more = (f" The first {max_panels} of {n_articles} articles (by ID) are shown; the table "
            "above has all." if n_articles > max_panels else "")
    caption = (f"Distinctive terms, n = {n_articles} article{'s' if n_articles != 1 else ''}: "
               f"the {n_terms} words or two-word phrases with the highest TF-IDF weight in each "
               "article (term count × smoothed inverse document frequency, l2-normalised per "
               "article: high when frequent in the article and rare in the others). Terms used by "
               "every article, English stop words and numbers are left out, and a word already "
               "shown inside a phrase is not repeated." + more)
    return Plot(fig, caption)


def group_term_counts(groups: Grouping, *, table: pd.DataFrame | None = None, counts=None,
                      terms=None) -> pd.DataFrame:
    """Term counts summed per group, a long table with the group as ``article_id``.

    That is what :func:`analysis.compare.distinctive_terms` needs with every "article" its own
    group: the same result as the articles with their groups, with a row per group and term
    rather than per article and term.

    Parameters
    ----------
    groups : Grouping
    table : DataFrame, optional
        Counts per article, ``article_id, term, count`` (``terms.csv``); articles not in
        ``groups`` are left out.
    counts, terms : sparse matrix and ndarray, optional
        Otherwise: articles × terms raw counts in sorted article_id order
        (:attr:`TextSimilarity.counts`) and the vocabulary.

    Returns
    -------
    DataFrame
        Rows by group, then term; no zero counts.
    """
    if table is not None:
        grp = table["article_id"].astype(str).map(groups.of)
        out = (table.assign(group=grp, term=table["term"].astype(str),
                            count=pd.to_numeric(table["count"], errors="coerce").fillna(0))
               [grp.notna()].groupby(["group", "term"], sort=True)["count"].sum().reset_index())
        out = out[out["count"] > 0]
        return (out.rename(columns={"group": "article_id"})[["article_id", "term", "count"]]
                .reset_index(drop=True))
    ids = sorted(groups.of.index)
    summed = (compare.group_membership(groups.of.reindex(ids).to_numpy(), groups.names)
              @ counts).tocoo()
    out = pd.DataFrame({"article_id": np.asarray(groups.names, dtype=object)[summed.row],
                        "term": np.asarray(terms, dtype=object)[summed.col],
                        "count": summed.data.astype(np.int64)})
    out = out[out["count"] > 0]
    return out.sort_values(["article_id", "term"], kind="stable").reset_index(drop=True)


def group_top_terms(group_counts: pd.DataFrame, n_terms: int) -> pd.DataFrame:
    """The ``n_terms`` most distinctive terms of each group (fig15 beyond 12 articles).

    :func:`analysis.compare.distinctive_terms` (log-odds ratio with an informative Dirichlet
    prior, the group against all others pooled), highest z first, among the terms more frequent
    in the group than in the rest (z > 0), without a word repeated inside a phrase. With one
    group there is nothing to set apart: its most frequent terms.

    Parameters
    ----------
    group_counts : DataFrame
        :func:`group_term_counts`.
    n_terms : int

    Returns
    -------
    DataFrame
        Columns ``group, rank, term, value, count``; ``.attrs["measure"]`` is ``"z"`` or
        ``"count"`` (what ``value`` is).

    Examples
    --------
    >>> terms_csv = read_table("data/processed/terms.csv")  # doctest: +SKIP
    >>> counts = group_term_counts(groups, table=terms_csv)  # doctest: +SKIP
    >>> top = group_top_terms(counts, n_terms=10)  # doctest: +SKIP
    """
    names = sorted(dict.fromkeys(group_counts["article_id"]))
    cols = ["group", "rank", "term", "value", "count"]
    rows = []
    if len(names) >= 2:
        scored = distinctive_terms(group_counts, {g: g for g in names}, top=max(5 * n_terms, 20))
        scored = scored[scored["z"] > 0]
        measure = "z"
        for g, d in scored.groupby("group", sort=True):
            keep = _without_overlaps(d["term"].tolist(), n_terms)
            d = d.set_index("term").loc[keep]
            rows += [{"group": g, "rank": r + 1, "term": t, "value": d.at[t, "z"],
                      "count": int(d.at[t, "count"])} for r, t in enumerate(keep)]
    else:
        measure = "count"
        d = group_counts.sort_values(["count", "term"], ascending=[False, True], kind="stable")
        keep = _without_overlaps(d["term"].head(max(5 * n_terms, 20)).tolist(), n_terms)
        d = d.set_index("term").loc[keep]
        rows += [{"group": names[0] if names else "", "rank": r + 1, "term": t,
                  "value": float(d.at[t, "count"]), "count": int(d.at[t, "count"])}
                 for r, t in enumerate(keep)]
    out = pd.DataFrame(rows, columns=cols)
    out.attrs["measure"] = measure
    return out


def plot_group_terms(top: pd.DataFrame, groups: Grouping, n_terms: int,
                     lemmas: bool = False) -> Plot:
    """fig15 beyond 12 articles: the distinctive terms of each group as bars.

    One panel per group (at most eight) with its :func:`group_top_terms` in the group's colour:
    z-scores, or counts when all articles are one group.

    Parameters
    ----------
    top : DataFrame
        :func:`group_top_terms`.
    groups : Grouping
    n_terms : int
    lemmas : bool
        The counts are lemmas from ``terms.csv`` (else words and two-word phrases of the texts).

    Returns
    -------
    Plot
    """
    measure = top.attrs.get("measure", "z")
    shown = list(groups.names)
    nrows, ncols = -(-len(shown) // min(3, len(shown))), min(3, len(shown))
    fig, axes = plt.subplots(nrows, ncols, squeeze=False, sharex=True,
                             figsize=(3.8 * ncols, 0.26 * n_terms * nrows + 1.0 * nrows))
    xmax = float(top["value"].max()) if len(top) else 1.0
    for ax, g in zip(axes.ravel(), shown):
        d = top[top["group"] == g]
        ax.barh(range(len(d)), d["value"], color=groups.shown_colors[g], edgecolor="black",
                linewidth=0.4)
        ax.set_yticks(range(len(d)), d["term"], fontsize=8)
        ax.set_ylim(max(len(d), 1) - 0.5, -0.5)
        ax.set_xlim(0, max(xmax, 1e-9) * 1.05)
        ax.set_title(wrap_label(groups.label(g, "articles"), 44, 1), fontsize=8.5, loc="left")
        ax.tick_params(axis="x", labelsize=7.5)
        if not len(d):
            ax.text(0.5, 0.5, "no distinctive term", ha="center", va="center", fontsize=8,
                    color="0.3", transform=ax.transAxes)
    for ax in axes.ravel()[len(shown):]:
        ax.set_axis_off()
    for ax in axes[-1]:
        ax.set_xlabel("z-score (log-odds, group vs rest)" if measure == "z" else
                      "count in all articles")
    fig.tight_layout()
    what = ("lemmas (terms.csv: lower-cased lemmas of alphabetic, non-stop-word tokens)" if lemmas
            else "words and two-word phrases (English stop words and numbers removed)")
    n = groups.n_articles
    if measure == "z":
        body = (f"the {n_terms} {what} that most set each group apart from all other groups "
                "pooled: z-scores of the log-odds ratio with an informative Dirichlet prior "
                "(Monroe, Colaresi and Quinn 2008; prior: the corpus' own term frequencies, as "
                "many pseudo-counts as an average group has tokens), highest first; only terms "
                "more frequent in the group than in the rest (z > 0)")
    else:
        body = (f"all articles are one group, so no term can set a group apart: the {n_terms} "
                f"most frequent {what} of all articles are shown (set group_by to compare "
                "groups)")
    caption = (f"Distinctive terms by group, n = {fmt_int(n)} articles: {body}. A word already "
               f"shown inside a phrase is not repeated. With more than {MAX_ARTICLE_COLORS} "
               f"articles the figure shows groups, not articles: {groups.describe_shown()}."
               + (" Word z-scores describe these texts; they are not tests." if measure == "z"
                  else ""))
    return Plot(fig, caption)

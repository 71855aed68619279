"""Emphasis figures of notebook 02 (fig06-fig08): the frames each article (or group) stresses.

fig06 is a heatmap of rates, fig07 the required frames with their intervals (bars per
article, boxes per group beyond 12 articles), fig08 the terms that matched each frame.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..figures import integer_ticks
from .draw import add_group_legend, draw_distributions
from .groups import ArticleGroups

__all__ = ["plot_heatmap", "plot_required_frames", "plot_frame_terms"]


def plot_heatmap(values: np.ndarray, row_labels, col_labels, *, ylabel: str, xlabel: str,
                 cbar_label: str, title: str):
    """fig06: a heatmap with the value written in every cell.

    Blues from 0 to the largest value.

    Parameters
    ----------
    values : ndarray
        Rows × columns.
    row_labels, col_labels : list of str
    ylabel, xlabel, cbar_label, title : str

    Returns
    -------
    Figure
    """
    n_rows = values.shape[0]
    fig, ax = plt.subplots(figsize=(7.5, max(2.2, 0.42 * n_rows + 1.2)))
    vmax = max(float(np.nanmax(values)) if values.size else 0.0, 1e-9)
    im = ax.imshow(values, cmap="Blues", vmin=0, vmax=vmax, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(col_labels)), col_labels, rotation=30, ha="right")
    ax.set_xlabel(xlabel)
    ax.set_yticks(range(n_rows), row_labels)
    ax.set_ylabel(ylabel)
    for i in range(n_rows):
        for j in range(len(col_labels)):
            v = values[i, j]
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=8,
                    color="white" if v > 0.6 * vmax else "black")
    ax.spines[:].set_visible(False)
    cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    cb.set_label(cbar_label)
    ax.set_title(title)
    return fig


def plot_required_frames(features: pd.DataFrame, frames, frame_names: dict,
                         groups: ArticleGroups, labels: dict):
    """fig07: emphasis on a few frames, in matches per 1,000 words.

    Up to :data:`MAX_ARTICLE_COLORS` articles, a bar per article and frame (article colours, ID
    order) with its 95% interval; beyond, per frame the distribution over the articles, a box per
    group.

    Parameters
    ----------
    features : DataFrame
        ``article_id`` and ``emph_<frame>`` with its ``_lo`` and ``_hi`` bounds.
    frames : list of str
    frame_names : dict
        Frame -> axis label.
    groups : ArticleGroups
    labels : dict

    Returns
    -------
    Figure
    """
    ids = features["article_id"].tolist()
    if groups.by_article:
        width = 0.8 / max(len(ids), 1)
        fig, ax = plt.subplots(figsize=(7.5, 3.4))
        for k, aid in enumerate(ids):
            row = features.iloc[k]
            x = np.arange(len(frames)) - 0.4 + width * (k + 0.5)
            est = np.array([row[f"emph_{f}"] for f in frames], dtype=float)
            lo = np.array([row[f"emph_{f}_lo"] for f in frames], dtype=float)
            hi = np.array([row[f"emph_{f}_hi"] for f in frames], dtype=float)
            ax.bar(x, est, width=width * 0.92, color=groups.article_colors[aid],
                   label=labels[aid])
            ax.errorbar(x, est, yerr=[est - lo, hi - est], fmt="none", ecolor="0.25",
                        elinewidth=0.8, capsize=2)
    else:
        n_g = len(groups.names)
        fig, ax = plt.subplots(figsize=(max(7.5, 2.5 + 0.45 * n_g * len(frames)), 3.8))
        width = 0.8 / n_g
        by_id = features.set_index("article_id")
        for i, f in enumerate(frames):
            pos = i - 0.4 + width * (np.arange(n_g) + 0.5)
            draw_distributions(ax, by_id[f"emph_{f}"], groups, positions=pos, width=width * 0.8,
                               orientation="vertical", label_axis=False)
    ax.set_xticks(range(len(frames)), [frame_names[f] for f in frames])
    if not groups.by_article:
        ax.set_xlim(-0.5, len(frames) - 0.5)
    ax.set_xlabel("frame")
    ax.set_ylabel("matches per 1,000 words")
    ax.set_ylim(bottom=0)
    if groups.by_article:
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    else:
        add_group_legend(ax, groups, force=True, bbox_to_anchor=(1.0, 1.0))
    return fig


def plot_frame_terms(evidence: pd.DataFrame, frames, frame_names: dict, top_terms: int,
                     groups: ArticleGroups, labels: dict):
    """fig08: the most frequent terms of each frame.

    The bars are split by article (article colours) up to :data:`MAX_ARTICLE_COLORS` articles, by
    group beyond.

    Parameters
    ----------
    evidence : DataFrame
        ``article_id``, ``feature`` (the frame), ``term``.
    frames : list of str
    frame_names : dict
        Frame -> panel title.
    top_terms : int
        Terms per frame.
    groups : ArticleGroups
    labels : dict

    Returns
    -------
    (Figure, dict)
        The figure, and frame -> the terms shown, most frequent first.
    """
    if groups.by_article:
        units = sorted(groups.of.index)
        unit = evidence["article_id"]
        colors, names, title = groups.article_colors, [labels[a] for a in units], "article"
    else:
        units = list(groups.names)
        unit = evidence["article_id"].map(groups.of)
        colors, names, title = groups.colors, groups.labels(), groups.title
    counts = (evidence.assign(unit=unit).groupby(["feature", "term", "unit"]).size().rename("n")
              .reset_index())
    ncols = 4
    nrows = int(np.ceil(len(frames) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(11, 2.0 + 1.9 * nrows))
    axes = np.atleast_1d(axes).ravel()
    shown = {}
    for ax, f in zip(axes, frames):
        sub = counts[counts["feature"] == f]
        totals = sub.groupby("term")["n"].sum().sort_values(ascending=False, kind="stable")
        terms = sorted(totals.index[:top_terms], key=lambda t: (-totals[t], t))[::-1]
        shown[f] = terms[::-1]
        left = np.zeros(len(terms))
        for u in units:
            n = sub[sub["unit"] == u].set_index("term")["n"].reindex(terms).fillna(0).to_numpy()
            if n.any():
                ax.barh(range(len(terms)), n, left=left, color=colors[u], height=0.7)
            left += n
        ax.set_yticks(range(len(terms)), terms, fontsize=7)
        ax.set_title(frame_names[f])
        ax.set_xlabel("matches (count, all articles)")
        integer_ticks(ax.xaxis)
        if not terms:
            ax.text(0.5, 0.5, "no matches", ha="center", va="center", transform=ax.transAxes)
    for ax in axes[len(frames):]:
        ax.axis("off")
    if groups.by_article or len(units) > 1:
        handles = [plt.Rectangle((0, 0), 1, 1, color=colors[u]) for u in units]
        axes[-1].legend(handles, names, loc="center", fontsize=7, frameon=False, title=title)
    fig.tight_layout()
    return fig, shown

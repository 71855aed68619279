"""Emphasis figures of notebook 02 (fig06-fig08): the frames each article (or group) stresses.

fig06 is a heatmap of rates (:func:`plot_emphasis_heatmap`), fig07 the required frames with
their intervals (:func:`plot_required_frames`: bars per article, boxes per group beyond 12
articles), fig08 the terms that matched each frame (:func:`plot_frame_terms`). Each returns a
:class:`~analysis.plots.plot.Plot` whose caption gives the numbers drawn.

The frames drawn are the built-in frames the features have (:func:`shown_frames`): the
default set, the Policy Frames Codebook (``pfc``) and Semetko & Valkenburg's (``sv``), grouped
by set and, within a set, ordered by the mean share of sentences that mention them, so 7, 14
or 19 frames stay legible.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..config import N_RESAMPLES
from ..figures import fmt_int, integer_ticks
from ..measures.emphasis.scorer import FRAMES, REQUIRED_FRAMES
from ..measures.emphasis.sets import FRAME_SETS, frames_in_columns
from .draw import add_group_legend, draw_distributions
from .grouping import DISTRIBUTION_NOTE, MAX_ARTICLE_COLORS, Grouping
from .plot import Plot

__all__ = ["frame_names", "frame_rates", "shown_frames", "plot_emphasis_heatmap",
           "plot_required_frames", "plot_frame_terms"]
SET_LABELS = {"default": "", "pfc": "PFC", "sv": "S&V"}
TOP_PER_SET = 3  # frames of fig07 per set when the default set (its required frames) is absent


def shown_frames(features: pd.DataFrame) -> dict[str, list[str]]:
    """Set -> the keys of its built-in frames that ``features`` has, most mentioned first.

    Within a set, frames are ordered by the mean of ``emph_<key>_share`` over the articles
    (ties: set order).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"emph_sv_conflict": [1.0], "emph_sv_conflict_share": [0.1],
    ...                   "emph_sv_economic": [2.0], "emph_sv_economic_share": [0.5]})
    >>> shown_frames(f)
    {'sv': ['sv_economic', 'sv_conflict']}
    """
    out = {}
    for name, keys in frames_in_columns(features.columns).items():
        share = [float(features[f"emph_{k}_share"].mean()) if f"emph_{k}_share" in features
                 else 0.0 for k in keys]
        out[name] = [keys[i] for i in sorted(range(len(keys)), key=lambda i: (-share[i], i))]
    return out


def frame_names(frames=FRAMES) -> dict[str, str]:
    """Frame -> its name in a figure ("law & sovereignty", "human cost", "PFC: political").

    Parameters
    ----------
    frames : iterable of str

    Returns
    -------
    dict

    Examples
    --------
    >>> frame_names(["law_sovereignty", "human_cost"])
    {'law_sovereignty': 'law & sovereignty', 'human_cost': 'human cost'}
    """
    out = {}
    for f in frames:
        fs = next((x for x in FRAME_SETS.values() if x.prefix and f.startswith(x.prefix)), None)
        if fs is None:
            out[f] = f.replace("_", " & " if f == "law_sovereignty" else " ")
        else:
            out[f] = f"{SET_LABELS[fs.name]}: " + f.removeprefix(fs.prefix).replace("_", " ")
    return out


def frame_rates(features: pd.DataFrame, frames=FRAMES) -> pd.DataFrame:
    """Matches per 1,000 words of every frame in every article (the ``emph_<frame>`` columns).

    Parameters
    ----------
    features : DataFrame
    frames : iterable of str

    Returns
    -------
    DataFrame
        Indexed by article_id, a column per frame.
    """
    return features.set_index("article_id")[[f"emph_{f}" for f in frames]].set_axis(
        list(frames), axis=1)


def _by_id(features: pd.DataFrame) -> pd.DataFrame:
    """The articles in article_id order (the order of every emphasis figure)."""
    return features.sort_values("article_id", kind="stable").reset_index(drop=True)


def plot_emphasis_heatmap(features: pd.DataFrame, groups: Grouping, labels: dict) -> Plot:
    """fig06: matches per 1,000 words of every frame in every article, or group means.

    A row per article up to :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles (ID
    order), beyond a row per group (mean over its articles); the rate written in every cell.

    Parameters
    ----------
    features : DataFrame
        ``article_id``, ``n_words``, ``frame_dominant`` and the ``emph_<frame>`` rates.
    groups : Grouping
    labels : dict

    Returns
    -------
    Plot
        ``data``: :func:`frame_rates` (articles × frames); ``table``: the rows drawn.
    """
    features = _by_id(features)
    sets = shown_frames(features)
    frames = [k for keys in sets.values() for k in keys]
    names = frame_names(frames)
    rates = frame_rates(features, frames)
    table = rates if groups.per_article else rates.groupby(groups.of).mean().loc[list(groups.names)]
    row_labels = ([labels[a] for a in features["article_id"]] if groups.per_article
                  else groups.shown_labels())
    values = table.to_numpy(dtype=float)
    fig = _draw_heatmap(values, row_labels, [names[f] for f in frames],
                        ylabel="article" if groups.per_article
                        else f"{groups.title} (mean over articles)",
                        xlabel="frame (dictionaries: lexicons/"
                        + ", ".join(FRAME_SETS[s].file for s in sets) + ")",
                        cbar_label="matches per 1,000 words", title="Thematic emphasis by frame",
                        bounds=[len(v) for v in sets.values()])
    top_i, top_j = (np.unravel_index(int(np.nanargmax(values)), values.shape) if values.size
                    else (0, 0))
    dominant = (features["frame_dominant"].value_counts().rename_axis("frame").reset_index()
                .sort_values(["count", "frame"], ascending=[False, True], kind="stable"))
    dominant_names = {**names, "none": "no frame"}
    dominant_text = ", ".join(
        f"{dominant_names.get(f, f)} in {fmt_int(n)}"
        + ((" article" if n == 1 else " articles") if i == 0 else "")
        for i, (f, n) in enumerate(zip(dominant["frame"], dominant["count"])))
    caption = (f"Dictionary matches per 1,000 words for each frame in each article; cell values "
               f"are the rates, no intervals (those are in fig07 and features.csv). n = "
               f"{fmt_int(len(features))} articles, {fmt_int(int(features['n_words'].sum()))} "
               f"words; frames grouped by set, each set ordered by the mean share of sentences "
               f"with a match. Highest cell: {names[frames[top_j]]} in {row_labels[top_i]} "
               f"({values[top_i, top_j]:.1f} per 1,000 words). Dominant frame (highest rate): "
               f"{dominant_text}."
               + groups.note("cells: mean rates over the group's articles", colours=False))
    return Plot(fig, caption, data=rates, table=table)


def plot_required_frames(features: pd.DataFrame, groups: Grouping, labels: dict, *,
                         n_resamples: int = N_RESAMPLES) -> Plot:
    """fig07: technology, economics and history emphasis, with 95% intervals.

    Up to :data:`~analysis.plots.grouping.MAX_ARTICLE_COLORS` articles, a bar per article and
    frame (article colours, ID order) with its interval; beyond, per frame the distribution
    over the articles, a box per group.

    Parameters
    ----------
    features : DataFrame
        ``article_id``, ``n_words`` and ``emph_<frame>`` with its ``_lo`` and ``_hi`` bounds.
    groups : Grouping
    labels : dict
    n_resamples : int
        Of the sentence bootstrap behind the intervals (caption).

    Returns
    -------
    Plot
    """
    features = _by_id(features)
    sets = shown_frames(features)
    rows = ([list(REQUIRED_FRAMES)] if "default" in sets
            else [keys[:TOP_PER_SET] for keys in sets.values()])
    frames = [f for row in rows for f in row]
    names = frame_names(frames)
    rates = frame_rates(features, frames)
    fig = _draw_required_frames(features, rows, names, groups, labels)
    leaders = "; ".join(f"{names[f]}: {labels[rates[f].idxmax()]} ({rates[f].max():.1f})"
                        for f in frames)
    n_articles, n_words = len(features), int(features["n_words"].sum())
    what = ("Technology, economics and history" if "default" in sets else
            f"The {TOP_PER_SET} most mentioned frames of each set ("
            + ", ".join(names[f] for f in frames) + ")")
    caption = ((f"{what} emphasis per article, articles in ID order; "
                f"n = {fmt_int(n_articles)} articles, {fmt_int(n_words)} words; bars: matches "
                f"per 1,000 words; whiskers: 95% sentence-bootstrap intervals, "
                f"{fmt_int(n_resamples)} resamples. Highest per frame: {leaders}.")
               if groups.by_article else
               (f"{what} emphasis (matches per 1,000 words) by "
                f"{groups.title}; n = {fmt_int(n_articles)} articles, {fmt_int(n_words)} words; "
                f"{groups.describe_shown()}; {DISTRIBUTION_NOTE} (per-article 95% "
                f"sentence-bootstrap intervals, {fmt_int(n_resamples)} resamples, in "
                f"features.csv). Highest per frame: {leaders}."))
    return Plot(fig, caption, data=rates)


def plot_frame_terms(evidence: pd.DataFrame, groups: Grouping, labels: dict, *,
                     top_terms: int = 8, frames=None) -> Plot:
    """fig08: the most frequent terms of each frame.

    The bars are split by article (article colours) up to
    :data:`~analysis.plots.grouping.MAX_ARTICLE_COLORS` articles, by group beyond.

    Parameters
    ----------
    evidence : DataFrame
        The evidence table (``article_id``, ``feature``, ``term``); rows of other features than
        the frames are left out.
    groups : Grouping
    labels : dict
    top_terms : int
        Terms per frame.
    frames : list of str, optional
        The frame keys to draw, in order (a panel each; :func:`shown_frames` of the features
        gives the figures' order); default the built-in frames with evidence, set by set.

    Returns
    -------
    Plot
        ``data``: the terms shown of every frame (``frame, rank, term``), most frequent first.
    """
    if frames is None:
        have = frames_in_columns("emph_" + f for f in evidence["feature"].unique())
        frames = [k for keys in have.values() for k in keys] or list(FRAMES)
    names = frame_names(frames)
    evidence = evidence[evidence["feature"].isin(frames)]
    fig, shown = _draw_frame_terms(evidence, frames, names, top_terms, groups, labels)
    caption = (f"The {top_terms} most frequent dictionary terms of each frame (inflections "
               f"counted as one term; past years listed as written); bar length: matches summed "
               f"over articles, split by {'article' if groups.by_article else groups.title}; each "
               f"panel has its own scale; no intervals. n = {fmt_int(groups.n_articles)} "
               f"articles, {fmt_int(len(evidence))} matches. Top term per frame: "
               + "; ".join(f"{names[f]} '{shown[f][0]}'" for f in frames if shown[f]) + "."
               + groups.note("", switch=MAX_ARTICLE_COLORS))
    return Plot(fig, caption, data=pd.DataFrame(
        [(f, rank, term) for f in frames for rank, term in enumerate(shown[f], 1)],
        columns=["frame", "rank", "term"]))


def _draw_heatmap(values: np.ndarray, row_labels, col_labels, *, ylabel: str, xlabel: str,
                  cbar_label: str, title: str, bounds=()):
    """fig06 without its caption: a heatmap with the value written in every cell.

    Blues from 0 to the largest value.

    Parameters
    ----------
    values : ndarray
        Rows × columns.
    row_labels, col_labels : list of str
    ylabel, xlabel, cbar_label, title : str
    bounds : sequence of int
        Columns per frame set, left to right: a white line between two sets.

    Returns
    -------
    Figure
    """
    n_rows, n_cols = values.shape[0], len(col_labels)
    fig, ax = plt.subplots(figsize=(max(7.5, 2.5 + 0.55 * n_cols),
                                    max(2.2, 0.42 * n_rows + 1.2 + (0.6 if n_cols > 7 else 0))))
    vmax = max(float(np.nanmax(values)) if values.size else 0.0, 1e-9)
    im = ax.imshow(values, cmap="Blues", vmin=0, vmax=vmax, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(col_labels)), col_labels, rotation=30, ha="right")
    ax.set_xlabel(xlabel)
    ax.set_yticks(range(n_rows), row_labels)
    ax.set_ylabel(ylabel)
    for i in range(n_rows):
        for j in range(len(col_labels)):
            v = values[i, j]
            ax.text(j, i, f"{v:.1f}", ha="center", va="center",
                    fontsize=8 if n_cols <= 10 else 6.5,
                    color="white" if v > 0.6 * vmax else "black")
    for edge in np.cumsum(list(bounds))[:-1]:
        ax.axvline(edge - 0.5, color="white", lw=3)
    ax.spines[:].set_visible(False)
    cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    cb.set_label(cbar_label)
    ax.set_title(title)
    return fig


def _draw_required_frames(features: pd.DataFrame, rows, frame_titles: dict,
                          groups: Grouping, labels: dict):
    """fig07 without its caption: emphasis on a few frames, in matches per 1,000 words.

    Up to :data:`~analysis.plots.grouping.MAX_ARTICLE_COLORS` articles, a bar per article and
    frame (article colours, ID order) with its 95% interval; beyond, per frame the distribution
    over the articles, a box per group. A panel row per frame set.

    Parameters
    ----------
    features : DataFrame
        ``article_id`` and ``emph_<frame>`` with its ``_lo`` and ``_hi`` bounds.
    rows : list of list of str
        The frames of each panel row.
    frame_titles : dict
        Frame -> axis label.
    groups : Grouping
    labels : dict

    Returns
    -------
    Figure
    """
    ids = features["article_id"].tolist()
    n_g, most = len(groups.names), max(len(r) for r in rows)
    size = ((7.5, 3.4) if groups.by_article
            else (max(7.5, 2.5 + 0.45 * n_g * most), 3.8))
    fig, axes = plt.subplots(len(rows), 1, figsize=(size[0], size[1] * len(rows)),
                             squeeze=False)
    by_id = features.set_index("article_id")
    for ax, frames in zip(axes[:, 0], rows):
        if groups.by_article:
            width = 0.8 / max(len(ids), 1)
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
            width = 0.8 / n_g
            for i, f in enumerate(frames):
                pos = i - 0.4 + width * (np.arange(n_g) + 0.5)
                draw_distributions(ax, by_id[f"emph_{f}"], groups, positions=pos,
                                   width=width * 0.8, orientation="vertical", label_axis=False)
            ax.set_xlim(-0.5, len(frames) - 0.5)
        ax.set_xticks(range(len(frames)), [frame_titles[f] for f in frames])
        ax.set_xlabel("frame")
        ax.set_ylabel("matches per 1,000 words")
        ax.set_ylim(bottom=0)
    ax = axes[0, 0]
    if groups.by_article:
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    else:
        add_group_legend(ax, groups, force=True, bbox_to_anchor=(1.0, 1.0))
    if len(rows) > 1:
        fig.tight_layout()
    return fig


def _draw_frame_terms(evidence: pd.DataFrame, frames, frame_titles: dict, top_terms: int,
                      groups: Grouping, labels: dict):
    """fig08 without its caption: the most frequent terms of each frame.

    The bars are split by article (article colours) up to
    :data:`~analysis.plots.grouping.MAX_ARTICLE_COLORS` articles, by group beyond.

    Parameters
    ----------
    evidence : DataFrame
        ``article_id``, ``feature`` (the frame), ``term``.
    frames : list of str
    frame_titles : dict
        Frame -> panel title.
    top_terms : int
        Terms per frame.
    groups : Grouping
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
        colors, names, title = groups.shown_colors, groups.shown_labels(), groups.title
    counts = (evidence.assign(unit=unit).groupby(["feature", "term", "unit"]).size().rename("n")
              .reset_index())
    ncols = 4 if len(frames) <= 12 else 5
    nrows = int(np.ceil(len(frames) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(11 if ncols == 4 else 13, 2.0 + 1.9 * nrows))
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
        ax.set_title(frame_titles[f])
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

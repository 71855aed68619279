"""fig14 of notebook 04: the articles on the first two principal components of the framing
features, with the strongest loadings as arrows and every loading beside the map.

Up to 12 articles each has its colour; beyond, a translucent cloud in group colours with the
group centroids. Arrow labels are placed where they cover no marked point and no other label.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from ..figures import fmt_int
from .draw import RASTERIZE_ABOVE
from .grouping import MAX_ARTICLE_ROWS, Grouping
from .layout import wrap_label
from .plot import Plot

__all__ = ["plot_framing_map"]


def _cloud_style(n: int) -> tuple[float, float]:
    """Marker area and alpha of a scatter of ``n`` articles (fig14)."""
    if n <= MAX_ARTICLE_ROWS:
        return 70.0, 0.9
    if n <= 300:
        return 30.0, 0.7
    if n <= 3000:
        return 12.0, 0.45
    return 4.0, 0.25


def plot_framing_map(fmap, groups: Grouping, labels: dict) -> Plot:
    """fig14: the articles on the first two principal components of the framing features.

    The features are standardised (:func:`analysis.compare.framing_map`); the strongest
    loadings are arrows, and every loading is listed on the right. Up to 12 articles each has its
    colour and a legend entry; beyond, points take their group's colour (translucent, rasterised
    in the PDF/SVG beyond :data:`~analysis.plots.grouping.RASTERIZE_ABOVE` points) and, with two or
    more groups, each group's centroid (mean scores) is a large diamond. When the map cannot be
    drawn, a short note says why.

    Parameters
    ----------
    fmap : analysis.compare.FramingMap
    groups : Grouping
    labels : dict
        Article ID -> legend label.

    Returns
    -------
    Plot
        ``data``: the articles' PC scores; ``table``: the loadings, rounded (not drawn: none,
        and ``note`` says why).

    Examples
    --------
    >>> fmap = compare.framing_map(features)  # doctest: +SKIP
    >>> fig14 = plot_framing_map(fmap, groups, labels)  # doctest: +SKIP
    """
    n_articles = groups.n_articles
    usable = fmap.columns
    group_of = {c: g for g, cols in fmap.families.items() for c in cols}
    if not fmap.drawable:
        fig, ax = plt.subplots(figsize=(6, 2.2))
        ax.set_axis_off()
        reason = (f"A 2-D map needs at least 3 articles and 2 framing features that vary;\n"
                  f"features.csv has n = {n_articles} article{'s' if n_articles != 1 else ''} "
                  f"and {len(usable)} varying framing feature{'s' if len(usable) != 1 else ''}.")
        ax.text(0.5, 0.5, reason, ha="center", va="center", fontsize=9, transform=ax.transAxes)
        caption = ("Framing map not drawn. " + reason.replace("\n", " ")
                   + " Framing features are the tone (net_optimism, tone_*), emphasis (emph_*) "
                   "and source (src_*) columns.")
        return Plot(fig, caption, note=caption)
    ids = list(fmap.scores.index)
    scores = fmap.scores.to_numpy()
    loading_df = fmap.loadings
    loadings = loading_df.to_numpy()
    explained = fmap.explained
    n_feat = len(usable)
    fig, (ax, ax_load) = plt.subplots(
        1, 2, figsize=(11, max(5.0, 0.2 * n_feat + 1.8)), gridspec_kw={"width_ratios": [1.9, 1]})
    centroids = np.zeros((0, 2))
    if groups.by_article:
        size = 70.0
        for i, a in enumerate(ids):
            ax.scatter(scores[i, 0], scores[i, 1], s=size, color=groups.article_colors[a],
                       edgecolor="black", linewidth=0.6, zorder=3, label=labels[a])
    else:
        size, alpha = _cloud_style(n_articles)
        few = n_articles <= MAX_ARTICLE_ROWS
        ax.scatter(scores[:, 0], scores[:, 1], s=size, c=[groups.article_colors[a] for a in ids],
                   alpha=alpha, edgecolors="black" if few else "none",
                   linewidths=0.6 if few else 0.0, zorder=3,
                   rasterized=n_articles > RASTERIZE_ABOVE)
        if len(groups.names) >= 2:  # largest group first, so small groups' stay visible
            of = groups.of.reindex(ids).to_numpy()
            drawn = sorted(groups.names, key=lambda g: (-groups.shown_sizes[g], g))
            centroids = np.array([scores[of == g].mean(axis=0) for g in drawn])
            ax.scatter(centroids[:, 0], centroids[:, 1], s=130, marker="D",
                       c=[groups.shown_colors[g] for g in drawn], edgecolors="black",
                       linewidths=1.2, zorder=5)
    ax.axhline(0, color="#BBBBBB", lw=0.6, zorder=0)
    ax.axvline(0, color="#BBBBBB", lw=0.6, zorder=0)
    # Arrows for the strongest loadings, at least 20° apart so their labels cannot collide.
    reach = float(np.abs(scores).max()) or 1.0
    scale = 0.9 * reach
    strength = np.hypot(loadings[:, 0], loadings[:, 1])
    chosen = []
    for j in sorted(range(n_feat), key=lambda j: (-round(strength[j], 9), usable[j])):
        angle = np.degrees(np.arctan2(loadings[j, 1], loadings[j, 0]))
        if strength[j] < 0.3 or len(chosen) == 8:
            break
        if all(abs((angle - a2 + 180) % 360 - 180) >= 20 for _, a2 in chosen):
            chosen.append((j, angle))
    for j, _ in chosen:
        x, y = loadings[j] * scale
        ax.annotate("", xy=(x, y), xytext=(0, 0),
                    arrowprops=dict(arrowstyle="-|>", color="#444444", lw=0.9, shrinkA=0,
                                    shrinkB=0))
    lim = 1.6 * max(reach, scale)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    # Each axis label says what the component means: its two strongest loadings each way.
    meaning = []
    for k in ("PC1", "PC2"):
        ranked = loading_df[k].sort_values(ascending=False, kind="stable")
        meaning.append(f"+ {ranked.index[0]}  /  − {ranked.index[-1]}")
    ax.set_xlabel(f"PC1 score (standardised units; {explained[0]:.0%} of variance)\n"
                  f"{meaning[0]}", fontsize=8)
    ax.set_ylabel(f"PC2 score (standardised units; {explained[1]:.0%} of variance)\n"
                  f"{meaning[1]}", fontsize=8)
    ax.set_title("Articles on the framing features (PCA)")
    if groups.by_article:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16),
                  ncol=2 if n_articles > 4 else 1, fontsize=7.5, frameon=False)
    else:
        handles = [Line2D([], [], ls="", marker="o", ms=6, color=groups.shown_colors[g],
                          markeredgecolor="0.2", markeredgewidth=0.4) for g in groups.names]
        names = [wrap_label(s, 40, 1) for s in groups.shown_labels("articles")]
        if len(centroids):
            handles.append(Line2D([], [], ls="", marker="D", ms=7, mfc="white", mec="black",
                                  mew=1.2))
            names.append("group centroid (mean scores)")
        ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
                  fontsize=7.5, frameon=False, title=groups.title, title_fontsize=7.5)
    # Every loading, grouped by feature group, so nothing hidden by the arrow selection is lost.
    ax_load.imshow(loadings, cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    for (i, k), v in np.ndenumerate(loadings):
        ax_load.text(k, i, f"{v:+.2f}", ha="center", va="center", fontsize=7,
                     color="white" if abs(v) > 0.65 else "black")
    ax_load.set_yticks(range(n_feat), [f"{c}  ({group_of[c]})" for c in usable], fontsize=7)
    ax_load.set_xticks([0, 1], ["PC1", "PC2"])
    ax_load.xaxis.tick_top()
    ax_load.set_xlabel("loading: correlation with the component (−1 to 1)", fontsize=8)
    ax_load.spines[:].set_visible(False)
    ax_load.tick_params(length=0)
    fig.tight_layout()
    # Arrow labels: the first spot near the arrow tip that covers no marked point (the articles
    # up to 30, the group centroids beyond) and no other label.
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    marked = scores if n_articles <= MAX_ARTICLE_ROWS else centroids
    points_px = ax.transData.transform(marked) if len(marked) else np.zeros((0, 2))
    radius = np.sqrt(size if n_articles <= MAX_ARTICLE_ROWS else 130.0) / 2 * fig.dpi / 72 + 2
    frame_px = ax.get_window_extent(renderer)
    placed = []
    for j, _ in chosen:
        x, y = loadings[j] * scale
        out_h, in_h = ("left", "right") if x >= 0 else ("right", "left")
        out_v, in_v = ("bottom", "top") if y >= 0 else ("top", "bottom")
        label = ax.text(0, 0, usable[j], fontsize=7.5, color="#222222", zorder=4)
        for f, ha, va in ((1.06, out_h, out_v), (1.06, out_h, in_v), (1.06, in_h, out_v),
                          (1.06, in_h, in_v), (0.8, out_h, in_v), (0.8, in_h, out_v),
                          (0.55, out_h, in_v), (0.55, in_h, out_v), (1.06, out_h, out_v)):
            label.set(position=(x * f, y * f), ha=ha, va=va)
            box = label.get_window_extent(renderer).expanded(1.04, 1.15)
            px, py = points_px[:, 0], points_px[:, 1]
            hits = bool(np.any((box.x0 - radius < px) & (px < box.x1 + radius)
                               & (box.y0 - radius < py) & (py < box.y1 + radius)))
            hits = hits or any(box.overlaps(b) for b in placed) or not (
                frame_px.x0 <= box.x0 and box.x1 <= frame_px.x1 and frame_px.y0 <= box.y0
                and box.y1 <= frame_px.y1)
            if not hits:
                break
        placed.append(label.get_window_extent(renderer))
    ends = [(ids[int(np.argmin(scores[:, k]))], ids[int(np.argmax(scores[:, k]))]) for k in (0, 1)]
    families = ", ".join(f"{g} {sum(group_of[c] == g for c in usable)}" for g in fmap.families)
    if groups.by_article:
        colours = ""
    else:
        colours = (f" Points: articles in their group's colour; {groups.describe_shown()}"
                   + ("; large diamonds: group centroids (mean PC scores)" if len(centroids)
                      else "") + ".")
    caption = (f"Framing map, n = {fmt_int(n_articles)} articles: PCA of {len(usable)} "
               f"standardised framing features ({families}). "
               f"PC1 explains {explained[0]:.0%} and PC2 {explained[1]:.0%} of the variance. "
               f"Arrows: the {len(chosen)} strongest loadings at least 20° apart (correlation with "
               f"the components, drawn ×{scale:.2f}); right: all loadings. PC1 runs from "
               f"{ends[0][0]} to {ends[0][1]}, PC2 from {ends[1][0]} to {ends[1][1]}." + colours
               + (" With few articles the map describes these articles only; it is not a "
                  "population estimate." if n_articles <= MAX_ARTICLE_ROWS else
                  " The map describes these articles; it is not a population estimate."))
    return Plot(fig, caption, data=fmap.scores, table=loading_df.round(3))

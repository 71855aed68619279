"""fig16 of notebook 04: tone, emphasis and sources side by side.

Up to :data:`~analysis.plots.grouping.MAX_ARTICLE_ROWS` articles a row per article, beyond a row
per group: net optimism, the emphasis on every frame as a heatmap, and the shares of
attributions by affiliation (the ``src_share_*`` columns: the study's actors or the countries
found, :mod:`analysis.plots.affiliations`) with the source-type entropy.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.transforms import ScaledTranslation

from ..figures import affiliation_bar, affiliation_style, fmt_int
from .affiliations import MAX_COUNTRIES, fold_note, share_table
from .draw import add_group_legend, draw_distributions
from .grouping import DISTRIBUTION_NOTE, MAX_ARTICLE_ROWS, Grouping
from .plot import Plot

__all__ = ["plot_framing_profile"]


def _frame_heatmap(ax, mat: np.ndarray, frame_cols, *, annotate: bool, xlabel: str) -> None:
    """Rows (articles or groups) x frames of emphasis rates, in blues from 0 to the largest
    value; each cell labelled when ``annotate`` and there are at most 14 frames."""
    n_rows = mat.shape[0]
    vmax = max(float(np.nanmax(mat)) if np.isfinite(mat).any() else 0.0, 1e-9)
    ax.imshow(mat, cmap="Blues", vmin=0, vmax=vmax, aspect="auto",
              extent=(-0.5, len(frame_cols) - 0.5, n_rows - 0.5, -0.5))
    if annotate and len(frame_cols) <= 14:
        for (i, j), val in np.ndenumerate(mat):
            ax.text(j, i, f"{val:.1f}", ha="center", va="center", fontsize=7,
                    color="white" if val > 0.6 * vmax else "black")
    ax.set_xticks(range(len(frame_cols)), [c.removeprefix("emph_") for c in frame_cols],
                  rotation=40, ha="right", fontsize=8)
    ax.set_xlabel(xlabel)
    ax.spines[:].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _framing_profile_facts(by_id: pd.DataFrame, tone_col, frame_cols, profile_order) -> list:
    facts = []
    if tone_col and len(profile_order) == 1:
        facts.append(f"net optimism {profile_order[0]}: "
                     f"{by_id.at[profile_order[0], tone_col]:.2f}")
    elif tone_col:
        facts.append(f"Most optimistic: {profile_order[0]} "
                     f"({by_id.at[profile_order[0], tone_col]:.2f}), most cautious: "
                     f"{profile_order[-1]} ({by_id.at[profile_order[-1], tone_col]:.2f})")
    if frame_cols:
        means = by_id[frame_cols].mean().sort_values(ascending=False, kind="stable")
        facts.append(f"most emphasised frame on average: {means.index[0].removeprefix('emph_')} "
                     f"({means.iloc[0]:.1f} per 1,000 words)")
    if "src_entropy" in by_id:
        facts.append(f"source-type entropy {by_id['src_entropy'].min():.2f} to "
                     f"{by_id['src_entropy'].max():.2f} bits")
    return facts


def _draw_affiliations(ax, shares: pd.DataFrame, styles: dict, y, entropy=None, fmt="{:.2f}"):
    """Stacked bars of the affiliation shares (rows in ``y`` order; NaN: no bar)."""
    left = np.zeros(len(y))
    for key in shares.columns:
        width = np.nan_to_num(shares[key].to_numpy(float))
        ax.barh(y, width, left=left, label=styles[key][0], **affiliation_bar(styles[key]))
        left += width
    if entropy is not None:
        for i, v in enumerate(entropy):
            ax.text(1.03, i, "–" if np.isnan(v) else fmt.format(v), va="center", fontsize=7.5)
        ax.text(1.03, -0.75, "H, bits", fontsize=7, color="#444444", va="bottom")
    ax.set_xlim(0, 1)


def _ncol(ax) -> int:
    """Affiliation legend columns: two lines, at most five entries a line."""
    return max(1, min(5, -(-len(ax.get_legend_handles_labels()[1]) // 2)))


def _affiliation_caption(styles: dict, folded, study, max_countries: int) -> str:
    """" (<labels>; 'other' dotted, ...; no bar: no attributions)" for the sources panel, and the
    sentence on folded countries."""
    if not styles:
        return ""
    neutral = {"other": "dotted", "multiple": "hatched", "unknown": "pale grey"}
    marks = [f"'{k}' {v}" for k, v in neutral.items() if k in styles]
    named = [v[0] for k, v in styles.items() if k not in neutral]
    note = fold_note(folded, study, max_countries, "the largest mean share").strip().rstrip(".")
    return (f" ({'; '.join(filter(None, [', '.join(named), ', '.join(marks)]))}; "
            "no bar: no attributions" + (f"; {note[0].lower()}{note[1:]}" if note else "") + ")")


def _affiliation_legend(ax):
    """The affiliation key a fixed 0.55 in below the axes (below its x label), at any height."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=_ncol(ax), fontsize=7,
              frameon=False, handlelength=1.2, columnspacing=0.8,
              bbox_transform=ax.transAxes + ScaledTranslation(0, -0.55,
                                                              ax.figure.dpi_scale_trans))


def _no_columns(ax, what: str):
    ax.text(0.5, 0.5, f"no {what} columns\nin features.csv", ha="center", va="center",
            transform=ax.transAxes, color="#666666")
    ax.tick_params(axis="x", bottom=False, labelbottom=False)


def plot_framing_profile(features: pd.DataFrame, frame_cols, groups: Grouping,
                         labels: dict, n_resamples: int = 2000, study=None,
                         max_countries: int = MAX_COUNTRIES) -> Plot:
    """fig16: tone, emphasis and sources side by side, a row per article or per group.

    Up to 30 articles, a row per article (ordered by net optimism; article colours, group colours
    beyond 12 articles): net optimism with its 95% interval, emphasis per frame (cells), shares
    of attributions by affiliation with the source-type entropy. Beyond, a row per group: the
    distribution of net optimism (box, strip, mean with its 95% interval over articles), the
    mean emphasis per frame and the mean affiliation shares and entropy over the group's
    articles.

    Parameters
    ----------
    features : DataFrame
        Sorted by article_id.
    frame_cols : list of str
        The ``emph_*`` rate columns (``FramingMap.families["emphasis"]``).
    groups : Grouping
    labels : dict
    n_resamples : int
        Of the sentence bootstrap behind the tone intervals (caption).
    study : Study, str, Path or None
        Labels and colours of the affiliations (:func:`analysis.figures.affiliation_style`).
    max_countries : int
        Without actors, the countries with the largest mean share named at most; the others
        are drawn as one.

    Returns
    -------
    Plot

    Examples
    --------
    >>> fmap = compare.framing_map(features)  # doctest: +SKIP
    >>> fig16 = plot_framing_profile(features, fmap.families["emphasis"], groups,
    ...                              labels)  # doctest: +SKIP
    """
    shares, folded = share_table(features, study, max_countries)
    styles = affiliation_style(shares.columns, study)
    affil_note = _affiliation_caption(styles, folded, study, max_countries)
    if not groups.per_article:
        return Plot(*_plot_group_profile(features, frame_cols, groups, shares, styles,
                                         affil_note))
    n_articles = len(features)
    ids = features["article_id"].tolist()
    colors = groups.article_colors
    show_labels = n_articles <= 40
    tone_col = "net_optimism" if "net_optimism" in features else None
    frame_cols = list(frame_cols)
    affil_cols = list(shares.columns)
    by_id = features.set_index("article_id")
    shares = shares.set_axis(by_id.index)
    if tone_col:
        profile_order = (features.sort_values([tone_col, "article_id"], ascending=[False, True],
                                              kind="stable")["article_id"].tolist())
    else:
        profile_order = ids
    y = np.arange(n_articles)
    fig, axes = plt.subplots(1, 3, figsize=(11.5, max(3.2, 0.42 * n_articles + 1.9)), sharey=True,
                             gridspec_kw={"width_ratios": [1.0, 1.35, 1.1]})
    ax = axes[0]
    if tone_col:
        v = by_id.loc[profile_order, tone_col].to_numpy(float)
        has_ci = f"{tone_col}_lo" in features and f"{tone_col}_hi" in features
        for i, a in enumerate(profile_order):
            if has_ci:
                ax.plot([by_id.at[a, f"{tone_col}_lo"], by_id.at[a, f"{tone_col}_hi"]], [i, i],
                        color=colors[a], lw=2, solid_capstyle="butt", zorder=2)
            ax.scatter(v[i], i, s=40, color=colors[a], edgecolor="black", linewidth=0.6,
                       zorder=3)
        ax.axvline(0, color="#999999", lw=0.7, zorder=0)
        ax.set_xlabel("net optimism (index, −1 to +1)\n← cautious · optimistic →")
        ax.set_title("Tone" + (" (95% interval)" if has_ci else ""))
    else:
        _no_columns(ax, "tone")
        ax.set_title("Tone")
    ax.set_yticks(y, [labels[a] for a in profile_order] if show_labels else [""] * n_articles,
                  fontsize=8)
    ax.set_ylim(n_articles - 0.5, -0.5)

    ax = axes[1]
    if frame_cols:
        _frame_heatmap(ax, by_id.loc[profile_order, frame_cols].to_numpy(float), frame_cols,
                       annotate=n_articles <= 30, xlabel="frame (cells: matches per 1,000 words)")
    else:
        _no_columns(ax, "emphasis")
    ax.set_title("Emphasis")

    ax = axes[2]
    if affil_cols:
        entropy = (by_id.loc[profile_order, "src_entropy"].to_numpy(float)
                   if "src_entropy" in features else None)
        _draw_affiliations(ax, shares.loc[profile_order], styles, y, entropy)
        ax.set_xlabel("share of attributions, by affiliation (0 to 1)")
        if groups.by_article:  # as it always was: the bundled corpus' figure stays the same
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=_ncol(ax), fontsize=7,
                      frameon=False, handlelength=1.2, columnspacing=0.8)
        else:
            _affiliation_legend(ax)
    else:
        _no_columns(ax, "source")
    ax.set_title("Sources")
    add_group_legend(fig, groups, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                     ncol=min(4, len(groups.names)))
    fig.tight_layout()

    facts = _framing_profile_facts(by_id, tone_col, frame_cols, profile_order)
    panels = [p for p, ok in (("left: net optimism with 95% sentence-bootstrap intervals "
                               f"({fmt_int(n_resamples)} resamples)", tone_col),
                              (f"middle: emphasis on {len(frame_cols)} frames, matches per 1,000 "
                               "words", frame_cols),
                              ("right: share of attributions by source affiliation"
                               + affil_note + (" and source-type entropy H in bits"
                                               if "src_entropy" in features else ""),
                               affil_cols)) if ok]
    caption = (f"Framing profile, n = {n_articles} article{'s' if n_articles != 1 else ''}"
               + (", ordered by net optimism" if tone_col else "") + ". "
               + ("; ".join(panels).capitalize()[:1] + "; ".join(panels)[1:] + ". " if panels
                  else "No framing columns in features.csv. ")
               + (". ".join(f[0].upper() + f[1:] for f in facts) + "." if facts else "")
               ).strip() + groups.note(switch=MAX_ARTICLE_ROWS)
    return Plot(fig, caption)


def _plot_group_profile(features: pd.DataFrame, frame_cols, groups: Grouping,
                        shares: pd.DataFrame, styles: dict, affil_note: str):
    names = list(groups.names)
    k = len(names)
    tone_col = "net_optimism" if "net_optimism" in features else None
    frame_cols = list(frame_cols)
    affil_cols = list(shares.columns)
    by_id = features.set_index("article_id")
    of = groups.of.reindex(by_id.index)
    y = np.arange(k)
    fig, axes = plt.subplots(1, 3, figsize=(12.5, max(3.2, 0.6 * k + 1.9)), sharey=True,
                             gridspec_kw={"width_ratios": [1.2, 1.35, 1.1]})
    ax = axes[0]
    if tone_col:
        draw_distributions(ax, by_id[tone_col], groups)
        ax.axvline(0, color="#999999", lw=0.7, zorder=0)
        ax.set_xlabel("net optimism (index, −1 to +1)\n← cautious · optimistic →")
    else:
        _no_columns(ax, "tone")
        ax.set_yticks(y, groups.shown_labels())
        ax.set_ylim(k - 0.5, -0.5)
    ax.set_title("Tone (articles)")
    ax = axes[1]
    if frame_cols:
        _frame_heatmap(ax, by_id[frame_cols].astype(float).groupby(of).mean().reindex(names)
                       .to_numpy(), frame_cols, annotate=True,
                       xlabel="frame (cells: mean matches per 1,000 words)")
    else:
        _no_columns(ax, "emphasis")
    ax.set_title("Emphasis (group means)")
    ax = axes[2]
    if affil_cols:
        mean = shares.set_axis(by_id.index).groupby(of).mean().reindex(names)
        entropy = (by_id["src_entropy"].astype(float).groupby(of).mean().reindex(names)
                   .to_numpy() if "src_entropy" in features else None)
        _draw_affiliations(ax, mean, styles, y, entropy)
        ax.set_xlabel("mean share of attributions, by affiliation (0 to 1)")
        _affiliation_legend(ax)
    else:
        _no_columns(ax, "source")
    ax.set_title("Sources (group means)")
    fig.tight_layout()
    panels = [p for p, ok in (
        (f"left: net optimism of the articles by group ({DISTRIBUTION_NOTE})", tone_col),
        (f"middle: mean emphasis on {len(frame_cols)} frames over the group's articles, matches "
         "per 1,000 words", frame_cols),
        ("right: mean share of attributions by source affiliation over the group's articles "
         "with attributions" + affil_note + (" and their mean source-type entropy H in bits"
                                             if "src_entropy" in features else ""),
         affil_cols)) if ok]
    n = groups.n_articles
    caption = (f"Framing profile by group, n = {fmt_int(n)} articles. With more than "
               f"{MAX_ARTICLE_ROWS} articles the figure shows groups, not articles: "
               f"{groups.describe_shown()}. "
               + ("; ".join(panels)[:1].upper() + "; ".join(panels)[1:] + "." if panels else
                  "No framing columns in features.csv."))
    return fig, caption

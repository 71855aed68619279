"""Per-article and per-group plots of notebooks 00-03: legible at any number of articles.

A figure with one row, bar or colour per article is the clearest view of a small corpus and
unreadable for a large one (297 articles made figures 20,000 pixels tall and cycled eight
colours over 297 articles). The functions here draw the per-article view while the corpus is
small and switch to a view by group beyond fixed thresholds (``N`` = articles in the corpus):

``N <= MAX_ARTICLE_COLORS`` (12)
    every article keeps its own colour (:func:`analysis.figures.article_colors`): the figures
    of the bundled corpus, unchanged.
``MAX_ARTICLE_COLORS < N <= MAX_ARTICLE_ROWS`` (30)
    one labelled row or panel per article still; colour is the article's group (legend).
    Figures that tell articles apart by colour alone (fig07, fig08) switch to groups here.
``N > MAX_ARTICLE_ROWS``
    a row, box or panel per group: box (median, quartiles, whiskers to 1.5 IQR) over a strip
    of the articles, with the group mean and its 95% normal-approximation interval over
    articles (the article is the unit: fig00, fig01, fig05, fig11); mean shares or rates
    (fig02, fig06), shares of the group's attributions (fig09, fig10), counts per article or
    per 100 articles so that groups of different sizes compare (fig04, fig12); fig01 and
    fig11 add the ``k`` lowest and highest articles with their intervals; fig03 becomes tone
    by position in the article, one line per group.

Groups are the values of a metadata column of ``features.csv`` (a notebook's ``group_by``
parameter: ``genre``, ``outlet``, ...); with no column every article is in one group,
``all``. Empty values are ``unknown``; beyond seven values the seven largest keep their
own colour and the rest are pooled as ``other groups`` (grey). Colours are Okabe-Ito without yellow.

Every figure is therefore bounded: at most 30 article rows, 8 group rows, 12 panels (the
notebooks' ``max_panels``), ``max_sources`` columns, so at the house 200 dpi no PNG exceeds
4,000 pixels at any ``N`` (``tests/test_figure_sizes.py`` checks 1 to 20,000 articles).
Strips of more than :data:`RASTERIZE_ABOVE` points are rasterised in the PDF and SVG to keep
the files small.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .figures import article_colors, category_style, fmt_int, integer_ticks

__all__ = [
    # thresholds, groups and colours
    "MAX_ARTICLE_COLORS", "MAX_ARTICLE_ROWS", "MAX_GROUPS", "RASTERIZE_ABOVE", "GROUP_COLORS",
    "OTHER_COLOR", "DISTRIBUTION_NOTE", "ArticleGroups", "article_groups", "mean_interval",
    # recurring idioms
    "spread_labels", "panel_grid", "add_group_legend", "draw_interval_dots",
    "draw_distributions", "draw_extremes", "draw_stacked",
    # the figures of notebooks 00-03
    "plot_corpus_overview", "plot_estimates", "plot_tone_shares", "plot_tone_trajectories",
    "tone_by_position", "plot_tone_profile", "stance_cue_counts", "plot_stance_cues",
    "plot_tone_adaptation", "plot_heatmap", "plot_required_frames", "plot_frame_terms",
    "count_by_row", "row_shares", "plot_source_shares", "named_source_matrix",
    "source_matrix_notes", "plot_source_matrix",
]

MAX_ARTICLE_COLORS = 12  # beyond: colour is the group, not the article
MAX_ARTICLE_ROWS = 30  # beyond: distributions by group instead of one row per article
RASTERIZE_ABOVE = 1000  # strip points per group drawn as an image in the PDF/SVG
ALL, OTHER, UNKNOWN = "all", "other groups", "unknown"
# Okabe-Ito without yellow (hard to see as a dot on white); pooled groups in a neutral grey. The
# same palette, grey and pooled label as the group comparisons of notebook 05.
GROUP_COLORS = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
OTHER_COLOR = "#999999"
MAX_GROUPS = len(GROUP_COLORS) + 1  # group rows at most: the 7 largest groups + OTHER
DISTRIBUTION_NOTE = ("boxes: median and quartiles, whiskers to 1.5 IQR; dots: articles; white "
                     "diamonds: group means with 95% normal-approximation intervals over articles")
_GOLDEN = 0.6180339887498949  # low-discrepancy jitter: deterministic, no random state
_Z95 = 1.959963984540054
_INK = "0.15"


@dataclass(frozen=True)
class ArticleGroups:
    """The group of every article and the colour each article is drawn in.

    ``of``: article_id -> group name (article_id order of the features table); ``names``:
    groups in drawing order (alphabetical, ``other groups`` last); ``colors``: group -> colour;
    ``article_colors``: article -> colour, the article's own colour up to
    :data:`MAX_ARTICLE_COLORS` articles and its group's colour beyond.
    """

    column: str
    of: pd.Series
    names: tuple
    colors: dict
    sizes: dict
    article_colors: dict = field(repr=False)
    pooled: bool = False  # groups beyond the largest were pooled as OTHER

    @property
    def n_articles(self) -> int:
        return len(self.of)

    @property
    def by_article(self) -> bool:
        """Articles are few enough to have a colour each."""
        return self.n_articles <= MAX_ARTICLE_COLORS

    @property
    def per_article(self) -> bool:
        """Articles are few enough to have a row (or panel) each."""
        return self.n_articles <= MAX_ARTICLE_ROWS

    @property
    def title(self) -> str:
        """Axis title for the groups: the column, or "articles" for the single group."""
        return self.column or "articles"

    def label(self, group: str, unit: str = "") -> str:
        """``news report (n = 120)``; ``unit`` names what n counts (``articles``)."""
        name = "all articles" if group == ALL and not self.column else group
        return f"{name} (n = {fmt_int(self.sizes[group])}{' ' + unit if unit else ''})"

    def labels(self, unit: str = "") -> list[str]:
        return [self.label(g, unit) for g in self.names]

    def rows(self, labels: dict, unit: str = "articles") -> tuple[list, list]:
        """The rows of a view that has one row per article while it can: (article IDs sorted,
        their ``labels``) up to :data:`MAX_ARTICLE_ROWS` articles, else (groups, group labels
        with n ``unit``)."""
        if self.per_article:
            ids = sorted(self.of.index)
            return ids, [labels[a] for a in ids]
        return list(self.names), self.labels(unit)

    def row_of(self, article_ids: pd.Series) -> pd.Series:
        """The row of :meth:`rows` each record (given by its ``article_ids``) falls in."""
        return article_ids if self.per_article else article_ids.map(self.of)

    def ids(self, group: str) -> list[str]:
        """The group's article IDs, sorted."""
        return sorted(self.of.index[self.of.to_numpy() == group])

    def describe(self) -> str:
        """Caption text: what the groups are and their sizes."""
        if not self.column:
            return (f"all {fmt_int(self.n_articles)} articles as one group (set the notebook "
                    f"parameter group_by to compare groups)")
        parts = ", ".join(self.label(g) for g in self.names)
        pooled = (f"; values beyond the {len(GROUP_COLORS)} largest groups pooled as "
                  f"'{OTHER}'" if self.pooled else "")
        return f"articles grouped by {self.column}: {parts}{pooled}"

    def note(self, what: str = DISTRIBUTION_NOTE, switch: int = MAX_ARTICLE_ROWS,
             colours: bool = True) -> str:
        """The caption's sentence on colours and groups: nothing up to
        :data:`MAX_ARTICLE_COLORS` articles (captions of small corpora stay as they were), the
        colour key up to ``switch`` articles (nothing if the figure has no group ``colours``),
        beyond it what the group view shows (``what``)."""
        if self.by_article or (not colours and self.n_articles <= switch):
            return ""
        if self.n_articles <= switch:
            return f" Colours: {self.describe()}."
        return (f" With more than {switch} articles the figure shows groups, not articles: "
                f"{self.describe()}" + (f"; {what}" if what else "") + ".")


def article_groups(features: pd.DataFrame, group_by: str = "", width: int = 30) -> ArticleGroups:
    """Group the articles of ``features`` by the metadata column ``group_by`` ("" = one group).

    Empty values become ``unknown``; long values are shortened to ``width`` characters; with
    more distinct values than :data:`GROUP_COLORS` the seven largest are kept (ties by name)
    and the others pooled as ``other groups``. Raises ``ValueError`` for an unknown column.
    """
    ids = features["article_id"].astype(str)
    if group_by:
        if group_by not in features.columns:
            text_cols = [c for c in features.columns if pd.api.types.is_string_dtype(features[c])]
            raise ValueError(f"group_by={group_by!r} is not a column of the features table; "
                             f"metadata columns: {', '.join(text_cols)}")
        raw = features[group_by].fillna("").astype(str).str.split().str.join(" ")
        raw = raw.where(raw != "", UNKNOWN)
        raw = raw.where(raw.str.len() <= width, raw.str[:width - 1].str.rstrip() + "…")
    else:
        raw = pd.Series(ALL, index=features.index)
    of = pd.Series(raw.to_numpy(), index=pd.Index(ids.to_numpy(), name="article_id"), name="group")
    counts = of.value_counts()
    ranked = sorted(counts.index, key=lambda g: (-counts[g], g))
    pooled = len(ranked) > len(GROUP_COLORS)
    if pooled:
        keep = set(ranked[:len(GROUP_COLORS)])
        of = of.where(of.isin(keep), OTHER)
        names = tuple(sorted(keep)) + (OTHER,)
    else:
        names = tuple(sorted(ranked))
    colors = {g: OTHER_COLOR if pooled and g == OTHER else GROUP_COLORS[i]
              for i, g in enumerate(names)}
    sizes = {g: int((of == g).sum()) for g in names}
    if len(of) <= MAX_ARTICLE_COLORS:
        drawn = article_colors(of.index)
    else:
        drawn = dict(zip(of.index, of.map(colors)))
    return ArticleGroups(group_by, of, names, colors, sizes, drawn, pooled)


def mean_interval(values) -> tuple[float, float, float]:
    """Mean of the finite ``values`` and its normal-approximation 95% interval (mean ± 1.96
    standard errors, the articles as units); NaN bounds below two values."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not len(v):
        return np.nan, np.nan, np.nan
    m = float(v.mean())
    if len(v) < 2:
        return m, np.nan, np.nan
    se = float(v.std(ddof=1)) / np.sqrt(len(v))
    return m, m - _Z95 * se, m + _Z95 * se


def spread_labels(y, min_gap: float, lower: float = -np.inf, upper: float = np.inf) -> np.ndarray:
    """Positions for labels wanted at ``y`` that are at least ``min_gap`` apart, keep their
    order, stay within ``[lower, upper]`` where room allows and move as little as possible
    (overlapping labels are stacked around the mean of their wanted positions)."""
    y = np.asarray(y, dtype=float)
    order = np.argsort(y, kind="stable")
    clusters: list[list[float]] = []  # each: wanted positions, in order
    for t in y[order]:
        clusters.append([t])
        while len(clusters) > 1:
            prev, cur = clusters[-2], clusters[-1]
            start_prev = np.mean([p - i * min_gap for i, p in enumerate(prev)])
            start_cur = np.mean([p - i * min_gap for i, p in enumerate(cur)])
            if start_prev + len(prev) * min_gap <= start_cur:
                break
            clusters[-2:] = [prev + cur]
    pos = []
    for c in clusters:
        start = np.mean([p - i * min_gap for i, p in enumerate(c)])
        pos.extend(start + i * min_gap for i in range(len(c)))
    pos = np.asarray(pos, dtype=float)
    if len(pos):  # into the bounds: push up from below, then down from above
        pos[0] = max(pos[0], lower)
        for i in range(1, len(pos)):
            pos[i] = max(pos[i], pos[i - 1] + min_gap)
        pos[-1] = min(pos[-1], upper)
        for i in range(len(pos) - 2, -1, -1):
            pos[i] = min(pos[i], pos[i + 1] - min_gap)
    out = np.empty_like(pos)
    out[order] = pos
    return out


def panel_grid(n_panels: int, max_cols: int = 3) -> tuple[int, int]:
    """(rows, columns) of a small-multiples grid: up to ``max_cols`` columns."""
    n_cols = min(max_cols, n_panels)
    return int(np.ceil(n_panels / max(n_cols, 1))), n_cols


def _group_handles(groups: ArticleGroups, kind: str = "marker") -> list:
    if kind == "patch":
        return [Patch(facecolor=groups.colors[g], edgecolor="none") for g in groups.names]
    return [Line2D([], [], ls="", marker="o", ms=6, color=groups.colors[g],
                   markeredgecolor="0.2", markeredgewidth=0.4) for g in groups.names]


def add_group_legend(target, groups: ArticleGroups, kind: str = "marker", force: bool = False,
                     **kwargs):
    """Legend of the group colours on ``target`` (an Axes or a Figure), when colours are groups
    (more than :data:`MAX_ARTICLE_COLORS` articles) and there is more than one group, or
    ``force``. Default place: right of the axes."""
    if not force and (groups.by_article or len(groups.names) < 2):
        return None
    opts = dict(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=7,
                title=groups.title, title_fontsize=7, alignment="left")
    opts.update(kwargs)
    return target.legend(_group_handles(groups, kind), groups.labels(), **opts)


def draw_interval_dots(ax, est, lo, hi, colors, *, y=None, clip_on: bool = True):
    """Estimates as dots with 95% interval whiskers, one row per item at ``y`` (default
    0, 1, ...); rows without an estimate are skipped. Returns (y, mask of rows drawn)."""
    est = np.asarray(est, dtype=float)
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    y = np.arange(len(est)) if y is None else np.asarray(y)
    ok = np.isfinite(est)
    ax.errorbar(est[ok], y[ok], xerr=[np.clip(est - lo, 0, None)[ok],
                                      np.clip(hi - est, 0, None)[ok]],
                fmt="none", ecolor="0.45", elinewidth=1, capsize=2)
    ax.scatter(est[ok], y[ok], c=[c for c, keep in zip(colors, ok) if keep], s=36, zorder=3,
               edgecolors="0.2", linewidths=0.4, clip_on=clip_on)
    return y, ok


def _strip_style(n: int) -> tuple[float, float]:
    if n <= 100:
        return 14.0, 0.8
    if n <= 2000:
        return 6.0, 0.45
    return 2.0, 0.2


def draw_distributions(ax, values: pd.Series, groups: ArticleGroups, *, positions=None,
                       width: float = 0.6, orientation: str = "horizontal", color=None,
                       mean_marker: bool = True, label_axis: bool = True) -> dict:
    """One distribution per group of ``values`` (a Series indexed by article_id): a strip of
    the articles (deterministic jitter, group colour or ``color``) under a box (median,
    quartiles, whiskers to 1.5 IQR), and the group mean with its 95% interval (white diamond).
    Group ``i`` sits at ``positions[i]`` (default ``i``) on the y axis (``orientation``
    "horizontal", first group at the top) or the x axis ("vertical"). Returns per group
    ``(n, mean, lo, hi)``; a group without finite values gets "no values"."""
    names = groups.names
    positions = np.arange(len(names)) if positions is None else np.asarray(positions, float)
    horizontal = orientation == "horizontal"
    stats = {}
    for g, p in zip(names, positions):
        v = values.reindex(groups.ids(g)).to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        stats[g] = (len(v), *mean_interval(v))
        if not len(v):
            xy = (0.02, p) if horizontal else (p, 0.02)
            ax.text(*xy, "no values", fontsize=7, color="0.3", ha="left" if horizontal else
                    "center", va="center", transform=(ax.get_yaxis_transform() if horizontal
                                                      else ax.get_xaxis_transform()))
            continue
        size, alpha = _strip_style(len(v))
        jitter = ((np.arange(len(v)) * _GOLDEN) % 1.0 - 0.5) * width * 0.85
        xy = (v, p + jitter) if horizontal else (p + jitter, v)
        ax.scatter(*xy, s=size, color=color or groups.colors[g], alpha=alpha, linewidths=0,
                   zorder=2, rasterized=len(v) > RASTERIZE_ABOVE)
        line = dict(color=_INK, linewidth=0.9)
        ax.boxplot([v], positions=[p], widths=width, orientation=orientation, showfliers=False,
                   patch_artist=True, manage_ticks=False, zorder=3,
                   boxprops=dict(facecolor="none", edgecolor=_INK, linewidth=0.9),
                   medianprops=dict(color=_INK, linewidth=1.8), whiskerprops=line, capprops=line)
        if mean_marker and len(v) > 1:
            m, lo, hi = stats[g][1:]
            err = [[m - lo], [hi - m]]
            kw = dict(fmt="D", color="black", mfc="white", mec="black", ms=5, capsize=2.5,
                      elinewidth=1.2, zorder=4)
            if horizontal:
                ax.errorbar([m], [p], xerr=err, **kw)
            else:
                ax.errorbar([p], [m], yerr=err, **kw)
    if label_axis:
        if horizontal:
            ax.set_yticks(positions, groups.labels())
            ax.set_ylim(len(names) - 0.5, -0.5)
            ax.set_ylabel(groups.title)
        else:
            ax.set_xticks(positions, groups.labels(), rotation=20, ha="right")
            ax.set_xlabel(groups.title)
    return stats


def draw_extremes(ax, table: pd.DataFrame, column: str, groups: ArticleGroups, labels: dict,
                  k: int) -> list[str]:
    """The ``k`` lowest and ``k`` highest articles of ``table[column]`` (NaN left out; ties by
    article_id) as dots with their ``_lo``/``_hi`` intervals in group colours, highest at the
    top, a gap row between the two ends. Returns the article IDs drawn, bottom to top."""
    t = table[table[column].notna()].sort_values([column, "article_id"], kind="stable")
    k = max(min(k, len(t) // 2), 0)
    pick = pd.concat([t.head(k), t.tail(k)]) if len(t) > 2 * k else t
    gap = len(t) > 2 * k
    y = np.arange(len(pick)) + (np.arange(len(pick)) >= k) * gap
    draw_interval_dots(ax, pick[column], pick[f"{column}_lo"], pick[f"{column}_hi"],
                       [groups.article_colors[a] for a in pick["article_id"]], y=y)
    ax.set_yticks(y, [labels[a] for a in pick["article_id"]], fontsize=7)
    if gap:
        ax.text(0.5, k, f"⋮  {fmt_int(len(t) - 2 * k)} articles in between  ⋮", ha="center",
                va="center", fontsize=7, color="0.35", transform=ax.get_yaxis_transform())
    ax.set_ylim(-0.5, (y.max() if len(y) else 0) + 0.5)
    return list(pick["article_id"])


def draw_stacked(ax, table: pd.DataFrame, style, y=None, height: float = 0.7) -> np.ndarray:
    """Horizontal stacked bars, one row of ``table`` per bar at ``y`` (default 0, 1, ...), its
    columns stacked left to right in column order, each drawn with ``style(column)`` keyword
    arguments and labelled with the column name. Returns the right end of every bar."""
    y = np.arange(len(table)) if y is None else y
    left = np.zeros(len(table))
    for col in table.columns:
        ax.barh(y, table[col], left=left, height=height, label=col, **style(col))
        left += table[col].to_numpy()
    return left


# --- 00-corpus ---------------------------------------------------------------------------------

def plot_corpus_overview(features: pd.DataFrame, removed: pd.DataFrame, groups: ArticleGroups,
                         labels: dict):
    """fig00: length in words, sentences and headings, and lines removed by cleaning rule.

    Per article (longest on top) up to :data:`MAX_ARTICLE_ROWS` articles; beyond, the
    distributions of length, sentences and headings by group and the removed lines summed per
    group and rule."""
    rules = sorted(removed["rule"].unique())
    if groups.per_article:
        order = (features.sort_values("n_words", ascending=False, kind="stable")["article_id"]
                 .tolist())
        rows, row_labels = order, [labels[a] for a in order]
        counts = (removed.groupby(["article_id", "rule"]).size().unstack(fill_value=0)
                  .reindex(index=order, columns=rules, fill_value=0))
    else:
        rows, row_labels = list(groups.names), groups.labels()
        counts = (removed.assign(group=removed["article_id"].map(groups.of))
                  .groupby(["group", "rule"]).size().unstack(fill_value=0)
                  .reindex(index=rows, columns=rules, fill_value=0))
    y = np.arange(len(rows))
    by_id = features.set_index("article_id")
    height = max(2.4, (0.42 if groups.per_article else 0.6) * len(rows) + 1.2)
    if groups.per_article:
        fig, axes = plt.subplots(1, 3, figsize=(11, height + 0.6), sharey=True,
                                 gridspec_kw={"width_ratios": [1.2, 1, 1.2]})
        ax = axes[0]
        ax.barh(y, by_id.loc[rows, "n_words"], color=[groups.article_colors[a] for a in rows])
        ax.set_yticks(y, row_labels)
        ax.set_xlabel("article length (words)")
        ax.set_title("Length")
        ax.invert_yaxis()  # longest article on top; shared by all panels
        ax = axes[1]
        ax.barh(y - 0.2, by_id.loc[rows, "n_sentences"], height=0.4, color="#555555",
                label="sentences")
        ax.barh(y + 0.2, by_id.loc[rows, "n_headings"], height=0.4, color="#BBBBBB",
                label="headings")
        ax.set_xlabel("count (sentences, headings)")
        ax.set_title("Sentences (dark), headings (light)")
    else:
        fig, axes = plt.subplots(1, 4, figsize=(13, height + 0.6), sharey=True,
                                 gridspec_kw={"width_ratios": [1.2, 1, 1, 1.2]})
        for ax, col, xlabel, title in [
                (axes[0], "n_words", "article length (words)", "Length"),
                (axes[1], "n_sentences", "sentences per article (count)", "Sentences"),
                (axes[2], "n_headings", "headings per article (count)", "Headings")]:
            draw_distributions(ax, by_id[col], groups, label_axis=ax is axes[0])
            ax.set_xlabel(xlabel)
            ax.set_title(title)
        axes = [axes[0], axes[1], axes[3]]
    ax = axes[-1]
    mat = counts.to_numpy()
    ax.imshow(mat if mat.size else np.zeros((len(rows), 1)), aspect="auto", cmap="Greys",
              vmin=0, vmax=max(2, mat.max(initial=0)) * 1.6, origin="upper",
              extent=(-0.5, max(len(rules), 1) - 0.5, len(rows) - 0.5, -0.5))
    for (i, j), v in np.ndenumerate(mat):
        if v:
            ax.text(j, i, fmt_int(v) if not groups.per_article else str(v), ha="center",
                    va="center", fontsize=8)
    ax.set_xticks(range(len(rules)), rules, rotation=40, ha="right", fontsize=7)
    ax.set_xlabel("lines removed, by cleaning rule (count)" if groups.per_article
                  else "lines removed, by cleaning rule (count, summed over the group)")
    ax.set_title("Cleaning")
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    if groups.per_article:
        add_group_legend(axes[0], groups, kind="patch", loc="lower left",
                         bbox_to_anchor=(0, 1.08), ncol=4)
    fig.tight_layout()
    return fig


# --- 01-tone -----------------------------------------------------------------------------------

def plot_estimates(table: pd.DataFrame, column: str, groups: ArticleGroups, labels: dict, *,
                   xlabel: str, title: str, extremes: int = 5, tick_labels=None,
                   zero_line: bool = True, base_height: float = 0.9, empty_text: str = "",
                   xlim=None, from_zero: bool = False):
    """An estimate with its 95% interval (``column``, ``column_lo``, ``column_hi``): fig01, fig11.

    Up to :data:`MAX_ARTICLE_ROWS` articles: one row per article of ``table`` in its order
    (bottom to top), dots coloured by article (by group beyond 12 articles), ``tick_labels``
    (default the article labels); rows without an estimate show ``empty_text``. ``from_zero``:
    the x axis runs from 0 to the largest upper bound (at least 1) + 5%, rows fill the y axis
    and the left spine moves out so a dot at 0 stays clear of it (fig11).
    Beyond: the distribution by group (left) and the ``extremes`` lowest and highest articles
    with their intervals (right)."""
    if from_zero:
        hi = table.loc[table[column].notna(), f"{column}_hi"].max()
        xlim = (0, max(float(hi) if np.isfinite(hi) else 0.0, 1.0) * 1.05)
    if groups.per_article:
        fig, ax = plt.subplots(figsize=(6.5, base_height + 0.32 * len(table)))
        y, ok = draw_interval_dots(ax, table[column], table[f"{column}_lo"],
                                   table[f"{column}_hi"],
                                   [groups.article_colors[a] for a in table["article_id"]],
                                   clip_on=not from_zero)
        if zero_line:
            ax.axvline(0, color="0.6", lw=0.8, ls="--")
        for yi in y[~ok]:
            ax.text(0.02, yi, empty_text, va="center", fontsize=7, color="0.3",
                    transform=ax.get_yaxis_transform())
        ax.set_yticks(y, tick_labels if tick_labels is not None
                      else [labels[a] for a in table["article_id"]])
        if xlim is not None:
            ax.set_xlim(*xlim)
        if from_zero:
            ax.set_ylim(-0.5, len(table) - 0.5)
            ax.spines["left"].set_position(("outward", 6))
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        add_group_legend(ax, groups)
        return fig
    height = 1.3 + max(0.6 * len(groups.names), 0.26 * (2 * extremes + 1))
    fig, (ax, ex) = plt.subplots(1, 2, figsize=(12, height), layout="constrained")
    draw_distributions(ax, table.set_index("article_id")[column], groups)
    draw_extremes(ex, table, column, groups, labels, extremes)
    what = title.replace(" per article", "")
    ax.set_title(f"{what} by {groups.column}" if groups.column else f"{what}: all articles")
    ex.set_title(f"The {extremes} lowest and {extremes} highest articles (95% intervals)",
                 fontsize=9)
    for a in (ax, ex):
        if zero_line:
            a.axvline(0, color="0.6", lw=0.8, ls="--", zorder=1)
        if xlim is not None:
            a.set_xlim(*xlim)
        a.set_xlabel(xlabel)
    add_group_legend(ex, groups)
    return fig


def plot_tone_shares(shares: pd.DataFrame, order, groups: ArticleGroups, labels: dict):
    """fig02: stacked shares of each article's sentences (columns of ``shares``, indexed by
    article_id: negative, neutral, positive; 0-1), one bar per article of ``order`` (first at
    the bottom) up to :data:`MAX_ARTICLE_ROWS` articles; beyond, the mean shares of each
    group (first group at the top)."""
    if groups.per_article:
        table, row_labels = shares.loc[list(order)], [labels[a] for a in order]
    else:
        table = shares.groupby(groups.of).mean().loc[list(groups.names)]
        row_labels = groups.labels()
    fig, ax = plt.subplots(figsize=(6.5, 0.9 + 0.32 * max(len(table), 2)))
    y = np.arange(len(table))
    draw_stacked(ax, table, category_style, y)
    ax.set_yticks(y, row_labels)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the article's sentences and headings (0–1)" if groups.per_article
                  else "mean share of the article's sentences and headings (0–1)")
    if not groups.per_article:
        ax.set_ylabel(groups.title)
        ax.invert_yaxis()  # groups top-down, as in the other group views
    ax.legend(ncol=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return fig


def plot_tone_trajectories(sentences: pd.DataFrame, panel_ids, groups: ArticleGroups,
                           labels: dict, smooth_window: int):
    """fig03 (few articles): adapted compound of every sentence (bars) and its rolling mean
    (line) in reading order, one panel per article of ``panel_ids``."""
    n_rows, n_cols = panel_grid(len(panel_ids))
    colors = groups.article_colors
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(3.2 * n_cols, 2.2 * n_rows), sharey=True,
                             squeeze=False)
    for ax in axes.flat[len(panel_ids):]:
        ax.set_visible(False)
    for ax, aid in zip(axes.flat, panel_ids):
        s = sentences[sentences["article_id"] == aid].sort_values("sentence_id")
        ax.axhline(0, color="0.7", lw=0.8)
        ax.bar(s["sentence_id"], s["tone_compound_adapted"], color=colors[aid], alpha=0.45,
               width=0.9)
        ax.plot(s["sentence_id"], s["tone_compound_adapted"].rolling(
            smooth_window, min_periods=1, center=True).mean(), color=colors[aid], lw=1.8)
        ax.set_title(labels[aid], fontsize=8)
        ax.set_ylim(-1, 1)
        integer_ticks(ax.xaxis)
    for ax in axes[:, 0]:
        ax.set_ylabel("adapted compound (−1 … +1)")
    for ax in axes.flat[max(len(panel_ids) - n_cols, 0):len(panel_ids)]:
        ax.set_xlabel("sentence index (headings included)")
    fig.tight_layout()
    add_group_legend(fig, groups, kind="patch", loc="lower center", bbox_to_anchor=(0.5, 1.0),
                     ncol=min(len(groups.names), 4))
    return fig


def tone_by_position(sentences: pd.DataFrame, groups: ArticleGroups, bins: int = 10,
                     column: str = "tone_compound_adapted") -> pd.DataFrame:
    """Mean of ``column`` per article in each tenth (``bins``) of the article's sentences in
    reading order, then per group and bin: n articles, mean over articles, 95% interval."""
    s = sentences[["article_id", "sentence_id", column]].sort_values(
        ["article_id", "sentence_id"], kind="stable")
    size = s.groupby("article_id")["sentence_id"].transform("size").to_numpy()
    rank = s.groupby("article_id").cumcount().to_numpy()
    s = s.assign(bin=np.minimum(((rank + 0.5) / size * bins).astype(int), bins - 1))
    per_article = s.groupby(["article_id", "bin"])[column].mean().rename("value").reset_index()
    per_article["group"] = per_article["article_id"].map(groups.of)
    rows = []
    for (g, b), v in per_article.groupby(["group", "bin"])["value"]:
        m, lo, hi = mean_interval(v)
        rows.append({"group": g, "bin": b, "n": len(v), "mean": m, "lo": lo, "hi": hi})
    return pd.DataFrame(rows, columns=["group", "bin", "n", "mean", "lo", "hi"])


def plot_tone_profile(profile: pd.DataFrame, groups: ArticleGroups, bins: int = 10):
    """fig03 (many articles): tone by position in the article, one line per group with its
    95% band (from :func:`tone_by_position`), groups named at the line ends (labels spread so
    they do not overlap)."""
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    x = (np.arange(bins) + 0.5) / bins * 100
    ends = []
    for g in groups.names:
        p = profile[profile["group"] == g].set_index("bin").reindex(range(bins))
        col = groups.colors[g]
        ax.fill_between(x, p["lo"], p["hi"], color=col, alpha=0.18, linewidth=0)
        ax.plot(x, p["mean"], color=col, lw=1.8, marker="o", ms=3)
        last = p["mean"].dropna()
        if len(last):
            ends.append((g, x[last.index[-1]], float(last.iloc[-1]), col))
    ax.axhline(0, color="0.6", lw=0.8, ls="--")
    lo = np.nanmin([profile["lo"].min(), profile["mean"].min(), -0.1])
    hi = np.nanmax([profile["hi"].max(), profile["mean"].max(), 0.1])
    pad = 0.08 * (hi - lo)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlim(0, 100)
    ax.set_xlabel("position in the article (% of its sentences and headings, tenths)")
    ax.set_ylabel("adapted compound, mean over articles (−1 … +1)")
    ax.set_title("Tone through the article" + (f", by {groups.column}" if groups.column else ""))
    axes_pt = fig.get_figheight() * ax.get_position().height * 72  # the axes' height
    gap = 8 * 1.35 / axes_pt * (hi - lo + 2 * pad)  # one 8 pt line, in data units
    ys = spread_labels([e[2] for e in ends], gap, lo - pad, hi + pad)
    for (g, xe, ye, col), yl in zip(ends, ys):
        ax.annotate(groups.label(g), xy=(xe, ye), xytext=(103, yl), textcoords="data",
                    fontsize=8, color="0.1", va="center", annotation_clip=False,
                    arrowprops=dict(arrowstyle="-", color=col, lw=0.8, shrinkA=0, shrinkB=2))
    return fig


def stance_cue_counts(evidence: pd.DataFrame, groups: ArticleGroups) -> pd.DataFrame:
    """Matches of each optimism and caution cue (columns ``unit, feature, term, n``) per
    article up to :data:`MAX_ARTICLE_ROWS` articles, per group beyond."""
    ev = evidence[evidence["feature"].isin(["optimism", "caution"])]
    unit = groups.row_of(ev["article_id"])
    return (ev.assign(unit=unit).groupby(["unit", "feature", "term"]).size().rename("n")
            .reset_index())


def plot_stance_cues(cue_counts: pd.DataFrame, panel_ids, groups: ArticleGroups, labels: dict,
                     top_terms: int):
    """fig04: back-to-back bars of the ``top_terms`` most frequent caution (left, hatched) and
    optimism (right) cues (from :func:`stance_cue_counts`), on one scale, one panel per
    article of ``panel_ids`` up to :data:`MAX_ARTICLE_ROWS` articles; beyond, one panel per
    group with matches per article, so that groups of different sizes compare."""
    if groups.per_article:
        units, titles, per = panel_ids, labels, None
    else:
        units, per = list(groups.names), groups.sizes
        titles = dict(zip(units, groups.labels("articles")))
    n_rows, n_cols = panel_grid(len(units))
    if per is not None:
        cue_counts = cue_counts.assign(n=cue_counts["n"] / cue_counts["unit"].map(per))
        cue_max = float(cue_counts["n"].max()) * 1.05 if len(cue_counts) else 1.0
    else:
        cue_max = max(int(cue_counts["n"].max()) if len(cue_counts) else 1, 1)
    rows_shown = max(min(top_terms, int(cue_counts.groupby(["unit", "feature"]).size().max())
                         if len(cue_counts) else 1), 1)
    fig, axes = plt.subplots(n_rows, n_cols,
                             figsize=(3.9 * n_cols, 0.9 + (0.6 + 0.19 * rows_shown) * n_rows),
                             squeeze=False, layout="constrained")
    for ax in axes.flat[len(units):]:
        ax.set_visible(False)
    for ax, unit in zip(axes.flat, units):
        a = cue_counts[cue_counts["unit"] == unit]
        opt = (a[a["feature"] == "optimism"]
               .sort_values(["n", "term"], ascending=[False, True], kind="stable").head(top_terms))
        cau = (a[a["feature"] == "caution"]
               .sort_values(["n", "term"], ascending=[False, True], kind="stable").head(top_terms))
        ax.barh(-np.arange(len(opt)), opt["n"], height=0.7, **category_style("optimism"))
        ax.barh(-np.arange(len(cau)), -cau["n"], height=0.7, **category_style("caution"))
        ax.set_yticks(-np.arange(len(cau)), cau["term"], fontsize=7)
        right = ax.secondary_yaxis("right")
        right.set_yticks(-np.arange(len(opt)), opt["term"], fontsize=7)
        right.tick_params(length=0)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.axvline(0, color="0.3", lw=0.8)
        ax.set_ylim(-rows_shown + 0.5, 0.5)
        if per is None:
            ax.set_xlim(-cue_max - 0.3, cue_max + 0.3)
            integer_ticks(ax.xaxis, absolute=True, nbins=8)
        else:
            ax.set_xlim(-cue_max, cue_max)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=6, symmetric=True))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{abs(v):g}"))
        ax.set_title(titles[unit], fontsize=8)
        ax.set_xlabel("cue matches (count): ← caution | optimism →" if per is None else
                      "cue matches per article: ← caution | optimism →", fontsize=7)
        if a.empty:
            ax.text(0.5, 0.5, "no cues", ha="center", va="center", transform=ax.transAxes,
                    fontsize=7, bbox=dict(facecolor="white", edgecolor="none"))
    fig.legend([Rectangle((0, 0), 1, 1, **category_style(k)) for k in ("caution", "optimism")],
               ["caution cue (left)", "optimism cue (right)"], loc="outside upper center", ncol=2,
               frameon=False, fontsize=8)
    return fig


def plot_tone_adaptation(adapt: pd.DataFrame, groups: ArticleGroups):
    """fig05: raw vs topic-neutral (adapted) mean compound. Per article (rows of ``adapt`` in
    order, open = raw, filled = adapted, joined by a line) up to :data:`MAX_ARTICLE_ROWS`
    articles; beyond, the distribution of the change (adapted − raw) by group."""
    if not groups.per_article:
        fig, ax = plt.subplots(figsize=(6.5, 1.3 + 0.6 * len(groups.names)))
        draw_distributions(ax, adapt.set_index("article_id")["change"], groups)
        ax.axvline(0, color="0.6", lw=0.8, ls="--", zorder=1)
        ax.set_xlabel("change in mean sentence compound: adapted − raw")
        ax.set_title("How much neutralising topic words changes tone")
        return fig
    colors = [groups.article_colors[a] for a in adapt["article_id"]]
    fig, ax = plt.subplots(figsize=(6.5, 0.9 + 0.32 * len(adapt)))
    ya = np.arange(len(adapt))
    ax.hlines(ya, adapt["tone_mean"], adapt["tone_mean_adapted"], color="0.6", lw=1.2)
    ax.scatter(adapt["tone_mean"], ya, facecolors="white", edgecolors=colors, s=36, zorder=3,
               linewidths=1.2)
    ax.scatter(adapt["tone_mean_adapted"], ya, c=colors, s=36, zorder=3, edgecolors="0.2",
               linewidths=0.4)
    # Legend keys in neutral grey: the colours identify articles, the fill tells raw from adapted.
    ax.scatter([], [], facecolors="white", edgecolors="0.2", s=36, linewidths=1.2,
               label="raw VADER")
    ax.scatter([], [], c="0.2", s=36, label="topic-neutral (adapted)")
    ax.axvline(0, color="0.6", lw=0.8, ls="--")
    ax.set_yticks(ya, adapt["label"])
    ax.set_xlabel("mean sentence compound (−1 … +1)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    if not groups.by_article and len(groups.names) > 1:
        ax.add_artist(ax.get_legend())
        add_group_legend(ax, groups)
    return fig


# --- 02-emphasis -------------------------------------------------------------------------------

def plot_heatmap(values: np.ndarray, row_labels, col_labels, *, ylabel: str, xlabel: str,
                 cbar_label: str, title: str):
    """fig06: a rows x columns heatmap (Blues from 0) with the value in every cell."""
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
    """fig07: emphasis on ``frames`` (matches per 1,000 words). Up to
    :data:`MAX_ARTICLE_COLORS` articles: one bar per article (article colours, ID order) with
    its 95% interval; beyond, per frame the distribution over articles, one box per group."""
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
    """fig08: the ``top_terms`` most frequent terms of each frame, bars split by article
    (article colours, up to :data:`MAX_ARTICLE_COLORS` articles) or by group beyond. Returns
    (figure, {frame: terms, most frequent first})."""
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


# --- 03-sources --------------------------------------------------------------------------------

def count_by_row(table: pd.DataFrame, row, rows, column: str, categories) -> pd.DataFrame:
    """Rows of ``table`` (attributions) counted per row key (``row``: one key per record, e.g.
    its article_id or its article's group) and per value of ``column``: a ``rows`` x
    ``categories`` table of counts, zeros where nothing was counted."""
    return (table.assign(row=row).groupby(["row", column]).size().unstack(fill_value=0)
            .reindex(index=list(rows), columns=list(categories), fill_value=0))


def row_shares(counts: pd.DataFrame) -> pd.DataFrame:
    """Each row of ``counts`` divided by its total (rows without any count stay 0)."""
    totals = counts.sum(axis=1)
    return counts.div(totals.where(totals > 0, 1), axis=0)


def plot_source_shares(table: pd.DataFrame, row_labels, style, *, xlabel: str, title: str,
                       legend_title: str, xlim=None, empty_text_in_axes: bool = True,
                       ylabel: str | None = None):
    """fig09, fig10: attributions per row (article or group) stacked by category (columns of
    ``table`` in order, drawn with ``style``), first row at the top; rows without any
    attribution say so. ``xlim`` None: 0 to the longest bar (counts, integer ticks)."""
    n = len(table)
    fig, ax = plt.subplots(figsize=(7.2, 1.2 + 0.34 * n))
    y = np.arange(n)
    left = draw_stacked(ax, table, style, y)
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


def named_source_matrix(named: pd.DataFrame, rows, row: pd.Series, max_sources: int = 25):
    """Attributions to each named source per row (``row``: the row key of every attribution,
    its article_id or its article's group; ``rows``: the keys in order). Columns: the
    ``max_sources`` sources cited in the most articles (ties: more attributions, then name). Returns (matrix, ranking of every named
    source with columns ``n`` attributions and ``articles``)."""
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
    """Caption pieces for fig12: which named sources are columns (all, or the top ones and how
    many are left out), which are named in more than one article (up to eight, then "and k
    more"), and whether column labels were shortened."""
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
    """fig12: rows (articles or groups) x named sources, attribution counts as shading and cell
    numbers (numbers up to 2,000 cells); column labels shortened to ``source_label_width``.
    ``per`` (row -> number of articles, for groups): cells show attributions per 100 articles,
    so groups of different sizes compare."""
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

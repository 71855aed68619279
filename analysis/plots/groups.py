"""Which group each article is in, and when the figures of notebooks 00-04 switch from
articles to groups.

A figure with a row, a bar or a colour per article is the clearest view of a small corpus and
unreadable for a large one. The figures that start from articles (:mod:`analysis.plots.articles`
and fig13-fig16 of notebook 04) therefore draw articles while the corpus is small and groups
beyond fixed thresholds, ``N`` being the number of articles:

``N <= MAX_ARTICLE_COLORS`` (12)
    every article has its own colour (:func:`analysis.figures.article_colors`): the figures
    of the bundled corpus.
``MAX_ARTICLE_COLORS < N <= MAX_ARTICLE_ROWS`` (30)
    still a labelled row or panel per article, coloured by the article's group (with a
    legend); figures that tell articles apart by colour alone (fig07, fig08) already switch.
``N > MAX_ARTICLE_ROWS``
    a row, a box or a panel per group.

Groups are the values of one metadata column of ``features.csv`` (a notebook's ``group_by``
parameter); without one, every article is in the one group ``all``. Empty values are
``unknown``. Beyond seven values the seven largest keep their colour (Okabe-Ito without
yellow) and the others are pooled as ``other groups``, in grey. A figure thus has at most 30
article rows or 8 group rows, and at the house 200 dpi no PNG exceeds 4,000 pixels at any
``N`` (``tests/test_figure_sizes.py`` checks 1 to 20,000 articles).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..figures import article_colors, fmt_int

__all__ = ["MAX_ARTICLE_COLORS", "MAX_ARTICLE_ROWS", "MAX_GROUPS", "RASTERIZE_ABOVE",
           "GROUP_COLORS", "OTHER_COLOR", "DISTRIBUTION_NOTE", "ArticleGroups", "article_groups",
           "mean_interval"]

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

_Z95 = 1.959963984540054


@dataclass(frozen=True)
class ArticleGroups:
    """The group of every article, and the colour each article is drawn in.

    Made by :func:`article_groups`; every figure of notebooks 00-04 that starts from articles takes
    one. Whether a figure draws articles or groups follows from :attr:`n_articles` and the
    thresholds :data:`MAX_ARTICLE_COLORS` and :data:`MAX_ARTICLE_ROWS`.

    Attributes
    ----------
    column : str
        The metadata column of the groups ("": every article in the one group ``all``).
    of : Series of str
        Article ID -> group name, in the article order of the features table.
    names : tuple of str
        The groups in drawing order: alphabetical, ``other groups`` last.
    colors : dict
        Group -> colour.
    sizes : dict
        Group -> number of articles.
    article_colors : dict
        Article ID -> colour: the article's own up to :data:`MAX_ARTICLE_COLORS` articles, its
        group's beyond.
    pooled : bool
        Groups beyond the seven largest were pooled as ``other groups``.
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
        """Number of articles grouped."""
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
        """Name of ``group`` with its size, e.g. ``news report (n = 120)``.

        Parameters
        ----------
        group : str
        unit : str
            What n counts (``"articles"``); "" writes the number alone.

        Returns
        -------
        str
        """
        name = "all articles" if group == ALL and not self.column else group
        return f"{name} (n = {fmt_int(self.sizes[group])}{' ' + unit if unit else ''})"

    def labels(self, unit: str = "") -> list[str]:
        """:meth:`label` of every group, in drawing order.

        Parameters
        ----------
        unit : str
            As in :meth:`label`.

        Returns
        -------
        list of str
        """
        return [self.label(g, unit) for g in self.names]

    def rows(self, labels: dict, unit: str = "articles") -> tuple[list, list]:
        """The rows of a view that has one row per article while the corpus is small.

        Parameters
        ----------
        labels : dict
            Article ID -> display label.
        unit : str
            What the n of a group label counts.

        Returns
        -------
        (list, list)
            Up to :data:`MAX_ARTICLE_ROWS` articles, the sorted article IDs and their ``labels``;
            beyond, the groups and their labels with n ``unit``.
        """
        if self.per_article:
            ids = sorted(self.of.index)
            return ids, [labels[a] for a in ids]
        return list(self.names), self.labels(unit)

    def row_of(self, article_ids: pd.Series) -> pd.Series:
        """The row of :meth:`rows` each record falls in.

        Parameters
        ----------
        article_ids : Series of str
            The article of every record.

        Returns
        -------
        Series
            ``article_ids`` itself while articles have rows, else the group of each.
        """
        return article_ids if self.per_article else article_ids.map(self.of)

    def ids(self, group: str) -> list[str]:
        """The article IDs of one group, sorted.

        Parameters
        ----------
        group : str

        Returns
        -------
        list of str
        """
        return sorted(self.of.index[self.of.to_numpy() == group])

    def describe(self) -> str:
        """Caption text naming the groups and their sizes.

        Returns
        -------
        str
        """
        if not self.column:
            return (f"all {fmt_int(self.n_articles)} articles as one group (set the notebook "
                    f"parameter group_by to compare groups)")
        parts = ", ".join(self.label(g) for g in self.names)
        pooled = (f"; values beyond the {len(GROUP_COLORS)} largest groups pooled as "
                  f"'{OTHER}'" if self.pooled else "")
        return f"articles grouped by {self.column}: {parts}{pooled}"

    def note(self, what: str = DISTRIBUTION_NOTE, switch: int = MAX_ARTICLE_ROWS,
             colours: bool = True) -> str:
        """The caption sentence about colours and groups.

        Empty up to :data:`MAX_ARTICLE_COLORS` articles (captions of small corpora stay as they
        were); up to ``switch`` articles, the colour key (empty when the figure has no group
        ``colours``); beyond ``switch``, what the group view shows.

        Parameters
        ----------
        what : str
            What the group view draws (default :data:`DISTRIBUTION_NOTE`).
        switch : int
            Articles beyond which the figure shows groups.
        colours : bool
            The figure colours its marks by group.

        Returns
        -------
        str
            Starts with a space unless empty.
        """
        if self.by_article or (not colours and self.n_articles <= switch):
            return ""
        if self.n_articles <= switch:
            return f" Colours: {self.describe()}."
        return (f" With more than {switch} articles the figure shows groups, not articles: "
                f"{self.describe()}" + (f"; {what}" if what else "") + ".")


def article_groups(features: pd.DataFrame, group_by: str = "", width: int = 30) -> ArticleGroups:
    """Group the articles of a features table by one metadata column.

    Empty values become ``unknown`` and long ones are shortened to ``width`` characters. With more
    distinct values than :data:`GROUP_COLORS` has colours, the seven largest groups are kept (ties
    by name) and the others pooled as ``other groups``.

    Parameters
    ----------
    features : DataFrame
        The features table: ``article_id`` and the metadata columns.
    group_by : str
        The column to group by; "" puts every article in one group, ``all``.
    width : int
        Longest group name kept whole.

    Returns
    -------
    ArticleGroups

    Raises
    ------
    ValueError
        ``group_by`` is not a column of ``features``.

    Examples
    --------
    >>> f = pd.DataFrame({"article_id": ["a1", "a2", "a3"], "genre": ["news", "opinion", ""]})
    >>> g = article_groups(f, "genre")
    >>> g.names, g.sizes["unknown"], g.by_article
    (('news', 'opinion', 'unknown'), 1, True)
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
    """Mean of the finite values with its 95% normal-approximation interval.

    The values (articles) are the units: the interval is the mean ± 1.96 standard errors.

    Parameters
    ----------
    values : array-like of float
        NaN and infinite values are left out.

    Returns
    -------
    (float, float, float)
        Mean, lower and upper bound; the bounds are NaN below two values, all three without any.

    Examples
    --------
    >>> m, lo, hi = mean_interval([1.0, 2.0, 3.0, float("nan")])
    >>> [round(float(v), 2) for v in (m, lo, hi)]
    [2.0, 0.87, 3.13]
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not len(v):
        return np.nan, np.nan, np.nan
    m = float(v.mean())
    if len(v) < 2:
        return m, np.nan, np.nan
    se = float(v.std(ddof=1)) / np.sqrt(len(v))
    return m, m - _Z95 * se, m + _Z95 * se

"""Which group each article is in, as every figure draws it: :class:`Grouping`, made by
:func:`group_articles`.

Groups are the values of one metadata column of ``features.csv`` (a notebook's ``group_by``
parameter). A :class:`Grouping` holds them twice, for two uses:

The groups compared (notebook 05, :mod:`analysis.compare`)
    :attr:`~Grouping.labels`, :attr:`~Grouping.sizes`, :attr:`~Grouping.colors` and, when
    nothing can be compared, :attr:`~Grouping.reason`. An article without a value is in no group
    and left out; every value is a group, the seven largest in colour
    (:func:`~analysis.plots.layout.group_colors`).
The groups shown (notebooks 00-04)
    :attr:`~Grouping.of`, :attr:`~Grouping.names`, :attr:`~Grouping.shown_sizes`,
    :attr:`~Grouping.shown_colors`. A figure with a row, a bar or a colour per article is the
    clearest view of a small corpus and unreadable for a large one, so these figures draw
    articles while the corpus is small and groups beyond fixed thresholds, ``N`` being the
    number of articles:

    ``N <= MAX_ARTICLE_COLORS`` (12)
        every article has its own colour (:func:`analysis.figures.article_colors`): the
        figures of the bundled corpus.
    ``MAX_ARTICLE_COLORS < N <= MAX_ARTICLE_ROWS`` (30)
        still a labelled row or panel per article, coloured by the article's group (with a
        legend); figures that tell articles apart by colour alone (fig07, fig08) already
        switch.
    ``N > MAX_ARTICLE_ROWS``
        a row, a box or a panel per group.

    Without a column every article is in the one group ``all``; empty values are ``unknown``;
    long values are shortened. Beyond seven values the seven largest keep their colour
    (:data:`~analysis.plots.layout.GROUP_PALETTE`) and the others are pooled as ``other
    groups`` (:func:`analysis.compare.pool_largest`), in grey. A figure thus has at most 30
    article rows or 8 group rows, and at the house 200 dpi no PNG exceeds 4,000 pixels at any ``N``
    (``tests/test_figure_sizes.py`` checks 1 to 20,000 articles).

Both rank groups by :func:`analysis.compare.largest_groups`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import compare
from ..compare import OTHER
from ..figures import article_colors, fmt_int
from .layout import GREY, GROUP_PALETTE, group_colors

__all__ = ["MAX_ARTICLE_COLORS", "MAX_ARTICLE_ROWS", "MAX_GROUPS", "DISTRIBUTION_NOTE",
           "Grouping", "group_articles"]

MAX_ARTICLE_COLORS = 12  # beyond: colour is the group, not the article
MAX_ARTICLE_ROWS = 30  # beyond: distributions by group instead of one row per article
MAX_GROUPS = len(GROUP_PALETTE) + 1  # group rows at most: the 7 largest groups + OTHER
ALL, UNKNOWN = "all", "unknown"
DISTRIBUTION_NOTE = ("boxes: median and quartiles, whiskers to 1.5 IQR; dots: articles; white "
                     "diamonds: group means with 95% normal-approximation intervals over articles")


@dataclass(frozen=True)
class Grouping:
    """The groups of the articles of a features table, made by :func:`group_articles`.

    Attributes
    ----------
    by : str
        The metadata column asked for ("" when none was chosen).
    labels : Series of str
        The group compared of every article, indexed like the features table ("" without a
        group); empty when ``by`` is not a column.
    sizes : dict
        Compared group -> number of articles (articles without a group left out).
    colors : dict
        Compared group -> colour (:func:`~analysis.plots.layout.group_colors`), the same in
        every figure of notebook 05.
    reason : str
        Why there is nothing to compare ("" with two or more groups).
    n_articles : int
        Articles in the features table.
    column : str
        The column of the groups shown: ``by`` when the table has it, else "".
    of : Series of str
        Article ID -> the group it is shown in, in the article order of the features table.
    names : tuple of str
        The groups shown, in drawing order: alphabetical, ``other groups`` last.
    shown_sizes : dict
        Group shown -> number of articles.
    shown_colors : dict
        Group shown -> colour.
    article_colors : dict
        Article ID -> colour: the article's own up to :data:`MAX_ARTICLE_COLORS` articles, its
        group's beyond.
    pooled : bool
        Groups beyond the seven largest were pooled as ``other groups`` in the groups shown.
    """

    by: str
    labels: pd.Series
    sizes: dict
    colors: dict
    reason: str
    n_articles: int
    column: str = ""
    of: pd.Series = field(default_factory=lambda: pd.Series(dtype=object), repr=False)
    names: tuple = ()
    shown_sizes: dict = field(default_factory=dict)
    shown_colors: dict = field(default_factory=dict)
    article_colors: dict = field(default_factory=dict, repr=False)
    pooled: bool = False

    # --- the groups compared (notebook 05) ---------------------------------------------------

    @property
    def groups(self) -> list[str]:
        """The compared groups, sorted."""
        return sorted(self.sizes)

    @property
    def has_groups(self) -> bool:
        """At least one group (enough for per-group means and shares)."""
        return len(self.sizes) >= 1

    @property
    def can_compare(self) -> bool:
        """At least two groups (enough for contrasts and distinctive words)."""
        return len(self.sizes) >= 2

    def describe(self, n_measures: int, max_named: int = 12) -> str:
        """One Markdown paragraph about the groups compared.

        It gives the articles, the measures, the ``max_named`` largest groups with their sizes, the
        articles left without a group, and why nothing can be compared, if so.

        Parameters
        ----------
        n_measures : int
        max_named : int

        Returns
        -------
        str
        """
        note = ""
        if self.has_groups:
            largest = compare.largest_groups(self.labels, max_named)
            note = (f"Groups by `{self.by}`: {len(self.groups)} ("
                    + ", ".join(f"{g} {fmt_int(self.sizes[g])}" for g in largest)
                    + (", ..." if len(self.groups) > max_named else "") + "). ")
            if (self.labels == "").any():
                note += (f"{fmt_int((self.labels == '').sum())} articles without a group are "
                         "left out. ")
        return (f"**{fmt_int(self.n_articles)} articles**, {n_measures} framing measures. " + note
                + ("" if self.can_compare else f"**Nothing to compare:** {self.reason}."))

    # --- the groups shown (notebooks 00-04) --------------------------------------------------

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
        """Axis title for the groups shown: the column, or "articles" for the single group."""
        return self.column or "articles"

    def label(self, group: str, unit: str = "") -> str:
        """Name of a group shown with its size, e.g. ``news report (n = 120)``.

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
        return f"{name} (n = {fmt_int(self.shown_sizes[group])}{' ' + unit if unit else ''})"

    def shown_labels(self, unit: str = "") -> list[str]:
        """:meth:`label` of every group shown, in drawing order.

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
            beyond, the groups shown and their labels with n ``unit``.
        """
        if self.per_article:
            ids = sorted(self.of.index)
            return ids, [labels[a] for a in ids]
        return list(self.names), self.shown_labels(unit)

    def row_of(self, article_ids: pd.Series) -> pd.Series:
        """The row of :meth:`rows` each record falls in.

        Parameters
        ----------
        article_ids : Series of str
            The article of every record.

        Returns
        -------
        Series
            ``article_ids`` itself while articles have rows, else the group shown of each.
        """
        return article_ids if self.per_article else article_ids.map(self.of)

    def ids(self, group: str) -> list[str]:
        """The article IDs of one group shown, sorted.

        Parameters
        ----------
        group : str

        Returns
        -------
        list of str
        """
        return sorted(self.of.index[self.of.to_numpy() == group])

    def describe_shown(self) -> str:
        """Caption text naming the groups shown and their sizes.

        Returns
        -------
        str
        """
        if not self.column:
            return (f"all {fmt_int(self.n_articles)} articles as one group (set the notebook "
                    f"parameter group_by to compare groups)")
        parts = ", ".join(self.label(g) for g in self.names)
        pooled = (f"; values beyond the {len(GROUP_PALETTE)} largest groups pooled as "
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
            return f" Colours: {self.describe_shown()}."
        return (f" With more than {switch} articles the figure shows groups, not articles: "
                f"{self.describe_shown()}" + (f"; {what}" if what else "") + ".")


def group_articles(features: pd.DataFrame, by: str = "", *, strict: bool = False,
                   width: int = 30) -> Grouping:
    """The groups of a features table by one metadata column (see :class:`Grouping`).

    ``by`` may be "" (no grouping) or, unless ``strict``, a column the table lacks: then there
    is no group to compare and ``reason`` says why, and every article is shown in the one group
    ``all``. Of the groups compared, missing or blank values are no group; of the groups shown,
    they are ``unknown``, values are shortened to ``width`` characters and beyond seven values
    the seven largest groups are kept (ties by name) and the others pooled as ``other groups``.

    Parameters
    ----------
    features : DataFrame
        The features table: ``article_id`` (else the index names the articles) and the
        metadata columns.
    by : str
        The column to group by.
    strict : bool
        Raise when ``by`` is not a column (notebooks 00-04: a misspelt column is not "no
        grouping").
    width : int
        Longest name of a group shown kept whole.

    Returns
    -------
    Grouping

    Raises
    ------
    ValueError
        ``strict`` and ``by`` is not a column of ``features``.

    Examples
    --------
    >>> g = group_articles(pd.DataFrame({"outlet": ["a", "b", "b", None]}), "outlet")
    >>> g.sizes, g.can_compare, g.names
    ({'b': 2, 'a': 1}, True, ('a', 'b', 'unknown'))
    >>> group_articles(pd.DataFrame({"outlet": ["a"]}), "genre").reason
    'features.csv has no column `genre`'
    """
    has_column = bool(by) and by in features.columns
    if strict and by and not has_column:
        text_cols = [c for c in features.columns if pd.api.types.is_string_dtype(features[c])]
        raise ValueError(f"group_by={by!r} is not a column of the features table; "
                         f"metadata columns: {', '.join(text_cols)}")
    labels = compare.group_labels(features, by) if has_column else pd.Series(dtype=object)
    sizes = labels[labels != ""].value_counts().to_dict()
    groups = sorted(sizes)
    reason = ("no `group_by` is set" if not by else
              f"features.csv has no column `{by}`" if not has_column else
              f"`{by}` is empty for every article" if not groups else
              f"every article has the same `{by}` ({groups[0]})" if len(groups) == 1 else "")
    column = by if has_column else ""
    of, pooled = _shown_groups(features, column, width)
    names = tuple(sorted(set(of) - {OTHER})) + ((OTHER,) if pooled else ())
    shown_colors = {g: GREY if pooled and g == OTHER else GROUP_PALETTE[i]
                    for i, g in enumerate(names)}
    counts = of.value_counts()
    shown_sizes = {g: int(counts.get(g, 0)) for g in names}
    if len(of) <= MAX_ARTICLE_COLORS:
        drawn = article_colors(of.index)
    else:
        drawn = dict(zip(of.index, of.map(shown_colors)))
    return Grouping(by=by, labels=labels, sizes=sizes, colors=group_colors(groups, sizes),
                    reason=reason, n_articles=len(features), column=column, of=of, names=names,
                    shown_sizes=shown_sizes, shown_colors=shown_colors, article_colors=drawn,
                    pooled=pooled)


def _shown_groups(features: pd.DataFrame, column: str, width: int) -> tuple[pd.Series, bool]:
    """Article ID -> group shown, and whether groups beyond the largest were pooled."""
    ids = (features["article_id"] if "article_id" in features.columns
           else features.index.to_series()).astype(str)
    if column:
        raw = features[column].fillna("").astype(str).str.split().str.join(" ")
        raw = raw.where(raw != "", UNKNOWN)
        raw = raw.where(raw.str.len() <= width, raw.str[:width - 1].str.rstrip() + "…")
    else:
        raw = pd.Series(ALL, index=features.index)
    of = pd.Series(raw.to_numpy(), index=pd.Index(ids.to_numpy(), name="article_id"), name="group")
    pooled = of.nunique() > len(GROUP_PALETTE)
    return (compare.pool_largest(of, len(GROUP_PALETTE)) if pooled else of), pooled

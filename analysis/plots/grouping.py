"""The groups of a notebook-05 comparison (:class:`Grouping`, :func:`group_articles`) and the
figure each of its steps returns (:class:`GroupFigure`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from .. import compare
from ..figures import fmt_int
from .layout import group_colors, placeholder

__all__ = ["Grouping", "group_articles", "GroupFigure", "not_drawn"]


@dataclass
class Grouping:
    """The groups of a comparison, made by :func:`group_articles`.

    Which article is in which group, the sizes and colours of the groups, and why nothing can be
    compared when that is the case.

    Attributes
    ----------
    by : str
        The metadata column of the groups ("" when none was chosen).
    labels : Series of str
        The group of every article, indexed like the features table ("" without a group);
        empty when ``by`` is not a column.
    sizes : dict
        Group -> number of articles (articles without a group left out).
    colors : dict
        Group -> colour (:func:`group_colors`), the same in every figure.
    reason : str
        Why there is nothing to compare ("" with two or more groups).
    n_articles : int
        Articles in the features table.
    """

    by: str
    labels: pd.Series
    sizes: dict
    colors: dict
    reason: str
    n_articles: int

    @property
    def groups(self) -> list[str]:
        """The group names, sorted."""
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
        """One Markdown paragraph about the groups.

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


def group_articles(features: pd.DataFrame, by: str) -> Grouping:
    """The groups of a features table by one metadata column (see :class:`Grouping`).

    Missing or blank values are no group. ``by`` may be "" (no grouping) or a column the table
    lacks: the result then has no group and says why in ``reason``.

    Parameters
    ----------
    features : DataFrame
    by : str
        The metadata column.

    Returns
    -------
    Grouping

    Examples
    --------
    >>> g = group_articles(pd.DataFrame({"outlet": ["a", "b", "b", None]}), "outlet")
    >>> g.sizes, g.can_compare
    ({'b': 2, 'a': 1}, True)
    >>> group_articles(pd.DataFrame({"outlet": ["a"]}), "genre").reason
    'features.csv has no column `genre`'
    """
    has_column = bool(by) and by in features.columns
    labels = compare.group_labels(features, by) if has_column else pd.Series(dtype=object)
    sizes = labels[labels != ""].value_counts().to_dict()
    groups = sorted(sizes)
    reason = ("no `group_by` is set" if not by else
              f"features.csv has no column `{by}`" if not has_column else
              f"`{by}` is empty for every article" if not groups else
              f"every article has the same `{by}` ({groups[0]})" if len(groups) == 1 else "")
    return Grouping(by=by, labels=labels, sizes=sizes, colors=group_colors(groups, sizes),
                    reason=reason, n_articles=len(features))


@dataclass
class GroupFigure:
    """A figure of notebook 05 with its caption and what the notebook shows beside it.

    Attributes
    ----------
    fig : Figure
        The figure, or a placeholder saying why it could not be drawn.
    caption : str
    data : DataFrame or None
        The table the figure was drawn from (None when it was not drawn).
    table : DataFrame or None
        The view of ``data`` shown in the notebook (a pivot or the first rows).
    note : str
        Markdown shown above ``table``: a summary, or why the figure was not drawn.
    inputs : list of Path
        Files read besides features.csv (for :func:`analysis.figures.save_figure`).
    """

    fig: plt.Figure
    caption: str
    data: pd.DataFrame | None = None
    table: pd.DataFrame | None = None
    note: str = ""
    inputs: list = field(default_factory=list)

    def display(self) -> None:
        """Show ``note`` (as Markdown) and ``table`` in a notebook; nothing when empty."""
        from IPython.display import Markdown, display  # late: heavy

        if self.note:
            display(Markdown(self.note))
        if self.table is not None:
            display(self.table)


def not_drawn(what: str, text: str, *, prefix: str = "", note: str = "",
              inputs=()) -> GroupFigure:
    """A :class:`GroupFigure` whose figure is a placeholder saying why it was not drawn.

    Parameters
    ----------
    what : str
        The figure's name ("Timeline").
    text : str
        Why it was not drawn; the caption is "<what> not drawn: <text>".
    prefix : str
        Put before ``text`` in the placeholder only.
    note : str
    inputs : iterable of Path
        As in :class:`GroupFigure`.

    Returns
    -------
    GroupFigure
    """
    return GroupFigure(placeholder(f"{what} not drawn", prefix + text),
                       f"{what} not drawn: {text}", note=note, inputs=list(inputs))

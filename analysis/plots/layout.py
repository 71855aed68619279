"""Colours, size rules and caption pieces shared by the figures of groups.

- Colour is the group, never the article (:func:`group_colors`): :data:`GROUP_PALETTE`
  (Okabe-Ito without yellow, :data:`analysis.figures.OKABE_ITO`) for up to seven groups, in
  name order; with more, the seven largest keep a colour and the others are :data:`GREY`, as is
  the pooled remainder :data:`~analysis.compare.OTHER`.
- A figure side stays under :data:`MAX_INCHES`, so that at the house 200 dpi no PNG exceeds
  4,000 pixels.
- Labels are wrapped on at most two lines and cut with "…" (:func:`wrap_label`); a figure draws
  the ``max_rows`` largest groups (:func:`shown_groups`, ranked by :func:`ranked_groups`, that
  is by :func:`analysis.compare.largest_groups`) and its caption says how many it left out
  (:func:`omitted_note`).
- A figure that cannot be drawn is replaced by a :func:`placeholder` that says why.
"""

from __future__ import annotations

import textwrap
from collections import Counter

import matplotlib.pyplot as plt
import pandas as pd

from ..compare import OTHER, largest_groups
from ..figures import OKABE_ITO, fmt_int
from ..measures.registry import column_of

__all__ = ["GROUP_PALETTE", "GREY", "MAX_INCHES", "group_colors", "wrap_label", "measure_unit",
           "ranked_groups", "shown_groups", "placeholder", "omitted_note", "n_range"]

# Okabe & Ito (2008) without yellow, the last of OKABE_ITO (hard to see on white as a dot or a
# line); groups beyond the seven largest, and the pooled remainder, in a neutral grey.
GROUP_PALETTE = OKABE_ITO[:7]
GREY = "#999999"
MAX_INCHES = 19.0  # 3,800 px at 200 dpi, plus save_figure's 0.1 in padding: under 4,000 px


def group_colors(groups, sizes=None) -> dict[str, str]:
    """One colour per group, the same in every figure of a notebook.

    Up to seven groups: Okabe–Ito colours in name order. More: the seven largest (by ``sizes``;
    ties by name) get the colours, in name order, and the others grey; :data:`OTHER` ("other
    groups", the pooled remainder) is always grey.

    Parameters
    ----------
    groups : iterable of str
    sizes : mapping, optional
        Group -> number of articles (default: all equal, so the first seven names).

    Returns
    -------
    dict

    Examples
    --------
    >>> group_colors(["b", "a"])
    {'a': '#E69F00', 'b': '#56B4E9', 'other groups': '#999999'}
    """
    names = sorted(dict.fromkeys(str(g) for g in groups if str(g) != OTHER))
    if len(names) > len(GROUP_PALETTE):
        coloured = shown_groups(names, sizes or {}, len(GROUP_PALETTE))
    else:
        coloured = names
    out = {g: GREY for g in names}
    out.update({g: GROUP_PALETTE[i] for i, g in enumerate(coloured)})
    out[OTHER] = GREY
    return out


def wrap_label(text, width: int = 24, max_lines: int = 2) -> str:
    """Wrap a label on a few lines, cut with "…" when it is longer.

    Parameters
    ----------
    text : object
        Converted to str; runs of white space become one space.
    width : int
        Characters per line.
    max_lines : int

    Returns
    -------
    str

    Examples
    --------
    >>> wrap_label("The Riverton Evening Post opinion section", 16)
    'The Riverton\\nEvening Post…'
    """
    text = " ".join(str(text).split())
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = lines[:max_lines - 1] + [last[:max(width - 1, 1)].rstrip() + "…"]
    return "\n".join(lines)


def measure_unit(measure: str) -> str:
    """A short unit for a framing measure column, for a panel subtitle: the scale its measure
    declares (:func:`analysis.measures.column_of`).

    Parameters
    ----------
    measure : str
        A column of the features table.

    Returns
    -------
    str
        "" when no registered measure declares the column.

    Examples
    --------
    >>> measure_unit("emph_economics"), measure_unit("src_share_council")
    ('per 1,000 words', 'share, 0 to 1')
    """
    column = column_of(measure)
    return column.scale if column is not None else ""


def shown_groups(groups, sizes: dict, max_rows: int) -> list[str]:
    """The ``max_rows`` largest groups (ties by name), in name order.

    Parameters
    ----------
    groups : iterable of str
    sizes : dict
        Group -> number of articles.
    max_rows : int

    Returns
    -------
    list of str

    Examples
    --------
    >>> shown_groups(["a", "b", "c"], {"a": 1, "b": 5, "c": 5}, 2)
    ['b', 'c']
    """
    return sorted(ranked_groups(groups, sizes)[:max_rows])


def ranked_groups(groups, sizes: dict) -> list[str]:
    """The groups largest first, ties by name: :func:`analysis.compare.largest_groups` of the
    sizes, then the groups without an article, by name.

    Parameters
    ----------
    groups : iterable of str
    sizes : dict
        Group -> number of articles (a group not in it has none).

    Returns
    -------
    list of str

    Examples
    --------
    >>> ranked_groups(["a", "b", "c", "d"], {"a": 1, "b": 5, "c": 5})
    ['b', 'c', 'a', 'd']
    """
    names = list(dict.fromkeys(str(g) for g in groups))
    counted = Counter({g: int(sizes.get(g, 0)) for g in names})
    ranked = [g for g in largest_groups(counted.elements()) if g in counted]
    rest = set(names) - set(ranked)
    return ranked + sorted(rest, key=lambda g: (-int(sizes.get(g, 0)), g))


def placeholder(title: str, message: str):
    """A small figure that says why a figure could not be drawn.

    Saved under the figure's ID, so the ID still exists.

    Parameters
    ----------
    title : str
    message : str
        Wrapped at 95 characters.

    Returns
    -------
    Figure
    """
    fig = plt.figure(figsize=(6.5, 1.9))
    fig.text(0.02, 0.85, title, ha="left", va="top", fontsize=10, weight="bold")
    fig.text(0.02, 0.6, textwrap.fill(message, 95), ha="left", va="top", fontsize=8.5,
             color="#333333")
    return fig


def omitted_note(n_shown: int, n_all: int, what: str) -> str:
    """Caption sentence on the rows a figure leaves out.

    Parameters
    ----------
    n_shown, n_all : int
        Rows drawn, rows in the table.
    what : str
        What the rows are ("groups").

    Returns
    -------
    str
        "" when nothing was left out.
    """
    return (f" The {n_shown} largest of {n_all} {what} are shown (the table has all)."
            if n_all > n_shown else "")


def n_range(values) -> str:
    """The range of some counts, for a caption: ``5`` or ``3–12``.

    Parameters
    ----------
    values : iterable of numbers
        NaN values are left out.

    Returns
    -------
    str
        "0" without any value.
    """
    v = [int(x) for x in values if pd.notna(x)]
    if not v:
        return "0"
    return fmt_int(min(v)) if min(v) == max(v) else f"{fmt_int(min(v))}–{fmt_int(max(v))}"

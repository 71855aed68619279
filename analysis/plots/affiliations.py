"""Which source affiliations a figure shows, in which order, and what its caption says of them.

An affiliation is a ``source_affiliation`` value of the attributions table, or the ``<key>`` of a
``src_share_<key>`` column of the features table: an actor of the study, a country (a study
without actors), ``other``, ``multiple`` or ``unknown``. Figures draw the study's actors in the
study's order; other keys (countries) by their weight in the data, largest first (ties by key),
at most :data:`MAX_COUNTRIES` of them, the rest drawn together as
:data:`~analysis.figures.FOLDED`; then ``other``, ``multiple``, ``unknown``. Labels, colours
and hatches come from :func:`analysis.figures.affiliation_style`.

Examples
--------
>>> from analysis.study import Study
>>> affiliation_keys({"kenya": 3, "peru": 5, "unknown": 1}, Study())
(['peru', 'kenya', 'unknown'], [])
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..figures import FOLDED, affiliation_style
from ..measures.sources.indices import SHARE_PREFIX, side_share
from ..study import RESERVED, resolve_study

__all__ = ["MAX_COUNTRIES", "SHARE_PREFIX", "affiliation_keys", "fold_affiliations",
           "share_table", "fold_note", "meaning_note", "median_note"]

MAX_COUNTRIES = 6  # countries (keys that are no actor) named in a figure; the rest are folded


def affiliation_keys(weights: Mapping, study=None,
                     max_countries: int = MAX_COUNTRIES) -> tuple[list[str], list[str]]:
    """The affiliations to draw, in drawing order, and the countries folded together.

    Parameters
    ----------
    weights : mapping
        Key -> weight in the data (attributions, or a mean share); NaN counts as 0.
    study : Study, str, Path or None
        :func:`analysis.study.resolve_study`.
    max_countries : int
        Keys that are no actor (countries) named at most; beyond, the rest are one
        :data:`~analysis.figures.FOLDED` key.

    Returns
    -------
    (list of str, list of str)
        Every declared actor in study order; the other keys with a weight above 0, largest
        first (ties by key), up to ``max_countries``, then ``FOLDED`` when any is left (or
        ``weights`` has it); then
        ``other``, ``multiple``, ``unknown`` when they are in ``weights``. And the folded keys,
        largest first.
    """
    study = resolve_study(study)
    w = {str(k): (0.0 if pd.isna(v) else float(v)) for k, v in weights.items()}
    actors = [a.key for a in study.actors]
    rest = sorted((k for k in w if k not in actors and k not in RESERVED and k != FOLDED
                   and w[k] > 0), key=lambda k: (-w[k], k))
    if len(rest) > max_countries + 1:  # folding a single country would hide it for nothing
        shown, folded = rest[:max_countries], rest[max_countries:]
    else:
        shown, folded = rest, []
    folded_already = w.get(FOLDED, 0) > 0  # a table whose countries were folded before
    return (actors + shown + ([FOLDED] if folded or folded_already else [])
            + [k for k in RESERVED if k in w], folded)


def fold_affiliations(values, study=None,
                      max_countries: int = MAX_COUNTRIES) -> tuple[pd.Series, list[str], list[str]]:
    """``source_affiliation`` values with the countries beyond the limit folded together.

    Parameters
    ----------
    values : array-like
        ``source_affiliation`` of every attribution; empty values count as ``unknown``.
    study, max_countries
        As in :func:`affiliation_keys`, weighted by the number of attributions.

    Returns
    -------
    (Series, list of str, list of str)
        The values (folded countries replaced by :data:`~analysis.figures.FOLDED`), the keys
        to draw (``other``, ``multiple`` and ``unknown`` always) and the folded keys.

    Examples
    --------
    >>> from analysis.study import Study
    >>> v, keys, folded = fold_affiliations(["chile"] * 3 + ["peru", "fiji", ""], Study(), 1)
    >>> v.tolist(), keys, folded
    (['chile', 'chile', 'chile', 'other countries', 'other countries', 'unknown'], \
['chile', 'other countries', 'other', 'multiple', 'unknown'], ['fiji', 'peru'])
    """
    s = pd.Series(values, dtype=object)
    s = s.where(s.notna(), "").astype(str).str.strip().replace("", "unknown")
    counts = {**dict.fromkeys(RESERVED, 0), **s.value_counts().to_dict()}
    keys, folded = affiliation_keys(counts, study, max_countries)
    if folded:
        s = s.where(~s.isin(folded), FOLDED)
    return s, keys, folded


def share_table(features: pd.DataFrame, study=None,
                max_countries: int = MAX_COUNTRIES) -> tuple[pd.DataFrame, list[str]]:
    """The ``src_share_<key>`` columns of a features table, as drawn.

    Parameters
    ----------
    features : DataFrame
    study, max_countries
        As in :func:`affiliation_keys`, weighted by the mean share over the articles with
        attributions.

    Returns
    -------
    (DataFrame, list of str)
        Columns: the keys to draw that have a column (folded countries summed in
        :data:`~analysis.figures.FOLDED`), indexed like ``features``, NaN for articles without
        attributions; and the folded keys.
    """
    cols = [c for c in features.columns if isinstance(c, str) and side_share(c)]
    table = features[cols].apply(pd.to_numeric, errors="coerce").astype(float)
    table.columns = [c[len(SHARE_PREFIX):] for c in cols]
    keys, folded = affiliation_keys(table.mean().to_dict(), study, max_countries)
    if folded:
        table[FOLDED] = table[folded].sum(axis=1, min_count=1)
    return table[[k for k in keys if k in table.columns]], folded


def fold_note(folded, study=None, max_countries: int = MAX_COUNTRIES,
              ranked_by: str = "the most attributions", names: int = 8) -> str:
    """Caption sentence on the folded countries ("" when none is folded).

    Parameters
    ----------
    folded : list of str
        :func:`affiliation_keys`' folded keys, largest first.
    study : Study, str, Path or None
    max_countries : int
    ranked_by : str
        What ranked them ("the most attributions", "the largest mean share").
    names : int
        Folded countries named at most.
    """
    if not len(folded):
        return ""
    labels = [label for label, _c, _h in affiliation_style(folded, study).values()]
    more = f" and {len(labels) - names} more" if len(labels) > names else ""
    return (f" The {max_countries} countries with {ranked_by} are named; the other "
            f"{len(labels)} ({', '.join(labels[:names])}{more}) are drawn as one, "
            f"'{FOLDED}'.")


def meaning_note(study=None, marks: bool = True) -> str:
    """Caption sentence on what the affiliations are and what ``other``, ``multiple`` and
    ``unknown`` mean; ``marks``: with their fills (dotted, hatched) in stacked bars."""
    study = resolve_study(study)
    dotted, hatched = (" (dotted)", " (hatched)") if marks else ("", "")
    if study.actors:
        sides = ", ".join(a.label for a in study.actors)
        return (f" Affiliations are the study's sides ({sides}); 'other'{dotted}: tied to "
                f"none of them (a third party); 'multiple'{hatched}: the source phrase names "
                "several; 'unknown': tied to none by its words or the registry.")
    return (" Affiliations are the countries a source is tied to by its words or the registry; "
            f"'other'{dotted}: tied to no country (e.g. an international body); 'multiple'"
            f"{hatched}: the source phrase names several; 'unknown': tied to none.")


def median_note(features: pd.DataFrame, study=None, max_countries: int = MAX_COUNTRIES,
                count_column: str = "src_n_attributions") -> str:
    """Caption sentence: the median share of each named affiliation over the articles with
    attributions ("" without ``src_share_*`` columns or attributions).

    Examples
    --------
    >>> from analysis.study import parse_study
    >>> s = parse_study("actors: {council: {words: [council]}, union: {words: [union]}}")
    >>> f = pd.DataFrame({"src_n_attributions": [2, 4, 0], "src_share_council": [0.5, 1, None],
    ...                   "src_share_union": [0.5, 0, None], "src_share_unknown": [0, 0, None]})
    >>> median_note(f, s)
    ' Median share over the 2 articles with attributions: Council 0.75, Union 0.25.'
    """
    table, _folded = share_table(features, study, max_countries)
    named = [k for k in table.columns if k not in RESERVED and k != FOLDED]
    if count_column in features:
        has = pd.to_numeric(features[count_column], errors="coerce").fillna(0).to_numpy() > 0
    else:
        has = table.notna().any(axis=1).to_numpy()
    if not named or not has.any():
        return ""
    styles = affiliation_style(named, study)
    parts = [f"{styles[k][0]} {np.nanmedian(table.loc[has, k].to_numpy(float)):.2f}"
             for k in named if table.loc[has, k].notna().any()]
    n = int(has.sum())
    return (f" Median share over the {n:,} article{'s' if n != 1 else ''} with attributions: "
            + ", ".join(parts) + ".") if parts else ""

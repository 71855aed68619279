"""Measures, groups and group summaries: which columns are framing measures, which group each
article belongs to, and the mean, median and article-bootstrap interval of every measure in
every group (:func:`group_summary`).

The helpers below (:func:`as_text`, :func:`in_article_order`, :func:`select_measures`,
:func:`measure_values`, :func:`round_floats`) are shared by the other stages of
:mod:`analysis.compare`, so that every table reads groups, orders articles and rounds floats
the same way.
"""

from __future__ import annotations

import warnings
from collections import Counter

import numpy as np
import pandas as pd

from ..measures import families, measure_of
from ..stats import article_rng
from ..tables import DECIMALS
from .resampling import bootstrap_means, nan_column_means, percentile_interval

CUE_RATES = ("optimism", "caution", "hedging", "boosting")  # the tone measure's cue rates
INTERVAL_SUFFIXES = ("_lo", "_hi")
OTHER = "other groups"  # label of pooled groups (figures)
SUMMARY_COLUMNS = ["measure", "group", "n", "mean", "median", "lo", "hi"]


# --------------------------------------------------------------------------------------------
# Columns and groups
# --------------------------------------------------------------------------------------------

def is_measure_dtype(s: pd.Series) -> bool:
    """Whether a column can hold a measure: numeric and not boolean.

    Parameters
    ----------
    s : Series

    Returns
    -------
    bool
    """
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def measure_families(features: pd.DataFrame) -> dict[str, list[str]]:
    """The framing measure columns of a features table, by family.

    Parameters
    ----------
    features : DataFrame
        A features table (``features.csv``).

    Returns
    -------
    dict
        Family -> columns, one key per family of the registered measures that declare columns,
        in registry order (:mod:`analysis.measures.registry`): built in ``{"tone": [...],
        "emphasis": [...], "sources": [...]}``. A column belongs to the family of the measure
        that declares it, by its exact name or a declared pattern. Tone: ``tone_mean``,
        ``tone_mean_adapted``, the shares, the cue rates (:data:`CUE_RATES`) and
        ``net_optimism``; emphasis: ``emph_<key>`` (rates and ``_share`` twins); sources:
        ``src_*`` (counts, shares, indices). Only numeric, non-boolean point estimates:
        interval bounds (``_lo``, ``_hi``), IDs, metadata, text columns and columns no measure
        declares are left out. Within a family, columns keep their order in the table.

    Examples
    --------
    >>> measure_families(pd.DataFrame({"net_optimism": [0.1], "net_optimism_lo": [0.0],
    ...                                "emph_economics": [2.0], "outlet": ["a"]}))
    {'tone': ['net_optimism'], 'emphasis': ['emph_economics'], 'sources': []}
    """
    numeric = [c for c in features.columns if isinstance(c, str) and is_measure_dtype(features[c])
               and not c.endswith(INTERVAL_SUFFIXES)]
    out: dict[str, list[str]] = {f: [] for f in families()}
    for c in numeric:
        m = measure_of(c)
        if m is not None:
            out[m.family].append(c)
    return out


def measure_columns(features: pd.DataFrame) -> list[str]:
    """The framing measure columns (point estimates) of a features table, in a fixed order.

    Family by family in registry order (built in: tone, emphasis, sources; see
    :func:`measure_families`), each family in the order of the table.

    Parameters
    ----------
    features : DataFrame
        A features table.

    Returns
    -------
    list of str

    Examples
    --------
    >>> measure_columns(pd.DataFrame({"src_entropy": [1.0], "n_words": [300], "net_optimism": [0.1],
    ...                        "net_optimism_hi": [0.2]}))
    ['net_optimism', 'src_entropy']
    """
    return [c for cols in measure_families(features).values() for c in cols]


def as_text(values) -> pd.Series:
    """Values as stripped text; missing values become "".

    Parameters
    ----------
    values : array-like

    Returns
    -------
    Series of str
        With a fresh ``RangeIndex``.
    """
    s = pd.Series(values)
    missing = s.isna().to_numpy()
    out = s.astype(str).str.strip().to_numpy(dtype=object)
    out[missing] = ""
    return pd.Series(out, dtype=object)


def group_labels(features: pd.DataFrame, by: str) -> pd.Series:
    """The group of every article as text ("" when missing), indexed like ``features``.

    Parameters
    ----------
    features : DataFrame
    by : str
        Column holding the group (outlet, genre, ...).

    Returns
    -------
    Series of str

    Examples
    --------
    >>> group_labels(pd.DataFrame({"outlet": ["a", None, 3]}), "outlet").tolist()
    ['a', '', '3']
    """
    if by not in features.columns:
        raise KeyError(f"no column '{by}' in the features table "
                       f"(columns: {', '.join(map(str, features.columns[:30]))})")
    out = as_text(features[by].to_numpy())
    out.index = features.index
    return out


def largest_groups(labels, k: int | None = None) -> list[str]:
    """Group names by size, largest first (ties by name).

    Parameters
    ----------
    labels : iterable
        The group of every article; empty labels are not a group.
    k : int, optional
        Keep only the first ``k`` names.

    Returns
    -------
    list of str

    Examples
    --------
    >>> largest_groups(["b", "a", "b", "c", "a", ""], 2)
    ['a', 'b']
    """
    counts = Counter(str(v) for v in labels if str(v) != "")
    ranked = sorted(counts, key=lambda g: (-counts[g], g))
    return ranked if k is None else ranked[:k]


def pool_largest(labels: pd.Series, k: int) -> pd.Series:
    """Keep the ``k`` largest groups, pool the rest as :data:`OTHER`.

    The groups are ranked by :func:`largest_groups` (size, ties by name); empty labels (no
    group) stay empty.

    Parameters
    ----------
    labels : Series of str
        The group of every article.
    k : int

    Returns
    -------
    Series of str
        ``labels`` with every group beyond the ``k`` largest replaced by ``other groups``.

    Examples
    --------
    >>> pool_largest(pd.Series(["a", "b", "b", "c", ""]), 1).tolist()
    ['other groups', 'b', 'b', 'other groups', '']
    """
    keep = largest_groups(labels, k)
    return labels.where(labels.isin(keep) | (labels == ""), OTHER)


def in_article_order(features: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by ``article_id`` (stable) when there is one.

    Every stage sorts its input this way, so that results do not depend on the order of the
    input rows.

    Parameters
    ----------
    features : DataFrame

    Returns
    -------
    DataFrame
        ``features`` itself when it has no ``article_id`` column.
    """
    if "article_id" not in features.columns:
        return features
    ids = as_text(features["article_id"].to_numpy()).to_numpy()
    order = np.argsort(ids, kind="stable")
    return features.iloc[order]


def select_measures(features: pd.DataFrame, cols) -> list[str]:
    """The measure columns a stage works on, checked against the table.

    Parameters
    ----------
    features : DataFrame
    cols : None, str or list of str
        None: :func:`measure_columns` of ``features``; duplicates are dropped, order is kept.

    Returns
    -------
    list of str

    Raises
    ------
    KeyError
        When a named column is not in ``features``.
    """
    if cols is None:
        cols = measure_columns(features)
    elif isinstance(cols, str):
        cols = [cols]
    cols = list(dict.fromkeys(cols))
    missing = [c for c in cols if c not in features.columns]
    if missing:
        raise KeyError(f"no measure column(s) {', '.join(missing)} in the features table")
    return cols


def measure_values(features: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """The columns ``cols`` as a float matrix (articles x columns); unreadable values are NaN.

    Parameters
    ----------
    features : DataFrame
    cols : list of str

    Returns
    -------
    ndarray of shape (len(features), len(cols))
    """
    if not cols:
        return np.zeros((len(features), 0))
    return features[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)


def round_floats(df: pd.DataFrame) -> pd.DataFrame:
    """Round the float columns of ``df`` in place to :data:`analysis.tables.DECIMALS` decimals.

    Parameters
    ----------
    df : DataFrame

    Returns
    -------
    DataFrame
        ``df`` itself; no ``-0.0`` is left in it.
    """
    for c in df.columns:
        if pd.api.types.is_float_dtype(df[c]):
            df[c] = df[c].round(DECIMALS) + 0.0  # + 0.0: no "-0.0" in the output
    return df


# --------------------------------------------------------------------------------------------
# Group summaries
# --------------------------------------------------------------------------------------------

def group_summary(features: pd.DataFrame, by: str | None, measures=None, n_resamples: int = 2000,
                  random_state: int = 0) -> pd.DataFrame:
    """Mean, median and 95% article-bootstrap interval of every measure in every group.

    Parameters
    ----------
    features : DataFrame
        One row per article.
    by : str or None
        The group column; None puts every article in one group, ``"all"``.
    measures : list of str, optional
        Measure columns; default :func:`measure_columns` of ``features``.
    n_resamples : int, default 2000
        Bootstrap resamples of the group's articles (drawn with replacement, group size kept).
    random_state : int, default 0
        Seed; each group draws from its own generator (seeded with its name).

    Returns
    -------
    DataFrame
        Columns ``measure, group, n, mean, median, lo, hi``: ``n`` articles with a value of the
        measure, their ``mean`` and ``median``, and the 95% percentile interval of the mean
        (``lo``, ``hi``; NaN for one article or none: an interval is not estimable from one
        article, and a zero-width one would claim certainty). Rows by measure (in
        ``measures`` order), then group name. ``.attrs["n_without_group"]``: articles left out
        because their group is empty.

    Examples
    --------
    >>> df = pd.DataFrame({"outlet": ["a", "a", "b"], "net_optimism": [0.1, 0.3, -0.2]})
    >>> group_summary(df, "outlet", n_resamples=200)[["group", "n", "mean"]]
      group  n  mean
    0     a  2   0.2
    1     b  1  -0.2
    """
    features = in_article_order(features)
    cols = select_measures(features, measures)
    labels = (pd.Series("all", index=features.index, dtype=object) if by is None
              else group_labels(features, by))
    keep = labels != ""
    values = measure_values(features, cols)[keep.to_numpy()]
    labels = labels[keep].to_numpy()
    groups = sorted(set(labels.tolist()))
    rows = []
    for g in groups:
        x = values[labels == g]
        draws = bootstrap_means(x, n_resamples, article_rng(random_state, f"group:{g}"))
        lo, hi = percentile_interval(draws)
        n = (~np.isnan(x)).sum(axis=0)
        mean = nan_column_means(x)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            median = np.nanmedian(x, axis=0) if len(x) else np.full(len(cols), np.nan)
        for j, c in enumerate(cols):
            rows.append({"measure": c, "group": g, "n": int(n[j]), "mean": mean[j],
                         "median": median[j], "lo": lo[j] if n[j] > 1 else np.nan,
                         "hi": hi[j] if n[j] > 1 else np.nan})
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    order = {c: i for i, c in enumerate(cols)}
    out = out.sort_values(["measure", "group"], key=lambda s: s.map(order) if s.name == "measure"
                          else s, kind="stable").reset_index(drop=True)
    out = round_floats(out)
    out.attrs["n_without_group"] = int((~keep).sum())
    out.attrs["n_resamples"] = int(n_resamples)
    return out

"""The columns of a loaded corpus: the fixed metadata columns, and the renaming of a metadata
column named like a feature column (``n_words`` becomes ``meta_n_words``)."""

from __future__ import annotations

import warnings
from typing import Callable, Iterable

import pandas as pd

from ..tables import BASE_COLUMNS
from .problems import ProblemCollector

__all__ = ["METADATA_COLUMNS", "METADATA_PREFIX", "FEATURE_COLUMNS", "FEATURE_PREFIXES",
           "is_feature_column", "metadata_renames", "report_renames", "empty_frame"]

METADATA_COLUMNS = ["article_id", "file", "title", "outlet", "date", "genre", "url"]
METADATA_PREFIX = "meta_"  # given to a metadata column named like a feature column

# The columns the scorers write (``make_scorers()``), listed here so that loading a corpus does
# not import them (and spaCy). Any ``emph_*`` and ``src_share_*`` name is reserved too. tests/test_bad_input.py checks this list against the scorers.
FEATURE_COLUMNS = frozenset([
    *BASE_COLUMNS,
    "tone_mean", "tone_mean_lo", "tone_mean_hi", "tone_pos_share", "tone_neg_share",
    "tone_mean_adapted", "tone_mean_adapted_lo", "tone_mean_adapted_hi",
    "optimism", "caution", "hedging", "boosting",
    "net_optimism", "net_optimism_lo", "net_optimism_hi",
    "frame_dominant",
    "src_n_attributions", "src_n_unique", "src_n_types", "src_entropy", "src_entropy_lo",
    "src_entropy_hi", "src_simpson", "src_official_share", "src_anonymous_share",
    "src_direct_quote_share",
])
# emph_<key>: user dictionaries; src_share_<key>: one per study actor (or country found).
FEATURE_PREFIXES = ("emph_", "src_share_")


def is_feature_column(name: str) -> bool:
    """Whether ``name`` is, or may be, a column of the features table.

    Parameters
    ----------
    name : str

    Returns
    -------
    bool
        True for a name of ``FEATURE_COLUMNS`` (the base counts and the default scorers'
        columns) and for any name starting ``emph_`` or ``src_share_``.
    """
    return name in FEATURE_COLUMNS or name.startswith(FEATURE_PREFIXES)


def metadata_renames(columns: Iterable[str], reserved: Callable[[str], bool] | set | None = None,
                     *, taken: Iterable[str] = (), warn: bool = False) -> dict[str, str]:
    """New names for the metadata columns that clash with feature columns.

    A clashing column ``c`` becomes ``meta_<c>`` (``meta_meta_<c>`` if that name is taken too),
    so merging metadata and features never produces pandas' ``_x``/``_y`` suffixes.

    Parameters
    ----------
    columns : iterable of str
        The metadata columns; ``article_id`` and ``text`` are never renamed.
    reserved : set of str or callable, optional
        The names that clash, as a set or a predicate (default :func:`is_feature_column`).
    taken : iterable of str
        Further names a new name must avoid.
    warn : bool, default False
        Also issue each rename as a warning (for callers that have no problems list, such as
        :func:`analysis.features.score_chunk`).

    Returns
    -------
    dict
        ``{old: new}`` for the clashing columns only.

    Examples
    --------
    >>> metadata_renames(["title", "n_words", "emph_peace"])
    {'n_words': 'meta_n_words', 'emph_peace': 'meta_emph_peace'}
    """
    columns = list(columns)
    if reserved is None:
        clash = is_feature_column
    elif callable(reserved):
        clash = reserved
    else:
        names = set(reserved)
        clash = names.__contains__
    used = set(columns) | set(taken)
    out: dict[str, str] = {}
    for c in columns:
        if c in ("article_id", "text") or not isinstance(c, str) or not clash(c):
            continue
        new = METADATA_PREFIX + c
        while new in used or clash(new):
            new = METADATA_PREFIX + new
        used.add(new)
        out[c] = new
        if warn:
            warnings.warn(f"metadata column '{c}' has the name of a feature column; "
                          f"renamed '{new}'", stacklevel=2)
    return out


def report_renames(renames: dict[str, str], source: str, col: ProblemCollector) -> None:
    """Report each renamed column as a ``renamed_column`` problem of ``source``.

    Parameters
    ----------
    renames : dict
        ``{old: new}``, as :func:`metadata_renames` returns (``text`` may be among them: a
        ``text`` column of ``metadata.csv`` is kept under another name).
    source : str
        Where the columns are named (``file.csv:1``).
    col : ProblemCollector

    Returns
    -------
    None
    """
    for old, new in renames.items():
        why = ("the article text is the file's" if old == "text"
               else "it has the name of a feature column")
        col.add(source, "", "renamed_column",
                f"column '{old}' renamed '{new}': {why} (features.csv keeps both)")


def empty_frame(extra: list[str]) -> pd.DataFrame:
    """A corpus without articles: columns ``article_id, text`` and ``extra``, all text.

    Parameters
    ----------
    extra : list of str
        The metadata columns.

    Returns
    -------
    DataFrame
        No rows, object columns.
    """
    return pd.DataFrame({c: pd.Series(dtype="object") for c in ["article_id", "text", *extra]})

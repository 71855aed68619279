"""The columns of a loaded corpus: the fixed metadata columns, and the renaming of a metadata
column named like a feature column (``n_words`` becomes ``meta_n_words``)."""

from __future__ import annotations

import warnings
from typing import Callable, Iterable

import pandas as pd

from ..measures.registry import column_of
from ..tables import BASE_COLUMNS
from .problems import ProblemCollector

__all__ = ["METADATA_COLUMNS", "METADATA_PREFIX", "is_feature_column", "metadata_renames",
           "report_renames", "empty_frame"]

METADATA_COLUMNS = ["article_id", "file", "title", "outlet", "date", "genre", "url"]
METADATA_PREFIX = "meta_"  # given to a metadata column named like a feature column


def is_feature_column(name: str) -> bool:
    """Whether ``name`` is, or may be, a column of the features table.

    Parameters
    ----------
    name : str

    Returns
    -------
    bool
        True for a base count (``n_words``, ...) and for a column a registered measure declares
        (:mod:`analysis.measures.registry`), its interval twins and the columns its patterns
        name (``emph_<key>``, ``src_share_<side>``).
    """
    return name in BASE_COLUMNS or column_of(name) is not None


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

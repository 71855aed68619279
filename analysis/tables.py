"""The tables ``python -m analysis features`` writes: their fixed columns, the record a scorer
returns, and a reader that keeps IDs as text.

Kept free of spaCy and scikit-learn so that notebooks, which only read tables, start quickly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .formulas import restore_cells

__all__ = ["Scored", "read_table", "BASE_COLUMNS", "EVIDENCE_COLUMNS", "AUDIT_COLUMNS",
           "NOT_REMOVALS", "DECIMALS", "TEXT_COLUMNS"]

BASE_COLUMNS = ["n_words", "n_sentences", "n_headings", "n_boilerplate_removed"]
EVIDENCE_COLUMNS = ["article_id", "sentence_id", "feature", "term", "start", "end", "sentence"]
AUDIT_COLUMNS = ["article_id", "line", "text", "rule"]
NOT_REMOVALS = {"mojibake", "unicode", "joined_line"}  # audited edits that drop no text
DECIMALS = 6  # floats are rounded so tables are byte-stable across platforms
TEXT_COLUMNS = {"article_id", "file", "title", "outlet", "date", "genre", "url", "text",
                "source", "term", "sentence", "feature", "rule", "cue", "content", "kind",
                "type", "affiliation", "frame_dominant", "problem", "message"}


@dataclass
class Scored:
    """What a scorer returns for one article."""

    columns: dict
    evidence: list[dict] = field(default_factory=list)  # rows with EVIDENCE_COLUMNS
    tables: dict[str, list[dict]] = field(default_factory=dict)  # extra per-article tables


def read_table(path) -> pd.DataFrame:
    """Read a table written by ``python -m analysis`` (CSV or Parquet).

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.parquet`` table (features, evidence, attributions, contrasts, ...).

    Returns
    -------
    DataFrame
        ``article_id`` and the other text columns kept as text (IDs like "001" stay "001"),
        empty text fields as "" rather than NaN, text that a spreadsheet would run as a formula
        as it was scored (the ``'`` written before it removed, :mod:`analysis.formulas`).

    Examples
    --------
    >>> from analysis import read_table
    >>> features = read_table("data/processed/features.csv")  # doctest: +SKIP
    """
    path = Path(path)
    if path.suffix.lower() in (".parquet", ".pq"):
        df = pd.read_parquet(path)
    else:
        header = pd.read_csv(path, nrows=0).columns
        df = pd.read_csv(path, dtype={c: str for c in header if c in TEXT_COLUMNS},
                         keep_default_na=False, na_values=[""])
        df = restore_cells(df)  # the ' written before text like "=..." (analysis.formulas)
    for c in df.columns:
        if df[c].dtype == object or str(df[c].dtype).startswith("str"):
            df[c] = df[c].fillna("")
    return df

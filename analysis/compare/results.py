"""The comparison tables as a set: what ``python -m analysis compare`` writes and notebook 05
draws (:class:`Comparison`, :func:`read_comparison`).

Every number of the group figures (fig17-fig21) is computed once, by the compare command, into
these tables beside the features table; the figures are drawn from the tables read back, so a
figure shows the table a researcher cites. The set (:data:`TABLES`, in the order they are
written):

- ``groups``: :func:`~analysis.compare.group_summary` by the group column (fig17);
- ``groups_all``: the same of all articles as one group, ``all`` (fig17's reference line);
- ``adjusted``: :func:`~analysis.compare.adjusted_contrasts`, clustered by ``pair_by`` and with
  its events as fixed effects when the groups are paired (shown beside fig18);
- ``timeline``: :func:`~analysis.compare.group_timeline` (fig19; the smaller groups pooled);
- ``timeline_all``: the same of all articles (fig19's reference line);
- ``words``: :func:`~analysis.compare.distinctive_terms` of every term (fig20);
- ``source_shares``: :func:`~analysis.compare.source_shares` by source type and by source
  affiliation, told apart by the column ``variable`` (fig21);
- ``women_quoted``: :func:`~analysis.compare.women_quoted`, the share of women among the
  named people quoted per group and period of the timeline, and of all articles (fig23);
- ``contrasts``: :func:`~analysis.compare.contrasts` (fig18).

Their record, ``comparison.manifest.json`` (:data:`RECORD`), is written last: the settings of
the run (group column, pairing, reference, alpha, resamples, permutations, seed, time column
and period, ...), the sha256 of the features table, each table's file, rows and ``.attrs``
(restored when the table is read), why a table is empty when it is (no dates, no word
counts, no attributions), and what was left out (``left_out``: articles without a group,
dates the timeline could not place).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..formulas import restore_cells

__all__ = ["TABLES", "RECORD", "Comparison", "read_comparison", "file_sha256"]

TABLES = ("groups", "groups_all", "adjusted", "timeline", "timeline_all", "words",
          "source_shares", "women_quoted", "contrasts")
RECORD = "comparison.manifest.json"
RECORD_FORMAT = 1
# Columns read as text, whatever they look like (a group named "2016" stays "2016").
_TEXT = {"measure", "group", "reference", "category", "variable", "term", "period",
         "period_start", "cov_type", "controls"}
# Whole-number columns that may be empty (unpaired n_pairs, HC1 n_clusters): nullable ints, as
# written.
_COUNTS = {"n", "n_reference", "n_pairs", "n_clusters", "n_articles", "n_attributions", "count",
           "count_total"}


def file_sha256(path) -> str:
    """The sha256 of a file's bytes, in hex.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    str
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read(path: Path) -> pd.DataFrame:
    """A comparison table as written: text columns as text, floats to the last bit, counts
    as (nullable) whole numbers."""
    if path.suffix.lower() in (".parquet", ".pq"):
        return pd.read_parquet(path)
    header = pd.read_csv(path, nrows=0).columns
    # pandas' default float parser reads back to the bit what to_csv wrote (repr).
    df = restore_cells(pd.read_csv(path, dtype={c: str for c in header if c in _TEXT},
                                   keep_default_na=False, na_values=[""]))  # group "=x"
    for c in df.columns:
        if c in _TEXT:
            df[c] = df[c].fillna("")
        elif c in _COUNTS and pd.api.types.is_float_dtype(df[c]):
            df[c] = df[c].astype("Int64")
    return df


@dataclass
class Comparison:
    """The comparison tables of one run of ``python -m analysis compare`` and their record.

    Attributes
    ----------
    folder : Path or None
        Where the tables were read from.
    record : dict
        ``comparison.manifest.json``: ``settings``, ``tables`` (file, rows, attrs),
        ``reasons`` (why a table is empty), ``left_out`` (articles without a group, dates not
        placed) and ``features`` (file, sha256).
    tables : dict
        Name -> DataFrame, as read.
    reason : str
        Why there are no tables to draw from ("" when there are).
    """

    folder: Path | None = None
    record: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    reason: str = ""

    @property
    def settings(self) -> dict:
        """The parameters of the compare run (``by``, ``pair_by``, ``n_resamples``, ...)."""
        return self.record.get("settings", {})

    def table(self, name: str) -> pd.DataFrame:
        """The table ``name`` with the ``.attrs`` its computation gave it.

        Parameters
        ----------
        name : str
            One of :data:`TABLES`.

        Returns
        -------
        DataFrame
            A copy (drawing never changes the tables).
        """
        out = self.tables[name].copy()
        out.attrs = dict(self.record.get("tables", {}).get(name, {}).get("attrs", {}))
        return out

    def why_empty(self, name: str) -> str:
        """Why the compare run left table ``name`` empty ("" when it did not say)."""
        return self.record.get("reasons", {}).get(name, "")

    def inputs(self, *names: str) -> list[Path]:
        """The files of tables ``names`` and the record, for a figure's sidecar."""
        if self.folder is None:
            return []
        files = self.record.get("tables", {})
        return [self.folder / files[n]["file"] for n in names] + [self.folder / RECORD]

    def describe(self) -> str:
        """One Markdown sentence: which tables the figures are drawn from, or why none."""
        if self.reason:
            return f"**No comparison tables:** {self.reason}."
        s = self.settings
        pairing = f", paired by `{s['pair_by']}`" if s.get("pair_by") else ", unpaired"
        return (f"Figures drawn from the tables of `python -m analysis compare` in "
                f"`{self.folder}` (by `{s.get('by')}`{pairing}; "
                f"{s.get('n_resamples', 0):,} bootstrap resamples, seed "
                f"{s.get('random_state')}).")


def read_comparison(folder, by: str, features=None) -> Comparison:
    """The comparison tables in ``folder``, when they compare ``by`` (and ``features``).

    Parameters
    ----------
    folder : str or Path
        Where ``python -m analysis compare`` wrote them (beside the features table).
    by : str
        The group column the tables must compare ("" : none is read).
    features : str or Path, optional
        The features table the tables must come from (its sha256 is checked against the
        record): tables of an older features table are not drawn.

    Returns
    -------
    Comparison
        With every table of :data:`TABLES`, or none and ``reason`` saying why (no record, a
        table missing, another group column, another features table).

    Examples
    --------
    >>> tables = read_comparison("data/processed", "genre",
    ...                          "data/processed/features.csv")  # doctest: +SKIP
    >>> tables.table("groups").attrs["n_resamples"]  # doctest: +SKIP
    2000
    """
    folder = Path(folder)
    if not by:
        return Comparison(folder, reason="no `group_by` is set")
    rerun = f"run `python -m analysis compare --by {by}` (or `make compare`)"
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Comparison(folder, reason=f"no {RECORD} in {folder}; {rerun}")
    if record.get("settings", {}).get("by") != by:
        return Comparison(folder, reason=f"the tables in {folder} compare "
                                         f"`{record.get('settings', {}).get('by')}`, not "
                                         f"`{by}`; {rerun}")
    if features is not None and file_sha256(features) != record.get("features", {}).get("sha256"):
        return Comparison(folder, reason=f"the tables in {folder} were computed from another "
                                         f"{Path(features).name}; {rerun}")
    tables = {}
    for name in TABLES:
        path = folder / record.get("tables", {}).get(name, {}).get("file", f"{name}.csv")
        if not path.is_file():
            return Comparison(folder, reason=f"no {path.name} in {folder}; {rerun}")
        tables[name] = _read(path)
    return Comparison(folder, record, tables)

"""Coded data: a corpus with label columns, read and checked before anything is learned.

:func:`read_coded` reads any corpus the command line reads (strictly: a row without text stops
the run, naming the file and line) and keeps, for every row, where it came from
(``file.csv:LINE`` for CSV, TSV and JSONL, else its ``article_id``). :func:`label_values`
decides or checks the kind of a label column:

* **binary**: two values, each one of 0/1, true/false, yes/no (any case), read as ``0``/``1``;
* **rating**: numbers (more than two distinct values, or declared ``--kind rating``);
* **categories**: anything else (text), each value a category.

An empty label is an uncoded row: left out and counted. A value outside the declared kind, one
class only, or fewer than :data:`MIN_PER_CLASS` items of a class (:data:`MIN_RATED` items for a
rating) raise :class:`CodedError`, which names the file and the row.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ...config import display_path
from ...corpus import load_corpus
from ...errors import AnalysisError, CorpusError

__all__ = ["CodedError", "Coded", "read_coded", "label_values", "MIN_PER_CLASS", "MIN_RATED",
           "TRUE", "FALSE"]

MIN_PER_CLASS = 10  # items of each class (and 2 per cross-validation fold at least)
MIN_RATED = 20  # rated items for a rating
TRUE = ("1", "true", "yes", "1.0")
FALSE = ("0", "false", "no", "0.0")


class CodedError(AnalysisError):
    """Coded data that cannot be learned from or compared; names the file and row."""


@dataclass
class Coded:
    """A coded corpus: the articles (``article_id``, ``text``, other columns) and, per row,
    where it came from (``where``)."""

    frame: pd.DataFrame
    where: list[str]
    source: str

    def column(self, name: str) -> list[str]:
        if name not in self.frame.columns:
            cols = [c for c in self.frame.columns if c not in ("article_id", "text")]
            raise CodedError(f"{self.source}: no column {name!r} (columns: "
                             f"{', '.join(cols) or 'none besides article_id and text'})")
        return ["" if _blank(v) else str(v).strip() for v in self.frame[name].tolist()]


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or not str(v).strip()


def _lines(path: Path) -> dict[str, str]:
    """article_id -> ``file:LINE`` for CSV/TSV/JSONL files whose rows carry an article_id."""
    name = path.name
    out: dict[str, str] = {}
    try:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            with path.open(encoding="utf-8-sig") as fh:
                for i, line in enumerate(fh, 1):
                    try:
                        rec = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(rec, dict) and "article_id" in rec:
                        out.setdefault(str(rec["article_id"]), f"{name}:{i}")
        elif path.suffix.lower() in (".csv", ".tsv"):
            sep = "\t" if path.suffix.lower() == ".tsv" else ","
            ids = pd.read_csv(path, sep=sep, dtype=str, usecols=["article_id"],
                              keep_default_na=False)["article_id"]
            # The line a row starts on, when no field spans lines (else the row number).
            for i, a in enumerate(ids.tolist(), 2):
                out.setdefault(str(a), f"{name}:{i}")
    except (OSError, ValueError, KeyError):
        return {}
    return out


def read_coded(path: str | Path, *, max_bytes: int | None = None) -> Coded:
    """Read a coded corpus (any format the command line reads), strictly.

    Raises
    ------
    analysis.errors.CorpusError
        The first bad row (no text, bad encoding ...), with its file and line. A column
        named like a feature column is kept as ``meta_<name>``, no problem.
    """
    p = Path(path)
    kw = {"max_bytes": max_bytes} if max_bytes else {}
    problems: list = []
    frame = load_corpus(p, problems=problems, language="any", **kw)
    # A column named like a feature (learned_x) is kept as meta_learned_x: not a problem here.
    bad = [q for q in problems if q.problem != "renamed_column"]
    if bad:
        raise CorpusError(f"{bad[0].source}: {bad[0].message}"
                          + (f" (and {len(bad) - 1} more problems)" if len(bad) > 1 else ""))
    lines = _lines(p) if p.is_file() else {}
    where = [lines.get(a, f"{p.name}, article {a}") for a in frame["article_id"].tolist()]
    return Coded(frame.reset_index(drop=True), where, display_path(p))


def _truth(v: str) -> str | None:
    low = v.lower()
    return "1" if low in TRUE else "0" if low in FALSE else None


def _number(v: str) -> float | None:
    try:
        x = float(v)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def label_values(coded: Coded, column: str, kind: str | None = None):
    """The kind, categories and labels of a label column.

    Parameters
    ----------
    coded : Coded
    column : str
        The label column.
    kind : {"binary", "categories", "rating"}, optional
        The declared kind; default: decided from the values (see the module docstring).

    Returns
    -------
    (kind, categories, keep, y)
        ``categories``: ``('0', '1')`` for binary, the sorted categories, or ``()``;
        ``keep``: the row positions with a label; ``y``: their labels (text, or floats for a
        rating).

    Raises
    ------
    CodedError
        No label at all, a value outside the kind (file and row named), one class only, too
        few items of a class.
    """
    values = coded.column(column)
    keep = [i for i, v in enumerate(values) if v]
    if not keep:
        raise CodedError(f"{coded.source}: column {column!r} has no label (every row empty)")
    labels = [values[i] for i in keep]
    if kind is None:
        truths = [_truth(v) for v in labels]
        numbers = [_number(v) for v in labels]
        if all(t is not None for t in truths) and len(set(truths)) <= 2:
            kind = "binary"
        elif all(x is not None for x in numbers) and len(set(numbers)) > 2:
            kind = "rating"
        else:
            kind = "categories"
    check = {"binary": _truth, "rating": _number, "categories": lambda v: v}[kind]
    expected = {"binary": "0/1, true/false or yes/no", "rating": "a number",
                "categories": "text"}[kind]
    y = []
    for i, v in zip(keep, labels):
        got = check(v)
        if got is None:
            raise CodedError(f"{coded.where[i]}: label {v!r} in column {column!r} is not "
                             f"{expected} (the labels are {kind})")
        y.append(got)
    if kind == "rating":
        if len(y) < MIN_RATED or len(set(y)) < 2:
            raise CodedError(f"{coded.source}: column {column!r}: a rating needs at least "
                             f"{MIN_RATED} rated items with two values or more (got {len(y)}, "
                             f"{len(set(y))} distinct)")
        return kind, (), np.array(keep), np.array(y, dtype=float)
    counts = pd.Series(y).value_counts().sort_index()
    found = ", ".join(f"{k}: {n}" for k, n in counts.items())
    if len(counts) < 2:
        raise CodedError(f"{coded.source}: column {column!r} has one class only ({found}); "
                         "code items of the other class too")
    few = [k for k, n in counts.items() if n < MIN_PER_CLASS]
    if few:
        raise CodedError(f"{coded.source}: column {column!r}: too few items of class "
                         f"{few[0]!r} ({found}); code at least {MIN_PER_CLASS} of each class")
    categories = ("0", "1") if kind == "binary" else tuple(counts.index)
    return kind, categories, np.array(keep), np.array(y, dtype=object)

"""What loading found wrong: one :class:`Problem` per bad file, record or column.

Every reader of :mod:`analysis.corpus` reports through a :class:`ProblemCollector`, which keeps
the problems (or raises :class:`CorpusError` at the first one in strict mode);
:func:`problems_frame` turns them into the ``errors.csv`` table.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd

from ..errors import CorpusError

__all__ = ["Problem", "ProblemCollector", "problems_frame"]


@dataclass(frozen=True)
class Problem:
    """One problem found while loading: where it is and what is wrong, in one line.

    Parameters
    ----------
    source : str
        The file, and line or row, the problem is in (``c.jsonl:5``, ``c.parquet[row 3]``).
    article_id : str
        The article concerned, ``""`` when unknown.
    problem : str
        Short machine-readable kind, e.g. ``"empty"``, ``"binary"``, ``"duplicate_id"``.
    message : str
        The one-line message for a person.
    """

    source: str  # file (and line or row) the problem is in
    article_id: str  # the article concerned, "" when unknown
    problem: str  # short machine-readable kind, e.g. "empty", "binary", "duplicate_id"
    message: str  # the one-line human message

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class ProblemCollector:
    """Where the readers send each problem they meet.

    Parameters
    ----------
    strict : bool
        Raise :class:`CorpusError` at the first problem instead of keeping it.
    problems : list of Problem or None
        The list that receives the problems. When None, a new list is kept in
        ``self.problems`` and each problem is also issued as a warning.
    """

    def __init__(self, strict: bool, problems: list[Problem] | None):
        self.strict = strict
        self.problems = problems if problems is not None else []
        self._warn = problems is None

    def add(self, source: str, article_id: str, problem: str, message: str) -> None:
        """Record one problem (see :class:`Problem` for the fields), or raise when strict.

        Parameters
        ----------
        source, article_id, problem, message : str
            The fields of the :class:`Problem`; ``source`` is converted with ``str``.

        Returns
        -------
        None
        """
        p = Problem(str(source), article_id, problem, message)
        if self.strict:
            raise CorpusError(str(p))
        self.problems.append(p)
        if self._warn:
            warnings.warn(str(p), stacklevel=3)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as a table, one row each, in the order given.

    Parameters
    ----------
    problems : list of Problem

    Returns
    -------
    DataFrame
        Columns ``source, article_id, problem, message``.
    """
    cols = ["source", "article_id", "problem", "message"]
    return pd.DataFrame([[p.source, p.article_id, p.problem, p.message] for p in problems],
                        columns=cols)

"""The measure ``terms``: the lemma counts of every article, a table and no feature column.

:class:`TermCounter` writes the ``terms`` table (``article_id, term, count``) from the shared
parse, for the distinctive words by group (:func:`analysis.compare.distinctive_terms`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..compare.words import lemma_counts_from_parsed
from ..tables import Scored
from .registry import Measure, register

if TYPE_CHECKING:
    from ..text import ParsedArticle

__all__ = ["TermCounter", "make_scorer", "MEASURE"]


class TermCounter:
    """The ``terms`` table: lemma counts per article (``article_id, term, count``) from the
    shared parse, for distinctive words by group (:func:`analysis.compare.distinctive_terms`).
    Adds no feature column."""

    name = "terms"
    table_columns = {"terms": ["article_id", "term", "count"]}

    def columns(self) -> list[str]:
        return []

    def score(self, article: ParsedArticle, idx: np.ndarray) -> Scored:
        return Scored(columns={}, tables={"terms": lemma_counts_from_parsed(article)})


def make_scorer(study, **_) -> TermCounter:
    """The term counter (the same for every study)."""
    return TermCounter()


MEASURE = register(Measure(
    name="terms", family="terms", scorer=make_scorer,
    description="the lemma counts table for distinctive words",
    tables=TermCounter.table_columns,
))

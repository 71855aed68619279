"""Comparisons between groups of articles: group means, contrasts, paired events, time and
distinctive words.

The unit of inference is the article, or the event when ``pair_by`` pairs the groups on the same
events: every interval resamples articles (or events), never sentences, and every test permutes
article labels (or flips the signs of event differences).

One module per stage of the comparison; every public name is importable from
``analysis.compare`` itself:

- :mod:`~analysis.compare.summary`: which columns are measures, group labels, and
  :func:`group_summary` (group means with article-bootstrap intervals).
- :mod:`~analysis.compare.resampling`: the vectorised bootstrap, permutation and sign-flip
  tests and the Benjamini–Hochberg adjustment the other stages share.
- :mod:`~analysis.compare.differences`: :func:`contrasts` (unpaired or paired by event).
- :mod:`~analysis.compare.regression`: :func:`adjusted_contrasts` (OLS with controls).
- :mod:`~analysis.compare.timeline`: :func:`time_summary`, :func:`choose_period`,
  :func:`group_timeline`.
- :mod:`~analysis.compare.shares`: :func:`source_shares`, :func:`women_quoted` (the share of
  women among the people quoted, by group and period).
- :mod:`~analysis.compare.words`: :func:`distinctive_terms`, :func:`lemma_counts`,
  :func:`word_counts`.
- :mod:`~analysis.compare.results`: the tables ``python -m analysis compare`` writes, read back
  for notebook 05's figures (:class:`Comparison`, :func:`read_comparison`).
- :mod:`~analysis.compare.similarity`: :func:`tfidf_similarity`, :func:`framing_map` and the
  sparse TF-IDF helpers of notebook 04.

Which library does what
-----------------------
- numpy: every bootstrap and permutation, vectorised: a resample is a row of a weight matrix
  (how often each article is drawn, :func:`analysis.stats.resample_weights`), so the means of all
  measures in all resamples are one matrix product, done in chunks to bound memory.
- statsmodels: the Benjamini–Hochberg adjustment (``multipletests(method="fdr_bh")``) and the OLS
  fits with cluster-robust or heteroscedasticity-robust errors of :func:`adjusted_contrasts`.
- scikit-learn and scipy: TF-IDF, cosine similarity and the clustered order of
  :func:`tfidf_similarity`; standardisation and PCA of :func:`framing_map` (as notebook 04).
- spaCy (through :func:`analysis.text.parse_articles`): the lemmas counted by
  :func:`lemma_counts`.

scikit-learn, scipy, statsmodels and spaCy are imported inside the functions that use them, so
that ``import analysis.compare`` stays quick for notebooks that only summarise tables.

Conventions
-----------
- Groups are the distinct non-empty values of the ``by`` column, as text, sorted by name.
  Articles with an empty or missing group are left out (their number is in ``.attrs``).
- Every returned table has a fixed column order, rows in a documented order, and floats rounded
  to :data:`analysis.tables.DECIMALS` decimals, so the same input gives the same bytes.
- Articles are taken in ``article_id`` order (when the table has one), so shuffling the input
  rows changes nothing.
- Randomness comes only from ``random_state``. Each group, contrast or cell draws from its own
  generator, seeded from ``random_state`` and its name, so its interval does not depend on which
  other groups are in the table.
- Intervals are 95% percentile intervals; p-values are two-sided, ``(b + 1) / (m + 1)`` for
  ``b`` of ``m`` permuted statistics at least as extreme as the observed one.
"""

from __future__ import annotations

from .differences import contrasts
from .regression import adjusted_contrasts
from .resampling import auto_permutations
from .results import Comparison, read_comparison
from .shares import source_shares, women_quoted
from .similarity import (FramingMap, Similarity, article_texts, framing_map,
                         group_mean_similarity, group_membership, sparse_tfidf,
                         tfidf_similarity)
from .summary import (CUE_RATES, INTERVAL_SUFFIXES, OTHER, group_labels, group_summary,
                      largest_groups, measure_families, measure_columns, pool_largest)
from .timeline import PERIODS, choose_period, group_timeline, time_summary
from .words import distinctive_terms, lemma_counts, lemma_counts_from_parsed, word_counts

# The column lists of the tables and the interval level, public names of the former single
# module: importable from here, not part of ``from analysis.compare import *``.
from .differences import CONTRAST_COLUMNS  # noqa: F401
from .regression import ADJUSTED_COLUMNS  # noqa: F401
from .resampling import LEVEL  # noqa: F401
from .results import RECORD, TABLES  # noqa: F401
from .shares import GENDER_COLUMNS, SHARE_COLUMNS  # noqa: F401
from .summary import SUMMARY_COLUMNS  # noqa: F401
from .timeline import TIME_COLUMNS, TIMELINE_GROUPS, TIMELINE_MEASURES  # noqa: F401
from .words import TERM_COLUMNS  # noqa: F401

__all__ = ["measure_columns", "measure_families", "group_labels", "largest_groups", "pool_largest",
           "group_summary", "contrasts", "adjusted_contrasts", "time_summary", "choose_period",
           "group_timeline", "source_shares", "women_quoted", "distinctive_terms", "lemma_counts",
           "lemma_counts_from_parsed", "word_counts", "Comparison", "read_comparison",
           "tfidf_similarity", "Similarity", "framing_map", "FramingMap", "auto_permutations",
           "CUE_RATES", "INTERVAL_SUFFIXES", "PERIODS", "OTHER", "article_texts", "sparse_tfidf",
           "group_membership", "group_mean_similarity"]

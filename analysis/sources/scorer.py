"""The feature group ``sources``: attributions, their sources and the diversity indices.

:class:`SourceScorer` runs the pipeline on one article: attributions
(:func:`~analysis.sources.extract.extract_attributions`), their sources
(:func:`~analysis.sources.resolve.resolve_sources`, with the registry) and the ``src_*``
columns (:func:`~analysis.sources.indices.diversity`).

Per attribution (``tables["attributions"]``, written as ``attributions.csv``): see
:data:`ATTRIBUTION_COLUMNS`. ``source_start``/``source_end`` and ``cue_start``/``cue_end`` are
character offsets into the article's original input text. ``mention`` is ``name`` (a proper
name), ``unnamed`` (a description: "US officials"), ``pronoun`` (linked to a source) or
``unresolved_pronoun``; ``source_key`` identifies the source within the article
(``person:<surname>``, ``name:<canonical>``, ``group:<names>`` for coordinated names,
``np:<phrase>`` for unnamed sources; empty when unresolved); ``classified_by`` is ``registry``
or ``text``.
"""

from __future__ import annotations

import numpy as np

from ..tables import Scored
from .indices import SOURCE_COLUMNS, diversity
from .registry import Registry, load_registry
from .resolve import resolve_sources

__all__ = ["SourceScorer", "ATTRIBUTION_COLUMNS"]

ATTRIBUTION_COLUMNS = [
    "article_id", "sentence_id", "source", "source_start", "source_end", "cue", "cue_start",
    "cue_end", "content", "kind", "mention", "source_key", "canonical_source", "source_type",
    "source_affiliation", "classified_by",
]


class SourceScorer:
    """Attributions, their sources and the article's source-diversity indices.

    Parameters
    ----------
    registry : str, Path, Registry or None
        A source registry CSV, a :class:`~analysis.sources.registry.Registry`, or None for
        ``data/sources.csv`` (empty when that file does not exist).

    Examples
    --------
    >>> from analysis.text import parse_text
    >>> article = parse_text("Officials said the talks went well.")
    >>> scored = SourceScorer().score(article, np.zeros((10, 1), dtype=int))
    >>> scored.columns["src_n_attributions"], scored.tables["attributions"][0]["source"]
    (1, 'Officials')
    """

    table_columns = {"attributions": ATTRIBUTION_COLUMNS}

    name = "sources"

    def __init__(self, registry=None):
        self.registry = registry
        self._registry = registry if isinstance(registry, Registry) else load_registry(registry)

    def columns(self) -> list[str]:
        """The feature columns, in their fixed order (:data:`SOURCE_COLUMNS`).

        Returns
        -------
        list of str
        """
        return list(SOURCE_COLUMNS)

    def score(self, article, idx: np.ndarray) -> Scored:
        """Attributions, evidence and ``src_*`` columns of one article.

        Parameters
        ----------
        article : ParsedArticle
            The shared parse of the article (``analysis.text``).
        idx : ndarray of int, shape (n_resamples, n_sentences)
            Sentence-bootstrap indices for the interval of ``src_entropy``.

        Returns
        -------
        Scored
            ``columns`` (:data:`SOURCE_COLUMNS`), ``evidence`` (the source phrase and cue of
            every attribution) and ``tables["attributions"]`` (:data:`ATTRIBUTION_COLUMNS`).
        """
        from .extract import extract_attributions  # late: heavy (spaCy loads when scoring)

        atts = extract_attributions(article)
        resolved = resolve_sources(article, atts, self._registry)
        rows, evidence = [], []
        sent_by_id = {s.sentence_id: s for s in article.sentences}
        for att, res in zip(atts, resolved):
            ss, se = article.span_to_raw(att.start, att.end)
            cs, ce = article.span_to_raw(att.cue_start, att.cue_end)
            rows.append({
                "article_id": article.article_id, "sentence_id": att.sentence_id,
                "source": article.raw[ss:se], "source_start": ss, "source_end": se,
                "cue": article.raw[cs:ce], "cue_start": cs, "cue_end": ce,
                "content": att.content, "kind": att.kind, "mention": res["mention"],
                "canonical_source": res["canonical_source"], "source_type": res["source_type"],
                "source_affiliation": res["source_affiliation"],
                "classified_by": res["classified_by"], "key": res["key"],
                "source_key": res["key"],
            })
            s = sent_by_id[att.sentence_id]
            for feat, a, b, term in (("source", att.start, att.end, att.source),
                                     ("source_cue", att.cue_start, att.cue_end, att.cue)):
                evidence.append({"article_id": article.article_id,
                                 "sentence_id": att.sentence_id, "feature": feat,
                                 "term": term, "start": a - s.start, "end": b - s.start,
                                 "sentence": s.text})
        cols = diversity(rows, len(article.sentences), idx)
        table = [{c: r[c] for c in ATTRIBUTION_COLUMNS} for r in rows]
        return Scored(columns=cols, evidence=evidence, tables={"attributions": table})

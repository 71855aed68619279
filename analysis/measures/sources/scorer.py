"""The feature group ``sources``: attributions, their sources and the diversity indices.

:class:`SourceScorer` runs the pipeline on one article: attributions
(:func:`~analysis.measures.sources.extract.extract_attributions`), their sources
(:func:`~analysis.measures.sources.resolve.resolve_sources`, with the registry) and the ``src_*``
columns (:func:`~analysis.measures.sources.indices.diversity`).

Per attribution (``tables["attributions"]``, written as ``attributions.csv``): see
:data:`ATTRIBUTION_COLUMNS`. ``source_start``/``source_end`` and ``cue_start``/``cue_end`` are
character offsets into the article's original input text. ``mention`` is ``name`` (a proper
name), ``unnamed`` (a description: "council officials"), ``pronoun`` (linked to a source) or
``unresolved_pronoun``; ``source_key`` identifies the source within the article
(``person:<surname>``, ``name:<canonical>``, ``group:<names>`` for coordinated names,
``np:<phrase>`` for unnamed sources; empty when unresolved); ``classified_by`` is ``registry``
or ``text``; ``source_affiliation`` is a key of the study (an actor key or, without actors,
a country key; ``other``, ``multiple``, ``unknown``: :mod:`analysis.measures.sources.vocabulary`);
``source_gender`` is ``female``, ``male`` or ``unknown`` for a named person, empty for any
other source (:mod:`analysis.measures.sources.gender`).

The scorer is built from a study (:class:`~analysis.study.Study`, a study file, or None for
no study): its actors give the words and the ``src_share_<key>`` columns, its
aliases join names, its registry overrides the text. It keeps the study and the registry only,
so it pickles small for the worker processes; the word tables are built once per study and
process (:func:`~analysis.measures.sources.vocabulary.vocabulary`).
"""

from __future__ import annotations

import numpy as np

from ...study import resolve_study
from ...tables import Scored
from .indices import SHARE_PREFIX, diversity, source_columns
from .registry import Registry, RegistryError, load_registry
from .resolve import resolve_sources

__all__ = ["SourceScorer", "ATTRIBUTION_COLUMNS"]

ATTRIBUTION_COLUMNS = [
    "article_id", "sentence_id", "source", "source_start", "source_end", "cue", "cue_start",
    "cue_end", "content", "kind", "mention", "source_key", "canonical_source", "source_type",
    "source_affiliation", "source_gender", "classified_by",
]


class SourceScorer:
    """Attributions, their sources and the article's source-diversity indices.

    Parameters
    ----------
    registry : str, Path, Registry or None
        A source registry CSV (checked against the study's affiliations), a
        :class:`~analysis.measures.sources.registry.Registry`, or None for the study's registry
        (``registry:`` of the study; empty when it names none).
    study : Study, str, Path or None
        The study (:func:`analysis.study.resolve_study`: None or ``"none"`` is the empty
        study, whose sides are the countries).

    Attributes
    ----------
    dynamic_prefix : str
        Prefix of the columns found in the data: without actors, :meth:`score` also returns
        ``src_share_<country key>`` for every country of the article's attributions.

    Examples
    --------
    >>> from analysis.text import parse_text
    >>> article = parse_text("Kenyan officials said the talks went well.")
    >>> scored = SourceScorer(study="none").score(article, np.zeros((10, 1), dtype=int))
    >>> scored.columns["src_n_attributions"], scored.columns["src_share_kenya"]
    (1, 1.0)
    """

    table_columns = {"attributions": ATTRIBUTION_COLUMNS}

    name = "sources"
    dynamic_prefix = SHARE_PREFIX

    def __init__(self, registry=None, study=None):
        self.study = resolve_study(study)
        self.registry = registry
        self._registry = (registry if isinstance(registry, Registry)
                          else load_registry(registry, self.study))
        self._actors = tuple(a.key for a in self.study.actors)
        if "female" in self._actors:  # src_share_female is the share of women quoted
            raise RegistryError(f"{self.study.source or 'the study'}: the actor key 'female' "
                                "is taken by src_share_female (women among the people "
                                "quoted); rename the actor")

    def columns(self) -> list[str]:
        """The fixed feature columns of this study, in order.

        Returns
        -------
        list of str
            :func:`~analysis.measures.sources.indices.source_columns` of the study's actors: a
            ``src_share_<key>`` per actor, then ``src_share_other``, ``_multiple``,
            ``_unknown``. Without actors the countries' shares are not listed (they are
            found in the data, see :attr:`dynamic_prefix`).
        """
        return source_columns(self._actors)

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
            ``columns`` (:meth:`columns`, plus, without actors, ``src_share_<country key>`` of
            each country found), ``evidence`` (the source phrase and cue of every attribution)
            and ``tables["attributions"]`` (:data:`ATTRIBUTION_COLUMNS`).
        """
        from .extract import extract_attributions  # late: heavy (spaCy loads when scoring)

        atts = extract_attributions(article)
        resolved = resolve_sources(article, atts, self._registry, self.study)
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
                "source_gender": res["source_gender"],
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
        cols = diversity(rows, len(article.sentences), idx,
                         self._actors if self._actors else None)
        table = [{c: r[c] for c in ATTRIBUTION_COLUMNS} for r in rows]
        return Scored(columns=cols, evidence=evidence, tables={"attributions": table})

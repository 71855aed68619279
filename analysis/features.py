"""Per-article framing features: one row per article, with evidence.

``build_features(corpus)`` cleans and parses each article once (``analysis.text``), runs every
scorer on that shared parse, and returns a :class:`FeatureSet`: the features table (one row per
article, sorted by ``article_id``), the evidence table (every match that fed a score), the
cleaning audit, and the scorers' extra tables (per-sentence tone, attributions).

A scorer is an object with ``name``, ``columns()`` (fixed names, fixed order) and
``score(article, idx) -> Scored``; ``idx`` is the article's sentence-bootstrap index matrix,
drawn once per article and shared by every scorer. Each feature group is a measure of the
registry (:mod:`analysis.measures.registry`), whose factory makes its scorer; the registry's
order is the column order. :class:`FramingFeaturizer` wraps the same computation in the
scikit-learn transformer contract (:mod:`analysis.featurizer`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator, Protocol, Sequence

import numpy as np
import pandas as pd

from .config import N_RESAMPLES, RANDOM_STATE
from .corpus import metadata_renames
from .measures import measures
from .measures.emphasis.scorer import published_year
from .measures.sources.indices import SHARE_PREFIX, side_share
from .stats import article_rng, bootstrap_indices
from .study import RESERVED, resolve_study
from .tables import (AUDIT_COLUMNS, BASE_COLUMNS, DECIMALS, EVIDENCE_COLUMNS, NOT_REMOVALS,
                     Scored, read_table)

if TYPE_CHECKING:
    from .text import ParsedArticle

__all__ = ["Scored", "Scorer", "FeatureSet", "build_features", "iter_features",
           "concat_feature_sets", "fill_found_shares", "with_found_columns", "BASE_COLUMNS",
           "EVIDENCE_COLUMNS", "AUDIT_COLUMNS", "make_scorers"]

# Without declared actors, the shares of the countries sources are tied to are columns found
# in the data (``src_share_<country>``), placed before the reserved share columns.
RESERVED_SHARES = tuple(SHARE_PREFIX + k for k in RESERVED)
FOUND_BEFORE = RESERVED_SHARES[0]


def _found_column(c: str) -> bool:
    return side_share(c) and c not in RESERVED_SHARES


class Scorer(Protocol):
    name: str
    table_columns: dict[str, list[str]]  # optional: extra tables and their fixed columns

    def columns(self) -> list[str]: ...

    def score(self, article: ParsedArticle, idx: np.ndarray) -> Scored: ...


def make_scorers(groups: Sequence[str] | None = None, *, dictionaries=None,
                 registry=None, study=None) -> list[Scorer]:
    """The scorers of the requested feature groups, in the order of the measure registry.

    Parameters
    ----------
    groups : sequence of str, optional
        Feature groups: names of registered measures (:func:`analysis.measures.measures`;
        built in: tone, emphasis, sources, terms). None: every registered measure.
    dictionaries : list of path, optional
        User dictionaries (extra ``emph_<key>`` columns).
    registry : path, optional
        Source registry; default the study's.
    study : Study, path or None
        The study (:mod:`analysis.study`): its topic terms, frame additions, actors and
        registry; a path is loaded. None or ``"none"``: no study.

    Returns
    -------
    list of scorers
        One per measure, made by its factory (``Measure.scorer``).

    Raises
    ------
    analysis.measures.MeasureError
        A name that is not registered (a ``ValueError``; the message lists the registered
        names).
    """
    study = resolve_study(study)
    return [m.scorer(study=study, dictionaries=dictionaries, registry=registry)
            for m in measures(groups)]


@dataclass
class FeatureSet:
    """The tables of one scoring run.

    Attributes
    ----------
    features : DataFrame
        One row per article: metadata, base counts and every feature with its interval.
    evidence : DataFrame
        Every match that fed a score (``article_id, sentence_id, feature, term, start, end,
        sentence``).
    audit : DataFrame
        Lines the cleaning removed or marked, with the rule.
    tables : dict of str to DataFrame
        Scorers' extra tables: ``sentences`` (tone), ``attributions`` (sources), ``terms``.
    """

    features: pd.DataFrame
    evidence: pd.DataFrame
    audit: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def _score_article(art: ParsedArticle, scorers, n_resamples, random_state):
    idx = bootstrap_indices(len(art.sentences), n_resamples,
                            article_rng(random_state, art.article_id))
    removed = [r for r in art.clean.removed if r[2] not in NOT_REMOVALS]
    row = {"article_id": art.article_id, "n_words": art.n_words,
           "n_sentences": art.n_sentences, "n_headings": art.n_headings,
           "n_boilerplate_removed": len(removed)}
    evidence: list[dict] = []
    tables: dict[str, list[dict]] = {}
    for sc in scorers:
        res = sc.score(art, idx)
        missing = [c for c in sc.columns() if c not in res.columns]
        if missing:
            raise RuntimeError(f"scorer {sc.name} did not return {missing}")
        row.update({c: res.columns[c] for c in sc.columns()})
        prefix = getattr(sc, "dynamic_prefix", None)
        if prefix:  # columns found in the data (the countries sources are tied to)
            row.update({c: v for c, v in res.columns.items() if c.startswith(prefix)})
        evidence.extend(res.evidence)
        for k, rows in res.tables.items():
            tables.setdefault(k, []).extend(rows)
    audit = [{"article_id": art.article_id, "line": ln, "text": t, "rule": r}
             for ln, t, r in art.clean.removed]
    return row, evidence, audit, tables


def _round(df: pd.DataFrame) -> pd.DataFrame:
    floats = df.select_dtypes(include="float").columns
    if len(floats):
        df[floats] = df[floats].round(DECIMALS)
    return df


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    keys = [k for k in keys if k in df.columns]
    return df.sort_values(keys, kind="stable").reset_index(drop=True) if keys else df


def score_chunk(chunk: pd.DataFrame, scorers, *, n_resamples: int = N_RESAMPLES,
                random_state: int = RANDOM_STATE, batch_size: int = 8) -> FeatureSet:
    """Score one DataFrame of articles (``article_id``, ``text`` + metadata).

    The chunk is parsed and scored inside spaCy's ``memory_zone``: the strings and lexemes its
    new words add to the shared vocabulary are freed at the end, so the vocabulary does not grow
    with the corpus. Nothing made in the zone (Doc, Span, Token, Lexeme) may outlive it: scorers
    return plain Python values, and caches keep strings or hash values, never spaCy objects.
    ``batch_size`` articles are parsed at a time; the pipeline's working memory grows with it
    (about +200 MiB from 8 to 32 articles of 400 words) for no gain in speed.
    """
    meta_cols = [c for c in chunk.columns if c not in ("article_id", "text")]
    # The publication year (from a ``date`` column, when known) is the reference year of
    # ``history``'s past years; without it the latest year an article mentions is. A list, not
    # Series.map, which would turn None into NaN.
    years = ([published_year(d) for d in chunk["date"].tolist()] if "date" in chunk.columns
             else [None] * len(chunk))
    items = zip(chunk["article_id"].astype(str).tolist(), chunk["text"].tolist(), years)
    rows, ev, au = [], [], []
    # Tables a scorer declares exist (with their header) even when no article fills them.
    table_columns = {k: v for sc in scorers for k, v in getattr(sc, "table_columns", {}).items()}
    tabs: dict[str, list[dict]] = {k: [] for k in table_columns}
    from .text import get_nlp, parse_articles  # late: heavy (analysis.text loads spaCy)

    # Metadata a scorer reads (the article's own target of tone toward a target).
    asked = [c for c in dict.fromkeys(c for sc in scorers
                                      for c in getattr(sc, "metadata_columns", ()))
             if c in chunk.columns]
    metadata = dict(zip(chunk["article_id"].astype(str).tolist(),
                        chunk[asked].to_dict("records"))) if asked else {}
    nlp = get_nlp()
    with nlp.memory_zone():
        for art in parse_articles(items, batch_size=batch_size, nlp=nlp):
            art.metadata = metadata.get(art.article_id, {})
            r, e, a, t = _score_article(art, scorers, n_resamples, random_state)
            rows.append(r)
            ev.extend(e)
            au.extend(a)
            for k, v in t.items():
                tabs.setdefault(k, []).extend(v)
    feat_cols = ["article_id", *BASE_COLUMNS] + [c for s in scorers for c in s.columns()]
    found = {c for r in rows for c in r} - set(feat_cols)
    feat_cols = with_found_columns(feat_cols, found)
    feats = fill_found_shares(pd.DataFrame(rows, columns=feat_cols), found)
    # A metadata column named like a feature becomes meta_<name> (with a warning), never the
    # merge's _x/_y; load_corpus has already renamed and reported the ones it knows.
    meta = chunk[["article_id", *meta_cols]].rename(
        columns=metadata_renames(meta_cols, set(feat_cols), warn=True))
    meta["article_id"] = meta["article_id"].astype(str)
    feats = meta.merge(feats, on="article_id", how="right")
    feats = _round(_sorted(feats, ["article_id"]))
    evidence = _round(_sorted(pd.DataFrame(ev, columns=EVIDENCE_COLUMNS),
                              ["article_id", "sentence_id", "start", "feature", "term"]))
    audit = _sorted(pd.DataFrame(au, columns=AUDIT_COLUMNS), ["article_id", "line", "rule"])
    tables = {k: _round(_sorted(pd.DataFrame(v, columns=table_columns.get(k)),
                                ["article_id", "sentence_id"]))
              for k, v in sorted(tabs.items())}
    return FeatureSet(feats, evidence, audit, tables)


def iter_features(chunks: Iterable[pd.DataFrame], *, groups=None, dictionaries=None,
                  registry=None, study=None, n_resamples: int = N_RESAMPLES,
                  random_state: int = RANDOM_STATE) -> Iterator[FeatureSet]:
    """Score a corpus chunk by chunk, yielding one :class:`FeatureSet` per chunk.

    Memory stays bounded by the chunk size, whatever the corpus size.

    Parameters
    ----------
    chunks : iterable of DataFrame
        Corpus chunks (``article_id``, ``text`` and metadata), e.g. from
        :func:`analysis.corpus.iter_corpus_chunks`.
    groups, dictionaries, registry, study, n_resamples, random_state
        As in :func:`build_features`.

    Yields
    ------
    FeatureSet
        The tables of one chunk; :func:`concat_feature_sets` joins them.

    Examples
    --------
    >>> from analysis import iter_corpus_chunks, iter_features
    >>> parts = iter_features(iter_corpus_chunks("data/raw", chunk_rows=2))  # doctest: +SKIP
    """
    scorers = make_scorers(groups, dictionaries=dictionaries, registry=registry, study=study)
    for chunk in chunks:
        if len(chunk):
            yield score_chunk(chunk, scorers, n_resamples=n_resamples, random_state=random_state)


def with_found_columns(columns: list[str], found) -> list[str]:
    """``columns`` with the share columns found in the data (``src_share_<country>``, sorted)
    placed before the first reserved share (``src_share_other``), or at the end."""
    if not found:
        return list(columns)
    extra = sorted(found)
    at = columns.index(FOUND_BEFORE) if FOUND_BEFORE in columns else len(columns)
    return [*columns[:at], *extra, *columns[at:]]


def fill_found_shares(df: pd.DataFrame, found) -> pd.DataFrame:
    """A share found in other articles is 0 in an article with attributions (its reserved
    shares are numbers), NaN in one without."""
    if found and FOUND_BEFORE in df.columns:
        has = df[FOUND_BEFORE].notna()
        for c in sorted(found):
            df[c] = df[c].astype(float).where(df[c].notna() | ~has, 0.0)
    return df


def concat_feature_sets(parts: list[FeatureSet]) -> FeatureSet:
    """Join the FeatureSets of several chunks into one (rows sorted by ``article_id``).

    Parameters
    ----------
    parts : list of FeatureSet

    Returns
    -------
    FeatureSet
        Share columns found in only some chunks (countries, without declared actors) are
        added to all, 0 where an article has attributions.
    """
    if not parts:
        return FeatureSet(pd.DataFrame(columns=["article_id", *BASE_COLUMNS]),
                          pd.DataFrame(columns=EVIDENCE_COLUMNS),
                          pd.DataFrame(columns=AUDIT_COLUMNS))
    if len(parts) == 1:
        return parts[0]
    keys = sorted({k for p in parts for k in p.tables})
    features = [p.features for p in parts]
    if any(list(f.columns) != list(features[0].columns) for f in features):
        base = [c for c in features[0].columns if not _found_column(c)]
        found = {c for f in features for c in f.columns if _found_column(c)}
        features = [f.reindex(columns=with_found_columns(base, found)) for f in features]
        features = [fill_found_shares(f, found) for f in features]
    return FeatureSet(
        _sorted(pd.concat(features, ignore_index=True), ["article_id"]),
        _sorted(_concat([p.evidence for p in parts]),
                ["article_id", "sentence_id", "start", "feature", "term"]),
        _sorted(_concat([p.audit for p in parts]), ["article_id", "line", "rule"]),
        {k: _sorted(_concat([p.tables[k] for p in parts if k in p.tables]),
                    ["article_id", "sentence_id"]) for k in keys},
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The rows of ``frames`` in one table, leaving out the empty ones when some have rows: an
    empty part's columns are untyped and would make a text column generic (another Parquet
    type than the same rows joined from other parts)."""
    full = [f for f in frames if len(f)]
    return pd.concat(full or frames[:1], ignore_index=True)


def build_features(corpus: pd.DataFrame, *, groups: Sequence[str] | None = None,
                   dictionaries=None, registry=None, study=None, n_resamples: int = N_RESAMPLES,
                   random_state: int = RANDOM_STATE, chunk_rows: int = 500) -> FeatureSet:
    """Features, evidence, audit and extra tables for every article of ``corpus``.

    Each article is cleaned and parsed once; every scorer reads that one parse.

    Parameters
    ----------
    corpus : DataFrame
        ``article_id``, ``text`` and metadata columns, as :func:`analysis.load_corpus` returns.
    groups : sequence of str, optional
        Feature groups to compute: registered measures (:mod:`analysis.measures.registry`);
        default all of them, built in ``tone, emphasis, sources, terms`` (``terms`` adds the
        lemma-count table only) and any registered from Python after them.
    dictionaries : list of path, optional
        User dictionaries (YAML, LIWC ``.dic``, TSV/CSV) adding ``emph_<key>`` columns.
    registry : path, optional
        Source registry CSV (``name,type,affiliation,note``); default the study's registry.
    study : Study, path or None
        What the study counts (:mod:`analysis.study`): actors (``src_share_<key>`` columns),
        topic terms, frame additions, registry; a path is loaded. None or ``"none"``: no
        study (sources are tied to countries; one share column per country found).
    n_resamples : int, default 2000
        Sentence-bootstrap resamples per 95% interval.
    random_state : int, default 0
        Seed of the bootstrap; each article draws from its own stream, so a score does not
        depend on the other articles.
    chunk_rows : int, default 500
        Articles scored at a time.

    Returns
    -------
    FeatureSet
        ``features`` (one row per article, sorted by ``article_id``), ``evidence``, ``audit``
        and ``tables`` (``sentences``, ``attributions``, ``terms``).

    Examples
    --------
    >>> from analysis import load_corpus, build_features
    >>> fs = build_features(load_corpus("data/raw"))  # doctest: +SKIP
    >>> fs.features[["article_id", "tone_mean", "tone_mean_lo", "tone_mean_hi"]]  # doctest: +SKIP
    """
    chunks = (corpus.iloc[i:i + chunk_rows] for i in range(0, len(corpus), chunk_rows))
    return concat_feature_sets(list(iter_features(
        chunks, groups=groups, dictionaries=dictionaries, registry=registry, study=study,
        n_resamples=n_resamples, random_state=random_state)))

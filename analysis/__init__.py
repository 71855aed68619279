"""Framing features of news articles (tone, emphasis, sources) and comparisons between groups.

The public API, importable from ``analysis`` directly::

    from analysis import load_corpus, build_features, contrasts

    corpus = load_corpus("data/raw")              # article_id, text, metadata columns
    fs = build_features(corpus)                    # fs.features: one row per article
    table = contrasts(fs.features, by="genre")     # group differences with intervals

Names are resolved on first use (PEP 562 ``__getattr__``), so ``python -m analysis status``
and notebooks that only read tables do not pay for spaCy, scikit-learn or matplotlib.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    "load_corpus": "corpus",
    "iter_corpus_chunks": "corpus",
    "AnalysisError": "errors",
    "CorpusError": "errors",
    "LexiconError": "errors",
    "Problem": "corpus",
    "clean_text": "clean",
    "build_features": "features",
    "iter_features": "features",
    "FramingFeaturizer": "featurizer",
    "load_study": "study",
    "Study": "study",
    "FeatureSet": "features",
    "read_table": "tables",
    "save_figure": "figures",
    "measure_columns": "compare",
    "group_summary": "compare",
    "contrasts": "compare",
    "adjusted_contrasts": "compare",
    "time_summary": "compare",
    "distinctive_terms": "compare",
    "source_shares": "compare",
    "tfidf_similarity": "compare",
    "framing_map": "compare",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__():
    return sorted(__all__)

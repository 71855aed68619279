"""Who is cited: attributions, their sources, and how diverse the voices are.

The pipeline, one module a stage:

1. :mod:`~analysis.sources.lexicons`: the word lists and tables (speech cues, who can and
   cannot speak, role and place words, aliases) and the categories :data:`TYPES` and
   :data:`AFFILIATIONS`.
2. :mod:`~analysis.sources.extract`: the sentences of the shared parse that can hold an
   attribution and their selective deep parse; :func:`extract_attributions` gives an
   article's :class:`Attribution` records.
3. :mod:`~analysis.sources.rules`: the attribution rules on one parsed sentence
   (:func:`doc_attributions`), with :mod:`~analysis.sources.speakers` (who speaks for a
   cue) and :mod:`~analysis.sources.quotes` (quotation spans).
4. :mod:`~analysis.sources.resolve`: mentions grouped into sources, typed and given an
   affiliation (:func:`resolve_sources`); the user's :mod:`~analysis.sources.registry`
   overrides what the text says.
5. :mod:`~analysis.sources.indices`: the article's ``src_*`` diversity columns
   (:func:`diversity`).
6. :mod:`~analysis.sources.scorer`: :class:`SourceScorer`, the feature group ``sources``.

Stages 2 and 3 import spaCy at module top. Their names are loaded here on first use
(``from analysis.sources import extract_attributions``), so that importing the package for
its categories or its scorer class does not load spaCy.

Examples
--------
>>> from analysis.sources import extract_attributions, resolve_sources
>>> from analysis.text import parse_text
>>> article = parse_text("Pakistan's foreign minister said the talks went well.")
>>> [(a.source, r["source_type"], r["source_affiliation"]) for a, r in
...  zip(extract_attributions(article), resolve_sources(article,
...                                                    extract_attributions(article)))]
[("Pakistan's foreign minister", 'government official', 'Pakistan')]
"""

from __future__ import annotations

from importlib import import_module

from .indices import SOURCE_COLUMNS, diversity, gini_simpson, shannon_bits
from .lexicons import (AFFILIATIONS, OFFICIAL_TYPES, TYPES, agent_nouns, aliases, clausal_cues,
                       clausal_phrases, inanimate_subjects, place_words, role_words,
                       speech_cues)
from .quotes import QUOTES
from .registry import REGISTRY_COLUMNS, Registry, RegistryEntry, RegistryError, load_registry
from .resolve import resolve_sources
from .scorer import ATTRIBUTION_COLUMNS, SourceScorer

# Names of the stages that import spaCy at module top, loaded on first access.
_SPACY_NAMES = {
    "Attribution": "extract", "candidate_sentences": "extract", "deep_parse": "extract",
    "selective_parse": "extract", "extract_attributions": "extract",
    "doc_attributions": "rules", "subject_baseline": "rules", "KINDS": "rules",
}

__all__ = ["SourceScorer", "SOURCE_COLUMNS", "ATTRIBUTION_COLUMNS", "REGISTRY_COLUMNS",
           "TYPES", "AFFILIATIONS", "OFFICIAL_TYPES", "QUOTES", "RegistryError", "Registry",
           "RegistryEntry", "load_registry", "resolve_sources", "diversity", "shannon_bits",
           "gini_simpson", "speech_cues", "clausal_cues", "clausal_phrases", "agent_nouns",
           "inanimate_subjects", "role_words", "place_words", "aliases", *_SPACY_NAMES]


def __getattr__(name: str):
    """The names of the spaCy stages (:data:`_SPACY_NAMES`), imported on first access."""
    module = _SPACY_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)  # late: heavy (spaCy)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SPACY_NAMES))

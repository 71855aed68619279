"""Who is cited: attributions, their sources, and how diverse the voices are.

The pipeline, one module a stage:

0. :mod:`~analysis.measures.sources.lexicons`: the word lists and tables (speech cues, who can and
   cannot speak, role words, generic aliases) and the categories :data:`TYPES`;
   :mod:`~analysis.measures.sources.vocabulary`: the words that tie a source to a side, from the study.
1. :mod:`~analysis.measures.sources.extract`: the sentences of the shared parse that can hold an
   attribution and their selective deep parse; :func:`extract_attributions` gives an
   article's :class:`Attribution` records.
2. :mod:`~analysis.measures.sources.rules`: the attribution rules on one parsed sentence
   (:func:`doc_attributions`), with :mod:`~analysis.measures.sources.speakers` (who speaks for a
   cue) and :mod:`~analysis.measures.sources.quotes` (quotation spans).
3. :mod:`~analysis.measures.sources.resolve`: mentions grouped into sources, one person one
   source, typed and given an affiliation and, for a named person, a gender
   (:func:`resolve_sources`), from :mod:`~analysis.measures.sources.people` (name chains and
   the roles around them), :mod:`~analysis.measures.sources.mentions`,
   :mod:`~analysis.measures.sources.pronouns`, :mod:`~analysis.measures.sources.affiliation`
   and :mod:`~analysis.measures.sources.gender`; the study's
   :mod:`~analysis.measures.sources.registry` overrides what the text says.
4. :mod:`~analysis.measures.sources.indices`: the article's ``src_*`` diversity columns
   (:func:`diversity`).
5. :mod:`~analysis.measures.sources.scorer`: :class:`SourceScorer`, the feature group ``sources``
   (registered here, :data:`MEASURE`).

Affiliation follows the study (``analysis.study``). ``source_affiliation`` is a key:

* an actor key of the study, when the source's phrase, its other mentions or the fuller
  mentions of the same person name one of that actor's words (roles, modifiers, places,
  demonyms: "council", "city hall", "strikers"); without actors, the key of the country whose
  name, demonym, capital or province is named (``france``: "French officials");
* ``multiple`` when several sides are named and no modifier before the head decides ("the
  mayor's envoy to the union" is the council's);
* ``other`` when a place or people that spaCy's NER finds (GPE, NORP) is not among the words;
* ``unknown`` when nothing says (and for a pronoun whose source is not clear).

A place that speaks is its government; when nothing else gave it a side, its alias (the
study's ``aliases:`` over ``lexicons/source_aliases.tsv``) may name one. The registry
(``registry:`` of the study, or ``--registry``) overrides all of it.

Columns: ``src_n_attributions``, ``src_n_unique``, ``src_n_types``, ``src_entropy`` (and its
interval; cells type x affiliation), ``src_simpson``, ``src_official_share``, then
``src_share_<key>`` per actor in study order and ``src_share_other``, ``src_share_multiple``,
``src_share_unknown`` (shares of all the article's attributions: they sum to 1; NaN without
attributions), then ``src_anonymous_share``, ``src_direct_quote_share``, and the people
quoted by the gender the article gives them: ``src_n_female``, ``src_n_male``,
``src_share_female`` and its interval (:mod:`~analysis.measures.sources.gender`). Without actors the
countries' shares are found in the data (:attr:`SourceScorer.dynamic_prefix`). See
:mod:`~analysis.measures.sources.indices`.

Stages 1 and 2 import spaCy at module top. Their names are loaded here on first use
(``from analysis.measures.sources import extract_attributions``), so that importing the package for
its categories or its scorer class does not load spaCy.

Examples
--------
>>> from analysis.measures.sources import extract_attributions, resolve_sources
>>> from analysis.text import parse_text
>>> article = parse_text("The Kenyan foreign minister said the talks went well.")
>>> found = extract_attributions(article)
>>> [(a.source, r["source_type"], r["source_affiliation"])
...  for a, r in zip(found, resolve_sources(article, found, study="none"))]
[('The Kenyan foreign minister', 'government official', 'kenya')]
"""

from __future__ import annotations

from importlib import import_module

from ..registry import Column, Measure, register
from .indices import (SHARE_PREFIX, SOURCE_COLUMNS, diversity, gini_simpson, shannon_bits,
                      source_columns)
from .lexicons import (OFFICIAL_TYPES, TYPES, agent_nouns, aliases, clausal_cues,
                       clausal_phrases, inanimate_subjects, role_words, speech_cues)
from .quotes import QUOTES
from .registry import REGISTRY_COLUMNS, Registry, RegistryEntry, RegistryError, load_registry
from .resolve import resolve_sources
from .scorer import ATTRIBUTION_COLUMNS, SourceScorer
from .vocabulary import Vocabulary, vocabulary

# Names of the stages that import spaCy at module top, loaded on first access.
_SPACY_NAMES = {
    "Attribution": "extract", "candidate_sentences": "extract", "deep_parse": "extract",
    "selective_parse": "extract", "extract_attributions": "extract",
    "doc_attributions": "rules", "subject_baseline": "rules", "KINDS": "rules",
}

__all__ = ["MEASURE", "make_scorer", "SourceScorer", "SOURCE_COLUMNS", "SHARE_PREFIX",
           "source_columns", "ATTRIBUTION_COLUMNS", "REGISTRY_COLUMNS", "TYPES", "OFFICIAL_TYPES",
           "QUOTES", "RegistryError", "Registry", "RegistryEntry", "load_registry",
           "resolve_sources", "diversity", "shannon_bits", "gini_simpson", "speech_cues",
           "clausal_cues", "clausal_phrases", "agent_nouns", "inanimate_subjects", "role_words",
           "aliases", "Vocabulary", "vocabulary", *_SPACY_NAMES]


_SHARE = "share, 0 to 1"
_COUNT = "count per article"


def make_scorer(study, registry=None, **_) -> SourceScorer:
    """The sources scorer of a study, with a source registry (default: the study's)."""
    return SourceScorer(registry=registry, study=study)


# The measure ``sources`` (analysis.measures.registry); the columns are those of
# :func:`~analysis.measures.sources.indices.source_columns`, described in its module.
MEASURE = register(Measure(
    name="sources", family="sources", scorer=make_scorer,
    description="who is cited: attributions and the diversity of voices",
    columns=[
        Column("src_n_attributions", _COUNT, "attributions in the article", in_map=False),
        Column("src_n_unique", _COUNT, "distinct sources", in_map=False),
        Column("src_n_types", _COUNT, "distinct source types", in_map=False),
        Column("src_entropy", "bits", "Shannon entropy of the type x affiliation cells",
               interval=True),
        Column("src_simpson", _SHARE, "Gini-Simpson index of the same cells"),
        Column("src_official_share", _SHARE, "share of attributions to officials"),
        Column("src_share_<side>", _SHARE, "share of attributions affiliated with a study "
               "actor (without actors: a country found in the data)"),
        Column("src_share_other", _SHARE, "share affiliated with a side the study does not "
               "list"),
        Column("src_share_multiple", _SHARE, "share affiliated with several sides"),
        Column("src_share_unknown", _SHARE, "share with no side known"),
        Column("src_anonymous_share", _SHARE, "share of attributions to unnamed sources"),
        Column("src_direct_quote_share", _SHARE, "share of attributions that are direct "
               "quotes"),
        Column("src_n_female", "people per article", "named people quoted whom the article "
               "gives the female gender (pronouns, titles, roles, else the first name)",
               in_map=False),
        Column("src_n_male", "people per article", "named people quoted whom the article gives "
               "the male gender", in_map=False),
        Column("src_share_female", _SHARE, "women among the gendered named people quoted",
               interval=True),
    ],
    evidence=["source", "source_cue"],
    tables=SourceScorer.table_columns,
))


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

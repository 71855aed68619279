"""Figures of the notebooks, legible from one article to 100,000 and from one group to dozens.

Every figure has a bounded size: rows, panels and groups are capped, labels wrapped and cut,
and at the house 200 dpi no PNG exceeds 4,000 pixels. Every figure function returns a
:class:`~analysis.plots.plot.Plot`: the figure, its caption (built from the numbers drawn) and
the table it was drawn from; :func:`analysis.figures.save_figure` writes it. The groups of
every figure come from one :class:`~analysis.plots.grouping.Grouping`
(:func:`group_articles`). The modules, by what they draw:

========  =========================================  ============================================
figure    what                                       module (function)
========  =========================================  ============================================
fig00     corpus overview                            ``articles`` (``plot_corpus_overview``)
fig01     net optimism per article                   ``tone`` (``plot_net_optimism``)
fig02     positive, neutral, negative sentences      ``tone`` (``plot_tone_shares``)
fig03     tone through the article                   ``trajectory`` (``plot_tone_trajectory``)
fig04     stance cues                                ``stance`` (``plot_stance_cues``)
fig05     raw vs topic-neutral tone                  ``tone`` (``plot_tone_adaptation``)
fig06     emphasis heatmap                           ``emphasis`` (``plot_emphasis_heatmap``)
fig07     required (or top) frames with intervals    ``emphasis`` (``plot_required_frames``)
fig08     the terms behind each frame                ``emphasis`` (``plot_frame_terms``)
fig09     source types                               ``sources`` (``plot_source_types``)
fig10     source affiliations                        ``sources`` (``plot_affiliation_shares``)
fig11     source diversity                           ``sources`` (``plot_source_diversity``)
fig12     named sources × articles                   ``source_matrix`` (``plot_source_matrix``)
fig13     text similarity                            ``similarity`` (``plot_similarity``)
fig14     framing map (PCA)                          ``framing_map`` (``plot_framing_map``)
fig15     distinctive terms of articles or groups    ``top_terms`` (``plot_top_terms``)
fig16     framing profile                            ``profile`` (``plot_framing_profile``)
fig17     group means                                ``group_means`` (``plot_group_means``)
fig18     contrasts between groups                   ``contrasts`` (``plot_contrasts``)
fig19     framing over time                          ``timeline`` (``plot_timeline``)
fig20     distinctive words of groups                ``terms`` (``plot_distinctive_terms``)
fig21     source composition of groups               ``source_composition``
                                                     (``plot_source_composition``)
fig22     tone toward each actor by group            ``toward`` (``tone_toward_figure``)
fig23     women among the people quoted, over time   ``gender`` (``plot_women_quoted``)
fig30     learning curve of a learned measure        ``learned`` (``plot_learning_curve``)
fig31     the heaviest terms of a learned measure    ``learned`` (``plot_learned_terms``)
fig32     agreement of coders and model              ``learned`` (``plot_agreement``)
fig33     a learned measure by article or group      ``learned`` (``plot_learned_groups``)
========  =========================================  ============================================

Notebooks 00-03 import :mod:`~analysis.plots.articles` as ``ap``, which gathers the names they
use. Figures that start from articles (fig00-fig16) draw articles while the corpus is small and
groups beyond the thresholds of :mod:`~analysis.plots.grouping`. For notebook 05,
:mod:`~analysis.plots.group_figures` reads the tables ``python -m analysis compare`` wrote
(:func:`analysis.compare.read_comparison`) for a :class:`Grouping` and returns a :class:`Plot`
(fig17-fig21) drawn by the functions above, or a placeholder (:func:`~analysis.plots.plot.not_drawn`) that says why the figure could not be
drawn. These figures are functions of the comparison tables, not of the articles, so their size
depends only on the numbers of groups, measures and periods.

Shared layout: :mod:`~analysis.plots.layout` (group colours from the one palette
:data:`analysis.figures.OKABE_ITO`, size limits, label wrapping, caption pieces, which groups
are the largest), :mod:`~analysis.plots.facets` (small multiples of intervals),
:mod:`~analysis.plots.labels` (label placement without overlaps), :mod:`~analysis.plots.draw`
(drawing idioms of the per-article figures) and :mod:`~analysis.plots.affiliations` (which
source affiliations a figure shows: the study's actors, or the most cited countries, the rest
drawn as one).

The names below are importable from ``analysis.plots`` directly, e.g. ``plots.group_articles``
and ``plots.plot_similarity``.

Examples
--------
>>> from analysis import plots
>>> plots.group_colors(["b", "a"])
{'a': '#E69F00', 'b': '#56B4E9', 'other groups': '#999999'}
>>> from analysis.plots import articles as ap
>>> ap.MAX_ARTICLE_COLORS, ap.MAX_ARTICLE_ROWS
(12, 30)
"""

from __future__ import annotations

from . import articles
from .contrasts import plot_contrasts
from .facets import facet_intervals
from .framing_map import plot_framing_map
from .group_figures import (contrasts_figure, distinctive_words_figure, group_means_figure,
                            source_composition_figure, timeline_figure, women_quoted_figure,
                            word_counts)
from .group_means import plot_group_means
from .grouping import Grouping, group_articles
from .labels import place_labels
from .layout import (GREY, GROUP_PALETTE, MAX_INCHES, group_colors, measure_unit, placeholder,
                     ranked_groups, shown_groups, wrap_label)
from .plot import Plot, not_drawn
from .profile import plot_framing_profile
from .similarity import TextSimilarity, plot_similarity, text_similarity
from .source_composition import plot_source_composition
from .terms import plot_distinctive_terms
from .timeline import plot_timeline
from .toward import plot_tone_toward, tone_toward_figure
from .top_terms import (group_term_counts, group_top_terms, plot_article_terms,
                        plot_group_terms, plot_top_terms, tfidf_top_terms)

__all__ = ["articles", "Plot", "not_drawn",
           "GROUP_PALETTE", "GREY", "MAX_INCHES", "group_colors", "wrap_label", "measure_unit",
           "ranked_groups", "shown_groups", "place_labels", "facet_intervals", "placeholder",
           # the groups of every figure
           "Grouping", "group_articles",
           # notebook 05: from the features table to each figure (fig17-fig21)
           "group_means_figure", "contrasts_figure", "timeline_figure", "word_counts",
           "distinctive_words_figure", "source_composition_figure", "women_quoted_figure",
           "plot_group_means",
           "plot_contrasts", "plot_timeline", "plot_distinctive_terms",
           "plot_source_composition", "tone_toward_figure", "plot_tone_toward",
           # notebook 04 (fig13-fig16)
           "TextSimilarity", "text_similarity", "plot_similarity", "plot_framing_map",
           "plot_top_terms", "tfidf_top_terms", "plot_article_terms", "group_term_counts",
           "group_top_terms", "plot_group_terms", "plot_framing_profile"]

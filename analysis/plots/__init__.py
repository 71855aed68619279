"""Figures of the notebooks, legible from one article to 100,000 and from one group to dozens.

Every figure has a bounded size: rows, panels and groups are capped, labels wrapped and cut,
and at the house 200 dpi no PNG exceeds 4,000 pixels. Each function returns the figure (and
its caption where the caption depends on the data); :func:`analysis.figures.save_figure`
writes it. The modules, by what they draw:

Figures that start from articles (notebooks 00-04)
    :mod:`~analysis.plots.articles` (imported by notebooks 00-03 as ``ap``: fig00 and every
    name of :mod:`~analysis.plots.tone` fig01-fig05, :mod:`~analysis.plots.emphasis`
    fig06-fig08 and :mod:`~analysis.plots.sources` fig09-fig12);
    :mod:`~analysis.plots.similarity` fig13, :mod:`~analysis.plots.framing_map` fig14,
    :mod:`~analysis.plots.terms` fig15 (and fig20), :mod:`~analysis.plots.profile` fig16.
    They draw articles while the corpus is small and groups beyond the thresholds of
    :mod:`~analysis.plots.groups` (:class:`ArticleGroups`).
Group comparisons (notebook 05)
    :mod:`~analysis.plots.group_figures` runs each comparison of :mod:`analysis.compare` for a
    :class:`Grouping` and returns a :class:`GroupFigure` (fig17-fig21), or a placeholder that
    says why the figure could not be drawn; it draws with
    :mod:`~analysis.plots.group_panels` (fig17, fig18, fig21), :mod:`~analysis.plots.timeline`
    (fig19) and :mod:`~analysis.plots.terms` (fig20). These figures are functions of the
    comparison tables, not of the articles, so their size depends only on the numbers of
    groups, measures and periods.
Shared layout
    :mod:`~analysis.plots.layout` (group colours, size limits, label wrapping, caption
    pieces), :mod:`~analysis.plots.facets` (small multiples of intervals),
    :mod:`~analysis.plots.labels` (label placement without overlaps),
    :mod:`~analysis.plots.draw` (drawing idioms of the per-article figures) and
    :mod:`~analysis.plots.affiliations` (which source affiliations a figure shows: the study's
    actors, or the most cited countries, the rest drawn as one).

The names below are importable from ``analysis.plots`` directly, e.g. ``plots.group_articles``
in notebook 05 and ``plots.plot_similarity`` in notebook 04. ``plots.plot_source_shares`` is
the group comparison of fig21; fig09 and fig10 use ``articles.plot_source_shares``.

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
from .facets import facet_intervals
from .framing_map import plot_framing_map
from .group_figures import (contrasts_figure, distinctive_words_figure, group_means_figure,
                            source_composition_figure, timeline_figure, word_counts)
from .group_panels import plot_contrasts, plot_group_means, plot_source_shares
from .grouping import GroupFigure, Grouping, group_articles
from .labels import place_labels
from .layout import (GREY, GROUP_PALETTE, MAX_INCHES, group_colors, measure_unit, placeholder,
                     shown_groups, wrap_label)
from .profile import plot_framing_profile
from .similarity import TextSimilarity, plot_similarity, text_similarity
from .terms import (group_term_counts, group_top_terms, plot_article_terms,
                    plot_distinctive_terms, plot_group_terms, tfidf_top_terms)
from .timeline import plot_timeline

__all__ = ["articles",
           "GROUP_PALETTE", "GREY", "MAX_INCHES", "group_colors", "wrap_label", "measure_unit",
           "shown_groups", "place_labels", "facet_intervals", "placeholder", "plot_group_means",
           "plot_contrasts", "plot_timeline", "plot_distinctive_terms", "plot_source_shares",
           # notebook 05: from the features table to each figure (fig17-fig21)
           "Grouping", "GroupFigure", "group_articles", "group_means_figure", "contrasts_figure",
           "timeline_figure", "word_counts", "distinctive_words_figure",
           "source_composition_figure",
           # notebook 04 (fig13-fig16)
           "TextSimilarity",
           "text_similarity", "plot_similarity", "plot_framing_map", "tfidf_top_terms",
           "plot_article_terms", "group_term_counts", "group_top_terms", "plot_group_terms",
           "plot_framing_profile"]

"""TRANSITIONAL: the old home of fig17, fig18 and fig21, kept only because
:mod:`analysis.plots.group_figures` (rewritten elsewhere) still imports from here. Delete this
module once it imports :func:`~analysis.plots.group_means.plot_group_means`,
:func:`~analysis.plots.contrasts.plot_contrasts` and
:func:`~analysis.plots.source_composition.plot_source_composition` from their modules.
"""

from __future__ import annotations

from .contrasts import plot_contrasts
from .group_means import plot_group_means
from .source_composition import plot_source_composition as plot_source_shares

__all__ = ["plot_group_means", "plot_contrasts", "plot_source_shares"]

"""The measures: one room per family of framing features, and the registry that lists them.

``tone/`` (optimism vs caution, VADER), ``emphasis/`` (thematic frames and dictionaries),
``sources/`` (who is cited), ``terms.py`` (the lemma counts table). Each room's scorer reads the
shared parse of an article (:mod:`analysis.text`) and returns its columns, evidence and tables;
each room registers its measure once (:mod:`analysis.measures.registry`), which is all the
rest of the package reads to list the measures.

A measure of your own is one scorer class and one registration (``docs/layout.md``, "Adding a
measure")::

    from analysis.measures import Column, Measure, register
    register(Measure(name="exclaim", family="style",
                     columns=[Column("style_exclaim", scale="per 1,000 words",
                                     description="exclamation marks per 1,000 words")],
                     scorer=lambda study, **kw: ExclamationRate()))
"""

from .registry import (BUILTIN, Column, Measure, MeasureError, column_of, families,
                       measure_names, measure_of, measures, register, unregister)

__all__ = ["BUILTIN", "Column", "Measure", "MeasureError", "register", "unregister", "measures",
           "measure_names", "measure_of", "column_of", "families"]

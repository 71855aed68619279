"""The measures: one room per family of framing features.

``tone/`` (optimism vs caution, VADER), ``emphasis/`` (thematic frames and dictionaries),
``sources/`` (who is cited). Each room's scorer reads the shared parse of an article
(:mod:`analysis.text`) and returns its columns, evidence and tables.
"""

"""The project's errors: one root, :class:`AnalysisError`, so a caller can catch every stop the
package raises on purpose (bad input, bad word list, bad registry, an engine that cannot start)
apart from bugs. ``str(err)`` is always the one-line message the command line prints.

* :class:`CorpusError` (``analysis.corpus``): an unreadable corpus, or a problem in strict mode;
* :class:`LexiconError` (here): a malformed word list or rule table; ``DictionaryError``
  (``analysis.dictionaries``) and ``RegistryError`` (``analysis.measures.sources``) are kinds of it;
* ``ReportError`` (``analysis.report``), ``EngineError`` (``analysis.scale``).
"""

from __future__ import annotations

__all__ = ["AnalysisError", "CorpusError", "LexiconError"]


class AnalysisError(ValueError):
    """Root of every error the package raises on purpose; ``str(err)`` is one line."""


class CorpusError(AnalysisError):
    """A corpus problem: an unreadable corpus, or a problem raised in strict mode."""


class LexiconError(AnalysisError):
    """A malformed word list, rule table, user dictionary or source registry."""

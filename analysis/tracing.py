"""Which article an error was raised on: scorers whose exceptions name their article.

:func:`trace_articles` wraps the scorers of a run (``wrap_scorers`` of
:func:`analysis.parallel.iter_features_parallel`; every scorer of the dask engine,
:mod:`analysis.scale`) so that an exception raised while scoring an article carries the
article's id; :func:`article_of` reads it back, also through ``raise ... from`` chains. The mark
is an attribute, so it survives pickling from a worker process (local or dask) to the parent.
The command line names the article in its one line on an internal error
(:func:`analysis.cli.failures.internal_error`).

This module is light (the standard library only): the command line imports it for ``status``.

Examples
--------
>>> class Boom:
...     def score(self, art, idx):
...         raise RuntimeError("boom")
>>> class Article:
...     article_id = "a-17"
>>> [traced] = trace_articles([Boom()])
>>> try:
...     traced.score(Article(), None)
... except RuntimeError as err:
...     article_of(err)
'a-17'
"""

from __future__ import annotations

__all__ = ["ARTICLE_ATTR", "article_of", "trace_articles"]

ARTICLE_ATTR = "analysis_article_id"  # set on an exception raised while scoring an article


class _Traced:
    """A scorer whose exceptions carry the article being scored (``analysis_article_id`` and a
    note), so an internal error can say where it happened; everything else is the scorer's."""

    def __init__(self, scorer):
        self._scorer = scorer

    def __getattr__(self, name):
        if name == "_scorer":
            raise AttributeError(name)
        return getattr(self._scorer, name)

    def score(self, art, idx):
        try:
            return self._scorer.score(art, idx)
        except Exception as err:
            if getattr(err, ARTICLE_ATTR, None) is None:
                setattr(err, ARTICLE_ATTR, art.article_id)
                err.add_note(f"while scoring article {art.article_id}")
            raise


def trace_articles(scorers: list) -> list:
    """Wrap scorers so that an exception they raise names the article it was raised on.

    Passed by reference to the workers that score chunks (``wrap_scorers`` of
    :func:`analysis.parallel.iter_features_parallel`), so it must stay importable by name.

    Parameters
    ----------
    scorers : list
        Scorers with a ``score(article, index)`` method.

    Returns
    -------
    list
        One wrapper per scorer. A wrapper behaves as its scorer, except that an exception from
        ``score`` gets the attribute ``analysis_article_id`` and a note naming the article.
    """
    return [_Traced(s) for s in scorers]


def article_of(err: BaseException) -> str | None:
    """The article an exception (or one it was raised from) was raised on.

    Parameters
    ----------
    err : BaseException
        An exception, possibly re-raised from (``__cause__``) or while handling
        (``__context__``) a traced one.

    Returns
    -------
    str or None
        The ``article_id`` of the first marked exception in the chain; None when none is.
    """
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        aid = getattr(err, ARTICLE_ATTR, None)
        if aid is not None:
            return str(aid)
        err = err.__cause__ or err.__context__
    return None

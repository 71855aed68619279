"""Emphasis: thematic frames. ``scorer.py`` (frame dictionaries, user dictionaries),
``temporal.py`` (past years and decades for history).

The measure ``emphasis`` is registered here (:mod:`analysis.measures.registry`); its columns
are described in :mod:`analysis.measures.emphasis.scorer`.
"""

from __future__ import annotations

from ..registry import Column, Measure, register
from .scorer import EmphasisScorer
from .sets import FRAME_SETS, frame_keys

__all__ = ["EmphasisScorer", "make_scorer", "MEASURE"]


def make_scorer(study, dictionaries=None, **_) -> EmphasisScorer:
    """The emphasis scorer: the built-in frames of the study's frame sets (``frames``,
    default ``default``) with the study's frame additions, and the user dictionaries
    (``emph_<key>`` columns)."""
    return EmphasisScorer(dictionaries=dictionaries, frame_additions=study.dictionaries,
                          frames=study.frames or None)


def _set_columns(prefix: str, title: str) -> list[Column]:
    """The columns of a prefixed frame set: declared apart so each names its codebook."""
    return [Column(f"emph_{prefix}<frame>", "per 1,000 words", f"matches of a {title} "
                   "frame's patterns per 1,000 words", interval=True),
            Column(f"emph_{prefix}<frame>_share", "share, 0 to 1",
                   f"share of sentences with a {title} frame match", in_map=False)]


MEASURE = register(Measure(
    name="emphasis", family="emphasis", scorer=make_scorer,
    description="thematic frames and dictionary keys",
    columns=[
        Column("emph_<key>", "per 1,000 words", "matches of a frame's (or a study's or user "
               "dictionary's key's) patterns per 1,000 words", interval=True),
        Column("emph_<key>_share", "share, 0 to 1", "share of sentences with a match",
               in_map=False),
        *(c for fs in FRAME_SETS.values() if fs.prefix
          for c in _set_columns(fs.prefix, fs.title)),
        Column("frame_dominant", "frame name", "the built-in frame of the first frame set "
               "with the highest rate, or none"),
    ],
    evidence=[*frame_keys(tuple(FRAME_SETS)), "<key>"],
))

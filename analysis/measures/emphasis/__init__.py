"""Emphasis: thematic frames. ``scorer.py`` (frame dictionaries, user dictionaries),
``temporal.py`` (past years and decades for history).

The measure ``emphasis`` is registered here (:mod:`analysis.measures.registry`); its columns
are described in :mod:`analysis.measures.emphasis.scorer`.
"""

from __future__ import annotations

from ..registry import Column, Measure, register
from .scorer import FRAMES, EmphasisScorer

__all__ = ["EmphasisScorer", "make_scorer", "MEASURE"]


def make_scorer(study, dictionaries=None, **_) -> EmphasisScorer:
    """The emphasis scorer: the built-in frames with the study's frame additions, and the
    user dictionaries (``emph_<key>`` columns)."""
    return EmphasisScorer(dictionaries=dictionaries, frame_additions=study.dictionaries)


MEASURE = register(Measure(
    name="emphasis", family="emphasis", scorer=make_scorer,
    description="thematic frames and dictionary keys",
    columns=[
        Column("emph_<key>", "per 1,000 words", "matches of a frame's (or a study's or user "
               "dictionary's key's) patterns per 1,000 words", interval=True),
        Column("emph_<key>_share", "share, 0 to 1", "share of sentences with a match",
               in_map=False),
        Column("frame_dominant", "frame name", "the built-in frame with the highest rate, or "
               "none"),
    ],
    evidence=[*FRAMES, "<key>"],
))

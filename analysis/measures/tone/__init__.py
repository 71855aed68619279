"""Tone: optimism vs caution. ``scorer.py`` (the measure), ``vader.py`` (VADER in one pass),
``learned.py`` (the learned sentence tone; ``training.py`` rebuilds its model file),
``toward.py`` and ``targets.py`` (tone toward each actor: clauses, mentions, coreference).

The measure ``tone`` is registered here (:mod:`analysis.measures.registry`); its columns and
scales are described in :mod:`analysis.measures.tone.scorer`.
"""

from __future__ import annotations

from ..registry import Column, Measure, register
from .scorer import CUE_LISTS, ToneScorer
from .toward import TowardScorer, joined

__all__ = ["ToneScorer", "make_scorer", "MEASURE"]

_COMPOUND = "mean VADER compound, −1 to +1"
_RATE = "per 1,000 words"
_SHARE = "share, 0 to 1"
_TOWARD = "mean learned clause tone, −1 to +1"


def make_scorer(study, **_):
    """The tone scorer of a study (its topic terms are neutralised in ``tone_mean_adapted``),
    joined with the tone toward its actors (and its ``target_column``'s targets)."""
    return joined("tone", ToneScorer(topic_terms=study.topic_terms), TowardScorer.of_study(study))


MEASURE = register(Measure(
    name="tone", family="tone", scorer=make_scorer,
    description="sentence tone (VADER) and optimism vs caution",
    columns=[
        Column("tone_mean", _COMPOUND, "mean VADER compound over the article's sentences",
               interval=True),
        Column("tone_pos_share", _SHARE, "share of sentences with compound >= +0.05"),
        Column("tone_neg_share", _SHARE, "share of sentences with compound <= -0.05"),
        Column("tone_mean_adapted", _COMPOUND, "mean compound with the study's topic terms "
               "neutralised and words in proper names given no valence", interval=True),
        Column("tone_learned", "predicted rating, −1 to +1", "mean learned sentence tone "
               "(a weighted lexicon trained on human ratings) over the body sentences",
               interval=True),
        Column("optimism", _RATE, "optimism cues per 1,000 words"),
        Column("caution", _RATE, "caution cues per 1,000 words"),
        Column("hedging", _RATE, "hedges per 1,000 words"),
        Column("boosting", _RATE, "boosters per 1,000 words"),
        Column("net_optimism", "index, −1 to +1", "mean over sentences of (learned tone + "
               "stance) / 2: -1 cautious, +1 optimistic", interval=True),
        # <actor>: a study's actor, or "target", the article's own (--target-column)
        Column("tone_toward_<actor>", _TOWARD, "mean tone of the clauses that mention the "
               "actor (or the article's own target) or refer to it (pronouns)", interval=True),
        Column("tone_toward_<actor>_n", "count", "mentions of the actor", in_map=False),
    ],
    evidence=[*CUE_LISTS, "tone_positive", "tone_negative", "tone_learned",
              "tone_toward_<actor>"],
    tables=ToneScorer.table_columns,
))

"""Named numeric features a learned model may use besides its terms (``featurise: numeric``).

Each is a function of one sentence's text returning a number; an article-level model reads the
mean over the article's sentences. Built in: ``vader_compound`` (VADER's compound score as
:mod:`analysis.measures.tone.vader` computes it, -1 to +1), ``vader_pos`` and ``vader_neg``
(VADER's shares of positive and negative valence, 0 to 1; one VADER call per sentence serves all
three) and ``log_words`` (ln(1 + the sentence's words)). :func:`register_numeric` adds one from Python (known in that process only:
worker processes know the built-in ones).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Callable

from ..tone.vader import plain_analyzer, vader_scores

__all__ = ["NUMERIC", "register_numeric"]


@lru_cache(maxsize=4096)
def _vader(text: str) -> dict:
    return vader_scores(plain_analyzer(), text)


def _vader_compound(text: str) -> float:
    return float(_vader(text)["compound"])


def _log_words(text: str) -> float:
    return math.log1p(len(text.split()))


NUMERIC: dict[str, Callable[[str], float]] = {
    "vader_compound": _vader_compound,
    "vader_pos": lambda text: float(_vader(text)["pos"]),
    "vader_neg": lambda text: float(_vader(text)["neg"]),
    "log_words": _log_words,
}


def register_numeric(name: str, function: Callable[[str], float]) -> None:
    """Add a named numeric feature: ``function(sentence_text) -> float``."""
    if name in NUMERIC:
        raise ValueError(f"numeric feature {name!r} is already registered")
    NUMERIC[name] = function

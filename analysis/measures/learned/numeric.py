"""Named numeric features a learned model may use besides its terms (``featurise: numeric``).

Each is a function of one sentence's text returning a number; an article-level model reads the
mean over the article's sentences. Built in: ``vader_compound`` (VADER's compound score as
:mod:`analysis.measures.tone.vader` computes it, -1 to +1) and ``log_words`` (ln(1 + the
sentence's words)). :func:`register_numeric` adds one from Python (known in that process only:
worker processes know the built-in ones).
"""

from __future__ import annotations

import math
from typing import Callable

from ..tone.vader import plain_analyzer, vader_scores

__all__ = ["NUMERIC", "register_numeric"]


def _vader_compound(text: str) -> float:
    return float(vader_scores(plain_analyzer(), text)["compound"])


def _log_words(text: str) -> float:
    return math.log1p(len(text.split()))


NUMERIC: dict[str, Callable[[str], float]] = {
    "vader_compound": _vader_compound,
    "log_words": _log_words,
}


def register_numeric(name: str, function: Callable[[str], float]) -> None:
    """Add a named numeric feature: ``function(sentence_text) -> float``."""
    if name in NUMERIC:
        raise ValueError(f"numeric feature {name!r} is already registered")
    NUMERIC[name] = function

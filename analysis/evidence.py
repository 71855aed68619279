"""Evidence: the words and sentences behind every score.

``kwic_lines`` prints keyword-in-context lines from the evidence table (``evidence.csv``:
``article_id, sentence_id, feature, term, start, end, sentence``; ``start``/``end`` are
character offsets of the matched words within ``sentence``).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["kwic_lines", "kwic"]


def kwic(sentence: str, start: int, end: int, width: int = 50) -> tuple[str, str, str]:
    left = sentence[max(0, start - width):start]
    right = sentence[end:end + width]
    left = ("…" if start > width else "") + left
    right = right + ("…" if end + width < len(sentence) else "")
    return left, sentence[start:end], right


def kwic_lines(rows: pd.DataFrame, width: int = 50) -> list[str]:
    """One aligned line per evidence row: ``feature  s<sentence_id>  left [match] right``."""
    out = []
    for r in rows.sort_values(["sentence_id", "start", "feature"], kind="stable").itertuples():
        left, hit, right = kwic(str(r.sentence), int(r.start), int(r.end), width)
        out.append(f"{r.feature:<14} s{int(r.sentence_id):<4} {left:>{width + 1}} [{hit}] {right}")
    return out

"""The source-diversity indices of an article: the ``src_*`` feature columns.

Unit of the indices: an attribution (each time a source is cited), so a source cited five
times weighs five times: the measures describe whose voice the reader hears how often.
``src_n_unique`` counts sources instead.

Columns (fixed order, :func:`source_columns`)
---------------------------------------------
``src_n_attributions``   attributions in the article (count, >= 0), unresolved pronouns included.
``src_n_unique``         distinct sources (count); unresolved pronouns are not counted.
``src_n_types``          distinct source types among resolved attributions ("unknown" excluded).
``src_entropy``          Shannon entropy (bits) of the type x affiliation cells over resolved
                         attributions; 0 = one kind of voice; log2(cells) when all are equal.
                         NaN without resolved attributions.
``src_entropy_lo/_hi``   its 95% sentence-bootstrap interval.
``src_simpson``          Gini-Simpson index 1 - sum(p^2) over the same cells: the probability that
                         two attributions drawn at random come from different cells; 0 .. 1.
``src_official_share``   share of attributions whose source is a government official,
                         military/security or diplomat/delegation; 0 .. 1 (NaN: none).
``src_share_<key>``     share of attributions affiliated with the study's actor ``<key>``, one
                         column per actor in study order; 0 .. 1.
``src_share_other``, ``src_share_multiple``, ``src_share_unknown``  share of attributions
                         affiliated with a side the study does not list, with several sides,
                         with none known (unresolved pronouns are unknown); 0 .. 1. With the
                         actors' shares they sum to 1.
``src_anonymous_share``  share of attributions with an unnamed/anonymous source; 0 .. 1.
``src_direct_quote_share``  share of attributions that are direct quotes; 0 .. 1.
``src_n_female``, ``src_n_male``  named people quoted whom the article gives that gender
                         (``source_gender``): people, not attributions (a woman quoted five
                         times counts once).
``src_share_female``     women among the gendered named people quoted,
                         ``src_n_female / (src_n_female + src_n_male)``; NaN when none.
``src_share_female_lo/_hi``  its 95% sentence-bootstrap interval (a person belongs to the
                         sentence that first quotes them).

Without actors (the sides are countries) the share columns of the countries are found in the
data: :func:`diversity` returns ``src_share_<country key>`` for every country an article's
attributions are affiliated with, and :data:`SOURCE_COLUMNS` (the columns of every study) holds
only the three reserved shares.

Every share has all attributions of the article as denominator (unresolved pronouns count as
unknown); NaN when the article has none. The entropy interval resamples the counts of the
sentences that have attributions only, a block of resamples at a time
(:func:`analysis.measures.emphasis.scorer.resampled_sums`; exact: the sums are of counts), so its memory does not
grow with sentences x resamples x cells.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..emphasis.scorer import resampled_sums
from ...stats import percentile_interval
from ...study import RESERVED
from .lexicons import OFFICIAL_TYPES

__all__ = ["SOURCE_COLUMNS", "SHARE_PREFIX", "GENDER_COLUMNS", "source_columns", "diversity",
           "shannon_bits", "gini_simpson", "side_share", "gender_counts"]

SHARE_PREFIX = "src_share_"
_HEAD = ["src_n_attributions", "src_n_unique", "src_n_types", "src_entropy", "src_entropy_lo",
         "src_entropy_hi", "src_simpson", "src_official_share"]
_TAIL = ["src_anonymous_share", "src_direct_quote_share"]
GENDER_COLUMNS = ["src_n_female", "src_n_male", "src_share_female", "src_share_female_lo",
                  "src_share_female_hi"]


def side_share(column: str) -> bool:
    """Whether a column is the share of a side (``src_share_<key>``), not of women."""
    return column.startswith(SHARE_PREFIX) and not column.startswith("src_share_female")


def source_columns(actors=()) -> list[str]:
    """The ``src_*`` columns of a study, in their fixed order.

    Parameters
    ----------
    actors : sequence of str
        The study's actor keys in study order; empty when the sides are countries (their
        columns are found in the data).

    Returns
    -------
    list of str

    Examples
    --------
    >>> [c for c in source_columns(["council", "union"]) if side_share(c)]
    ['src_share_council', 'src_share_union', 'src_share_other', 'src_share_multiple', \
'src_share_unknown']
    """
    return [*_HEAD, *(SHARE_PREFIX + k for k in (*actors, *RESERVED)), *_TAIL, *GENDER_COLUMNS]


SOURCE_COLUMNS = source_columns()  # the columns of every study: no actor's share


def shannon_bits(counts) -> float:
    """Shannon entropy in bits of a vector of counts.

    Parameters
    ----------
    counts : array-like of float
        Counts per cell (zeros allowed).

    Returns
    -------
    float
        0 for one occupied cell, log2(k) for k equal cells; NaN when the total is 0.

    Examples
    --------
    >>> shannon_bits([3, 3, 0])
    1.0
    """
    c = np.asarray(counts, dtype=float)
    total = c.sum()
    if total <= 0:
        return float("nan")
    p = c[c > 0] / total
    return float(-(p * np.log2(p)).sum()) + 0.0  # + 0.0: no negative zero


def gini_simpson(counts) -> float:
    """Gini-Simpson index 1 - sum(p^2) of a vector of counts.

    Parameters
    ----------
    counts : array-like of float
        Counts per cell (zeros allowed).

    Returns
    -------
    float
        The chance that two draws (with replacement) fall in different cells, 0 .. 1; NaN
        when the total is 0.

    Examples
    --------
    >>> gini_simpson([1, 1])
    0.5
    """
    c = np.asarray(counts, dtype=float)
    total = c.sum()
    if total <= 0:
        return float("nan")
    p = c / total
    return float(1.0 - (p * p).sum())


def _entropy_rows(m: np.ndarray) -> np.ndarray:
    tot = m.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tot > 0, m / tot, 0.0)
        logs = np.where(p > 0, np.log2(np.where(p > 0, p, 1.0)), 0.0)
    h = -(p * logs).sum(axis=1) + 0.0  # + 0.0: no negative zero
    return np.where(tot[:, 0] > 0, h, np.nan)


def diversity(rows: list[dict], n_sentences: int = 0, idx: np.ndarray | None = None,
              actors=None) -> dict:
    """The ``src_*`` columns of an article from its resolved attribution rows.

    Parameters
    ----------
    rows : list of dict
        One per attribution, with ``mention``, ``source_type``, ``source_affiliation``,
        ``kind``, ``key`` and ``sentence_id`` (as :class:`~analysis.measures.sources.SourceScorer`
        makes them from :func:`~analysis.measures.sources.resolve.resolve_sources`).
    n_sentences : int, default 0
        Sentences in the article; 0 (or no ``idx``) gives no bootstrap interval.
    idx : ndarray of int, shape (n_resamples, n_sentences), optional
        Sentence-bootstrap indices; the interval of ``src_entropy`` resamples them.
    actors : sequence of str, optional
        The study's actor keys: a ``src_share_<key>`` column each. None: the sides are found
        in the rows (countries), a column for every affiliation besides the reserved ones.

    Returns
    -------
    dict
        Column name -> value: the columns of :func:`source_columns` (``actors``), plus, when
        ``actors`` is None, ``src_share_<key>`` of every other affiliation in the rows. Without
        ``idx`` the interval is the estimate itself (NaN without resolved attributions).

    Examples
    --------
    >>> row = {"mention": "name", "source_type": "media", "source_affiliation": "other",
    ...        "kind": "direct", "key": "name:bbc", "sentence_id": 0}
    >>> d = diversity([row, dict(row, source_type="expert/analyst", key="np:analysts")])
    >>> d["src_entropy"], d["src_n_unique"], d["src_direct_quote_share"], d["src_share_other"]
    (1.0, 2, 1.0, 1.0)
    """
    n = len(rows)
    resolved = [r for r in rows if r["mention"] != "unresolved_pronoun"]
    cells = Counter((r["source_type"], r["source_affiliation"]) for r in resolved)
    keys = sorted(cells)
    counts = [cells[k] for k in keys]

    def share(pred) -> float:
        return sum(1 for r in rows if pred(r)) / n if n else float("nan")

    out = {
        "src_n_attributions": n,
        "src_n_unique": len({r["key"] for r in resolved}),
        "src_n_types": len({r["source_type"] for r in resolved} - {"unknown"}),
        "src_entropy": shannon_bits(counts),
        "src_entropy_lo": float("nan"), "src_entropy_hi": float("nan"),
        "src_simpson": gini_simpson(counts),
        "src_official_share": share(lambda r: r["source_type"] in OFFICIAL_TYPES),
    }
    affs = Counter(r["source_affiliation"] for r in rows)
    sides = list(actors) if actors is not None else sorted(set(affs) - set(RESERVED))
    for key in (*sides, *RESERVED):
        out[SHARE_PREFIX + key] = affs[key] / n if n else float("nan")
    out |= {
        "src_anonymous_share": share(lambda r: r["source_type"] == "unnamed/anonymous"),
        "src_direct_quote_share": share(lambda r: r["kind"] == "direct"),
    }
    out |= gender_counts(rows, idx if n_sentences else None)
    if resolved and idx is not None and idx.size and n_sentences:
        # Counts per cell for the sentences with an attribution only; the resampled sums are
        # made a block of resamples at a time (``per_sent[idx]`` over all sentences is
        # resamples x sentences x cells: 7 GB for one article of 15,000 sentences).
        sents = sorted({r["sentence_id"] for r in resolved})
        row = {s: i for i, s in enumerate(sents)}
        per_sent = np.zeros((len(sents), len(keys)))
        col = {k: j for j, k in enumerate(keys)}
        for r in resolved:
            per_sent[row[r["sentence_id"]],
                     col[(r["source_type"], r["source_affiliation"])]] += 1
        boot = resampled_sums(idx, per_sent, np.array(sents))  # (n_resamples, cells)
        lo, hi = percentile_interval(_entropy_rows(boot))
        out["src_entropy_lo"], out["src_entropy_hi"] = lo + 0.0, hi + 0.0
    elif resolved:
        out["src_entropy_lo"] = out["src_entropy_hi"] = out["src_entropy"]
    return out


def gender_counts(rows: list[dict], idx: np.ndarray | None = None) -> dict:
    """``src_n_female``, ``src_n_male``, ``src_share_female`` and its interval from an
    article's attribution rows (``key``, ``source_gender``, ``sentence_id``).

    Every named person counts once (their ``key``), in the sentence that first quotes them.

    Examples
    --------
    >>> rows = [{"key": "person:ruiz", "source_gender": "female", "sentence_id": 0},
    ...         {"key": "person:ruiz", "source_gender": "female", "sentence_id": 2},
    ...         {"key": "person:dar", "source_gender": "male", "sentence_id": 1},
    ...         {"key": "np:officials", "source_gender": "", "sentence_id": 1}]
    >>> d = gender_counts(rows)
    >>> d["src_n_female"], d["src_n_male"], d["src_share_female"]
    (1, 1, 0.5)
    """
    first: dict[str, tuple[int, str]] = {}
    for r in rows:
        g = r.get("source_gender", "")
        if g in ("female", "male") and r["key"]:
            sid = int(r["sentence_id"])
            if r["key"] not in first or sid < first[r["key"]][0]:
                first[r["key"]] = (sid, g)
    n_f = sum(1 for _, g in first.values() if g == "female")
    n_m = sum(1 for _, g in first.values() if g == "male")
    share = n_f / (n_f + n_m) if n_f + n_m else float("nan")
    lo = hi = share
    if n_f + n_m and idx is not None and idx.size:
        sents = sorted({s for s, _ in first.values()})
        row = {s: i for i, s in enumerate(sents)}
        per_sent = np.zeros((len(sents), 2))
        for s, g in first.values():
            per_sent[row[s], 0 if g == "female" else 1] += 1
        boot = resampled_sums(idx, per_sent, np.array(sents))
        tot = boot.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            draws = np.where(tot > 0, boot[:, 0] / np.where(tot > 0, tot, 1), np.nan)
        lo, hi = percentile_interval(draws)
        lo, hi = lo + 0.0, hi + 0.0
    return {"src_n_female": n_f, "src_n_male": n_m, "src_share_female": share,
            "src_share_female_lo": lo, "src_share_female_hi": hi}

"""What to code next: a stratified random sample, or half uncertain and half random.

:func:`stratified_sample` draws ``n`` articles at random within strata (the combinations of
the ``by`` columns, e.g. outlet and month), each stratum getting its share of ``n`` in
proportion to its size (largest remainders; a stratum may get none when ``n`` is smaller than
the number of strata). :func:`active_sample` takes, with a model's outputs, the ``n // 2``
articles the model is least sure of (binary: probability closest to 0.5; categories: the
smallest top probability; rating: the widest sentence-bootstrap interval) and fills the rest
with a stratified random sample of the other articles, so that agreement and validity can
still be estimated on the random half without bias (the ``selection`` column says which half
an article is in). Both are deterministic for a given ``random_state``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["stratified_sample", "active_sample", "uncertainty", "period_of"]


def period_of(dates: pd.Series, period: str = "M") -> pd.Series:
    """The period (``W``, ``M``, ``Q``, ``Y``) of ISO dates, as text; "" when unreadable."""
    parsed = pd.to_datetime(dates.astype(str), errors="coerce", format="ISO8601")
    out = parsed.dt.to_period(period).astype(str)
    return out.where(parsed.notna(), "")


def _allocate(sizes: np.ndarray, n: int) -> np.ndarray:
    """Hamilton's largest-remainder allocation of ``n`` to strata of ``sizes``, capped."""
    total = sizes.sum()
    if n >= total:
        return sizes.copy()
    quota = sizes * n / total
    take = np.floor(quota).astype(int)
    order = np.lexsort((np.arange(len(sizes)), -(quota - take)))
    for i in order[: n - take.sum()]:
        take[i] += 1
    return np.minimum(take, sizes)


def stratified_sample(frame: pd.DataFrame, n: int, by=(), random_state: int = 0,
                      exclude=()) -> list[str]:
    """``article_id`` s of a stratified random sample of ``n`` articles (sorted by stratum, then
    drawn order).

    Parameters
    ----------
    frame : DataFrame
        ``article_id`` and the ``by`` columns.
    n : int
    by : sequence of str
        Columns whose combinations are the strata (none: a simple random sample).
    random_state : int
    exclude : iterable of str
        Article IDs not to draw.
    """
    rng = np.random.default_rng(random_state)
    excluded = set(map(str, exclude))
    df = frame[~frame["article_id"].astype(str).isin(excluded)]
    keys = [df[c].astype(str).fillna("") for c in by] or [pd.Series([""] * len(df),
                                                                     index=df.index)]
    strata = pd.Series(list(zip(*keys)), index=df.index)
    names = sorted(set(strata.tolist()))
    ids = [df["article_id"].astype(str)[strata == s].sort_values().tolist() for s in names]
    take = _allocate(np.array([len(i) for i in ids]), n)
    out: list[str] = []
    for members, k in zip(ids, take):
        if k:
            out += [members[j] for j in rng.choice(len(members), size=int(k), replace=False)]
    return out


def uncertainty(kind: str, values: np.ndarray, lo=None, hi=None) -> np.ndarray:
    """How unsure a model is of each article: larger is less sure.

    ``values``: (articles x outputs) outputs; ``lo``/``hi``: the intervals (for a rating)."""
    values = np.atleast_2d(np.asarray(values, dtype=float))
    if kind == "binary":
        return -np.abs(values[:, 0] - 0.5)
    if kind == "categories":
        return -values.max(axis=1)
    return np.asarray(hi, dtype=float)[:, 0] - np.asarray(lo, dtype=float)[:, 0]


def active_sample(frame: pd.DataFrame, n: int, unsure: np.ndarray, by=(),
                  random_state: int = 0) -> pd.DataFrame:
    """``n // 2`` least certain articles, the rest a stratified random sample of the others.

    Returns
    -------
    DataFrame
        ``article_id`` and ``selection`` (``uncertain`` or ``random``), in that order of
        selection.
    """
    ids = frame["article_id"].astype(str).to_numpy()
    score = np.nan_to_num(np.asarray(unsure, dtype=float), nan=-np.inf)
    order = np.lexsort((ids, -score))  # least sure first; ties by article_id
    k = min(n // 2, len(ids))
    unsure_ids = ids[order[:k]].tolist()
    rest = stratified_sample(frame, n - k, by, random_state, exclude=unsure_ids)
    return pd.DataFrame({"article_id": unsure_ids + rest,
                         "selection": ["uncertain"] * k + ["random"] * len(rest)})

"""Agreement between coders, and between a model and each coder: Krippendorff's alpha.

:func:`coder_matrix` reads the coders' columns of a coded corpus into the reliability matrix
(coders x items, missing codes NaN) and the level of measurement the labels have:

* **nominal**: yes/no labels (0/1, true/false, yes/no) and text categories;
* **ordinal**: whole numbers with at most :data:`MAX_ORDINAL` distinct values (a 1-5 scale);
* **interval**: other numbers.

:func:`agreement` gives alpha (the ``krippendorff`` package) with a 95% bootstrap interval over
the items (items drawn with replacement, :func:`analysis.stats.unit_bootstrap_interval`;
resamples where alpha is undefined, one value only, are left out) and the percent agreement
(items every coder of which gave the same code, among the items two or more coders coded).
"""

from __future__ import annotations

import math

import krippendorff
import numpy as np

from ...stats import unit_bootstrap_interval
from .coded import Coded, CodedError, _number, _truth

__all__ = ["coder_matrix", "agreement", "model_codes", "MAX_ORDINAL", "LEVELS"]

MAX_ORDINAL = 10
LEVELS = ("nominal", "ordinal", "interval")


def _level(values: list[str]) -> tuple[str, dict | None]:
    """The level of the labels and, for nominal text, the category -> code map."""
    if all(_truth(v) is not None for v in values):
        return "nominal", {"0": 0.0, "1": 1.0}
    numbers = [_number(v) for v in values]
    if all(x is not None for x in numbers):
        whole = all(float(x).is_integer() for x in numbers)
        return ("ordinal" if whole and len(set(numbers)) <= MAX_ORDINAL else "interval"), None
    return "nominal", {c: float(i) for i, c in enumerate(sorted(set(values)))}


def _code(v: str, level: str, codes: dict | None) -> float:
    if not v:
        return math.nan
    if codes is not None:
        key = _truth(v) if set(codes) == {"0", "1"} else v
        return codes[key]
    return float(v)


def coder_matrix(coded: Coded, coders: list[str], level: str | None = None):
    """The reliability matrix (coders x items), its level and the category codes.

    Raises
    ------
    CodedError
        Fewer than two coders, a coder column missing, or no item coded by two coders.
    """
    if len(coders) < 2:
        raise CodedError("--coders: name two coder columns or more (a,b)")
    columns = [coded.column(c) for c in coders]
    values = [v for col in columns for v in col if v]
    if not values:
        raise CodedError(f"{coded.source}: the coder columns {', '.join(coders)} are empty")
    found, codes = _level(values)
    level = level or found
    if level != "nominal" and codes is not None and set(codes) != {"0", "1"}:
        bad = next(v for v in values if _number(v) is None)
        i = next(i for col in columns for i, v in enumerate(col) if v == bad)
        raise CodedError(f"{coded.where[i]}: code {bad!r} is not a number ({level} labels)")
    if level == "nominal" and codes is None:
        codes = {c: float(i) for i, c in enumerate(sorted(set(values), key=float))}
    M = np.array([[_code(v, level, codes) for v in col] for col in columns])
    if int(((~np.isnan(M)).sum(axis=0) >= 2).sum()) == 0:
        raise CodedError(f"{coded.source}: no item is coded by two of {', '.join(coders)}")
    return M, level, codes


def _alpha(M: np.ndarray, level: str, domain) -> float:
    try:
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(krippendorff.alpha(reliability_data=M, level_of_measurement=level,
                                            value_domain=domain))
    except (ValueError, ZeroDivisionError):  # one value only: alpha is undefined
        return math.nan


def agreement(M: np.ndarray, level: str, n_resamples: int = 1000, seed: int = 0) -> dict:
    """Alpha, its 95% bootstrap interval, the percent agreement and the items counted.

    Examples
    --------
    >>> M = np.array([[1, 1, 0, 0, 1], [1, 1, 0, 1, 1]], dtype=float)
    >>> r = agreement(M, "nominal", n_resamples=200)
    >>> r["percent_agreement"], r["n_items"]
    (0.8, 5)
    """
    pairable = (~np.isnan(M)).sum(axis=0) >= 2
    M = M[:, pairable]
    domain = sorted(set(M[~np.isnan(M)].tolist()))
    value = _alpha(M, level, domain)
    lo, hi = unit_bootstrap_interval(lambda i: _alpha(M[:, i], level, domain), M.shape[1],
                                     n_resamples=n_resamples, seed=seed)
    same = [len(set(col[~np.isnan(col)].tolist())) == 1 for col in M.T]
    return {"alpha": value, "alpha_lo": lo, "alpha_hi": hi,
            "percent_agreement": float(np.mean(same)), "n_items": int(M.shape[1])}


def model_codes(values, level: str, codes: dict | None) -> np.ndarray:
    """A model's column as codes comparable with the coders': a probability (binary labels) is
    read as 1 from 0.5 up; a category name through the coders' codes; numbers as they are."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
            out.append(math.nan)
        elif codes is not None and set(codes) == {"0", "1"}:
            out.append(1.0 if float(v) >= 0.5 else 0.0)
        elif codes is not None:
            out.append(codes.get(str(v).strip(), math.nan))
        else:
            out.append(float(v))
    return np.array(out)

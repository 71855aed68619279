"""Publication dates read in one format for the whole column (:func:`parse_dates`).

A date column is read in one declared format (``date_format``, a ``strptime`` format such as
``%d/%m/%Y``) or in one detected one: ISO 8601 first (as ``2016-03-09``), then numeric dates
with slashes, dots or dashes (``09/11/2015``) read day-first or month-first for the whole
column, decided by the values: a first number above 12 says day-first, a second above 12 says
month-first. When no value decides, every such date is *ambiguous*; when values say both, the
ones that decide nothing are. Dates without a day (``2015``, ``2015-03``, ``March 2015``) are
*partial*. Ambiguous and partial dates are never placed in a period (a guess would draw a
trend that is not there): they are counted, and the timeline says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from dateutil import parser as dateutil_parser

from .summary import as_text

__all__ = ["ParsedDates", "parse_dates", "STATUSES"]

# What became of each value: placed, no value, unreadable, day/month order unknown, no day.
STATUSES = ("ok", "missing", "unreadable", "ambiguous", "partial")
# Year or year-month alone: pandas' ISO 8601 parser reads them as the 1st of January / month.
_ISO_PARTIAL = re.compile(r"^[+-]?\d{4}(-\d{1,2})?$")
# Day and month as numbers, in an order the value alone may not tell: 09/11/2015, 9.11.15.
_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(\s.*)?$")
# Two different defaults: a component the text lacks takes the default's, so they differ.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


@dataclass
class ParsedDates:
    """A date column as read by :func:`parse_dates`.

    Attributes
    ----------
    dates : Series of datetime64
        Naive UTC timestamps; NaT where ``status`` is not ``"ok"``.
    status : Series of str
        One of :data:`STATUSES` per value.
    order : str
        How numeric dates were read: ``"day-first"``, ``"month-first"``, ``"ambiguous"`` (no
        value decides), ``"mixed"`` (values say both), ``"declared"`` (``date_format``) or
        ``""`` (no numeric date).
    """

    dates: pd.Series
    status: pd.Series
    order: str = ""

    def count(self, status: str, mask=None) -> int:
        """How many values have ``status`` (among ``mask``, a boolean array, when given)."""
        hit = (self.status == status).to_numpy()
        return int(hit.sum() if mask is None else (hit & np.asarray(mask, bool)).sum())


def _numeric(text: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """Numeric dates (``_NUMERIC``) read in the column's one order: dates, status, order."""
    parts = text.str.extract(_NUMERIC)
    a = pd.to_numeric(parts[0]).to_numpy()
    b = pd.to_numeric(parts[2]).to_numpy()
    # Only a value that one order reads and the other cannot is evidence (31/31 is neither).
    day_first = bool(((a > 12) & (b <= 12)).any())
    month_first = bool(((b > 12) & (a <= 12)).any())
    order = ("mixed" if day_first and month_first else "day-first" if day_first
             else "month-first" if month_first else "ambiguous")
    decided = (a > 12) | (b > 12)
    if order == "day-first":
        day, month = a, b
    elif order == "month-first":
        day, month = b, a
    else:  # each value read by its own deciding number; the others stay ambiguous
        day, month = np.where(a > 12, a, b), np.where(a > 12, b, a)
    year = parts[3].to_numpy(dtype=object)
    # Two-digit years as strptime's %y: 69-99 -> 19xx, 00-68 -> 20xx.
    year = [y if len(y) == 4 else ("19" if int(y) >= 69 else "20") + y for y in year]
    rest = parts[4].fillna("").to_numpy(dtype=object)
    iso = [f"{y}-{int(m):02d}-{int(d):02d}{r}" for y, m, d, r in zip(year, month, day, rest)]
    dates = pd.to_datetime(pd.Series(iso, index=text.index), errors="coerce", format="ISO8601",
                           utc=True)
    status = pd.Series(np.where(dates.isna(), "unreadable", "ok"), index=text.index,
                       dtype=object)
    if order in ("ambiguous", "mixed"):
        status[~decided & dates.notna().to_numpy()] = "ambiguous"
    return dates.where(status == "ok"), status, order


def _is_partial(value: str) -> bool:
    """Whether a free-form date lacks its day (or month): two defaults give two dates."""
    try:
        first, second = (dateutil_parser.parse(value, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return False
    return (first.day, first.month) != (second.day, second.month)


def parse_dates(values, date_format: str | None = None) -> ParsedDates:
    """Read a date column in one declared or detected format.

    Parameters
    ----------
    values : array-like
        The dates as written (text, or anything ``str`` turns into text).
    date_format : str, optional
        A ``strptime`` format for every value (``%d/%m/%Y``); values it does not read are
        unreadable. None: detected (module docstring): ISO 8601, then numeric day/month dates
        in the one order the column's values decide, then other forms (``Nov 9, 2015``).

    Returns
    -------
    ParsedDates
        With a fresh ``RangeIndex``. ISO 8601 dates are read exactly as ``pd.to_datetime(...,
        format="ISO8601", utc=True)`` reads them.

    Examples
    --------
    >>> p = parse_dates(["2015-11-09", "09/11/2015", "16/11/2015", "2015", ""])
    >>> p.dates.dt.strftime("%Y-%m-%d").tolist(), p.status.tolist(), p.order
    (['2015-11-09', '2015-11-09', '2015-11-16', nan, nan], ['ok', 'ok', 'ok', 'partial', \
'missing'], 'day-first')
    >>> parse_dates(["09/11/2015", "10/11/2015"]).status.tolist()
    ['ambiguous', 'ambiguous']
    """
    text = as_text(values)
    present = (text != "").to_numpy()
    status = pd.Series(np.where(present, "unreadable", "missing"), dtype=object)
    order = ""
    if date_format:
        dates = pd.to_datetime(text.where(present, None), errors="coerce", format=date_format,
                               utc=True)
        order = "declared"
    else:
        dates = pd.to_datetime(text.where(present, None), errors="coerce", format="ISO8601",
                               utc=True)
        partial = dates.notna() & text.str.match(_ISO_PARTIAL)
        status[partial] = "partial"
        dates = dates.where(~partial)
        left = (dates.isna() & present & ~partial).to_numpy()
        numeric = left & text.str.match(_NUMERIC).to_numpy()
        if numeric.any():
            more, how, order = _numeric(text[numeric])
            dates = dates.where(~numeric, more.reindex(text.index))
            status[numeric] = how
        other = left & ~numeric
        if other.any():
            more = pd.to_datetime(text[other], errors="coerce", format="mixed", utc=True)
            lacking = text[other].map(_is_partial).to_numpy(bool) & more.notna().to_numpy()
            status[np.flatnonzero(other)[lacking]] = "partial"
            dates = dates.where(~other, more.where(~lacking).reindex(text.index))
    status[(dates.notna() & (status == "unreadable")).to_numpy()] = "ok"
    return ParsedDates(dates.dt.tz_convert(None), status, order)

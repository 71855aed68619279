"""Text cells that a spreadsheet would run as a formula, neutralised in the CSV tables.

A CSV opened in Excel or LibreOffice evaluates a cell starting with ``=``, ``+``, ``-`` or
``@`` (and, in some, a tab or carriage return) as a formula: a title, group name, source or
evidence sentence such as ``=HYPERLINK(...)`` or ``-2+3+cmd|' /C calc'!A0`` would run when a
researcher opens the table (CSV injection, OWASP). Such a text cell is written with a leading
``'``, which spreadsheets show as text; a number written as text (``-0.5``, ``+1``) is left
as it is, and so is every cell of a numeric column. A cell that already starts with quotes
before one of these characters gets one more quote, so reading undoes exactly what writing
did: :func:`restore_cells` (used by :func:`analysis.tables.read_table` and every reader of the
tables) gives back the text as scored, offsets into it (``start``, ``end``) included.

Parquet tables are typed and not opened as text: they are written as they are.

Light (no pandas import): the command line's table writer uses it.
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_START", "neutralise_cells", "neutralise_text", "restore_cells",
           "restore_text"]

FORMULA_START = "=+-@\t\r"  # what makes a spreadsheet read a cell as a formula
_RISKY = re.compile(r"'*[=+\-@\t\r]")
_WRITTEN = re.compile(r"'+[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def neutralise_text(value):
    """One cell as written to CSV.

    Parameters
    ----------
    value : object
        A cell; only text is changed.

    Returns
    -------
    object
        ``"'" + value`` when ``value`` is text a spreadsheet would run as a formula, else
        ``value``.

    Examples
    --------
    >>> neutralise_text("=1+1"), neutralise_text("-0.5"), neutralise_text("- Sanders.")
    ("'=1+1", '-0.5', "'- Sanders.")
    """
    if isinstance(value, str) and _RISKY.match(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def restore_text(value):
    """One cell as read back from CSV: :func:`neutralise_text` undone.

    Parameters
    ----------
    value : object

    Returns
    -------
    object

    Examples
    --------
    >>> restore_text("'=1+1"), restore_text("''=x"), restore_text("'quoted")
    ('=1+1', "'=x", "'quoted")
    """
    if isinstance(value, str) and _WRITTEN.match(value):
        return value[1:]
    return value


def _map_text_columns(df, fn, first: str):
    """``df`` with ``fn`` applied to its column names and every cell of its text (object or
    string) columns; the same frame when nothing changes (no copy: the tables can be large).
    ``fn`` changes only text starting with one of the characters ``first``: the other cells
    are not passed to it."""
    out = df
    names = [fn(c) for c in df.columns]
    if any(a is not b for a, b in zip(df.columns, names)):  # a metadata header such as "=x"
        out = df.set_axis(names, axis=1)
    for i in range(df.shape[1]):
        col = df.iloc[:, i]
        if not (col.dtype == object or str(col.dtype).startswith(("str", "string"))):
            continue
        values = col.tolist()
        maybe = [j for j, v in enumerate(values) if isinstance(v, str) and v[:1] in first]
        new = {j: fn(values[j]) for j in maybe}
        changed = [j for j in maybe if new[j] is not values[j]]
        if changed:
            if out is df:
                out = df.copy()
            fixed = out.iloc[:, i].copy()
            fixed.iloc[changed] = [new[j] for j in changed]
            out.isetitem(i, fixed)
    return out


def neutralise_cells(df):
    """A table as it is written to CSV: :func:`neutralise_text` on every text cell.

    Parameters
    ----------
    df : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        ``df`` itself when no cell needs it, else a copy; numeric columns are never touched.
    """
    return _map_text_columns(df, neutralise_text, "'" + FORMULA_START)


def restore_cells(df):
    """A table as read from CSV, with :func:`neutralise_cells` undone.

    Parameters
    ----------
    df : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
    """
    return _map_text_columns(df, restore_text, "'")

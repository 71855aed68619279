"""``python -m analysis evidence``: the matches behind a feature score, in context."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..evidence import kwic_lines
from ..formulas import restore_cells
from .failures import UsageStop


def run(args) -> int:
    """Print keyword-in-context lines of one article, for one feature or all.

    Parameters
    ----------
    args : argparse.Namespace
        ``article_id``, ``feature`` (or None for all), ``evidence`` (the table) and ``width``
        (context characters on each side).

    Returns
    -------
    int
        0.

    Raises
    ------
    UsageStop
        No evidence table, no such article in it, or no evidence for that feature.
    """
    path = Path(args.evidence)
    if not path.exists():
        raise UsageStop(f"{path}: no evidence table; run `make features` first")
    # restore_cells: a sentence written as "'-..." is scored as "-...", which start/end index.
    ev = restore_cells(pd.read_csv(path, dtype={"article_id": str}, keep_default_na=False))
    rows = ev[ev["article_id"] == args.article_id]
    if rows.empty:
        known = ", ".join(sorted(ev["article_id"].unique())[:10])
        raise UsageStop(f"no evidence for article '{args.article_id}' (known: {known})")
    if args.feature:
        sel = rows[rows["feature"] == args.feature]
        if sel.empty:
            feats = ", ".join(sorted(rows["feature"].unique()))
            raise UsageStop(f"no '{args.feature}' evidence in {args.article_id} "
                            f"(features with evidence: {feats})")
        rows = sel
    for line in kwic_lines(rows, width=args.width):
        print(line)
    return 0

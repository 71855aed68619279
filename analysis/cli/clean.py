"""``python -m analysis clean``: cleaned texts and the cleaning audit table."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from ..clean import clean_text
from ..config import display_path
from ..corpus import Problem
from ..tables import AUDIT_COLUMNS
from .inputs import load_articles, report_problems
from .tableset import write_table


def run(args) -> int:
    """Write ``DIR/cleaned/<article_id>.txt``, ``DIR/audit.csv`` and ``DIR/errors.csv``.

    Parameters
    ----------
    args : argparse.Namespace
        The corpus options (``corpus``, ``strict``, ``max_bytes``) and ``output`` (DIR).

    Returns
    -------
    int
        0, or 1 if some input had a problem (listed in ``errors.csv``).
    """
    out = Path(args.output)
    problems: list[Problem] = []
    df = load_articles(args, problems)
    (out / "cleaned").mkdir(parents=True, exist_ok=True)
    audit = []
    for aid, raw in zip(df["article_id"], df["text"]):
        c = clean_text(raw)
        (out / "cleaned" / f"{aid}.txt").write_text(c.text + "\n", encoding="utf-8")
        audit += [{"article_id": aid, "line": ln, "text": t, "rule": r} for ln, t, r in c.removed]
    write_table(pd.DataFrame(audit, columns=AUDIT_COLUMNS), out / "audit.csv")
    print(f"{len(df)} articles cleaned -> {display_path(out / 'cleaned')}; "
          f"{len(audit)} audit rows -> {display_path(out / 'audit.csv')}", file=sys.stderr)
    return report_problems(problems, out)

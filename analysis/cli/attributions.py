"""``python -m analysis attributions``: who is cited, one row per attribution."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from ..config import display_path
from ..corpus import Problem
from ..features import build_features
from ..study import load_study
from .inputs import load_articles, report_problems
from .tableset import study_phrase, write_table


def run(args) -> int:
    """Find the attributions of every article and write them as one table.

    Parameters
    ----------
    args : argparse.Namespace
        The corpus options (``corpus``, ``strict``, ``max_bytes``), ``output`` (the table) and
        ``registry`` (source registry, or None for the study's) and ``study`` (the study file;
        None: no study).

    Returns
    -------
    int
        0, or 1 if some input had a problem (listed in ``errors.csv`` beside the table).
    """
    out = Path(args.output)
    problems: list[Problem] = []
    study = load_study(args.study)
    df = load_articles(args, problems)
    fs = build_features(df, groups=("sources",), registry=args.registry, study=study)
    table = fs.tables.get("attributions")
    if table is None:
        table = pd.DataFrame()
    write_table(table, out)
    print(f"{len(table)} attributions in {len(df)} articles -> {display_path(out)} with "
          f"{study_phrase(study.source)}", file=sys.stderr)
    return report_problems(problems, out.parent)

"""``python -m analysis attributions``: who is cited, one row per attribution."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from ..atomic import folder_lock
from ..config import display_path
from ..corpus import Problem
from ..features import build_features
from ..study import load_study
from .inputs import load_articles, report_problems
from .outputs import refuse_inputs, table_output
from .tableset import ERRORS_NAME, study_phrase, write_table


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

    Raises
    ------
    UsageStop
        A suffix the tool does not write, no ``-o`` outside the project, or an output that is
        an input (or lies in a folder corpus).
    """
    out = table_output(args.output, "attributions.csv")
    problems: list[Problem] = []
    study = load_study(args.study)
    refuse_inputs([out, out.with_name(ERRORS_NAME)], {
        "corpus": [args.corpus], "study": [args.study, study.registry, *study.dictionaries],
        "registry": [args.registry]})
    with folder_lock(out.parent, what="tables"):
        return _write(args, out, study, problems)


def _write(args, out: Path, study, problems: list[Problem]) -> int:
    """Read, find and write, with the output folder locked; the exit code."""
    df = load_articles(args, problems)
    fs = build_features(df, groups=("sources",), registry=args.registry, study=study)
    table = fs.tables.get("attributions")
    if table is None:
        table = pd.DataFrame()
    write_table(table, out)
    print(f"{len(table)} attributions in {len(df)} articles -> {display_path(out)} with "
          f"{study_phrase(study.source)}", file=sys.stderr)
    return report_problems(problems, out.parent)
